"""Integrated gradients for every task: the word scores add up (completeness), the words and their
offsets rebuild the text (CJK and texts longer than one window too), and the CLI and the labeling
column give them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError
from bertdesk.core.explain import explain_text
from bertdesk.core.predictor import Predictor
from bertdesk.core.training import train
from tests.conftest import copy_sample, write_sentiment_csv


def _train(tmp, tiny_model_dir, **kw):
    out = tmp / "model"
    train(TrainConfig(model=str(tiny_model_dir), out_dir=str(out), epochs=1, batch_size=8, patience=None, **kw))
    return Predictor.load(out)


@pytest.fixture(scope="module")
def classifier(tmp_path_factory, tiny_model_dir):
    tmp = tmp_path_factory.mktemp("explain-cls")
    return _train(tmp, tiny_model_dir, train_file=str(write_sentiment_csv(tmp / "s.csv")), max_length=24, stride=6)


def _complete(e, tol=2e-3):
    """The words and the special tokens hold the target's output minus the baseline's, up to delta."""
    total = sum(w["score"] for w in e.words) + e.other
    assert abs(total - (e.output - e.baseline_output)) <= abs(e.delta) + tol, (total, e.output, e.baseline_output)


def _rebuilds(e):
    for w in e.words:
        assert e.text[w["start"]:w["end"]] == w["word"]
    assert [w["start"] for w in e.words] == sorted(w["start"] for w in e.words)


def test_classification_scores_add_up_and_words_rebuild_the_text(classifier):
    [e] = explain_text(classifier, "The kettle is great, honestly")
    assert e.method == "integrated_gradients" and e.target in ("pos", "neg")
    assert [w["word"] for w in e.words] == ["The", "kettle", "is", "great", ",", "honestly"]
    _rebuilds(e)
    _complete(e)
    other = "neg" if e.target == "pos" else "pos"
    [chosen] = explain_text(classifier, "The kettle is great, honestly", target=other)
    assert chosen.target == other
    _complete(chosen)
    with pytest.raises(DataError, match="not one of the model's labels"):
        explain_text(classifier, "fine", target="maybe")


def test_a_text_longer_than_one_window_scores_every_word(classifier):
    text = " ".join(f"word{i}" for i in range(60)) + " and the lamp is terrible"
    assert len(classifier.tokenizer(text)["input_ids"]) > 3 * classifier.task.max_length
    [e] = explain_text(classifier, text)
    assert len(e.words) == 65
    # the first words are only in the first window, the last only in the last: both were attributed
    assert sum(abs(w["score"]) for w in e.words[:5]) > 0 and sum(abs(w["score"]) for w in e.words[-5:]) > 0
    _rebuilds(e)
    _complete(e)


def test_cjk_words_are_characters_or_jieba_words(classifier, monkeypatch):
    import bertdesk.core.words as W

    text = "房间很干净，服务很好 ok"
    monkeypatch.setattr(W, "_jieba", lambda: None)
    [e] = explain_text(classifier, text)
    assert [w["word"] for w in e.words][:3] == ["房", "间", "很"]
    _rebuilds(e)
    _complete(e)
    W._jieba.cache_clear() if hasattr(W._jieba, "cache_clear") else None
    monkeypatch.undo()
    pytest.importorskip("jieba")
    [e] = explain_text(classifier, text)
    assert [w["word"] for w in e.words][:3] == ["房间", "很", "干净"]
    _rebuilds(e)


def test_multilabel_ner_and_qa_targets(tmp_path, tiny_model_dir, samples_dir):
    ml = _train(tmp_path / "ml", tiny_model_dir, task="multilabel",
                train_file=str(samples_dir / "support_tickets_multilabel.csv"), max_train_rows=60, max_length=32)
    found = explain_text(ml, "The charger arrived broken and I was charged twice")
    assert found and all(e.target in ml.task.labels for e in found)
    for e in found:
        _complete(e)
        _rebuilds(e)

    (tmp_path / "ner").mkdir()
    ner = _train(tmp_path / "ner", tiny_model_dir, task="ner", train_file=str(copy_sample("news_ner.conll",
                                                                                         tmp_path / "ner")),
                 max_length=32)
    text = "Ana Lima moved from Lisbon to Paris in 2019 ."
    words = text.split()
    tags = ["B-PER", "I-PER", "O", "O", "B-LOC", "O", "B-LOC", "O", "O", "O"]
    prediction = ner.predict([text])[0]
    entities = ner.task._entities(tags, [0.9] * len(words), text, ner.task.examples_from_texts([text]).offsets[0])
    prediction.update(tags=tags, entities=entities)               # explain the entities asked for
    found = explain_text(ner, text, prediction=prediction)
    assert [e.target for e in found] == ["PER: Ana Lima", "LOC: Lisbon", "LOC: Paris"]
    for e in found:
        _complete(e)
        _rebuilds(e)

    (tmp_path / "qa").mkdir()
    qa = _train(tmp_path / "qa", tiny_model_dir, task="qa", train_file=str(copy_sample("product_faq_qa.csv",
                                                                                        tmp_path / "qa")),
                max_length=64, stride=16)
    context = "The kettle holds 1.7 litres and boils water in about four minutes."
    [e] = explain_text(qa, "How much does it hold?", context)
    assert e.text == context and e.target == qa.predict(["How much does it hold?"], [context])[0]["answer"]
    _complete(e)
    _rebuilds(e)


def test_fewer_steps_are_allowed_and_nonsense_is_refused(classifier):
    [rough] = explain_text(classifier, "great lamp", steps=4)
    _complete(rough, tol=0.05)
    with pytest.raises(DataError, match="steps"):
        explain_text(classifier, "great lamp", steps=1)
    with pytest.raises(DataError, match="empty"):
        explain_text(classifier, "  ")


def test_cli_explain_and_the_labeling_column(classifier, tmp_path, capsys):
    model = str(classifier.model_dir)
    assert main(["explain", "--model", model, "--text", "the lamp is great", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(out) >= {"text", "target", "method", "delta", "words"} and out["words"][3]["word"] == "great"
    sheet = tmp_path / "in.csv"
    pd.DataFrame({"text": ["the lamp is great", "", "it broke, awful"]}).to_csv(sheet, index=False)
    assert main(["explain", "--model", model, "--input", str(sheet), "--output", str(tmp_path / "x.jsonl"),
                 "--quiet"]) == 0
    lines = [json.loads(x) for x in (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["row"] for x in lines] == [2, 4] and lines[1]["text"] == "it broke, awful"
    assert main(["explain", "--model", model, "--text", "a", "--input", str(sheet)]) == 2
    out_csv = tmp_path / "labeled.csv"
    assert main(["label", "--model", model, "--input", str(sheet), "--output", str(out_csv), "--explain", "2",
                 "--quiet"]) == 0
    df = pd.read_csv(out_csv, dtype=str, keep_default_na=False)
    assert df.columns[-1] == "top_words" and df["top_words"][1] == ""
    first = df["top_words"][0]
    assert first == "" or all(part.split(" (")[0] in "the lamp is great" for part in first.split("; "))
    assert np.all([len(c.split("; ")) <= 2 for c in df["top_words"] if c])
