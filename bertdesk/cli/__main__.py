"""``python -m bertdesk.cli`` (and ``torchrun -m bertdesk.cli``): the command line."""

import sys

from . import main

sys.exit(main())
