"""The storage contract: IStorage and IStream in Python form.

Every backend returns a :class:`Storage`; the message layer sees nothing else. The semantics
are those of OLE structured storage (``spec/cfb.md`` §10):

* A storage holds named **elements**: streams (byte sequences) and sub-storages. Names
  follow the compound-file rules (:func:`check_name`), so anything a backend accepts can be
  written to a real compound file: at most 31 UTF-16 code units, none of ``/ \\ : !``, and
  unique among siblings ignoring case.
* ``open_*`` fails with ``STG_E_FILENOTFOUND`` for a missing element; ``create_*`` fails
  with ``STG_E_FILEALREADYEXISTS`` for an existing one unless ``overwrite=True``.
* A child's access never exceeds its parent's: writing through a read-only storage raises
  ``STG_E_ACCESSDENIED``.
* A **transacted** storage collects changes to itself and its descendants until
  :meth:`Storage.commit` publishes them one level up (the root publishes to the medium,
  atomically) or :meth:`Storage.revert` discards them, after which its open children raise
  ``STG_E_REVERTED``.
* Streams are :class:`io.RawIOBase` objects (``read``/``readinto``/``write``/``seek``/
  ``tell``/``truncate``), so ``shutil.copyfileobj``, ``io.BufferedReader`` and the rest of
  the Python I/O world work on them.
* Elements are enumerated in compound-file tree order (:func:`name_sort_key`).
* After release (``close()`` or the session closing) every call raises
  :class:`~imsg_core.errors.ObjectDeletedError` (``STG_E_REVERTED``).
"""

from __future__ import annotations

import abc
import enum
import functools
import io
import struct
import uuid
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Literal

from .errors import STG
from .errors import stg_error

if TYPE_CHECKING:
    from ._registry import Registry

__all__ = [
    "MAX_NAME_LENGTH",
    "BackendInfo",
    "Capabilities",
    "ElementType",
    "Mode",
    "StatStg",
    "Storage",
    "Stream",
    "check_name",
    "name_sort_key",
    "parse_mode",
]

#: Longest element name, in UTF-16 code units, excluding the terminating NUL.
MAX_NAME_LENGTH = 31
_FORBIDDEN = frozenset("/\\:!")
#: The all-zero CLSID ("no class").
NULL_CLSID = uuid.UUID(int=0)


class ElementType(enum.IntEnum):
    """``STGTY_*``: what an element is."""

    STORAGE = 1
    STREAM = 2
    LOCKBYTES = 3
    PROPERTY = 4


Mode = Literal["r", "r+", "w", "x"]
"""How a storage is opened.

* ``"r"``  read only (the object must exist);
* ``"r+"`` read/write, transacted (the object must exist);
* ``"w"``  create empty, replacing any existing object when committed;
* ``"x"``  create, failing with ``STG_E_FILEALREADYEXISTS`` if it exists.
"""

_MODES: frozenset[str] = frozenset({"r", "r+", "w", "x"})


def parse_mode(mode: str) -> Mode:
    """Validate a mode string; raise ``STG_E_INVALIDFLAG`` for anything else."""
    if mode not in _MODES:
        raise stg_error(STG.STG_E_INVALIDFLAG, f"mode {mode!r} is not one of 'r', 'r+', 'w', 'x'")
    return mode  # type: ignore[return-value]


@dataclass(frozen=True)
class Capabilities:
    """What a backend's storages can do. Declared by the backend, never guessed.

    Attributes:
        readable: elements can be enumerated and streams read.
        writable: elements can be created, changed, renamed and destroyed.
        transacted: changes are held until :meth:`Storage.commit` and can be reverted.
    """

    readable: bool = True
    writable: bool = False
    transacted: bool = False

    def as_list(self) -> list[str]:
        """Names of the capabilities present, e.g. ``["readable", "writable"]``."""
        return [n for n in ("readable", "writable", "transacted") if getattr(self, n)]


@dataclass(frozen=True)
class BackendInfo:
    """What a backend says about itself (the ``imsg_core_describe_backend`` hook).

    Attributes:
        name: the plugin name (the entry-point name).
        description: one line for ``imsg backends``.
        schemes: URL schemes or location kinds it claims (``"file"``, ``"mem"``, ``"s3"``...).
        capabilities: what its storages can do.
        catch_all: True for a ``trylast`` backend that takes whatever others pass on.
    """

    name: str
    description: str
    schemes: tuple[str, ...] = ()
    capabilities: Capabilities = field(default_factory=Capabilities)
    catch_all: bool = False


