"""Word attributions drawn over the text: each word on a red (towards the result) or blue (away
from it) background, its score on hover; the words that pushed most; export as HTML, PNG or SVG."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolTip,
                               QVBoxLayout, QWidget)

from ..util import show_error

PADDING = 8


def _qcolor(css: str) -> QColor:
    inside = css[css.index("(") + 1:css.index(")")].split(",")
    r, g, b, a = (float(x) for x in inside)
    color = QColor(int(r), int(g), int(b))
    color.setAlphaF(a)
    return color


class WordsCanvas(QWidget):
    """The text laid out in lines, its words on their colours; hovering a word shows its score."""

    hovered = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.explanation: dict | None = None
        self._boxes: list[tuple[QRect, dict]] = []
        self._height = 60

    def set_explanation(self, explanation: dict | None) -> None:
        self.explanation = explanation
        self._layout(self.width() or 500)
        self.updateGeometry()
        self.update()

    def _pieces(self):
        """(text, word or None) pieces of the text in order."""
        e = self.explanation
        if not e:
            return []
        text, out, pos = e["text"], [], 0
        for w in e["words"]:
            if w["start"] > pos:
                out.append((text[pos:w["start"]], None))
            out.append((text[w["start"]:w["end"]], w))
            pos = w["end"]
        if pos < len(text):
            out.append((text[pos:], None))
        return out

    def _layout(self, width: int) -> None:
        fm = QFontMetrics(self.font())
        line_h = fm.height() + 6
        x = y = PADDING
        self._boxes = []
        for piece, word in self._pieces():
            for part in piece.split("\n") if word is None else [piece]:
                w = fm.horizontalAdvance(part)
                if x + w > width - PADDING and x > PADDING:
                    x, y = PADDING, y + line_h
                self._boxes.append((QRect(x, y, w, line_h - 4), {"text": part, "word": word}))
                x += w
        self._height = y + line_h + PADDING

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(500, self._height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(200, self._height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._layout(event.size().width())
        self.setMinimumHeight(self._height)
        super().resizeEvent(event)

    def paint_on(self, painter: QPainter) -> None:
        from bertdesk.core.explain import colour

        if not self.explanation:
            return
        scale = max((abs(w["score"]) for w in self.explanation["words"]), default=0.0)
        fg = self.palette().windowText().color()
        for rect, item in self._boxes:
            word = item["word"]
            if word is not None:
                painter.fillRect(rect, _qcolor(colour(word["score"], scale)))
            painter.setPen(fg)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), item["text"])

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.paint_on(painter)
        painter.end()

    def word_at(self, point: QPoint) -> dict | None:
        for rect, item in self._boxes:
            if item["word"] is not None and rect.contains(point):
                return item["word"]
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        word = self.word_at(event.position().toPoint())
        if word is not None:
            text = f"{word['word']}: {word['score']:+.4f}"
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
            self.hovered.emit(text)
        super().mouseMoveEvent(event)


class AttributionPanel(QWidget):
    """The attribution of one text: a target to choose (several for multi-label and NER), the
    coloured words, the top words, and the exports."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.explanations: list[dict] = []
        self.target = QComboBox(objectName="attributionTarget")
        self.target.currentIndexChanged.connect(self._show_current)
        self.canvas = WordsCanvas()
        self.canvas.setObjectName("attributionWords")
        self.top = QLabel("", objectName="attributionTop")
        self.top.setWordWrap(True)
        self.note = QLabel(self.tr("Red: pushed towards the result; blue: away from it. Hover a word for its score."),
                           objectName="attributionNote")
        self.note.setWordWrap(True)
        self.export_html = QPushButton(self.tr("Export HTML…"), objectName="attributionExportHtml")
        self.export_html.clicked.connect(lambda: self.export("html"))
        self.export_image = QPushButton(self.tr("Export PNG/SVG…"), objectName="attributionExportImage")
        self.export_image.clicked.connect(lambda: self.export("image"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Why")))
        row.addWidget(self.target, 1)
        row.addWidget(self.export_html)
        row.addWidget(self.export_image)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.canvas)
        layout.addWidget(self.top)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.set_explanations([])

    def set_explanations(self, explanations: list[dict], message: str = "") -> None:
        self.explanations = list(explanations)
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems([e["target"] for e in self.explanations])
        self.target.blockSignals(False)
        self.target.setVisible(len(self.explanations) > 1)
        for w in (self.export_html, self.export_image):
            w.setEnabled(bool(self.explanations))
        if not self.explanations:
            self.canvas.set_explanation(None)
            self.top.setText(message)
            return
        self._show_current()

    def current(self) -> dict | None:
        i = self.target.currentIndex()
        return self.explanations[i] if 0 <= i < len(self.explanations) else (
            self.explanations[0] if self.explanations else None)

    def _show_current(self) -> None:
        e = self.current()
        self.canvas.set_explanation(e)
        if e is None:
            return
        ranked = sorted(e["words"], key=lambda w: -w["score"])
        towards = ", ".join(f"{w['word']} ({w['score']:+.2f})" for w in ranked[:5] if w["score"] > 0)
        against = ", ".join(f"{w['word']} ({w['score']:+.2f})" for w in ranked[::-1][:3] if w["score"] < 0)
        text = self.tr("<b>Towards “{target}”:</b> {words}").format(target=e["target"], words=towards or "–")
        if against:
            text += "<br>" + self.tr("<b>Against:</b> {words}").format(words=against)
        text += "<br><span style='color:#666'>" + self.tr("convergence delta {delta}").format(
            delta=f"{e['delta']:+.4f}") + "</span>"
        self.top.setText(text)

    def export(self, kind: str, path: str | None = None) -> str | None:
        e = self.current()
        if e is None:
            return None
        if path is None:
            filters = self.tr("HTML (*.html)") if kind == "html" else self.tr("PNG (*.png);;SVG (*.svg)")
            default = "explanation.html" if kind == "html" else "explanation.png"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the explanation"), default, filters)
            if not path:
                return None
        from bertdesk.core.errors import BertdeskError
        from bertdesk.core.explain import to_html
        from bertdesk.core.io import atomic_path, write_text

        try:
            if path.lower().endswith(".html"):
                write_text(path, to_html(e))
            elif path.lower().endswith(".svg"):
                from PySide6.QtSvg import QSvgGenerator

                with atomic_path(path) as tmp:
                    gen = QSvgGenerator()
                    gen.setFileName(str(tmp))
                    gen.setSize(self.canvas.size())
                    gen.setViewBox(QRectF(0, 0, self.canvas.width(), self.canvas.height()))
                    gen.setTitle(self.tr("Why {target}").format(target=e["target"]))
                    painter = QPainter(gen)
                    self.canvas.paint_on(painter)
                    painter.end()
            else:
                with atomic_path(path) as tmp:
                    if not self.canvas.grab().save(str(tmp), "PNG"):
                        raise BertdeskError(self.tr("could not write the picture"), file=path)
        except BertdeskError as exc:
            show_error(self, self.tr("Export"), str(exc))
            return None
        return path


class ExplainingPanel(AttributionPanel):
    """An AttributionPanel that computes its explanations in a worker (``app.results.explanation``);
    the latest request wins while one runs, and a result for another model is dropped."""

    explained = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from ..workers import JobRunner

        self.model_dir: str | None = None
        self.request: tuple | None = None
        self._pending: tuple | None = None
        self._generation = 0              # a result asked for before the latest model change is dropped
        self._asked_in = -1
        self.runner = JobRunner(self)
        self.runner.succeeded.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._run_pending)

    def set_model(self, model_dir: str | None) -> None:
        if model_dir != self.model_dir:
            self.model_dir = model_dir
            self._pending = None
            self._generation += 1
            self.request = None
            self.set_explanations([], "")

    def explain(self, text: str, pair: str | None = None) -> None:
        if not self.model_dir or not text or not text.strip():
            return
        request = (self.model_dir, text, pair)
        if self.runner.busy:
            self._pending = request
            return
        from bertdesk.app.results import explanation

        from ..workers import job

        self.request = request
        self._asked_in = self._generation
        self.set_explanations([], self.tr("Working out which words made the model decide…"))
        self.runner.start("explain", job(explanation, self.model_dir, text, pair))

    def _run_pending(self, _name: str) -> None:
        if self._pending is not None:
            request, self._pending = self._pending, None
            if request[0] == self.model_dir:
                self.explain(request[1], request[2])

    def _on_result(self, _name: str, result: dict) -> None:
        if self._pending is not None or result["model_dir"] != self.model_dir or self._asked_in != self._generation:
            return
        self.set_explanations(result["explanations"], self.tr("Nothing to explain here."))
        self.explained.emit()

    def _on_failed(self, _name: str, message: str, _tb: str) -> None:
        self.set_explanations([], message)
