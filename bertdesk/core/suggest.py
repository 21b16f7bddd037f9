"""What to label next: the unlabeled rows a trained model is least sure of, spread over the data.

The model predicts every row with a text. The rows with no label are ranked by the task's
uncertainty (``Task.uncertainty``: one minus the margin between the two most probable labels;
the least confident label of a multi-label model; the least certain word of a NER model); the ``POOL_FACTOR`` × n most uncertain (all of
them up to ``MIN_POOL`` rows) form a pool, which k-means on the model's embeddings splits into n clusters; the most uncertain row of
each cluster is chosen, so a batch is not n near-duplicates of one confusing phrase. The result is
the input table, whole and in order, with ``suggest_rank`` (1..n for the chosen rows, empty
elsewhere) and the task's prediction columns (``pred_label``, ``pred_score``; multi-label and NER:
theirs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .cancel import check
from .errors import DataError
from .events import Log, emit

POOL_FACTOR = 10
MIN_POOL = 5000          # up to this many unlabeled rows, all of them are clustered


@dataclass
class SuggestResult:
    table: object          # the input DataFrame with suggest_rank and the prediction columns
    n_unlabeled: int
    n_suggested: int
    seconds: float


def diverse_pick(scores: np.ndarray, embeddings: np.ndarray, n: int, seed: int = 42) -> np.ndarray:
    """Indices of ``n`` rows: the highest-scoring row of each of n k-means clusters, best first."""
    from sklearn.cluster import KMeans

    if len(scores) <= n:
        return np.argsort(-scores, kind="stable")
    unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    clusters = KMeans(n_clusters=n, n_init=3, random_state=seed).fit_predict(unit)
    chosen = [members[np.argmax(scores[members])] for c in range(n)
              if len(members := np.flatnonzero(clusters == c))]
    chosen = np.asarray(chosen, dtype=np.int64)
    return chosen[np.argsort(-scores[chosen], kind="stable")]


def suggest_rows(model_dir, input_path, columns: dict | None = None, n: int = 50, *, read_options=None,
                 seed: int = 42, table=None, predictor=None, on_event=None, cancel=None) -> SuggestResult:
    """Rank the unlabeled rows of ``input_path`` (or of ``table``, a ``data.Table`` already in
    memory) for labeling with the model in ``model_dir`` (or ``predictor``, that model loaded)."""
    import pandas as pd

    from . import data as D
    from .embeddings import embed_with
    from .predictor import Predictor

    if n < 1:
        raise DataError("ask for at least 1 row (--n)")
    t0 = time.time()
    predictor = predictor or Predictor.load(model_dir)
    task = predictor.task
    if not task.suggests_rows:
        raise DataError(f"suggesting rows to label is not available for {task.title} yet")
    if table is None:
        table = D.read_table(input_path, **(read_options or {}))
    df = table.df
    asked = {k: v for k, v in (columns or {}).items() if v}
    cols = predictor.label_columns(df, {k: v for k, v in asked.items() if k in task.input_columns}, table.path)
    examples = task.examples_from_table(table, cols, with_labels=False)
    rows = np.asarray(examples.rows, dtype=np.int64)
    trained = {k: v for k, v in predictor.columns.items() if isinstance(v, str) and v in df.columns}
    for key, column in asked.items():
        if key not in task.input_columns:
            D.require_column(df, column, table.path)
    empty = task.unlabeled_mask(df, {**trained, **asked})
    unlabeled = np.zeros(len(df), dtype=bool)
    unlabeled[rows] = True if empty is None else empty[rows]
    emit(on_event, Log(f"predicting {len(rows)} rows, {int(unlabeled.sum())} without a label"))
    predictions = predictor.predict_examples(examples, on_event, cancel)
    check(cancel)
    by_row: list[dict | None] = [None] * len(df)
    for i, p in zip(rows, predictions):
        by_row[i] = p
    from .labeling import output_names, say_renamed

    say_renamed(task, df.columns, on_event)
    names = output_names(task, df.columns)
    out = df.copy()
    for name, values in task.output_columns(by_row).items():
        out[names[name]] = values
    rank = pd.array([pd.NA] * len(df), dtype="Int64")
    candidates = np.flatnonzero(unlabeled)
    chosen = np.zeros(0, dtype=np.int64)
    if len(candidates):
        position = {int(r): k for k, r in enumerate(rows)}
        scores = task.uncertainty([by_row[i] for i in candidates])
        pool = np.argsort(-scores, kind="stable")[:max(MIN_POOL, POOL_FACTOR * n)]
        if len(pool) > n:
            subset = examples.subset([position[int(candidates[i])] for i in pool])
            with predictor.lock:        # the app may share this model with the attention view
                vectors = embed_with(predictor.model.base_model, predictor.tokenizer, task, subset,
                                     on_event=on_event, cancel=cancel)
            picked = diverse_pick(scores[pool], vectors, n, seed)
        else:
            picked = np.arange(len(pool))[np.argsort(-scores[pool], kind="stable")]
        chosen = candidates[pool[picked]]
        rank[chosen] = np.arange(1, len(chosen) + 1)
    out["suggest_rank"] = rank
    emit(on_event, Log(f"{len(chosen)} rows suggested of {len(candidates)} unlabeled"))
    return SuggestResult(out, len(candidates), len(chosen), time.time() - t0)
