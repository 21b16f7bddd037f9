"""Results and labeling for NER and QA models trained through the wizard (tiny model)."""

from __future__ import annotations

import json

from bertdesk.core.workspace import samples_dir
from bertdesk.gui.views.spans_view import GOLD_COLOR, answers_html, entities_html

from .helpers import TIMEOUT_MS, setup_training


def _head_conll(path, dest, sentences=80):
    blocks = path.read_text(encoding="utf-8").split("\n\n")[:sentences + 1]
    dest.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return dest


def _head_csv(path, dest, rows=60):
    import pandas as pd
    pd.read_csv(path, dtype=str, keep_default_na=False).head(rows).to_csv(dest, index=False)
    return dest


def _train(window, qtbot, path, model_dir, name):
    wiz = setup_training(window, qtbot, path, model_dir)
    wiz.model_page.name.setText(name)
    with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
        wiz.go_next()
    return window.results


def test_ner_results_show_entity_metrics_types_errors_and_inline_entities(window, qtbot, tiny_model_dir,
                                                                         workspace, tmp_path, dialogs):
    data = _head_conll(samples_dir() / "news_ner.conll", tmp_path / "news.conll")
    results = _train(window, qtbot, data, tiny_model_dir, "news-ner")
    assert not dialogs.errors
    assert set(results.cards) == {"f1", "precision", "recall", "token_accuracy"}
    meta = json.loads((workspace / "models" / "news-ner" / "bertdesk.json").read_text())
    types = sorted(meta["metrics"]["per_type"])
    breakdown = results.ner_breakdown
    assert results.top_stack.currentWidget() is breakdown and results.top.isVisible()
    assert [breakdown.table.item(r, 0).text() for r in range(breakdown.table.rowCount())] == types
    for key in ("missed", "spurious", "wrong_type", "wrong_boundary"):
        assert f"<b>{meta['metrics']['errors'][key]}</b>" in breakdown.error_labels[key].text()
    assert results.model.rowCount() == meta["n_eval"]
    assert results.detail.currentWidget() is results.span_page
    with qtbot.waitSignal(results.why.explained, timeout=TIMEOUT_MS):
        results.select_row(0)
    html = results.spans.browser.toPlainText()
    # which words made the model find its entities: one explanation per predicted entity, or none
    assert results.why.explanations or "Nothing to explain" in results.why.top.text()
    row = results.model.record(0)
    assert "Gold" in html and "Predicted" in html
    gold = results.details[row]["gold"]
    assert gold, "the first held-out sentence has gold entities"
    start, end, etype = gold[0]
    assert results.details[row]["text"][start:end] in html and etype in html

    # the type filter keeps the sentences with an entity of that type, gold or predicted
    filt = results.label_filter
    assert [filt.itemText(i) for i in range(1, filt.count())] == types and not filt.isHidden()
    for etype in types:
        filt.setCurrentText(etype)
        kept = [results.proxy.mapToSource(results.proxy.index(r, 0)).row() for r in range(results.proxy.rowCount())]
        expected = [r for r, d in enumerate(results.details[results.model.record(i)] for i in range(results.model.rowCount()))
                    if any(t == etype for *_, t in d["gold"] + d["predicted"])]
        assert sorted(kept) == expected and kept
    filt.setCurrentIndex(0)
    assert results.proxy.rowCount() == meta["n_eval"]

    # label raw sentences with the NER model: tags and entities per row
    window.go("label")
    page = window.label
    src = tmp_path / "news_to_label.csv"
    src.write_text("id,text\n1,Anna Berg joined Bluewater Energy in Oslo.\n2,\n3,The fair opens on Monday.\n",
                   encoding="utf-8")
    assert page.open_file(src) and page.column_combos["text"].currentText() == "text"
    assert set(page.column_combos) == {"text"}
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        page.run()
    assert page.result["rows"] == 3
    assert {"pred_tags", "pred_entities"} <= set(page.result["preview"].columns)
    assert len(page.result["preview"]["pred_tags"][0].split()) == 8


def test_qa_results_show_em_f1_predictions_and_highlighted_context(window, qtbot, tiny_model_dir, workspace,
                                                                   tmp_path, dialogs):
    data = _head_csv(samples_dir() / "product_faq_qa.csv", tmp_path / "faq.csv")
    results = _train(window, qtbot, data, tiny_model_dir, "faq-qa")
    assert not dialogs.errors
    assert set(results.cards) == {"exact_match", "f1"}
    meta = json.loads((workspace / "models" / "faq-qa" / "bertdesk.json").read_text())
    # the core reports SQuAD scores on 0-1 like every other metric; the cards show them as percentages
    assert 0 <= meta["metrics"]["f1"] <= 1
    assert results.cards["f1"].value.text() == f"{meta['metrics']['f1']:.1%}"
    assert not results.top.isVisible()
    assert results.model.headers[1:] == ["question", "gold", "predicted", "score", "f1", "correct"]
    assert results.proxy.rowCount() == results.model.rowCount() > 0
    results.errors_only.setChecked(True)
    assert results.proxy.rowCount() == int((~results.model.df["correct"]).sum())
    results.errors_only.setChecked(False)
    results.search.setText(str(results.model.df["question"].iloc[0])[:25])
    results._apply_filters()
    assert 1 <= results.proxy.rowCount() < results.model.rowCount()
    results.search.setText("")
    results._apply_filters()
    with qtbot.waitSignal(results.why.explained, timeout=TIMEOUT_MS):
        results.select_row(0)
    row = results.model.record(0)
    detail = results.details[row]
    # the answer's words explained inside the context
    [why] = results.why.explanations
    assert why["text"] == detail["text"] and why["target"] == str(results.model.df["predicted"].iloc[row])
    text = results.spans.browser.toPlainText()
    assert str(results.model.df["question"].iloc[row]) in text
    assert detail["text"][:30] in text
    assert GOLD_COLOR.lower() in results.spans.browser.toHtml().lower() or detail["predicted"] == detail["gold"]

    # label with context + question columns
    window.go("label")
    page = window.label
    page.refresh_models(select=str(workspace / "models" / "faq-qa"))
    assert page.open_file(data)
    assert page.column_combos["question"].isVisibleTo(page)
    assert page.columns() == {"context": "context", "question": "question"}
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        page.run()
    assert "pred_answer" in page.result["preview"].columns and page.result["rows"] == 60


def test_highlighting_escapes_the_text_and_colours_each_span():
    html = entities_html("<b>Anna</b> & Bob", [(3, 7, "PER"), (13, 16, "PER")], {"PER": "#ffcc80"})
    assert "&lt;b&gt;" in html and "&amp;" in html and "<b>" not in html
    assert html.count("#ffcc80") == 2
    both = answers_html("ab <cd> ef", gold=[(3, 7)], predicted=[(4, 10)])
    assert "&lt;" in both and both.count("background-color") == 3     # gold only, both, predicted only
