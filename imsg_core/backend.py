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
  :class:`ObjectDeletedError`);
* :func:`trace_hook_calls` (what ``IMSG_TRACE_PLUGINS=1`` switches on) to watch every hook
  call of a plugin manager while writing a backend.

The contract test suite a backend runs against itself is :mod:`imsg_core.testing` (it needs
pytest, so it is imported from tests, not from here).
"""

from __future__ import annotations

from ._nodes import BytesData
from ._nodes import SpoolData
from ._nodes import StorageNode
from ._nodes import StreamData
from ._nodes import StreamNode
from ._plugins import trace_hook_calls
from ._registry import ObjectRecord
from ._registry import Registry
from ._registry import Stash
from ._registry import StashKey
from ._storage import MAX_NAME_LENGTH
from ._storage import BackendInfo
from ._storage import Capabilities
from ._storage import ElementType
from ._storage import Mode
from ._storage import StatStg
from ._storage import Storage
from ._storage import Stream
from ._storage import check_name
from ._storage import name_problem
from ._storage import name_sort_key
from ._tree import TreeMedium
from ._tree import TreeStorage
from ._tree import TreeStream
from .errors import STG
from .errors import ObjectDeletedError
from .errors import StorageError
from .errors import stg_error
from .hookspecs import hookimpl

__all__ = [
    "MAX_NAME_LENGTH",
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
    "name_problem",
    "name_sort_key",
    "stg_error",
    "trace_hook_calls",
]

for _name in __all__:  # reprs and docs name this public module, not the private one
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__.startswith("imsg_core._"):
        _obj.__module__ = __name__
del _name, _obj
