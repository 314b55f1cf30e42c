"""Conversions: ``.msg`` <-> ``.eml`` (:mod:`.eml`: :mod:`.to_eml` one way, :mod:`.from_eml`
the other, :mod:`.htmltext` for HTML), RTF bodies (:mod:`.rtf`) and safe file names for
extracted attachments (:mod:`.names`). The top layer: nothing below imports it."""

from __future__ import annotations

from .eml import email_to_message
from .eml import eml_to_msg
from .eml import html_to_text
from .eml import message_to_email
from .eml import msg_to_eml
from .names import safe_filename

__all__ = [
    "email_to_message",
    "eml_to_msg",
    "html_to_text",
    "message_to_email",
    "msg_to_eml",
    "safe_filename",
]
