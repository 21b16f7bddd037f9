"""Task metrics: classification (scikit-learn), multi-label with tuned thresholds."""

from __future__ import annotations

import numpy as np


def classification_metrics(y_true: list[int], y_pred: list[int], labels: list[str]) -> dict:
    """Accuracy, macro and per-class precision/recall/F1 and the confusion matrix."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    ids = list(range(len(labels)))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=ids, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, labels=ids, average="macro",
                                                    zero_division=0)
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_precision": float(mp),
        "macro_recall": float(mr),
        "macro_f1": float(mf),
        "per_class": {labels[i]: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                                  "support": int(s[i])} for i in ids},
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=ids).tolist(),
        "labels": list(labels),
        "n": int(len(y_true)),
    }


def majority_baseline(y_true: list[int]) -> float:
    if not len(y_true):
        return 0.0
    return float(np.bincount(np.asarray(y_true)).max() / len(y_true))


def tune_thresholds(y_true: np.ndarray, probs: np.ndarray,
                    grid: np.ndarray | None = None) -> np.ndarray:
    """Per label, the probability threshold that maximises that label's F1 on the given set.

    Labels with no positive example keep 0.5: there is nothing to tune on.
    """
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    thresholds = np.full(probs.shape[1], 0.5)
    for j in range(probs.shape[1]):
        truth = y_true[:, j].astype(bool)
        if not truth.any():
            continue
        pred = probs[:, j][None, :] >= grid[:, None]          # [grid, n]
        tp = (pred & truth).sum(1)
        fp = (pred & ~truth).sum(1)
        fn = (~pred & truth).sum(1)
        f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
        thresholds[j] = grid[int(np.argmax(f1))]
    return thresholds


def multilabel_metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str]) -> dict:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    y_true = np.asarray(y_true).astype(int)
    y_pred = np.asarray(y_pred).astype(int)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    return {
        "micro_f1": float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "samples_f1": float(f1_score(y_true, y_pred, average="samples", zero_division=0)),
        "exact_match": float((y_true == y_pred).all(1).mean()),
        "per_class": {labels[i]: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                                  "support": int(s[i])} for i in range(len(labels))},
        "labels": list(labels),
        "n": int(len(y_true)),
    }
