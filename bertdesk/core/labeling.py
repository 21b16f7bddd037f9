"""Labeling a whole file with a ``Predictor``: every original column and row, in order, plus the
prediction columns. The one labeling path of the command line and the app.

CSV/TSV input streams in chunks into CSV/TSV/JSONL, so memory stays flat however long the file is
(a workbook output is collected, and refused past the rows a sheet holds, before the rest is
labeled); other inputs are read whole. The output appears only when complete (written beside its name, then
renamed), and it can never replace the input. The first rows are sent as a ``Preview`` event as
soon as they are labeled.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import data as D
from .cancel import check
from .errors import DataError
from .events import Log, Preview, Progress, emit
from .io import check_output_file, table_writer, write_table

PREVIEW_ROWS = 200           # the rows the Label page shows (the rest is in the file)
FIRST_CHUNK_ROWS = 256       # labeled first, so the preview shows within seconds
CHUNK_ROWS = 20000           # rows read and written at a time when streaming
PREDICT_ROWS = 4096          # rows predicted at a time (progress and cancel between them)
STREAM_PREDICT_ROWS = 2048   # ... within one streamed chunk


@dataclass
class LabelResult:
    rows: int
    preview: object              # a DataFrame: the first labeled rows, to show
    output: Path | None = None


def check_not_input(output_path, input_path) -> None:
    """Refuse an output that is the input file, also under another spelling of its name (a
    case-insensitive file system, a link, ``./``)."""
    out, inp = Path(output_path).expanduser(), Path(input_path).expanduser()
    same = out.resolve() == inp.resolve()
    if not same and out.exists() and inp.exists():
        try:
            same = os.path.samefile(out, inp)
        except OSError:
            same = False
    if same:
        raise DataError("the output would overwrite the input file; choose another name", file=output_path)


def _chunks(n: int, first: int, size: int):
    start, step = 0, first
    while start < n:
        yield start, min(n, start + step)
        start, step = start + step, size


EXPLAIN_COLUMN = "top_words"


def output_names(task, columns, explain: int = 0) -> dict[str, str]:
    """The name each prediction column gets: its own, or with a number when the input already has a
    column of that name (the user's values stay as they are)."""
    taken = {str(c) for c in columns}
    names = {}
    for name in list(task.output_columns([None])) + ([EXPLAIN_COLUMN] if explain else []):
        new, k = name, 2
        while new in taken:
            new, k = f"{name}_{k}", k + 1
        taken.add(new)
        names[name] = new
    return names


def say_renamed(task, columns, on_event, explain: int = 0) -> None:
    for name, new in output_names(task, columns, explain).items():
        if new != name:
            emit(on_event, Log(f"the input already has a column '{name}': its values are kept, and the "
                               f"predictions are in '{new}'", "warning"))


def _with_predictions(task, df, predictions, explain: int = 0):
    out = df.copy()
    names = output_names(task, df.columns, explain)
    for name, values in task.output_columns(predictions).items():
        out[names[name]] = values
    if explain:
        out[names[EXPLAIN_COLUMN]] = [p.get(EXPLAIN_COLUMN, "") if p else "" for p in predictions]
    return out


def _explain_rows(predictor, examples, predictions, k: int, steps: int, cancel) -> None:
    """Put the ``k`` words that pushed each prediction most into it (core.explain)."""
    from .explain import explain_text, top_words_cell

    texts, pairs = predictor.task.explain_inputs(examples)
    for i, p in enumerate(predictions):
        check(cancel)
        try:
            found = explain_text(predictor, texts[i], pairs[i] if pairs is not None else None, steps=steps,
                                 prediction=p)
        except DataError:
            found = []
        p[EXPLAIN_COLUMN] = top_words_cell(found, k)


def label_table(predictor, df, columns: dict | None = None, *, chunk_rows: int = PREDICT_ROWS,
                on_event=None, cancel=None, path=None, preview: bool = True, explain: int = 0,
                explain_steps: int = 32):
    """``df`` with the prediction columns added; rows without text keep empty predictions. Work
    goes in chunks so progress and cancel are seen often; inside a chunk rows are sorted by length.
    ``explain``: also a ``top_words`` column, the that many words that pushed each prediction most."""
    task = predictor.task
    cols = predictor.label_columns(df, columns, path)
    n = len(df)
    preds: list[dict | None] = [None] * n
    t0 = time.time()
    source = Path(path) if path else Path("input")
    for start, end in _chunks(n, min(FIRST_CHUNK_ROWS, chunk_rows), chunk_rows):
        check(cancel)
        part = D.Table(df=df.iloc[start:end].reset_index(drop=True), path=source, format="csv")
        try:
            examples = task.examples_from_table(part, cols, with_labels=False)
            cols = examples.columns      # detected once, the same for every chunk
        except DataError:
            if start == 0 and end == n:
                raise
            examples = None              # a chunk with no text at all
        if examples is not None:
            predicted = predictor.predict_examples(examples, cancel=cancel)
            if explain:
                _explain_rows(predictor, examples, predicted, explain, explain_steps, cancel)
            for row, p in zip(examples.rows, predicted):
                preds[start + int(row)] = p
        if preview and start == 0:
            k = min(end, PREVIEW_ROWS)
            emit(on_event, Preview(_with_predictions(task, df.iloc[:k], preds[:k], explain)))
        elapsed = time.time() - t0
        emit(on_event, Progress("labeling", end, n, elapsed, elapsed / end * (n - end)))
    return _with_predictions(task, df, preds, explain)


def label_file(predictor, input_path, output_path, columns: dict | None = None, *, on_event=None,
               cancel=None, chunk_rows: int = CHUNK_ROWS, explain: int = 0, **read_kw) -> LabelResult:
    """Label ``input_path`` into ``output_path`` (see the module's docstring)."""
    from .io import excel_rows_problem, table_format

    check_output_file(output_path)
    check_not_input(output_path, input_path)
    head = D.read_table(input_path, nrows=200, **read_kw)
    for note in head.notes:
        emit(on_event, Log(f"{Path(input_path).name}: {note}"))
    say_renamed(predictor.task, head.df.columns, on_event, explain)
    if table_format(output_path) == "xlsx" and head.format in ("csv", "tsv"):
        problem = excel_rows_problem(count_lines(head.path), output_path)      # before labeling, not after
        if problem is not None:
            raise problem
    if head.format in ("csv", "tsv"):
        return _label_stream(predictor, head, Path(output_path), columns, chunk_rows, on_event, cancel, explain)
    table = D.read_table(input_path, **read_kw)
    out = label_table(predictor, table.df, columns, on_event=on_event, cancel=cancel, path=input_path,
                      explain=explain)
    check(cancel)
    write_table(out, output_path)
    return LabelResult(len(out), out.head(PREVIEW_ROWS), Path(output_path))


def use_default_backend(predictor, input_path, columns: dict | None = None, *, on_event=None, cancel=None,
                        **read_kw) -> dict | None:
    """Label through the model's float32 ONNX Runtime graph where it holds (``core.fast``): at once
    when it was checked for these weights before, else built and checked on the first rows of
    ``input_path``. None when it does not apply (a GPU, another fast mode on, no ONNX Runtime);
    else the check's verdict (with "cached" when it was stored)."""
    from . import fast

    if predictor.fast is not None or predictor.device != "cpu" or not fast.onnx_available():
        return None
    path = fast.ready(predictor.model_dir)
    if path is not None:
        predictor.set_fast(fast.open_default(path, predictor.task), fast.DEFAULT_MODE)
        return {"accepted": True, "cached": True}
    if not fast.can_keep(predictor.model_dir):
        return None              # built anew on every run, the graph would cost more than it saves
    try:
        head = D.read_table(input_path, nrows=fast.CHECK_FEATURES, **read_kw)
        cols = predictor.label_columns(head.df, columns, input_path)
        examples = predictor.task.examples_from_table(head, cols, with_labels=False)
    except DataError:
        return None              # labeling itself says what is wrong with the file
    return fast.prepare_default(predictor, examples, on_event=on_event, cancel=cancel)


def count_lines(path: Path) -> int:
    """Rows in a text table, from its newlines (quoted line breaks make it an estimate)."""
    count = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(1, count - 1)


def _label_stream(predictor, head, output_path: Path, columns, chunk_rows, on_event, cancel,
                  explain: int = 0) -> LabelResult:
    import pandas as pd

    cols = predictor.label_columns(head.df, columns, head.path)
    try:
        cols = predictor.task.examples_from_table(head, cols, with_labels=False).columns
    except DataError:
        pass                     # the first rows have no text: chunks detect it themselves
    total = count_lines(head.path)
    reader = pd.read_csv(head.path, iterator=True, **head.csv_options())
    done, preview, t0 = 0, None, time.time()
    with table_writer(output_path) as write:
        try:
            size = min(FIRST_CHUNK_ROWS, chunk_rows)
            while True:
                check(cancel)
                try:
                    chunk = reader.get_chunk(size)
                except StopIteration:
                    break
                size = chunk_rows
                chunk = head.conform(chunk)

                def inner(e, offset=done):
                    if isinstance(e, Progress):
                        elapsed = time.time() - t0
                        seen = offset + e.done
                        emit(on_event, Progress("labeling", seen, max(total, seen), elapsed,
                                                elapsed / max(seen, 1) * max(total - seen, 0)))

                labeled = label_table(predictor, chunk.reset_index(drop=True), cols, chunk_rows=STREAM_PREDICT_ROWS,
                                      cancel=cancel, path=head.path, on_event=inner, preview=False, explain=explain)
                if preview is None or len(preview) < PREVIEW_ROWS:
                    preview = pd.concat([preview, labeled], ignore_index=True).head(PREVIEW_ROWS)
                    emit(on_event, Preview(preview))
                write(labeled)
                done += len(chunk)
                total = max(total, done)
        except UnicodeDecodeError as exc:
            raise DataError(f"has bytes that are not valid {head.encoding} after row {done} "
                            "(mixed encodings?)", file=head.path) from exc
        except pd.errors.ParserError as exc:
            raise DataError(D.explain_parser_error(str(exc), head.delimiter), file=head.path) from exc
        finally:
            reader.close()
    emit(on_event, Progress("labeling", done, done, time.time() - t0, 0.0))
    return LabelResult(done, preview if preview is not None else head.df.head(0), output_path)


def label_sharded(predictor, input_path, output_path, columns: dict | None = None, *, on_event=None,
                  **read_kw) -> LabelResult:
    """Under torchrun: each process labels a contiguous shard; rank 0 writes one file in row order."""
    import pandas as pd

    from .distributed import dist_info, gather_to_main, init_process_group, shard_bounds

    check_output_file(output_path)
    check_not_input(output_path, input_path)
    init_process_group()
    info = dist_info()
    table = D.read_table(input_path, **read_kw)
    start, end = shard_bounds(len(table.df), info.rank, info.world_size)
    part = table.df.iloc[start:end]
    labeled = label_table(predictor, part.reset_index(drop=True), columns, on_event=on_event, path=input_path,
                          preview=False)
    new_cols = labeled.columns[len(part.columns):]
    parts = gather_to_main(labeled[new_cols])
    if not info.is_main:
        return LabelResult(len(part), labeled.head(PREVIEW_ROWS))
    out = pd.concat([table.df.reset_index(drop=True), pd.concat(parts, ignore_index=True)], axis=1)
    write_table(out, output_path)
    return LabelResult(len(out), out.head(PREVIEW_ROWS), Path(output_path))
