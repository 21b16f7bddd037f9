"""What every wizard page offers the wizard."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class WizardPage(QWidget):
    completeChanged = Signal()
    title = ""
    subtitle = ""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard = wizard

    def is_complete(self) -> bool:
        return True

    def enter(self) -> None:
        """Called each time the page becomes the current one."""
