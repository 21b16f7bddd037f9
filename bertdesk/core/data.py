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
    skip_rows: int = 0                 # lines above the header (a title, notes) left out
    kept: list[int] | None = None      # positions of the file's columns kept (blank ones are dropped)
    data_width: int | None = None      # fields a data row has when one more than the header (a trailing separator)
    notes: list[str] = field(default_factory=list)   # what was done to read it, in words (for the log)

    def csv_options(self) -> dict:
        """The ``pandas.read_csv`` options this table was read with (to read more of it the same way)."""
        return csv_options(self.delimiter, self.encoding, self.skip_rows, self.data_width)

    def conform(self, chunk):
        """A chunk read with ``csv_options``, with the columns this table kept, under their names."""
        if self.kept is not None:
            chunk = chunk.iloc[:, self.kept]
        elif self.data_width is not None:
            chunk = chunk.iloc[:, :len(self.df.columns)]
        chunk.columns = self.df.columns
        return chunk


def csv_options(sep, encoding, skip_rows: int = 0, data_width: int | None = None) -> dict:
    """``data_width``: the data rows have one field more than the header (a separator at the end of
    every line but the header's): they are read by position, the header row skipped."""
    options = dict(sep=sep, encoding=encoding, dtype=str, keep_default_na=False, na_filter=False, engine="c",
                   encoding_errors="strict")
    if data_width is not None:
        return {**options, "header": None, "skiprows": skip_rows + 1, "names": list(range(data_width))}
    return {**options, "skiprows": skip_rows or None}


# ---------------------------------------------------------------- sniffing

_PAIR = re.compile(rb"[\x80-\xff][\x00-\xff]")
_GB2312_PAIR = re.compile(rb"[\xa1-\xf7][\xa1-\xfe]")


def sniff_encoding(raw: bytes) -> str:
    """Name the encoding of ``raw``: a byte-order mark (UTF-8, UTF-16) says it; else UTF-8 when it
    decodes; else GB18030 when its non-ASCII bytes read as Chinese (``looks_chinese``); else CP1252
    when it decodes, else Latin-1 (which decodes anything)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    candidates = ("utf-8", "gb18030", "cp1252") if looks_chinese(raw) else ("utf-8", "cp1252")
    for enc in candidates:
        try:
            _decode_prefix(raw, enc)
            return enc
        except UnicodeDecodeError:
            continue
    return "latin-1"


def looks_chinese(raw: bytes) -> bool:
    """Whether the non-ASCII bytes of ``raw`` pair up as Chinese characters: at least 90 % of the
    byte pairs in the GB2312 area (lead byte A1-F7, second A1-FE), where nearly every character of
    Chinese text lies. GB18030 accepts almost any pair of bytes, so a Western file's accented letters
    ("Müller" in CP1252: FC 6C) would decode as rare Chinese characters without this check."""
    pairs = _PAIR.findall(raw)
    return bool(pairs) and sum(1 for p in pairs if _GB2312_PAIR.fullmatch(p)) >= 0.9 * len(pairs)


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
    skip = header_offset(sample, delimiter)
    sep = delimiter or sniff_delimiter("\n".join(sample.splitlines()[skip:]), path.suffix.lower())
    fmt = "tsv" if sep == "\t" else "csv"
    try:
        df = pd.read_csv(path, nrows=nrows, **csv_options(sep, enc, skip))
        width = None
        if not isinstance(df.index, pd.RangeIndex):
            # every data row has one field more than the header: pandas took the first column for
            # the index. A separator at the end of each data line (an empty last field) is dropped;
            # anything else is a real mismatch.
            width = len(df.columns) + 1
            raw = pd.read_csv(path, nrows=nrows, **csv_options(sep, enc, skip, width))
            if not raw.iloc[:, -1].astype(str).str.strip().eq("").all():
                raise DataError(f"the data rows have {width} fields but the header has {width - 1}; check the "
                                "separator, or give the last column a name", file=path)
            df = raw.iloc[:, :-1]
            df.columns = _header_names(path, sep, enc, skip, width - 1)
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
    notes = [f"{skip} line{'s' if skip > 1 else ''} above the header left out (a title or notes)"] if skip else []
    return Table(df=df, path=path, format=fmt, encoding=enc, delimiter=sep, skip_rows=skip, data_width=width,
                 notes=notes)


def _header_names(path: Path, sep: str, encoding: str, skip: int, n: int) -> list[str]:
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=sep)
        for _ in range(skip):
            next(reader, None)
        names = next(reader, [])
    names = [str(x) for x in names][:n]
    return names + [f"Unnamed: {i}" for i in range(len(names), n)]


MAX_TITLE_LINES = 10


def header_offset(sample: str, delimiter: str | None = None) -> int:
    """How many lines above the header to leave out: spreadsheet exports often start with a title,
    a date or notes, one cell each, before the header row. 0 unless the first lines have a single
    (or no) field and a later line has as many fields as most of the lines after it."""
    lines = sample.splitlines()[:60]
    if len(lines) < 3:
        return 0
    seps = [delimiter] if delimiter else list(",\t;|")

    def widths(sep):
        try:
            return [len(row) for row in csv.reader(lines, delimiter=sep)]
        except csv.Error:
            return []

    best = 0
    for sep in seps:
        counts = widths(sep)
        if len(counts) < 3:
            continue
        from collections import Counter

        typical, _ = Counter(counts[1:]).most_common(1)[0]
        if typical < 2 or counts[0] >= typical:
            continue
        first = next((i for i, n in enumerate(counts[:MAX_TITLE_LINES + 1]) if n == typical), None)
        if first and all(n <= 1 or not "".join(row).strip()
                         for n, row in zip(counts[:first], csv.reader(lines[:first], delimiter=sep))):
            best = max(best, first)
    return best


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


MAX_UNZIPPED_BYTES = 2 * 1024 ** 3     # a workbook that would unpack to more is refused, unread
MAX_ZIP_RATIO = 200                    # ... and so is one whose parts shrink more than this (a zip bomb)


def _size(n: int) -> str:
    """Bytes as a person reads them: 150 MB, 2.4 GB, 310 kB."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}" if n < 10 * scale else f"{n / scale:,.0f} {unit}"
    return f"{n} bytes"


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to too much, before reading any of it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise DataError("is not a valid .xlsx workbook (corrupt or renamed)", file=path) from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_UNZIPPED_BYTES or (total > 100 * 1024 ** 2 and total > MAX_ZIP_RATIO * max(packed, 1)):
        raise DataError(f"the workbook would unpack to {_size(total)} from {_size(packed)}; "
                        "it is damaged or not a spreadsheet (save the sheet as .csv if it is real)", file=path)


