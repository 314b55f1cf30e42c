"""The core's own plugin: releases the message layer's objects (messages, attachments,
recipients tables, embedded messages), whose records carry ``backend="core"``.

It is registered in every plugin manager under the name ``core``, like any backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .hookspecs import hookimpl
from .session import standard_release

if TYPE_CHECKING:
    from .session import ObjectRecord, Session

NAME = "core"


@hookimpl
@standard_release(NAME)
def imsg_core_release(session: Session, objects: Sequence[ObjectRecord]) -> None:
    """Release the message-layer objects in ``objects``."""
    for rec in objects:
        if rec.backend == NAME:
            rec.obj._imsg_release()
