"""``IMessage`` on ``IStorage``: a .msg message over any backend's storage (spec oxmsg).

A :class:`Message` wraps a root storage (a top-level message) or the
``__substg1.0_3701000D`` storage of an attachment (an embedded message). Guarantees:

* **Lazy.** Opening reads the property stream and nothing else; recipients, attachments,
  named properties and values are read when asked for; attachment data and bodies can be
  streamed (:meth:`~imsg_core.propobj.PropObject.open_property`, :meth:`Attachment.open`).
* **Transacted** (spec imsg-api §9): changes stay in the object until
  :meth:`Message.save_changes`. An attachment's changes reach the message with the
  attachment's own ``save_changes``; an embedded message's reach its attachment the same
  way. The top-level ``save_changes`` writes recipients, the named-property map and the
  property stream, then commits the root storage (unless ``IMSG_NO_ISTG_COMMIT``).
* Every object opened from a message is registered with the session as its child
  (``backend="core"``); closing the session or the message releases them; afterwards
  every method raises :class:`~imsg_core.errors.ObjectDeletedError`. The release callback
  of :meth:`Message.open` fires exactly once, when the top-level message is released.
* New messages follow spec oxmsg §13: ``CLSID_MailMessage`` on the root, a
  ``__nameid_version1.0`` storage, Unicode strings (``PR_STORE_SUPPORT_MASK`` with
  ``STORE_UNICODE_OK``) unless created with ``unicode=False``, in which case strings are
  PT_STRING8 in the given code page, recorded in ``PR_MESSAGE_CODEPAGE`` and
  ``PR_INTERNET_CPID``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from . import props as P
from .attachment import (
    ATTACH_BY_VALUE,
    ATTACH_OLE,
    ATTACH_PREFIX,
    EMBEDDED_NAME,
    MAPI_ATTACH,
    NO_ATTACHMENT,
    PR_ATTACH_DATA_BIN,
    PR_ATTACH_DATA_OBJ,
    PR_ATTACH_METHOD,
    PR_ATTACH_NUM,
    PR_OBJECT_TYPE,
    PR_RENDERING_POSITION,
    Attachment,
    attach_storage_name,
)
from .errors import (
    SCODE,
    AccessDeniedError,
    InvalidParameterError,
    MAPIError,
    NoSupportError,
    NotFoundError,
    error_for,
)
from .propobj import (
    DEFAULT_ATTRS,
    KEEP_OPEN_READWRITE,
    MV_FLAG,
    PROPATTR_READABLE,
    PT_BINARY,
    PT_OBJECT,
    PT_STRING8,
    PT_UNICODE,
    PropError,
    PropObject,
    PropProblem,
    TagLike,
    pid,
    ptype,
    resolve,
)
from .recipient import (
    PR_DISPLAY_NAME,
    PR_RECIPIENT_TYPE,
    PR_ROWID,
    RECIP_PREFIX,
    Recipient,
    RecipientSlot,
    display_label,
    parse_child_index,
)
from .storage import Storage, copy_stream
from .table import Table

if TYPE_CHECKING:
    from .session import Session

__all__ = [
    "CLSID_MAIL_MESSAGE",
    "IMSG_NO_ISTG_COMMIT",
    "MAPI_UNICODE",
    "MAX_EMBEDDING_DEPTH",
    "MODRECIP_ADD",
    "MODRECIP_MODIFY",
    "MODRECIP_REMOVE",
    "Message",
]

IMSG_NO_ISTG_COMMIT = 0x00000001
MAPI_UNICODE = 0x80000000
MODRECIP_ADD = 0x2
MODRECIP_MODIFY = 0x4
MODRECIP_REMOVE = 0x8
MAPI_MOVE = 0x1
MAPI_NOREPLACE = 0x2
MAPI_DECLINE_OK = 0x4
MAPI_DIALOG = 0x8
SUPPRESS_RECEIPT = 0x1
CLEAR_READ_FLAG = 0x4
GENERATE_RECEIPT_ONLY = 0x10
CLEAR_RN_PENDING = 0x20
CLEAR_NRN_PENDING = 0x40
MSGFLAG_READ = 0x1
MSGFLAG_UNSENT = 0x8
MSGFLAG_HASATTACH = 0x10
MSGFLAG_RN_PENDING = 0x100
MSGFLAG_NRN_PENDING = 0x200
STORE_UNICODE_OK = 0x00040000
#: ``PR_STORE_SUPPORT_MASK`` Outlook writes in Unicode files (spec oxmsg §6).
UNICODE_SUPPORT_MASK = 0x00040E79
#: Deepest embedded-message nesting opened or created (spec oxmsg §14: bound recursion).
MAX_EMBEDDING_DEPTH = 64
#: Most recipients / attachments in one message (spec oxmsg §2).
MAX_CHILDREN = 2048

CLSID_MAIL_MESSAGE = uuid.UUID("00020D0B-0000-0000-C000-000000000046")

PR_SUBJECT = 0x0037001F
PR_BODY = 0x1000001F
PR_HTML = 0x10130102
PR_BODY_HTML = 0x1013001F
PR_RTF_COMPRESSED = 0x10090102
PR_MESSAGE_CLASS = 0x001A001F
PR_SENDER_NAME = 0x0C1A001F
PR_SENDER_EMAIL_ADDRESS = 0x0C1F001F
PR_SENDER_SMTP_ADDRESS = 0x5D01001F
PR_SENT_REPRESENTING_NAME = 0x0042001F
PR_SENT_REPRESENTING_EMAIL_ADDRESS = 0x0065001F
PR_SENT_REPRESENTING_SMTP_ADDRESS = 0x5D02001F
PR_CLIENT_SUBMIT_TIME = 0x00390040
PR_MESSAGE_DELIVERY_TIME = 0x0E060040
PR_STORE_SUPPORT_MASK = 0x340D0003
PR_MESSAGE_CODEPAGE = 0x3FFD0003
PR_INTERNET_CPID = 0x3FDE0003
PR_MESSAGE_FLAGS = 0x0E070003
PR_HASATTACH = 0x0E1B000B
PR_DISPLAY_TO = 0x0E04001F
PR_DISPLAY_CC = 0x0E03001F
PR_DISPLAY_BCC = 0x0E02001F
PR_MESSAGE_RECIPIENTS = 0x0E12000D
PR_MESSAGE_ATTACHMENTS = 0x0E13000D
PR_TRANSPORT_MESSAGE_HEADERS = 0x007D001F
PR_INTERNET_MESSAGE_ID = 0x1035001F

_FIXED_SIZE = {0x0002: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x000B: 2}


class Message(PropObject):
    """A message (top-level or embedded). Make one with :meth:`open` / :meth:`create`
    (or ``Session.open`` / ``Session.create``); embedded ones come from
    :meth:`Attachment.open_embedded`."""

    object_kind = "message"

    def __init__(
        self,
        session: Session,
        storage: Storage,
        *,
        writable: bool,
        new: bool,
        parent: Attachment | None = None,
        flags: int = 0,
        unicode: bool | None = None,
        codepage: int | None = None,
        owns_storage: bool = False,
    ) -> None:
        self.kind = P.StreamKind.TOP_LEVEL if parent is None else P.StreamKind.EMBEDDED
        self._parent = parent
        self._flags = flags
        self._owns_storage = owns_storage
        self.depth: int = 0 if parent is None else parent.message_parent.depth + 1
        super().__init__(session, storage, writable=writable, new=new)
        self._new = new
        if new:
            self._header = P.PropertyStreamHeader(kind=self.kind)
        self._names: Any = None
        self._names_dirty = False
        self._recips: list[RecipientSlot] | None = None
        self._removed_recips: set[int] = set()
        self._recip_used: set[int] | None = None  # storage numbers taken (cache)
        self._recip_high = 0
        self._recips_changed = False
        self._derived_dirty = False
        self._attachments_changed = False
        self._open_attachments: dict[int, Attachment] = {}
        # set by _before_save for the _header_for_save that follows it
        self._save_indices: tuple[list[int], list[int]] | None = None
        self._next_recip = self._header.next_recipient_id
        self._next_attach = self._header.next_attachment_id
        self._unicode_state: bool = self._detect_unicode() if unicode is None else unicode
        self._cp_read: list[int] = []
        self._cp_write: int | None = codepage
        self._load_codepages()
        if new:
            self._init_new(codepage)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        session: Session,
        storage: Storage,
        *,
        owns_storage: bool = False,
        flags: int = 0,
        callback: Callable[[int, Message], None] | None = None,
        caller_data: int = 0,
    ) -> Message:
        """``OpenIMsgOnIStg`` on a storage holding a message.

        The message is writable when the storage is. ``owns_storage``: release the storage
        with the message. ``flags``: ``IMSG_NO_ISTG_COMMIT`` (``save_changes`` does not
        commit ``storage``), ``MAPI_UNICODE`` (an empty writable storage becomes a new
        Unicode message; without it, as in MAPI, an ANSI one; an existing message's own
        strings and ``PR_STORE_SUPPORT_MASK`` decide). ``callback(caller_data, message)``
        runs exactly once, when the message is released. Raises
        :class:`CorruptDataError` for a missing or malformed property stream,
        ``MAPI_E_UNKNOWN_FLAGS`` for other flag bits.
        """
        _check_open_flags(flags)
        if (
            not storage.exists("__properties_version1.0")
            and storage.writable
            and not storage.list()
        ):
            return cls.create(
                session,
                storage,
                owns_storage=owns_storage,
                flags=flags,
                unicode=bool(flags & MAPI_UNICODE),
                callback=callback,
                caller_data=caller_data,
            )
        msg = cls(
            session,
            storage,
            writable=storage.writable,
            new=False,
            flags=flags,
            owns_storage=owns_storage,
        )
        msg._register(callback, caller_data)
        return msg

    @classmethod
    def create(
        cls,
        session: Session,
        storage: Storage,
        *,
        owns_storage: bool = False,
        flags: int = 0,
        unicode: bool = True,
        codepage: int | None = None,
        callback: Callable[[int, Message], None] | None = None,
        caller_data: int = 0,
    ) -> Message:
        """A new, empty top-level message on a writable (empty) ``storage``.

        ``unicode=False`` makes an ANSI message whose strings are PT_STRING8 in
        ``codepage`` (default 1252). Nothing reaches the medium until :meth:`save_changes`.
        Raises :class:`AccessDeniedError` for a read-only storage.
        """
        _check_open_flags(flags)
        if not storage.writable:
            raise AccessDeniedError(
                f"cannot create a message on read-only storage {storage.path!r}"
            )
        if not unicode and codepage is None:
            codepage = 1252
        msg = cls(
            session,
            storage,
            writable=True,
            new=True,
            flags=flags,
            unicode=unicode,
            codepage=codepage,
            owns_storage=owns_storage,
        )
        msg._register(callback, caller_data)
        return msg

    @classmethod
    def _make(
        cls,
        session: Session,
        storage: Storage,
        *,
        parent: Attachment,
        new: bool,
        writable: bool,
        unicode: bool | None = None,
        codepage: int | None = None,
    ) -> Message:
        msg = cls(
            session,
            storage,
            writable=writable,
            new=new,
            parent=parent,
            unicode=unicode,
            codepage=codepage,
        )
        session.register(msg, parent=parent, backend="core", kind="embedded-message")
        return msg

    def _register(self, callback: Callable[[int, Message], None] | None, caller_data: int) -> None:
        on_release = None
        if callback is not None:

            def on_release() -> None:
                callback(caller_data, self)

        self._session.register(
            self, parent=self._storage, backend="core", kind="message", on_release=on_release
        )

    def _init_new(self, codepage: int | None) -> None:
        if self._parent is None:
            self._storage.set_class(CLSID_MAIL_MESSAGE)
        if not self._unicode_state:
            cp = codepage or 1252
            self._put(PR_MESSAGE_CODEPAGE, cp, 0x6)
            self._put(PR_INTERNET_CPID, cp, 0x6)

    def _detect_unicode(self) -> bool:
        # The strings themselves decide when they agree (some writers set a mask without
        # STORE_UNICODE_OK on Unicode strings); else the mask; else the parent.
        types = {ptype(t) & ~MV_FLAG for t in self._entries}
        if PT_UNICODE in types and PT_STRING8 not in types:
            return True
        if PT_STRING8 in types and PT_UNICODE not in types:
            return False
        mask = self._entries.get(PR_STORE_SUPPORT_MASK)
        if mask is not None:
            v = P.read_value(self._storage, mask)
            if isinstance(v, int):
                return bool(v & STORE_UNICODE_OK)
        if self._parent is not None:
            return self._parent.message_parent._unicode()
        return True

    def _load_codepages(self) -> None:
        cps = P.string8_codepages(self._entries)
        if not cps and self._parent is not None:
            parent_cps = self._parent.message_parent._codepage()
            cps = list(parent_cps) if parent_cps else []
        self._cp_read = cps
        if cps:
            self._cp_write = cps[0]

    _CODEPAGE_IDS = frozenset({0x3FFD, 0x3FF1, 0x3FDE})  # code page, locale, Internet CPID

    def _changed(self, tag: int) -> None:
        if pid(tag) in self._CODEPAGE_IDS:
            self._load_codepages()

    # -- PropObject hooks --------------------------------------------------------------------
    def _unicode(self) -> bool:
        return self._unicode_state

    def _codepage(self) -> Any:
        return self._cp_read or None

    def _write_codepage(self) -> int | None:
        return self._cp_write

    def _html_codepages(self) -> list[int]:
        return list(P.string8_codepages(self._entries, PR_BODY_HTML)) or self._cp_read

    @property
    def unicode(self) -> bool:
        """True when this message stores strings as PT_UNICODE."""
        return self._unicode_state

    @property
    def top(self) -> Message:
        """The top-level message of this message's .msg file."""
        node: Message = self
        while node._parent is not None:
            node = node._parent.message_parent
        return node

    @property
    def parent_attachment(self) -> Attachment | None:
        """The attachment holding this embedded message (``None`` at top level)."""
        return self._parent

    @property
    def embedded(self) -> bool:
        """True for an embedded message."""
        return self._parent is not None

    def _named_map(self) -> Any:
        top = self.top
        if top._names is None:
            top._check()
            top._names = P.NamedPropertyMap.load(top._storage)
        return top._names

    # -- named properties -------------------------------------------------------------------
    def get_names_from_ids(self, tags: Iterable[TagLike] | None = None) -> list[Any]:
        """``GetNamesFromIDs``: the ``MAPINAMEID`` of each tag's ID (``None`` for IDs with
        no name). ``None`` asks for every named property of the map."""
        self._check()
        names = self._named_map()
        if tags is None:
            return list(names.names)
        return list(names.names_from_ids([pid(resolve(t)) for t in tags]))

    def get_ids_from_names(self, names: Sequence[Any], create: bool = False) -> list[int]:
        """``GetIDsFromNames``: the tag (type ``PT_UNSPECIFIED``) of each name, or
        ``PROP_TAG(PT_ERROR, 0)`` (0x0000000A) for an unknown name when not ``create``.
        ``create`` needs a writable message."""
        self._check()
        if create:
            self.top._check_write("create named properties")
        nmap = self._named_map()
        ids = nmap.ids_from_names(list(names), create)
        if create:
            self.top._names_dirty = True
        return [0x000A if i is None else (int(i) << 16) for i in ids]

    @property
    def named(self) -> NamedProps:
        """Named properties by ``(property set, name or id)``."""
        return NamedProps(self)

    # -- recipients -------------------------------------------------------------------------
    def _child_indices(self, prefix: str) -> list[int]:
        return self._indices_of(prefix)[0]

    def _recip_and_attach_indices(self) -> tuple[list[int], list[int]]:
        recips, atts = self._indices_of(RECIP_PREFIX, ATTACH_PREFIX)
        return recips, atts

    def _indices_of(self, *prefixes: str) -> list[list[int]]:
        """The sorted numbers of the child storages named ``prefix`` + 8 hex digits, one
        list per prefix, from one listing of the storage."""
        out: list[list[int]] = [[] for _ in prefixes]
        for name in self._storage.storage_names():
            for found, prefix in zip(out, prefixes, strict=True):
                idx = parse_child_index(name, prefix)
                if idx is not None:
                    found.append(idx)
                    break
        for found in out:
            found.sort()
        return out

    def _recipient_slots(self) -> list[RecipientSlot]:
        self._check()
        if self._recips is None:
            slots = []
            indices = self._child_indices(RECIP_PREFIX)
            if indices:
                codepage, where = self._codepage(), self._where()
            for idx in indices:
                slot = RecipientSlot(idx, on_disk=True)
                slot.load(self._storage, codepage, where)
                slots.append(slot)
            self._recips = slots
        return self._recips

    def get_recipient_table(self) -> Table:
        """``GetRecipientTable``: one row per recipient, default columns PR_ROWID,
        PR_DISPLAY_NAME, PR_RECIPIENT_TYPE, PR_EMAIL_ADDRESS, PR_ADDRTYPE."""
        rows = [s.row() for s in self._recipient_slots()]
        cols = [PR_ROWID, PR_DISPLAY_NAME, PR_RECIPIENT_TYPE, 0x3003001F, 0x3002001F]
        return Table(rows, cols)

    @property
    def recipients(self) -> list[Recipient]:
        """The recipients, in storage order."""
        return [Recipient(self, s) for s in self._recipient_slots()]

    def modify_recipients(self, rows: Iterable[Mapping[TagLike, object]], flags: int = 0) -> None:
        """``ModifyRecipients``. ``flags`` 0 replaces the whole list; ``MODRECIP_ADD``
        appends; ``MODRECIP_MODIFY`` replaces the whole property set of the rows named by
        their ``PR_ROWID``; ``MODRECIP_REMOVE`` deletes the rows named by ``PR_ROWID``.
        Added rows get ``PR_ROWID`` = their storage number. Changes are written by
        :meth:`save_changes`. Raises :class:`InvalidParameterError` (``PR_ROWID`` present
        for add/replace or missing for modify/remove, PT_NULL values, unknown flags),
        :class:`NotFoundError` (no such row), ``MAPI_E_TABLE_TOO_BIG`` past 2048 rows."""
        self._check_write("modify recipients")
        if flags & ~(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE) or bin(flags).count("1") > 1:
            raise InvalidParameterError(
                f"bad ModifyRecipients flags 0x{flags:X}", SCODE.MAPI_E_UNKNOWN_FLAGS
            )
        parsed = [_parse_row(r) for r in rows]
        slots = self._recipient_slots()
        if flags in (0, MODRECIP_ADD):
            for row in parsed:
                if _has_rowid(row):
                    raise InvalidParameterError("PR_ROWID must not be given to add recipients")
            if flags == 0:
                for s in slots:
                    if s.on_disk:
                        self._removed_recips.add(s.index)
                slots.clear()
            for row in parsed:
                self._add_recipient_slot(row)
        else:
            by_id = {self._rowid_of(s): s for s in slots}
            for row in parsed:
                rid = next((v for t, v in row.items() if pid(t) == pid(PR_ROWID)), None)
                if not isinstance(rid, int):
                    raise InvalidParameterError(
                        "PR_ROWID is required to modify or remove recipients"
                    )
                slot = by_id.get(rid)
                if slot is None:
                    raise NotFoundError(f"no recipient with PR_ROWID {rid} in {self._where()!r}")
                if flags == MODRECIP_REMOVE:
                    slots.remove(slot)
                    if slot.on_disk:
                        self._removed_recips.add(slot.index)
                else:
                    slot.values = dict(row.items())
                    slot.flags = {}
                    slot.dirty = True
        self._recips_changed = True
        self._derived_dirty = True
        self._dirty = True

    def _rowid_of(self, slot: RecipientSlot) -> int:
        for t, v in slot.values.items():
            if pid(t) == pid(PR_ROWID) and isinstance(v, int):
                return v
        return slot.index

    def _add_recipient_slot(
        self, row: dict[int, object], index: int | None = None, flags: dict[int, int] | None = None
    ) -> RecipientSlot:
        slots = self._recipient_slots()
        if len(slots) >= MAX_CHILDREN:
            raise MAPIError(
                f"a message holds at most {MAX_CHILDREN} recipients", SCODE.MAPI_E_TABLE_TOO_BIG
            )
        used = self._recip_used
        if used is None:
            used = self._recip_used = {s.index for s in slots} | self._removed_recips
            self._recip_high = max(used, default=-1) + 1
        if index is None or index in used:
            index = max(self._next_recip, self._recip_high)
        used.add(index)
        self._recip_high = max(self._recip_high, index + 1)
        values = dict(row)
        if flags is None and not _has_rowid(values):
            values[PR_ROWID] = index
        slot = RecipientSlot(index, values=values, flags=dict(flags or {}), dirty=True)
        slots.append(slot)
        self._next_recip = max(self._next_recip, index + 1)
        self._recips_changed = True
        self._dirty = True
        return slot

    def add_recipient(
        self,
        email: str,
        name: str | None = None,
        type: str | int = "to",
        *,
        address_type: str = "SMTP",
    ) -> None:
        """Convenience: append a resolved SMTP recipient (``type`` ``"to"``/``"cc"``/
        ``"bcc"``)."""
        from .recipient import TYPE_CODES

        code = TYPE_CODES[type] if isinstance(type, str) else int(type)
        self._check_write("modify recipients")
        # modify_recipients(MODRECIP_ADD) of a row whose tags are known good (no parsing)
        self._add_recipient_slot(
            {
                PR_DISPLAY_NAME: name or email,
                0x3003001F: email,
                0x3002001F: address_type,
                0x39FE001F: email,
                PR_RECIPIENT_TYPE: code,
                0x0FFE0003: 6,  # PR_OBJECT_TYPE = MAPI_MAILUSER
                0x39000003: 0,  # PR_DISPLAY_TYPE = DT_MAILUSER
            }
        )
        self._derived_dirty = True

    def remove_recipient(self, recipient: Recipient | int) -> None:
        """Convenience: remove a recipient (a :class:`Recipient` or its ``rowid``)."""
        rid = recipient.rowid if isinstance(recipient, Recipient) else int(recipient)
        self.modify_recipients([{PR_ROWID: rid}], MODRECIP_REMOVE)

    def _write_recipients(self) -> None:
        if not self._recips_changed:
            return
        for idx in sorted(self._removed_recips):
            name = f"{RECIP_PREFIX}{idx:08X}"
            if self._storage.exists(name):
                self._storage.destroy(name)
        self._removed_recips.clear()
        self._recip_used = None
        for slot in self._recipient_slots():
            if slot.dirty:
                slot.write(self._storage, self._write_codepage(), self._unicode_state)

    # -- attachments ------------------------------------------------------------------------
    def attachment_numbers(self) -> list[int]:
        """The ``PR_ATTACH_NUM`` of every (saved) attachment, in storage order."""
        self._check()
        return self._child_indices(ATTACH_PREFIX)

    def get_attachment_table(self) -> Table:
        """``GetAttachmentTable``: one row per saved attachment with every property except
        the data (``PR_ATTACH_DATA_BIN``/``_OBJ``); default columns PR_ATTACH_NUM,
        PR_ATTACH_METHOD, PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME,
        PR_ATTACH_SIZE, PR_RENDERING_POSITION."""
        rows = []
        for num in self.attachment_numbers():
            with self._storage.open_storage(attach_storage_name(num), "r") as st:
                try:
                    data = st.read_stream("__properties_version1.0")
                except NotFoundError:  # damaged attachment: a row with its number only
                    data = b"\0" * 8
                _, entries = P.parse_property_stream(data, P.StreamKind.CHILD, where=st.path)
                row: dict[int, object] = {}
                for e in entries:
                    if pid(e.tag) == 0x3701 or ptype(e.tag) == PT_OBJECT:
                        continue
                    if not e.flags & PROPATTR_READABLE:
                        continue
                    try:
                        row[e.tag] = P.read_value(st, e, codepage=self._codepage(), where=st.path)
                    except MAPIError as exc:
                        row[e.tag] = PropError(e.tag, exc.hresult)
                if not any(pid(t) == pid(PR_ATTACH_NUM) for t in row):
                    row[PR_ATTACH_NUM] = num
            rows.append(row)
        cols = [
            PR_ATTACH_NUM,
            PR_ATTACH_METHOD,
            0x3707001F,
            0x3704001F,
            PR_DISPLAY_NAME,
            0x0E200003,
            PR_RENDERING_POSITION,
        ]
        return Table(rows, cols)

    def open_attach(self, num: int, mode: Literal["r", "r+"] | None = None) -> Attachment:
        """``OpenAttach``: the attachment with ``PR_ATTACH_NUM`` ``num``. ``mode`` defaults
        to read/write on a writable message (``MAPI_BEST_ACCESS``). A second open returns
        the same object. Raises :class:`NotFoundError`, :class:`AccessDeniedError`."""
        self._check()
        att = self._open_attachments.get(num)
        if att is not None and not att.closed:
            return att
        name = attach_storage_name(num)
        if not self._storage.exists(name):
            raise NotFoundError(f"message {self._where()!r} has no attachment #{num}")
        want = mode or ("r+" if self.writable else "r")
        if want == "r+":
            self._check_write("open an attachment for writing")
        st = self._storage.open_storage(name, want)
        try:
            att = Attachment(self, st, num, writable=want == "r+")
        except BaseException:
            st.close()
            raise
        self._session.register(att, parent=self, backend="core", kind="attachment")
        self._open_attachments[num] = att
        return att

    def create_attach(self) -> Attachment:
        """``CreateAttach``: a new attachment (``PR_ATTACH_METHOD`` = ``NO_ATTACHMENT``).
        Its properties reach the message with its ``save_changes``. Raises
        ``MAPI_E_TABLE_TOO_BIG`` past 2048 attachments."""
        return self._create_attach(None, derived=True)

    def _create_attach(
        self, num: int | None, *, derived: bool, write_now: bool = True
    ) -> Attachment:
        self._check_write("create an attachment")
        existing = self._child_indices(ATTACH_PREFIX)
        if len(existing) >= MAX_CHILDREN:
            raise MAPIError(
                f"a message holds at most {MAX_CHILDREN} attachments", SCODE.MAPI_E_TABLE_TOO_BIG
            )
        used = set(existing) | set(self._open_attachments)
        if num is None or num in used:
            num = max([self._next_attach, *(i + 1 for i in used)])
        self._next_attach = max(self._next_attach, num + 1)
        st = self._storage.create_storage(attach_storage_name(num), overwrite=True)
        att = Attachment(self, st, num, writable=True, new=True)
        self._session.register(att, parent=self, backend="core", kind="attachment")
        self._open_attachments[num] = att
        if derived:  # a copy brings its own values instead
            att._put_many(
                (
                    (PR_ATTACH_NUM, num, PROPATTR_READABLE),
                    (PR_OBJECT_TYPE, MAPI_ATTACH, PROPATTR_READABLE),
                    (PR_ATTACH_METHOD, NO_ATTACHMENT, 0x6),
                    (PR_RENDERING_POSITION, -1, 0x6),
                )
            )
        if write_now:  # so the storage is a valid attachment even before its first save
            att._write_props()
            st.commit()
        self._attachments_changed = True
        self._derived_dirty = self._derived_dirty or derived
        self._dirty = True
        return att

    def delete_attach(self, num: int) -> None:
        """``DeleteAttach``: remove attachment ``num``; an open attachment object is
        released first. Permanent with :meth:`save_changes`. Raises
        :class:`NotFoundError`."""
        self._check_write("delete an attachment")
        name = attach_storage_name(num)
        if not self._storage.exists(name):
            raise NotFoundError(f"message {self._where()!r} has no attachment #{num}")
        att = self._open_attachments.get(num)
        if att is not None:
            att.close()  # an unsaved new attachment is discarded by its release
        if self._storage.exists(name):
            self._storage.destroy(name)
        self._attachments_changed = True
        self._derived_dirty = True
        self._dirty = True

    @property
    def attachments(self) -> list[Attachment]:
        """Every attachment, opened (read/write on a writable message)."""
        return [self.open_attach(n) for n in self.attachment_numbers()]

    def add_attachment(
        self,
        filename: str,
        data: bytes | bytearray | memoryview | BinaryIO,
        mime_type: str | None = None,
        *,
        content_id: str | None = None,
    ) -> Attachment:
        """Convenience: create, fill and save a by-value attachment. ``data`` is bytes or a
        readable binary file object, which is copied in chunks (never read whole). On
        failure no attachment is left behind."""
        att = self._create_attach(None, derived=True, write_now=False)  # saved below
        try:
            self._fill_attachment(att, filename, data, mime_type, content_id)
        except BaseException:
            att.close()  # never saved: discarded with its storage
            raise
        return att

    def _fill_attachment(
        self,
        att: Attachment,
        filename: str,
        data: bytes | bytearray | memoryview | BinaryIO,
        mime_type: str | None,
        content_id: str | None,
    ) -> None:
        for what, text in (
            ("filename", filename),
            ("mime_type", mime_type),
            ("content_id", content_id),
        ):
            if not isinstance(text, str) and (text is not None or what == "filename"):
                raise InvalidParameterError(
                    f"add_attachment: {what} must be a str, not {type(text).__name__}"
                )
        if not isinstance(data, (bytes, bytearray, memoryview)) and not callable(
            getattr(data, "read", None)
        ):
            raise InvalidParameterError(
                "add_attachment: data must be bytes or a readable binary file object, "
                f"not {type(data).__name__}"
            )
        values: list[tuple[int, object, int]] = [
            (PR_ATTACH_METHOD, ATTACH_BY_VALUE, DEFAULT_ATTRS),
            (0x3707001F, filename, DEFAULT_ATTRS),
            (0x3704001F, filename, DEFAULT_ATTRS),
            (PR_DISPLAY_NAME, filename, DEFAULT_ATTRS),
        ]
        ext = filename.rsplit(".", 1)[1] if "." in filename else ""
        if ext:
            values.append((0x3703001F, "." + ext, DEFAULT_ATTRS))
        if mime_type:
            values.append((0x370E001F, mime_type, DEFAULT_ATTRS))
        if content_id:
            values.append((0x3712001F, content_id, DEFAULT_ATTRS))
        if isinstance(data, (bytes, bytearray, memoryview)):
            values.append((PR_ATTACH_DATA_BIN, bytes(data), DEFAULT_ATTRS))
            size = len(data)
        else:
            size = 0
            with att.open_property(PR_ATTACH_DATA_BIN, "w") as out:
                while chunk := data.read(1 << 20):
                    if not isinstance(chunk, (bytes, bytearray, memoryview)):
                        raise InvalidParameterError(
                            "add_attachment: data must be a binary file object; its read "
                            f"returned {type(chunk).__name__}"
                        )
                    out.write(chunk)
                    size += len(chunk)
        values.append((0x0E200003, size, DEFAULT_ATTRS))
        att._put_many(values)  # a new attachment: no attribute checks to make
        att.save_changes()

    def _attachment_saved(self, att: Attachment) -> None:
        self._attachments_changed = True
        self._dirty = True

    def _attachment_released(self, att: Attachment, *, discard: bool) -> None:
        if self._open_attachments.get(att.num) is att:
            del self._open_attachments[att.num]
        if discard and not self._released and self.writable:
            # MAPI: a created attachment released without its own SaveChanges never existed
            name = attach_storage_name(att.num)
            with contextlib.suppress(MAPIError):
                if self._storage.exists(name):
                    self._storage.destroy(name)

    # -- derived properties and saving ----------------------------------------------------------
    def _compute_derived(self) -> None:
        if self._new:
            if self._find(PR_MESSAGE_CLASS) is None:
                self._put(PR_MESSAGE_CLASS, "IPM.Note", 0x6)
            if self._unicode_state and self._find(PR_STORE_SUPPORT_MASK) is None:
                self._put(PR_STORE_SUPPORT_MASK, UNICODE_SUPPORT_MASK, PROPATTR_READABLE)
            if self._find(PR_MESSAGE_FLAGS) is None:
                self._put(PR_MESSAGE_FLAGS, MSGFLAG_UNSENT, 0x6)
        if not self._derived_dirty:
            return
        if self._recips is not None:
            by_type: dict[int, list[str]] = {1: [], 2: [], 3: []}
            for s in self._recips:
                code = s.values.get(PR_RECIPIENT_TYPE)
                code = code & 0x0FFFFFFF if isinstance(code, int) else 1
                if code in by_type:
                    by_type[code].append(display_label(s.values))
            for code, tag in ((1, PR_DISPLAY_TO), (2, PR_DISPLAY_CC), (3, PR_DISPLAY_BCC)):
                if by_type[code]:
                    self._put(tag, "; ".join(by_type[code]), PROPATTR_READABLE)
                elif self._find(tag) is not None:
                    self._remove(pid(tag))
        indices = self._save_indices
        has = bool(indices[1] if indices is not None else self._child_indices(ATTACH_PREFIX))
        self._put(PR_HASATTACH, has, PROPATTR_READABLE)
        flags_tag = self._find(PR_MESSAGE_FLAGS)
        if flags_tag is not None:
            v = self._get_one(flags_tag)
            if isinstance(v, int):
                new = v | MSGFLAG_HASATTACH if has else v & ~MSGFLAG_HASATTACH
                if new != v:
                    self._put(PR_MESSAGE_FLAGS, new, self._entries[flags_tag].flags)
        self._derived_dirty = False

    def _before_save(self) -> None:
        self._write_recipients()
        # One listing of the storage serves the derived properties and the header.
        changed = self._recips_changed or self._attachments_changed or self._new
        self._save_indices = (
            self._recip_and_attach_indices() if changed or self._derived_dirty else None
        )
        self._compute_derived()
        if self._parent is None:
            nameid = "__nameid_version1.0"
            if self._names_dirty or (self._new and not self._storage.exists(nameid)):
                self._named_map().save(self._storage)
                self._names_dirty = False

    def _header_for_save(self) -> Any:
        indices, self._save_indices = self._save_indices, None
        if not (self._recips_changed or self._attachments_changed or self._new):
            return self._header
        recips, atts = indices or self._recip_and_attach_indices()
        next_r = max([self._next_recip, *(i + 1 for i in recips)]) if recips else 0
        next_a = max([self._next_attach, *(i + 1 for i in atts)]) if atts else 0
        self._recips_changed = False
        self._attachments_changed = False
        return P.PropertyStreamHeader(next_r, next_a, len(recips), len(atts), kind=self.kind)

    def _commit(self) -> None:
        if self._parent is None and self._flags & IMSG_NO_ISTG_COMMIT:
            return
        self._storage.commit()

    def save_changes(self, flags: int = KEEP_OPEN_READWRITE) -> None:
        """``SaveChanges`` (see :meth:`PropObject.save_changes`): writes recipients, derived
        properties (``PR_DISPLAY_TO/CC/BCC``, ``PR_HASATTACH`` when recipients or
        attachments changed), the named-property map, the property stream with fresh
        counts, then commits: a top-level message to the medium unless
        ``IMSG_NO_ISTG_COMMIT``; an embedded message into its attachment (save the
        attachment, then the message, to make it permanent)."""
        super().save_changes(flags)
        self._new = False

    def submit_message(self, flags: int = 0) -> None:
        """``SubmitMessage``: not supported on IMessage-on-IStorage (``MAPI_E_NO_SUPPORT``);
        the message is not changed."""
        self._check()
        raise NoSupportError("SubmitMessage is not supported on a message stored in a storage")

    def set_read_flag(self, flags: int = 0) -> None:
        """``SetReadFlag``: set (or with ``CLEAR_READ_FLAG`` clear) ``MSGFLAG_READ`` in
        ``PR_MESSAGE_FLAGS``, clear ``MSGFLAG_RN_PENDING``/``NRN_PENDING`` as asked, then
        save (``KEEP_OPEN_READWRITE``). No read report is ever sent;
        ``GENERATE_RECEIPT_ONLY`` alone does nothing. Invalid combinations raise
        :class:`InvalidParameterError`."""
        self._check()
        known = (
            SUPPRESS_RECEIPT
            | CLEAR_READ_FLAG
            | 0x8
            | GENERATE_RECEIPT_ONLY
            | CLEAR_RN_PENDING
            | CLEAR_NRN_PENDING
        )
        if flags & ~known:
            raise InvalidParameterError(
                f"unknown SetReadFlag flags 0x{flags:X}", SCODE.MAPI_E_UNKNOWN_FLAGS
            )
        bad = (
            SUPPRESS_RECEIPT | CLEAR_READ_FLAG,
            CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY,
        )
        if any(flags & b == b for b in bad):
            raise InvalidParameterError(f"invalid SetReadFlag flag combination 0x{flags:X}")
        if flags & GENERATE_RECEIPT_ONLY:
            return
        self._check_write("set the read flag")
        v = self.get_prop(PR_MESSAGE_FLAGS, 0)
        v = int(v) if isinstance(v, int) else 0
        v = v & ~MSGFLAG_READ if flags & CLEAR_READ_FLAG else v | MSGFLAG_READ
        if flags & CLEAR_RN_PENDING:
            v &= ~MSGFLAG_RN_PENDING
        if flags & CLEAR_NRN_PENDING:
            v &= ~MSGFLAG_NRN_PENDING
        stored = self._find(PR_MESSAGE_FLAGS)
        self._put(PR_MESSAGE_FLAGS, v, self._entries[stored].flags if stored else 0x6)
        self.save_changes(KEEP_OPEN_READWRITE)

    # -- copying --------------------------------------------------------------------------
    def copy_to(
        self,
        dest: Message,
        exclude: Iterable[TagLike] = (),
        *,
        flags: int = 0,
    ) -> list[PropProblem]:
        """``CopyTo``: copy every property (except those whose ID is in ``exclude``), the
        recipients (unless ``PR_MESSAGE_RECIPIENTS`` is excluded) and the attachments with
        their embedded messages (unless ``PR_MESSAGE_ATTACHMENTS`` is excluded) into
        ``dest``, which may live on any backend. Named properties are remapped by name.
        Values are copied as stored (streams chunk by chunk, never whole); strings are
        converted when ``dest`` has the other string mode. ``MAPI_NOREPLACE`` keeps
        properties ``dest`` already has. Recipients replace ``dest``'s list; attachments
        are appended and saved into ``dest``; ``dest`` itself still needs
        ``save_changes``. Returns the per-property problems (``MAPI_E_NO_ACCESS`` for
        read-only properties of ``dest``). Raises :class:`AccessDeniedError` for
        ``dest is self`` or a read-only ``dest``."""
        self._check()
        dest._check_write("copy into the message")
        if dest is self:
            raise AccessDeniedError("cannot copy a message onto itself")
        if flags & ~(MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK | MAPI_DIALOG):
            raise InvalidParameterError(
                f"unknown CopyTo flags 0x{flags:X}", SCODE.MAPI_E_UNKNOWN_FLAGS
            )
        excluded = {pid(resolve(t)) for t in exclude}
        problems = _copy_props(
            self, dest, excluded, noreplace=bool(flags & MAPI_NOREPLACE), check=True
        )
        if pid(PR_MESSAGE_RECIPIENTS) not in excluded:
            self._copy_recipients(dest)
        if pid(PR_MESSAGE_ATTACHMENTS) not in excluded:
            for num in self.attachment_numbers():
                self._copy_attachment(num, dest)
        return problems

    def copy_props(
        self, dest: Message, include: Iterable[TagLike], *, flags: int = 0
    ) -> list[PropProblem]:
        """``CopyProps``: copy only the listed properties; ``PR_MESSAGE_RECIPIENTS`` /
        ``PR_MESSAGE_ATTACHMENTS`` in the list copy the recipients / attachments."""
        self._check()
        dest._check_write("copy into the message")
        if dest is self:
            raise AccessDeniedError("cannot copy a message onto itself")
        wanted = {pid(resolve(t)) for t in include}
        if not wanted:
            raise InvalidParameterError("copy_props needs at least one tag")
        excluded = {pid(t) for t in self._entries} - wanted
        problems = _copy_props(
            self, dest, excluded, noreplace=bool(flags & MAPI_NOREPLACE), check=True
        )
        if pid(PR_MESSAGE_RECIPIENTS) in wanted:
            self._copy_recipients(dest)
        if pid(PR_MESSAGE_ATTACHMENTS) in wanted:
            for num in self.attachment_numbers():
                self._copy_attachment(num, dest)
        return problems

    def _copy_recipients(self, dest: Message) -> None:
        src_slots = self._recipient_slots()
        dest_slots = dest._recipient_slots()
        for s in dest_slots:
            if s.on_disk:
                dest._removed_recips.add(s.index)
        dest_slots.clear()
        fresh = not dest._removed_recips
        same_names = self._named_map() is dest._named_map()
        for s in src_slots:
            values: dict[int, object] = {}
            fl: dict[int, int] = {}
            named = False
            for tag, v in s.values.items():
                named = named or pid(tag) >= 0x8000
                t = _remap_tag(self, dest, tag)
                if t is None:
                    continue
                values[t] = v
                fl[t] = s.flags.get(tag, 0x6)
            slot = dest._add_recipient_slot(values, s.index if fresh else None, fl)
            raw = s.on_disk and (same_names or not named) and self._unicode() == dest._unicode()
            if raw:  # copy the storage as stored: exact bytes, even types we cannot encode
                with (
                    self._storage.open_storage(s.storage_name, "r") as src_st,
                    dest._storage.create_storage(slot.storage_name, overwrite=True) as d_st,
                ):
                    src_st.copy_to(d_st)
                    d_st.commit()
                slot.on_disk = True
                slot.dirty = False
                dest._removed_recips.discard(slot.index)
        if fresh:
            dest._next_recip = max(dest._next_recip, self._header.next_recipient_id)

    def _copy_attachment(self, num: int, dest: Message) -> None:
        was_open = num in self._open_attachments
        src = self.open_attach(num, None if was_open else "r")
        try:
            datt = dest._create_attach(num, derived=False)
            try:
                _copy_props(src, datt, set(), noreplace=False, check=False)
                obj = src._object_tag()
                if obj is not None:
                    if src.method == ATTACH_OLE or not _is_message_storage(src):
                        with (
                            src.open_object_storage() as s_st,
                            datt.open_object_storage(create=True) as d_st,
                        ):
                            s_st.copy_to(d_st)
                            d_st.commit()
                        e = src._entries.get(obj)
                        if e is not None:
                            datt._entries[PR_ATTACH_DATA_OBJ] = P.RawEntry(
                                PR_ATTACH_DATA_OBJ, e.flags, e.value
                            )
                    else:
                        emb_src = src.open_embedded()
                        emb_dst = datt.open_embedded(
                            create=True,
                            unicode=emb_src.unicode,
                            codepage=emb_src._write_codepage(),
                        )
                        emb_src.copy_to(emb_dst)
                        emb_dst._next_recip = max(
                            emb_dst._next_recip, emb_src._header.next_recipient_id
                        )
                        emb_dst._next_attach = max(
                            emb_dst._next_attach, emb_src._header.next_attachment_id
                        )
                        emb_dst.save_changes()
                        emb_dst.close()
                        e = src._entries.get(obj)
                        if e is not None:
                            datt._entries[PR_ATTACH_DATA_OBJ] = P.RawEntry(
                                PR_ATTACH_DATA_OBJ, e.flags, e.value
                            )
                datt.save_changes()
            finally:
                datt.close()
        finally:
            if not was_open:
                src.close()
        dest._next_attach = max(dest._next_attach, self._header.next_attachment_id)

    # -- convenience --------------------------------------------------------------------------
    def _str(self, *tags: int) -> str | None:
        for tag in tags:
            v = self.get_prop(tag, None)
            if isinstance(v, str) and v:
                return v
        return None

    def _set(self, tag: int, value: object) -> None:
        if value is None:
            _raise_problems(self.delete_props([tag]), "message")
        else:
            _raise_problems(self.set_props({tag: value}), "message")

    @property
    def subject(self) -> str | None:
        """``PR_SUBJECT``."""
        v = self.get_prop(PR_SUBJECT, None)
        return v if isinstance(v, str) else None

    @subject.setter
    def subject(self, value: str | None) -> None:
        self._set(PR_SUBJECT, value)

    @property
    def body(self) -> str | None:
        """``PR_BODY`` (plain text)."""
        v = self.get_prop(PR_BODY, None)
        return v if isinstance(v, str) else None

    @body.setter
    def body(self, value: str | None) -> None:
        self._set(PR_BODY, value)

    @property
    def html(self) -> str | None:
        """The HTML body as text: ``PR_BODY_HTML`` if stored as a string, else ``PR_HTML``
        bytes decoded with the charset of its ``<meta>`` tag, else ``PR_INTERNET_CPID``,
        else the message code page, else UTF-8 (invalid bytes replaced)."""
        self._check()
        stored = self._find(PR_HTML & 0xFFFF0000)
        if stored is None:
            return None
        v = self._get_one(stored)
        if isinstance(v, str):
            return v
        if isinstance(v, bytes):
            from .bodies import decode_html

            cpid = self.get_prop(PR_INTERNET_CPID, None)
            return decode_html(v, cpid if isinstance(cpid, int) else None, self._cp_read)
        return None

    @html.setter
    def html(self, value: str | bytes | None) -> None:
        if value is None:
            self._set(PR_HTML, None)
        elif isinstance(value, str):
            self._set(PR_HTML, value.encode("utf-8"))
            self._set(PR_INTERNET_CPID, 65001)  # the charset of PR_HTML
        else:
            self._set(PR_HTML, bytes(value))

    @property
    def html_bytes(self) -> bytes | None:
        """``PR_HTML`` as stored (bytes), or ``None``."""
        v = self.get_prop(PR_HTML, None)
        return v if isinstance(v, bytes) else None

    @property
    def rtf(self) -> bytes | None:
        """``PR_RTF_COMPRESSED`` decompressed (MS-OXRTFCP), or ``None``. Raises
        :class:`CorruptDataError` when the compressed data is damaged."""
        v = self.get_prop(PR_RTF_COMPRESSED, None)
        if not isinstance(v, bytes):
            return None
        from .bodies import decompress_rtf

        return decompress_rtf(v, where=f"{self._where()}/__substg1.0_10090102")

    @property
    def message_class(self) -> str | None:
        """``PR_MESSAGE_CLASS`` (e.g. ``"IPM.Note"``)."""
        return self._str(PR_MESSAGE_CLASS)

    @message_class.setter
    def message_class(self, value: str) -> None:
        self._set(PR_MESSAGE_CLASS, value)

    @property
    def sender_name(self) -> str | None:
        """``PR_SENDER_NAME``, else ``PR_SENT_REPRESENTING_NAME``."""
        return self._str(PR_SENDER_NAME, PR_SENT_REPRESENTING_NAME)

    @property
    def sender_email(self) -> str | None:
        """The sender's SMTP address if known, else ``PR_SENDER_EMAIL_ADDRESS``."""
        return self._str(
            PR_SENDER_SMTP_ADDRESS,
            PR_SENDER_EMAIL_ADDRESS,
            PR_SENT_REPRESENTING_SMTP_ADDRESS,
            PR_SENT_REPRESENTING_EMAIL_ADDRESS,
        )

    @property
    def sender(self) -> str | None:
        """``"Name <email>"`` (or whichever of the two is known)."""
        name, email = self.sender_name, self.sender_email
        if name and email and name != email:
            return f"{name} <{email}>"
        return name or email

    def set_sender(self, email: str, name: str | None = None) -> None:
        """Set ``PR_SENDER_*`` and ``PR_SENT_REPRESENTING_*`` to an SMTP sender."""
        values: dict[TagLike, object] = {
            PR_SENDER_NAME: name or email,
            PR_SENDER_EMAIL_ADDRESS: email,
            PR_SENDER_SMTP_ADDRESS: email,
            0x0C1E001F: "SMTP",
            PR_SENT_REPRESENTING_NAME: name or email,
            PR_SENT_REPRESENTING_EMAIL_ADDRESS: email,
            PR_SENT_REPRESENTING_SMTP_ADDRESS: email,
            0x0064001F: "SMTP",
        }
        _raise_problems(self.set_props(values), "message")

    @property
    def sent(self) -> datetime | None:
        """``PR_CLIENT_SUBMIT_TIME`` (UTC)."""
        v = self.get_prop(PR_CLIENT_SUBMIT_TIME, None)
        return v if isinstance(v, datetime) else None

    @sent.setter
    def sent(self, value: datetime | None) -> None:
        self._set(PR_CLIENT_SUBMIT_TIME, value)

    @property
    def received(self) -> datetime | None:
        """``PR_MESSAGE_DELIVERY_TIME`` (UTC)."""
        v = self.get_prop(PR_MESSAGE_DELIVERY_TIME, None)
        return v if isinstance(v, datetime) else None

    @received.setter
    def received(self, value: datetime | None) -> None:
        self._set(PR_MESSAGE_DELIVERY_TIME, value)

    @property
    def headers(self) -> str | None:
        """``PR_TRANSPORT_MESSAGE_HEADERS``."""
        return self._str(PR_TRANSPORT_MESSAGE_HEADERS)

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        """Release the message, everything opened from it and, when it owns it, its
        storage. Unsaved changes are discarded. Idempotent."""
        if self._released:
            return
        session = self._session
        if self._owns_storage and not session.closed and session.record_of(self._storage):
            session.release(self._storage)
            if not self._released:
                self._imsg_release()
        else:
            super().close()

    def _imsg_release(self) -> None:
        if self._released:
            return
        for att in list(self._open_attachments.values()):
            att._imsg_release()
        self._open_attachments.clear()
        self._recips = None
        super()._imsg_release()
        if self._parent is not None:
            with contextlib.suppress(MAPIError):
                self._storage.close()

    def __repr__(self) -> str:
        if self._released:
            return "<Message released>"
        return f"<Message {self._where()!r} subject={self.subject!r}>"


