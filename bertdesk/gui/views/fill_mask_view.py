"""The fill-mask probe: a sentence with [MASK] (or a word chosen to mask) and the words a model with
a masked-language-model head would put there, with their probabilities."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..workers import JobRunner, job

EXAMPLE = "The delivery was [MASK] and the product works well."


class FillMaskView(QWidget):
    filled = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model_dir: str | None = None
        self.text = QLineEdit(objectName="fillText")
        self.text.setPlaceholderText(self.tr("A sentence with [MASK], e.g. {example}").format(example=EXAMPLE))
        self.text.returnPressed.connect(self.fill)
        self.mask_button = QPushButton(self.tr("Mask the selected word"), objectName="fillMaskSelection")
        self.mask_button.setToolTip(self.tr("Select a word in the sentence, then replace it by [MASK]"))
        self.mask_button.clicked.connect(self.mask_selection)
        self.fill_button = QPushButton(self.tr("Fill in"), objectName="fillRun")
        self.fill_button.clicked.connect(self.fill)
        self.status = QLabel("", objectName="fillStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 2, objectName="fillTable")
        self.table.setHorizontalHeaderLabels([self.tr("word"), self.tr("probability")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        row.addWidget(self.text, 1)
        row.addWidget(self.mask_button)
        row.addWidget(self.fill_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("<b>Fill in the blank</b>: what the model learnt to expect in your texts.")))
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.runner = JobRunner(self)
        self.runner.succeeded.connect(self._on_result)
        self.runner.failed.connect(lambda _n, message, _tb: self.status.setText(message))

    def set_model(self, model_dir: str | None) -> None:
        self.model_dir = model_dir
        self.table.setRowCount(0)
        self.status.setText("")
        if model_dir and not self.text.text():
            self.text.setText(EXAMPLE)

    def mask_selection(self) -> None:
        from bertdesk.core.fill_mask import mask_word

        start, length = self.text.selectionStart(), len(self.text.selectedText())
        if start >= 0 and length:
            self.text.setText(mask_word(self.text.text(), start, start + length))

    def fill(self) -> bool:
        from bertdesk.app.results import fill

        if not self.model_dir or self.runner.busy:
            return False
        if "[MASK]" not in self.text.text():
            self.status.setText(self.tr("Put [MASK] where a word should be filled in (or select a word and mask it)."))
            return False
        self.status.setText(self.tr("Filling in…"))
        return self.runner.start("fill", job(fill, self.model_dir, self.text.text(), 10))

    def _on_result(self, _name, result: dict) -> None:
        if result["model_dir"] != self.model_dir:
            return
        found = result["predictions"] or []
        self.table.setRowCount(len(found))
        for r, item in enumerate(found):
            self.table.setItem(r, 0, QTableWidgetItem(item["token"]))
            prob = QTableWidgetItem(f"{item['score']:.1%}")
            prob.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
            self.table.setItem(r, 1, prob)
        best = found[0]["token"] if found else "–"
        self.status.setText(self.tr("Most likely: “{word}”.").format(word=best) if found
                            else self.tr("The [MASK] fell beyond what the model reads."))
        self.filled.emit()
