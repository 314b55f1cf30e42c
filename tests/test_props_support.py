"""Helpers for the property-layer tests: corpus messages as read-only storages.

The corpus files are opened with olefile (an independent reader) and exposed through
``imsg_core._tree.TreeStorage`` with lazy stream data, so property code reads them through the
ordinary Storage contract without the project's own OLE backend being involved.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

from conftest import CORPUS
from conftest import corpus_files

from imsg_core._storage import Capabilities
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamData
from imsg_core.backend import StreamNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import TreeStorage
from imsg_core.props import StreamKind


class _OleData(StreamData):
    def __init__(self, ole: object, entry: object) -> None:
        self._ole = ole
        self._entry = entry
        self._data: bytes | None = None

    @property
    def size(self) -> int:
        return int(self._entry.size)  # type: ignore[attr-defined]

    def read_at(self, offset: int, n: int) -> bytes:
        if self._data is None:
            e = self._entry
            self._data = self._ole._open(e.isectStart, e.size).read()  # type: ignore[attr-defined]
        return self._data[offset : offset + n]


class _ReadOnly(TreeMedium):
    capabilities = Capabilities(readable=True, writable=False, transacted=False)

    def persist(self, root: StorageNode, flags: int) -> None:  # pragma: no cover
        raise AssertionError("read-only test medium")


@functools.cache
def open_ole(path: Path) -> TreeStorage:
    """The compound file at ``path`` as a read-only storage (olefile underneath); cached,
    so the corpus is parsed once per test run."""
    import olefile

    ole = olefile.OleFileIO(path.read_bytes())  # in memory: no file handle left open
    root = StorageNode("Root Entry")

    def fill(node: StorageNode, entry: object, depth: int) -> None:
        for kid in entry.kids:  # type: ignore[attr-defined]
            if kid.entry_type == olefile.STGTY_STORAGE and depth < 64:
                sub = StorageNode(kid.name)
                node.add(sub)
                fill(sub, kid, depth + 1)
            elif kid.entry_type == olefile.STGTY_STREAM:
                node.add(StreamNode(kid.name, _OleData(ole, kid)))

    fill(root, ole.root, 0)
    return TreeStorage.open_root(root, _ReadOnly(), "r")


def is_message(path: Path) -> bool:
    """A compound file with a top-level property stream that olefile can open."""
    import olefile

    try:
        if not olefile.isOleFile(str(path)):
            return False
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists("__properties_version1.0"))
    except Exception:
        return False


@functools.cache
def corpus_messages() -> list[Path]:
    """Every corpus compound file holding a message (empty when the corpus is absent)."""
    return [p for p in corpus_files() if is_message(p)]


def property_storages(root: TreeStorage) -> Iterator[tuple[str, TreeStorage, StreamKind]]:
    """Every storage holding a property stream, with its stream kind, depth first."""

    def walk(
        st: TreeStorage, path: str, kind: StreamKind
    ) -> Iterator[tuple[str, TreeStorage, StreamKind]]:
        if st.exists("__properties_version1.0"):
            yield path, st, kind
        for e in st.list():
            if not e.is_storage or e.name.startswith("__nameid"):
                continue
            up = e.name.upper()
            if up.startswith("__SUBSTG1.0_3701000D"):
                child_kind = StreamKind.EMBEDDED
            elif up.startswith(("__RECIP_VERSION1.0_", "__ATTACH_VERSION1.0_")):
                child_kind = StreamKind.CHILD
            else:
                continue  # custom OLE attachment storages hold no properties
            yield from walk(st.open_storage(e.name, "r"), f"{path}/{e.name}", child_kind)

    yield from walk(root, "", StreamKind.TOP_LEVEL)


@functools.cache
def truth() -> dict[str, dict[str, object]]:
    """extract_msg_truth.jsonl by relpath."""
    out: dict[str, dict[str, object]] = {}
    path = CORPUS / "extract_msg_truth.jsonl"
    if path.exists():
        for line in path.read_text().splitlines():
            rec = json.loads(line)
            out[rec["relpath"]] = rec
    return out


def relpath(path: Path) -> str:
    return str(path.relative_to(CORPUS))
