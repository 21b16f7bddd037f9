"""Reading a user's data file for the GUI: tables, CoNLL token files and SQuAD JSON (no Qt here).

Token files and SQuAD files are not tables, but the wizard shows every source the same way: as a
``core.data.Table`` whose ``format`` says what it was ("conll", "squad"). Training reads the file
itself with the task's ``read_examples``, so the preview frame is only for looking at.
"""

from __future__ import annotations

from pathlib import Path

CONLL_SUFFIXES = (".conll", ".iob", ".bio", ".conllu")
FILE_FORMATS = ("conll", "squad")        # sources whose columns come from the format, not the user


def source_format(path: str | Path) -> str:
    """"conll", "squad" or "table" (decided from the name, and the first lines for .txt)."""
    from bertdesk.core.conll import looks_like_conll

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CONLL_SUFFIXES or (suffix == ".txt" and path.is_file() and looks_like_conll(path)):
        return "conll"
    if suffix == ".json":
        return "squad"
    return "table"


def read_source(path: str | Path, **read_kw):
    """A ``Table`` for any supported file; DataError (one readable sentence) when it cannot be used."""
    import pandas as pd

    from bertdesk.core import data as D

    path = Path(path)
    fmt = source_format(path)
    if fmt == "table":
        return D.read_table(path, **read_kw)
    if not path.exists():
        from bertdesk.core.errors import DataError
        raise DataError("file not found", file=path)
    if fmt == "conll":
        from bertdesk.core.tasks.ner import NerTask

        ex = NerTask().read_examples(path, {})
        df = pd.DataFrame({"line": ex.rows, "tokens": [" ".join(w) for w in ex.words],
                           "tags": [" ".join(t) for t in ex.tags]})
        return D.Table(df=df, path=path, format="conll")
    from bertdesk.core.tasks.qa import read_squad

    ex = read_squad(path)
    df = pd.DataFrame({"question": ex.questions, "context": ex.contexts,
                       "answer": [a[0]["text"] if a else "" for a in ex.answers]})
    return D.Table(df=df, path=path, format="squad")


# files above this size are read in a worker thread (the window shows "Reading…"); smaller ones
# are read at once, which is quicker than a thread hop for the common small spreadsheet
LARGE_FILE_BYTES = 4 * 1024 * 1024


def is_large(path) -> bool:
    try:
        return Path(path).stat().st_size > LARGE_FILE_BYTES
    except OSError:
        return False


def read_source_checked(path, **read_kw):
    """``read_source``, with an encoding Python does not know reported as a DataError too."""
    from bertdesk.core.errors import DataError

    try:
        return read_source(path, **read_kw)
    except (LookupError, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"cannot read with these settings ({exc})", file=Path(path)) from None
