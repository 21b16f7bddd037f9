"""The app's jobs, called as plain functions without Qt: what the GUI starts in its workers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bertdesk.app import columns, labeling, results, sources
from bertdesk.cli import main
from bertdesk.core.cancel import Cancelled, CancelToken
from bertdesk.core.data import read_table
from bertdesk.core.errors import BertdeskError, DataError
from bertdesk.core.events import Preview, Progress
from tests.conftest import as_format1


@pytest.fixture(scope="module")
def cli_model(tmp_path_factory, tiny_model_dir):
    """A classifier trained by ``bertdesk-cli train`` with no --max-length: the task's default applies."""
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("app-jobs")
    csv = write_sentiment_csv(tmp / "train.csv", n=80)
    assert main(["train", "--train", str(csv), "--model", str(tiny_model_dir), "--epochs", "1",
                 "--batch-size", "16", "--out", str(tmp / "model"), "--quiet"]) == 0
    return tmp / "model"


def test_peek_reads_the_first_rows_and_estimates_the_rest(tmp_path):
    path = tmp_path / "big.csv"
    pd.DataFrame({"id": range(2000), "text": [f"row {i}, with a comma" for i in range(2000)]}).to_csv(path, index=False)
    peeked = sources.peek(path)
    assert len(peeked["table"].df) == sources.PEEK_ROWS and not peeked["exact"]
    assert abs(peeked["rows"] - 2000) <= 1
    small = tmp_path / "small.csv"
    small.write_text("text\na\nb\n", encoding="utf-8")
    assert sources.peek(small)["rows"] == 2 and sources.peek(small)["exact"]


def test_read_shows_conll_and_squad_as_tables(samples_dir):
    conll = sources.read(samples_dir / "news_ner.conll")["table"]
    assert conll.format == "conll" and list(conll.df.columns) == ["line", "tokens", "tags"] and len(conll.df)
    assert sources.unit_of(conll) == "sentences"
    with pytest.raises(DataError, match="not found"):
        sources.read(samples_dir / "no-such-file.conll")
    with pytest.raises(DataError, match="cannot be read as no-such-codec"):
        sources.read(samples_dir / "reviews.csv", {"encoding": "no-such-codec"})      # said, not raised raw


def test_check_columns_counts_the_split_and_names_the_first_problem(samples_dir):
    table = read_table(samples_dir / "reviews.csv")
    ok = columns.check_columns(table, "classify", {"text": "text", "label": "sentiment"}, generation=7)
    assert ok["generation"] == 7 and "problem" not in ok
    assert ok["n_train"] + ok["n_eval"] == len(ok["examples"]) and ok["n_eval"] > 0
    assert ok["summary"].startswith(f"{len(ok['examples']):,} usable ")
    same = columns.check_columns(table, "classify", {"text": "text", "label": "text"})
    assert "same column" in same["problem"]
    conll = sources.read(samples_dir / "news_ner.conll")["table"]
    assert "CONLL file" in columns.check_columns(conll, "classify", {})["problem"]


def test_a_cli_model_without_max_length_gives_its_evaluation(cli_model, tmp_path):
    meta = json.loads((cli_model / "bertdesk.json").read_text(encoding="utf-8"))
    assert meta["config"]["max_length"] == 128              # saved as used: the task's default
    out = results.evaluation(cli_model)
    assert len(out["predictions"]) == meta["n_eval"] > 0 and out["note"] == ""
    assert {"text", "true", "predicted", "correct"} <= set(out["predictions"].columns)
    # the same model as the previous version saved it (format 1, window length null) opens too
    old = results.evaluation(as_format1(cli_model, tmp_path / "format1"))
    assert old["meta"]["config"]["max_length"] is None
    assert old["predictions"]["predicted"].tolist() == out["predictions"]["predicted"].tolist()
    att = results.attention(cli_model, "the kettle works well")
    n = len(att["tokens"])
    assert att["tokens"][0] == "[CLS]" and att["attentions"].shape[-2:] == (n, n)
    assert att["label"] in meta["task_state"]["labels"]


