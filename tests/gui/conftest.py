"""GUI fixtures: isolated settings, a main window, recorded (never blocking) dialogs."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

TIMEOUT_MS = 60_000


@pytest.fixture
def isolated_settings(qapp, tmp_path):
    """Settings go to an INI file under tmp_path, under a test organisation: never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("bertdesk-tests")
    qapp.setApplicationName("bertdesk-tests")
    yield tmp_path / "settings"


class DialogRecorder:
    def __init__(self):
        self.errors: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self.answer = QMessageBox.StandardButton.Yes


@pytest.fixture
def dialogs(monkeypatch):
    rec = DialogRecorder()

    def critical(parent, title, text, *a, **kw):
        rec.errors.append((title, text))
        return QMessageBox.StandardButton.Ok

    def question(parent, title, text, *a, **kw):
        rec.questions.append(text)
        return rec.answer

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(critical))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(critical))
    return rec


@pytest.fixture
def window(qtbot, workspace, isolated_settings, dialogs):
    from bertdesk.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    dialogs.answer = QMessageBox.StandardButton.Yes     # cancel a job still running, then close
    win.close()
    win.runner.wait(TIMEOUT_MS)
