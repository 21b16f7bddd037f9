"""The training wizard: Data → Task & columns → Model → Settings → Train (a QStackedWidget)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ..util import heading
from .data_page import DataPage
from .model_page import ModelPage
from .settings_page import SettingsPage
from .task_page import TaskPage
from .train_page import TrainPage


class TrainWizard(QWidget):
    trainingSucceeded = Signal(str)      # model folder

    def __init__(self, runner, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.data_page = DataPage(self)
        self.task_page = TaskPage(self)
        self.model_page = ModelPage(self)
        self.settings_page = SettingsPage(self)
        self.train_page = TrainPage(self)
        self.pages = [self.data_page, self.task_page, self.model_page, self.settings_page, self.train_page]
        self.stack = QStackedWidget(objectName="wizardStack")
        self.steps = QHBoxLayout()
        self.step_labels = []
        for page in self.pages:
            self.stack.addWidget(page)
            page.completeChanged.connect(self._update_buttons)
            label = QLabel(page.shown_title())
            self.step_labels.append(label)
            self.steps.addWidget(label)
        self.steps.addStretch(1)
        self.title = heading("")
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)
        self.back = QPushButton(self.tr("◀ Back"), objectName="wizardBack")
        self.next = QPushButton(self.tr("Next ▶"), objectName="wizardNext")
        self.next.setDefault(True)
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.train_page.succeeded.connect(self.trainingSucceeded)
        self.train_page.completeChanged.connect(self._update_buttons)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addLayout(self.steps)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.stack, 1)
        layout.addLayout(nav)
        self._show(0)

    @property
    def index(self) -> int:
        return self.stack.currentIndex()

    def current(self):
        return self.stack.currentWidget()

    def open_file(self, path) -> bool:
        if self.train_page.running:
            return False
        self._show(0)
        return self.data_page.load(path)

    def resume_run(self, model_dir: str) -> bool:
        """Show the Train step and resume ``model_dir``'s interrupted run there."""
        if self.train_page.running:
            return False
        self._show(len(self.pages) - 1)
        ok = self.train_page.resume_run(model_dir)
        self._update_buttons()
        return ok

    def train_job(self, config) -> bool:
        """Show the Train step and train ``config`` there (a job built outside the wizard)."""
        if self.train_page.running:
            return False
        self._show(len(self.pages) - 1)
        ok = self.train_page.start(config)
        self._update_buttons()
        return ok

    def go_next(self) -> None:
        page = self.current()
        if not page.is_complete():
            return
        if page is self.settings_page:
            self._show(self.index + 1)
            self.train_page.start(self.build_config())
        elif self.index < len(self.pages) - 1:
            self._show(self.index + 1)

    def go_back(self) -> None:
        if self.index > 0 and not self.train_page.running:
            self._show(self.index - 1)

    def restart(self) -> None:
        if not self.train_page.running:
            self.model_page.name.setText("")
            self._show(0)

    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        self.title.setText(page.shown_title().split("·", 1)[-1].strip())
        self.subtitle.setText(page.shown_subtitle())
        for i, label in enumerate(self.step_labels):
            font = label.font()
            font.setBold(i == index)
            label.setFont(font)
            label.setEnabled(i <= index)
        page.enter()
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.current()
        on_train = page is self.train_page
        self.next.setVisible(not on_train)
        self.next.setText(self.tr("Train ▶") if page is self.settings_page else self.tr("Next ▶"))
        self.next.setEnabled(page.is_complete())
        self.back.setEnabled(self.index > 0 and not self.train_page.running)

    def build_config(self):
        from bertdesk.core.config import TrainConfig

        data, task = self.data_page, self.task_page
        eval_file = task.eval_file()
        settings = self.settings_page.values()
        return TrainConfig(
            task=task.choice.name,
            train_file=str(data.path),
            eval_file=eval_file,
            columns=dict(task.resolved_columns),
            read_options=data.read_options(),
            model=self.model_page.model(),
            out_dir=str(self.model_page.out_dir()),
            adapt_first=self.model_page.adapt.isChecked() or self.model_page.extend.isChecked(),
            extend_vocab=self.model_page.extend.isChecked(),
            eval_fraction=task.eval_fraction.value() / 100,
            **settings,
        )
