"""The training-time estimate: token counts from characters, windows, and how the parts add up."""

from __future__ import annotations

import json

import pytest

from bertdesk.core import estimate as est
from bertdesk.core.tasks import make_task
from bertdesk.core.tasks.classification import TextExamples
from bertdesk.core.tasks.qa import QAExamples


def test_tokens_are_counted_from_characters_and_cjk_characters_one_each():
    assert est.approx_tokens("") == 0
    assert est.approx_tokens("a" * 47) == 10                  # 4.7 characters a token
    assert est.approx_tokens("这是一个很好的产品") == 9         # one token a character
    assert est.approx_tokens("好 ok") == 1 + 1


def test_windows_cover_a_long_text_with_the_stride_as_overlap():
    # 126 text tokens a window (128 less [CLS]/[SEP]), each starting 94 after the last
    assert est.window_lengths(100, 128, 32) == [102]
    assert est.window_lengths(1000, 128, 32) == [128] * 10 + [1000 - 10 * 94 + 2]
    assert est.window_lengths(1000, 128, 32, "truncate") == [128]


def _texts(n, chars):
    return TextExamples(texts=[("word " * (chars // 5 + 1))[:chars] for _ in range(n)])


def test_more_rows_longer_texts_and_windows_cost_more_and_a_gpu_less():
    def seconds(ex, max_length=128, long_text="window", **kw):
        args = dict(epochs=3, batch_size=16)
        args.update(kw)
        task = make_task("classify", max_length=max_length, long_text=long_text)
        return est.estimate_train_seconds(task, ex, len(ex), 50, **args)

    short, long = _texts(500, 60), _texts(500, 3000)
    assert seconds(_texts(1000, 60)) > seconds(short)
    assert seconds(long) > seconds(short)
    assert seconds(long) > 3 * seconds(long, long_text="truncate")     # ~6 windows a text against one
    assert seconds(short, epochs=6) > seconds(short)
    assert seconds(short, gpu=True) < seconds(short) / 2
    assert seconds(short, scale=8.0) > 2 * seconds(short)


def test_calibration_matches_the_benchmark_it_was_fitted_to():
    # README: 3,000 SST-2 sentences (53 characters, 13 tokens on average), 1 epoch, batch 16,
    # 872 evaluated once, trained at 88.5 rows/s: 34 s of steps on 2 CPU threads
    seconds = est.estimate_train_seconds(make_task("classify", max_length=128), _texts(3000, 53), 3000, 872,
                                         epochs=1, batch_size=16) - est.OVERHEAD_S
    assert 25 < seconds < 50


def test_qa_windows_repeat_the_question_and_the_share_of_long_texts_is_sampled():
    context = "x" * 4700                                           # 1,000 tokens
    ex = QAExamples(questions=["q" * 47] * 10, contexts=[context] * 10)
    qa = make_task("qa", max_length=384, long_text="truncate")     # QA always reads all the context
    assert qa.long_text == "window" and qa.stride == 128
    lengths = est.example_lengths(qa, ex)
    assert len(lengths) == 10 * len(est.window_lengths(1000, 384, 128, reserved=13))
    assert est.share_longer(qa, ex) == 1.0
    mixed = TextExamples(texts=["short"] * 30 + ["y" * 4700] * 10)
    assert est.share_longer(make_task("classify", max_length=128), mixed) == pytest.approx(0.25)


def test_model_scale_reads_the_model_config(tmp_path, tiny_model_dir):
    assert est.model_scale("bundled") == 1.0
    config = json.loads((tiny_model_dir / "config.json").read_text())
    expected = config["num_hidden_layers"] * config["hidden_size"] ** 2 / est.REFERENCE_SIZE
    assert est.model_scale(str(tiny_model_dir)) == pytest.approx(max(0.05, expected))
    assert est.model_scale(str(tmp_path / "nowhere")) == est.BERT_BASE_SCALE
    assert est.model_scale("some-org/bert-base-uncased") == est.BERT_BASE_SCALE
