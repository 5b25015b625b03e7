"""`python -m radar`: the command-line entry."""

from __future__ import annotations

import sys

from radar.cli import main

sys.exit(main())
