"""Where a compound-file tree is persisted: local files (atomically), file objects, nowhere.

:class:`OleFileMedium` commits by writing the whole file aside (a temporary file in the same
directory), flushing and ``fsync``-ing it, renaming it over the target with ``os.replace`` and
``fsync``-ing the directory. A reader — or a crash — at any instant sees the old file or the
new one. A new file (nothing at its name when opened) is written unnamed where the system
allows it (Linux ``O_TMPFILE``) and given its name with one hard link, which fails if the name
was taken meanwhile (mode ``"x"`` then refuses, mode ``"w"`` writes aside and replaces): a
reader sees no file or the whole file, and a crash leaves no temporary file behind. On any
failure (an exception while writing, a full disk, a permission problem) the temporary file is
removed, the original stays byte-identical and a
:class:`~imsg_core.errors.StorageError` is raised (``STG_E_MEDIUMFULL``,
``STG_E_ACCESSDENIED``, ``STG_E_WRITEFAULT``, or the error the stream data raised).

``durable=False`` (backend option ``durable``) skips the two ``fsync`` calls. The commit is
still atomic against a *process* crash or kill and against concurrent readers (the rename is
atomic and the kernel has the data); only a power loss or kernel crash shortly after the
commit may lose it — or, on file systems that do not order the data before the rename, leave
an empty or partial file. Use it for bulk pipelines that can re-run after such a failure;
the default is ``durable=True``.

After a successful commit the new file is opened and every lazily-read stream of the committed
tree is re-pointed at it (:meth:`CFBStreamData.rebind`), so the old file's descriptor can be
closed (a tree without lazily-read streams, e.g. a new message, is not read back). Stream
data not part of the committed tree keeps its old reader (and that reader's descriptor, which
still reads the replaced file's bytes on POSIX) until it is released.

:class:`FileObjectMedium` writes into a caller's seekable file object (write aside to a
temporary file first, then copy back; not atomic against crashes — a file object has no
rename). :class:`ReadOnlyMedium` refuses to persist (bytes in memory).
"""

from __future__ import annotations

import contextlib
import enum
import errno
import itertools
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from typing import BinaryIO
from typing import NoReturn

from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import ByteSource
from imsg_backends.cfb.sources import FileSource
from imsg_backends.cfb.sources import SeekableSource
from imsg_backends.cfb.streams import CFBStreamData
from imsg_backends.cfb.writer import FdOutput
from imsg_backends.cfb.writer import write_cfb
from imsg_core.backend import STG
from imsg_core.backend import BytesData
from imsg_core.backend import Capabilities
from imsg_core.backend import StorageError
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.backend import TreeMedium
from imsg_core.backend import stg_error

__all__ = [
    "STGC_ONLYIFCURRENT",
    "FileObjectMedium",
    "LocalFileState",
    "OleFileMedium",
    "ReadOnlyMedium",
    "os_error",
    "rebind_tree",
    "sweep_stale_temps",
]

STGC_ONLYIFCURRENT = 2
WRITABLE = Capabilities(readable=True, writable=True, transacted=True)
READ_ONLY = Capabilities(readable=True, writable=False, transacted=False)


