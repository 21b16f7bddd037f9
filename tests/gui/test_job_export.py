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


def test_a_job_saved_away_from_the_model_folder_names_it_on_the_command_line(window, qtbot, sentiment_csv,
                                                                             tiny_model_dir, tmp_path, workspace):
    wiz = setup_training(window, qtbot, sentiment_csv, tiny_model_dir)
    elsewhere = tmp_path / "jobs"
    elsewhere.mkdir()
    path = str(elsewhere / "job.json")
    assert wiz.settings_page._save_job(path) == path
    out_dir = wiz.model_page.out_dir()
    assert out_dir.is_relative_to(workspace)
    text = wiz.settings_page.commands.toPlainText()
    from bertdesk.gui.wizard.settings_page import quote_path
    assert f"bertdesk-cli train --job {quote_path(path)} --out {quote_path(str(out_dir))}" in text
    assert f"-m bertdesk.cli train --job {quote_path(path)} --out {quote_path(str(out_dir))}" in text


def test_a_model_name_that_is_a_path_is_refused_inline(window, qtbot, sentiment_csv, tiny_model_dir):
    wiz = setup_training(window, qtbot, sentiment_csv, tiny_model_dir)
    click(qtbot, wiz.back)                      # -> model page
    page = wiz.model_page
    assert wiz.current() is page and page.is_complete()
    for bad in ("../outside", "CON", "a/b"):
        page.name.setText(bad)
        assert not page.is_complete() and not wiz.next.isEnabled()
        assert page.error.isVisible() and page.error.text()
    page.name.setText("reviews model")
    assert page.is_complete() and wiz.next.isEnabled()
