"""Step 4: a preset, optional advanced settings, and a rough time estimate."""

from __future__ import annotations

from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout)

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import fmt_duration, show_error
from .base import WizardPage

PRESET_NAMES = ["quick", "balanced", "thorough"]   # the core's presets (the combo's item data)
PRESET_TEXTS = {"quick": QT_TRANSLATE_NOOP("SettingsPage", "quick"),
                "balanced": QT_TRANSLATE_NOOP("SettingsPage", "balanced"),
                "thorough": QT_TRANSLATE_NOOP("SettingsPage", "thorough")}
METHODS = [(QT_TRANSLATE_NOOP("SettingsPage", "Fine-tune the whole model"), "finetune"),
           (QT_TRANSLATE_NOOP("SettingsPage", "Quick start: a head on the frozen encoder (seconds)"), "frozen")]
LONG_TEXT_CHOICES = [(QT_TRANSLATE_NOOP("SettingsPage", "Read all of it, in overlapping windows"), "window"),
                     (QT_TRANSLATE_NOOP("SettingsPage", "Cut at the maximum length (faster)"), "truncate")]
CUSTOM = "custom"                                   # the preset combo's item data for edited values
CUSTOM_TEXT = QT_TRANSLATE_NOOP("SettingsPage", "custom")
# "<Unit> read all of their text in overlapping windows." for each task's unit (Task.unit)
WINDOW_NOTES = {"rows": QT_TRANSLATE_NOOP("SettingsPage", "Rows read all of their text in overlapping windows."),
                "sentences": QT_TRANSLATE_NOOP("SettingsPage",
                                               "Sentences read all of their text in overlapping windows."),
                "questions": QT_TRANSLATE_NOOP("SettingsPage",
                                               "Questions read all of their text in overlapping windows."),
                "texts": QT_TRANSLATE_NOOP("SettingsPage", "Texts read all of their text in overlapping windows.")}


def quote_path(path: str) -> str:
    import shlex
    import sys
    return f'"{path}"' if sys.platform == "win32" else shlex.quote(path)


def job_commands(path: str, gpus: int, out_dir: str | None = None) -> str:
    """The command lines that run a saved job without the app: here, and on several GPUs.

    ``out_dir``: the model folder, named on the command line when it lies outside the job file's
    folder (a job file alone may only write beside itself)."""
    job = quote_path(path) + (f" --out {quote_path(out_dir)}" if out_dir else "")
    here = translate("SettingsPage", "run it here, without the window")
    several = translate("SettingsPage", "on one machine with {gpus} GPUs").format(gpus=gpus)
    return (f"# {here}\nbertdesk-cli train --job {job}\n\n"
            f"# {several}\n"
            f"torchrun --nproc_per_node {gpus} -m bertdesk.cli train --job {job}\n")


