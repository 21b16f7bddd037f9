"""Home: open data or a sample, recent files and models."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import ask, heading, recent

SAMPLES = [
    ("reviews.csv", QT_TRANSLATE_NOOP("HomePage", "Product reviews → sentiment"),
     QT_TRANSLATE_NOOP("HomePage", "300 reviews labeled positive / neutral / negative")),
    ("support_tickets_multilabel.csv", QT_TRANSLATE_NOOP("HomePage", "Support tickets → topics"),
     QT_TRANSLATE_NOOP("HomePage", "300 tickets, one or more topics each")),
    ("news_ner.conll", QT_TRANSLATE_NOOP("HomePage", "News sentences → names and places"),
     QT_TRANSLATE_NOOP("HomePage", "CoNLL file: people, organisations, places, events tagged word by word")),
    ("product_faq_qa.csv", QT_TRANSLATE_NOOP("HomePage", "Product FAQ → answers"),
     QT_TRANSLATE_NOOP("HomePage", "200 questions with the answer span in a product text")),
    ("reviews_zh.csv", QT_TRANSLATE_NOOP("HomePage", "Chinese reviews → sentiment"),
     QT_TRANSLATE_NOOP("HomePage", "120 reviews in Chinese (a GB18030 file) labeled 正面 / 负面")),
]
# one line on an interrupted run, by how it stopped and whether it left a checkpoint
RUN_LINES = {
    ("cancelled", True): QT_TRANSLATE_NOOP("HomePage", "{model} — {task} on {file}, cancelled {when} "
                                                       "(with a checkpoint)"),
    ("cancelled", False): QT_TRANSLATE_NOOP("HomePage", "{model} — {task} on {file}, cancelled {when} "
                                                        "(no checkpoint yet: starts over)"),
    ("stopped", True): QT_TRANSLATE_NOOP("HomePage", "{model} — {task} on {file}, stopped unexpectedly {when} "
                                                     "(with a checkpoint)"),
    ("stopped", False): QT_TRANSLATE_NOOP("HomePage", "{model} — {task} on {file}, stopped unexpectedly {when} "
                                                      "(no checkpoint yet: starts over)"),
}


def describe_run(model_dir: str, state: dict) -> str:
    """One line on an interrupted run: model, task, data, how and when it stopped, checkpoints."""
    from bertdesk.core.runs import has_checkpoint

    job = state.get("job") or {}
    status = "cancelled" if state.get("status") == "cancelled" else "stopped"
    when = (state.get("ended") or state.get("started") or "")[:16].replace("T", " ")
    line = translate("HomePage", RUN_LINES[status, has_checkpoint(model_dir)])
    return line.format(model=Path(model_dir).name, task=job.get("task", "?"),
                       file=Path(job.get("train_file", "")).name, when=when)


class HomePage(QWidget):
    openFileRequested = Signal(str)
    openModelRequested = Signal(str)
    browseRequested = Signal()
    resumeRequested = Signal(str)        # model folder of an interrupted run

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        title = heading(self.tr("Fine-tune BERT on your spreadsheet"), 18)
        intro = QLabel(self.tr("Open a CSV or Excel file with a text column and a label column. bertdesk trains a "
                               "model on it, shows how well it does, and labels new rows for you — no code needed."))
        intro.setWordWrap(True)
        open_button = QPushButton(self.tr("Open data file…  (Ctrl+O)"), objectName="homeOpen")
        open_button.setMinimumHeight(36)
        open_button.clicked.connect(self.browseRequested)
        samples = QGroupBox(self.tr("Try a sample"))
        grid = QGridLayout(samples)
        for row, (name, title_text, desc) in enumerate(SAMPLES):
            button = QPushButton(self.tr("Open sample: {title}").format(title=translate("HomePage", title_text)),
                                 objectName=f"homeSample_{Path(name).stem}")
            button.clicked.connect(lambda _=False, n=name: self._open_sample(n))
            grid.addWidget(button, row, 0)
            grid.addWidget(QLabel(translate("HomePage", desc)), row, 1)
        self.recent_files = QListWidget(objectName="homeRecentFiles")
        self.recent_files.itemActivated.connect(lambda item: self.openFileRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_models = QListWidget(objectName="homeRecentModels")
        self.recent_models.itemActivated.connect(lambda item: self.openModelRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        files_box = QGroupBox(self.tr("Recent files (double-click to open)"))
        QVBoxLayout(files_box).addWidget(self.recent_files)
        models_box = QGroupBox(self.tr("Recent models (double-click for results)"))
        QVBoxLayout(models_box).addWidget(self.recent_models)
        lists = QHBoxLayout()
        lists.addWidget(files_box)
        lists.addWidget(models_box)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(open_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(samples)
        for w in (self.recent_files, self.recent_models):
            w.setMaximumHeight(240)
        layout.addLayout(lists)
        self.runs_box = QGroupBox(self.tr("Interrupted training runs"), objectName="homeRunsBox")
        self.runs = QListWidget(objectName="homeRuns")
        self.runs.setMaximumHeight(110)
        self.runs.currentRowChanged.connect(lambda _r: self._update_run_buttons())
        self.runs.itemActivated.connect(lambda _item: self.resume_selected())
        self.resume_button = QPushButton(self.tr("Resume"), objectName="homeResume")
        self.resume_button.clicked.connect(self.resume_selected)
        self.discard_button = QPushButton(self.tr("Discard…"), objectName="homeDiscard")
        self.discard_button.clicked.connect(self.discard_selected)
        run_buttons = QVBoxLayout()
        run_buttons.addWidget(self.resume_button)
        run_buttons.addWidget(self.discard_button)
        run_buttons.addStretch(1)
        runs_layout = QHBoxLayout(self.runs_box)
        runs_layout.addWidget(self.runs, 1)
        runs_layout.addLayout(run_buttons)
        layout.addWidget(self.runs_box)
        layout.addStretch(1)
        self.active_run = lambda: None      # the main window tells which run is training now
        self.refresh()

    def _open_sample(self, name: str) -> None:
        from bertdesk.core.workspace import samples_dir
        self.openFileRequested.emit(str(samples_dir() / name))

    def refresh(self) -> None:
        for widget, key, empty in ((self.recent_files, "recent/files", self.tr("No files opened yet.")),
                                   (self.recent_models, "recent/models", self.tr("No models trained yet."))):
            widget.clear()
            items = [p for p in recent(key) if Path(p).exists()]
            for path in items:
                item = QListWidgetItem(f"{Path(path).name}    —    {Path(path).parent}")
                item.setData(Qt.ItemDataRole.UserRole, path)
                item.setToolTip(path)
                widget.addItem(item)
            if not items:
                item = QListWidgetItem(empty)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                widget.addItem(item)

        self.refresh_runs()

    # ------------------------------------------------------------ interrupted runs
    def refresh_runs(self) -> None:
        from bertdesk.core.runs import interrupted_runs
        from bertdesk.core.workspace import models_dir

        self.runs.clear()
        for model_dir, state in interrupted_runs(models_dir(), exclude=self.active_run()):
            item = QListWidgetItem(describe_run(model_dir, state))
            item.setData(Qt.ItemDataRole.UserRole, model_dir)
            item.setToolTip(model_dir + ".run")
            self.runs.addItem(item)
        self.runs_box.setVisible(self.runs.count() > 0)
        if self.runs.count():
            self.runs.setCurrentRow(0)
        self._update_run_buttons()

    def selected_run(self) -> str | None:
        item = self.runs.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _update_run_buttons(self) -> None:
        on = self.selected_run() is not None
        self.resume_button.setEnabled(on)
        self.discard_button.setEnabled(on)

    def resume_selected(self) -> None:
        model_dir = self.selected_run()
        if model_dir:
            self.resumeRequested.emit(model_dir)

    def discard_selected(self) -> bool:
        from bertdesk.core.runs import discard

        model_dir = self.selected_run()
        if not model_dir or not ask(self, self.tr("Discard interrupted run"),
                                    self.tr("Delete the checkpoints of “{name}”? "
                                            "The run cannot be resumed afterwards.").format(name=Path(model_dir).name)):
            return False
        discard(model_dir)
        self.refresh_runs()
        return True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refresh()
        super().showEvent(event)
