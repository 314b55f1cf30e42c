"""The convenience properties of a message (subject, bodies, sender, times, headers) and
the IMessage calls about its flags (``SetReadFlag``, ``SubmitMessage``).

:class:`MessageFields` is a base of :class:`~imsg_core._message.Message`; each property
reads or writes one or a few MAPI properties through the ``IMAPIProp`` methods of
:class:`~imsg_core._propobj.PropObject`, so it follows their rules (attributes, string
mode, transactions).
"""

from __future__ import annotations

from datetime import datetime

from .._propobj import PropObject
from .._propobj import TagLike
from .._propproblems import PropProblem
from ..errors import SCODE
from ..errors import InvalidParameterError
from ..errors import NoSupportError
from ..errors import error_for
from ..props.constants import CLEAR_NRN_PENDING
from ..props.constants import CLEAR_READ_FLAG
from ..props.constants import CLEAR_RN_PENDING
from ..props.constants import GENERATE_RECEIPT_ONLY
from ..props.constants import KEEP_OPEN_READWRITE
from ..props.constants import MAPI_DEFERRED_ERRORS
from ..props.constants import MSGFLAG_NRN_PENDING
from ..props.constants import MSGFLAG_READ
from ..props.constants import MSGFLAG_RN_PENDING
from ..props.constants import SUPPRESS_RECEIPT
from ..props.tags import PR_BODY
from ..props.tags import PR_CLIENT_SUBMIT_TIME
from ..props.tags import PR_HTML
from ..props.tags import PR_INTERNET_CPID
from ..props.tags import PR_MESSAGE_CLASS
from ..props.tags import PR_MESSAGE_DELIVERY_TIME
from ..props.tags import PR_MESSAGE_FLAGS
from ..props.tags import PR_NATIVE_BODY_INFO
from ..props.tags import PR_RTF_COMPRESSED
from ..props.tags import PR_RTF_IN_SYNC
from ..props.tags import PR_RTF_SYNC_BODY_COUNT
from ..props.tags import PR_RTF_SYNC_BODY_CRC
from ..props.tags import PR_RTF_SYNC_BODY_TAG
from ..props.tags import PR_RTF_SYNC_PREFIX_COUNT
from ..props.tags import PR_RTF_SYNC_TRAILING_COUNT
from ..props.tags import PR_SENDER_ADDRTYPE
from ..props.tags import PR_SENDER_EMAIL_ADDRESS
from ..props.tags import PR_SENDER_NAME
from ..props.tags import PR_SENDER_SMTP_ADDRESS
from ..props.tags import PR_SENT_REPRESENTING_ADDRTYPE
from ..props.tags import PR_SENT_REPRESENTING_EMAIL_ADDRESS
from ..props.tags import PR_SENT_REPRESENTING_NAME
from ..props.tags import PR_SENT_REPRESENTING_SMTP_ADDRESS
from ..props.tags import PR_SUBJECT
from ..props.tags import PR_TRANSPORT_MESSAGE_HEADERS
from ..props.types import DEFAULT_ATTRS
from ..props.types import pid
from ..props.values import substg_name

__all__ = ["BODY_TAGS", "MessageFields", "raise_problems"]

#: Every property that holds a form of the body or describes one: plain text, HTML
#: (``PR_HTML`` and ``PR_BODY_HTML`` share an ID), compressed RTF (which may wrap the HTML
#: or the text), the RTF-in-sync properties and the native-body hint. ``set_body``
#: replaces them all at once.
BODY_TAGS: tuple[int, ...] = (
    PR_BODY,
    PR_HTML,
    PR_RTF_COMPRESSED,
    PR_RTF_IN_SYNC,
    PR_RTF_SYNC_BODY_CRC,
    PR_RTF_SYNC_BODY_COUNT,
    PR_RTF_SYNC_BODY_TAG,
    PR_RTF_SYNC_PREFIX_COUNT,
    PR_RTF_SYNC_TRAILING_COUNT,
    PR_NATIVE_BODY_INFO,
)
#: ``PR_NATIVE_BODY_INFO`` values (MS-OXCMSG 2.2.1.58.7).
_NATIVE_PLAIN = 1
_NATIVE_HTML = 3


