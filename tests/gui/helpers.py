from __future__ import annotations

from PySide6.QtCore import Qt

TIMEOUT_MS = 180_000          # training starts a process of its own; CI machines may be busy


def click(qtbot, button) -> None:
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def setup_training(window, qtbot, data_path, model_dir, epochs: float = 1.0, batch: int = 32):
    """Walk the wizard from the data page to the settings page with the tiny model."""
    wiz = window.wizard
    assert window.open_data(str(data_path))
    click(qtbot, wiz.next)                      # -> task & columns
    assert wiz.current() is wiz.task_page
    click(qtbot, wiz.next)                      # -> model
    wiz.model_page.folder.setChecked(True)
    wiz.model_page.folder_path.setText(str(model_dir))
    click(qtbot, wiz.next)                      # -> settings
    assert wiz.current() is wiz.settings_page
    wiz.settings_page.preset.setCurrentText("quick")
    wiz.settings_page.epochs.setValue(epochs)
    wiz.settings_page.batch.setValue(batch)
    return wiz