class NamedProps:
    """Named properties of a message by name: ``msg.named[(PSETID_Common, 0x8501)]``,
    ``msg.named[(PS_PUBLIC_STRINGS, "Keywords")]``.

    Keys are ``(guid, name_or_id)`` pairs or :class:`MAPINAMEID` objects. Reading needs the
    value's type, which the message knows: the stored property with that ID is returned.
    Setting needs a type: pass ``(key, ptype)`` as the key, e.g.
    ``msg.named[(guid, "X-Foo"), PT_UNICODE] = "bar"``.
    """

    def __init__(self, message: Message) -> None:
        self._msg = message

    def _nameid(self, key: Any) -> Any:
        if isinstance(key, P.MAPINAMEID):
            return key
        guid, kind = key
        if isinstance(guid, str):
            guid = uuid.UUID(guid)
        return P.MAPINAMEID(guid, kind)

    def tag_of(self, key: Any, create: bool = False) -> int | None:
        """The property ID (shifted into a tag, type 0) of a name, or ``None``."""
        tags = self._msg.get_ids_from_names([self._nameid(key)], create)
        return None if tags[0] == 0x000A else tags[0]

    def __getitem__(self, key: Any) -> Any:
        tag = self.tag_of(key)
        if tag is None:
            raise KeyError(key)
        return self._msg.get_prop(tag)

    def get(self, key: Any, default: Any = None) -> Any:
        """The value of a named property, or ``default``."""
        tag = self.tag_of(key)
        if tag is None:
            return default
        return self._msg.get_prop(tag, default)

    def __setitem__(self, key: tuple[Any, int], value: object) -> None:
        name, pt = key
        tag = self.tag_of(name, create=True)
        assert tag is not None
        _raise_problems(self._msg.set_props({tag | pt: value}), "message")

    def items(self) -> Iterator[tuple[Any, object]]:
        """``(MAPINAMEID, value)`` for every named property the message has."""
        nmap = self._msg._named_map()
        for tag in self._msg.prop_tags():
            if pid(tag) < 0x8000 or ptype(tag) == PT_OBJECT:
                continue
            names = nmap.names_from_ids([pid(tag)])
            if not names or names[0] is None:
                continue
            value = self._msg._get_one(tag)
            if not isinstance(value, PropError):
                yield names[0], value


