"""Batch labeling: a trained model labels every row of a table; preview while it runs, then export.

Labeling runs ``app.labeling.label`` (the same streaming, atomic path as ``bertdesk-cli label``)
into a file the app keeps; Export writes that file in the format the user names. The page itself
holds only the first rows of the input and of the result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from bertdesk.app import labeling, sources

from ..i18n import QT_TRANSLATE_NOOP, core_text
from ..util import add_recent, data_filter, error_label, fmt_duration, heading, show_error, show_error_text
from ..views.table_model import DataFrameModel
from ..workers import JobRunner, job

EXPORT_FILTER = QT_TRANSLATE_NOOP("LabelPage", "CSV (*.csv);;Excel (*.xlsx);;TSV (*.tsv);;JSON Lines (*.jsonl)")


class LabelPage(QWidget):
    def __init__(self, runner, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.table = None                 # the first rows of the input (core.data.Table)
        self.rows: int | None = None      # rows in the input (an estimate for a large text table)
        self.path: Path | None = None
        self.result: dict | None = None   # app.labeling.label's answer: rows, preview, output
        self.column_combos: dict[str, QComboBox] = {}
        self.model_combo = QComboBox(objectName="labelModel")
        self.model_combo.setMinimumWidth(360)
        self.model_browse = QPushButton(self.tr("Browse…"), objectName="labelModelBrowse")
        self.model_browse.clicked.connect(self._browse_model)
        self.open_button = QPushButton(self.tr("Open file…"), objectName="labelOpen")
        self.open_button.clicked.connect(self._browse_file)
        self.file_label = QLabel(self.tr("No file yet."), objectName="labelFile")
        self.model_combo.currentIndexChanged.connect(lambda _i: self._setup_columns())
        self.fast_check = QCheckBox(self.tr("Fast mode (CPU)"), objectName="labelFast")
        self.fast_check.setToolTip(self.tr("Label through ONNX Runtime with int8 weights: several times faster on "
                                           "a CPU. Checked first on the model's evaluation data and used only if the "
                                           "main metric drops by at most 0.5 point."))
        self.explain_check = QCheckBox(self.tr("Explain each row (top 3 words)"), objectName="labelExplain")
        self.explain_check.setToolTip(self.tr("Adds a top_words column: the 3 words that pushed each prediction "
                                              "most, with their scores (integrated gradients). Slow: about a second "
                                              "a row on a CPU."))
        self.run_button = QPushButton(self.tr("Label all rows"), objectName="labelRun")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="labelCancel")
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.export_button = QPushButton(self.tr("Export…"), objectName="labelExport")
        self.export_button.clicked.connect(lambda: self.export())
        self.progress = QProgressBar(objectName="labelProgress")
        self.status = QLabel("", objectName="labelStatus")
        self.status.setWordWrap(True)          # long verdicts wrap instead of widening the window
        self.error = error_label("labelError")
        self.preview_model = DataFrameModel()
        self.preview = QTableView(objectName="labelPreview")
        self.preview.setModel(self.preview_model)
        self.preview.setSortingEnabled(False)
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(False)

        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.model_browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.open_button)
        file_row.addWidget(self.file_label, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Model"), model_row)
        form.addRow(self.tr("Data"), file_row)
        self.form = form
        actions = QHBoxLayout()
        actions.addWidget(self.run_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.fast_check)
        actions.addWidget(self.explain_check)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Label new data")))
        layout.addWidget(QLabel(self.tr("The output keeps every original column and row, in order, and adds the "
                                         "predictions.")))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        self.runner.progress.connect(self._on_progress)
        self.runner.preview.connect(self._on_preview)
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.finished.connect(lambda _n: self._update_buttons())
        self._wanted: str | None = None
        self._reader = JobRunner(self)
        self._reader.succeeded.connect(self._on_read)
        self._reader.failed.connect(self._on_read_failed)
        self.refresh_models()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refresh_models()
        super().showEvent(event)

    # ------------------------------------------------------------ choices
    def refresh_models(self, select: str | None = None) -> None:
        from bertdesk.core.model_folder import find_models
        from bertdesk.core.workspace import models_dir

        current = select or self.model_combo.currentData()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        from bertdesk.core.tasks import TASKS

        for model in find_models(models_dir()):
            if TASKS[model.task_name].fine_tunes:       # a pre-trained model fills in words, it does not label
                self.model_combo.addItem(f"{model.path.name}  ({model.task_name})", str(model.path))
        if current and self.model_combo.findData(current) < 0 and Path(current).is_dir():
            self.model_combo.addItem(Path(current).name, current)
        if current:
            self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(current)))
        self.model_combo.blockSignals(False)
        self._setup_columns()
        self._update_buttons()

    def _browse_model(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Model folder"))
        if path:
            self.refresh_models(select=path)

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Data to label"), "", data_filter())
        if path:
            self.open_file(path)

    def open_file(self, path) -> bool:
        """Open the table to label (its first rows): at once when small, in a worker when large
        (True: opened or started)."""
        from bertdesk.core.errors import BertdeskError

        self.path = Path(path)
        self.file_label.setText(str(self.path))
        self.discard_result()
        self.table = None
        self.progress.setValue(0)
        if sources.is_large(self.path):
            self._wanted = str(self.path)
            show_error_text(self.error, "")
            self.preview_model.set_frame(None)
            self.status.setText(self.tr("Reading {name}…").format(name=self.path.name))
            self._update_buttons()
            if not self._reader.busy:
                self._reader.start("read", job(sources.peek, self.path))
            return True
        self._wanted = None
        try:
            peeked = sources.peek(self.path)
        except BertdeskError as exc:
            self._show_problem(str(exc))
            return False
        self._show_file(peeked)
        return True

    def _on_read(self, _name, result) -> None:
        if self._wanted != result["path"]:
            if self._wanted and not self._reader.busy:      # another file was chosen meanwhile
                self._reader.start("read", job(sources.peek, self._wanted))
            return
        self._wanted = None
        self._show_file(result)

    def _on_read_failed(self, _name, message, _tb) -> None:
        if self._wanted == str(self.path):
            self._wanted = None
            self._show_problem(message)

    def _show_problem(self, message: str) -> None:
        self.table = None
        show_error_text(self.error, message)
        self.status.setText("")
        self.preview_model.set_frame(None)
        self._update_buttons()

    def _show_file(self, peeked: dict) -> None:
        self.table, self.rows = peeked["table"], peeked["rows"]
        self.progress.setValue(0)
        show_error_text(self.error, "")
        add_recent("recent/files", str(self.path))
        self._setup_columns()
        self.preview_model.set_frame(self.table.df)
        self._fit_columns()
        if peeked["exact"]:
            text = self.tr("{n} rows. Choose the columns and press “Label all rows”.").format(n=f"{self.rows:,}")
        elif self.rows:
            text = self.tr("About {n} rows. Choose the columns and press “Label all rows”.").format(n=f"{self.rows:,}")
        else:
            text = self.tr("More than {n} rows. Choose the columns and press “Label all rows”.").format(
                n=f"{len(self.table.df):,}")
        self.status.setText(text)
        self._update_buttons()

    def model_task(self):
        """The task class of the chosen model (None when no usable model is chosen)."""
        from bertdesk.core.model_folder import try_open
        from bertdesk.core.tasks import TASKS

        folder = try_open(self.model_dir()) if self.model_dir() else None
        return TASKS[folder.task_name] if folder is not None else None

    def _setup_columns(self) -> None:
        """A column picker for each column the model reads (``Task.label_roles``)."""
        task = self.model_task()
        roles = task.label_roles if task is not None else ()
        previous = {k: c.currentText() for k, c in self.column_combos.items()}
        while self.form.rowCount() > 2:
            self.form.removeRow(2)
        self.column_combos = {}
        columns = [str(c) for c in self.table.df.columns] if self.table is not None else []
        taken: list[str] = []
        for i, role in enumerate(roles):
            combo = QComboBox(objectName=f"labelColumn_{role.key}")
            combo.setMinimumWidth(240)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setToolTip(core_text(role.help))
            combo.addItems(columns)
            if columns:
                guess = previous.get(role.key) if previous.get(role.key) in columns else \
                    role.guess(self.table.df, taken)
                combo.setCurrentText(guess or columns[min(i, len(columns) - 1)])
                taken.append(combo.currentText())
            self.column_combos[role.key] = combo
            self.form.addRow(core_text(role.label), combo)
            combo.show()              # at once, not at the next event-loop turn, on a page already shown

    def columns(self) -> dict:
        return {key: combo.currentText() for key, combo in self.column_combos.items() if combo.currentText()}

    def _fit_columns(self) -> None:
        self.preview.resizeColumnsToContents()
        for c in range(self.preview_model.columnCount()):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 380))

    def model_dir(self) -> str | None:
        return self.model_combo.currentData()

    def _mine(self, name: str) -> bool:
        return name in ("label", "export")

    def _update_buttons(self) -> None:
        running = self._mine(self.runner.job_name or "")
        self.run_button.setEnabled(bool(self.table is not None and self.model_dir() and not self.runner.busy))
        self.cancel_button.setEnabled(running)
        self.export_button.setEnabled(self.result is not None and not self.runner.busy)

    def unsaved(self) -> bool:
        """Whether labeled rows wait to be exported."""
        return self.result is not None and not self.result.get("exported")

    def discard_result(self) -> None:
        if self.result is not None:
            labeling.discard(self.result["output"])
        self.result = None

    # ------------------------------------------------------------ running
    def run(self) -> bool:
        if self.table is None or not self.model_dir():
            return False
        if self.runner.busy:
            self.status.setText(self.tr("Another job is running ({job}).").format(job=self.runner.job_name))
            return False
        self.discard_result()
        self.progress.setValue(0)
        self.status.setText(self.tr("Loading the model…"))
        opts = {k: v for k, v in (("encoding", self.table.encoding), ("delimiter", self.table.delimiter),
                                  ("sheet", self.table.sheet)) if v}
        started = self.runner.start("label", job(labeling.label, self.model_dir(), str(self.path), self.columns(),
                                                 opts, self.fast_check.isChecked(),
                                                 3 if self.explain_check.isChecked() else 0))
        self._update_buttons()
        return started

    def _on_progress(self, p) -> None:
        if not self._mine(self.runner.job_name or ""):
            return
        if p.phase == "checking fast mode":
            self.status.setText(self.tr("Checking the fast mode on the evaluation data…"))
        elif p.phase == "preparing the fast CPU model":
            self.status.setText(self.tr("Preparing this model for fast labeling (once per model)…"))
        elif p.phase in ("labeling", "exporting") and p.total:
            self.progress.setValue(int(100 * p.done / p.total))
            if p.phase == "labeling":
                text = (self.tr("Labeled {done} of {total} rows, about {eta} left") if p.eta_s else
                        self.tr("Labeled {done} of {total} rows"))
            else:
                text = (self.tr("Exported {done} of {total} rows, about {eta} left") if p.eta_s else
                        self.tr("Exported {done} of {total} rows"))
            self.status.setText(text.format(done=f"{p.done:,}", total=f"{p.total:,}",
                                            eta=fmt_duration(p.eta_s) if p.eta_s else ""))

    def _on_preview(self, df) -> None:
        if self.runner.job_name == "label":
            self.preview_model.set_frame(df)
            self._fit_columns()

    def _on_succeeded(self, name, result) -> None:
        if name == "export":
            if self.result is not None:
                self.result["exported"] = True
            self.progress.setValue(100)
            self.status.setText(self.tr("Saved {rows} rows to {path}").format(rows=f"{result['rows']:,}",
                                                                              path=result["path"]))
            return
        if name != "label":
            return
        self.result = result
        self.progress.setValue(100)
        preview = result["preview"]
        self.preview_model.set_frame(preview)
        self._fit_columns()
        added = [c for c in preview.columns if c not in self.table.df.columns]
        if result["rows"] > len(preview):
            text = self.tr("Labeled {rows} rows; added columns {columns}. Export to save them. (the preview shows "
                           "the first {shown})")
        else:
            text = self.tr("Labeled {rows} rows; added columns {columns}. Export to save them.")
        text = text.format(rows=f"{result['rows']:,}", columns=", ".join(str(c) for c in added),
                           shown=f"{len(preview):,}")
        self.status.setText(text + (" " + result["fast"] if result.get("fast") else ""))
        self._update_buttons()

    def _on_failed(self, name, message, tb) -> None:
        if name == "label":
            self.status.setText(self.tr("Labeling failed: {message}").format(message=message))
        elif name == "export":
            self.status.setText(self.tr("Export failed: {message}").format(message=message))

    def _on_cancelled(self, name) -> None:
        if self._mine(name):
            self.progress.setValue(0)
            self.status.setText(self.tr("Labeling cancelled.") if name == "label" else
                                self.tr("Export cancelled; nothing was saved."))

    def export(self, path: str | None = None) -> bool:
        """Write the labeled rows to ``path`` (asked for when None) in a worker; True when started."""
        if self.result is None or self.runner.busy:
            return False
        if path is None:
            suggestion = str(self.path.with_name(self.path.stem + "-labeled.csv")) if self.path else "labeled.csv"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export labeled table"), suggestion,
                                                  self.tr(EXPORT_FILTER))
            if not path:
                return False
        from bertdesk.core.errors import BertdeskError
        from bertdesk.core.io import check_output_file
        from bertdesk.core.labeling import check_not_input

        try:
            check_output_file(path)
            check_not_input(path, self.path)
        except BertdeskError as exc:
            show_error(self, self.tr("Export"), str(exc))
            return False
        self.progress.setValue(0)
        self.status.setText(self.tr("Exporting to {name}…").format(name=Path(path).name))
        started = self.runner.start("export", job(labeling.export, self.result["output"], path, str(self.path),
                                                  self.result["rows"]))
        self._update_buttons()
        return started
