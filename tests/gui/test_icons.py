"""The app icon: present, used by the window, and valid ICO/ICNS containers."""

from __future__ import annotations

import struct

from bertdesk.core.workspace import resources_dir

ICONS = resources_dir() / "icons"


def test_window_uses_the_png_icon(window):
    icon = window.windowIcon()
    assert not icon.isNull()
    assert max(s.width() for s in icon.availableSizes()) == 512


def test_ico_and_icns_hold_png_entries_of_the_right_sizes():
    from PySide6.QtGui import QImage

    ico = (ICONS / "bertdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, 4)
    sizes = []
    for i in range(count):
        w, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        img = QImage.fromData(ico[offset:offset + length], "PNG")
        assert img.width() == (w or 256)
        sizes.append(img.width())
    assert sizes == [16, 32, 48, 256]

    icns = (ICONS / "bertdesk.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    pos, found = 8, {}
    while pos < len(icns):
        kind, length = icns[pos:pos + 4], struct.unpack(">I", icns[pos + 4:pos + 8])[0]
        found[kind] = QImage.fromData(icns[pos + 8:pos + length], "PNG").width()
        pos += length
    assert found == {b"ic08": 256, b"ic09": 512, b"ic10": 1024}
