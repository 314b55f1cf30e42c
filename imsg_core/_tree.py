"""A ready-made :class:`~imsg_core._storage.Storage` over an in-memory tree of element nodes.

Backends that can describe their medium as a tree of storages and streams (compound files,
memory, remote compound files) build on this module and get the whole IStorage/IStream
contract — names, modes, transactions, release — by supplying two things:

* the initial tree: :class:`StorageNode` / :class:`StreamNode` objects whose stream data is
  any :class:`StreamData` (lazy readers are fine: nothing is read until a stream is read);
* a :class:`TreeMedium` that persists the root when the root storage commits.

Transactions are copy-on-write: every storage opened for writing works on a clone of its
node (clones share stream data, which is frozen while shared); ``commit`` publishes a frozen
clone one level up, ``revert`` re-clones the last committed state. Stream data written through
a stream is spooled to a temporary file above :data:`SPOOL_MEMORY_LIMIT`, so a stream larger
than memory is never held whole.

All objects of one tree share one re-entrant lock, so a tree may be used from many threads.
"""

from __future__ import annotations

import abc
import io
import threading
import uuid
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Literal

from ._nodes import EMPTY_DATA
from ._nodes import SPOOL_MEMORY_LIMIT
from ._nodes import BytesData
from ._nodes import SpoolData
from ._nodes import StorageNode
from ._nodes import StreamNode
from ._storage import Capabilities
from ._storage import Mode
from ._storage import StatStg
from ._storage import Storage
from ._storage import Stream
from ._storage import check_name
from ._storage import name_problem
from ._storage import name_sort_key
from .errors import STG
from .errors import ObjectDeletedError
from .errors import StorageError
from .errors import stg_error

if TYPE_CHECKING:
    from ._registry import Registry

__all__ = [
    "TreeMedium",
    "TreeStorage",
    "TreeStream",
]


# -------------------------------------------------------------------------------- medium
class TreeMedium(abc.ABC):
    """Where a tree's root is persisted. One per opened root storage."""

    #: Capabilities of storages on this medium.
    capabilities: Capabilities = Capabilities(readable=True, writable=True, transacted=True)

    #: True when :meth:`persist` may keep the tree it is given (e.g. as the committed state
    #: in memory): commits then hand it a frozen clone. A medium that only writes the tree
    #: out says False, and the root's own working tree is handed over (no clone per commit;
    #: the root copies its tree only when it is changed again).
    keeps_tree: bool = True

    @abc.abstractmethod
    def persist(self, root: StorageNode, flags: int) -> None:
        """Write ``root`` to the medium atomically, or raise and change nothing. Called
        under the tree lock; ``root`` does not change during the call (a frozen clone, or
        the root storage's working tree when :attr:`keeps_tree` is False)."""

    def close(self) -> None:  # noqa: B027 - optional
        """Release the medium's resources (file handles, connections). Idempotent."""

    def describe(self) -> str:
        """A short location string for error messages."""
        return type(self).__name__


# ---------------------------------------------------------------------------- objects
class _TreeShared:
    """State shared by every object of one tree."""

    __slots__ = ("backend", "lock", "medium", "session")

    def __init__(self, medium: TreeMedium, session: Registry | None, backend: str) -> None:
        self.lock = threading.RLock()
        self.medium = medium
        self.session = session
        self.backend = backend


