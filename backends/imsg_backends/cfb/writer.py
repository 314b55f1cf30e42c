"""Compound-file (MS-CFB) writer: streaming, sequential, version 3 or 4.

:func:`write_cfb` computes the whole layout from the node tree first (every stream's size is
known from its :class:`~imsg_core._tree.StreamData`), then writes the file front to back with
``out.write`` only — no seeking, no stream held whole (stream data is pulled with
``StreamData.read_at`` in chunks) — so the output can be a file, a pipe or a multipart upload.

File layout: header, FAT sectors, DIFAT sectors, directory, mini FAT, mini stream, then the
regular streams in directory order, each contiguous. What the file satisfies (spec ``cfb.md``
§8 and the stricter readers' demands, 7-Zip's included):

* header minor version 0x003E, major 3 (512-byte sectors) or 4 (4096-byte sectors), unused
  DIFAT slots FREESECT, ENDOFCHAIN where a structure is absent, v4 directory sector count;
* every sector of the file is covered by the FAT: FAT sectors FATSECT, DIFAT sectors DIFSECT,
  every chain ending with ENDOFCHAIN, no allocated sector outside a chain, FAT padding
  FREESECT; file length = header + whole sectors, unused tails zero;
* streams below 4096 bytes in the mini stream, others in regular sectors; empty streams have
  start sector ENDOFCHAIN; storages start 0, size 0; streams have no CLSID/state/times;
  the root's creation time is zero;
* each storage's children form a balanced binary search tree in the §6 order, coloured as a
  valid red-black tree (deepest level red when the tree is not a single node);
* v4 files past 2 GB keep the range-lock sector (file offsets 0x7FFFFF00..0x7FFFFFFF)
  allocated as ENDOFCHAIN, zero-filled and outside every chain.

Version: ``version=None`` picks 3 unless the file would reach the range-lock region (about
2 GB), then 4; ``version=3`` refuses a tree too large for v3 (``STG_E_DOCFILETOOLARGE``).
"""

from __future__ import annotations

import functools
import struct
import sys
import uuid
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import NamedTuple

from imsg_core.backend import MAX_NAME_LENGTH
from imsg_core.backend import STG
from imsg_core.backend import StorageError
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.backend import stg_error

from .header import _DIRENT
from .header import _EPOCH
from .header import _HEADER
from .header import DIFSECT
from .header import ENDOFCHAIN
from .header import FATSECT
from .header import FREESECT
from .header import MAXREGSECT
from .header import MINI_CUTOFF
from .header import NOSTREAM
from .header import SIGNATURE
from .output import _COPY_CHUNK
from .output import _GATHER_LIMIT
from .output import _ZEROS
from .output import FdOutput
from .output import Output
from .output import _copy
from .output import _read_whole
from .output import _SectorOut

__all__ = ["CFBLayout", "FdOutput", "Output", "plan_cfb", "write_cfb"]

_V3_LIMIT = 0x7FFFFF00  # a v3 file must stay below 2 GB; v4 keeps this offset as range lock
#: A stream's entry: :data:`_DIRENT` with CLSID, state bits and times zero (padding).
_STREAM_DIRENT = struct.Struct("<64sHBBIII36xIQ")
_EMPTY_ENTRY = _DIRENT.pack(b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)
#: ``_MINI_PADS[size & 63]``: the zeros after a stream of ``size`` bytes in the mini stream.
_MINI_PADS = tuple(_ZEROS[: -k & 63] for k in range(64))
_FREE_DIFAT = struct.pack("<I", FREESECT) * 109  # the header's DIFAT, all slots free
_NO_CLSID = bytes(16)


