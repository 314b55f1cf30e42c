"""``python -m imsg_core.cli``: the ``imsg`` tool."""

from __future__ import annotations

import sys

from . import main

if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
