"""Everything a storage backend needs, in one module.

A backend is a plugin module (or object) declared under the entry-point group
``imsg_core.backends``; the built-in backends import from here exactly as a third party
does::

    from imsg_core.backend import (
        STG, BackendInfo, Capabilities, Registry, StorageNode, TreeMedium, TreeStorage,
        hookimpl, stg_error,
    )

    @hookimpl
    def imsg_core_open_storage(session: Registry, location, mode, options):
        if not (isinstance(location, str) and location.startswith("myscheme://")):
            return None
        return TreeStorage.open_root(
            StorageNode("Root Entry"), MyMedium(location), mode, session=session,
            backend="mine",
        )

What is here:

* the hook marker :data:`hookimpl` (every hook and its contract: :mod:`imsg_core.hookspecs`);
* the storage contract (:class:`Storage`, :class:`Stream`, :class:`StatStg`,
  :class:`Capabilities`, :class:`BackendInfo`, :data:`Mode`, :func:`check_name`,
  :func:`name_sort_key`) for a backend that implements IStorage itself;
* the tree toolkit (:class:`TreeStorage`, :class:`TreeMedium`, :class:`StorageNode`,
  :class:`StreamNode`, :class:`StreamData`, :class:`BytesData`, :class:`SpoolData`): a
  backend supplies a medium (how a committed tree is persisted) and gets the whole contract
  — names, modes, transactions, release — for free;
* the session as a backend sees it (:class:`Registry`, :class:`ObjectRecord`,
  :class:`Stash`, :class:`StashKey`);
* errors (:func:`stg_error`, :data:`STG`, :class:`StorageError`,
  :class:`ObjectDeletedError`).

The contract test suite a backend runs against itself is :mod:`imsg_core.testing` (it needs
pytest, so it is imported from tests, not from here).
"""

from __future__ import annotations

from .errors import STG, ObjectDeletedError, StorageError, stg_error
from .hookspecs import hookimpl
from .registry import ObjectRecord, Registry, Stash, StashKey
from .storage import (
    BackendInfo,
    Capabilities,
    ElementType,
    Mode,
    StatStg,
    Storage,
    Stream,
    check_name,
    name_sort_key,
)
from .tree import (
    BytesData,
    SpoolData,
    StorageNode,
    StreamData,
    StreamNode,
    TreeMedium,
    TreeStorage,
    TreeStream,
)

__all__ = [
    "STG",
    "BackendInfo",
    "BytesData",
    "Capabilities",
    "ElementType",
    "Mode",
    "ObjectDeletedError",
    "ObjectRecord",
    "Registry",
    "SpoolData",
    "Stash",
    "StashKey",
    "StatStg",
    "Storage",
    "StorageError",
    "StorageNode",
    "Stream",
    "StreamData",
    "StreamNode",
    "TreeMedium",
    "TreeStorage",
    "TreeStream",
    "check_name",
    "hookimpl",
    "name_sort_key",
    "stg_error",
]
