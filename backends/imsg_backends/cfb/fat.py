"""Sectors, the FAT and the DIFAT: the bottom layer of the compound-file reader.

:class:`FatReader` holds what every later layer reads through: the source, the sector
geometry, the claim table (which structure or stream owns each sector, so loops and shared
sectors are found), the DIFAT and the FAT (loaded whole, or page by page), and the chain
walk that turns a start sector into a :class:`Chain` of contiguous runs. It is not used on its
own: :class:`~imsg_backends.cfb.reader.CFBReader` builds on it (see there for the extension
points; two of them, :meth:`FatReader.fat_window` and :meth:`FatReader.read_metadata`, are
defined here because this layer calls them).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from collections.abc import Sequence

from imsg_core.backend import STG
from imsg_core.backend import StorageError
from imsg_core.backend import StorageNode
from imsg_core.backend import stg_error

from .header import _SPECIAL
from .header import ENDOFCHAIN
from .header import FREESECT
from .header import MAXREGSECT
from .header import CFBHeader
from .header import DirEntry
from .header import _corrupt
from .header import _u32
from .header import _u32_array
from .sources import ByteSource

__all__ = ["Chain", "FatReader"]

_OWN_FAT, _OWN_DIFAT, _OWN_DIR, _OWN_MINIFAT, _OWN_MINISTREAM = -1, -2, -3, -4, -5
_OWNER_NAMES = {
    _OWN_FAT: "the FAT",
    _OWN_DIFAT: "the DIFAT",
    _OWN_DIR: "the directory",
    _OWN_MINIFAT: "the mini FAT",
    _OWN_MINISTREAM: "the mini stream",
}


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


class FatReader:
    """Sector I/O, the DIFAT and FAT, and chain walking (see the module doc)."""

    source: ByteSource
    owns_source: bool
    defects: list[str]
    header: CFBHeader
    sector_shift: int
    sector_size: int
    num_sectors: int
    entries: list[DirEntry]
    root: StorageNode
    _closed: bool
    _lock: threading.RLock
    _where: str
    _file_size: int
    _claims: array[int]
    _fat_per_sector: int
    _fat_sectors: list[int]
    _fat: array[int] | None
    _fat_pages: list[array[int] | None]
    _parents: list[int]

    def describe(self) -> str:
        """Where this file is (the source's description)."""
        return self._where

    @property
    def major_version(self) -> int:
        """3 or 4 as the header says (a v3 header may still use 4096-byte sectors)."""
        return self.header.major_version

    @property
    def lock(self) -> threading.RLock:
        """The reader's re-entrant lock: held while tables are filled. An extension that
        keeps tables of its own fills them under it."""
        return self._lock

    def check_open(self) -> None:
        """Raise ``STG_E_REVERTED`` once the reader was closed."""
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

    def read_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """``source.read_ranges(ranges)`` for an open reader, any raw I/O error mapped to
        ``STG_E_READFAULT``. Every read of the reader goes through here."""
        self.check_open()
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
        parts = self.read_ranges(ranges)
        for k, ((_, length), part) in enumerate(zip(ranges, parts, strict=True)):
            if len(part) < length:
                parts[k] = part + bytes(length - len(part))
        return parts[0] if len(parts) == 1 else b"".join(parts)

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
            pages = self._fat_pages
            got = pages[page]
            if got is None:
                window = self.fat_window(page)
                todo = [p for p in range(page, min(len(pages), page + window)) if pages[p] is None]
                shift, ss = self.sector_shift, self.sector_size
                ranges = [((self._fat_sectors[p] + 1) << shift, ss) for p in todo]
                blobs = self.read_metadata(ranges)
                for p, blob in zip(todo, blobs, strict=True):
                    # a short last sector of the file reads as zeros (as _read_padded does)
                    pages[p] = _u32_array(blob + bytes(ss - len(blob)) if len(blob) < ss else blob)
                got = pages[page]
                assert got is not None
            return got

    # ------------------------------------------------------------------ extension points
    def fat_window(self, page: int) -> int:
        """**Extension point.** With a lazy FAT, FAT sector ``page`` is needed and not loaded:
        how many FAT sectors from ``page`` on (those not loaded yet) to load with it in one
        :meth:`read_metadata` call. Called under :attr:`lock`. Default: 1."""
        return 1

    def read_metadata(self, ranges: list[tuple[int, int]]) -> list[bytes]:
        """**Extension point.** Read the file ``ranges`` of metadata sectors (FAT sectors
        loaded lazily); same contract as :meth:`read_ranges`, which the default calls. A
        remote reader reads them with a wider merge distance and outside its source's
        sequential readahead."""
        return self.read_ranges(ranges)

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

    def chain_ranges(self, chain: Chain, offset: int, n: int) -> list[tuple[int, int]]:
        """Exact file ranges holding bytes ``[offset, offset + n)`` of a chain's data (in
        chain order, one per run of contiguous sectors)."""
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
        return self._read_padded(self.chain_ranges(chain, offset, n))


class _StreamName:
    """``stream 'path'`` for messages, computed only when a message is formatted."""

    __slots__ = ("index", "reader")

    def __init__(self, reader: FatReader, index: int) -> None:
        self.reader = reader
        self.index = index

    def __str__(self) -> str:
        return f"stream {self.reader.path_of(self.index)!r}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
