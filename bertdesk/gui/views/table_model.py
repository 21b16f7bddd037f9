"""A fast read-only table model over a pandas DataFrame, and the predictions filter.

``data()`` is called thousands of times per repaint, so it never touches the DataFrame: each
column is converted once to a list of display strings, and sorting is a numpy permutation.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ..i18n import QT_TRANSLATE_NOOP

MAX_CELL_CHARS = 300
MAX_TOOLTIP_CHARS = 2000
SORT_KEY_CHARS = 200          # text columns sort by their first characters: a 10 MB cell costs nothing more
_NUMERIC_ALIGN = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _display_column(series) -> list[str]:
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return ["✓" if v else "✗" for v in series.tolist()]
    if pd.api.types.is_float_dtype(series):
        return ["" if v != v else f"{v:.4f}" for v in series.tolist()]
    return ["" if v is None else str(v) for v in series.tolist()]


class _EmptyFrame:
    columns: list = []

    def __len__(self) -> int:
        return 0


class DataFrameModel(QAbstractTableModel):
    """Shows a DataFrame; header clicks sort through a numpy permutation (``order``)."""

    def __init__(self, df=None, parent=None) -> None:
        super().__init__(parent)
        self._set(df)

    def _set(self, df) -> None:
        if df is None:      # an empty model; pandas is imported only when there is data
            self.df, self.headers, self.cells, self.numeric = _EmptyFrame(), [], [], []
            self.order = np.arange(0)
            self._n = 0
            return
        import pandas as pd

        self.df = df
        self.headers = [str(c) for c in self.df.columns]
        self.cells = [_display_column(self.df[c]) for c in self.df.columns]
        self.numeric = [pd.api.types.is_numeric_dtype(self.df[c]) and not pd.api.types.is_bool_dtype(self.df[c])
                        for c in self.df.columns]
        self.order = np.arange(len(self.df))
        self._n = len(self.df)

    def set_frame(self, df) -> None:
        self.beginResetModel()
        self._set(df)
        self.endResetModel()

    # -- Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.cells[index.column()][self.order[index.row()]]
            return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.cells[index.column()][self.order[index.row()]]
            if len(text) <= 40:
                return None
            if len(text) <= MAX_TOOLTIP_CHARS:
                return text
            return text[:MAX_TOOLTIP_CHARS] + self.tr("… ({n} characters)").format(n=f"{len(text):,}")
        if role == Qt.ItemDataRole.TextAlignmentRole and self.numeric[index.column()]:
            return _NUMERIC_ALIGN
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return str(section + 1)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.headers):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.order.copy()
        values = self.df.iloc[:, column]
        if self.numeric[column] or values.dtype == bool:
            keys = values.to_numpy()
        else:
            cells = self.cells[column]
            keys = None
            idx = np.asarray(sorted(range(len(cells)), key=lambda i: cells[i][:SORT_KEY_CHARS].lower()),
                             dtype=np.int64)
        if keys is not None:
            idx = np.argsort(keys, kind="stable")
        if order == Qt.SortOrder.DescendingOrder:
            idx = idx[::-1]
        self.order = idx
        # keep selections and persistent indexes on the same records
        position = np.empty_like(idx)
        position[idx] = np.arange(len(idx))
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(int(position[old[p.row()]]), p.column()) for p in persistent])
        self.layoutChanged.emit()

    # -- helpers for views
    def record(self, row: int) -> int:
        """The DataFrame position shown at ``row``."""
        return int(self.order[row])

    def column_index(self, name: str) -> int:
        return self.headers.index(name)


class PredictionsModel(DataFrameModel):
    """Predictions on held-out rows: columns row, text, true, predicted, confidence, correct."""

    # the columns the tasks' eval tables have (fixed names, not the user's): shown translated,
    # while ``headers`` keeps the names the code looks columns up by
    HEADERS = {"row": QT_TRANSLATE_NOOP("PredictionsModel", "row"),
               "text": QT_TRANSLATE_NOOP("PredictionsModel", "text"),
               "true": QT_TRANSLATE_NOOP("PredictionsModel", "true"),
               "predicted": QT_TRANSLATE_NOOP("PredictionsModel", "predicted"),
               "confidence": QT_TRANSLATE_NOOP("PredictionsModel", "confidence"),
               "correct": QT_TRANSLATE_NOOP("PredictionsModel", "correct"),
               "types": QT_TRANSLATE_NOOP("PredictionsModel", "types"),
               "question": QT_TRANSLATE_NOOP("PredictionsModel", "question"),
               "gold": QT_TRANSLATE_NOOP("PredictionsModel", "gold"),
               "score": QT_TRANSLATE_NOOP("PredictionsModel", "score"),
               "f1": QT_TRANSLATE_NOOP("PredictionsModel", "f1")}

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and section < len(self.headers) and self.headers[section] in self.HEADERS):
            return self.tr(self.HEADERS[self.headers[section]])
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and self.headers[index.column()] == "correct":
            ok = self.cells[index.column()][self.order[index.row()]] == "✓"
            return QColor("#2e7d32") if ok else QColor("#c62828")
        return super().data(index, role)


DEFAULT_ROLES = {"text": "text", "true": "true", "predicted": "predicted", "confidence": "confidence"}


class PredictionsFilter(QSortFilterProxyModel):
    """Search, errors only, one label, low confidence and confusion-matrix cell, as a numpy mask.

    Sorting is delegated to the source model's numpy permutation (fast on 100k rows).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._mask: np.ndarray | None = None
        self._filters: dict = {}
        self.roles = dict(DEFAULT_ROLES)

    def set_roles(self, roles: dict | None) -> None:
        """Which columns are the text, the truth, the prediction and the confidence (QA: question, gold…)."""
        self.roles = {**DEFAULT_ROLES, **(roles or {})}
        self._recompute()

    def setSourceModel(self, model) -> None:  # noqa: N802 - Qt API
        super().setSourceModel(model)
        model.modelReset.connect(self._recompute)
        self._recompute()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def set_filters(self, **filters) -> None:
        """Keys: search (str), errors_only (bool), label (str|None), below (float|None), cell (true, pred)|None."""
        self._filters.update(filters)
        self._recompute()

    @property
    def filters(self) -> dict:
        return dict(self._filters)

    def _recompute(self) -> None:
        model = self.sourceModel()
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
        self._mask = self._compute_mask(model) if model is not None else None
        if hasattr(self, "endFilterChange"):
            self.endFilterChange()
        else:  # pragma: no cover - older Qt
            self.invalidateFilter()

    def _compute_mask(self, model) -> np.ndarray | None:
        df = model.df
        r = self.roles
        if not len(df) or not {r["text"], r["true"], r["predicted"]} <= set(df.columns):
            return None
        f = self._filters
        mask = np.ones(len(df), dtype=bool)
        search = (f.get("search") or "").strip().lower()
        if search:
            hay = model.cells[model.column_index(r["text"])]
            mask &= np.fromiter((search in t.lower() for t in hay), dtype=bool, count=len(hay))
        if f.get("errors_only") and "correct" in df.columns:
            mask &= ~df["correct"].to_numpy(dtype=bool)
        label = f.get("label")
        if label and r.get("types") in df.columns:
            # NER: sentences with an entity of this type, gold or predicted
            types = df[r["types"]].to_numpy(dtype=object)
            mask &= np.fromiter((label in str(t).split() for t in types), dtype=bool, count=len(types))
        elif label:
            true, pred = df[r["true"]].to_numpy(dtype=object), df[r["predicted"]].to_numpy(dtype=object)
            mask &= (true == label) | (pred == label)
        below = f.get("below")
        if below is not None and r["confidence"] in df.columns:
            mask &= df[r["confidence"]].to_numpy(dtype=float) < below
        cell = f.get("cell")
        if cell is not None:
            mask &= ((df[r["true"]].to_numpy(dtype=object) == cell[0])
                     & (df[r["predicted"]].to_numpy(dtype=object) == cell[1]))
        return mask

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802 - Qt API
        if self._mask is None:
            return True
        return bool(self._mask[self.sourceModel().order[source_row]])
