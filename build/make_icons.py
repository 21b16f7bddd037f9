"""Draw the bertdesk app icon with QPainter and write it for every platform.

    python build/make_icons.py [OUT_DIR]      (default: resources/icons)

Writes bertdesk.png (512 px), bertdesk-256.png, bertdesk.ico (16/32/48/256, PNG-compressed entries)
and bertdesk.icns (ic08/ic09/ic10 = 256/512/1024 PNG). The containers are written by hand so the
result does not depend on which Qt image plugins are installed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLUE_TOP, BLUE_BOTTOM = "#2f80ed", "#1b4fb8"
DOT_COLORS = ("#ffd166", "#ffffff")


def draw(size: int):
    """The mark: a blue rounded square, a white lower-case "b", and a 3×3 grid of attention dots
    whose sizes vary like weights in an attention map."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPen

    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 100.0                          # design on a 100-unit grid
    margin = 4 * s
    body = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    grad = QLinearGradient(body.topLeft(), body.bottomLeft())
    grad.setColorAt(0, QColor(BLUE_TOP))
    grad.setColorAt(1, QColor(BLUE_BOTTOM))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(body, 22 * s, 22 * s)

    # the "b": a stem and a bowl, drawn as one thick white stroke path
    white = QColor("#ffffff")
    stroke = max(1.5, 11 * s)
    pen = QPen(white, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    path.moveTo(QPointF(27 * s, 20 * s))
    path.lineTo(QPointF(27 * s, 78 * s))
    p.drawPath(path)
    bowl = QRectF(27 * s, 44 * s, 34 * s, 34 * s)
    p.drawEllipse(bowl)

    # attention grid: 3 × 3 dots, bigger where "attention" is high (the diagonal and one hot spot)
    if size >= 32:
        weights = [[1.0, 0.35, 0.2], [0.45, 0.9, 0.3], [0.25, 0.6, 1.0]]
        p.setPen(Qt.PenStyle.NoPen)
        x0, y0, step = 69 * s, 20 * s, 10 * s
        for r in range(3):
            for c in range(3):
                w = weights[r][c]
                radius = (1.6 + 2.6 * w) * s
                color = QColor(DOT_COLORS[0] if w >= 0.9 else DOT_COLORS[1])
                color.setAlphaF(0.55 + 0.45 * w)
                p.setBrush(color)
                p.drawEllipse(QPointF(x0 + c * step, y0 + r * step), radius, radius)
    p.end()
    return img


def png_bytes(img) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICO container: ICONDIR, one ICONDIRENTRY per size, then the PNG data (Vista+ format)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size               # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICNS container: 'icns' + total length, then (type, length incl. header, PNG) per entry."""
    types = {256: b"ic08", 512: b"ic09", 1024: b"ic10"}
    body = b"".join(types[s] + struct.pack(">I", 8 + len(pngs[s])) + pngs[s] for s in sorted(types))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["make_icons"])  # noqa: F841 - fonts, painting
    pngs = {size: png_bytes(draw(size)) for size in (16, 32, 48, 256, 512, 1024)}
    (out / "bertdesk.png").write_bytes(pngs[512])
    (out / "bertdesk-256.png").write_bytes(pngs[256])
    (out / "bertdesk.ico").write_bytes(ico_bytes({s: pngs[s] for s in (16, 32, 48, 256)}))
    (out / "bertdesk.icns").write_bytes(icns_bytes(pngs))
    for name in ("bertdesk.png", "bertdesk-256.png", "bertdesk.ico", "bertdesk.icns"):
        print(f"{out / name}  {(out / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
