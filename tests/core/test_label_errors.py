"""Suspicious labels: out-of-fold probabilities, cleanlab's ranking, the table it comes back in."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError
from bertdesk.core.label_errors import OUTPUT_COLUMNS, find_label_errors, out_of_fold_head, with_suspects


def test_the_fast_head_finds_points_labeled_against_their_cluster():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16)) * 4
    y = np.repeat([0, 1, 2], 40)
    x = centres[y] + rng.normal(size=(120, 16))
    wrong = np.array([3, 50, 97])
    y_noisy = y.copy()
    y_noisy[wrong] = (y[wrong] + 1) % 3
    probs = out_of_fold_head(x, y_noisy, folds=4)
    assert probs.shape == (120, 3) and np.allclose(probs.sum(1), 1)
    df = with_suspects(pd.DataFrame({"i": range(120)}), np.arange(120), y_noisy, probs, ["a", "b", "c"])
    assert set(df.loc[df["suspect_rank"] <= 3, "i"]) == set(wrong)
    assert df.loc[wrong, "suspect"].tolist() == [True] * 3
    assert df.loc[wrong, "suggested_label"].tolist() == [["a", "b", "c"][k] for k in y[wrong]]


def test_rows_without_a_label_keep_empty_cells_and_the_order_is_kept():
    df = pd.DataFrame({"text": list("abcdef"), "label": ["x", "", "y", "x", None, "y"]})
    rows = np.array([0, 2, 3, 5])
    y = np.array([0, 1, 0, 1])
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.1, 0.9], [0.6, 0.4]])
    out = with_suspects(df, rows, y, probs, ["x", "y"])
    assert out["text"].tolist() == list("abcdef") and list(out.columns[2:]) == list(OUTPUT_COLUMNS)
    assert out.loc[[1, 4], "suspect_rank"].isna().all() and out.loc[[1, 4], "suggested_label"].isna().all()
    assert out.loc[3, "suspect_rank"] == 1 and out.loc[3, "suggested_label"] == "y"
    assert sorted(out.loc[rows, "suspect_rank"].tolist()) == [1, 2, 3, 4]
    assert df.columns.tolist() == ["text", "label"]                     # the caller's frame is not changed


@pytest.mark.slow
def test_an_obviously_flipped_review_is_flagged_by_the_fast_mode(tmp_path, samples_dir):
    df = pd.read_csv(samples_dir / "reviews.csv", dtype=str, keep_default_na=False)
    clear = df.index[(df["sentiment"] == "positive") & df["text"].str.contains("Love it")][0]
    df.loc[clear, "sentiment"] = "negative"
    sheet = tmp_path / "reviews.csv"
    df.to_csv(sheet, index=False)
    result = find_label_errors(TrainConfig(train_file=str(sheet), columns={"text": "text", "label": "sentiment"}),
                               method="fast")
    row = result.table.loc[clear]
    assert row["suspect"] is True and row["suggested_label"] == "positive" and row["suspect_rank"] <= 5
    assert result.n_labeled == len(df) and result.method == "fast"


def test_kfold_fine_tunes_each_fold(tmp_path, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=40)
    config = TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), epochs=1, batch_size=16, max_length=32,
                         patience=None)
    logs = []
    result = find_label_errors(config, method="kfold", folds=2, on_event=lambda e: logs.append(getattr(e, "message", "")))
    assert result.folds == 2 and result.n_labeled == 40
    assert sum("fold" in m and "fine-tuning" in m for m in logs) == 2
    assert result.table["suspect_rank"].notna().sum() == 40


def test_problems_are_said_in_words(tmp_path, tiny_model_dir):
    sheet = tmp_path / "one.csv"
    sheet.write_text("text,label\n" + "good,pos\n" * 5 + "bad,neg\n", encoding="utf-8")
    with pytest.raises(DataError, match="only 1 row"):
        find_label_errors(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir)))
    with pytest.raises(DataError, match="not available"):
        find_label_errors(TrainConfig(task="ner", train_file=str(sheet), model=str(tiny_model_dir)))


def test_cli_find_errors_writes_a_ranked_copy_and_never_the_input(tmp_path, tiny_model_dir, capsys):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=40)
    before = sheet.read_bytes()
    out = tmp_path / "ranked.xlsx"
    assert main(["find-errors", "--train", str(sheet), "--model", str(tiny_model_dir), "--fast", "--out", str(out),
                 "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["labeled"] == 40 and summary["method"] == "fast" and 0 <= summary["flagged"] <= 40
    ranked = pd.read_excel(out)
    assert len(ranked) == 40 and set(OUTPUT_COLUMNS) <= set(ranked.columns)
    assert main(["find-errors", "--train", str(sheet), "--fast", "--out", str(sheet)]) == 2
    assert "overwrite the input" in capsys.readouterr().err
    assert sheet.read_bytes() == before
