"""The three shapes of labels ``core.label_errors`` checks, each with cleanlab's matching methods.

- ``single``: one class per row (classification): ``cleanlab.filter`` / ``cleanlab.rank``;
- ``multi``: any set of labels per row (multi-label): ``cleanlab.multilabel_classification``, with
  the labels that look wrong named per row (``+label``: seems missing, ``-label``: seems wrong);
- ``tokens``: one tag per word (NER): ``cleanlab.token_classification``, with the words whose tags
  look wrong and their character spans.

A task names its shape in ``Task.label_error_kind``. Each kind says what the targets are, how rows
are split into folds, how out-of-fold probabilities come from frozen embeddings (``fast``) or from
a fine-tuned fold model's predictions (``kfold``), and which columns the result adds.
"""

from __future__ import annotations

import json

import numpy as np

from .cancel import check
from .embeddings import embed, fit_head
from .errors import DataError
from .events import Progress, emit

SUSPECT_COLUMNS = ("suspect_score", "suggested_label", "suspect_rank", "suspect")
MULTI_COLUMNS = ("suspect_score", "suggested_labels", "suspect_rank", "suspect", "suspect_labels")
TOKEN_COLUMNS = ("suspect_score", "suspect_rank", "suspect", "suspect_tokens")
HEAD_C = 3.0              # regularisation of the per-label and per-word heads (one fit each, no inner search)


def _kfold(n: int, folds: int, seed: int):
    from sklearn.model_selection import KFold

    return list(KFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(n)))


def _rank(score: np.ndarray) -> np.ndarray:
    rank = np.empty(len(score), dtype=np.int64)
    rank[np.argsort(-score, kind="stable")] = np.arange(1, len(score) + 1)
    return rank


def _place(df, rows, values: dict):
    """``df`` with ``values`` (column -> one value per labeled row) put at ``rows``; empty elsewhere."""
    import pandas as pd

    out = df.copy()
    n = len(df)
    for name, vals in values.items():
        if name == "suspect_rank":
            column = pd.array([pd.NA] * n, dtype="Int64")
        elif name == "suspect_score":
            column = np.full(n, np.nan)
        else:
            column = np.full(n, None, dtype=object)
        column[rows] = vals
        out[name] = column
    return out


def _too_few(n: int, folds: int, task, examples) -> None:
    if n < 2 * folds:
        raise DataError(f"only {n} labeled {task.unit}: at least {2 * folds} are needed for {folds} folds",
                        file=examples.path)


class _RowProbabilities:
    """Kinds with one probability vector per example (one class, or one score per label)."""
    prediction_key = "probs"

    @staticmethod
    def empty_probs(task, examples):
        return np.zeros((len(examples), len(task.labels)))

    @classmethod
    def put_prediction(cls, probs, row, prediction, fold_labels, task):
        index = task.label2id
        probs[row, [index[label] for label in fold_labels]] = prediction[cls.prediction_key]


class _KFoldAny:
    """Kinds whose folds are plain random ones (no stratification by a single label)."""

    @staticmethod
    def fold_count(y, folds: int, task, examples) -> int:
        _too_few(len(y), folds, task, examples)
        return int(folds)

    @staticmethod
    def splits(y, folds: int, seed: int):
        return _kfold(len(y), folds, seed)


class Single(_RowProbabilities):
    columns = SUSPECT_COLUMNS

    @staticmethod
    def targets(task, examples):
        return np.asarray(task.label_targets(examples), dtype=np.int64)

    @staticmethod
    def fold_count(y, folds: int, task, examples) -> int:
        counts = np.bincount(y, minlength=len(task.labels))
        smallest = int(counts.min())
        if smallest < 2:
            label = task.labels[int(counts.argmin())]
            raise DataError(f"label '{label}' has only {smallest} row: each label needs at least 2 to be checked "
                            "out of sample", file=examples.path, column=examples.columns.get("label"))
        return min(int(folds), smallest)

    @staticmethod
    def splits(y, folds: int, seed: int):
        from sklearn.model_selection import StratifiedKFold

        return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))

    @staticmethod
    def fast(model, task, examples, y, splits, *, seed=42, on_event=None, cancel=None):
        return out_of_fold_head(embed(model, task, examples, on_event=on_event, cancel=cancel), y, splits,
                                seed=seed, cancel=cancel)

    @staticmethod
    def fold_frame(part) -> tuple[dict, dict]:
        frame = {"text": part.texts, "label": part.labels}
        if part.pairs is not None:
            frame["text_pair"] = part.pairs
        return frame, {c: c for c in frame}

    @staticmethod
    def suspects(df, rows, y, probs, task, examples):
        return with_suspects(df, rows, y, probs, task.labels)


