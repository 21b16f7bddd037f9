"""Small charts: label distribution, training curves, confusion matrix, per-class scores."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..i18n import QT_TRANSLATE_NOOP, translate
from .mpl import LazyCanvas

ACCENT = "#1e88e5"
SECOND = "#fb8c00"
THIRD = "#43a047"
MAX_BARS = 30


class LabelDistributionChart(LazyCanvas):
    """Horizontal bars: how many rows carry each label (the most frequent first)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, figsize=(5, 2.6), min_height=180)
        self.counts: dict[str, int] = {}

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        fig = self.figure
        fig.clear()
        ax = fig.add_subplot(111)
        self.style_axes(ax)
        items = sorted(counts.items(), key=lambda kv: -kv[1])[:MAX_BARS]
        if items:
            names = [k if len(k) <= 24 else k[:23] + "…" for k, _ in items][::-1]
            values = [v for _, v in items][::-1]
            bars = ax.barh(names, values, color=ACCENT)
            ax.bar_label(bars, padding=3, fontsize=8, color=self.foreground)
            ax.set_xlabel(self.tr("rows"))
            ax.set_xlim(0, max(values) * 1.15)
            title = (self.tr("Label distribution (top {top} of {n})").format(top=MAX_BARS, n=len(counts))
                     if len(counts) > MAX_BARS else self.tr("Label distribution"))
            ax.set_title(title, fontsize=10)
        fig.tight_layout()
        self.redraw()


class CurvesChart(QWidget):
    """Training loss and the evaluation metric against the step, painted with QPainter.

    Live curves repaint during training; matplotlib took 300-700 ms of the GUI thread per redraw
    on a busy 2-core CPU (measured with build/measure_gui.py), QPainter takes about a millisecond.
    """

    # the right panel's title for the metrics tasks train towards (others: "evaluation {metric}")
    EVAL_TITLES = {"": QT_TRANSLATE_NOOP("CurvesChart", "evaluation metric"),
                   "accuracy": QT_TRANSLATE_NOOP("CurvesChart", "evaluation accuracy"),
                   "f1": QT_TRANSLATE_NOOP("CurvesChart", "evaluation f1"),
                   "micro_f1": QT_TRANSLATE_NOOP("CurvesChart", "evaluation micro f1"),
                   "macro_f1": QT_TRANSLATE_NOOP("CurvesChart", "evaluation macro f1"),
                   "masked_accuracy": QT_TRANSLATE_NOOP("CurvesChart", "evaluation masked accuracy")}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.train: list[tuple[int, float]] = []
        self.eval: list[tuple[int, float]] = []
        self.eval_name = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.update)

    def reset(self, eval_name: str = "") -> None:
        self.train, self.eval, self.eval_name = [], [], eval_name
        self.update()

    def add(self, split: str, step: int, values: dict) -> None:
        if split == "train" and "loss" in values:
            self.train.append((step, values["loss"]))
        elif split == "eval":
            name = self.eval_name if self.eval_name in values else next(
                (k for k in ("accuracy", "micro_f1", "macro_f1", "f1") if k in values), None)
            if name:
                self.eval_name = name
                self.eval.append((step, values[name]))
        if not self._timer.isActive():
            self._timer.start()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        half = w // 2
        last = max([s for s, _ in self.train + self.eval] or [1])
        self._panel(p, QRectF(0, 0, half - 6, h), self.tr("training loss"), self.train, ACCENT, None, last)
        title = (self.tr(self.EVAL_TITLES[self.eval_name]) if self.eval_name in self.EVAL_TITLES else
                 self.tr("evaluation {metric}").format(metric=self.eval_name.replace("_", " ")))
        self._panel(p, QRectF(half + 6, 0, w - half - 6, h), title, self.eval, SECOND, (0.0, 1.0), last)
        p.end()

    def _panel(self, p, rect, title, points, color, y_range, x_max) -> None:
        fg = self.palette().windowText().color()
        grid = self.palette().mid().color()
        fm = p.fontMetrics()
        plot = rect.adjusted(fm.horizontalAdvance("0.000") + 12, fm.height() + 8, -8, -(fm.height() + 10))
        p.setPen(fg)
        p.drawText(QRectF(rect.left(), rect.top(), rect.width(), fm.height() + 4),
                   Qt.AlignmentFlag.AlignCenter, title)
        if y_range is None:
            ys = [v for _, v in points] or [0.0, 1.0]
            lo, hi = min(ys), max(ys)
            pad = (hi - lo) * 0.1 or 0.05
            y_range = (lo - pad, hi + pad)
        lo, hi = y_range
        p.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for k in range(5):
            y = plot.bottom() - k / 4 * plot.height()
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(fg)
            p.drawText(QRectF(rect.left(), y - fm.height() / 2, plot.left() - rect.left() - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{lo + k / 4 * (hi - lo):.3f}")
            p.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        p.setPen(fg)
        p.setBrush(Qt.BrushStyle.NoBrush)   # the previous chart's point brush would fill the frame
        p.drawRect(plot)
        p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height() + 6),
                   Qt.AlignmentFlag.AlignCenter, self.tr("step (0 – {last})").format(last=x_max))
        if not points:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("waiting for the first values…"))
            return

        def at(step, value):
            x = plot.left() + step / max(1, x_max) * plot.width()
            y = plot.bottom() - (value - lo) / max(hi - lo, 1e-9) * plot.height()
            return QPointF(x, y)

        pts = [at(s, v) for s, v in points]
        p.setPen(QPen(QColor(color), 2))
        if len(pts) > 1:
            p.drawPolyline(QPolygonF(pts))
        if len(pts) < 40:
            p.setBrush(QColor(color))
            for pt in pts:
                p.drawEllipse(pt, 3, 3)


