"""Byte sources over fsspec: range reads that fetch only what a request needs.

Both are :class:`~imsg_backends.cfb.caching.CachingSource` subclasses (the engine's source
for expensive requests: span cache, merging with a gap, readahead, :class:`IOStats`); each
supplies only :meth:`~imsg_backends.cfb.caching.CachingSource.fetch`:

* :class:`RangeSource` fetches with ``fs.cat_ranges`` (one ranged GET per merged span,
  issued concurrently by async filesystems; ``fs.cat_file`` for one span) and keeps no file
  handle open;
* :class:`FsspecFileSource` seeks and reads an fsspec file object opened with the caller's
  cache options (``cache_type``/``block_size``), for users who chose a cache and for
  caching filesystems (``blockcache::``, ``simplecache::``) and compressed objects.
"""

from __future__ import annotations

import contextlib
from typing import Any

from imsg_backends.cfb.caching import DEFAULT_CACHE_BYTES
from imsg_backends.cfb.caching import DEFAULT_GAP
from imsg_backends.cfb.caching import DEFAULT_MAX_BLOCK
from imsg_backends.cfb.caching import CachingSource
from imsg_backends.cfb.caching import IOStats
from imsg_backends.cfb.ranges import Range
from imsg_core.errors import STG
from imsg_core.errors import StorageError
from imsg_core.errors import stg_error

__all__ = ["DEFAULT_GAP", "FsspecFileSource", "IOStats", "RangeSource"]


class RangeSource(CachingSource):
    """An fsspec object read with ``fs.cat_ranges`` (no file handle is kept open).

    :param fs: the filesystem (from ``fsspec.url_to_fs``).
    :param path: the object's path on ``fs``.
    :param size: its length (from ``fs.info``).
    :param url: the location string shown in messages.
    """

    def __init__(
        self,
        fs: Any,
        path: str,
        size: int,
        *,
        url: str | None = None,
        gap: int = DEFAULT_GAP,
        max_block: int = DEFAULT_MAX_BLOCK,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        super().__init__(url or path, size, gap=gap, max_block=max_block, cache_bytes=cache_bytes)
        self.fs = fs
        self.path = path

    def fetch(self, spans: list[Range]) -> list[bytes]:
        from .location import io_error

        try:
            if len(spans) == 1:
                off, length = spans[0]
                blob = bytes(self.fs.cat_file(self.path, start=off, end=off + length))
                if len(blob) > length:
                    raise no_range_support(self.url, off, length, len(blob))
                return [blob]
            n = len(spans)
            got = self.fs.cat_ranges(
                [self.path] * n,
                [s for s, _ in spans],
                [s + n_ for s, n_ in spans],
                on_error="raise",
            )
        except StorageError:
            raise
        except Exception as exc:
            raise io_error(exc, f"reading {self.url}", STG.STG_E_READFAULT) from exc
        out: list[bytes] = []
        for item in got:
            if isinstance(item, BaseException):
                raise io_error(item, f"reading {self.url}", STG.STG_E_READFAULT) from item
            out.append(bytes(item))
        for (off, length), blob in zip(spans, out, strict=True):
            if len(blob) > length:
                raise no_range_support(self.url, off, length, len(blob))
        return out


def no_range_support(url: str, offset: int, asked: int, got: int) -> StorageError:
    """The error for a server that answered a ranged read with more than was asked (a plain
    ``python -m http.server`` sends the whole object): it names the ``simplecache::`` chaining
    that downloads the object once and reads it from a local copy."""
    return stg_error(
        STG.STG_E_READFAULT,
        f"{url}: the server does not honour Range requests (asked for {asked} bytes at offset "
        f"{offset}, got {got}); open 'simplecache::{url}' instead, which downloads the object "
        "once and reads it from a local cache",
    )


class FsspecFileSource(CachingSource):
    """An fsspec file object (opened with the caller's cache options), read under a lock.

    Each merged span is one ``seek`` + ``read`` on the file, whose own cache decides what is
    fetched. The file is closed by :meth:`close`.
    """

    def __init__(
        self,
        fileobj: Any,
        size: int,
        *,
        url: str,
        gap: int = DEFAULT_GAP,
        max_block: int = DEFAULT_MAX_BLOCK,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        super().__init__(url, size, gap=gap, max_block=max_block, cache_bytes=cache_bytes)
        self.fileobj = fileobj

    def fetch(self, spans: list[Range]) -> list[bytes]:
        from .location import io_error

        out: list[bytes] = []
        try:
            for off, length in spans:
                self.fileobj.seek(off)
                parts: list[bytes] = []
                want = length
                while want > 0:
                    chunk = self.fileobj.read(want)
                    if not chunk:
                        break
                    parts.append(bytes(chunk))
                    want -= len(chunk)
                out.append(b"".join(parts))
        except StorageError:
            raise
        except Exception as exc:
            raise io_error(exc, f"reading {self.url}", STG.STG_E_READFAULT) from exc
        return out

    def close(self) -> None:
        super().close()
        with contextlib.suppress(Exception):  # closing a read handle has nothing to report
            self.fileobj.close()
