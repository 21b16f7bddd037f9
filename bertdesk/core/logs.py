"""A rotating log file in the user's data folder; what a user sends when something goes wrong."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOGGER = "bertdesk"


def log_dir() -> Path:
    env = os.environ.get("BERTDESK_LOG_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "bertdesk" / "logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "bertdesk"
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "bertdesk"


def log_path() -> Path:
    return log_dir() / "bertdesk.log"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Attach a 1 MB x 3 rotating file handler once; returns the log file, or None if unwritable."""
    logger = logging.getLogger(LOGGER)
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path
