"""Interrupted training runs in the workspace (``<model>.run`` folders), to resume or discard. No Qt.

A ``.run`` folder holds the checkpoints and ``run.json`` of a run that has not finished: cancelled,
or still "running" because the app or the computer stopped. The core is imported only when such
a folder exists, so listing costs nothing at start-up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

RESUMABLE = ("running", "cancelled")


def interrupted_runs(models: Path, exclude: str | None = None) -> list[tuple[str, dict]]:
    """(model folder, run state) of every interrupted run under ``models``, newest first."""
    models = Path(models)
    if not models.is_dir():
        return []
    found = [p for p in models.glob("*.run") if p.is_dir()]
    if not found:
        return []
    from bertdesk.core.training import pending_run

    skip = str(Path(exclude).resolve()) if exclude else None
    out = []
    for run_dir in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True):
        model_dir = run_dir.with_name(run_dir.name[:-len(".run")])
        if skip and str(model_dir.resolve()) == skip:
            continue                     # the run this window is training right now
        state = pending_run(model_dir)
        if state and state.get("status") in RESUMABLE and isinstance(state.get("job"), dict):
            out.append((str(model_dir), state))
    return out


def resumable_state(model_dir) -> dict | None:
    from bertdesk.core.training import pending_run

    state = pending_run(model_dir)
    if state and state.get("status") in RESUMABLE and isinstance(state.get("job"), dict):
        return state
    return None


def has_checkpoint(model_dir) -> bool:
    from bertdesk.core.training import run_dir_for
    return any(run_dir_for(model_dir).glob("checkpoint-*"))


def discard_run(model_dir) -> None:
    from bertdesk.core.training import run_dir_for
    shutil.rmtree(run_dir_for(model_dir), ignore_errors=True)


def describe(model_dir: str, state: dict) -> str:
    job = state.get("job") or {}
    status = "cancelled" if state.get("status") == "cancelled" else "stopped unexpectedly"
    when = (state.get("ended") or state.get("started") or "")[:16].replace("T", " ")
    steps = "with a checkpoint" if has_checkpoint(model_dir) else "no checkpoint yet: starts over"
    return (f"{Path(model_dir).name} — {job.get('task', '?')} on {Path(job.get('train_file', '')).name}, "
            f"{status} {when} ({steps})")
