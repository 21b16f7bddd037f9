"""Home: open data or a sample, recent files and models."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from ..util import heading, recent

SAMPLES = [
    ("reviews.csv", "Product reviews → sentiment", "300 reviews labeled positive / neutral / negative"),
    ("support_tickets_multilabel.csv", "Support tickets → topics", "300 tickets, one or more topics each"),
]


class HomePage(QWidget):
    openFileRequested = Signal(str)
    openModelRequested = Signal(str)
    browseRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        title = heading("Fine-tune BERT on your spreadsheet", 18)
        intro = QLabel("Open a CSV or Excel file with a text column and a label column. bertdesk trains a "
                       "model on it, shows how well it does, and labels new rows for you — no code needed.")
        intro.setWordWrap(True)
        open_button = QPushButton("Open data file…  (Ctrl+O)", objectName="homeOpen")
        open_button.setMinimumHeight(36)
        open_button.clicked.connect(self.browseRequested)
        samples = QGroupBox("Try a sample")
        grid = QGridLayout(samples)
        for row, (name, title_text, desc) in enumerate(SAMPLES):
            button = QPushButton(f"Open sample: {title_text}", objectName=f"homeSample_{Path(name).stem}")
            button.clicked.connect(lambda _=False, n=name: self._open_sample(n))
            grid.addWidget(button, row, 0)
            grid.addWidget(QLabel(desc), row, 1)
        self.recent_files = QListWidget(objectName="homeRecentFiles")
        self.recent_files.itemActivated.connect(lambda item: self.openFileRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_models = QListWidget(objectName="homeRecentModels")
        self.recent_models.itemActivated.connect(lambda item: self.openModelRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        files_box = QGroupBox("Recent files (double-click to open)")
        QVBoxLayout(files_box).addWidget(self.recent_files)
        models_box = QGroupBox("Recent models (double-click for results)")
        QVBoxLayout(models_box).addWidget(self.recent_models)
        lists = QHBoxLayout()
        lists.addWidget(files_box)
        lists.addWidget(models_box)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(open_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(samples)
        for w in (self.recent_files, self.recent_models):
            w.setMaximumHeight(240)
        layout.addLayout(lists)
        layout.addStretch(1)
        self.refresh()

    def _open_sample(self, name: str) -> None:
        from bertdesk.core.workspace import samples_dir
        self.openFileRequested.emit(str(samples_dir() / name))

    def refresh(self) -> None:
        for widget, key, empty in ((self.recent_files, "recent/files", "No files opened yet."),
                                   (self.recent_models, "recent/models", "No models trained yet.")):
            widget.clear()
            items = [p for p in recent(key) if Path(p).exists()]
            for path in items:
                item = QListWidgetItem(f"{Path(path).name}    —    {Path(path).parent}")
                item.setData(Qt.ItemDataRole.UserRole, path)
                item.setToolTip(path)
                widget.addItem(item)
            if not items:
                item = QListWidgetItem(empty)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                widget.addItem(item)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refresh()
        super().showEvent(event)
