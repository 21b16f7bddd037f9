"""The real bundled model learns the bundled sample: well above the majority class on held-out rows."""

from __future__ import annotations

import pytest

from bertdesk.core.labeling import label_table
from bertdesk.core.attention import attention_of
from bertdesk.core.config import TrainConfig
from bertdesk.core.predictor import Predictor
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
    att = attention_of(predictor, "Excellent kettle, I love it")
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


def test_bundled_model_learns_sample_entities(tmp_path):
    from bertdesk.core.conll import spans
    from bertdesk.core.tasks import make_task

    config = TrainConfig(task="ner", train_file=str(samples_dir() / "news_ner.conll"), out_dir=str(tmp_path / "ner"),
                         epochs=6, batch_size=16, learning_rate=3e-4, eval_fraction=0.2, patience=None, seed=5)
    result = train(config)
    # trivial baseline: tag every word with the type it had most often in training, else O
    task = make_task("ner")
    examples = task.read_examples(config.train_file, {})
    train_ex, eval_ex = task.split(examples, 0.2, 5)
    votes: dict[str, dict[str, int]] = {}
    for words, tags in zip(train_ex.words, train_ex.tags):
        for w, t in zip(words, tags):
            votes.setdefault(w, {}).setdefault(t, 0)
            votes[w][t] += 1
    from bertdesk.core.metrics import ner_metrics
    guess = [[max(votes[w], key=votes[w].get) if w in votes else "O" for w in ws] for ws in eval_ex.words]
    baseline = ner_metrics(eval_ex.tags, guess)["f1"]
    assert result.metrics["f1"] >= baseline + 0.15, (result.metrics["f1"], baseline)
    assert result.metrics["f1"] >= 0.8
    assert sum(len(spans(t)) for t in eval_ex.tags) == sum(m["support"] for m in result.metrics["per_type"].values())

    from transformers import pipeline
    tagger = pipeline("token-classification", model=str(tmp_path / "ner"), aggregation_strategy="first")
    found = tagger("Maria Okafor flew to Port Harcourt on Monday.")
    assert any(e["entity_group"] == "PER" and "okafor" in e["word"] for e in found)


def test_bundled_model_learns_sample_questions(tmp_path):
    import pandas as pd

    config = TrainConfig(task="qa", train_file=str(samples_dir() / "product_faq_qa.csv"), out_dir=str(tmp_path / "qa"),
                         epochs=6, batch_size=16, learning_rate=3e-4, max_length=256, stride=64,
                         eval_fraction=0.2, patience=None, seed=5)
    result = train(config)
    from bertdesk.core.metrics import squad_metrics
    from bertdesk.core.tasks import make_task

    task = make_task("qa")
    _, eval_ex = task.split(task.read_examples(config.train_file, {}), 0.2, 5)
    assert result.n_eval == len(eval_ex) >= 30                 # held-out contexts only
    # trivial baseline: answer with the context's first sentence
    baseline = squad_metrics([c.split(".")[0] for c in eval_ex.contexts], eval_ex.answers)["f1"]
    assert result.metrics["f1"] >= max(0.60, baseline + 0.30), (result.metrics, baseline)
    predictor = Predictor.load(tmp_path / "qa")
    df = pd.read_csv(samples_dir() / "product_faq_qa.csv").head(10)
    out = label_table(predictor, df)
    assert list(out.columns) == list(df.columns) + ["pred_answer", "pred_score", "pred_start"]
    for ctx, ans, start in zip(out["context"], out["pred_answer"], out["pred_start"]):
        assert ans == "" or ctx[int(start):int(start) + len(ans)] == ans
