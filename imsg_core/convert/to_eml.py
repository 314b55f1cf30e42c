""".msg -> .eml: :func:`msg_to_eml` and :func:`message_to_email` (see
:mod:`imsg_core.convert.eml` for what is converted and how)."""

from __future__ import annotations

import base64
import email
import email.policy
import mimetypes
import os
import re
import tempfile
from datetime import UTC
from datetime import datetime
from email.message import EmailMessage
from email.message import Message as MIMEMessage
from email.utils import format_datetime
from email.utils import formataddr
from typing import TYPE_CHECKING
from typing import Any

from ..errors import CorruptDataError
from ..errors import MAPIError
from ..props import tags as T
from ..props.constants import ATTACH_BY_VALUE
from ..props.constants import ATTACH_OLE
from . import rtf as rtfmod
from ._mime import EMAIL_ERRORS
from ._mime import MAX_DEPTH
from ._mime import OLE_HEADER
from ._mime import POLICY
from ._mime import RTF_BODY_NAME
from ._mime import SMTP
from ._mime import clean
from ._mime import opening_session
from ._mime import raw_fields
from ._mime import split_raw
from ._mime import unfold

if TYPE_CHECKING:
    from .._message import Attachment
    from .._message import Message

__all__ = ["message_to_email", "msg_to_eml"]


# Headers describing the MIME structure: rebuilt, never copied from the transport headers.
_STRUCTURAL = frozenset(
    {
        "content-type",
        "content-transfer-encoding",
        "mime-version",
        "content-disposition",
        "content-length",
        "content-id",
        "content-description",
        "content-location",
    }
)


def _get(obj: Any, tag: int) -> Any:
    try:
        return obj.get_prop(tag, None)
    except MAPIError:
        return None


def _smtp(addr: str | None) -> str:
    """``addr`` if it is an RFC 5322 addr-spec, else ``""`` (Exchange X.500 addresses, bare
    names and the like have no Internet form)."""
    addr = (addr or "").strip()
    if not addr.isascii():  # an internationalised address needs SMTPUTF8; keep the name
        return ""
    if addr.count("@") >= 1 and not any(c in addr for c in ' <>\r\n"(),;:[]\\'):
        local, _, domain = addr.rpartition("@")
        if local and domain:
            return addr
    return ""


def _format_address(name: str | None, addr: str | None) -> str | None:
    """One address as RFC 5322 header text (RFC 2047-encoded when not ASCII): ``Name <a@b>``
    or ``a@b``; for a sender or recipient with no Internet address (an Exchange-only user, a
    name alone) the display name alone as an empty group, ``Name: ;`` (RFC 5322 3.4; RFC
    6854 allows it in ``From`` and ``Sender``), never the invalid ``Name <>``. ``None`` when
    there is neither a name nor an address."""
    smtp = _smtp(addr)
    name = (name or "").strip()
    if not smtp and not name:
        name = (addr or "").strip()
    if not smtp and not name:
        return None
    if name == smtp:
        name = ""
    if not smtp:
        phrase = _phrase(name)
        # an encoded-word must be followed by white space before the ":" (RFC 2047 5)
        return f"{phrase} : ;" if phrase.endswith("?=") else f"{phrase}: ;"
    return formataddr((name, smtp), charset="utf-8")


def _phrase(name: str) -> str:
    """``name`` as an RFC 5322 display name: quoted when it holds specials, RFC 2047-encoded
    when not ASCII (exactly what :func:`formataddr` writes before an address)."""
    placeholder = "x@x"
    return formataddr((name, placeholder), charset="utf-8")[: -len(placeholder) - 3]


def _exchange_address(addr: str | None) -> str | None:
    """An address with no Internet form worth keeping (an Exchange DN such as
    ``/O=ORG/OU=.../CN=RECIPIENTS/CN=USER``), or ``None``."""
    addr = (addr or "").strip()
    if not addr or _smtp(addr) or not addr.isascii() or any(c in addr for c in "\r\n"):
        return None
    return addr


_ADDRESS_HEADERS = frozenset({"from", "sender", "to", "cc", "bcc", "reply-to"})


