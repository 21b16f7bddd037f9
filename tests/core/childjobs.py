"""Functions the child-process tests run in a spawned process (they must be importable there)."""

from __future__ import annotations

import os
import time

from bertdesk.core.cancel import check
from bertdesk.core.errors import DataError
from bertdesk.core.events import Progress


def count(n, on_event=None, cancel=None):
    for i in range(n):
        on_event(Progress("counting", i + 1, n))
    return {"n": n, "pid": os.getpid()}


def bad_data(on_event=None, cancel=None):
    raise DataError("has no text column", file="/data/reviews.csv", row=3)


def crash(on_event=None, cancel=None):
    return {}["missing key"]


def hard_exit(on_event=None, cancel=None):
    os._exit(3)


def until_cancelled(on_event=None, cancel=None):
    on_event(Progress("waiting", 0, 1))
    while True:
        check(cancel)
        time.sleep(0.01)


def wait_with_pid(pid_file, on_event=None, cancel=None):
    from pathlib import Path

    Path(pid_file).write_text(str(os.getpid()))
    i = 0
    while True:                 # a chatty job: its events fill the pipe once nobody reads them
        for _ in range(50):
            i += 1
            on_event(Progress("waiting", i, 10**9))
        check(cancel)
        time.sleep(0.01)


def broken_train(config, resume=False, on_event=None, cancel=None):
    raise RuntimeError("simulated crash in the core")


def logs_a_warning(on_event=None, cancel=None):
    import logging

    logging.getLogger("bertdesk.core.test").warning("the child says hello")
    return "done"
