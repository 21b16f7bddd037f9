"""Models: the model folders in the workspace, with task, main metric and date."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..util import ask, heading, show_error

COLUMNS = ["Name", "Task", "Metric", "Labels", "Created"]


class ModelsPage(QWidget):
    openModelRequested = Signal(str)
    modelsChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.where = QLabel("", objectName="modelsWhere")
        self.table = QTableWidget(0, len(COLUMNS), objectName="modelsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemDoubleClicked.connect(lambda *_: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.buttons = {}
        row = QHBoxLayout()
        for key, text, slot in (("open", "Open results", self.open_selected), ("rename", "Rename…", self.rename_selected),
                                ("delete", "Delete…", self.delete_selected),
                                ("reveal", "Show in file manager", self.reveal_selected),
                                ("refresh", "Refresh", self.refresh)):
            b = QPushButton(text, objectName=f"models_{key}")
            b.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Your models"))
        layout.addWidget(self.where)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.paths: list[Path] = []
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        from bertdesk.core.model_folder import find_models
        from bertdesk.core.workspace import models_dir

        folder = models_dir()
        self.where.setText(f"Saved in {folder}")
        models = find_models(folder)
        self.paths = [m.path for m in models]
        self.table.setRowCount(len(models))
        for r, model in enumerate(models):
            path, meta = model.path, model.meta
            name, value = model.main_metric()
            labels = model.labels
            cells = [path.name, model.task_name,
                     f"{name.replace('_', ' ')} {value:.3f}" if value is not None else "–",
                     ", ".join(labels[:6]) + ("…" if len(labels) > 6 else ""),
                     (meta.get("created") or "")[:16].replace("T", " ")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.paths[rows[0].row()] if rows else None

    def select(self, path: Path) -> None:
        for r, p in enumerate(self.paths):
            if p == Path(path):
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        for key in ("open", "rename", "delete", "reveal"):
            self.buttons[key].setEnabled(has)

    def open_selected(self) -> None:
        path = self.selected()
        if path:
            self.openModelRequested.emit(str(path))

    def rename_selected(self) -> None:
        path = self.selected()
        if not path:
            return
        name, ok = QInputDialog.getText(self, "Rename model", "New name:", text=path.name)
        name = name.strip()
        if not ok or not name or name == path.name:
            return
        from bertdesk.core.workspace import folder_name_problem

        problem = folder_name_problem(name)
        if problem:
            show_error(self, "Rename model", problem)
            return
        target = path.with_name(name)
        if target.exists():
            show_error(self, "Rename model", f"A model named '{name}' already exists.")
            return
        from bertdesk.app.predictors import forget
        forget(path)
        try:
            path.rename(target)
        except OSError as exc:
            show_error(self, "Rename model", f"Cannot rename: {exc.strerror or exc}")
            return
        self.refresh()
        self.modelsChanged.emit()

    def delete_selected(self) -> None:
        path = self.selected()
        if not path or not ask(self, "Delete model", f"Delete the model “{path.name}” and all its files?\n{path}"):
            return
        from bertdesk.app.predictors import forget
        forget(path)
        try:
            shutil.rmtree(path)
        except OSError as exc:
            show_error(self, "Delete model", f"Cannot delete: {exc.strerror or exc}")
        self.refresh()
        self.modelsChanged.emit()

    def reveal_selected(self) -> None:
        path = self.selected()
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
