"""Recipients: rows of the recipient table, each stored as ``__recip_version1.0_#XXXXXXXX``.

MAPI has no COM object per recipient (spec imsg-api §9): a recipient is a row of
properties. Here a row is a :class:`RecipientSlot` (the storage number plus its decoded
properties and their attributes) owned by the message, and :class:`Recipient` is the
read-only convenience view (``name``, ``email``, ``type``) handed to users.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from . import props as P
from ._propobj import PropObject
from ._propobj import TagLike
from ._propobj import resolve
from ._propproblems import PropError
from ._storage import Storage
from ._table import Table
from .errors import SCODE
from .errors import InvalidParameterError
from .errors import MAPIError
from .errors import NotFoundError
from .props.codec import PROPERTIES_STREAM
from .props.constants import MAPI_BCC
from .props.constants import MAPI_CC
from .props.constants import MAPI_MAILUSER
from .props.constants import MAPI_ORIG
from .props.constants import MAPI_TO
from .props.constants import MAX_CHILDREN
from .props.constants import MODRECIP_ADD
from .props.constants import MODRECIP_MODIFY
from .props.constants import MODRECIP_REMOVE
from .props.constants import RECIP_PREFIX
from .props.tags import PR_ADDRTYPE
from .props.tags import PR_DISPLAY_NAME
from .props.tags import PR_DISPLAY_TYPE
from .props.tags import PR_EMAIL_ADDRESS
from .props.tags import PR_OBJECT_TYPE
from .props.tags import PR_RECIPIENT_TYPE
from .props.tags import PR_ROWID
from .props.tags import PR_SMTP_ADDRESS
from .props.types import PT_ERROR
from .props.types import PT_NULL
from .props.types import pid

__all__ = [
    "RECIP_PREFIX",
    "TYPE_CODES",
    "Recipient",
    "RecipientList",
    "RecipientSlot",
    "child_indices",
    "recip_storage_name",
]

_TYPE_NAMES = {MAPI_ORIG: "orig", MAPI_TO: "to", MAPI_CC: "cc", MAPI_BCC: "bcc"}
TYPE_CODES = {v: k for k, v in _TYPE_NAMES.items()}
#: ``PR_DISPLAY_TYPE`` of a mail user (``DT_MAILUSER``).
_DT_MAILUSER = 0
#: The default columns of ``GetRecipientTable``.
TABLE_COLUMNS = (PR_ROWID, PR_DISPLAY_NAME, PR_RECIPIENT_TYPE, PR_EMAIL_ADDRESS, PR_ADDRTYPE)


def recip_storage_name(index: int) -> str:
    """``__recip_version1.0_#%08X``."""
    return f"{RECIP_PREFIX}{index:08X}"


def parse_child_index(name: str, prefix: str) -> int | None:
    """The number of a ``prefix`` + 8 hex digits storage name (any case), else ``None``."""
    if len(name) != len(prefix) + 8 or name[: len(prefix)].lower() != prefix.lower():
        return None
    try:
        return int(name[len(prefix) :], 16)
    except ValueError:
        return None


def child_indices(storage: Storage, *prefixes: str) -> list[list[int]]:
    """The sorted numbers of the child storages of ``storage`` named ``prefix`` + 8 hex
    digits, one list per prefix, from one listing of the storage."""
    out: list[list[int]] = [[] for _ in prefixes]
    for name in storage.storage_names():
        for found, prefix in zip(out, prefixes, strict=True):
            idx = parse_child_index(name, prefix)
            if idx is not None:
                found.append(idx)
                break
    for found in out:
        found.sort()
    return out


