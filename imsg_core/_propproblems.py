"""What a property call reports instead of raising: :class:`PropError` (the ``PT_ERROR``
slot of ``GetProps``) and :class:`PropProblem` (one entry of an ``SPropProblemArray``)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import SCODE
from .errors import MAPIError
from .errors import error_for

__all__ = ["PropError", "PropProblem"]


@dataclass(frozen=True)
class PropError:
    """A property that could not be returned: the ``PT_ERROR`` slot of ``GetProps``.

    ``tag`` is the tag asked for, ``scode`` why it failed (``MAPI_E_NOT_FOUND``,
    ``MAPI_E_NO_ACCESS``, ``MAPI_E_BAD_CHARWIDTH``, ``MAPI_E_CORRUPT_DATA``...). A
    ``PropError`` is falsy, so ``value or default`` works.
    """

    tag: int
    scode: int

    def __bool__(self) -> bool:
        return False

    @property
    def name(self) -> str:
        """Symbolic name of :attr:`scode`."""
        try:
            return SCODE(self.scode).name
        except ValueError:
            return f"0x{self.scode:08X}"

    def error(self) -> MAPIError:
        """The exception this slot stands for."""
        return error_for(self.scode, f"property 0x{self.tag:08X}")

    def __repr__(self) -> str:
        return f"PropError(0x{self.tag:08X}, {self.name})"


@dataclass(frozen=True)
class PropProblem:
    """One entry of an ``SPropProblemArray``: the property at ``index`` of the request
    (tag ``tag``) was not processed, because of ``scode``."""

    index: int
    tag: int
    scode: int

    def __repr__(self) -> str:
        try:
            name = SCODE(self.scode).name
        except ValueError:
            name = f"0x{self.scode:08X}"
        return f"PropProblem({self.index}, 0x{self.tag:08X}, {name})"
