"""The run history: every run recorded in the workspace, listed, and two runs compared row by row."""

from __future__ import annotations

import json

import pytest

from bertdesk.cli import main
from bertdesk.core.errors import DataError
from bertdesk.core.history import compare, list_runs, load_run, record_run


def _record(tmp_path, name, predictions, accuracy, created, per_class=None):
    meta = {"task": "classify", "created": created, "config": {"train_file": "/data/s.csv", "seed": 1},
            "data": {"sha256": "ab" * 32}, "n_train": 10, "n_eval": len(predictions),
            "metrics": {"accuracy": accuracy, "macro_f1": accuracy - 0.1, "per_class": per_class or {},
                        "confusion_matrix": [[1, 0], [0, 1]], "labels": ["neg", "pos"]}}
    return record_run(meta, tmp_path / name, predictions, 3.0)


def _pred(row, text, true, predicted):
    from bertdesk.core.history import _key

    return {"row": row, "key": _key(row, text), "text": text, "true": true, "predicted": predicted,
            "correct": true == predicted}


def test_compare_finds_the_planted_flipped_rows(tmp_path, workspace):
    rows = [(2, "great lamp", "pos"), (3, "awful kettle", "neg"), (4, "fine mug", "pos"), (5, "bad bag", "neg")]
    a = [_pred(r, t, y, y) for r, t, y in rows]
    a[3] = _pred(5, "bad bag", "neg", "pos")                          # a wrong on row 5
    b = [_pred(r, t, y, y) for r, t, y in rows]
    b[1] = _pred(3, "awful kettle", "neg", "pos")                     # b wrong on row 3, right on row 5
    b.append(_pred(9, "only in b", "pos", "neg"))                     # not held out by a: not compared
    f1 = {"pos": {"f1": 0.5}, "neg": {"f1": 0.8}}
    _record(tmp_path, "first", a, 0.75, "2026-12-01T10:00:00", f1)
    _record(tmp_path, "second", b, 0.60, "2026-12-02T10:00:00", {"pos": {"f1": 0.6}, "neg": {"f1": 0.7}})
    runs = list_runs()
    assert [r["model_name"] for r in runs] == ["second", "first"] and "predictions" not in runs[0]
    result = compare(load_run("first"), load_run("second"))
    assert result["shared_rows"] == 4 and result["same_data"]
    assert [r["row"] for r in result["right_to_wrong"]] == [3] and [r["row"] for r in result["wrong_to_right"]] == [5]
    assert result["right_to_wrong"][0] == {"row": 3, "text": "awful kettle", "true": "neg", "predicted_a": "neg",
                                           "predicted_b": "pos"}
    assert result["metric_deltas"]["accuracy"] == pytest.approx(-0.15)
    assert result["f1_deltas"] == {"pos": pytest.approx(0.1), "neg": pytest.approx(-0.1)}
    with pytest.raises(DataError, match="no run 'nothing'"):
        load_run("nothing")


def test_a_damaged_record_is_skipped(tmp_path, workspace):
    _record(tmp_path, "ok", [], 0.5, "2026-12-01T10:00:00")
    (workspace / "history" / "broken.json").write_text("{not json", encoding="utf-8")
    assert [r["model_name"] for r in list_runs()] == ["ok"]


def test_training_records_its_run_and_the_cli_lists_and_compares(tmp_path, workspace, tiny_model_dir, capsys):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=60)
    for name, seed in (("one", "1"), ("two", "2")):
        assert main(["train", "--train", str(sheet), "--model", str(tiny_model_dir), "--epochs", "1", "--seed", seed,
                     "--out", str(tmp_path / name), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["runs", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["runs"]
    assert [r["model"] for r in runs] == ["two", "one"] and all(r["exists"] for r in runs)
    record = load_run("one")
    assert record["n_eval"] == len(record["predictions"]) == 6 and record["config"]["seed"] == 1
    assert record["data"]["sha256"] and record["versions"]["torch"] and record["metrics"]["confusion_matrix"]
    assert main(["compare", "one", "two", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["a_name"] == "one" and out["b_name"] == "two" and out["same_data"] is True and out["shared_rows"] <= 6
    assert "accuracy" in out["metric_deltas"] and out["right_to_wrong_count"] == len(out["right_to_wrong"])
    assert main(["compare", "one", "nope"]) == 2
