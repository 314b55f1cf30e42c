"""The compound-file reader tuned for remote sources: fewer, better-aimed range requests.

:class:`RemoteCFBReader` is :class:`~imsg_backends.cfb.reader.CFBReader` (lazy FAT) with
the engine's extension points filled in (each named below), plus the prefetch planner
:func:`plan_metadata_ranges`:

* **whole small objects** (``prefetch_header``): an object of at most :data:`WHOLE_OBJECT_LIMIT`
  bytes is fetched with its header read, in one request;
* **speculative metadata prefetch** (``prefetch_metadata``): right after the header, the ranges
  the reader is about to ask for one by one — the DIFAT sectors, the directory, the mini FAT,
  the mini stream (usually right next to them) and the FAT sectors describing all of these — are
  guessed from the header (chains are usually contiguous; see :func:`plan_metadata_ranges`) and
  fetched in one batch (merged spans, concurrent GETs), so opening a message and reading its
  subject usually costs the header's request plus one round. Guesses only warm the source's
  cache (and never start its sequential readahead); the reader still follows and checks every
  chain through the real DIFAT and FAT, so a wrong guess costs bytes, never correctness;
* **FAT pages in growing windows** (``fat_window``, ``read_metadata``): a FAT sector missing
  from the cache is loaded together with the following ones (1, 2, 4, ... up to
  :data:`MAX_FAT_WINDOW` sectors per request), so walking the chain of a large stream costs a
  handful of requests, not one per FAT sector;
* **the mini stream in parts** (``load_mini_stream``, ``read_mini_spans``): a mini stream of at
  most :data:`MINI_WHOLE_LIMIT` bytes is read whole on the first small-stream read (the prefetch
  usually holds it already). A larger one (many recipients or small attachments: often most of
  the file) is read only where small streams are read: the regular sectors of the mini stream
  holding the asked bytes, widened to an aligned window of :data:`MINI_WINDOW_START` bytes that
  grows fourfold at each miss up to :data:`MAX_MINI_WINDOW`, so opening a message and reading
  its subject fetches a few KiB of it, and reading every small stream in turn costs a handful of
  requests (never one per stream). Bytes already held by the source (the prefetch) are taken as
  they are, without widening. The mini stream's chain and every small stream's mini FAT chain
  are still followed and checked in full; fetched sectors are kept, so no byte of the mini
  stream is asked for twice. A mini stream above the reader's ``MINI_STREAM_CACHE_LIMIT`` keeps
  nothing (as in the local reader): each small-stream read fetches its own sectors.
"""

from __future__ import annotations

from collections.abc import Sequence

from imsg_backends.cfb.caching import CachingSource
from imsg_backends.cfb.fat import Chain
from imsg_backends.cfb.header import ENDOFCHAIN
from imsg_backends.cfb.header import FREESECT
from imsg_backends.cfb.header import MAXREGSECT
from imsg_backends.cfb.header import MINI_SECTOR
from imsg_backends.cfb.header import CFBHeader
from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import ByteSource
from imsg_backends.cfb.streams import MINI_STREAM_CACHE_LIMIT

__all__ = [
    "MAX_DIR_GUESS",
    "MAX_FAT_WINDOW",
    "MAX_MINI_GUESS",
    "MAX_MINI_WINDOW",
    "MINI_WHOLE_LIMIT",
    "MINI_WINDOW_START",
    "WHOLE_OBJECT_LIMIT",
    "RemoteCFBReader",
    "plan_metadata_ranges",
]

#: Objects up to this size are fetched whole with the header.
WHOLE_OBJECT_LIMIT = 256 << 10
#: The directory is guessed contiguous for at most this many bytes.
MAX_DIR_GUESS = 64 << 10
#: Most FAT sectors loaded by one request when walking a long chain.
MAX_FAT_WINDOW = 64
#: Merge distance for batches of metadata sectors (FAT windows).
METADATA_GAP = 128 << 10
#: The read-behind of the directory (where the mini stream usually is) is at most this long.
MAX_MINI_GUESS = 32 << 10
#: A mini stream up to this size is read whole on the first small-stream read.
MINI_WHOLE_LIMIT = MAX_MINI_GUESS
#: First window (bytes, aligned) of a larger mini stream read around a small-stream read.
MINI_WINDOW_START = 8 << 10
#: The mini stream window grows fourfold at each miss up to this.
MAX_MINI_WINDOW = 1 << 20


