"""Classification and multi-label tasks: examples, windows, pooling, thresholds, output columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bertdesk.core import data as D
from bertdesk.core.errors import DataError
from bertdesk.core.models import bundled_model_path, load_tokenizer
from bertdesk.core.tasks import make_task
from bertdesk.core.tasks.classification import TextExamples


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(str(bundled_model_path()))


def _table(df, tmp_path=None):
    return D.Table(df=df, path=D.Path("data.csv"), format="csv")


def test_empty_texts_and_labels_are_skipped_and_counted():
    df = pd.DataFrame({"text": ["good", "  ", "bad", "fine", ""], "label": ["pos", "pos", "neg", "", "neg"]})
    task = make_task("classify")
    ex = task.examples_from_table(_table(df), {})
    assert ex.texts == ["good", "bad"]
    assert list(ex.rows) == [0, 2]
    assert ex.skipped == {"empty text": 2, "no label": 1}
    assert ex.columns == {"text": "text", "label": "label"}


def test_one_class_and_too_many_classes_are_refused():
    task = make_task("classify")
    one = task.examples_from_table(_table(pd.DataFrame({"text": ["a", "b"], "label": ["x", "x"]})), {})
    with pytest.raises(DataError, match="same label"):
        task.fit_labels(one)
    many = task.examples_from_table(
        _table(pd.DataFrame({"text": [f"t{i}" for i in range(200)], "label": [str(i) for i in range(200)]})), {})
    with pytest.raises(DataError, match="200 different labels"):
        task.fit_labels(many)


def test_numeric_labels_sort_numerically_and_merge_spellings():
    task = make_task("classify")
    ex = task.examples_from_table(_table(pd.DataFrame({"text": list("abcdef"),
                                                       "label": [10, 2.0, "2", 1, "10", 1]})), {})
    task.fit_labels(ex)
    assert task.labels == ["1", "2", "10"]


def test_unknown_eval_labels_are_named():
    task = make_task("classify", labels=["neg", "pos"])
    ev = TextExamples(["x"], ["meh"])
    with pytest.raises(DataError, match="'meh'"):
        task.check_eval_labels(ev)


def test_long_text_gives_overlapping_windows_that_pool_back(tokenizer):
    task = make_task("classify", labels=["a", "b"], max_length=32, long_text="window", stride=8)
    long_text = " ".join(f"word{i}" for i in range(200))
    ex = TextExamples(["short text", long_text], ["a", "b"])
    feats = task.encode(tokenizer, ex)
    windows = int((feats.example_index == 1).sum())
    assert windows > 3
    assert (feats.example_index == 0).sum() == 1
    assert all(len(f["input_ids"]) <= 32 for f in feats.items)
    assert all(f["labels"] == 1 for f, e in zip(feats.items, feats.example_index) if e == 1)
    # window j+1 starts with the last `stride` tokens of window j
    w = [f["input_ids"][1:-1] for f, e in zip(feats.items, feats.example_index) if e == 1]
    assert w[0][-8:] == w[1][:8]
    # logits pool per example: the long text's windows average
    logits = np.zeros((len(feats), 2))
    logits[feats.example_index == 1] = [[0.0, 1.0]] * windows
    logits[feats.example_index == 1][0] = [5.0, 0.0]
    preds = task.decode(logits, feats, ex)
    assert preds[1]["label"] == "b" and preds[0]["score"] == pytest.approx(0.5)


def test_truncate_mode_gives_one_feature_per_text(tokenizer):
    task = make_task("classify", labels=["a", "b"], max_length=32, long_text="truncate")
    feats = task.encode(tokenizer, TextExamples([" ".join(["word"] * 300), "x"], ["a", "b"]))
    assert len(feats) == 2 and len(feats.items[0]["input_ids"]) == 32


def test_text_pairs_use_segment_ids(tokenizer):
    task = make_task("classify", labels=["a", "b"])
    feats = task.encode(tokenizer, TextExamples(["first part"], ["a"], ["second part here"]))
    assert set(feats.items[0]["token_type_ids"]) == {0, 1}


def test_output_columns_keep_rows_without_text_empty():
    task = make_task("classify", labels=["neg", "pos"])
    cols = task.output_columns([{"label": "pos", "score": 0.91234, "probs": None}, None])
    assert cols == {"pred_label": ["pos", ""], "pred_score": [0.9123, None]}


# ----------------------------------------------------------------- multi-label

def test_multilabel_from_separated_column():
    df = pd.DataFrame({"text": ["a", "b", "c", "d"], "topics": ["billing;refund", "shipping", "", "refund; billing"]})
    task = make_task("multilabel")
    ex = task.examples_from_table(_table(df), {"label": "topics", "label_sep": None})
    assert ex.columns["label_sep"] == ";"
    task.fit_labels(ex)
    assert task.labels == ["billing", "refund", "shipping"]
    assert ex.skipped == {"no label": 1}


def test_multilabel_from_binary_columns_keeps_rows_with_no_label():
    df = pd.DataFrame({"text": ["a", "b", "c"], "joy": [1, 0, 0], "anger": ["0", "1", "0"]})
    task = make_task("multilabel")
    ex = task.examples_from_table(_table(df), {})
    assert ex.columns["labels"] == ["joy", "anger"]
    assert ex.labels == [["joy"], ["anger"], []]
    task.fit_labels(ex)
    assert task.multi_hot(ex.labels).tolist() == [[1, 0], [0, 1], [0, 0]]


def test_thresholds_are_tuned_per_label_and_used():
    task = make_task("multilabel", labels=["x", "y"])
    ex = TextExamples(["1", "2", "3", "4"], [["x"], ["x", "y"], [], ["y"]])
    # y is rare-looking: its probabilities are low but still rank the positives first
    probs = np.array([[0.9, 0.10], [0.8, 0.30], [0.2, 0.05], [0.1, 0.25]])
    preds = [{"labels": [], "scores": p} for p in probs]
    before = task.evaluate(preds, ex)
    calibrated = task.calibrate(preds, ex)             # too few rows for temperatures: the thresholds only
    assert task.temperature == [1.0, 1.0] and "temperature" not in task.state()
    assert task.thresholds[0] == pytest.approx(0.5, abs=0.31) and task.thresholds[1] <= 0.25
    after = task.evaluate(calibrated, ex)
    assert after["micro_f1"] == 1.0 > before["micro_f1"]
    cols = task.output_columns([{"labels": ["x"], "scores": probs[0]}, None])
    assert cols["pred_labels"] == ["x", ""] and cols["score_y"] == [0.1, None]
