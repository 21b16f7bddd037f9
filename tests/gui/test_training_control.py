"""Cancel, failures and closing while a job runs: the window must stay usable and honest."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QMessageBox

from bertdesk.core.workspace import samples_dir

from .helpers import TIMEOUT_MS, click, setup_training


def test_cancel_mid_training_leaves_ui_usable_and_no_model(window, qtbot, tiny_model_dir, workspace, dialogs):
    wiz = setup_training(window, qtbot, samples_dir() / "reviews.csv", tiny_model_dir, epochs=40, batch=8)
    train = wiz.train_page
    steps = []
    window.runner.progress.connect(lambda p: p.phase == "training" and p.done > 0 and steps.append(p.done))
    click(qtbot, wiz.next)
    assert train.running and not wiz.back.isEnabled() and train.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: len(steps) >= 2, timeout=TIMEOUT_MS)
    t0 = time.monotonic()
    with qtbot.waitSignal(window.runner.cancelled, timeout=TIMEOUT_MS):
        click(qtbot, train.cancel_button)
        assert "Cancelling" in train.status.text()
    assert time.monotonic() - t0 < 5.0
    assert train.state == "cancelled" and "no model was saved" in train.status.text()
    assert not window.runner.busy
    assert wiz.back.isEnabled() and not train.cancel_button.isEnabled()
    assert not (workspace / "models" / wiz.model_page.name.text()).exists()
    assert not list((workspace / "models").glob("*/bertdesk.json"))
    assert not dialogs.errors
    click(qtbot, wiz.back)                      # the wizard can be used again
    assert wiz.current() is wiz.settings_page and wiz.next.isEnabled()


def test_worker_exception_becomes_an_error_dialog(window, qtbot, tiny_model_dir, dialogs, monkeypatch):
    import bertdesk.app.training as app_training

    # the child process runs this function instead of the core's training
    monkeypatch.setattr(app_training, "TRAIN_FUNCTION", "tests.core.childjobs:broken_train")
    wiz = setup_training(window, qtbot, samples_dir() / "reviews.csv", tiny_model_dir)
    with qtbot.waitSignal(window.runner.failed, timeout=TIMEOUT_MS):
        click(qtbot, wiz.next)
    assert dialogs.errors and "simulated crash" in dialogs.errors[0][1]
    assert wiz.train_page.state == "failed" and "simulated crash" in wiz.train_page.status.text()
    assert not window.runner.busy and wiz.back.isEnabled()


def test_user_error_in_worker_shows_its_one_line_message(window, qtbot, tmp_path, dialogs):
    bad_model = tmp_path / "not-a-model"
    bad_model.mkdir()
    (bad_model / "config.json").write_text("{}")
    (bad_model / "model.safetensors").write_bytes(b"garbage")
    wiz = setup_training(window, qtbot, samples_dir() / "reviews.csv", bad_model)
    with qtbot.waitSignal(window.runner.failed, timeout=TIMEOUT_MS):
        click(qtbot, wiz.next)
    assert len(dialogs.errors) == 1
    title, message = dialogs.errors[0]
    assert title == "Training failed" and "\n" not in message and "Traceback" not in message


def test_closing_during_training_asks_then_cancels(window, qtbot, tiny_model_dir, workspace, dialogs):
    wiz = setup_training(window, qtbot, samples_dir() / "reviews.csv", tiny_model_dir, epochs=40, batch=8)
    click(qtbot, wiz.next)
    qtbot.waitUntil(lambda: window.runner.busy, timeout=TIMEOUT_MS)
    dialogs.answer = QMessageBox.StandardButton.No
    assert not window.close()
    assert window.isVisible() and window.runner.busy and len(dialogs.questions) == 1
    dialogs.answer = QMessageBox.StandardButton.Yes
    t0 = time.monotonic()
    assert window.close()
    assert time.monotonic() - t0 < 30
    assert len(dialogs.questions) == 2
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=TIMEOUT_MS)
    assert not list((workspace / "models").glob("*/bertdesk.json"))


def test_training_runs_in_its_own_process_and_reports_back(window, qtbot, tiny_model_dir, workspace, monkeypatch):
    import multiprocessing

    import bertdesk.core.training as training

    def not_here(*_a, **_k):
        raise AssertionError("training ran in the window's process")

    monkeypatch.setattr(training, "train", not_here)           # the child process imports its own
    seen = []
    window.runner.log.connect(lambda message, level: seen.append(message))
    wiz = setup_training(window, qtbot, samples_dir() / "reviews.csv", tiny_model_dir)
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS) as done:
        click(qtbot, wiz.next)
    assert done.args[0] == "train" and (workspace / "models" / wiz.model_page.name.text() / "bertdesk.json").exists()
    assert any("training and" in m and "evaluation examples" in m for m in seen)       # events crossed over
    assert wiz.train_page.state == "done" and wiz.train_page.progress.value() == 100
    assert not [p for p in multiprocessing.active_children() if p.name == "bertdesk-job"]
