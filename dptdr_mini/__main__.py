"""`python -m dptdr_mini <verb>`."""

import sys

from .cli import main

sys.exit(main())
