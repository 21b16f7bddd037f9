"""The training job: one dataclass, saved with each model and as a portable job file."""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .errors import DataError

JOB_SCHEMA = "bertdesk.job"
JOB_VERSION = 1

PRESETS = {
    # name: (epochs, batch size, learning rate, max length)
    # quick: short inputs and a higher rate; 3 epochs, as one epoch of a small sheet is too few steps
    # to learn (300 sample reviews: 65 % accuracy after 1 epoch, 100 % after 3)
    "quick": {"epochs": 3.0, "batch_size": 16, "learning_rate": 1e-4, "max_length": 64},
    "balanced": {"epochs": 3.0, "batch_size": 16, "learning_rate": 5e-5, "max_length": 128},
    "thorough": {"epochs": 5.0, "batch_size": 16, "learning_rate": 3e-5, "max_length": 256},
}
# A small sheet gets more passes so that training takes at least this many optimizer steps: 300
# sample reviews at 3 epochs (45 steps, lr 5e-5) never learnt the "neutral" class (80 % accuracy);
# 10 epochs (150 steps) gave 100 %.
MIN_STEPS = 150
MAX_EPOCHS = 10.0
# Below this many labeled rows in its smallest class, a sheet starts with a head on the frozen
# encoder (seconds; core.frozen) rather than a full fine-tune: on SST-2 with the bundled model, 50
# labels gave 65.2 % dev accuracy from the head (10 seeds) against 50.9 %, chance, from the
# quick-preset fine-tune (3 seeds); at 250 labels the two were level (tests/benchmarks/active_learning.py).
FEW_LABELS_PER_CLASS = 30


CLASS_WEIGHT_CHOICES = ("none", "auto")
PRECISION_CHOICES = ("auto", "fp32", "bf16", "fp16")
# the largest label at least this many times the smallest: the wizard turns class weights on
IMBALANCE_RATIO = 5.0


def imbalance(counts: dict) -> float:
    """How many times the largest label's rows outnumber the smallest's (1.0: balanced)."""
    values = [v for v in counts.values() if v > 0]
    return max(values) / min(values) if len(values) >= 2 else 1.0


def few_labels(counts: dict) -> bool:
    """Whether a label distribution is small enough to start with a frozen-encoder head."""
    return bool(counts) and min(counts.values()) < FEW_LABELS_PER_CLASS


