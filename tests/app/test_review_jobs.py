"""The Review page's jobs without Qt: open a model's sheet, suspicious labels, rows to label next,
retraining on the reviewed copy and the comparison with the model before."""

from __future__ import annotations

import pandas as pd
import pytest

from bertdesk.app import results, review
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import BertdeskError
from bertdesk.core.model_folder import open_folder
from bertdesk.core.training import train


@pytest.fixture(scope="module")
def partly_labeled(tmp_path_factory, tiny_model_dir):
    """A sheet of 80 rows, 60 of them labeled, and a frozen-encoder model trained on it."""
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("review-jobs")
    path = write_sentiment_csv(tmp / "sheet.csv", n=80)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[60:, "label"] = ""
    df.to_csv(path, index=False)
    train(TrainConfig(train_file=str(path), model=str(tiny_model_dir), out_dir=str(tmp / "model"),
                      frozen_encoder=True, columns={"text": "text", "label": "label"}))
    return path, tmp / "model"


def test_the_sheet_opens_with_the_models_columns_and_labels(partly_labeled):
    path, model = partly_labeled
    opened = review.open_sheet(model)
    sheet = opened["sheet"]
    assert sheet.source == path.resolve() and sheet.labels[:2] == ["neg", "pos"] and not opened["resumed"]
    assert sheet.unlabeled_rows() == 20 and sum(sheet.labeled_counts().values()) == 60


def test_suspects_and_suggestions_come_back_row_by_row(partly_labeled):
    path, model = partly_labeled
    sheet = review.open_sheet(model)["sheet"]
    found = review.find_suspects(model, sheet.table(), "fast", folds=3)
    suspects = found["suspects"]
    assert list(suspects.columns) == list(review.SUSPECT_COLUMNS) and len(suspects) == 80
    assert suspects["suspect_rank"].notna().sum() == 60 and suspects.loc[60:, "suspect_rank"].isna().all()
    assert found["n_labeled"] == 60 and found["method"] == "fast"
    suggested = review.suggest_next(model, sheet.table(), n=5)["suggestions"]
    ranked = suggested["suggest_rank"].dropna()
    assert sorted(ranked.astype(int)) == [1, 2, 3, 4, 5] and (ranked.index >= 60).all()
    assert suggested["pred_label"].isin(["neg", "pos"]).all()


def test_regression_models_cannot_be_reviewed(tmp_path, samples_dir, tiny_model_dir):
    from bertdesk.cli import main

    out = tmp_path / "ml"
    assert main(["train", "--task", "multilabel", "--train", str(samples_dir / "support_tickets_multilabel.csv"),
                 "--model", str(tiny_model_dir), "--epochs", "1", "--max-rows", "40", "--out", str(out),
                 "--quiet"]) == 0
    assert "classification models" in review.reviewable(out)[1]
    with pytest.raises(BertdeskError, match="classification models"):
        review.open_sheet(out)


def test_retraining_on_the_copy_is_measured_against_the_model_before(partly_labeled, workspace):
    path, model = partly_labeled
    sheet = review.open_sheet(model)["sheet"]
    for row in range(60, 80):                     # label the rest as the sheet's pattern says
        sheet.set_label(row, "pos" if row % 2 == 0 else "neg")
    config = review.retrain_config(model, sheet, fine_tune=False)
    assert config.train_file == str(sheet.copy_path) and config.compare_to == str(model.resolve())
    assert config.frozen_encoder and config.out_dir == str(workspace / "models" / "model-reviewed")
    train(config)
    shown = results.evaluation(config.out_dir)
    previous = shown["previous"]
    assert previous["name"] == "model" and 0 <= previous["metrics"]["accuracy"] <= 1
    assert len(shown["predictions"]) == open_folder(config.out_dir).meta["n_eval"] == 8
    tuned = review.retrain_config(model, sheet, fine_tune=True)
    assert not tuned.frozen_encoder and tuned.learning_rate == 5e-5 and tuned.epochs >= 3
