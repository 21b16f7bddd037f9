"""Reading a user's data file for the preview: tables, CoNLL token files and SQuAD JSON.

Token files and SQuAD files are not tables, but the wizard shows every source the same way: as a
``core.data.Table`` whose ``format`` says what it was ("conll", "squad"). Training reads the file
itself with the task's ``read_examples``, so the preview frame is only for looking at.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import DataError
from ..core.formats import FILE_FORMATS

# files above this size are read in a worker thread (the window shows "Reading…"); smaller ones
# are read at once, which is quicker than a thread hop for the common small spreadsheet
LARGE_FILE_BYTES = 4 * 1024 * 1024


def source_format(path: str | Path) -> str:
    """"conll", "squad" or "table" (decided from the name, and the first lines for .txt)."""
    from ..core.conll import looks_like_conll

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in FILE_FORMATS["conll"] or (suffix == ".txt" and path.is_file() and looks_like_conll(path)):
        return "conll"
    if suffix in FILE_FORMATS["squad"]:
        return "squad"
    return "table"


def read_source(path: str | Path, **read_kw):
    """A ``Table`` for any supported file; DataError (one readable sentence) when it cannot be used."""
    import pandas as pd

    from ..core import data as D

    path = Path(path)
    fmt = source_format(path)
    if fmt == "table":
        return D.read_table(path, **read_kw)
    if not path.exists():
        raise DataError("file not found", file=path)
    if fmt == "conll":
        from ..core.tasks.ner import NerTask

        ex = NerTask().read_examples(path, {})
        df = pd.DataFrame({"line": ex.rows, "tokens": [" ".join(w) for w in ex.words],
                           "tags": [" ".join(t) for t in ex.tags]})
        return D.Table(df=df, path=path, format="conll")
    from ..core.tasks.qa import read_squad

    ex = read_squad(path)
    df = pd.DataFrame({"question": ex.questions, "context": ex.contexts,
                       "answer": [a[0]["text"] if a else "" for a in ex.answers]})
    return D.Table(df=df, path=path, format="squad")


def is_large(path) -> bool:
    try:
        return Path(path).stat().st_size > LARGE_FILE_BYTES
    except OSError:
        return False


def read(path, read_options: dict | None = None, *, on_event=None, cancel=None) -> dict:
    """The job: ``read_source``, with an encoding Python does not know reported as a DataError too."""
    try:
        table = read_source(path, **(read_options or {}))
    except (LookupError, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"cannot read with these settings ({exc})", file=Path(path)) from None
    return {"path": str(path), "table": table}


def unit_of(table) -> str:
    """What one row of a source is called: the unit of the task its format is made for."""
    from ..core.tasks import TASKS

    return next((cls.unit for cls in TASKS.values() if table.format in cls.file_formats), "rows")


PEEK_ROWS = 500


def peek(path, read_options: dict | None = None, *, on_event=None, cancel=None) -> dict:
    """The first rows of a table to label, and how many rows it has, without reading it whole:
    {"path", "table" (the first ``PEEK_ROWS`` rows), "rows" (exact, or an estimate from the line
    count of a text table, or None), "exact"}."""
    from ..core import data as D
    from ..core.labeling import count_lines

    table = D.read_table(path, nrows=PEEK_ROWS, **(read_options or {}))
    if len(table.df) < PEEK_ROWS:
        return {"path": str(path), "table": table, "rows": len(table.df), "exact": True}
    rows = count_lines(Path(path)) if table.format in ("csv", "tsv") else None
    return {"path": str(path), "table": table, "rows": rows, "exact": False}
