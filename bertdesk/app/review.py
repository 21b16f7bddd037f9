"""The Review page's jobs: a model's training sheet opened for review, its suspicious labels, the
rows to label next, and the job that retrains on the corrected copy.

The sheet itself (``core.review.ReviewSheet``) lives in the window's thread once opened; the jobs
here get a snapshot of it (``ReviewSheet.table()``) and return plain columns to show beside it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..core.errors import BertdeskError
from .imports import ensure_imported
from .predictors import predictor_for

SUSPECT_COLUMNS = ("suspect_score", "suggested_label", "suspect_rank", "suspect")
SUGGEST_COLUMNS = ("pred_label", "pred_score", "suggest_rank")


def reviewable(model_dir) -> tuple[object, str]:
    """(the model folder, "") when its labels can be reviewed, else (folder or None, why not)."""
    from ..core.model_folder import try_open
    from ..core.tasks import TASKS

    folder = try_open(model_dir) if model_dir else None
    if folder is None:
        return None, "Choose a trained model."
    task = TASKS[folder.task_name]
    if not task.reviewable:
        return folder, f"Reviewing labels is available for classification models; this one is {task.title.lower()}."
    return folder, ""


def open_sheet(model_dir, path=None, *, on_event=None, cancel=None) -> dict:
    """The sheet ``model_dir`` was trained on (or ``path``, with the same columns) opened for
    review: {"sheet", "model_dir", "resumed"}; its reviewed copy when there is one."""
    from ..core.review import ReviewSheet

    folder, problem = reviewable(model_dir)
    if problem:
        raise BertdeskError(problem)
    config = folder.config
    source = Path(path or config.train_file)
    columns = config.columns
    same_file = not path or Path(path).resolve() == Path(config.train_file).resolve()
    sheet = ReviewSheet.open(source, columns["text"], columns["label"], labels=folder.labels,
                             read_options=config.read_options if same_file else None)
    return {"sheet": sheet, "model_dir": str(model_dir), "resumed": sheet.resumed}


def find_suspects(model_dir, table, method: str = "fast", folds: int = 4, *, on_event=None, cancel=None) -> dict:
    """Suspicious labels of ``table`` (the sheet as it is now), with probabilities from models that
    did not see the row: the trained model's base encoder (``fast``: a head per fold on its frozen
    embeddings; ``kfold``: one quick fine-tune per fold). {"suspects" (the four columns, in the
    sheet's row order), "n_labeled", "n_flagged", "seconds", "method"}."""
    from ..core.config import PRESETS
    from ..core.label_errors import find_label_errors
    from ..core.model_folder import open_folder

    ensure_imported()
    config = open_folder(model_dir).config
    # the base model, not the trained one: the trained one has seen these very rows
    job = replace(config, train_file=str(table.path), eval_file=None, read_options={}, out_dir="",
                  compare_to=None)
    if method == "kfold":
        job = replace(job, frozen_encoder=False, **PRESETS["quick"])
    result = find_label_errors(job, method=method, folds=folds, table=table, on_event=on_event, cancel=cancel)
    return {"suspects": result.table[list(SUSPECT_COLUMNS)].reset_index(drop=True), "n_labeled": result.n_labeled,
            "n_flagged": result.n_flagged, "seconds": result.seconds, "method": method}


def suggest_next(model_dir, table, n: int = 20, *, on_event=None, cancel=None) -> dict:
    """The ``n`` unlabeled rows of ``table`` to label next, by the trained model's uncertainty and
    spread. {"suggestions" (pred_label, pred_score, suggest_rank per sheet row), "n_unlabeled",
    "n_suggested", "seconds"}."""
    from ..core.suggest import suggest_rows

    ensure_imported()
    predictor = predictor_for(model_dir)
    columns = {"text": predictor.columns.get("text"), "label": predictor.columns.get("label")}
    result = suggest_rows(model_dir, table.path, columns, n, table=table, predictor=predictor,
                          on_event=on_event, cancel=cancel)
    return {"suggestions": result.table[list(SUGGEST_COLUMNS)].reset_index(drop=True),
            "n_unlabeled": result.n_unlabeled, "n_suggested": result.n_suggested, "seconds": result.seconds}


def retrain_config(model_dir, sheet, fine_tune: bool):
    """The job that trains again on the reviewed copy with the model's settings: a new model
    folder beside it, measured against ``model_dir``. ``fine_tune`` False keeps the encoder frozen
    (a head on its embeddings); a model that had a frozen encoder gets the balanced preset when it
    is now fine-tuned."""
    from ..core.config import preset_values
    from ..core.model_folder import open_folder
    from ..core.workspace import models_dir

    config = open_folder(model_dir).config
    if not sheet.copy_path.is_file():
        sheet.save()
    base = re.sub(r"-reviewed(-\d+)?$", "", Path(model_dir).name)
    job = replace(config, train_file=str(sheet.copy_path), read_options={}, eval_file=config.eval_file,
                  out_dir=str(models_dir() / f"{base}-reviewed"), compare_to=str(Path(model_dir).resolve()),
                  frozen_encoder=not fine_tune)
    if fine_tune and config.frozen_encoder:
        n_rows = sum(sheet.labeled_counts().values())
        job = replace(job, **preset_values("balanced", int(n_rows * (1 - config.eval_fraction))))
    return job
