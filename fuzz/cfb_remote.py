"""atheris harness: the remote target of :mod:`fuzz.targets` (see :mod:`fuzz.harness`).

python fuzz/cfb_remote.py fuzz/corpus/remote -max_total_time=3600
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz.harness import main

if __name__ == "__main__":
    main("remote")
