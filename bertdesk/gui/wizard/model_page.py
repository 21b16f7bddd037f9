"""Step 3: which pre-trained model to start from, and the name of the new model."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QButtonGroup, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QVBoxLayout)

from ..i18n import QT_TRANSLATE_NOOP, core_text
from ..util import error_label, show_error_text
from ..workers import JobRunner, job
from .base import WizardPage

BUNDLED, HUB, FOLDER = 0, 1, 2


class ModelPage(WizardPage):
    title = QT_TRANSLATE_NOOP("ModelPage", "3 · Model")
    subtitle = QT_TRANSLATE_NOOP("ModelPage", "Start from the bundled model (works offline) or from another "
                                 "BERT-style model.")

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        from bertdesk.core.models import BUNDLED_LABEL

        self.device_text = ""
        self.group = QButtonGroup(self)
        self.bundled = QRadioButton(core_text(BUNDLED_LABEL), objectName="modelBundled")
        self.hub = QRadioButton(self.tr("A Hugging Face model id (must be in the local cache when offline)"),
                                objectName="modelHub")
        self.hub_id = QLineEdit(objectName="modelHubId")
        self.hub_id.setPlaceholderText(self.tr("e.g. bert-base-uncased"))
        self.folder = QRadioButton(self.tr("A model folder on this computer"), objectName="modelFolder")
        self.folder_path = QLineEdit(objectName="modelFolderPath")
        self.folder_browse = QPushButton(self.tr("Browse…"), objectName="modelBrowse")
        for i, radio in enumerate((self.bundled, self.hub, self.folder)):
            self.group.addButton(radio, i)
        self.bundled.setChecked(True)
        self.group.idToggled.connect(lambda *_: self._changed())
        self.hub_id.textChanged.connect(self._changed)
        self.folder_path.textChanged.connect(self._changed)
        self.folder_browse.clicked.connect(self._browse)

        box = QGroupBox(self.tr("Start from"))
        v = QVBoxLayout(box)
        v.addWidget(self.bundled)
        v.addWidget(self.hub)
        v.addWidget(self.hub_id)
        v.addWidget(self.folder)
        row = QHBoxLayout()
        row.addWidget(self.folder_path, 1)
        row.addWidget(self.folder_browse)
        v.addLayout(row)

        self._auto_name = ""
        self.name = QLineEdit(objectName="modelName")
        self.name.textChanged.connect(self._changed)
        self.device = QLabel(self.tr("Detecting…"), objectName="deviceLabel")
        self.where = QLabel("", objectName="modelWhere")
        self.where.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("New model name"), self.name)
        form.addRow(self.tr("Saved in"), self.where)
        form.addRow(self.tr("Training on"), self.device)
        self.error = error_label("modelError")
        self.adapt = QCheckBox(self.tr("Adapt the model to my text first"), objectName="modelAdapt")
        self.adapt.setToolTip(self.tr("Before fine-tuning, continue the model's pre-training (filling in masked "
                                      "words) on every text of the sheet, labeled or not. It learns your domain's "
                                      "words; it helps most when there are few labels and many unlabeled rows. The "
                                      "adapted model is kept as a model of its own (name-adapted)."))
        self.adapt.toggled.connect(lambda _on: self._show_adapt_note())
        self.adapt_note = QLabel("", objectName="modelAdaptNote")
        self.adapt_note.setWordWrap(True)
        self.vocab_note = QLabel("", objectName="modelVocabNote")
        self.vocab_note.setWordWrap(True)
        self.vocab_note.hide()
        self.extend = QCheckBox(self.tr("Teach the model the characters it lacks"), objectName="modelExtendVocab")
        self.extend.setToolTip(self.tr("Adds the sheet's frequent unknown characters to a copy of the model's "
                                       "vocabulary, then adapts the model to your texts so that it learns them "
                                       "before fine-tuning. The model you start from is not changed."))
        self.extend.toggled.connect(self._extend_toggled)
        self.extend.hide()
        adapt_box = QGroupBox(self.tr("Your own text"))
        a = QVBoxLayout(adapt_box)
        a.addWidget(self.vocab_note)
        a.addWidget(self.extend)
        a.addWidget(self.adapt)
        a.addWidget(self.adapt_note)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(adapt_box)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.vocab_fit: dict | None = None
        self._vocab_key = None
        self._vocab_runner = JobRunner(self)
        self._vocab_runner.succeeded.connect(self._on_vocab)
        self._vocab_runner.failed.connect(self._on_vocab_failed)
        self._device_runner = JobRunner(self)
        self._device_runner.succeeded.connect(self._on_device)
        self._device_runner.failed.connect(lambda _n, msg, _tb: self.device.setText(
            self.tr("unknown ({message})").format(message=msg)))

    def adapt_rows(self) -> int:
        """The texts adaptation reads: the sheet's usable rows, labeled or not."""
        page = getattr(self.wizard, "task_page", None)
        examples = getattr(page, "examples", None)
        if examples is None:
            return 0
        return len(examples) + int((examples.skipped or {}).get("no label", 0))

    def check_vocabulary(self) -> None:
        """Measure, in the background, how much of the sheet's text the chosen model's vocabulary reads
        (the share of [UNK] tokens); the page says so when it is poor."""
        page = getattr(self.wizard, "task_page", None)
        examples = getattr(page, "examples", None)
        choice = getattr(page, "choice", None)
        if examples is None or choice is None or not self._model_chosen():
            return
        if self._vocab_runner.busy or self._vocab_current():
            return
        key = (self.model(), examples)        # the examples themselves: an id could be reused
        from bertdesk.core.vocab import SAMPLE_TEXTS, model_fit

        texts = [t for t in choice().adaptation_texts(examples) if t and t.strip()][:SAMPLE_TEXTS]
        self._vocab_key = key
        self._vocab_runner.start("vocabulary", job(model_fit, self.model(), texts))

    def _vocab_current(self) -> bool:
        """Whether the last measurement started is for the model and the data chosen now."""
        examples = getattr(getattr(self.wizard, "task_page", None), "examples", None)
        return self._vocab_key is not None and self._vocab_key[0] == self.model() and self._vocab_key[1] is examples

    def _on_vocab(self, _name, fit: dict) -> None:
        if self._vocab_current():
            self._show_vocab(fit)
        else:
            self.check_vocabulary()     # the model or the data changed while it ran: measure again

    def _on_vocab_failed(self, *_args) -> None:
        if self._vocab_current():
            self._show_vocab(None)      # e.g. a folder without a tokenizer: nothing to say about it
        else:
            self.check_vocabulary()

    def _show_vocab(self, fit: dict | None) -> None:
        from bertdesk.core.vocab import CHINESE_MODELS

        self.vocab_fit = fit
        poor = bool(fit and fit["poor"])
        self.vocab_note.setVisible(poor)
        self.extend.setVisible(poor or self.extend.isChecked())
        if not poor:
            return
        said = self.tr("<b>This model does not know {unknown} of the tokens of your texts</b>: they all read as "
                       "[UNK] ({n_unknown} of {tokens} tokens in {texts} texts; {single} of the tokens are "
                       "single characters).").format(
            unknown=f"{fit['unknown_share']:.0%}", n_unknown=f"{fit['unknown']:,}", tokens=f"{fit['tokens']:,}",
            texts=f"{fit['texts']:,}", single=f"{fit['single_share']:.0%}")
        if fit["cjk_share"] >= 0.3:
            # measured on Chinese product reviews (README, "Chinese"): tests/benchmarks/chinese.py
            said += " " + self.tr("The bundled model was pre-trained on English text. For Chinese, start from a "
                                  "Chinese or multilingual model folder ({models}) on this computer or in the "
                                  "local cache. With this model, a plain fine-tune still learns from what it "
                                  "reads (about 64 % on Chinese product reviews, where always answering the "
                                  "larger label gets 51 %); teaching it the characters it lacks, or adapting it "
                                  "to your texts first, did not help there (49 %: one label for every review).").format(
                models=", ".join(CHINESE_MODELS))
        else:
            said += " " + self.tr("Start from a model pre-trained on text like yours, or let bertdesk teach this "
                                  "model the characters it lacks.")
        self.vocab_note.setText(said)

    def _extend_toggled(self, on: bool) -> None:
        # the new characters are learnt by adapting the model to the sheet's texts: extension implies it
        if on:
            self.adapt.setChecked(True)
        self.adapt.setEnabled(not on)
        self._show_adapt_note()

    def _model_chosen(self) -> bool:
        """Whether there is a model to measure: a hub id typed, or a folder that exists."""
        kind = self.group.checkedId()
        if kind == HUB:
            return bool(self.hub_id.text().strip())
        if kind == FOLDER:
            text = self.folder_path.text().strip()
            return bool(text) and Path(text).expanduser().is_dir()
        return True

    def _show_adapt_note(self) -> None:
        from bertdesk.core.estimate import adaptation_seconds, model_scale
        from ..util import fmt_duration

        n = self.adapt_rows()
        if not n:
            self.adapt_note.setText("")
            return
        seconds = adaptation_seconds(n, model_scale(self.model()))
        values = {"n": f"{n:,}", "time": fmt_duration(seconds)}
        if self.adapt.isChecked():
            self.adapt_note.setText(self.tr("One pass over {n} texts: about {time} more.").format(**values))
        else:
            self.adapt_note.setText(self.tr("One pass over {n} texts: about {time} more if you choose it.")
                                    .format(**values))

    def enter(self) -> None:
        self._show_adapt_note()
        self.check_vocabulary()
        # A name the user typed is kept; one this page filled in follows the current data file and task.
        if not self.name.text() or self.name.text() == self._auto_name:
            self._auto_name = self.default_name()
            self.name.setText(self._auto_name)
        if not self.device_text and not self._device_runner.busy:
            from bertdesk.app.training import describe_device
            self._device_runner.start("device", job(describe_device))
        self._changed()

    def _on_device(self, _name, text: str) -> None:
        self.device_text = text
        self.device.setText(text)
        self.wizard.settings_page.update_estimate()

    def default_name(self) -> str:
        """`<file>-<task>-<date>-<time>`, with `-2`, `-3`... when a model of that name exists."""
        path = self.wizard.data_page.path
        stem = re.sub(r"[^\w-]+", "-", path.stem if path else "model").strip("-") or "model"
        base = f"{stem}-{self.wizard.task_page.choice.name}-{datetime.now():%Y%m%d-%H%M}"
        from bertdesk.core.workspace import models_dir
        name, n = base, 1
        while (models_dir() / name).exists():
            n += 1
            name = f"{base}-{n}"
        return name

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Model folder"))
        if path:
            self.folder_path.setText(path)
            self.folder.setChecked(True)

    def model(self) -> str:
        kind = self.group.checkedId()
        if kind == HUB:
            return self.hub_id.text().strip()
        if kind == FOLDER:
            return self.folder_path.text().strip()
        return "bundled"

    def out_dir(self) -> Path:
        from bertdesk.core.workspace import models_dir
        return models_dir() / self.name.text().strip()

    def problem(self) -> str:
        from bertdesk.core.errors import BertdeskError
        from bertdesk.core.models import check_local_folder

        kind = self.group.checkedId()
        if kind == HUB and not self.hub_id.text().strip():
            return self.tr("Type a model id, or choose the bundled model.")
        if kind == FOLDER:
            text = self.folder_path.text().strip()
            if not text:
                return self.tr("Choose a model folder, or the bundled model.")
            path = Path(text).expanduser()
            if not path.is_dir():
                return self.tr("{name}: model folder not found").format(name=path.name)
            try:
                check_local_folder(path)
            except BertdeskError as exc:
                return str(exc)
        from bertdesk.core.workspace import folder_name_problem

        name = self.name.text().strip()
        problem = folder_name_problem(name)
        if problem:
            return problem
        if self.out_dir().exists():
            return self.tr("A model named '{name}' already exists; choose another name.").format(name=name)
        return ""

    def is_complete(self) -> bool:
        return not self.problem()

    def _changed(self) -> None:
        self.hub_id.setEnabled(self.hub.isChecked())
        self.folder_path.setEnabled(self.folder.isChecked())
        self.folder_browse.setEnabled(self.folder.isChecked())
        if self.name.text().strip():
            self.where.setText(str(self.out_dir()))
        if self.group.checkedId() != HUB and self.isVisible():      # a hub id is checked when the page opens
            self.check_vocabulary()
        show_error_text(self.error, self.problem())
        self.completeChanged.emit()
