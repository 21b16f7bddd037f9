"""Single-label text classification (sentiment, topics, any categories); one text or a text pair."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP
from .. import data as D
from ..errors import DataError
from ..metrics import classification_metrics
from .base import ColumnRole, ExampleSet, Features, Task, encode_in_chunks

MAX_CLASSES = 1000
POOLINGS = ("cls", "mean")     # BERT's [CLS] head, or bertdesk's head on the mean of the tokens (frozen encoder)


@dataclass
class TextExamples(ExampleSet):
    """Texts (and optional second texts) with their labels and original row positions."""
    texts: list[str]
    labels: list | None = None              # str per example, or list[str] for multi-label
    pairs: list[str] | None = None
    rows: np.ndarray | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    path: object = None

    def __post_init__(self):
        if self.rows is None:
            self.rows = np.arange(len(self.texts))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


TEXT_ROLE = ColumnRole("text", QT_TRANSLATE_NOOP("core", "Text column"), D.TEXT_NAMES, detect="text",
                       help=QT_TRANSLATE_NOOP("core", "The text the model reads."))


class ClassificationTask(Task):
    name = "classify"
    title = QT_TRANSLATE_NOOP("core", "Sentiment / text classification")
    choice_title = QT_TRANSLATE_NOOP("core", "Classify texts (one label each)")
    description = QT_TRANSLATE_NOOP("core", "Sentiment, topic, priority… every row has exactly one label.")
    roles = (TEXT_ROLE,
             ColumnRole("label", QT_TRANSLATE_NOOP("core", "Label column"), D.LABEL_NAMES, detect="label"),
             ColumnRole("text_pair", QT_TRANSLATE_NOOP("core", "Second text (optional)"), optional=True,
                        help=QT_TRANSLATE_NOOP("core", "For pairs such as question + answer; leave at (none) otherwise.")))
    label_roles = (TEXT_ROLE,)
    main_metric = "accuracy"
    label_error_kind = "single"
    reviewable = True
    suggests_rows = True
    frozen_head = True
    cards = (("accuracy", QT_TRANSLATE_NOOP("core", "Accuracy")), ("macro_f1", QT_TRANSLATE_NOOP("core", "Macro F1")),
             ("macro_precision", QT_TRANSLATE_NOOP("core", "Macro precision")),
             ("macro_recall", QT_TRANSLATE_NOOP("core", "Macro recall")))

    temperature_kind = "softmax"
    weighs_labels = True
    explain_kind = "class"
    # the new head from noise at the encoder's learning rate spends a short run catching up; at 10x it
    # does not (SST-2, 2,000 sentences, 1 epoch, 8 seeds: 76.49 -> 77.37 %, the worst seed 72.13 -> 75.80;
    # tests/benchmarks/grouping.py --head-lr 1 10)
    head_lr_factor = 10.0
    unrecorded_head_lr_factor = 1.0      # interrupted runs of versions that trained this head at 1 x

    def __init__(self, labels=None, max_length=None, long_text="window", stride=None, pooling: str = "cls",
                 temperature: float = 1.0):
        super().__init__(labels, max_length, long_text, stride)
        if pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}")
        self.pooling = pooling
        self.temperature = float(temperature)

    def state(self) -> dict:
        # defaults are left out, as older folders have them: "mean" pooling is a frozen-encoder model
        # (core.heads), a temperature other than 1 was fitted on the held-out rows (core.calibration)
        return {**super().state(), **({"pooling": self.pooling} if self.pooling != "cls" else {}),
                **({"temperature": round(self.temperature, 6)} if self.temperature != 1.0 else {})}

    @property
    def reads_first_token(self) -> bool:
        return self.pooling == "cls"          # BERT's pooler reads [CLS]; "mean" reads every token

    @property
    def model_class(self):
        if self.pooling == "mean":
            from ..heads import BertMeanPoolForSequenceClassification
            return BertMeanPoolForSequenceClassification
        from transformers import AutoModelForSequenceClassification
        return AutoModelForSequenceClassification

    # ------------------------------------------------------------ columns and examples
    def resolve_columns(self, df, columns: dict, *, with_labels: bool = True, path=None) -> dict:
        cols = {k: v for k, v in (columns or {}).items() if v}
        if "text" not in cols:
            guess = D.guess_text_column(df)
            if guess is None:
                raise DataError("cannot tell which column holds the text; name it (--text-col)", file=path)
            cols["text"] = guess
        for key in ("text", "text_pair"):
            if key in cols:
                D.require_column(df, cols[key], path)
        if with_labels:
            self._resolve_label_columns(df, cols, path)
        return cols

    def _resolve_label_columns(self, df, cols: dict, path) -> None:
        if "label" not in cols:
            guess = D.guess_label_column(df, exclude=[cols["text"], cols.get("text_pair")])
            if guess is None:
                raise DataError("cannot tell which column holds the labels; name it (--label-col)", file=path)
            cols["label"] = guess
        D.require_column(df, cols["label"], path)

    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        return self.examples_from_table(D.read_table(path, **read_kw), columns, with_labels=with_labels)

    def examples_from_table(self, table, columns: dict, *, with_labels: bool = True) -> TextExamples:
        df = table.df
        cols = self.resolve_columns(df, columns, with_labels=with_labels, path=table.path)
        texts = D.text_values(df, cols["text"])
        pairs = D.text_values(df, cols["text_pair"]) if "text_pair" in cols else None
        keep = np.array([bool(t.strip()) for t in texts])
        skipped = {}
        if (~keep).any():
            skipped["empty text"] = int((~keep).sum())
        labels = None
        if with_labels:
            labels = self._read_labels(df, cols)
            has_label = np.array([l is not None and l != "" for l in labels])
            missing = keep & ~has_label
            if missing.any():
                skipped["no label"] = int(missing.sum())
            keep &= has_label
        if not keep.any():
            what = "labeled text" if with_labels else "text"
            raise DataError(f"no row has a {what} (column '{cols['text']}')", file=table.path)
        idx = np.flatnonzero(keep)
        ex = TextExamples(texts, labels, pairs, columns=cols, path=table.path).subset(idx)
        ex.skipped = skipped
        return ex

    def _read_labels(self, df, cols: dict) -> list:
        return [D.normalise_label(v) for v in df[cols["label"]].tolist()]

    def fit_labels(self, examples: TextExamples) -> None:
        values = sorted(set(examples.labels), key=_label_sort_key)
        column = examples.columns.get("label")
        if len(values) < 2:
            raise DataError(f"every row has the same label ('{values[0]}'); a classifier needs at "
                            "least two classes", file=examples.path, column=column)
        if len(values) > MAX_CLASSES or len(values) > max(50, 0.5 * len(examples)):
            raise DataError(f"{len(values)} different labels in {len(examples)} rows: is this really "
                            "the label column?", file=examples.path, column=column)
        self.labels = values

    def split(self, examples: TextExamples, eval_fraction: float, seed: int):
        tr, ev = D.split_indices(examples.labels, eval_fraction, seed)
        return examples.subset(tr), examples.subset(ev)

    def label_counts(self, examples: TextExamples) -> dict[str, int]:
        return dict(Counter(examples.labels))

    def examples_from_texts(self, texts: list[str], pairs: list[str] | None = None) -> TextExamples:
        return TextExamples(list(texts), None, list(pairs) if pairs is not None else None)

    def check_eval_labels(self, examples: TextExamples) -> None:
        unknown = sorted(set(examples.labels) - set(self.labels), key=_label_sort_key)
        if unknown:
            raise DataError(f"the evaluation data has labels not seen in training: "
                            f"{', '.join(map(repr, unknown[:5]))}", file=examples.path)

    # ------------------------------------------------------------ model io
    def label_targets(self, examples: TextExamples) -> list:
        ids = self.label2id
        return [ids[l] for l in examples.labels]

    def encode(self, tokenizer, examples: TextExamples, *, with_labels: bool = True, cancel=None) -> Features:
        windows = self.long_text == "window" and examples.pairs is None
        kw = dict(truncation=True, max_length=self.max_length, return_attention_mask=False)
        if windows:
            kw.update(return_overflowing_tokens=True, stride=self.stride)
        enc = encode_in_chunks(tokenizer, examples.texts, examples.pairs, cancel=cancel, **kw)
        mapping = np.asarray(enc["overflow_to_sample_mapping"], dtype=np.int64)
        targets = self.label_targets(examples) if with_labels and examples.labels is not None else None
        items = []
        for i, ex in enumerate(mapping):
            item = {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i]}
            if targets is not None:
                item["labels"] = targets[ex]
            items.append(item)
        return Features(items, mapping)

    def _pool(self, logits: np.ndarray, features: Features, n_examples: int) -> np.ndarray:
        """Average the logits of each example's windows."""
        logits = np.asarray(logits, dtype=np.float64)
        sums = np.zeros((n_examples, logits.shape[-1]))
        np.add.at(sums, features.example_index, logits)
        counts = np.bincount(features.example_index, minlength=n_examples)[:, None]
        return sums / np.maximum(counts, 1)

    def decode(self, outputs, features: Features, examples) -> list[dict]:
        return self._predictions(_softmax(self._pool(outputs, features, len(examples)) / self.temperature))

    def _predictions(self, probs: np.ndarray) -> list[dict]:
        best = probs.argmax(-1)
        return [{"label": self.labels[b], "score": float(p[b]), "probs": p} for b, p in zip(best, probs)]

    def temperature_inputs(self, predictions, examples):
        z = np.log(np.clip(np.stack([np.asarray(p["probs"], dtype=np.float64) for p in predictions]), 1e-12, None))
        return z, np.asarray(self.label_targets(examples), dtype=np.int64)

    def calibrate(self, predictions, examples):
        """Temperature scaling on the held-out rows: the same labels, honest scores."""
        from ..calibration import fit_temperature

        if not predictions:
            return predictions
        z, y = self.temperature_inputs(predictions, examples)
        z = z * self.temperature                     # back to the unscaled logits (up to a constant per row)
        self.temperature = fit_temperature(z, y, "softmax")
        return self._predictions(_softmax(z / self.temperature))

    def loss_weights(self, examples):
        """Inverse class frequency, n / (classes × count): the average weight of a row stays 1."""
        counts = np.bincount(self.label_targets(examples), minlength=len(self.labels)).astype(np.float64)
        return np.where(counts > 0, counts.sum() / (len(self.labels) * np.maximum(counts, 1)), 1.0)

    def weighted_loss(self, logits, labels, weights, num_items=None):
        import torch.nn.functional as F

        flat = labels.view(-1)
        total = F.cross_entropy(logits.view(-1, logits.shape[-1]).float(), flat, weight=weights.to(logits.device),
                                reduction="sum", ignore_index=-100)
        return total / (num_items if num_items is not None else max(1, int((flat != -100).sum())))

    def baseline(self, examples) -> dict:
        counts = Counter(examples.labels)
        if not counts:
            return {}
        label, _ = counts.most_common(1)[0]
        ids = self.label2id
        metrics = classification_metrics([ids[l] for l in examples.labels], [ids[label]] * len(examples), self.labels)
        return {"name": f"always “{label}”", "always": label,
                "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"]}

    def missed_labels(self, predictions, examples) -> dict[str, int]:
        predicted = {p["label"] for p in predictions}
        counts = Counter(examples.labels)
        return {label: n for label, n in counts.items() if label not in predicted}

    def evaluate(self, predictions: list[dict], examples: TextExamples, *, tune: bool = False) -> dict:
        ids = self.label2id
        y_true = [ids[l] for l in examples.labels]
        y_pred = [ids[p["label"]] for p in predictions]
        return classification_metrics(y_true, y_pred, self.labels)

    def output_columns(self, predictions: list[dict | None]) -> dict[str, list]:
        return {"pred_label": [p["label"] if p else "" for p in predictions],
                "pred_score": [round(p["score"], 4) if p else None for p in predictions]}

    def true_and_predicted(self, examples, predictions) -> tuple[list[str], list[str], list[float]]:
        """Per example: the true label, the predicted one and the model's confidence, as text."""
        return ([str(l) for l in examples.labels], [p["label"] for p in predictions],
                [float(p["score"]) for p in predictions])

    def eval_table(self, examples, predictions):
        import pandas as pd

        true, pred, conf = self.true_and_predicted(examples, predictions)
        df = pd.DataFrame({"row": examples.row_numbers(), "text": examples.texts, "true": true,
                           "predicted": pred, "confidence": np.round(conf, 4),
                           "correct": [t == p for t, p in zip(true, pred)]})
        return df, None

    def describe_prediction(self, prediction: dict) -> tuple[str, float | None]:
        return prediction["label"], float(prediction["score"])

    def uncertainty(self, predictions: list[dict]) -> np.ndarray:
        """1 - (p(best) - p(second best)): 1 when the model cannot choose, 0 when sure."""
        probs = np.stack([np.asarray(p["probs"], dtype=np.float64) for p in predictions])
        top = np.sort(probs, axis=1)[:, ::-1]
        return 1.0 - (top[:, 0] - top[:, 1])

    def unlabeled_mask(self, df, columns: dict):
        column = columns.get("label")
        if not column or column not in df.columns:
            return None
        return np.array([D.normalise_label(v) == "" for v in df[column].tolist()])


def _label_sort_key(label: str):
    try:
        return (0, float(label), "")
    except ValueError:
        return (1, 0.0, label)
