""".msg <-> .eml (RFC 5322 / MIME) with Python's :mod:`email` package.

:func:`msg_to_eml` / :func:`message_to_email` (``.msg`` → MIME):

* headers come from ``PR_TRANSPORT_MESSAGE_HEADERS`` when the message has them (every header
  but the MIME structure ones, which are rebuilt); otherwise they are built from properties
  (From, To, Cc, Bcc, Subject, Date, Message-ID, In-Reply-To, References, Importance);
* bodies: ``PR_BODY`` as text/plain, the HTML body as text/html (multipart/alternative when
  both exist); with no HTML, HTML de-encapsulated from ``PR_RTF_COMPRESSED`` (MS-OXRTFEX),
  or the RTF itself as a text/rtf part when it encapsulates nothing;
* attachments keep their MIME types and content-ids; attachments the HTML references by
  ``cid:`` stay inline, in a multipart/related with the HTML;
* embedded messages become message/rfc822 parts, recursively;
* S/MIME (``IPM.Note.SMIME*``): the signed or encrypted entity stored in the message is
  passed through byte for byte (:func:`msg_to_eml` only; it is never re-encoded).

:func:`eml_to_msg` / :func:`email_to_message` (MIME → ``.msg``) fill a new Unicode message:
recipients with their types, sender, dates, ``PR_BODY``, ``PR_HTML`` plus a
``PR_RTF_COMPRESSED`` that encapsulates the HTML (``\\fromhtml1``; without it Outlook shows
drafts as plain text), attachments, inline images (content-id, hidden), nested
message/rfc822 parts as embedded messages, S/MIME entities as Outlook stores them, and the
original header block in ``PR_TRANSPORT_MESSAGE_HEADERS``.

Errors: :class:`~imsg_core.errors.MAPIError` from the message layer; nothing else escapes for
malformed MIME (the :mod:`email` parser records defects instead of raising).
"""

from __future__ import annotations

import email
import email.policy
import mimetypes
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.message import Message as MIMEMessage
from email.utils import format_datetime, formataddr, getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from ..errors import CorruptDataError, MAPIError
from ..props import tags as T
from . import rtf as rtfmod

if TYPE_CHECKING:
    from ..attachment import Attachment
    from ..message import Message

__all__ = [
    "email_to_message",
    "eml_to_msg",
    "html_to_text",
    "message_to_email",
    "msg_to_eml",
]

#: Header marking a part that holds an OLE storage attachment (ATTACH_OLE) as compound-file
#: bytes, so .eml -> .msg restores it as a storage rather than as plain data.
OLE_HEADER = "X-Imsg-Attach-Storage"
#: File name of the inline text/rtf part that carries an RTF body with no HTML in it.
RTF_BODY_NAME = "body.rtf"
POLICY = email.policy.default
SMTP = email.policy.SMTP
MAX_DEPTH = 32

ATTACH_BY_VALUE = 1
ATTACH_EMBEDDED_MSG = 5
ATTACH_OLE = 6
ATT_MHTML_REF = 0x4  # attRenderedInBody
MSGFLAG_READ = 0x1
MSGFLAG_UNSENT = 0x8

PR_ATTACHMENT_HIDDEN = 0x7FFE000B
PR_ATTACH_FLAGS = 0x37140003
PR_ATTACH_CONTENT_LOCATION = 0x3713001F

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


# --------------------------------------------------------------------------- helpers
def _get(obj: Any, tag: int) -> Any:
    try:
        return obj.get_prop(tag, None)
    except MAPIError:
        return None


def _unfold(value: str) -> str:
    value = re.sub(r"\r?\n(?=[ \t])", "", value)
    return value.replace("\r", " ").replace("\n", " ")


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
    """One mailbox as header text: ``Name <a@b>``, ``a@b``, or ``Name <>`` for a recipient
    with no Internet address (RFC 2047-encoded when not ASCII); ``None`` when empty."""
    smtp = _smtp(addr)
    name = (name or "").strip()
    if not smtp and not name:
        name = (addr or "").strip()
    if not smtp and not name:
        return None
    if name == smtp:
        name = ""
    return formataddr((name, smtp), charset="utf-8")