@dataclass(frozen=True)
class StatStg:
    """``STATSTG``: what :meth:`Storage.stat`, :meth:`Stream.stat` and listing return.

    ``size`` is 0 for storages. ``clsid`` and ``state_bits`` are meaningful for storages only;
    times are ``None`` when the medium does not record them (compound-file streams never do).
    """

    name: str
    type: ElementType
    size: int = 0
    clsid: uuid.UUID = NULL_CLSID
    state_bits: int = 0
    ctime: datetime | None = None
    mtime: datetime | None = None
    atime: datetime | None = None
    mode: str = "r"
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def _quick(  # noqa: PLR0917 - mirrors the constructor's positional fields
        cls,
        name: str,
        type: ElementType,
        size: int = 0,
        mode: str = "r",
        clsid: uuid.UUID = NULL_CLSID,
        state_bits: int = 0,
        ctime: datetime | None = None,
        mtime: datetime | None = None,
    ) -> StatStg:
        """The same as the constructor, without the frozen-dataclass ``__init__`` (which
        costs one ``object.__setattr__`` per field: listings make one per element)."""
        self = object.__new__(cls)
        self.__dict__.update(
            name=name,
            type=type,
            size=size,
            clsid=clsid,
            state_bits=state_bits,
            ctime=ctime,
            mtime=mtime,
            atime=None,
            mode=mode,
            extra={},
        )
        return self

    @property
    def is_storage(self) -> bool:
        """True for storages (including the root)."""
        return self.type == _STORAGE

    @property
    def is_stream(self) -> bool:
        """True for streams."""
        return self.type == _STREAM


_STORAGE, _STREAM = ElementType.STORAGE, ElementType.STREAM  # (enum attribute lookups are slow)


def check_name(name: object, where: str = "") -> str:
    """Return ``name`` if it is a valid element name, else raise ``STG_E_INVALIDNAME``.

    Valid: a ``str`` of 1..31 UTF-16 code units without ``/ \\ : !``. Names starting with a
    character below U+0020 are allowed (OLE uses ``\\x01CompObj``, ``\\x05Summary...``).
    ``where`` (a path) is named in the error message.
    """
    if not isinstance(name, str):
        place = f" in {where}" if where else ""
        raise stg_error(
            STG.STG_E_INVALIDNAME, f"element name must be str, not {type(name).__name__}{place}"
        )
    # (a str subclass may compare equal to another text: the memo sees the plain str)
    problem = name_problem(str(name))
    if problem is not None:
        raise stg_error(STG.STG_E_INVALIDNAME, f"{problem} in {where}" if where else problem)
    return name


@functools.lru_cache(maxsize=8192)
def name_problem(name: str) -> str | None:
    """What makes ``name`` an invalid element name, or ``None`` when it is valid.

    A pure function, memoised (``.msg`` files repeat the same few hundred names) in a
    bounded :func:`functools.lru_cache`; ``name_problem.cache_clear()`` empties it.
    """
    if not name:
        return "element name is empty"
    units = len(name.encode("utf-16-le", "surrogatepass")) // 2
    if units > MAX_NAME_LENGTH:
        return (
            f"element name {name!r} is {units} UTF-16 code units long; the limit is "
            f"{MAX_NAME_LENGTH}"
        )
    bad = sorted(set(name) & _FORBIDDEN)
    if bad:
        return f"element name {name!r} contains forbidden character(s) {''.join(bad)!r}"
    if "\x00" in name:
        return f"element name {name!r} contains NUL"
    return None


def _upper_unit(unit: int) -> int:
    if 0xD800 <= unit <= 0xDFFF:  # never upper-case surrogate halves
        return unit
    up = chr(unit).upper()
    if len(up) != 1 or ord(up) > 0xFFFF:  # simple (1:1) mapping only
        return unit
    return ord(up)


@functools.lru_cache(maxsize=8192)
def name_sort_key(name: str) -> tuple[int, bytes]:
    """The compound-file ordering key of a name (spec cfb.md §6). Cached: .msg files
    repeat the same few hundred names.

    Shorter names sort first; equal lengths compare UTF-16 code units upper-cased with the
    simple (1:1) mapping. Two names with equal keys collide (case-insensitive uniqueness).
    The key is ``(code units, upper-cased units as big-endian bytes)``: bytes compare unit
    by unit like the units themselves, and sort and hash much faster than a tuple of ints.
    """
    if name.isascii():  # the usual case, computed in C
        return (len(name), name.upper().encode("utf-16-be"))
    raw = name.encode("utf-16-le", "surrogatepass")
    units = [_upper_unit(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2)]
    return (len(units), struct.pack(f">{len(units)}H", *units))