def datetime_to_filetime(dt: datetime | None) -> int:
    """FILETIME (100 ns since 1601 UTC) of ``dt`` (naive = UTC); 0 for ``None``."""
    if dt is None:
        return 0
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - _EPOCH
    ft = (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10
    return ft if 0 <= ft < 1 << 64 else 0


def _u32_bytes(a: array[int]) -> bytes:
    if sys.byteorder == "big":  # pragma: no cover
        b = array(a.typecode, a)
        b.byteswap()
        return b.tobytes()
    return a.tobytes()


def _u32(values: Sequence[int] | range = ()) -> array[int]:
    a = array("I", values)
    if a.itemsize != 4:  # pragma: no cover
        a = array("L", values)
    return a


class _Entry:
    """One directory entry being planned (a plain slotted class: one per element)."""

    __slots__ = (
        "child",
        "color",
        "extents",
        "kind",
        "left",
        "mini_start",
        "name16",
        "node",
        "right",
        "size",
        "start",
    )

    def __init__(
        self,
        node: StorageNode | StreamNode,
        name16: bytes,
        kind: int,
        size: int = 0,
        start: int = ENDOFCHAIN,
    ) -> None:
        self.node = node
        self.name16 = name16
        self.kind = kind  # 1 storage, 2 stream, 5 root
        self.size = size
        self.start = start
        self.left = self.right = self.child = NOSTREAM
        self.color = 1
        self.extents: list[tuple[int, int]] = _NO_EXTENTS
        self.mini_start = -1


_NO_EXTENTS: list[tuple[int, int]] = []  # shared, never changed (extents are replaced)


@dataclass
class CFBLayout:
    """Where everything goes; computed by :func:`plan_cfb` before a byte is written."""

    version: int
    sector_size: int
    entries: list[_Entry]
    fat_sectors: list[int]
    difat_sectors: list[int]
    dir_extents: list[tuple[int, int]]
    minifat_extents: list[tuple[int, int]]
    ministream_extents: list[tuple[int, int]]
    mini_streams: list[int]  # entry indices, in mini-stream order
    mini_sector_count: int
    regular_streams: list[int]  # entry indices, in file order
    total_sectors: int
    lock_sector: int | None

    @property
    def file_size(self) -> int:
        """Bytes the written file will have."""
        return (self.total_sectors + 1) * self.sector_size


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


class _Collected(NamedTuple):
    """What :func:`_collect` finds: the entries and the streams split by where they go."""

    entries: list[_Entry]
    mini_streams: list[int]  # entry indices, in mini-stream order (positions already set)
    regular_streams: list[int]  # entry indices, in file order (placed by :func:`_plan`)
    mini_sector_count: int  # 64-byte sectors the mini streams fill


_ROOT_NAME16 = "Root Entry".encode("utf-16-le")


def _collect(root: StorageNode) -> _Collected:
    """Directory entries (root first, siblings contiguous) with tree links and colours.

    Everything that depends on the tree alone is settled here, in the one pass over it:
    storages start at 0, empty streams at ENDOFCHAIN, and each small stream has its place
    in the mini stream (streams are packed there in entry order). Only sector placement,
    which depends on the version, is left to :func:`_plan`.
    """
    entries = [_Entry(root, _ROOT_NAME16, 5)]
    mini: list[int] = []
    regular: list[int] = []
    mpos = 0  # next free mini sector
    queue = [0]
    names = _NAME16
    append, entry = entries.append, _Entry  # (the loop below runs once per element)
    for pidx in queue:  # (grows while it is walked: storages in breadth-first order)
        parent = entries[pidx].node
        assert isinstance(parent, StorageNode)
        children = parent.children  # keyed by the tree-order key (see StorageNode)
        if not children:
            continue
        first = len(entries)
        for idx, child in enumerate(map(children.__getitem__, sorted(children)), first):
            name = child.name
            name16 = names.get(name) or _name16(name)
            if type(child) is StreamNode or not isinstance(child, StorageNode):
                size = child.data.size
                if not size:
                    append(entry(child, name16, 2))
                elif 0 < size < MINI_CUTOFF:
                    mini.append(idx)
                    e = entry(child, name16, 2, size, mpos)
                    e.mini_start = mpos
                    append(e)
                    mpos += (size + 63) >> 6
                elif size > 0:
                    regular.append(idx)
                    append(entry(child, name16, 2, size))
                else:
                    raise stg_error(STG.STG_E_INVALIDPARAMETER, f"stream {name!r} has size {size}")
            else:
                queue.append(idx)
                append(entry(child, name16, 1, 0, 0))
        entries[pidx].child = _balance(entries, first, len(entries))
    if len(entries) - 1 > MAXREGSECT:
        raise stg_error(STG.STG_E_DOCFILETOOLARGE, "too many elements for a compound file")
    return _Collected(entries, mini, regular, mpos)


#: Encoded names already checked (a .msg repeats the same few hundred), bounded.
_NAME16: dict[str, bytes] = {}


def _name16(name: str) -> bytes:
    """``name`` as UTF-16-LE, checked for what a directory entry can hold."""
    name16 = name.encode("utf-16-le", "surrogatepass")
    if len(name16) // 2 > MAX_NAME_LENGTH or "\0" in name:
        raise stg_error(
            STG.STG_E_INVALIDNAME,
            f"cannot write element {name!r}: names are at most {MAX_NAME_LENGTH} "
            "UTF-16 code units without NUL",
        )
    if len(_NAME16) >= 8192:
        _NAME16.clear()
    _NAME16[name] = name16
    return name16


def _balance(entries: list[_Entry], lo: int, hi: int) -> int:
    """Link entries[lo:hi] (sorted, fresh: no links, black) as a balanced red-black tree;
    return the root index."""
    n = hi - lo
    root, lefts, rights, reds = _tree_links(n) if n <= _SHAPE_CACHE_MAX else _links(n)
    for j, k in lefts:
        entries[lo + j].left = lo + k
    for j, k in rights:
        entries[lo + j].right = lo + k
    for j in reds:
        entries[lo + j].color = 0
    return lo + root


#: Sibling counts whose shapes are cached (a message's storages have a few dozen children;
#: a huge one is computed each time rather than kept).
_SHAPE_CACHE_MAX = 4096

_Links = tuple[int, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...], tuple[int, ...]]


