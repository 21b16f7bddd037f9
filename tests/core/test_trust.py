"""Trusting the numbers: temperature scaling and ECE, the trivial baseline, warnings about a model
that learnt nothing, and what train/evaluate --json report."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core import calibration
from bertdesk.core.tasks import make_task
from bertdesk.core.tasks.classification import TextExamples
from bertdesk.core.trust import assess


def test_ece_is_zero_when_confidence_matches_accuracy_and_counts_the_gap_otherwise():
    conf = np.full(100, 0.9)
    right = np.arange(100) < 90
    assert calibration.ece(conf, right) == pytest.approx(0.0)
    assert calibration.ece(np.full(100, 0.99), right) == pytest.approx(0.09)
    points = calibration.reliability(conf, right)
    assert points == {"confidence": [0.9], "accuracy": [0.9], "count": [100]}


def test_temperature_undoes_over_confidence():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 1.5
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in p])              # labels drawn from the honest model
    t = calibration.fit_temperature(logits * 4, y, "softmax")      # the same model, 4x over-confident
    assert t == pytest.approx(4.0, rel=0.15)
    report = calibration.report(logits * 4, y, "softmax", t)
    assert report["ece"] < 0.03 < report["ece_uncalibrated"]
    assert report["brier"] < report["brier_uncalibrated"]


def test_per_label_temperatures_for_sigmoid_scores():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3000, 2)) * 2
    y = (rng.random(z.shape) < 1 / (1 + np.exp(-z))).astype(float)
    t = calibration.fit_temperature(z * np.array([5.0, 0.5]), y, "sigmoid")
    assert t[0] == pytest.approx(5.0, rel=0.2) and t[1] == pytest.approx(0.5, rel=0.2)


def _examples(labels):
    return TextExamples([f"t{i}" for i in range(len(labels))], list(labels))


def test_a_model_that_always_says_the_majority_is_called_out():
    task = make_task("classify", labels=["neg", "neu", "pos"])
    ex = _examples(["pos"] * 14 + ["neg"] * 4 + ["neu"] * 2)
    preds = [{"label": "pos", "score": 0.9, "probs": np.array([0.05, 0.05, 0.9])}] * 20
    metrics = task.evaluate(preds, ex)
    found = assess(task, preds, ex, metrics)
    assert found["baseline"] == {"name": "always “pos”", "always": "pos", "accuracy": 0.7,
                                 "macro_f1": pytest.approx(0.2745, abs=1e-4)}
    assert len(found["warnings"]) == 2
    assert found["warning_facts"] == [{"kind": "missed", "unit": "rows", "labels": [["neg", 4], ["neu", 2]]},
                                      {"kind": "no_gain", "metric": "accuracy", "value": 0.7, "baseline": 0.7}]
    assert "never predicts “neg” (4 held-out rows), “neu” (2 held-out rows)" in found["warnings"][0]
    assert "no better than always “pos” (accuracy 70.0% against 70.0%)" in found["warnings"][1]
    assert found["ece_uncalibrated"] == found["ece"] == pytest.approx(0.2)      # 0.9 sure, 70 % right


def test_baselines_of_the_other_tasks():
    ml = make_task("multilabel", labels=["a", "b", "c"])
    ex = _examples([["a"], ["a", "b"], ["a"], ["c"], ["a", "b"]])
    base = ml.baseline(ex)
    assert base["name"] == "always “a;b”" and base["micro_f1"] == pytest.approx(12 / (12 + 4 + 1))   # > a alone: 8/12
    ner = make_task("ner", labels=["O", "B-PER", "I-PER"])
    from bertdesk.core.tasks.ner import TokenExamples
    assert ner.baseline(TokenExamples([["Ana", "ran"]], [["B-PER", "O"]])) == {
        "name": "no entities (every word O)", "f1": 0.0, "token_accuracy": 0.5}
    qa = make_task("qa")
    from bertdesk.core.tasks.qa import QAExamples
    ctx = "Lyon is in France. It is big."
    base = qa.baseline(QAExamples(["Where?", "Size?"], [ctx, ctx],
                                  [[{"text": "Lyon is in France.", "start": 0}], [{"text": "big", "start": 25}]]))
    assert base["name"] == "the context's first sentence" and base["exact_match"] == 0.5


def _noisy_sheet(path, n=120, flip=0.3, seed=0):
    from tests.conftest import write_sentiment_csv

    write_sentiment_csv(path, n=n, seed=seed)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    wrong = rng.random(n) < flip
    df.loc[wrong, "label"] = df.loc[wrong, "label"].map({"pos": "neg", "neg": "pos"})
    df.to_csv(path, index=False)
    return path


def test_temperature_scaling_lowers_the_ece_of_a_deliberately_over_confident_model(tmp_path, tiny_model_dir):
    """A tiny classifier trained on labels 20 % of which are wrong, its logits then made 5 times
    sharper than the temperature fitted in training says they should be: sure of every answer. The
    temperature fitted on other held-out rows brings its ECE down and keeps its answers."""
    import torch

    from bertdesk.core.config import TrainConfig
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.tasks import task_for_config
    from bertdesk.core.training import train

    train(TrainConfig(train_file=str(_noisy_sheet(tmp_path / "train.csv", n=200, flip=0.2)), model=str(tiny_model_dir),
                      out_dir=str(tmp_path / "m"), epochs=4, batch_size=8, learning_rate=1e-3, eval_fraction=0.3,
                      patience=None))
    predictor = Predictor.load(tmp_path / "m")
    fitted = predictor.task.temperature
    with torch.no_grad():
        predictor.model.classifier.weight.mul_(5.0 / fitted)
        predictor.model.classifier.bias.mul_(5.0 / fitted)
    predictor.task.temperature = 1.0
    held_out = _noisy_sheet(tmp_path / "held.csv", n=300, flip=0.2, seed=1)
    task = task_for_config(predictor.folder.config, {**predictor.meta["task_state"], "temperature": 1.0})
    examples = task.read_examples(held_out, {"text": "text", "label": "label"})
    predictions = predictor.predict_examples(examples)
    calibrated = task.calibrate(predictions, examples)
    found = assess(task, calibrated, examples, task.evaluate(calibrated, examples))
    assert np.mean([p["score"] for p in predictions]) > np.mean([p["score"] for p in calibrated])
    assert task.temperature > 2
    assert found["ece"] < found["ece_uncalibrated"] - 0.03 and found["ece_uncalibrated"] > 0.1
    assert [p["label"] for p in calibrated] == [p["label"] for p in predictions]     # the same answers


def test_training_saves_the_temperature_and_both_commands_report_calibration(tmp_path, tiny_model_dir, capsys):
    sheet = _noisy_sheet(tmp_path / "noisy.csv")
    code = main(["train", "--train", str(sheet), "--model", str(tiny_model_dir), "--out", str(tmp_path / "m"),
                 "--epochs", "2", "--batch-size", "16", "--eval-fraction", "0.3", "--json", "--quiet"])
    assert code == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert 0 <= out["ece"] <= 1 and 0 <= out["ece_uncalibrated"] <= 1 and 0 <= out["brier"] <= 2
    assert out["baseline"]["name"].startswith("always “") and isinstance(out["warnings"], list)
    from bertdesk.core.model_folder import open_folder
    from bertdesk.core.predictor import Predictor

    meta = open_folder(tmp_path / "m").meta
    temperature = meta["task_state"]["temperature"]
    assert meta["metrics"]["calibration"]["temperature"] == pytest.approx(temperature, rel=1e-3)
    assert Predictor.load(tmp_path / "m").task.temperature == pytest.approx(temperature)
    code = main(["evaluate", "--model", str(tmp_path / "m"), "--data", str(sheet), "--json", "--quiet"])
    assert code == 0
    evaluated = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"ece", "ece_uncalibrated", "brier", "baseline", "warnings"} <= set(evaluated)


# ---------------------------------------------------------------- class weights

def test_class_weights_are_inverse_frequencies_and_weigh_the_loss():
    import torch

    task = make_task("classify", labels=["neg", "pos"])
    weights = task.loss_weights(_examples(["pos"] * 90 + ["neg"] * 10))
    assert weights == pytest.approx([5.0, 100 / 180])
    logits = torch.tensor([[2.0, -1.0], [0.5, 0.2], [-1.0, 3.0]])
    labels = torch.tensor([0, 1, 1])
    expected = torch.nn.functional.cross_entropy(logits, labels, reduction="none") * torch.tensor([5.0, 0.5556, 0.5556])
    got = task.weighted_loss(logits, labels, torch.tensor([5.0, 0.5556]))
    assert float(got) == pytest.approx(float(expected.sum() / 3), rel=1e-4)
    ml = make_task("multilabel", labels=["a", "b"])
    assert ml.loss_weights(_examples([["a"], ["a"], ["a", "b"], ["a"]])).tolist() == [1.0, 3.0]


def _skewed(path, n_major=90, n_minor=10):
    rows = ["text,label"] + [f"item {i} is fine,pos" for i in range(n_major)] + \
        [f"item {i} broke,neg" for i in range(n_minor)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_class_weights_reach_training_and_the_frozen_head(tmp_path, tiny_model_dir):
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.errors import DataError
    from bertdesk.core.training import train

    sheet = _skewed(tmp_path / "skewed.csv")
    logs = []
    train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / "w"), epochs=0.2,
                      batch_size=8, patience=None, class_weights="auto"),
          on_event=lambda e: logs.append(getattr(e, "message", "")))
    assert any(m.startswith("Class weights (rare labels count more): neg 5.00, pos 0.56") for m in logs)
    results = {}
    for weights in ("none", "auto"):
        res = train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / weights),
                                frozen_encoder=True, class_weights=weights, eval_fraction=0.3))
        results[weights] = res.metrics["per_class"]["neg"]["recall"]
    assert results["auto"] >= results["none"]
    with pytest.raises(DataError, match="class_weights must be one of"):
        train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / "x"),
                          class_weights="yes"))


def test_a_handful_of_held_out_rows_leaves_the_temperature_at_one():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(calibration.MIN_ITEMS - 1, 2)) * 5
    assert calibration.fit_temperature(z, z.argmax(1), "softmax") == 1.0          # all right: would sharpen
    z = rng.normal(size=(400, 2)) * 5
    assert calibration.fit_temperature(z, z.argmax(1), "softmax") == pytest.approx(calibration.T_RANGE[0], rel=0.05)
