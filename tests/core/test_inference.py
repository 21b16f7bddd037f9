"""Predictor: predictions, labeling tables (order, columns, formats), attention maps and pictures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bertdesk.core import fast as fast_mode
from bertdesk.core.attention import attention_of, render_heatmap, rollout, select_map
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError, ModelError
from bertdesk.core.events import Preview, Progress
from bertdesk.core.predictor import Predictor
from bertdesk.core.labeling import PREVIEW_ROWS, label_file, label_table
from bertdesk.core.training import train


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("trained")
    csv = write_sentiment_csv(tmp / "s.csv")
    train(TrainConfig(train_file=str(csv), model=str(tiny_model_dir), out_dir=str(tmp / "model"), epochs=1,
                      batch_size=8, max_length=32))
    return tmp / "model"


@pytest.fixture(scope="module")
def predictor(trained_dir):
    return Predictor.load(trained_dir)


def test_predict_gives_labels_and_scores(predictor):
    out = predictor.predict(["the lamp is great", "awful kettle", " ".join(["long"] * 200)])
    assert len(out) == 3
    for p in out:
        assert p["label"] in ("neg", "pos")
        assert p["score"] == pytest.approx(p["probs"].max()) and p["probs"].sum() == pytest.approx(1.0)


def test_label_table_keeps_every_column_and_row_order(predictor):
    df = pd.DataFrame({"id": ["3", "1", "2", "9"], "when": ["a", "b", "c", "d"],
                       "text": ["x " * 100, "short", "", "medium length text here"]})
    out = label_table(predictor, df, chunk_rows=2)
    assert list(out.columns) == ["id", "when", "text", "pred_label", "pred_score"]
    assert out["id"].tolist() == ["3", "1", "2", "9"]
    assert out.loc[2, "pred_label"] == "" and pd.isna(out.loc[2, "pred_score"])
    singles = predictor.predict(["x " * 100, "short", "medium length text here"])
    assert out["pred_label"].tolist() == [singles[0]["label"], singles[1]["label"], "", singles[2]["label"]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_label_file_round_trips(predictor, tmp_path, suffix):
    src = pd.DataFrame({"id": [f"r{i}" for i in range(30)], "score": [str(i * 1.5) for i in range(30)],
                        "review": [f"item {i} is {'great' if i % 2 else 'awful'}" for i in range(30)],
                        "note": ["@SUM(A1)"] + [""] * 29})
    inp = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        src.to_csv(inp, index=False)
    else:
        src.to_excel(inp, index=False)
    before = inp.read_bytes()
    outp = tmp_path / f"out{suffix}"
    label_file(predictor, inp, outp, {"text": "review"})
    assert inp.read_bytes() == before
    back = pd.read_excel(outp, dtype=str) if suffix == ".xlsx" else pd.read_csv(outp, dtype=str,
                                                                                keep_default_na=False)
    assert list(back.columns) == ["id", "score", "review", "note", "pred_label", "pred_score"]
    assert back["id"].tolist() == src["id"].tolist()
    assert back["review"].tolist() == src["review"].tolist()
    # a spreadsheet runs a CSV cell starting with @ as a formula; a workbook cell only when it starts with =
    assert back["note"][0] == ("@SUM(A1)" if suffix == ".xlsx" else "'@SUM(A1)")
    assert set(back["pred_label"]) <= {"neg", "pos"}


def test_label_file_refuses_to_overwrite_input(predictor, tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text("text\nhello\n", encoding="utf-8")
    with pytest.raises(DataError, match="overwrite the input"):
        label_file(predictor, inp, inp)
    assert inp.read_text(encoding="utf-8") == "text\nhello\n"


def test_label_with_missing_text_column_is_clear(predictor):
    with pytest.raises(DataError, match="no column named 'body'"):
        label_table(predictor, pd.DataFrame({"text": ["a"]}), {"text": "body"})


def test_evaluate_table(predictor, tmp_path):
    from bertdesk.core.data import read_table
    from tests.conftest import write_sentiment_csv

    metrics = predictor.evaluate_table(read_table(write_sentiment_csv(tmp_path / "e.csv", 20, seed=5)))
    assert metrics["n"] == 20 and 0 <= metrics["accuracy"] <= 1
    assert np.array(metrics["confusion_matrix"]).sum() == 20


def test_attention_shapes_and_maps(predictor, tmp_path):
    res = attention_of(predictor, "the lamp is great", None)
    assert res.tokens[0] == "[CLS]" and res.tokens[-1] == "[SEP]"
    n = len(res.tokens)
    assert res.attentions.shape == (2, 2, n, n)
    assert np.allclose(res.attentions.sum(-1), 1.0, atol=1e-4)       # each row is a distribution
    assert res.prediction["label"] in ("neg", "pos")
    roll = rollout(res.attentions)
    assert roll.shape == (n, n) and np.allclose(roll.sum(-1), 1.0)
    mean, title = select_map(res.attentions, 1, "mean")
    assert np.allclose(mean, res.attentions[1].mean(0)) and "average" in title
    head, _ = select_map(res.attentions, 0, 1)
    assert np.array_equal(head, res.attentions[0, 1])
    with pytest.raises(DataError, match="layer 7"):
        select_map(res.attentions, 7, None)
    png = tmp_path / "map.png"
    render_heatmap(mean, res.tokens, title, path=png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_attention_by_whole_words_joins_pieces_and_chinese_words(predictor):
    from bertdesk.core.attention import word_map
    from bertdesk.core.words import segmenter

    res = attention_of(predictor, "unbelievably comfortable lamp", "it glows")
    pieces = [t for t in res.tokens if t.startswith("##")]
    assert pieces, "the words are split into pieces by this tokenizer"
    assert res.words == ["[CLS]", "unbelievably", "comfortable", "lamp", "[SEP]", "it", "glows", "[SEP]"]
    assert len(res.word_of_token) == len(res.tokens) and res.word_of_token == sorted(res.word_of_token)
    words = word_map(res.attentions[1].mean(0), res.word_of_token)
    assert words.shape == (8, 8) and np.allclose(words.sum(1), 1.0, atol=1e-4)
    # a word with one piece keeps its token row and column
    lamp_token, lamp_word = res.tokens.index("lamp"), res.words.index("lamp")
    token_map = res.attentions[1].mean(0)
    assert np.isclose(words[lamp_word, 0], token_map[lamp_token, 0], atol=1e-6)

    chinese = attention_of(predictor, "我们很喜欢这家酒店", None)
    expected = ["我们", "很", "喜欢", "这家", "酒店"] if segmenter() == "jieba" else list("我们很喜欢这家酒店")
    assert chinese.words[1:-1] == expected


def test_attention_for_a_pair_marks_both_segments(predictor):
    res = attention_of(predictor, "first", "second text")
    assert res.tokens.count("[SEP]") == 2


def test_loading_something_that_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        Predictor.load(tmp_path / "nothing")
    with pytest.raises(ModelError, match="not a bertdesk model folder"):
        Predictor.load(tmp_path)


@pytest.mark.parametrize("out_name", ["out.csv", "out.tsv", "out.jsonl"])
def test_streamed_labeling_matches_whole_table(predictor, tmp_path, out_name):
    src = pd.DataFrame({"id": [f"{i:03d}" for i in range(50)], "text": [f"thing {i} " + "great " * (i % 9) for i in range(50)],
                        "note": ["=1+1" if i == 3 else "" for i in range(50)]})
    src.loc[10, "text"] = ""
    inp = tmp_path / "in.tsv"
    src.to_csv(inp, index=False, sep="\t")
    events = []
    result = label_file(predictor, inp, tmp_path / out_name, chunk_rows=7, on_event=events.append)
    previews = [e for e in events if isinstance(e, Preview)]
    events = [e for e in events if isinstance(e, Progress)]
    assert result.rows == 50 and len(result.preview) == min(50, PREVIEW_ROWS)
    whole = label_table(predictor, src)
    if out_name.endswith(".jsonl"):
        back = pd.read_json(tmp_path / out_name, lines=True, dtype=False)
        assert back["note"][3] == "=1+1"                       # JSON is data, not a spreadsheet
    else:
        back = pd.read_csv(tmp_path / out_name, sep="\t" if out_name.endswith(".tsv") else ",", dtype=str,
                           keep_default_na=False, encoding="utf-8-sig")
        assert back["note"][3] == "'=1+1"
    assert list(back.columns) == ["id", "text", "note", "pred_label", "pred_score"]
    assert back["id"].astype(str).str.zfill(3).tolist() == src["id"].tolist()
    assert back["pred_label"].fillna("").tolist() == whole["pred_label"].tolist()
    done = [e.done for e in events if e.phase == "labeling"]
    assert done == sorted(done) and done[-1] == 50
    # the first rows are shown before the rest is labeled: the first preview comes with 7 rows
    assert previews and len(previews[0].rows) == 7 and previews[-1].rows["id"].tolist() == src["id"].tolist()[:PREVIEW_ROWS]


def test_fast_mode_needs_the_evaluation_data(trained_dir, tmp_path):
    import json
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(trained_dir, copy)
    meta = json.loads((copy / "bertdesk.json").read_text())
    meta["config"]["train_file"] = str(tmp_path / "gone.csv")
    (copy / "bertdesk.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="cannot be read now"):
        fast_mode.enable(Predictor.load(copy))


def test_models_loaded_by_several_threads_at_once_are_whole(tiny_model_dir):
    """The app loads models in worker threads (Results, the probe, attention): two loads at once once
    left parameters on the meta device ("Cannot copy out of meta tensor")."""
    import threading

    from transformers import BertForMaskedLM, BertForSequenceClassification

    from bertdesk.core.models import load_model

    errors = []

    def load(cls):
        for _ in range(5):
            try:
                model = load_model(cls, str(tiny_model_dir))
                model.to("cpu")
                assert not any(p.is_meta for p in model.parameters())
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                errors.append(repr(exc))

    threads = [threading.Thread(target=load, args=(cls,))
               for cls in (BertForMaskedLM, BertForSequenceClassification, BertForMaskedLM)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
