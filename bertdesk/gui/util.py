"""Small GUI helpers: settings (versioned), recent lists, dialogs, formatting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from bertdesk.core.formats import open_dialog_filter, suffixes

from .i18n import QT_TRANSLATE_NOOP, translate

ORG_NAME = "bertdesk"
APP_NAME = "bertdesk"
SETTINGS_VERSION = 1
MAX_RECENT = 8
DATA_FILTER = open_dialog_filter()          # English; data_filter() gives it in the interface's language
FILTER_NAMES = (QT_TRANSLATE_NOOP("util", "Data files"), QT_TRANSLATE_NOOP("util", "Tables"),
                QT_TRANSLATE_NOOP("util", "CoNLL token files"), QT_TRANSLATE_NOOP("util", "SQuAD question answering"),
                QT_TRANSLATE_NOOP("util", "All files"))


def settings() -> QSettings:
    """The app's settings (organisation/application names set by app.run or by the tests)."""
    s = QSettings()
    version = s.value("settings_version", 0, type=int)
    if version < SETTINGS_VERSION:
        migrate_settings(s, version)
    return s


def migrate_settings(s: QSettings, version: int) -> None:
    # version 0 -> 1: nothing to convert yet; record the version so later releases can migrate
    s.setValue("settings_version", SETTINGS_VERSION)


def recent(key: str) -> list[str]:
    value = settings().value(key, [])
    if isinstance(value, str):
        value = [value]
    return [v for v in (value or []) if v]


def add_recent(key: str, item: str) -> None:
    items = [item] + [v for v in recent(key) if v != item]
    settings().setValue(key, items[:MAX_RECENT])


def named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    return widget


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828; font-weight: 600;")
    label.hide()
    return label


def show_error_text(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def heading(text: str, size: int = 15) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


def show_error(parent, title: str, message: str) -> None:
    """A modal error dialog (tests replace QMessageBox.critical to record instead of block)."""
    QMessageBox.critical(parent, title, message)


def ask(parent, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return translate("util", "{s} s").format(s=seconds)
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return translate("util", "{min} min {s} s").format(min=minutes, s=f"{s:02d}")
    hours, m = divmod(minutes, 60)
    return translate("util", "{h} h {min} min").format(h=hours, min=f"{m:02d}")


def data_filter() -> str:
    """``DATA_FILTER`` with its descriptions ("Data files (*.csv …)") in the interface's language."""
    parts = []
    for part in DATA_FILTER.split(";;"):
        name, sep, patterns = part.partition(" (")
        parts.append((translate("util", name) if name in FILTER_NAMES else name) + sep + patterns)
    return ";;".join(parts)


def is_data_file(path: str | Path) -> bool:
    """Whether a dropped file is one bertdesk reads (by its name)."""
    return Path(path).suffix.lower() in suffixes()


def app_icon():
    """The bertdesk icon (resources/icons, drawn by build/make_icons.py); empty when missing."""
    from PySide6.QtGui import QIcon

    from bertdesk.core.workspace import resources_dir

    icon = QIcon()
    for name in ("bertdesk.png", "bertdesk-256.png"):
        path = resources_dir() / "icons" / name
        if path.exists():
            icon.addFile(str(path))
    return icon
