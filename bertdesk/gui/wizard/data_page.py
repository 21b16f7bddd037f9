"""Step 1: open a table, see its first rows, fix the encoding or separator if the guess was wrong."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton,
                               QTableView, QVBoxLayout)

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import add_recent, data_filter, error_label, show_error_text
from ..views.table_model import DataFrameModel
from bertdesk.app import sources
from bertdesk.core.formats import FILE_FORMATS

from ..workers import JobRunner, job
from .base import WizardPage

AUTO = "auto"                     # the encoding combo's first item (shown translated; its data is AUTO)
AUTO_TEXT = QT_TRANSLATE_NOOP("DataPage", "auto")
ENCODINGS = [AUTO, "utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252", "latin-1"]
DELIMITERS = [(AUTO_TEXT, None), (QT_TRANSLATE_NOOP("DataPage", "comma ,"), ","),
              (QT_TRANSLATE_NOOP("DataPage", "semicolon ;"), ";"), (QT_TRANSLATE_NOOP("DataPage", "tab"), "\t"),
              (QT_TRANSLATE_NOOP("DataPage", "pipe |"), "|")]
# what "<n> <unit> × <m> columns" reads, for each task's unit (sources.unit_of)
UNIT_INFO = {"rows": QT_TRANSLATE_NOOP("DataPage", "{n} rows × {columns} columns ({format})"),
             "sentences": QT_TRANSLATE_NOOP("DataPage", "{n} sentences × {columns} columns ({format})"),
             "questions": QT_TRANSLATE_NOOP("DataPage", "{n} questions × {columns} columns ({format})"),
             "texts": QT_TRANSLATE_NOOP("DataPage", "{n} texts × {columns} columns ({format})")}
PREVIEW_ROWS = 200


class DataPage(WizardPage):
    title = QT_TRANSLATE_NOOP("DataPage", "1 · Data")
    subtitle = QT_TRANSLATE_NOOP("DataPage", "Open the spreadsheet you want the model to learn from (CSV, TSV, "
                                 "Excel, JSONL), a CoNLL file for entity tagging or a SQuAD .json file for "
                                 "question answering.")

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.table = None
        self.path: Path | None = None
        self.open_button = QPushButton(self.tr("Open file…"), objectName="dataOpen")
        self.open_button.clicked.connect(self.browse)
        self.path_label = QLabel(self.tr("No file yet — open one, or drop it on the window."), objectName="dataPath")
        self.path_label.setWordWrap(True)
        self.encoding = QComboBox(objectName="dataEncoding")
        for name in ENCODINGS:
            self.encoding.addItem(translate("DataPage", AUTO_TEXT) if name == AUTO else name, name)
        self.encoding.setEditable(True)
        self.delimiter = QComboBox(objectName="dataDelimiter")
        for text, value in DELIMITERS:
            self.delimiter.addItem(translate("DataPage", text), value)
        self.sheet = QComboBox(objectName="dataSheet")
        self.sheet_label = QLabel(self.tr("Sheet"))
        self.encoding.activated.connect(self._reread)
        self.encoding.lineEdit().editingFinished.connect(self._reread_if_changed)
        self.delimiter.activated.connect(self._reread)
        self.sheet.activated.connect(self._reread)
        self.error = error_label("dataError")
        self.info = QLabel("", objectName="dataInfo")
        self.preview_model = DataFrameModel()
        self.preview = QTableView(objectName="dataPreview")
        self.preview.setModel(self.preview_model)
        self.preview.setAlternatingRowColors(True)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setWordWrap(False)

        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.path_label, 1)
        form = QFormLayout()
        form.addRow(self.tr("Encoding"), self.encoding)
        form.addRow(self.tr("Separator"), self.delimiter)
        form.addRow(self.sheet_label, self.sheet)
        row = QHBoxLayout()
        row.addLayout(form)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.info)
        layout.addWidget(self.preview, 1)
        self._set_read_controls(None)
        self._last_encoding = None        # the encoding last read with (None: detected)
        self._wanted = None               # (path, read settings) the user asked for last
        self._reading = None              # ... and what the running worker read is for
        self._reader = JobRunner(self)
        self._reader.succeeded.connect(self._on_read_finished)
        self._reader.failed.connect(self._on_read_failed)

    def is_complete(self) -> bool:
        return self.table is not None

    # ------------------------------------------------------------ loading
    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open data"), str(self.path.parent if self.path else ""),
                                              data_filter())
        if path:
            self.load(path)

    def load(self, path) -> bool:
        """Read ``path`` with automatic detection; shows the problem inline when it cannot be used."""
        self.path = Path(path)
        self.path_label.setText(str(self.path))
        self.encoding.setCurrentIndex(0)       # auto
        self.delimiter.setCurrentIndex(0)
        self.sheet.clear()
        ok = self._read()
        if ok:
            add_recent("recent/files", str(self.path))
        return ok

    def chosen_encoding(self) -> str | None:
        """The encoding in the combo; None for automatic detection (the first item, whatever the
        language shows it as, or an empty field)."""
        enc = self.encoding.currentText().strip()
        if not enc or enc == AUTO or enc == self.encoding.itemText(0):
            return None
        return enc

    def _reread_if_changed(self) -> None:
        if self.chosen_encoding() != self._last_encoding:
            self._reread()

    def _reread(self, *_):
        if self.path is not None:
            self._read()

    def read_options(self) -> dict:
        """How the file was read: passed to training so it reads the same way."""
        t = self.table
        if t is None:
            return {}
        if t.format in FILE_FORMATS:
            return {}
        if t.format == "xlsx":
            return {"sheet": t.sheet} if t.sheet and t.sheets and t.sheet != t.sheets[0] else {}
        opts = {}
        if t.encoding:
            opts["encoding"] = t.encoding
        if t.delimiter:
            opts["delimiter"] = t.delimiter
        return opts

    def _read(self) -> bool:
        """Read with the chosen settings: at once for small files, in a worker for large ones
        (then True means "started"; the preview appears when the worker is done)."""
        from bertdesk.core.errors import BertdeskError

        enc = self.chosen_encoding()
        kw = {"encoding": enc,
              "delimiter": self.delimiter.currentData(),
              "sheet": self.sheet.currentText() or None}
        self._last_encoding = enc
        if sources.is_large(self.path):
            return self._read_in_worker(kw)
        self._wanted = None                # a large read still running is no longer wanted
        try:
            table = sources.read(self.path, kw)["table"]
        except BertdeskError as exc:
            self._show_problem(str(exc), kw)
            return False
        self._show_table(table)
        return True

    @property
    def reading(self) -> bool:
        return self._reader.busy

    def _read_in_worker(self, kw: dict) -> bool:
        self.table = None
        self._wanted = (str(self.path), kw)
        show_error_text(self.error, "")
        self.info.setText(self.tr("Reading {name}…").format(name=self.path.name))
        self.preview_model.set_frame(None)
        self.completeChanged.emit()
        self._start_wanted()
        return True

    def _start_wanted(self) -> None:
        """Start the read the user asked for last (one at a time: a newer request waits)."""
        if self._wanted and not self._reader.busy:
            self._reading = self._wanted
            self._reader.start("read", job(sources.read, *self._wanted))

    def _on_read_finished(self, _name: str, result) -> None:
        if self._reading != self._wanted:
            self._start_wanted()           # the user opened another file or changed a setting
            return
        self._wanted = None
        self._show_table(result["table"])

    def _on_read_failed(self, _name: str, message: str, _tb: str) -> None:
        if self._reading != self._wanted:
            self._start_wanted()
            return
        kw = self._wanted[1]
        self._wanted = None
        self._show_problem(message, kw)

    def _show_problem(self, message: str, kw: dict) -> None:
        self.table = None
        show_error_text(self.error, message)
        self.info.setText("")
        self.preview_model.set_frame(None)
        self._set_read_controls(None if kw["encoding"] is None and kw["delimiter"] is None else "csv")
        self.completeChanged.emit()

    def _show_table(self, table) -> None:
        self.table = table
        show_error_text(self.error, "")
        self._show_detected(table)
        self.preview_model.set_frame(table.df.head(PREVIEW_ROWS))
        self.preview.resizeColumnsToContents()
        for c in range(self.preview_model.columnCount()):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 420))
        unit = sources.unit_of(table)
        values = {"n": f"{len(table.df):,}", "columns": len(table.df.columns), "format": table.format.upper()}
        if unit in UNIT_INFO:
            info = translate("DataPage", UNIT_INFO[unit]).format(**values)
        else:
            info = self.tr("{n} {unit} × {columns} columns ({format})").format(unit=unit, **values)
        if len(table.df) > PREVIEW_ROWS:
            info = self.tr("{info}; showing the first {n}").format(info=info, n=PREVIEW_ROWS)
        self.info.setText(info)
        self.completeChanged.emit()

    def _show_detected(self, table) -> None:
        self._set_read_controls(table.format)
        if table.encoding:
            self.encoding.setCurrentText(table.encoding)
            self._last_encoding = table.encoding
        for i in range(self.delimiter.count()):
            if self.delimiter.itemData(i) == table.delimiter:
                self.delimiter.setCurrentIndex(i)
        if table.sheets:
            self.sheet.blockSignals(True)
            self.sheet.clear()
            self.sheet.addItems(table.sheets)
            self.sheet.setCurrentText(table.sheet or "")
            self.sheet.blockSignals(False)

    def _set_read_controls(self, fmt: str | None) -> None:
        text_table = fmt in ("csv", "tsv", None)
        self.encoding.setEnabled(fmt in ("csv", "tsv", "jsonl") or (fmt is None and self.path is not None))
        self.delimiter.setEnabled(text_table and self.path is not None)
        excel = fmt == "xlsx"
        self.sheet.setVisible(excel)
        self.sheet_label.setVisible(excel)
