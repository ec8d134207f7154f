"""``python -m plancheck.cli``: the same command as ``plancheck``."""

import sys

from . import app

if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
