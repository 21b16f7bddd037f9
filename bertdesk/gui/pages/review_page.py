"""Review labels: the suspicious labels of a model's sheet and the rows to label next, corrected
with the keyboard into a reviewed copy of the sheet, then a retraining on that copy.

The page opens the sheet a classification model was trained on (``app.review.open_sheet``); its
jobs (``find_suspects``, ``suggest_next``) run on the window's job runner and come back as columns
shown beside the sheet's rows. Every decision is saved by the sheet itself before the key press
returns."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QProgressBar, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from bertdesk.app import review

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import data_filter, error_label, fmt_duration, heading, show_error_text
from ..views.review_table import LABEL, SCORE, STATUS, SUGGESTED, TEXT, ReviewModel, ReviewTable
from ..workers import job

METHODS = [(QT_TRANSLATE_NOOP("ReviewPage", "Fast: a head on the frozen encoder per fold (seconds)"), "fast"),
           (QT_TRANSLATE_NOOP("ReviewPage", "Thorough: one fine-tune per fold (minutes)"), "kfold")]
PHASES = {"embedding": QT_TRANSLATE_NOOP("ReviewPage", "Reading the texts"),
          "folds": QT_TRANSLATE_NOOP("ReviewPage", "Fine-tuning the folds"),
          "predicting": QT_TRANSLATE_NOOP("ReviewPage", "Predicting")}
JOBS = ("suspects", "suggest")


class ReviewPage(QWidget):
    retrainRequested = Signal(object)        # a TrainConfig: train on the reviewed copy

    def __init__(self, runner, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.sheet = None
        self.model_dir: str | None = None
        self.suspects = None                 # DataFrame of app.review.SUSPECT_COLUMNS, one row per sheet row
        self.suggestions = None

        self.model_combo = QComboBox(objectName="reviewModel")
        self.model_combo.setMinimumWidth(360)
        self.model_combo.activated.connect(lambda _i: self.show_model(self.model_combo.currentData()))
        self.sheet_label = QLabel("", objectName="reviewSheet")
        self.sheet_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_other = QPushButton(self.tr("Open another sheet…"), objectName="reviewOpenOther")
        self.open_other.setToolTip(self.tr("A sheet with the same text and label columns as the model's"))
        self.open_other.clicked.connect(self._browse_sheet)
        self.saved = QLabel("", objectName="reviewSaved")
        self.saved.setWordWrap(True)
        self.error = error_label("reviewError")

        self.find_button = QPushButton(self.tr("Find suspicious labels"), objectName="reviewFind")
        self.find_button.clicked.connect(lambda: self.find_suspects())
        self.method = QComboBox(objectName="reviewMethod")
        for text, key in METHODS:
            self.method.addItem(translate("ReviewPage", text), key)
        self.flagged_only = QCheckBox(self.tr("Flagged only"), objectName="reviewFlaggedOnly")
        self.flagged_only.setToolTip(self.tr("Only the rows confident learning counts as label errors; "
                                             "otherwise every labeled row, most suspicious first"))
        self.flagged_only.toggled.connect(lambda _on: self._show_suspects())
        self.suspect_model = ReviewModel(self.tr("Suggested"), self.tr("Suspicion"))
        self.suspect_table = self._table(self.suspect_model, "reviewSuspects")
        self.suggest_button = QPushButton(self.tr("Suggest rows to label"), objectName="reviewSuggest")
        self.suggest_button.clicked.connect(lambda: self.suggest())
        self.n_rows = QSpinBox(objectName="reviewSuggestCount")
        self.n_rows.setRange(1, 500)
        self.n_rows.setValue(20)
        self.n_rows.setSuffix(self.tr(" rows"))
        self.next_model = ReviewModel(self.tr("Predicted"), self.tr("Confidence"))
        self.next_table = self._table(self.next_model, "reviewNext")

        self.tabs = QTabWidget(objectName="reviewTabs")
        self.tabs.addTab(self._tab([self.find_button, self.method, self.flagged_only], self.suspect_table),
                         self.tr("Suspicious labels"))
        self.tabs.addTab(self._tab([self.suggest_button, self.n_rows], self.next_table), self.tr("Label next"))
        self.tabs.currentChanged.connect(lambda _i: self._update_buttons())
        self.keys = QLabel("", objectName="reviewKeys")
        self.keys.setWordWrap(True)

        self.progress = QProgressBar(objectName="reviewProgress")
        self.status = QLabel("", objectName="reviewStatus")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="reviewCancel")
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.retrain_button = QPushButton(self.tr("Retrain with my corrections"), objectName="reviewRetrain")
        self.retrain_button.clicked.connect(lambda: self.retrain())
        self.fine_tune = QCheckBox(self.tr("Fine-tune the whole model"), objectName="reviewFineTune")
        self.fine_tune.setToolTip(self.tr("Off: keep the encoder frozen and fit only a head on its embeddings "
                                          "(seconds; best below about 30 labeled rows per label)"))
        self.fine_tune_note = QLabel("", objectName="reviewFineTuneNote")
        self.fine_tune_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model_combo)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label, 1)
        sheet_row.addWidget(self.open_other)
        form.addRow(self.tr("Sheet"), sheet_row)
        work = QHBoxLayout()
        work.addWidget(self.progress, 1)
        work.addWidget(self.cancel_button)
        retrain = QHBoxLayout()
        retrain.addWidget(self.retrain_button)
        retrain.addWidget(self.fine_tune)
        retrain.addWidget(self.fine_tune_note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Review labels")))
        intro = QLabel(self.tr("Check the labels a model finds suspicious and label the rows it is least sure of. "
                               "Your corrections go to a copy of the sheet; the original file is never changed."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.saved)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.keys)
        layout.addLayout(work)
        layout.addWidget(self.status)
        layout.addLayout(retrain)

        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.runner.progress.connect(self._on_progress)
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.finished.connect(lambda _n: self._update_buttons())
        self.refresh_models()

    def _table(self, model: ReviewModel, name: str) -> ReviewTable:
        table = ReviewTable(model)
        table.setObjectName(name)
        header = table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for col in (SUGGESTED, SCORE, STATUS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(LABEL, 110)          # room for a label typed in an empty cell
        table.labelKey.connect(self.pick_label)
        table.keepKey.connect(self.keep_current)
        model.decided.connect(self._on_decided)
        return table

    @staticmethod
    def _tab(controls, table) -> QWidget:
        page = QWidget()
        row = QHBoxLayout()
        for w in controls:
            row.addWidget(w)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        return page

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refresh_models()
        super().showEvent(event)

    # ------------------------------------------------------------ model and sheet
    def refresh_models(self) -> None:
        from bertdesk.core.model_folder import find_models
        from bertdesk.core.tasks import TASKS
        from bertdesk.core.workspace import models_dir

        current = self.model_dir
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for model in find_models(models_dir()):
            if TASKS[model.task_name].reviewable:
                self.model_combo.addItem(model.path.name, str(model.path))
        if current and self.model_combo.findData(current) < 0 and Path(current).is_dir():
            self.model_combo.addItem(Path(current).name, current)
        if current:
            self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(current)))
        self.model_combo.blockSignals(False)
        if self.model_dir is None and self.model_combo.count():
            self.status.setText(self.tr("Choose a model to review the labels of the sheet it was trained on."))
        elif not self.model_combo.count():
            self.status.setText(self.tr("Train a classification model first: its sheet is reviewed here."))
        self._update_buttons()

    def show_model(self, model_dir: str | None, path: str | None = None, find: bool = True) -> bool:
        """Open the sheet ``model_dir`` was trained on (or ``path``) for review; with ``find``,
        start looking for suspicious labels at once (the fast way)."""
        from bertdesk.core.errors import BertdeskError

        if not model_dir:
            return False
        self.model_dir = str(model_dir)
        self.refresh_models()
        self.suspects = self.suggestions = None
        self.suspect_model.clear()
        self.next_model.clear()
        self.progress.setValue(0)
        try:
            opened = review.open_sheet(self.model_dir, path)
        except BertdeskError as exc:
            self.sheet = None
            show_error_text(self.error, str(exc))
            self.sheet_label.setText("")
            self.saved.setText("")
            self.keys.setText("")
            self._update_buttons()
            return False
        show_error_text(self.error, "")
        self.sheet = opened["sheet"]
        self.sheet_label.setText(str(self.sheet.source))
        self._show_saved()
        self._show_keys()
        counts = self.sheet.labeled_counts()
        from bertdesk.core.config import few_labels
        self.fine_tune.setChecked(not few_labels(counts))
        self._show_label_counts()
        self._show_unlabeled()
        status = (self.tr("{rows} rows, {labeled} labeled. Going on with the corrections saved earlier.")
                  if opened["resumed"] else self.tr("{rows} rows, {labeled} labeled."))
        self.status.setText(status.format(rows=f"{len(self.sheet):,}", labeled=f"{sum(counts.values()):,}"))
        self._update_buttons()
        if find and not self.runner.busy:
            self.find_suspects()
        return True

    def _show_unlabeled(self) -> None:
        self.tabs.setTabText(1, self.tr("Label next ({n} unlabeled)").format(n=f"{self.sheet.unlabeled_rows():,}"))

    def _show_label_counts(self) -> None:
        from bertdesk.core.config import FEW_LABELS_PER_CLASS, few_labels

        counts = self.sheet.labeled_counts()
        smallest = min(counts.values()) if counts else 0
        note = (self.tr("The smallest label has {n} labeled rows (under {limit}: a head on the frozen encoder "
                        "learns more from so few).") if few_labels(counts)
                else self.tr("The smallest label has {n} labeled rows."))
        self.fine_tune_note.setText(note.format(n=smallest, limit=FEW_LABELS_PER_CLASS))

    def _browse_sheet(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Sheet to review"), "", data_filter())
        if path:
            self.show_model(self.model_dir, path)

    def _show_saved(self) -> None:
        if self.sheet is None:
            return
        c = self.sheet.counts()
        where = self.sheet.copy_path
        if where.exists():
            self.saved.setText(self.tr("Corrections are saved after every change to {path} ({changed} changed, "
                                       "{kept} kept, {labeled} newly labeled).").format(
                path=where, changed=f"{c['changed']:,}", kept=f"{c['kept']:,}", labeled=f"{c['labeled']:,}"))
        else:
            self.saved.setText(self.tr("Corrections will be saved to {path} after every change.").format(path=where))

    def _show_keys(self) -> None:
        labels = list(self.sheet.labels[:9]) if self.sheet is not None else []
        keys = "  ".join(f"<b>{i + 1}</b> {name}" for i, name in enumerate(labels))
        self.keys.setText(self.tr("Keys: {keys} — <b>Enter</b> keeps the label — <b>Ctrl+Z</b> undoes — "
                                  "double-click a label to choose from a list. Each key moves to the next row.")
                          .format(keys=keys))

    # ------------------------------------------------------------ jobs
    def find_suspects(self) -> bool:
        if self.sheet is None or self.runner.busy:
            return False
        self.progress.setValue(0)
        self.status.setText(self.tr("Looking for suspicious labels…"))
        started = self.runner.start("suspects", job(review.find_suspects, self.model_dir, self.sheet.table(),
                                                    self.method.currentData()))
        self._update_buttons()
        return started

    def suggest(self) -> bool:
        if self.sheet is None or self.runner.busy:
            return False
        self.progress.setValue(0)
        self.status.setText(self.tr("Choosing the rows to label next…"))
        started = self.runner.start("suggest", job(review.suggest_next, self.model_dir, self.sheet.table(),
                                                   self.n_rows.value()))
        self._update_buttons()
        return started

    def _mine(self, name: str | None) -> bool:
        return name in JOBS

    def _on_progress(self, p) -> None:
        if not self._mine(self.runner.job_name) or not p.total:
            return
        self.progress.setValue(int(100 * p.done / p.total))
        what = translate("ReviewPage", PHASES[p.phase]) if p.phase in PHASES else p.phase.capitalize()
        line = (self.tr("{what}: {done} of {total}, about {eta} left") if p.eta_s
                else self.tr("{what}: {done} of {total}"))
        self.status.setText(line.format(what=what, done=f"{p.done:,}", total=f"{p.total:,}",
                                        eta=fmt_duration(p.eta_s) if p.eta_s else ""))

    def _on_succeeded(self, name: str, result) -> None:
        if not self._mine(name) or self.sheet is None:
            return
        self.progress.setValue(100)
        if name == "suspects":
            self.suspects = result["suspects"]
            self._show_suspects()
            self.tabs.setCurrentIndex(0)
            self.status.setText(self.tr("{flagged} of {labeled} labels look wrong (flagged); all labeled rows are "
                                        "ranked, most suspicious first ({seconds} s).").format(
                flagged=f"{result['n_flagged']:,}", labeled=f"{result['n_labeled']:,}",
                seconds=f"{result['seconds']:.0f}"))
        else:
            self.suggestions = result["suggestions"]
            self._show_suggestions()
            self.tabs.setCurrentIndex(1)
            self.status.setText(self.tr("{suggested} of {unlabeled} unlabeled rows to label next: where the model is "
                                        "least sure, spread over the data ({seconds} s).").format(
                suggested=f"{result['n_suggested']:,}", unlabeled=f"{result['n_unlabeled']:,}",
                seconds=f"{result['seconds']:.0f}"))
        table = self.current_table()
        table.setFocus()
        table.go_to(0)

    def _on_failed(self, name: str, message: str, _tb: str) -> None:
        if self._mine(name):
            self.progress.setValue(0)
            self.status.setText(self.tr("Could not finish: {message}").format(message=message))

    def _on_cancelled(self, name: str) -> None:
        if self._mine(name):
            self.progress.setValue(0)
            self.status.setText(self.tr("Cancelled."))

    def _show_suspects(self) -> None:
        if self.suspects is None or self.sheet is None:
            return
        df = self.suspects[self.suspects["suspect_rank"].notna()]
        if self.flagged_only.isChecked():
            df = df[df["suspect"].eq(True)]
        df = df.sort_values("suspect_rank")
        self.suspect_model.set_rows(self.sheet, df.index.tolist(), df["suggested_label"].astype(str).tolist(),
                                    df["suspect_score"].astype(float).tolist())

    def _show_suggestions(self) -> None:
        if self.suggestions is None or self.sheet is None:
            return
        df = self.suggestions[self.suggestions["suggest_rank"].notna()].sort_values("suggest_rank")
        self.next_model.set_rows(self.sheet, df.index.tolist(), df["pred_label"].astype(str).tolist(),
                                 df["pred_score"].astype(float).tolist())

    # ------------------------------------------------------------ deciding
    def current_table(self) -> ReviewTable:
        return self.suspect_table if self.tabs.currentIndex() == 0 else self.next_table

    def pick_label(self, i: int) -> bool:
        """Give the current row the i-th label (0-based) and go to the next row."""
        table = self.current_table()
        row = table.current_view_row()
        if self.sheet is None or row is None or i >= len(self.sheet.labels):
            return False
        model = table.model()
        if self.sheet.label(model.sheet_row(row)) == self.sheet.labels[i]:
            self._keep(table, row)
        else:
            model.setData(model.index(row, LABEL), self.sheet.labels[i])
        table.go_to(row + 1)
        return True

    def keep_current(self) -> bool:
        """Keep the current row's label (mark it reviewed) and go to the next row."""
        table = self.current_table()
        row = table.current_view_row()
        if self.sheet is None or row is None:
            return False
        self._keep(table, row)
        table.go_to(row + 1)
        return True

    def _keep(self, table, row: int) -> None:
        sheet_row = table.model().sheet_row(row)
        if self.sheet.keep(sheet_row):
            self._on_decided(sheet_row)

    def undo(self) -> int | None:
        if self.sheet is None:
            return None
        row = self.sheet.undo()
        if row is not None:
            self._on_decided(row)
            table = self.current_table()
            view_row = table.model().view_row(row)
            if view_row is not None:
                table.go_to(view_row)
            self.status.setText(self.tr("Undone: row {row} is back to “{label}”.").format(
                row=row + 2, label=self.sheet.label(row) or self.tr("(no label)")))
        return row

    def _on_decided(self, sheet_row: int) -> None:
        for model in (self.suspect_model, self.next_model):
            model.refresh(sheet_row)
        self._show_saved()
        self._show_label_counts()
        self._show_unlabeled()
        self._update_buttons()

    # ------------------------------------------------------------ retraining
    def retrain(self) -> bool:
        if self.sheet is None or self.runner.busy:
            return False
        config = review.retrain_config(self.model_dir, self.sheet, self.fine_tune.isChecked())
        self.retrainRequested.emit(config)
        return True

    def _update_buttons(self) -> None:
        ready = self.sheet is not None and not self.runner.busy
        self.find_button.setEnabled(ready)
        self.suggest_button.setEnabled(ready and self.sheet.unlabeled_rows() > 0)
        self.suggest_button.setToolTip("" if self.sheet is None or self.sheet.unlabeled_rows()
                                       else self.tr("Every row has a label: there is nothing to suggest."))
        self.retrain_button.setEnabled(ready)
        self.open_other.setEnabled(self.model_dir is not None)
        self.cancel_button.setEnabled(self._mine(self.runner.job_name))