class TreeStorage(Storage):
    """A :class:`Storage` over :class:`StorageNode` objects.

    Create roots with :meth:`open_root`; children are made by the storage itself.
    """

    def __init__(
        self,
        shared: _TreeShared,
        node: StorageNode,
        mode: Mode,
        parent: TreeStorage | None,
    ) -> None:
        self._shared = shared
        self._mode: Mode = mode
        self._parent = parent
        self._released = False
        self._reverted = False
        # Writable storages work on a private clone; read-only ones view the node directly.
        self._base = node
        self._node = node.clone() if mode != "r" else node
        # Open children by id (a released child removes itself: no unbounded growth).
        self._children: dict[int, TreeStorage | TreeStream] = {}
        self.backend = shared.backend
        self._dirty = mode in ("w", "x")
        self._path: str | None = None

    # -- construction ---------------------------------------------------------------
    @classmethod
    def open_root(
        cls,
        root: StorageNode,
        medium: TreeMedium,
        mode: Mode,
        *,
        session: Registry | None = None,
        backend: str = "",
    ) -> TreeStorage:
        """Open ``root`` as a root storage on ``medium`` and register it with ``session``."""
        if mode != "r" and not medium.capabilities.writable:
            raise stg_error(
                STG.STG_E_ACCESSDENIED, f"{medium.describe()} is read-only; open it with mode 'r'"
            )
        shared = _TreeShared(medium, session, backend)
        storage = cls(shared, root, mode, None)
        if session is not None:
            session.register(storage, backend=backend, kind="storage")
        return storage

    # -- properties --------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._node.name

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def capabilities(self) -> Capabilities:
        return self._shared.medium.capabilities

    @property
    def parent(self) -> TreeStorage | None:
        return self._parent

    @property
    def session(self) -> Registry | None:
        return self._shared.session

    @property
    def path(self) -> str:
        # Cached: an open storage cannot be renamed or moved (its parent refuses while it
        # is open), so its path is fixed for its lifetime.
        path = self._path
        if path is None:
            path = self._path = Storage.path.fget(self)  # type: ignore[attr-defined]
        return path

    @property
    def closed(self) -> bool:
        return self._released

    @property
    def medium(self) -> TreeMedium:
        """The medium of this storage's tree."""
        return self._shared.medium

    @property
    def node(self) -> StorageNode:
        """The node this storage currently shows (its working copy when writable)."""
        self._check()
        return self._node

    # -- checks -------------------------------------------------------------------------
    def _where(self) -> str:
        path = self.path
        return (
            f"{self._shared.medium.describe()}:/{path}" if path else self._shared.medium.describe()
        )

    def _check(self) -> None:
        if self._released:
            raise ObjectDeletedError(f"storage {self._where()!r} was released (session closed?)")
        if self._reverted:
            raise stg_error(
                STG.STG_E_REVERTED, f"storage {self._where()!r} belongs to a reverted parent"
            )

    def _check_write(self, what: str, *args: object) -> None:
        """Raise unless this storage can be changed; ``what`` is a :meth:`str.format`
        template of the attempted change, filled with ``args`` only for the message. Every
        change of this storage's tree comes through here (its own methods, a child's
        commit, a stream's write), so a tree shared with the committed state since the
        last commit is copied here first."""
        if self._released or self._reverted or self._mode == "r":
            self._check()
            raise stg_error(
                STG.STG_E_ACCESSDENIED,
                f"cannot {what.format(*args)}: storage {self._where()!r} is read-only",
            )
        self._unshare()

    def _unshare(self) -> None:
        """Before a change: a working tree that is also the committed state (a commit to a
        medium that keeps nothing) is copied for the committed state first."""
        if self._base is self._node:
            self._base = self._node.clone()

    def _get(self, name: str) -> StorageNode | StreamNode:
        child = self._node.get(name) if isinstance(name, str) else None
        if child is None:
            check_name(name, self._where())  # a malformed name gets the precise error
            raise stg_error(STG.STG_E_FILENOTFOUND, f"no element {name!r} in {self._where()!r}")
        return child

    def _check_name(self, name: str) -> None:
        """:func:`check_name`, with the storage's location built only for the error."""
        try:
            check_name(name)
        except StorageError:
            check_name(name, self._where())
            raise

    def _child_open(self, name: str) -> bool:
        key = name_sort_key(name)
        if not any(not c.closed and name_sort_key(c.name) == key for c in self._children.values()):
            return False
        session = self._shared.session
        if session is not None and (session.closed or session.closing):
            # The child is open only because the session, closing in another thread, has
            # not reached it yet: this storage is about to go too.
            raise ObjectDeletedError(f"storage {self._where()!r}: the message session is closing")
        return True

    # -- enumeration ----------------------------------------------------------------------
    def list(self) -> list[StatStg]:
        with self._shared.lock:
            self._check()
            return [c.stat() for c in self._node.sorted_children()]

    def storage_names(self) -> Sequence[str]:
        with self._shared.lock:
            self._check()
            children = self._node.children
            keys = sorted(k for k, c in children.items() if isinstance(c, StorageNode))
            return [children[k].name for k in keys]

    def stat(self) -> StatStg:
        with self._shared.lock:
            self._check()
            return self._node.stat(self._mode)

    def exists(self, name: str) -> bool:
        with self._shared.lock:
            self._check()
            return self._node.get(name) is not None

    def stat_child(self, name: str) -> StatStg:
        with self._shared.lock:
            self._check()
            return self._get(name).stat()

    # -- streams ----------------------------------------------------------------------------
    def _stream_node(self, name: str) -> StreamNode:
        """The child stream node ``name`` (call under the lock); ``STG_E_FILENOTFOUND`` when
        it is missing or a storage."""
        node = self._node.children.get(name_sort_key(name)) if type(name) is str else None
        if node is None:
            node = self._get(name)
        if type(node) is not StreamNode and not isinstance(node, StreamNode):
            raise stg_error(
                STG.STG_E_FILENOTFOUND, f"{name!r} in {self._where()!r} is a storage, not a stream"
            )
        return node

    def read_stream(self, name: str) -> bytes:
        """Read a whole stream without opening (and registering) a stream object."""
        with self._shared.lock:
            if self._released or self._reverted:
                self._check()
            data = self._stream_node(name).data
            return data.read_at(0, data.size)

    def open_stream(self, name: str, mode: Literal["r", "r+"] = "r") -> TreeStream:
        with self._shared.lock:
            if self._released or self._reverted:
                self._check()
            if mode != "r":
                if mode != "r+":
                    raise stg_error(
                        STG.STG_E_INVALIDFLAG, f"stream mode {mode!r} is not 'r' or 'r+'"
                    )
                self._check_write("open stream {!r} for writing", name)
            return self._add_stream(self._stream_node(name), mode)

    def create_stream(self, name: str, *, overwrite: bool = False) -> TreeStream:
        with self._shared.lock:
            self._check_write("create stream {!r}", name)
            self._check_name(name)
            self._make_room(name, overwrite)
            node = StreamNode(name)
            self._node.add(node)
            self._dirty = True
            return self._add_stream(node, "r+")

    def write_stream(self, name: str, data: bytes) -> None:
        """Create or replace a stream with ``data`` without opening (and registering) a
        stream object; data above :data:`SPOOL_MEMORY_LIMIT` goes through a stream (and
        its spool file) as usual."""
        if len(data) > SPOOL_MEMORY_LIMIT or not isinstance(data, (bytes, bytearray, memoryview)):
            super().write_stream(name, data)
            return
        with self._shared.lock:
            self._check_write("create stream {!r}", name)
            if type(name) is not str or name_problem(name) is not None:
                self._check_name(name)
            children = self._node.children
            key = name_sort_key(name)
            if key in children and self._child_open(name):
                raise stg_error(
                    STG.STG_E_ACCESSDENIED,
                    f"cannot replace {name!r} in {self._where()!r}: it is open",
                )
            children[key] = StreamNode(name, BytesData(data) if data else EMPTY_DATA)
            self._dirty = True

    def write_storage(self, name: str, streams: Mapping[str, bytes]) -> None:
        """Build the child storage straight into this storage's working copy (no storage
        object, no transaction of its own); data above :data:`SPOOL_MEMORY_LIMIT` goes
        through the general path."""
        if any(type(d) is not bytes or len(d) > SPOOL_MEMORY_LIMIT for d in streams.values()):
            super().write_storage(name, streams)
            return
        with self._shared.lock:
            self._check_write("create storage {!r}", name)
            self._check_name(name)
            kids: dict[tuple[int, bytes], StorageNode | StreamNode] = {}
            for stream, data in streams.items():
                if type(stream) is not str or name_problem(stream) is not None:
                    self._check_name(stream)
                kids[name_sort_key(stream)] = StreamNode(
                    stream, BytesData(data) if data else EMPTY_DATA
                )
            node = StorageNode(name)
            node.children = kids
            self._make_room(name, True)
            self._node.add(node)
            self._dirty = True

    def _add_stream(self, node: StreamNode, mode: Literal["r", "r+"]) -> TreeStream:
        stream = TreeStream(self, node, mode)
        session = self._shared.session
        if session is not None:
            try:  # raises once the session is closing: the stream is then never handed out
                session.register(stream, parent=self, backend=self.backend, kind="stream")
            except BaseException:
                stream._imsg_release()
                raise
        self._children[id(stream)] = stream
        return stream

    def _make_room(self, name: str, overwrite: bool) -> None:
        existing = self._node.get(name)
        if existing is None:
            return
        if not overwrite:
            raise stg_error(
                STG.STG_E_FILEALREADYEXISTS, f"element {name!r} already exists in {self._where()!r}"
            )
        if self._child_open(name):
            raise stg_error(
                STG.STG_E_ACCESSDENIED, f"cannot replace {name!r} in {self._where()!r}: it is open"
            )
        del self._node.children[name_sort_key(name)]

    # -- storages -----------------------------------------------------------------------
    def open_storage(self, name: str, mode: Literal["r", "r+"] | None = None) -> TreeStorage:
        with self._shared.lock:
            self._check()
            want: Mode = ("r" if self._mode == "r" else "r+") if mode is None else mode
            if want not in ("r", "r+"):
                raise stg_error(STG.STG_E_INVALIDFLAG, f"storage mode {want!r} is not 'r' or 'r+'")
            if want == "r+":
                self._check_write("open storage {!r} for writing", name)
            node = self._get(name)
            if not isinstance(node, StorageNode):
                raise stg_error(
                    STG.STG_E_FILENOTFOUND,
                    f"{name!r} in {self._where()!r} is a stream, not a storage",
                )
            return self._add_storage(node, want)

    def create_storage(self, name: str, *, overwrite: bool = False) -> TreeStorage:
        with self._shared.lock:
            self._check_write("create storage {!r}", name)
            self._check_name(name)
            self._make_room(name, overwrite)
            node = StorageNode(name)
            self._node.add(node)
            self._dirty = True
            child = self._add_storage(node, "r+")
            child._dirty = True
            return child

    def _add_storage(self, node: StorageNode, mode: Mode) -> TreeStorage:
        child = type(self)(self._shared, node, mode, self)
        session = self._shared.session
        if session is not None:
            try:  # raises once the session is closing: the storage is then never handed out
                session.register(child, parent=self, backend=self.backend, kind="storage")
            except BaseException:
                child._imsg_release()
                raise
        self._children[id(child)] = child
        return child

    def destroy(self, name: str) -> None:
        with self._shared.lock:
            self._check_write("destroy {!r}", name)
            self._get(name)
            if self._child_open(name):
                raise stg_error(
                    STG.STG_E_ACCESSDENIED,
                    f"cannot destroy {name!r} in {self._where()!r}: it is open",
                )
            del self._node.children[name_sort_key(name)]
            self._dirty = True

    def rename(self, old: str, new: str) -> None:
        with self._shared.lock:
            self._check_write("rename {!r}", old)
            node = self._get(old)
            self._check_name(new)
            if name_sort_key(old) != name_sort_key(new) and self._node.get(new) is not None:
                raise stg_error(
                    STG.STG_E_FILEALREADYEXISTS,
                    f"element {new!r} already exists in {self._where()!r}",
                )
            if self._child_open(old):
                raise stg_error(
                    STG.STG_E_ACCESSDENIED,
                    f"cannot rename {old!r} in {self._where()!r}: it is open",
                )
            del self._node.children[name_sort_key(old)]
            renamed = node.clone()
            renamed.name = new
            self._node.add(renamed)
            self._dirty = True

    # -- attributes ----------------------------------------------------------------------
    def set_class(self, clsid: uuid.UUID) -> None:
        with self._shared.lock:
            self._check_write("set the CLSID")
            if not isinstance(clsid, uuid.UUID):
                raise stg_error(STG.STG_E_INVALIDPARAMETER, "clsid must be a uuid.UUID")
            self._node.clsid = clsid
            self._dirty = True

    def set_state_bits(self, bits: int, mask: int = 0xFFFFFFFF) -> None:
        with self._shared.lock:
            self._check_write("set state bits")
            self._node.state_bits = (self._node.state_bits & ~mask | bits & mask) & 0xFFFFFFFF
            self._dirty = True

    def set_element_times(
        self,
        name: str | None,
        *,
        ctime: datetime | None = None,
        mtime: datetime | None = None,
        atime: datetime | None = None,
    ) -> None:
        with self._shared.lock:
            self._check_write("set element times")
            node = self._node if name is None else self._get(name)
            if not isinstance(node, StorageNode):
                return  # compound files keep no times for streams
            if ctime is not None:
                node.ctime = ctime
            if mtime is not None:
                node.mtime = mtime
            self._dirty = True

    # -- transactions ------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """True when this storage holds changes not yet committed."""
        return self._dirty

    def commit(self, flags: int = 0) -> None:
        with self._shared.lock:
            self._check()
            if self._mode == "r":
                return
            medium = self._shared.medium
            if self._parent is None and not medium.keeps_tree:
                # The working tree is written as it is and becomes the committed state
                # too; the next change copies it first (see _check_write).
                medium.persist(self._node, flags)
                self._base = self._node
                self._dirty = False
                return
            snapshot = self._node.clone()
            if self._parent is None:
                medium.persist(snapshot, flags)
            else:
                self._parent._check_write("commit {!r}", self.name)
                self._parent._node.add(snapshot)
                self._parent._dirty = True
            self._base = snapshot
            self._dirty = False

    def revert(self) -> None:
        with self._shared.lock:
            self._check()
            if self._mode == "r":
                return
            for child in self._children.values():
                child._mark_reverted()
            self._children.clear()
            self._node = self._base.clone()
            self._dirty = False

    def _mark_reverted(self) -> None:
        self._reverted = True
        for child in self._children.values():
            child._mark_reverted()

    # -- lifetime ------------------------------------------------------------------------
    def close(self) -> None:
        session = self._shared.session
        if session is not None and not session.closed:
            session.release(self)
        else:
            self._imsg_release()

    def _imsg_release(self) -> None:
        """Backend-side release: mark released, free the medium if this is the root."""
        with self._shared.lock:
            if self._released:
                return
            for child in list(self._children.values()):
                child._imsg_release()
            self._released = True
            self._children.clear()
            if self._parent is None:
                self._shared.medium.close()
            else:
                self._parent._children.pop(id(self), None)