def out_of_fold_head(embeddings: np.ndarray, y: np.ndarray, splits, *, seed: int = 42, cancel=None) -> np.ndarray:
    """Out-of-sample class probabilities [n, classes] from a logistic-regression head fitted on the
    other folds' embeddings (``core.embeddings.fit_head``)."""
    probs = np.zeros((len(y), int(y.max()) + 1))
    for train_idx, test_idx in splits:
        check(cancel)
        head = fit_head(embeddings[train_idx], y[train_idx], seed=seed)
        probs[np.ix_(test_idx, head.classes_)] = head.predict_proba(embeddings[test_idx])
    return probs


def with_suspects(df, rows: np.ndarray, y: np.ndarray, probs: np.ndarray, labels: list):
    """``df`` with SUSPECT_COLUMNS: cleanlab's label quality and issue flags for the labeled ``rows``."""
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    probs = np.clip(probs, 1e-6, None)
    probs = probs / probs.sum(1, keepdims=True)
    quality = get_label_quality_scores(y, probs, method="self_confidence")
    flagged = find_label_issues(y, probs, filter_by="prune_by_noise_rate")
    score = np.round(1.0 - quality, 4)
    return _place(df, rows, {"suspect_score": score, "suggested_label": [labels[i] for i in probs.argmax(1)],
                             "suspect_rank": _rank(score), "suspect": [bool(f) for f in flagged]})


