"""``IAttach``: :class:`Attachment` and the attachment constants (see
:mod:`imsg_core.message`, where :class:`Attachment` is defined next to the message type,
and :mod:`imsg_core.message.attachment`, where its behaviour and the constants are)."""

from __future__ import annotations

from .message import Attachment
from .message.attachment import (
    ATTACH_BY_REFERENCE,
    ATTACH_BY_VALUE,
    ATTACH_EMBEDDED_MSG,
    ATTACH_OLE,
    ATTACH_PREFIX,
    NO_ATTACHMENT,
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
