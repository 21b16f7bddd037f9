"""``python -m bertdesk``: the desktop app; on a machine without a screen, the headless demo."""

from __future__ import annotations

import multiprocessing
import os
import sys


def _has_screen() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


USAGE = """usage: bertdesk [--demo] [--smoke] [--version] [--help]

Fine-tune BERT on your own spreadsheets: opens the bertdesk window.

options:
  --demo     run the headless demo (train on the sample reviews, label a sample sheet), no window
  --smoke    build the window, print one line of JSON and quit (a start-up check)
  --version  print the version and quit
  --help     print this and quit

On a machine without a screen, bertdesk runs the demo. The same jobs run headless with
bertdesk-cli (bertdesk-cli --help)."""


def main() -> int:
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(USAGE)
        return 0
    if "--version" in args:
        from . import __version__
        print(f"bertdesk {__version__}")
        return 0
    if "--smoke" in args:
        from .smoke import run_smoke
        return run_smoke()
    if "--demo" in args or not _has_screen():
        from .cli import main as cli_main
        if "--demo" not in args:
            print("No screen found: running the headless demo (bertdesk-cli demo).", file=sys.stderr)
        return cli_main(["demo"])
    try:
        from .gui.app import run
    except ImportError as exc:
        print(f"The desktop app is not available ({exc}); running the headless demo instead.", file=sys.stderr)
        from .cli import main as cli_main
        return cli_main(["demo"])
    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
