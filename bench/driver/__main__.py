"""`python -m bench.driver` (from the repository root): the same run as `bench/run.py`."""

import sys

from . import main

sys.exit(main())
