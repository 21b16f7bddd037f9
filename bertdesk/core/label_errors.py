"""Suspicious labels: confident learning (``cleanlab``) on out-of-sample predicted probabilities.

Every labeled row gets probabilities from a model that did not see it while learning:

- ``fast``: the model's encoder embeds each text once (mean of the last layer over the tokens), and
  a logistic-regression head is fitted per fold on the other folds' embeddings (seconds);
- ``kfold``: each fold is a real fine-tune (``core.training.train``) on the other folds, which then
  predicts the held-out fold (minutes to hours: folds × one training).

cleanlab ranks the rows by how little the out-of-sample model believes their given label
(``suspect_score`` = 1 - self-confidence) and flags the rows it counts as label issues. The
result keeps the input table whole, in order, and adds ``suspect_score``, ``suggested_label``,
``suspect_rank`` (1 = most suspicious) and ``suspect`` (flagged); rows without a label or text keep
those cells empty.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .cancel import check
from .config import TrainConfig
from .embeddings import embed, fit_head
from .errors import DataError
from .events import Log, Progress, emit

METHODS = ("fast", "kfold")
DEFAULT_FOLDS = 4
OUTPUT_COLUMNS = ("suspect_score", "suggested_label", "suspect_rank", "suspect")


@dataclass
class LabelErrorResult:
    table: object            # the input DataFrame with OUTPUT_COLUMNS added
    n_labeled: int
    n_flagged: int
    method: str
    folds: int
    seconds: float
    labels: list


def find_label_errors(config: TrainConfig, *, method: str = "fast", folds: int = DEFAULT_FOLDS, table=None,
                      on_event=None, cancel=None) -> LabelErrorResult:
    """Rank the labeled rows of ``config.train_file`` (its task, columns, model and read options),
    or of ``table`` (a ``data.Table`` already in memory), by how suspicious their labels are."""
    from . import data as D
    from .tasks import task_for_config

    if method not in METHODS:
        raise DataError(f"unknown method '{method}' (choose {' or '.join(METHODS)})")
    t0 = time.time()
    task = task_for_config(config)
    if not task.finds_label_errors:
        raise DataError(f"finding suspicious labels is not available for {task.title} yet")
    if table is None:
        table = D.read_table(config.train_file, **(config.read_options or {}))
    examples = task.examples_from_table(table, config.columns or {})
    task.fit_labels(examples)
    y = np.asarray(task.label_targets(examples), dtype=np.int64)
    folds = _fold_count(y, folds, task.labels, examples)
    emit(on_event, Log(f"{len(examples)} labeled {task.unit}, {len(task.labels)} labels, {folds} folds, "
                       f"method {method}"))
    if method == "fast":
        embeddings = embed(config.model, task, examples, on_event=on_event, cancel=cancel)
        probs = out_of_fold_head(embeddings, y, folds, seed=config.seed, cancel=cancel)
    else:
        probs = out_of_fold_finetune(config, task, examples, y, folds, on_event=on_event, cancel=cancel)
    check(cancel)
    df = with_suspects(table.df, examples.rows, y, probs, task.labels)
    n_flagged = int(df["suspect"].eq(True).sum())
    emit(on_event, Log(f"{n_flagged} of {len(examples)} labels flagged"))
    return LabelErrorResult(df, len(examples), n_flagged, method, folds, time.time() - t0, list(task.labels))


def _fold_count(y: np.ndarray, folds: int, labels: list, examples) -> int:
    counts = np.bincount(y, minlength=len(labels))
    if int(folds) < 2:
        raise DataError("at least 2 folds are needed")
    smallest = int(counts.min())
    if smallest < 2:
        label = labels[int(counts.argmin())]
        raise DataError(f"label '{label}' has only {smallest} row: each label needs at least 2 to be checked "
                        "out of sample", file=examples.path, column=examples.columns.get("label"))
    return min(int(folds), smallest)


def _stratified_folds(y: np.ndarray, folds: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)


def out_of_fold_head(embeddings: np.ndarray, y: np.ndarray, folds: int, *, seed: int = 42,
                     cancel=None) -> np.ndarray:
    """Out-of-sample class probabilities [n, classes] from a logistic-regression head fitted on the
    other folds' embeddings (``core.embeddings.fit_head``)."""
    n_classes = int(y.max()) + 1
    probs = np.zeros((len(y), n_classes))
    for train_idx, test_idx in _stratified_folds(y, folds, seed):
        check(cancel)
        head = fit_head(embeddings[train_idx], y[train_idx], seed=seed)
        probs[np.ix_(test_idx, head.classes_)] = head.predict_proba(embeddings[test_idx])
    return probs