def raise_problems(problems: list[PropProblem], what: str) -> None:
    """Raise the error of the first problem of a ``SetProps``/``DeleteProps``, if any."""
    if problems:
        p = problems[0]
        raise error_for(p.scode, f"property 0x{p.tag:08X} of the {what} was not set")


class MessageFields(PropObject):
    """Named accessors for the common message properties (a base of ``Message``)."""

    #: Code pages of the message's PT_STRING8 values (set by the message).
    _cp_read: list[int]

    def _set(self, tag: int, value: object) -> None:
        if value is None:
            raise_problems(self.delete_props([tag]), "message")
        else:
            raise_problems(self.set_props({tag: value}), "message")

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
            from .._bodies import decode_html  # loaded on first use

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

    def set_body(self, text: str | None = None, *, html: str | bytes | None = None) -> None:
        """Replace every form of the body at once: remove the plain text, the HTML, the
        compressed RTF (which often wraps the same HTML or text), the RTF-in-sync
        properties and ``PR_NATIVE_BODY_INFO`` (all of :data:`BODY_TAGS`), then store
        ``text`` and ``html`` if given (``html`` as :attr:`html` stores it) and record
        which one is native. ``set_body()`` with neither leaves the message without a
        body. Takes effect with :meth:`save_changes`. Raises :class:`AccessDeniedError`
        on a read-only message or when a body property is read-only."""
        self._check_write("set the body")
        present = [t for t in BODY_TAGS if self._by_id.get(pid(t))]  # any type of the ID
        if present:
            raise_problems(self.delete_props(present), "message")
        values: dict[TagLike, object] = {}
        if text is not None:
            values[PR_BODY] = text
        if html is not None:
            if isinstance(html, str):
                values[PR_HTML] = html.encode("utf-8")
                values[PR_INTERNET_CPID] = 65001  # the charset of PR_HTML
            else:
                values[PR_HTML] = bytes(html)
        if text is not None or html is not None:
            values[PR_NATIVE_BODY_INFO] = _NATIVE_HTML if html is not None else _NATIVE_PLAIN
            raise_problems(self.set_props(values), "message")

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
        from .._bodies import decompress_rtf  # loaded on first use

        return decompress_rtf(v, where=f"{self._where()}/{substg_name(PR_RTF_COMPRESSED)}")

    @property
    def message_class(self) -> str | None:
        """``PR_MESSAGE_CLASS`` (e.g. ``"IPM.Note"``)."""
        return self._first_str(PR_MESSAGE_CLASS)

    @message_class.setter
    def message_class(self, value: str) -> None:
        self._set(PR_MESSAGE_CLASS, value)

    @property
    def sender_name(self) -> str | None:
        """``PR_SENDER_NAME``, else ``PR_SENT_REPRESENTING_NAME``."""
        return self._first_str(PR_SENDER_NAME, PR_SENT_REPRESENTING_NAME)

    @property
    def sender_email(self) -> str | None:
        """The sender's SMTP address if known, else ``PR_SENDER_EMAIL_ADDRESS``."""
        return self._first_str(
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
            PR_SENDER_ADDRTYPE: "SMTP",
            PR_SENT_REPRESENTING_NAME: name or email,
            PR_SENT_REPRESENTING_EMAIL_ADDRESS: email,
            PR_SENT_REPRESENTING_SMTP_ADDRESS: email,
            PR_SENT_REPRESENTING_ADDRTYPE: "SMTP",
        }
        raise_problems(self.set_props(values), "message")

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

    # -- IMessage calls about the message's flags -----------------------------------------------
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
            | MAPI_DEFERRED_ERRORS
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
        self._put(PR_MESSAGE_FLAGS, v, self._entries[stored].flags if stored else DEFAULT_ATTRS)
        self.save_changes(KEEP_OPEN_READWRITE)

    @property
    def headers(self) -> str | None:
        """``PR_TRANSPORT_MESSAGE_HEADERS``."""
        return self._first_str(PR_TRANSPORT_MESSAGE_HEADERS)
