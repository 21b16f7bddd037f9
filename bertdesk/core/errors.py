"""Errors a user can read: one sentence, naming the file, row and column where it applies."""

from __future__ import annotations

from pathlib import Path


class BertdeskError(Exception):
    """A problem the user can fix. ``str(err)`` is the one-line message shown to them."""

    def __init__(self, message: str, *, file: str | Path | None = None,
                 row: int | None = None, column: str | None = None):
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self.user_message)

    @property
    def user_message(self) -> str:
        where = []
        if self.file:
            where.append(Path(self.file).name)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.message

    def __str__(self) -> str:  # keep the message current if fields are set after creation
        return self.user_message


class DataError(BertdeskError):
    """The input data cannot be used as it is."""


class ModelError(BertdeskError):
    """A model cannot be found, loaded or trusted."""


class OutputError(BertdeskError):
    """A result cannot be written where the user asked."""
