"""The training job: one dataclass, saved with each model and as a portable job file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .errors import DataError

JOB_SCHEMA = "bertdesk.job"
JOB_VERSION = 1

PRESETS = {
    # name: (epochs, batch size, learning rate, max length)
    "quick": {"epochs": 1.0, "batch_size": 32, "learning_rate": 8e-5, "max_length": 64},
    "balanced": {"epochs": 3.0, "batch_size": 16, "learning_rate": 5e-5, "max_length": 128},
    "thorough": {"epochs": 5.0, "batch_size": 16, "learning_rate": 3e-5, "max_length": 256},
}


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
    max_length: int | None = None          # tokens per window; None: the task's default
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    seed: int = 42
    eval_fraction: float = 0.1
    eval_steps: int | None = None          # None: evaluate (and checkpoint) once per epoch
    patience: int | None = 2               # early stopping, in evaluations; None: off
    grad_accum: int = 1
    long_text: str = "window"              # window | truncate
    stride: int | None = None              # window overlap in tokens (default: a quarter; QA 128)
    max_train_rows: int | None = None      # a seeded sample of the training rows
    device: str = "auto"                   # auto | cuda | mps | cpu
    group_by_length: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise DataError(f"unknown job settings: {', '.join(unknown)}")
        return cls(**d)


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


def load_job(path: str | Path) -> TrainConfig:
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
    except TypeError as exc:
        raise DataError(f"has invalid settings ({exc})", file=path) from exc
    base = path.expanduser().resolve().parent
    for key in PATH_FIELDS:
        value = getattr(config, key)
        if value and not Path(value).expanduser().is_absolute():
            setattr(config, key, str(base / value))
    if config.model and (base / config.model).is_dir() and not Path(config.model).is_absolute():
        config.model = str(base / config.model)
    return config
