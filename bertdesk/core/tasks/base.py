"""The Task design every task implements: read examples, encode, collate, decode, metrics, columns.

A task turns user rows into *examples*, examples into model *features* (one example may give
several features when a long text is split into overlapping windows), and model outputs back
into one prediction per example.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, fields
from typing import Any, Callable, ClassVar

import numpy as np

from ..cancel import CancelToken, check

LONG_TEXT_MODES = ("window", "truncate")


@dataclass
class Features:
    """Model inputs for a list of examples; ``example_index[i]`` is the example feature i came from."""
    items: list[dict]
    example_index: np.ndarray
    extra: dict[str, Any] = field(default_factory=dict)   # task-specific (offsets, word ids, ...)

    def __len__(self) -> int:
        return len(self.items)

    def lengths(self) -> np.ndarray:
        return np.fromiter((len(f["input_ids"]) for f in self.items), dtype=np.int64, count=len(self.items))


class ExampleSet:
    """Mixin for a task's examples dataclass: list fields hold one entry per example, ``rows`` the
    original row positions; ``columns``/``path`` describe the source and ``skipped`` what was left
    out. ``subset`` picks the same positions from every list field."""

    _SOURCE_FIELDS = ("columns", "path")

    def __len__(self) -> int:
        return len(self.rows)

    def subset(self, idx):
        idx = np.asarray(idx, dtype=np.int64)
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in self._SOURCE_FIELDS:
                values[f.name] = value
            elif f.name == "skipped":
                values[f.name] = {}
            elif f.name == "rows":
                values[f.name] = value[idx]
            else:
                values[f.name] = None if value is None else [value[i] for i in idx]
        return type(self)(**values)


class Task(ABC):
    name: ClassVar[str]
    title: ClassVar[str]
    main_metric: ClassVar[str]
    input_columns: ClassVar[tuple[str, ...]] = ("text", "text_pair")   # what labeling reads

    def __init__(self, labels: list[str] | None = None, max_length: int = 128,
                 long_text: str = "window", stride: int | None = None):
        if long_text not in LONG_TEXT_MODES:
            raise ValueError(f"long_text must be one of {LONG_TEXT_MODES}")
        self.labels = list(labels or [])
        self.max_length = int(max_length)
        self.long_text = long_text
        self.stride = int(stride if stride is not None else max(8, self.max_length // 4))

    # -- configuration saved in bertdesk.json
    def to_config(self) -> dict:
        return {"labels": self.labels, "max_length": self.max_length, "long_text": self.long_text,
                "stride": self.stride}

    @property
    def label2id(self) -> dict[str, int]:
        return {l: i for i, l in enumerate(self.labels)}

    def model_kwargs(self) -> dict:
        return {"num_labels": len(self.labels),
                "id2label": {i: l for i, l in enumerate(self.labels)},
                "label2id": self.label2id}

    @property
    @abstractmethod
    def model_class(self):
        """The transformers Auto class for this task's head."""

    # -- data
    @abstractmethod
    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        """Read a user's file into this task's examples; DataError on bad input."""

    @abstractmethod
    def examples_from_table(self, table, columns: dict, *, with_labels: bool = True):
        """Examples from an already read ``data.Table``."""

    @abstractmethod
    def fit_labels(self, examples) -> None:
        """Learn the label set from training examples."""

    @abstractmethod
    def split(self, examples, eval_fraction: float, seed: int):
        """(train, eval) examples."""

    @abstractmethod
    def encode(self, tokenizer, examples, *, with_labels: bool = True,
               cancel: CancelToken | None = None) -> Features:
        ...

    def examples_from_texts(self, texts: list[str], pairs: list[str] | None = None):
        """Unlabeled examples from plain texts (the "try it" box, ``Predictor.predict``)."""
        from .classification import TextExamples
        return TextExamples(list(texts), None, list(pairs) if pairs is not None else None)

    @staticmethod
    def model_outputs(out) -> np.ndarray:
        """The numbers decode() needs from one batch's model output, as numpy."""
        return out.logits.float().cpu().numpy()

    @staticmethod
    def trainer_outputs(predictions):
        """Trainer.predict's predictions in the layout decode() takes."""
        return predictions[0] if isinstance(predictions, tuple) else predictions

    def collate(self, pad_id: int) -> Callable[[list[dict]], dict]:
        return lambda batch: pad_batch(batch, pad_id)

    # -- outputs
    @abstractmethod
    def decode(self, outputs: np.ndarray | tuple, features: Features, examples) -> list[dict]:
        """One prediction dict per example from the stacked model outputs of all features."""

    @abstractmethod
    def evaluate(self, predictions: list[dict], examples, *, tune: bool = False) -> dict:
        """Metrics dict (scalars at the top level, details nested)."""

    @abstractmethod
    def output_columns(self, predictions: list[dict]) -> dict[str, list]:
        """Columns added to a labeled table, in order."""

    def calibrate(self, predictions: list[dict], examples) -> None:
        """Tune decision settings on eval predictions (thresholds); default: nothing."""


def pad_batch(batch: list[dict], pad_id: int, float_labels: bool = False) -> dict:
    """Pad to the longest item in this batch (dynamic padding) and stack the labels.

    Integer labels per item give a class tensor; a list of labels per item (one per token) is
    padded with -100 so padding is ignored by the loss; ``float_labels`` stacks label vectors
    (multi-label targets).
    """
    import torch

    width = max(len(f["input_ids"]) for f in batch)
    n = len(batch)
    input_ids = torch.full((n, width), pad_id, dtype=torch.long)
    token_type = torch.zeros((n, width), dtype=torch.long)
    mask = torch.zeros((n, width), dtype=torch.long)
    for i, f in enumerate(batch):
        length = len(f["input_ids"])
        input_ids[i, :length] = torch.as_tensor(f["input_ids"])
        if "token_type_ids" in f:
            token_type[i, :length] = torch.as_tensor(f["token_type_ids"])
        mask[i, :length] = 1
    out = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": token_type}
    if "labels" in batch[0]:
        if float_labels:
            out["labels"] = torch.tensor(np.array([f["labels"] for f in batch]), dtype=torch.float32)
        elif isinstance(batch[0]["labels"], (list, tuple, np.ndarray)):
            labels = torch.full((n, width), -100, dtype=torch.long)
            for i, f in enumerate(batch):
                labels[i, :len(f["labels"])] = torch.as_tensor(f["labels"])
            out["labels"] = labels
        else:
            out["labels"] = torch.tensor([f["labels"] for f in batch], dtype=torch.long)
    for key in ("start_positions", "end_positions"):
        if key in batch[0]:
            out[key] = torch.tensor([f[key] for f in batch], dtype=torch.long)
    return out


def encode_in_chunks(tokenizer, texts, pairs=None, *, chunk: int = 2000, cancel=None, **kw):
    """Tokenise in chunks so a cancel is seen within a chunk; returns merged lists per key."""
    merged: dict[str, list] = {}
    for start in range(0, len(texts), chunk):
        check(cancel)
        args = (texts[start:start + chunk],) + ((pairs[start:start + chunk],) if pairs is not None else ())
        enc = tokenizer(*args, **kw)
        for key, values in enc.items():
            if key == "overflow_to_sample_mapping":
                values = [v + start for v in values]
            merged.setdefault(key, []).extend(values)
        if "overflow_to_sample_mapping" not in enc:
            merged.setdefault("overflow_to_sample_mapping", []).extend(
                range(start, start + len(args[0])))
    return merged
