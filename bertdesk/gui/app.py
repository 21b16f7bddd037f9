"""``run(argv)``: create the application and the main window. ``--smoke`` builds it, prints one JSON
line and exits (a check that the GUI starts, also used to time the start-up)."""

from __future__ import annotations

import json
import os
import sys
import time

_T0 = time.perf_counter()


def make_app(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from .util import APP_NAME, ORG_NAME

    app = QApplication.instance()
    if app is None:
        # Qt 6 scales for high-DPI screens by default and follows the system palette (light/dark)
        app = QApplication(list(argv or [sys.argv[0]]))
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain("bertdesk.org")
    app.setApplicationName(APP_NAME)
    from .. import __version__
    app.setApplicationVersion(__version__)
    from .util import app_icon
    app.setWindowIcon(app_icon())
    return app


def run(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    smoke = "--smoke" in argv
    if smoke and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and sys.platform not in ("win32", "darwin"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app([a for a in argv if a != "--smoke"])
    from ..core.tmpfiles import sweep
    sweep()                      # what killed bertdesk processes left in the temp folder
    from PySide6.QtCore import QEvent, QObject

    from .crash import install
    app.crash_reporter = install()       # log file + dialogs for unhandled exceptions

    from .i18n import install as install_language
    install_language(app)     # the Language menu's choice, else the system's

    from .main_window import MainWindow

    window = MainWindow()
    painted = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and "t" not in painted:
                painted["t"] = time.perf_counter()
            return False

    watcher = FirstPaint()
    window.centralWidget().installEventFilter(watcher)
    window.show()
    shown = time.perf_counter()
    if smoke:
        deadline = time.perf_counter() + 5
        while "t" not in painted and time.perf_counter() < deadline:
            app.processEvents()
        heavy = sorted(m for m in ("torch", "transformers", "bertdesk.core.training", "bertdesk.core.predictor",
                                   "matplotlib", "pandas") if m in sys.modules)
        print(json.dumps({"ok": True, "pages": [window.stack.widget(i).objectName() for i in range(window.stack.count())],
                          "shown_s": round(shown - _T0, 3),
                          "first_paint_s": round(painted.get("t", shown) - _T0, 3),
                          "first_paint_epoch": time.time() - (time.perf_counter() - painted.get("t", shown)),
                          "heavy_modules_loaded": heavy, "platform": app.platformName()}), flush=True)
        window.close()
        return 0
    return app.exec()
