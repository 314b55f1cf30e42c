""".eml -> .msg: :func:`eml_to_msg`, :func:`email_to_message` and :func:`parse_eml` (see
:mod:`imsg_core.convert.eml` for what is converted and how)."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from email.message import EmailMessage
from email.message import Message as MIMEMessage
from email.utils import getaddresses
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from typing import Any

from .._message import MODRECIP_ADD
from .._recipient import TYPE_CODES
from ..errors import CorruptDataError
from ..errors import MAPIError
from ..errors import error_for
from ..props import tags as T
from ..props.constants import ATT_MHTML_REF
from ..props.constants import ATTACH_BY_VALUE
from ..props.constants import DT_MAILUSER
from ..props.constants import MAPI_MAILUSER
from ..props.constants import MSGFLAG_READ
from ..props.constants import MSGFLAG_UNSENT
from . import rtf as rtfmod
from ._mime import EMAIL_ERRORS
from ._mime import MAX_DEPTH
from ._mime import OLE_HEADER
from ._mime import POLICY
from ._mime import RTF_BODY_NAME
from ._mime import clean
from ._mime import opening_session
from ._mime import raw_fields
from ._mime import split_raw
from ._mime import unfold
from .htmltext import html_bytes
from .htmltext import html_to_text

if TYPE_CHECKING:
    from .._message import Message

__all__ = ["email_to_message", "eml_to_msg", "parse_eml"]


def _crlf(text: str) -> str:
    return re.sub(r"\r?\n|\r", "\r\n", text)


def _raw_headers(part: MIMEMessage) -> str:
    return "".join(f"{k}: {v}\r\n" for k, v in part.raw_items())


def _leaves(part: MIMEMessage) -> Iterator[MIMEMessage]:
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, MIMEMessage):
                yield from _leaves(sub)
    else:
        yield part


def _text_of(part: MIMEMessage) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return clean(content)
    except (*EMAIL_ERRORS, KeyError):
        pass
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return raw.decode(charset, "replace")
        except (LookupError, ValueError):  # a charset Python does not know
            return raw.decode("utf-8", "replace")
    return ""


def _header_text(em: MIMEMessage, name: str) -> str | None:
    """A header's decoded value, falling back to its raw text when the parser fails."""
    try:
        value = em.get(name)
        return None if value is None else clean(unfold(str(value)))
    except EMAIL_ERRORS:
        for key, raw in em.raw_items():
            if key.lower() == name.lower():
                return clean(unfold(str(raw)))
        return None


def _header_values(em: MIMEMessage, name: str) -> list[str]:
    try:
        return [clean(str(v)) for v in em.get_all(name, [])]
    except EMAIL_ERRORS:
        return [clean(str(raw)) for key, raw in em.raw_items() if key.lower() == name.lower()]


#: An empty group, ``Name: ;`` (how a sender or recipient with no Internet address is
#: written, see ``to_eml``): read as that name with no address.
#: (Greedy over disjoint alternatives, the name's spaces stripped afterwards: linear in the
#: header's length, where a lazy name followed by ``\s*`` backtracked quadratically.)
_EMPTY_GROUP = re.compile(r'(^|,)\s*((?:"(?:[^"\\]|\\.)*"|[^,:;"<>])+):\s*;')


def _as_no_address(match: re.Match[str]) -> str:
    return f"{match.group(1)} {match.group(2).strip()} <>"


def _addresses(em: MIMEMessage, name: str) -> list[tuple[str, str]]:
    values = [_EMPTY_GROUP.sub(_as_no_address, v) for v in _header_values(em, name)]
    out = []
    for disp, addr in getaddresses(values):
        if disp or addr:
            out.append((disp, addr))
    return out


def _received(em: MIMEMessage) -> datetime | None:
    """When the message arrived: the date of the topmost ``Received`` header that has one
    (the last hop; a trace line without a date, such as qmail's ``(qmail 123 invoked by uid
    0)``, is skipped). ``None`` when no ``Received`` header has a date."""
    for value in _header_values(em, "Received"):
        head, sep, tail = unfold(value).rpartition(";")
        if sep and head:
            when = _parse_date(tail)
            if when is not None:
                return when
    return None


def _date(em: MIMEMessage) -> datetime | None:
    return _parse_date(_header_text(em, "Date"))


def _parse_date(value: str | None) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        d = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if d is None:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return d.astimezone(UTC)


