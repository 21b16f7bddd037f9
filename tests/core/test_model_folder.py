"""bertdesk.json: checked on load, format 1 migrated, newer formats and damage refused in words."""

from __future__ import annotations

import json

import pytest

from bertdesk.core.errors import ModelError
from bertdesk.core.model_folder import FORMAT_VERSION, META_FILE, migrate_v1, open_folder, read_meta


def _write(folder, meta) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / META_FILE).write_text(meta if isinstance(meta, str) else json.dumps(meta), encoding="utf-8")


def format1(task: str, metrics: dict, **task_config) -> dict:
    """A bertdesk.json as bertdesk 0.1 wrote it (settings twice; ``max_length`` null from the CLI)."""
    hyper = {"task": task, "train_file": "train.csv", "out_dir": "model", "model": "bundled",
             "max_length": None, "epochs": 1.0, "batch_size": 16}
    return {"format_version": 1, "task": task, "base_model": "bundled", "hyperparameters": hyper,
            "columns": {"text": "review", "label": "stars"},
            "task_config": {"labels": ["neg", "pos"], "max_length": None, "long_text": "window", "stride": None,
                            **task_config},
            "metrics": metrics, "history": [{"split": "eval", "epoch": 1.0, **metrics},
                                            {"split": "train", "epoch": 1.0, "loss": 0.7}],
            "n_train": 40, "n_eval": 10}


def test_format1_classifier_with_null_max_length_gives_the_task_default(tmp_path):
    _write(tmp_path / "m", format1("classify", {"accuracy": 0.8}))
    folder = open_folder(tmp_path / "m")
    assert folder.meta["format_version"] == FORMAT_VERSION
    assert folder.config.columns == {"text": "review", "label": "stars"}
    task = folder.task()
    assert task.labels == ["neg", "pos"] and task.max_length == 128 and task.stride == task.default_stride(128)
    assert folder.main_metric() == ("accuracy", 0.8)
    assert json.loads((tmp_path / "m" / META_FILE).read_text())["format_version"] == 1   # read, not rewritten


def test_format1_question_answering_scores_move_to_0_1():
    meta = migrate_v1(format1("qa", {"exact_match": 50.5, "f1": 63.7, "loss": 1.2}, labels=[]))
    assert meta["metrics"] == {"exact_match": 0.505, "f1": pytest.approx(0.637), "loss": 1.2}
    assert meta["history"][0]["f1"] == pytest.approx(0.637) and meta["history"][1]["loss"] == 0.7
    ner = migrate_v1(format1("ner", {"f1": 0.71}))
    assert ner["metrics"]["f1"] == 0.71                     # already on 0-1 in format 1


@pytest.mark.parametrize("content, needle", [
    ("{not json", "not readable JSON"),
    ("[1, 2]", "not a JSON object"),
    ({"format_version": 99, "task": "classify", "config": {}}, "newer bertdesk"),
    ({"format_version": 2, "task": "poetry", "config": {}}, "unknown task"),
    ({"format_version": 2, "task": "classify"}, "no training settings"),
    ({"format_version": "two", "task": "classify", "config": {}}, "format_version"),
])
def test_damaged_or_newer_meta_is_refused_in_words(tmp_path, content, needle):
    _write(tmp_path / "m", content)
    with pytest.raises(ModelError, match=needle):
        read_meta(tmp_path / "m")


def test_a_folder_without_meta_is_not_a_model(tmp_path):
    (tmp_path / "plain").mkdir()
    with pytest.raises(ModelError, match="not a bertdesk model folder"):
        read_meta(tmp_path / "plain")
    with pytest.raises(ModelError, match="not found"):
        read_meta(tmp_path / "missing")