@dataclass
class RecipientSlot:
    """One recipient row.

    ``index`` is the storage number (``#XXXXXXXX``); ``values`` / ``flags`` hold the decoded
    properties by stored tag once loaded; ``on_disk`` says whether the storage exists in the
    message's storage; ``dirty`` that it must be rewritten on save.
    """

    index: int
    values: dict[int, object] = field(default_factory=dict)
    flags: dict[int, int] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    on_disk: bool = False
    dirty: bool = False

    @property
    def storage_name(self) -> str:
        """Its storage's name."""
        return recip_storage_name(self.index)

    def row(self) -> dict[int, object]:
        """The row as the recipient table shows it (PR_ROWID included)."""
        out = dict(self.values)
        if not any(pid(t) == pid(PR_ROWID) for t in out):
            out[PR_ROWID] = self.index
        return out

    def load(self, parent: Storage, codepage: Any, where: str) -> None:
        """Read every property of this recipient from its storage in ``parent``."""
        name = self.storage_name
        place = f"{where}/{name}"
        with parent.open_storage(name, "r") as st:
            try:
                data = st.read_stream(PROPERTIES_STREAM)
            except NotFoundError:
                # Damaged file (spec oxmsg §14: tolerate missing streams): an empty row.
                self.problems.append(f"{place}: no {PROPERTIES_STREAM}")
                return
            _, entries = P.parse_property_stream(data, P.StreamKind.CHILD, where=place)
            values = self.values
            for e in entries:
                if e.tag in values or e.tag & 0xFFFF == 0x000D:
                    continue
                try:
                    values[e.tag] = P.read_value(st, e, codepage=codepage, where=place)
                except MAPIError as exc:
                    self.errors[e.tag] = exc.hresult
                    continue
                self.flags[e.tag] = e.flags

    def write(self, parent: Storage, codepage: int | None, unicode: bool) -> None:
        """(Re)write this recipient's storage in ``parent`` and commit it there."""
        sink = P.StreamCollector()
        entries = []
        flags = self.flags
        string = 0x001F if unicode else 0x001E  # this message's string type
        write_value = P.write_value
        for tag, value in self.values.items():
            kind = tag & 0xFFFF
            if kind in (0x0000, 0x000D) or kind & 0x2000:
                continue  # not storable as a value (PT_UNSPECIFIED, PT_OBJECT, MV_INSTANCE)
            t = tag
            if kind & ~0x1000 in (0x001E, 0x001F):
                t = (tag & 0xFFFF0000) | (kind & 0x1000) | string
            entries.append(
                write_value(sink, t, value, flags=flags.get(tag, 0x6), codepage=codepage)
            )
        sink.streams[PROPERTIES_STREAM] = P.build_property_stream(None, entries, P.StreamKind.CHILD)
        parent.write_storage(self.storage_name, sink.streams)
        self.on_disk = True
        self.dirty = False


def display_label(values: dict[int, object]) -> str:
    """What ``PR_DISPLAY_TO``/``CC``/``BCC`` list for a row: :attr:`Recipient.name`, else
    :attr:`Recipient.email`, else ``""`` (the same lookups, without building the row)."""
    return _name_of(values) or _email_of(values) or ""


def _name_of(values: dict[int, object]) -> str | None:
    v = _get(values, PR_DISPLAY_NAME)
    return v if isinstance(v, str) else None


def _email_of(values: dict[int, object]) -> str | None:
    for tag in (PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS):
        v = _get(values, tag)
        if isinstance(v, str) and v:
            return v
    return None


def _get(values: dict[int, object], tag: int) -> object:
    for t, v in values.items():
        if pid(t) == pid(tag):
            return v
    return None


class Recipient:
    """A read-only view of one recipient row.

    Attributes:
        name: ``PR_DISPLAY_NAME`` (or ``None``).
        email: ``PR_SMTP_ADDRESS``, else ``PR_EMAIL_ADDRESS`` (or ``None``).
        type: ``"to"``, ``"cc"``, ``"bcc"``, ``"orig"`` (or the raw number for others);
            the ``MAPI_P1``/``MAPI_SUBMITTED`` flag bits are masked off.
        rowid: the row's ``PR_ROWID`` (what :meth:`Message.modify_recipients` takes).
        props: every property of the row, by tag.
    """

    __slots__ = ("_message", "props", "rowid")

    def __init__(self, message: PropObject, slot: RecipientSlot) -> None:
        self._message = message
        self.props: dict[int, object] = slot.row()
        rowid = _get(self.props, PR_ROWID)
        self.rowid: int = rowid if isinstance(rowid, int) else slot.index

    @property
    def name(self) -> str | None:
        return _name_of(self.props)

    @property
    def email(self) -> str | None:
        return _email_of(self.props)

    @property
    def address_type(self) -> str | None:
        v = _get(self.props, PR_ADDRTYPE)
        return v if isinstance(v, str) else None

    @property
    def type(self) -> str | int:
        v = _get(self.props, PR_RECIPIENT_TYPE)
        if not isinstance(v, int):
            return "to"
        code = v & 0x0FFFFFFF
        return _TYPE_NAMES.get(code, code)

    def get(self, tag: int, default: object = None) -> object:
        """A property of the row by tag (any string type), else ``default``."""
        v = _get(self.props, tag)
        return default if v is None or isinstance(v, PropError) else v

    def __repr__(self) -> str:
        return f"<Recipient {self.type} {self.name!r} <{self.email}>>"


