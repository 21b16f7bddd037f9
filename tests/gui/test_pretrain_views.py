"""Adapting the model to the sheet's text from the wizard, then the fill-in-the-blank probe on Results."""

from __future__ import annotations


from .helpers import TIMEOUT_MS, click, setup_training


def test_adapt_then_fine_tune_from_the_wizard_and_probe_the_adapted_model(window, qtbot, workspace, tmp_path,
                                                                         tiny_model_dir, dialogs):
    from bertdesk.core.model_folder import open_folder
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=60)
    wiz = setup_training(window, qtbot, sheet, tiny_model_dir)
    wiz.go_back()                                          # back to the model step
    model_page = wiz.model_page
    model_page.adapt.setChecked(True)
    assert model_page.adapt_note.text().startswith("One pass over 60 texts: about")
    model_page.name.setText("adapted-run")
    click(qtbot, wiz.next)
    assert "adapting the model to your text" in wiz.settings_page.estimate.text()
    assert wiz.build_config().adapt_first
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        click(qtbot, wiz.next)
    adapted = workspace / "models" / "adapted-run-adapted"
    assert open_folder(adapted).meta["task"] == "mlm"
    assert open_folder(workspace / "models" / "adapted-run").config.model == str(adapted)
    log = wiz.train_page.log.toPlainText()
    assert "Adapting the model to 60 texts" in log and "no masked-language-model head" in log

    results = window.results
    window.show_results(str(adapted))
    qtbot.waitUntil(lambda: "fills in masked words" in results.status.text(), timeout=TIMEOUT_MS)
    assert results.detail.currentWidget() is results.fill_mask and not results.preds_panel.isVisible()
    assert "masked_accuracy" in results.cards and "before training" in results.cards["masked_accuracy"].note.text()
    # the fine-tuned model's cards are gone, not left under the new ones
    shown = [c for c in results.findChildren(type(results.cards["masked_accuracy"])) if c.isVisible()]
    assert len(shown) == len(results.cards) + 1 and "accuracy" not in results.cards
    probe = results.fill_mask
    probe.text.setText("the lamp is great")
    probe.text.setSelection(12, 5)                      # "great"
    probe.mask_selection()
    assert probe.text.text() == "the lamp is [MASK]"
    with qtbot.waitSignal(probe.filled, timeout=TIMEOUT_MS):
        probe.fill()
    assert probe.table.rowCount() == 10 and probe.status.text().startswith("Most likely:")
    assert not dialogs.errors
