"""Import the heavy libraries in a background thread once the window is up.

Importing torch and transformers (and matplotlib for the Results charts) takes seconds and, in
long C calls such as loading shared libraries, holds the GIL: done by the first training job, it
stalls the window. Done while the user is still reading the Home page, it is paid for in advance.
"""

from __future__ import annotations

import logging
import threading

DELAY_MS = 700          # after the first paint: start-up itself stays fast
_started = threading.Event()


def _work() -> None:
    from bertdesk.app.imports import ensure_imported

    ensure_imported()
    try:
        import matplotlib.figure  # noqa: F401
        from matplotlib.backends import backend_qtagg  # noqa: F401
    except Exception:  # noqa: BLE001 - an optimisation only
        logging.getLogger("bertdesk.gui").warning("background import failed", exc_info=True)


def start() -> bool:
    """Start the background import once per process; False when it was already started."""
    if _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_work, name="bertdesk-preload", daemon=True).start()
    return True
