"""The file types bertdesk reads and writes, by format: the one list of file-name suffixes."""

from __future__ import annotations

from pathlib import Path

TABLE_FORMATS = {
    "csv": (".csv", ".txt"),
    "tsv": (".tsv", ".tab"),
    "xlsx": (".xlsx", ".xlsm"),
    "jsonl": (".jsonl", ".ndjson"),
}
# sources that are not tables: their task reads them (core.tasks: Task.file_formats)
FILE_FORMATS = {
    "conll": (".conll", ".iob", ".bio", ".conllu"),
    "squad": (".json",),
}
OUTPUT_FORMATS = ("csv", "tsv", "xlsx", "jsonl")

FORMAT_NAMES = {"csv": "Tables", "conll": "CoNLL token files", "squad": "SQuAD question answering"}


def suffixes(*formats: str) -> tuple[str, ...]:
    """The suffixes of ``formats`` (every format when none is named)."""
    table = {**TABLE_FORMATS, **FILE_FORMATS}
    return tuple(s for f in (formats or table) for s in table[f])


def format_of_suffix(path: str | Path) -> str | None:
    """The format a file name's suffix names (".txt" reads as a table), or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f, sufs in {**TABLE_FORMATS, **FILE_FORMATS}.items() if suffix in sufs), None)


def open_dialog_filter() -> str:
    """A Qt file-dialog filter for every source bertdesk reads."""
    def pattern(formats):
        return " ".join(f"*{s}" for s in suffixes(*formats))
    return (f"Data files ({pattern(())});;Tables ({pattern(TABLE_FORMATS)});;"
            f"CoNLL token files ({pattern(('conll',))} *.txt);;SQuAD question answering ({pattern(('squad',))});;"
            "All files (*)")
