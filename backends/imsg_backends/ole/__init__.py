"""Local compound files (MS-CFB: ``.msg``, ``.oft``, any OLE2 file) as a storage backend.

Claims (hook :func:`imsg_core_open_storage`):

* local paths: a ``str`` without ``://``, a ``file://`` URL, an ``os.PathLike`` (the session
  passes it as ``str``) — modes ``r``, ``r+``, ``w``, ``x``; commits are atomic
  (:class:`~imsg_backends.ole.medium.OleFileMedium`);
* ``bytes``/``bytearray``/``memoryview`` — mode ``r`` only;
* seekable binary file objects — ``r``, ``r+`` and ``w`` (commit rewrites the object's
  content; :class:`~imsg_backends.ole.medium.FileObjectMedium`).

Errors: a missing file with ``r``/``r+`` is ``STG_E_FILENOTFOUND``; an existing one with
``x`` is ``STG_E_FILEALREADYEXISTS``; something that is not a compound file is
``STG_E_INVALIDHEADER`` naming it; a damaged one ``STG_E_DOCFILECORRUPT`` saying what and
where. Options (anything else is ``STG_E_INVALIDPARAMETER`` naming it and these; bytes
take only ``lazy_fat``, file objects not ``durable``): ``version`` (3 or 4: the version
commits write), ``lazy_fat`` (bool),
``durable`` (bool, default true: commits ``fsync`` the file and its directory; ``False``
keeps commits atomic against process crashes but not against power loss — for bulk jobs
that can re-run, see :class:`~imsg_backends.ole.medium.OleFileMedium`).

The compound-file engine itself (reader, writer, byte sources) is
:mod:`imsg_backends.cfb`; this package is the local-file backend over it: the media
(:mod:`.medium`) and the hook implementations. Process-level state of the backend (the
temp-file sweeper's listings, directories refusing unnamed files, the temp-name sequence) is
held by :data:`STATE`, a :class:`~imsg_backends.ole.medium.LocalFileState` passed to every
medium this plugin builds; ``STATE.reset()`` forgets it.

Building blocks for other backends::

    reader = CFBReader(my_source, lazy_fat=True)          # imsg_backends.cfb; any ByteSource
    storage = open_ole_storage(session, reader, "r", ReadOnlyMedium(my_source, reader),
                               backend="mine")
"""

from __future__ import annotations

import io
import os
import stat
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any
from typing import BinaryIO

from imsg_backends import check_options
from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import ByteSource
from imsg_backends.cfb.sources import BytesSource
from imsg_backends.cfb.sources import FileSource
from imsg_backends.cfb.sources import SeekableSource
from imsg_core.backend import STG
from imsg_core.backend import BackendInfo
from imsg_core.backend import Capabilities
from imsg_core.backend import Mode
from imsg_core.backend import Registry
from imsg_core.backend import Storage
from imsg_core.backend import StorageNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import TreeStorage
from imsg_core.backend import hookimpl
from imsg_core.backend import stg_error

from .medium import FileObjectMedium
from .medium import LocalFileState
from .medium import OleFileMedium
from .medium import ReadOnlyMedium
from .medium import rebind_tree

__all__ = [
    "NAME",
    "STATE",
    "FileObjectMedium",
    "LocalFileState",
    "OleFileMedium",
    "ReadOnlyMedium",
    "open_ole_file",
    "open_ole_storage",
    "rebind_tree",
]

NAME = "ole"
CAPABILITIES = Capabilities(readable=True, writable=True, transacted=True)
#: The backend's state across commits, passed to every :class:`OleFileMedium` it builds.
STATE = LocalFileState()
#: The options this backend takes, by kind of location (anything else is refused).
PATH_OPTIONS = ("version", "lazy_fat", "durable")
FILE_OBJECT_OPTIONS = ("version", "lazy_fat")
BYTES_OPTIONS = ("lazy_fat",)


def open_ole_storage(
    session: Registry | None,
    reader: CFBReader | ByteSource | None,
    mode: Mode,
    medium: TreeMedium,
    *,
    backend: str = NAME,
) -> TreeStorage:
    """A root :class:`TreeStorage` over a compound file, registered with ``session``.

    :param reader: a :class:`CFBReader`, or a :class:`ByteSource` to parse (its reader is
        then built with default options), or ``None`` for a new empty root (modes w/x).
    :param medium: where commits go (:class:`OleFileMedium`, :class:`ReadOnlyMedium`, ...).
    :param backend: the backend name stamped on the storage and its children (the release
        hook of that backend releases them).
    """
    if reader is None:
        root = StorageNode("Root Entry")
    else:
        if not isinstance(reader, CFBReader):
            reader = CFBReader(reader)
        root = reader.root
        if mode in ("w", "x"):
            root = StorageNode("Root Entry")
    return TreeStorage.open_root(root, medium, mode, session=session, backend=backend)


def _path_of(location: Any) -> str | None:
    if not isinstance(location, str):
        return None
    if location.startswith("file://"):
        parsed = urllib.parse.urlparse(location)
        if parsed.netloc not in ("", "localhost"):
            raise stg_error(STG.STG_E_INVALIDNAME, f"file URL {location!r} names a remote host")
        return urllib.request.url2pathname(parsed.path)
    if "://" in location:
        return None
    return location


def _read_reader(source: ByteSource, options: Mapping[str, Any]) -> CFBReader:
    try:
        return CFBReader(source, lazy_fat=bool(options.get("lazy_fat", False)), owns_source=True)
    except BaseException:
        source.close()
        raise