def out_of_fold_finetune(config: TrainConfig, task, examples, y: np.ndarray, folds: int, *, on_event=None,
                         cancel=None) -> np.ndarray:
    """Out-of-sample class probabilities from one fine-tune per fold (the config's settings), each
    predicting the fold it did not see."""
    import pandas as pd

    from .predictor import Predictor
    from .training import train

    probs = np.zeros((len(y), len(task.labels)))
    index = {label: i for i, label in enumerate(task.labels)}
    with tempfile.TemporaryDirectory(prefix="bertdesk-folds-") as tmp:
        for k, (train_idx, test_idx) in enumerate(_stratified_folds(y, folds, config.seed)):
            check(cancel)
            emit(on_event, Log(f"fold {k + 1} of {folds}: fine-tuning on {len(train_idx)} rows"))
            part = examples.subset(train_idx)
            frame = {"text": part.texts, "label": part.labels}
            if part.pairs is not None:
                frame["text_pair"] = part.pairs
            path = Path(tmp) / f"fold{k}.csv"
            pd.DataFrame(frame).to_csv(path, index=False)
            fold_config = replace(config, train_file=str(path), eval_file=None, read_options={},
                                  columns={c: c for c in frame}, out_dir=str(Path(tmp) / f"model{k}"))
            train(fold_config, on_event=_fold_events(on_event, k, folds), cancel=cancel)
            predictor = Predictor.load(fold_config.out_dir)
            predictions = predictor.predict_examples(examples.subset(test_idx), cancel=cancel)
            columns = [index[label] for label in predictor.task.labels]
            for row, p in zip(test_idx, predictions):
                probs[row, columns] = p["probs"]
            del predictor
    return probs


def _fold_events(on_event, k: int, folds: int):
    """A fold's training progress as part of the whole run's progress."""
    def inner(ev):
        if isinstance(ev, Progress) and ev.phase == "training" and ev.total:
            emit(on_event, Progress("folds", k * ev.total + ev.done, folds * ev.total, ev.elapsed_s))
        elif isinstance(ev, Log):
            emit(on_event, ev)
    return inner if on_event is not None else None


def with_suspects(df, rows: np.ndarray, y: np.ndarray, probs: np.ndarray, labels: list):
    """``df`` with OUTPUT_COLUMNS: cleanlab's label quality and issue flags for the labeled ``rows``."""
    import pandas as pd
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    probs = np.clip(probs, 1e-6, None)
    probs = probs / probs.sum(1, keepdims=True)
    quality = get_label_quality_scores(y, probs, method="self_confidence")
    flagged = find_label_issues(y, probs, filter_by="prune_by_noise_rate")
    score = np.round(1.0 - quality, 4)
    rank = np.empty(len(y), dtype=np.int64)
    rank[np.argsort(-score, kind="stable")] = np.arange(1, len(y) + 1)
    out = df.copy()
    n = len(df)
    columns = {"suspect_score": np.full(n, np.nan), "suggested_label": np.full(n, None, dtype=object),
               "suspect_rank": pd.array([pd.NA] * n, dtype="Int64"), "suspect": np.full(n, None, dtype=object)}
    columns["suspect_score"][rows] = score
    columns["suggested_label"][rows] = [labels[i] for i in probs.argmax(1)]
    columns["suspect_rank"][rows] = rank
    columns["suspect"][rows] = [bool(f) for f in flagged]
    for name in OUTPUT_COLUMNS:
        out[name] = columns[name]
    return out
