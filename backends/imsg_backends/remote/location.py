"""Which locations the remote backend takes, and how they become an fsspec filesystem + path.

Claimed: URL strings with a scheme other than the local ones (``s3://``, ``gs://``, ``az://``,
``http(s)://``, ``memory://``, ``zip://``...), chained URLs (``simplecache::s3://...``),
``fsspec.core.OpenFile`` objects and ``UPath`` objects. Not claimed (other backends take them):
local paths, ``file://`` URLs, ``mem://`` (the per-session memory backend), bytes and file
objects.

Options (keyword arguments of ``Session.open_storage``), kept apart as fsspec expects:

* ``storage_options``: a dict for the filesystem (credentials, endpoint, ...), passed to
  ``fsspec.url_to_fs(url, **storage_options)``;
* ``cache_type``, ``block_size``, ``cache_options``: for ``fs.open(path, "rb", ...)``; when
  any is given, reads go through that file object and its cache instead of range requests.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from imsg_core.errors import STG
from imsg_core.errors import StorageError
from imsg_core.errors import stg_error

__all__ = ["EXTRAS", "Target", "claims", "io_error", "resolve"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
#: Schemes other backends own.
LOCAL_SCHEMES = frozenset({"file", "local", "mem"})
#: Which extra of imsg-core installs the filesystem for a protocol.
EXTRAS: dict[str, tuple[str, str]] = {
    "s3": ("s3fs", "s3"),
    "s3a": ("s3fs", "s3"),
    "gs": ("gcsfs", "gcs"),
    "gcs": ("gcsfs", "gcs"),
    "az": ("adlfs", "azure"),
    "abfs": ("adlfs", "azure"),
    "abfss": ("adlfs", "azure"),
    "adl": ("adlfs", "azure"),
    "http": ("aiohttp", "http"),
    "https": ("aiohttp", "http"),
}
#: Filesystems that cannot replace an object (reads only).
READ_ONLY_PROTOCOLS = frozenset(
    {"http", "https", "zip", "tar", "libarchive", "github", "git", "reference", "data"}
)
#: Caching filesystems: read through ``fs.open`` so their cache is used.
CACHING_PROTOCOLS = frozenset({"blockcache", "filecache", "simplecache", "cached"})
CACHE_OPTION_KEYS = ("cache_type", "block_size", "cache_options")


@dataclass
class Target:
    """A resolved remote object.

    Attributes:
        fs: the fsspec filesystem.
        path: the object's path on ``fs``.
        url: the location as shown in messages.
        protocol: the filesystem's (outermost) protocol.
        open_kwargs: cache options for ``fs.open`` (empty: use range requests).
        compression: compression of an ``OpenFile``, if any (read through a file object).
    """

    fs: Any
    path: str
    url: str
    protocol: str
    open_kwargs: dict[str, Any] = field(default_factory=dict)
    compression: str | None = None

    @property
    def writable(self) -> bool:
        """False for filesystems that cannot replace an object atomically (HTTP, archives,
        caching filesystems in front of another)."""
        if self.compression or getattr(self.fs, "read_only", False):
            return False
        if self.protocol in CACHING_PROTOCOLS:
            return False  # a cache in front cannot promise an atomic replace
        protos = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        return not (set(protos) & READ_ONLY_PROTOCOLS)

    @property
    def via_file_object(self) -> bool:
        """True when reads must go through ``fs.open`` (cache options, caching fs, codec)."""
        return (
            bool(self.open_kwargs)
            or self.compression is not None
            or (self.protocol in CACHING_PROTOCOLS)
        )


def _is_upath(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "upath"


def _is_open_file(obj: object) -> bool:
    try:
        from fsspec.core import OpenFile
    except ImportError:  # pragma: no cover - fsspec is a dependency
        return False
    return isinstance(obj, OpenFile)


def claims(location: object) -> bool:
    """True for the locations this backend takes (see the module doc)."""
    if _is_open_file(location) or _is_upath(location):
        return True
    if not isinstance(location, str):
        return False
    if "::" in location:
        return True
    m = _SCHEME.match(location)
    return m is not None and m.group(1).lower() not in LOCAL_SCHEMES


def _protocol_of(url: str) -> str:
    first = url.split("::", 1)[0]
    m = _SCHEME.match(first)
    return m.group(1).lower() if m else first.lower()


def missing_dependency(protocol: str, exc: BaseException) -> StorageError:
    """The error for a filesystem whose package is not installed."""
    pkg, extra = EXTRAS.get(protocol, (None, None))
    if pkg is not None:
        hint = f"pip install 'imsg-core[{extra}]' (or pip install {pkg})"
    else:
        hint = "install the fsspec implementation for this protocol"
    return stg_error(
        STG.STG_E_INVALIDFUNCTION,
        f"{protocol}:// locations need an optional dependency that is not installed: {hint} "
        f"({exc})",
    )


def io_error(exc: BaseException, doing: str, default: STG) -> StorageError:
    """Map a filesystem exception to a :class:`StorageError` naming what was done."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, FileNotFoundError):
        return stg_error(STG.STG_E_FILENOTFOUND, f"{doing}: not found ({exc})")
    if isinstance(exc, PermissionError):
        return stg_error(STG.STG_E_ACCESSDENIED, f"{doing}: access denied ({exc})")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return stg_error(STG.STG_E_MEDIUMFULL, f"{doing}: no space left ({exc})")
    if isinstance(exc, ImportError):
        return stg_error(
            STG.STG_E_INVALIDFUNCTION, f"{doing}: an optional dependency is missing ({exc})"
        )
    text = str(exc) or type(exc).__name__
    return stg_error(default, f"{doing}: {type(exc).__name__}: {text}")


