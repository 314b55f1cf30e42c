"""What both directions of the ``.eml`` conversion share: the policies, limits and marker
names, the exceptions the :mod:`email` package raises on malformed input, and raw header
helpers. Private to :mod:`imsg_core.convert`."""

from __future__ import annotations

import email.policy
import re

from .._session import Session
from ..errors import NoSupportError

__all__ = [
    "EMAIL_ERRORS",
    "MAX_DEPTH",
    "OLE_HEADER",
    "POLICY",
    "RTF_BODY_NAME",
    "SMTP",
    "clean",
    "opening_session",
    "raw_fields",
    "split_raw",
    "unfold",
]

#: Header marking a part that holds an OLE storage attachment (ATTACH_OLE) as compound-file
#: bytes, so .eml -> .msg restores it as a storage rather than as plain data.
OLE_HEADER = "X-Imsg-Attach-Storage"
#: File name of the inline text/rtf part that carries an RTF body with no HTML in it.
RTF_BODY_NAME = "body.rtf"
POLICY = email.policy.default
SMTP = email.policy.SMTP
MAX_DEPTH = 32

#: What the email package raises from inside its parsers on malformed input (stdlib
#: behaviour: header and body parsing is lazy and not every path records a defect).
EMAIL_ERRORS = (
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    LookupError,
    UnicodeError,
    AssertionError,
)


def unfold(value: str) -> str:
    """A folded header value on one line (CR and LF left over become spaces)."""
    value = re.sub(r"\r?\n(?=[ \t])", "", value)
    return value.replace("\r", " ").replace("\n", " ")


def clean(text: str) -> str:
    """No lone surrogates (from undecodable bytes): they cannot be written back."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def raw_fields(block: bytes) -> list[tuple[str, bytes]]:
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


def split_raw(data: bytes) -> tuple[bytes, bytes]:
    """(header block with its last line end, body) of raw MIME bytes."""
    sep = re.search(rb"\r?\n\r?\n", data)
    if sep is None:
        return data, b""
    return data[: sep.start()] + data[sep.start() : sep.end()].split(b"\n", 1)[0] + b"\n", data[
        sep.end() :
    ]


def opening_session(registry: object) -> Session:
    """The :class:`Session` an object was opened in: the OLE round trip opens a storage
    through the session's backends, which a bare registry does not have."""
    if not isinstance(registry, Session):
        raise NoSupportError(
            "converting an OLE attachment needs an object opened in an imsg_core.Session"
        )
    return registry
