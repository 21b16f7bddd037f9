"""Results shows the baseline beside the main metric, the warnings about a degenerate model, and
the reliability diagram."""

from __future__ import annotations


from bertdesk.core.config import TrainConfig
from bertdesk.core.training import train

from .helpers import TIMEOUT_MS


def test_a_model_that_only_knows_the_majority_is_shown_as_such(window, qtbot, tiny_model_dir, workspace, tmp_path):
    # 90 % of the rows say "pos": a tiny model trained for one step answers "pos" for everything
    rows = ["text,label"] + [f"item {i} is fine,pos" for i in range(90)] + [f"item {i} broke,neg" for i in range(10)]
    sheet = tmp_path / "skewed.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = workspace / "models" / "skewed"
    result = train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(model), epochs=0.1,
                               batch_size=8, patience=None, eval_fraction=0.3))
    assert result.metrics["warnings"], "the core says what is wrong"
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        window.show_results(str(model))
    results = window.results
    note = results.cards["accuracy"].note
    assert note.isVisible() and note.text() == f"baseline {result.metrics['baseline']['accuracy']:.1%}: always “pos”"
    assert results.warnings.isVisible() and results.warnings.text().startswith("⚠ The model ")
    qtbot.waitUntil(lambda: results.reliability.report is not None, timeout=5000)
    assert results.reliability.isVisible()
    assert results.reliability.report["ece"] == result.metrics["ece"]


def test_an_imbalanced_sheet_turns_class_weights_on(window, qtbot, tiny_model_dir, tmp_path):
    from .helpers import setup_training

    rows = ["text,label"] + [f"item {i} is fine,pos" for i in range(90)] + [f"item {i} broke,neg" for i in range(10)]
    sheet = tmp_path / "skewed.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    wiz = setup_training(window, qtbot, sheet, tiny_model_dir)
    note = wiz.task_page.imbalance_note
    assert note.isVisibleTo(wiz.task_page) and note.text().startswith("“pos” has 9 times the rows of “neg”")
    settings = wiz.settings_page
    assert settings.class_weights.isChecked() and wiz.build_config().class_weights == "auto"
    settings.class_weights.setChecked(False)
    assert wiz.build_config().class_weights == "none"
