"""A head on the frozen encoder: the saved model is the fitted head, and it learns from few labels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.config import TrainConfig, few_labels
from bertdesk.core.embeddings import fit_head, head_weights
from bertdesk.core.errors import DataError
from bertdesk.core.model_folder import open_folder
from bertdesk.core.predictor import Predictor
from bertdesk.core.training import train


def _softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


@pytest.mark.parametrize("classes", [2, 3])
def test_the_linear_layer_gives_the_heads_probabilities(classes):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(90, 8)) + np.repeat(np.eye(classes, 8) * 3, 90 // classes, axis=0)
    y = np.repeat(np.arange(classes), 90 // classes)
    head = fit_head(x, y)
    weight, bias = head_weights(head, classes + 1)           # one label the head never saw
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    probs = _softmax(unit @ weight.T + bias)
    assert np.allclose(probs[:, :classes], head.predict_proba(x), atol=1e-5)
    assert probs[:, classes].max() < 1e-9


def _partly_labeled(tmp_path, samples_dir, labeled: int):
    df = pd.read_csv(samples_dir / "reviews.csv", dtype=str, keep_default_na=False)
    truth = df["sentiment"].copy()
    df.loc[labeled:, "sentiment"] = ""
    path = tmp_path / "partly.csv"
    df.to_csv(path, index=False)
    return path, truth


def test_a_frozen_model_folder_loads_and_predicts_with_its_head(tmp_path, samples_dir, tiny_model_dir):
    sheet, _ = _partly_labeled(tmp_path, samples_dir, 60)
    logs = []
    config = TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                         frozen_encoder=True, eval_fraction=0.2)
    result = train(config, on_event=lambda e: logs.append(getattr(e, "message", "")))
    folder = open_folder(tmp_path / "m")
    assert folder.meta["task_state"]["pooling"] == "mean" and folder.config.frozen_encoder
    assert result.n_train + result.n_eval == 60
    assert any("240 rows have no label" in m for m in logs) and any("encoder frozen" in m for m in logs)
    predictor = Predictor.load(tmp_path / "m")
    assert type(predictor.model).__name__ == "BertMeanPoolForSequenceClassification"
    # the saved encoder is the base model's, untouched
    from transformers import AutoModel
    base = AutoModel.from_pretrained(tiny_model_dir)
    assert np.allclose(predictor.model.bert.embeddings.word_embeddings.weight.detach().numpy(),
                       base.embeddings.word_embeddings.weight.detach().numpy())
    preds = predictor.predict(["The kettle is great", "Broke after a day"])
    assert all(p["label"] in folder.labels and abs(p["probs"].sum() - 1) < 1e-6 for p in preds)
    assert folder.metrics["accuracy"] == pytest.approx(result.metrics["accuracy"])


@pytest.mark.slow
def test_sixty_labels_and_the_bundled_model_label_the_rest_well(tmp_path, samples_dir):
    sheet, truth = _partly_labeled(tmp_path, samples_dir, 60)
    result = train(TrainConfig(train_file=str(sheet), out_dir=str(tmp_path / "m"), frozen_encoder=True,
                               eval_fraction=0.2))
    assert result.elapsed_s < 60
    predictor = Predictor.load(tmp_path / "m")
    unlabeled = pd.read_csv(samples_dir / "reviews.csv", dtype=str, keep_default_na=False).iloc[60:]
    predicted = [p["label"] for p in predictor.predict(unlabeled["text"].tolist())]
    accuracy = np.mean(np.array(predicted) == truth.iloc[60:].to_numpy())
    assert accuracy >= 0.85, accuracy


def test_tasks_without_a_frozen_head_say_so(tmp_path, samples_dir, tiny_model_dir):
    config = TrainConfig(task="multilabel", train_file=str(samples_dir / "support_tickets_multilabel.csv"),
                         model=str(tiny_model_dir), out_dir=str(tmp_path / "m"), frozen_encoder=True)
    with pytest.raises(DataError, match="frozen-encoder head is not available"):
        train(config)
    assert not (tmp_path / "m").exists()


def test_few_labels_rule():
    assert few_labels({"pos": 12, "neg": 200}) and not few_labels({"pos": 30, "neg": 31}) and not few_labels({})


def test_cli_train_frozen(tmp_path, tiny_model_dir, sentiment_csv, capsys):
    code = main(["train", "--train", str(sentiment_csv), "--model", str(tiny_model_dir), "--out",
                 str(tmp_path / "m"), "--frozen", "--json", "--quiet"])
    assert code == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert 0 <= out["accuracy"] <= 1 and out["n_train"] == 54
    assert open_folder(tmp_path / "m").meta["task_state"]["pooling"] == "mean"
