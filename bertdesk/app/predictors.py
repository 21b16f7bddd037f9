"""Loaded models for the app's jobs: one in memory at a time, shared by the jobs that use it.
Only worker threads touch it; the GUI refers to models by folder."""

from __future__ import annotations

import threading
from pathlib import Path

_PREDICTORS: dict[str, object] = {}
_LOCK = threading.Lock()


def predictor_for(model_dir: str | Path):
    from ..core.predictor import Predictor

    key = str(Path(model_dir).resolve())
    with _LOCK:
        pred = _PREDICTORS.get(key)
        if pred is None:
            pred = Predictor.load(key)
            _PREDICTORS.clear()          # one model in memory at a time is plenty
            _PREDICTORS[key] = pred
        return pred


def forget(model_dir: str | Path) -> None:
    """Drop a model (before its folder is deleted or renamed)."""
    with _LOCK:
        _PREDICTORS.pop(str(Path(model_dir).resolve()), None)
