"""Wizard pages on their own: inline errors, re-reading with another encoding, task switching."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from bertdesk.core.workspace import samples_dir


def test_binary_garbage_shows_inline_error_and_next_stays_disabled(window, qtbot, tmp_path, dialogs):
    bad = tmp_path / "garbage.csv"
    bad.write_bytes(os.urandom(4096) + b"\x00" * 64)
    assert not window.open_data(str(bad))
    page = window.wizard.data_page
    assert page.error.isVisible()
    assert "garbage.csv" in page.error.text() and "binary" in page.error.text()
    assert not window.wizard.next.isEnabled()
    window.wizard.go_next()
    assert window.wizard.current() is page
    assert not dialogs.errors                       # inline, not a dialog
    # a good file clears the error and enables Next
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    assert not page.error.isVisible() and window.wizard.next.isEnabled()


def test_one_class_labels_are_reported_on_the_columns_page(window, qtbot, tmp_path):
    path = tmp_path / "one_class.csv"
    path.write_text("text,label\n" + "".join(f"row {i} text,same\n" for i in range(20)), encoding="utf-8")
    assert window.open_data(str(path))
    window.wizard.go_next()
    task = window.wizard.task_page
    assert task.error.isVisible() and "at least two classes" in task.error.text()
    assert not window.wizard.next.isEnabled()
    # choosing the text column as the label too is refused inline
    task.combos["label"].setCurrentText("text")
    assert task.error.isVisible() and not window.wizard.next.isEnabled()


def test_encoding_change_rereads_the_file(window, qtbot):
    assert window.open_data(str(samples_dir() / "reviews_zh.csv"))
    page = window.wizard.data_page
    assert page.encoding.currentText() == "gb18030"
    gb_header = list(page.table.df.columns)
    page.encoding.setCurrentText("latin-1")
    page.encoding.activated.emit(0)
    assert page.table is not None and list(page.table.df.columns) != gb_header
    assert page.read_options()["encoding"] == "latin-1"
    page.encoding.setCurrentText("gb18030")
    page.encoding.activated.emit(0)
    assert list(page.table.df.columns) == gb_header


def test_multilabel_task_detects_columns_and_counts_labels(window, qtbot):
    assert window.open_data(str(samples_dir() / "support_tickets_multilabel.csv"))
    window.wizard.go_next()
    task = window.wizard.task_page
    task.set_task("multilabel")
    assert set(task.combos) == {"text", "label"}
    assert task.combos["label"].currentText() == "topics"
    assert task.is_complete() and task.resolved_columns.get("label_sep") in (";", "|")
    assert len(task.chart.counts) >= 2
    assert window.wizard.build_config().task == "multilabel"


def test_separate_eval_file_is_validated(window, qtbot, tmp_path):
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    window.wizard.go_next()
    task = window.wizard.task_page
    task.eval_file_radio.setChecked(True)
    assert not task.is_complete() and "evaluation file" in task.error.text()
    bad = tmp_path / "eval.csv"
    bad.write_text("text,sentiment\nnice,positive\nugh,furious\n", encoding="utf-8")
    task.eval_path.setText(str(bad))
    task.validate()
    assert not task.is_complete() and "not seen in training" in task.error.text()
    task.eval_split.setChecked(True)
    assert task.is_complete()


def test_drop_a_csv_on_the_window_opens_it_in_the_wizard(window, qtbot):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(samples_dir() / "reviews.csv"))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.current_page() == "train"
    assert window.wizard.data_page.path.name == "reviews.csv"


def test_every_interactive_widget_has_an_object_name(window):
    from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QAbstractSpinBox, QComboBox, QLineEdit,
                                   QListWidget, QTableView)

    qt_internal_parents = (QComboBox, QAbstractSpinBox, QLineEdit, QAbstractScrollArea)
    missing = []
    for cls in (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QTableView, QListWidget):
        for w in window.findChildren(cls):
            if w.objectName() or isinstance(w.parent(), qt_internal_parents):
                continue          # parts Qt builds inside a composite widget
            missing.append(f"{type(w).__name__} '{getattr(w, 'text', lambda: '')()}'")
    assert not missing, missing


def test_recent_files_are_kept_in_isolated_settings(window, isolated_settings):
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    window.go("home")
    items = [window.home.recent_files.item(i).toolTip() for i in range(window.home.recent_files.count())]
    assert str(samples_dir() / "reviews.csv") in items
    assert list(isolated_settings.rglob("*.ini"))


def test_model_name_follows_the_data_file_and_never_names_an_existing_model(window, qtbot, tmp_path):
    from bertdesk.core.workspace import models_dir

    from .helpers import click

    wiz = window.wizard
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    click(qtbot, wiz.next)
    click(qtbot, wiz.next)                                   # -> model page
    first = wiz.model_page.name.text()
    assert first.startswith("reviews-classify-")
    (models_dir() / first).mkdir(parents=True)               # a model of that name now exists
    other = tmp_path / "tickets.csv"
    other.write_text("text,label\n" + "".join(f"text number {i},{'ab'[i % 2]}\n" for i in range(40)),
                     encoding="utf-8")
    assert window.open_data(str(other))                      # back to step 1 with another file
    click(qtbot, wiz.next)
    click(qtbot, wiz.next)
    second = wiz.model_page.name.text()
    assert second.startswith("tickets-classify-")
    assert wiz.model_page.problem() == "" and wiz.next.isEnabled()
    wiz.model_page.name.setText("my own name")               # a name the user typed is kept
    click(qtbot, wiz.back)
    click(qtbot, wiz.next)
    assert wiz.model_page.name.text() == "my own name"
    assert not (models_dir() / second).exists() and second != first


def test_presets_give_small_sheets_enough_steps_and_leave_large_ones_alone(window, qtbot, tmp_path):
    from bertdesk.core.config import MAX_EPOCHS, MIN_STEPS

    from .helpers import click

    wiz = window.wizard

    def settings_for(path):
        assert window.open_data(str(path))
        for _ in range(3):
            click(qtbot, wiz.next)
        assert wiz.current() is wiz.settings_page
        return wiz.settings_page

    big = tmp_path / "big.csv"
    big.write_text("text,label\n" + "".join(f"review number {i} here,{'ab'[i % 2]}\n" for i in range(4000)),
                   encoding="utf-8")
    page = settings_for(big)                       # 3,200 training rows: 200 steps an epoch
    assert page.preset.currentText() == "balanced" and page.epochs.value() == 3.0

    page = settings_for(samples_dir() / "reviews.csv")   # 240 training rows: 15 steps an epoch
    assert page.preset.currentText() == "balanced"
    assert page.epochs.value() == 10.0 == min(MAX_EPOCHS, -(-MIN_STEPS // 15))
    assert page.values()["epochs"] == 10.0
    page.epochs.setValue(4.0)                      # the user's own choice is theirs: shown as custom
    assert page.preset.currentText() == "custom"
    page.preset.setCurrentText("thorough")
    assert page.epochs.value() == 10.0 and page.lr.value() == 3e-5


def test_long_texts_can_be_cut_instead_of_windowed(window, qtbot, tmp_path):
    from .helpers import click

    wiz = window.wizard
    sheet = tmp_path / "long.csv"
    long_text = "the service was slow and the food was cold " * 40            # ~380 tokens
    rows = [f'"{long_text if i % 4 == 0 else "fine place"}",{"ab"[i % 2]}\n' for i in range(200)]
    sheet.write_text("text,label\n" + "".join(rows), encoding="utf-8")
    assert window.open_data(str(sheet))
    for _ in range(3):
        click(qtbot, wiz.next)
    page = wiz.settings_page
    assert page.long_text.isEnabled() and page.values()["long_text"] == "window"
    assert "About 25% of the texts are longer than 128 tokens" in page.long_text_note.text()
    windowed = page.estimate_seconds()
    page.long_text.setCurrentIndex(page.long_text.findData("truncate"))
    assert page.estimate_seconds() < windowed
    assert wiz.build_config().long_text == "truncate"

    assert window.open_data(str(samples_dir() / "product_faq_qa.csv"))
    for _ in range(3):
        click(qtbot, wiz.next)
    assert wiz.current() is page
    assert not page.long_text.isEnabled() and wiz.build_config().long_text == "window"
