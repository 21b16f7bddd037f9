"""The tokenizer run without transformers: the same features as transformers' tokenizer where its
check says so, transformers' tokenizer everywhere else."""

from __future__ import annotations

import json
import shutil

import pytest

from bertdesk.core import plain_tokenizer as PT
from bertdesk.core.config import TrainConfig
from bertdesk.core.models import load_tokenizer
from bertdesk.core.predictor import Predictor
from bertdesk.core.tasks import task_for_config
from bertdesk.core.training import train
from tests.conftest import write_sentiment_csv


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, tiny_model_dir):
    tmp = tmp_path_factory.mktemp("plain-tok")
    train(TrainConfig(train_file=str(write_sentiment_csv(tmp / "s.csv")), model=str(tiny_model_dir),
                      out_dir=str(tmp / "model"), epochs=1, batch_size=8, max_length=32))
    return tmp / "model"


def _texts():
    return ["The kettle is great", "", "Café naïve RÉSUMÉ", "这家店很好", "a " * 200, "HELLO there 👍"]


def test_windows_pairs_and_plain_calls_match_transformers(model_dir):
    full, plain = load_tokenizer(str(model_dir)), PT.PlainTokenizer(model_dir)
    assert plain.pad_token_id == full.pad_token_id
    texts = _texts()
    kw = dict(truncation=True, max_length=32, return_attention_mask=False)
    a = full(texts, return_overflowing_tokens=True, stride=8, **kw)
    b = plain(texts, return_overflowing_tokens=True, stride=8, **kw)
    assert b["overflow_to_sample_mapping"].count(4) > 3         # the long text fills several windows
    for key in ("input_ids", "token_type_ids", "overflow_to_sample_mapping"):
        assert list(a[key]) == b[key], key
    a, b = full(texts, texts[::-1], truncation=True, max_length=24), plain(texts, texts[::-1], truncation=True,
                                                                         max_length=24)
    for key in ("input_ids", "token_type_ids", "attention_mask"):
        assert list(a[key]) == b[key], key
    # a call it does not answer itself goes to transformers' tokenizer
    words = plain([["The", "kettle"]], is_split_into_words=True, truncation=True, max_length=16)
    assert words.word_ids(0)[:3] == [None, 0, 1]
    assert plain.convert_ids_to_tokens([101]) == ["[CLS]"]


def test_the_check_passes_for_a_folder_and_fails_where_transformers_reads_it_otherwise(model_dir, tmp_path):
    task = task_for_config(TrainConfig(task="classify", max_length=32))
    task.labels = ["neg", "pos"]
    examples = task.examples_from_texts(_texts())
    assert PT.check(task, load_tokenizer(str(model_dir)), model_dir, examples)["same"] is True

    # transformers 5 builds BERT's tokenizer from tokenizer_config.json: told not to lower-case, it
    # reads "HELLO" as [UNK] while tokenizer.json still lower-cases. The check sees it.
    other = tmp_path / "other"
    shutil.copytree(model_dir, other)
    config = json.loads((other / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["do_lower_case"] = False
    (other / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    verdict = PT.check(task, load_tokenizer(str(other)), other, examples)
    assert verdict == {"same": False, "n_checked": verdict["n_checked"], "reason": "other tokens"}


def test_a_kept_check_is_used_only_for_the_files_it_was_made_on(model_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy, ignore=shutil.ignore_patterns("fast"))
    (copy / "fast").mkdir()
    assert not PT.checked(copy)
    PT.record(copy, {"same": True, "n_checked": 10, "reason": ""})
    assert PT.checked(copy)
    assert isinstance(Predictor.load(copy, backend="later").tokenizer, PT.PlainTokenizer)
    assert not isinstance(Predictor.load(copy).tokenizer, PT.PlainTokenizer)      # torch: transformers'
    config = json.loads((copy / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["model_max_length"] = 256                                              # any edit: checked again
    (copy / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    assert not PT.checked(copy)
    assert not isinstance(Predictor.load(copy, backend="later").tokenizer, PT.PlainTokenizer)
    PT.record(copy, {"same": False, "n_checked": 10, "reason": "other tokens"})
    assert not PT.checked(copy)


def test_a_folder_kept_before_the_check_existed_is_checked_on_its_next_run(model_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy, ignore=shutil.ignore_patterns("fast"))
    (copy / "fast").mkdir()                       # a graph kept by an earlier version, no tokenizer check
    first = Predictor.load(copy, backend="later")
    assert not isinstance(first.tokenizer, PT.PlainTokenizer)
    kept = json.loads((copy / "fast" / PT.CHECK_FILE).read_text(encoding="utf-8"))
    assert kept["same"] is True and kept["n_checked"] >= len(PT.PROBE_TEXTS)
    second = Predictor.load(copy, backend="later")
    assert isinstance(second.tokenizer, PT.PlainTokenizer)
    texts = ["the lamp is great", "awful, want a refund"]
    assert [p["label"] for p in first.predict(texts)] == [p["label"] for p in second.predict(texts)]


def test_a_failed_check_is_kept_and_not_redone_and_errors_leave_transformers(model_dir, tmp_path, monkeypatch):
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy, ignore=shutil.ignore_patterns("fast"))
    (copy / "fast").mkdir()
    config = json.loads((copy / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["do_lower_case"] = False          # transformers and tokenizer.json now read "HELLO" differently
    (copy / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    assert not isinstance(Predictor.load(copy, backend="later").tokenizer, PT.PlainTokenizer)
    kept = PT.kept_verdict(copy)
    assert kept["same"] is False and kept["reason"] == "other tokens"
    calls = []
    monkeypatch.setattr(PT, "check", lambda *a: calls.append(a) or {"same": True, "n_checked": 1, "reason": ""})
    assert not isinstance(Predictor.load(copy, backend="later").tokenizer, PT.PlainTokenizer)
    assert calls == []                       # refused for these files: not checked again
    monkeypatch.undo()

    config["truncation_side"] = "left"       # a setting PlainTokenizer does not follow: refused, no crash
    config["do_lower_case"] = True
    (copy / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    task = Predictor.load(copy).task
    verdict = PT.check(task, load_tokenizer(str(copy)), copy, None)
    assert verdict["same"] is False and "left" in verdict["reason"]
