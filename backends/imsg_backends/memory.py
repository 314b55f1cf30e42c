"""In-memory storages, held per session: ``mem://NAME``.

Each session has its own store (kept in the session's stash), so two sessions never see each
other's storages and nothing is process-global (unlike fsspec's ``memory://``). A storage
opened with mode ``"w"``/``"x"`` exists in the store once committed; ``"r"``/``"r+"`` open a
committed one. ``mem://`` with no name creates an anonymous storage. Everything is dropped
when the session closes.

Storages are fully readable, writable and transacted; stream data above 8 MiB spills to a
temporary file, so large streams do not have to fit in memory.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from imsg_backends import check_options
from imsg_core.backend import STG
from imsg_core.backend import BackendInfo
from imsg_core.backend import Capabilities
from imsg_core.backend import Mode
from imsg_core.backend import ObjectRecord
from imsg_core.backend import Registry
from imsg_core.backend import StashKey
from imsg_core.backend import Storage
from imsg_core.backend import StorageNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import TreeStorage
from imsg_core.backend import hookimpl
from imsg_core.backend import stg_error

NAME = "memory"
SCHEME = "mem://"
CAPABILITIES = Capabilities(readable=True, writable=True, transacted=True)


class MemoryStore:
    """One session's named in-memory roots."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.roots: dict[str, StorageNode] = {}


STORE = StashKey[MemoryStore]()


def store_of(session: Registry) -> MemoryStore:
    """The memory store of ``session`` (created on first use; ``dict.setdefault`` is atomic,
    so two threads asking at once get the same store)."""
    return session.stash.setdefault(STORE, MemoryStore())


class MemoryMedium(TreeMedium):
    """Persists a root into the session's store under its name."""

    capabilities = CAPABILITIES

    def __init__(self, store: MemoryStore, name: str) -> None:
        self.store = store
        self.name = name

    def persist(self, root: StorageNode, flags: int) -> None:
        with self.store.lock:
            self.store.roots[self.name] = root

    def describe(self) -> str:
        return f"{SCHEME}{self.name}"


def open_memory(session: Registry, name: str, mode: Mode) -> TreeStorage:
    """Open or create the in-memory root ``name`` in ``session``."""
    store = store_of(session)
    with store.lock:
        existing = store.roots.get(name)
    if mode in ("r", "r+"):
        if existing is None:
            raise stg_error(
                STG.STG_E_FILENOTFOUND,
                f"no in-memory storage {SCHEME}{name} in this session ({SCHEME} is the "
                f"session's own store, emptied when it closes; fsspec's process-wide store "
                f"is memory://{name}, a different place)",
            )
        root = existing
    elif mode == "x" and existing is not None:
        raise stg_error(
            STG.STG_E_FILEALREADYEXISTS, f"in-memory storage {SCHEME}{name} already exists"
        )
    else:
        root = StorageNode("Root Entry")
    return TreeStorage.open_root(
        root, MemoryMedium(store, name), mode, session=session, backend=NAME
    )


@hookimpl
def imsg_core_open_storage(
    session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
) -> Storage | None:
    """Claim ``mem://NAME`` strings (the backend takes no options)."""
    if not isinstance(location, str) or not location.startswith(SCHEME):
        return None
    check_options(NAME, options, ())
    name = location[len(SCHEME) :]
    if not name:
        if mode in ("r", "r+"):
            raise stg_error(
                STG.STG_E_INVALIDNAME, "mem:// needs a name to open an existing storage"
            )
        name = f"anonymous-{uuid.uuid4().hex}"
    return open_memory(session, name, mode)


@hookimpl
def imsg_core_release(session: Registry, objects: Sequence[ObjectRecord]) -> None:
    """When the session closes, drop its store: every in-memory storage of the session.

    (The storages and streams themselves are released by the session; while it is open, a
    committed ``mem://NAME`` outlives its storage object so it can be opened again.)
    """
    if session.closing:
        session.stash.pop(STORE, None)


@hookimpl
def imsg_core_describe_backend() -> BackendInfo:
    """Describe the in-memory backend."""
    return BackendInfo(
        name=NAME,
        description="mem://NAME: this session's own in-memory storages, gone when it "
        "closes (not fsspec's process-wide memory://, which the remote backend reads)",
        schemes=("mem",),
        capabilities=CAPABILITIES,
    )
