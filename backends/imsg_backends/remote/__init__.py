"""Remote compound files through fsspec: the catch-all backend (asked last).

Takes any fsspec URL (``s3://``, ``gs://``, ``az://``, ``http(s)://``, ``memory://``,
``zip://``, chained ``simplecache::``/``blockcache::``...), an ``fsspec.core.OpenFile`` or a
``UPath``; local paths, ``file://`` and ``mem://`` are left to the ``ole`` and ``memory``
backends. See :mod:`.location` for the options (``storage_options`` for the filesystem;
``cache_type``/``block_size``/``cache_options`` for ``open``), :mod:`.reader` for how reads
are batched and :mod:`.medium` for the atomic upload.

Extra options (keyword arguments of ``Session.open_storage``): ``single_put_limit`` and
``upload_part_size`` (bytes), ``cfb_version`` (3 or 4) for what commits write, and
``prefetch=False`` to turn off the speculative metadata prefetch, and ``size`` (bytes) for a
read-only open of an object whose size the caller already knows from a listing (saves the
``HEAD`` request; a wrong size is detected as a short or long read).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from imsg_backends import check_options
from imsg_core.backend import STG
from imsg_core.backend import BackendInfo
from imsg_core.backend import Capabilities
from imsg_core.backend import Mode
from imsg_core.backend import Registry
from imsg_core.backend import Storage
from imsg_core.backend import StorageNode
from imsg_core.backend import TreeStorage
from imsg_core.backend import hookimpl
from imsg_core.backend import stg_error

from .location import CACHE_OPTION_KEYS
from .location import claims
from .location import resolve
from .medium import DEFAULT_PART_SIZE
from .medium import DEFAULT_SINGLE_PUT_LIMIT
from .medium import RemoteMedium
from .medium import _version_key
from .medium import object_info
from .medium import open_source
from .source import IOStats
from .source import RangeSource

__all__ = ["NAME", "IOStats", "RangeSource", "RemoteMedium", "open_remote"]

NAME = "remote"
CAPABILITIES = Capabilities(readable=True, writable=True, transacted=True)
#: The options this backend takes (anything else is refused, naming these).
OPTIONS = (
    "storage_options",
    *CACHE_OPTION_KEYS,
    "single_put_limit",
    "upload_part_size",
    "cfb_version",
    "prefetch",
    "size",
)


def _int_option(options: Mapping[str, Any], key: str, default: int, minimum: int = 1) -> int:
    value = options.get(key, default)
    if not isinstance(value, int) or value < minimum:
        raise stg_error(STG.STG_E_INVALIDPARAMETER, f"{key} must be an integer >= {minimum}")
    return value


def open_remote(
    session: Registry | None, location: Any, mode: Mode, options: Mapping[str, Any]
) -> TreeStorage:
    """Open or create the compound file at a remote ``location`` (see the module doc).

    :raises StorageError: ``STG_E_FILENOTFOUND`` (no object, for ``"r"``/``"r+"``),
        ``STG_E_FILEALREADYEXISTS`` (``"x"`` on an existing object), ``STG_E_ACCESSDENIED``
        (writing to a read-only filesystem such as HTTP), ``STG_E_INVALIDFUNCTION`` (the
        filesystem's package is missing: the message says what to ``pip install``),
        ``STG_E_READFAULT`` (network errors, a server that ignores ``Range``),
        ``STG_E_INVALIDPARAMETER`` (an option not in :data:`OPTIONS`, or a bad value), and the
        compound-file reader's ``STG_E_INVALIDHEADER``/``STG_E_DOCFILECORRUPT``.
    """
    from .reader import RemoteCFBReader

    check_options(NAME, options, OPTIONS)
    target = resolve(location, options)
    medium_kwargs: dict[str, Any] = {
        "single_put_limit": _int_option(options, "single_put_limit", DEFAULT_SINGLE_PUT_LIMIT, 0),
        "part_size": _int_option(options, "upload_part_size", DEFAULT_PART_SIZE, 5 << 20),
        "cfb_version": options.get("cfb_version"),
    }
    if mode != "r" and not target.writable:
        raise stg_error(
            STG.STG_E_ACCESSDENIED,
            f"{target.url} is on a read-only filesystem ({target.protocol}); open it with mode 'r'",
        )
    known_size = options.get("size")
    if mode == "r" and isinstance(known_size, int) and known_size >= 0:
        info: dict[str, Any] | None = {"size": known_size}  # the caller listed it: no HEAD
    else:
        info = object_info(target)
    if mode in ("r", "r+"):
        if info is None:
            hint = ""
            if target.protocol == "memory":
                hint = (
                    " (memory:// is fsspec's process-wide store; a session's own in-memory "
                    "storages are mem://NAME, the memory backend)"
                )
            raise stg_error(STG.STG_E_FILENOTFOUND, f"no object at {target.url}{hint}")
        source = open_source(target, info)
        try:
            reader = RemoteCFBReader(
                source, owns_source=True, prefetch=bool(options.get("prefetch", True))
            )
        except BaseException:
            source.close()
            raise
        medium = RemoteMedium(target, reader, _version_key(info), **medium_kwargs)
        root = reader.root
    else:
        if mode == "x" and info is not None:
            raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"{target.url} already exists")
        medium = RemoteMedium(
            target, None, _version_key(info), exclusive=mode == "x", **medium_kwargs
        )
        root = StorageNode("Root Entry")
    return TreeStorage.open_root(root, medium, mode, session=session, backend=NAME)


def io_stats(storage: Storage) -> IOStats | None:
    """The request/byte counters of a remote storage's current source (``None`` if it has
    none, e.g. a new object)."""
    medium = getattr(storage, "medium", None)
    src = getattr(medium, "source", None)
    return getattr(src, "stats", None)


@hookimpl(trylast=True)
def imsg_core_open_storage(
    session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
) -> Storage | None:
    """Claim fsspec URLs, ``OpenFile`` and ``UPath`` objects (not local paths or ``mem://``)."""
    if not claims(location):
        return None
    return open_remote(session, location, mode, options)


@hookimpl(trylast=True)
def imsg_core_describe_backend() -> BackendInfo:
    """Describe the remote backend."""
    return BackendInfo(
        name=NAME,
        description="compound files on any fsspec filesystem (S3, GCS, Azure, HTTP, "
        "fsspec's process-wide memory://, ...), read with batched range requests, committed "
        "with one atomic upload (a session's own in-memory storages are mem://, not this)",
        schemes=("s3", "gs", "az", "http", "https", "memory", "zip", "fsspec"),
        capabilities=CAPABILITIES,
        catch_all=True,
    )