def _read_excel(path: Path, head: bytes, sheet, nrows) -> Table:
    """Read one sheet with openpyxl (read-only, cached values of formulas). The sheet's declared
    size is ignored and only the cells that hold something make columns, so a stray far cell
    (XFD1) or a wrong ``<dimension>`` cannot make millions of empty cells."""
    import xml.etree.ElementTree as ET

    import pandas as pd

    if not head.startswith(b"PK\x03\x04"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise DataError("the workbook is password-protected or an old .xls file; "
                            "remove the password or save it as .xlsx", file=path)
        raise DataError("is not a valid .xlsx workbook (corrupt or renamed)", file=path)
    _check_zip(path)
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = [str(s) for s in book.sheetnames]
            chosen = sheets[0] if sheet is None else (sheets[sheet] if isinstance(sheet, int) else sheet)
            if chosen not in sheets:
                raise DataError(f"has no sheet named '{chosen}' (sheets: {', '.join(sheets)})", file=path)
            ws = book[chosen]
            ws.reset_dimensions()
            rows, used = [], set()
            for values in ws.iter_rows(values_only=True):
                row = {i: v for i, v in enumerate(values) if v is not None and not (isinstance(v, str) and not v)}
                rows.append(row)
                used.update(row)
                if nrows is not None and len(rows) > nrows:
                    break
        finally:
            book.close()
    except DataError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, ET.ParseError, TypeError,
            AttributeError, IndexError) as exc:
        raise DataError("is not a valid .xlsx workbook (corrupt or damaged inside)", file=path) from exc
    except Exception as exc:  # noqa: BLE001 - lxml's and openpyxl's own parse errors: still a damaged file
        if type(exc).__module__.split(".")[0] in ("lxml", "openpyxl", "et_xmlfile", "xml"):
            raise DataError("is not a valid .xlsx workbook (corrupt or damaged inside)", file=path) from exc
        raise
    while rows and not rows[-1]:
        rows.pop()                     # blank rows below the data
    if not rows:
        raise DataError("the sheet is empty", file=path)
    columns = sorted(used)
    header = rows[0]
    names = [str(header[i]) if i in header else f"Unnamed: {i}" for i in columns]
    data = [[r.get(i) for i in columns] for r in rows[1:] if r]
    df = pd.DataFrame(data, columns=names) if data else pd.DataFrame(columns=names)
    return Table(df=df, path=path, format="xlsx", sheet=chosen, sheets=sheets)


_UNNAMED = re.compile(r"Unnamed: \d+")


def _check_columns(table: Table) -> None:
    from collections import Counter

    df = table.df
    # columns without a header and without data: trailing separators, stray Excel formatting
    names = [str(c) for c in df.columns]
    blank = {i for i, c in enumerate(names) if (not c.strip() or _UNNAMED.fullmatch(c))
             and _as_text(df.iloc[:, i]).str.strip().eq("").all()}
    if blank:
        keep = [i for i in range(len(names)) if i not in blank]
        if not keep:
            raise DataError("has no named columns with data", file=table.path)
        table.kept = keep
        table.df = df = df.iloc[:, keep]
        names = [names[i] for i in keep]
    cols = ["" if _UNNAMED.fullmatch(c) else c for c in names]
    for i, name in enumerate(cols):
        if not name.strip():
            at = table.kept[i] if table.kept is not None else i
            raise DataError(f"column {at + 1} ({_column_letter(at)}) has no name in the header row; "
                            "give it one", file=table.path)
    # pandas renames a repeated header "a" to "a.1": look at the header as written
    header = _raw_header(table) if table.format in ("csv", "tsv") else None
    if header is not None and table.kept and len(header) > max(table.kept):
        header = [header[i] for i in table.kept]
    if header is None or len(header) != len(cols):
        present = set(cols)
        header = [re.sub(r"\.\d+$", "", c) if re.sub(r"\.\d+$", "", c) in present else c for c in cols]
    counts = Counter(h.strip() for h in header)
    repeated = next((h.strip() for h in header if counts[h.strip()] > 1), None)
    if repeated is not None:
        raise DataError(f"the column name '{repeated}' appears twice; rename one", file=table.path)
    df.columns = cols


def _raw_header(table: Table) -> list[str] | None:
    try:
        with open(table.path, encoding=table.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=table.delimiter or ",")
            for _ in range(table.skip_rows):
                next(reader)
            return next(reader)
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
