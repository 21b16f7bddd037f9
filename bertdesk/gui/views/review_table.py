"""The review table: rows of a sheet under review, the label cell an editor, keys for speed.

``ReviewModel`` shows some rows of a ``core.review.ReviewSheet`` (the suspicious ones, or the ones
to label next) in a given order with a suggestion and a score beside each; editing the label cell
goes straight to the sheet, which saves its reviewed copy. ``ReviewTable`` adds the keyboard:
1-9 give the row the n-th label, Enter keeps the row's label, both go on to the next row.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QStyledItemDelegate, QTableView

from bertdesk.core.review import CHANGED, KEPT, LABELED

from ..i18n import QT_TRANSLATE_NOOP, translate

TEXT_CHARS = 300              # shown in a cell; the tooltip holds more
TOOLTIP_CHARS = 2000
ROW, TEXT, LABEL, SUGGESTED, SCORE, STATUS = range(6)
STATUS_TEXT = {KEPT: QT_TRANSLATE_NOOP("ReviewModel", "✓ kept"),
               CHANGED: QT_TRANSLATE_NOOP("ReviewModel", "✎ changed"),
               LABELED: QT_TRANSLATE_NOOP("ReviewModel", "✎ labeled"), "": ""}
STATUS_COLOUR = {KEPT: "#e8f5e9", CHANGED: "#fff3cd", LABELED: "#e3f2fd"}


class ReviewModel(QAbstractTableModel):
    decided = Signal(int)            # a sheet row whose label or status changed

    def __init__(self, suggested_title: str, score_title: str, parent=None) -> None:
        super().__init__(parent)
        self.headers = [self.tr("Row"), self.tr("Text"), self.tr("Label"), suggested_title, score_title,
                        self.tr("Status")]
        self.sheet = None
        self.rows: list[int] = []
        self.suggested: list[str] = []
        self.scores: list[float | None] = []
        self._position: dict[int, int] = {}

    def set_rows(self, sheet, rows: list[int], suggested: list[str], scores: list[float | None]) -> None:
        """Show ``rows`` of ``sheet`` in this order, with a suggestion and a score each."""
        self.beginResetModel()
        self.sheet, self.rows, self.suggested, self.scores = sheet, list(rows), list(suggested), list(scores)
        self._position = {r: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows(None, [], [], [])

    def sheet_row(self, view_row: int) -> int:
        return self.rows[view_row]

    def view_row(self, sheet_row: int) -> int | None:
        return self._position.get(sheet_row)

    def refresh(self, sheet_row: int) -> None:
        i = self.view_row(sheet_row)
        if i is not None:
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.headers) - 1))

    # -- Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == LABEL else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.sheet is None:
            return None
        row, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == ROW:
                return str(row + 2)               # as the spreadsheet numbers it (header = row 1)
            if col == TEXT:
                text = self.sheet.text(row).replace("\n", " ")
                return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS] + "…"
            if col == LABEL:
                return self.sheet.label(row)
            if col == SUGGESTED:
                return self.suggested[index.row()]
            if col == SCORE:
                score = self.scores[index.row()]
                return "" if score is None or score != score else f"{score:.2f}"
            if col == STATUS:
                status = STATUS_TEXT.get(self.sheet.status(row), "")
                return translate("ReviewModel", status) if status else ""
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col == TEXT:
            text = self.sheet.text(row)
            return text if len(text) <= TOOLTIP_CHARS else text[:TOOLTIP_CHARS] + "…"
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = STATUS_COLOUR.get(self.sheet.status(row))
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and col == SUGGESTED and self.sheet.label(row) \
                and self.suggested[index.row()] not in ("", self.sheet.label(row)):
            return QColor("#c62828")              # the suggestion disagrees with the label
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (ROW, SCORE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt API
        if role != Qt.ItemDataRole.EditRole or index.column() != LABEL or self.sheet is None or not value:
            return False
        row = self.rows[index.row()]
        self.sheet.set_label(row, str(value))
        self.refresh(row)
        self.decided.emit(row)
        return True


class LabelDelegate(QStyledItemDelegate):
    """A combo box of the sheet's labels in the label cell."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        combo = QComboBox(parent, objectName="reviewLabelEditor")
        sheet = index.model().sheet
        combo.addItems(list(sheet.labels) if sheet is not None else [])
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt API
        current = index.data(Qt.ItemDataRole.EditRole)
        if current:
            editor.setCurrentText(current)
        editor.showPopup()

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt API
        if editor.currentText() and editor.currentText() != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class ReviewTable(QTableView):
    """1-9: the n-th label for the current row; Enter: keep its label. Both go on to the next row."""

    labelKey = Signal(int)           # 0-based label index
    keepKey = Signal()

    def __init__(self, model: ReviewModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegateForColumn(LABEL, LabelDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.verticalHeader().hide()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key = event.key()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and self.state() != QAbstractItemView.State.EditingState:
            self.labelKey.emit(key - Qt.Key.Key_1)
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.keepKey.emit()
            return
        super().keyPressEvent(event)

    def current_view_row(self) -> int | None:
        index = self.currentIndex()
        return index.row() if index.isValid() else None

    def go_to(self, view_row: int) -> None:
        if 0 <= view_row < self.model().rowCount():
            self.setCurrentIndex(self.model().index(view_row, LABEL))
            self.selectRow(view_row)
            self.scrollTo(self.model().index(view_row, 0))
