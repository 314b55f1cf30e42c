"""Byte sources over fsspec: range reads that fetch only what a request needs.

:class:`RangeSource` implements the compound-file reader's ``ByteSource`` protocol
(``size``, ``read_ranges``, ``describe``, ``close``) on top of an fsspec filesystem:

* every ``read_ranges`` call is served with as few requests as possible: ranges already held
  in the cache are answered locally, the missing pieces are merged when they are at most
  ``gap`` bytes apart (never into one span larger than ``max_block``) and fetched together
  with ``fs.cat_ranges`` (one ranged GET per merged span, issued concurrently by async
  filesystems);
* fetched spans are kept in a small LRU cache (``cache_bytes``), so the header, FAT and
  directory sectors are fetched once;
* a server that ignores ``Range`` (answers with the whole object, or with a different length)
  is detected and reported as ``STG_E_READFAULT`` instead of returning wrong bytes;
* :class:`IOStats` counts requests and bytes, for tests and the benchmark suite.

:class:`FileObjectSource` serves the same protocol from an fsspec file object opened with the
caller's cache options (``cache_type``/``block_size``), for users who chose a cache and for
caching filesystems (``blockcache::``, ``simplecache::``).
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from imsg_core.errors import STG, StorageError, stg_error

__all__ = ["DEFAULT_GAP", "FileObjectSource", "IOStats", "RangeSource", "merge_ranges"]

Range = tuple[int, int]

#: Missing pieces closer than this are fetched as one span (a request costs more than this).
DEFAULT_GAP = 8 << 10
#: No merged span grows beyond this by merging (a single asked range may be larger).
DEFAULT_MAX_BLOCK = 16 << 20
#: Bytes of fetched spans kept for later requests.
DEFAULT_CACHE_BYTES = 32 << 20
#: Sequential readahead: first extension, and the most one request is extended by.
READAHEAD_START = 256 << 10
#: A fetch at least this long that is continued by the next one starts a readahead.
READAHEAD_TRIGGER = 16 << 10
READAHEAD_MAX = 8 << 20


@dataclass
class IOStats:
    """What a source asked of its filesystem.

    Attributes:
        requests: ranged reads issued (one per merged span; one GET each on S3/HTTP).
        bytes: payload bytes received.
        calls: ``read_ranges`` calls served.
        cache_hits: asked ranges answered wholly from the cache.
        spans: every ``(offset, length)`` fetched, in order (for diagnostics).
    """

    requests: int = 0
    bytes: int = 0
    calls: int = 0
    cache_hits: int = 0
    spans: list[Range] = field(default_factory=list)

    def reset(self) -> None:
        """Zero every counter."""
        self.requests = self.bytes = self.calls = self.cache_hits = 0
        self.spans.clear()


def merge_ranges(
    ranges: Sequence[Range], gap: int = 0, max_block: int | None = None
) -> list[Range]:
    """Sort and merge ``(offset, length)`` ranges that overlap, touch, or lie at most ``gap``
    bytes apart; a merge never makes a span longer than ``max_block`` (a single range may be
    longer). Empty ranges are dropped."""
    out: list[list[int]] = []
    for off, length in sorted(r for r in ranges if r[1] > 0):
        if out:
            last = out[-1]
            end = last[0] + last[1]
            new_end = max(end, off + length)
            if off <= end + gap and (max_block is None or new_end - last[0] <= max_block):
                last[1] = new_end - last[0]
                continue
            if off < end:  # overlapping but too big to merge: keep only the new part
                if new_end > end:
                    out.append([end, new_end - end])
                continue
        out.append([off, length])
    return [(a, b) for a, b in out]


def _check(ranges: Sequence[Range], where: str) -> None:
    for off, length in ranges:
        if not isinstance(off, int) or not isinstance(length, int) or off < 0 or length < 0:
            raise stg_error(
                STG.STG_E_INVALIDPARAMETER, f"bad read range ({off!r}, {length!r}) on {where}"
            )


class _SpanCache:
    """Fetched ``offset -> bytes`` spans, LRU-bounded by total bytes. Not thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.spans: OrderedDict[int, bytes] = OrderedDict()

    def add(self, off: int, data: bytes) -> None:
        if not data or len(data) > self.limit:
            return
        old = self.spans.pop(off, None)
        if old is not None:
            self.total -= len(old)
            if len(old) > len(data):
                data = old
        self.spans[off] = data
        self.total += len(data)
        while self.total > self.limit and self.spans:
            _, dropped = self.spans.popitem(last=False)
            self.total -= len(dropped)

    def lookup(self, off: int, length: int) -> bytes | None:
        """The bytes of ``[off, off+length)`` if one cached span holds them all."""
        for start, data in self.spans.items():
            if start <= off and off + length <= start + len(data):
                self.spans.move_to_end(start)
                return data[off - start : off - start + length]
        return None

    def missing(self, off: int, length: int) -> list[Range]:
        """The parts of ``[off, off+length)`` no cached span covers."""
        holes = [(off, off + length)]
        for start, data in self.spans.items():
            end = start + len(data)
            nxt: list[tuple[int, int]] = []
            for a, b in holes:
                if end <= a or start >= b:
                    nxt.append((a, b))
                    continue
                if a < start:
                    nxt.append((a, start))
                if end < b:
                    nxt.append((end, b))
            holes = nxt
            if not holes:
                break
        return [(a, b - a) for a, b in holes]

    def clear(self) -> None:
        self.spans.clear()
        self.total = 0


