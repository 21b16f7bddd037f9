"""The fast labeling path: ONNX Runtime (float32 and int8) and torch int8, each behind a parity check."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pandas as pd
import pytest

from bertdesk.core import fast as F
from bertdesk.core.attention import attention_of
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import ModelError
from bertdesk.core.predictor import Predictor
from bertdesk.core.labeling import label_table
from bertdesk.core.training import train
from tests.conftest import copy_sample, write_sentiment_csv


def _train(tmp, tiny_model_dir, **kw) -> str:
    out = tmp / "model"
    train(TrainConfig(model=str(tiny_model_dir), out_dir=str(out), epochs=1, batch_size=8, patience=None, **kw))
    return out


@pytest.fixture(scope="module")
def classify_dir(tmp_path_factory, tiny_model_dir):
    tmp = tmp_path_factory.mktemp("fast-cls")
    return _train(tmp, tiny_model_dir, train_file=str(write_sentiment_csv(tmp / "s.csv")), max_length=32)


@pytest.fixture(scope="module")
def ner_dir(tmp_path_factory, tiny_model_dir):
    tmp = tmp_path_factory.mktemp("fast-ner")
    return _train(tmp, tiny_model_dir, task="ner", train_file=str(copy_sample("news_ner.conll", tmp)), max_length=64)


@pytest.fixture(scope="module")
def qa_dir(tmp_path_factory, tiny_model_dir):
    tmp = tmp_path_factory.mktemp("fast-qa")
    return _train(tmp, tiny_model_dir, task="qa", train_file=str(copy_sample("product_faq_qa.csv", tmp)),
                  max_length=64, stride=16)


TEXTS = ["the lamp is great", "", "terrible, it broke on the second day and support never answered " * 6, "ok"]


def test_onnx_float32_gives_the_same_predictions_as_torch(classify_dir):
    plain, fast = Predictor.load(classify_dir), Predictor.load(classify_dir)
    result = F.enable(fast, "onnx", max_drop_points=0.5)
    assert result["accepted"] and result["mode"] == "onnx" and fast.fast_mode == "onnx"
    assert result["drop_points"] == 0 and result["n_eval"] == 6 and not result["cached"]
    assert (classify_dir / "fast" / "onnx.onnx").is_file()
    a, b = label_table(plain, pd.DataFrame({"text": TEXTS})), label_table(fast, pd.DataFrame({"text": TEXTS}))
    assert a["pred_label"].tolist() == b["pred_label"].tolist()
    np.testing.assert_allclose(a["pred_score"].astype(float).fillna(0), b["pred_score"].astype(float).fillna(0),
                               atol=1e-4)
    # attention still comes from the torch model, at full precision
    assert attention_of(fast, "the lamp is great").attentions.shape[0] == 2


@pytest.mark.parametrize("mode", ["onnx-int8", "int8"])
def test_int8_modes_are_accepted_or_refused_by_the_check(classify_dir, mode):
    fast = Predictor.load(classify_dir)
    result = F.enable(fast, mode, max_drop_points=100.0)
    assert result["accepted"] and fast.fast_mode == mode and result["metric"] == "accuracy"
    if mode == "int8":
        import torch
        assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in fast.fast.model.modules())
    else:
        import onnx
        ops = {n.op_type for n in onnx.load(str(classify_dir / "fast" / "onnx-int8.onnx")).graph.node}
        assert ops & {"MatMulInteger", "DynamicQuantizeMatMul", "QAttention"}, ops
    assert fast.predict(["the lamp is great"])[0]["label"] in ("neg", "pos")
    strict = Predictor.load(classify_dir)
    refused = F.enable(strict, mode, max_drop_points=-1.0)      # nothing can pass: full precision stays
    assert not refused["accepted"] and strict.fast_mode is None


def test_the_check_is_kept_with_the_onnx_file_and_follows_the_weights(classify_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy)
    shutil.rmtree(copy / "fast", ignore_errors=True)       # a copied folder keeps its check: start afresh
    first = F.enable(Predictor.load(copy), "onnx", max_drop_points=0.5)
    assert first["accepted"] and not first["cached"]
    # the training files are gone: the stored check for these weights is used
    meta = json.loads((copy / "bertdesk.json").read_text())
    meta["config"]["train_file"] = str(tmp_path / "gone.csv")
    (copy / "bertdesk.json").write_text(json.dumps(meta))
    again = Predictor.load(copy)
    second = F.enable(again, "onnx", max_drop_points=0.5)
    assert second["cached"] and second["accepted"] and again.fast_mode == "onnx"
    # touched but the same bytes: still the same check
    weights = copy / "model.safetensors"
    st = weights.stat()
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert F.enable(Predictor.load(copy), "onnx", max_drop_points=0.5)["cached"]
    # new weights (one byte changed): the stored check no longer applies and must be redone
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="cannot be read now"):
        F.enable(Predictor.load(copy), "onnx")


@pytest.mark.parametrize("task", ["ner", "qa"])
def test_onnx_per_token_tasks_match_torch(task, ner_dir, qa_dir, samples_dir):
    model_dir = ner_dir if task == "ner" else qa_dir
    plain, fast = Predictor.load(model_dir), Predictor.load(model_dir)
    assert F.enable(fast, "onnx", max_drop_points=0.5)["accepted"]
    if task == "ner":
        df = pd.DataFrame({"text": ["Maria Okafor flew to Port Harcourt on Monday .", "",
                                    "The board of Lumen Ltd met in Oslo " * 12]})
        cols = ["pred_tags", "spans"]
    else:
        df = pd.read_csv(samples_dir / "product_faq_qa.csv").head(8)
        cols = ["pred_answer", "pred_start"]
    a, b = label_table(plain, df), label_table(fast, df)
    if task == "ner":                  # entity scores may differ in the last digits; the spans may not
        for t in (a, b):
            t["spans"] = [[(e["type"], e["start"], e["end"]) for e in json.loads(v or "[]")] for v in t["pred_entities"]]
    assert a[cols].astype(str).values.tolist() == b[cols].astype(str).values.tolist()


def test_unknown_mode_is_refused(classify_dir):
    with pytest.raises(ModelError, match="unknown fast mode"):
        F.enable(Predictor.load(classify_dir), "turbo")
    assert F.default_mode() == "onnx-int8" and F.available_modes() == list(F.MODES)


# ---------------------------------------------------------------- the default backend (ONNX Runtime fp32)

def test_default_backend_is_built_once_checked_then_labels_without_the_torch_model(classify_dir, tmp_path,
                                                                                   monkeypatch):
    from bertdesk.core.labeling import use_default_backend

    monkeypatch.setattr(F, "gpu_possible", lambda: False)
    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy, ignore=shutil.ignore_patterns("fast"))
    sheet = write_sentiment_csv(tmp_path / "in.csv", n=40, seed=3)
    assert F.ready(copy) is None
    assert Predictor.load(copy, backend="auto").fast_mode is None       # nothing checked yet: torch
    first = Predictor.load(copy)
    verdict = use_default_backend(first, sheet)
    assert verdict["accepted"] and verdict["max_abs_diff"] <= F.TOLERANCE and verdict["n_checked"] == 40
    assert first.fast_mode == F.DEFAULT_MODE and F.ready(copy) == copy / "fast" / "onnx.onnx"
    assert use_default_backend(Predictor.load(copy), sheet) == {"accepted": True, "cached": True}

    auto = Predictor.load(copy, backend="auto")
    assert auto.fast_mode == F.DEFAULT_MODE and auto._model is None
    df = pd.read_csv(sheet)
    a, b = label_table(Predictor.load(copy), df), label_table(auto, df)
    assert a["pred_label"].tolist() == b["pred_label"].tolist()
    np.testing.assert_allclose(a["pred_score"].astype(float), b["pred_score"].astype(float), atol=1e-4)
    assert auto._model is None                     # labeling never needed the torch model
    assert attention_of(auto, "the lamp is great").attentions.shape[0] == 2     # loaded when asked
    assert auto._model is not None

    weights = copy / "model.safetensors"           # other weights: the verdict no longer applies
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    assert F.ready(copy) is None and Predictor.load(copy, backend="auto").fast_mode is None


def test_default_backend_refused_by_its_check_leaves_torch(classify_dir, tmp_path, monkeypatch):
    from bertdesk.core.labeling import use_default_backend

    monkeypatch.setattr(F, "TOLERANCE", -1.0)      # no graph can pass
    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy, ignore=shutil.ignore_patterns("fast"))
    predictor = Predictor.load(copy)
    verdict = use_default_backend(predictor, write_sentiment_csv(tmp_path / "in.csv", n=10))
    assert not verdict["accepted"] and "differ" in verdict["reason"]
    assert predictor.fast is None and F.ready(copy) is None
    stored = json.loads((copy / "fast" / "default.json").read_text())
    assert stored["accepted"] is False and stored["tolerance"] == -1.0


def test_command_line_labeling_with_a_checked_graph_imports_neither_torch_nor_onnx_nor_transformers(
        classify_dir, tmp_path):
    import subprocess
    import sys

    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy, ignore=shutil.ignore_patterns("fast"))
    sheet = write_sentiment_csv(tmp_path / "in.csv", n=30, seed=5)
    code = ("import sys\nfrom bertdesk.cli import main\n"
            f"rc = main(['label', '--model', {str(copy)!r}, '--input', {str(sheet)!r}, '--output', sys.argv[1], "
            "'--quiet'])\nprint('torch' in sys.modules, 'onnx' in sys.modules, 'transformers' in sys.modules, rc)")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"out{i}.csv")], capture_output=True,
                           text=True, timeout=300) for i in range(2)]
    assert "ONNX Runtime graph of this model (built once" in runs[0].stderr
    assert runs[0].stdout.split()[-4:] == ["True", "True", "True", "0"]   # the first run built it with all three
    assert json.loads((copy / "fast" / "tokenizer-check.json").read_text())["same"] is True
    if F.gpu_possible():
        pytest.skip("a GPU may be here: torch is asked which device to use")
    assert runs[1].stdout.split()[-4:] == ["False", "False", "False", "0"], runs[1].stderr
    first, second = pd.read_csv(tmp_path / "out0.csv"), pd.read_csv(tmp_path / "out1.csv")
    assert first["pred_label"].tolist() == second["pred_label"].tolist()


def test_command_line_fast_mode_checked_before_opens_its_graph_alone(classify_dir, tmp_path):
    """``--fast`` with a verdict kept for these weights: neither torch nor the float32 graph is
    loaded first (whether the int8 graph was accepted or refused, the run needs no torch)."""
    import subprocess
    import sys

    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy, ignore=shutil.ignore_patterns("fast"))
    sheet = write_sentiment_csv(tmp_path / "in.csv", n=30, seed=6)
    code = ("import sys\nfrom bertdesk.cli import main\nfrom bertdesk.core import fast\nopened = []\n"
            "init = fast.OnnxModel.__init__\n"
            "fast.OnnxModel.__init__ = lambda self, path, *a: (opened.append(path.name), init(self, path, *a))[1]\n"
            f"rc = main(['label', '--model', {str(copy)!r}, '--input', {str(sheet)!r}, '--output', sys.argv[1], "
            "'--quiet', *sys.argv[2:]])\nprint(','.join(opened), 'torch' in sys.modules or 'transformers' in sys.modules, rc)")

    def run(i, *extra):
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"out{i}.csv"), *extra],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    run(0)                                          # builds and checks the float32 graph
    first = run(1, "--fast", "onnx-int8")           # builds and checks the int8 one
    assert "checked earlier" not in first.stderr and first.stdout.split()[-1] == "0"
    again = run(2, "--fast", "onnx-int8")
    assert "fast mode onnx-int8" in again.stderr and "checked earlier on these weights" in again.stderr
    if F.gpu_possible():
        pytest.skip("a GPU may be here: torch is asked which device to use")
    accepted = json.loads((copy / "fast" / "onnx-int8.json").read_text())["accepted"]
    opened = "onnx-int8.onnx" if accepted else "onnx.onnx"        # refused: the float32 graph labels
    assert again.stdout.split()[-3:] == [opened, "False", "0"], again.stderr
    a, b = pd.read_csv(tmp_path / "out1.csv"), pd.read_csv(tmp_path / "out2.csv")
    assert a["pred_label"].tolist() == b["pred_label"].tolist()


def test_a_refused_fast_mode_is_not_checked_again(classify_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy, ignore=shutil.ignore_patterns("fast"))
    first = F.enable(Predictor.load(copy), "onnx-int8", max_drop_points=-1.0)
    assert not first["accepted"] and not first["cached"]
    meta = json.loads((copy / "bertdesk.json").read_text())          # the check could not be redone now
    meta["config"]["train_file"] = str(tmp_path / "gone.csv")
    (copy / "bertdesk.json").write_text(json.dumps(meta))
    again = Predictor.load(copy)
    second = F.enable(again, "onnx-int8", max_drop_points=-1.0)
    assert second["cached"] and not second["accepted"] and again.fast is None


def test_a_read_only_model_folder_labels_with_torch_and_builds_nothing(classify_dir, tmp_path, monkeypatch):
    from bertdesk.core.labeling import use_default_backend

    copy = tmp_path / "copy"
    shutil.copytree(classify_dir, copy, ignore=shutil.ignore_patterns("fast"))
    monkeypatch.setattr(F, "can_keep", lambda model_dir: False)     # as a folder on a read-only share
    predictor = Predictor.load(copy)
    assert use_default_backend(predictor, write_sentiment_csv(tmp_path / "in.csv", n=10)) is None
    assert predictor.fast is None and not (copy / "fast").exists()


def test_a_classifier_is_exported_with_its_last_layer_for_the_first_token_alone(classify_dir, tiny_model_dir):
    """[CLS] is all BERT's classifier reads: the export computes the last layer for it alone, and the
    logits stay those of the whole model (padding included); a head reading every token is exported
    whole."""
    import torch

    from bertdesk.core.first_token import last_layer_first_token
    from bertdesk.core.heads import BertMeanPoolForSequenceClassification
    from bertdesk.core.tasks.classification import ClassificationTask

    predictor = Predictor.load(classify_dir, backend="torch")
    model, task = predictor.model, predictor.task
    assert task.reads_first_token
    batch = predictor.tokenizer(["the lamp is great", "terrible, it broke on the second day", "ok"],
                                padding=True, return_tensors="pt")
    with torch.no_grad():
        whole = model(**batch).logits
        with last_layer_first_token(model, task):
            assert model.bert(**batch).last_hidden_state.shape[1] == 1
            trimmed = model(**batch).logits
        assert model.bert(**batch).last_hidden_state.shape[1] == batch["input_ids"].shape[1]   # put back
    torch.testing.assert_close(trimmed, whole, atol=1e-5, rtol=1e-5)

    mean_task = ClassificationTask(labels=["a", "b"], pooling="mean")
    mean_model = BertMeanPoolForSequenceClassification.from_pretrained(tiny_model_dir, num_labels=2).eval()
    assert not mean_task.reads_first_token
    with torch.no_grad(), last_layer_first_token(mean_model, mean_task):
        assert mean_model.bert(**batch).last_hidden_state.shape[1] == batch["input_ids"].shape[1]

    from transformers import BertForSequenceClassification      # a causal (decoder) BERT: [CLS] sees itself only
    causal = BertForSequenceClassification.from_pretrained(tiny_model_dir, num_labels=2, is_decoder=True).eval()
    with torch.no_grad(), last_layer_first_token(causal, task):
        assert causal.bert(**batch).last_hidden_state.shape[1] == batch["input_ids"].shape[1]


def test_labeling_with_torch_computes_the_last_layer_for_the_first_token_alone(classify_dir):
    """``Predictor.run`` with the torch model (and torch's int8 copy) uses the same shortcut: the same
    predictions as the whole model, the model whole again afterwards."""
    import torch

    predictor = Predictor.load(classify_dir, backend="torch")
    widths = []
    hook = predictor.model.bert.register_forward_hook(
        lambda _m, _args, out: widths.append(out.last_hidden_state.shape[1]))
    texts = ["the lamp is great", "terrible, it broke on the second day and support never answered", "ok"]
    features = predictor.task.encode(predictor.tokenizer, predictor.task.examples_from_texts(texts),
                                     with_labels=False)
    got = np.stack(predictor.run(features))
    assert widths and set(widths) == {1}
    hook.remove()
    batch = predictor.tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        whole = predictor.model(**batch).logits.numpy()
    np.testing.assert_allclose(got, whole, atol=1e-5)
    assert predictor.model.bert(**batch).last_hidden_state.shape[1] == batch["input_ids"].shape[1]
    widths.clear()
    hook = predictor.model.bert.register_forward_hook(
        lambda _m, _args, out: widths.append(out.last_hidden_state.shape[1]))
    np.testing.assert_allclose(np.stack(predictor.run(features, whole=True)), whole, atol=1e-5)
    assert widths and min(widths) > 1                   # the parity checks' reference: the whole model
    hook.remove()

    quantised = F.TorchInt8(predictor.model)
    widths.clear()
    quantised.model.bert.register_forward_hook(lambda _m, _args, out: widths.append(out.last_hidden_state.shape[1]))
    predictor.set_fast(quantised, "int8")
    predictor.run(features)
    assert widths and set(widths) == {1}
