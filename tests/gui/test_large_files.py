"""Large data files are read in a worker: the window shows "Reading…" and stays responsive."""

from __future__ import annotations

import pytest

from bertdesk.core.workspace import samples_dir


@pytest.fixture
def everything_is_large(monkeypatch):
    import bertdesk.app.sources as sources
    monkeypatch.setattr(sources, "LARGE_FILE_BYTES", 0)


def test_data_page_reads_large_files_in_the_worker(window, qtbot, everything_is_large):
    page = window.wizard.data_page
    assert window.open_data(str(samples_dir() / "reviews_zh.csv"))
    assert page.table is None and "Reading" in page.info.text()
    assert not window.wizard.next.isEnabled()
    # the user picks another file before the first one is read: the last choice wins
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    qtbot.waitUntil(lambda: page.table is not None and not page.reading, timeout=20_000)
    assert page.table.path.name == "reviews.csv"
    assert page.preview_model.rowCount() == 200 and "300 rows" in page.info.text()
    assert window.wizard.next.isEnabled()


def test_data_page_worker_read_errors_show_inline(window, qtbot, tmp_path, everything_is_large, dialogs):
    import os

    bad = tmp_path / "garbage.csv"
    bad.write_bytes(os.urandom(4096) + b"\x00" * 64)
    page = window.wizard.data_page
    assert window.open_data(str(bad))               # started
    qtbot.waitUntil(lambda: not page.error.isHidden(), timeout=20_000)
    assert "binary" in page.error.text() and page.table is None and not dialogs.errors


def test_label_page_reads_large_files_in_the_worker(window, qtbot, everything_is_large):
    page = window.label
    assert page.open_file(samples_dir() / "reviews_to_label.csv")
    assert page.table is None and "Reading" in page.status.text()
    qtbot.waitUntil(lambda: page.table is not None, timeout=20_000)
    assert page.preview_model.rowCount() > 0 and "rows" in page.status.text()
    assert page.column_combos == {} and not page.run_button.isEnabled()     # no model yet: nothing to pick


def test_task_page_checks_large_files_in_the_worker(window, qtbot, everything_is_large):
    wiz = window.wizard
    page = wiz.task_page
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    qtbot.waitUntil(lambda: wiz.data_page.table is not None and not wiz.data_page.reading, timeout=20_000)
    wiz.go_next()                                            # -> task & columns: checked in the worker
    assert wiz.current() is page
    assert page.checking and "Checking" in page.summary.text() and not wiz.next.isEnabled()
    qtbot.waitUntil(lambda: not page.checking, timeout=20_000)
    assert page.is_complete() and wiz.next.isEnabled() and "300 usable" in page.summary.text()
    # a problem found in the worker shows inline, and a later change wins over an earlier one
    page.combos["label"].setCurrentText(page.combos["text"].currentText())
    page.combos["label"].setCurrentText("product")
    qtbot.waitUntil(lambda: not page.checking, timeout=20_000)
    assert page.is_complete() and "labels" in page.summary.text()
    page.combos["label"].setCurrentText(page.combos["text"].currentText())
    qtbot.waitUntil(lambda: not page.checking, timeout=20_000)
    assert not page.is_complete() and "chosen twice" in page.error.text() and not wiz.next.isEnabled()