def resolve(location: Any, options: Mapping[str, Any]) -> Target:
    """Turn a claimed location into a :class:`Target`.

    :raises StorageError: ``STG_E_INVALIDFUNCTION`` naming the package (and extra) to install
        when the protocol's filesystem is missing; ``STG_E_INVALIDPARAMETER`` for bad options
        or an unknown protocol.
    """
    storage_options = options.get("storage_options") or {}
    if not isinstance(storage_options, Mapping):
        raise stg_error(STG.STG_E_INVALIDPARAMETER, "storage_options must be a mapping")
    open_kwargs = {k: options[k] for k in CACHE_OPTION_KEYS if options.get(k) is not None}
    bad = set(storage_options) & set(CACHE_OPTION_KEYS)
    if bad:
        raise stg_error(
            STG.STG_E_INVALIDPARAMETER,
            f"{', '.join(sorted(bad))} are options of open(), not of the filesystem: pass them "
            "as keyword arguments next to storage_options, not inside it",
        )
    if _is_open_file(location):
        fs, path = location.fs, location.path
        proto = fs.protocol[0] if isinstance(fs.protocol, tuple) else fs.protocol
        url = fs.unstrip_protocol(path) if hasattr(fs, "unstrip_protocol") else path
        return Target(fs, path, url, proto, open_kwargs, getattr(location, "compression", None))
    if _is_upath(location):
        fs, path = location.fs, location.path
        proto = fs.protocol[0] if isinstance(fs.protocol, tuple) else fs.protocol
        return Target(fs, path, str(location), proto, open_kwargs)
    url = str(location)
    protocol = _protocol_of(url)
    try:
        import fsspec

        fs, path = fsspec.url_to_fs(url, **storage_options)
    except ImportError as exc:
        raise missing_dependency(protocol, exc) from exc
    except ValueError as exc:
        if "Protocol not known" in str(exc) or "not known" in str(exc):
            raise stg_error(
                STG.STG_E_INVALIDPARAMETER, f"no fsspec filesystem for {protocol}:// ({url})"
            ) from exc
        raise stg_error(STG.STG_E_INVALIDPARAMETER, f"cannot open {url}: {exc}") from exc
    except TypeError as exc:
        raise stg_error(
            STG.STG_E_INVALIDPARAMETER, f"bad storage_options for {protocol}:// ({url}): {exc}"
        ) from exc
    except Exception as exc:
        raise io_error(exc, f"connecting to {url}", STG.STG_E_READFAULT) from exc
    return Target(fs, path, url, protocol, open_kwargs)
