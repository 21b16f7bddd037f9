"""The whole path a user takes: open the sample, train, read the results, label new data, export."""

from __future__ import annotations

import pandas as pd

from bertdesk.core.workspace import samples_dir

from .helpers import TIMEOUT_MS, click


def test_wizard_train_results_attention_label_export(window, qtbot, tiny_model_dir, workspace, tmp_path, dialogs):
    wiz = window.wizard
    assert window.open_data(str(samples_dir() / "reviews.csv"))
    assert window.current_page() == "train"
    data = wiz.data_page
    assert data.table is not None and data.preview_model.rowCount() == 200
    assert data.encoding.currentText() == "utf-8" and data.delimiter.currentData() == ","
    assert not data.error.isVisible()
    click(qtbot, wiz.next)

    task = wiz.task_page
    assert task.combos["text"].currentText() == "text"
    assert task.combos["label"].currentText() == "sentiment"
    assert sum(task.chart.counts.values()) == 300 and set(task.chart.counts) == {"positive", "neutral", "negative"}
    assert "240 for training, 60 for evaluation" in task.summary.text()
    click(qtbot, wiz.next)

    model = wiz.model_page
    assert model.bundled.isChecked()
    model.folder.setChecked(True)
    model.folder_path.setText(str(tiny_model_dir))
    model.name.setText("reviews-test")
    click(qtbot, wiz.next)

    settings = wiz.settings_page
    settings.preset.setCurrentText("quick")
    # 240 training rows: 15 steps an epoch, so 10 epochs reach the 150-step minimum
    assert settings.epochs.value() == 10.0 and settings.max_length.value() == 64
    settings.epochs.setValue(1.0)                   # the tiny model learns nothing anyway: keep it short
    assert "Estimated training time" in settings.estimate.text()
    assert wiz.next.text().startswith("Train")
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        click(qtbot, wiz.next)

    out_dir = workspace / "models" / "reviews-test"
    assert (out_dir / "bertdesk.json").exists()
    assert window.current_page() == "results"
    assert wiz.train_page.progress.value() == 100
    assert wiz.train_page.curves.train, "the loss curve got points"
    results = window.results
    assert not dialogs.errors
    assert "cardValue_accuracy" in [c.value.objectName() for c in results.cards.values()]
    assert results.confusion.matrix.sum() == 60
    assert results.model.rowCount() == 60 and results.proxy.rowCount() == 60

    # a confusion-matrix cell filters the table to exactly those rows
    labels = results.confusion.labels
    i, j = divmod(int(results.confusion.matrix.argmax()), len(labels))
    results.confusion.cellClicked.emit(labels[i], labels[j])
    assert results.proxy.rowCount() == results.confusion.matrix[i, j]
    results.filter_cell(None, None)
    results.errors_only.setChecked(True)
    assert results.proxy.rowCount() == int((~results.model.df["correct"]).sum())
    results.errors_only.setChecked(False)

    # selecting a row explains it: its words coloured by attribution, the top words named
    att = results.attention
    assert att.mode_key() == "attribution"
    with qtbot.waitSignal(att.shown, timeout=TIMEOUT_MS):
        results.select_row(0)
    explained = att.attribution.current()
    shown_text = str(results.model.df["text"].iloc[results.model.record(0)])
    assert explained["text"] == shown_text and explained["words"]
    assert att.attribution.top.text().startswith("<b>Towards “")
    html = att.attribution.export("html", str(tmp_path / "why.html"))
    assert html and "<span title=" in (tmp_path / "why.html").read_text(encoding="utf-8")
    assert att.attribution.export("image", str(tmp_path / "why.svg"))
    assert (tmp_path / "why.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    # the attention map of the same row: tokens on both axes
    with qtbot.waitSignal(att.shown, timeout=TIMEOUT_MS):
        att.mode.setCurrentIndex(att.mode.findData("attention"))
    words = att.result["words"]          # whole words by default: rows still sum to 1
    assert att.labels() == words and att.matrix.shape == (len(words), len(words)) and words[0] == "[CLS]"
    assert abs(att.matrix.sum(1) - 1).max() < 1e-5
    att.whole_words.setChecked(False)
    n = len(att.result["tokens"])
    assert att.matrix.shape == (n, n) and att.result["tokens"][0] == "[CLS]" and n >= len(words)
    assert att.layer.count() == 2 and att.head.count() == 2 + 2
    att.head.setCurrentIndex(1)                      # rollout
    assert att.selection() == (None, "rollout")
    assert "→" in att.describe_cell(0, 1)
    png = att.export_png(str(tmp_path / "att.png"))
    assert png and (tmp_path / "att.png").stat().st_size > 1000

    # label new data with the model just trained, export, compare with the input
    window.go("label")
    page = window.label
    assert page.model_dir() == str(out_dir)
    assert page.open_file(samples_dir() / "reviews_to_label.csv")
    assert page.column_combos["text"].currentText() == "text"
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        click(qtbot, page.run_button)
    assert page.export_button.isEnabled() and page.unsaved()
    out = tmp_path / "labeled.csv"
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        assert page.export(str(out))
    assert not page.unsaved() and "Saved" in page.status.text()
    source = pd.read_csv(samples_dir() / "reviews_to_label.csv", dtype=str, keep_default_na=False)
    labeled = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert labeled.columns.tolist()[:len(source.columns)] == source.columns.tolist()
    assert "pred_label" in labeled.columns
    assert labeled["id"].tolist() == source["id"].tolist()
    assert set(labeled.loc[source["text"].str.strip() != "", "pred_label"]) <= {"positive", "neutral", "negative"}

    # again in the fast mode: checked on the evaluation rows first, then used or refused, said in words
    page.fast_check.setChecked(True)
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        click(qtbot, page.run_button)
    assert page.result["rows"] == len(source)
    assert "Fast mode onnx-int8 on" in page.status.text() or "Fast mode onnx-int8 refused" in page.status.text()
    assert (out_dir / "fast" / "onnx-int8.json").is_file()

    # another file: the last run's progress and predictions are gone, nothing to export yet
    assert page.progress.value() == 100
    assert page.open_file(samples_dir() / "reviews.csv")
    assert page.progress.value() == 0 and page.result is None and not page.export_button.isEnabled()

    # the Models page lists the new model
    window.go("models")
    assert window.models.paths == [out_dir]
    assert window.models.table.item(0, 1).text() == "classify"
    assert not dialogs.errors
