"""`python -m bot.cli` runs the `gatebot` command."""

import sys

from bot.cli import main

sys.exit(main())
