"""``IAttach``: :class:`Attachment` and the attachment constants (see
:mod:`imsg_core.message.attachment`, where they are defined next to the message type)."""

from __future__ import annotations

from .message.attachment import (
    ATTACH_BY_REFERENCE,
    ATTACH_BY_VALUE,
    ATTACH_EMBEDDED_MSG,
    ATTACH_OLE,
    ATTACH_PREFIX,
    NO_ATTACHMENT,
    Attachment,
    attach_storage_name,
    attachment_table,
)

__all__ = [
    "ATTACH_BY_REFERENCE",
    "ATTACH_BY_VALUE",
    "ATTACH_EMBEDDED_MSG",
    "ATTACH_OLE",
    "ATTACH_PREFIX",
    "NO_ATTACHMENT",
    "Attachment",
    "attach_storage_name",
    "attachment_table",
]