_ADDRESS_HEADERS = frozenset({"from", "sender", "to", "cc", "bcc", "reply-to"})


def _set_header(em: MIMEMessage, name: str, value: str) -> None:
    value = _clean(value)
    if name.lower() in _ADDRESS_HEADERS:
        # Address lists we build may hold "Name <>" (no Internet address), which the header
        # registry rejects; they are plain ASCII (RFC 2047) already, so store them as text.
        em._headers.append((name, _unfold(value)))  # type: ignore[attr-defined]
        return
    try:
        em[name] = value
    except (ValueError, TypeError, IndexError, AttributeError):
        # A value the header registry cannot take: keep it as unstructured text. (The
        # stdlib parser itself fails with AttributeError on some malformed values.)
        em._headers.append((name, _unfold(value)))  # type: ignore[attr-defined]


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


# --------------------------------------------------------------------------- .msg -> MIME
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
            out.append((name, _unfold(str(value)).strip()))
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
    import os
    import tempfile

    session = att.session
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

    value = _clean(value)
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
                own = {name for name, _ in _raw_fields(_split_raw(data)[0])}
                head = b"".join(_raw_header(n, v) for n, v in fields if n.lower() not in own)
                return head + data
            head = b"MIME-Version: 1.0\r\n" + b"".join(_raw_header(n, v) for n, v in fields)
            head = head[:-2]  # the line end before the MIME headers below
            import base64

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
    except _EMAIL_ERRORS as exc:  # a header the generator cannot fold as 7-bit
        try:
            return em.as_bytes(policy=SMTP.clone(utf8=True))
        except _EMAIL_ERRORS:
            raise CorruptDataError(f"the message cannot be written as MIME: {exc}") from exc


# --------------------------------------------------------------------------- MIME -> .msg
class _TextExtractor(HTMLParser):
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "tr",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "blockquote",
            "pre",
            "hr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html_text: str) -> str:
    """A plain-text rendering of ``html_text`` (for ``PR_BODY`` when a message has only
    HTML): tags dropped, block elements on their own lines, CRLF line ends."""
    parser = _TextExtractor()
    try:
        parser.feed(html_text)
        parser.close()
    except Exception:  # HTMLParser is lenient; never let odd markup fail a conversion
        return re.sub(r"<[^>]*>", "", html_text)
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\r\n".join(out).strip("\r\n")


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
            return _clean(content)
    except (*_EMAIL_ERRORS, KeyError):
        pass
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return raw.decode(charset, "replace")
        except (LookupError, ValueError):  # a charset Python does not know
            return raw.decode("utf-8", "replace")
    return ""


def _meta_charset(html_text: str) -> str | None:
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", html_text, re.I)
    return m.group(1).lower() if m else None


def _html_bytes(html_text: str) -> tuple[bytes, int | None]:
    """HTML bytes in the charset the HTML declares (so every reader decodes it the same),
    else UTF-8; with the code page to put in PR_INTERNET_CPID (``None``: leave unset)."""
    import codecs

    declared = _meta_charset(html_text)
    if declared:
        try:
            info = codecs.lookup(declared)
        except LookupError:
            info = None
        if info is not None and info.name != "utf-8":
            return html_text.encode(info.name, "xmlcharrefreplace"), None
    return html_text.encode("utf-8"), 65001


#: What the email package raises from inside its parsers on malformed input (stdlib
#: behaviour: header and body parsing is lazy and not every path records a defect).
_EMAIL_ERRORS = (
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    LookupError,
    UnicodeError,
    AssertionError,
)


def _clean(text: str) -> str:
    """No lone surrogates (from undecodable bytes): they cannot be written back."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _header_text(em: MIMEMessage, name: str) -> str | None:
    """A header's decoded value, falling back to its raw text when the parser fails."""
    try:
        value = em.get(name)
        return None if value is None else _clean(_unfold(str(value)))
    except _EMAIL_ERRORS:
        for key, raw in em.raw_items():
            if key.lower() == name.lower():
                return _clean(_unfold(str(raw)))
        return None