class _BaseSource:
    """Shared range bookkeeping: clamp to the size, cache, split results."""

    def __init__(self, url: str, size: int, *, gap: int, max_block: int, cache_bytes: int) -> None:
        self.url = url
        self._size = size
        self.gap = gap
        self.max_block = max_block
        self.stats = IOStats()
        self._cache = _SpanCache(cache_bytes)
        self._lock = threading.Lock()
        self._closed = False
        self.readahead = True
        self._last_end = -1
        self._last_len = 0
        self._ra = 0

    @property
    def size(self) -> int:
        """Object length in bytes (taken once, at open)."""
        return self._size

    def describe(self) -> str:
        """The object's URL."""
        return self.url

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._closed

    def close(self) -> None:
        """Drop the cache; later reads raise ``STG_E_REVERTED``. Idempotent."""
        with self._lock:
            self._closed = True
            self._cache.clear()

    def is_cached(self, ranges: Sequence[tuple[int, int]]) -> bool:
        """True when every byte of ``ranges`` (clamped to the size) is in the cache, i.e. a
        ``read_ranges`` of them would issue no request."""
        with self._lock:
            if self._closed:
                return False
            size = self._size
            for off, length in ranges:
                n = min(length, size - off)
                if n > 0 and self._cache.missing(off, n):
                    return False
            return True

    def _fetch(self, spans: list[Range]) -> list[bytes]:  # pragma: no cover - abstract
        raise NotImplementedError

    def read_ranges(
        self,
        ranges: Sequence[tuple[int, int]],
        *,
        gap: int | None = None,
        readahead: bool = True,
    ) -> list[bytes]:
        """One ``bytes`` per ``(offset, length)``, in order; shorter only past the end.

        ``gap`` overrides the merge distance for this call (metadata reads of scattered
        small sectors use a large one: a request costs more than the bytes in between).
        ``readahead=False`` marks a fetch that is no part of a sequential scan (metadata,
        speculative prefetch): it is never extended, and the scan state is left as it was.

        :raises StorageError: ``STG_E_READFAULT`` when the filesystem fails or returns a
            wrong length, ``STG_E_REVERTED`` after :meth:`close`.
        """
        _check(ranges, self.url)
        with self._lock:
            if self._closed:
                raise stg_error(STG.STG_E_REVERTED, f"{self.url} was closed")
            self.stats.calls += 1
            clamped = [
                (off, max(0, min(length, self._size - off))) if off < self._size else (off, 0)
                for off, length in ranges
            ]
            holes: list[Range] = []
            for off, length in clamped:
                if length:
                    holes.extend(self._cache.missing(off, length))
            if holes:
                spans = merge_ranges(holes, self.gap if gap is None else gap, self.max_block)
                if readahead:
                    spans = self._with_readahead(spans)
                blobs = self._fetch(spans)
                for (off, length), blob in zip(spans, blobs, strict=True):
                    if len(blob) != length:
                        raise stg_error(
                            STG.STG_E_READFAULT,
                            f"{self.url}: asked for {length} bytes at offset {off}, got "
                            f"{len(blob)} (the server does not honour Range requests, or the "
                            "object changed while open)",
                        )
                    self.stats.requests += 1
                    self.stats.bytes += length
                    self.stats.spans.append((off, length))
                    self._cache.add(off, blob)
            else:
                self.stats.cache_hits += len(ranges)
            out: list[bytes] = []
            for off, length in clamped:
                if not length:
                    out.append(b"")
                    continue
                got = self._cache.lookup(off, length)
                if got is None:  # spans larger than the cache, or merged across: rebuild
                    got = self._assemble(
                        off, length, spans if holes else [], blobs if holes else []
                    )
                out.append(got)
            return out

    def _with_readahead(self, spans: list[Range]) -> list[Range]:
        """Extend a fetch that continues the previous bulk fetch (a sequential scan, e.g.
        reading attachments in file order): 256 KiB, doubling up to 8 MiB, never past the
        end or over bytes already cached. Only single-span fetches following a fetch of at
        least :data:`READAHEAD_TRIGGER` bytes qualify: metadata batches and the small reads
        right after the header never grow."""
        first = spans[0][0]
        sequential = (
            self.readahead
            and len(spans) == 1
            and self._last_len >= READAHEAD_TRIGGER
            and 0 <= self._last_end <= first <= self._last_end + self.gap
        )
        self._ra = min(max(self._ra * 2, READAHEAD_START), READAHEAD_MAX) if sequential else 0
        off, length = spans[-1]
        end = off + length
        if self._ra and end < self._size:
            extra = self._cache.missing(end, min(self._ra, self._size - end))
            if extra and extra[0][0] == end:
                spans[-1] = (off, length + extra[0][1])
        self._last_end = spans[-1][0] + spans[-1][1]
        self._last_len = spans[-1][1] if len(spans) == 1 else 0
        return spans

    def _assemble(self, off: int, length: int, spans: list[Range], blobs: list[bytes]) -> bytes:
        """Build ``[off, off+length)`` from the cache plus just-fetched spans."""
        pieces: list[tuple[int, bytes]] = list(zip((s for s, _ in spans), blobs, strict=True))
        pieces.extend(self._cache.spans.items())
        buf = bytearray(length)
        covered: list[tuple[int, int]] = []
        for start, data in pieces:
            a, b = max(off, start), min(off + length, start + len(data))
            if a < b:
                buf[a - off : b - off] = data[a - start : b - start]
                covered.append((a, b))
        have = sum(n for _, n in merge_ranges([(a, b - a) for a, b in covered]))
        if have < length:
            # The range is bigger than the cache and was not fetched in one piece: fetch it.
            data = self._fetch([(off, length)])[0]
            self.stats.requests += 1
            self.stats.bytes += len(data)
            if len(data) != length:
                raise stg_error(STG.STG_E_READFAULT, f"{self.url}: short read at offset {off}")
            return data
        return bytes(buf)


