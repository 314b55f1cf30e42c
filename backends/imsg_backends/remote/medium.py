"""Remote compound files as a :class:`~imsg_core._tree.TreeMedium`: open lazily, commit with one
atomic upload.

Reading: :func:`open_remote` builds the node tree with
:class:`~imsg_backends.remote.reader.RemoteCFBReader` over a range source; stream bytes are
fetched when read.

Writing (:meth:`RemoteMedium.persist`): the committed tree is written by the project's
streaming compound-file writer into a spooled temporary file (memory first, disk above
:data:`SPOOL_LIMIT`), then uploaded in **one atomic step**:

* up to ``single_put_limit`` bytes on object stores (S3, GCS, Azure, ``memory://``):
  ``fs.pipe_file`` — one PUT, applied whole or not at all;
* local files reached through fsspec: written aside in the same directory, fsynced, then
  ``os.replace``; other filesystems (SFTP, ...): a temporary object moved over the target;
* larger objects on S3: a multipart upload opened with ``autocommit=False``; the parts are
  sent, then the upload is completed by one request only if every part arrived. On any
  failure the upload is aborted (``discard``), so the previous object stays byte-identical
  and no partial object is ever visible.

After a successful upload, stream data still read lazily from the old object is re-bound to
the new object (the same bytes at their new places), so the open storage keeps reading
correctly; the old range source is closed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from typing import Any

from imsg_core.backend import STG
from imsg_core.backend import Capabilities
from imsg_core.backend import StorageError
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import stg_error

from .location import Target
from .location import io_error
from .source import FsspecFileSource
from .source import RangeSource

__all__ = [
    "DEFAULT_PART_SIZE",
    "DEFAULT_SINGLE_PUT_LIMIT",
    "RemoteMedium",
    "open_source",
]

#: Objects up to this size are uploaded with a single PUT.
DEFAULT_SINGLE_PUT_LIMIT = 32 << 20
#: Multipart part size (S3's minimum is 5 MiB for every part but the last).
DEFAULT_PART_SIZE = 8 << 20
#: The object being written stays in memory up to this size, then spills to a temp file.
SPOOL_LIMIT = 16 << 20
_COPY = 1 << 20
STGC_ONLYIFCURRENT = 2
#: Objects up to this size stay readable from the local copy of what a commit uploaded.
LOCAL_COPY_LIMIT = 8 << 20
#: Object stores whose single PUT replaces an object whole or not at all.
ATOMIC_PUT_PROTOCOLS = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "memory"})
#: Object stores whose PUT can be made conditional on the key being absent (mode "x").
CONDITIONAL_PUT_PROTOCOLS = frozenset({"s3", "s3a"})
#: Local paths reached through fsspec (``OpenFile``/``UPath`` of local files).
LOCAL_PROTOCOLS = frozenset({"file", "local"})
#: Protocols whose ``open(..., "wb", autocommit=False)`` defers completion to ``commit()``.
DEFERRED_COMMIT_PROTOCOLS = frozenset({"s3", "s3a"})


def object_info(target: Target) -> dict[str, Any] | None:
    """``fs.info`` of the object, or ``None`` if it does not exist.

    :raises StorageError: when the location is a directory/prefix or cannot be reached.
    """
    try:
        info = target.fs.info(target.path)
    except FileNotFoundError:
        return None
    except Exception as exc:
        raise io_error(exc, f"looking up {target.url}", STG.STG_E_READFAULT) from exc
    if info.get("type") == "directory":
        raise stg_error(
            STG.STG_E_FILENOTFOUND, f"{target.url} is a directory (prefix), not an object"
        )
    return dict(info)


def _version_key(info: dict[str, Any] | None) -> tuple[object, ...] | None:
    if info is None:
        return None
    for key in ("ETag", "etag", "md5Hash", "generation", "version_id", "VersionId"):
        if info.get(key):
            return (key, info[key], info.get("size"))
    return ("size+mtime", info.get("size"), info.get("LastModified") or info.get("mtime"))


def open_source(target: Target, info: dict[str, Any]) -> RangeSource | FsspecFileSource:
    """A byte source over an existing object (range requests, or the caller's cache)."""
    size = info.get("size")
    if not isinstance(size, int) or size < 0:
        raise stg_error(
            STG.STG_E_READFAULT,
            f"{target.url}: the server does not report the object's size (no Content-Length)",
        )
    if target.via_file_object:
        try:
            kwargs = dict(target.open_kwargs)
            if target.compression:
                kwargs["compression"] = target.compression
            f = target.fs.open(target.path, "rb", **kwargs)
        except Exception as exc:
            raise io_error(exc, f"opening {target.url}", STG.STG_E_READFAULT) from exc
        if target.compression:
            # A compressed object has no meaningful byte ranges: read it through the codec.
            size = _measure(f, target.url)
        return FsspecFileSource(f, size, url=target.url)
    return RangeSource(target.fs, target.path, size, url=target.url)


def _measure(f: Any, url: str) -> int:
    try:
        n = 0
        while True:
            chunk = f.read(_COPY)
            if not chunk:
                break
            n += len(chunk)
        f.seek(0)
        return n
    except Exception as exc:
        raise io_error(exc, f"reading {url}", STG.STG_E_READFAULT) from exc


class RemoteMedium(TreeMedium):
    """One remote object holding a compound file.

    :param target: where the object is.
    :param reader: the reader of the object's current version (``None`` for a new object).
    :param version: the object's ETag/version key when opened (for ``STGC_ONLYIFCURRENT``).
    :param single_put_limit: largest object uploaded with one PUT.
    :param part_size: multipart part size for larger objects (S3 only).
    :param cfb_version: compound-file major version to write (``None``: the writer chooses).
    :param exclusive: the first commit creates the object and fails with
        ``STG_E_FILEALREADYEXISTS`` if it exists by then (a conditional PUT on S3).
    """

    def __init__(
        self,
        target: Target,
        reader: Any | None,
        version: tuple[object, ...] | None,
        *,
        single_put_limit: int = DEFAULT_SINGLE_PUT_LIMIT,
        part_size: int = DEFAULT_PART_SIZE,
        cfb_version: int | None = None,
        exclusive: bool = False,
    ) -> None:
        self.target = target
        #: The first commit must create the object (mode ``"x"``): it fails if one appeared.
        self.exclusive = exclusive
        self.reader = reader
        self.version = version
        self.single_put_limit = single_put_limit
        self.part_size = part_size
        self.cfb_version = cfb_version
        self.capabilities = Capabilities(
            readable=True, writable=target.writable, transacted=target.writable
        )
        #: After a commit, stream data is re-read from the uploaded bytes kept locally when
        #: the object is at most this big (no request), else from the new remote object.
        self.local_copy_limit = LOCAL_COPY_LIMIT
        self._last_etag: str | None = None
        #: Bytes and requests of every upload (for tests and the benchmark suite).
        self.uploads: list[dict[str, object]] = []
        self._closed = False

    def describe(self) -> str:
        return self.target.url

    @property
    def source(self) -> Any:
        """The range source of the current reader (``None`` for a new object)."""
        return None if self.reader is None else self.reader.source

    # -- persist ---------------------------------------------------------------------------
    def persist(self, root: StorageNode, flags: int) -> None:
        """Write ``root`` and upload it atomically (see the module doc).

        :raises StorageError: ``STG_E_NOTCURRENT`` when ``STGC_ONLYIFCURRENT`` is set and the
            object changed since it was opened; ``STG_E_WRITEFAULT`` (or
            ``STG_E_ACCESSDENIED``/``STG_E_MEDIUMFULL``) when writing or uploading fails —
            the previous object is then unchanged.
        """
        if self._closed:
            raise stg_error(STG.STG_E_REVERTED, f"{self.target.url} was closed")
        if not self.target.writable:
            raise stg_error(STG.STG_E_ACCESSDENIED, f"{self.target.url} cannot be written")
        if flags & STGC_ONLYIFCURRENT:
            now = _version_key(object_info(self.target))
            if now != self.version:
                raise stg_error(
                    STG.STG_E_NOTCURRENT,
                    f"{self.target.url} changed since it was opened; not overwritten",
                )
        from imsg_backends.cfb.writer import write_cfb

        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)  # noqa: SIM115 - closed below
        try:
            try:
                write_cfb(root, spool, version=self.cfb_version)
            except StorageError:
                raise
            except OSError as exc:
                raise io_error(
                    exc,
                    f"writing the new version of {self.target.url} to a temporary file",
                    STG.STG_E_WRITEFAULT,
                ) from exc
            size = spool.tell()
            spool.seek(0)
            self._upload(spool, size)
        except BaseException:
            spool.close()
            raise
        # The new object is in place: from here on nothing may fail the commit.
        etag = self._last_etag
        if etag is not None:
            self.version = ("ETag", etag, size)
        else:
            try:
                self.version = _version_key(object_info(self.target))
            except StorageError:
                self.version = None
        self._rebind(root, spool, size)

    def _upload(self, spool: Any, size: int) -> None:
        t = self.target
        record: dict[str, object] = {"bytes": size}
        multipart = size > self.single_put_limit and t.protocol in DEFERRED_COMMIT_PROTOCOLS
        record["method"] = "multipart" if multipart else "put"
        create = self.exclusive
        result: object = None
        self._last_etag = None
        try:
            if create and t.protocol not in CONDITIONAL_PUT_PROTOCOLS and t.fs.exists(t.path):
                raise FileExistsError(f"{t.url} was created by someone else meanwhile")
            if multipart:
                self._multipart(spool)
            elif t.protocol in LOCAL_PROTOCOLS:
                record["method"] = "replace"
                _replace_local(t.path, spool, exclusive=create)
            elif t.protocol in CONDITIONAL_PUT_PROTOCOLS and create:
                result = t.fs.pipe_file(t.path, spool.read(), mode="create")  # If-None-Match
            elif t.protocol in ATOMIC_PUT_PROTOCOLS:
                result = t.fs.pipe_file(t.path, spool.read())
            else:
                record["method"] = "put+move"
                self._put_and_move(spool)
        except FileExistsError as exc:
            raise stg_error(
                STG.STG_E_FILEALREADYEXISTS,
                f"{t.url} was opened for exclusive creation (mode 'x') but exists now; "
                "nothing was written",
            ) from exc
        except StorageError:
            raise
        except BaseException as exc:
            if not isinstance(exc, Exception):
                raise
            raise io_error(
                exc,
                f"uploading {size} bytes to {t.url} (the previous object is unchanged)",
                STG.STG_E_WRITEFAULT,
            ) from exc
        if isinstance(result, dict) and isinstance(result.get("ETag"), str):
            self._last_etag = result["ETag"]  # the PUT's answer: no HEAD needed
        self.uploads.append(record)
        self.exclusive = False  # later commits replace the object this one created

    def _put_and_move(self, spool: Any) -> None:
        """Filesystems whose writes are not atomic (SFTP, FTP, ...): write a temporary object
        beside the target, then move it over the target (a rename where the fs has one)."""
        t = self.target
        tmp = f"{t.path}.imsg-{uuid.uuid4().hex}.tmp"
        try:
            t.fs.pipe_file(tmp, spool.read())
            t.fs.mv(tmp, t.path)
        except BaseException:
            with contextlib.suppress(Exception):
                t.fs.rm_file(tmp)
            raise

    def _multipart(self, spool: Any) -> None:
        t = self.target
        mode = "xb" if self.exclusive else "wb"  # "xb": completion with If-None-Match: *
        f = t.fs.open(t.path, mode, autocommit=False, block_size=self.part_size)
        try:
            shutil.copyfileobj(spool, f, _COPY)
            f.close()  # sends the last part; with autocommit=False nothing is completed yet
            f.commit()  # one CompleteMultipartUpload: the new object appears whole
        except BaseException:
            with contextlib.suppress(Exception):  # best effort; S3 expires stale uploads
                f.discard()  # AbortMultipartUpload: the parts are dropped
            f.closed = True  # never let a later close()/__del__ complete or retry it
            raise

    def _rebind(self, root: StorageNode, spool: Any, size: int) -> None:
        """Point stream data still read lazily from the old object at the new object.

        Up to :attr:`local_copy_limit` bytes, the copy just uploaded is kept and read (no
        request); above it the new object is re-opened remotely (its metadata only), and if
        that fails the local copy is read after all, so a commit that uploaded never reports
        failure afterwards.
        """
        old = self.reader
        pending: list[tuple[str, Any]] = []
        if old is not None:
            for path, node in root.walk():
                if isinstance(node, StreamNode) and getattr(node.data, "reader", None) is old:
                    pending.append((path, node.data))
        if old is None or not pending:
            spool.close()
            if old is not None:
                old.source.close()
            self.reader = None
            return
        from .reader import RemoteCFBReader

        def local_copy() -> Any:
            return RemoteCFBReader(
                FsspecFileSource(spool, size, url=f"{self.target.url} (local copy)"),
                owns_source=True,
            )

        if size <= self.local_copy_limit:
            new = local_copy()  # what was just uploaded, read without a request
        else:
            try:
                new = open_reader(self.target)
                spool.close()
            except StorageError:
                new = local_copy()
        index = {new.path_of(i): i for i in range(1, len(new.entries)) if new.entries[i].type}
        for path, data in pending:
            data.rebind(new, index[path])
        old.source.close()
        self.reader = new

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.reader is not None:
            self.reader.source.close()


def _replace_local(path: str, spool: Any, *, exclusive: bool = False) -> None:
    """Local files reached through fsspec: write aside in the same directory, fsync, then
    ``os.replace`` (atomic on POSIX and Windows); ``exclusive``: ``os.link`` instead, which
    fails if the target exists."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".imsg-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(spool, out, _COPY)
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def open_reader(target: Target) -> Any:
    """A :class:`RemoteCFBReader` over the object's current version.

    :raises StorageError: ``STG_E_FILENOTFOUND`` if it does not exist; the reader's errors.
    """
    from .reader import RemoteCFBReader

    info = object_info(target)
    if info is None:
        raise stg_error(STG.STG_E_FILENOTFOUND, f"no object at {target.url}")
    source = open_source(target, info)
    try:
        return RemoteCFBReader(source, owns_source=True)
    except BaseException:
        source.close()
        raise
