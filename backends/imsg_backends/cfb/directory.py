"""The directory of a compound file: entries parsed in bulk, checked, and built into a tree of
:class:`~imsg_core._tree.StorageNode` / :class:`~imsg_core._tree.StreamNode` whose stream data
(:class:`~.streams.CFBStreamData`) reads lazily.

:class:`DirectoryReader` is the layer of the reader above :class:`~.streams.StreamReader`.
"""

from __future__ import annotations

import codecs
import uuid

from imsg_core.backend import MAX_NAME_LENGTH
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.backend import name_sort_key

from .fat import _OWN_DIR
from .header import _DIRENT
from .header import ENDOFCHAIN
from .header import MAXREGSECT
from .header import MINI_CUTOFF
from .header import NOSTREAM
from .header import DirEntry
from .header import _corrupt
from .header import filetime_to_datetime
from .streams import CFBStreamData
from .streams import StreamReader

__all__ = ["DirectoryReader"]

_NIL_UUID = uuid.UUID(int=0)
_utf16_decode = codecs.utf_16_le_decode  # 4x faster than bytes.decode's codec lookup
_ZERO16 = bytes(16)
_BAD_CHARS = frozenset("/\\:!")


class DirectoryReader(StreamReader):
    """Directory parsing and the node tree (see the module doc)."""

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