def test_label_streams_into_the_workspace_and_export_writes_each_format(cli_model, workspace, tmp_path):
    src = tmp_path / "to_label.csv"
    src.write_text("id,text\n" + "".join(f"{i},review number {i} was fine\n" for i in range(130)), encoding="utf-8")
    before = src.read_bytes()
    events = []
    result = labeling.label(cli_model, src, {"text": "text"}, on_event=events.append)
    assert result["rows"] == 130 and result["fast"] == ""
    kept = workspace / labeling.SCRATCH_FOLDER / "to_label-labeled.jsonl"
    assert result["output"] == str(kept) and kept.is_file()
    assert any(isinstance(e, Preview) for e in events)
    assert any(isinstance(e, Progress) and e.phase == "labeling" and e.done == 130 for e in events)
    assert list(result["preview"].columns[:2]) == ["id", "text"] and "pred_label" in result["preview"].columns

    for suffix in (".csv", ".xlsx", ".tsv", ".jsonl"):
        target = tmp_path / f"labeled{suffix}"
        assert labeling.export(result["output"], target, src) == {"rows": 130, "path": str(target)}
        back = read_table(target).df
        assert back["id"].astype(str).tolist() == [str(i) for i in range(130)]
        assert "pred_label" in back.columns
    assert src.read_bytes() == before                               # the input is never touched
    with pytest.raises(BertdeskError, match="overwrite the input"):
        labeling.export(result["output"], src, src)
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    with pytest.raises(BertdeskError, match="overwrite the input"):
        labeling.export(result["output"], link, src)
    assert src.read_bytes() == before
    labeling.discard(result["output"])
    assert not kept.exists()


def test_a_cancelled_label_job_leaves_no_file(cli_model, workspace, tmp_path):
    src = tmp_path / "many.csv"
    src.write_text("text\n" + "a fine review\n" * 3000, encoding="utf-8")
    token = CancelToken()

    def on_event(ev):
        if isinstance(ev, Progress) and ev.phase == "labeling" and ev.done:
            token.cancel()

    with pytest.raises(Cancelled):
        labeling.label(cli_model, src, {"text": "text"}, on_event=on_event, cancel=token)
    folder = workspace / labeling.SCRATCH_FOLDER
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_label_page_labels_through_the_checked_onnx_graph(cli_model, workspace, tmp_path, monkeypatch):
    import shutil

    from bertdesk.core import fast
    from bertdesk.core.labeling import label_table
    from bertdesk.core.predictor import Predictor

    monkeypatch.setattr(fast, "gpu_possible", lambda: False)
    model = tmp_path / "model"
    shutil.copytree(cli_model, model, ignore=shutil.ignore_patterns("fast"))
    src = tmp_path / "sheet.csv"
    src.write_text("text\n" + "".join(f"review {i}: {'great' if i % 2 else 'awful'} lamp\n" for i in range(40)),
                   encoding="utf-8")
    first_events, again_events = [], []
    first = labeling.label(model, src, {"text": "text"}, on_event=first_events.append)
    assert any(isinstance(e, Progress) and e.phase == "preparing the fast CPU model" for e in first_events)
    assert fast.ready(model) is not None
    labeling.discard(first["output"])
    again = labeling.label(model, src, {"text": "text"}, on_event=again_events.append)
    assert not any(isinstance(e, Progress) and e.phase == "preparing the fast CPU model" for e in again_events)
    labeled = pd.read_json(again["output"], lines=True)
    reference = label_table(Predictor.load(model), pd.read_csv(src))          # the torch model
    assert labeled["pred_label"].tolist() == reference["pred_label"].tolist()
    # the fast mode the user turns on replaces it, and turning it off brings the fp32 graph back
    on = labeling.label(model, src, {"text": "text"}, fast=True)
    assert on["fast"].startswith("Fast mode")
    off = labeling.label(model, src, {"text": "text"})
    assert off["fast"] == ""
    from bertdesk.app.predictors import predictor_for
    assert predictor_for(model).fast_mode == fast.DEFAULT_MODE