def _header_values(em: MIMEMessage, name: str) -> list[str]:
    try:
        return [_clean(str(v)) for v in em.get_all(name, [])]
    except _EMAIL_ERRORS:
        return [_clean(str(raw)) for key, raw in em.raw_items() if key.lower() == name.lower()]


def _addresses(em: MIMEMessage, name: str) -> list[tuple[str, str]]:
    values = _header_values(em, name)
    out = []
    for disp, addr in getaddresses(values):
        if disp or addr:
            out.append((disp, addr))
    return out


def _received(em: MIMEMessage) -> datetime | None:
    """When the message arrived: the date of the topmost Received header (the last hop)."""
    received = _header_values(em, "Received")
    if not received:
        return None
    return _parse_date(_unfold(received[0]).rpartition(";")[2])


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
        props[T.PR_MESSAGE_DELIVERY_TIME] = _received(em) or when
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
    from ..message import MODRECIP_ADD
    from ..recipient import TYPE_CODES

    dest.modify_recipients(
        [
            {
                T.PR_DISPLAY_NAME: name,
                T.PR_RECIPIENT_TYPE: TYPE_CODES[kind],
                0x0FFE0003: 6,  # PR_OBJECT_TYPE = MAPI_MAILUSER
                0x39000003: 0,  # PR_DISPLAY_TYPE = DT_MAILUSER
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


def _raw_fields(block: bytes) -> list[tuple[str, bytes]]:
    """Header fields of a raw header block, each with its exact bytes (folding kept)."""
    fields: list[tuple[str, bytes]] = []
    for line in re.split(rb"(?<=\n)", block):
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and fields:
            name, raw = fields[-1]
            fields[-1] = (name, raw + line)
        else:
            name = line.split(b":", 1)[0].decode("ascii", "replace").strip().lower()
            fields.append((name, line))
    return fields


def _split_raw(data: bytes) -> tuple[bytes, bytes]:
    sep = re.search(rb"\r?\n\r?\n", data)
    if sep is None:
        return data, b""
    return data[: sep.start()] + data[sep.start() : sep.end()].split(b"\n", 1)[0] + b"\n", data[
        sep.end() :
    ]


def _signed_entity(em: MIMEMessage) -> bytes:
    """The multipart/signed entity as Outlook stores it: the MIME header fields
    (MIME-Version, Content-*) and the body, byte for byte as they were in the input."""
    raw = getattr(em, "_imsg_raw", None)
    if not isinstance(raw, bytes):
        raw = em.as_bytes(policy=email.policy.compat32.clone(linesep="\r\n"))
    head, body = _split_raw(raw)
    keep = [
        r for name, r in _raw_fields(head) if name == "mime-version" or name.startswith("content-")
    ]
    return b"".join(keep) + b"\r\n" + body


def _fill_bodies(dest: Message, root: MIMEMessage, *, attachments: bool, depth: int) -> None:
    plain_part: MIMEMessage | None = None
    html_part: MIMEMessage | None = None
    if isinstance(root, EmailMessage):
        try:
            plain_part = root.get_body(preferencelist=("plain",))
            html_part = root.get_body(preferencelist=("html",))
        except _EMAIL_ERRORS:  # a malformed tree: take the first text leaves
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
        data, cpid = _html_bytes(html_text)
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
            name = filename or _unfold(str(inner.get("Subject", ""))) or f"message-{n}"
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
        extra[PR_ATTACH_CONTENT_LOCATION] = _unfold(str(location))
    if cid and f"cid:{str(cid).strip().strip('<>')}".lower() in html_lower:
        extra[PR_ATTACHMENT_HIDDEN] = True
        extra[PR_ATTACH_FLAGS] = ATT_MHTML_REF
    if extra:
        _raise(att.set_props(extra))
        att.save_changes()
    att.close()


def _add_ole_attachment(dest: Message, filename: str | None, data: bytes) -> None:
    """Restore an ATTACH_OLE attachment from its compound-file bytes."""
    att = dest.create_attach()
    with dest.session.open_storage(bytes(data), "r") as src:
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
        from ..errors import error_for

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
    except _EMAIL_ERRORS as exc:
        raise CorruptDataError(
            f"the MIME message cannot be parsed: {type(exc).__name__}: {exc}"
        ) from exc
