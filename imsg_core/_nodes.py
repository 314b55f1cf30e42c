"""The nodes a tree storage is made of: stream data (in memory, spooled to a temporary file,
or any lazy reader a backend supplies) and the storage and stream nodes that hold it.

Part of the tree toolkit (:mod:`imsg_core.backend` exports what backends use); the storage
and stream objects over these nodes are in the tree module.
"""

from __future__ import annotations

import abc
import contextlib
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime

from ._storage import NULL_CLSID
from ._storage import ElementType
from ._storage import StatStg
from ._storage import name_sort_key
from .errors import STG
from .errors import StorageError
from .errors import stg_error

__all__ = [
    "COPY_CHUNK",
    "EMPTY_DATA",
    "SPOOL_MEMORY_LIMIT",
    "BytesData",
    "SpoolData",
    "StorageNode",
    "StreamData",
    "StreamNode",
    "new_storage_node",
    "new_stream_node",
    "os_error",
]

#: Written stream data stays in memory up to this many bytes, then moves to a temp file.
SPOOL_MEMORY_LIMIT = 8 << 20
COPY_CHUNK = 1 << 20


# --------------------------------------------------------------------------- stream data
class StreamData(abc.ABC):
    """Read access to the bytes of one stream. Implementations must be thread-safe for
    concurrent ``read_at`` calls or be used under the tree lock (the tree always does)."""

    @property
    @abc.abstractmethod
    def size(self) -> int:
        """Length in bytes."""

    @abc.abstractmethod
    def read_at(self, offset: int, n: int) -> bytes:
        """Up to ``n`` bytes from ``offset`` (fewer only at the end)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most data holds nothing
        """Free resources held by this data (temp files). Idempotent."""


class BytesData(StreamData):
    """Immutable bytes."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes = b"") -> None:
        self._data = bytes(data)

    @property
    def size(self) -> int:
        return len(self._data)

    def read_at(self, offset: int, n: int) -> bytes:
        return self._data[offset : offset + n]


class SpoolData(StreamData):
    """Mutable data written through a stream: memory first, a temp file above the limit.

    ``frozen`` data is shared between a committed state and a working copy and must not be
    changed; writers call :meth:`thaw_copy` first.
    """

    def __init__(self, limit: int = SPOOL_MEMORY_LIMIT) -> None:
        self._file: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - owned, closed by close()
            max_size=limit
        )
        self._size = 0
        self.frozen = False

    @classmethod
    def copy_of(cls, src: StreamData, limit: int = SPOOL_MEMORY_LIMIT) -> SpoolData:
        """New unfrozen spool holding a copy of ``src``, copied in chunks."""
        new = cls(limit)
        off = 0
        while off < src.size:
            chunk = src.read_at(off, min(COPY_CHUNK, src.size - off))
            if not chunk:
                raise stg_error(STG.STG_E_READFAULT, "source stream ended early while copying")
            new.write_at(off, chunk)
            off += len(chunk)
        return new

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, n: int) -> bytes:
        if offset >= self._size or n <= 0:
            return b""
        self._file.seek(offset)
        return self._file.read(min(n, self._size - offset))

    def write_at(self, offset: int, data: bytes | memoryview) -> int:
        if self.frozen:
            raise stg_error(STG.STG_E_ACCESSDENIED, "internal: write to frozen stream data")
        if offset > self._size:
            self._file.seek(self._size)
            gap = offset - self._size
            while gap:
                step = min(gap, COPY_CHUNK)
                self._file.write(b"\0" * step)
                gap -= step
        self._file.seek(offset)
        try:
            n = self._file.write(data)
        except OSError as exc:
            raise os_error(exc, "writing stream data to the spool file") from exc
        self._size = max(self._size, offset + n)
        return n

    def truncate(self, size: int) -> None:
        if self.frozen:
            raise stg_error(STG.STG_E_ACCESSDENIED, "internal: truncate of frozen stream data")
        if size > self._size:
            self.write_at(size, b"")
        else:
            self._file.truncate(size)
        self._size = size

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:
        # Spools may be shared by committed snapshots, so nobody closes them eagerly; the last
        # reference going away frees the temp file (without a ResourceWarning).
        with contextlib.suppress(Exception):  # at interpreter shutdown: nothing left to do
            self._file.close()


