"""Where the compound-file writer's bytes go: the :class:`Output` protocol, :class:`FdOutput`
(a raw descriptor, gathering writes with ``os.writev``), and the sector sink that pads, batches
and flushes what :func:`~imsg_backends.cfb.writer.write_cfb` produces.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from collections.abc import Sequence
from typing import Protocol

from imsg_core.backend import STG
from imsg_core.backend import StreamData
from imsg_core.backend import stg_error

__all__ = ["FdOutput", "Output"]

_COPY_CHUNK = 1 << 20
_ZEROS = bytes(64)


class Output(Protocol):
    """What :func:`write_cfb` writes to: anything with a binary ``write`` (a file object,
    ``io.BytesIO``, :class:`FdOutput`). A ``write`` that returns a count may write less;
    the rest is written again."""

    def write(self, data: bytes | memoryview, /) -> int | None: ...


class _SectorOut:
    """The output of :func:`write_cfb`: counts bytes, inserts the zero range-lock sector when
    the position reaches it, and holds pieces until ``flush_at`` bytes are pending, then
    sends them with one call (``os.writev`` on an unbuffered file, else one joined write).

    Pieces are held by reference: callers pass immutable data (or views of data they no
    longer change).
    """

    def __init__(self, out: Output, ss: int, lock: int | None, flush_at: int) -> None:
        self.out = out
        self.ss = ss
        self.pos = 0
        self.lock_at = None if lock is None else (lock + 1) * ss
        self._parts: list[bytes | memoryview] = []
        self._held = 0
        self._flush_at = flush_at
        self._writev = _writev_of(out)

    def write(self, data: bytes | memoryview) -> None:
        if self.lock_at is None:  # the usual case: no range-lock sector to step over
            self._hold(data)
            return
        view = memoryview(data)
        while view:
            if self.lock_at is not None and self.pos == self.lock_at:
                self._hold(bytes(self.ss))
                self.lock_at = None
                continue
            take = len(view)
            if self.lock_at is not None and self.pos < self.lock_at < self.pos + take:
                take = self.lock_at - self.pos
            self._hold(view[:take])
            view = view[take:]

    def _hold(self, data: bytes | memoryview) -> None:
        n = len(data)
        if not n:
            return
        self._parts.append(data)
        self._held += n
        self.pos += n
        if self._held >= self._flush_at:
            self.finish()

    def pad(self, unit: int) -> None:
        extra = -self.pos % unit
        if extra:
            self.write(_ZEROS[:extra] if extra <= len(_ZEROS) else bytes(extra))

    def finish(self) -> None:
        """Send every held piece to the output."""
        parts, self._parts = self._parts, []
        held, self._held = self._held, 0
        if not parts:
            return
        if len(parts) == 1:
            rest: bytes | memoryview = parts[0]
        elif self._writev is not None and len(parts) <= _WRITEV_MAX:
            done = self._writev(parts)  # one system call, no joined copy
            if done == held:
                return
            rest = memoryview(b"".join(parts))[done:]  # a short write: finish it below
        else:
            rest = b"".join(parts)
        self._send(rest)

    def _send(self, data: bytes | memoryview) -> None:
        n = self.out.write(data)
        if n is not None and n != len(data):
            # A raw file object may write less; finish the job.
            rest = memoryview(data)[n:]
            while rest:
                m = self.out.write(rest)
                if not m:
                    raise stg_error(STG.STG_E_WRITEFAULT, "short write to the output")
                rest = rest[m:]


def _iov_max() -> int:
    try:
        return max(16, min(os.sysconf("SC_IOV_MAX"), 1024))
    except (AttributeError, ValueError, OSError):  # no sysconf, or no such name
        return 16


#: At most this many pieces go to one ``os.writev`` (POSIX guarantees 16; Linux takes 1024).
_WRITEV_MAX = _iov_max()


class FdOutput:
    """An output for :func:`write_cfb` over an open file descriptor: no file object and no
    buffer (:func:`write_cfb` gathers the pieces itself and sends a small file with one
    ``os.writev``). The descriptor stays the caller's to close."""

    __slots__ = ("fd",)

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, data: bytes | memoryview) -> int:
        """``os.write``: may write less than given (the writer finishes the job)."""
        return os.write(self.fd, data)

    def writev(self, parts: Sequence[bytes | memoryview]) -> int:
        """``os.writev``: may write less than given (the writer finishes the job)."""
        return os.writev(self.fd, parts)


def _writev_of(out: object) -> Callable[[Sequence[bytes | memoryview]], int] | None:
    """A gathering write into ``out`` (an :class:`FdOutput`, or an unbuffered
    ``io.FileIO``), or ``None`` when ``out`` has none (then pieces are joined)."""
    if not hasattr(os, "writev"):
        return None  # pragma: no cover - Windows
    if isinstance(out, FdOutput):
        return out.writev
    if type(out) is io.FileIO and not out.closed:
        fd = out.fileno()
        return lambda parts: os.writev(fd, parts)
    return None


#: Files up to this size are gathered in memory and written with one call.
_GATHER_LIMIT = 4 << 20


def _copy(sink: _SectorOut, data: StreamData, size: int, name: str) -> None:
    off = 0
    while off < size:
        want = min(_COPY_CHUNK, size - off)
        chunk = data.read_at(off, want)
        if not chunk:
            raise stg_error(
                STG.STG_E_READFAULT,
                f"stream {name!r} ended after {off} of its {size} bytes while writing",
            )
        if len(chunk) > want:
            chunk = chunk[:want]
        if type(chunk) is not bytes:  # the sink holds pieces: a reused buffer would change
            chunk = bytes(chunk)
        sink.write(chunk)
        off += len(chunk)


def _read_whole(data: StreamData, size: int, name: str, got: bytes) -> bytes:
    """``size`` bytes of ``data`` given the first ``got`` (a read that came back short)."""
    buf = bytearray(got[:size])
    while len(buf) < size:
        chunk = data.read_at(len(buf), size - len(buf))
        if not chunk:
            raise stg_error(
                STG.STG_E_READFAULT,
                f"stream {name!r} ended after {len(buf)} of its {size} bytes while writing",
            )
        buf += chunk[: size - len(buf)]
    return bytes(buf)
