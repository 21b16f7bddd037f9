"""Importing the heavy libraries once per process, one thread at a time.

transformers resolves names lazily, and two threads doing that at once can fail with "cannot
import name ...": every job that loads a model calls ``ensure_imported()`` first, so importing is
serialised (the first caller imports, the others wait). The GUI also calls it in the background
once its window is up, so the cost is paid while the user reads the Home page."""

from __future__ import annotations

import logging
import threading

done = threading.Event()
_lock = threading.Lock()


def ensure_imported() -> None:
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

        import bertdesk.core.labeling  # noqa: F401
        import bertdesk.core.predictor  # noqa: F401
        import bertdesk.core.training  # noqa: F401
    except Exception:  # noqa: BLE001 - an optimisation only: the job imports what it needs anyway
        logging.getLogger("bertdesk.app").warning("background import failed", exc_info=True)
    finally:
        done.set()
