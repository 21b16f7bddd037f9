"""Vocabulary fit and extension: Chinese text and a model whose vocabulary lacks most of it."""

from __future__ import annotations

import json

import pandas as pd

from bertdesk.core.config import TrainConfig
from bertdesk.core.models import load_tokenizer
from bertdesk.core.vocab import advice, extend_model, new_tokens, vocab_fit

REVIEWS = ["这家酒店很好，服务热情，早餐丰富。", "房间太小了，隔音很差，不会再来。", "位置方便，离地铁站近，性价比高。",
           "前台态度冷淡，等了很久才办好入住。", "床很舒服，晚上很安静，下次还住。", "卫生间有异味，空调也不制冷。"]


def test_the_fit_counts_unknown_and_one_character_tokens(tiny_model_dir):
    tokenizer = load_tokenizer(str(tiny_model_dir))
    chinese = vocab_fit(tokenizer, REVIEWS)
    english = vocab_fit(tokenizer, ["The room was clean and the staff were friendly.", "Breakfast was cold."])
    ids = [tokenizer(t, add_special_tokens=False)["input_ids"] for t in REVIEWS]
    assert chinese.tokens == sum(len(i) for i in ids)
    assert chinese.unknown == sum(i.count(tokenizer.unk_token_id) for i in ids) > 0.4 * chinese.tokens
    assert chinese.poor and chinese.cjk_share == 1.0 and dict(chinese.top_unknown)["很"] == 5
    assert english.unknown == 0 and not english.poor and english.cjk_share == 0.0
    assert "bert-base-chinese" in advice(chinese) and advice(english) == ""


def test_extension_adds_the_frequent_unknown_characters_and_keeps_the_rest(tmp_path, tiny_model_dir):
    from safetensors.numpy import load_file

    tokenizer = load_tokenizer(str(tiny_model_dir))
    texts = REVIEWS * 2 + ["Müller stayed here: ✓"]           # ✓ once: too rare to add
    wanted = new_tokens(tokenizer, texts)
    assert "很" in wanted and "✓" not in wanted and "m" not in wanted
    out, added = extend_model(str(tiny_model_dir), texts, tmp_path / "ext")
    assert added == len(wanted)
    extended = load_tokenizer(str(out))
    assert len(extended) == len(tokenizer) + added                      # CJK: one entry each, no "##"
    assert vocab_fit(extended, REVIEWS).unknown == 0
    english = "The staff were friendly."
    assert extended(english)["input_ids"] == tokenizer(english)["input_ids"]   # old ids unchanged
    before = load_file(str(tiny_model_dir / "model.safetensors"))
    after = load_file(str(out / "model.safetensors"))
    key = next(k for k in after if k.endswith("word_embeddings.weight"))
    old = before[next(k for k in before if k.endswith("word_embeddings.weight"))]
    assert after[key].shape == (len(extended), old.shape[1])
    assert (after[key][:len(old)] == old).all()                          # the trained rows kept
    assert abs(after[key][len(old):].mean(0) - old.mean(0)).max() < 0.05   # new rows near the mean
    spec = json.loads((out / "tokenizer.json").read_text(encoding="utf-8"))
    assert spec["model"]["vocab"]["很"] >= len(old)


def test_training_with_extend_vocab_learns_from_the_extended_model(tmp_path, tiny_model_dir):
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.training import train

    rows = [(t, "好评" if i % 2 == 0 else "差评") for i, t in enumerate(REVIEWS * 4)]
    sheet = tmp_path / "评论.csv"
    pd.DataFrame(rows, columns=["评论", "标签"]).to_csv(sheet, index=False, encoding="gb18030")
    result = train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / "模型"),
                               epochs=1, batch_size=8, learning_rate=5e-4, max_length=32, extend_vocab=True))
    assert (tmp_path / "模型-vocab" / "model.safetensors").is_file()
    predictor = Predictor.load(result.out_dir)
    assert len(predictor.tokenizer) > len(load_tokenizer(str(tiny_model_dir)))
    assert vocab_fit(predictor.tokenizer, REVIEWS).unknown == 0
    assert predictor.meta["config"]["model"] == str(tmp_path / "模型-vocab")
    assert {p["label"] for p in predictor.predict(REVIEWS)} <= {"好评", "差评"}


