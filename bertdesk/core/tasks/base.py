"""The Task protocol every task implements, and the pieces tasks share.

A task turns user rows into *examples*, examples into model *features* (one example may give
several features when a long text is split into overlapping windows), and model outputs back
into one prediction per example. It also declares everything the front ends would otherwise
decide by the task's name: its column roles, the file formats it reads, its metric cards and
units, its window and batching rules, the held-out table the Results page shows, and the shape
of its model outputs. Every metric a task reports is on one 0-1 scale.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, fields
from typing import Any, Callable, ClassVar

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP
from ..cancel import CancelToken, check

LONG_TEXT_MODES = ("window", "truncate")


@dataclass(frozen=True)
class ColumnRole:
    """One column a task reads. ``detect`` says how the column is found when the user does not
    name it: "text" (the longest text column, or a text-like name), "label" (a label-like name or a
    column of few values) or "names" (only a column called one of ``names``)."""
    key: str                          # the key in TrainConfig.columns
    label: str                        # shown beside the column picker
    names: tuple[str, ...] = ()       # lower-case names that suggest this role (also as prefix/suffix)
    detect: str = "names"
    optional: bool = False
    help: str = ""

    def guess(self, df, taken=()) -> str | None:
        """The column of ``df`` that most likely plays this role, ignoring the ``taken`` ones."""
        from .. import data as D

        taken = [c for c in taken if c]
        if self.detect == "text":
            return D.guess_text_column(df, exclude=taken)
        if self.detect == "label":
            return D.guess_label_column(df, exclude=taken)
        return D.match_name([c for c in df.columns if c not in taken], self.names)


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

    def sorted_by_length(self) -> "Features":
        """The same features, shortest first (evaluation pads least this way)."""
        order = np.argsort(self.lengths(), kind="stable")
        extra = {k: [v[i] for i in order] if isinstance(v, list) else v for k, v in self.extra.items()}
        return Features([self.items[i] for i in order], self.example_index[order], extra)


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

    def row_numbers(self) -> np.ndarray:
        """Where each example is in the user's file, as they would find it: the spreadsheet row
        (the header is row 1), the CoNLL line where the sentence starts, or the question number."""
        rows = np.asarray(self.rows, dtype=np.int64)
        fmt = (self.columns or {}).get("format")
        if fmt == "conll":
            return rows
        if fmt == "squad":
            return rows + 1
        return rows + 2


class Task(ABC):
    # ---- what the task is, for people
    name: ClassVar[str]                       # the registry key (--task)
    title: ClassVar[str]                      # short name
    choice_title: ClassVar[str]               # the wizard's choice
    description: ClassVar[str]
    unit: ClassVar[str] = "rows"              # what one example is called
    label_noun: ClassVar[str | None] = "labels"   # what the learnt label set is called (None: none)

    # ---- data
    roles: ClassVar[tuple[ColumnRole, ...]] = ()          # the columns training reads
    label_roles: ClassVar[tuple[ColumnRole, ...]] = ()    # the columns the Label page asks for
    input_columns: ClassVar[tuple[str, ...]] = ("text", "text_pair")   # the keys labeling reads
    file_formats: ClassVar[tuple[str, ...]] = ()      # non-table sources it reads ("conll", "squad")
    telltale_names: ClassVar[tuple[tuple[str, ...], ...]] = ()   # column names that mark a table as this task's

    # ---- metrics (all on a 0-1 scale)
    main_metric: ClassVar[str]
    cards: ClassVar[tuple[tuple[str, str], ...]] = ()     # (metric key, caption) for the Results page
    format1_percent_metrics: ClassVar[tuple[str, ...]] = ()   # kept on 0-100 by model folders of format 1
    # how core.label_errors checks its labels (core.error_kinds: "single", "multi", "tokens"; None: not)
    label_error_kind: ClassVar[str | None] = None
    reviewable: ClassVar[bool] = False      # the Review page edits its labels (one label cell per row)
    suggests_rows: ClassVar[bool] = False   # core.suggest can rank its unlabeled rows (Task.uncertainty)
    frozen_head: ClassVar[bool] = False     # can train a head on the frozen encoder's embeddings (core.frozen)

    # ---- model and batching
    default_max_length: ClassVar[int] = 128
    long_text_modes: ClassVar[tuple[str, ...]] = LONG_TEXT_MODES
    group_by_length: ClassVar[bool] = True    # training batches of similar lengths
    per_token: ClassVar[bool] = False         # model outputs per token (else one per window)
    # the outputs read only the first token's last hidden state ([CLS]): an export may compute the
    # last layer for that token alone (core.fast)
    reads_first_token: ClassVar[bool] = False
    output_names: ClassVar[tuple[str, ...]] = ("logits",)

    # ---- how the Results page shows the held-out predictions
    results_view: ClassVar[str] = "classes"   # "classes" | "entities" | "answers"
    eval_roles: ClassVar[dict[str, str]] = {"text": "text", "true": "true", "predicted": "predicted",
                                           "confidence": "confidence"}
    search_hint: ClassVar[str] = QT_TRANSLATE_NOOP("core", "Search texts…")
    select_hint: ClassVar[str] = QT_TRANSLATE_NOOP("core", "Select a row to see why the model decided.")

    def __init__(self, labels: list[str] | None = None, max_length: int | None = None,
                 long_text: str = "window", stride: int | None = None):
        if long_text not in LONG_TEXT_MODES:
            raise ValueError(f"long_text must be one of {LONG_TEXT_MODES}")
        self.labels = list(labels or [])
        self.max_length = int(max_length) if max_length else self.default_max_length
        self.long_text = long_text if long_text in self.long_text_modes else self.long_text_modes[0]
        self.stride = int(stride) if stride is not None else self.default_stride(self.max_length)

    # -- rules that depend on the settings
    @staticmethod
    def default_stride(max_length: int) -> int:
        """Window overlap in tokens when the user gives none: a quarter of the window."""
        return max(8, max_length // 4)

    @classmethod
    def role(cls, key: str) -> ColumnRole:
        return next(r for r in cls.roles if r.key == key)

    def reads_as_file(self, path) -> bool:
        """Whether ``path`` is one of this task's own file formats rather than a table."""
        from ..formats import format_of_suffix

        return format_of_suffix(path) in self.file_formats

    def error_source_columns(self, examples) -> dict:
        """The columns that show a non-table source's examples in a result table (label errors)."""
        return {"text": list(examples.texts)}

    def uncertainty(self, predictions: list[dict]) -> "np.ndarray":
        """How unsure the model is of each prediction, 0 (sure) to 1 (cannot choose)."""
        raise NotImplementedError(f"{self.title} cannot rank rows by uncertainty")

    def unlabeled_mask(self, df, columns: dict):
        """Per row of ``df``, whether its label cells are empty (None: the sheet has no label column)."""
        return None

    @classmethod
    def claims(cls, table) -> bool:
        """Whether a source obviously holds this task's data: its format, or tell-tale column names."""
        from .. import data as D

        if table.format in cls.file_formats:
            return True
        cols = list(table.df.columns)
        return bool(cls.telltale_names) and all(D.match_name(cols, names) for names in cls.telltale_names)

    # -- what was learnt from the data (saved in the model folder)
    def state(self) -> dict:
        return {"labels": self.labels}

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
    def examples_from_texts(self, texts: list[str], pairs: list[str] | None = None):
        """Unlabeled examples from plain texts (the "try it" box, ``Predictor.predict``)."""

    @abstractmethod
    def fit_labels(self, examples) -> None:
        """Learn the label set from training examples."""

    @abstractmethod
    def check_eval_labels(self, examples) -> None:
        """DataError when separate evaluation examples carry labels the training data never had."""

    @abstractmethod
    def split(self, examples, eval_fraction: float, seed: int):
        """(train, eval) examples."""

    def split_sizes(self, examples, eval_fraction: float, seed: int) -> tuple[int, int]:
        """(train, eval) sizes that ``split`` gives, without splitting when it can be counted."""
        from .. import data as D

        n_eval = D.eval_count(len(examples), eval_fraction)
        return len(examples) - n_eval, n_eval

    @abstractmethod
    def label_counts(self, examples) -> dict[str, int]:
        """How many examples carry each label (the wizard's distribution chart)."""

    def approx_sizes(self, examples, idx, count: Callable[[str], int]) -> list[tuple[int, int]]:
        """(text tokens, reserved tokens) of the examples at ``idx``, with ``count`` counting a
        text's tokens: the text that may be split into windows, and what every window repeats
        (special tokens; the question in QA). Used by the time estimate."""
        pairs = getattr(examples, "pairs", None)
        out = []
        for i in idx:
            if pairs is not None and pairs[i]:
                out.append((count(examples.texts[i]) + count(pairs[i]), 3))
            else:
                out.append((count(examples.texts[i]), 2))
        return out

    @abstractmethod
    def encode(self, tokenizer, examples, *, with_labels: bool = True,
               cancel: CancelToken | None = None) -> Features:
        ...

    def model_outputs(self, out) -> np.ndarray:
        """The numbers decode() needs from one batch's model output, as numpy."""
        return np.stack([_as_numpy(getattr(out, n)) for n in self.output_names], -1) \
            if len(self.output_names) > 1 else _as_numpy(getattr(out, self.output_names[0]))

    def trainer_outputs(self, predictions):
        """Trainer.predict's predictions in the layout decode() takes."""
        if len(self.output_names) > 1:
            return np.stack(predictions[:len(self.output_names)], -1)
        return predictions[0] if isinstance(predictions, tuple) else predictions

    def collate(self, pad_id: int) -> Callable[[list[dict]], dict]:
        return lambda batch: pad_batch(batch, pad_id)

    # -- outputs
    @abstractmethod
    def decode(self, outputs: np.ndarray | tuple, features: Features, examples) -> list[dict]:
        """One prediction dict per example from the stacked model outputs of all features."""

    @abstractmethod
    def evaluate(self, predictions: list[dict], examples, *, tune: bool = False) -> dict:
        """Metrics dict (scalars on a 0-1 scale at the top level, details nested)."""

    @abstractmethod
    def output_columns(self, predictions: list[dict]) -> dict[str, list]:
        """Columns added to a labeled table, in order."""

    @abstractmethod
    def eval_table(self, examples, predictions: list[dict]):
        """(DataFrame, details) of the held-out predictions for the Results page: one row per
        example with the columns ``eval_roles`` names and a boolean "correct"; ``details[i]``
        (or None) holds what the detail view of row i shows."""

    def describe_prediction(self, prediction: dict) -> tuple[str, float | None]:
        """(text, score) of one prediction, for a one-line read-out."""
        return "", None

    def calibrate(self, predictions: list[dict], examples) -> list[dict]:
        """Tune on held-out predictions what decoding uses (temperature, thresholds); returns the
        predictions as the tuned task would give them. Default: nothing to tune."""
        return predictions

    # ---- rare labels: weights in the loss (TrainConfig.class_weights "auto")
    weighs_labels: ClassVar[bool] = False     # loss_weights/weighted_loss are implemented

    def loss_weights(self, examples):
        """Per-label weights for the training loss from the training examples (None: not supported)."""
        return None

    def weighted_loss(self, logits, labels, weights, num_items=None):
        """The training loss with ``weights`` (a torch tensor): summed, divided by ``num_items``."""
        raise NotImplementedError

    # ---- the new head: its learning rate and its starting point
    # the parameters the checkpoint lacks (the new head) learn at learning_rate x this; the encoder
    # they sit on starts trained, the head from noise (TrainConfig.head_lr_factor overrides it)
    head_lr_factor: ClassVar[float] = 1.0
    # the factor of runs whose run.json left it to the task (as runs did before it was written there),
    # where that differs from head_lr_factor: a checkpoint's optimizer fits only the split it was saved with
    unrecorded_head_lr_factor: ClassVar[float | None] = None

    def init_head(self, model, examples, new_parameters: set[str], loss_weights=None) -> None:
        """Set the starting values of the new head's parameters (``new_parameters``: the names the
        checkpoint lacked) from the training examples (``loss_weights``: the class weights training
        uses, or None). Default: the model's random start."""

    # ---- how training measures it
    fine_tunes: ClassVar[bool] = True         # a task the wizard and train --task offer (not pre-training)
    plain_cards: ClassVar[tuple[str, ...]] = ()   # cards shown as numbers, not percentages
    evaluate_first: ClassVar[bool] = False    # also measure the held-out rows before training
    # what picks the best checkpoint and stops early: (metric, greater is better); None: the main metric
    best_by: ClassVar[tuple[str, bool] | None] = None
    measured_in_training: ClassVar[bool] = False  # metrics come from trainer_metrics, not decode/evaluate

    def loading_notes(self, source: str) -> list[str]:
        """What to say in the log about the model about to be loaded."""
        return []

    def reduce_logits(self, logits, labels):
        """Trainer's ``preprocess_logits_for_metrics`` (measured_in_training tasks)."""
        return logits

    def trainer_metrics(self, predictions, label_ids) -> dict:
        """Metrics from the trainer's predictions and labels (measured_in_training tasks)."""
        raise NotImplementedError

    # ---- handing the model on (core.model_card, core.export)
    explain_kind: ClassVar[str | None] = None   # what core.explain attributes: class, labels, entities, answer

    def adaptation_texts(self, examples) -> list[str]:
        """The texts pre-training on this task's data reads (core.pretrain)."""
        return list(examples.texts)

    def explain_inputs(self, examples) -> tuple[list[str], list[str] | None]:
        """(texts, pairs) of examples as ``core.explain.explain_text`` takes them."""
        return list(examples.texts), (list(examples.pairs) if getattr(examples, "pairs", None) is not None else None)
    pipeline_tag: ClassVar[str] = "text-classification"   # the Hugging Face pipeline it is for
    has_pipeline: ClassVar[bool] = True       # transformers.pipeline still has that pipeline
    calibration_items: ClassVar[str] = "decisions"        # what the calibration counts
    score_note: ClassVar[str] = ""            # what a score means when it is not a calibrated probability
    sample_inputs: ClassVar[tuple] = (("The delivery was quick and the product works well.",
                                       "Terrible service, I want my money back.", "It arrived on Tuesday.",
                                       "Ana Lima moved from Lisbon to Paris in 2019."), None)

    # ---- trust: the trivial baseline, classes never predicted, calibration (core.trust)
    temperature_kind: ClassVar[str | None] = None   # "softmax" | "sigmoid" (core.calibration); None: not scaled

    def temperature_inputs(self, predictions: list[dict], examples) -> tuple[np.ndarray, np.ndarray]:
        """(log-probabilities or logits at the current temperature, targets) of held-out items."""
        raise NotImplementedError

    def baseline(self, examples) -> dict:
        """The score of a model that ignores the text, on ``examples``: {"name", metric: value...}."""
        return {}

    def missed_labels(self, predictions: list[dict], examples) -> dict[str, int]:
        """Labels the examples carry that the model never predicts, with how many examples carry them."""
        return {}


