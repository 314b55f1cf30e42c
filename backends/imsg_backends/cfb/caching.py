"""A byte source for expensive requests: a span cache, merging with a gap, readahead.

:class:`CachingSource` implements the :class:`~imsg_backends.cfb.sources.ByteSource`
protocol for sources where a request costs far more than the bytes it carries (S3, HTTP, any
fsspec filesystem):

* every ``read_ranges`` call is served with as few requests as possible: ranges already held
  in the cache are answered locally, the missing pieces are merged when they are at most
  ``gap`` bytes apart (never into one span larger than ``max_block``) and fetched together
  with one :meth:`CachingSource.fetch` call;
* fetched spans are kept in a small LRU cache (``cache_bytes``), so the header, FAT and
  directory sectors are fetched once;
* a fetch that returns a different length than asked (a server that ignores ``Range``) is
  reported as ``STG_E_READFAULT`` instead of returning wrong bytes;
* a fetch that continues the previous bulk fetch (a sequential scan) is extended
  (readahead); :meth:`CachingSource.read_ranges` takes ``gap`` and ``readahead=False`` for
  reads that are no part of a scan (metadata, guesses);
* :class:`IOStats` counts requests and bytes, for tests and the benchmark suite.

**The extension point** is :meth:`CachingSource.fetch` (as fsspec's ``_fetch_range``): a
subclass supplies only how a list of spans is fetched; the remote backend's ``RangeSource``
(``fs.cat_ranges``) and ``FsspecFileSource`` (seek and read on an fsspec file) are the two.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from imsg_core.errors import STG
from imsg_core.errors import stg_error

from .ranges import Range
from .ranges import check_ranges
from .ranges import merge_ranges
from .sources import ByteSource

__all__ = [
    "DEFAULT_CACHE_BYTES",
    "DEFAULT_GAP",
    "DEFAULT_MAX_BLOCK",
    "READAHEAD_MAX",
    "READAHEAD_START",
    "READAHEAD_TRIGGER",
    "CachingSource",
    "IOStats",
]

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


class CachingSource(ByteSource):
    """Range bookkeeping for expensive sources: clamp to the size, cache, merge, read ahead,
    split results (see the module doc). Subclasses implement :meth:`fetch`."""

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

    def fetch(self, spans: list[Range]) -> list[bytes]:  # pragma: no cover - abstract
        """**Extension point.** The bytes of every ``(offset, length)`` span, in order,
        fetched together (as few requests as the medium allows). Spans are sorted, disjoint
        and within the size; an item of another length than asked is reported by the
        caller as ``STG_E_READFAULT``. Called under the source's lock.

        :raises StorageError: ``STG_E_READFAULT`` (or another ``STG_E_*``) when the fetch fails.
        """
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
        check_ranges(ranges, self.url)
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
                blobs = self.fetch(spans)
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
            data = self.fetch([(off, length)])[0]
            self.stats.requests += 1
            self.stats.bytes += len(data)
            if len(data) != length:
                raise stg_error(STG.STG_E_READFAULT, f"{self.url}: short read at offset {off}")
            return data
        return bytes(buf)