# ---------------------------------------------------------------------------------- helpers
def _check_open_flags(flags: int) -> None:
    extra = flags & ~(IMSG_NO_ISTG_COMMIT | MAPI_UNICODE)
    if extra:
        raise InvalidParameterError(
            f"unknown OpenIMsgOnIStg flag bits 0x{extra:08X}",
            SCODE.MAPI_E_UNKNOWN_FLAGS,
        )


def _raise_problems(problems: list[PropProblem], what: str) -> None:
    if problems:
        p = problems[0]
        raise error_for(p.scode, f"property 0x{p.tag:08X} of the {what} was not set")


def _parse_row(row: Mapping[TagLike, object]) -> dict[int, object]:
    out: dict[int, object] = {}
    for t, v in row.items():
        tag = t if type(t) is int and 0 <= t <= 0xFFFFFFFF else resolve(t)
        kind = tag & 0xFFFF
        if kind == 0x0001:
            raise InvalidParameterError(f"recipient property 0x{tag:08X} is PT_NULL")
        if kind == 0x000A:
            continue  # PT_ERROR entries are ignored
        out[tag] = v
    return out


_ROWID_ID = PR_ROWID >> 16


def _has_rowid(row: Mapping[int, object]) -> bool:
    return any(t >> 16 == _ROWID_ID for t in row)


