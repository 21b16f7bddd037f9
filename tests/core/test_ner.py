"""NER: CoNLL reading, IOB schemes, first-subword alignment, windows merged per word, metrics, offsets."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.core import conll as C
from bertdesk.core import data as D
from bertdesk.core.errors import DataError
from bertdesk.core.metrics import ner_metrics
from bertdesk.core.models import bundled_model_path, load_tokenizer
from bertdesk.core.tasks import make_task
from bertdesk.core.tasks.ner import TokenExamples


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(str(bundled_model_path()))


def test_read_conll_skips_docstart_and_takes_the_last_column(tmp_path):
    path = tmp_path / "d.conll"
    path.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n"
                    "Peter\tB-PER\nBlackburn\tI-PER\n", encoding="utf-8")
    words, tags, starts = C.read_conll(path)
    assert words == [["EU", "rejects"], ["Peter", "Blackburn"]]
    assert tags == [["B-ORG", "O"], ["B-PER", "I-PER"]]
    assert starts == [3, 6]
    assert C.looks_like_conll(path)


def test_iob1_is_detected_and_converted():
    assert C.is_iob1([["I-PER", "I-PER", "O", "I-LOC", "B-LOC"]])
    assert not C.is_iob1([["B-PER", "I-PER", "O"]])
    assert C.iob1_to_iob2(["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-LOC"]) == \
        ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]


def test_spans_and_word_splitting_with_offsets():
    assert C.spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"]) == [("PER", 0, 1), ("LOC", 3, 3), ("ORG", 4, 4)]
    words, offsets = C.split_words("Dr. Okafor met 王小明 in Lagos!")
    assert words == ["Dr", ".", "Okafor", "met", "王", "小", "明", "in", "Lagos", "!"]
    assert offsets[2] == (4, 10) and offsets[4] == (15, 16)


def test_first_subword_carries_the_label(tokenizer):
    task = make_task("ner", labels=["O", "B-PER", "I-PER"])
    ex = TokenExamples([["Okafor", "smiled"]], [["B-PER", "O"]])
    feats = task.encode(tokenizer, ex)
    tokens = tokenizer.convert_ids_to_tokens(feats.items[0]["input_ids"])
    assert tokens == ["[CLS]", "ok", "##af", "##or", "smiled", "[SEP]"]   # one word, three subwords
    assert feats.items[0]["labels"] == [-100, 1, -100, -100, 0, -100]


def test_predictions_are_read_back_per_word(tokenizer):
    task = make_task("ner", labels=["O", "B-PER", "I-PER"])
    ex = TokenExamples([["Okafor", "smiled"]])
    feats = task.encode(tokenizer, ex, with_labels=False)
    logits = np.zeros((1, 6, 3))
    logits[0, 1] = [0, 9, 0]    # first subword of Okafor: B-PER
    logits[0, 2] = [9, 0, 0]    # later subwords say O: ignored
    logits[0, 3] = [9, 0, 0]
    logits[0, 4] = [9, 0, 0]
    pred = task.decode(logits, feats, ex)[0]
    assert pred["tags"] == ["B-PER", "O"]
    assert pred["entities"] == [{"type": "PER", "text": "Okafor", "start": 0, "end": 6,
                                 "score": pytest.approx(1.0, abs=1e-3), "min_score": pytest.approx(1.0, abs=1e-3)}]


def test_entity_across_a_window_boundary_is_merged(tokenizer):
    task = make_task("ner", labels=["O", "B-LOC", "I-LOC"], max_length=16, stride=4)
    words = [f"w{i}" for i in range(30)]
    tags = ["O"] * 30
    tags[12:15] = ["B-LOC", "I-LOC", "I-LOC"]
    ex = TokenExamples([words], [tags])
    feats = task.encode(tokenizer, ex)
    assert len(feats) > 2
    # a model that is right everywhere: one-hot logits from the gold labels of each window
    outputs = []
    for item in feats.items:
        out = np.zeros((len(item["input_ids"]), 3))
        out[np.arange(len(item["labels"])), np.maximum(item["labels"], 0)] = 5.0
        outputs.append(out)
    pred = task.decode(outputs, feats, ex)[0]
    assert pred["tags"] == tags
    assert [e["text"] for e in pred["entities"]] == ["w12 w13 w14"]
    covered = {w for wids in feats.extra["word_ids"] for w in wids if w is not None}
    assert covered == set(range(30))


def test_csv_with_tokens_and_tags_and_mismatch_error(tmp_path):
    df = pd.DataFrame({"tokens": ["Ana lives in Rome", "Hi there"], "tags": ["B-PER O O B-LOC", "O O O"]})
    task = make_task("ner")
    with pytest.raises(DataError) as err:
        task.examples_from_table(D.Table(df, D.Path("ner.csv"), "csv"), {})
    assert "ner.csv, row 3, column 'tags': 2 tokens but 3 tags" == str(err.value)
    df.loc[1, "tags"] = "O O"
    ex = task.examples_from_table(D.Table(df, D.Path("ner.csv"), "csv"), {})
    task.fit_labels(ex)
    assert task.labels == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]


def test_unknown_tags_are_refused(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("Ana PERSON\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown tag 'PERSON'"):
        make_task("ner").read_examples(path, {})


def test_labeling_plain_text_gives_offsets_into_the_original():
    task = make_task("ner", labels=["O", "B-PER", "I-PER"])
    ex = task.examples_from_texts(["  Hello,  Ana Lima!"])
    assert ex.words[0] == ["Hello", ",", "Ana", "Lima", "!"]
    ents = task._entities(["O", "O", "B-PER", "I-PER", "O"], [1, 1, 0.9, 0.7, 1], ex.texts[0], ex.offsets[0])
    assert ents == [{"type": "PER", "text": "Ana Lima", "start": 10, "end": 18, "score": 0.8, "min_score": 0.7}]
    cols = task.output_columns([{"tags": ["O", "B-PER"], "entities": ents}, None])
    assert cols["pred_tags"] == ["O B-PER", ""] and json.loads(cols["pred_entities"][0])[0]["type"] == "PER"


def test_ner_metrics_against_hand_counts():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG", "B-MISC", "O"]]
    m = ner_metrics(gold, pred)
    assert m["precision"] == pytest.approx(1 / 3) and m["recall"] == pytest.approx(1 / 3)
    assert m["f1"] == pytest.approx(1 / 3)
    assert m["token_accuracy"] == pytest.approx(3 / 6)
    assert m["errors"] == {"correct": 1, "missed": 1, "spurious": 1, "wrong_type": 1, "wrong_boundary": 0}
    assert m["per_type"]["PER"]["f1"] == 1.0
