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

from ._mime import MAX_DEPTH
from ._mime import OLE_HEADER
from ._mime import POLICY
from ._mime import RTF_BODY_NAME
from ._mime import SMTP
from .from_eml import email_to_message
from .from_eml import eml_to_msg
from .from_eml import parse_eml
from .htmltext import html_to_text
from .to_eml import message_to_email
from .to_eml import msg_to_eml

__all__ = [
    "MAX_DEPTH",
    "OLE_HEADER",
    "POLICY",
    "RTF_BODY_NAME",
    "SMTP",
    "email_to_message",
    "eml_to_msg",
    "html_to_text",
    "message_to_email",
    "msg_to_eml",
    "parse_eml",
]