class SettingsPage(WizardPage):
    title = QT_TRANSLATE_NOOP("SettingsPage", "4 · Settings")
    subtitle = QT_TRANSLATE_NOOP("SettingsPage", "Pick a preset; change the details only if you know why.")

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        from bertdesk.core.config import TrainConfig

        defaults = TrainConfig()
        self.estimate = QLabel("", objectName="settingsEstimate")
        self.estimate.setWordWrap(True)
        font = self.estimate.font()
        font.setBold(True)
        self.estimate.setFont(font)
        self.method = QComboBox(objectName="settingsMethod")
        for label, key in METHODS:
            self.method.addItem(translate("SettingsPage", label), key)
        self.method.setToolTip(self.tr("Fine-tuning changes every weight of the model (minutes to hours). The quick "
                                       "start keeps the pre-trained encoder as it is and fits only a classifier on "
                                       "its view of each text (seconds): better when there are few labeled rows."))
        self.method.currentIndexChanged.connect(self._method_changed)
        self.method_note = QLabel("", objectName="settingsMethodNote")
        self.method_note.setWordWrap(True)
        self._method_for = None
        self.preset = QComboBox(objectName="settingsPreset")
        for name in PRESET_NAMES:                        # compared by item data, never by the shown text
            self.preset.addItem(translate("SettingsPage", PRESET_TEXTS[name]), name)
        self.preset.addItem(translate("SettingsPage", CUSTOM_TEXT), CUSTOM)
        self.epochs = self._double("settingsEpochs", 0.1, 100, 1, 0.5)
        self.batch = self._int("settingsBatch", 1, 512)
        self.lr = self._double("settingsLearningRate", 1e-6, 1e-2, 6, 1e-5)
        self.max_length = self._int("settingsMaxLength", 16, 512)
        self.max_length.setSingleStep(16)
        self.long_text = QComboBox(objectName="settingsLongText")
        for label, mode in LONG_TEXT_CHOICES:
            self.long_text.addItem(translate("SettingsPage", label), mode)
        self.long_text.setToolTip(self.tr("Windows read every word of a long text and combine what the model "
                                          "sees in each; cutting is faster but ignores the end of the text"))
        self.long_text.currentIndexChanged.connect(self.update_estimate)
        self.long_text_note = QLabel("", objectName="settingsLongTextNote")
        self.long_text_note.setWordWrap(True)
        self.warmup = self._double("settingsWarmup", 0, 0.5, 2, 0.05)
        self.warmup.setValue(defaults.warmup_ratio)
        self.weight_decay = self._double("settingsWeightDecay", 0, 0.5, 3, 0.01)
        self.weight_decay.setValue(defaults.weight_decay)
        self.seed = self._int("settingsSeed", 0, 2**31 - 1)
        self.seed.setValue(defaults.seed)
        self.class_weights = QCheckBox(self.tr("Weigh rare labels more (class weights)"),
                                       objectName="settingsClassWeights")
        self.class_weights.setToolTip(self.tr("Each label's rows count in inverse proportion to how many there "
                                              "are, so a rare label is not ignored. Turned on when the largest label "
                                              "has 5 times the rows of the smallest."))
        self._weights_for = None
        self.patience = self._int("settingsPatience", 0, 50)
        self.patience.setSpecialValueText(self.tr("off"))
        self.patience.setValue(defaults.patience or 0)
        self.preset.currentIndexChanged.connect(lambda _i: self._apply_preset(self.preset.currentData()))
        self.preset.setCurrentIndex(self.preset.findData("balanced"))
        self._apply_preset("balanced")
        for w in (self.epochs, self.batch, self.lr, self.max_length):
            w.valueChanged.connect(self._edited)

        main = QGroupBox(self.tr("Training"))
        f = QFormLayout(main)
        f.addRow(self.tr("Training"), self.method)
        f.addRow("", self.method_note)
        f.addRow(self.tr("Preset"), self.preset)
        f.addRow(self.tr("Epochs (passes over the data)"), self.epochs)
        f.addRow(self.tr("Batch size"), self.batch)
        f.addRow(self.tr("Learning rate"), self.lr)
        f.addRow(self.tr("Maximum length (tokens)"), self.max_length)
        f.addRow(self.tr("Longer texts"), self.long_text)
        f.addRow("", self.long_text_note)
        self.advanced = QGroupBox(self.tr("Advanced"))
        a = QFormLayout(self.advanced)
        a.addRow(self.tr("Warm-up (fraction of steps)"), self.warmup)
        a.addRow(self.tr("Weight decay"), self.weight_decay)
        a.addRow(self.tr("Random seed"), self.seed)
        a.addRow(self.tr("Early stopping patience (evaluations)"), self.patience)
        a.addRow("", self.class_weights)
        self.save_job = QPushButton(self.tr("Save job file…"), objectName="settingsSaveJob")
        self.save_job.setToolTip(self.tr("Save these settings to run the same training with bertdesk-cli"))
        self.save_job.clicked.connect(self._save_job)
        self.commands_box = QGroupBox(self.tr("Run this job from a terminal"), objectName="settingsCommandsBox")
        self.commands = QPlainTextEdit(objectName="settingsJobCommands")
        self.commands.setReadOnly(True)
        self.commands.setMaximumHeight(110)
        self.gpus = self._int("settingsGpus", 1, 64)
        self.gpus.setValue(2)
        self.gpus.valueChanged.connect(self._show_commands)
        self.copy_commands = QPushButton(self.tr("Copy"), objectName="settingsCopyCommands")
        self.copy_commands.clicked.connect(lambda: QApplication.clipboard().setText(self.commands.toPlainText()))
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("GPUs")))
        side.addWidget(self.gpus)
        side.addWidget(self.copy_commands)
        side.addStretch(1)
        box = QHBoxLayout(self.commands_box)
        box.addWidget(self.commands, 1)
        box.addLayout(side)
        self.commands_box.hide()
        self.job_path: str | None = None
        row = QHBoxLayout()
        row.addWidget(main, 1)
        row.addWidget(self.advanced, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.estimate, 1)
        bottom.addWidget(self.save_job)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(bottom)
        layout.addWidget(self.commands_box)
        layout.addStretch(1)

    def _double(self, name, lo, hi, decimals, step) -> QDoubleSpinBox:
        w = QDoubleSpinBox(objectName=name)
        w.setRange(lo, hi)
        w.setDecimals(decimals)
        w.setSingleStep(step)
        return w

    def _int(self, name, lo, hi) -> QSpinBox:
        w = QSpinBox(objectName=name)
        w.setRange(lo, hi)
        return w

    def n_train_rows(self) -> int | None:
        page = getattr(self.wizard, "task_page", None)
        if getattr(page, "examples", None) is None:
            return None
        return page.n_train

    def preset_values(self, name: str) -> dict | None:
        from bertdesk.core.config import preset_values
        return preset_values(name, self.n_train_rows())

    def _apply_preset(self, name: str) -> None:
        values = self.preset_values(name)
        if not values:
            return
        self._applying = True
        self.epochs.setValue(values["epochs"])
        self.batch.setValue(values["batch_size"])
        self.lr.setValue(values["learning_rate"])
        self.max_length.setValue(values["max_length"])
        self._applying = False
        self.update_estimate()

    def _edited(self) -> None:
        if not getattr(self, "_applying", False):
            current = {"epochs": self.epochs.value(), "batch_size": self.batch.value(),
                       "learning_rate": self.lr.value(), "max_length": self.max_length.value()}
            match = next((n for n in PRESET_NAMES if all(
                abs(self.preset_values(n)[k] - v) < 1e-9 for k, v in current.items())), CUSTOM)
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData(match))
            self.preset.blockSignals(False)
        self.update_estimate()

    def enter(self) -> None:
        if self.preset.currentData() in PRESET_NAMES:       # the data may have changed since
            self._apply_preset(self.preset.currentData())
        self._choose_method()
        self._choose_class_weights()
        self.update_estimate()

    def _choose_class_weights(self) -> None:
        """Offered where the task weighs its labels; on for imbalanced data (once per checked data)."""
        page = getattr(self.wizard, "task_page", None)
        if page is None:
            return
        self.class_weights.setVisible(page.choice.weighs_labels)
        if page.choice.weighs_labels and self._weights_for is not page.examples:
            self._weights_for = page.examples
            self.class_weights.setChecked(page.imbalanced())

    def frozen(self) -> bool:
        return self.method.isVisibleTo(self) and self.method.currentData() == "frozen"

    def _choose_method(self) -> None:
        """Offer the frozen-encoder head where the task has one; choose it for a sheet with few
        labeled rows per label (once per checked data: the user's choice then stands)."""
        from bertdesk.core.config import FEW_LABELS_PER_CLASS, few_labels

        page = getattr(self.wizard, "task_page", None)
        if page is None:
            return
        available = page.choice.frozen_head
        self.method.setVisible(available)
        self.method_note.setVisible(available)
        counts = getattr(page, "counts", {}) or {}
        if not available or self._method_for is page.examples:
            return
        self._method_for = page.examples
        few = few_labels(counts)
        self.method.setCurrentIndex(self.method.findData("frozen" if few else "finetune"))
        if few:
            label, n = min(counts.items(), key=lambda kv: kv[1])
            self.method_note.setText(self.tr("Only {n} labeled rows for “{label}”: the quick start usually learns "
                                             "more from so few. Fine-tune once every label has {few} or more.")
                                     .format(n=n, label=label, few=FEW_LABELS_PER_CLASS))
        else:
            self.method_note.setText(self.tr("Enough labeled rows to fine-tune the whole model."))

    def _method_changed(self) -> None:
        frozen = self.method.currentData() == "frozen"
        for w in (self.preset, self.epochs, self.batch, self.lr, self.long_text, self.warmup, self.weight_decay,
                  self.patience):
            w.setEnabled(not frozen)
        self.update_estimate()

    def values(self) -> dict:
        return {"epochs": self.epochs.value(), "batch_size": self.batch.value(),
                "learning_rate": self.lr.value(), "max_length": self.max_length.value(),
                "warmup_ratio": self.warmup.value(), "weight_decay": self.weight_decay.value(),
                "seed": self.seed.value(), "patience": self.patience.value() or None,
                "long_text": self.long_text.currentData(), "frozen_encoder": self.frozen(),
                "class_weights": "auto" if self.class_weights.isVisibleTo(self) and self.class_weights.isChecked()
                else "none"}

    def chosen_task(self):
        """The task of step 2 with this page's window settings (length, stride, long texts)."""
        from bertdesk.core.tasks import make_task

        page = self.wizard.task_page
        return make_task(page.choice.name, max_length=self.max_length.value(),
                         long_text=self.long_text.currentData())

    def estimate_seconds(self) -> float | None:
        from bertdesk.core.estimate import estimate_train_seconds, frozen_seconds, model_scale

        page = self.wizard.task_page
        if getattr(page, "examples", None) is None:
            return None
        device = getattr(self.wizard.model_page, "device_text", "")
        model = self.wizard.model_page.model()
        if getattr(self, "_scale_for", None) != model:        # reads config.json once a model
            self._scale_for, self._scale = model, model_scale(model)
        task = self.chosen_task()
        if self.frozen():
            return frozen_seconds(page.n_train + page.n_eval, self._scale)
        return estimate_train_seconds(
            task, page.examples, page.n_train, page.n_eval, epochs=self.epochs.value(),
            batch_size=self.batch.value(), gpu=bool(device) and not device.startswith("CPU"), scale=self._scale,
            counts=self._token_counts(page, task))

    def update_estimate(self) -> None:
        self._update_long_text_note()
        seconds = self.estimate_seconds()
        if seconds is None:
            self.estimate.setText("")
            return
        model_page = getattr(self.wizard, "model_page", None)
        extra = None
        if model_page is not None and model_page.adapt.isChecked():
            from bertdesk.core.estimate import adaptation_seconds
            extra = adaptation_seconds(model_page.adapt_rows(), self._scale)
            seconds += extra
        if extra is None:
            self.estimate.setText(self.tr("Estimated training time: about {time} (rough).")
                                  .format(time=fmt_duration(max(5, seconds))))
        else:
            self.estimate.setText(self.tr("Estimated training time: about {time}, of which about {adapting} "
                                          "adapting the model to your text (rough).")
                                  .format(time=fmt_duration(max(5, seconds)), adapting=fmt_duration(extra)))

    def _update_long_text_note(self) -> None:
        page = getattr(self.wizard, "task_page", None)
        if page is None:
            return
        modes = page.choice.long_text_modes
        self.long_text.setEnabled(len(modes) > 1)
        if len(modes) == 1:
            self.long_text.setCurrentIndex(max(0, self.long_text.findData(modes[0])))
            unit = page.choice.unit
            self.long_text_note.setText(translate("SettingsPage", WINDOW_NOTES[unit]) if unit in WINDOW_NOTES else
                                        self.tr("{unit} read all of their text in overlapping windows.")
                                        .format(unit=unit.capitalize()))
            return
        if getattr(page, "examples", None) is None:
            self.long_text_note.setText("")
            return
        from bertdesk.core.estimate import share_longer
        task = self.chosen_task()
        share = share_longer(task, page.examples, self._token_counts(page, task))
        if share <= 0:
            self.long_text_note.setText(self.tr("No text is longer than the maximum length."))
        elif share >= 0.01:
            self.long_text_note.setText(self.tr("About {pct} of the texts are longer than {n} tokens.")
                                        .format(pct=f"{share:.0%}", n=self.max_length.value()))
        else:
            self.long_text_note.setText(self.tr("About under 1 % of the texts are longer than {n} tokens.")
                                        .format(n=self.max_length.value()))

    def _token_counts(self, page, task) -> list:
        """The sampled token counts of the checked data, computed once per check (not per edit)."""
        examples = page.examples
        cached_examples, cached_task = getattr(self, "_counts_for", (None, None))
        if cached_examples is not examples or cached_task != task.name:
            from bertdesk.core.estimate import sample_tokens
            self._counts_for, self._counts = (examples, task.name), sample_tokens(task, examples)
        return self._counts

    def _save_job(self, path: str | None = None) -> str | None:
        """Save the job file, then show the commands that run it headless and on several GPUs."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save job file"), "job.json",
                                                  self.tr("Job files (*.json)"))
        if not path:
            return None
        from bertdesk.core.config import save_job
        from bertdesk.core.errors import BertdeskError
        try:
            save_job(self.wizard.build_config(), path)
        except (BertdeskError, OSError) as exc:
            show_error(self, self.tr("Save job file"), str(exc))
            return None
        self.job_path = path
        self._show_commands()
        return path

    def _show_commands(self) -> None:
        if self.job_path:
            from bertdesk.core.config import out_outside_job
            outside = out_outside_job(self.wizard.build_config(), self.job_path)
            self.commands.setPlainText(job_commands(self.job_path, self.gpus.value(),
                                                    str(outside) if outside else None))
            self.commands_box.show()