def os_error(exc: OSError, doing: str) -> StorageError:
    import errno

    if exc.errno == errno.ENOSPC:
        return stg_error(STG.STG_E_MEDIUMFULL, f"disk full while {doing}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return stg_error(STG.STG_E_ACCESSDENIED, f"permission denied while {doing}: {exc}")
    return stg_error(STG.STG_E_WRITEFAULT, f"I/O error while {doing}: {exc}")


EMPTY_DATA = BytesData(b"")


# --------------------------------------------------------------------------------- nodes
class StreamNode:
    """A stream element: a name and its data."""

    __slots__ = ("data", "name")

    def __init__(self, name: str, data: StreamData = EMPTY_DATA) -> None:
        self.name = name
        self.data = data

    @property
    def size(self) -> int:
        return self.data.size

    def clone(self) -> StreamNode:
        data = self.data
        if isinstance(data, SpoolData):
            data.frozen = True
        new = new_stream_node(StreamNode)
        new.name = self.name
        new.data = data
        return new

    def stat(self, mode: str = "r") -> StatStg:
        return StatStg._quick(self.name, ElementType.STREAM, self.data.size, mode)


class StorageNode:
    """A storage element: children by case-folded key, CLSID, state bits, times.

    ``children`` maps :func:`~imsg_core._storage.name_sort_key` to the child node.
    """

    __slots__ = ("children", "clsid", "ctime", "mtime", "name", "state_bits")

    def __init__(
        self,
        name: str,
        clsid: uuid.UUID = NULL_CLSID,
        state_bits: int = 0,
        ctime: datetime | None = None,
        mtime: datetime | None = None,
    ) -> None:
        self.name = name
        self.clsid = clsid
        self.state_bits = state_bits
        self.ctime = ctime
        self.mtime = mtime
        self.children: dict[tuple[int, bytes], StorageNode | StreamNode] = {}

    def add(self, child: StorageNode | StreamNode) -> None:
        """Insert or replace a child (by case-insensitive name)."""
        self.children[name_sort_key(child.name)] = child

    def get(self, name: str) -> StorageNode | StreamNode | None:
        return self.children.get(name_sort_key(name))

    def sorted_children(self) -> list[StorageNode | StreamNode]:
        """Children in compound-file tree order."""
        return [self.children[k] for k in sorted(self.children)]

    def clone(self) -> StorageNode:
        """Deep structural copy sharing (frozen) stream data."""
        new = new_storage_node(StorageNode)
        new.name, new.clsid, new.state_bits = self.name, self.clsid, self.state_bits
        new.ctime, new.mtime = self.ctime, self.mtime
        kids: dict[tuple[int, bytes], StorageNode | StreamNode] = {}
        for key, child in self.children.items():
            if type(child) is StreamNode:  # inlined StreamNode.clone: most children
                data = child.data
                if type(data) is SpoolData:
                    data.frozen = True
                copy = new_stream_node(StreamNode)
                copy.name = child.name
                copy.data = data
                kids[key] = copy
            else:
                kids[key] = child.clone()
        new.children = kids
        return new

    def stat(self, mode: str = "r") -> StatStg:
        return StatStg._quick(
            self.name,
            ElementType.STORAGE,
            0,
            mode,
            self.clsid,
            self.state_bits,
            self.ctime,
            self.mtime,
        )

    def walk(self, prefix: str = "") -> Iterator[tuple[str, StorageNode | StreamNode]]:
        """Every descendant in tree order as ``(path, node)``."""
        for child in self.sorted_children():
            path = f"{prefix}{child.name}"
            yield path, child
            if isinstance(child, StorageNode):
                yield from child.walk(path + "/")


# Node copies skip ``__init__`` (its defaults and checks): a commit copies every node.
new_stream_node = object.__new__
new_storage_node = object.__new__