def email_to_message(em: MIMEMessage, dest: Message, *, depth: int = 0) -> None:
    """Fill the new, writable message ``dest`` from the MIME message ``em``.

    Does not call ``dest.save_changes()`` for a top-level message (the caller does);
    embedded messages created here are saved into their attachments. Raises
    :class:`MAPIError` from the message layer.
    """
    if depth > MAX_DEPTH:
        raise MAPIError(f"message/rfc822 parts nested deeper than {MAX_DEPTH} levels")
    props: dict[Any, object] = {}
    subject = _header_text(em, "Subject")
    if subject is not None:
        props[T.PR_SUBJECT] = subject
    headers = _raw_headers(em)
    if headers:
        props[T.PR_TRANSPORT_MESSAGE_HEADERS] = headers
    for header, tag in (
        ("Message-ID", T.PR_INTERNET_MESSAGE_ID),
        ("In-Reply-To", T.PR_IN_REPLY_TO_ID),
        ("References", T.PR_INTERNET_REFERENCES),
    ):
        v = _header_text(em, header)
        if v:
            props[tag] = v.strip()
    when = _date(em)
    if when is not None:
        props[T.PR_CLIENT_SUBMIT_TIME] = when
    # Delivery time: the last hop's Received date; Date only when no Received line has one.
    delivered = _received(em) or when
    if delivered is not None:
        props[T.PR_MESSAGE_DELIVERY_TIME] = delivered
    importance = (
        (_header_text(em, "Importance") or _header_text(em, "X-Priority") or "").strip().lower()
    )
    if importance:
        props[T.PR_IMPORTANCE] = (
            2
            if importance.startswith(("high", "1", "2"))
            else 0
            if importance.startswith(("low", "4", "5"))
            else 1
        )
    props[T.PR_MESSAGE_FLAGS] = MSGFLAG_READ if when is not None else MSGFLAG_UNSENT
    ctype = em.get_content_type()
    smime = _smime_class(em)
    if smime:
        props[T.PR_MESSAGE_CLASS] = smime
    else:
        props[T.PR_MESSAGE_CLASS] = "IPM.Note"
    _raise(dest.set_props(props))

    _set_senders(dest, em)
    for header, kind in (("To", "to"), ("Cc", "cc"), ("Bcc", "bcc")):
        for name, addr in _addresses(em, header):
            _add_recipient(dest, name, addr, kind)

    if smime == "IPM.Note.SMIME":
        # Opaque S/MIME: the body is the encrypted/signed blob; Outlook stores it as the
        # one attachment smime.p7m.
        _add_bytes_attachment(dest, em, em.get_payload(decode=True) or b"", "smime.p7m", ctype)
        return
    body_root: MIMEMessage = em
    if smime == "IPM.Note.SMIME.MultipartSigned":
        entity = _signed_entity(em)
        att = dest.add_attachment("smime.p7m", entity, "multipart/signed")
        att.close()
        parts = em.get_payload()
        if isinstance(parts, list) and parts and isinstance(parts[0], MIMEMessage):
            body_root = parts[0]
        _fill_bodies(dest, body_root, attachments=False, depth=depth)
        return
    _fill_bodies(dest, body_root, attachments=True, depth=depth)


def _set_senders(dest: Message, em: MIMEMessage) -> None:
    """From → PR_SENT_REPRESENTING_* (the author); Sender (else From) → PR_SENDER_*."""
    authors = _addresses(em, "From")
    senders = _addresses(em, "Sender") or authors
    if senders:
        name, addr = senders[0]
        dest.set_sender(addr or name, name or None)
        if not addr:
            _raise(
                dest.delete_props(
                    [T.PR_SENDER_EMAIL_ADDRESS, T.PR_SENDER_SMTP_ADDRESS, T.PR_SENDER_ADDRTYPE]
                )
            )
    if authors and authors[0] != senders[0]:
        name, addr = authors[0]
        values: dict[Any, object] = {T.PR_SENT_REPRESENTING_NAME: name or addr}
        if addr:
            values[T.PR_SENT_REPRESENTING_EMAIL_ADDRESS] = addr
            values[T.PR_SENT_REPRESENTING_SMTP_ADDRESS] = addr
            values[T.PR_SENT_REPRESENTING_ADDRTYPE] = "SMTP"
        _raise(dest.set_props(values))
    if senders and not senders[0][1]:
        # The address an Exchange-only sender is known by, kept by to_eml in an X- header.
        dn = _header_text(
            em, "X-Exchange-Sender" if _addresses(em, "Sender") else "X-Exchange-From"
        )
        if dn and dn.strip().startswith("/"):
            _raise(
                dest.set_props({T.PR_SENDER_EMAIL_ADDRESS: dn.strip(), T.PR_SENDER_ADDRTYPE: "EX"})
            )
    if senders and not senders[0][1] and authors == senders:
        _raise(
            dest.delete_props(
                [
                    T.PR_SENT_REPRESENTING_EMAIL_ADDRESS,
                    T.PR_SENT_REPRESENTING_SMTP_ADDRESS,
                    T.PR_SENT_REPRESENTING_ADDRTYPE,
                ]
            )
        )


