"""What to label next: uncertain unlabeled rows, spread over clusters, in the input's own table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.errors import DataError
from bertdesk.core.suggest import diverse_pick, suggest_rows
from bertdesk.core.tasks import make_task


def test_uncertainty_is_one_minus_the_margin():
    u = make_task("classify").uncertainty([{"probs": [0.5, 0.5, 0.0]}, {"probs": [0.9, 0.1, 0.0]},
                                           {"probs": [0.2, 0.3, 0.5]}])
    assert np.allclose(u, [1.0, 0.2, 0.8])


def test_multilabel_uncertainty_is_the_least_confident_label():
    task = make_task("multilabel", labels=["a", "b"], thresholds=[0.5, 0.2])
    u = task.uncertainty([{"scores": np.array([0.99, 0.01])}, {"scores": np.array([0.99, 0.2])},
                          {"scores": np.array([0.75, 0.6])}])
    assert np.allclose(u, [0.05, 1.0, 0.5])          # b at its threshold is as unsure as it gets


def test_ner_uncertainty_is_the_least_certain_word():
    u = make_task("ner").uncertainty([{"scores": [0.99, 0.6, 0.95]}, {"scores": [0.99]}, {"scores": []}])
    assert np.allclose(u, [0.4, 0.01, 0.0])


def test_diverse_pick_takes_one_row_per_cluster_not_the_top_n_duplicates():
    rng = np.random.default_rng(0)
    # 20 near-identical, very uncertain rows, and 4 other groups a little less uncertain
    centres = np.eye(5) * 10
    groups = np.array([0] * 20 + [1, 2, 3, 4] * 5)
    x = centres[groups] + rng.normal(scale=0.01, size=(40, 5))
    scores = np.where(groups == 0, 0.99, 0.9) + rng.uniform(0, 0.005, size=40)
    picked = diverse_pick(scores, x, 5)
    assert sorted(groups[picked].tolist()) == [0, 1, 2, 3, 4]
    assert groups[picked[0]] == 0                         # best first
    assert (np.argsort(-scores)[:5] < 20).all()           # the plain top 5 would all be group 0


@pytest.fixture(scope="module")
def half_labeled(tmp_path_factory, tiny_model_dir):
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("suggest")
    csv = write_sentiment_csv(tmp / "train.csv", n=60)
    train(TrainConfig(train_file=str(csv), model=str(tiny_model_dir), out_dir=str(tmp / "model"), epochs=1,
                      max_length=32, patience=None))
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    df.loc[df.index[::2], "label"] = ""
    df.loc[4, "text"] = ""                                # no text: never suggested, no prediction
    df.to_csv(tmp / "half.csv", index=False)
    return tmp / "model", tmp / "half.csv", df


def test_suggest_ranks_only_unlabeled_rows_with_text(half_labeled):
    model, sheet, df = half_labeled
    result = suggest_rows(model, sheet, n=8)
    out = result.table
    assert result.n_unlabeled == 29 and result.n_suggested == 8
    assert out[df.columns.tolist()].equals(df)                        # every input cell, in order
    chosen = out[out["suggest_rank"].notna()]
    assert sorted(chosen["suggest_rank"].tolist()) == list(range(1, 9))
    assert (chosen["label"] == "").all() and (chosen["text"] != "").all()
    assert out.loc[4, "pred_label"] == "" and pd.isna(out.loc[4, "suggest_rank"])
    assert set(out.loc[out["text"] != "", "pred_label"]) <= {"pos", "neg"}


def test_more_rows_asked_than_unlabeled_suggests_them_all(half_labeled):
    model, sheet, _ = half_labeled
    assert suggest_rows(model, sheet, n=500).n_suggested == 29
    with pytest.raises(DataError, match="at least 1"):
        suggest_rows(model, sheet, n=0)
    with pytest.raises(DataError, match="no_such"):
        suggest_rows(model, sheet, {"label": "no_such"}, n=3)


def test_cli_suggest(half_labeled, tmp_path, capsys):
    model, sheet, df = half_labeled
    before = sheet.read_bytes()
    out = tmp_path / "next.csv"
    assert main(["suggest", "--model", str(model), "--input", str(sheet), "--n", "5", "--out", str(out),
                 "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["suggested"] == 5 and summary["unlabeled"] == 29
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == len(df) and (back["suggest_rank"] != "").sum() == 5
    assert main(["suggest", "--model", str(model), "--input", str(sheet), "--out", str(sheet)]) == 2
    assert sheet.read_bytes() == before


def test_multilabel_and_ner_models_suggest_their_unlabeled_rows(tmp_path, samples_dir, tiny_model_dir):
    from bertdesk.core import conll as C
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train

    tickets = pd.read_csv(samples_dir / "support_tickets_multilabel.csv", dtype=str, keep_default_na=False).head(80)
    tickets.to_csv(tmp_path / "tickets.csv", index=False)
    train(TrainConfig(task="multilabel", train_file=str(tmp_path / "tickets.csv"), model=str(tiny_model_dir),
                      out_dir=str(tmp_path / "ml"), epochs=1, max_length=32, patience=None))
    tickets.loc[40:, "topics"] = ""
    tickets.to_csv(tmp_path / "tickets-half.csv", index=False)
    result = suggest_rows(tmp_path / "ml", tmp_path / "tickets-half.csv", n=6)
    ranked = result.table["suggest_rank"].dropna()
    assert result.n_unlabeled == 40 and len(ranked) == 6 and (ranked.index >= 40).all()
    assert "pred_labels" in result.table.columns

    words, tags, _ = C.read_conll(samples_dir / "news_ner.conll")
    sheet = pd.DataFrame({"tokens": [" ".join(w) for w in words[:60]], "tags": [" ".join(t) for t in tags[:60]]})
    sheet.to_csv(tmp_path / "ner.csv", index=False)
    train(TrainConfig(task="ner", train_file=str(tmp_path / "ner.csv"), model=str(tiny_model_dir),
                      out_dir=str(tmp_path / "ner"), epochs=1, max_length=32, patience=None))
    sheet.loc[30:, "tags"] = ""
    sheet.to_csv(tmp_path / "ner-half.csv", index=False)
    result = suggest_rows(tmp_path / "ner", tmp_path / "ner-half.csv", n=5)
    ranked = result.table["suggest_rank"].dropna()
    assert result.n_unlabeled == 30 and len(ranked) == 5 and (ranked.index >= 30).all()
    assert "pred_entities" in result.table.columns
