"""Step 2: what to learn (task), from which columns, and how to evaluate. Problems show inline."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QVBoxLayout, QWidget)

from bertdesk.app.columns import check_columns
from bertdesk.app.sources import is_large
from bertdesk.core.formats import FILE_FORMATS
from bertdesk.core.tasks import FINE_TUNING, suggest_task

from ..i18n import QT_TRANSLATE_NOOP, core_text, translate, unit_text
from ..util import data_filter, error_label, show_error_text
from ..views.charts import LabelDistributionChart
from ..workers import JobRunner, job
from .base import WizardPage

NONE = QT_TRANSLATE_NOOP("TaskPage", "(none)")     # an optional column's first item (its data: None)
TASK_LIST = list(FINE_TUNING.values())


class TaskPage(WizardPage):
    title = QT_TRANSLATE_NOOP("TaskPage", "2 · Task & columns")
    subtitle = QT_TRANSLATE_NOOP("TaskPage", "Choose what the model should learn and which columns hold the text "
                                 "and the labels.")

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.examples = None
        self.counts: dict = {}
        self.n_train = self.n_eval = 0
        self.resolved_columns: dict = {}
        self._table_id = None
        self.checking = False             # a large file's columns are being checked in a worker
        self._generation = 0
        self._queued: dict | None = None
        self._checker = JobRunner(self)
        self._checker.succeeded.connect(self._on_checked)
        self._checker.failed.connect(self._on_check_failed)
        self.task_group = QButtonGroup(self)
        task_box = QGroupBox(self.tr("Task"))
        task_layout = QVBoxLayout(task_box)
        for i, choice in enumerate(TASK_LIST):
            radio = QRadioButton(core_text(choice.choice_title), objectName=f"taskRadio_{choice.name}")
            radio.setToolTip(core_text(choice.description))
            self.task_group.addButton(radio, i)
            task_layout.addWidget(radio)
            hint = QLabel(core_text(choice.description))
            hint.setStyleSheet("color: palette(mid); margin-left: 22px;")
            hint.setWordWrap(True)
            task_layout.addWidget(hint)
        self.task_group.button(0).setChecked(True)
        self.format_note = QLabel("", objectName="columnsFormatNote")
        self.format_note.setWordWrap(True)
        self.task_group.idToggled.connect(lambda _id, on: on and self._task_changed())

        self.columns_box = QGroupBox(self.tr("Columns"))
        self.columns_form = QFormLayout(self.columns_box)
        self.columns_form.addRow(self.format_note)
        self.combos: dict[str, QComboBox] = {}

        eval_box = QGroupBox(self.tr("Evaluation"))
        self.eval_split = QRadioButton(self.tr("Hold back part of the rows"), objectName="evalSplit")
        self.eval_fraction = QDoubleSpinBox(objectName="evalFraction")
        self.eval_fraction.setRange(5, 50)
        self.eval_fraction.setSingleStep(5)
        self.eval_fraction.setDecimals(0)
        self.eval_fraction.setSuffix(" %")
        self.eval_fraction.setValue(20)
        self.eval_file_radio = QRadioButton(self.tr("Use a separate evaluation file"), objectName="evalFile")
        self.eval_path = QLineEdit(objectName="evalFilePath")
        self.eval_path.setPlaceholderText(self.tr("evaluation file with the same columns"))
        self.eval_browse = QPushButton(self.tr("Browse…"), objectName="evalBrowse")
        self.eval_split.setChecked(True)
        split_row = QHBoxLayout()
        split_row.addWidget(self.eval_split)
        split_row.addWidget(self.eval_fraction)
        split_row.addStretch(1)
        file_row = QHBoxLayout()
        file_row.addWidget(self.eval_file_radio)
        file_row.addWidget(self.eval_path, 1)
        file_row.addWidget(self.eval_browse)
        eval_layout = QVBoxLayout(eval_box)
        eval_layout.addLayout(split_row)
        eval_layout.addLayout(file_row)
        self.eval_split.toggled.connect(self.validate)
        self.eval_fraction.valueChanged.connect(self.validate)
        self.eval_path.editingFinished.connect(self.validate)
        self.eval_browse.clicked.connect(self._browse_eval)

        self.error = error_label("columnsError")
        self.summary = QLabel("", objectName="columnsSummary")
        self.summary.setWordWrap(True)
        self.imbalance_note = QLabel("", objectName="columnsImbalance")
        self.imbalance_note.setWordWrap(True)
        self.imbalance_note.setStyleSheet("color: #6d4c00;")
        self.imbalance_note.hide()
        self.chart = LabelDistributionChart()
        self.chart.setObjectName("labelChart")

        left = QVBoxLayout()
        left.addWidget(task_box)
        left.addWidget(self.columns_box)
        left.addWidget(eval_box)
        left.addStretch(1)
        left_w = QWidget()
        left_w.setLayout(left)
        left_w.setMaximumWidth(520)
        right = QVBoxLayout()
        right.addWidget(self.error)
        right.addWidget(self.summary)
        right.addWidget(self.imbalance_note)
        right.addWidget(self.chart, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(left_w)
        layout.addLayout(right, 1)

    # ------------------------------------------------------------ state
    @property
    def choice(self):
        return TASK_LIST[max(0, self.task_group.checkedId())]

    def set_task(self, name: str) -> None:
        for i, choice in enumerate(TASK_LIST):
            if choice.name == name:
                self.task_group.button(i).setChecked(True)

    def columns(self) -> dict:
        """The chosen column of each role (by the items' data, so "(none)" reads the same in any language)."""
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData()}

    def eval_file(self) -> str | None:
        return self.eval_path.text().strip() or None if self.eval_file_radio.isChecked() else None

    def is_complete(self) -> bool:
        return self.examples is not None and not self.checking

    def enter(self) -> None:
        table = self.wizard.data_page.table
        if table is not None and id(table) != self._table_id:
            self._table_id = id(table)
            self._enable_tasks(table)
            suggested = suggest_task(table)
            if suggested and suggested != self.choice.name:
                self.set_task(suggested)      # rebuilds the combos through _task_changed
            self._build_combos()
        self.validate()

    def _enable_tasks(self, table) -> None:
        """A CoNLL or SQuAD file suits one task only; tables suit them all."""
        for i, choice in enumerate(TASK_LIST):
            ok = table.format not in FILE_FORMATS or table.format in choice.file_formats
            self.task_group.button(i).setEnabled(ok)

    def file_format(self) -> str | None:
        """"conll"/"squad" when the data file is one (its columns come from the format), else None."""
        table = self.wizard.data_page.table
        return table.format if table is not None and table.format in FILE_FORMATS else None

    def _task_changed(self) -> None:
        self._build_combos()
        self.validate()

    def _build_combos(self) -> None:
        table = self.wizard.data_page.table
        while self.columns_form.rowCount() > 1:
            self.columns_form.removeRow(1)
        self.combos = {}
        fmt = self.file_format()
        self.format_note.setText({"conll": self.tr("A CoNLL file: one word and its tag per line; the columns "
                                                   "come from the format."),
                                  "squad": self.tr("A SQuAD file: contexts, questions and answers come from the "
                                                   "JSON structure.")}.get(fmt, ""))
        self.format_note.setVisible(bool(fmt))
        if table is None or fmt:
            return
        columns = [str(c) for c in table.df.columns]
        chosen: dict = {}
        for role in self.choice.roles:
            combo = QComboBox(objectName=f"column_{role.key}")
            if role.optional:
                combo.addItem(translate("TaskPage", NONE))      # no data: no column
            for column in columns:
                combo.addItem(column, column)
            guess = role.guess(table.df, chosen.values())
            if guess in columns:
                combo.setCurrentIndex(combo.findData(guess))
            elif role.optional:
                combo.setCurrentIndex(0)
            chosen[role.key] = combo.currentData() or None
            combo.setToolTip(core_text(role.help))
            combo.currentIndexChanged.connect(self.validate)
            self.combos[role.key] = combo
            self.columns_form.addRow(core_text(role.label), combo)

    def _browse_eval(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Evaluation data"), "", data_filter())
        if path:
            self.eval_path.setText(path)
            self.eval_file_radio.setChecked(True)
            self.validate()

    # ------------------------------------------------------------ validation
    def validate(self) -> bool:
        """Run the core's own checks on the chosen columns; the first problem is shown in red.

        Small files are checked at once; a large one (or a large evaluation file) in a worker, with
        Next disabled and "Checking…" shown until the answer comes (the newest request wins)."""
        self.eval_fraction.setEnabled(self.eval_split.isChecked())
        self.eval_path.setEnabled(self.eval_file_radio.isChecked())
        self.eval_browse.setEnabled(self.eval_file_radio.isChecked())
        table = self.wizard.data_page.table
        self.examples = None
        self._generation += 1
        if table is None:
            self._show_check({"problem": self.tr("Open a data file first (step 1).")})
            return False
        request = {"table": table, "task": self.choice.name, "columns": self.columns(),
                   "use_eval_file": self.eval_file_radio.isChecked(), "eval_file": self.eval_file(),
                   "eval_fraction": self.eval_fraction.value() / 100, "seed": self._seed(),
                   "read_options": self.wizard.data_page.read_options(), "generation": self._generation}
        eval_large = bool(request["use_eval_file"] and request["eval_file"] and is_large(request["eval_file"]))
        if is_large(table.path) or eval_large:
            self.checking = True
            self._queued = request
            self.summary.setText(self.tr("Checking the columns on every row…"))
            show_error_text(self.error, "")
            self.completeChanged.emit()
            if not self._checker.busy:
                self._start_check()
            return False
        self._queued = None
        self.checking = False
        self._show_check(check_columns(**request))
        return self.examples is not None

    def imbalanced(self) -> bool:
        """Whether the checked data's largest label has IMBALANCE_RATIO times the smallest's rows
        (and the task can weigh its labels)."""
        from bertdesk.core.config import IMBALANCE_RATIO, imbalance

        return self.choice.weighs_labels and imbalance(self.counts) >= IMBALANCE_RATIO

    def _show_imbalance(self, counts: dict) -> None:
        if not counts or not self.imbalanced():
            self.imbalance_note.hide()
            return
        (big, n_big), (small, n_small) = max(counts.items(), key=lambda kv: kv[1]), min(counts.items(),
                                                                                        key=lambda kv: kv[1])
        self.imbalance_note.setText(
            self.tr("“{big}” has {ratio} times the rows of “{small}” ({n_big} against {n_small}): rare labels "
                    "will weigh more in training (Settings → Advanced → class weights).").format(
                big=big, small=small, ratio=f"{n_big / max(n_small, 1):.0f}", n_big=f"{n_big:,}",
                n_small=f"{n_small:,}"))
        self.imbalance_note.show()

    def _seed(self) -> int:
        """The random seed of the Settings step: the held-out split depends on it."""
        settings = getattr(self.wizard, "settings_page", None)
        return settings.seed.value() if settings is not None else 42

    def _start_check(self) -> None:
        request, self._queued = self._queued, None
        if request is not None:
            self._checker.start("check", job(check_columns, **request))

    def _on_checked(self, _name, result) -> None:
        if self._queued is not None:          # the user changed something meanwhile: check that instead
            self._start_check()
            return
        if result.get("generation") == self._generation:
            self.checking = False
            self._show_check(result)

    def _on_check_failed(self, _name, message, _tb) -> None:
        if self._queued is not None:
            self._start_check()
            return
        self.checking = False
        self._show_check({"problem": message})

    def _summary(self, result: dict) -> str:
        """How many rows are usable, how they are split, and why others are left out."""
        values = {"n": f"{result['n_usable']:,}", "unit": unit_text(result["unit"]),
                  "train": f"{result['n_train']:,}", "eval": f"{result['n_eval']:,}"}
        if result.get("label_noun"):
            text = self.tr("{n} usable {unit} → {train} for training, {eval} for evaluation; {labels} {noun}.").format(
                labels=f"{result['n_labels']:,}", noun=unit_text(result["label_noun"]), **values)
        else:
            text = self.tr("{n} usable {unit} → {train} for training, {eval} for evaluation.").format(**values)
        for why, n in (result.get("skipped") or {}).items():
            if why == "no label":
                text += " " + self.tr("{n} without a label (left out of training; they can be labeled on the "
                                      "Review page).").format(n=f"{n:,}")
            else:
                text += " " + self.tr("{n} skipped ({why}).").format(n=f"{n:,}", why=why)
        return text

    def _show_check(self, result: dict) -> bool:
        problem = result.get("problem", "")
        counts = result.get("counts") or {}
        self.counts = counts
        self.examples = result.get("examples")
        if self.examples is not None:
            self.resolved_columns = result["resolved_columns"]
            self.n_train, self.n_eval = result["n_train"], result["n_eval"]
            self.summary.setText(self._summary(result))
        if problem:
            self.summary.setText("")
        show_error_text(self.error, problem)
        if counts:
            self.chart.set_counts(counts)
        self._show_imbalance(counts if self.examples is not None else {})
        self.completeChanged.emit()
        return self.examples is not None