class Stream(io.RawIOBase):
    """An open stream (IStream). A :class:`io.RawIOBase`, plus ``stat``/``size``/``name``.

    Contract beyond :class:`io.RawIOBase`:

    * reading at or past the end returns ``b""``; seeking before 0 raises
      ``STG_E_INVALIDFUNCTION``; seeking past the end is allowed and a later write fills the
      gap with zeros;
    * ``write``/``truncate`` on a stream opened read-only raise ``STG_E_ACCESSDENIED``;
    * after release every call raises :class:`~imsg_core.errors.ObjectDeletedError`.
    """

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The element name of this stream."""

    @property
    @abc.abstractmethod
    def size(self) -> int:
        """Current length in bytes."""

    @abc.abstractmethod
    def stat(self) -> StatStg:
        """``IStream::Stat``."""

    def readall(self) -> bytes:
        """Read from the current position to the end in one call."""
        chunks = []
        while True:
            chunk = self.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


class Storage(abc.ABC):
    """An open storage (IStorage). Backends implement the abstract methods.

    A storage is its own context manager: leaving the block releases it (and its open
    children) through the owning session, exactly as :meth:`close` does.
    """

    #: Which backend made this storage (its registered plugin name).
    backend: str = ""

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """Element name ("Root Entry" for a root storage)."""

    @property
    @abc.abstractmethod
    def mode(self) -> Mode:
        """The mode this storage was opened with; children inherit at most this access."""

    @property
    @abc.abstractmethod
    def capabilities(self) -> Capabilities:
        """What this storage supports."""

    @property
    def writable(self) -> bool:
        """True when elements can be changed through this storage."""
        return self.mode != "r"

    @property
    @abc.abstractmethod
    def parent(self) -> Storage | None:
        """The storage this one was opened from, or ``None`` for a root."""

    @property
    @abc.abstractmethod
    def session(self) -> Registry | None:
        """The session that registered this storage, if any."""

    # -- enumeration ------------------------------------------------------------------
    @abc.abstractmethod
    def list(self) -> list[StatStg]:
        """``EnumElements``: every child element, in compound-file tree order."""

    def __iter__(self) -> Iterator[StatStg]:
        return iter(self.list())

    def storage_names(self) -> Sequence[str]:
        """Names of the child storages, in compound-file tree order. The default derives
        them from :meth:`list`; backends may answer without building a stat per child."""
        return [e.name for e in self.list() if e.is_storage]

    @abc.abstractmethod
    def stat(self) -> StatStg:
        """``IStorage::Stat`` of this storage."""

    def exists(self, name: str) -> bool:
        """True when a child element with this name (any case) exists."""
        key = name_sort_key(name)
        return any(name_sort_key(e.name) == key for e in self.list())

    def stat_child(self, name: str) -> StatStg:
        """Stat of one child; ``STG_E_FILENOTFOUND`` if there is none."""
        key = name_sort_key(name)
        for e in self.list():
            if name_sort_key(e.name) == key:
                return e
        raise stg_error(STG.STG_E_FILENOTFOUND, f"no element {name!r} in {self.path!r}")

    @property
    def path(self) -> str:
        """Slash-joined element path from the root ("" for the root itself)."""
        parts: list[str] = []
        node: Storage | None = self
        while node is not None and node.parent is not None:
            parts.append(node.name)
            node = node.parent
        return "/".join(reversed(parts))

    # -- elements -----------------------------------------------------------------------
    @abc.abstractmethod
    def open_stream(self, name: str, mode: Literal["r", "r+"] = "r") -> Stream:
        """``OpenStream``. ``STG_E_FILENOTFOUND`` if missing or a storage."""

    @abc.abstractmethod
    def create_stream(self, name: str, *, overwrite: bool = False) -> Stream:
        """``CreateStream``: a new empty stream, open read/write."""

    @abc.abstractmethod
    def open_storage(self, name: str, mode: Literal["r", "r+"] | None = None) -> Storage:
        """``OpenStorage``. ``mode`` defaults to this storage's own access."""

    @abc.abstractmethod
    def create_storage(self, name: str, *, overwrite: bool = False) -> Storage:
        """``CreateStorage``: a new empty sub-storage, open read/write."""

    @abc.abstractmethod
    def destroy(self, name: str) -> None:
        """``DestroyElement``: remove an element (recursively for storages)."""

    @abc.abstractmethod
    def rename(self, old: str, new: str) -> None:
        """``RenameElement``."""

    # -- attributes ----------------------------------------------------------------------
    @abc.abstractmethod
    def set_class(self, clsid: uuid.UUID) -> None:
        """``SetClass``: record the storage's CLSID."""

    @abc.abstractmethod
    def set_state_bits(self, bits: int, mask: int = 0xFFFFFFFF) -> None:
        """``SetStateBits``: ``new = (old & ~mask) | (bits & mask)``."""

    @abc.abstractmethod
    def set_element_times(
        self,
        name: str | None,
        *,
        ctime: datetime | None = None,
        mtime: datetime | None = None,
        atime: datetime | None = None,
    ) -> None:
        """``SetElementTimes`` on a child storage (``name``) or on this storage (``None``)."""

    # -- transactions ---------------------------------------------------------------------
    @abc.abstractmethod
    def commit(self, flags: int = 0) -> None:
        """Publish this storage's changes one level up (a root: to the medium, atomically).

        On a non-transacted child this is a no-op. ``STGC_ONLYIFCURRENT`` (2) on a root
        raises ``STG_E_NOTCURRENT`` when the medium changed since it was opened, if the
        backend can tell.
        """

    @abc.abstractmethod
    def revert(self) -> None:
        """Discard changes since the last commit; open children become unusable."""

    # -- lifetime -----------------------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None:
        """Release this storage and everything opened from it. Idempotent."""

    @property
    @abc.abstractmethod
    def closed(self) -> bool:
        """True once released."""

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- conveniences built on the primitives (backends need not override) -----------
    def read_stream(self, name: str) -> bytes:
        """Open a stream, read it whole, close it."""
        with self.open_stream(name) as s:
            return s.readall()

    def write_stream(self, name: str, data: bytes) -> None:
        """Create or replace a stream with ``data``."""
        with self.create_stream(name, overwrite=True) as s:
            view = memoryview(data)
            while view:
                n = s.write(view)
                if not n:
                    raise stg_error(STG.STG_E_WRITEFAULT, f"short write to {name!r}")
                view = view[n:]

    def write_storage(self, name: str, streams: Mapping[str, bytes]) -> None:
        """Create or replace child storage ``name`` holding exactly ``streams`` (name to
        bytes) and commit it into this storage, without handing out a storage object. The
        default goes through :meth:`create_storage`, :meth:`write_stream` and ``commit``;
        backends may build the storage directly. Raises what those raise."""
        with self.create_storage(name, overwrite=True) as st:
            for stream, data in streams.items():
                st.write_stream(stream, data)
            st.commit()

    def walk(self) -> Iterator[tuple[str, StatStg]]:
        """Every element below this storage, depth first, as ``(path, stat)``."""
        for entry in self.list():
            yield entry.name, entry
            if entry.is_storage:
                with self.open_storage(entry.name, "r") as child:
                    for sub, st in child.walk():
                        yield f"{entry.name}/{sub}", st

    def copy_to(self, dest: Storage, exclude: frozenset[str] | set[str] = frozenset()) -> None:
        """``IStorage::CopyTo``: copy every element (minus ``exclude`` names) into ``dest``.

        Existing elements of ``dest`` with the same names are replaced; CLSIDs and state
        bits of storages are copied. Streams are copied in chunks, never whole.
        """
        skip = {name_sort_key(n) for n in exclude}
        info = self.stat()
        dest.set_class(info.clsid)
        dest.set_state_bits(info.state_bits)
        for entry in self.list():
            if name_sort_key(entry.name) in skip:
                continue
            if entry.is_storage:
                with (
                    self.open_storage(entry.name, "r") as src,
                    dest.create_storage(entry.name, overwrite=True) as dst,
                ):
                    src.copy_to(dst)
                    dst.commit()
            else:
                with (
                    self.open_stream(entry.name) as src_s,
                    dest.create_stream(entry.name, overwrite=True) as dst_s,
                ):
                    _copy_stream(src_s, dst_s)


def _copy_stream(src: Stream, dst: Stream, chunk: int = 1 << 20) -> None:
    # A buffer no larger than what is left: most .msg streams are tiny, and zeroing 1 MiB
    # per copied stream dominated copying a message.
    buf = bytearray(max(1, min(chunk, src.size - src.tell())))
    view = memoryview(buf)
    while True:
        n = src.readinto(view)
        if not n:
            return
        part = view[:n]
        while part:
            w = dst.write(part)
            if not w:
                raise stg_error(STG.STG_E_WRITEFAULT, f"short write to {dst.name!r}")
            part = part[w:]


def copy_stream(src: Stream, dst: Stream, chunk: int = 1 << 20) -> None:
    """Copy the rest of ``src`` into ``dst`` in ``chunk``-sized pieces."""
    _copy_stream(src, dst, chunk)
