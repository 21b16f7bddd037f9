"""Frozen entry point of bertdesk-cli (PyInstaller runs this as __main__)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from bertdesk.cli import main
    sys.exit(main())
