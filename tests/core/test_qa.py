"""Extractive QA: reading SQuAD and CSV, doc-stride windows, span decoding, SQuAD metrics."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.core import data as D
from bertdesk.core.errors import DataError
from bertdesk.core.metrics import best_null_threshold, normalize_answer, squad_metrics, squad_scores
from bertdesk.core.models import bundled_model_path, load_tokenizer
from bertdesk.core.tasks import make_task
from bertdesk.core.tasks.qa import QAExamples


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(str(bundled_model_path()))


def _squad(tmp_path, impossible=False):
    data = {"version": "2.0" if impossible else "1.1", "data": [
        {"title": "Kettles", "paragraphs": [{"context": "The Nova kettle holds 1.7 litres and boils in four minutes.",
                                              "qas": [{"id": "q1", "question": "How much does it hold?",
                                                       "answers": [{"text": "1.7 litres", "answer_start": 22}]}]}]},
        {"title": "Lamps", "paragraphs": [{"context": "The Lumo lamp is made in Porto.",
                                            "qas": [{"id": "q2", "question": "Where is it made?",
                                                     "answers": [{"text": "Porto", "answer_start": 25}]},
                                                    {"id": "q3", "question": "Who designed it?", "answers": [],
                                                     "is_impossible": True}]}]}]}
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_read_squad_with_unanswerable(tmp_path):
    ex = make_task("qa").read_examples(_squad(tmp_path), {})
    assert ex.ids == ["q1", "q2", "q3"] and ex.groups == ["Kettles", "Lamps", "Lamps"]
    assert ex.answers[0] == [{"text": "1.7 litres", "start": 22}] and ex.answers[2] == []


@pytest.mark.parametrize("payload,needle", [("[1, 2]", "SQuAD-format"), ("{bad", "not valid JSON"),
                                            ('{"data": [{"paragraphs": [{"qas": []}]}]}', "missing")])
def test_wrong_json_schema(tmp_path, payload, needle):
    path = tmp_path / "x.json"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(DataError, match=needle):
        make_task("qa").read_examples(path, {})


def test_csv_answer_start_found_and_missing_answer_named(tmp_path):
    df = pd.DataFrame({"context": ["Ships in 3 days to Oslo.", "Blue or red."], "question": ["When?", "Colour?"],
                       "answer": ["3 days", "red"]})
    task = make_task("qa")
    ex = task.examples_from_table(D.Table(df, D.Path("qa.csv"), "csv"), {})
    assert ex.answers == [[{"text": "3 days", "start": 9}], [{"text": "red", "start": 8}]]
    df.loc[1, "answer"] = "green"
    with pytest.raises(DataError) as err:
        task.examples_from_table(D.Table(df, D.Path("qa.csv"), "csv"), {})
    assert str(err.value) == "qa.csv, row 3, column 'answer': the answer 'green' is not in its context"


def test_answer_in_the_second_window_is_found_and_decoded(tokenizer):
    task = make_task("qa", max_length=48, stride=16)
    filler = " ".join(f"word{i}" for i in range(60))
    context = filler + " The warranty lasts five years. " + filler
    start = context.index("five years")
    ex = QAExamples(["How long is the warranty?"], [context], [[{"text": "five years", "start": start}]])
    feats = task.encode(tokenizer, ex)
    assert len(feats) > 2
    hits = [i for i, f in enumerate(feats.items) if f["start_positions"] > 0]
    assert hits and hits[0] > 0                               # not in the first window
    misses = [f for f in feats.items if f["start_positions"] == 0]
    assert all(f["end_positions"] == 0 for f in misses)       # windows without it point at [CLS]
    i = hits[0]
    offs = feats.extra["offsets"][i]
    s, e = feats.items[i]["start_positions"], feats.items[i]["end_positions"]
    assert context[offs[s][0]:offs[e][1]] == "five years"
    # logits peaking at the gold tokens of that window decode to the answer text
    outputs = []
    for k, f in enumerate(feats.items):
        out = np.zeros((len(f["input_ids"]), 2))
        if k == i:
            out[s, 0] = out[e, 1] = 10.0
        outputs.append(out)
    pred = task.decode(outputs, feats, ex)[0]
    assert pred["answer"] == "five years" and pred["start"] == start


def test_decoding_never_answers_from_the_question_or_too_long(tokenizer):
    task = make_task("qa", max_answer_tokens=3)
    ex = QAExamples(["what is blue"], ["the sky is blue today and always"])
    feats = task.encode(tokenizer, ex, with_labels=False)
    n = len(feats.items[0]["input_ids"])
    out = np.zeros((n, 2))
    out[1, 0] = out[2, 1] = 50.0         # tokens of the question: must be ignored
    out[5, 0] = 5.0                      # "sky"...
    out[12, 1] = 6.0                     # far away: longer than 3 tokens, must be ignored
    out[7, 1] = 4.0
    pred = task.decode([out], feats, ex)[0]
    assert pred["answer"] in ex.contexts[0] and len(pred["answer"].split()) <= 3


def test_split_keeps_articles_whole(tmp_path):
    task = make_task("qa")
    ex = QAExamples([f"q{i}" for i in range(40)], [f"context {i % 8}" for i in range(40)],
                    [[]] * 40, groups=[f"article {i % 8}" for i in range(40)])
    tr, ev = task.split(ex, 0.25, seed=1)
    assert not set(tr.groups) & set(ev.groups)
    assert len(ev) == 10 and len(tr) == 30


def test_squad_normalisation_and_scores():
    assert normalize_answer("The  Eiffel-Tower!") == "eiffeltower"
    assert squad_scores("the five years", [{"text": "five years"}]) == (1.0, 1.0)
    em, f1 = squad_scores("five long years", [{"text": "five years"}, {"text": "5 years"}])
    assert em == 0.0 and f1 == pytest.approx(0.8)            # P 2/3, R 1 -> F1 0.8
    assert squad_scores("", []) == (1.0, 1.0)                 # unanswerable, no answer given
    m = squad_metrics(["five years", "Paris", ""], [[{"text": "five years"}], [{"text": "Lyon"}], []])
    assert m["exact_match"] == pytest.approx(2 / 3) and m["n_no_answer"] == 1
    assert m["has_answer_f1"] == pytest.approx(0.5) and m["no_answer_accuracy"] == 1.0


def test_null_threshold_is_tuned():
    preds = [{"answer": "Porto", "null_diff": -3.0}, {"answer": "Lisbon", "null_diff": 2.0},
             {"answer": "x", "null_diff": 1.0}]
    answers = [[{"text": "Porto"}], [], []]
    t = best_null_threshold(preds, answers)
    assert -3.0 <= t < 1.0                    # answers the first, abstains on the other two