class ConfusionMatrixChart(LazyCanvas):
    """A confusion matrix heatmap; clicking a cell emits (true label, predicted label)."""

    cellClicked = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent, figsize=(4.2, 3.0), min_height=220)
        self.labels: list[str] = []
        self.matrix = None
        self._ax = None

    def set_matrix(self, matrix, labels: list[str]) -> None:
        import numpy as np

        self.matrix = np.asarray(matrix, dtype=int)
        self.labels = list(labels)
        fig = self.figure
        fig.clear()
        ax = self._ax = fig.add_subplot(111)
        self.style_axes(ax)
        n = len(labels)
        ax.imshow(self.matrix, cmap="Blues", interpolation="nearest")
        short = [l if len(l) <= 14 else l[:13] + "…" for l in labels]
        ax.set_xticks(range(n), labels=short, rotation=30 if n > 3 else 0, ha="right" if n > 3 else "center")
        ax.set_yticks(range(n), labels=short)
        ax.set_xlabel(self.tr("predicted"))
        ax.set_ylabel(self.tr("true"))
        ax.set_title(self.tr("Confusion matrix (click a cell)"), fontsize=9, color=self.foreground)
        peak = max(1, int(self.matrix.max()) if self.matrix.size else 1)
        if n <= 20:
            for i in range(n):
                for j in range(n):
                    v = int(self.matrix[i, j])
                    ax.text(j, i, str(v), ha="center", va="center", fontsize=9 if n <= 8 else 6,
                            color="white" if v > peak * 0.55 else "black")
        fig.tight_layout()
        if not hasattr(self, "_cid"):
            self._cid = self.canvas.mpl_connect("button_press_event", self._on_click)
        self.redraw()

    def cell_at(self, xdata: float, ydata: float) -> tuple[int, int] | None:
        n = len(self.labels)
        j, i = int(round(xdata)), int(round(ydata))
        return (i, j) if 0 <= i < n and 0 <= j < n else None

    def _on_click(self, event) -> None:
        if event.inaxes is not self._ax or event.xdata is None:
            return
        cell = self.cell_at(event.xdata, event.ydata)
        if cell:
            self.cellClicked.emit(self.labels[cell[0]], self.labels[cell[1]])


class PerClassChart(LazyCanvas):
    """Grouped bars of precision, recall and F1 per label."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, figsize=(5, 3.0), min_height=220)

    def set_scores(self, per_class: dict) -> None:
        import numpy as np

        fig = self.figure
        fig.clear()
        ax = fig.add_subplot(111)
        self.style_axes(ax)
        names = list(per_class)[:MAX_BARS]
        x = np.arange(len(names))
        w = 0.27
        series = (("precision", self.tr("precision"), ACCENT), ("recall", self.tr("recall"), SECOND),
                  ("f1", self.tr("f1"), THIRD))
        for k, (key, legend, color) in enumerate(series):
            ax.bar(x + (k - 1) * w, [per_class[n][key] for n in names], w, label=legend, color=color)
        short = [n if len(n) <= 14 else n[:13] + "…" for n in names]
        ax.set_xticks(x, labels=short, rotation=30 if len(names) > 3 else 0,
                      ha="right" if len(names) > 3 else "center")
        ax.set_ylim(0, 1.05)
        ax.set_title(self.tr("Per label: precision, recall, F1"), fontsize=9, color=self.foreground)
        ax.legend(fontsize=7, loc="lower right", framealpha=0.8)
        fig.tight_layout()
        self.redraw()


class ReliabilityChart(LazyCanvas):
    """Predicted confidence against observed accuracy, per confidence bin: the diagonal is a model
    whose scores mean what they say. Bars: with the fitted temperature; dots: before it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, figsize=(3.6, 3.0), min_height=220)
        self.report: dict | None = None

    def set_report(self, report: dict) -> None:
        self.report = report
        fig = self.figure
        fig.clear()
        ax = fig.add_subplot(111)
        self.style_axes(ax)
        ax.plot([0, 1], [0, 1], color="#9e9e9e", linewidth=1, linestyle="--")
        after, before = report.get("reliability") or {}, report.get("reliability_uncalibrated") or {}
        if after.get("confidence"):
            ax.bar(after["confidence"], after["accuracy"], width=1 / 15 * 0.9, color=ACCENT, alpha=0.8,
                   label=self.tr("scaled (ECE {ece})").format(ece=f"{report['ece']:.3f}"))
        if before.get("confidence"):
            ax.plot(before["confidence"], before["accuracy"], "o", color=SECOND, markersize=4,
                    label=self.tr("unscaled (ECE {ece})").format(ece=f"{report['ece_uncalibrated']:.3f}"))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(self.tr("confidence"))
        ax.set_ylabel(self.tr("accuracy"))
        from bertdesk.core.calibration import MIN_ITEMS

        n = report.get("n_items", 0)
        title = (self.tr("Reliability ({n} held-out items: too few to scale)").format(n=n) if n < MIN_ITEMS else
                 self.tr("Reliability (temperature {t})").format(t=_temperature_text(report.get("temperature"))))
        ax.set_title(title, fontsize=9, color=self.foreground)
        ax.legend(fontsize=7, loc="upper left", framealpha=0.8)
        fig.tight_layout()
        self.redraw()


def _temperature_text(t) -> str:
    if isinstance(t, (int, float)):
        return f"{t:.2f}"
    if isinstance(t, list) and t:
        return translate("charts", "{low}-{high} per label").format(low=f"{min(t):.2f}", high=f"{max(t):.2f}")
    return "–"
