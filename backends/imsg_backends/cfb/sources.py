"""Byte sources: where a compound-file reader gets its bytes.

The reader does all its I/O through :meth:`ByteSource.read_ranges`, asking for every range it
needs at once (a stream's whole sector chain, all FAT sectors, the directory), so a source can
serve them with as few system calls or network requests as it likes.

**The extension point** is :class:`ByteSource`: implement ``size``, ``read_ranges``,
``describe`` and ``close`` (subclassing it, or structurally). The sources in the engine:

* :class:`FileSource`: a local file (path or already-open descriptor), read with ``os.pread``
  (a locked seek+read where ``pread`` does not exist); adjacent ranges are merged.
* :class:`BytesSource`: bytes in memory (``bytes``/``bytearray``/``memoryview``; copied once).
* :class:`SeekableSource`: any seekable binary file object, read under a lock.
* :class:`~imsg_backends.cfb.caching.CachingSource`: the base of sources whose requests are
  expensive (remote objects): a span cache, merging with a gap, sequential readahead; a
  subclass supplies only :meth:`~imsg_backends.cfb.caching.CachingSource.fetch`.

Contract of ``read_ranges``: the result has one ``bytes`` per requested ``(offset, length)``
pair, in request order; an item is shorter than asked only where the range runs past the end
of the source (empty past the end). I/O failures raise
:class:`~imsg_core.errors.StorageError` (``STG_E_READFAULT``, or ``STG_E_REVERTED`` after
:meth:`close`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from typing import BinaryIO
from typing import Protocol
from typing import runtime_checkable

from imsg_core.errors import STG
from imsg_core.errors import StorageError
from imsg_core.errors import stg_error

from .ranges import check_ranges
from .ranges import merge_ranges
from .ranges import slice_spans

__all__ = ["ByteSource", "BytesSource", "FileSource", "SeekableSource"]


@runtime_checkable
class ByteSource(Protocol):
    """Random read access to an immutable byte sequence (a compound file)."""

    @property
    def size(self) -> int:
        """Total length in bytes (fixed for the life of the source)."""
        ...

    def read_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """Read every ``(offset, length)`` range, fetched together; see the module doc."""
        ...

    def describe(self) -> str:
        """A short location string for error messages (a path, a URL, ``<bytes>``)."""
        ...

    def close(self) -> None:
        """Release the underlying handle. Idempotent."""
        ...


class FileSource(ByteSource):
    """A local file read with ``os.pread`` (thread-safe; no shared file position).

    :param path: the file's path (used for messages; opened unless ``fd`` is given).
    :param fd: an open descriptor to read instead of opening ``path``; it is closed by
        :meth:`close` only when ``owns_fd`` is true.
    :raises StorageError: ``STG_E_FILENOTFOUND``, ``STG_E_ACCESSDENIED`` or
        ``STG_E_READFAULT`` when the file cannot be opened.
    """

    def __init__(self, path: str, *, fd: int | None = None, owns_fd: bool = True) -> None:
        self.path = path
        if fd is None:
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            except FileNotFoundError as exc:
                raise stg_error(STG.STG_E_FILENOTFOUND, f"no such file: {path}") from exc
            except IsADirectoryError as exc:
                raise stg_error(STG.STG_E_ACCESSDENIED, f"{path} is a directory") from exc
            except PermissionError as exc:
                raise stg_error(
                    STG.STG_E_ACCESSDENIED, f"permission denied reading {path}"
                ) from exc
            except OSError as exc:
                raise stg_error(STG.STG_E_READFAULT, f"cannot open {path}: {exc}") from exc
            owns_fd = True
        self._fd: int | None = fd
        self._owns = owns_fd
        try:
            st = os.fstat(fd)
        except OSError as exc:
            self.close()
            raise stg_error(STG.STG_E_READFAULT, f"cannot stat {path}: {exc}") from exc
        import stat as _stat

        if _stat.S_ISDIR(st.st_mode):
            self.close()
            raise stg_error(STG.STG_E_ACCESSDENIED, f"{path} is a directory")
        self._size = st.st_size
        self.stat_key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        self._lock = threading.Lock()
        self._pread = getattr(os, "pread", None)

    @property
    def size(self) -> int:
        return self._size

    def describe(self) -> str:
        return self.path

    def _read(self, fd: int, off: int, length: int) -> bytes:
        if length <= 0 or off >= self._size:
            return b""
        length = min(length, self._size - off)
        if self._pread is not None:
            chunks = []
            while length > 0:
                chunk: bytes = self._pread(fd, length, off)
                if not chunk:
                    break
                chunks.append(chunk)
                off += len(chunk)
                length -= len(chunk)
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        with self._lock:  # pragma: no cover - platforms without pread
            os.lseek(fd, off, os.SEEK_SET)
            chunks = []
            while length > 0:
                chunk = os.read(fd, length)
                if not chunk:
                    break
                chunks.append(chunk)
                length -= len(chunk)
            return b"".join(chunks)

    def read_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        fd = self._fd
        if fd is None:
            raise stg_error(STG.STG_E_REVERTED, f"{self.path} was closed")
        if len(ranges) == 1:
            off, length = ranges[0]
            check_ranges(ranges, self.path)
            try:
                return [self._read(fd, off, length)]
            except OSError as exc:
                raise stg_error(STG.STG_E_READFAULT, f"read error on {self.path}: {exc}") from exc
        check_ranges(ranges, self.path)
        spans = merge_ranges(ranges)
        try:
            data = [self._read(fd, off, length) for off, length in spans]
        except OSError as exc:
            raise stg_error(STG.STG_E_READFAULT, f"read error on {self.path}: {exc}") from exc
        return slice_spans(ranges, spans, data)

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and self._owns:
            with contextlib.suppress(OSError):
                os.close(fd)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._fd is None

    def __repr__(self) -> str:
        return f"FileSource({self.path!r})"


class BytesSource(ByteSource):
    """Bytes in memory."""

    def __init__(self, data: bytes | bytearray | memoryview, name: str = "<bytes>") -> None:
        self._data = bytes(data)
        self._name = name

    @property
    def size(self) -> int:
        return len(self._data)

    def describe(self) -> str:
        return self._name

    def read_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        check_ranges(ranges, self._name)
        d = self._data
        return [d[off : off + length] for off, length in ranges]

    def close(self) -> None:
        """Nothing to release (the bytes stay readable)."""

    def __repr__(self) -> str:
        return f"BytesSource({self._name}, {len(self._data)} bytes)"


class SeekableSource(ByteSource):
    """A seekable binary file object, read under a lock (seek + read).

    The object's size is taken once at construction; its position is restored after every
    read. The object is not closed by :meth:`close` (it belongs to the caller).
    """

    def __init__(self, fileobj: BinaryIO, name: str | None = None) -> None:
        self._f: BinaryIO | None = fileobj
        self._name = name or str(getattr(fileobj, "name", None) or f"<{type(fileobj).__name__}>")
        self._lock = threading.Lock()
        try:
            pos = fileobj.tell()
            self._size = fileobj.seek(0, os.SEEK_END)
            fileobj.seek(pos)
        except (OSError, ValueError, AttributeError) as exc:
            raise stg_error(
                STG.STG_E_INVALIDPARAMETER, f"file object {self._name} is not seekable: {exc}"
            ) from exc

    @property
    def size(self) -> int:
        return self._size

    def describe(self) -> str:
        return self._name

    def read_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        f = self._f
        if f is None:
            raise stg_error(STG.STG_E_REVERTED, f"{self._name} was closed")
        check_ranges(ranges, self._name)
        spans = merge_ranges(ranges)
        data: list[bytes] = []
        with self._lock:
            try:
                pos = f.tell()
                for off, length in spans:
                    if off >= self._size or length == 0:
                        data.append(b"")
                        continue
                    f.seek(off)
                    want = min(length, self._size - off)
                    parts = []
                    while want > 0:
                        chunk = f.read(want)
                        if not chunk:
                            break
                        parts.append(chunk)
                        want -= len(chunk)
                    data.append(b"".join(parts))
                f.seek(pos)
            except (OSError, ValueError) as exc:
                if isinstance(exc, StorageError):
                    raise
                raise stg_error(STG.STG_E_READFAULT, f"read error on {self._name}: {exc}") from exc
        return slice_spans(ranges, spans, data)

    def close(self) -> None:
        self._f = None

    def __repr__(self) -> str:
        return f"SeekableSource({self._name})"
