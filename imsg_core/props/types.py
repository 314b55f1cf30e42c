"""Property types and tags: ``PT_*`` codes, tag arithmetic, ``PROPATTR_*`` bits.

A property tag is ``(id << 16) | type`` (spec oxmsg §5). Types with :data:`MV_FLAG` set are
multi-valued. "Fixed" types are stored inline in the 8-byte value of a property-stream entry;
every other type lives in ``__substg1.0_`` streams.
"""

from __future__ import annotations

from enum import IntEnum

from ..errors import InvalidParameterError

__all__ = [
    "DEFAULT_ATTRS",
    "ELEMENT_SIZE",
    "FIXED_SIZE",
    "MV_FLAG",
    "MV_INSTANCE",
    "PROPATTR_MANDATORY",
    "PROPATTR_NOT_PRESENT",
    "PROPATTR_READABLE",
    "PROPATTR_WRITABLE",
    "PROPATTR_WRITEABLE",
    "PT_BINARY",
    "PT_BOOLEAN",
    "PT_CLSID",
    "PT_ERROR",
    "PT_LONG",
    "PT_NULL",
    "PT_OBJECT",
    "PT_STRING8",
    "PT_SYSTIME",
    "PT_UNICODE",
    "PT_UNSPECIFIED",
    "PropType",
    "base_type",
    "check_tag",
    "is_fixed",
    "is_multi",
    "is_variable",
    "make_tag",
    "pid",
    "prop_id",
    "prop_type",
    "ptype",
    "type_name",
]

#: Multi-valued flag in a property type.
MV_FLAG = 0x1000
#: Table-only "one row per value" flag; never stored in a .msg.
MV_INSTANCE = 0x2000

#: ``PROPATTR_*`` bits: the Flags field of a property-stream entry (imsg-api §6.1).
PROPATTR_MANDATORY = 0x1
PROPATTR_READABLE = 0x2
PROPATTR_WRITABLE = 0x4
#: Microsoft's header spelling of :data:`PROPATTR_WRITABLE`.
PROPATTR_WRITEABLE = PROPATTR_WRITABLE
#: API-only: GetAttrib's answer for a tag without a value; never written to disk.
PROPATTR_NOT_PRESENT = 0x8
#: The attributes of a new property: readable and writable.
DEFAULT_ATTRS = PROPATTR_READABLE | PROPATTR_WRITABLE


class PropType(IntEnum):
    """Every MAPI property type of spec oxmsg §5, single- and multi-valued."""

    PT_UNSPECIFIED = 0x0000
    PT_NULL = 0x0001
    PT_I2 = 0x0002
    PT_LONG = 0x0003
    PT_R4 = 0x0004
    PT_DOUBLE = 0x0005
    PT_CURRENCY = 0x0006
    PT_APPTIME = 0x0007
    PT_ERROR = 0x000A
    PT_BOOLEAN = 0x000B
    PT_OBJECT = 0x000D
    PT_I8 = 0x0014
    PT_STRING8 = 0x001E
    PT_UNICODE = 0x001F
    PT_SYSTIME = 0x0040
    PT_CLSID = 0x0048
    PT_SVREID = 0x00FB
    PT_SRESTRICT = 0x00FD
    PT_ACTIONS = 0x00FE
    PT_BINARY = 0x0102
    PT_MV_I2 = 0x1002
    PT_MV_LONG = 0x1003
    PT_MV_R4 = 0x1004
    PT_MV_DOUBLE = 0x1005
    PT_MV_CURRENCY = 0x1006
    PT_MV_APPTIME = 0x1007
    PT_MV_I8 = 0x1014
    PT_MV_STRING8 = 0x101E
    PT_MV_UNICODE = 0x101F
    PT_MV_SYSTIME = 0x1040
    PT_MV_CLSID = 0x1048
    PT_MV_BINARY = 0x1102

    # MAPI header aliases (IntEnum aliases: same value, so PropType(3) is PT_LONG).
    PT_SHORT = 0x0002
    PT_I4 = 0x0003
    PT_FLOAT = 0x0004
    PT_R8 = 0x0005
    PT_LONGLONG = 0x0014
    PT_MV_SHORT = 0x1002
    PT_MV_I4 = 0x1003
    PT_MV_FLOAT = 0x1004
    PT_MV_R8 = 0x1005
    PT_MV_LONGLONG = 0x1014