def _set_header(em: MIMEMessage, name: str, value: str) -> None:
    value = clean(value)
    if name.lower() in _ADDRESS_HEADERS:
        # Address lists we build may hold "Name <>" (no Internet address), which the header
        # registry rejects; they are plain ASCII (RFC 2047) already, so store them as text.
        em._headers.append((name, unfold(value)))  # type: ignore[attr-defined]
        return
    try:
        em[name] = value
    except (ValueError, TypeError, IndexError, AttributeError):
        # A value the header registry cannot take: keep it as unstructured text. (The
        # stdlib parser itself fails with AttributeError on some malformed values.)
        em._headers.append((name, unfold(value)))  # type: ignore[attr-defined]


def _content_id(cid: str) -> str:
    cid = " ".join(cid.splitlines()).strip()
    return cid if cid.startswith("<") else f"<{cid}>"


def _split_mime(mime: str | None, filename: str | None) -> tuple[str, str]:
    if mime and "/" in mime:
        main, _, sub = mime.strip().lower().partition("/")
        sub = sub.split(";")[0].strip()
        if main and sub and re.fullmatch(r"[a-z0-9!#$&^_.+-]+", main + sub):
            return main, sub
    guessed = mimetypes.guess_type(filename or "")[0]
    if guessed:
        main, _, sub = guessed.partition("/")
        return main, sub
    return "application", "octet-stream"


def _label(att: Attachment) -> str | None:
    try:
        label = att.filename or att.display_name
    except MAPIError:
        return None
    # One line: the email package refuses header values with any line boundary
    # (CR, LF, but also FF, VT, U+2028...), which a hostile .msg may put in a name.
    return " ".join(label.splitlines()) if label else label


def _is_smime(msg: Message) -> bool:
    cls = (msg.message_class or "").lower()
    return cls.startswith("ipm.note.smime")


def _smime_entity(msg: Message) -> tuple[bytes, bool] | None:
    """The stored S/MIME entity: (bytes, True) for a complete MIME entity (multipart/signed),
    (DER bytes, False) for an opaque application/pkcs7-mime blob."""
    for att in msg.attachments:
        data = att.data
        if data is None:
            continue
        mime = (att.mime_type or "").lower()
        name = (_label(att) or "").lower()
        if mime.startswith("multipart/signed") or data[:200].lower().lstrip().startswith(
            b"content-type:"
        ):
            return data, True
        if "pkcs7" in mime or name.endswith((".p7m", ".p7s")):
            return data, False
    return None


def _pkcs7_kind(der: bytes) -> str:
    # OIDs 1.2.840.113549.1.7.2 (signedData) / .3 (envelopedData) near the start.
    head = der[:64]
    if b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03" in head:
        return "enveloped-data"
    if b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" in head:
        return "signed-data"
    return "enveloped-data"


def _header_block(msg: Message, *, structural: bool) -> list[tuple[str, str]]:
    """Headers as (name, value) pairs: the transport headers when present, else built."""
    raw = msg.headers
    out: list[tuple[str, str]] = []
    if raw and ":" in raw:
        parsed = email.message_from_string(
            raw.replace("\r\n", "\n").strip("\n") + "\n\n", policy=email.policy.compat32
        )
        for name, value in parsed.items():
            if not structural and name.lower() in _STRUCTURAL:
                continue
            out.append((name, unfold(str(value)).strip()))
        if any(n.lower() == "from" for n, _ in out):
            _add_missing_recipients(msg, out)
            subject = msg.subject
            if subject is not None:
                # The subject property wins: Outlook lets people edit it after receipt.
                out = [(n, v) for n, v in out if n.lower() != "subject"]
                out.append(("Subject", subject))
            return out
        out = [(n, v) for n, v in out if n.lower() not in ("to", "cc", "bcc", "subject", "date")]
    return out + _built_headers(msg, skip={n.lower() for n, _ in out})


def _recipient_headers(msg: Message) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"To": [], "Cc": [], "Bcc": []}
    for r in msg.recipients:
        kind = {"to": "To", "cc": "Cc", "bcc": "Bcc"}.get(str(r.type))
        if kind is None:
            continue
        a = _format_address(r.name, r.email)
        if a is not None:
            groups[kind].append(a)
    return groups


def _add_missing_recipients(msg: Message, out: list[tuple[str, str]]) -> None:
    # Transport headers never carry Bcc, and some carry no To/Cc at all: recipients the
    # message has but the headers lack are added from the recipient table.
    present = {n.lower() for n, _ in out}
    groups = _recipient_headers(msg)
    if present.isdisjoint({"to", "cc"}):
        for kind in ("To", "Cc"):
            if groups[kind]:
                out.append((kind, ", ".join(groups[kind])))
    if groups["Bcc"] and "bcc" not in present:
        out.append(("Bcc", ", ".join(groups["Bcc"])))


