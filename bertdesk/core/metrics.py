"""Task metrics: classification (scikit-learn), multi-label with tuned thresholds, NER entities
(seqeval), SQuAD exact match and F1. Every score is on a 0-1 scale."""

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


def ner_metrics(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Entity-level precision/recall/F1 (seqeval, micro and per type), token accuracy, error counts."""
    from seqeval.metrics import accuracy_score, classification_report, f1_score, precision_score, recall_score

    from .conll import spans

    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    per_type = {k: {"precision": float(v["precision"]), "recall": float(v["recall"]), "f1": float(v["f1-score"]),
                    "support": int(v["support"])}
                for k, v in report.items() if not k.endswith(" avg")}
    errors = {"correct": 0, "missed": 0, "spurious": 0, "wrong_type": 0, "wrong_boundary": 0}
    for g_tags, p_tags in zip(gold, pred):
        g = set(spans(g_tags))
        p = set(spans(p_tags))
        p_bounds = {(a, b): t for t, a, b in p}
        for t, a, b in g:
            if (t, a, b) in p:
                errors["correct"] += 1
            elif (a, b) in p_bounds:
                errors["wrong_type"] += 1
            elif any(pa <= b and a <= pb for _, pa, pb in p):
                errors["wrong_boundary"] += 1
            else:
                errors["missed"] += 1
        g_bounds = {(a, b) for _, a, b in g}
        for t, a, b in p:
            if (t, a, b) not in g and (a, b) not in g_bounds and not any(ga <= b and a <= gb for _, ga, gb in g):
                errors["spurious"] += 1
    return {
        "f1": float(f1_score(gold, pred, zero_division=0)),
        "precision": float(precision_score(gold, pred, zero_division=0)),
        "recall": float(recall_score(gold, pred, zero_division=0)),
        "token_accuracy": float(accuracy_score(gold, pred)),
        "per_type": per_type,
        "errors": errors,
        "labels": sorted(per_type),
        "n": len(gold),
    }


def normalize_answer(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    import re
    import string

    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def _f1(prediction: str, truth: str) -> float:
    from collections import Counter

    pred_tokens = normalize_answer(prediction).split()
    true_tokens = normalize_answer(truth).split()
    if not pred_tokens or not true_tokens:
        return float(pred_tokens == true_tokens)
    common = Counter(pred_tokens) & Counter(true_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(true_tokens)
    return 2 * precision * recall / (precision + recall)


def squad_scores(prediction: str, answers: list[dict]) -> tuple[float, float]:
    """(exact match, F1) of one prediction, the best over the gold answers; no gold = unanswerable."""
    golds = [a["text"] for a in answers] or [""]
    em = max(float(normalize_answer(prediction) == normalize_answer(g)) for g in golds)
    f1 = max(_f1(prediction, g) for g in golds)
    return em, f1


def squad_metrics(predictions: list[str], answers: list[list[dict]]) -> dict:
    """Exact match and F1 over questions (0-1; the SQuAD script prints them times 100)."""
    em, f1 = zip(*(squad_scores(p, a) for p, a in zip(predictions, answers))) if predictions else ((), ())
    em, f1 = np.asarray(em), np.asarray(f1)
    has = np.array([bool(a) for a in answers])
    out = {"exact_match": float(em.mean()) if len(em) else 0.0,
           "f1": float(f1.mean()) if len(f1) else 0.0, "n": len(predictions)}
    if len(has) and not has.all():
        out.update(has_answer_exact=float(em[has].mean()) if has.any() else 0.0,
                   has_answer_f1=float(f1[has].mean()) if has.any() else 0.0,
                   no_answer_accuracy=float(em[~has].mean()), n_has_answer=int(has.sum()),
                   n_no_answer=int((~has).sum()))
    return out


def best_null_threshold(predictions: list[dict], answers: list[list[dict]]) -> float:
    """The null-score margin that maximises F1: answer only where the best span beats 'no answer'
    by more than it."""
    diffs = np.array([p["null_diff"] for p in predictions])
    f1_span = np.array([squad_scores(p["answer"], a)[1] if p["answer"] else 0.0
                        for p, a in zip(predictions, answers)])
    f1_null = np.array([1.0 if not a else 0.0 for a in answers])
    best_t, best = 0.0, -1.0
    for t in np.unique(np.concatenate([diffs[np.isfinite(diffs)], [0.0]])):
        score = np.where(diffs > t, f1_null, f1_span).sum()
        if score > best:
            best, best_t = score, float(t)
    return best_t