def _add_recipient(dest: Message, name: str, addr: str, kind: str) -> None:
    if addr:
        dest.add_recipient(addr, name or None, kind)
        return
    # A recipient with a name but no Internet address ("Name <>").
    dest.modify_recipients(
        [
            {
                T.PR_DISPLAY_NAME: name,
                T.PR_RECIPIENT_TYPE: TYPE_CODES[kind],
                T.PR_OBJECT_TYPE: MAPI_MAILUSER,
                T.PR_DISPLAY_TYPE: DT_MAILUSER,
            }
        ],
        MODRECIP_ADD,
    )


def _smime_class(em: MIMEMessage) -> str | None:
    ctype = em.get_content_type()
    if ctype == "multipart/signed":
        return "IPM.Note.SMIME.MultipartSigned"
    if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
        return "IPM.Note.SMIME"
    return None


def _signed_entity(em: MIMEMessage) -> bytes:
    """The multipart/signed entity as Outlook stores it: the MIME header fields
    (MIME-Version, Content-*) and the body, byte for byte as they were in the input."""
    raw = getattr(em, "_imsg_raw", None)
    if not isinstance(raw, bytes):
        raw = em.as_bytes(policy=email.policy.compat32.clone(linesep="\r\n"))
    head, body = split_raw(raw)
    keep = [
        r for name, r in raw_fields(head) if name == "mime-version" or name.startswith("content-")
    ]
    return b"".join(keep) + b"\r\n" + body


def _fill_bodies(dest: Message, root: MIMEMessage, *, attachments: bool, depth: int) -> None:
    plain_part: MIMEMessage | None = None
    html_part: MIMEMessage | None = None
    if isinstance(root, EmailMessage):
        try:
            plain_part = root.get_body(preferencelist=("plain",))
            html_part = root.get_body(preferencelist=("html",))
        except EMAIL_ERRORS:  # a malformed tree: take the first text leaves
            leaves = [p for p in _leaves(root) if p.get_content_disposition() != "attachment"]
            plain_part = next((p for p in leaves if p.get_content_type() == "text/plain"), None)
            html_part = next((p for p in leaves if p.get_content_type() == "text/html"), None)
    elif root.get_content_type() in ("text/plain", "text/html"):
        if root.get_content_type() == "text/plain":
            plain_part = root
        else:
            html_part = root
    plain = _text_of(plain_part) if plain_part is not None else None
    html_text = _text_of(html_part) if html_part is not None else None
    props: dict[Any, object] = {}
    if html_text is not None:
        data, cpid = html_bytes(html_text)
        props[T.PR_HTML] = data
        if cpid is not None:
            props[T.PR_INTERNET_CPID] = cpid
        rtf = rtfmod.encapsulate_html(html_text)
        props[T.PR_RTF_COMPRESSED] = rtfmod.compress(rtf)
        props[T.PR_RTF_IN_SYNC] = True
        props[T.PR_NATIVE_BODY_INFO] = 3  # HTML
        if plain is None:
            plain = html_to_text(html_text)
    elif plain is not None:
        props[T.PR_NATIVE_BODY_INFO] = 1  # plain text
    if plain is not None:
        props[T.PR_BODY] = _crlf(plain)
    if props:
        _raise(dest.set_props(props))
    if not attachments:
        return
    referenced = (html_text or "").lower()
    for n, part in enumerate(_leaves(root), 1):
        if part is plain_part or part is html_part:
            continue
        if _is_rtf_body(part) and html_text is None:
            rtf_data = part.get_payload(decode=True)
            if isinstance(rtf_data, bytes):
                _raise(
                    dest.set_props(
                        {T.PR_RTF_COMPRESSED: rtfmod.compress(rtf_data), T.PR_NATIVE_BODY_INFO: 2}
                    )
                )
                continue
        _add_part(dest, part, n, referenced, depth)


