"""Background jobs: a plain function runs in a QThread; its events come back as queued signals.

A job is ``fn(on_event, cancel) -> result`` (an ``app`` function with its data bound, e.g. by
``job(app.training.train, config)``): plain data in, plain data out (core events are frozen
dataclasses). One job at a time per runner; cancelling sets the CancelToken, which the core checks
every step. An exception in the job becomes the ``failed`` signal: the window never waits forever.
"""

from __future__ import annotations

import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

PROGRESS_INTERVAL_S = 0.05     # at most ~20 progress updates a second reach the GUI

Job = Callable[[Callable[[Any], None], Any], Any]


def job(fn: Callable, *args, **kwargs) -> Job:
    """``fn(*args, **kwargs, on_event=..., cancel=...)`` as a job for ``JobRunner.start``."""
    return lambda on_event, cancel: fn(*args, on_event=on_event, cancel=cancel, **kwargs)


class _Worker(QObject):
    event = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str, str)       # user message, traceback (empty for user errors)
    cancelled = Signal()

    def __init__(self, fn: Job, token) -> None:
        super().__init__()
        self._fn = fn
        self._token = token
        self._last_progress = 0.0
        self._last_phase = None

    @Slot()
    def run(self) -> None:
        from bertdesk.core.cancel import Cancelled
        from bertdesk.core.errors import BertdeskError

        try:
            result = self._fn(self._on_event, self._token)
        except Cancelled:
            self.cancelled.emit()
        except BertdeskError as exc:
            self.failed.emit(str(exc), "")
        except Exception as exc:  # noqa: BLE001 - every failure must reach the window
            first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
            details = getattr(exc, "details", "") or traceback.format_exc()      # a child process's own
            message = self.tr("Unexpected error ({kind}): {message}").format(kind=type(exc).__name__, message=first)
            self.failed.emit(message, details)
        else:
            if self._token.cancelled:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            # end the thread's event loop from inside: the GUI thread may be blocked in wait()
            QThread.currentThread().quit()

    def _on_event(self, event) -> None:
        from bertdesk.core.events import Progress

        if isinstance(event, Progress):
            now = time.monotonic()
            final = event.total and event.done >= event.total
            if (not final and event.phase == self._last_phase
                    and now - self._last_progress < PROGRESS_INTERVAL_S):
                return
            self._last_progress, self._last_phase = now, event.phase
        self.event.emit(event)


class JobRunner(QObject):
    """Runs one job at a time in a worker thread and re-emits what it reports in the GUI thread."""

    started = Signal(str)                 # job name
    progress = Signal(object)             # core.events.Progress
    metrics = Signal(object)              # core.events.Metrics
    log = Signal(str, str)                # message, level
    preview = Signal(object)              # a DataFrame: the first rows of a result
    succeeded = Signal(str, object)       # job name, result
    failed = Signal(str, str, str)        # job name, message, traceback
    cancelled = Signal(str)               # job name
    finished = Signal(str)                # job name, after any of the three above

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name: str | None = None
        self._token = None
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._retiring: list[tuple[QThread, _Worker]] = []

    @property
    def busy(self) -> bool:
        return self._name is not None

    @property
    def job_name(self) -> str | None:
        return self._name

    @property
    def cancelling(self) -> bool:
        return self._token is not None and self._token.cancelled

    def start(self, name: str, fn: Job) -> bool:
        """Start ``fn`` in a new thread; False (and nothing started) while another job runs."""
        if self.busy:
            return False
        from bertdesk.core.cancel import CancelToken

        self._name, self._token = name, CancelToken()
        thread = QThread()
        thread.setObjectName(f"bertdesk-{name}")
        worker = _Worker(fn, self._token)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        thread.finished.connect(worker.deleteLater)
        worker.event.connect(self._on_event)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._thread, self._worker = thread, worker
        thread.start()
        self.started.emit(name)
        return True

    def cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the worker threads have ended (used when the window closes)."""
        ok = True
        threads = [self._thread] + [t for t, _ in self._retiring]
        for thread in [t for t in threads if t is not None]:
            ok = thread.wait(timeout_ms) and ok
        return ok

    # -- worker signals, delivered in the GUI thread
    def _on_event(self, event) -> None:
        from bertdesk.core.events import Log, Metrics, Preview, Progress

        if isinstance(event, Progress):
            self.progress.emit(event)
        elif isinstance(event, Metrics):
            self.metrics.emit(event)
        elif isinstance(event, Log):
            self.log.emit(event.message, event.level)
        elif isinstance(event, Preview):
            self.preview.emit(event.rows)

    def _finish(self) -> str:
        name = self._name or ""
        thread, worker = self._thread, self._worker
        self._name = self._token = None
        self._thread = self._worker = None
        if thread is not None:
            entry = (thread, worker)
            self._retiring.append(entry)     # keep both alive until the thread has ended
            thread.finished.connect(self._retire)   # a slot of self: runs in the GUI thread
            thread.quit()
            if thread.isFinished():
                self._retiring.remove(entry)
                thread.deleteLater()
        return name

    @Slot()
    def _retire(self) -> None:
        thread = self.sender()
        for entry in list(self._retiring):
            if entry[0] is thread:
                self._retiring.remove(entry)
                entry[0].deleteLater()

    def _on_succeeded(self, result) -> None:
        name = self._finish()
        self.succeeded.emit(name, result)
        self.finished.emit(name)

    def _on_failed(self, message: str, tb: str) -> None:
        name = self._finish()
        self.failed.emit(name, message, tb)
        self.finished.emit(name)

    def _on_cancelled(self) -> None:
        name = self._finish()
        self.cancelled.emit(name)
        self.finished.emit(name)