def test_cli_vocab_reports_the_fit_of_a_gbk_sheet(tmp_path, tiny_model_dir, capsys):
    from bertdesk.cli import main

    sheet = tmp_path / "酒店评论.csv"
    pd.DataFrame({"编号": range(6), "评论": REVIEWS, "标签": ["好评", "差评"] * 3}).to_csv(sheet, index=False,
                                                                                     encoding="gbk")
    assert main(["vocab", "--input", str(sheet), "--model", str(tiny_model_dir), "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["column"] == "评论" and result["texts"] == 6 and result["poor"]
    assert result["unknown_share"] > 0.4 and "bert-base-chinese" in result["advice"]
    assert main(["vocab", "--input", str(sheet), "--model", str(tiny_model_dir)]) == 0
    said = capsys.readouterr().out
    assert "[UNK]" in said and "很(5)" in said
    assert main(["vocab", "--input", str(sheet), "--text-col", "nope"]) != 0


def test_train_extend_vocab_implies_adaptation():
    from bertdesk.cli.commands import _train_config
    from bertdesk.cli.parser import build_parser

    args = build_parser().parse_args(["train", "--train", "a.csv", "--out", "m", "--extend-vocab"])
    config, _ = _train_config(args)
    assert config.extend_vocab and config.adapt_first
    args = build_parser().parse_args(["train", "--train", "a.csv", "--out", "m"])
    assert not _train_config(args)[0].extend_vocab


def test_an_earlier_extension_is_reused_only_for_the_same_model_and_texts(tmp_path, tiny_model_dir):
    from dataclasses import replace

    from bertdesk.core.pretrain import extend_vocabulary, vocab_dir
    from bertdesk.core.vocab import made_from

    sheet = tmp_path / "s.csv"
    pd.DataFrame({"评论": REVIEWS * 2, "标签": ["好评", "差评"] * 6}).to_csv(sheet, index=False)
    config = TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                         columns={"text": "评论", "label": "标签"}, extend_vocab=True)
    events = []
    first = extend_vocabulary(config, events.append)
    assert first.model == str(vocab_dir(config)) and made_from(vocab_dir(config))["base"] == str(tiny_model_dir)
    again = []
    assert extend_vocabulary(config, again.append).model == first.model
    assert any("extended earlier" in getattr(e, "message", "") for e in again)
    # other texts in the sheet: the copy is made again, with their characters
    pd.DataFrame({"评论": ["猫狗鱼鸟猫狗鱼鸟"] * 4 + REVIEWS, "标签": ["好评", "差评"] * 5}).to_csv(sheet, index=False)
    redone = []
    extend_vocabulary(replace(config), redone.append)
    assert not any("extended earlier" in getattr(e, "message", "") for e in redone)
    assert "猫" in load_tokenizer(str(vocab_dir(config))).get_vocab()


def test_only_a_bert_wordpiece_vocabulary_is_extended(tmp_path, tiny_model_dir):
    import pytest
    from transformers import DistilBertConfig, DistilBertForMaskedLM

    from bertdesk.core.errors import ModelError

    other = tmp_path / "distil"
    DistilBertForMaskedLM(DistilBertConfig(vocab_size=len(load_tokenizer(str(tiny_model_dir))), dim=32, n_layers=1,
                                           n_heads=2, hidden_dim=37)).save_pretrained(other)
    load_tokenizer(str(tiny_model_dir)).save_pretrained(other)
    with pytest.raises(ModelError, match="it is a distilbert model"):
        extend_model(str(other), REVIEWS * 2, tmp_path / "out")
    assert not (tmp_path / "out").exists()
