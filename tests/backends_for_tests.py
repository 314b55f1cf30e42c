"""Small in-test backends used to exercise the plugin machinery (not installed)."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from imsg_core.backend import BackendInfo
from imsg_core.backend import Capabilities
from imsg_core.backend import Mode
from imsg_core.backend import ObjectRecord
from imsg_core.backend import Registry
from imsg_core.backend import Storage
from imsg_core.backend import StorageNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import TreeStorage
from imsg_core.backend import hookimpl


class _KeepMedium(TreeMedium):
    def __init__(self) -> None:
        self.root: StorageNode | None = None

    def persist(self, root: StorageNode, flags: int) -> None:
        self.root = root


class SchemeBackend:
    """A backend claiming ``<scheme>://...``; records the objects its release hook was
    called for (the session releases the objects themselves), optionally fails."""

    def __init__(self, scheme: str, *, fail_release: bool = False) -> None:
        self.scheme = scheme
        self.fail_release = fail_release
        self.released: list[object] = []
        self.release_calls = 0

    @hookimpl
    def imsg_core_open_storage(
        self, session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
    ) -> Storage | None:
        if not (isinstance(location, str) and location.startswith(self.scheme + "://")):
            return None
        return TreeStorage.open_root(
            StorageNode("Root Entry"), _KeepMedium(), mode, session=session, backend=self.scheme
        )

    @hookimpl
    def imsg_core_release(self, session: Registry, objects: Sequence[ObjectRecord]) -> None:
        self.release_calls += 1
        mine = [r for r in objects if r.backend == self.scheme]
        for rec in mine:
            if self.fail_release:
                raise RuntimeError(f"{self.scheme} release exploded")
            self.released.append(rec.obj)

    @hookimpl
    def imsg_core_describe_backend(self) -> BackendInfo:
        return BackendInfo(
            name=self.scheme,
            description=f"test backend {self.scheme}",
            schemes=(self.scheme,),
            capabilities=Capabilities(True, True, True),
        )


class Misspelled:
    """A plugin with a hook name that does not exist."""

    @hookimpl
    def imsg_core_open_storgae(self, session: Registry, location: Any) -> None:  # typo on purpose
        return None