class Multi(_KFoldAny, _RowProbabilities):
    columns = MULTI_COLUMNS
    prediction_key = "scores"

    @staticmethod
    def targets(task, examples):
        return task.multi_hot(examples.labels).astype(np.int64)

    @staticmethod
    def fast(model, task, examples, y, splits, *, seed=42, on_event=None, cancel=None):
        """One logistic regression per label and fold on the normalised embeddings."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import normalize

        x = normalize(embed(model, task, examples, on_event=on_event, cancel=cancel))
        probs = np.zeros(y.shape)
        for train_idx, test_idx in splits:
            for j in range(y.shape[1]):
                check(cancel)
                target = y[train_idx, j]
                if target.min() == target.max():           # no positive (or no negative) to learn from
                    probs[test_idx, j] = float(target[0])
                    continue
                head = LogisticRegression(C=HEAD_C, max_iter=2000, random_state=seed).fit(x[train_idx], target)
                probs[test_idx, j] = head.predict_proba(x[test_idx])[:, 1]
        return probs

    @staticmethod
    def fold_frame(part) -> tuple[dict, dict]:
        frame = {"text": part.texts, "label": [";".join(ls) for ls in part.labels]}
        return frame, {"text": "text", "label": "label", "label_sep": ";"}

    @staticmethod
    def suspects(df, rows, y, probs, task, examples):
        from cleanlab.multilabel_classification.filter import find_label_issues
        from cleanlab.multilabel_classification.rank import (get_label_quality_scores,
                                                             get_label_quality_scores_per_class)

        given = [list(np.flatnonzero(r)) for r in y]
        probs = np.clip(probs, 1e-6, 1 - 1e-6)
        # softmin over the per-label scores: a single doubtful label counts, without one low score among
        # 28 sparse labels deciding alone (GoEmotions, 10 % of the label sets replaced: precision of the
        # top 10 % 0.485 against 0.07 with cleanlab's default moving average; benchmarks/label_errors.py)
        quality = get_label_quality_scores(given, probs, aggregator_kwargs={"method": "softmin"})
        per_label = get_label_quality_scores_per_class(given, probs)
        flagged = find_label_issues(given, probs)
        score = np.round(1.0 - quality, 4)
        labels = task.labels
        named = []
        for row_y, row_q in zip(y, per_label):
            doubtful = [j for j in np.argsort(row_q, kind="stable") if row_q[j] < 0.5]
            named.append(";".join(("-" if row_y[j] else "+") + labels[j] for j in doubtful))
        suggested = [";".join(labels[j] for j in np.flatnonzero(p >= 0.5)) for p in probs]
        return _place(df, rows, {"suspect_score": score, "suggested_labels": suggested, "suspect_rank": _rank(score),
                                 "suspect": [bool(f) for f in flagged], "suspect_labels": named})


class Tokens(_KFoldAny):
    columns = TOKEN_COLUMNS

    @staticmethod
    def targets(task, examples):
        ids = task.label2id
        return [np.asarray([ids[t] for t in tags], dtype=np.int64) for tags in examples.tags]

    @staticmethod
    def fast(model, task, examples, y, splits, *, seed=42, on_event=None, cancel=None):
        """A multinomial logistic regression per fold on each word's vector (its first piece in the
        encoder's last layer); words past the window keep their own tag (never flagged)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import normalize

        vectors = word_vectors(model, task, examples, on_event=on_event, cancel=cancel)
        k = len(task.labels)
        probs = [np.eye(k)[t].astype(np.float64) for t in y]
        for train_idx, test_idx in splits:
            check(cancel)
            x = np.concatenate([vectors[i][0] for i in train_idx])
            t = np.concatenate([y[i][vectors[i][1]] for i in train_idx])
            if len(np.unique(t)) < 2:
                continue
            head = LogisticRegression(C=HEAD_C, max_iter=1000, random_state=seed).fit(normalize(x), t)
            for i in test_idx:
                vecs, kept = vectors[i]
                if len(kept):
                    p = np.zeros((len(kept), k))
                    p[:, head.classes_] = head.predict_proba(normalize(vecs))
                    probs[i][kept] = p
        return probs

    @staticmethod
    def fold_frame(part) -> tuple[dict, dict]:
        frame = {"tokens": [" ".join(ws) for ws in part.words], "tags": [" ".join(ts) for ts in part.tags]}
        return frame, {"tokens": "tokens", "tags": "tags"}

    @staticmethod
    def empty_probs(task, examples):
        return [np.zeros((len(ws), len(task.labels))) for ws in examples.words]

    @staticmethod
    def put_prediction(probs, row, prediction, fold_labels, task):
        index = task.label2id
        probs[row][:, [index[label] for label in fold_labels]] = prediction["probs"]

    @staticmethod
    def suspects(df, rows, y, probs, task, examples):
        from cleanlab.token_classification.filter import find_label_issues
        from cleanlab.token_classification.rank import get_label_quality_scores

        probs = [np.clip(p, 1e-6, None) / np.clip(p, 1e-6, None).sum(1, keepdims=True) for p in probs]
        given = [list(t) for t in y]
        # a sentence's score: the softmin of its words' (CoNLL-2003, 10 % of the sentences with an entity
        # retyped: precision of the top 10 % 0.42 against 0.355 with the plain minimum, seed 42)
        sentence_quality, token_quality = get_label_quality_scores(given, probs, sentence_score_method="softmin")
        issues: dict[int, list[int]] = {}
        for i, j in find_label_issues(given, probs):
            issues.setdefault(int(i), []).append(int(j))
        score = np.round(1.0 - np.asarray(sentence_quality), 4)
        labels = task.labels
        spans = []
        for i, words in enumerate(examples.words):
            quality = np.asarray(token_quality[i])
            found = []
            for j in sorted(issues.get(i, [])):
                start, end = examples.offsets[i][j]
                found.append({"word": words[j], "index": j, "start": start, "end": end, "given": labels[y[i][j]],
                              "suggested": labels[int(probs[i][j].argmax())], "score": round(1.0 - float(quality[j]), 4)})
            spans.append(json.dumps(found, ensure_ascii=False) if found else "")
        return _place(df, rows, {"suspect_score": score, "suspect_rank": _rank(score),
                                 "suspect": [i in issues for i in range(len(y))], "suspect_tokens": spans})


def word_vectors(model_name, task, examples, *, on_event=None, cancel=None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per sentence: (vectors [words in the window, hidden], the indexes of those words), each word's
    vector being its first piece's in the model's last layer."""
    import time

    import torch
    from transformers import AutoModel

    from .models import load_model, load_tokenizer, resolve_model

    source = resolve_model(model_name)
    tokenizer, encoder = load_tokenizer(source), load_model(AutoModel, source).eval()
    out, t0, batch = [None] * len(examples), time.time(), 32
    order = np.argsort([len(ws) for ws in examples.words], kind="stable")
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            check(cancel)
            idx = order[start:start + batch]
            enc = tokenizer([examples.words[i] for i in idx], is_split_into_words=True, truncation=True,
                            max_length=task.max_length, padding=True, return_tensors="pt")
            hidden = encoder(**enc).last_hidden_state.float().numpy()
            for b, i in enumerate(idx):
                first, seen = [], set()
                for pos, w in enumerate(enc.word_ids(b)):
                    if w is not None and w not in seen:
                        seen.add(w)
                        first.append((w, pos))
                kept = np.asarray([w for w, _ in first], dtype=np.int64)
                out[i] = (hidden[b, [p for _, p in first]], kept)
            done = min(len(order), start + batch)
            emit(on_event, Progress("embedding", done, len(order), time.time() - t0))
    return out


KINDS = {"single": Single, "multi": Multi, "tokens": Tokens}