def _as_numpy(values) -> np.ndarray:
    """float32 numpy from a torch tensor (any device or dtype) or from numpy (ONNX Runtime)."""
    if isinstance(values, np.ndarray):
        return values.astype(np.float32, copy=False)
    return values.float().cpu().numpy()


def pad_inputs(batch: list[dict], pad_id: int) -> dict[str, np.ndarray]:
    """The model inputs of a batch padded to its longest item, as int64 numpy arrays (for a
    backend that takes numpy; labels are left out)."""
    width = max(len(f["input_ids"]) for f in batch)
    n = len(batch)
    input_ids = np.full((n, width), pad_id, dtype=np.int64)
    token_type = np.zeros((n, width), dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    for i, f in enumerate(batch):
        length = len(f["input_ids"])
        input_ids[i, :length] = f["input_ids"]
        if "token_type_ids" in f:
            token_type[i, :length] = f["token_type_ids"]
        mask[i, :length] = 1
    return {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": token_type}


def pad_batch(batch: list[dict], pad_id: int, float_labels: bool = False) -> dict:
    """Pad to the longest item in this batch (dynamic padding) and stack the labels.

    Integer labels per item give a class tensor; a list of labels per item (one per token) is
    padded with -100 so padding is ignored by the loss; ``float_labels`` stacks label vectors
    (multi-label targets).
    """
    import torch

    out = {k: torch.from_numpy(v) for k, v in pad_inputs(batch, pad_id).items()}
    n, width = out["input_ids"].shape
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
