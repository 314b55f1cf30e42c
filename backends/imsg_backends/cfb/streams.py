"""Streams of a compound file: sector chains of regular and mini sectors, the mini stream and
the mini FAT, and :class:`CFBStreamData` (a stream's bytes, read on demand).

:class:`StreamReader` is the layer of the reader above :class:`~.fat.FatReader`; it defines
the mini-stream extension points :meth:`StreamReader.load_mini_stream` and
:meth:`StreamReader.read_mini_spans` (see :class:`~imsg_backends.cfb.reader.CFBReader`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

from imsg_core.backend import STG
from imsg_core.backend import StorageError
from imsg_core.backend import StreamData
from imsg_core.backend import stg_error

from .fat import _OWN_MINIFAT
from .fat import _OWN_MINISTREAM
from .fat import Chain
from .fat import FatReader
from .fat import _StreamName
from .header import _SPECIAL
from .header import ENDOFCHAIN
from .header import MINI_CUTOFF
from .header import MINI_SECTOR
from .header import _corrupt
from .header import _u32_array

__all__ = ["MINI_STREAM_CACHE_LIMIT", "CFBStreamData", "StreamReader"]

#: A mini stream up to this size is read whole on the first small-stream read and cached.
MINI_STREAM_CACHE_LIMIT = 16 << 20


class CFBStreamData(StreamData):
    """The bytes of one stream of a compound file, read on demand.

    The stream's sector chain is resolved (and checked) on the first read and kept; each
    ``read_at`` then fetches the sectors it covers with one ``read_ranges`` call. Reads of a
    corrupt stream raise ``STG_E_DOCFILECORRUPT`` naming the stream and the fault.
    """

    __slots__ = ("_chain", "_index", "_mini", "_reader", "_size", "_start")

    def __init__(self, reader: StreamReader, index: int, size: int, start: int, mini: bool) -> None:
        self._reader = reader
        self._index = index
        self._size = size
        self._start = start
        self._mini = mini
        self._chain: Chain | None = None

    @property
    def size(self) -> int:
        return self._size

    @property
    def reader(self) -> StreamReader:
        """The reader this data currently reads through."""
        return self._reader

    @property
    def index(self) -> int:
        """The directory entry (stream ID) of this stream in :attr:`reader`."""
        return self._index

    def rebind(self, reader: StreamReader, index: int) -> None:
        """Read the same bytes from another reader's entry ``index`` from now on (used after
        a commit rewrote the file). The caller guarantees the content is identical."""
        entry = reader.entries[index]
        if entry.size != self._size and not (
            reader.sector_size == 512 and entry.size & 0xFFFFFFFF == self._size
        ):
            raise stg_error(
                STG.STG_E_INVALIDPARAMETER, "internal: rebind to a stream of another size"
            )
        self._reader = reader
        self._index = index
        self._start = entry.start
        self._mini = self._size < MINI_CUTOFF
        self._chain = None

    def read_at(self, offset: int, n: int) -> bytes:
        if offset < 0:
            raise stg_error(STG.STG_E_INVALIDPARAMETER, f"negative offset {offset}")
        if n <= 0 or offset >= self._size:
            return b""
        n = min(n, self._size - offset)
        reader = self._reader
        chain = self._chain
        if chain is None:
            chain = self._chain = reader._stream_chain(
                self._index, self._start, self._size, self._mini
            )
        if self._mini:
            cache = reader._mini_cache
            if cache is not None and len(chain.runs) == 1:  # one contiguous run: a slice
                a = (chain.runs[0][0] << 6) + offset
                return cache[a : a + n]
            return reader._read_mini(chain, offset, n)
        return reader._read_chain(chain, offset, n)


class StreamReader(FatReader):
    """Stream chains and the mini stream (see the module doc)."""

    cache_mini_stream: bool
    _minifat: array[int] | None
    _mini_chain: Chain | None
    _mini_cache: bytes | None
    _mini_claims: array[int] | None
    _conflicts: dict[int, str]
    _chain_cache: dict[int, Chain]

    @property
    def mini_chain(self) -> Chain | None:
        """The mini stream's chain of regular sectors (``None`` until the first small-stream
        read loads the mini FAT)."""
        return self._mini_chain

    def _stream_chain(self, index: int, start: int, size: int, mini: bool) -> Chain:
        """The checked chain of entry ``index``, resolved once per reader (thread-safe: every
        data object reading this entry shares it)."""
        got = self._chain_cache.get(index)
        if got is not None:
            return got
        with self._lock:
            self.check_open()
            got = self._chain_cache.get(index)
            if got is None:
                if mini and self._mini_chain is not None and index not in self._conflicts:
                    got = self._mini_single_run(index, start, size)
                if got is None:
                    got = self._resolve_chain(index, start, size, mini)
                self._chain_cache[index] = got
            return got

    def _mini_single_run(self, index: int, start: int, size: int) -> Chain | None:
        """The usual small stream: one run of unclaimed, consecutively linked mini sectors,
        claimed and returned; ``None`` for anything else (the general walk then finds it,
        with its checks and messages). Call under the lock, mini FAT loaded."""
        minifat = self._minifat
        claims = self._mini_claims
        assert minifat is not None and claims is not None
        count = (size + MINI_SECTOR - 1) >> 6
        if start + count > len(minifat):
            return None
        owner = index + 1
        if count == 1:
            if claims[start]:
                return None
            claims[start] = owner
        else:
            if self._run_length(minifat, start, start, count) != count:
                return None
            if claims[start : start + count].count(0) != count:
                return None
            claims[start : start + count] = array("i", [owner]) * count
        chain = Chain()
        chain.runs.append((start, count))
        chain.offsets.append(0)
        chain.count = count
        return chain

    def _resolve_chain(self, index: int, start: int, size: int, mini: bool) -> Chain:
        conflict = self._conflicts.get(index)
        if conflict is not None:
            raise _corrupt(conflict)
        what = _StreamName(self, index)
        if mini:
            return self._mini_follow(start, size, index + 1, what)
        count = (size + self.sector_size - 1) >> self.sector_shift
        if count > self.num_sectors:
            raise _corrupt(
                f"{what} declares {size} bytes, more than the whole file "
                f"({self._file_size} bytes) in {self._where}"
            )
        return self._follow(start, count, index + 1, what)

    def _ensure_mini(self) -> None:
        with self._lock:
            if self._mini_chain is not None:
                return
            h = self.header
            root = self.entries[0]
            ms_size = root.size if self.sector_size != 512 else root.size & 0xFFFFFFFF
            ms_count = (ms_size + self.sector_size - 1) >> self.sector_shift
            if ms_count > self.num_sectors:
                raise _corrupt(
                    f"the mini stream declares {ms_size} bytes, more than the whole file in "
                    f"{self._where}"
                )
            nmini = h.num_minifat_sectors
            if nmini > self.num_sectors:
                raise _corrupt(
                    f"header declares {nmini} mini FAT sectors, more than the file has in "
                    f"{self._where}"
                )
            minifat_chain = self._follow_upto(
                h.first_minifat_sector, nmini, _OWN_MINIFAT, "the mini FAT chain"
            )
            minifat = _u32_array(
                self._read_chain(minifat_chain, 0, len(minifat_chain) << self.sector_shift)
            )
            mini_chain = self._follow(root.start, ms_count, _OWN_MINISTREAM, "the mini stream")
            # Mini sectors the mini stream's chain physically holds (the root's size may be
            # smaller than the data Windows left in its last sector; olefile reads those too).
            usable = min(len(minifat), (ms_count << self.sector_shift) >> 6)
            del minifat[usable:]
            self._minifat = minifat
            self._mini_claims = array("i", bytes(4 * usable))
            self.load_mini_stream(mini_chain, ms_size)
            self._mini_chain = mini_chain

    def load_mini_stream(self, mini_chain: Chain, ms_size: int) -> None:
        """**Extension point.** Called once, under :attr:`lock`, when the mini stream's chain
        (``mini_chain``, for ``ms_size`` bytes) has been followed and checked. The default
        reads the whole mini stream and keeps it (when ``cache_mini_stream`` and it is at
        most :data:`MINI_STREAM_CACHE_LIMIT` bytes); small streams are then sliced from it.
        Otherwise each small-stream read calls :meth:`read_mini_spans`, so an override that
        keeps nothing here (or keeps its own partial copy) reads the mini stream in parts."""
        if self.cache_mini_stream and ms_size <= MINI_STREAM_CACHE_LIMIT:
            self._mini_cache = self._read_chain(mini_chain, 0, len(mini_chain) << self.sector_shift)

    def _follow_upto(self, start: int, count: int, owner: int, what: str | _StreamName) -> Chain:
        """Up to ``count`` sectors of a chain, stopping early at ENDOFCHAIN."""
        chain = self._follow(start, count, owner, what, exact=False) if count else Chain()
        if len(chain) < count:
            self._defect(f"{what} has {len(chain)} sectors, header says {count}")
        return chain

    def _mini_follow(self, start: int, size: int, owner: int, what: str | _StreamName) -> Chain:
        """The mini sectors of a small stream as runs (same checks as :meth:`_walk`)."""
        if self._mini_chain is None:
            self._ensure_mini()
        minifat = self._minifat
        claims = self._mini_claims
        assert minifat is not None and claims is not None
        count = (size + MINI_SECTOR - 1) >> 6
        avail = len(minifat)
        if count > avail:
            raise _corrupt(
                f"{what} declares {size} bytes, more than the mini stream holds "
                f"({avail * MINI_SECTOR} bytes) in {self._where}"
            )
        chain = Chain()
        sector = start
        got = 0
        with self._lock:
            try:
                while got < count:
                    if sector >= avail:
                        if sector == ENDOFCHAIN:
                            raise _corrupt(
                                f"{what} ends after {got} mini sectors but needs {count} in "
                                f"{self._where}"
                            )
                        raise _corrupt(
                            f"{what} refers to mini sector "
                            f"{_SPECIAL.get(sector, str(sector))} (link {got}), beyond the "
                            f"mini stream's {avail} sectors in {self._where}"
                        )
                    most = min(count - got, avail - sector)
                    if most == 1 or minifat[sector] != sector + 1:  # a one-sector run
                        if not claims[sector]:
                            claims[sector] = owner
                            chain.add(sector, 1)
                            got += 1
                            sector = minifat[sector]
                            continue
                        k = 1
                    else:
                        k = self._run_length(minifat, sector, sector, most)
                    seg = claims[sector : sector + k]
                    if seg.count(0) != k:
                        j = next(j for j, v in enumerate(seg) if v)
                        if j:
                            claims[sector : sector + j] = array("i", [owner]) * j
                            chain.add(sector, j)
                        bad = sector + j
                        if claims[bad] == owner:
                            raise _corrupt(
                                f"mini FAT chain loop at mini sector {bad} in {what} in "
                                f"{self._where}"
                            )
                        raise _corrupt(
                            f"mini sector {bad} of {what} is also used by "
                            f"{self._what(claims[bad])} in {self._where}"
                        )
                    claims[sector : sector + k] = array("i", [owner]) * k
                    chain.add(sector, k)
                    got += k
                    sector = minifat[sector + k - 1]
            except StorageError:
                for s_ in chain:
                    if claims[s_] == owner:
                        claims[s_] = 0
                raise
        return chain

    def _read_mini(self, chain: Chain, offset: int, n: int) -> bytes:
        """Bytes ``[offset, offset + n)`` of a small stream (from the cached mini stream, or
        with one ``read_ranges`` call)."""
        # Spans of the mini stream holding the bytes, as (mini-stream offset, length).
        spans: list[tuple[int, int]] = []
        runs = chain.runs
        offsets = chain.offsets
        pos = offset
        end = offset + n
        i = bisect_right(offsets, pos >> 6) - 1
        while pos < end:
            first, k = runs[i]
            begin = offsets[i] << 6
            take = min(end, (offsets[i] + k) << 6) - pos
            spans.append(((first << 6) + pos - begin, take))
            pos += take
            i += 1
        cache = self._mini_cache
        if cache is not None:
            if len(spans) == 1:
                a, m = spans[0]
                return cache[a : a + m]
            view = memoryview(cache)
            return b"".join(view[a : a + m] for a, m in spans)
        return self.read_mini_spans(spans)

    def read_mini_spans(self, spans: list[tuple[int, int]]) -> bytes:
        """**Extension point.** The bytes of ``spans`` (``(mini-stream offset, length)``,
        within :attr:`mini_chain`) joined, when the mini stream is not held whole. The
        default reads exactly those bytes with one :meth:`read_ranges` call."""
        mini_chain = self._mini_chain
        assert mini_chain is not None
        ranges: list[tuple[int, int]] = []
        for a, m in spans:  # a span may cross regular sectors that are not contiguous
            for rng in self.chain_ranges(mini_chain, a, m):
                if ranges and ranges[-1][0] + ranges[-1][1] == rng[0]:
                    ranges[-1] = (ranges[-1][0], ranges[-1][1] + rng[1])
                else:
                    ranges.append(rng)
        got = self.read_ranges(ranges)
        return b"".join(
            p if len(p) == r[1] else p + bytes(r[1] - len(p))
            for p, r in zip(got, ranges, strict=True)
        )
