"""Step 3: which pre-trained model to start from, and the name of the new model."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QButtonGroup, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QVBoxLayout)

from ..util import error_label, show_error_text
from ..workers import JobRunner, job
from .base import WizardPage

BUNDLED, HUB, FOLDER = 0, 1, 2


class ModelPage(WizardPage):
    title = "3 · Model"
    subtitle = "Start from the bundled model (works offline) or from another BERT-style model."

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        from bertdesk.core.models import BUNDLED_LABEL

        self.device_text = ""
        self.group = QButtonGroup(self)
        self.bundled = QRadioButton(BUNDLED_LABEL, objectName="modelBundled")
        self.hub = QRadioButton("A Hugging Face model id (must be in the local cache when offline)",
                                objectName="modelHub")
        self.hub_id = QLineEdit(objectName="modelHubId")
        self.hub_id.setPlaceholderText("e.g. bert-base-uncased")
        self.folder = QRadioButton("A model folder on this computer", objectName="modelFolder")
        self.folder_path = QLineEdit(objectName="modelFolderPath")
        self.folder_browse = QPushButton("Browse…", objectName="modelBrowse")
        for i, radio in enumerate((self.bundled, self.hub, self.folder)):
            self.group.addButton(radio, i)
        self.bundled.setChecked(True)
        self.group.idToggled.connect(lambda *_: self._changed())
        self.hub_id.textChanged.connect(self._changed)
        self.folder_path.textChanged.connect(self._changed)
        self.folder_browse.clicked.connect(self._browse)

        box = QGroupBox("Start from")
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
        self.device = QLabel("Detecting…", objectName="deviceLabel")
        self.where = QLabel("", objectName="modelWhere")
        self.where.setWordWrap(True)
        form = QFormLayout()
        form.addRow("New model name", self.name)
        form.addRow("Saved in", self.where)
        form.addRow("Training on", self.device)
        self.error = error_label("modelError")
        self.adapt = QCheckBox("Adapt the model to my text first", objectName="modelAdapt")
        self.adapt.setToolTip("Before fine-tuning, continue the model's pre-training (filling in masked words) on "
                              "every text of the sheet, labeled or not. It learns your domain's words; it helps most "
                              "when there are few labels and many unlabeled rows. The adapted model is kept as a "
                              "model of its own (name-adapted).")
        self.adapt.toggled.connect(lambda _on: self._show_adapt_note())
        self.adapt_note = QLabel("", objectName="modelAdaptNote")
        self.adapt_note.setWordWrap(True)
        adapt_box = QGroupBox("Your own text")
        a = QVBoxLayout(adapt_box)
        a.addWidget(self.adapt)
        a.addWidget(self.adapt_note)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(adapt_box)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self._device_runner = JobRunner(self)
        self._device_runner.succeeded.connect(self._on_device)
        self._device_runner.failed.connect(lambda _n, msg, _tb: self.device.setText(f"unknown ({msg})"))

    def adapt_rows(self) -> int:
        """The texts adaptation reads: the sheet's usable rows, labeled or not."""
        page = getattr(self.wizard, "task_page", None)
        examples = getattr(page, "examples", None)
        if examples is None:
            return 0
        return len(examples) + int((examples.skipped or {}).get("no label", 0))

    def _show_adapt_note(self) -> None:
        from bertdesk.core.estimate import adaptation_seconds, model_scale
        from ..util import fmt_duration

        n = self.adapt_rows()
        if not n:
            self.adapt_note.setText("")
            return
        seconds = adaptation_seconds(n, model_scale(self.model()))
        self.adapt_note.setText(f"One pass over {n:,} texts: about {fmt_duration(seconds)} more"
                                + ("." if self.adapt.isChecked() else " if you choose it."))

    def enter(self) -> None:
        self._show_adapt_note()
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
        path = QFileDialog.getExistingDirectory(self, "Model folder")
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
            return "Type a model id, or choose the bundled model."
        if kind == FOLDER:
            text = self.folder_path.text().strip()
            if not text:
                return "Choose a model folder, or the bundled model."
            path = Path(text).expanduser()
            if not path.is_dir():
                return f"{path.name}: model folder not found"
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
            return f"A model named '{name}' already exists; choose another name."
        return ""

    def is_complete(self) -> bool:
        return not self.problem()

    def _changed(self) -> None:
        self.hub_id.setEnabled(self.hub.isChecked())
        self.folder_path.setEnabled(self.folder.isChecked())
        self.folder_browse.setEnabled(self.folder.isChecked())
        if self.name.text().strip():
            self.where.setText(str(self.out_dir()))
        show_error_text(self.error, self.problem())
        self.completeChanged.emit()
