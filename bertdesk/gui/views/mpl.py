"""A matplotlib canvas created on first use, so that opening the window does not import matplotlib."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

# families that draw Chinese, in order of preference (Linux, Windows, macOS, Android's fallback)
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "Microsoft YaHei", "DengXian", "SimHei", "PingFang SC", "Hiragino Sans GB",
                "Heiti SC", "STHeiti", "Arial Unicode MS", "Droid Sans Fallback", "AR PL UMing CN")
# font file names worth opening when matplotlib's cached list has none of them (fonts installed later)
_CJK_FILE = re.compile(r"cjk|droidsansfallback|wqy|wenquanyi|sourcehan|msyh|simhei|simsun|deng|pingfang|hiragino|"
                       r"notosanssc|notosans-?sc|heiti|arialuni|uming|ukai", re.I)
# fonts shipped with the app (the bundle build copies one in when the build machine has one)
BUNDLED_FONTS = Path(__file__).resolve().parents[1] / "fonts"
PROBE = 0x4E2D          # 中: a font that has it draws Chinese


def _has_cjk(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        return PROBE in FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False


@functools.lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The name of a font family that has Chinese glyphs, registered with matplotlib; None when the
    machine has none. matplotlib falls back to it glyph by glyph (``font.sans-serif``)."""
    from matplotlib import font_manager

    known = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known and _has_cjk(known[family]):
            return family
    candidates = sorted(BUNDLED_FONTS.glob("*.[ot]t[fc]")) if BUNDLED_FONTS.is_dir() else []
    candidates += sorted(Path(f) for f in font_manager.findSystemFonts() if _CJK_FILE.search(Path(f).name))
    for path in candidates:
        if _has_cjk(str(path)):
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def use_cjk_fonts() -> str | None:
    """Make matplotlib draw Chinese (labels, tokens, column names) with a font that has it, the
    default font first for Latin text; returns the CJK family used, or None."""
    from matplotlib import rcParams

    family = cjk_family()
    if family:
        # a list of families is a fallback chain, glyph by glyph; a generic name ("sans-serif") is not
        rcParams["font.family"] = ["DejaVu Sans", family]
        rcParams["axes.unicode_minus"] = False      # not every CJK font has U+2212
    return family


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

            use_cjk_fonts()

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
