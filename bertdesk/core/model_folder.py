"""The model folder: a Hugging Face folder (config, safetensors weights, tokenizer) plus
``bertdesk.json``, which says what the model is for and how it was made.

``bertdesk.json`` (format 2)::

    format_version   2
    task             the task's registry name
    config           the TrainConfig the model was trained with, resolved: the window length,
                     stride and columns actually used (never None)
    task_state       what the task learnt from the data (labels, thresholds, tag scheme...)
    metrics          the evaluation metrics, every score on a 0-1 scale
    history          training and evaluation curves
    n_train, n_eval, train_seconds, train_samples_per_second, device, created, versions

Format 1 (bertdesk 0.1) kept the settings twice (``hyperparameters`` and ``task_config``) and
question-answering scores on a 0-100 scale: it is migrated when read; the folder is not rewritten.
A format newer than this bertdesk knows is refused with a message that says so.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from .config import TrainConfig
from .errors import DataError, ModelError

META_FILE = "bertdesk.json"
FORMAT_VERSION = 2


@dataclass
class ModelFolder:
    """A bertdesk model folder, its ``bertdesk.json`` read, checked and migrated."""
    path: Path
    meta: dict

    @property
    def task_name(self) -> str:
        return self.meta["task"]

    @property
    def config(self) -> TrainConfig:
        return TrainConfig.from_dict(self.meta["config"])

    @property
    def metrics(self) -> dict:
        return self.meta.get("metrics") or {}

    @property
    def labels(self) -> list[str]:
        return list((self.meta.get("task_state") or {}).get("labels") or [])

    def task(self):
        """The task with the settings and the learnt state this model was trained with."""
        from .tasks import task_for_config

        try:
            return task_for_config(self.config, self.meta.get("task_state"))
        except (TypeError, ValueError) as exc:
            raise ModelError(f"{META_FILE} has settings this bertdesk cannot use ({exc})", file=self.path) from exc

    def main_metric(self) -> tuple[str, float | None]:
        """(name, value) of the task's main metric."""
        from .tasks import TASKS

        key = TASKS[self.task_name].main_metric
        value = self.metrics.get(key)
        return key, float(value) if isinstance(value, (int, float)) else None


def read_meta(model_dir: str | Path) -> dict:
    """``bertdesk.json`` of ``model_dir`` in the current format; ModelError when the folder is not a
    bertdesk model, the file is damaged, or a newer bertdesk wrote it."""
    from .tasks import TASKS

    model_dir = Path(model_dir).expanduser()
    if not model_dir.is_dir():
        raise ModelError("model folder not found", file=model_dir)
    path = model_dir / META_FILE
    if not path.is_file():
        raise ModelError(f"is not a bertdesk model folder (no {META_FILE})", file=model_dir)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{META_FILE} is damaged (not readable JSON)", file=model_dir) from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{META_FILE} is damaged (not a JSON object)", file=model_dir)
    version = meta.get("format_version", 1)
    if not isinstance(version, int) or version < 1:
        raise ModelError(f"{META_FILE} is damaged (format_version {version!r})", file=model_dir)
    if version > FORMAT_VERSION:
        raise ModelError(f"was saved by a newer bertdesk (model format {version}; this one reads up to "
                         f"{FORMAT_VERSION}): update bertdesk to open it", file=model_dir)
    if version == 1:
        meta = migrate_v1(meta)
    if meta.get("task") not in TASKS:
        raise ModelError(f"{META_FILE} names an unknown task ({meta.get('task')!r})", file=model_dir)
    if not isinstance(meta.get("config"), dict):
        raise ModelError(f"{META_FILE} is damaged (no training settings)", file=model_dir)
    try:
        TrainConfig.from_dict(meta["config"])
    except (DataError, TypeError) as exc:
        raise ModelError(f"{META_FILE} is damaged or from a newer bertdesk ({exc})", file=model_dir) from exc
    return meta


