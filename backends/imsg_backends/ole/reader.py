"""Compound-file (MS-CFB) reader over a :class:`~imsg_backends.ole.source.ByteSource`.

:class:`CFBReader` reads the header, the DIFAT, the FAT (all at once, or lazily one FAT sector
at a time) and the directory when constructed, and builds a tree of
:class:`~imsg_core.tree.StorageNode` / :class:`~imsg_core.tree.StreamNode` objects whose stream
data (:class:`CFBStreamData`) reads the stream's sectors only when asked. Nothing else is read
at open (the mini FAT and the mini stream are read on the first read of a small stream).

I/O is batched: every read goes through ``source.read_ranges`` with all the ranges one step
needs (a stream's whole chain, the FAT, the directory); runs of contiguous sectors are one
range.

Leniency (spec ``cfb.md`` §9; each is recorded in :attr:`CFBReader.defects`): non-zero
transaction signature, minor versions other than 0x3E, junk in reserved fields, a version-3
header with 4096-byte sectors, a mini-stream cutoff other than 4096, the high DWORD of v3
stream sizes, a short last sector, unsorted or unbalanced sibling trees, ``0`` used for
"no entry" in sibling/child links, unallocated (type 0) or legacy (3, 4) entries in a tree
(skipped), sibling-link indices out of range (skipped).

Refused with :class:`~imsg_core.errors.StorageError` naming what and where:

* at open (``STG_E_INVALIDHEADER``): not a compound file, unknown major version, sector
  shift other than 9/12, mini sector shift other than 6, byte order other than 0xFFFE;
* at open (``STG_E_DOCFILECORRUPT``): loops or out-of-range sectors in the DIFAT, FAT list or
  directory chain; directory cycles or entries reachable twice; bad or duplicate names; a
  second root entry; two streams declaring the same first sector;
* when a stream is read (``STG_E_DOCFILECORRUPT``): a chain loop, an out-of-range or special
  sector number, a chain shorter than the declared size, a declared size larger than the
  file (or than the mini stream), a sector already used by another stream or by the
  file's own structures.

Memory is bounded by the file size: no allocation is sized from a declared value without
first bounding it by the number of sectors the file really has.
"""

from __future__ import annotations

import codecs
import struct
import sys
import threading
import uuid
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from imsg_core.errors import STG, StorageError, stg_error
from imsg_core.storage import MAX_NAME_LENGTH, name_sort_key
from imsg_core.tree import StorageNode, StreamData, StreamNode

from .source import ByteSource

__all__ = [
    "DIFSECT",
    "ENDOFCHAIN",
    "FATSECT",
    "FREESECT",
    "MAXREGSECT",
    "MINI_CUTOFF",
    "NOSTREAM",
    "SIGNATURE",
    "CFBHeader",
    "CFBReader",
    "CFBStreamData",
    "Chain",
    "DirEntry",
    "filetime_to_datetime",
    "open_cfb_tree",
]

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAXREGSECT = 0xFFFFFFFA
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF
MINI_CUTOFF = 4096
MINI_SECTOR = 64

#: A mini stream up to this size is read whole on the first small-stream read and cached.
MINI_STREAM_CACHE_LIMIT = 16 << 20

_HEADER = struct.Struct("<8s16sHHHHH6sIIIIIIIII")
_DIRENT = struct.Struct("<64sHBBIII16sIQQIQ")
_SPECIAL = {
    DIFSECT: "DIFSECT",
    FATSECT: "FATSECT",
    ENDOFCHAIN: "ENDOFCHAIN",
    FREESECT: "FREESECT",
    0xFFFFFFFB: "reserved value 0xFFFFFFFB",
}
# Owners of sectors in the claim table (positive values are directory entry index + 1).
_OWN_FAT, _OWN_DIFAT, _OWN_DIR, _OWN_MINIFAT, _OWN_MINISTREAM = -1, -2, -3, -4, -5
_OWNER_NAMES = {
    _OWN_FAT: "the FAT",
    _OWN_DIFAT: "the DIFAT",
    _OWN_DIR: "the directory",
    _OWN_MINIFAT: "the mini FAT",
    _OWN_MINISTREAM: "the mini stream",
}


def _u32(values: range) -> array[int]:
    a = array("I", values)
    if a.itemsize != 4:  # pragma: no cover - exotic platforms
        a = array("L", values)
    return a