def os_error(exc: OSError, doing: str) -> StorageError:
    """The :class:`StorageError` for an ``OSError`` raised while ``doing`` something."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return stg_error(STG.STG_E_MEDIUMFULL, f"disk full while {doing}: {exc}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(exc, PermissionError):
        return stg_error(STG.STG_E_ACCESSDENIED, f"permission denied while {doing}: {exc}")
    if isinstance(exc, FileNotFoundError):
        return stg_error(STG.STG_E_PATHNOTFOUND, f"path not found while {doing}: {exc}")
    return stg_error(STG.STG_E_WRITEFAULT, f"I/O error while {doing}: {exc}")


def rebind_tree(old: StorageNode, new: StorageNode) -> int:
    """Re-point the lazily-read stream data of ``old`` at the same streams of ``new`` (a
    fresh read of the file ``old`` was just written to). Returns how many were re-pointed."""
    count = 0
    stack = [(old, new)]
    while stack:
        a, b = stack.pop()
        for key, child in a.children.items():
            other = b.children.get(key)
            if isinstance(child, StorageNode):
                if isinstance(other, StorageNode):
                    stack.append((child, other))
            elif isinstance(other, StreamNode):
                data, fresh = child.data, other.data
                if isinstance(data, CFBStreamData) and isinstance(fresh, CFBStreamData):
                    data.rebind(fresh.reader, fresh.index)
                    count += 1
    return count


class _ReaderKeeper:
    """The current reader plus older ones still referenced by stream data (weakly)."""

    def __init__(self, reader: CFBReader | None) -> None:
        self.current = reader
        # made at the first replace (most media never replace a reader)
        self._old: weakref.WeakSet[CFBReader] | None = None
        if reader is not None:
            _close_when_collected(reader)

    def replace(self, reader: CFBReader) -> None:
        if self.current is not None:
            if self._old is None:
                self._old = weakref.WeakSet()
            self._old.add(self.current)
        _close_when_collected(reader)
        self.current = reader

    def close(self) -> None:
        for r in list(self._old or ()):
            r.close()
            r.source.close()
        if self.current is not None:
            self.current.close()
            self.current.source.close()


def _close_when_collected(reader: CFBReader) -> None:
    weakref.finalize(reader, reader.source.close)


class _Unknown(enum.Enum):
    TOKEN = 0


def _key_of(st: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is the one we last saw (STGC_ONLYIFCURRENT)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class OleFileMedium(TreeMedium):
    """A local compound file, committed atomically (see the module doc).

    :param path: the target file.
    :param reader: the reader of the existing file (``None`` when creating).
    :param version: compound-file version to write (3, 4 or ``None``: the existing file's
        version, else automatic).
    :param exclusive: the first commit must not replace an existing file (mode ``"x"``).
    :param durable: ``fsync`` the new file and its directory on commit (default); ``False``
        keeps the atomic rename but not the power-loss durability (see the module doc).
    :param stat_result: the caller's ``os.stat(path)`` taken just before (``None``: no file
        there), so the medium need not stat it again; by default it does.
    :param is_link: whether ``path`` is a symbolic link, when the caller just looked (by
        default the medium looks).
    :param state: what commits remember across media (:class:`LocalFileState`); the plugin
        passes its own (:data:`imsg_backends.ole.STATE`). By default the medium has its own.
    """

    capabilities = WRITABLE
    keeps_tree = False  # the tree is written out (and lazily-read data re-pointed), no more

    def __init__(
        self,
        path: str,
        reader: CFBReader | None,
        *,
        version: int | None = None,
        exclusive: bool = False,
        durable: bool = True,
        stat_result: os.stat_result | _Unknown | None = _Unknown.TOKEN,
        is_link: bool | None = None,
        state: LocalFileState | None = None,
    ) -> None:
        self.path = os.path.abspath(path)
        self.state = LocalFileState() if state is None else state
        # Commit replaces the file a symlink points to, keeping the link (``is_link``: the
        # caller just looked).
        link = os.path.islink(self.path) if is_link is None else is_link
        self._target = os.path.realpath(self.path) if link else self.path
        self._readers = _ReaderKeeper(reader)
        if version is None and reader is not None:
            version = 4 if reader.sector_size == 4096 else 3
        self.version = version
        self._exclusive = exclusive
        self.durable = durable
        if stat_result is _Unknown.TOKEN:
            self._stat_key = self._current_key()
        else:  # the caller's os.stat of ``path`` just now (None: it does not exist)
            self._stat_key = (
                _key_of(stat_result) if isinstance(stat_result, os.stat_result) else None
            )
        self.commits = 0

    @property
    def reader(self) -> CFBReader | None:
        """The reader of the file as last opened or committed."""
        return self._readers.current

    def describe(self) -> str:
        return self.path

    def _current_key(self) -> tuple[int, int, int, int] | None:
        try:
            return _key_of(os.stat(self._target))
        except OSError:
            return None

    def persist(self, root: StorageNode, flags: int) -> None:
        if flags & STGC_ONLYIFCURRENT and self._current_key() != self._stat_key:
            raise stg_error(
                STG.STG_E_NOTCURRENT, f"{self.path} changed on disk since it was opened"
            )
        target = self._target
        directory = os.path.dirname(target)
        base = os.path.basename(target)
        doing = f"writing {self.path}"
        written: tuple[int, int, int, int] | None = None
        if self._stat_key is None:  # no file there when opened: a new file
            written = self._persist_anonymous(root, directory, target, doing)
        if written is None:
            written = self._persist_aside(root, directory, base, target, doing)
        if self.durable:
            _fsync_dir(directory)
        self._exclusive = False
        self.commits += 1
        self._stat_key = written
        self.state.sweeper.sweep(directory, base)
        self._reopen(root)

    def _persist_anonymous(
        self, root: StorageNode, directory: str, target: str, doing: str
    ) -> tuple[int, int, int, int] | None:
        """Write a new file as an unnamed one in ``directory`` (``O_TMPFILE``) and give it
        its name with one hard link, which fails if the name is taken: one directory change
        instead of two (create aside, rename), and a crash mid-write leaves nothing behind.
        Returns the file's key, or ``None`` when this way is not available (the platform,
        the file system, no ``/proc``) or the name was taken meanwhile in mode ``"w"``; the
        caller then writes aside and renames."""
        fd = _open_anonymous(directory, self.path, self.state.anon_refused)
        if fd is None:
            return None
        try:
            try:
                written = self._write_fd(root, fd)
                linked = _link_anonymous(
                    fd, target, exclusive=self._exclusive, refused=self.state.anon_refused
                )
            finally:
                os.close(fd)
        except BaseException as exc:
            _raise_persist_error(exc, doing)
        return written if linked else None

    def _write_fd(self, root: StorageNode, fd: int) -> tuple[int, int, int, int]:
        """Write ``root`` into the new file ``fd`` (``fsync`` when durable) and return the
        file's key (what the target will have once published). The descriptor itself is
        written: write_cfb gathers its pieces (a small file is one writev), and no file
        object is made, whose creation costs an fstat."""
        write_cfb(root, FdOutput(fd), version=self.version)
        if self.durable:
            os.fsync(fd)
        return _key_of(os.fstat(fd))

    def _persist_aside(
        self, root: StorageNode, directory: str, base: str, target: str, doing: str
    ) -> tuple[int, int, int, int]:
        """Write the file aside under a temporary name and rename it over ``target``."""
        tmp, fd = self.state.create_temp(directory, base, self.path)
        try:
            try:
                written = self._write_fd(root, fd)
            finally:
                os.close(fd)
            if self._stat_key is not None:  # (None: no file there when opened)
                with contextlib.suppress(OSError):  # the replaced file keeps its mode
                    st = os.stat(target)
                    os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if self._exclusive:
                _publish_exclusive(tmp, target)
            else:
                os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            _raise_persist_error(exc, doing)
        return written

    def _reopen(self, root: StorageNode) -> None:
        """Read the new file and re-point the committed tree's lazy data at it. A failure
        here cannot undo the commit; the old readers then simply stay in use. A tree with
        no lazily-read data (a new message: every stream was written) has nothing to
        re-point, and the file is not read back. Lazily-read data only ever comes from this
        medium's own readers (trees never share stream data), so a file created new and
        never read has none, and its tree is not even walked."""
        if self._readers.current is None or not _has_lazy_data(root):
            return
        try:
            reader = CFBReader(FileSource(self._target), owns_source=True)
        except StorageError:  # pragma: no cover - our own output always parses
            return
        self._readers.replace(reader)
        rebind_tree(root, reader.root)

    def close(self) -> None:
        self._readers.close()


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create_temp(directory: str, base: str, path: str, tag: int) -> tuple[str, int]:
    """Create (``O_EXCL``) the temporary file of a commit of ``base`` in ``directory``:
    ``.<base>.<12 hex digits>.tmp``, the digits ``tag``'s; a name taken already (another
    process's sequence met this one) is retried with random digits."""
    for _attempt in range(8):
        tmp = os.path.join(directory, f".{base}.{tag:012x}.tmp")
        try:
            return tmp, os.open(tmp, _TEMP_FLAGS, 0o666)
        except FileExistsError:
            tag = int.from_bytes(os.urandom(6), "big")
        except OSError as exc:
            raise os_error(exc, f"creating a temporary file next to {path}") from exc
    raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"no free temporary file name next to {path}")


