"""PyInstaller entry script: the frozen app starts here (see build.spec)."""

import sys

from rsiviz.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
