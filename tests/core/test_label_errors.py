"""Suspicious labels: out-of-fold probabilities, cleanlab's ranking, the table it comes back in."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError
from bertdesk.core.error_kinds import Single, out_of_fold_head, with_suspects
from bertdesk.core.label_errors import OUTPUT_COLUMNS, find_label_errors


def test_the_fast_head_finds_points_labeled_against_their_cluster():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16)) * 4
    y = np.repeat([0, 1, 2], 40)
    x = centres[y] + rng.normal(size=(120, 16))
    wrong = np.array([3, 50, 97])
    y_noisy = y.copy()
    y_noisy[wrong] = (y[wrong] + 1) % 3
    probs = out_of_fold_head(x, y_noisy, Single.splits(y_noisy, 4, 42))
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
        find_label_errors(TrainConfig(task="qa", train_file=str(sheet), model=str(tiny_model_dir)))


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


# ---------------------------------------------------------------- multi-label and NER

def test_multilabel_suspects_name_the_labels_that_look_missing_or_wrong():
    from bertdesk.core.error_kinds import Multi
    from bertdesk.core.tasks import make_task

    task = make_task("multilabel", labels=["billing", "refund", "shipping"])
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=(60, 3))
    probs = np.where(y == 1, 0.9, 0.1) + rng.uniform(-0.05, 0.05, size=y.shape)
    y[7] = [1, 0, 0]                    # the model is sure of refund, not billing
    probs[7] = [0.05, 0.95, 0.1]
    df = Multi.suspects(pd.DataFrame({"i": range(60)}), np.arange(60), y, probs, task, None)
    assert df.loc[7, "suspect_rank"] == 1 and df.loc[7, "suspect"]
    assert df.loc[7, "suspect_labels"] == "-billing;+refund" or df.loc[7, "suspect_labels"] == "+refund;-billing"
    assert df.loc[7, "suggested_labels"] == "refund"
    assert df["suspect"].sum() <= 5


def test_token_suspects_give_the_word_its_tags_and_its_span():
    from bertdesk.core.error_kinds import Tokens
    from bertdesk.core.tasks import make_task
    from bertdesk.core.tasks.ner import TokenExamples

    task = make_task("ner", labels=["O", "B-LOC", "I-LOC", "B-PER", "I-PER"])
    words = [["Ana", "lives", "in", "Porto"]] * 30
    examples = TokenExamples(words, [["B-PER", "O", "O", "B-LOC"]] * 30)
    y = Tokens.targets(task, examples)
    y[4] = np.array([0, 0, 0, 1])       # "Ana" tagged O in one sentence
    good = np.array([[0.02, 0.02, 0.02, 0.92, 0.02], [0.96, 0.01, 0.01, 0.01, 0.01],
                     [0.96, 0.01, 0.01, 0.01, 0.01], [0.02, 0.92, 0.02, 0.02, 0.02]])
    probs = [good.copy() for _ in range(30)]
    df = Tokens.suspects(pd.DataFrame({"line": range(30)}), np.arange(30), y, probs, task, examples)
    assert df.loc[4, "suspect_rank"] == 1 and df.loc[4, "suspect"] and df["suspect"].sum() == 1
    found = json.loads(df.loc[4, "suspect_tokens"])
    assert found == [{"word": "Ana", "index": 0, "start": 0, "end": 3, "given": "O", "suggested": "B-PER",
                      "score": found[0]["score"]}] and found[0]["score"] > 0.9
    assert df.loc[5, "suspect_tokens"] == ""


def _flip_tickets(tmp_path, samples_dir, n=8, seed=0):
    df = pd.read_csv(samples_dir / "support_tickets_multilabel.csv", dtype=str, keep_default_na=False)
    labels = sorted({lab for v in df["topics"] for lab in v.split(";")})
    rng = np.random.default_rng(seed)
    flipped = rng.choice(len(df), n, replace=False)
    for i in flipped:
        df.loc[i, "topics"] = rng.choice([lab for lab in labels if lab not in df.loc[i, "topics"].split(";")])
    path = tmp_path / "tickets.csv"
    df.to_csv(path, index=False)
    return path, set(int(i) for i in flipped)


@pytest.mark.slow
def test_wrong_ticket_topics_are_found_by_the_fast_mode(tmp_path, samples_dir):
    path, flipped = _flip_tickets(tmp_path, samples_dir)
    result = find_label_errors(TrainConfig(task="multilabel", train_file=str(path), max_length=64), method="fast")
    df = result.table
    top = set(df.sort_values("suspect_rank").index[:len(flipped)])
    assert len(top & flipped) >= len(flipped) - 1 and df.loc[sorted(flipped), "suspect"].all()
    assert df["topics"].tolist() == pd.read_csv(path, dtype=str)["topics"].tolist()       # order kept
    assert all(df.loc[i, "suspect_labels"] for i in flipped)


def _flip_conll(tmp_path, samples_dir, n=6, seed=0):
    from bertdesk.core import conll as C

    words, tags, _ = C.read_conll(samples_dir / "news_ner.conll")
    rng = np.random.default_rng(seed)
    flipped = {}
    for i in rng.permutation(len(words)):
        starts = [j for j, t in enumerate(tags[i]) if t == "B-PER"]
        if starts:
            tags[i][starts[0]] = "B-LOC"           # a person's first name tagged as a place
            flipped[int(i)] = starts[0]
        if len(flipped) == n:
            break
    lines = []
    for ws, ts in zip(words, tags):
        lines += [f"{w} {t}" for w, t in zip(ws, ts)] + [""]
    path = tmp_path / "news.conll"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, flipped


@pytest.mark.slow
def test_a_person_tagged_as_a_place_is_found_with_its_word_by_the_cli(tmp_path, samples_dir, capsys):
    path, flipped = _flip_conll(tmp_path, samples_dir)
    before = path.read_bytes()
    out = tmp_path / "news-suspects.csv"
    assert main(["find-errors", "--task", "ner", "--train", str(path), "--fast", "--out", str(out), "--json",
                 "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert summary["labeled"] == len(df) == 300 and list(df.columns[:3]) == ["line", "tokens", "tags"]
    for i, j in flipped.items():
        assert df.loc[i, "suspect"] == "True"
        words = [t["word"] for t in json.loads(df.loc[i, "suspect_tokens"])]
        assert df.loc[i, "tokens"].split()[j] in words
    assert path.read_bytes() == before


def test_kfold_gives_every_word_out_of_fold_tags(tmp_path, samples_dir, tiny_model_dir):
    from bertdesk.core import conll as C

    words, tags, _ = C.read_conll(samples_dir / "news_ner.conll")
    path = tmp_path / "few.conll"
    path.write_text("\n".join("\n".join(f"{w} {t}" for w, t in zip(ws, ts)) + "\n" for ws, ts in
                              zip(words[:40], tags[:40])), encoding="utf-8")
    config = TrainConfig(task="ner", train_file=str(path), model=str(tiny_model_dir), epochs=1, batch_size=16,
                         max_length=32, patience=None)
    result = find_label_errors(config, method="kfold", folds=2)
    assert result.n_labeled == 40 and result.table["suspect_rank"].notna().all()
    assert result.table["suspect_score"].between(0, 1).all()