def _has_lazy_data(root: StorageNode) -> bool:
    """True when some stream of ``root`` still reads from a compound file."""
    stack = [root]
    while stack:
        for child in stack.pop().children.values():
            if type(child) is StreamNode:
                if type(child.data) is BytesData:  # written data: the usual case
                    continue
                if isinstance(child.data, CFBStreamData):
                    return True
            elif isinstance(child, StorageNode):
                stack.append(child)
            elif isinstance(child.data, CFBStreamData):
                return True
    return False


_NO_LINK = {
    errno.EPERM,
    errno.ENOSYS,
    getattr(errno, "ENOTSUP", -1),
    getattr(errno, "EOPNOTSUPP", -1),
}


#: A commit's temporary file untouched for this long belongs to a writer that died.
STALE_TEMP_SECONDS = 3600
#: A directory is listed for such files at most this often per process (commits in between
#: use that listing), so writing n files into one directory costs n listings no more.
SWEEP_INTERVAL_SECONDS = 60.0
_TEMP_RE = re.compile(r"^\.(?P<base>.+)\.[0-9a-f]{12}\.tmp$")
_SWEEP_DIRS = 256  # directories whose listing is remembered


def _temp_names(directory: str) -> dict[str, list[str]] | None:
    """Commit temp files in ``directory`` by the base name they were written for."""
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return None
    found: dict[str, list[str]] = {}
    for name in names:
        if name[:1] == "." and name[-4:] == ".tmp":
            m = _TEMP_RE.match(name)
            if m is not None:
                found.setdefault(m.group("base"), []).append(name)
    return found


