"""The Models page as a run table: it survives a restart, sorts by metric, compares two runs and
exports a model."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bertdesk.core.config import TrainConfig
from bertdesk.core.training import train

from .helpers import TIMEOUT_MS


def _two_runs(workspace, tmp_path, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=80)
    for name, epochs in (("short", 0.2), ("longer", 2.0)):
        train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(workspace / "models" / name),
                          epochs=epochs, batch_size=8, patience=None))


def test_runs_are_listed_after_a_restart_sorted_compared_and_exported(window, qtbot, workspace, tmp_path,
                                                                      tiny_model_dir, dialogs):
    from bertdesk.gui.main_window import MainWindow

    _two_runs(workspace, tmp_path, tiny_model_dir)
    window.close()
    again = MainWindow()                          # a new window reads the history from the workspace
    qtbot.addWidget(again)
    again.show()
    again.go("models")
    page = again.models
    assert sorted(p.name for p in page.paths) == ["longer", "short"]
    page.table.sortItems(2, Qt.SortOrder.DescendingOrder)        # by metric, best first
    values = [page.table.item(r, 2).data(Qt.ItemDataRole.UserRole + 1) for r in range(2)]
    assert values == sorted(values, reverse=True)

    page.table.selectAll()
    assert page.buttons["compare"].isEnabled() and not page.buttons["open"].isEnabled()
    dialog = page.compare_selected()
    assert dialog is not None and dialog.result["a_name"] == "short" and dialog.result["b_name"] == "longer"
    flipped = len(dialog.result["right_to_wrong"]) + len(dialog.result["wrong_to_right"])
    assert dialog.flips.tabText(0).startswith("Right → wrong") and dialog.metrics.rowCount() >= 4
    if flipped:
        key = "right_to_wrong" if dialog.result["right_to_wrong"] else "wrong_to_right"
        dialog.flip_tables[key].setCurrentCell(0, 1)
        assert dialog.detail.text().startswith(f"<b>Row {dialog.result[key][0]['row']}</b>")
    dialog.close()

    page.table.clearSelection()
    page.select(workspace / "models" / "longer")
    with qtbot.waitSignal(again.runner.finished, timeout=TIMEOUT_MS):
        assert page.export_selected("onnx", str(tmp_path))
    assert (tmp_path / "longer-onnx" / "model.onnx").is_file()
    assert page.status.text().startswith(f"Exported to {tmp_path / 'longer-onnx'}.")
    assert not dialogs.errors
    again.close()
    again.runner.wait(TIMEOUT_MS)
