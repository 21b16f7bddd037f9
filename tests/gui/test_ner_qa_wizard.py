"""NER and QA in the wizard: CoNLL and SQuAD files, token/tag and context/question/answer columns."""

from __future__ import annotations

import json

from bertdesk.core.workspace import samples_dir

from .helpers import click


def test_conll_file_opens_with_sentence_preview_and_selects_ner(window, qtbot):
    wiz = window.wizard
    assert window.open_data(str(samples_dir() / "news_ner.conll"))
    data = wiz.data_page
    assert not data.error.isVisible()
    assert data.preview_model.headers[-2:] == ["tokens", "tags"]
    assert "sentences" in data.info.text() and "CONLL" in data.info.text()
    assert data.read_options() == {}
    click(qtbot, wiz.next)
    task = wiz.task_page
    assert task.choice.name == "ner"
    assert not task.task_group.button(0).isEnabled()          # classify makes no sense for CoNLL
    assert task.format_note.isVisible() and not task.combos
    assert not task.error.isVisible(), task.error.text()
    assert "sentences" in task.summary.text() and "tags" in task.summary.text()
    assert wiz.next.isEnabled()
    assert set(task.chart.counts) >= {"PER", "ORG"}            # entities per type


def test_ner_table_with_token_and_tag_columns_and_inline_mismatch(window, qtbot, tmp_path):
    path = tmp_path / "ner.csv"
    rows = ["words,tags"] + ["Anna lives in Paris,B-PER O O B-LOC", "Bob visits Rome,B-PER O B-LOC"] * 10
    rows.append("one two three,O O")                           # 3 words, 2 tags
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert window.open_data(str(path))
    window.wizard.go_next()
    task = window.wizard.task_page
    assert task.choice.name == "ner"
    assert task.combos["tokens"].currentText() == "words" and task.combos["tags"].currentText() == "tags"
    assert task.error.isVisible() and "3 tokens but 2 tags" in task.error.text()
    assert not window.wizard.next.isEnabled()


def test_qa_csv_columns_are_detected_and_checked(window, qtbot):
    assert window.open_data(str(samples_dir() / "product_faq_qa.csv"))
    wiz = window.wizard
    wiz.go_next()
    task = wiz.task_page
    assert task.choice.name == "qa"
    assert [task.combos[k].currentText() for k in ("context", "question", "answer")] == \
        ["context", "question", "answer"]
    assert not task.error.isVisible(), task.error.text()
    assert "questions" in task.summary.text() and wiz.next.isEnabled()
    task.combos["answer"].setCurrentText("question")           # questions are not in the contexts
    assert task.error.isVisible() and not wiz.next.isEnabled()
    task.combos["answer"].setCurrentText("answer")
    assert not task.error.isVisible() and wiz.next.isEnabled()


def test_squad_json_selects_qa_and_reports_a_single_context(window, qtbot, tmp_path):
    ctx = "The kettle holds 0.8 litres and is made in Estonia."
    squad = {"data": [{"title": "kettle", "paragraphs": [{"context": ctx, "qas": [
        {"id": "1", "question": "How much does it hold?", "answers": [{"text": "0.8 litres", "answer_start": 17}]},
        {"id": "2", "question": "Where is it made?", "answers": [{"text": "Estonia", "answer_start": 43}]},
        {"id": "3", "question": "What is made in Estonia?", "answers": [{"text": "kettle", "answer_start": 4}]},
    ]}]}]}
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(squad), encoding="utf-8")
    assert window.open_data(str(path))
    assert window.wizard.data_page.preview_model.rowCount() == 3
    window.wizard.go_next()
    task = window.wizard.task_page
    assert task.choice.name == "qa" and not task.combos
    assert task.error.isVisible() and "one context" in task.error.text()


def test_home_offers_the_ner_and_qa_samples(window, qtbot):
    from PySide6.QtWidgets import QPushButton

    button = window.home.findChild(QPushButton, "homeSample_news_ner")
    assert button is not None and window.home.findChild(QPushButton, "homeSample_product_faq_qa") is not None
    click(qtbot, button)
    assert window.current_page() == "train"
    assert window.wizard.data_page.table.format == "conll"
