"""Explanations in the app: Try-it shows the word attributions; the Label page adds top_words."""

from __future__ import annotations

from bertdesk.core.config import TrainConfig
from bertdesk.core.training import train

from .helpers import TIMEOUT_MS


def test_try_it_explains_and_labeling_adds_top_words(window, qtbot, workspace, tmp_path, tiny_model_dir, dialogs):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=40)
    model = workspace / "models" / "m"
    train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(model), epochs=1,
                      patience=None))
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        window.show_results(str(model))
    view = window.results.attention
    view.try_text.setText("the backpack is useless")
    with qtbot.waitSignal(view.shown, timeout=TIMEOUT_MS):
        view.try_button.click()
    e = view.attribution.current()
    assert [w["word"] for w in e["words"]] == ["the", "backpack", "is", "useless"]
    assert view.prediction.text().startswith(f"Prediction: {e['target']}")
    assert view.attribution.canvas.word_at(view.attribution.canvas._boxes[0][0].center())["word"] == "the"

    window.go("label")
    page = window.label
    src = tmp_path / "new.csv"
    src.write_text("text\nthe lamp is great\nbroke on day one\n", encoding="utf-8")
    page.refresh_models(select=str(model))
    assert page.open_file(src)
    page.explain_check.setChecked(True)
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        page.run()
    preview = page.result["preview"]
    assert list(preview.columns)[-1] == "top_words" and len(preview) == 2
    assert not dialogs.errors


def test_the_predictions_table_keeps_room_for_its_text_at_1280_pixels(window, qtbot, workspace, tmp_path,
                                                                       tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=40)
    model = workspace / "models" / "m"
    train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(model), epochs=1,
                      patience=None))
    window.resize(1280, 860)
    window.show()
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        window.show_results(str(model))
    page = window.results
    # the explanation panel (either view, the attention map's controls too) must not claim the row
    assert page.detail.minimumSizeHint().width() <= 520
    page.attention.mode.setCurrentIndex(page.attention.mode.count() - 1)
    qtbot.wait(50)
    assert page.detail.minimumSizeHint().width() <= 520
    text_col = page.model.column_index(page.proxy.roles["text"])
    assert page.table.columnWidth(text_col) >= 200, page.table.columnWidth(text_col)
