"""A backend shipped as its own distribution (tests/plugin_dist), found only through its
entry point, passes the contract suite: the plugin path works for third parties."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from imsg_core._plugins import ENTRY_POINT_GROUP
from imsg_core.testing import ReadableContract
from imsg_core.testing import ReleaseContract
from imsg_core.testing import TransactedContract
from imsg_core.testing import WritableContract

if not any(ep.name == "dirtree" for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)):
    pytest.skip(
        "tests/plugin_dist is not installed (pip install -e tests/plugin_dist)",
        allow_module_level=True,
    )


class DirFixtures:
    backend_name = "dirtree"

    def new_location(self, tmp_path: Path) -> str:
        return f"dirtree://{tmp_path / 'store'}"


class TestDirReadable(DirFixtures, ReadableContract):
    pass


class TestDirWritable(DirFixtures, WritableContract):
    pass


class TestDirTransacted(DirFixtures, TransactedContract):
    pass


class TestDirRelease(DirFixtures, ReleaseContract):
    pass


def test_plugin_module_is_only_reachable_through_its_entry_point() -> None:
    eps = [
        ep
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if ep.name == "dirtree"
    ]
    assert eps[0].value == "imsg_dirtree"
    assert eps[0].dist is not None and eps[0].dist.name == "imsg-dirtree-backend"
