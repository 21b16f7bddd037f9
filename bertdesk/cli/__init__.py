"""bertdesk-cli: the same jobs as the app, headless. Exit codes: 0 ok, 2 bad input or usage, 1 other.

``parser`` builds the arguments, ``commands`` calls the core and prints, ``progress`` draws
progress on stderr; ``main`` turns every failure into one ``error:`` line and an exit code.
"""

from __future__ import annotations

import json
import logging
import os
import sys

from ..core.cancel import Cancelled
from ..core.errors import BertdeskError
from .parser import UsageError, build_parser
from .progress import ProgressPrinter

log = logging.getLogger("bertdesk")

__all__ = ["ProgressPrinter", "UsageError", "build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    from ..core.logs import setup_logging
    from .commands import COMMANDS

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    log_file = setup_logging()
    from ..core.tmpfiles import sweep
    sweep()                                   # what killed bertdesk processes left in the temp folder
    try:
        args = build_parser().parse_args(argv)
        log.info("bertdesk-cli %s", args.command)
        result = COMMANDS[args.command](args)
        from ..core.distributed import dist_info
        if getattr(args, "json", False) and dist_info().is_main:
            print(json.dumps(result, default=_json_default, ensure_ascii=False))
        return 0
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BertdeskError as exc:
        log.info("user error (%s)", type(exc).__name__)
        print(f"error: {exc.user_message}", file=sys.stderr)
        return 2
    except (Cancelled, KeyboardInterrupt):
        # Ctrl-C: training stops between steps (its checkpoints stay for --resume); no partial file
        # is left, as every output is written beside its name and renamed only when complete
        print("error: cancelled", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: one line, details in the log
        log.exception("unexpected error")
        where = f" (details in {log_file})" if log_file else ""
        print(f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{where}",
              file=sys.stderr)
        return 1


def _json_default(obj):
    import numpy as np
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)
