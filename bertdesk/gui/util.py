"""Small GUI helpers: settings (versioned), recent lists, dialogs, formatting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFrame, QLabel, QMessageBox, QWidget

ORG_NAME = "bertdesk"
APP_NAME = "bertdesk"
SETTINGS_VERSION = 1
MAX_RECENT = 8
DATA_FILTER = ("Data files (*.csv *.tsv *.txt *.xlsx *.xlsm *.jsonl *.conll *.json);;"
               "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm *.jsonl);;CoNLL token files (*.conll *.txt);;"
               "SQuAD question answering (*.json);;All files (*)")
TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".jsonl", ".ndjson", ".conll", ".iob",
                  ".bio", ".json")


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


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


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
        return f"{seconds} s"
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {s:02d} s"
    hours, m = divmod(minutes, 60)
    return f"{hours} h {m:02d} min"


def is_table_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def read_model_meta(model_dir: Path) -> dict | None:
    import json
    try:
        return json.loads((Path(model_dir) / "bertdesk.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# the core reports QA scores as SQuAD does, on a 0-100 scale; the GUI shows every score as 0-1
PERCENT_SCALE_TASKS = ("qa",)


def as_fraction(task: str | None, value: float) -> float:
    return value / 100.0 if task in PERCENT_SCALE_TASKS else value


def main_metric(meta: dict) -> tuple[str, float | None]:
    metrics = meta.get("metrics") or {}
    for key in ("accuracy", "micro_f1", "macro_f1", "f1", "exact_match"):
        if isinstance(metrics.get(key), (int, float)):
            return key, as_fraction(meta.get("task"), float(metrics[key]))
    return "", None


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
