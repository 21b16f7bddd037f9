"""Two runs side by side (``core.history.compare``): metric changes, each label's F1 change, the
two confusion matrices, and the held-out rows whose result flipped, one click from their text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from .charts import ConfusionMatrixChart
from .mpl import LazyCanvas

GREEN, RED = "#2e7d32", "#c62828"
SCALARS = ("accuracy", "macro_f1", "micro_f1", "f1", "exact_match", "precision", "recall", "token_accuracy",
           "samples_f1", "macro_precision", "macro_recall", "ece", "brier")


class F1DeltaChart(LazyCanvas):
    """Horizontal bars: each label's F1 in run B minus run A."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, figsize=(4, 3), min_height=200)
        self.deltas: dict = {}

    def set_deltas(self, deltas: dict) -> None:
        self.deltas = dict(deltas)
        fig = self.figure
        fig.clear()
        ax = fig.add_subplot(111)
        self.style_axes(ax)
        items = sorted(deltas.items(), key=lambda kv: kv[1])[:30]
        if items:
            names = [k if len(k) <= 18 else k[:17] + "…" for k, _ in items]
            values = [v for _, v in items]
            ax.barh(names, values, color=[GREEN if v >= 0 else RED for v in values])
            ax.axvline(0, color=self.foreground, linewidth=0.8)
            span = max(0.05, max(abs(v) for v in values) * 1.2)
            ax.set_xlim(-span, span)
        ax.set_title(self.tr("F1 per label: B − A"), fontsize=9, color=self.foreground)
        fig.tight_layout()
        self.redraw()


def _item(text, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if colour:
        item.setForeground(QColor(colour))
    return item


class CompareDialog(QDialog):
    def __init__(self, result: dict, metrics_a: dict, metrics_b: dict, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.result = result
        a, b = result["a_name"], result["b_name"]
        self.setWindowTitle(self.tr("Compare: {b} against {a}").format(a=a, b=b))
        if result["same_data"]:
            line = self.tr("<b>B: {b}</b> against <b>A: {a}</b> — {n} held-out rows in both")
        else:
            line = self.tr("<b>B: {b}</b> against <b>A: {a}</b> — {n} held-out rows in both "
                           "(trained on different data: compare with care)")
        head = QLabel(line.format(a=a, b=b, n=f"{result['shared_rows']:,}"))
        head.setWordWrap(True)

        self.metrics = QTableWidget(0, 4, objectName="compareMetrics")
        self.metrics.setHorizontalHeaderLabels([self.tr("metric"), "A", "B", "B − A"])
        self.metrics.verticalHeader().hide()
        keys = [k for k in SCALARS if k in result["metric_deltas"]]
        self.metrics.setRowCount(len(keys))
        for r, key in enumerate(keys):
            delta = result["metric_deltas"][key]
            lower_better = key in ("ece", "brier")
            good = (delta < 0) if lower_better else (delta > 0)
            self.metrics.setItem(r, 0, _item(key.replace("_", " ")))
            self.metrics.setItem(r, 1, _item(f"{metrics_a.get(key, 0):.4f}"))
            self.metrics.setItem(r, 2, _item(f"{metrics_b.get(key, 0):.4f}"))
            self.metrics.setItem(r, 3, _item(f"{delta:+.4f}", None if abs(delta) < 1e-9 else GREEN if good else RED))
        self.metrics.resizeColumnsToContents()

        self.f1 = F1DeltaChart()
        self.f1.setObjectName("compareF1")
        self.f1.setVisible(bool(result["f1_deltas"]))
        if result["f1_deltas"]:
            self.f1.set_deltas(result["f1_deltas"])
        self.confusion_a, self.confusion_b = ConfusionMatrixChart(), ConfusionMatrixChart()
        for chart, key, labels in ((self.confusion_a, "confusion_a", "labels_a"),
                                   (self.confusion_b, "confusion_b", "labels_b")):
            chart.setVisible(bool(result.get(key)))
            if result.get(key):
                chart.set_matrix(result[key], result.get(labels) or [])
        matrices = QSplitter(Qt.Orientation.Horizontal)
        for title, chart in (("A", self.confusion_a), ("B", self.confusion_b)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(QLabel(f"<b>{title}</b>"))
            lay.addWidget(chart, 1)
            matrices.addWidget(box)

        self.flips = QTabWidget(objectName="compareFlips")
        self.flip_tables = {}
        for key, title in (("right_to_wrong", self.tr("Right → wrong ({n})")),
                           ("wrong_to_right", self.tr("Wrong → right ({n})"))):
            rows = result[key]
            table = QTableWidget(len(rows), 5, objectName=f"compare_{key}")
            table.setHorizontalHeaderLabels([self.tr("row"), self.tr("text"), self.tr("true"), self.tr("A predicted"),
                                             self.tr("B predicted")])
            table.verticalHeader().hide()
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            for r, row in enumerate(rows):
                for c, value in enumerate((str(row["row"]), row["text"], row["true"], row["predicted_a"],
                                           row["predicted_b"])):
                    table.setItem(r, c, _item(value))
            table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            table.currentCellChanged.connect(lambda r, _c, _pr, _pc, k=key: self.show_row(k, r))
            self.flip_tables[key] = table
            self.flips.addTab(table, title.format(n=f"{len(rows):,}"))
        self.detail = QLabel(self.tr("Click a row to read it whole."), objectName="compareDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.metrics, 1)
        top.addWidget(self.f1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(top)
        layout.addWidget(matrices, 1)
        layout.addWidget(self.flips, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        self.resize(1100, 820)

    def show_row(self, key: str, r: int) -> None:
        rows = self.result[key]
        if 0 <= r < len(rows):
            row = rows[r]
            self.detail.setText(self.tr("<b>Row {row}</b> (true: {true}; A: {a}; B: {b})<br>{text}").format(
                row=row["row"], true=row["true"], a=row["predicted_a"], b=row["predicted_b"], text=_escape(row["text"])))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