class RecipientList:
    """The recipient rows of one message and what changed in them since the last save.

    The message owns one and calls it for every recipient operation; :meth:`write` puts
    the changes into the message's storage. Attributes the message reads:

    * ``slots`` — the rows once loaded (``None`` before :meth:`load`);
    * ``changed`` — rows were added, changed or removed since the last save;
    * ``next_id`` — the header's next recipient number (at least one past any used).
    """

    __slots__ = ("_high", "_removed", "_storage", "_used", "changed", "next_id", "slots")

    def __init__(self, storage: Storage, next_id: int) -> None:
        self._storage = storage
        self.slots: list[RecipientSlot] | None = None
        self._removed: set[int] = set()  # storage numbers to destroy on write
        self._used: set[int] | None = None  # storage numbers taken (cache)
        self._high = 0
        self.changed = False
        self.next_id = next_id

    def load(self, codepage: Callable[[], Any], where: str) -> list[RecipientSlot]:
        """The rows, read from the storage on the first call."""
        if self.slots is None:
            slots = []
            indices = child_indices(self._storage, RECIP_PREFIX)[0]
            cp = codepage() if indices else None
            for idx in indices:
                slot = RecipientSlot(idx, on_disk=True)
                slot.load(self._storage, cp, where)
                slots.append(slot)
            self.slots = slots
        return self.slots

    def release(self) -> None:
        """Forget the loaded rows (the message was released)."""
        self.slots = None

    def table(self) -> Table:
        """``GetRecipientTable`` over the loaded rows."""
        assert self.slots is not None
        return Table([s.row() for s in self.slots], TABLE_COLUMNS)

    def clear(self) -> None:
        """Remove every row (storages destroyed on :meth:`write` once :attr:`changed`)."""
        assert self.slots is not None
        for s in self.slots:
            if s.on_disk:
                self._removed.add(s.index)
        self.slots.clear()

    @staticmethod
    def parse(rows: Iterable[Mapping[TagLike, object]], flags: int) -> list[dict[int, object]]:
        """The rows of a ``ModifyRecipients`` call by tag, after checking ``flags``."""
        if flags & ~(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE) or bin(flags).count("1") > 1:
            raise InvalidParameterError(
                f"bad ModifyRecipients flags 0x{flags:X}", SCODE.MAPI_E_UNKNOWN_FLAGS
            )
        return [_parse_row(r) for r in rows]

    def modify(self, parsed: list[dict[int, object]], flags: int, where: str) -> None:
        """``ModifyRecipients`` with :meth:`parse`'s rows on the loaded rows (see
        ``Message.modify_recipients``)."""
        slots = self.slots
        assert slots is not None
        if flags in (0, MODRECIP_ADD):
            for row in parsed:
                if _has_rowid(row):
                    raise InvalidParameterError("PR_ROWID must not be given to add recipients")
            if flags == 0:
                self.clear()
            for row in parsed:
                self.add(row)
        else:
            by_id = {_rowid_of(s): s for s in slots}
            for row in parsed:
                rid = next((v for t, v in row.items() if pid(t) == _ROWID_ID), None)
                if not isinstance(rid, int):
                    raise InvalidParameterError(
                        "PR_ROWID is required to modify or remove recipients"
                    )
                slot = by_id.get(rid)
                if slot is None:
                    raise NotFoundError(f"no recipient with PR_ROWID {rid} in {where!r}")
                if flags == MODRECIP_REMOVE:
                    slots.remove(slot)
                    if slot.on_disk:
                        self._removed.add(slot.index)
                else:
                    slot.values = dict(row.items())
                    slot.flags = {}
                    slot.dirty = True
        self.changed = True

    def add(
        self, row: dict[int, object], index: int | None = None, flags: dict[int, int] | None = None
    ) -> RecipientSlot:
        """Append a row (its tags already checked), numbered ``index`` when that number is
        free, else the next free one. Without ``flags`` the row gets ``PR_ROWID``."""
        slots = self.slots
        assert slots is not None
        if len(slots) >= MAX_CHILDREN:
            raise MAPIError(
                f"a message holds at most {MAX_CHILDREN} recipients", SCODE.MAPI_E_TABLE_TOO_BIG
            )
        used = self._used
        if used is None:
            used = self._used = {s.index for s in slots} | self._removed
            self._high = max(used, default=-1) + 1
        if index is None or index in used:
            index = max(self.next_id, self._high)
        used.add(index)
        self._high = max(self._high, index + 1)
        values = dict(row)
        if flags is None and not _has_rowid(values):
            values[PR_ROWID] = index
        slot = RecipientSlot(index, values=values, flags=dict(flags or {}), dirty=True)
        slots.append(slot)
        self.next_id = max(self.next_id, index + 1)
        self.changed = True
        return slot

    def add_smtp(self, email: str, name: str | None, code: int, address_type: str) -> RecipientSlot:
        """Append a resolved recipient (``Message.add_recipient``); returns its slot."""
        return self.add(
            {
                PR_DISPLAY_NAME: name or email,
                PR_EMAIL_ADDRESS: email,
                PR_ADDRTYPE: address_type,
                PR_SMTP_ADDRESS: email,
                PR_RECIPIENT_TYPE: code,
                PR_OBJECT_TYPE: MAPI_MAILUSER,
                PR_DISPLAY_TYPE: _DT_MAILUSER,
            }
        )

    def copy_from(
        self,
        src: RecipientList,
        src_storage: Storage,
        remap: Callable[[int], int | None],
        *,
        same_names: bool,
        same_strings: bool,
        src_next_id: int,
    ) -> None:
        """Replace the rows by copies of ``src``'s (both loaded), tags mapped by ``remap``
        (``None``: drop the value). A row read from storage is copied storage to storage
        (exact bytes, even types that cannot be encoded) when both messages store strings
        the same way (``same_strings``) and its tags need no remapping (``same_names``: one
        named-property map, or no named property in the row). ``src_next_id``: the
        source header's next recipient number, kept when the list was empty."""
        assert src.slots is not None
        self.clear()
        fresh = not self._removed
        for s in src.slots:
            values: dict[int, object] = {}
            fl: dict[int, int] = {}
            named = False
            for tag, v in s.values.items():
                named = named or pid(tag) >= 0x8000
                t = remap(tag)
                if t is None:
                    continue
                values[t] = v
                fl[t] = s.flags.get(tag, 0x6)
            slot = self.add(values, s.index if fresh else None, fl)
            if s.on_disk and (same_names or not named) and same_strings:
                with (
                    src_storage.open_storage(s.storage_name, "r") as src_st,
                    self._storage.create_storage(slot.storage_name, overwrite=True) as d_st,
                ):
                    src_st.copy_to(d_st)
                    d_st.commit()
                slot.on_disk = True
                slot.dirty = False
                self._removed.discard(slot.index)
        if fresh:
            self.next_id = max(self.next_id, src_next_id)

    def write(self, codepage: int | None, unicode: bool) -> None:
        """Destroy removed rows' storages and write the changed rows."""
        if not self.changed:
            return
        storage = self._storage
        for idx in sorted(self._removed):
            name = f"{RECIP_PREFIX}{idx:08X}"
            if storage.exists(name):
                storage.destroy(name)
        self._removed.clear()
        self._used = None
        assert self.slots is not None
        for slot in self.slots:
            if slot.dirty:
                slot.write(storage, codepage, unicode)


def _parse_row(row: Mapping[TagLike, object]) -> dict[int, object]:
    out: dict[int, object] = {}
    for t, v in row.items():
        tag = t if type(t) is int and 0 <= t <= 0xFFFFFFFF else resolve(t)
        kind = tag & 0xFFFF
        if kind == PT_NULL:
            raise InvalidParameterError(f"recipient property 0x{tag:08X} is PT_NULL")
        if kind == PT_ERROR:
            continue  # PT_ERROR entries are ignored
        out[tag] = v
    return out


_ROWID_ID = PR_ROWID >> 16


def _has_rowid(row: Mapping[int, object]) -> bool:
    return any(t >> 16 == _ROWID_ID for t in row)


def _rowid_of(slot: RecipientSlot) -> int:
    for t, v in slot.values.items():
        if pid(t) == _ROWID_ID and isinstance(v, int):
            return v
    return slot.index
