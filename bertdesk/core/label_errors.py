"""Suspicious labels: confident learning (``cleanlab``) on out-of-sample predicted probabilities.

Every labeled row gets probabilities from a model that did not see it while learning:

- ``fast``: the model's encoder embeds each text (NER: each word) once, and a logistic-regression
  head is fitted per fold on the other folds' embeddings (seconds);
- ``kfold``: each fold is a real fine-tune (``core.training.train``) on the other folds, which then
  predicts the held-out fold (minutes to hours: folds × one training).

cleanlab ranks the rows by how little the out-of-sample model believes their given labels
(``suspect_score`` = 1 - label quality) and flags the rows it counts as label issues. The result
keeps the input table whole, in order, and adds the columns of the task's kind of labels
(``core.error_kinds``: one class, a set of labels, a tag per word); rows without a label or text
keep those cells empty. A CoNLL file comes back as a table of its sentences (line, tokens, tags).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .cancel import check
from .config import TrainConfig
from .error_kinds import KINDS, SUSPECT_COLUMNS, out_of_fold_head, with_suspects  # noqa: F401 - the API
from .errors import DataError
from .events import Log, Progress, emit

METHODS = ("fast", "kfold")
DEFAULT_FOLDS = 4
OUTPUT_COLUMNS = SUSPECT_COLUMNS


@dataclass
class LabelErrorResult:
    table: object            # the input DataFrame with the kind's suspect columns added
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
    from .prepare import read_training_examples
    from .tasks import task_for_config

    if method not in METHODS:
        raise DataError(f"unknown method '{method}' (choose {' or '.join(METHODS)})")
    t0 = time.time()
    task = task_for_config(config)
    kind = KINDS.get(task.label_error_kind or "")
    if kind is None:
        raise DataError(f"finding suspicious labels is not available for {task.title} yet")
    if table is None and not task.reads_as_file(config.train_file):
        from . import data as D
        table = D.read_table(config.train_file, **(config.read_options or {}))
    examples = read_training_examples(replace(config, max_train_rows=None), task, table)
    task.fit_labels(examples)
    frame, rows = _frame(task, examples, table)
    targets = kind.targets(task, examples)
    folds = kind.fold_count(targets, folds, task, examples)
    splits = kind.splits(targets, folds, config.seed)
    emit(on_event, Log(f"{len(examples)} labeled {task.unit}, {len(task.labels)} labels, {folds} folds, "
                       f"method {method}"))
    if method == "fast":
        probs = kind.fast(config.model, task, examples, targets, splits, seed=config.seed, on_event=on_event,
                          cancel=cancel)
    else:
        probs = out_of_fold_finetune(config, task, kind, examples, splits, on_event=on_event, cancel=cancel)
    check(cancel)
    df = kind.suspects(frame, rows, targets, probs, task, examples)
    n_flagged = int(df["suspect"].eq(True).sum())
    emit(on_event, Log(f"{n_flagged} of {len(examples)} labeled {task.unit} flagged"))
    return LabelErrorResult(df, len(examples), n_flagged, method, folds, time.time() - t0, list(task.labels))


def _frame(task, examples, table):
    """The table the result is written into, and where each example's row is in it: the user's
    table as read, or for a file that is not a table (CoNLL) one row per example."""
    import pandas as pd

    if table is not None and table.format not in task.file_formats:
        return table.df, np.asarray(examples.rows, dtype=np.int64)
    frame = pd.DataFrame({"line": examples.rows, **task.error_source_columns(examples)})
    return frame, np.arange(len(examples))


def out_of_fold_finetune(config: TrainConfig, task, kind, examples, splits, *, on_event=None,
                         cancel=None):
    """Out-of-sample probabilities from one fine-tune per fold (the config's settings), each
    predicting the fold it did not see."""
    import pandas as pd

    from .predictor import Predictor
    from .training import train

    probs = kind.empty_probs(task, examples)
    folds = len(splits)
    import shutil

    from .tmpfiles import temp_dir

    tmp = temp_dir("folds")
    try:
        for k, (train_idx, test_idx) in enumerate(splits):
            check(cancel)
            emit(on_event, Log(f"fold {k + 1} of {folds}: fine-tuning on {len(train_idx)} {task.unit}"))
            frame, columns = kind.fold_frame(examples.subset(train_idx))
            path = Path(tmp) / f"fold{k}.csv"
            pd.DataFrame(frame).to_csv(path, index=False)
            fold_config = replace(config, train_file=str(path), eval_file=None, read_options={}, columns=columns,
                                  out_dir=str(Path(tmp) / f"model{k}"), max_train_rows=None)
            train(fold_config, on_event=_fold_events(on_event, k, folds), cancel=cancel)
            predictor = Predictor.load(fold_config.out_dir)
            predictions = predictor.predict_examples(examples.subset(test_idx), cancel=cancel)
            for row, p in zip(test_idx, predictions):
                kind.put_prediction(probs, row, p, predictor.task.labels, task)
            del predictor
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return probs


def _fold_events(on_event, k: int, folds: int):
    """A fold's training progress as part of the whole run's progress."""
    def inner(ev):
        if isinstance(ev, Progress) and ev.phase == "training" and ev.total:
            emit(on_event, Progress("folds", k * ev.total + ev.done, folds * ev.total, ev.elapsed_s))
        elif isinstance(ev, Log):
            emit(on_event, ev)
    return inner if on_event is not None else None