class RemoteCFBReader(CFBReader):
    """A :class:`CFBReader` with lazy FAT and the prefetching described in the module doc."""

    def __init__(
        self,
        source: ByteSource,
        *,
        cache_mini_stream: bool = True,
        owns_source: bool = False,
        prefetch: bool = True,
    ) -> None:
        self._prefetch_enabled = prefetch
        self._fat_window = 1
        # The mini stream read in parts: its bytes (as laid out along its chain), which of
        # its regular sectors are loaded, and the current window (bytes).
        self._mini_buf: bytearray | None = None
        self._mini_have: bytearray | None = None
        self._mini_window = MINI_WINDOW_START
        super().__init__(
            source, lazy_fat=True, cache_mini_stream=cache_mini_stream, owns_source=owns_source
        )

    def close(self) -> None:
        with self.lock:
            self._mini_buf = self._mini_have = None
        super().close()

    # -- header + speculative prefetch -----------------------------------------------------
    def prefetch_header(self) -> None:
        """A small object is fetched whole with its header."""
        size = self.source.size
        if self._prefetch_enabled and 512 <= size <= WHOLE_OBJECT_LIMIT:
            self.source.read_ranges([(0, size)])

    def prefetch_metadata(self, header: CFBHeader) -> None:
        """A larger object: what :func:`plan_metadata_ranges` guesses, in one batch."""
        size = self.source.size
        if self._prefetch_enabled and size > WHOLE_OBJECT_LIMIT:
            ranges = plan_metadata_ranges(header, size)
            if ranges:
                self._read_aside(ranges)  # a guess must not start a readahead

    def read_metadata(self, ranges: list[tuple[int, int]]) -> list[bytes]:
        """Read scattered metadata sectors, merging spans up to :data:`METADATA_GAP` apart
        when the source supports it (FAT sectors interleaved with data every 64 KiB are then
        a few requests, not one each; they never count as a sequential scan)."""
        return self._read_aside(ranges, gap=METADATA_GAP)

    def _read_aside(self, ranges: list[tuple[int, int]], gap: int | None = None) -> list[bytes]:
        """Read ``ranges`` as no part of a sequential scan (metadata, guesses, mini-stream
        windows): a remote source neither extends the fetch nor changes its scan state;
        ``gap`` is its merge distance for this call."""
        source = self.source
        if isinstance(source, CachingSource):
            return source.read_ranges(ranges, gap=gap, readahead=False)
        return self.read_ranges(ranges)

    # -- the mini stream in parts ----------------------------------------------------------
    def load_mini_stream(self, mini_chain: Chain, ms_size: int) -> None:
        if (
            not self.cache_mini_stream
            or ms_size <= MINI_WHOLE_LIMIT
            or ms_size > MINI_STREAM_CACHE_LIMIT
        ):
            # Small: read whole. Above the cache limit (as for the local reader): nothing
            # is kept, every small-stream read fetches its own sectors (merged).
            super().load_mini_stream(mini_chain, ms_size)
            return
        # At most MINI_STREAM_CACHE_LIMIT (plus the last sector): the chain was followed for
        # ms_size bytes.
        self._mini_buf = bytearray(len(mini_chain) << self.sector_shift)
        self._mini_have = bytearray(len(mini_chain))

    def read_mini_spans(self, spans: list[tuple[int, int]]) -> bytes:
        with self.lock:
            self.check_open()
            buf, have = self._mini_buf, self._mini_have
            if buf is None or have is None:
                return super().read_mini_spans(spans)
            shift = self.sector_shift
            todo = [
                (a >> shift, ((a + m - 1) >> shift) + 1)
                for a, m in spans
                if have.find(0, a >> shift, ((a + m - 1) >> shift) + 1) >= 0
            ]
            if todo:
                self._fill_mini(todo, buf, have)
            view = memoryview(buf)
            if len(spans) == 1:
                a, m = spans[0]
                return view[a : a + m].tobytes()
            return b"".join(view[a : a + m] for a, m in spans)

    def _fill_mini(self, todo: list[tuple[int, int]], buf: bytearray, have: bytearray) -> None:
        """Load the missing regular sectors of the mini stream in the index ranges ``todo``
        (``[first, end)`` along its chain): as they are when the source already holds them,
        else widened to the aligned window (which then grows fourfold), in one ``read_ranges``."""
        mini_chain = self.mini_chain
        assert mini_chain is not None
        source = self.source
        exact = _missing_runs(have, todo)
        if isinstance(source, CachingSource) and source.is_cached(
            [r for first, end in exact for r in self._mini_file_ranges(mini_chain, first, end)]
        ):
            runs = exact
        else:
            step = max(1, self._mini_window >> self.sector_shift)
            total = len(have)
            runs = _missing_runs(
                have, [(f - f % step, min(total, -(-e // step) * step)) for f, e in todo]
            )
            self._mini_window = min(self._mini_window * 4, MAX_MINI_WINDOW)
        ranges: list[tuple[int, int]] = []
        bounds: list[int] = []
        for first, end in runs:
            ranges.extend(self._mini_file_ranges(mini_chain, first, end))
            bounds.append(len(ranges))
        parts = self._read_aside(ranges)  # no sequential readahead: the window is ours
        shift = self.sector_shift
        k = 0
        for (first, end), stop in zip(runs, bounds, strict=True):
            pos = first << shift
            for (_, length), part in zip(ranges[k:stop], parts[k:stop], strict=True):
                # a short last sector of the file reads as zeros (as _read_padded does)
                buf[pos : pos + len(part)] = part
                pos += length
            have[first:end] = b"\x01" * (end - first)
            k = stop

    def _mini_file_ranges(self, mini_chain: Chain, first: int, end: int) -> list[tuple[int, int]]:
        """File ranges of the mini stream's regular sectors ``[first, end)`` (chain order)."""
        shift = self.sector_shift
        return self.chain_ranges(mini_chain, first << shift, (end - first) << shift)

    # -- FAT pages in growing windows ------------------------------------------------------
    def fat_window(self, page: int) -> int:
        """1, 2, 4, ... up to :data:`MAX_FAT_WINDOW` FAT sectors, doubling at each miss."""
        window = self._fat_window
        self._fat_window = min(window * 2, MAX_FAT_WINDOW)
        return window


def plan_metadata_ranges(h: CFBHeader, size: int) -> list[tuple[int, int]]:
    """Byte ranges the reader will most likely read right after the header, guessed from it.

    Each guessed structure is assumed contiguous from its first sector:

    * the DIFAT chain;
    * the mini FAT (``num_minifat_sectors`` sectors);
    * the directory, up to :data:`MAX_DIR_GUESS` bytes or the next known structure;
    * the mini stream (see :func:`_mini_stream_guess`), so that reading a small stream right
      after opening costs no further round;
    * the FAT sectors describing every sector guessed above.

    Nothing here is trusted: the reader still follows and checks every chain through the real
    DIFAT and FAT, so a wrong guess costs bytes, never correctness. Returns sorted
    ``(offset, length)`` ranges (overlaps are merged by the source).
    """
    shift = h.sector_shift
    ss = 1 << shift
    nsec = max(0, (size - ss + ss - 1) // ss)
    per_fat = ss // 4

    def ok(s: int) -> bool:
        return 0 <= s < nsec and s <= MAXREGSECT

    # FAT sector list: the header's entries, extrapolated where the header's list is a run.
    fat_list = [s for s in h.difat[: h.num_fat_sectors] if s not in (FREESECT, ENDOFCHAIN)]
    contiguous = len(fat_list) >= 2 and all(
        b == a + 1 for a, b in zip(fat_list[-8:], fat_list[-7:], strict=False)
    )

    def fat_sector_guess(page: int) -> int | None:
        if page < len(fat_list):
            return fat_list[page]
        if contiguous and fat_list and page < h.num_fat_sectors:
            return fat_list[-1] + (page - len(fat_list) + 1)
        return None

    # Sectors (probably) holding the FAT or the DIFAT, as [lo, hi) runs (never one entry per
    # sector: the header's counts are not trusted): no other structure is guessed there.
    fat_known: list[tuple[int, int]] = [(s, s + 1) for s in fat_list if ok(s)]
    if contiguous and fat_list:
        # A FAT never needs more sectors than it takes to describe the whole file.
        most = min(h.num_fat_sectors, -(-nsec // per_fat))
        extra = max(0, min(most - len(fat_list), nsec - fat_list[-1] - 1))
        fat_known.append((fat_list[-1] + 1, fat_list[-1] + 1 + extra))
    runs: list[tuple[int, int]] = []  # (first sector, count): fetched, not FAT-described
    if h.num_difat_sectors and ok(h.first_difat_sector):
        n = min(h.num_difat_sectors, 64, nsec - h.first_difat_sector)
        runs.append((h.first_difat_sector, n))
        fat_known.append((h.first_difat_sector, h.first_difat_sector + n))
    guessed: list[tuple[int, int]] = []  # runs whose FAT entries the reader will look up
    minifat: tuple[int, int] | None = None
    if ok(h.first_minifat_sector) and h.num_minifat_sectors:
        minifat = (
            h.first_minifat_sector,
            min(h.num_minifat_sectors, nsec - h.first_minifat_sector),
        )
        guessed.append(minifat)
    d = h.first_dir_sector
    if ok(d):
        limit = min(MAX_DIR_GUESS >> shift, nsec - d)
        after = _first_in(fat_known, d + 1, nsec)
        if minifat and minifat[0] > d:
            after = minifat[0] if after is None else min(after, minifat[0])
        if after is not None:
            limit = min(limit, after - d)
        directory = (d, max(1, limit))
        guessed.append(directory)
        if minifat:
            mini_max = min(minifat[1] * per_fat * MINI_SECTOR, MAX_MINI_GUESS) >> shift
            guess = _mini_stream_guess(directory, minifat, max(1, mini_max), fat_known, nsec)
            if guess is not None:
                guessed.append(guess)
    runs.extend(guessed)
    pages: set[int] = set()
    for first, count in guessed:
        pages.update(range(first // per_fat, (first + count - 1) // per_fat + 1))
    for p in sorted(pages):
        g = fat_sector_guess(p) if p < h.num_fat_sectors else None
        if g is not None and ok(g):
            runs.append((g, 1))
    return _dedupe([((first + 1) << shift, count << shift) for first, count in runs])


def _mini_stream_guess(
    directory: tuple[int, int],
    minifat: tuple[int, int],
    most: int,
    fat_known: list[tuple[int, int]],
    nsec: int,
) -> tuple[int, int] | None:
    """Where the mini stream probably is: a sector run of at most ``most`` sectors (the
    largest mini stream the mini FAT can describe, capped by :data:`MAX_MINI_GUESS`), or
    ``None`` when no place is free.

    Writers that put the metadata last leave the mini stream just before the directory: the
    guess is the ``most`` sectors before the directory's first sector. Writers that put it
    first (the FAT and DIFAT just before the directory) leave it just after the mini FAT:
    the guess then ends ``most`` sectors after the mini FAT's first sector. Either way a mini
    FAT lying between the directory and the guess takes part of the ``most`` sectors: the
    bound usually has room for it (a mini FAT sized to what it describes leaves on average
    half a sector unused, i.e. 8 regular sectors of mini stream), and a guess that falls
    short costs one request for the missing part only. Known FAT and DIFAT sectors, and the
    directory, are never guessed to be mini stream.
    """
    d = directory[0]
    first = max(0, d - most)
    blocked = _last_in(fat_known, first, d)
    if blocked is not None:
        first = blocked + 1
    if first < d:
        return (first, d - first)
    start = minifat[0] + minifat[1]
    end = min(minifat[0] + most, nsec)
    stop = _first_in(fat_known, start, end)
    if stop is not None:
        end = stop
    if start <= d < end:
        end = d
    return (start, end - start) if start < end else None


def _first_in(runs: list[tuple[int, int]], lo: int, hi: int) -> int | None:
    """The smallest sector of the ``[a, b)`` ``runs`` within ``[lo, hi)``, or ``None``."""
    found = [max(a, lo) for a, b in runs if a < hi and b > lo]
    return min(found) if found else None


def _last_in(runs: list[tuple[int, int]], lo: int, hi: int) -> int | None:
    """The largest sector of the ``[a, b)`` ``runs`` within ``[lo, hi)``, or ``None``."""
    found = [min(b, hi) - 1 for a, b in runs if a < hi and b > lo]
    return max(found) if found else None


def _missing_runs(have: bytearray, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ``[first, end)`` runs of indices in ``spans`` whose ``have`` flag is 0, sorted and
    merged."""
    found: list[tuple[int, int]] = []
    for first, end in spans:
        i = have.find(0, first, end)
        while i >= 0:
            j = have.find(1, i, end)
            j = end if j < 0 else j
            found.append((i, j))
            i = have.find(0, j, end) if j < end else -1
    out: list[tuple[int, int]] = []
    for i, j in sorted(found):
        if out and out[-1][1] >= i:
            out[-1] = (out[-1][0], max(out[-1][1], j))
        else:
            out.append((i, j))
    return out


def _dedupe(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(set(ranges))
