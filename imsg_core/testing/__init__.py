"""The backend contract suite, shipped so third-party backends can run it against themselves.

Like fsspec's abstract tests, a backend adds a small fixtures class and inherits the suites
its capabilities allow::

    # tests/test_contract.py of a backend package
    from imsg_core.testing import BackendFixtures, ReadableContract, WritableContract

    class MyFixtures(BackendFixtures):
        def new_location(self, tmp_path):
            return f"myscheme://bucket/{tmp_path.name}.msg"

    class TestReadable(MyFixtures, ReadableContract): ...
    class TestWritable(MyFixtures, WritableContract): ...

Suites, split by capability: :class:`ReadableContract`, :class:`WritableContract`,
:class:`TransactedContract`, :class:`ReleaseContract`. A read-only backend overrides
:meth:`BackendFixtures.make_sample` to put :data:`SAMPLE_TREE` at a location by its own means.

Importing this module needs pytest (a test dependency, not a runtime one).
"""

from __future__ import annotations

from .contract import SAMPLE_TREE
from .contract import BackendFixtures
from .contract import ReadableContract
from .contract import ReleaseContract
from .contract import TransactedContract
from .contract import WritableContract
from .contract import build_tree
from .contract import tree_of

__all__ = [
    "SAMPLE_TREE",
    "BackendFixtures",
    "ReadableContract",
    "ReleaseContract",
    "TransactedContract",
    "WritableContract",
    "build_tree",
    "tree_of",
]
