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
done = threading.Event()
# transformers resolves names lazily, and two threads doing that at once can fail with
# "cannot import name ...": every job calls ensure_imported() first, so importing is serialised
_lock = threading.Lock()


def ensure_imported() -> None:
    """Import the heavy modules (once per process; others wait for the first caller)."""
    if done.is_set():
        return
    with _lock:
        if not done.is_set():
            _work()


def _work() -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        from transformers import Trainer, TrainingArguments  # noqa: F401 - the lazy modules load here

        import bertdesk.core.inference  # noqa: F401
        import bertdesk.core.training  # noqa: F401
        import matplotlib.figure  # noqa: F401
        from matplotlib.backends import backend_qtagg  # noqa: F401
    except Exception:  # noqa: BLE001 - an optimisation only: the job imports what it needs anyway
        logging.getLogger("bertdesk.gui").warning("background import failed", exc_info=True)
    finally:
        done.set()


def start() -> bool:
    """Start the background import once per process; False when it was already started."""
    if _started.is_set():
        return False
    _started.set()
    threading.Thread(target=ensure_imported, name="bertdesk-preload", daemon=True).start()
    return True
