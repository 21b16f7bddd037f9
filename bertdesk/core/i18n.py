"""Marks for the texts the core hands the GUI to show (task names, column roles, presets).

The core stays English and Qt-free: ``QT_TRANSLATE_NOOP("core", "…")`` returns its text unchanged,
and ``pyside6-lupdate`` finds the call by its name and files the text for translation; the GUI shows
it through ``bertdesk.gui.i18n.core_text``. The CLI prints the English.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text
