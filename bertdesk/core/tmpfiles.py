"""Temporary files and folders that name the process that made them, so that what a killed run
left behind is found and removed by the next one, and nothing of a finished run stays.

``temp_dir(kind)`` makes ``<temp>/bertdesk-<kind>-<pid>-XXXX``; ``sweep()`` removes such folders
whose process is gone. Files written beside their target (``core.io``) carry the pid the same way
(``.<name>.<pid>-<id>.tmp``) and ``sweep_beside(path)`` removes those of dead processes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "bertdesk-"
_OWNED = re.compile(r"bertdesk-[a-z]+-(\d+)-")
_BESIDE = re.compile(r"\.(\d+)-[0-9a-f]+\.(tmp|old)$")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (this process counts)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temp_dir(kind: str) -> Path:
    """A new temporary folder of this process (``kind``: a short lower-case word)."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


def sweep(folder: str | Path | None = None) -> int:
    """Remove the temporary folders of bertdesk processes that are gone; how many."""
    folder = Path(folder or tempfile.gettempdir())
    removed = 0
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{PREFIX}*"):
            m = _OWNED.match(path.name)
            if m and not pid_alive(int(m.group(1))):
                _remove(path)
                removed += 1
    return removed


def beside_name(path: Path, suffix: str) -> Path:
    """A hidden name beside ``path`` for a file or folder being written (``suffix``: tmp or old)."""
    import uuid

    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.{suffix}")


def sweep_beside(path: Path) -> int:
    """Remove what dead processes left beside ``path`` while writing it; how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for item in path.parent.glob(f".{glob_escape(path.name)}.*"):
            m = _BESIDE.search(item.name)
            if m and item.name.startswith(f".{path.name}.") and not pid_alive(int(m.group(1))):
                _remove(item)
                removed += 1
    return removed


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)
