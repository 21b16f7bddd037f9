"""Resume: a training run cancelled after a checkpoint is listed on Home and finishes from there."""

from __future__ import annotations

import json

from bertdesk.core.runs import run_dir_for

from .helpers import TIMEOUT_MS, click, setup_training


def _interrupted_run(window, qtbot, sentiment_csv, tiny_model_dir, name):
    """Train with an evaluation (and checkpoint) every 2 steps; cancel right after the first one."""
    wiz = setup_training(window, qtbot, sentiment_csv, tiny_model_dir, batch=8)
    wiz.model_page.name.setText(name)
    config = wiz.build_config()
    config.eval_steps = 2
    wiz._show(len(wiz.pages) - 1)
    train = wiz.train_page

    def cancel_after_first_evaluation(m):
        if m.split == "eval":
            train.cancel()

    window.runner.metrics.connect(cancel_after_first_evaluation)
    with qtbot.waitSignal(window.runner.cancelled, timeout=TIMEOUT_MS):
        assert train.start(config)
    window.runner.metrics.disconnect(cancel_after_first_evaluation)
    return config


def test_cancelled_run_is_resumed_from_home_and_the_model_appears(window, qtbot, sentiment_csv, tiny_model_dir,
                                                                   workspace, dialogs):
    config = _interrupted_run(window, qtbot, sentiment_csv, tiny_model_dir, "resumable")
    out = workspace / "models" / "resumable"
    run = run_dir_for(out)
    assert not out.exists()
    assert json.loads((run / "run.json").read_text())["status"] == "cancelled"
    assert list(run.glob("checkpoint-*")), "a checkpoint was saved before the cancel"
    train = window.wizard.train_page
    assert train.resume_button.isVisible() and "Resume" in train.status.text()

    window.go("home")
    home = window.home
    assert home.runs_box.isVisible() and home.runs.count() == 1
    assert "resumable" in home.runs.item(0).text() and "checkpoint" in home.runs.item(0).text()
    logs = []
    window.runner.log.connect(lambda message, level: logs.append(message))
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        click(qtbot, home.resume_button)
    assert any(m.startswith("Resuming from checkpoint-") for m in logs), logs
    assert (out / "bertdesk.json").exists() and not run.exists()
    assert json.loads((out / "bertdesk.json").read_text())["config"]["eval_steps"] == config.eval_steps
    assert window.current_page() == "results" and not dialogs.errors
    window.go("home")
    assert not home.runs_box.isVisible()


def test_discard_asks_then_removes_the_run_folder(window, qtbot, sentiment_csv, tiny_model_dir, workspace, dialogs):
    from PySide6.QtWidgets import QMessageBox

    _interrupted_run(window, qtbot, sentiment_csv, tiny_model_dir, "to-discard")
    run = run_dir_for(workspace / "models" / "to-discard")
    window.go("home")
    home = window.home
    dialogs.answer = QMessageBox.StandardButton.No
    assert not home.discard_selected() and run.exists()
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert home.discard_selected() and not run.exists()
    assert "to-discard" in dialogs.questions[-1]
    assert home.runs.count() == 0 and not home.runs_box.isVisible()
