"""The Review page in a real window: suspicious labels corrected with the keyboard into the
reviewed copy, rows to label next, undo, and a retraining compared with the model before."""

from __future__ import annotations

import hashlib

import pandas as pd
from PySide6.QtCore import Qt

from bertdesk.core.config import TrainConfig
from bertdesk.core.review import CHANGED, KEPT, LABELED, REVIEWED
from bertdesk.core.training import train

from .helpers import TIMEOUT_MS, click


def _partly_labeled(tmp_path):
    from tests.conftest import write_sentiment_csv

    path = write_sentiment_csv(tmp_path / "sheet.csv", n=80)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[50:, "label"] = ""
    df.to_csv(path, index=False)
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_review_with_the_keyboard_then_retrain(window, qtbot, tiny_model_dir, workspace, tmp_path, dialogs):
    sheet_path = _partly_labeled(tmp_path)
    original = _digest(sheet_path)
    model = workspace / "models" / "sheet-model"
    train(TrainConfig(train_file=str(sheet_path), model=str(tiny_model_dir), out_dir=str(model),
                      frozen_encoder=True, columns={"text": "text", "label": "label"}))

    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        window.show_results(str(model))
    assert window.results.review_button.isVisible()
    page = window.review
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        click(qtbot, window.results.review_button)       # opens the sheet and looks for suspicious labels
    assert window.current_page() == "review"
    assert page.suspect_model.rowCount() == 50 and "labels look wrong" in page.status.text()
    assert page.keys.text().startswith("Keys: <b>1</b> neg  <b>2</b> pos")

    table = page.suspect_table
    assert table.hasFocus() and table.current_view_row() == 0
    first = page.suspect_model.sheet_row(0)
    other = "neg" if page.sheet.label(first) == "pos" else "pos"
    qtbot.keyClick(table, Qt.Key.Key_1 if other == "neg" else Qt.Key.Key_2)     # change the first label
    assert page.sheet.label(first) == other and page.sheet.status(first) == CHANGED
    assert table.current_view_row() == 1
    second = page.suspect_model.sheet_row(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)                                    # keep the second
    assert page.sheet.status(second) == KEPT and table.current_view_row() == 2
    copy = pd.read_csv(page.sheet.copy_path, dtype=str, keep_default_na=False)
    assert copy.loc[first, "label"] == other and copy.loc[second, REVIEWED] == KEPT
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # undo the keep
    assert page.sheet.status(second) == "" and table.current_view_row() == 1
    assert "changed" in page.saved.text() and str(page.sheet.copy_path) in page.saved.text()

    page.tabs.setCurrentIndex(1)
    page.n_rows.setValue(5)
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        click(qtbot, page.suggest_button)
    assert page.next_model.rowCount() == 5
    unlabeled = page.next_model.sheet_row(0)
    assert unlabeled >= 50
    qtbot.keyClick(page.next_table, Qt.Key.Key_2)
    assert page.sheet.label(unlabeled) == "pos" and page.sheet.status(unlabeled) == LABELED
    assert page.next_table.current_view_row() == 1

    assert not page.fine_tune.isChecked()           # 25 labeled rows per label: the frozen head is offered
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        click(qtbot, page.retrain_button)
    new = workspace / "models" / "sheet-model-reviewed"
    assert (new / "bertdesk.json").exists() and window.current_page() == "results"
    card = window.results.cards["accuracy"]
    assert card.delta.isVisible() and "vs sheet-model" in card.delta.text()
    assert "Compared with “sheet-model”" in window.results.status.text()
    assert _digest(sheet_path) == original          # the user's file was never written
    assert not dialogs.errors


def test_a_sheet_with_few_labels_starts_with_the_frozen_head(window, qtbot, tiny_model_dir, workspace, tmp_path,
                                                             dialogs):
    from bertdesk.core.model_folder import open_folder

    from .helpers import setup_training

    sheet = _partly_labeled(tmp_path)
    wiz = setup_training(window, qtbot, sheet, tiny_model_dir)
    assert "30 without a label (left out of training" in wiz.task_page.summary.text()
    settings = wiz.settings_page
    assert settings.method.isVisible() and settings.frozen()
    assert "Only 25 labeled rows" in settings.method_note.text()
    assert not settings.epochs.isEnabled() and "Estimated training time" in settings.estimate.text()
    assert wiz.build_config().frozen_encoder
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        click(qtbot, wiz.next)
    folder = open_folder(wiz.train_page.out_dir)
    assert folder.config.frozen_encoder and folder.meta["task_state"]["pooling"] == "mean"
    settings.method.setCurrentIndex(settings.method.findData("finetune"))      # the user's choice stands
    assert settings.epochs.isEnabled() and not wiz.build_config().frozen_encoder
    assert not dialogs.errors
