"""What :meth:`Message.save_as <imsg_core.Message.save_as>` needs of a message's session."""

from __future__ import annotations

from typing import Any
from typing import Protocol
from typing import runtime_checkable

from .._propobj import PropObject

__all__ = ["MessageFactory"]


@runtime_checkable
class MessageFactory(Protocol):
    """What :meth:`Message.save_as` needs of the message's session (a
    :class:`~imsg_core.Session`): creating a new message at a location."""

    def create(
        self,
        location: Any,
        *,
        overwrite: bool = ...,
        unicode: bool = ...,
        codepage: int | None = ...,
        **options: Any,
    ) -> PropObject: ...

    def close(self) -> None: ...
