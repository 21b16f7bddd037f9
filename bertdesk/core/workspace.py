"""Where bertdesk keeps models and outputs by default, and where the app's resources are."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_workspace() -> Path:
    env = os.environ.get("BERTDESK_WORKSPACE")
    return Path(env).expanduser() if env else Path.home() / "bertdesk"


def models_dir(workspace: Path | None = None) -> Path:
    return (workspace or default_workspace()) / "models"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def samples_dir() -> Path:
    return resources_dir() / "samples"


def unique_path(path: Path) -> Path:
    """``path`` itself, or ``path-2``, ``path-3``... the first that does not exist yet."""
    if not path.exists():
        return path
    stem, suffix = path.stem if path.suffix else path.name, path.suffix
    i = 2
    while True:
        candidate = path.with_name(f"{stem}-{i}{suffix}")
        if not candidate.exists():
            return candidate
        i += 1
