"""Run long core work in a separate process: its own interpreter, so its Python work never holds
the caller's GIL (a window stays smooth while a model trains), and a crash in it cannot take the
caller down.

``run_in_child(fn, args, kwargs, on_event, cancel)`` calls ``fn(*args, on_event=..., cancel=...,
**kwargs)`` in a spawned process and returns its result. Events come back as they happen;
cancelling the caller's token cancels the child's; BertdeskError and Cancelled come back as
themselves; any other failure comes back as ChildCrashed with the child's traceback. If the caller
dies, the child notices and stops at its next cancel check (a training run keeps its checkpoints).
``fn`` is a module-level function or its "module:function" name (then only the child imports
it); everything passed must be picklable plain data.
"""

from __future__ import annotations

import queue
import threading
import traceback
from typing import Any, Callable

from . import errors
from .cancel import CancelToken, Cancelled

POLL_S = 0.1


class ChildCrashed(RuntimeError):
    """An unexpected exception (or a hard exit) in the child; ``details`` has its traceback."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


class _EventToken(CancelToken):
    """A CancelToken backed by a multiprocessing Event shared with the parent."""

    def __init__(self, event) -> None:
        self._event = event


def _watch_parent(stop) -> None:
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()          # returns when the parent is gone, however it went
        stop.set()


def _resolve(fn):
    if isinstance(fn, str):                   # "package.module:function": imported in the child only
        import importlib

        module, _, name = fn.partition(":")
        return getattr(importlib.import_module(module), name)
    return fn


def _child_main(fn, args, kwargs, events, stop) -> None:
    from .logs import forward_records

    threading.Thread(target=_watch_parent, args=(stop,), daemon=True).start()
    forward_records(lambda name, level, message: events.put(("log", (name, level, message))))
    token = _EventToken(stop)
    try:
        fn = _resolve(fn)
        result = fn(*args, on_event=lambda e: events.put(("event", e)), cancel=token, **kwargs)
        events.put(("result", result))
    except Cancelled:
        events.put(("cancelled", None))
    except errors.BertdeskError as exc:
        events.put(("error", (type(exc).__name__, str(exc))))
    except BaseException as exc:  # noqa: BLE001 - everything must reach the parent as words
        first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
        events.put(("crash", (f"{type(exc).__name__}: {first}", traceback.format_exc())))
    finally:
        events.close()
        events.join_thread()   # everything put is flushed before the process ends


def run_in_child(fn: Callable | str, args: tuple = (), kwargs: dict | None = None,
                 on_event: Callable[[Any], None] | None = None, cancel: CancelToken | None = None,
                 join_timeout_s: float = 60.0):
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")      # never fork a process that has threads and Qt
    events = ctx.Queue()
    stop = ctx.Event()
    proc = ctx.Process(target=_child_main, args=(fn, args, kwargs or {}, events, stop), daemon=True,
                       name="bertdesk-job")
    proc.start()
    try:
        while True:
            if cancel is not None and cancel.cancelled:
                stop.set()
            try:
                kind, payload = events.get(timeout=POLL_S)
            except queue.Empty:
                if not proc.is_alive():
                    try:                     # it may have put its last word just before ending
                        kind, payload = events.get(timeout=1.0)
                    except queue.Empty:
                        raise ChildCrashed(f"the background process ended unexpectedly (exit code {proc.exitcode})")
                else:
                    continue
            if kind == "event":
                if on_event is not None:
                    on_event(payload)
            elif kind == "log":                      # the child's log records, into this process's log
                import logging

                name, level, message = payload
                logging.getLogger(name).log(level, "[child] %s", message)
            elif kind == "result":
                return payload
            elif kind == "cancelled":
                raise Cancelled()
            elif kind == "error":
                name, message = payload
                cls = getattr(errors, name, errors.BertdeskError)
                if not (isinstance(cls, type) and issubclass(cls, errors.BertdeskError)):
                    cls = errors.BertdeskError
                raise cls(message)
            else:
                raise ChildCrashed(*payload)
    finally:
        if proc.is_alive():
            stop.set()            # done, failed here or cancelled: the child stops at its next check
        proc.join(join_timeout_s)
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
        events.close()
