"""Reading user tables: sniffing encoding and delimiter, column detection, splits, clear errors.

pandas is imported where a table is read, not with the module: the app's window imports the task
registry (and so this module) while it starts, and should not pay for pandas then.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import DataError
from .formats import TABLE_FORMATS

if TYPE_CHECKING:
    import pandas as pd

SNIFF_BYTES = 256 * 1024

TEXT_NAMES = ("text", "sentence", "review", "content", "comment", "body", "message", "tweet",
              "document", "description", "utterance", "post")
LABEL_NAMES = ("label", "labels", "sentiment", "category", "categories", "class", "target",
               "polarity", "emotion", "emotions", "topic", "tags")
MULTI_SEPARATORS = (";", "|")


@dataclass
class Table:
    """A table read from a user's file, with how it was read (shown to the user, changeable)."""
    df: pd.DataFrame
    path: Path
    format: str                      # csv | tsv | xlsx | jsonl
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- sniffing

def sniff_encoding(raw: bytes) -> str:
    """Name the encoding of ``raw``: UTF-8 (with or without BOM), UTF-16, GB18030, else CP1252/Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for enc in ("utf-8", "gb18030", "cp1252"):
        try:
            _decode_prefix(raw, enc)
            return enc
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _decode_prefix(raw: bytes, enc: str) -> str:
    """Decode ``raw`` strictly, tolerating a multi-byte character cut at the end of a sample."""
    try:
        return raw.decode(enc)
    except UnicodeDecodeError as exc:
        if len(raw) >= SNIFF_BYTES and exc.start >= len(raw) - 4:
            return raw[: exc.start].decode(enc)
        raise


def looks_binary(raw: bytes) -> bool:
    if not raw:
        return False
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in raw[:8192]:
        return True
    control = sum(1 for b in raw[:8192] if b < 32 and b not in (9, 10, 13, 12))
    return control > 0.05 * min(len(raw), 8192)


def sniff_delimiter(sample: str, suffix: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if not lines:
        return "\t" if suffix in (".tsv", ".tab") else ","
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",\t;|")
        return dialect.delimiter
    except csv.Error:
        pass
    # Sniffer gives up on quoted multi-line fields; count candidates on the header line instead
    counts = {d: lines[0].count(d) for d in ",\t;|"}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        return "\t" if suffix in (".tsv", ".tab") else ","
    return best


# ---------------------------------------------------------------- reading

def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | int | None = None, nrows: int | None = None) -> Table:
    """Read a CSV/TSV/XLSX/JSONL file into a DataFrame. Raises DataError with a readable message.

    Text tables are read as strings exactly as written (no NA guessing), so values round-trip.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", file=path)
    if path.is_dir():
        raise DataError("is a folder, not a file", file=path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise DataError(f"cannot open the file ({exc.strerror or exc})", file=path) from exc
    if size == 0:
        raise DataError("the file is empty (0 bytes)", file=path)

    suffix = path.suffix.lower()
    if suffix in TABLE_FORMATS["xlsx"] or head.startswith(b"PK\x03\x04"):
        table = _read_excel(path, head, sheet, nrows)
    elif suffix == ".xls":
        raise DataError("old .xls workbooks are not supported; save it as .xlsx or .csv", file=path)
    elif suffix in TABLE_FORMATS["jsonl"]:
        table = _read_jsonl(path, head, encoding, nrows)
    else:
        table = _read_delimited(path, head, encoding, delimiter, nrows)
    _check_columns(table)
    if len(table.df) == 0:
        raise DataError("has a header but no data rows", file=path)
    return table


def _read_delimited(path: Path, head: bytes, encoding, delimiter, nrows) -> Table:
    import pandas as pd

    if looks_binary(head):
        raise DataError("does not look like a text table (binary content); is it the right file?",
                        file=path)
    enc = encoding or sniff_encoding(head)
    try:
        sample = _decode_prefix(head, enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataError(f"cannot be read as {enc}; choose another encoding", file=path) from exc
    if not sample.strip():
        raise DataError("the file has no text in it", file=path)
    sep = delimiter or sniff_delimiter(sample, path.suffix.lower())
    fmt = "tsv" if sep == "\t" else "csv"
    try:
        df = pd.read_csv(path, sep=sep, encoding=enc, dtype=str, keep_default_na=False,
                         na_filter=False, nrows=nrows, engine="c", encoding_errors="strict")
    except UnicodeDecodeError as exc:
        # the sample decoded but a later part does not: mixed encodings
        line = _line_of_byte(path, exc.start if exc.object else 0)
        raise DataError(f"has bytes that are not valid {enc} near line {line} (mixed encodings?); "
                        "choose the encoding by hand or re-save the file as UTF-8", file=path) from exc
    except pd.errors.ParserError as exc:
        raise DataError(explain_parser_error(str(exc), sep), file=path) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError("the file has no columns", file=path) from exc
    except (ValueError, OverflowError, MemoryError) as exc:
        raise DataError(f"cannot be read as a table ({exc})", file=path) from exc
    return Table(df=df, path=path, format=fmt, encoding=enc, delimiter=sep)


def _line_of_byte(path: Path, offset: int) -> int:
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES)[:offset].count(b"\n") + 1 if offset < SNIFF_BYTES else -1


def explain_parser_error(msg: str, sep: str) -> str:
    """pandas' parser message as one sentence a user can act on."""
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:
        exp, line, saw = m.groups()
        name = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}.get(sep, repr(sep))
        return (f"line {line} has {saw} fields but the header has {exp} "
                f"(separator: {name}); check quoting or choose another separator")
    if "EOF inside string" in msg:
        m = re.search(r"line (\d+)", msg)
        where = f" starting at line {m.group(1)}" if m else ""
        return f"a quoted field{where} is never closed"
    return "cannot be read as a table: " + msg.strip().splitlines()[0]


