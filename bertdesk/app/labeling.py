"""Labeling for the app: the same streaming, atomic ``core.labeling.label_file`` as
``bertdesk-cli label``, into a file of the app's own (JSON Lines, which keeps every value as it
was), and Export, which writes that file as the CSV/TSV/XLSX/JSONL the user names."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from .imports import ensure_imported
from .predictors import predictor_for

SCRATCH_FOLDER = ".labeled"
EXPORT_CHUNK_ROWS = 20000


def scratch_path(input_path) -> Path:
    """Where the app keeps the labeled rows of ``input_path`` until they are exported."""
    from ..core.workspace import default_workspace

    return default_workspace() / SCRATCH_FOLDER / f"{Path(input_path).stem}-labeled.jsonl"


def discard(labeled_path) -> None:
    """Remove a labeled file the app kept (after export, or when it is no longer wanted)."""
    if labeled_path and Path(labeled_path).parent.name == SCRATCH_FOLDER:
        with contextlib.suppress(OSError):
            Path(labeled_path).unlink()


def label(model_dir, input_path, columns: dict | None = None, read_options: dict | None = None,
          fast: bool = False, explain: int = 0, *, on_event=None, cancel=None) -> dict:
    """Label every row of ``input_path``; {"rows", "preview", "output", "fast"}.

    ``columns`` maps the model's input roles to columns ({"text": ...}; QA: context and question).
    With ``fast`` the CPU fast mode is tried first (kept only if it passes its parity check); what
    happened is in "fast", as words. The first rows come as a ``Preview`` event while the rest is
    labeled."""
    from ..core import fast as fast_mode
    from ..core.errors import BertdeskError
    from ..core.labeling import label_file, use_default_backend

    ensure_imported()
    predictor = predictor_for(model_dir)
    note = ""
    cols = {k: v for k, v in (columns or {}).items() if v}
    if fast and predictor.fast_mode in (None, fast_mode.DEFAULT_MODE):
        predictor.set_fast(None, None)
        try:
            note = fast_note(fast_mode.enable(predictor, on_event=on_event, cancel=cancel))
        except BertdeskError as exc:
            note = f"Fast mode not used: {exc}"
    elif fast:
        note = f"Fast mode {predictor.fast_mode} on."
    elif predictor.fast_mode != fast_mode.DEFAULT_MODE:
        predictor.set_fast(None, None)
    if predictor.fast is None:
        try:        # full precision through ONNX Runtime where its check holds (built once per model)
            use_default_backend(predictor, input_path, cols or None, on_event=on_event, cancel=cancel,
                                **(read_options or {}))
        except BertdeskError:
            predictor.set_fast(None, None)
    output = scratch_path(input_path)
    output.parent.mkdir(parents=True, exist_ok=True)
    result = label_file(predictor, input_path, output, cols or None, on_event=on_event, cancel=cancel,
                        explain=explain, **(read_options or {}))
    return {"rows": result.rows, "preview": result.preview, "output": str(output), "fast": note,
            "input": str(input_path)}


def export(labeled_path, target, input_path=None, rows: int | None = None, *, on_event=None, cancel=None) -> dict:
    """Write the labeled rows kept at ``labeled_path`` to ``target`` (its suffix names the format),
    in chunks, atomically; never over the input file. ``rows``: the label job's count, for the
    progress bar (counted from the file when not given). {"rows", "path"}."""
    import pandas as pd

    from ..core.cancel import check
    from ..core.events import Progress, emit
    from ..core.io import table_writer
    from ..core.labeling import check_not_input

    if input_path:
        check_not_input(target, input_path)
    check_not_input(target, labeled_path)
    if rows is None:
        with open(labeled_path, "rb") as fh:
            rows = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    total, rows, t0 = max(1, rows), 0, time.time()
    with table_writer(target) as write:
        with pd.read_json(labeled_path, lines=True, dtype=False, convert_dates=False, keep_default_dates=False,
                          encoding="utf-8", chunksize=EXPORT_CHUNK_ROWS) as reader:
            for chunk in reader:
                check(cancel)
                write(chunk)
                rows += len(chunk)
                emit(on_event, Progress("exporting", rows, max(total, rows), time.time() - t0))
    return {"rows": rows, "path": str(target)}


def fast_note(check: dict) -> str:
    """One sentence on a fast-mode parity check, for the status line."""
    metric = check["metric"].replace("_", " ")
    figures = f"{metric} {check['before']:.3f} → {check['after']:.3f} on {check['n_eval']:,} evaluation rows"
    if check.get("cached"):
        figures = "checked earlier on this model"
    if check["accepted"]:
        return f"Fast mode {check['mode']} on ({figures})."
    return (f"Fast mode {check['mode']} refused: it would cost {check['drop_points']:.2f} points "
            f"({figures}); labeled at full precision.")
