"""Why the model decided, two ways: the attention heatmap (tokens on both axes, layer/head/average/
rollout, hover read-out, zoom, PNG/SVG export) or the word attributions (integrated gradients,
``attribution_view``); and a "Try it" box that runs the model on any text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QSlider, QStackedWidget, QVBoxLayout, QWidget)

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..util import show_error
from ..workers import JobRunner

MEAN, ROLLOUT = "mean", "rollout"
MODES = [(QT_TRANSLATE_NOOP("AttentionView", "Word attribution (what changes the result)"), "attribution"),
         (QT_TRANSLATE_NOOP("AttentionView", "Attention map"), "attention")]


IDLE_TEXT = QT_TRANSLATE_NOOP("AttentionView", "Select a prediction row, or try your own text.")
PLACEHOLDER_TEXT = QT_TRANSLATE_NOOP("AttentionView", "The attention map appears here.")


class AttentionView(QWidget):
    shown = Signal()          # a new map is on screen

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model_dir: str | None = None
        self.result: dict | None = None
        self.matrix = None
        self.title = ""
        self._pending: str | None = None
        self.runner = JobRunner(self)
        self.runner.succeeded.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._run_pending)
        self._canvas = None
        self._request_model: str | None = None

        self.try_text = QLineEdit(objectName="tryText")
        self.try_text.setPlaceholderText(self.tr("Type a sentence and press Enter to see the prediction and why"))
        self.try_text.returnPressed.connect(self._try)
        self.try_button = QPushButton(self.tr("Try it"), objectName="tryRun")
        self.try_button.clicked.connect(self._try)
        self.prediction = QLabel(translate("AttentionView", IDLE_TEXT), objectName="tryPrediction")
        self.prediction.setWordWrap(True)
        font = self.prediction.font()
        font.setBold(True)
        self.prediction.setFont(font)

        self.layer = QComboBox(objectName="attentionLayer")
        self.head = QComboBox(objectName="attentionHead")
        self.head.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.head.setMinimumContentsLength(18)
        self.layer.currentIndexChanged.connect(self._redraw)
        self.head.currentIndexChanged.connect(self._redraw)
        self.zoom = QSlider(Qt.Orientation.Horizontal, objectName="attentionZoom")
        self.zoom.setRange(50, 400)
        self.zoom.setValue(100)
        self.zoom.setFixedWidth(120)
        self.zoom.setToolTip(self.tr("Zoom (100 % fits the view)"))
        self.zoom.valueChanged.connect(self._resize_canvas)
        self.whole_words = QCheckBox(self.tr("Whole words"), objectName="attentionWords")
        self.whole_words.setChecked(True)
        self.whole_words.setToolTip(self.tr("Join a word's pieces (and, for Chinese, the characters of a word) into "
                                            "one row and column: a word attends with the mean of its pieces to the "
                                            "sum of another word's pieces."))
        self.whole_words.toggled.connect(lambda _on: self._redraw())
        self.export_button = QPushButton(self.tr("Export PNG/SVG…"), objectName="attentionExport")
        self.export_button.clicked.connect(lambda: self.export_png())
        from .attribution_view import ExplainingPanel

        self.mode = QComboBox(objectName="attentionMode")
        for label, key in MODES:
            self.mode.addItem(translate("AttentionView", label), key)
        self.mode.setToolTip(self.tr("Word attribution: how much each word moved the result (integrated gradients). "
                                     "Attention: where the model looked, which often differs from what mattered."))
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.attribution = ExplainingPanel()
        self.attribution.setObjectName("attributionPanel")
        self.attribution.explained.connect(self._on_explained)
        self.text: str | None = None
        self.hover = QLabel(self.tr("Rows: each token (query); columns: the tokens it attends to (key). Hover a cell."),
                            objectName="attentionHover")
        self.hover.setMinimumWidth(220)
        self.hover.setWordWrap(True)

        self.scroll = QScrollArea(objectName="attentionScroll")
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._show_placeholder()

        try_row = QHBoxLayout()
        try_row.addWidget(self.try_text, 1)
        try_row.addWidget(self.try_button)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel(self.tr("Show")))
        mode_row.addWidget(self.mode, 1)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Layer")))
        controls.addWidget(self.layer)
        controls.addWidget(QLabel(self.tr("Head")))
        controls.addWidget(self.head)
        controls.addWidget(self.whole_words)
        controls.addStretch(1)
        # a second row: in one, the controls alone would hold the panel (and the predictions
        # table beside it) at 740 pixels or more
        view_controls = QHBoxLayout()
        view_controls.addWidget(QLabel(self.tr("Zoom")))
        view_controls.addWidget(self.zoom)
        view_controls.addWidget(self.export_button)
        view_controls.addStretch(1)
        attention_page = QWidget()
        ap = QVBoxLayout(attention_page)
        ap.setContentsMargins(0, 0, 0, 0)
        ap.addLayout(controls)
        ap.addLayout(view_controls)
        ap.addWidget(self.hover)
        ap.addWidget(self.scroll, 1)
        self.views = QStackedWidget(objectName="explainViews")
        self.views.addWidget(self.attribution)
        self.views.addWidget(attention_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(try_row)
        layout.addWidget(self.prediction)
        layout.addLayout(mode_row)
        layout.addWidget(self.views, 1)
        self._set_enabled(False)

    # ------------------------------------------------------------ inputs
    def set_model(self, model_dir: str | None) -> None:
        """Show another model: nothing of the previous one's (text, prediction, map) stays on screen."""
        changed = model_dir != self.model_dir
        self.model_dir = model_dir
        self.result = None
        self.attribution.set_model(model_dir)
        self.try_button.setEnabled(model_dir is not None)
        if changed:
            self._pending = None
            self.text = None
            self.matrix = None
            self.try_text.clear()
            self.prediction.setText(translate("AttentionView", IDLE_TEXT))
            self._set_enabled(False)
            if self._canvas is not None:
                self.scroll.takeWidget().deleteLater()
                self._canvas = None
                self._show_placeholder()

    def _show_placeholder(self) -> None:
        self.placeholder = QLabel(translate("AttentionView", PLACEHOLDER_TEXT))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.placeholder)

    def _on_explained(self) -> None:
        e = self.attribution.current()
        if e is not None:
            text = e["text"] if len(e["text"]) <= 90 else e["text"][:89] + "…"
            self.prediction.setText(self.tr("Prediction: {label}   —   “{text}”").format(label=e["target"], text=text))
        self.shown.emit()

    def mode_key(self) -> str:
        return self.mode.currentData()

    def _mode_changed(self) -> None:
        self.views.setCurrentIndex(self.mode.currentIndex())
        if self.text:
            self.show_text(self.text)

    def show_text(self, text: str) -> None:
        """Explain ``text`` the way the mode says (latest request wins while one runs)."""
        if not self.model_dir or not text.strip():
            return
        self.text = text
        if self.mode_key() == "attribution":
            current = self.attribution.current()
            if current is None or current["text"] != text or self.attribution.request != (self.model_dir, text, None):
                self.attribution.explain(text)
                self.prediction.setText(f"“{text if len(text) <= 90 else text[:89] + '…'}”")
            return
        if self.result is not None and self.result.get("text") == text:
            return
        from bertdesk.app.results import attention

        from ..workers import job

        if self.runner.busy:
            self._pending = text
            return
        self.prediction.setText(self.tr("Computing attention…"))
        self._request_model = self.model_dir
        self.runner.start("attention", job(attention, self.model_dir, text))

    def _try(self) -> None:
        self.show_text(self.try_text.text())

    def _run_pending(self, _name: str) -> None:
        if self._pending is not None:
            text, self._pending = self._pending, None
            self.show_text(text)

    def _on_failed(self, _name, message, tb) -> None:
        self.prediction.setText(message)
        if tb:
            show_error(self, self.tr("Attention"), message)

    def _on_result(self, _name, result: dict) -> None:
        if self._pending is not None or self._request_model != self.model_dir:
            return          # a newer request follows, or the model changed meanwhile
        self.result = result
        n_layers, n_heads = result["attentions"].shape[:2]
        for combo, items in ((self.layer, [self.tr("layer {i}").format(i=i) for i in range(n_layers)]),
                             (self.head, [self.tr("average of heads"), self.tr("rollout (all layers)")]
                              + [self.tr("head {h}").format(h=h) for h in range(n_heads)])):
            keep = combo.currentIndex()
            combo.blockSignals(True)
            if combo.count() != len(items):
                combo.clear()
                combo.addItems(items)
                keep = len(items) - 1 if combo is self.layer else 0
            combo.setCurrentIndex(max(0, min(keep, len(items) - 1)))
            combo.blockSignals(False)
        label = result.get("label") or ""
        score = result.get("score")
        text = result["text"]
        short = text if len(text) <= 90 else text[:89] + "…"
        if score is None:
            self.prediction.setText(self.tr("Prediction: {label}   —   “{text}”").format(label=label, text=short))
        else:
            self.prediction.setText(self.tr("Prediction: {label} ({score})   —   “{text}”").format(
                label=label, score=f"{score:.0%}", text=short))
        self._set_enabled(True)
        self._redraw()

    # ------------------------------------------------------------ drawing
    def selection(self) -> tuple[int | None, int | str]:
        head_index = self.head.currentIndex()
        if head_index == 1:
            return None, ROLLOUT
        head = MEAN if head_index <= 0 else head_index - 2
        return max(0, self.layer.currentIndex()), head

    def _set_enabled(self, on: bool) -> None:
        for w in (self.layer, self.head, self.zoom, self.export_button):
            w.setEnabled(on)
        self.whole_words.setEnabled(on and bool(self.result and self.result.get("words")))

    def _ensure_canvas(self):
        if self._canvas is None:
            from .heatmap import HeatmapCanvas

            self._canvas = HeatmapCanvas()
            self._canvas.hovered.connect(self._on_hover)
            self.scroll.setWidgetResizable(False)
            self.scroll.setWidget(self._canvas)
            self.placeholder = None
        return self._canvas

    def _by_words(self) -> bool:
        """Whether the map shows words: "Whole words" is on and the tokenizer gave offsets."""
        return bool(self.result and self.whole_words.isChecked() and self.result.get("words"))

    def labels(self) -> list[str]:
        """The map's rows and columns: words or the model's tokens."""
        if not self.result:
            return []
        return self.result["words"] if self._by_words() else self.result["tokens"]

    def _base_size(self) -> int:
        n = len(self.labels()) if self.result else 10
        viewport = self.scroll.viewport().size()
        fit = max(320, min(viewport.width(), viewport.height()) - 4)
        # labels stay readable (~16 px a token); long inputs (128+ tokens) scroll, zoom to see all
        return max(fit, min(4000, 16 * n + 220))

    def _resize_canvas(self) -> None:
        if self._canvas is None or not self.result:
            return
        self._canvas.set_side(int(self._base_size() * self.zoom.value() / 100))

    def _redraw(self) -> None:
        if not self.result:
            return
        from bertdesk.core.attention import select_map

        canvas = self._ensure_canvas()
        layer, head = self.selection()
        self.matrix, _ = select_map(self.result["attentions"], layer, head)
        if self._by_words():
            from bertdesk.core.attention import word_map

            self.matrix = word_map(self.matrix, self.result["word_of_token"])
        self.title = self._map_title(layer, head)
        canvas.set_data(self.matrix, self.labels(), self.title,
                        int(self._base_size() * self.zoom.value() / 100))
        self.shown.emit()

    def _map_title(self, layer: int | None, head: int | str) -> str:
        """The heatmap's title (``select_map``'s, in the interface's language)."""
        n_layers, n_heads = self.result["attentions"].shape[:2]
        if head == ROLLOUT:
            return self.tr("rollout over all layers")
        layer = (n_layers - 1 if layer is None else int(layer)) % n_layers
        if head == MEAN:
            return self.tr("layer {layer}, average of {n} heads").format(layer=layer, n=n_heads)
        return self.tr("layer {layer}, head {head}").format(layer=layer, head=head)

    def describe_cell(self, query: int, key: int) -> str:
        labels = self.labels()
        return f"{labels[query]} → {labels[key]}: {self.matrix[query, key]:.3f}"

    def _on_hover(self, query: int, key: int) -> None:
        if self.matrix is None:
            return
        text = self.describe_cell(query, key)
        self.hover.setText(text)
        self._canvas.setToolTip(text)

    def export_png(self, path: str | None = None) -> str | None:
        """The heatmap as a picture: PNG, or SVG when the name ends in .svg."""
        if self._canvas is None or not self.result:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export attention map"), "attention.png",
                                                  self.tr("PNG (*.png);;SVG (*.svg)"))
            if not path:
                return None
        from bertdesk.core.errors import BertdeskError
        from bertdesk.core.io import atomic_path

        from bertdesk.core.attention import render_heatmap

        from .mpl import use_cjk_fonts

        use_cjk_fonts()                # Chinese words in the picture need a font that has them

        try:
            with atomic_path(path) as tmp:
                kind = "svg" if str(path).lower().endswith(".svg") else "png"
                render_heatmap(self.matrix, self.labels(), self.title).savefig(tmp, format=kind, dpi=150)
        except BertdeskError as exc:
            show_error(self, self.tr("Export"), str(exc))
            return None
        return path
