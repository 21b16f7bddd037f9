"""Where bertdesk keeps models and outputs by default, and where the app's resources are."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


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


def folder_name_problem(name: str) -> str:
    """Why ``name`` cannot be a model folder's name inside the models folder ("" when it can).

    A name is one folder, never a path: no separators, no ``..``, nothing hidden, nothing that
    Windows or macOS would refuse, so a typed name can never place files anywhere else."""
    if not name or not name.strip():
        return "Give the model a name."
    if name != name.strip():
        return "The name cannot start or end with a space."
    if _BAD_CHARS.search(name):
        return 'The name cannot contain / \\ : * ? " < > | or control characters.'
    if name.startswith("."):
        return "The name cannot start with a dot."
    if name.endswith("."):
        return "The name cannot end with a dot."
    if name.split(".")[0].upper() in _RESERVED:
        return f"'{name}' is a reserved name on Windows; choose another."
    if len(name.encode("utf-8")) > 120:
        return "The name is too long (at most 120 bytes)."
    return ""
