"""Atomic writes: a file or folder appears complete under its final name, or not at all."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import OutputError
from .formats import OUTPUT_FORMATS

# OWASP CSV-injection guidance: a cell starting with one of these may be run as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _explain(exc: OSError, path: Path) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError("the disk is full; free some space and try again", file=path)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError("cannot write here (permission denied); choose another folder", file=path)
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return OutputError("the folder does not exist", file=path)
    return OutputError(f"cannot write: {exc.strerror or exc}", file=path)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` when the block succeeds."""
    from .tmpfiles import beside_name, sweep_beside

    path = Path(path)
    if path.is_dir():
        raise OutputError("is a folder, not a file name", file=path)
    sweep_beside(path)                       # what a killed writer of this file left
    tmp = beside_name(path, "tmp")
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _explain(exc, path) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, obj) -> None:
    write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; it replaces ``path`` when the block succeeds.

    An existing folder is moved aside first and removed only after the new one is in place, so a
    crash leaves either the old folder or the new one under the final name (plus a stray temp).
    """
    from .tmpfiles import beside_name, sweep_beside

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_beside(path)                   # what a killed writer of this folder left
        tmp = beside_name(path, "tmp")
        tmp.mkdir()
    except OSError as exc:
        raise _explain(exc, path) from exc
    try:
        yield tmp
        old = None
        if path.exists():
            old = beside_name(path, "old")
            os.replace(path, old)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise _explain(exc, path) from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise_cell(value):
    """Prefix a quote to text cells a spreadsheet would read as a formula (plain numbers stay)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES) and not _is_number(value):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame, xlsx: bool = False) -> pd.DataFrame:
    """Text cells a spreadsheet would run as formulas get a leading quote. In a workbook only "="
    does (openpyxl writes other text as text), and the control characters a workbook cannot hold
    (all below U+0020 but tab, newline and carriage return) are removed."""
    out = df.copy()
    fix = _xlsx_cell if xlsx else neutralise_cell
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(fix)
    out.columns = [fix(str(c)) for c in out.columns]
    return out


_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell(value):
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("", value)
        if value.startswith("="):
            return "'" + value
    return value


def table_format(path: str | Path) -> str:
    """The format a table is written in, from the file name (no suffix: CSV)."""
    from .formats import format_of_suffix

    fmt = "csv" if not Path(path).suffix else format_of_suffix(path)
    if fmt not in OUTPUT_FORMATS:
        raise OutputError("unknown output type; use .csv, .tsv, .xlsx or .jsonl", file=path)
    return fmt


def check_output_file(path: str | Path) -> Path:
    """Fail before any work is done if ``path`` cannot take a table: a missing folder, a folder
    name, an unknown file type, a read-only place."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise OutputError("is a folder, not a file name", file=path)
    table_format(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError("the folder does not exist", file=path)
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError("cannot write here (permission denied); choose another folder", file=path)
    return path


EXCEL_MAX_ROWS = 1_048_575       # a sheet's rows below its header


@contextlib.contextmanager
def table_writer(path: str | Path):
    """Yield ``write(df)``, which appends a chunk of rows to the table at ``path``; the file
    appears complete when the block ends, or not at all. CSV, TSV and JSON Lines are written as
    the chunks come (flat memory); a workbook is written at the end, and refused beyond the rows a
    sheet can hold. Formula-like cells are neutralised, as in ``write_table``."""
    path = check_output_file(path)
    fmt = table_format(path)
    if fmt == "xlsx":
        parts: list = []
        count = [0]

        def keep(df):
            count[0] += len(df)
            if count[0] > EXCEL_MAX_ROWS:
                raise OutputError(f"an Excel sheet holds at most {EXCEL_MAX_ROWS:,} rows; save as .csv instead",
                                  file=path)
            parts.append(df)

        yield keep
        write_table(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), path)
        return
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8" if fmt == "jsonl" else "utf-8-sig",
                                        newline="") as fh:
        first = [True]

        def write(df):
            if fmt == "jsonl":
                df.to_json(fh, orient="records", lines=True, force_ascii=False)
            else:
                neutralise_frame(df).to_csv(fh, header=first[0], index=False, sep="\t" if fmt == "tsv" else ",")
            first[0] = False

        yield write


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write a table atomically as CSV/TSV/XLSX/JSONL, with formula-like cells neutralised."""
    path = check_output_file(path)
    fmt = table_format(path)
    safe = neutralise_frame(df, xlsx=fmt == "xlsx") if fmt in ("csv", "tsv", "xlsx") else df
    with atomic_path(path) as tmp:
        if fmt == "xlsx":
            safe.to_excel(tmp, index=False, engine="openpyxl")
        elif fmt == "jsonl":
            safe.to_json(tmp, orient="records", lines=True, force_ascii=False)
        else:
            # utf-8-sig so Excel opens non-ASCII text (Chinese, accents) correctly
            safe.to_csv(tmp, index=False, sep="\t" if fmt == "tsv" else ",", encoding="utf-8-sig")


def excel_rows_problem(rows: int | None, path) -> OutputError | None:
    """The error for a workbook that could not hold ``rows`` rows (None when it can, or unknown)."""
    if rows is not None and rows > EXCEL_MAX_ROWS:
        return OutputError(f"has {rows:,} rows but an Excel sheet holds at most {EXCEL_MAX_ROWS:,}; "
                           "save as .csv instead", file=path)
    return None