def _read_jsonl(path: Path, head: bytes, encoding, nrows) -> Table:
    import pandas as pd

    if looks_binary(head):
        raise DataError("does not look like a JSON Lines file (binary content)", file=path)
    enc = encoding or sniff_encoding(head)
    try:
        df = pd.read_json(path, lines=True, encoding=enc, dtype=False, nrows=nrows)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError("is not valid JSON Lines (one JSON object per line)", file=path) from exc
    df.columns = [str(c) for c in df.columns]
    return Table(df=df, path=path, format="jsonl", encoding=enc)


def _read_excel(path: Path, head: bytes, sheet, nrows) -> Table:
    import pandas as pd

    if not head.startswith(b"PK\x03\x04"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise DataError("the workbook is password-protected or an old .xls file; "
                            "remove the password or save it as .xlsx", file=path)
        raise DataError("is not a valid .xlsx workbook (corrupt or renamed)", file=path)
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheets = [str(s) for s in book.sheet_names]
            chosen = sheets[0] if sheet is None else (sheets[sheet] if isinstance(sheet, int) else sheet)
            if chosen not in sheets:
                raise DataError(f"has no sheet named '{chosen}' (sheets: {', '.join(sheets)})", file=path)
            df = book.parse(chosen, nrows=nrows)
    except DataError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise DataError("is not a valid .xlsx workbook (corrupt or renamed)", file=path) from exc
    df = df.dropna(how="all").reset_index(drop=True)  # blank rows below the data
    return Table(df=df, path=path, format="xlsx", sheet=chosen, sheets=sheets)


_UNNAMED = re.compile(r"Unnamed: \d+")


def _check_columns(table: Table) -> None:
    df = table.df
    # columns without a header and without data: trailing separators, stray Excel formatting
    blank = [c for c in df.columns if (not str(c).strip() or _UNNAMED.fullmatch(str(c)))
             and _as_text(df[c]).str.strip().eq("").all()]
    if blank:
        table.df = df = df.drop(columns=blank)
    cols = ["" if _UNNAMED.fullmatch(str(c)) else str(c) for c in df.columns]
    for i, name in enumerate(cols):
        if not name.strip():
            raise DataError(f"column {i + 1} ({_column_letter(i)}) has no name in the header row; "
                            "give it one", file=table.path)
    # pandas renames a repeated header "a" to "a.1": look at the header as written
    header = _raw_header(table) if table.format in ("csv", "tsv") else None
    if header is None or len(header) != len(cols):
        header = [re.sub(r"\.\d+$", "", c) if re.sub(r"\.\d+$", "", c) in cols else c for c in cols]
    header = [h.strip() for h in header]
    for name in header:
        if header.count(name) > 1:
            raise DataError(f"the column name '{name}' appears twice; rename one", file=table.path)
    df.columns = cols


def _raw_header(table: Table) -> list[str] | None:
    try:
        with open(table.path, encoding=table.encoding, newline="") as fh:
            return next(csv.reader(fh, delimiter=table.delimiter or ","))
    except (OSError, UnicodeDecodeError, StopIteration, csv.Error):
        return None


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# ---------------------------------------------------------------- columns

def match_name(columns, names) -> str | None:
    """The column called one of ``names`` (case and spaces ignored), else one that starts or ends
    with one of them; None when there is none."""
    lowered = {c.lower().strip(): c for c in columns}
    for name in names:
        if name in lowered:
            return lowered[name]
    for name in names:
        for low, col in lowered.items():
            if low.startswith(name) or low.endswith(name):
                return col
    return None


def _as_text(series):
    return series.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))


