"""How far to trust a score: temperature scaling, expected calibration error, Brier score.

A fine-tuned model's probabilities are usually over-confident. Temperature scaling (Guo et al.,
2017) divides the logits by one number T, fitted on held-out rows to minimise their negative log
likelihood: the predicted labels stay the same, the scores become honest probabilities. A task gives
its held-out predictions as log-probabilities or logits (``Task.temperature_inputs``):

  softmax   z [n, classes], y [n]: one class per item (a row; for NER a word)
  sigmoid   z [n, labels], y [n, labels] 0/1: every label its own yes/no, each with its own T

The expected calibration error (ECE) bins the items by confidence (15 equal-width bins) and
averages |confidence - accuracy| weighted by the bin's size; the Brier score is the mean squared
distance between the probabilities and the truth.
"""

from __future__ import annotations

import numpy as np

BINS = 15
T_RANGE = (0.2, 10.0)
# Fewer held-out items than this and the temperature stays 1: a handful of rows, all right, would
# otherwise ask for scores sharpened without end (6 sample reviews gave T = 0.05, every score ~1.0).
MIN_ITEMS = 30
# a Gaussian prior on log T (sd 1) keeps a temperature fitted on few items near 1; its weight
# shrinks as 1/n, so with hundreds of items the fit is the plain likelihood's


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def probabilities(z: np.ndarray, kind: str, temperature=1.0) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64) / np.asarray(temperature, dtype=np.float64)
    return _softmax(z) if kind == "softmax" else _sigmoid(z)


def confidence_and_correct(probs: np.ndarray, y: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Per decision: how sure the model is of what it chose, and whether it was right."""
    if kind == "softmax":
        return probs.max(1), probs.argmax(1) == y
    sure = np.maximum(probs, 1 - probs)
    return sure.ravel(), ((probs >= 0.5) == (y > 0)).ravel()


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> float:
    """Expected calibration error over ``bins`` equal-width confidence bins."""
    confidence, correct = np.asarray(confidence, dtype=np.float64), np.asarray(correct, dtype=np.float64)
    if not len(confidence):
        return 0.0
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(total / len(confidence))


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> dict:
    """The reliability diagram's points: per non-empty bin, mean confidence, accuracy and size."""
    confidence, correct = np.asarray(confidence, dtype=np.float64), np.asarray(correct, dtype=np.float64)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    out = {"confidence": [], "accuracy": [], "count": []}
    for b in range(bins):
        inside = which == b
        if inside.any():
            out["confidence"].append(round(float(confidence[inside].mean()), 4))
            out["accuracy"].append(round(float(correct[inside].mean()), 4))
            out["count"].append(int(inside.sum()))
    return out


def brier(probs: np.ndarray, y: np.ndarray, kind: str) -> float:
    if not len(probs):
        return 0.0
    if kind == "softmax":
        truth = np.zeros_like(probs)
        truth[np.arange(len(y)), y] = 1.0
        return float(((probs - truth) ** 2).sum(1).mean())
    return float(((probs - y) ** 2).mean())


def _nll(z: np.ndarray, y: np.ndarray, kind: str, t: float) -> float:
    p = np.clip(probabilities(z, kind, t), 1e-12, 1 - 1e-12)
    if kind == "softmax":
        return float(-np.log(p[np.arange(len(y)), y]).mean())
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def _fit_one(z: np.ndarray, y: np.ndarray, kind: str) -> float:
    from scipy.optimize import minimize_scalar

    if len(y) < MIN_ITEMS:
        return 1.0
    prior = 0.5 / len(y)
    found = minimize_scalar(lambda log_t: _nll(z, y, kind, float(np.exp(log_t))) + prior * log_t ** 2,
                            bounds=tuple(np.log(T_RANGE)), method="bounded")
    return float(np.exp(found.x))


def fit_temperature(z: np.ndarray, y: np.ndarray, kind: str):
    """The temperature minimising the held-out negative log likelihood (with a weak prior towards 1,
    within T_RANGE; 1 below MIN_ITEMS items): one number (softmax), one per label (sigmoid; a label
    with no positive or no negative row keeps 1.0)."""
    z = np.asarray(z, dtype=np.float64)
    if not len(z):
        return 1.0 if kind == "softmax" else [1.0] * (z.shape[1] if z.ndim == 2 else 0)
    if kind == "softmax":
        return _fit_one(z, np.asarray(y, dtype=np.int64), kind)
    y = np.asarray(y, dtype=np.float64)
    return [(_fit_one(z[:, j], y[:, j], kind) if 0 < y[:, j].sum() < len(y) else 1.0) for j in range(z.shape[1])]


def report(z: np.ndarray, y: np.ndarray, kind: str, temperature) -> dict:
    """ECE with the temperature and without it, the Brier score with it, and the reliability
    diagram's points (all on the same held-out items)."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y)
    before = probabilities(z, kind, 1.0)
    after = probabilities(z, kind, temperature)
    conf_b, ok_b = confidence_and_correct(before, y, kind)
    conf_a, ok_a = confidence_and_correct(after, y, kind)
    t = temperature if np.ndim(temperature) == 0 else [round(float(v), 4) for v in temperature]
    return {"ece": round(ece(conf_a, ok_a), 4), "ece_uncalibrated": round(ece(conf_b, ok_b), 4),
            "brier": round(brier(after, y, kind), 4), "brier_uncalibrated": round(brier(before, y, kind), 4),
            "temperature": round(float(t), 4) if np.ndim(t) == 0 else t,
            "reliability": reliability(conf_a, ok_a), "reliability_uncalibrated": reliability(conf_b, ok_b),
            "n_items": int(len(conf_a))}