class RangeSource(_BaseSource):
    """An fsspec object read with ``fs.cat_ranges`` (no file handle is kept open).

    :param fs: the filesystem (from ``fsspec.url_to_fs``).
    :param path: the object's path on ``fs``.
    :param size: its length (from ``fs.info``).
    :param url: the location string shown in messages.
    """

    def __init__(
        self,
        fs: Any,
        path: str,
        size: int,
        *,
        url: str | None = None,
        gap: int = DEFAULT_GAP,
        max_block: int = DEFAULT_MAX_BLOCK,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        super().__init__(url or path, size, gap=gap, max_block=max_block, cache_bytes=cache_bytes)
        self.fs = fs
        self.path = path

    def _fetch(self, spans: list[Range]) -> list[bytes]:
        from .location import io_error

        try:
            if len(spans) == 1:
                off, length = spans[0]
                return [bytes(self.fs.cat_file(self.path, start=off, end=off + length))]
            n = len(spans)
            got = self.fs.cat_ranges(
                [self.path] * n,
                [s for s, _ in spans],
                [s + n_ for s, n_ in spans],
                on_error="raise",
            )
        except StorageError:
            raise
        except Exception as exc:
            raise io_error(exc, f"reading {self.url}", STG.STG_E_READFAULT) from exc
        out: list[bytes] = []
        for item in got:
            if isinstance(item, BaseException):
                raise io_error(item, f"reading {self.url}", STG.STG_E_READFAULT) from item
            out.append(bytes(item))
        return out


class FileObjectSource(_BaseSource):
    """An fsspec file object (opened with the caller's cache options), read under a lock.

    Each merged span is one ``seek`` + ``read`` on the file, whose own cache decides what is
    fetched. The file is closed by :meth:`close`.
    """

    def __init__(
        self,
        fileobj: Any,
        size: int,
        *,
        url: str,
        gap: int = DEFAULT_GAP,
        max_block: int = DEFAULT_MAX_BLOCK,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        super().__init__(url, size, gap=gap, max_block=max_block, cache_bytes=cache_bytes)
        self._f = fileobj

    def _fetch(self, spans: list[Range]) -> list[bytes]:
        from .location import io_error

        out: list[bytes] = []
        try:
            for off, length in spans:
                self._f.seek(off)
                parts: list[bytes] = []
                want = length
                while want > 0:
                    chunk = self._f.read(want)
                    if not chunk:
                        break
                    parts.append(bytes(chunk))
                    want -= len(chunk)
                out.append(b"".join(parts))
        except StorageError:
            raise
        except Exception as exc:
            raise io_error(exc, f"reading {self.url}", STG.STG_E_READFAULT) from exc
        return out

    def close(self) -> None:
        super().close()
        with contextlib.suppress(Exception):  # closing a read handle has nothing to report
            self._f.close()