def guess_text_column(df, exclude=()) -> str | None:
    cols = [c for c in df.columns if c not in exclude]
    named = match_name(cols, TEXT_NAMES)
    if named is not None:
        return named
    best, best_len = None, 0.0
    for col in cols:
        sample = _as_text(df[col].head(200))
        if sample.str.fullmatch(r"\s*-?[\d.,]*\s*").all():
            continue
        mean_len = sample.str.len().mean()
        if mean_len > best_len:
            best, best_len = col, mean_len
    return best


def guess_label_column(df, exclude=()) -> str | None:
    cols = [c for c in df.columns if c not in exclude]
    named = match_name(cols, LABEL_NAMES)
    if named is not None:
        return named
    best, best_unique = None, None
    for col in cols:
        n_unique = df[col].nunique(dropna=True)
        if 2 <= n_unique <= max(2, min(100, len(df) // 2)) and (best_unique is None or n_unique < best_unique):
            best, best_unique = col, n_unique
    return best


def guess_binary_label_columns(df, exclude=()) -> list[str]:
    """Columns holding only 0/1 values: the one-column-per-label layout of multi-label data."""
    out = []
    for col in df.columns:
        if col in exclude:
            continue
        values = set(_as_text(df[col].head(1000)).str.strip().unique())
        if values and values <= {"0", "1", "0.0", "1.0", "True", "False", "true", "false"}:
            out.append(col)
    return out


def detect_label_separator(values) -> str | None:
    sample = _as_text(values.head(2000))
    for sep in MULTI_SEPARATORS:
        if sample.str.contains(sep, regex=False).mean() > 0.02:
            return sep
    return None


def require_column(table_or_df, column: str, path=None) -> None:
    df = table_or_df.df if isinstance(table_or_df, Table) else table_or_df
    if path is None and isinstance(table_or_df, Table):
        path = table_or_df.path
    if column not in df.columns:
        listed = ", ".join(f"'{c}'" for c in list(df.columns)[:12])
        raise DataError(f"no column named '{column}' (columns: {listed})", file=path)


def normalise_label(value) -> str:
    """One spelling per label: 1, 1.0 and '1' are the same class; whitespace is trimmed."""
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    return text


def text_values(df, column: str) -> list[str]:
    return _as_text(df[column]).tolist()


# ---------------------------------------------------------------- splits

def eval_count(n: int, eval_fraction: float) -> int:
    """How many of ``n`` examples a held-out split of ``eval_fraction`` keeps back (at least one)."""
    n_eval = max(1, int(round(n * eval_fraction)))
    if n - n_eval < 1:
        raise DataError(f"only {n} usable rows: too few to hold some back for evaluation")
    return n_eval


def split_indices(labels: list, eval_fraction: float = 0.1, seed: int = 42,
                  stratify: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Seeded train/eval split of row positions, stratified by label where every class can be."""
    from collections import Counter

    from sklearn.model_selection import train_test_split

    n = len(labels)
    idx = np.arange(n)
    n_eval = eval_count(n, eval_fraction)
    strat = None
    if stratify:
        keys = ["|".join(sorted(l)) if isinstance(l, (list, tuple)) else l for l in labels]
        counts = Counter(keys)
        if min(counts.values()) >= 2 and n_eval >= len(counts):
            strat = keys
    train_idx, eval_idx = train_test_split(idx, test_size=n_eval, random_state=seed, stratify=strat)
    return np.sort(train_idx), np.sort(eval_idx)


def read_text_lines(path: Path) -> list[str]:
    """Read a text file whole with the sniffed encoding (CoNLL, JSON)."""
    raw = Path(path).read_bytes()
    if not raw:
        raise DataError("the file is empty (0 bytes)", file=path)
    if looks_binary(raw):
        raise DataError("does not look like a text file (binary content)", file=path)
    enc = sniff_encoding(raw[:SNIFF_BYTES])
    try:
        return raw.decode(enc).splitlines()
    except UnicodeDecodeError as exc:
        raise DataError(f"has bytes that are not valid {enc} (mixed encodings?)", file=path) from exc
