"""Step 5: training with a progress bar and ETA, live curves, a log, and Cancel."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QSplitter,
                               QVBoxLayout)
from PySide6.QtCore import Qt

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import fmt_duration
from ..views.charts import CurvesChart
from .base import WizardPage

PHASES = {"reading": QT_TRANSLATE_NOOP("TrainPage", "Reading the data"),
          "loading": QT_TRANSLATE_NOOP("TrainPage", "Loading the model"),
          "tokenising": QT_TRANSLATE_NOOP("TrainPage", "Preparing the texts"),
          "training": QT_TRANSLATE_NOOP("TrainPage", "Training"),
          "evaluating": QT_TRANSLATE_NOOP("TrainPage", "Evaluating"),
          "saving": QT_TRANSLATE_NOOP("TrainPage", "Saving the model"),
          "adapting": QT_TRANSLATE_NOOP("TrainPage", "Adapting the model to your text"),
          "extending": QT_TRANSLATE_NOOP("TrainPage", "Adding the missing characters to the vocabulary")}


class TrainPage(WizardPage):
    title = QT_TRANSLATE_NOOP("TrainPage", "5 · Train")
    subtitle = QT_TRANSLATE_NOOP("TrainPage", "The model learns from your rows. You can keep using the app meanwhile.")

    succeeded = Signal(str)        # model folder
    stopped = Signal()             # cancelled or failed

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.runner = wizard.runner
        self.state = "idle"        # idle | running | cancelling | done | cancelled | failed
        self.out_dir: str | None = None
        self._task = ""
        self.summary = QLabel("", objectName="trainSummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(objectName="trainProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel(self.tr("Ready."), objectName="trainStatus")
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="trainCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.resume_button = QPushButton(self.tr("Resume"), objectName="trainResume")
        self.resume_button.setToolTip(self.tr("Go on from the last checkpoint of the interrupted run"))
        self.resume_button.hide()
        self.resume_button.clicked.connect(self.resume_interrupted)
        self.curves = CurvesChart()
        self.curves.setObjectName("trainCurves")
        self.log = QPlainTextEdit(objectName="trainLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.resume_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.curves)
        split.addWidget(self.log)
        split.setSizes([300, 140])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.runner.progress.connect(self._on_progress)
        self.runner.metrics.connect(self._on_metrics)
        self.runner.log.connect(self._on_log)
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)

    @property
    def running(self) -> bool:
        return self.state in ("running", "cancelling")

    def is_complete(self) -> bool:
        return False

    def start(self, config, resume: bool = False) -> bool:
        """Train ``config``; with ``resume``, go on from the last checkpoint of its interrupted run."""
        from bertdesk.core.workspace import unique_path
        from pathlib import Path

        from bertdesk.app.training import train
        from bertdesk.core.tasks import task_class

        from ..workers import job

        if self.runner.busy:
            self.status.setText(self.tr("Another job is running ({job}); wait for it or cancel it.")
                                .format(job=self.runner.job_name))
            return False
        if not resume:
            config.out_dir = str(unique_path(Path(config.out_dir)))
        Path(config.out_dir).parent.mkdir(parents=True, exist_ok=True)
        self.out_dir = config.out_dir
        self._task = config.task
        self.curves.reset(task_class(config.task).main_metric)
        self.log.clear()
        self.progress.setValue(0)
        values = {"name": Path(config.out_dir).name, "file": Path(config.train_file).name, "task": config.task,
                  "epochs": f"{config.epochs:g}", "model": config.model}
        if resume:
            summary = self.tr("Resuming “{name}” on {file} ({task}, {epochs} epochs, model: {model}).")
        else:
            summary = self.tr("Training “{name}” on {file} ({task}, {epochs} epochs, model: {model}).")
        self.summary.setText(summary.format(**values))
        self._t0 = time.monotonic()
        self._set_state("running")
        self.status.setText(self.tr("Resuming from the last checkpoint…") if resume
                            else self.tr("Starting (loading the model)…"))
        self.runner.start("train", job(train, config, resume))
        return True

    def resume_run(self, model_dir: str) -> bool:
        """Resume the interrupted run of ``model_dir`` (its job is saved in the run folder)."""
        from bertdesk.core.errors import BertdeskError
        from bertdesk.core.runs import resumable_state, resume_config

        if resumable_state(model_dir) is None:
            self.status.setText(self.tr("There is no interrupted run to resume for this model."))
            return False
        try:
            config = resume_config(model_dir)
        except BertdeskError as exc:
            self.status.setText(self.tr("Cannot resume: {problem}").format(problem=exc))
            return False
        return self.start(config, resume=True)

    def resume_interrupted(self) -> None:
        if self.out_dir:
            self.resume_run(self.out_dir)

    def cancel(self) -> None:
        if self.state == "running" and self.runner.job_name == "train":
            self.runner.cancel()
            self._set_state("cancelling")
            self.status.setText(self.tr("Cancelling… (stops within one training step)"))

    def _set_state(self, state: str) -> None:
        self.state = state
        self.cancel_button.setEnabled(state == "running")
        resumable = False
        if state in ("cancelled", "failed") and self.out_dir:
            from bertdesk.core.runs import has_checkpoint, resumable_state
            resumable = resumable_state(self.out_dir) is not None and has_checkpoint(self.out_dir)
        self.resume_button.setVisible(resumable)
        self.completeChanged.emit()

    def _mine(self, name: str) -> bool:
        return name == "train" and self.running

    # -- runner signals (only while our training runs)
    def _on_progress(self, p) -> None:
        if not self.running or self.runner.job_name != "train":
            return
        if p.phase in ("training", "adapting") and p.total:
            self.progress.setValue(int(100 * p.done / p.total))
            eta = (self.tr(" — about {time} left").format(time=fmt_duration(p.eta_s))
                   if p.eta_s is not None else "")
            epoch = self.tr(", epoch {epoch}").format(epoch=f"{p.epoch:.2f}") if p.epoch is not None else ""
            if p.phase == "adapting":
                text = self.tr("Adapting the model to your text: step {done} of {total}{epoch}{eta}")
            else:
                text = self.tr("Training: step {done} of {total}{epoch}{eta}")
            text = text.format(done=p.done, total=p.total, epoch=epoch, eta=eta)
        else:
            phase = translate("TrainPage", PHASES[p.phase]) if p.phase in PHASES else p.phase.capitalize()
            text = self.tr("{phase}…").format(phase=phase)
        if self.state == "cancelling":
            text = self.tr("Cancelling… {status}").format(status=text)
        self.status.setText(text)

    def _on_metrics(self, m) -> None:
        if self.running and self.runner.job_name == "train":
            self.curves.add(m.split, m.step, m.values)
            if m.split == "eval":
                shown = ", ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, v in m.values.items()
                                  if k in ("loss", "accuracy", "macro_f1", "micro_f1", "f1", "exact_match"))
                self._on_log(self.tr("Evaluation at step {step}: {metrics}").format(step=m.step, metrics=shown),
                             "info")

    def _on_log(self, message: str, level: str) -> None:
        if self.running and self.runner.job_name == "train":
            self.log.appendPlainText(("⚠ " if level == "warning" else "") + message)

    def _on_succeeded(self, name, result) -> None:
        if not self._mine(name):
            return
        self.progress.setValue(100)
        self._set_state("done")
        self.status.setText(self.tr("Done in {time}. Model saved in {folder}.")
                            .format(time=fmt_duration(result["elapsed_s"]), folder=result["out_dir"]))
        self.succeeded.emit(result["out_dir"])

    def _on_failed(self, name, message, tb) -> None:
        if not self._mine(name):
            return
        self._set_state("failed")
        self.status.setText(self.tr("Training failed: {message}").format(message=message))
        self.log.appendPlainText(self.tr("Error: {message}").format(message=message))
        self.stopped.emit()

    def _on_cancelled(self, name) -> None:
        if not self._mine(name):
            return
        self._set_state("cancelled")
        self.progress.setValue(0)
        if self.resume_button.isVisible():
            self.status.setText(self.tr("Training cancelled; no model was saved. Resume goes on from the last "
                                        "checkpoint."))
        else:
            self.status.setText(self.tr("Training cancelled; no model was saved."))
        self.stopped.emit()
