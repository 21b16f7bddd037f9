"""The real bundled model learns the bundled sample: well above the majority class on held-out rows."""

from __future__ import annotations

import pytest

from bertdesk.core.config import TrainConfig
from bertdesk.core.inference import Predictor
from bertdesk.core.metrics import majority_baseline
from bertdesk.core.training import train
from bertdesk.core.workspace import samples_dir

pytestmark = pytest.mark.slow


def test_bundled_model_beats_majority_on_sample_reviews(tmp_path):
    config = TrainConfig(task="classify", train_file=str(samples_dir() / "reviews.csv"),
                         columns={"text": "text", "label": "sentiment"}, out_dir=str(tmp_path / "model"),
                         epochs=3, batch_size=16, learning_rate=1e-4, max_length=64, eval_fraction=0.2,
                         patience=None, seed=11)
    result = train(config)
    metrics = result.metrics
    labels = metrics["labels"]
    truth = [labels.index(name) for name, m in metrics["per_class"].items() for _ in range(m["support"])]
    baseline = majority_baseline(truth)
    assert result.n_eval == 60
    assert baseline == pytest.approx(0.4)
    assert metrics["accuracy"] >= baseline + 0.35, metrics

    from transformers import pipeline
    classify = pipeline("text-classification", model=str(tmp_path / "model"))
    assert classify("Absolutely love it, works perfectly and looks great.")[0]["label"] == "positive"
    assert classify("Broke after two days, I want a refund. Terrible.")[0]["label"] == "negative"

    predictor = Predictor.load(tmp_path / "model")
    att = predictor.attention("Excellent kettle, I love it")
    assert att.attentions.shape[:2] == (6, 12)                # MiniLM-L6: 6 layers, 12 heads


def test_demo_command_end_to_end(tmp_path, capsys):
    import pandas as pd

    from bertdesk.cli import main

    assert main(["demo", "--out", str(tmp_path), "--epochs", "2", "--json", "--quiet"]) == 0
    labeled = pd.read_csv(tmp_path / "reviews_to_label-labeled.csv", dtype=str, keep_default_na=False)
    source = pd.read_csv(samples_dir() / "reviews_to_label.csv", dtype=str, keep_default_na=False)
    assert labeled.columns.tolist() == source.columns.tolist() + ["pred_label", "pred_score"]
    assert labeled["id"].tolist() == source["id"].tolist()
    empty = source["text"].str.strip() == ""
    assert (labeled.loc[empty, "pred_label"] == "").all()
    assert set(labeled.loc[~empty, "pred_label"]) <= {"positive", "negative", "neutral"}
    assert labeled["text"].str.startswith("'=").sum() == 1       # the formula-like text is neutralised
