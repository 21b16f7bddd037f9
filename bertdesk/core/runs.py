"""The run store: while a model trains, its checkpoints and ``run.json`` live in ``<model>.run/``
beside the model folder, so a killed or cancelled run can resume; the folder goes when the model
is complete. Here: where that folder is, its state, its checkpoints, and the interrupted runs of a
models folder (to resume or discard)."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

from .config import job_dict

RUN_STATE = "run.json"
RESUMABLE = ("running", "cancelled")
LOCK_FILE = ".lock"


def now() -> str:
    """UTC time in ISO form, to the millisecond: runs finished within one second still sort in order."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def run_dir_for(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    return out.with_name(out.name + ".run")


@contextlib.contextmanager
def run_lock(out_dir: str | Path):
    """Hold the run folder of ``out_dir`` for this process while it trains: a second training into
    the same model folder (the app and the command line, or Resume on a run still going) is refused
    at once instead of both writing and pruning the same checkpoints. The lock goes with the process."""
    from filelock import FileLock, Timeout

    from .errors import DataError

    run_dir = run_dir_for(out_dir)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot create the run folder ({exc.strerror or exc})", file=run_dir) from exc
    lock = FileLock(str(run_dir / LOCK_FILE), timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise DataError("another bertdesk run is training into this model folder right now (in the app, on the "
                        "command line or resuming); wait for it or cancel it, or choose another folder",
                        file=out_dir) from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.release()


def write_state(out_dir: str | Path, status: str, config, **extra) -> None:
    """Record the run's status ("running", "cancelled") and its job, to resume it later."""
    from .io import write_json

    run_dir = run_dir_for(out_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    write_json(run_dir / RUN_STATE, {"status": status, **extra, **job_dict(config)})


def pending_run(out_dir: str | Path) -> dict | None:
    """The state of an unfinished run for ``out_dir``, or None."""
    try:
        state = json.loads((run_dir_for(out_dir) / RUN_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def resumable_state(out_dir: str | Path) -> dict | None:
    """The state of an interrupted run that can be resumed, or None."""
    state = pending_run(out_dir)
    if state and state.get("status") in RESUMABLE and isinstance(state.get("job"), dict):
        return state
    return None


def resume_config(out_dir: str | Path):
    """The job of the interrupted run of ``out_dir``, checked: DataError when there is none, when
    its ``run.json`` was damaged or edited into something else, or when it would write elsewhere."""
    from .config import TrainConfig
    from .errors import DataError

    state = pending_run(out_dir)
    if state is None:
        raise DataError(f"no interrupted run to resume for '{out_dir}'")
    job = state.get("job")
    if not isinstance(job, dict):
        raise DataError(f"the run's state ({RUN_STATE}) has no job settings: it was damaged or edited",
                        file=run_dir_for(out_dir))
    try:
        config = TrainConfig.from_dict(job)
    except DataError as exc:
        raise DataError(f"{exc.message} (in the run's {RUN_STATE})", file=run_dir_for(out_dir)) from exc
    if not config.out_dir or Path(config.out_dir).expanduser().resolve() != Path(out_dir).expanduser().resolve():
        raise DataError(f"the run's job writes to '{config.out_dir}', not to the folder given to resume; its "
                        f"{RUN_STATE} was moved or edited", file=run_dir_for(out_dir))
    return config


def checkpoint_complete(folder: Path) -> bool:
    """Trainer writes a checkpoint's files one after the other, trainer_state.json last, and deletes
    old ones file by file: a process killed meanwhile leaves a folder that cannot be resumed."""
    try:
        json.loads((folder / "trainer_state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    weights = (folder / "model.safetensors").is_file() or (folder / "model.safetensors.index.json").is_file()
    return weights and (folder / "optimizer.pt").is_file() and (folder / "scheduler.pt").is_file()


def last_checkpoint(run_dir: Path) -> str | None:
    """The newest checkpoint in ``run_dir`` that was written completely, or None."""
    if not run_dir.is_dir():
        return None
    steps = sorted(((int(m.group(1)), p) for p in run_dir.iterdir()
                    if p.is_dir() and (m := re.fullmatch(r"checkpoint-(\d+)", p.name))), reverse=True)
    return next((str(p) for _, p in steps if checkpoint_complete(p)), None)


def has_checkpoint(out_dir: str | Path) -> bool:
    return any(run_dir_for(out_dir).glob("checkpoint-*"))


def discard(out_dir: str | Path) -> None:
    shutil.rmtree(run_dir_for(out_dir), ignore_errors=True)


def interrupted_runs(models: Path, exclude: str | None = None) -> list[tuple[str, dict]]:
    """(model folder, run state) of every interrupted run under ``models``, newest first;
    ``exclude``: the model folder being trained right now."""
    models = Path(models)
    if not models.is_dir():
        return []
    skip = str(Path(exclude).resolve()) if exclude else None
    out = []
    for run_dir in sorted((p for p in models.glob("*.run") if p.is_dir()), key=lambda p: p.stat().st_mtime,
                          reverse=True):
        model_dir = run_dir.with_name(run_dir.name[:-len(".run")])
        if skip and str(model_dir.resolve()) == skip:
            continue
        state = resumable_state(model_dir)
        if state is not None:
            out.append((str(model_dir), state))
    return out
