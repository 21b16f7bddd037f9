"""Reviewing a sheet's labels: corrections kept in a copy of the sheet, never in the original.

``ReviewSheet`` holds the rows, the text and label columns, and the user's decisions: a label kept
as it is, changed, or given to a row that had none. After every decision the whole sheet is written
atomically to its reviewed copy (``<name>.reviewed.<ext>`` beside the original, or in the
workspace when that folder cannot be written), with two columns of its own: ``reviewed`` (kept,
changed, labeled) and ``label_before``. Opening the original again goes on from that copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import data as D
from .errors import DataError

REVIEWED = "reviewed"                 # the copy's column of decisions
LABEL_BEFORE = "label_before"         # the label a changed row had
KEPT, CHANGED, LABELED = "kept", "changed", "labeled"
COPY_TAG = ".reviewed"
COPY_FORMATS = {".csv": ".csv", ".tsv": ".tsv", ".xlsx": ".xlsx", ".xlsm": ".xlsx", ".jsonl": ".jsonl"}
REVIEW_FOLDER = "reviews"


def reviewed_copy_path(source: str | Path) -> Path:
    """Where the corrections of ``source`` are kept: ``<name>.reviewed.<ext>`` beside it (the file
    itself when it is already a reviewed copy), in the workspace when its folder is read-only."""
    source = Path(source).expanduser().resolve()
    suffix = COPY_FORMATS.get(source.suffix.lower(), ".csv")
    if source.stem.endswith(COPY_TAG) and source.suffix.lower() == suffix:
        return source
    name = f"{source.stem}{COPY_TAG}{suffix}"
    if os.access(source.parent, os.W_OK):
        return source.with_name(name)
    from .workspace import default_workspace

    return default_workspace() / REVIEW_FOLDER / name


@dataclass(frozen=True)
class Decision:
    row: int
    label_before: str
    status_before: str
    original_before: str
    label_after: str
    status_after: str
    original_after: str


class ReviewSheet:
    """A sheet under review; every change is saved to ``copy_path`` before the call returns."""

    def __init__(self, df, source: Path, copy_path: Path, text_column: str, label_column: str,
                 labels: list[str] | None = None, resumed: bool = False):
        self.df = df
        self.source = Path(source)
        self.copy_path = Path(copy_path)
        self.text_column = text_column
        self.label_column = label_column
        self.resumed = resumed
        for column in (REVIEWED, LABEL_BEFORE):
            if column not in self.df.columns:
                self.df[column] = ""
            self.df[column] = D.text_values(self.df, column)
        self.df[label_column] = [D.normalise_label(v) for v in self.df[label_column].tolist()]
        self.texts = D.text_values(self.df, text_column)
        present = sorted({v for v in self.df[label_column] if v})
        self.labels = list(labels or []) + [v for v in present if v not in (labels or [])]
        self.undo_stack: list[Decision] = []

    # ------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path, text_column: str, label_column: str, *, labels: list[str] | None = None,
             read_options: dict | None = None) -> "ReviewSheet":
        """The sheet at ``path`` for review: its reviewed copy when one exists (going on), else the
        file itself (``read_options`` apply to the original only: the copy is bertdesk's own)."""
        source = Path(path).expanduser().resolve()
        copy = reviewed_copy_path(source)
        resumed = copy.is_file() and copy != source
        table = D.read_table(copy) if resumed else D.read_table(source, **(read_options or {}))
        for column in (text_column, label_column):
            D.require_column(table, column)
        return cls(table.df, source, copy, text_column, label_column, labels, resumed or copy == source)

    # ------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self.df)

    def label(self, row: int) -> str:
        return self.df.at[row, self.label_column]

    def status(self, row: int) -> str:
        return self.df.at[row, REVIEWED]

    def text(self, row: int) -> str:
        return self.texts[row]

    def counts(self) -> dict[str, int]:
        values = self.df[REVIEWED]
        return {s: int((values == s).sum()) for s in (KEPT, CHANGED, LABELED)}

    def labeled_counts(self) -> dict[str, int]:
        """Labeled rows per label (rows with a text)."""
        out: dict[str, int] = {}
        for text, label in zip(self.texts, self.df[self.label_column]):
            if label and text.strip():
                out[label] = out.get(label, 0) + 1
        return out

    def unlabeled_rows(self) -> int:
        return sum(1 for t, label in zip(self.texts, self.df[self.label_column]) if t.strip() and not label)

    # ------------------------------------------------------------ deciding
    def set_label(self, row: int, label: str) -> bool:
        """Give ``row`` the label ``label`` (kept when it already has it); saved at once. False when
        nothing changed."""
        label = D.normalise_label(label)
        if not label:
            raise DataError("a label cannot be empty")
        current, status = self.label(row), self.status(row)
        original = self.df.at[row, LABEL_BEFORE]
        if label == current:
            return self.keep(row)
        if status in (CHANGED, LABELED):
            first = original if status == CHANGED else ""       # the label before any review
        else:
            first = current
        if label == first and first:
            new_status, new_original = KEPT, ""                 # back to where it was: a kept label
        else:
            new_status, new_original = (CHANGED, first) if first else (LABELED, "")
        if label not in self.labels:
            self.labels.append(label)
        self._apply(Decision(row, current, status, original, label, new_status, new_original))
        return True

    def keep(self, row: int) -> bool:
        """Confirm the label ``row`` has (changed rows stay changed). False when there is nothing to
        confirm (no label, or already decided)."""
        current, status = self.label(row), self.status(row)
        if not current or status:
            return False
        self._apply(Decision(row, current, status, self.df.at[row, LABEL_BEFORE], current, KEPT,
                             self.df.at[row, LABEL_BEFORE]))
        return True

    def undo(self) -> int | None:
        """Take back the last decision; the row it was on (None when there is none)."""
        if not self.undo_stack:
            return None
        d = self.undo_stack.pop()
        self._set(d.row, d.label_before, d.status_before, d.original_before)
        self.save()
        return d.row

    def _apply(self, d: Decision) -> None:
        self._set(d.row, d.label_after, d.status_after, d.original_after)
        try:
            self.save()
        except Exception:
            self._set(d.row, d.label_before, d.status_before, d.original_before)
            raise
        self.undo_stack.append(d)

    def _set(self, row: int, label: str, status: str, original: str) -> None:
        self.df.at[row, self.label_column] = label
        self.df.at[row, REVIEWED] = status
        self.df.at[row, LABEL_BEFORE] = original

    # ------------------------------------------------------------ saving
    def save(self) -> Path:
        """Write the whole sheet to its reviewed copy, atomically."""
        from .io import write_table

        self.copy_path.parent.mkdir(parents=True, exist_ok=True)
        write_table(self.df, self.copy_path)
        return self.copy_path

    def table(self) -> D.Table:
        """The sheet as it is now, as a ``data.Table`` (for the jobs that read it)."""
        return D.Table(df=self.df.copy(), path=self.copy_path if self.copy_path.exists() else self.source,
                       format="csv")