def _version(options: Mapping[str, Any]) -> int | None:
    version = options.get("version")
    if version not in (None, 3, 4):
        raise stg_error(STG.STG_E_INVALIDPARAMETER, f"version={version!r} is not 3 or 4")
    return version


def _durable(options: Mapping[str, Any]) -> bool:
    durable = options.get("durable", True)
    if not isinstance(durable, bool):
        raise stg_error(STG.STG_E_INVALIDPARAMETER, f"durable={durable!r} is not True or False")
    return durable


def open_ole_file(
    session: Registry | None, path: str, mode: Mode, options: Mapping[str, Any] | None = None
) -> TreeStorage:
    """Open or create the compound file at ``path`` (see the module doc for modes/errors).

    :raises StorageError: ``STG_E_INVALIDPARAMETER`` for an option not in
        :data:`PATH_OPTIONS`.
    """
    opts = options or {}
    check_options(NAME, opts, PATH_OPTIONS)
    version = _version(opts)
    if mode in ("r", "r+"):
        reader = _read_reader(FileSource(path), opts)
        medium: TreeMedium = OleFileMedium(
            path, reader, version=version, durable=_durable(opts), state=STATE
        )
        try:
            return open_ole_storage(session, reader, mode, medium)
        except BaseException:
            medium.close()
            raise
    # One lstat says what is at ``path`` (nothing, a file, a link) and whether the medium
    # must follow a link; only a link costs a second call (system calls are the main cost
    # of creating a file here).
    st: os.stat_result | None
    try:
        st = os.lstat(path)
    except OSError:
        st = None
    is_link = st is not None and stat.S_ISLNK(st.st_mode)
    if is_link:
        try:
            st = os.stat(path)
        except OSError:  # a dangling link: creating writes the file it names
            st = None
    if st is None:
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise stg_error(STG.STG_E_PATHNOTFOUND, f"directory {parent} does not exist")
        if mode == "x" and is_link:
            raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"{path} already exists")
    elif stat.S_ISDIR(st.st_mode):
        raise stg_error(STG.STG_E_ACCESSDENIED, f"{path} is a directory")
    elif mode == "x":
        raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"{path} already exists")
    medium = OleFileMedium(
        path,
        None,
        version=version,
        exclusive=mode == "x",
        durable=_durable(opts),
        stat_result=st,
        is_link=is_link,
        state=STATE,
    )
    return open_ole_storage(session, None, mode, medium)


def _is_file_object(location: Any) -> bool:
    return (
        not isinstance(location, (str, bytes, bytearray, memoryview))
        and callable(getattr(location, "read", None))
        and callable(getattr(location, "seek", None))
    )


def _open_file_object(
    session: Registry, fileobj: BinaryIO, mode: Mode, options: Mapping[str, Any]
) -> TreeStorage:
    check_options(f"{NAME} (file object)", options, FILE_OBJECT_OPTIONS)
    name = str(getattr(fileobj, "name", None) or f"<{type(fileobj).__name__}>")
    if isinstance(fileobj, io.TextIOBase):
        raise stg_error(
            STG.STG_E_INVALIDPARAMETER, f"{name} is a text file; open it in binary mode"
        )
    seekable = getattr(fileobj, "seekable", None)
    if callable(seekable) and not seekable():
        raise stg_error(STG.STG_E_INVALIDPARAMETER, f"file object {name} is not seekable")
    version = _version(options)
    if mode != "r":
        writable = getattr(fileobj, "writable", None)
        if not callable(getattr(fileobj, "write", None)) or (callable(writable) and not writable()):
            raise stg_error(
                STG.STG_E_ACCESSDENIED, f"file object {name} is not writable (mode {mode!r})"
            )
    if mode in ("r", "r+"):
        source = SeekableSource(fileobj, name)
        reader = CFBReader(source, lazy_fat=bool(options.get("lazy_fat", False)))
        medium: TreeMedium = (
            ReadOnlyMedium(source, reader)
            if mode == "r"
            else FileObjectMedium(fileobj, reader, version=version)
        )
        return open_ole_storage(session, reader, mode, medium)
    if mode == "x":
        size = SeekableSource(fileobj, name).size
        if size:
            raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"file object {name} is not empty")
    return open_ole_storage(session, None, mode, FileObjectMedium(fileobj, None, version=version))


@hookimpl
def imsg_core_open_storage(
    session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
) -> Storage | None:
    """Claim local paths, ``file://`` URLs, bytes and seekable binary file objects."""
    path = _path_of(location)
    if path is not None:
        return open_ole_file(session, path, mode, options)
    if isinstance(location, (bytes, bytearray, memoryview)):
        check_options(f"{NAME} (bytes)", options, BYTES_OPTIONS)
        if mode != "r":
            raise stg_error(
                STG.STG_E_ACCESSDENIED, f"bytes can only be opened read-only (mode {mode!r})"
            )
        source = BytesSource(location)
        reader = CFBReader(source, lazy_fat=bool(options.get("lazy_fat", False)))
        return open_ole_storage(session, reader, mode, ReadOnlyMedium(source, reader))
    if _is_file_object(location):
        return _open_file_object(session, location, mode, options)
    return None


@hookimpl
def imsg_core_describe_backend() -> BackendInfo:
    """Describe the compound-file backend."""
    return BackendInfo(
        name=NAME,
        description="local compound files (.msg, .oft, OLE2): paths, file:// URLs, bytes, "
        "file objects; atomic commits",
        schemes=("file",),
        capabilities=CAPABILITIES,
    )
