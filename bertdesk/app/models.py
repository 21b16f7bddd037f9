"""The Models page's jobs: exporting a model folder for other tools (``core.export``)."""

from __future__ import annotations

from .imports import ensure_imported


def export(model_dir, fmt: str, out, *, on_event=None, cancel=None) -> dict:
    """``core.export.export_model``: {"format", "out", "max_abs_diff", "metric", "before", "after", ...}."""
    from ..core.export import export_model

    ensure_imported()
    return export_model(model_dir, fmt, out, on_event=on_event, cancel=cancel)
