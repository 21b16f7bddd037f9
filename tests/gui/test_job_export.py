"""Saving a job file shows the command lines that run it without the window and on several GPUs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from bertdesk.core.config import load_job

from .helpers import click, setup_training


def test_save_job_shows_headless_and_multi_gpu_commands(window, qtbot, sentiment_csv, tiny_model_dir, tmp_path):
    wiz = setup_training(window, qtbot, sentiment_csv, tiny_model_dir)
    page = wiz.settings_page
    assert not page.commands_box.isVisible()
    path = str(tmp_path / "my job.json")
    assert page._save_job(path) == path
    config = load_job(path)
    assert config.train_file == str(sentiment_csv) and config.epochs == page.epochs.value()
    text = page.commands.toPlainText()
    assert f"bertdesk-cli train --job '{path}'" in text
    assert f"torchrun --nproc_per_node 2 -m bertdesk.cli train --job '{path}'" in text
    assert page.commands_box.isVisible() and page.commands.isReadOnly()
    page.gpus.setValue(4)
    assert "--nproc_per_node 4 " in page.commands.toPlainText()
    click(qtbot, page.copy_commands)
    assert QApplication.clipboard().text() == page.commands.toPlainText()