class TreeStream(Stream):
    """A :class:`Stream` over a :class:`StreamNode`; positioned, :class:`io.RawIOBase`."""

    def __init__(self, owner: TreeStorage, node: StreamNode, mode: Literal["r", "r+"]) -> None:
        # No super().__init__(): io's base initialiser does nothing and the call costs as
        # much as the rest of this method (one stream object per stream opened).
        self._owner = owner
        self._node = node
        self._mode = mode
        self._pos = 0
        self._lock = owner._shared.lock
        self._reverted = False
        self._released = False
        self.backend = owner.backend

    @property
    def name(self) -> str:
        return self._node.name

    @property
    def size(self) -> int:
        return self._node.data.size

    @property
    def mode(self) -> str:
        return "rb" if self._mode == "r" else "r+b"

    @property
    def closed(self) -> bool:
        # Only ``_imsg_release`` ends a stream (``close`` goes through the session); the
        # io base class's own closed flag is never set.
        return self._released

    def _where(self) -> str:
        return f"{self._owner._where()}/{self._node.name}"

    def _check(self) -> None:
        # ``_released`` is set before the io base is closed (only ``_imsg_release`` closes it).
        if self._released:
            raise ObjectDeletedError(f"stream {self._where()!r} was released")
        if self._reverted:
            raise stg_error(
                STG.STG_E_REVERTED, f"stream {self._where()!r} belongs to a reverted storage"
            )

    def _check_write(self) -> None:
        self._check()
        if self._mode == "r":
            raise stg_error(STG.STG_E_ACCESSDENIED, f"stream {self._where()!r} is open read-only")

    def _mutable(self) -> SpoolData:
        self._owner._unshare()
        data = self._node.data
        if isinstance(data, SpoolData) and not data.frozen:
            return data
        spool = SpoolData.copy_of(data)
        self._node.data = spool
        self._owner._dirty = True
        return spool

    def __enter__(self) -> TreeStream:
        # io's __enter__ raises ValueError on a closed file; a stream released meanwhile (by
        # another thread closing the session) raises ObjectDeletedError like every call.
        if self._released:
            self._check()
        return self

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return self._mode == "r+"

    def seekable(self) -> bool:
        return True

    def stat(self) -> StatStg:
        with self._lock:
            self._check()
            return self._node.stat("r" if self._mode == "r" else "r+")

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        with self._lock:
            self._check()
            view = memoryview(buffer).cast("B")
            data = self._node.data.read_at(self._pos, len(view))
            n = len(data)
            view[:n] = data
            self._pos += n
            return n

    def read(self, size: int | None = -1) -> bytes:
        with self._lock:
            if self._released or self._reverted:
                self._check()
            if size is None or size < 0:
                size = max(0, self._node.data.size - self._pos)
            data = self._node.data.read_at(self._pos, size)
            self._pos += len(data)
            return data

    def readall(self) -> bytes:
        return self.read(-1)

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        with self._lock:
            self._check_write()
            spool = self._mutable()
            n = spool.write_at(self._pos, memoryview(b).cast("B"))
            self._pos += n
            self._owner._dirty = True
            return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        with self._lock:
            self._check()
            if whence == io.SEEK_SET:
                new = offset
            elif whence == io.SEEK_CUR:
                new = self._pos + offset
            elif whence == io.SEEK_END:
                new = self._node.data.size + offset
            else:
                raise stg_error(STG.STG_E_INVALIDFUNCTION, f"bad seek origin {whence!r}")
            if new < 0:
                raise stg_error(
                    STG.STG_E_INVALIDFUNCTION,
                    f"seek to {new} before the start of {self._where()!r}",
                )
            self._pos = new
            return new

    def tell(self) -> int:
        with self._lock:
            self._check()
            return self._pos

    def truncate(self, size: int | None = None) -> int:
        with self._lock:
            self._check_write()
            new = self._pos if size is None else size
            if new < 0:
                raise stg_error(STG.STG_E_INVALIDPARAMETER, f"negative size {new}")
            self._mutable().truncate(new)
            self._owner._dirty = True
            return new

    def flush(self) -> None:
        """Nothing to flush: writes go to the stream data at once (no-op when released)."""

    def close(self) -> None:
        if self._released:
            return
        session = self._owner._shared.session
        if session is not None and not session.closed:
            session.release(self)
        else:
            self._imsg_release()

    def _imsg_release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
            self._owner._children.pop(id(self), None)

    def _mark_reverted(self) -> None:
        self._reverted = True
