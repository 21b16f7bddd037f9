"""Unhandled exceptions: logged with their traceback, shown in a dialog, and the app keeps running.

``install()`` replaces ``sys.excepthook`` (PySide6 hands it the exceptions raised in slots and
event handlers) and ``threading.excepthook`` (plain Python threads; their report is sent to the
GUI thread through a queued signal, since widgets may only be touched there).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton,
                               QStyle, QVBoxLayout)

log = logging.getLogger("bertdesk.gui")


def one_line(exc: BaseException) -> str:
    first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class CrashDialog(QDialog):
    """One line saying what happened, the log file, and "Copy details" for the whole traceback."""

    def __init__(self, message: str, details: str, log_file: str | None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("bertdesk: unexpected error"))
        self.details = details
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        self.message = QLabel(self.tr("<b>Something went wrong:</b> {message}").format(message=_escape(message)),
                              objectName="crashMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where = (self.tr("The details are in the log file:<br><code>{path}</code>").format(path=_escape(log_file))
                 if log_file else self.tr("The log file could not be written; use “Copy details”."))
        keeps = self.tr("bertdesk keeps running; save your work if anything looks wrong.")
        self.log_label = QLabel(where + "<br>" + keeps, objectName="crashLog")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy details"), objectName="crashCopy")
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.log_label)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied ✓"))


def _escape(text: str) -> str:
    from html import escape
    return escape(text)


class CrashReporter(QObject):
    """Owns the hooks; reports reach ``show`` in the GUI thread whichever thread raised."""

    report = Signal(str, str)          # one-line message, traceback

    def __init__(self, log_file=None, parent=None) -> None:
        super().__init__(parent)
        self.log_file = str(log_file) if log_file else None
        self.showing = False
        self.shown: list[str] = []     # messages shown (for the tests and the status bar)
        self._previous = (sys.excepthook, threading.excepthook)
        self.report.connect(self.show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> "CrashReporter":
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous[0]
        if threading.excepthook == self.thread_excepthook:
            threading.excepthook = self._previous[1]

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("Unhandled exception\n%s", details)
        print(details, file=sys.stderr)
        self.report.emit(one_line(exc), details)

    def thread_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = getattr(args.thread, "name", "a background thread")
        details = f"In thread {name}:\n" + "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        log.error("Unhandled exception\n%s", details)
        print(details, file=sys.stderr)
        self.report.emit(one_line(args.exc_value), details)

    @Slot(str, str)
    def show(self, message: str, details: str) -> None:
        self.shown.append(message)
        if self.showing:               # one dialog at a time: later errors are in the log
            return
        self.showing = True
        try:
            dialog = CrashDialog(message, details, self.log_file, QApplication.activeWindow())
            dialog.exec()
            dialog.deleteLater()
        finally:
            self.showing = False


def install() -> CrashReporter:
    """Start the log file and the hooks; call once, after the QApplication exists."""
    from bertdesk.core.logs import setup_logging

    log_file = setup_logging()
    log.info("bertdesk started")
    reporter = CrashReporter(log_file, QApplication.instance())
    return reporter.install()