def _u32_array(data: bytes) -> array[int]:
    a = array("I")
    if a.itemsize != 4:  # pragma: no cover - exotic platforms
        a = array("L")
    usable = len(data) - len(data) % 4
    a.frombytes(data[:usable])
    if sys.byteorder == "big":  # pragma: no cover
        a.byteswap()
    return a


_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def filetime_to_datetime(ft: int) -> datetime | None:
    """A FILETIME (100 ns since 1601 UTC) as an aware datetime; ``None`` for 0, all-ones or
    values outside what :class:`datetime` can hold."""
    if ft in (0, 0xFFFFFFFFFFFFFFFF):
        return None
    try:
        return _EPOCH + timedelta(microseconds=ft // 10)
    except OverflowError:
        return None


def _corrupt(msg: str) -> StorageError:
    return stg_error(STG.STG_E_DOCFILECORRUPT, msg)


class Chain:
    """A regular sector chain as runs of consecutive sectors (``runs[i] = (first, length)``;
    ``offsets[i]`` = position in the chain where run ``i`` begins)."""

    __slots__ = ("count", "offsets", "runs")

    def __init__(self) -> None:
        self.runs: list[tuple[int, int]] = []
        self.offsets: list[int] = []
        self.count = 0

    def add(self, first: int, length: int) -> None:
        """Append ``length`` sectors starting at ``first`` (merged with the last run when
        contiguous)."""
        runs = self.runs
        if runs and runs[-1][0] + runs[-1][1] == first:
            runs[-1] = (runs[-1][0], runs[-1][1] + length)
        else:
            runs.append((first, length))
            self.offsets.append(self.count)
        self.count += length

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self.count:
            raise IndexError(i)
        r = bisect_right(self.offsets, i) - 1
        return self.runs[r][0] + i - self.offsets[r]

    def __iter__(self) -> Iterator[int]:
        for first, length in self.runs:
            yield from range(first, first + length)


@dataclass(frozen=True)
class CFBHeader:
    """The fields of the 512-byte header that matter (spec cfb.md §3)."""

    minor_version: int
    major_version: int
    byte_order: int
    sector_shift: int
    mini_sector_shift: int
    num_dir_sectors: int
    num_fat_sectors: int
    first_dir_sector: int
    transaction_signature: int
    mini_cutoff: int
    first_minifat_sector: int
    num_minifat_sectors: int
    first_difat_sector: int
    num_difat_sectors: int
    difat: tuple[int, ...]


class DirEntry(NamedTuple):
    """One directory entry as stored (spec cfb.md §5); ``sid`` is its stream ID (index)."""

    sid: int
    name: str
    type: int
    color: int
    left: int
    right: int
    child: int
    clsid: uuid.UUID
    state_bits: int
    ctime: int
    mtime: int
    start: int
    size: int


class CFBStreamData(StreamData):
    """The bytes of one stream of a compound file, read on demand.

    The stream's sector chain is resolved (and checked) on the first read and kept; each
    ``read_at`` then fetches the sectors it covers with one ``read_ranges`` call. Reads of a
    corrupt stream raise ``STG_E_DOCFILECORRUPT`` naming the stream and the fault.
    """

    __slots__ = ("_chain", "_index", "_mini", "_reader", "_size", "_start")

    def __init__(self, reader: CFBReader, index: int, size: int, start: int, mini: bool) -> None:
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
    def reader(self) -> CFBReader:
        """The reader this data currently reads through."""
        return self._reader

    @property
    def index(self) -> int:
        """The directory entry (stream ID) of this stream in :attr:`reader`."""
        return self._index

    def rebind(self, reader: CFBReader, index: int) -> None:
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


class CFBReader:
    """Parse a compound file from ``source`` and expose it as a node tree (:attr:`root`).

    :param source: the bytes (any :class:`ByteSource`). The reader does not take ownership:
        :meth:`close` closes the source only when ``owns_source`` is true.
    :param lazy_fat: load each FAT sector only when a chain needs it (for remote sources,
        where reading the whole FAT of a large file costs requests). Default: load the whole
        FAT at open with one ``read_ranges`` call.
    :param cache_mini_stream: read the whole mini stream (up to
        :data:`MINI_STREAM_CACHE_LIMIT`) on the first small-stream read and keep it.
    :raises StorageError: ``STG_E_INVALIDHEADER`` when this is not a compound file,
        ``STG_E_DOCFILECORRUPT`` when its structure is damaged (see the module doc).
    """

    def __init__(
        self,
        source: ByteSource,
        *,
        lazy_fat: bool = False,
        cache_mini_stream: bool = True,
        owns_source: bool = False,
    ) -> None:
        self.source = source
        self.owns_source = owns_source
        self.cache_mini_stream = cache_mini_stream
        self.defects: list[str] = []
        self._closed = False
        self._lock = threading.RLock()
        self._where = source.describe()
        self._file_size = source.size
        self.header = self._parse_header()
        h = self.header
        self.sector_shift = h.sector_shift
        self.sector_size = 1 << h.sector_shift
        ss = self.sector_size
        #: Number of sector slots the file has (the last one may be short).
        self.num_sectors = max(0, (self._file_size - ss + ss - 1) // ss)
        self._claims = array("i", bytes(4 * self.num_sectors))
        self._fat_per_sector = ss // 4
        self._fat_sectors = self._load_difat()
        self._fat: array[int] | None = None
        self._fat_pages: list[array[int] | None] = [None] * len(self._fat_sectors)
        if not lazy_fat:
            self._load_fat_all()
        self._minifat: array[int] | None = None
        self._mini_chain: Chain | None = None
        self._mini_cache: bytes | None = None
        self._mini_claims: array[int] | None = None
        self.entries: list[DirEntry] = []
        self._parents: list[int] = []
        self._conflicts: dict[int, str] = {}
        self._chain_cache: dict[int, Chain] = {}
        self.root = self._load_directory()

    # ------------------------------------------------------------------ basics
    def describe(self) -> str:
        """Where this file is (the source's description)."""
        return self._where

    @property
    def major_version(self) -> int:
        """3 or 4 as the header says (a v3 header may still use 4096-byte sectors)."""
        return self.header.major_version

    def close(self) -> None:
        """Free the reader's tables and close the source if this reader owns it. Later
        reads through it raise ``STG_E_REVERTED``. Idempotent."""
        with self._lock:
            self._closed = True
            self._fat = None
            self._fat_pages = []
            self._claims = array("i")
            self._mini_cache = None
            self._minifat = None
            self._chain_cache.clear()
        if self.owns_source:
            self.source.close()

    def _check_open(self) -> None:
        if self._closed:
            raise stg_error(STG.STG_E_REVERTED, f"{self._where} was closed (storage released?)")

    def _defect(self, msg: str) -> None:
        if len(self.defects) < 100:
            self.defects.append(msg)

    def path_of(self, index: int) -> str:
        """Slash-joined path of a directory entry ("" for the root)."""
        parts: list[str] = []
        seen = 0
        while 0 < index < len(self._parents) and seen <= len(self._parents):
            parts.append(self.entries[index].name)
            index = self._parents[index]
            seen += 1
        return "/".join(reversed(parts))

    def _what(self, owner: int) -> str:
        if owner > 0:
            return f"stream {self.path_of(owner - 1)!r}"
        return _OWNER_NAMES.get(owner, "?")

    def _read(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        self._check_open()
        try:
            return self.source.read_ranges(ranges)
        except StorageError:
            raise
        except (OSError, ValueError, EOFError) as exc:
            raise stg_error(STG.STG_E_READFAULT, f"read error on {self._where}: {exc}") from exc

    def _sector_ranges(self, sectors: Sequence[int]) -> list[tuple[int, int]]:
        """File ranges covering ``sectors`` in order, contiguous runs merged."""
        ranges: list[tuple[int, int]] = []
        shift = self.sector_shift
        ss = self.sector_size
        n = len(sectors)
        i = 0
        while i < n:
            first = sectors[i]
            j = i + 1
            while j < n and sectors[j] == sectors[j - 1] + 1:
                j += 1
            ranges.append(((first + 1) << shift, (j - i) * ss))
            i = j
        return ranges

    def _read_sectors(self, sectors: Sequence[int]) -> bytes:
        """The bytes of ``sectors`` in order; a short last sector of the file is zero-padded."""
        if not sectors:
            return b""
        return self._read_padded(self._sector_ranges(sectors))

    def _read_padded(self, ranges: list[tuple[int, int]]) -> bytes:
        """The bytes of ``ranges`` joined, in one ``read_ranges`` call; a range cut short by
        the end of the file is zero-padded (a short last sector)."""
        parts = self._read(ranges)
        for k, ((_, length), part) in enumerate(zip(ranges, parts, strict=True)):
            if len(part) < length:
                parts[k] = part + bytes(length - len(part))
        return parts[0] if len(parts) == 1 else b"".join(parts)

    # ------------------------------------------------------------------ header
    def _parse_header(self) -> CFBHeader:
        where = self._where
        if self._file_size < 512:
            raise stg_error(
                STG.STG_E_INVALIDHEADER,
                f"{where} is not a compound file: {self._file_size} bytes, shorter than the "
                "512-byte header",
            )
        raw = self._read([(0, 512)])[0]
        if len(raw) < 512:
            raise stg_error(STG.STG_E_INVALIDHEADER, f"{where}: header could not be read whole")
        (
            sig,
            clsid,
            minor,
            major,
            order,
            shift,
            mshift,
            reserved,
            ndir,
            nfat,
            firstdir,
            txn,
            cutoff,
            firstmini,
            nmini,
            firstdifat,
            ndifat,
        ) = _HEADER.unpack_from(raw)
        if sig != SIGNATURE:
            raise stg_error(
                STG.STG_E_INVALIDHEADER,
                f"{where} is not a compound file (signature {sig.hex()} instead of "
                f"{SIGNATURE.hex()})",
            )
        if major not in (3, 4):
            raise stg_error(
                STG.STG_E_INVALIDHEADER, f"{where}: unsupported compound-file major version {major}"
            )
        if shift not in (9, 12):
            raise stg_error(
                STG.STG_E_INVALIDHEADER, f"{where}: unsupported sector shift {shift} (not 9 or 12)"
            )
        if mshift != 6:
            raise stg_error(
                STG.STG_E_INVALIDHEADER,
                f"{where}: unsupported mini sector shift {mshift} (not 6)",
            )
        if order != 0xFFFE:
            raise stg_error(
                STG.STG_E_INVALIDHEADER, f"{where}: byte order mark 0x{order:04X} is not 0xFFFE"
            )
        if (major == 3) != (shift == 9):
            self._defect(f"version {major} header with {1 << shift}-byte sectors")
        if minor != 0x3E:
            self._defect(f"minor version 0x{minor:04X}")
        if txn:
            self._defect(f"transaction signature {txn}")
        if any(clsid) or any(reserved):
            self._defect("junk in the header CLSID or reserved fields")
        if cutoff != MINI_CUTOFF:
            self._defect(f"mini stream cutoff {cutoff} (treated as 4096)")
        difat = struct.unpack_from("<109I", raw, 0x4C)
        return CFBHeader(
            minor,
            major,
            order,
            shift,
            mshift,
            ndir,
            nfat,
            firstdir,
            txn,
            cutoff,
            firstmini,
            nmini,
            firstdifat,
            ndifat,
            difat,
        )

    # ------------------------------------------------------------------ DIFAT / FAT
    def _claim(self, sector: int, owner: int, what: str) -> None:
        prev = self._claims[sector]
        if prev:
            if prev == owner:
                raise _corrupt(f"loop in {what} at sector {sector} in {self._where}")
            raise _corrupt(
                f"sector {sector} of {what} is also used by {self._what(prev)} in {self._where}"
            )
        self._claims[sector] = owner

    def _check_sector(self, sector: int, what: str | _StreamName) -> None:
        if sector > MAXREGSECT:
            raise _corrupt(
                f"{what} refers to special sector value {_SPECIAL.get(sector, hex(sector))} "
                f"in {self._where}"
            )
        if sector >= self.num_sectors:
            raise _corrupt(
                f"{what} refers to sector {sector}, beyond the end of {self._where} "
                f"({self.num_sectors} sectors)"
            )

    def _load_difat(self) -> list[int]:
        h = self.header
        want = h.num_fat_sectors
        if want > self.num_sectors:
            self._defect(
                f"header claims {want} FAT sectors but the file has {self.num_sectors} sectors"
            )
            want = self.num_sectors
        fat_sectors: list[int] = []

        def take(values: Sequence[int]) -> bool:
            for v in values:
                if len(fat_sectors) >= want:
                    return False
                if v in (FREESECT, ENDOFCHAIN):
                    return False
                if len(fat_sectors) * self._fat_per_sector >= self.num_sectors:
                    self._defect("FAT sectors describing only sectors past the end ignored")
                    return False
                self._check_sector(v, f"DIFAT entry {len(fat_sectors)}")
                self._claim(v, _OWN_FAT, "the FAT sector list")
                fat_sectors.append(v)
            return True

        more = take(h.difat)
        per = self._fat_per_sector - 1
        sector = h.first_difat_sector
        count = 0
        while more and sector not in (ENDOFCHAIN, FREESECT) and len(fat_sectors) < want:
            self._check_sector(sector, f"DIFAT sector chain (link {count})")
            self._claim(sector, _OWN_DIFAT, "the DIFAT chain")
            count += 1
            raw = self._read_sectors([sector])
            values = _u32_array(raw)
            more = take(values[:per])
            sector = values[per]
        if h.num_fat_sectors != len(fat_sectors):
            self._defect(
                f"header says {h.num_fat_sectors} FAT sectors, DIFAT lists {len(fat_sectors)}"
            )
        if not fat_sectors:
            raise _corrupt(f"{self._where} has no FAT sectors")
        return fat_sectors

    def _load_fat_all(self) -> None:
        fat = _u32(range(0))
        sectors = self._fat_sectors
        group = max(1, (1 << 20) >> self.sector_shift)  # ~1 MiB per call: bounded temporaries
        for i in range(0, len(sectors), group):
            fat.extend(_u32_array(self._read_sectors(sectors[i : i + group])))
        del fat[self.num_sectors :]  # entries describing sectors beyond the file are unused
        self._fat = fat

    def _fat_page(self, page: int) -> array[int]:
        with self._lock:
            got = self._fat_pages[page]
            if got is None:
                got = _u32_array(self._read_sectors([self._fat_sectors[page]]))
                self._fat_pages[page] = got
            return got

    def fat_entry(self, sector: int) -> int:
        """The FAT's next-sector value for ``sector`` (loads its FAT sector if lazy)."""
        if self._fat is not None:
            if sector < len(self._fat):
                return self._fat[sector]
        else:
            page, slot = divmod(sector, self._fat_per_sector)
            if page < len(self._fat_pages) and sector < self.num_sectors:
                return self._fat_page(page)[slot]
        raise _corrupt(f"sector {sector} has no FAT entry in {self._where}")

    def _follow(
        self,
        start: int,
        count: int | None,
        owner: int,
        what: str | _StreamName,
        *,
        exact: bool = True,
    ) -> Chain:
        """The sectors of a chain: exactly ``count`` of them, or up to ENDOFCHAIN when
        ``count`` is None (or ``exact`` is false: then at most ``count``). Claims each sector
        for ``owner`` (detecting loops and sharing)."""
        chain = Chain()
        limit = self.num_sectors if count is None else count
        if limit > self.num_sectors:
            raise _corrupt(
                f"{what} declares {limit} sectors but {self._where} has only {self.num_sectors}"
            )
        with self._lock:
            try:
                self._walk(chain, start, limit, count if exact else None, owner=owner, what=what)
            except StorageError:
                self._release_claims(chain, owner)
                raise
        return chain

    def _run_length(self, table: array[int], slot: int, first: int, most: int) -> int:
        """How many sectors from ``first`` (at most ``most``) form a contiguous run
        (FAT value of sector ``s`` is ``s + 1``), where ``table[slot]`` is the FAT entry of
        ``first``. Found with C-level slice comparisons (galloping search)."""
        if most <= 1 or table[slot] != first + 1:  # a one-sector run: no temporaries
            return 1
        k, step = 2, 2
        while k < most:
            n = min(step, most - k, 1 << 16)
            a = slot + k - 1
            b = first + k
            if table[a : a + n] == _u32(range(b, b + n)):
                k += n
                step <<= 1
                continue
            lo, hi = 0, n - 1  # the first n sectors do not all link on; find how many do
            while lo < hi:
                mid = (lo + hi + 1) >> 1
                if table[a : a + mid] == _u32(range(b, b + mid)):
                    lo = mid
                else:
                    hi = mid - 1
            return k + lo
        return k

    def _walk(
        self,
        chain: Chain,
        sector: int,
        limit: int,
        count: int | None,
        *,
        owner: int,
        what: str | _StreamName,
    ) -> None:
        claims = self._claims
        fat = self._fat
        nsec = self.num_sectors
        got = 0
        while got < limit:
            if sector == ENDOFCHAIN and count is None:
                return
            if sector >= nsec:
                if sector == ENDOFCHAIN:
                    raise _corrupt(
                        f"{what} ends after {got} sectors but needs {count} in {self._where}"
                    )
                self._check_sector(sector, f"{what} (link {got})")
            most = min(limit - got, nsec - sector)
            if fat is not None:
                k = self._run_length(fat, sector, sector, most)
            else:  # lazy FAT: runs within the FAT sector holding this entry
                page, slot = divmod(sector, self._fat_per_sector)
                if page >= len(self._fat_pages):
                    raise _corrupt(f"sector {sector} has no FAT entry in {self._where}")
                table = self._fat_page(page)
                k = self._run_length(table, slot, sector, min(most, len(table) - slot))
            seg = claims[sector : sector + k]
            if seg.count(0) != k:
                j = next(j for j, v in enumerate(seg) if v)
                if j:  # claim the clean part first so the message names the right link
                    claims[sector : sector + j] = array("i", [owner]) * j
                    chain.add(sector, j)
                    got += j
                bad = sector + j
                prev = claims[bad]
                if prev == owner:
                    raise _corrupt(f"FAT chain loop at sector {bad} in {what} in {self._where}")
                raise _corrupt(
                    f"sector {bad} of {what} is also used by {self._what(prev)} in {self._where}"
                )
            claims[sector : sector + k] = array("i", [owner]) * k
            chain.add(sector, k)
            got += k
            last = sector + k - 1
            if fat is not None:
                sector = fat[last] if last < len(fat) else FREESECT
            else:
                sector = self.fat_entry(last)
        if count is None and sector != ENDOFCHAIN and limit >= nsec:
            raise _corrupt(f"{what} does not end within the file's {nsec} sectors")

    def _release_claims(self, chain: Chain, owner: int) -> None:
        claims = self._claims
        for s in chain:
            if claims[s] == owner:
                claims[s] = 0

    def _chain_ranges(self, chain: Chain, offset: int, n: int) -> list[tuple[int, int]]:
        """Exact file ranges holding bytes ``[offset, offset + n)`` of a chain's data."""
        shift = self.sector_shift
        runs = chain.runs
        offsets = chain.offsets
        out: list[tuple[int, int]] = []
        pos = offset
        end = offset + n
        i = bisect_right(offsets, pos >> shift) - 1
        while pos < end:
            first, k = runs[i]
            begin = offsets[i] << shift
            run_end = (offsets[i] + k) << shift
            take = min(end, run_end) - pos
            out.append((((first + 1) << shift) + pos - begin, take))
            pos += take
            i += 1
        return out

    def _read_chain(self, chain: Chain, offset: int, n: int) -> bytes:
        """Bytes ``[offset, offset + n)`` of a chain's data in one ``read_ranges`` call; the
        part of a short last sector past the end of the file reads as zeros."""
        if n <= 0:
            return b""
        return self._read_padded(self._chain_ranges(chain, offset, n))

    # ------------------------------------------------------------------ directory
    def _load_directory(self) -> StorageNode:
        h = self.header
        chain = self._follow(h.first_dir_sector, None, _OWN_DIR, "the directory chain")
        if not chain:
            raise _corrupt(f"{self._where} has an empty directory")
        raw = self._read_chain(chain, 0, len(chain) << self.sector_shift)
        entries = self.entries
        v3_sizes = self.sector_size == 512
        # tuple.__new__ directly: DirEntry._make is a Python-level wrapper (one per entry).
        new_tuple = tuple.__new__
        entry_cls = DirEntry

        def make(values: tuple[object, ...]) -> DirEntry:
            return new_tuple(entry_cls, values)

        unused = make(
            (0, "", 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, _NIL_UUID, 0, 0, 0, ENDOFCHAIN, 0)
        )
        unused_rest = tuple(unused)[1:]
        append = entries.append
        for index, (
            name_raw,
            name_len,
            etype,
            color,
            left,
            right,
            child,
            clsid,
            state,
            ctime,
            mtime,
            start,
            size64,
        ) in enumerate(_DIRENT.iter_unpack(raw)):
            if etype == 0 and name_len == 0:
                append(new_tuple(entry_cls, (index, *unused_rest)))
                continue
            # The name-length field decides (as olefile does), clamped to the 64-byte buffer.
            nlen = name_len
            if nlen > 64 or nlen & 1:
                self._defect(f"entry {index}: name length {name_len}")
                nlen = min(nlen, 64) & ~1
            name = _utf16_decode(name_raw[: nlen - 2], "surrogatepass")[0] if nlen else ""
            if "\0" in name:  # a NUL ends the name whatever the length field says (§9)
                name = name[: name.index("\0")]
                self._defect(f"entry {index}: NUL inside the name (length field {name_len})")
            append(
                new_tuple(
                    entry_cls,
                    (
                        index,
                        name,
                        etype,
                        color,
                        left,
                        right,
                        child,
                        uuid.UUID(bytes_le=clsid) if clsid != _ZERO16 else _NIL_UUID,
                        state,
                        ctime,
                        mtime,
                        start,
                        # v3 readers must ignore the high DWORD (old writers left junk there).
                        size64 & 0xFFFFFFFF if v3_sizes else size64,
                    ),
                )
            )
        return self._build_tree()

    def _build_tree(self) -> StorageNode:
        entries = self.entries
        n = len(entries)
        root_entry = entries[0]
        if root_entry.type not in (5, 1):
            raise _corrupt(
                f"entry 0 of {self._where} is not a root storage (type {root_entry.type})"
            )
        if root_entry.type != 5:
            self._defect(f"root entry type {root_entry.type}")
        if root_entry.name != "Root Entry":
            self._defect(f"root entry named {root_entry.name!r}")
        self._parents = parents = [-1] * n
        visited = bytearray(n)
        visited[0] = 1
        root = StorageNode(
            "Root Entry",
            root_entry.clsid,
            root_entry.state_bits,
            filetime_to_datetime(root_entry.ctime),
            filetime_to_datetime(root_entry.mtime),
        )
        where = self._where
        # Work list of (storage entry index, its node).
        todo: list[tuple[int, StorageNode]] = [(0, root)]
        max_size = self.num_sectors * self.sector_size
        sort_key = name_sort_key  # cached: .msg files repeat a few hundred names
        bad = _BAD_CHARS.isdisjoint
        # Names are checked all at once; one by one only when some name is invalid.
        names = [e[1] for e in entries]
        check_names = not bad("".join(names)) or max(map(len, names)) > MAX_NAME_LENGTH
        stream_node, stream_data = StreamNode, CFBStreamData
        while todo:
            sidx, snode = todo.pop()
            children = snode.children
            stack = [entries[sidx][6]]
            while stack:
                idx = stack.pop()
                if idx == NOSTREAM or idx == 0:  # noqa: PLR1714 - hot loop
                    continue
                if idx >= n:
                    self._defect(f"link to entry {idx} (beyond {n} entries) below entry {sidx}")
                    continue
                if visited[idx]:
                    raise _corrupt(
                        f"directory entry {idx} is reachable twice (again from storage "
                        f"{self.path_of(sidx) or 'Root Entry'!r}) in {where}"
                    )
                visited[idx] = 1
                (_, name, etype, _, left, right, _, clsid, state, ctime, mtime, start, size) = (
                    entries[idx]
                )
                stack.append(left)
                stack.append(right)
                if etype != 2 and etype != 1:  # noqa: PLR1714 - hot loop
                    if etype == 5:
                        raise _corrupt(f"second root entry at index {idx} in {where}")
                    self._defect(f"entry {idx} of type {etype} skipped")
                    continue
                parents[idx] = sidx
                if not name:
                    self._defect(f"entry {idx} has an empty name")
                if check_names and (len(name) > MAX_NAME_LENGTH or not bad(name)):
                    raise _corrupt(
                        f"directory entry {idx} below {self.path_of(sidx) or 'Root Entry'!r} has "
                        f"an invalid name {name!r} in {where}"
                    )
                key = sort_key(name)
                if key in children:
                    raise _corrupt(
                        f"duplicate name {name!r} in storage "
                        f"{self.path_of(sidx) or 'Root Entry'!r} (entry {idx}) in {where}"
                    )
                node: StorageNode | StreamNode
                if etype == 1:
                    node = StorageNode(
                        name,
                        clsid,
                        state,
                        filetime_to_datetime(ctime),
                        filetime_to_datetime(mtime),
                    )
                    todo.append((idx, node))
                elif size == 0:
                    node = StreamNode(name)
                else:
                    if size > max_size:
                        self._defect(f"stream {name!r} declares {size} bytes")
                    node = stream_node(
                        name, stream_data(self, idx, size, start, size < MINI_CUTOFF)
                    )
                children[key] = node
        self._check_start_sectors()
        return root

    def _check_start_sectors(self) -> None:
        """Two streams (or a stream and the mini stream) starting at the same sector: both
        are marked so that reading either raises (olefile flags the same condition)."""
        seen_fat: dict[int, int] = {}
        seen_mini: dict[int, int] = {}
        root = self.entries[0]
        if root.size and root.start <= MAXREGSECT:
            seen_fat[root.start] = 0
        parents = self._parents
        conflicts = self._conflicts
        for e in self.entries:
            if e.type != 2 or e.size == 0 or parents[e.sid] < 0:
                continue
            mini = e.size < MINI_CUTOFF
            table = seen_mini if mini else seen_fat
            other = table.setdefault(e.start, e.sid)
            if other != e.sid:
                them = "the mini stream" if other == 0 else f"stream {self.path_of(other)!r}"
                msg = (
                    f"stream {self.path_of(e.sid)!r} and {them} both start at "
                    f"{'mini ' if mini else ''}sector {e.start} (a stream referenced twice) in "
                    f"{self._where}"
                )
                conflicts[e.sid] = msg
                if other:
                    conflicts.setdefault(other, msg)
                self._defect(msg)

    # ------------------------------------------------------------------ streams
    def _stream_chain(self, index: int, start: int, size: int, mini: bool) -> Chain:
        """The checked chain of entry ``index``, resolved once per reader (thread-safe: every
        data object reading this entry shares it)."""
        got = self._chain_cache.get(index)
        if got is not None:
            return got
        with self._lock:
            self._check_open()
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
            self._load_mini_stream(mini_chain, ms_size)
            self._mini_chain = mini_chain

    def _load_mini_stream(self, mini_chain: Chain, ms_size: int) -> None:
        """Called once, under the lock, when the mini stream's chain has been followed: reads
        the whole mini stream into :attr:`_mini_cache` (when ``cache_mini_stream`` and it is at
        most :data:`MINI_STREAM_CACHE_LIMIT` bytes). Subclasses may read it in parts instead
        (see :meth:`_read_mini_spans`)."""
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
        return self._read_mini_spans(spans)

    def _read_mini_spans(self, spans: list[tuple[int, int]]) -> bytes:
        """The bytes of ``spans`` (``(mini-stream offset, length)``, within the mini stream's
        chain) joined, read with one ``read_ranges`` call (no mini stream cache)."""
        mini_chain = self._mini_chain
        assert mini_chain is not None
        ranges: list[tuple[int, int]] = []
        for a, m in spans:  # a span may cross regular sectors that are not contiguous
            for rng in self._chain_ranges(mini_chain, a, m):
                if ranges and ranges[-1][0] + ranges[-1][1] == rng[0]:
                    ranges[-1] = (ranges[-1][0], ranges[-1][1] + rng[1])
                else:
                    ranges.append(rng)
        got = self._read(ranges)
        return b"".join(
            p if len(p) == r[1] else p + bytes(r[1] - len(p))
            for p, r in zip(got, ranges, strict=True)
        )

    # ------------------------------------------------------------------ conveniences
    def find(self, path: str) -> StorageNode | StreamNode:
        """The node at a slash-separated path; ``STG_E_FILENOTFOUND`` if absent."""
        node: StorageNode | StreamNode = self.root
        for part in [p for p in path.split("/") if p]:
            child = node.get(part) if isinstance(node, StorageNode) else None
            if child is None:
                raise stg_error(STG.STG_E_FILENOTFOUND, f"no element {path!r} in {self._where}")
            node = child
        return node

    def read_stream(self, path: str) -> bytes:
        """The whole content of the stream at ``path``."""
        node = self.find(path)
        if not isinstance(node, StreamNode):
            raise stg_error(STG.STG_E_FILENOTFOUND, f"{path!r} is a storage in {self._where}")
        return node.data.read_at(0, node.size)

    def iter_streams(self) -> Iterator[tuple[str, StreamNode]]:
        """Every stream as ``(path, node)`` in tree order."""
        for path, node in self.root.walk():
            if isinstance(node, StreamNode):
                yield path, node


_NIL_UUID = uuid.UUID(int=0)
_utf16_decode = codecs.utf_16_le_decode  # 4x faster than bytes.decode's codec lookup
_ZERO16 = bytes(16)
_BAD_CHARS = frozenset("/\\:!")


class _StreamName:
    """``stream 'path'`` for messages, computed only when a message is formatted."""

    __slots__ = ("index", "reader")

    def __init__(self, reader: CFBReader, index: int) -> None:
        self.reader = reader
        self.index = index

    def __str__(self) -> str:
        return f"stream {self.reader.path_of(self.index)!r}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def open_cfb_tree(
    source: ByteSource, *, lazy_fat: bool = False, cache_mini_stream: bool = True
) -> StorageNode:
    """Parse the compound file in ``source`` and return its root node (lazy stream data).

    The returned tree keeps the reader (and so ``source``) alive through its stream data.
    """
    return CFBReader(source, lazy_fat=lazy_fat, cache_mini_stream=cache_mini_stream).root