def _is_message_storage(att: Attachment) -> bool:
    try:
        with att.storage.open_storage(EMBEDDED_NAME, "r") as st:
            return bool(st.exists("__properties_version1.0"))
    except MAPIError:
        return False


def _remap_tag(src: PropObject, dest: PropObject, tag: int) -> int | None:
    """``tag`` of ``src`` as ``dest`` knows it: named IDs remapped by name (``None`` when
    the name cannot be mapped)."""
    if pid(tag) < 0x8000:
        return tag
    smap = src._named_map()
    dmap = dest._named_map()
    if smap is dmap:
        return tag
    names = smap.names_from_ids([pid(tag)])
    if not names or names[0] is None:
        return tag  # an ID without a name: copy it unchanged
    ids = dmap.ids_from_names([names[0]], True)
    if not ids or ids[0] is None:
        return None
    top = dest.top if isinstance(dest, Message) else dest._message.top  # type: ignore[attr-defined]
    top._names_dirty = True
    return (int(ids[0]) << 16) | ptype(tag)


def _copy_props(
    src: PropObject, dest: PropObject, excluded: set[int], *, noreplace: bool, check: bool
) -> list[PropProblem]:
    problems: list[PropProblem] = []
    src_streams = {st.name.upper(): st.name for st in src._storage.list() if st.is_stream}
    for i, (tag, entry) in enumerate(list(src._entries.items())):
        if pid(tag) in excluded or ptype(tag) == PT_OBJECT:
            continue
        if not entry.flags & PROPATTR_READABLE and check:
            problems.append(PropProblem(i, tag, SCODE.MAPI_E_NO_ACCESS))
            continue
        dtag = _remap_tag(src, dest, tag)
        if dtag is None:
            problems.append(PropProblem(i, tag, SCODE.MAPI_E_NOT_FOUND))
            continue
        if noreplace and dest._by_id.get(pid(dtag)):
            continue
        if dtag == PR_STORE_SUPPORT_MASK and isinstance(dest, Message):
            # computed: keep its other bits, but STORE_UNICODE_OK follows dest's string mode
            mask = src._get_one(tag)
            if isinstance(mask, int):
                bit = STORE_UNICODE_OK if dest.unicode else 0
                dest._put(dtag, (mask & ~STORE_UNICODE_OK) | bit, entry.flags)
                continue
        if check:
            locked = [t for t in dest._by_id.get(pid(dtag), []) if not dest._entries[t].flags & 0x4]
            if locked:
                problems.append(PropProblem(i, tag, SCODE.MAPI_E_NO_ACCESS))
                continue
        try:
            _copy_one(src, dest, tag, dtag, entry=entry, src_streams=src_streams)
        except MAPIError as exc:
            if isinstance(exc, AccessDeniedError) and not dest.writable:
                raise
            problems.append(PropProblem(i, tag, exc.hresult))
    return problems


