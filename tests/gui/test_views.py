"""Views on their own: the predictions table at 100k rows, the Models page, the smoke start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QModelIndex, Qt

from bertdesk.gui.views.table_model import PredictionsFilter, PredictionsModel

REPO = Path(__file__).resolve().parents[2]


def _predictions(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    labels = np.array(["positive", "neutral", "negative"])
    true = labels[rng.integers(0, 3, n)]
    pred = np.where(rng.random(n) < 0.8, true, labels[rng.integers(0, 3, n)])
    return pd.DataFrame({"row": np.arange(n) + 2, "text": [f"review number {i} about a kettle" for i in range(n)],
                         "true": true, "predicted": pred, "confidence": rng.random(n).round(4),
                         "correct": true == pred})


def test_predictions_table_is_fast_and_filters_right_on_100k_rows(qapp):
    df = _predictions(100_000)
    model = PredictionsModel()
    t0 = time.perf_counter()
    model.set_frame(df)
    proxy = PredictionsFilter()
    proxy.setSourceModel(model)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in range(0, 100_000, 50):                 # 2,000 rows x 6 columns, as repaints would ask
        for c in range(6):
            model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
    data_s = time.perf_counter() - t0
    assert data_s < 0.5, data_s
    assert load_s < 5, load_s

    t0 = time.perf_counter()
    proxy.sort(model.column_index("confidence"), Qt.SortOrder.DescendingOrder)
    sort_s = time.perf_counter() - t0
    first = float(proxy.index(0, model.column_index("confidence")).data())
    assert first == pytest.approx(df["confidence"].max(), abs=1e-4)
    assert sort_s < 3, sort_s

    t0 = time.perf_counter()
    proxy.set_filters(errors_only=True)
    assert proxy.rowCount() == int((~df["correct"]).sum())
    proxy.set_filters(errors_only=False, search="Number 4242 about")
    assert proxy.rowCount() == 1
    assert proxy.index(0, model.column_index("text")).data() == "review number 4242 about a kettle"
    proxy.set_filters(search="", cell=("positive", "negative"))
    assert proxy.rowCount() == int(((df["true"] == "positive") & (df["predicted"] == "negative")).sum())
    proxy.set_filters(cell=None, label="neutral", below=0.5)
    expected = ((df["true"] == "neutral") | (df["predicted"] == "neutral")) & (df["confidence"] < 0.5)
    assert proxy.rowCount() == int(expected.sum())
    filter_s = time.perf_counter() - t0
    assert filter_s < 10, filter_s
    print(f"100k rows: load {load_s:.2f} s, 12k data() {data_s:.3f} s, sort {sort_s:.2f} s, 5 filters {filter_s:.2f} s")
    assert model.rowCount(QModelIndex()) == 100_000


def test_models_page_lists_renames_and_deletes(window, qtbot, workspace, dialogs, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    folder = workspace / "models" / "my-model"
    folder.mkdir(parents=True)
    (folder / "bertdesk.json").write_text(json.dumps({
        "task": "classify", "created": "2026-11-02T10:00:00+00:00", "task_config": {"labels": ["a", "b"]},
        "metrics": {"accuracy": 0.875}}), encoding="utf-8")
    (workspace / "models" / "half.run").mkdir()          # an unfinished run is not a model
    window.go("models")
    page = window.models
    assert page.paths == [folder]
    assert page.table.item(0, 2).text() == "accuracy 0.875"
    page.select(folder)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("renamed", True)))
    page.rename_selected()
    assert page.paths == [workspace / "models" / "renamed"]
    page.select(page.paths[0])
    dialogs.answer = QMessageBox.StandardButton.No
    page.delete_selected()
    assert (workspace / "models" / "renamed").exists()
    dialogs.answer = QMessageBox.StandardButton.Yes
    page.delete_selected()
    assert not (workspace / "models" / "renamed").exists() and page.paths == []
    assert len(dialogs.questions) == 2


def test_smoke_start_prints_json_and_loads_no_torch(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BERTDESK_WORKSPACE": str(tmp_path / "ws"),
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}   # never the user's settings
    out = subprocess.run([sys.executable, "-c", "import sys; from bertdesk.gui.app import run; "
                          "sys.exit(run(['bertdesk', '--smoke']))"],
                         capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
    assert out.returncode == 0, out.stderr
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    info = json.loads(line)
    assert info["ok"] is True and len(info["pages"]) == 6
    assert "torch" not in info["heavy_modules_loaded"] and "transformers" not in info["heavy_modules_loaded"]


def test_heatmap_canvas_paints_cells_and_reports_the_cell_under_the_mouse(qtbot):
    import numpy as np
    from PySide6.QtCore import QPoint

    from bertdesk.gui.views.heatmap import HeatmapCanvas, viridis_lut

    canvas = HeatmapCanvas()
    qtbot.addWidget(canvas)
    n = 128
    matrix = np.zeros((n, n), dtype=np.float32)
    matrix[5, 7] = 1.0                                   # one bright cell
    canvas.set_data(matrix, [f"t{i}" for i in range(n)], "layer 0", side=2268)
    canvas.show()
    plot = canvas.plot_rect()
    cell = plot.width() / n
    assert plot.width() == plot.height() and cell >= 16
    image = canvas.grab().toImage()
    bright = image.pixelColor(int(plot.left() + 7.5 * cell), int(plot.top() + 5.5 * cell))
    dark = image.pixelColor(int(plot.left() + 2.5 * cell), int(plot.top() + 2.5 * cell))
    top, bottom = viridis_lut()[255], viridis_lut()[0]
    assert (bright.red(), bright.green(), bright.blue()) == tuple(int(v) for v in top)
    assert (dark.red(), dark.green(), dark.blue()) == tuple(int(v) for v in bottom)
    seen = []
    canvas.hovered.connect(lambda q, k: seen.append((q, k)))
    qtbot.mouseMove(canvas, QPoint(int(plot.left() + 7.5 * cell), int(plot.top() + 5.5 * cell)))
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[-1] == (5, 7)
    assert canvas.cell_at(QPoint(plot.left() - 5, plot.top())) is None


def test_attention_view_shows_nothing_of_the_previous_model(qtbot, tmp_path, tiny_model_dir):
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train
    from bertdesk.gui.views.attention_view import IDLE_TEXT, AttentionView
    from tests.conftest import write_sentiment_csv

    from .helpers import TIMEOUT_MS

    models = []
    for name in ("first", "second"):
        csv = write_sentiment_csv(tmp_path / f"{name}.csv")
        train(TrainConfig(train_file=str(csv), model=str(tiny_model_dir), out_dir=str(tmp_path / name),
                          epochs=1, batch_size=8, max_length=32))
        models.append(str(tmp_path / name))
    view = AttentionView()
    qtbot.addWidget(view)
    view.mode.setCurrentIndex(view.mode.findData("attention"))
    view.set_model(models[0])
    view.try_text.setText("great product, works well")
    with qtbot.waitSignal(view.shown, timeout=TIMEOUT_MS):
        view.try_button.click()
    assert view.prediction.text().startswith("Prediction:") and view.matrix is not None
    assert view.export_button.isEnabled()

    view.set_model(models[1])
    assert view.prediction.text() == IDLE_TEXT
    assert view.try_text.text() == "" and view.matrix is None and view.result is None
    assert not view.export_button.isEnabled() and view.scroll.widget() is view.placeholder

    # a result still in flight for the first model is dropped when it arrives after the switch
    view.set_model(models[0])
    view.show_text("terrible, broke at once")
    view.set_model(models[1])
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=TIMEOUT_MS)
    qtbot.wait(50)
    assert view.result is None and view.prediction.text() == IDLE_TEXT

    # the same for the word attributions
    view.mode.setCurrentIndex(view.mode.findData("attribution"))
    view.set_model(models[0])
    view.show_text("terrible, broke at once")
    view.set_model(models[1])
    qtbot.waitUntil(lambda: not view.attribution.runner.busy, timeout=TIMEOUT_MS)
    qtbot.wait(50)
    assert view.attribution.current() is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_qt_calls_and_item_models_never_drain_the_references_of_none(qapp, tmp_path):
    """PySide6 6.12.0 drops a reference to None on every void call (setText, processEvents) and on
    every None a Python model's data() gives C++; on Python 3.11 the app then dies with
    'deallocating None' after minutes of use. The pinned version must not."""
    from PySide6.QtWidgets import QApplication, QLabel

    from bertdesk.core.review import ReviewSheet
    from bertdesk.gui.views.review_table import ReviewModel
    from bertdesk.gui.views.table_model import DataFrameModel

    label = QLabel("x")
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("y")
        QApplication.processEvents()
    assert sys.getrefcount(None) >= before - 50, "void Qt calls drain None"
    df = _predictions(40)
    df[["text", "true"]].to_csv(tmp_path / "sheet.csv", index=False)
    review = ReviewModel("Suggested", "Score")
    review.set_rows(ReviewSheet.open(tmp_path / "sheet.csv", "text", "true"), list(range(40)), ["x"] * 40, [0.5] * 40)
    for model in (DataFrameModel(df), PredictionsModel(df), review):
        before = sys.getrefcount(None)
        for role in range(0, 30):          # through C++: QModelIndex.data calls the Python override
            for r in range(model.rowCount()):
                for c in range(model.columnCount()):
                    model.index(r, c).data(role)
        assert sys.getrefcount(None) >= before - 50, type(model).__name__


def test_deleting_a_model_moves_it_to_the_trash_and_undo_brings_it_back(window, workspace, dialogs):
    folder = workspace / "models" / "keep-me"
    folder.mkdir(parents=True)
    (folder / "bertdesk.json").write_text(json.dumps({
        "task": "classify", "created": "2026-11-02T10:00:00+00:00", "task_config": {"labels": ["a", "b"]},
        "metrics": {"accuracy": 0.9}}), encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    window.go("models")
    page = window.models
    page.select(folder)
    page.delete_selected()
    assert not folder.exists() and page.paths == [] and page.undo_button.isVisibleTo(page)
    where = page.trashed[1]
    assert where.exists() and "moved to the trash" in page.status.text()
    assert page.undo_delete()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine" and page.paths == [folder]
    assert not page.undo_button.isVisibleTo(page)
