"""`python -m lessons ...`: see lessons/cli.py and lessons/README.md."""

import sys

from lessons.cli import main

sys.exit(main())