# Plain-int copies of the types the message layer tests on its hot paths (an int compares
# and hashes faster than an enum member); each is its PropType member's value.
PT_UNSPECIFIED: int = PropType.PT_UNSPECIFIED.value
PT_NULL: int = PropType.PT_NULL.value
PT_LONG: int = PropType.PT_LONG.value
PT_ERROR: int = PropType.PT_ERROR.value
PT_BOOLEAN: int = PropType.PT_BOOLEAN.value
PT_OBJECT: int = PropType.PT_OBJECT.value
PT_STRING8: int = PropType.PT_STRING8.value
PT_UNICODE: int = PropType.PT_UNICODE.value
PT_SYSTIME: int = PropType.PT_SYSTIME.value
PT_CLSID: int = PropType.PT_CLSID.value
PT_BINARY: int = PropType.PT_BINARY.value

#: Byte size of the value of each fixed (inline) type inside the 8-byte entry value.
FIXED_SIZE: dict[int, int] = {
    PropType.PT_NULL: 0,
    PropType.PT_I2: 2,
    PropType.PT_LONG: 4,
    PropType.PT_R4: 4,
    PropType.PT_DOUBLE: 8,
    PropType.PT_CURRENCY: 8,
    PropType.PT_APPTIME: 8,
    PropType.PT_ERROR: 4,
    PropType.PT_BOOLEAN: 2,
    PropType.PT_I8: 8,
    PropType.PT_SYSTIME: 8,
}

#: Element size of each fixed-length type usable in a packed multi-valued stream
#: (keyed by the single-valued base type).
ELEMENT_SIZE: dict[int, int] = {
    **{
        t: n
        for t, n in FIXED_SIZE.items()
        if n and t not in (PropType.PT_ERROR, PropType.PT_BOOLEAN)
    },
    PropType.PT_CLSID: 16,
}


def prop_id(tag: int) -> int:
    """The 16-bit property ID (high word) of ``tag``."""
    return (int(tag) >> 16) & 0xFFFF


def prop_type(tag: int) -> int:
    """The 16-bit property type (low word) of ``tag``."""
    return int(tag) & 0xFFFF


def ptype(tag: int) -> int:
    """The type half of an int tag (:func:`prop_type` without the ``int()``: hot paths)."""
    return tag & 0xFFFF


def pid(tag: int) -> int:
    """The identifier half of an int tag (:func:`prop_id` without the ``int()``)."""
    return (tag >> 16) & 0xFFFF


def make_tag(pid: int, ptype: int) -> int:
    """``PROP_TAG(type, id)``; raises InvalidParameterError outside 0..0xFFFF."""
    if not (0 <= int(pid) <= 0xFFFF and 0 <= int(ptype) <= 0xFFFF):
        raise InvalidParameterError(
            f"property id 0x{int(pid):X} / type 0x{int(ptype):X} out of 16-bit range"
        )
    return (int(pid) << 16) | int(ptype)


def check_tag(tag: object) -> int:
    """Return ``tag`` as an int if it is a valid 32-bit tag, else raise InvalidParameterError."""
    if isinstance(tag, bool) or not isinstance(tag, int):
        raise InvalidParameterError(f"property tag must be an int, not {type(tag).__name__}")
    if not 0 <= tag <= 0xFFFFFFFF:
        raise InvalidParameterError(f"property tag {tag!r} is not a 32-bit value")
    return int(tag)


def base_type(ptype: int) -> int:
    """The type without :data:`MV_FLAG` / :data:`MV_INSTANCE`."""
    return int(ptype) & ~(MV_FLAG | MV_INSTANCE) & 0xFFFF


def is_multi(ptype: int) -> bool:
    """True for multi-valued types (``MV_FLAG`` set)."""
    return bool(int(ptype) & MV_FLAG)


def is_fixed(ptype: int) -> bool:
    """True when the value is stored inline in the 8-byte entry value (no stream)."""
    return int(ptype) in FIXED_SIZE


def is_variable(ptype: int) -> bool:
    """True when the value lives in ``__substg1.0_`` stream(s) (incl. MV and PT_OBJECT)."""
    return not is_fixed(ptype)


def type_name(ptype: int) -> str:
    """``"PT_UNICODE"`` etc., or ``"0xNNNN"`` for an unknown type."""
    try:
        return PropType(int(ptype)).name
    except ValueError:
        return f"0x{int(ptype) & 0xFFFF:04X}"
