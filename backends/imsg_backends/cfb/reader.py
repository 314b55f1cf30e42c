"""Compound-file (MS-CFB) reader over a :class:`~imsg_backends.cfb.sources.ByteSource`.

:class:`CFBReader` reads the header, the DIFAT, the FAT (all at once, or lazily one FAT sector
at a time) and the directory when constructed, and builds a tree of
:class:`~imsg_core._tree.StorageNode` / :class:`~imsg_core._tree.StreamNode` objects whose stream
data (:class:`~imsg_backends.cfb.streams.CFBStreamData`) reads the stream's sectors only when
asked. Nothing else is read at open (the mini FAT and the mini stream are read on the first
read of a small stream).

I/O is batched: every read goes through ``source.read_ranges`` with all the ranges one step
needs (a stream's whole chain, the FAT, the directory); runs of contiguous sectors are one
range.

The reader is built in layers, one module each: :mod:`.fat` (sector I/O, DIFAT, FAT, chain
walking), :mod:`.streams` (stream chains, the mini stream, stream data), :mod:`.directory`
(the directory and the node tree), and this module (opening, the extension points, lookups).

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

import threading
from array import array
from collections.abc import Iterator

from imsg_core.backend import STG
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.backend import stg_error

from .directory import DirectoryReader
from .header import CFBHeader
from .header import parse_header
from .sources import ByteSource

__all__ = ["CFBReader", "open_cfb_tree"]


class CFBReader(DirectoryReader):
    """Parse a compound file from ``source`` and expose it as a node tree (:attr:`root`).

    :param source: the bytes (any :class:`ByteSource`). The reader does not take ownership:
        :meth:`close` closes the source only when ``owns_source`` is true.
    :param lazy_fat: load each FAT sector only when a chain needs it (for remote sources,
        where reading the whole FAT of a large file costs requests). Default: load the whole
        FAT at open with one ``read_ranges`` call.
    :param cache_mini_stream: read the whole mini stream (up to
        :data:`~imsg_backends.cfb.streams.MINI_STREAM_CACHE_LIMIT`) on the first small-stream
        read and keep it.
    :raises StorageError: ``STG_E_INVALIDHEADER`` when this is not a compound file,
        ``STG_E_DOCFILECORRUPT`` when its structure is damaged (see the module doc).

    **Extension points.** A subclass changes *what is fetched when* (not what is checked) by
    overriding these public methods; each default is the local-file behaviour, and an
    override may call ``super()``:

    * :meth:`prefetch_header` — before the header is read (e.g. fetch a small object whole);
    * :meth:`prefetch_metadata` — right after the header is parsed, before the DIFAT, FAT
      and directory are read (e.g. warm the source with the ranges a planner guesses);
    * :meth:`fat_window` and :meth:`read_metadata` — how many FAT sectors a lazy FAT loads
      at a miss, and how such metadata ranges are read;
    * :meth:`load_mini_stream` and :meth:`read_mini_spans` — whether the mini stream is held
      whole, and how small-stream bytes are read when it is not.

    Helpers an extension uses: :meth:`read_ranges` (the reader's one read path),
    :meth:`chain_ranges`, :attr:`mini_chain`, :attr:`lock`, :meth:`check_open`,
    :attr:`source`, :attr:`header`, :attr:`sector_shift`, :attr:`sector_size`. The remote
    backend's ``RemoteCFBReader`` is the worked example. Every chain is still followed and
    checked by the reader itself, so an extension's guesses cost bytes, never correctness.
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
        self.defects = []
        self._closed = False
        self._lock = threading.RLock()
        self._where = source.describe()
        self._file_size = source.size
        self.prefetch_header()
        self.header = self._parse_header()
        h = self.header
        self.prefetch_metadata(h)
        self.sector_shift = h.sector_shift
        self.sector_size = 1 << h.sector_shift
        ss = self.sector_size
        #: Number of sector slots the file has (the last one may be short).
        self.num_sectors = max(0, (self._file_size - ss + ss - 1) // ss)
        self._claims = array("i", bytes(4 * self.num_sectors))
        self._fat_per_sector = ss // 4
        self._fat_sectors = self._load_difat()
        self._fat = None
        self._fat_pages = [None] * len(self._fat_sectors)
        if not lazy_fat:
            self._load_fat_all()
        self._minifat = None
        self._mini_chain = None
        self._mini_cache = None
        self._mini_claims = None
        self.entries = []
        self._parents = []
        self._conflicts = {}
        self._chain_cache = {}
        self.root = self._load_directory()

    def _parse_header(self) -> CFBHeader:
        where = self._where
        if self._file_size < 512:
            raise stg_error(
                STG.STG_E_INVALIDHEADER,
                f"{where} is not a compound file: {self._file_size} bytes, shorter than the "
                "512-byte header",
            )
        return parse_header(self.read_ranges([(0, 512)])[0], where, self._defect)

    # ------------------------------------------------------------------ extension points
    def prefetch_header(self) -> None:
        """**Extension point.** Called first, before the header is read (:attr:`source` is
        set; nothing else is). Default: nothing."""

    def prefetch_metadata(self, header: CFBHeader) -> None:
        """**Extension point.** Called with the parsed header, before the DIFAT, the FAT and
        the directory are read: the place to fetch, in one batch, what those steps will ask
        for one by one. Default: nothing."""

    # ------------------------------------------------------------------ basics
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
            # The nodes' stream data point back at this reader: dropping the tree and the
            # directory breaks that cycle, so a closed file's objects are freed by reference
            # counting rather than left for the cyclic garbage collector.
            self.root = StorageNode("Root Entry")
            self.entries = []
        if self.owns_source:
            self.source.close()

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


def open_cfb_tree(
    source: ByteSource, *, lazy_fat: bool = False, cache_mini_stream: bool = True
) -> StorageNode:
    """Parse the compound file in ``source`` and return its root node (lazy stream data).

    The returned tree keeps the reader (and so ``source``) alive through its stream data.
    """
    return CFBReader(source, lazy_fat=lazy_fat, cache_mini_stream=cache_mini_stream).root