def _built_headers(msg: Message, skip: set[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def add(name: str, value: str | None) -> None:
        if value and name.lower() not in skip:
            out.append((name, value))

    rep_name = _get(msg, T.PR_SENT_REPRESENTING_NAME)
    rep_addr = _get(msg, T.PR_SENT_REPRESENTING_SMTP_ADDRESS) or _get(
        msg, T.PR_SENT_REPRESENTING_EMAIL_ADDRESS
    )
    sender = _format_address(msg.sender_name, msg.sender_email)
    author = _format_address(rep_name, rep_addr) if (rep_name or rep_addr) else sender
    add("From", author)
    if sender and author and sender != author:
        add("Sender", sender)
    # An Exchange-only From/Sender is written as its display name alone: keep the address
    # that identifies it in an X- header.
    author_addr = rep_addr if (rep_name or rep_addr) else msg.sender_email
    add("X-Exchange-From", _exchange_address(author_addr))
    if sender and author and sender != author:
        add("X-Exchange-Sender", _exchange_address(msg.sender_email))
    for name, addrs in _recipient_headers(msg).items():
        add(name, ", ".join(addrs) if addrs else None)
    add("Subject", msg.subject)
    when = msg.sent or msg.received or _get(msg, T.PR_CREATION_TIME)
    if isinstance(when, datetime):
        add("Date", format_datetime(when.astimezone(UTC)))
    add("Message-ID", _get(msg, T.PR_INTERNET_MESSAGE_ID))
    add("In-Reply-To", _get(msg, T.PR_IN_REPLY_TO_ID))
    add("References", _get(msg, T.PR_INTERNET_REFERENCES))
    importance = _get(msg, T.PR_IMPORTANCE)
    if importance in (0, 2):
        add("Importance", "low" if importance == 0 else "high")
    return out


def _bodies(msg: Message) -> tuple[str | None, str | None, bytes | None]:
    """(plain, html, rtf-to-attach): HTML de-encapsulated from RTF when there is none."""
    plain = msg.body
    try:
        html = msg.html
    except MAPIError:
        html = None
    rtf_part: bytes | None = None
    if not html:
        try:
            rtf = msg.rtf
        except MAPIError:
            rtf = None
        if rtf:
            kind = rtfmod.encapsulated_kind(rtf)
            if kind == "html":
                html = rtfmod.deencapsulate_html(rtf)
            elif kind == "text":
                if not plain:
                    plain = rtfmod.deencapsulate_text(rtf)
            else:
                rtf_part = rtf
    return plain or None, html or None, rtf_part


def message_to_email(msg: Message, *, depth: int = 0) -> EmailMessage:
    """``msg`` as an :class:`email.message.EmailMessage` (see the module docstring).

    S/MIME entities are re-parsed here; use :func:`msg_to_eml` to keep their bytes intact.
    Raises :class:`MAPIError` when the message cannot be read.
    """
    if _is_smime(msg):
        data = msg_to_eml(msg, depth=depth)
        parsed = email.message_from_bytes(data, policy=POLICY)
        assert isinstance(parsed, EmailMessage)
        return parsed
    em = EmailMessage(policy=POLICY)
    for name, value in _header_block(msg, structural=False):
        _set_header(em, name, value)
    plain, html, rtf_part = _bodies(msg)
    attachments = msg.attachments
    inline: list[Attachment] = []
    regular: list[Attachment] = []
    for att in attachments:
        cid = att.content_id
        by_value = not att.is_embedded and att.method in (0, ATTACH_BY_VALUE)
        if by_value and html and cid and f"cid:{cid.strip('<>')}".lower() in html.lower():
            inline.append(att)
        else:
            regular.append(att)
    if plain is not None or html is None:
        em.set_content(_lf(plain or ""))
    if html is not None:
        if plain is None:
            em.set_content(_lf(html), subtype="html")
            html_part: EmailMessage = em
        else:
            em.add_alternative(_lf(html), subtype="html")
            last = em.get_payload()[-1]  # type: ignore[index]
            assert isinstance(last, EmailMessage)
            html_part = last
        for att in inline:
            data = att.data or b""
            main, sub = _split_mime(att.mime_type, _label(att))
            html_part.add_related(
                data,
                main,
                sub,
                cid=_content_id(att.content_id or ""),
                filename=_label(att),
                disposition="inline",
            )
    if rtf_part is not None:
        em.add_attachment(rtf_part, "text", "rtf", filename=RTF_BODY_NAME, disposition="inline")
    for att in regular:
        _add_attachment(em, att, depth)
    return em


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _add_attachment(em: EmailMessage, att: Attachment, depth: int) -> None:
    label = _label(att)
    if att.is_embedded:
        if depth >= MAX_DEPTH:
            raise MAPIError(f"embedded messages nested deeper than {MAX_DEPTH} levels")
        inner_msg = att.message
        assert inner_msg is not None
        inner = message_to_email(inner_msg, depth=depth + 1)
        em.add_attachment(inner, filename=label or None)
        return
    method = att.method
    if method == ATTACH_OLE:
        data = _ole_bytes(att)
        kwargs_ole: dict[str, Any] = {"filename": label} if label else {}
        em.add_attachment(data, "application", "octet-stream", **kwargs_ole)
        part = em.get_payload()[-1]  # type: ignore[index]
        assert isinstance(part, MIMEMessage)
        part[OLE_HEADER] = "storage"
        return
    elif method in (0, ATTACH_BY_VALUE) or att.data is not None:
        data = att.data or b""
    else:
        return  # by reference / web reference: nothing stored to carry
    main, sub = _split_mime(att.mime_type, label)
    if main in ("message", "multipart"):
        # Stored bytes of a message/* or multipart/* type: the email package would try to
        # parse them as structure; they travel as opaque data.
        main, sub = "application", "octet-stream"
    cid = att.content_id
    kwargs: dict[str, Any] = {"filename": label} if label else {}
    if cid:
        kwargs["cid"] = _content_id(cid)
    em.add_attachment(data, main, sub, **kwargs)


def _ole_bytes(att: Attachment) -> bytes:
    """An OLE storage attachment as compound-file bytes (through the OLE backend)."""
    session = opening_session(att.session)
    fd, path = tempfile.mkstemp(suffix=".ole")
    os.close(fd)
    try:
        with att.open_object_storage() as src:
            dst = session.create_storage(path)
            try:
                src.copy_to(dst)
                dst.commit()
            finally:
                dst.close()
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def _raw_header(name: str, value: str) -> bytes:
    """One header line for raw output: RFC 2047-encoded when not ASCII, CRLF-terminated."""
    from email.header import Header

    value = clean(value)
    if not value.isascii():
        value = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {value}\r\n".encode("ascii", "replace")


def msg_to_eml(msg: Message, *, depth: int = 0) -> bytes:
    """``msg`` as RFC 5322 bytes (CRLF line ends).

    S/MIME messages (``IPM.Note.SMIME*``) are written as their headers followed by the
    stored signed/encrypted entity, byte for byte. Raises :class:`MAPIError` when the
    message cannot be read.
    """
    if _is_smime(msg):
        entity = _smime_entity(msg)
        if entity is not None:
            data, complete = entity
            fields = _header_block(msg, structural=False)
            if complete:
                own = {name for name, _ in raw_fields(split_raw(data)[0])}
                head = b"".join(_raw_header(n, v) for n, v in fields if n.lower() not in own)
                return head + data
            head = b"MIME-Version: 1.0\r\n" + b"".join(_raw_header(n, v) for n, v in fields)
            head = head[:-2]  # the line end before the MIME headers below
            b64 = base64.encodebytes(data).replace(b"\n", b"\r\n")
            mime = (
                "Content-Type: application/pkcs7-mime; smime-type="
                f'{_pkcs7_kind(data)}; name="smime.p7m"\r\n'
                "Content-Transfer-Encoding: base64\r\n"
                'Content-Disposition: attachment; filename="smime.p7m"\r\n'
            ).encode("ascii")
            return head + b"\r\n" + mime + b"\r\n" + b64
    em = message_to_email(msg, depth=depth)
    try:
        return em.as_bytes(policy=SMTP)
    except EMAIL_ERRORS as exc:  # a header the generator cannot fold as 7-bit
        try:
            return em.as_bytes(policy=SMTP.clone(utf8=True))
        except EMAIL_ERRORS:
            raise CorruptDataError(f"the message cannot be written as MIME: {exc}") from exc
