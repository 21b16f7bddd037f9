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


def _owner_only(path: Path) -> None:
    """Create the log file readable and writable by its owner only (0600), or make it so."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    if os.name != "nt":
        os.chmod(path, 0o600)


class OwnerOnlyFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files, the rolled-over ones too, only their owner can read."""

    def _open(self):
        _owner_only(Path(self.baseFilename))
        return super()._open()


def forward_records(sink) -> logging.Handler:
    """A handler that hands the bertdesk logger's records to ``sink(name, level, message)`` (a
    child process sends them to its parent, which writes them in its log)."""

    class Forward(logging.Handler):
        def emit(self, record):
            try:
                sink(record.name, record.levelno, record.getMessage())
            except Exception:  # noqa: BLE001 - logging must never break the work
                pass

    handler = Forward()
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Attach a 1 MB x 3 rotating file handler once; returns the log file, or None if unwritable."""
    logger = logging.getLogger(LOGGER)
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _owner_only(path)
        handler = OwnerOnlyFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path
