"""The wizard's check of a task and its columns: the data read exactly as training will read it
(``core.prepare.prepare_data``), with the held-out split counted, and the first problem as words."""

from __future__ import annotations

from ..core.config import TrainConfig
from ..core.errors import BertdeskError
from ..core.formats import FILE_FORMATS


def check_columns(table, task: str, columns: dict, *, use_eval_file: bool = False, eval_file: str | None = None,
                  eval_fraction: float = 0.2, seed: int = 42, read_options: dict | None = None,
                  generation: int = 0, on_event=None, cancel=None) -> dict:
    """Returns {"generation", "problem"} or {"generation", "examples", "resolved_columns", "counts",
    "summary", "n_train", "n_eval"}; ``generation`` comes back as given, so a caller can tell an
    answer to an older request."""
    from ..core.prepare import prepare_data
    from ..core.tasks import make_task

    try:
        core_task = make_task(task)
        file_format = table.format if table.format in FILE_FORMATS else None
        if file_format and file_format not in core_task.file_formats:
            raise BertdeskError(f"{table.path.name} is a {table.format.upper()} file: choose the task it is made for")
        columns = {} if file_format else {k: v for k, v in columns.items() if v}
        if len(set(columns.values())) < len(columns):
            raise BertdeskError("the same column is chosen twice; each role needs its own column")
        if use_eval_file and not eval_file:
            raise BertdeskError("choose the evaluation file, or hold back part of the rows")
        config = TrainConfig(task=task, train_file=str(table.path), eval_file=eval_file if use_eval_file else None,
                             columns=columns, read_options=dict(read_options or {}), eval_fraction=eval_fraction,
                             seed=seed)
        data = prepare_data(config, core_task, table=table, split=False)
        if data.n_train < 2:
            raise BertdeskError(f"only {len(data.examples)} usable {core_task.unit}: too few to train and evaluate")
    except BertdeskError as exc:
        return {"generation": generation, "problem": str(exc)}
    examples = data.examples
    skipped = "; ".join(f"{n:,} without a label (left out of training; they can be labeled on the Review page)"
                        if why == "no label" else f"{n:,} skipped ({why})" for why, n in examples.skipped.items())
    labels = f"; {len(core_task.labels)} {core_task.label_noun}" if core_task.label_noun else ""
    summary = (f"{len(examples):,} usable {core_task.unit} → {data.n_train:,} for training, {data.n_eval:,} for "
               f"evaluation{labels}." + (f" {skipped}." if skipped else ""))
    return {"generation": generation, "examples": examples, "counts": core_task.label_counts(examples),
            "summary": summary, "n_train": data.n_train, "n_eval": data.n_eval, "n_usable": len(examples),
            "unit": core_task.unit, "n_labels": len(core_task.labels), "label_noun": core_task.label_noun,
            "skipped": dict(examples.skipped),
            "resolved_columns": {} if file_format else dict(examples.columns)}
