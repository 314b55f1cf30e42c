"""IMAPIProp over one storage's property stream: the base of messages and attachments.

A :class:`PropObject` owns one storage holding a ``__properties_version1.0`` stream and the
``__substg1.0_*`` value streams next to it (spec oxmsg §2, §3). Contract:

* **Lazy.** Construction parses only the property stream (16 bytes per property). Values are
  decoded when asked for; large values can be read as streams with :meth:`open_property`,
  which returns the storage's own stream and never loads it.
* **Transacted.** Writes go into the object's storage, which is a transacted storage opened
  read/write: nothing is visible outside the object until :meth:`save_changes` writes the
  property stream and commits the storage one level up (for a top-level message, to the
  medium). Releasing the object without saving discards its changes.
* **Per-property errors.** :meth:`get_props` returns a value or a :class:`PropError` per
  requested tag (``MAPI_W_ERRORS_RETURNED`` style); :meth:`set_props` and
  :meth:`delete_props` return a list of :class:`PropProblem` instead of raising for the
  properties they could not change.
* **Attributes.** The PROPATTR bits of each entry's Flags field are enforced: a property
  without ``PROPATTR_READABLE`` reads as ``PropError(MAPI_E_NO_ACCESS)``; setting or
  deleting one without ``PROPATTR_WRITABLE``, or deleting a ``PROPATTR_MANDATORY`` one, is
  a ``MAPI_E_NO_ACCESS`` problem. New properties get ``READABLE | WRITABLE`` (0x6).
* **Release.** After :meth:`close` (or the session closing) every method raises
  :class:`~imsg_core.errors.ObjectDeletedError`.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal

from . import props as P
from ._propproblems import PropError
from ._propproblems import PropProblem
from ._storage import Storage
from ._storage import Stream
from .errors import SCODE
from .errors import AccessDeniedError
from .errors import CorruptDataError
from .errors import InvalidParameterError
from .errors import MAPIError
from .errors import NotFoundError
from .errors import ObjectDeletedError
from .props.codec import PROPERTIES_STREAM
from .props.constants import FORCE_SAVE
from .props.constants import KEEP_OPEN_READONLY
from .props.constants import KEEP_OPEN_READWRITE
from .props.constants import MAPI_DEFERRED_ERRORS
from .props.tags import PR_STORE_SUPPORT_MASK
from .props.types import DEFAULT_ATTRS
from .props.types import MV_FLAG
from .props.types import PROPATTR_MANDATORY
from .props.types import PROPATTR_NOT_PRESENT
from .props.types import PROPATTR_READABLE
from .props.types import PROPATTR_WRITABLE
from .props.types import PT_BINARY
from .props.types import PT_ERROR
from .props.types import PT_NULL
from .props.types import PT_OBJECT
from .props.types import PT_STRING8
from .props.types import PT_UNICODE
from .props.types import PT_UNSPECIFIED
from .props.types import pid
from .props.types import ptype

if TYPE_CHECKING:
    from ._registry import Registry

__all__ = [
    "DEFAULT_ATTRS",
    "FORCE_SAVE",
    "KEEP_OPEN_READONLY",
    "KEEP_OPEN_READWRITE",
    "MAPI_DEFERRED_ERRORS",
    "PROPATTR_MANDATORY",
    "PROPATTR_NOT_PRESENT",
    "PROPATTR_READABLE",
    "PROPATTR_WRITABLE",
    "PropError",
    "PropObject",
    "PropProblem",
    "TagLike",
    "pid",
    "ptype",
    "resolve",
    "storage_origin",
]

_SAVE_FLAGS = KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS
_STRING_TYPES = (PT_STRING8, PT_UNICODE)

TagLike = int | str


def resolve(tag: TagLike) -> int:
    """A tag from an int or a name (``"PR_SUBJECT"``, ``"subject"``, ``"0x0037001F"``)."""
    if isinstance(tag, bool):
        raise InvalidParameterError(f"{tag!r} is not a property tag")
    if isinstance(tag, int):
        if not 0 <= tag <= 0xFFFFFFFF:
            raise InvalidParameterError(f"property tag {tag:#x} is out of range")
        return tag
    if isinstance(tag, str):
        return int(P.resolve_tag(tag))
    raise InvalidParameterError(f"{tag!r} is not a property tag (int or name)")


def _var_entry_value(size: int) -> bytes:
    return struct.pack("<II", size & 0xFFFFFFFF, 0)


def storage_origin(storage: Storage) -> str | None:
    """The file or URL a root storage was opened from, when its backend says (a tree
    storage's ``medium.describe()``), else ``None``."""
    describe = getattr(getattr(storage, "medium", None), "describe", None)
    if not callable(describe):
        return None
    try:
        text = describe()
    except Exception:  # a description is never worth a failure
        return None
    return text if isinstance(text, str) and text else None


class PropObject:
    """Properties of one storage (a message, an embedded message or an attachment).

    Subclasses set :attr:`kind` and :attr:`object_kind` and may override
    :meth:`_codepage` / :meth:`_unicode`.
    """

    #: The property-stream layout of this object: ``TOP_LEVEL``, ``EMBEDDED`` (a message
    #: inside an attachment) or ``CHILD`` (an attachment; recipients are rows).
    stream_kind: P.StreamKind = P.StreamKind.CHILD
    #: What the object is, for people: ``"message"``, ``"attachment"``.
    object_kind = "object"

    @property
    def kind(self) -> P.StreamKind:
        """Deprecated alias of :attr:`stream_kind` (removed in the next release): ``kind``
        and :attr:`object_kind` were easy to confuse."""
        warnings.warn(
            "PropObject.kind is deprecated; use stream_kind (the property-stream layout) or "
            "object_kind ('message', 'attachment')",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.stream_kind

    def __init__(
        self,
        session: Registry,
        storage: Storage,
        *,
        writable: bool,
        new: bool = False,
    ) -> None:
        self._session = session
        self._storage = storage
        self._writable = writable and storage.writable
        self._released = False
        self._frozen_scode: int | None = None  # set by save_changes without KEEP_OPEN_*
        self._dirty = new
        self._stream_written: set[int] = set()
        self._cache: dict[int, object] = {}
        #: What was wrong in a damaged file that could still be read.
        self.problems: list[str] = []
        if new:
            self._header = P.PropertyStreamHeader(kind=self.stream_kind)
            self._entries: dict[int, Any] = {}
        else:
            self._header, self._entries = self._load_entries()
        self._by_id: dict[int, list[int]] = {}
        for t in self._entries:
            self._by_id.setdefault(pid(t), []).append(t)

    # -- plumbing ------------------------------------------------------------------------
    def _where(self) -> str:
        """Where this object is, for messages: its element path, or for a root storage the
        file or URL it was opened from (what the backend's medium describes), else ``"/"``."""
        return self._storage.path or storage_origin(self._storage) or "/"

    def _load_entries(self) -> tuple[Any, dict[int, Any]]:
        try:
            data = self._storage.read_stream(PROPERTIES_STREAM)
        except NotFoundError:
            if self.stream_kind is P.StreamKind.CHILD:
                # A damaged attachment (spec oxmsg §14): no properties rather than failure.
                self.problems.append(f"{self._where()}: no {PROPERTIES_STREAM}")
                return P.PropertyStreamHeader(kind=self.stream_kind), {}
            if self.stream_kind is P.StreamKind.TOP_LEVEL:
                raise CorruptDataError(
                    f"{self._where()!r} is not an Outlook message: the compound file has no "
                    f"{PROPERTIES_STREAM} stream"
                ) from None
            raise CorruptDataError(
                f"{self.object_kind} storage {self._where()!r} has no {PROPERTIES_STREAM} stream"
            ) from None
        header, entries = P.parse_property_stream(data, self.stream_kind, where=self._where())
        out: dict[int, Any] = {}
        for e in entries:
            out.setdefault(e.tag, e)  # a duplicated entry: the first one counts
        return header, out

    def _check(self) -> None:
        if self._released:
            raise ObjectDeletedError(f"{self.object_kind} {self._where()!r} was released")

    def _check_write(self, what: str) -> None:
        self._check()
        if self._frozen_scode is not None:
            from .errors import error_for

            raise error_for(
                self._frozen_scode,
                f"cannot {what}: {self.object_kind} {self._where()!r} was saved without "
                "KEEP_OPEN_READWRITE",
            )
        if not self._writable:
            raise AccessDeniedError(
                f"cannot {what}: {self.object_kind} {self._where()!r} is open read-only"
            )

    @property
    def session(self) -> Registry:
        """The session this object is registered with."""
        return self._session

    @property
    def storage(self) -> Storage:
        """The storage holding this object (``IStorage``)."""
        self._check()
        return self._storage

    @property
    def writable(self) -> bool:
        """True when this object can be changed and saved."""
        return self._writable and self._frozen_scode is None and not self._released

    @property
    def closed(self) -> bool:
        """True once released."""
        return self._released

    def _unicode(self) -> bool:
        """True when this object's strings are stored as PT_UNICODE."""
        return True

    def _codepage(self) -> Any:
        """Code page(s) to decode this object's PT_STRING8 values with (``None``: the
        codec's default)."""
        return None

    def _html_codepages(self) -> list[int]:
        """Candidate code pages of an 8-bit ``PR_BODY_HTML`` (Internet CPID first)."""
        return []

    def _write_codepage(self) -> int | None:
        """Code page to encode PT_STRING8 values with (``None``: the codec's default)."""
        return None

    def _named_map(self) -> Any:
        """The named-property map shared by this object's whole .msg."""
        raise NotImplementedError

    def _named_map_changed(self) -> None:
        """Note that :meth:`_named_map` gained names, to be saved with the top-level
        message (messages and attachments override)."""

    # -- lookup ----------------------------------------------------------------------------
    def _find(self, tag: int) -> int | None:
        """The stored tag answering a request for ``tag`` (same ID, compatible type)."""
        if tag in self._entries:
            return tag
        stored = self._by_id.get(pid(tag))
        if not stored:
            return None
        want = ptype(tag)
        if want == PT_UNSPECIFIED:
            return stored[0]
        for t in stored:
            have = ptype(t)
            if (
                want & ~MV_FLAG in _STRING_TYPES
                and have & ~MV_FLAG in _STRING_TYPES
                and want & MV_FLAG == have & MV_FLAG
            ):
                return t
        return None

    def _decode(self, stored: int) -> object:
        if stored in self._cache:
            return self._cache[stored]
        entry = self._entries[stored]
        cps = self._codepage()
        if ptype(stored) == PT_STRING8 and pid(stored) == 0x1013:
            cps = self._html_codepages() or cps
        value = P.read_value(
            self._storage,
            entry,
            codepage=cps,
            where=lambda: f"{self._where()}/{P.substg_name(stored)}",  # built on error only
        )
        if not (ptype(stored) in (PT_BINARY, *_STRING_TYPES) and _big(value)):
            self._cache[stored] = value
        return value

    def _first_str(self, *tags: int) -> str | None:
        """The first of ``tags`` that holds a non-empty string, else ``None``."""
        for tag in tags:
            v = self.get_prop(tag, None)
            if isinstance(v, str) and v:
                return v
        return None

    # -- IMAPIProp ---------------------------------------------------------------------------
    def prop_tags(self) -> list[int]:
        """``GetPropList``: the tags of every property, including ``PT_OBJECT`` ones."""
        self._check()
        return list(self._entries)

    def __contains__(self, tag: object) -> bool:
        if not isinstance(tag, (int, str)):
            return False
        self._check()
        return self._find(resolve(tag)) is not None

    def get_props(self, tags: Iterable[TagLike] | None = None) -> list[object]:
        """``GetProps``: one value or :class:`PropError` per requested tag, in order.

        ``None`` asks for every property. A ``PT_UNSPECIFIED`` type returns the stored type;
        a string asked as PT_STRING8 or PT_UNICODE is returned whichever way it is stored
        (Python ``str`` either way). ``PT_OBJECT`` properties give ``MAPI_E_NO_SUPPORT``
        slots (use :meth:`open_property`). Never raises for a single property; raises
        :class:`ObjectDeletedError` after release.
        """
        self._check()
        wanted = list(self._entries) if tags is None else [resolve(t) for t in tags]
        if tags is not None and not wanted:
            raise InvalidParameterError("get_props needs at least one tag (or None for all)")
        return [self._get_one(t) for t in wanted]

    def _get_one(self, tag: int) -> object:
        stored = self._find(tag)
        if stored is None:
            return PropError(tag, SCODE.MAPI_E_NOT_FOUND)
        entry = self._entries[stored]
        if not entry.flags & PROPATTR_READABLE:
            return PropError(tag, SCODE.MAPI_E_NO_ACCESS)
        if ptype(stored) == PT_OBJECT:
            return PropError(tag, SCODE.MAPI_E_NO_SUPPORT)
        try:
            return self._decode(stored)
        except ObjectDeletedError:
            raise
        except MAPIError as exc:
            return PropError(
                tag, exc.hresult if exc.hresult & 0x80000000 else SCODE.MAPI_E_CALL_FAILED
            )

    def get_prop(self, tag: TagLike, default: Any = ...) -> Any:
        """One property's value. Missing or unreadable: ``default`` if given, else the
        error (:class:`NotFoundError`, :class:`AccessDeniedError`, ...) is raised."""
        value = self.get_props([tag])[0]
        if isinstance(value, PropError):
            if default is not ...:
                return default
            raise value.error()
        return value

    def __getitem__(self, tag: TagLike) -> Any:
        return self.get_prop(tag)

    def __setitem__(self, tag: TagLike, value: object) -> None:
        problems = self.set_props({tag: value})
        if problems:
            raise PropError(problems[0].tag, problems[0].scode).error()

    def __delitem__(self, tag: TagLike) -> None:
        problems = self.delete_props([tag])
        if problems:
            raise PropError(problems[0].tag, problems[0].scode).error()

    def items(self) -> Iterator[tuple[int, object]]:
        """``(tag, value)`` for every readable, non-object property (errors skipped)."""
        for tag in self.prop_tags():
            value = self._get_one(tag)
            if not isinstance(value, PropError):
                yield tag, value

    def set_props(
        self, values: Mapping[Any, object] | Iterable[tuple[TagLike, object]]
    ) -> list[PropProblem]:
        """``SetProps``: stage new values; returns the problems (empty when all were set).

        Per-property problems: ``MAPI_E_NO_ACCESS`` (not writable), ``MAPI_E_COMPUTED``
        (``PR_STORE_SUPPORT_MASK`` and other computed properties), ``MAPI_E_INVALID_TYPE``
        (value does not fit the type), ``MAPI_E_INVALID_PARAMETER`` (``PT_OBJECT``, empty
        multi-value). ``PR_NULL`` and ``PT_ERROR`` entries are ignored. Strings are stored
        in this object's string mode (a PT_STRING8 value in a Unicode message is stored as
        PT_UNICODE and vice versa). Raises :class:`AccessDeniedError` on a read-only
        object.
        """
        self._check_write("set properties")
        pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
        if not pairs:
            raise InvalidParameterError("set_props needs at least one value")
        problems: list[PropProblem] = []
        for i, (t, value) in enumerate(pairs):
            tag = resolve(t)
            scode = self._set_one(tag, value, check=True)
            if scode:
                problems.append(PropProblem(i, tag, scode))
        return problems

    _COMPUTED: frozenset[int] = frozenset({PR_STORE_SUPPORT_MASK})
    _COMPUTED_IDS: frozenset[int] = frozenset(t >> 16 for t in _COMPUTED)

    def _normalize_tag(self, tag: int) -> int:
        t = tag & 0xFFFF
        base = t & ~MV_FLAG
        if base in (PT_UNICODE, PT_STRING8):
            want = PT_UNICODE if self._unicode() else PT_STRING8
            return (tag & 0xFFFF0000) | (t & MV_FLAG) | want
        return tag

    def _set_one(self, tag: int, value: object, *, check: bool, flags: int | None = None) -> int:
        """Stage one value; return 0 or the SCODE of the problem."""
        t = tag & 0xFFFF
        if tag == PT_NULL or t == PT_ERROR:
            return 0
        if t in (PT_OBJECT, PT_UNSPECIFIED):
            return SCODE.MAPI_E_INVALID_PARAMETER
        if t & MV_FLAG and isinstance(value, (list, tuple)) and not value:
            return SCODE.MAPI_E_INVALID_PARAMETER
        if check and tag >> 16 in self._COMPUTED_IDS:
            return SCODE.MAPI_E_COMPUTED
        tag = self._normalize_tag(tag)
        old_flags = None
        for old in self._by_id.get(tag >> 16, ()):
            old_flags = self._entries[old].flags
            if check and not old_flags & PROPATTR_WRITABLE:
                return SCODE.MAPI_E_NO_ACCESS
        new_flags = (
            flags if flags is not None else (old_flags if old_flags is not None else DEFAULT_ATTRS)
        )
        try:
            self._store(tag, value, new_flags)
        except (TypeError, ValueError, OverflowError):
            # the value does not fit the type (InvalidParameterError is a ValueError)
            return SCODE.MAPI_E_INVALID_TYPE
        except (ObjectDeletedError, AccessDeniedError):
            raise
        except MAPIError as exc:
            return exc.hresult
        return 0

    def _put(self, tag: int, value: object, flags: int) -> None:
        """Store a value without attribute checks (the implementation's own writes)."""
        self._store(self._normalize_tag(tag), value, flags)

    def _put_many(self, items: Iterable[tuple[int, object, int]]) -> None:
        """:meth:`_put` for several ``(tag, value, flags)`` at once (filling a new object).
        A value that does not fit its type raises ``MAPI_E_INVALID_TYPE``, as
        :meth:`set_props` reports it; the values before it stay stored."""
        for given, value, flags in items:
            tag = self._normalize_tag(given)
            try:
                self._store(tag, value, flags)
            except (TypeError, ValueError, OverflowError) as exc:
                from .errors import error_for

                raise error_for(
                    SCODE.MAPI_E_INVALID_TYPE,
                    f"property 0x{tag:08X} of the {self.object_kind} {self._where()!r} was "
                    f"not set: {exc}",
                ) from exc

    def _store(self, tag: int, value: object, flags: int) -> None:
        """Write ``value`` as ``tag``, then drop other types stored under its ID. A value
        that does not encode raises before anything changes (the codec encodes first)."""
        # Only 8-bit strings (single or multi-valued) are encoded with the code page.
        codepage = self._write_codepage() if tag & 0xEFFF == PT_STRING8 else None
        entry = P.write_value(self._storage, tag, value, flags=flags, codepage=codepage)
        stored = self._by_id.get(tag >> 16)
        if not stored:  # a new property: what building a message does most
            self._entries[tag] = entry
            self._by_id[tag >> 16] = [tag]
            self._cache.pop(tag, None)
            self._dirty = True
            self._changed(tag)
            return
        if stored != [tag]:
            for old in list(stored):
                if old != tag:
                    self._drop(old)
        if tag in self._entries:
            self._entries[tag] = entry
            self._cache.pop(tag, None)
            self._stream_written.discard(tag)
            self._dirty = True
            self._changed(tag)
        else:
            self._add_entry(entry)

    def _changed(self, tag: int) -> None:
        """Hook: the value of ``tag`` was added, replaced or removed."""

    def _drop(self, old: int) -> None:
        del self._entries[old]
        ids = self._by_id.get(pid(old), [])
        if old in ids:
            ids.remove(old)
        if not ids:
            self._by_id.pop(pid(old), None)
        self._cache.pop(old, None)
        self._stream_written.discard(old)
        if ptype(old) != PT_OBJECT:
            self._destroy_streams(old)
        self._dirty = True
        self._changed(old)

    def _add_entry(self, entry: Any) -> None:
        self._entries[entry.tag] = entry
        self._by_id.setdefault(pid(entry.tag), []).append(entry.tag)
        self._cache.pop(entry.tag, None)
        self._dirty = True
        self._changed(entry.tag)

    def _remove(self, prop_id: int) -> None:
        """Drop every stored tag with this ID, and its value streams."""
        for old in list(self._by_id.get(prop_id, [])):
            self._drop(old)

    def _destroy_streams(self, tag: int) -> None:
        try:
            P.delete_value_streams(self._storage, tag)
        except InvalidParameterError:  # a type the codec cannot store: remove by name
            name = P.substg_name(tag)
            if self._storage.exists(name):
                self._storage.destroy(name)

    def delete_props(self, tags: Iterable[TagLike]) -> list[PropProblem]:
        """``DeleteProps``: remove properties (matched by ID, any type); returns problems.

        ``MAPI_E_NO_ACCESS`` for a mandatory or non-writable property. Deleting a property
        that does not exist is not a problem. ``PT_OBJECT`` properties (an attachment's
        embedded message or OLE storage) are deleted with their storage. Raises
        :class:`AccessDeniedError` on a read-only object.
        """
        self._check_write("delete properties")
        wanted = [resolve(t) for t in tags]
        if not wanted:
            raise InvalidParameterError("delete_props needs at least one tag")
        problems: list[PropProblem] = []
        for i, tag in enumerate(wanted):
            scode = self._delete_one(tag, check=True)
            if scode:
                problems.append(PropProblem(i, tag, scode))
        return problems

    def _delete_one(self, tag: int, *, check: bool) -> int:
        stored = self._by_id.get(pid(tag), [])
        if check:
            for t in stored:
                f = self._entries[t].flags
                if f & PROPATTR_MANDATORY or not f & PROPATTR_WRITABLE:
                    return SCODE.MAPI_E_NO_ACCESS
        for t in list(stored):
            if ptype(t) == PT_OBJECT:
                self._delete_object(t)
        self._remove(pid(tag))
        return 0

    def _delete_object(self, tag: int) -> None:
        """Remove a PT_OBJECT property's storage (attachments override)."""
        name = P.substg_name(tag)
        if self._storage.exists(name):
            self._storage.destroy(name)

    # -- attributes -----------------------------------------------------------------------
    def get_attribs(self, tags: Iterable[TagLike]) -> list[int]:
        """``GetAttribIMsgOnIStg``: the PROPATTR bits of each tag, in order;
        ``PROPATTR_NOT_PRESENT`` for a property that does not exist."""
        self._check()
        out = []
        for t in tags:
            stored = self._find(resolve(t))
            out.append(
                PROPATTR_NOT_PRESENT if stored is None else self._entries[stored].flags & 0x7
            )
        return out

    def set_attribs(self, attribs: Mapping[TagLike, int]) -> list[PropProblem]:
        """``SetAttribIMsgOnIStg``: change the PROPATTR bits (persisted in the entry Flags
        on save). Problems: ``MAPI_E_NOT_FOUND`` for a missing property,
        ``MAPI_E_INVALID_PARAMETER`` for bits other than the three PROPATTR ones."""
        self._check_write("set property attributes")
        problems: list[PropProblem] = []
        for i, (t, bits) in enumerate(attribs.items()):
            tag = resolve(t)
            if not isinstance(bits, int) or bits & ~0x7:
                problems.append(PropProblem(i, tag, SCODE.MAPI_E_INVALID_PARAMETER))
                continue
            stored = self._find(tag)
            if stored is None:
                problems.append(PropProblem(i, tag, SCODE.MAPI_E_NOT_FOUND))
                continue
            e = self._entries[stored]
            self._entries[stored] = P.RawEntry(e.tag, bits, e.value)
            self._dirty = True
        return problems

    # -- streams ---------------------------------------------------------------------------
    def open_property(self, tag: TagLike, mode: Literal["r", "r+", "w"] = "r") -> Stream:
        """``OpenProperty(IID_IStream)``: the value stream of a PT_BINARY, PT_STRING8 or
        PT_UNICODE property, as the storage's own :class:`~imsg_core._storage.Stream`.

        ``"r"`` reads; ``"r+"`` (``MAPI_MODIFY``) edits in place; ``"w"``
        (``MAPI_CREATE|MAPI_MODIFY``) creates the property or discards its value. The
        stream holds the raw stored bytes (strings without terminator). Raises
        :class:`NotFoundError`, :class:`AccessDeniedError` (modes other than ``"r"`` on a
        read-only object or property), :class:`InvalidParameterError` (other types).
        """
        self._check()
        want = resolve(tag)
        t = ptype(want)
        if t == PT_UNSPECIFIED:
            raise InvalidParameterError("open_property needs a tag with its type")
        stored = self._find(want) if mode != "w" else None
        if mode == "w":
            self._check_write("create a property stream")
            want = self._normalize_tag(want)
            t = ptype(want)
            if t not in (PT_BINARY, *_STRING_TYPES):
                raise InvalidParameterError(
                    f"property 0x{want:08X} is not a binary or string property"
                )
            for old in self._by_id.get(pid(want), []):
                if not self._entries[old].flags & PROPATTR_WRITABLE:
                    raise AccessDeniedError(f"property 0x{old:08X} is read-only")
            self._remove(pid(want))
            stream = self._storage.create_stream(P.substg_name(want), overwrite=True)
            self._add_entry(P.RawEntry(want, DEFAULT_ATTRS, _var_entry_value(0)))
            self._stream_written.add(want)
            return stream
        if stored is None:
            raise NotFoundError(
                f"{self.object_kind} {self._where()!r} has no property 0x{want:08X}"
            )
        if ptype(stored) not in (PT_BINARY, *_STRING_TYPES):
            raise InvalidParameterError(
                f"property 0x{stored:08X} is not a binary or string property; "
                "only those open as streams"
            )
        flags = self._entries[stored].flags
        if not flags & PROPATTR_READABLE:
            raise AccessDeniedError(f"property 0x{stored:08X} is not readable")
        if mode == "r":
            return self._storage.open_stream(P.substg_name(stored), "r")
        self._check_write("modify a property stream")
        if not flags & PROPATTR_WRITABLE:
            raise AccessDeniedError(f"property 0x{stored:08X} is read-only")
        self._cache.pop(stored, None)
        self._stream_written.add(stored)
        self._dirty = True
        return self._storage.open_stream(P.substg_name(stored), "r+")

    def _refresh_stream_sizes(self) -> None:
        """Fix the Size field of entries whose streams were written through open_property."""
        for tag in list(self._stream_written):
            e = self._entries.get(tag)
            if e is None:
                continue
            name = P.substg_name(tag)
            size = self._storage.stat_child(name).size if self._storage.exists(name) else 0
            extra = 2 if ptype(tag) == PT_UNICODE else 1 if ptype(tag) == PT_STRING8 else 0
            self._entries[tag] = P.RawEntry(tag, e.flags, _var_entry_value(size + extra))
        self._stream_written.clear()

    # -- saving ------------------------------------------------------------------------------
    def _header_for_save(self) -> Any:
        return self._header

    def _before_save(self) -> None:
        """Hook: compute derived properties, write sub-objects."""

    def _write_props(self) -> None:
        self._refresh_stream_sizes()
        self._before_save()
        header = self._header_for_save()
        data = P.build_property_stream(header, list(self._entries.values()))
        self._storage.write_stream(PROPERTIES_STREAM, data)
        self._header = header

    def _commit(self) -> None:
        self._storage.commit()

    def save_changes(self, flags: int = KEEP_OPEN_READWRITE) -> None:
        """``SaveChanges``: write the property stream and commit this object's storage one
        level up (a top-level message: to the medium, unless ``IMSG_NO_ISTG_COMMIT``).

        ``flags``: ``KEEP_OPEN_READWRITE`` (default) keeps the object writable;
        ``KEEP_OPEN_READONLY`` leaves it readable only (later writes raise
        ``MAPI_E_NO_ACCESS``); no KEEP_OPEN flag means only release is expected (later
        writes raise ``MAPI_E_INVALID_OBJECT``). ``FORCE_SAVE`` is accepted (no concurrent
        writer can be detected on a storage). Raises :class:`AccessDeniedError` on a
        read-only object, :class:`InvalidParameterError` for unknown flag bits
        (``MAPI_E_UNKNOWN_FLAGS``), and :class:`StorageError` from the storage (its
        ``mapi_code`` is the ``MapStorageSCode`` mapping); on failure nothing was
        committed and the object stays open.
        """
        self._check_write("save changes")
        if flags & ~_SAVE_FLAGS:
            raise InvalidParameterError(
                f"unknown SaveChanges flag bits 0x{flags & ~_SAVE_FLAGS:08X}",
                SCODE.MAPI_E_UNKNOWN_FLAGS,
            )
        if flags & KEEP_OPEN_READONLY and flags & KEEP_OPEN_READWRITE:
            raise InvalidParameterError("KEEP_OPEN_READONLY and KEEP_OPEN_READWRITE together")
        self._write_props()
        self._commit()
        self._dirty = False
        if flags & KEEP_OPEN_READWRITE:
            pass
        elif flags & KEEP_OPEN_READONLY:
            self._frozen_scode = SCODE.MAPI_E_NO_ACCESS
        else:
            self._frozen_scode = SCODE.MAPI_E_INVALID_OBJECT

    # -- lifetime ----------------------------------------------------------------------------
    def close(self) -> None:
        """Release this object and everything opened from it (``Release``); unsaved
        changes are discarded. Idempotent."""
        if self._released:
            return
        session = self._session
        if not session.closed and session.record_of(self) is not None:
            session.release(self)
        else:
            self._imsg_release()

    def _imsg_release(self) -> None:
        self._released = True
        self._cache.clear()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _big(value: object) -> bool:
    return isinstance(value, (bytes, str)) and len(value) > 4096
