"""What every wizard page offers the wizard."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ..i18n import translate


class WizardPage(QWidget):
    completeChanged = Signal()
    # English, marked QT_TRANSLATE_NOOP("<PageClass>", …) in each page; shown through shown_title/shown_subtitle
    title = ""
    subtitle = ""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard = wizard

    def shown_title(self) -> str:
        """The page's title in the interface's language."""
        return translate(type(self).__name__, self.title) if self.title else ""

    def shown_subtitle(self) -> str:
        """The page's subtitle in the interface's language."""
        return translate(type(self).__name__, self.subtitle) if self.subtitle else ""

    def is_complete(self) -> bool:
        return True

    def enter(self) -> None:
        """Called each time the page becomes the current one."""
