"""A matplotlib canvas created on first use, so that opening the window does not import matplotlib."""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget


def palette_colors(widget: QWidget) -> tuple[str, str]:
    """(background, foreground) of the widget's palette, so charts follow light and dark themes."""
    pal = widget.palette()
    return pal.window().color().name(), pal.windowText().color().name()


class LazyCanvas(QWidget):
    """Holds a FigureCanvasQTAgg, built the first time ``figure`` or ``canvas`` is used."""

    def __init__(self, parent=None, figsize=(5, 3), min_height: int = 160) -> None:
        super().__init__(parent)
        self._figsize = figsize
        self._canvas = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def canvas(self):
        if self._canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            bg, fg = palette_colors(self)
            fig = Figure(figsize=self._figsize, dpi=100, facecolor=bg)
            self._canvas = FigureCanvasQTAgg(fig)
            self._canvas.setObjectName(self.objectName() + "Canvas" if self.objectName() else "canvas")
            self._layout.addWidget(self._canvas)
            self._fg = fg
        return self._canvas

    @property
    def figure(self):
        return self.canvas.figure

    @property
    def foreground(self) -> str:
        self.canvas
        return self._fg

    def style_axes(self, ax) -> None:
        fg = self.foreground
        ax.set_facecolor(self.figure.get_facecolor())
        for spine in ax.spines.values():
            spine.set_color(fg)
        ax.tick_params(colors=fg, labelsize=8)
        ax.xaxis.label.set_color(fg)
        ax.yaxis.label.set_color(fg)
        ax.title.set_color(fg)

    def redraw(self) -> None:
        self.canvas.draw_idle()
