"""Long work in a child process: results, events, errors, crashes and cancel come back as themselves."""

from __future__ import annotations

import os
import threading

import pytest

from bertdesk.core.cancel import CancelToken, Cancelled
from bertdesk.core.childproc import ChildCrashed, run_in_child
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError
from bertdesk.core.events import Progress


def test_result_and_events_come_back_in_order():
    events = []
    result = run_in_child("tests.core.childjobs:count", (5,), on_event=events.append)
    assert result["n"] == 5 and result["pid"] != os.getpid()
    assert [e.done for e in events] == [1, 2, 3, 4, 5] and all(isinstance(e, Progress) for e in events)


def test_user_errors_keep_their_kind_and_words():
    with pytest.raises(DataError) as info:
        run_in_child("tests.core.childjobs:bad_data")
    assert str(info.value) == "reviews.csv, row 3: has no text column"


def test_an_unexpected_exception_brings_the_child_traceback():
    with pytest.raises(ChildCrashed) as info:
        run_in_child("tests.core.childjobs:crash")
    assert "KeyError" in str(info.value)
    assert "childjobs.py" in info.value.details and "missing key" in info.value.details


def test_a_child_that_dies_is_reported_not_waited_for():
    with pytest.raises(ChildCrashed, match="exit code 3"):
        run_in_child("tests.core.childjobs:hard_exit")


def test_cancel_reaches_the_child():
    token = CancelToken()
    events = []

    def on_event(e):
        events.append(e)
        threading.Timer(0.2, token.cancel).start()

    with pytest.raises(Cancelled):
        run_in_child("tests.core.childjobs:until_cancelled", on_event=on_event, cancel=token)
    assert events and events[0].phase == "waiting"


def test_training_in_a_child_writes_the_model(tmp_path, sentiment_csv, tiny_model_dir):
    config = TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                         epochs=1, batch_size=8, max_length=32)
    events = []
    result = run_in_child("bertdesk.core.training:train", (config,), {"resume": False}, events.append)
    assert (tmp_path / "m" / "bertdesk.json").exists() and result.n_train == 54
    assert {"reading", "tokenising", "training", "saving"} <= {e.phase for e in events if isinstance(e, Progress)}


def test_the_child_stops_when_its_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    pid_file = tmp_path / "child.pid"
    code = ("from bertdesk.core.childproc import run_in_child; "
            f"run_in_child('tests.core.childjobs:wait_with_pid', ({str(pid_file)!r},))")
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
        child = int(pid_file.read_text())
        parent.send_signal(signal.SIGKILL)                   # no clean-up in the parent at all
        parent.wait(10)
        deadline = time.monotonic() + 20
        while _alive(child):
            assert time.monotonic() < deadline, "the child outlived its parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    import os
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:                                   # a zombie (exited, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False