def migrate_v1(meta: dict) -> dict:
    """Format 1 → 2: one config (hyperparameters with the task's resolved window settings and
    columns), the learnt state apart, and question-answering scores on 0-1."""
    from .tasks import TASKS

    task = meta.get("task")
    config = dict(meta.get("hyperparameters") or {})
    state = dict(meta.get("task_config") or {})
    for key in ("max_length", "long_text", "stride"):
        if key in state:
            config[key] = state.pop(key)
    if isinstance(meta.get("columns"), dict):
        config["columns"] = meta["columns"]
    config["task"] = task
    config.setdefault("model", meta.get("base_model") or "bundled")
    new = {k: v for k, v in meta.items() if k not in ("hyperparameters", "task_config", "columns", "base_model")}
    new.update(format_version=FORMAT_VERSION, config=config, task_state=state)
    percent = TASKS[task].format1_percent_metrics if task in TASKS else ()
    if percent:
        new["metrics"] = _fraction(meta.get("metrics") or {}, percent)
        new["history"] = [_fraction(h, percent) if h.get("split") == "eval" else h for h in meta.get("history") or []]
    return new


def _fraction(values: dict, keys) -> dict:
    return {k: v / 100.0 if k in keys and isinstance(v, (int, float)) else v for k, v in values.items()}


def open_folder(model_dir: str | Path) -> ModelFolder:
    """The model folder at ``model_dir``; ModelError when it cannot be used."""
    model_dir = Path(model_dir).expanduser()
    return ModelFolder(model_dir, read_meta(model_dir))


def try_open(model_dir: str | Path) -> ModelFolder | None:
    """The model folder, or None when ``model_dir`` is not a usable bertdesk model."""
    try:
        return open_folder(model_dir)
    except ModelError:
        return None


def task_from_folder(model_dir: str | Path):
    """The trained task of a model folder (labels, thresholds, window settings)."""
    return open_folder(model_dir).task()


def find_models(folder: str | Path) -> list[ModelFolder]:
    """The usable model folders directly inside ``folder``, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and not path.name.endswith(".run"):
            model = try_open(path)
            if model is not None:
                found.append(model)
    found.sort(key=lambda m: m.meta.get("created", ""), reverse=True)
    return found


def build_meta(config: TrainConfig, task, columns: dict, **facts) -> dict:
    """``bertdesk.json`` for a model trained with ``config``: the config resolved to what the task
    used, the task's learnt state, and ``facts`` (metrics, history, sizes, times...)."""
    resolved = replace(config, max_length=task.max_length, stride=task.stride, long_text=task.long_text,
                       columns=dict(columns))
    return {"format_version": FORMAT_VERSION, "task": task.name, "config": resolved.to_dict(),
            "task_state": task.state(), **facts}


def save(model, tokenizer, meta: dict, out_dir: Path, cancel=None) -> None:
    """Write the folder (with its model card, README.md) beside its final name; a cancel or crash
    before the rename leaves no trace."""
    from . import io as bio
    from .cancel import check

    from .model_card import CARD_FILE, model_card

    with bio.atomic_dir(out_dir) as tmp:
        model.save_pretrained(tmp)
        check(cancel)
        tokenizer.save_pretrained(tmp)
        bio.write_json(tmp / META_FILE, meta)
        bio.write_text(tmp / CARD_FILE, model_card(meta, Path(out_dir).name))
        for item in users_files(Path(out_dir)):        # a retrained model keeps what the user put beside it
            target = tmp / item.name
            if not target.exists():
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)
        check(cancel)


def check_output_dir(path: str | Path) -> Path:
    """The model folder to (re)write. A finished model is replaced only when the new one is
    complete; any other existing folder is refused, never emptied: ``--out ~/Documents`` must not
    cost anyone their documents."""
    out = Path(path).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise DataError("the output path is a file; choose a folder name", file=out)
    if out.parent == out or out == Path.home().resolve():
        raise DataError("choose a new folder for the model, not the top of a drive or your home folder", file=out)
    if out.is_dir() and any(out.iterdir()) and not (out / META_FILE).exists():
        raise DataError("this folder already exists and is not a bertdesk model; choose a new folder name",
                        file=out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot create the folder {out.parent} ({exc.strerror or exc}); choose another place",
                        file=out) from exc
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise DataError(f"cannot write in {out.parent} (permission denied or read-only); choose another place",
                        file=out)
    return out


# what bertdesk writes in a model folder; anything else there is the user's and is kept on retraining
OWN_FILES = {"config.json", "model.safetensors", "model.safetensors.index.json", "tokenizer.json",
             "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "added_tokens.json",
             "generation_config.json", META_FILE, "README.md", "fast"}


def users_files(folder: Path) -> list[Path]:
    """What the user put in an existing model folder (notes, exports...): kept when it is retrained."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.name not in OWN_FILES and not p.name.startswith(".")
            and not p.name.endswith(".safetensors")]
