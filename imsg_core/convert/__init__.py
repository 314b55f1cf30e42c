"""Conversions: ``.msg`` <-> ``.eml`` (:mod:`.eml`), RTF bodies (:mod:`.rtf`) and safe file
names for extracted attachments (:mod:`.names`)."""

from __future__ import annotations

from .eml import email_to_message, eml_to_msg, html_to_text, message_to_email, msg_to_eml
from .names import safe_filename

__all__ = [
    "email_to_message",
    "eml_to_msg",
    "html_to_text",
    "message_to_email",
    "msg_to_eml",
    "safe_filename",
]
