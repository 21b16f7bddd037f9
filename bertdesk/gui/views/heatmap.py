"""A [query, key] attention map painted directly with QPainter: one image for the cells, tokens on
both axes, a colour bar. Painting 128 x 128 cells this way takes milliseconds, where a matplotlib
figure with 256 tick labels takes seconds on the GUI thread. (PNG export still uses the core's
matplotlib figure: a deliberate save, not an interaction.)"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

_LUT: np.ndarray | None = None


def viridis_lut() -> np.ndarray:
    """256 x 3 uint8 colours of matplotlib's viridis (perceptually uniform, colour-blind safe)."""
    global _LUT
    if _LUT is None:
        from matplotlib import colormaps

        _LUT = (colormaps["viridis"](np.linspace(0.0, 1.0, 256))[:, :3] * 255).astype(np.uint8)
    return _LUT


def to_image(matrix: np.ndarray, vmin: float, vmax: float) -> QImage:
    """The matrix as an RGB image, one pixel a cell (scaled up when painted)."""
    span = max(vmax - vmin, 1e-12)
    idx = np.clip(((matrix - vmin) / span * 255).round(), 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(viridis_lut()[idx])
    h, w = idx.shape
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return image.copy()          # own the pixels: ``rgb`` goes away


class HeatmapCanvas(QWidget):
    hovered = Signal(int, int)           # query row, key column under the mouse

    MIN_CELL, BAR_W = 2.0, 14

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.matrix: np.ndarray | None = None
        self.tokens: list[str] = []
        self.title = ""
        self._image: QImage | None = None
        self._range = (0.0, 1.0)
        self.side = 400
        self.setObjectName("attentionCanvas")

    # ------------------------------------------------------------ data and geometry
    def set_data(self, matrix: np.ndarray, tokens: list[str], title: str, side: int) -> None:
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.tokens = [str(t) for t in tokens]
        self.title = title
        self._range = (float(self.matrix.min()), float(self.matrix.max()))
        self._image = to_image(self.matrix, *self._range)
        self.set_side(side)

    def set_side(self, side: int) -> None:
        self.side = int(side)
        self.setFixedSize(self.sizeHint())
        self.update()

    def _font(self) -> QFont:
        n = max(len(self.tokens), 1)
        font = QFont(self.font())
        font.setPixelSize(int(max(7, min(13, self._cell() * 0.8))) if n else 11)
        return font

    def _cell(self) -> float:
        n = max(len(self.tokens), 1)
        return max(self.MIN_CELL, (self.side - 140) / n)

    def _label_width(self) -> int:
        if not self.tokens:
            return 40
        fm = QFontMetrics(self._font())
        return min(140, max(fm.horizontalAdvance(t) for t in self.tokens) + 8)

    def plot_rect(self) -> QRect:
        """Where the cells are painted (widget coordinates)."""
        n = max(len(self.tokens), 1)
        cell = self._cell()
        top = 28 if self.title else 8
        return QRect(self._label_width(), top, int(round(cell * n)), int(round(cell * n)))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        plot = self.plot_rect()
        return QSize(plot.right() + 30 + self.BAR_W + 50, plot.bottom() + self._label_width() + 8)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        plot = self.plot_rect()
        if self.matrix is None or not plot.contains(pos):
            return None
        n = self.matrix.shape[0]
        cell = plot.width() / n
        q, k = int((pos.y() - plot.top()) / cell), int((pos.x() - plot.left()) / cell)
        return (q, k) if 0 <= q < n and 0 <= k < n else None

    # ------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        if self._image is None:
            p.end()
            return
        plot = self.plot_rect()
        n = len(self.tokens)
        cell = plot.width() / max(n, 1)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        p.drawImage(plot, self._image)
        p.setPen(QColor("#222222"))
        if self.title:
            title_font = QFont(self.font())
            title_font.setPixelSize(14)
            p.setFont(title_font)
            p.drawText(QRect(0, 4, self.width(), 22), Qt.AlignmentFlag.AlignCenter, self.title)
        font = self._font()
        p.setFont(font)
        fm = QFontMetrics(font)
        step = max(1, int(np.ceil(fm.height() / max(cell, 1e-6))))      # skip labels that would overlap
        lw = self._label_width()
        for i in range(0, n, step):
            y = plot.top() + (i + 0.5) * cell
            p.drawText(QRect(0, int(y - fm.height() / 2), lw - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.tokens[i])
        p.save()
        p.translate(plot.left(), plot.bottom() + 4)
        p.rotate(90)
        for i in range(0, n, step):
            x = (i + 0.5) * cell
            p.drawText(QRect(0, int(-x - fm.height() / 2), lw - 4, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.tokens[i])
        p.restore()
        # colour bar with its range
        bar = QRect(plot.right() + 16, plot.top(), self.BAR_W, plot.height())
        ramp = to_image(np.linspace(1.0, 0.0, 256, dtype=np.float32)[:, None], 0.0, 1.0)
        p.drawImage(bar, ramp)
        p.drawRect(bar)
        small = QFont(self.font())
        small.setPixelSize(10)
        p.setFont(small)
        lo, hi = self._range
        p.drawText(bar.right() + 4, bar.top() + 10, f"{hi:.2f}")
        p.drawText(bar.right() + 4, bar.bottom(), f"{lo:.2f}")
        p.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        hit = self.cell_at(event.position().toPoint())
        if hit is not None:
            self.hovered.emit(*hit)
