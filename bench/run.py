"""`make bench`: runs the benchmark driver in `bench/driver/` (see `bench/README.md`)."""

import sys

from driver import main

if __name__ == "__main__":
    sys.exit(main())
