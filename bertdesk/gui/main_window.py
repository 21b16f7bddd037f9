"""The main window: a side bar of pages (Home, Train, Results, Label, Models) over one job runner."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess, QSize
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow,
                               QStackedWidget, QStyle, QWidget)

from .pages.home import HomePage
from .pages.label_page import LabelPage
from .pages.models_page import ModelsPage
from .pages.results_page import ResultsPage
from .pages.review_page import ReviewPage
from .i18n import LANGUAGES, QT_TRANSLATE_NOOP, chosen_language, current_language, translate
from .i18n import SETTING as LANGUAGE_SETTING
from .util import app_icon, ask, data_filter, is_data_file, settings, show_error
from .wizard import TrainWizard
from .workers import JobRunner

PAGES = ["home", "train", "results", "review", "label", "models"]
TITLES = {"home": QT_TRANSLATE_NOOP("MainWindow", "Home"), "train": QT_TRANSLATE_NOOP("MainWindow", "Train"),
          "results": QT_TRANSLATE_NOOP("MainWindow", "Results"),
          "review": QT_TRANSLATE_NOOP("MainWindow", "Review labels"),
          "label": QT_TRANSLATE_NOOP("MainWindow", "Label data"), "models": QT_TRANSLATE_NOOP("MainWindow", "Models")}
ICONS = {"home": QStyle.StandardPixmap.SP_DirHomeIcon, "train": QStyle.StandardPixmap.SP_MediaPlay,
         "results": QStyle.StandardPixmap.SP_FileDialogDetailedView,
         "review": QStyle.StandardPixmap.SP_DialogApplyButton,
         "label": QStyle.StandardPixmap.SP_FileDialogContentsView, "models": QStyle.StandardPixmap.SP_DirIcon}
JOB_NAMES = {"train": QT_TRANSLATE_NOOP("MainWindow", "Training"),
             "evaluate": QT_TRANSLATE_NOOP("MainWindow", "Computing predictions"),
             "label": QT_TRANSLATE_NOOP("MainWindow", "Labeling"),
             "export": QT_TRANSLATE_NOOP("MainWindow", "Exporting"),
             "suspects": QT_TRANSLATE_NOOP("MainWindow", "Finding suspicious labels"),
             "suggest": QT_TRANSLATE_NOOP("MainWindow", "Choosing rows to label"),
             "export-model": QT_TRANSLATE_NOOP("MainWindow", "Exporting the model")}


def job_title(name: str | None) -> str:
    """A job's name as the status bar and the dialogs show it (the job's key when it has none)."""
    return translate("MainWindow", JOB_NAMES[name]) if name in JOB_NAMES else (name or "")


def page_title(name: str) -> str:
    return translate("MainWindow", TITLES[name])


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("bertdesk")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.runner = JobRunner(self)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.started.connect(lambda name: self.statusBar().showMessage(job_title(name) + "…"))
        self.runner.finished.connect(lambda name: self.statusBar().showMessage(self.tr("Ready"), 3000))

        self.home = HomePage()
        self.wizard = TrainWizard(self.runner)
        self.results = ResultsPage(self.runner)
        self.review = ReviewPage(self.runner)
        self.label = LabelPage(self.runner)
        self.models = ModelsPage(self.runner)
        self.pages = {"home": self.home, "train": self.wizard, "results": self.results, "review": self.review,
                      "label": self.label, "models": self.models}
        for name, page in self.pages.items():
            page.setObjectName(f"page_{name}")

        self.sidebar = QListWidget(objectName="sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(150)
        self.sidebar.setSpacing(2)
        self.stack = QStackedWidget(objectName="pages")
        for name in PAGES:
            item = QListWidgetItem(self.style().standardIcon(ICONS[name]), page_title(name))
            item.setSizeHint(QSize(140, 38))
            self.sidebar.addItem(item)
            self.stack.addWidget(self.pages[name])
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.home.browseRequested.connect(self.browse_data)
        self.home.openFileRequested.connect(self.open_data)
        self.home.openModelRequested.connect(self.show_results)
        self.home.resumeRequested.connect(self.resume_run)
        self.home.active_run = lambda: self.wizard.train_page.out_dir if self.wizard.train_page.running else None
        self.models.openModelRequested.connect(self.show_results)
        self.models.modelsChanged.connect(self.label.refresh_models)
        self.wizard.trainingSucceeded.connect(self._on_trained)
        self.results.reviewRequested.connect(self.show_review)
        self.review.retrainRequested.connect(self.train_job)
        self._make_actions()
        self.statusBar().showMessage(self.tr("Ready"))
        self.resize(1280, 860)
        geometry = settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.go("home")

    def _make_actions(self) -> None:
        open_action = QAction(self.tr("Open data…"), self, objectName="actionOpen")
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.browse_data)
        quit_action = QAction(self.tr("Quit"), self, objectName="actionQuit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for i, name in enumerate(PAGES):
            action = QAction(page_title(name), self, objectName=f"actionGo_{name}")
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, n=name: self.go(n))
            go_menu.addAction(action)
        self._make_language_menu()
        self.open_action, self.quit_action = open_action, quit_action

    def _make_language_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Language"))
        menu.setObjectName("menuLanguage")
        group = QActionGroup(self)
        current = str(settings().value(LANGUAGE_SETTING, "auto") or "auto")
        choices = {"auto": self.tr("System language"), **LANGUAGES}    # each language named in itself
        self.language_actions = {}
        for code, name in choices.items():
            action = QAction(name, self, objectName=f"actionLanguage_{code}", checkable=True)
            action.setChecked(code == current or (code == "auto" and current not in LANGUAGES))
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            menu.addAction(action)
            self.language_actions[code] = action

    def set_language(self, code: str) -> None:
        """Keep ``code`` ("auto", "en", "zh_CN") as the language; it applies when bertdesk starts again,
        which it offers to do now."""
        settings().setValue(LANGUAGE_SETTING, code)
        if chosen_language() == current_language():
            return
        if ask(self, self.tr("Language"), self.tr("The new language applies when bertdesk starts again. "
                                                  "Restart bertdesk now?")):
            self.restart()
        else:
            self.statusBar().showMessage(self.tr("The new language applies when bertdesk starts again."), 8000)

    def restart(self) -> bool:
        """Close the window (asking about running work as Quit does) and start bertdesk again."""
        if not self.close():
            return False
        args = sys.argv[1:] if getattr(sys, "frozen", False) else sys.orig_argv[1:]
        return bool(QProcess.startDetached(sys.executable, args))

    # ------------------------------------------------------------ navigation
    def go(self, name: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def browse_data(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open data"), "", data_filter())
        if path:
            self.open_data(path)

    def open_data(self, path: str) -> bool:
        if self.wizard.train_page.running:
            self.statusBar().showMessage(self.tr("Training is running; open the file when it has finished."), 5000)
            return False
        self.go("train")
        return self.wizard.open_file(path)

    def resume_run(self, model_dir: str) -> bool:
        if self.runner.busy:
            self.statusBar().showMessage(self.tr("Another job is running; resume when it has finished."), 5000)
            return False
        self.go("train")
        return self.wizard.resume_run(model_dir)

    def show_results(self, model_dir: str) -> None:
        self.go("results")
        self.results.show_model(model_dir)

    def show_review(self, model_dir: str) -> None:
        self.go("review")
        self.review.show_model(model_dir)

    def train_job(self, config) -> bool:
        """Train ``config`` (built elsewhere: a retraining after a review) on the wizard's Train step."""
        if self.runner.busy:
            self.statusBar().showMessage(self.tr("Another job is running; train when it has finished."), 5000)
            return False
        self.go("train")
        return self.wizard.train_job(config)

    def _on_trained(self, model_dir: str) -> None:
        self.label.refresh_models(select=model_dir)
        self.show_results(model_dir)

    def _on_job_failed(self, name: str, message: str, tb: str) -> None:
        import logging

        logging.getLogger("bertdesk.gui").error("%s failed: %s\n%s", name, message, tb)
        if tb:
            print(tb, file=sys.stderr)
        show_error(self, self.tr("{job} failed").format(job=job_title(name)), message)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not getattr(self, "_preload_scheduled", False):
            from PySide6.QtCore import QTimer

            from . import preload
            self._preload_scheduled = True
            QTimer.singleShot(preload.DELAY_MS, self._preload)

    def _preload(self, *_args) -> None:
        """Import torch & co. in the background, but not while a model trains: training runs in its
        own process, and importing here meanwhile would only take turns with the window (the GIL)."""
        from . import preload

        if self.runner.busy and self.runner.job_name == "train":
            if not getattr(self, "_preload_waiting", False):
                self._preload_waiting = True
                self.runner.finished.connect(self._preload)
            return
        if getattr(self, "_preload_waiting", False):
            self._preload_waiting = False
            self.runner.finished.disconnect(self._preload)
        preload.start()

    # ------------------------------------------------------------ drag and drop
    def _dropped_file(self, event) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            if url.isLocalFile() and is_data_file(url.toLocalFile()):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        path = self._dropped_file(event)
        if path:
            event.acceptProposedAction()
            self.open_data(path)

    # ------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.runner.busy:
            job = job_title(self.runner.job_name)
            if not ask(self, self.tr("Quit bertdesk"),
                       self.tr("{job} is still running. Stop it and quit?").format(job=job)):
                event.ignore()
                return
            self.runner.cancel()
        elif self.label.unsaved() and not ask(self, self.tr("Quit bertdesk"),
                                              self.tr("The labeled rows have not been exported. "
                                                      "Quit anyway and discard them?")):
            event.ignore()
            return
        others = (self.results.attention.runner, self.results.attention.attribution.runner, self.results.why.runner,
                  self.results.fill_mask.runner,
                  self.wizard.model_page._device_runner, self.wizard.model_page._vocab_runner,
                  self.wizard.data_page._reader, self.label._reader)
        for runner in others:
            runner.cancel()
        for runner in (self.runner, *others):
            runner.wait(60000)
        self.label.discard_result()
        settings().setValue("window/geometry", self.saveGeometry())
        event.accept()
