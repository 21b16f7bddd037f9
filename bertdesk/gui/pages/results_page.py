"""Results: metric cards, confusion matrix, per-label scores, the held-out predictions, attention."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFrame, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, QStackedWidget,
                               QTableView, QVBoxLayout, QWidget)

from ..i18n import QT_TRANSLATE_NOOP, core_text, unit_text
from ..util import add_recent, heading
from ..views.attention_view import AttentionView
from ..views.charts import ConfusionMatrixChart, PerClassChart, ReliabilityChart
from ..views.spans_view import NerBreakdown, SpanView
from ..views.table_model import PredictionsFilter, PredictionsModel

ALL_LABELS = QT_TRANSLATE_NOOP("ResultsPage", "All labels")
# what one example is called (Task.unit), shown as "held-out {unit}"
UNITS = (QT_TRANSLATE_NOOP("ResultsPage", "rows"), QT_TRANSLATE_NOOP("ResultsPage", "sentences"),
         QT_TRANSLATE_NOOP("ResultsPage", "texts"), QT_TRANSLATE_NOOP("ResultsPage", "questions"))
# the notes app.results.evaluation gives instead of predictions
NOTES = (QT_TRANSLATE_NOOP("ResultsPage", "A pre-trained model fills in masked words: try it below."),
         QT_TRANSLATE_NOOP("ResultsPage", "The training file is no longer where it was: predictions cannot be "
                                          "rebuilt."))


class MetricCard(QFrame):
    def __init__(self, key: str, title: str) -> None:
        super().__init__(objectName=f"card_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–", objectName=f"cardValue_{key}")
        font = self.value.font()
        font.setPointSize(20)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(title)
        self.delta = QLabel("", objectName=f"cardDelta_{key}")
        self.delta.hide()
        self.note = QLabel("", objectName=f"cardNote_{key}")
        self.note.setStyleSheet("color: #616161;")
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addWidget(self.note)
        layout.addWidget(self.delta)

    def show_note(self, text: str, tooltip: str = "") -> None:
        self.note.setText(text)
        self.note.setToolTip(tooltip)
        self.note.setVisible(bool(text))

    def show_delta(self, points: float | None, against: str = "") -> None:
        """The change from a previous model, in percentage points (None: hide)."""
        if points is None:
            self.delta.hide()
            return
        arrow, colour = ("▲", "#2e7d32") if points > 0.05 else ("▼", "#c62828") if points < -0.05 else ("=", "#555")
        self.delta.setText(self.tr("{arrow} {points} pts vs {against}").format(
            arrow=arrow, points=f"{points:+.1f}", against=against))
        self.delta.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.delta.show()


class ResultsPage(QWidget):
    predictionsShown = Signal()
    reviewRequested = Signal(str)          # model folder whose sheet to review

    def __init__(self, runner, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model_dir: str | None = None
        self.meta: dict | None = None
        self.folder = None
        self._pending: str | None = None
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._start_pending)

        self.title = heading(self.tr("No model yet"))
        self.title.setObjectName("resultsTitle")
        self.review_button = QPushButton(self.tr("Review labels…"), objectName="resultsReview")
        self.review_button.setToolTip(self.tr("Check the labels this model finds suspicious and label the rows it "
                                              "is least sure of, then retrain"))
        self.review_button.clicked.connect(lambda: self.model_dir and self.reviewRequested.emit(self.model_dir))
        self.review_button.hide()
        self.status = QLabel(self.tr("Train a model, or open one from the Models page."), objectName="resultsStatus")
        self.status.setWordWrap(True)
        self.warnings = QLabel("", objectName="resultsWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("background: #fff3cd; color: #6d4c00; border: 1px solid #f0c36d; "
                                    "border-radius: 4px; padding: 6px;")
        self.warnings.hide()
        self.cards_row = QHBoxLayout()
        self.cards: dict[str, MetricCard] = {}

        self.confusion = ConfusionMatrixChart()
        self.confusion.setObjectName("confusionMatrix")
        self.confusion.cellClicked.connect(self.filter_cell)
        self.per_class = PerClassChart()
        self.per_class.setObjectName("perClassChart")
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.confusion)
        charts.addWidget(self.per_class)
        self.ner_breakdown = NerBreakdown()
        self.ner_breakdown.setObjectName("nerBreakdown")
        self.top_stack = QStackedWidget(objectName="resultsTopStack")
        self.top_stack.addWidget(charts)
        self.top_stack.addWidget(self.ner_breakdown)
        self.reliability = ReliabilityChart()
        self.reliability.setObjectName("reliabilityChart")
        self.reliability.setToolTip(self.tr("How far to trust a score: for each band of predicted confidence, how "
                                            "often the model was right on the held-out rows. Scores are scaled by a "
                                            "temperature fitted on those rows; ECE is the average gap, lower is "
                                            "better."))
        self.top = QSplitter(Qt.Orientation.Horizontal, objectName="resultsTop")
        self.top.addWidget(self.top_stack)
        self.top.addWidget(self.reliability)
        self.top.setSizes([820, 300])

        self.model = PredictionsModel()
        self.proxy = PredictionsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(objectName="predictionsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.search = QLineEdit(objectName="predSearch")
        self.search.setPlaceholderText(self.tr("Search texts…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.errors_only = QCheckBox(self.tr("Errors only"), objectName="predErrorsOnly")
        self.label_filter = QComboBox(objectName="predLabel")
        self.low_conf = QCheckBox(self.tr("Confidence below"), objectName="predLowConfidence")
        self.threshold = QDoubleSpinBox(objectName="predThreshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(0.7)
        self.clear_cell = QPushButton(self.tr("Clear cell filter"), objectName="predClearCell")
        self.clear_cell.hide()
        self.clear_cell.clicked.connect(lambda: self.filter_cell(None, None))
        self.count = QLabel("", objectName="predCount")
        for w in (self.errors_only, self.low_conf):
            w.toggled.connect(self._apply_filters)
        self.label_filter.currentIndexChanged.connect(self._apply_filters)
        self.threshold.valueChanged.connect(self._apply_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.errors_only)
        filters.addWidget(self.label_filter)
        filters.addWidget(self.low_conf)
        filters.addWidget(self.threshold)
        filters.addWidget(self.clear_cell)
        preds = QWidget()
        pl = QVBoxLayout(preds)
        pl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("<b>Predictions on the held-out rows</b>")))
        head.addStretch(1)
        head.addWidget(self.count)
        pl.addLayout(head)
        pl.addLayout(filters)
        pl.addWidget(self.table, 1)
        self.attention = AttentionView()
        self.attention.setObjectName("attentionView")
        self.spans = SpanView()
        self.spans.setObjectName("spanView")
        from ..views.attribution_view import ExplainingPanel

        self.why = ExplainingPanel()             # NER and QA: which words made the model find that
        self.why.setObjectName("resultsWhy")
        span_page = QSplitter(Qt.Orientation.Vertical)
        span_page.addWidget(self.spans)
        span_page.addWidget(self.why)
        span_page.setSizes([320, 240])
        self.span_page = span_page
        from ..views.fill_mask_view import FillMaskView

        self.fill_mask = FillMaskView()         # pre-trained models: fill in the blank
        self.fill_mask.setObjectName("fillMaskView")
        self.detail = QStackedWidget(objectName="resultsDetail")
        self.detail.addWidget(self.attention)
        self.detail.addWidget(span_page)
        self.detail.addWidget(self.fill_mask)
        self.details: list | None = None
        self._chart_queue: list = []
        bottom = QSplitter(Qt.Orientation.Horizontal)
        self.preds_panel = preds
        bottom.addWidget(preds)
        bottom.addWidget(self.detail)
        bottom.setSizes([640, 480])              # the table's text column wants the room
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(self.top)
        main.addWidget(bottom)
        main.setSizes([250, 520])
        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.review_button)
        layout.addLayout(title_row)
        layout.addWidget(self.status)
        layout.addWidget(self.warnings)
        layout.addLayout(self.cards_row)
        layout.addWidget(main, 1)

    # ------------------------------------------------------------ loading
    def show_model(self, model_dir: str) -> None:
        from bertdesk.core.model_folder import try_open

        folder = try_open(model_dir)
        if folder is None:
            self.status.setText(self.tr("{folder} is not a bertdesk model folder.").format(folder=model_dir))
            return
        self.model_dir, self.meta, self.folder = str(model_dir), folder.meta, folder
        add_recent("recent/models", self.model_dir)
        self.title.setText(self.tr("Results: {name}").format(name=Path(model_dir).name))
        self._show_metrics(folder)
        self.review_button.setVisible(self.task_class.reviewable)
        self.model.set_frame(None)
        self.details = None
        self.spans.clear()
        task = self.task_class
        view = task.results_view
        spans = view in ("entities", "answers")
        self.detail.setCurrentWidget({"entities": self.span_page, "answers": self.span_page,
                                      "fill-mask": self.fill_mask}.get(view, self.attention))
        self.attention.set_model(self.model_dir if view == "classes" else None)
        self.why.set_model(self.model_dir if spans else None)
        self.fill_mask.set_model(self.model_dir if view == "fill-mask" else None)
        self.preds_panel.setVisible(view != "fill-mask")
        self.search.setPlaceholderText(core_text(task.search_hint))
        self.proxy.set_roles(task.eval_roles)
        self.filter_cell(None, None)
        self._pending = self.model_dir
        self._start_pending()

    def _start_pending(self, *_):
        if self._pending is None or self.runner.busy:
            if self._pending is not None:
                self.status.setText(self.tr("Waiting for the running job ({job}) to finish…").format(
                    job=self.runner.job_name))
            return
        from bertdesk.app.results import evaluation

        from ..workers import job

        model_dir, self._pending = self._pending, None
        self.status.setText(self.tr("Computing predictions on the held-out rows…"))
        self.runner.start("evaluate", job(evaluation, model_dir))

    @property
    def task_class(self):
        from bertdesk.core.tasks import TASKS
        return TASKS[(self.meta or {}).get("task", "classify")]

    def _unit(self) -> str:
        """What one example of the task is called, in the interface's language ("rows", "sentences"…)."""
        return self.tr(self.task_class.unit)

    def _show_metrics(self, folder) -> None:
        meta, metrics, task = folder.meta, folder.metrics, self.task_class
        while self.cards_row.count():
            item = self.cards_row.takeAt(0)
            if item.widget():
                item.widget().hide()          # gone at once, not when the event loop gets to deleting it
                item.widget().deleteLater()
        self.cards = {}
        for key, title in task.cards:
            if isinstance(metrics.get(key), (int, float)):
                card = MetricCard(key, core_text(title))
                plain = key in task.plain_cards
                card.value.setText(f"{metrics[key]:,.1f}" if plain else f"{metrics[key]:.1%}")
                before = (metrics.get("before") or {}).get(key)
                if isinstance(before, (int, float)):
                    card.show_note(self.tr("before training: {value}").format(
                        value=f"{before:,.1f}" if plain else f"{before:.1%}"))
                self.cards[key] = card
                self.cards_row.addWidget(card)
        self._show_trust(metrics, task)
        info = MetricCard("rows", self.tr("Training / held-out {unit}").format(unit=self._unit()))
        info.value.setText(f"{meta.get('n_train', '?')} / {meta.get('n_eval', '?')}")
        self.cards_row.addWidget(info)
        self.cards_row.addStretch(1)
        labels = metrics.get("labels") or folder.labels
        view = task.results_view
        self.top.setVisible(view not in ("answers", "fill-mask"))
        if view == "entities":
            self.top_stack.setCurrentWidget(self.ner_breakdown)
            self.ner_breakdown.set_metrics(metrics)
            types = sorted((metrics.get("per_type") or {}).keys()) or list(metrics.get("labels") or [])
            self.spans.set_types(types)
            labels = types            # the label filter picks sentences with an entity of that type
        else:
            self.top_stack.setCurrentIndex(0)
        charts = view == "classes"
        self.confusion.setVisible(charts and bool(metrics.get("confusion_matrix")))
        # one chart per event-loop turn: each matplotlib draw is tens of milliseconds, and the
        # window should repaint (and the cards show) in between
        self._chart_queue = []
        if charts and metrics.get("confusion_matrix"):
            self._chart_queue.append(lambda: self.confusion.set_matrix(metrics["confusion_matrix"], labels))
        if charts and metrics.get("per_class"):
            self._chart_queue.append(lambda: self.per_class.set_scores(metrics["per_class"]))
        self.reliability.setVisible(bool(metrics.get("calibration")))
        if metrics.get("calibration"):
            self._chart_queue.append(lambda: self.reliability.set_report(metrics["calibration"]))
        QTimer.singleShot(0, self._draw_next_chart)
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem(self.tr(ALL_LABELS), None)      # the filter reads itemData, not the text
        for label in labels:
            self.label_filter.addItem(str(label), str(label))
        self.label_filter.setToolTip(self.tr("Only sentences with an entity of this type (gold or predicted)")
                                     if view == "entities" else
                                     self.tr("Only rows whose true or predicted label is this one"))
        self.label_filter.setVisible(view != "answers")
        self.label_filter.blockSignals(False)

    def _show_trust(self, metrics: dict, task) -> None:
        """The baseline under the main metric's card, and the warnings about what the model missed."""
        base = metrics.get("baseline") or {}
        card = self.cards.get(task.main_metric)
        if card is not None and isinstance(base.get(task.main_metric), (int, float)):
            card.show_note(self.tr("baseline {score}: {name}").format(score=f"{base[task.main_metric]:.1%}",
                                                                          name=self._baseline_name(base)),
                           self.tr("What a model that ignores the text scores on the same held-out rows"))
        facts = metrics.get("warning_facts")
        warnings = [self._warning(f, base, task) for f in facts] if isinstance(facts, list) \
            else list(metrics.get("warnings") or [])        # a model trained before the facts were kept
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def _baseline_name(self, base: dict) -> str:
        """The trivial baseline's name: "always “X”" in the interface's language, else the core's."""
        if "always" in base:
            return self.tr("always “{label}”").format(label=base["always"])
        return base.get("name", "")

    def _warning(self, fact: dict, base: dict, task) -> str:
        """One warning of the core's (``core.trust.warning_facts``) in the interface's language."""
        advice = self.tr("Try more epochs or a higher learning rate, class weights (Settings → Advanced) when some "
                         "labels are rare, more labeled rows, or a model that knows the texts' language.")
        if fact.get("kind") == "missed":
            listed = ", ".join(self.tr("“{label}” ({n} held-out {unit})").format(
                label=label, n=f"{n:,}", unit=unit_text(fact.get("unit", "rows"))) for label, n in fact["labels"])
            return self.tr("The model never predicts {labels}.").format(labels=listed) + " " + advice
        metric = core_text(dict(task.cards).get(fact["metric"], fact["metric"]))
        return self.tr("The model does no better than {baseline} ({metric} {value} against {trivial}).").format(
            baseline=self._baseline_name(base), metric=metric, value=f"{fact['value']:.1%}", trivial=f"{fact['baseline']:.1%}") \
            + " " + advice

    def _draw_next_chart(self) -> None:
        if self._chart_queue:
            self._chart_queue.pop(0)()
            if self._chart_queue:
                QTimer.singleShot(15, self._draw_next_chart)

    def _on_succeeded(self, name: str, result) -> None:
        if name != "evaluate" or result.get("model_dir") != self.model_dir:
            return
        df = result.get("predictions")
        if df is None:
            note = result.get("note")
            self.status.setText(self.tr(note) if note else self.tr("No predictions."))
            return
        self.details = result.get("details")
        self.model.set_frame(df)
        header = self.table.horizontalHeader()
        text_col = self.model.column_index(self.proxy.roles["text"])
        for c in range(self.model.columnCount()):
            if c != text_col:
                self.table.resizeColumnToContents(c)
        header.setSectionResizeMode(text_col, QHeaderView.ResizeMode.Stretch)
        wrong = int((~df["correct"]).sum())
        task = self.task_class
        compared = self._show_previous(result.get("previous"), len(df))
        summary = self.tr("{n} held-out {unit}, {wrong} wrong. Trained on {file} ({task}), {device}, {seconds} s. ")
        self.status.setText(summary.format(n=len(df), unit=self._unit(), wrong=wrong,
                                           file=Path(self.folder.config.train_file).name, task=task.name,
                                           device=self.meta.get("device", ""),
                                           seconds=f"{self.meta.get('train_seconds', 0):.0f}")
                            + compared + core_text(task.select_hint))
        self._apply_filters()
        self.predictionsShown.emit()

    def _show_previous(self, previous: dict | None, n_rows: int) -> str:
        """Each card's change from the model this one was retrained from, measured on the same
        held-out rows; the sentence that says so ("" when there is none)."""
        metrics = self.folder.metrics if self.folder is not None else {}
        for key, card in self.cards.items():
            before = (previous or {}).get("metrics", {}).get(key)
            now = metrics.get(key)
            ok = isinstance(before, (int, float)) and isinstance(now, (int, float))
            card.show_delta(100 * (now - before) if ok else None, (previous or {}).get("name", ""))
        if not previous:
            return ""
        return self.tr("Compared with “{name}” on the same {n} held-out {unit}. ").format(
            name=previous["name"], n=n_rows, unit=self._unit())

    def _on_failed(self, name: str, message: str, tb: str) -> None:
        if name == "evaluate":
            self.status.setText(self.tr("Could not compute predictions: {message}").format(message=message))

    # ------------------------------------------------------------ filters
    def _apply_filters(self) -> None:
        label = self.label_filter.currentData()       # None: all labels
        self.proxy.set_filters(search=self.search.text(), errors_only=self.errors_only.isChecked(),
                               label=label or None,
                               below=self.threshold.value() if self.low_conf.isChecked() else None)
        self._show_count()

    def filter_cell(self, true: str | None, pred: str | None) -> None:
        cell = None if true is None else (true, pred)
        self.proxy.set_filters(cell=cell)
        self.clear_cell.setVisible(cell is not None)
        if cell:
            self.clear_cell.setText(self.tr("true “{true}” → predicted “{predicted}”  ✕").format(
                true=true, predicted=pred))
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(self.tr("{shown} of {total} rows").format(shown=f"{self.proxy.rowCount():,}",
                                                                    total=f"{self.model.rowCount():,}"))

    def _row_selected(self, current, _previous) -> None:
        if not current.isValid():
            return
        source = self.proxy.mapToSource(current)
        record = self.model.record(source.row())
        df, roles, view = self.model.df, self.proxy.roles, self.task_class.results_view
        if view == "entities" and self.details:
            self.spans.show_ner(self.details[record])
            self.why.explain(self.details[record]["text"])
        elif view == "answers" and self.details:
            question = str(df[roles["text"]].iloc[record])
            self.spans.show_qa(question, self.details[record],
                               str(df[roles["predicted"]].iloc[record]), str(df[roles["true"]].iloc[record]))
            self.why.explain(question, self.details[record]["text"])
        else:
            self.attention.show_text(str(df[roles["text"]].iloc[record]))

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.proxy.index(row, 0))
