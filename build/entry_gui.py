"""Frozen entry point of the desktop app (PyInstaller runs this as __main__)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()      # first, before anything can start a child process
    from bertdesk.__main__ import main
    sys.exit(main())
