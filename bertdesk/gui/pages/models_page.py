"""Models: every training run of the workspace (``core.history``) with its model folder, sortable
by metric; open, compare two runs, export, rename, delete. Model folders trained before the history
existed are listed from their ``bertdesk.json``."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import ask, heading, show_error

COLUMNS = [QT_TRANSLATE_NOOP("ModelsPage", "Name"), QT_TRANSLATE_NOOP("ModelsPage", "Task"),
           QT_TRANSLATE_NOOP("ModelsPage", "Metric"), QT_TRANSLATE_NOOP("ModelsPage", "Baseline"),
           QT_TRANSLATE_NOOP("ModelsPage", "Data"), QT_TRANSLATE_NOOP("ModelsPage", "Rows (train / held out)"),
           QT_TRANSLATE_NOOP("ModelsPage", "Created"), QT_TRANSLATE_NOOP("ModelsPage", "Time")]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
EXPORT_FORMATS = ["onnx", "onnx-int8", "hf"]


def move_to_trash(path: Path) -> Path:
    """Move ``path`` to the system's trash (QFile.moveToTrash), or when there is none to
    ``<workspace>/.trash``; returns where it is now."""
    from PySide6.QtCore import QFile

    from bertdesk.core.workspace import default_workspace, unique_path

    handle = QFile(str(path))
    if handle.moveToTrash():
        return Path(handle.fileName())
    folder = default_workspace() / ".trash"
    folder.mkdir(parents=True, exist_ok=True)
    target = unique_path(folder / path.name)
    shutil.move(str(path), str(target))
    return target


class SortableItem(QTableWidgetItem):
    """Sorts by a value of its own (numbers as numbers), whatever it shows."""

    def __lt__(self, other) -> bool:  # noqa: D105 - Qt API
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if a is None or b is None:
            return (a is None) and (b is not None)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


class ModelsPage(QWidget):
    openModelRequested = Signal(str)
    modelsChanged = Signal()

    def __init__(self, runner=None, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.where = QLabel("", objectName="modelsWhere")
        self.status = QLabel("", objectName="modelsStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), objectName="modelsTable")
        self.table.setHorizontalHeaderLabels([translate("ModelsPage", c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemDoubleClicked.connect(lambda *_: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.buttons = {}
        row = QHBoxLayout()
        for key, text, slot in (("open", self.tr("Open results"), self.open_selected),
                                ("compare", self.tr("Compare two…"), self.compare_selected),
                                ("export", self.tr("Export…"), self.export_selected),
                                ("rename", self.tr("Rename…"), self.rename_selected),
                                ("delete", self.tr("Delete…"), self.delete_selected),
                                ("reveal", self.tr("Show in file manager"), self.reveal_selected),
                                ("refresh", self.tr("Refresh"), self.refresh)):
            b = QPushButton(text, objectName=f"models_{key}")
            b.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = b
            row.addWidget(b)
        self.buttons["compare"].setToolTip(self.tr("Select two runs (Ctrl+click) to see them side by side"))
        row.addStretch(1)
        self.trashed: tuple[Path, Path] | None = None
        self.undo_button = QPushButton(self.tr("Undo delete"), objectName="models_undo")
        self.undo_button.clicked.connect(lambda: self.undo_delete())
        self.undo_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Your models")))
        layout.addWidget(self.where)
        layout.addLayout(row)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.undo_button)
        layout.addLayout(status_row)
        layout.addWidget(self.table, 1)
        self.entries: list[dict] = []         # one a table row: {"path", "run" (record or None), "meta"}
        self.compare_dialog = None
        if self.runner is not None:
            self.runner.succeeded.connect(self._on_exported)
            self.runner.failed.connect(lambda name, message, _tb: name == "export-model" and
                                       self.status.setText(self.tr("Export failed: {message}").format(message=message)))
        self._update_buttons()

    @property
    def paths(self) -> list[Path]:
        """The model folders of the rows, in table order."""
        return [self.entries[self._entry_index(r)]["path"] for r in range(self.table.rowCount())]

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refresh()
        super().showEvent(event)

    # ------------------------------------------------------------ the table
    def refresh(self) -> None:
        from bertdesk.core.history import history_dir, list_runs
        from bertdesk.core.model_folder import find_models
        from bertdesk.core.workspace import models_dir

        folder = models_dir()
        self.where.setText(self.tr("Saved in {folder}; the run history in {history}").format(
            folder=folder, history=history_dir()))
        runs = list_runs()
        recorded = {Path(r.get("model_dir") or "") for r in runs}
        entries = [{"path": Path(r["model_dir"]), "run": r, "meta": None} for r in runs]
        for model in find_models(folder):
            if model.path.resolve() not in recorded:
                entries.append({"path": model.path, "run": None, "meta": model.meta})
        self.entries = entries
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            for c, (text, key) in enumerate(self._cells(entry)):
                item = SortableItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r)
                item.setData(SORT_ROLE, key)
                if not entry["path"].is_dir():
                    item.setForeground(Qt.GlobalColor.gray)
                    item.setToolTip(self.tr("The model folder is gone; the run's record stays in the history"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self._update_buttons()

    @staticmethod
    def _cells(entry: dict) -> list[tuple[str, object]]:
        from bertdesk.core.tasks import TASKS

        run, meta, path = entry["run"], entry["meta"] or {}, entry["path"]
        source = run or meta
        task = source.get("task")
        metrics = source.get("metrics") or {}
        main = TASKS[task].main_metric if task in TASKS else None
        value = metrics.get(main) if main else None
        base = (metrics.get("baseline") or {}).get(main) if main else None
        config = source.get("config") or {}
        data = Path(config.get("train_file") or "").name
        rows = f"{source.get('n_train', '?')} / {source.get('n_eval', '?')}"
        created = (source.get("created") or "")[:16].replace("T", " ")
        seconds = run.get("seconds") if run else meta.get("train_seconds")
        name = path.name if path.is_dir() else translate("ModelsPage", "{name}  (deleted)").format(name=path.name)
        return [(name, name.lower()), (task or "?", task or ""),
                (f"{main.replace('_', ' ')} {value:.3f}" if isinstance(value, (int, float)) else "–",
                 float(value) if isinstance(value, (int, float)) else None),
                (f"{base:.3f}" if isinstance(base, (int, float)) else "–",
                 float(base) if isinstance(base, (int, float)) else None),
                (data, data.lower()), (rows, source.get("n_train") or 0), (created, created),
                (translate("ModelsPage", "{seconds} s").format(seconds=f"{seconds:.0f}")
                 if isinstance(seconds, (int, float)) else "–",
                 float(seconds) if isinstance(seconds, (int, float)) else None)]

    def _entry_index(self, row: int) -> int:
        return int(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))

    def selected_entries(self) -> list[dict]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.entries[self._entry_index(r)] for r in rows]

    def selected(self) -> Path | None:
        chosen = self.selected_entries()
        return chosen[0]["path"] if len(chosen) == 1 else None

    def select(self, path: Path) -> None:
        for r in range(self.table.rowCount()):
            if self.entries[self._entry_index(r)]["path"] == Path(path):
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        chosen = self.selected_entries()
        one = len(chosen) == 1 and chosen[0]["path"].is_dir()
        for key in ("open", "rename", "delete", "reveal", "export"):
            self.buttons[key].setEnabled(one)
        self.buttons["compare"].setEnabled(len(chosen) == 2 and all(e["run"] for e in chosen))
        if self.runner is not None and self.runner.busy:
            self.buttons["export"].setEnabled(False)

    # ------------------------------------------------------------ actions
    def open_selected(self) -> None:
        path = self.selected()
        if path and path.is_dir():
            self.openModelRequested.emit(str(path))

    def compare_selected(self):
        """Open the comparison of the two selected runs (the older one is A)."""
        from bertdesk.core.errors import BertdeskError
        from bertdesk.core.history import compare, load_run

        from ..views.compare_view import CompareDialog

        chosen = self.selected_entries()
        if len(chosen) != 2 or not all(e["run"] for e in chosen):
            return None
        older, newer = sorted(chosen, key=lambda e: (e["run"].get("created") or "", e["run"]["id"]))
        try:
            a, b = load_run(older["run"]["id"]), load_run(newer["run"]["id"])
        except (BertdeskError, OSError, ValueError) as exc:
            show_error(self, self.tr("Compare runs"), str(exc))
            return None
        self.compare_dialog = CompareDialog(compare(a, b), a.get("metrics") or {}, b.get("metrics") or {}, self)
        self.compare_dialog.show()
        return self.compare_dialog

    def export_selected(self, fmt: str | None = None, parent_dir: str | None = None) -> bool:
        """Export the selected model (format and folder asked for when not given) in a worker."""
        path = self.selected()
        if not path or self.runner is None or self.runner.busy:
            return False
        if fmt is None:
            fmt, ok = QInputDialog.getItem(self, self.tr("Export model"),
                                           self.tr("Format (onnx: ONNX Runtime; hf: a folder "
                                                   "transformers.pipeline loads):"), EXPORT_FORMATS, 0, False)
            if not ok:
                return False
        if parent_dir is None:
            parent_dir = QFileDialog.getExistingDirectory(self, self.tr("Export into which folder?"))
            if not parent_dir:
                return False
        from bertdesk.app.models import export
        from bertdesk.core.workspace import unique_path

        from ..workers import job

        out = unique_path(Path(parent_dir) / f"{path.name}-{fmt}")
        self.status.setText(self.tr("Exporting {name} as {format} to {out}…").format(name=path.name, format=fmt, out=out))
        started = self.runner.start("export-model", job(export, str(path), fmt, str(out)))
        self._update_buttons()
        return started

    def _on_exported(self, name: str, result) -> None:
        if name != "export-model":
            return
        out = result["out"]
        if result.get("max_abs_diff") is None:
            line = self.tr("Exported to {out}. Its README.md says how to use it.").format(out=out)
        elif result.get("before") is None:
            line = self.tr("Exported to {out}. Largest output difference from the PyTorch model: {diff}. "
                           "Its README.md says how to use it.").format(out=out, diff=f"{result['max_abs_diff']:.1e}")
        else:
            line = self.tr("Exported to {out}. Largest output difference from the PyTorch model: {diff}; "
                           "{metric} {before} → {after} on {n} held-out rows. Its README.md says how to use it.").format(
                out=out, diff=f"{result['max_abs_diff']:.1e}", metric=result["metric"].replace("_", " "),
                before=f"{result['before']:.1%}", after=f"{result['after']:.1%}", n=result["n_checked"])
        self.status.setText(line)
        self._update_buttons()

    def rename_selected(self) -> None:
        path = self.selected()
        if not path:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename model"), self.tr("New name:"), text=path.name)
        name = name.strip()
        if not ok or not name or name == path.name:
            return
        from bertdesk.core.workspace import folder_name_problem

        problem = folder_name_problem(name)
        if problem:
            show_error(self, self.tr("Rename model"), problem)
            return
        target = path.with_name(name)
        if target.exists():
            show_error(self, self.tr("Rename model"), self.tr("A model named '{name}' already exists.").format(name=name))
            return
        from bertdesk.app.predictors import forget
        from bertdesk.core.history import relocate
        forget(path)
        try:
            path.rename(target)
        except OSError as exc:
            show_error(self, self.tr("Rename model"), self.tr("Cannot rename: {error}").format(error=exc.strerror or exc))
            return
        relocate(path, target)
        self.refresh()
        self.modelsChanged.emit()

    def delete_selected(self) -> None:
        """Move the selected model folder to the trash (the system's, else the workspace's own
        ``.trash``), with Undo."""
        path = self.selected()
        if not path or not ask(self, self.tr("Delete model"),
                                   self.tr("Move the model “{name}” to the trash?\n{path}").format(name=path.name, path=path)):
            return
        from bertdesk.app.predictors import forget
        forget(path)
        try:
            where = move_to_trash(path)
        except OSError as exc:
            show_error(self, self.tr("Delete model"),
                       self.tr("Cannot move it to the trash: {error}").format(error=exc.strerror or exc))
            return
        self.trashed = (path, where)
        self.status.setText(self.tr("“{name}” was moved to the trash ({where}).").format(name=path.name, where=where))
        self.undo_button.show()
        self.refresh()
        self.modelsChanged.emit()

    def undo_delete(self) -> bool:
        """Bring the last model moved to the trash back where it was."""
        if self.trashed is None:
            return False
        path, where = self.trashed
        if path.exists():
            show_error(self, self.tr("Undo"), self.tr("A folder named “{name}” is there again; the one in the trash stays "
                                                     "at {where}.").format(name=path.name, where=where))
            return False
        try:
            shutil.move(str(where), str(path))
        except OSError as exc:
            show_error(self, self.tr("Undo"), self.tr("Cannot bring it back: {error}").format(error=exc.strerror or exc))
            return False
        self.trashed = None
        self.undo_button.hide()
        self.status.setText(self.tr("“{name}” is back.").format(name=path.name))
        self.refresh()
        self.modelsChanged.emit()
        return True

    def reveal_selected(self) -> None:
        path = self.selected()
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
