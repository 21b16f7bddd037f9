"""Progress on stderr: a bar on a terminal, a line every 10 % in a log file or CI."""

from __future__ import annotations

import sys
import time

from ..core.events import Log, Metrics, Progress


class ProgressPrinter:
    """Draws a progress bar for Progress events on stderr and prints logs and eval metrics."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0
        self._open_line = False
        self._last_pct = {}

    def __call__(self, event) -> None:
        if self.quiet:
            return
        if isinstance(event, Progress):
            self._progress(event)
        elif isinstance(event, Log):
            self._line(("warning: " if event.level == "warning" else "") + event.message)
        elif isinstance(event, Metrics) and event.split == "eval":
            shown = ", ".join(f"{k} {v:.4f}" for k, v in event.values.items() if k != "loss")
            self._line(f"evaluation at epoch {event.epoch or 0:.2f}: loss {event.values.get('loss', float('nan')):.4f}"
                       + (f", {shown}" if shown else ""))

    def _progress(self, p) -> None:
        now = time.time()
        finished = p.total and p.done >= p.total
        if self.tty:
            if not finished and now - self._last < 0.1:
                return
            self._last = now
            frac = p.done / p.total if p.total else 0.0
            bar = "#" * int(frac * 30)
            eta = f" ETA {fmt_time(p.eta_s)}" if p.eta_s is not None and not finished else ""
            self.stream.write(f"\r{p.phase:>11} [{bar:<30}] {p.done}/{p.total}{eta}   ")
            self._open_line = True
            if finished:
                self.stream.write("\n")
                self._open_line = False
            self.stream.flush()
        else:  # a log file or CI: a line every 10 %, none for a phase that has only begun
            if p.done == 0 and p.total:
                return
            pct = int(100 * p.done / p.total) if p.total else 100
            key = p.phase
            if pct // 10 != self._last_pct.get(key, -1) // 10 or finished:
                if self._last_pct.get(key) != pct:
                    eta = f", ETA {fmt_time(p.eta_s)}" if p.eta_s else ""
                    self._line(f"{p.phase}: {p.done}/{p.total} ({pct}%{eta})")
                self._last_pct[key] = pct

    def _line(self, text: str) -> None:
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False
        self.stream.write(text + "\n")
        self.stream.flush()


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"
