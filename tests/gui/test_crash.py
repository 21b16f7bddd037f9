"""An unhandled exception in a slot or a thread is logged, shown in a dialog, and the app keeps running."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bertdesk.gui import crash


@pytest.fixture
def reporter(qapp, monkeypatch):
    shown = []

    def fake_exec(dialog):
        dialog.copy_button.click()           # the user copies the details
        shown.append({"message": dialog.message.text(), "log": dialog.log_label.text(), "details": dialog.details})
        return 0

    monkeypatch.setattr(crash.CrashDialog, "exec", fake_exec)
    rep = crash.install()
    rep.dialogs = shown
    yield rep
    rep.uninstall()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_logged_and_shown_and_the_app_keeps_running(window, qtbot, reporter):
    from bertdesk.core.logs import log_path

    def broken_slot():
        raise ZeroDivisionError("the divisor was zero")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(reporter.dialogs), timeout=5000)
    dialog = reporter.dialogs[0]
    assert dialog["message"].endswith("ZeroDivisionError: the divisor was zero")
    assert str(log_path()) in dialog["log"]
    clip = QApplication.clipboard().text()
    assert "Traceback" in clip and "broken_slot" in clip
    logged = log_path().read_text(encoding="utf-8")
    assert "ZeroDivisionError: the divisor was zero" in logged and "broken_slot" in logged
    # still alive: the window works as before
    window.go("models")
    assert window.current_page() == "models" and window.isVisible()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_background_thread_reaches_the_gui_thread(qtbot, reporter):
    def work():
        raise RuntimeError("disk on fire\nsecond line")

    t = threading.Thread(target=work, name="worker-x")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(reporter.dialogs), timeout=5000)
    assert reporter.shown == ["RuntimeError: disk on fire"]
    assert "In thread worker-x" in reporter.dialogs[0]["details"]
