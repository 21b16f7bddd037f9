"""Multi-label classification: any number of labels per text, one tuned threshold per label."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP
from .. import data as D
from ..errors import DataError
from ..metrics import multilabel_metrics, tune_thresholds
from .base import ColumnRole, Features, pad_batch
from .classification import TEXT_ROLE, ClassificationTask, TextExamples

TRUE_VALUES = {"1", "true", "yes", "y", "x"}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class MultiLabelTask(ClassificationTask):
    """Labels come from one column split on ``;``/``|``, or from one 0/1 column per label."""
    name = "multilabel"
    title = QT_TRANSLATE_NOOP("core", "Multi-label classification")
    choice_title = QT_TRANSLATE_NOOP("core", "Tag texts (several labels each)")
    description = QT_TRANSLATE_NOOP(
        "core", "Each row can carry any number of labels, written in one column separated by ; or |.")
    roles = (TEXT_ROLE, ColumnRole("label", QT_TRANSLATE_NOOP("core", "Labels column"), D.LABEL_NAMES, detect="label"))
    label_roles = (TEXT_ROLE,)
    main_metric = "micro_f1"
    label_error_kind = "multi"
    reviewable = False                     # a set of labels per row: the Review page edits one
    frozen_head = False
    cards = (("micro_f1", QT_TRANSLATE_NOOP("core", "Micro F1")), ("macro_f1", QT_TRANSLATE_NOOP("core", "Macro F1")),
             ("samples_f1", QT_TRANSLATE_NOOP("core", "Samples F1")),
             ("exact_match", QT_TRANSLATE_NOOP("core", "Exact match")))

    temperature_kind = "sigmoid"
    explain_kind = "labels"
    # 28 sparse labels under BCE: a head at the encoder's learning rate stays near its prior and predicts
    # nothing; at 10x it learns (GoEmotions, 4,000 rows: micro-F1 33.5 -> 36.2; tests/benchmarks/multilabel.py)
    head_lr_factor = 10.0
    unrecorded_head_lr_factor = None     # at 10 x since before run.json recorded it

    def __init__(self, labels=None, max_length=None, long_text="window", stride=None, thresholds=None,
                 temperature=None):
        super().__init__(labels, max_length, long_text, stride)
        self.thresholds = list(thresholds) if thresholds is not None else [0.5] * len(self.labels)
        # one temperature per label (core.calibration), 1.0 until fitted
        self.temperature = [float(t) for t in temperature] if temperature is not None else [1.0] * len(self.labels)

    def state(self) -> dict:
        state = {"labels": self.labels, "thresholds": [float(t) for t in self.thresholds]}
        if any(t != 1.0 for t in self.temperature):
            state["temperature"] = [round(float(t), 6) for t in self.temperature]
        return state

    def model_kwargs(self) -> dict:
        return {**super().model_kwargs(), "problem_type": "multi_label_classification"}

    def _resolve_label_columns(self, df, cols: dict, path) -> None:
        if "labels" in cols:
            if isinstance(cols["labels"], str):
                cols["labels"] = [c.strip() for c in cols["labels"].split(",") if c.strip()]
            for c in cols["labels"]:
                D.require_column(df, c, path)
            return
        if "label" in cols:
            D.require_column(df, cols["label"], path)
        else:
            binary = D.guess_binary_label_columns(df, exclude=[cols["text"], cols.get("text_pair")])
            if len(binary) >= 2:
                cols["labels"] = binary
                return
            guess = D.guess_label_column(df, exclude=[cols["text"], cols.get("text_pair")])
            if guess is None:
                raise DataError("cannot tell which columns hold the labels; name them "
                                "(--label-col with ';'-separated labels, or --label-cols A,B,...)", file=path)
            cols["label"] = guess
        cols.setdefault("label_sep", D.detect_label_separator(df[cols["label"]]) or ";")

    def _read_labels(self, df, cols: dict) -> list:
        if "labels" in cols:
            names = cols["labels"]
            values = {c: df[c].map(lambda v: D.normalise_label(v).lower() in TRUE_VALUES).to_numpy()
                      for c in names}
            # a row with no label set is a valid example ("none of these"): mark it as labeled
            return [[c for c in names if values[c][i]] for i in range(len(df))]
        sep = cols.get("label_sep") or ";"
        out = []
        for v in df[cols["label"]].tolist():
            text = D.normalise_label(v)
            out.append([p.strip() for p in text.split(sep) if p.strip()] if text else None)
        return out

    def fit_labels(self, examples: TextExamples) -> None:
        cols = examples.columns
        if "labels" in cols:
            values = list(cols["labels"])      # keep the sheet's column order
        else:
            values = sorted({l for ls in examples.labels for l in ls})
        if len(values) < 2:
            raise DataError("multi-label data needs at least two different labels",
                            file=examples.path)
        self.labels = values
        self.thresholds = [0.5] * len(values)
        self.temperature = [1.0] * len(values)

    def split(self, examples: TextExamples, eval_fraction: float, seed: int):
        tr, ev = D.split_indices(examples.labels, eval_fraction, seed, stratify=False)
        return examples.subset(tr), examples.subset(ev)

    def check_eval_labels(self, examples: TextExamples) -> None:
        unknown = sorted({l for ls in examples.labels for l in ls} - set(self.labels))
        if unknown:
            raise DataError(f"the evaluation data has labels not seen in training: "
                            f"{', '.join(map(repr, unknown[:5]))}", file=examples.path)

    def label_counts(self, examples: TextExamples) -> dict[str, int]:
        return dict(Counter(l for labels in examples.labels for l in labels))

    def label_targets(self, examples: TextExamples) -> list:
        return list(self.multi_hot(examples.labels))

    def multi_hot(self, label_lists) -> np.ndarray:
        ids = self.label2id
        out = np.zeros((len(label_lists), len(self.labels)), dtype=np.float32)
        for i, ls in enumerate(label_lists):
            for l in ls:
                if l in ids:
                    out[i, ids[l]] = 1.0
        return out

    def collate(self, pad_id: int):
        return lambda batch: pad_batch(batch, pad_id, float_labels=True)

    def decode(self, outputs, features: Features, examples) -> list[dict]:
        return self._predictions(_sigmoid(self._pool(outputs, features, len(examples)) / self._temperatures()))

    def _temperatures(self) -> np.ndarray:
        t = np.asarray(self.temperature, dtype=np.float64)
        return t if t.shape == (len(self.labels),) else np.ones(len(self.labels))

    def _predictions(self, probs: np.ndarray) -> list[dict]:
        th = np.asarray(self.thresholds)
        return [{"labels": [self.labels[j] for j in np.flatnonzero(p >= th)], "scores": p} for p in probs]

    def temperature_inputs(self, predictions, examples):
        p = np.clip(np.stack([np.asarray(x["scores"], dtype=np.float64) for x in predictions]), 1e-12, 1 - 1e-12)
        return np.log(p / (1 - p)), self.multi_hot(examples.labels)

    def calibrate(self, predictions: list[dict], examples: TextExamples) -> list[dict]:
        """A temperature per label on the held-out rows, then each label's threshold on the
        calibrated scores."""
        from ..calibration import fit_temperature

        if not predictions:
            return predictions
        z, y = self.temperature_inputs(predictions, examples)
        z = z * self._temperatures()
        self.temperature = fit_temperature(z, y, "sigmoid")
        probs = _sigmoid(z / self._temperatures())
        self.thresholds = tune_thresholds(y, probs).tolist()
        return self._predictions(probs)

    def init_head(self, model, examples, new_parameters, loss_weights=None) -> None:
        """Each label's bias starts at the log-odds of that label in the training rows (with the
        positive-class weights, if training uses them), so the first steps learn from the text
        rather than spend themselves pushing 28 sigmoids from 0.5 down to a rare label's rate."""
        import torch

        name = next((n for n in new_parameters if n.endswith("classifier.bias")), None)
        if name is None:
            return
        truth = self.multi_hot(examples.labels)
        if not len(truth):
            return
        pos = truth.mean(0)
        if loss_weights is not None:
            w = np.asarray(loss_weights, dtype=np.float64)
            pos = pos * w / (pos * w + (1 - pos))
        pos = np.clip(pos, 1e-3, 1 - 1e-3)
        bias = dict(model.named_parameters())[name]
        with torch.no_grad():
            bias.copy_(torch.as_tensor(np.log(pos / (1 - pos)), dtype=bias.dtype))

    MAX_POSITIVE_WEIGHT = 50.0

    def loss_weights(self, examples):
        """Positive-class weights: a label's negatives per positive (at most MAX_POSITIVE_WEIGHT),
        so a rare label's few positives are not drowned by its many negatives."""
        truth = self.multi_hot(examples.labels)
        pos = truth.sum(0)
        return np.clip((len(truth) - pos) / np.maximum(pos, 1), 1.0, self.MAX_POSITIVE_WEIGHT)

    def weighted_loss(self, logits, labels, weights, num_items=None):
        import torch.nn.functional as F

        total = F.binary_cross_entropy_with_logits(logits.float(), labels.float(), pos_weight=weights.to(logits.device),
                                                   reduction="sum")
        return total / (num_items if num_items is not None else max(1, labels.numel()))     # per label and row

    def baseline(self, examples) -> dict:
        """The best constant label set: labels added by frequency while micro-F1 grows."""
        truth = self.multi_hot(examples.labels)
        if not len(truth):
            return {}
        chosen, best = [], -1.0
        for j in np.argsort(-truth.sum(0), kind="stable"):
            guess = np.zeros(truth.shape[1], dtype=bool)
            guess[chosen + [int(j)]] = True
            score = multilabel_metrics(truth, np.tile(guess, (len(truth), 1)), self.labels)["micro_f1"]
            if score <= best:
                break
            chosen, best = chosen + [int(j)], score
        guess = np.zeros(truth.shape[1], dtype=bool)
        guess[chosen] = True
        metrics = multilabel_metrics(truth, np.tile(guess, (len(truth), 1)), self.labels)
        names = ";".join(self.labels[j] for j in chosen)
        return {"name": f"always “{names}”", "always": names,
                "micro_f1": metrics["micro_f1"], "macro_f1": metrics["macro_f1"]}

    def missed_labels(self, predictions, examples) -> dict[str, int]:
        predicted = {label for p in predictions for label in p["labels"]}
        counts = Counter(label for ls in examples.labels for label in ls)
        return {label: n for label, n in counts.items() if label not in predicted}

    def evaluate(self, predictions, examples, *, tune: bool = False) -> dict:
        probs = np.stack([p["scores"] for p in predictions])
        truth = self.multi_hot(examples.labels)
        th = tune_thresholds(truth, probs) if tune else np.asarray(self.thresholds)
        result = multilabel_metrics(truth, probs >= th, self.labels)
        result["thresholds"] = {l: float(t) for l, t in zip(self.labels, th)}
        return result

    def output_columns(self, predictions) -> dict[str, list]:
        cols = {"pred_labels": [";".join(p["labels"]) if p else "" for p in predictions]}
        for j, label in enumerate(self.labels):
            cols[f"score_{label}"] = [round(float(p["scores"][j]), 4) if p else None for p in predictions]
        return cols

    def true_and_predicted(self, examples, predictions):
        true = [";".join(sorted(l)) for l in examples.labels]
        pred = [";".join(sorted(p["labels"])) for p in predictions]
        # confidence: how far the least certain label is from its threshold, scaled to 0.5-1
        th = np.asarray(self.thresholds or [0.5] * len(self.labels))
        conf = [float(0.5 + np.min(np.abs(p["scores"] - th))) for p in predictions]
        return true, pred, conf

    def describe_prediction(self, prediction: dict) -> tuple[str, float | None]:
        return ";".join(prediction["labels"]), None

    def uncertainty(self, predictions: list[dict]) -> np.ndarray:
        """Least confident label: 1 when some label's probability sits at its threshold, 0 when
        every label is far from it."""
        th = np.asarray(self.thresholds or [0.5] * len(self.labels))
        scores = np.stack([np.asarray(p["scores"], dtype=np.float64) for p in predictions])
        margin = np.where(scores >= th, (scores - th) / np.maximum(1 - th, 1e-9), (th - scores) / np.maximum(th, 1e-9))
        return 1.0 - margin.min(axis=1)

    def unlabeled_mask(self, df, columns: dict):
        names = columns.get("labels") or ([columns["label"]] if columns.get("label") else [])
        if isinstance(names, str):
            names = [c.strip() for c in names.split(",") if c.strip()]
        names = [c for c in names if c in df.columns]
        if not names:
            return None
        empty = [np.array([D.normalise_label(v) == "" for v in df[c].tolist()]) for c in names]
        return np.logical_and.reduce(empty)
