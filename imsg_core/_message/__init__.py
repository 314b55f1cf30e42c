"""``IMessage`` on ``IStorage``: a .msg message over any backend's storage (spec oxmsg).

A :class:`Message` wraps a root storage (a top-level message) or the
``__substg1.0_3701000D`` storage of an attachment (an embedded message). Guarantees:

* **Lazy.** Opening reads the property stream and nothing else; recipients, attachments,
  named properties and values are read when asked for; attachment data and bodies can be
  streamed (:meth:`~imsg_core._propobj.PropObject.open_property`, :meth:`Attachment.open`).
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
from collections.abc import Callable
from collections.abc import Iterable
from typing import TYPE_CHECKING
from typing import Any
from typing import BinaryIO
from typing import Literal
from typing import cast

from .. import props as P
from .._propobj import PropObject
from .._propobj import TagLike
from .._propobj import resolve
from .._propproblems import PropProblem
from .._recipient import RecipientList
from .._recipient import display_label
from .._storage import Storage
from .._table import Table
from ..errors import SCODE
from ..errors import AccessDeniedError
from ..errors import InvalidParameterError
from ..errors import MAPIError
from ..errors import NoSupportError
from ..errors import NotFoundError
from ..props.codec import PROPERTIES_STREAM
from ..props.constants import ATTACH_PREFIX
from ..props.constants import CLSID_MAIL_MESSAGE
from ..props.constants import IMSG_NO_ISTG_COMMIT
from ..props.constants import KEEP_OPEN_READWRITE
from ..props.constants import MAPI_ATTACH
from ..props.constants import MAPI_DECLINE_OK
from ..props.constants import MAPI_DIALOG
from ..props.constants import MAPI_MOVE
from ..props.constants import MAPI_NOREPLACE
from ..props.constants import MAPI_UNICODE
from ..props.constants import MAX_CHILDREN
from ..props.constants import MAX_EMBEDDING_DEPTH
from ..props.constants import MODRECIP_ADD
from ..props.constants import MODRECIP_MODIFY
from ..props.constants import MODRECIP_REMOVE
from ..props.constants import MSGFLAG_HASATTACH
from ..props.constants import MSGFLAG_UNSENT
from ..props.constants import NO_ATTACHMENT
from ..props.constants import STORE_UNICODE_OK
from ..props.constants import UNICODE_SUPPORT_MASK
from ..props.named import NAMEID_STORAGE
from ..props.tags import PR_ATTACH_METHOD
from ..props.tags import PR_ATTACH_NUM
from ..props.tags import PR_BODY_HTML
from ..props.tags import PR_DISPLAY_BCC
from ..props.tags import PR_DISPLAY_CC
from ..props.tags import PR_DISPLAY_TO
from ..props.tags import PR_HASATTACH
from ..props.tags import PR_INTERNET_CPID
from ..props.tags import PR_MESSAGE_ATTACHMENTS
from ..props.tags import PR_MESSAGE_CLASS
from ..props.tags import PR_MESSAGE_CODEPAGE
from ..props.tags import PR_MESSAGE_FLAGS
from ..props.tags import PR_MESSAGE_LOCALE_ID
from ..props.tags import PR_MESSAGE_RECIPIENTS
from ..props.tags import PR_OBJECT_TYPE
from ..props.tags import PR_RECIPIENT_TYPE
from ..props.tags import PR_RENDERING_POSITION
from ..props.tags import PR_STORE_SUPPORT_MASK
from ..props.types import MV_FLAG
from ..props.types import PROPATTR_READABLE
from ..props.types import PT_STRING8
from ..props.types import PT_UNICODE
from ..props.types import pid
from ..props.types import ptype
from .attachment import AttachmentBase
from .attachment import attach_storage_name
from .attachment import attachment_table
from .copy import copy_props as _copy_props
from .copy import remap_tag
from .factory import MessageFactory
from .fields import BODY_TAGS
from .fields import MessageFields
from .named import NamedProps
from .named import NamedPropsMixin
from .recipients import MessageRecipients

if TYPE_CHECKING:
    from .._registry import Registry

__all__ = [
    "BODY_TAGS",
    "CLSID_MAIL_MESSAGE",
    "IMSG_NO_ISTG_COMMIT",
    "MAPI_UNICODE",
    "MAX_EMBEDDING_DEPTH",
    "MODRECIP_ADD",
    "MODRECIP_MODIFY",
    "MODRECIP_REMOVE",
    "Attachment",
    "Message",
    "NamedProps",
]


class Attachment(AttachmentBase["Message"]):
    """One attachment of a :class:`Message` (``IAttach``): an
    :class:`~imsg_core._message.attachment.AttachmentBase` whose parent message and embedded
    message are :class:`Message` objects."""


class Message(MessageFields, MessageRecipients, NamedPropsMixin):
    """A message (top-level or embedded). Make one with :meth:`open` / :meth:`create`
    (or ``Session.open`` / ``Session.create``); embedded ones come from
    :meth:`Attachment.open_embedded`."""

    object_kind = "message"

    def __init__(
        self,
        session: Registry,
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
        self.stream_kind = P.StreamKind.TOP_LEVEL if parent is None else P.StreamKind.EMBEDDED
        self._parent = parent
        self._flags = flags
        self._owns_storage = owns_storage
        # the private session of imsg_core.open/create, closed with this message
        self._owned_session: MessageFactory | None = None
        self.depth: int = 0 if parent is None else parent.message_parent.depth + 1
        super().__init__(session, storage, writable=writable, new=new)
        self._new = new
        if new:
            self._header = P.PropertyStreamHeader(kind=self.stream_kind)
        self._names: Any = None
        self._names_dirty = False
        self._recips = RecipientList(storage, self._header.next_recipient_id)
        self._derived_dirty = False
        self._attachments_changed = False
        self._open_attachments: dict[int, Attachment] = {}
        # set by _before_save for the _header_for_save that follows it
        self._save_indices: tuple[list[int], list[int]] | None = None
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
        session: Registry,
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
        if not storage.exists(PROPERTIES_STREAM) and storage.writable and not storage.list():
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
        session: Registry,
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

    def _embedded_message(
        self,
        parent: Attachment,
        storage: Storage,
        *,
        new: bool,
        writable: bool,
        unicode: bool | None = None,
        codepage: int | None = None,
    ) -> Message:
        """The embedded message in ``storage`` of attachment ``parent`` of this message
        (what :meth:`Attachment.open_embedded` makes), registered as its child."""
        msg = Message(
            self._session,
            storage,
            writable=writable,
            new=new,
            parent=parent,
            unicode=unicode,
            codepage=codepage,
        )
        self._session.register(msg, parent=parent, backend="core", kind="embedded-message")
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

    # code page, locale, Internet CPID
    _CODEPAGE_IDS = frozenset(
        pid(t) for t in (PR_MESSAGE_CODEPAGE, PR_MESSAGE_LOCALE_ID, PR_INTERNET_CPID)
    )

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

    def _named_map_changed(self) -> None:
        self.top._names_dirty = True

    def _names_owner(self) -> PropObject:
        return self.top

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
        return attachment_table(self._storage, self.attachment_numbers(), self._codepage())

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
            att._fill(filename, data, mime_type, content_id)
        except BaseException:
            att.close()  # never saved: discarded with its storage
            raise
        return att

    def remove_attachment(self, attachment: Attachment | int) -> None:
        """Remove an attachment (an :class:`Attachment` of this message or its ``num``),
        releasing it if open; permanent with :meth:`save_changes`. The Pythonic twin of
        :meth:`delete_attach`. Raises :class:`NotFoundError`,
        :class:`InvalidParameterError` for an attachment of another message."""
        if isinstance(attachment, AttachmentBase):
            if attachment.message_parent is not self:
                raise InvalidParameterError(
                    f"{attachment!r} belongs to another message, not {self._where()!r}"
                )
            num = attachment.num
        elif isinstance(attachment, int) and not isinstance(attachment, bool):
            num = attachment
        else:
            raise InvalidParameterError(
                f"remove_attachment takes an Attachment or its number, not {attachment!r}"
            )
        self.delete_attach(num)

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
        if self._recips.slots is not None:
            by_type: dict[int, list[str]] = {1: [], 2: [], 3: []}
            for s in self._recips.slots:
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
        self._recips.write(self._write_codepage(), self._unicode_state)
        # One listing of the storage serves the derived properties and the header.
        changed = self._recips.changed or self._attachments_changed or self._new
        self._save_indices = (
            self._recip_and_attach_indices() if changed or self._derived_dirty else None
        )
        self._compute_derived()
        if self._parent is None and (
            self._names_dirty or (self._new and not self._storage.exists(NAMEID_STORAGE))
        ):
            self._named_map().save(self._storage)
            self._names_dirty = False

    def _header_for_save(self) -> Any:
        indices, self._save_indices = self._save_indices, None
        if not (self._recips.changed or self._attachments_changed or self._new):
            return self._header
        recips, atts = indices or self._recip_and_attach_indices()
        next_r = max([self._recips.next_id, *(i + 1 for i in recips)]) if recips else 0
        next_a = max([self._next_attach, *(i + 1 for i in atts)]) if atts else 0
        self._recips.changed = False
        self._attachments_changed = False
        return P.PropertyStreamHeader(next_r, next_a, len(recips), len(atts), kind=self.stream_kind)

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

    def save_as(
        self,
        location: Any,
        *,
        overwrite: bool = True,
        **options: Any,
    ) -> None:
        """Write this message — top-level or embedded — as a standalone ``.msg`` at
        ``location`` (any location its session opens: a path, ``mem://NAME``, an fsspec
        URL; ``options`` go to the backend), with its recipients, attachments and embedded
        messages, in its own string mode. The copy is what :meth:`copy_to` copies: saved
        values plus this object's unsaved changes. Raises :class:`CollisionError` (also
        :class:`FileExistsError`) when ``overwrite=False`` and the location exists, and
        what the backend raises."""
        self._check()
        session = self._session
        if not isinstance(session, MessageFactory):
            raise NoSupportError(
                f"cannot save {self._where()!r} as a new message: its session cannot create "
                "messages"
            )
        dest = cast(
            "Message",
            session.create(  # a Session creates Message objects
                location,
                overwrite=overwrite,
                unicode=self._unicode_state,
                codepage=None if self._unicode_state else self._write_codepage(),
                **options,
            ),
        )
        try:
            self.copy_to(dest)
            dest._take_numbering(self)
            dest.save_changes()
        finally:
            dest.close()

    def _copy_recipients(self, dest: Message) -> None:
        self._recipient_slots()
        dest._recipient_slots()
        dest._recips.copy_from(
            self._recips,
            self._storage,
            lambda tag: remap_tag(self, dest, tag),
            same_names=self._named_map() is dest._named_map(),
            same_strings=self._unicode() == dest._unicode(),
            src_next_id=self._header.next_recipient_id,
        )
        if dest._recips.changed:
            dest._dirty = True

    def _copy_attachment(self, num: int, dest: Message) -> None:
        was_open = num in self._open_attachments
        src = self.open_attach(num, None if was_open else "r")
        try:
            datt = dest._create_attach(num, derived=False)
            try:
                _copy_props(src, datt, set(), noreplace=False, check=False)
                datt._copy_object_from(src)
                datt.save_changes()
            finally:
                datt.close()
        finally:
            if not was_open:
                src.close()
        dest._next_attach = max(dest._next_attach, self._header.next_attachment_id)

    def _take_numbering(self, src: Message) -> None:
        """Keep at least ``src``'s next recipient / attachment numbers (a copy of it)."""
        self._recips.next_id = max(self._recips.next_id, src._header.next_recipient_id)
        self._next_attach = max(self._next_attach, src._header.next_attachment_id)

    # -- lifetime ------------------------------------------------------------------------------
    def __enter__(self) -> Message:
        return self

    def close(self) -> None:
        """Release the message, everything opened from it and, when it owns it, its
        storage; a message from :func:`imsg_core.open` / :func:`imsg_core.create` also
        closes its private session. Unsaved changes are discarded. Idempotent."""
        owned, self._owned_session = self._owned_session, None
        try:
            if self._released:
                return
            session = self._session
            if self._owns_storage and not session.closed and session.record_of(self._storage):
                session.release(self._storage)
                if not self._released:
                    self._imsg_release()
            else:
                super().close()
        finally:
            if owned is not None:
                owned.close()

    def _imsg_release(self) -> None:
        if self._released:
            return
        for att in list(self._open_attachments.values()):
            att._imsg_release()
        self._open_attachments.clear()
        self._recips.release()
        super()._imsg_release()
        if self._parent is not None:
            with contextlib.suppress(MAPIError):
                self._storage.close()

    def __repr__(self) -> str:
        if self._released:
            return "<Message released>"
        return f"<Message {self._where()!r} subject={self.subject!r}>"


# ---------------------------------------------------------------------------------- helpers
def _check_open_flags(flags: int) -> None:
    extra = flags & ~(IMSG_NO_ISTG_COMMIT | MAPI_UNICODE)
    if extra:
        raise InvalidParameterError(
            f"unknown OpenIMsgOnIStg flag bits 0x{extra:08X}",
            SCODE.MAPI_E_UNKNOWN_FLAGS,
        )