def _is_rtf_body(part: MIMEMessage) -> bool:
    return (
        part.get_content_type() == "text/rtf"
        and part.get_filename() == RTF_BODY_NAME
        and part.get_content_disposition() == "inline"
    )


def _add_part(dest: Message, part: MIMEMessage, n: int, html_lower: str, depth: int) -> None:
    """Add one non-body MIME leaf as an attachment (message/rfc822: embedded message)."""
    ctype = part.get_content_type()
    filename = part.get_filename()
    if ctype == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, MIMEMessage):
            att = dest.create_attach()
            emb = att.open_embedded(create=True)
            email_to_message(inner, emb, depth=depth + 1)
            emb.save_changes()
            name = filename or unfold(str(inner.get("Subject", ""))) or f"message-{n}"
            _raise(att.set_props({T.PR_DISPLAY_NAME: name}))
            att.save_changes()
            att.close()
            return
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    cid = part.get("Content-ID")
    cid_text = str(cid).strip().strip("<>") if cid else None
    if part.get(OLE_HEADER) and data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        _add_ole_attachment(dest, filename, data)
        return
    if filename:
        att = dest.add_attachment(filename, data, ctype, content_id=cid_text)
    else:  # no name in the MIME part: none in the message either
        att = dest.create_attach()
        values: dict[Any, object] = {
            T.PR_ATTACH_METHOD: ATTACH_BY_VALUE,
            T.PR_ATTACH_DATA_BIN: data,
            T.PR_ATTACH_MIME_TAG: ctype,
            T.PR_ATTACH_SIZE: len(data),
        }
        if cid_text:
            values[T.PR_ATTACH_CONTENT_ID] = cid_text
        _raise(att.set_props(values))
        att.save_changes()
    extra: dict[Any, object] = {}
    location = part.get("Content-Location")
    if location:
        extra[T.PR_ATTACH_CONTENT_LOCATION] = unfold(str(location))
    if cid and f"cid:{str(cid).strip().strip('<>')}".lower() in html_lower:
        extra[T.PR_ATTACHMENT_HIDDEN] = True
        extra[T.PR_ATTACH_FLAGS] = ATT_MHTML_REF
    if extra:
        _raise(att.set_props(extra))
        att.save_changes()
    att.close()


def _add_ole_attachment(dest: Message, filename: str | None, data: bytes) -> None:
    """Restore an ATTACH_OLE attachment from its compound-file bytes."""
    att = dest.create_attach()
    session = opening_session(dest.session)
    with session.open_storage(bytes(data), "r") as src:
        dst = att.open_object_storage(create=True)
        try:
            src.copy_to(dst)
            dst.commit()
        finally:
            dst.close()
    if filename:
        _raise(att.set_props({T.PR_DISPLAY_NAME: filename}))
    att.save_changes()
    att.close()


def _add_bytes_attachment(
    dest: Message, em: MIMEMessage, data: bytes | Any, name: str, ctype: str
) -> None:
    raw = data if isinstance(data, bytes) else b""
    att = dest.add_attachment(em.get_filename() or name, raw, ctype)
    att.close()


def _raise(problems: list[Any]) -> None:
    if problems:
        p = problems[0]
        raise error_for(p.scode, f"property 0x{p.tag:08X}")


def parse_eml(data: bytes) -> EmailMessage:
    """Parse RFC 5322 bytes (``policy=email.policy.default``); never raises for malformed
    input (defects are recorded on the message)."""
    em = email.message_from_bytes(data, policy=POLICY)
    assert isinstance(em, EmailMessage)
    em._imsg_raw = data  # type: ignore[attr-defined]  # for S/MIME pass-through
    return em


def eml_to_msg(data: bytes, dest: Message) -> None:
    """Parse ``data`` (an .eml file's bytes) and fill ``dest`` (then save it yourself).

    :raises MAPIError: from the message layer, or ``MAPI_E_CORRUPT_DATA`` when the
        :mod:`email` package fails inside its own parsers on malformed input.
    """
    try:
        email_to_message(parse_eml(data), dest)
    except EMAIL_ERRORS as exc:
        raise CorruptDataError(
            f"the MIME message cannot be parsed: {type(exc).__name__}: {exc}"
        ) from exc
