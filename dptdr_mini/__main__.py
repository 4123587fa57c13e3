"""`python -m dptdr_mini <verb>`."""

import sys

from dptdr_mini.cli import main

sys.exit(main())
