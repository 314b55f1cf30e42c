"""A third-party imsg-core backend: a storage is a directory, a stream a file (``dirtree://PATH``).

It is installed as its own distribution and found only through its entry point, exactly as
any third-party backend. It imports nothing but the module imsg-core gives backend authors,
:mod:`imsg_core.backend`. It holds no resources outside its storage objects (the open files
belong to the medium, closed with the root storage), so it implements no release hook.

Layout: element ``NAME`` is ``e_<percent-encoded NAME>`` (a file for a stream, a directory for
a storage); each directory's CLSID and state bits live in ``meta.json``. A commit writes the
whole tree into a sibling temporary directory and swaps it in with two renames.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.parse import unquote

from imsg_core.backend import STG
from imsg_core.backend import BackendInfo
from imsg_core.backend import Capabilities
from imsg_core.backend import Mode
from imsg_core.backend import Registry
from imsg_core.backend import Storage
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamData
from imsg_core.backend import StreamNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import TreeStorage
from imsg_core.backend import hookimpl
from imsg_core.backend import stg_error

NAME = "dirtree"
SCHEME = "dirtree://"
CAPS = Capabilities(readable=True, writable=True, transacted=True)


class FileData(StreamData):
    """A file's bytes; the descriptor is opened at once so a later swap cannot pull it away."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self._size = os.fstat(self._fd).st_size

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, n: int) -> bytes:
        return os.pread(self._fd, max(0, min(n, self._size - offset)), offset)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _load(path: Path, name: str, files: list[FileData]) -> StorageNode:
    meta = json.loads((path / "meta.json").read_text()) if (path / "meta.json").exists() else {}
    node = StorageNode(
        name, uuid.UUID(meta.get("clsid", str(uuid.UUID(int=0)))), meta.get("state", 0)
    )
    for child in sorted(path.iterdir()):
        if not child.name.startswith("e_"):
            continue
        child_name = unquote(child.name[2:])
        if child.is_dir():
            node.add(_load(child, child_name, files))
        else:
            data = FileData(child)
            files.append(data)
            node.add(StreamNode(child_name, data))
    return node


def _save(node: StorageNode, path: Path) -> None:
    path.mkdir()
    (path / "meta.json").write_text(
        json.dumps({"clsid": str(node.clsid), "state": node.state_bits})
    )
    for child in node.sorted_children():
        target = path / ("e_" + quote(child.name, safe=""))
        if isinstance(child, StorageNode):
            _save(child, target)
        else:
            with open(target, "wb") as out:
                off = 0
                while off < child.size:
                    chunk = child.data.read_at(off, 1 << 20)
                    out.write(chunk)
                    off += len(chunk)


class DirMedium(TreeMedium):
    capabilities = CAPS

    def __init__(self, path: Path, files: list[FileData]) -> None:
        self.path = path
        self.files = files

    def persist(self, root: StorageNode, flags: int) -> None:
        tmp = Path(tempfile.mkdtemp(prefix=".dirtree-", dir=self.path.parent))
        try:
            _save(root, tmp / "new")
            if self.path.exists():
                self.path.rename(tmp / "old")
            (tmp / "new").rename(self.path)
        except OSError as exc:
            raise stg_error(STG.STG_E_WRITEFAULT, f"cannot write {self.path}: {exc}") from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def close(self) -> None:
        for f in self.files:
            f.close()

    def describe(self) -> str:
        return f"{SCHEME}{self.path}"


@hookimpl
def imsg_core_open_storage(
    session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
) -> Storage | None:
    if not (isinstance(location, str) and location.startswith(SCHEME)):
        return None
    path = Path(location[len(SCHEME) :])
    files: list[FileData] = []
    if mode in ("r", "r+"):
        if not path.is_dir():
            raise stg_error(STG.STG_E_FILENOTFOUND, f"no directory storage at {path}")
        root = _load(path, "Root Entry", files)
    elif mode == "x" and path.exists():
        raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"{path} already exists")
    else:
        root = StorageNode("Root Entry")
    return TreeStorage.open_root(root, DirMedium(path, files), mode, session=session, backend=NAME)


@hookimpl
def imsg_core_describe_backend() -> BackendInfo:
    return BackendInfo(NAME, "storages as directories (test plugin)", ("dirtree",), CAPS)
