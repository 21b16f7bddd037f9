"""Driving the app from a script, as the screenshot and walkthrough scripts do: a scratch workspace
and settings, the application, and waiting for it without blocking its event loop."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


class Driver:
    def __init__(self, prefix: str, organisation: str) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["BERTDESK_WORKSPACE"] = str(self.tmp / "workspace")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.tmp / "settings"))
        from bertdesk.gui.app import make_app

        self.app = make_app(["bertdesk"])
        self.app.setOrganizationName(organisation)
        from bertdesk.gui.i18n import install

        self.language = install(self.app)          # the system's language (LANG=zh_CN.UTF-8: Chinese)

    def wait(self, cond, timeout: float = 600.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("the app did not get there in time")
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self, seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def shot(self, widget, out: Path, name: str) -> Path:
        self.settle()
        path = Path(out) / f"{name}.png"
        widget.grab().save(str(path))
        print("saved", path)
        return path