def _copy_one(
    src: PropObject,
    dest: PropObject,
    tag: int,
    dtag: int,
    *,
    entry: Any,
    src_streams: dict[str, str],
) -> None:
    t = ptype(tag)
    base = t & ~MV_FLAG
    if base in (PT_STRING8, PT_UNICODE):
        want = PT_UNICODE if dest._unicode() else PT_STRING8
        if base != want:  # string mode differs: decode and re-encode
            value = src._decode(tag)
            dest._remove(pid(dtag))
            ntag = (dtag & 0xFFFF0000) | (t & MV_FLAG) | want
            dest._add_entry(
                P.write_value(
                    dest._storage, ntag, value, flags=entry.flags, codepage=dest._write_codepage()
                )
            )
            return
    dest._remove(pid(dtag))
    value = bytes(entry.value)
    if t in _FIXED_SIZE:
        value = value[: _FIXED_SIZE[t]].ljust(8, b"\0")
    prefix = f"__SUBSTG1.0_{tag:08X}"
    dprefix = f"__substg1.0_{dtag:08X}"
    for up, name in src_streams.items():
        if up == prefix or up.startswith(prefix + "-"):
            suffix = name[len(prefix) :]
            with (
                src._storage.open_stream(name) as s,
                dest._storage.create_stream(dprefix + suffix, overwrite=True) as d,
            ):
                copy_stream(s, d)
    if t in (PT_STRING8, PT_UNICODE, PT_BINARY, 0x0048) or t & MV_FLAG:
        value = value[:4] + b"\0\0\0\0"  # zero the reserved word of variable entries
    dest._add_entry(P.RawEntry(dtag, entry.flags, value))