def preset_values(name: str, n_train_rows: int | None = None, batch_size: int | None = None) -> dict | None:
    """A preset's settings; with ``n_train_rows``, more epochs for a small sheet (at least MIN_STEPS
    steps, at most MAX_EPOCHS passes; ``batch_size`` when it differs from the preset's). None for an
    unknown name."""
    values = PRESETS.get(name)
    if values is None:
        return None
    values = dict(values)
    if n_train_rows:
        steps_per_epoch = -(-n_train_rows // (batch_size or values["batch_size"]))
        wanted = min(MAX_EPOCHS, float(-(-MIN_STEPS // steps_per_epoch)))
        values["epochs"] = max(values["epochs"], wanted)
    return values


@dataclass
class TrainConfig:
    task: str = "classify"                 # classify | multilabel | ner | qa
    train_file: str = ""
    eval_file: str | None = None
    columns: dict = field(default_factory=dict)
    read_options: dict = field(default_factory=dict)   # encoding, delimiter, sheet
    model: str = "bundled"
    out_dir: str = ""
    epochs: float = 3.0
    batch_size: int = 16
    learning_rate: float = 5e-5
    max_length: int | None = None          # tokens per window; None: the task's default (128; QA 384)
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    seed: int = 42
    eval_fraction: float = 0.1
    eval_steps: int | None = None          # None: evaluate (and checkpoint) once per epoch
    patience: int | None = 2               # early stopping, in evaluations; None: off
    grad_accum: int = 1
    long_text: str = "window"              # window | truncate
    stride: int | None = None              # window overlap in tokens; None: the task's rule (Task.default_stride)
    max_train_rows: int | None = None      # a seeded sample of the training rows
    device: str = "auto"                   # auto | cuda | mps | cpu
    # training arithmetic: "auto" is bf16 on a CUDA GPU that has it, fp16 on other CUDA GPUs, fp32 on
    # MPS and the CPU; "fp32" everywhere; "bf16" on CUDA (where supported) or the CPU; "fp16" on CUDA
    precision: str = "auto"
    # batches of similar lengths (less padding); None: the task's rule (Task.group_by_length)
    group_by_length: bool | None = None
    # fit only a classification head on the encoder's frozen mean-pooled embeddings (core.frozen):
    # seconds instead of minutes, for sheets with few labeled rows; epochs, batch and rate are unused
    frozen_encoder: bool = False
    # the new head's learning rate as a multiple of learning_rate; None: the task's rule (Task.head_lr_factor)
    head_lr_factor: float | None = None
    # "auto": rare labels weigh more in the loss (Task.loss_weights: inverse class frequency; multi-label:
    # positive-class weights); "none": every example counts the same
    class_weights: str = "none"
    task_options: dict = field(default_factory=dict)   # settings of the task itself (pre-training: {"nsp": true})
    # under torchrun/accelerate: False (default) splits batch_size over the processes, so the job takes
    # the optimizer steps it takes in one process; True makes batch_size each process's own
    per_device_batch: bool = False
    max_steps: int | None = None           # stop after this many optimizer steps (whatever the epochs say)
    # pre-train on the training texts first (core.pretrain), then fine-tune from the adapted model
    adapt_first: bool = False
    # add the sheet's frequent characters the model's vocabulary lacks (core.vocab), before anything else
    extend_vocab: bool = False
    # a model folder this run is measured against on the same held-out rows (retraining after a review)
    compare_to: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        """A config from a dict (a job file, a run's state, a model folder), every value checked
        against the field's type: a hand-edited ``"epochs": "three"`` is a DataError, not a crash."""
        if not isinstance(d, dict):
            raise DataError(f"the job settings are {type(d).__name__}, not an object of settings")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise DataError(f"unknown job settings: {', '.join(unknown)}")
        for name, value in d.items():
            problem = _type_problem(name, value)
            if problem:
                raise DataError(problem)
        return cls(**d)


@functools.cache
def _field_types() -> dict:
    """TrainConfig's field types, resolved once (each resolution compiles every annotation)."""
    import typing

    return typing.get_type_hints(TrainConfig)


def _type_problem(name: str, value) -> str:
    """Why ``value`` cannot be the setting ``name`` ("" when it can)."""
    import typing

    hint = _field_types()[name]
    args = typing.get_args(hint) or (hint,)
    if value is None:
        return "" if type(None) in args else f"setting '{name}' cannot be empty (null)"
    wanted = [a for a in args if a is not type(None)]
    for kind in wanted:
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return ""
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return ""
        if kind in (str, bool, dict) and isinstance(value, kind):
            return ""
    names = {float: "a number", int: "a whole number", str: "text", bool: "true or false", dict: "an object"}
    expected = " or ".join(names.get(k, k.__name__) for k in wanted)
    return f"setting '{name}' must be {expected}, not {json.dumps(value, ensure_ascii=False)[:40]}"


def job_dict(config: TrainConfig) -> dict:
    return {"schema": JOB_SCHEMA, "version": JOB_VERSION, "job": config.to_dict()}


PATH_FIELDS = ("train_file", "eval_file", "out_dir")


def save_job(config: TrainConfig, path: str | Path) -> None:
    """Write a job file. Paths are stored relative to the job file's folder when they lie inside
    it, so a folder holding the job and its data can move to another machine as a whole."""
    from .io import write_json

    path = Path(path)
    base = path.expanduser().resolve().parent
    data = job_dict(config)
    for key in PATH_FIELDS:
        value = data["job"].get(key)
        if value:
            full = Path(value).expanduser().resolve()
            data["job"][key] = full.relative_to(base).as_posix() if full.is_relative_to(base) else str(full)
    model = data["job"]["model"]
    if model and Path(model).expanduser().is_dir():
        full = Path(model).expanduser().resolve()
        data["job"]["model"] = full.relative_to(base).as_posix() if full.is_relative_to(base) else str(full)
    write_json(path, data)


def out_outside_job(config: TrainConfig, job_path: str | Path) -> Path | None:
    """The model folder a job names when it lies outside the job file's own folder, else None."""
    if not config.out_dir:
        return None
    base = Path(job_path).expanduser().resolve().parent
    full = Path(config.out_dir).expanduser()
    full = (full if full.is_absolute() else base / full).resolve()
    return None if full.is_relative_to(base) else full


def load_job(path: str | Path, out_given: bool = False) -> TrainConfig:
    """Read a job file. Its model folder must lie inside the job file's folder (a job file from
    elsewhere cannot make bertdesk write anywhere else) unless the caller chose the output folder
    itself (``out_given``: ``--out`` on the command line)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError("job file not found", file=path) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError("is not a valid job file (JSON)", file=path) from exc
    if not isinstance(raw, dict) or raw.get("schema") != JOB_SCHEMA:
        raise DataError("is not a bertdesk job file", file=path)
    version = raw.get("version")
    if not isinstance(version, int) or version > JOB_VERSION:
        raise DataError(f"was written by a newer bertdesk (job version {version})", file=path)
    job = raw.get("job")
    if not isinstance(job, dict):
        raise DataError("has no 'job' section", file=path)
    try:
        config = TrainConfig.from_dict(job)
    except DataError as exc:
        raise DataError(exc.message, file=path) from exc
    except TypeError as exc:
        raise DataError(f"has invalid settings ({exc})", file=path) from exc
    base = path.expanduser().resolve().parent
    for key in PATH_FIELDS:
        value = getattr(config, key)
        if value and not Path(value).expanduser().is_absolute():
            setattr(config, key, str(base / value))
    if config.model and (base / config.model).is_dir() and not Path(config.model).is_absolute():
        config.model = str(base / config.model)
    outside = None if out_given else out_outside_job(config, path)
    if outside is not None:
        raise DataError(f"asks to write the model to {outside}, outside the job file's folder; a job file may only "
                        "write beside itself: give --out to choose where the model goes", file=path)
    return config



def split_batch(batch_size: int, grad_accum: int, world: int) -> tuple[int, int, str]:
    """(per-process batch, gradient accumulation, what was done in words) so that ``world``
    processes step with the effective batch of one process (batch_size x grad_accum)."""
    total = batch_size * grad_accum
    if world <= 1:
        return batch_size, grad_accum, ""
    # the fewest accumulation steps that split the effective batch evenly with no process taking more
    # than the batch it was given (what fits in memory: out-of-memory recovery halves it)
    for accum in range(1, total + 1):
        if total % (world * accum) == 0 and total // (world * accum) <= batch_size:
            per = total // (world * accum)
            return per, accum, (f"{world} processes: batch {per} per process x {accum} accumulation step"
                                f"{'s' if accum > 1 else ''} x {world} processes = effective batch {total}, "
                                "as in one process")
    per = -(-total // world)
    return per, 1, (f"{world} processes: an effective batch of {total} does not split evenly; batch {per} per "
                    f"process, effective batch {per * world}")