def _remove_stale(directory: str, names: list[str], older_than: float) -> int:
    removed = 0
    limit = time.time() - older_than
    for name in names:
        path = os.path.join(directory, name)
        with contextlib.suppress(OSError):
            if os.lstat(path).st_mtime < limit:
                os.unlink(path)
                removed += 1
    return removed


def sweep_stale_temps(directory: str, base: str, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove ``.{base}.<12 hex>.tmp`` files in ``directory`` not modified for
    ``older_than`` seconds: what a commit killed mid-write leaves behind. A live commit keeps
    its file's mtime fresh, so it is never touched. Returns how many were removed; never
    raises (a sweep that cannot list or delete simply leaves the files)."""
    found = _temp_names(directory)
    return _remove_stale(directory, found.get(base, []), older_than) if found else 0


class Sweeper:
    """What a commit calls: :func:`sweep_stale_temps` over a listing of the directory at
    most :attr:`interval` seconds old (default :data:`SWEEP_INTERVAL_SECONDS`). A temp file
    left by a commit killed after the listing is found by the next listing (it cannot be
    stale before an hour anyway)."""

    def __init__(self, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._listings: OrderedDict[str, tuple[float, dict[str, list[str]]]] = OrderedDict()

    def sweep(self, directory: str, base: str) -> int:
        now = time.monotonic()
        with self._lock:
            seen = self._listings.get(directory)
            fresh = seen is not None and now - seen[0] < self.interval
            names = seen[1].pop(base, None) if seen is not None and fresh else None
        if not fresh:
            # Listed outside the lock: a slow directory holds up no other commit (two
            # threads may both list it; either listing is right).
            found = _temp_names(directory)
            if found is None:
                return 0
            names = found.pop(base, None)
            with self._lock:
                self._listings[directory] = (now, found)
                self._listings.move_to_end(directory)
                while len(self._listings) > _SWEEP_DIRS:
                    self._listings.popitem(last=False)
        return _remove_stale(directory, names, STALE_TEMP_SECONDS) if names else 0


class LocalFileState:
    """What the local-file backend remembers from one commit to the next, held by one
    object instead of module globals. The plugin module makes one
    (:data:`imsg_backends.ole.STATE`) and passes it to every :class:`OleFileMedium` it
    builds; a medium built without one has its own.

    Attributes:
        sweeper: the :class:`Sweeper` (directory listings, at most one per directory per
            interval).
        anon_refused: directories found not to take unnamed files (at most 64 kept).
        temp_tags: the sequence naming commit temporary files; it starts at a random value
            and belongs to the process that drew it (a forked child draws its own).
    """

    def __init__(self) -> None:
        self.sweeper = Sweeper()
        self.anon_refused: set[str] = set()
        self.temp_tags: itertools.count[int]
        self._pid = 0
        self._seed()

    def reset(self) -> None:
        """Forget everything: listings, refusing directories, and the temporary-name
        sequence (a new random start). For tests, or after file systems were remounted."""
        self.sweeper = Sweeper()
        self.anon_refused = set()
        self._seed()

    def _seed(self) -> None:
        self._pid = os.getpid()
        self.temp_tags = itertools.count(int.from_bytes(os.urandom(6), "big"))

    def next_tag(self) -> int:
        """The next 48-bit temporary-name tag (no system call for randomness per commit)."""
        if os.getpid() != self._pid:  # a forked child draws its own sequence
            self._seed()
        return next(self.temp_tags) & 0xFFFF_FFFF_FFFF

    def create_temp(self, directory: str, base: str, path: str) -> tuple[str, int]:
        """Create the temporary file of a commit of ``base`` in ``directory``:
        ``.<base>.<12 hex digits>.tmp`` (``O_EXCL``), the digits from :meth:`next_tag`.

        :raises StorageError: as the commit would (``STG_E_ACCESSDENIED``, ...).
        """
        return _create_temp(directory, base, path, self.next_tag())


def _raise_persist_error(exc: BaseException, doing: str) -> NoReturn:
    """Raise what a failed commit raises for ``exc``: a :class:`StorageError` as it is, an
    ``OSError`` mapped to its STG code, anything else as ``STG_E_WRITEFAULT`` (and
    ``KeyboardInterrupt`` and the like unchanged)."""
    if isinstance(exc, StorageError):
        raise exc
    if isinstance(exc, OSError):
        raise os_error(exc, doing) from exc
    if isinstance(exc, Exception):
        raise stg_error(STG.STG_E_WRITEFAULT, f"failed while {doing}: {exc!r}") from exc
    raise exc


#: Errors saying a file system (or kernel) has no unnamed files or cannot link them.
_NO_ANON = _NO_LINK | {errno.EISDIR, errno.EINVAL, errno.EXDEV}
_HAS_PROC_FD = sys.platform.startswith("linux") and os.path.isdir("/proc/self/fd")


def _open_anonymous(directory: str, path: str, refused: set[str]) -> int | None:
    """An unnamed file open for writing in ``directory`` (``O_TMPFILE``), or ``None``
    where there is none to have (``refused``: directories known not to take them; one that
    refuses now is added). Other failures (a missing directory, no permission, a full disk)
    raise, as creating a named temporary file would."""
    where = directory or "."
    if not _HAS_PROC_FD or not hasattr(os, "O_TMPFILE") or where in refused:
        return None
    try:
        return os.open(where, os.O_TMPFILE | os.O_WRONLY, 0o666)
    except OSError as exc:
        if exc.errno in _NO_ANON:
            if len(refused) < 64:
                refused.add(where)
            return None
        raise os_error(exc, f"creating a temporary file next to {path}") from exc


def _link_anonymous(fd: int, target: str, *, exclusive: bool, refused: set[str]) -> bool:
    """Name the unnamed file ``fd`` ``target`` (``linkat`` through ``/proc/self/fd``, which
    fails when ``target`` exists). False when it could not be linked this way or ``target``
    appeared meanwhile in mode ``"w"`` (the caller writes aside and replaces it)."""
    try:
        # An absolute source: the descriptor given as src_dir_fd only makes Python call
        # linkat (with AT_SYMLINK_FOLLOW) instead of link; the kernel ignores it.
        os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=fd, follow_symlinks=True)
    except FileExistsError as exc:
        if exclusive:
            raise stg_error(
                STG.STG_E_FILEALREADYEXISTS, f"{target} was created by someone else"
            ) from exc
        return False
    except OSError as exc:
        directory = os.path.dirname(target) or "."
        if exc.errno == errno.ENOENT and not os.path.isdir(directory):
            raise  # the directory went away: nothing can be written there
        if exc.errno not in _NO_ANON and exc.errno != errno.ENOENT:
            raise  # (ENOENT with the directory there: /proc/self/fd does not link here)
        if len(refused) < 64:
            refused.add(directory)
        return False
    return True


def _publish_exclusive(tmp: str, target: str) -> None:
    """Move ``tmp`` to ``target`` only if ``target`` does not exist (mode ``"x"``): a hard
    link fails atomically when it exists; file systems without hard links fall back to a
    check followed by a rename."""
    try:
        os.link(tmp, target)
    except FileExistsError as exc:
        raise stg_error(
            STG.STG_E_FILEALREADYEXISTS, f"{target} was created by someone else"
        ) from exc
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        if os.path.lexists(target):
            raise stg_error(
                STG.STG_E_FILEALREADYEXISTS, f"{target} was created by someone else"
            ) from exc
        os.replace(tmp, target)
        return
    with contextlib.suppress(OSError):  # published already; a stray temp name is harmless
        os.unlink(tmp)


def _fsync_dir(directory: str) -> None:
    try:
        dfd = os.open(directory or ".", os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(dfd)
    finally:
        os.close(dfd)


class FileObjectMedium(TreeMedium):
    """A caller's seekable binary file object, rewritten whole on commit.

    The new file is written to a temporary file first (the old content is still being read
    from the object), then copied over the object's content, which is truncated, flushed and
    ``fsync``-ed when it has a descriptor. Stream data still bound to the old content after
    the copy (not part of the committed tree) raises ``STG_E_REVERTED`` when read.
    """

    capabilities = WRITABLE

    def __init__(
        self, fileobj: BinaryIO, reader: CFBReader | None, *, version: int | None = None
    ) -> None:
        self.fileobj = fileobj
        self.reader = reader
        if version is None and reader is not None:
            version = 4 if reader.sector_size == 4096 else 3
        self.version = version
        self._name = str(getattr(fileobj, "name", None) or f"<{type(fileobj).__name__}>")

    def describe(self) -> str:
        return self._name

    def persist(self, root: StorageNode, flags: int) -> None:
        doing = f"writing {self._name}"
        try:
            with tempfile.TemporaryFile() as tmp:
                write_cfb(root, tmp, version=self.version)
                tmp.seek(0)
                f = self.fileobj
                f.seek(0)
                shutil.copyfileobj(tmp, f, 1 << 20)
                f.truncate()
                f.flush()
                with contextlib.suppress(OSError, AttributeError, ValueError):
                    os.fsync(f.fileno())
        except StorageError:
            raise
        except OSError as exc:
            raise os_error(exc, doing) from exc
        except Exception as exc:
            raise stg_error(STG.STG_E_WRITEFAULT, f"failed while {doing}: {exc!r}") from exc
        old = self.reader
        new = CFBReader(SeekableSource(self.fileobj, self._name))
        rebind_tree(root, new.root)
        if old is not None:
            old.source = _StaleSource(self._name, old.source.size)
        self.reader = new

    def close(self) -> None:
        """The file object belongs to the caller; nothing to release."""


class _StaleSource:
    """Stands in for a source whose bytes were overwritten in place."""

    def __init__(self, name: str, size: int) -> None:
        self._name = name
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def read_ranges(self, ranges: object) -> list[bytes]:
        raise stg_error(
            STG.STG_E_REVERTED,
            f"{self._name} was rewritten by a commit; this data belonged to its old content",
        )

    def describe(self) -> str:
        return self._name

    def close(self) -> None:
        """Nothing to release."""


class ReadOnlyMedium(TreeMedium):
    """A medium that cannot be written (bytes in memory, read-only sources)."""

    capabilities = READ_ONLY

    def __init__(self, source: ByteSource, reader: CFBReader | None = None) -> None:
        self.source = source
        self.reader = reader

    def describe(self) -> str:
        return self.source.describe()

    def persist(self, root: StorageNode, flags: int) -> None:
        raise stg_error(STG.STG_E_ACCESSDENIED, f"{self.describe()} is read-only")

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()  # frees its tables; closes the source only if it owns it