@functools.lru_cache(maxsize=256)
def _tree_links(n: int) -> _Links:
    """:func:`_links`, cached (call it only for n <= :data:`_SHAPE_CACHE_MAX`)."""
    return _links(n)


def _links(n: int) -> _Links:
    """What :func:`_balance` sets for ``n`` siblings, as offsets: ``(root, lefts, rights,
    reds)``, lefts and rights ``(node, child)`` pairs for the links that exist, reds the
    nodes coloured red (leaves keep NOSTREAM links, nodes stay black otherwise)."""
    root, lefts, rights, colors = _shape(n)
    return (
        root,
        tuple((j, k) for j, k in enumerate(lefts) if k >= 0),
        tuple((j, k) for j, k in enumerate(rights) if k >= 0),
        tuple(j for j, c in enumerate(colors) if c == 0),
    )


def _shape(n: int) -> tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The balanced red-black tree over ``n`` sorted siblings, as offsets: ``(root,
    lefts, rights, colours)`` with -1 for no child. It depends on ``n`` alone.

    Median splitting fills every level but the deepest; colouring the deepest level red
    (when it is not the root) gives every path the same number of black nodes and no red
    node a red child: a valid red-black tree.
    """
    lefts, rights, depth = [-1] * n, [-1] * n, [0] * n
    stack = [(0, n, -1, 0, 0)]  # (lo, hi, parent, side 0=left/1=right/2=root, depth)
    root = -1
    while stack:
        a, b, parent, side, d = stack.pop()
        if a >= b:
            continue
        mid = (a + b) // 2
        depth[mid] = d
        if parent < 0:
            root = mid
        elif side == 0:
            lefts[parent] = mid
        else:
            rights[parent] = mid
        stack.append((a, mid, mid, 0, d + 1))
        stack.append((mid + 1, b, mid, 1, d + 1))
    deepest = max(depth, default=0)
    colors = [0 if (d == deepest and deepest > 0) else 1 for d in depth]
    return root, tuple(lefts), tuple(rights), tuple(colors)


class _Allocator:
    def __init__(self, lock: int | None) -> None:
        self.next = 0
        self.lock = lock

    def take(self, count: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        while count > 0:
            start = self.next
            if self.lock is not None and start == self.lock:
                self.next += 1
                continue
            run = count
            if self.lock is not None and start < self.lock < start + run:
                run = self.lock - start
            out.append((start, run))
            self.next += run
            count -= run
        return out


def _flat(extents: list[tuple[int, int]]) -> list[int]:
    return [s for a, k in extents for s in range(a, a + k)]


def plan_cfb(root: StorageNode, version: int | None = None) -> CFBLayout:
    """Compute the layout of ``root`` as a compound file (see :func:`write_cfb`)."""
    if version not in (None, 3, 4):
        raise stg_error(
            STG.STG_E_INVALIDPARAMETER, f"compound-file version {version} is not 3 or 4"
        )
    tree = _collect(root)
    if version is None:
        layout = _plan(tree, 3)
        if layout.file_size > _V3_LIMIT:
            layout = _plan(tree, 4)
        return layout
    layout = _plan(tree, version)
    if version == 3 and layout.file_size > _V3_LIMIT:
        raise stg_error(
            STG.STG_E_DOCFILETOOLARGE,
            f"{layout.file_size} bytes do not fit a version-3 compound file (2 GB); use version 4",
        )
    return layout


def _plan(tree: _Collected, version: int) -> CFBLayout:
    """Sector placement of ``tree`` for ``version`` (may run twice: for 3, then for 4)."""
    entries, mini_streams, regular, mini_total = tree
    shift = 9 if version == 3 else 12
    ss = 1 << shift
    per = ss // 4
    mini_bytes = mini_total * 64
    n_ms = -(-mini_bytes >> shift)
    n_minifat = -(-mini_total * 4 >> shift)
    n_dir = -(-len(entries) * 128 >> shift)
    n_regular = sum([-(-entries[i].size >> shift) for i in regular])
    data = n_dir + n_minifat + n_ms + n_regular
    lock_index = (_V3_LIMIT >> shift) - 1 if version == 4 else None
    n_fat, n_difat = 1, 0
    while True:
        total = n_fat + n_difat + data
        lock = lock_index if lock_index is not None and total > lock_index else None
        if lock is not None:
            total += 1
        fat_need = _ceil(total, per)
        difat_need = _ceil(max(0, fat_need - 109), per - 1)
        if (fat_need, difat_need) == (n_fat, n_difat):
            break
        n_fat, n_difat = max(fat_need, n_fat), max(difat_need, n_difat)
    if total > MAXREGSECT:
        raise stg_error(STG.STG_E_DOCFILETOOLARGE, "too many sectors for a compound file")
    alloc = _Allocator(lock)
    fat_sectors = _flat(alloc.take(n_fat))
    difat_sectors = _flat(alloc.take(n_difat))
    dir_extents = alloc.take(n_dir)
    minifat_extents = alloc.take(n_minifat)
    ms_extents = alloc.take(n_ms)
    for i in regular:
        e = entries[i]
        e.extents = alloc.take(-(-e.size >> shift))
        e.start = e.extents[0][0]
    root = entries[0]
    root.size = mini_bytes
    root.start = ms_extents[0][0] if ms_extents else ENDOFCHAIN
    assert alloc.next == total, (alloc.next, total)
    return CFBLayout(
        version=version,
        sector_size=ss,
        entries=entries,
        fat_sectors=fat_sectors,
        difat_sectors=difat_sectors,
        dir_extents=dir_extents,
        minifat_extents=minifat_extents,
        ministream_extents=ms_extents,
        mini_streams=mini_streams,
        mini_sector_count=mini_total,
        regular_streams=regular,
        total_sectors=total,
        lock_sector=lock,
    )


_LINK_BLOCK = 1 << 16

#: ``_NEXT[s] == s + 1``: links of the first sectors, sliced rather than built each time.
_NEXT = _u32(range(1, 4097))
_FREE = _u32([FREESECT])


def _run_links(a: int, b: int) -> array[int]:
    """``[a + 1, ..., b]``: the links of sectors ``a .. b - 1`` of a contiguous run (a new
    array, ``b - a`` long)."""
    return _NEXT[a:b] if b <= len(_NEXT) else _u32(range(a + 1, b + 1))


def _end_chain(fat: array[int], extents: list[tuple[int, int]]) -> None:
    """Close the chain ``extents`` in ``fat``, whose sectors already link to the next:
    each extent's last sector links to the next extent, the chain's last ends it."""
    last = len(extents) - 1
    for k in range(last):
        a, n = extents[k]
        fat[a + n - 1] = extents[k + 1][0]
    a, n = extents[last]
    fat[a + n - 1] = ENDOFCHAIN


def _build_fat(layout: CFBLayout) -> array[int]:
    """The FAT of ``layout``: ``len(fat_sectors)`` sectors' worth of entries.

    Sectors are allocated in order (only the lock sector is skipped), so every sector below
    ``total_sectors`` first links to the next one (in bounded blocks: no temporary the size
    of a huge FAT); then FAT, DIFAT and lock sectors get their marks and each chain's
    extent ends are set. Sectors past the end are free.
    """
    per = layout.sector_size // 4
    total = layout.total_sectors
    fat = _FREE * (len(layout.fat_sectors) * per)
    for b in range(0, total, _LINK_BLOCK):
        e = min(b + _LINK_BLOCK, total)
        fat[b:e] = _run_links(b, e)
    for s in layout.fat_sectors:
        fat[s] = FATSECT
    for s in layout.difat_sectors:
        fat[s] = DIFSECT
    if layout.lock_sector is not None:
        fat[layout.lock_sector] = ENDOFCHAIN
    for ext in (layout.dir_extents, layout.minifat_extents, layout.ministream_extents):
        if ext:
            _end_chain(fat, ext)
    entries = layout.entries
    for i in layout.regular_streams:
        _end_chain(fat, entries[i].extents)
    return fat


#: Little-endian bytes of the non-null CLSIDs seen (a .msg uses a handful), by value, bounded.
_CLSID_LE: dict[int, bytes] = {}


def _clsid_le(clsid: uuid.UUID) -> bytes:
    """``clsid.bytes_le``, remembered (the property builds new bytes each time, and hashing
    a UUID is a Python-level call: the cache is keyed by its integer value)."""
    key = clsid.int
    if not key:
        return _NO_CLSID
    le = _CLSID_LE.get(key)
    if le is None:
        le = clsid.bytes_le
        if len(_CLSID_LE) >= 256:
            _CLSID_LE.clear()
        _CLSID_LE[key] = le
    return le


def _dir_blob(entries: list[_Entry]) -> bytes:
    """The directory entries, packed (streams, most of them, inline)."""
    pack = _STREAM_DIRENT.pack
    out: list[bytes] = []
    append = out.append
    for e in entries:
        if e.kind != 2:
            append(_dir_entry(e))
            continue
        name16 = e.name16
        packed = pack(
            name16, len(name16) + 2, 2, e.color, e.left, e.right, e.child, e.start, e.size
        )
        append(packed)
    return b"".join(out)


def _dir_entry(e: _Entry) -> bytes:
    """The packed entry of a storage or the root (:func:`_dir_blob` packs streams)."""
    name16 = e.name16
    node = e.node
    clsid = _NO_CLSID
    state = ctime = mtime = 0
    if isinstance(node, StorageNode):
        clsid = _clsid_le(node.clsid)
        state = node.state_bits & 0xFFFFFFFF
        if node.mtime is not None:
            mtime = datetime_to_filetime(node.mtime)
        if node.ctime is not None and e.kind != 5:
            ctime = datetime_to_filetime(node.ctime)
    return _DIRENT.pack(
        name16,
        len(name16) + 2,
        e.kind,
        e.color,
        e.left,
        e.right,
        e.child,
        clsid,
        state,
        ctime,
        mtime,
        e.start,
        e.size,
    )


def write_cfb(root: StorageNode, out: Output, *, version: int | None = None) -> CFBLayout:
    """Write the tree under ``root`` to ``out`` as a compound file, front to back.

    :param root: the root storage node (its name is ignored: the root is "Root Entry").
        Stream sizes must not change while writing (commit snapshots are frozen).
    :param out: any binary object with ``write``; it is never seeked or read.
    :param version: 3, 4, or None (automatic, see the module doc).
    :returns: the layout written (``layout.file_size`` bytes).
    :raises StorageError: ``STG_E_INVALIDNAME`` for an unwritable name,
        ``STG_E_DOCFILETOOLARGE`` when the tree does not fit, ``STG_E_READFAULT`` when a
        stream's data ends before its size; errors raised by stream data or by ``out``
        propagate (``OSError`` from ``out`` is the caller's to map).
    """
    layout = plan_cfb(root, version)
    ss = layout.sector_size
    per = ss // 4
    entries = layout.entries
    # A small file goes out with one call; a big one in pieces of about _COPY_CHUNK.
    sink = _SectorOut(
        out,
        ss,
        layout.lock_sector,
        layout.file_size if layout.file_size <= _GATHER_LIMIT else _COPY_CHUNK,
    )

    # Header: the fields, then the first 109 FAT sector numbers (free slots FREESECT).
    first_minifat = layout.minifat_extents[0][0] if layout.minifat_extents else ENDOFCHAIN
    n_minifat = sum(k for _, k in layout.minifat_extents)
    header = _HEADER.pack(
        SIGNATURE,
        b"\0" * 16,
        0x003E,
        layout.version,
        0xFFFE,
        9 if ss == 512 else 12,
        6,
        b"\0" * 6,
        sum(k for _, k in layout.dir_extents) if layout.version == 4 else 0,
        len(layout.fat_sectors),
        layout.dir_extents[0][0],
        0,
        MINI_CUTOFF,
        first_minifat,
        n_minifat,
        layout.difat_sectors[0] if layout.difat_sectors else ENDOFCHAIN,
        len(layout.difat_sectors),
    )
    difat_head = _u32_bytes(_u32(layout.fat_sectors[:109]))
    sink.write(header + difat_head + _FREE_DIFAT[len(difat_head) :])
    sink.pad(ss)

    # FAT, then DIFAT.
    fat = _build_fat(layout)
    if sys.byteorder == "little":
        sink.write(memoryview(fat).cast("B"))  # no copy of a FAT that may be megabytes
    else:  # pragma: no cover
        sink.write(_u32_bytes(fat))
    del fat
    rest = layout.fat_sectors[109:]
    for j, s in enumerate(layout.difat_sectors):
        del s
        part = rest[j * (per - 1) : (j + 1) * (per - 1)]
        part += [FREESECT] * (per - 1 - len(part))
        nxt = layout.difat_sectors[j + 1] if j + 1 < len(layout.difat_sectors) else ENDOFCHAIN
        sink.write(_u32_bytes(_u32([*part, nxt])))

    # Directory.
    blob = _dir_blob(entries)
    n_dir_bytes = sum(k for _, k in layout.dir_extents) * ss
    sink.write(blob)
    sink.write(_EMPTY_ENTRY * ((n_dir_bytes - len(blob)) // 128))

    # Mini FAT.
    if layout.minifat_extents:
        # Mini streams are laid out one after another: each sector links to the next,
        # a stream's last one ends its chain, the rest of the mini FAT is free.
        used = layout.mini_sector_count
        minifat = _run_links(0, used)
        for i in layout.mini_streams:
            e = entries[i]
            minifat[e.mini_start + ((e.size + 63) >> 6) - 1] = ENDOFCHAIN
        minifat.extend(_FREE * (n_minifat * per - used))
        sink.write(_u32_bytes(minifat))

    # Mini stream: small streams gathered into ~1 MiB writes (each is below 4096 bytes).
    parts: list[bytes] = []
    append, pads = parts.append, _MINI_PADS
    pending = 0
    for i in layout.mini_streams:
        e = entries[i]
        node = e.node
        assert isinstance(node, StreamNode)
        size = e.size
        chunk = node.data.read_at(0, size)
        if len(chunk) != size:
            chunk = _read_whole(node.data, size, node.name, chunk)
        append(chunk)
        append(pads[size & 63])
        pending += size + 63
        if pending >= _COPY_CHUNK:
            sink.write(b"".join(parts))
            parts.clear()
            pending = 0
    if parts:
        sink.write(b"".join(parts))
    sink.pad(ss)

    # Regular streams.
    for i in layout.regular_streams:
        e = entries[i]
        node = e.node
        assert isinstance(node, StreamNode)
        _copy(sink, node.data, e.size, node.name)
        sink.pad(ss)

    sink.finish()
    if sink.pos != layout.file_size:
        raise StorageError(
            f"internal: wrote {sink.pos} bytes, layout says {layout.file_size}",
            STG.STG_E_WRITEFAULT,
        )
    return layout
