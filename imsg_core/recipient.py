"""Recipients: rows of the recipient table, each stored as ``__recip_version1.0_#XXXXXXXX``.

MAPI has no COM object per recipient (spec imsg-api §9): a recipient is a row of
properties. Here a row is a :class:`RecipientSlot` (the storage number plus its decoded
properties and their attributes) owned by the message, and :class:`Recipient` is the
read-only convenience view (``name``, ``email``, ``type``) handed to users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import props as P
from .errors import MAPIError, NotFoundError
from .propobj import PROPS_STREAM, PropError, pid
from .storage import Storage

if TYPE_CHECKING:
    from .message import Message

__all__ = ["RECIP_PREFIX", "Recipient", "RecipientSlot", "recip_storage_name"]

RECIP_PREFIX = "__recip_version1.0_#"

MAPI_ORIG = 0
MAPI_TO = 1
MAPI_CC = 2
MAPI_BCC = 3
_TYPE_NAMES = {MAPI_ORIG: "orig", MAPI_TO: "to", MAPI_CC: "cc", MAPI_BCC: "bcc"}
TYPE_CODES = {v: k for k, v in _TYPE_NAMES.items()}

PR_DISPLAY_NAME = 0x3001001F
PR_EMAIL_ADDRESS = 0x3003001F
PR_ADDRTYPE = 0x3002001F
PR_SMTP_ADDRESS = 0x39FE001F
PR_RECIPIENT_TYPE = 0x0C150003
PR_ROWID = 0x30000003


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
                data = st.read_stream(PROPS_STREAM)
            except NotFoundError:
                # Damaged file (spec oxmsg §14: tolerate missing streams): an empty row.
                self.problems.append(f"{place}: no {PROPS_STREAM}")
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
        sink.streams[PROPS_STREAM] = P.build_property_stream(None, entries, P.StreamKind.CHILD)
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

    def __init__(self, message: Message, slot: RecipientSlot) -> None:
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
