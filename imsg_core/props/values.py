"""Property values: decode an entry (plus its ``__substg1.0_`` streams) to Python, and back.

Natural Python types (spec oxmsg §5, §3.3, §5.1):

=================  ===============================================================
PT_NULL            ``None``
PT_I2/LONG/I8      ``int`` (signed, as MAPI's ``short``/``LONG``/``LONGLONG``)
PT_R4, PT_DOUBLE   ``float``
PT_CURRENCY        :class:`decimal.Decimal` (int64 / 10 000)
PT_APPTIME         ``float`` (OLE automation date: days since 1899-12-30);
                   :func:`apptime_to_datetime` converts; writes accept ``datetime``
PT_ERROR           :class:`ErrorValue`
PT_BOOLEAN         ``bool``
PT_SYSTIME         :class:`FileTime` — a UTC-aware ``datetime`` that keeps the
                   100-ns FILETIME ticks, so values round-trip exactly
PT_CLSID           :class:`uuid.UUID`
PT_STRING8         ``str`` decoded with the code page(s) given (see :mod:`.codepage`)
PT_UNICODE         ``str`` (UTF-16LE; lone surrogates kept via ``surrogatepass``)
PT_BINARY etc.     ``bytes``
PT_OBJECT          :class:`ObjectValue` (the data is a storage; open it yourself)
PT_MV_*            ``list`` of the element type
unknown types      ``bytes``: the ``__substg1.0_`` stream if present, else the raw
                   8-byte value field
=================  ===============================================================

Strings are read leniently: trailing NULs are stripped (one sample stores terminators) and the
Size field is never trusted. A listed variable-length property whose stream is missing raises
:class:`~imsg_core.errors.CorruptDataError` naming the stream.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import ROUND_HALF_EVEN
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import Protocol

from .._storage import Storage
from ..errors import CorruptDataError
from ..errors import InvalidParameterError
from ..errors import MAPIError
from ..errors import StorageError
from .codec import RawEntry
from .codepage import decode_string8
from .codepage import encode_string8
from .types import ELEMENT_SIZE
from .types import MV_FLAG
from .types import PROPATTR_READABLE
from .types import PROPATTR_WRITABLE
from .types import PropType
from .types import base_type
from .types import check_tag
from .types import is_multi
from .types import prop_type
from .types import type_name

__all__ = [
    "ErrorValue",
    "FileTime",
    "ObjectValue",
    "apptime_to_datetime",
    "datetime_to_apptime",
    "datetime_to_filetime",
    "delete_value_streams",
    "filetime_to_datetime",
    "read_value",
    "substg_name",
    "write_value",
]

SUBSTG_PREFIX = "__substg1.0_"
_EPOCH_1601 = datetime(1601, 1, 1, tzinfo=UTC)
_EPOCH_1899 = datetime(1899, 12, 30, tzinfo=UTC)
_MAX_TICKS = 0xFFFFFFFFFFFFFFFF


@dataclass(frozen=True)
class ErrorValue:
    """A PT_ERROR value: the SCODE stored in place of a property's value."""

    scode: int

    def __repr__(self) -> str:
        from ..errors import _code_name

        return f"ErrorValue({_code_name(self.scode)}, 0x{self.scode & 0xFFFFFFFF:08X})"


@dataclass(frozen=True)
class ObjectValue:
    """A PT_OBJECT entry: the value is the storage ``__substg1.0_<tag>``, not a stream.

    ``size`` is the entry's Size field (0xFFFFFFFF in Outlook files); ``reserved`` is 1 for
    an embedded message, 4 for a custom (OLE) storage (spec oxmsg §3.3).
    """

    size: int = 0xFFFFFFFF
    reserved: int = 1


class FileTime(datetime):
    """A UTC-aware ``datetime`` read from a FILETIME, remembering the exact 100-ns ticks.

    Behaves as a ``datetime`` everywhere; :attr:`ticks` gives the FILETIME. Writing a
    ``FileTime`` back stores exactly those ticks. Values past year 9999 (FILETIME allows
    them) are shown as ``datetime.max`` but keep their ticks.
    """

    _ticks: int | None = None

    @classmethod
    def from_ticks(cls, ticks: int) -> FileTime:
        """The FileTime for ``ticks`` 100-ns intervals since 1601-01-01 UTC."""
        try:
            obj = _FT_EPOCH + timedelta(microseconds=ticks // 10)
        except OverflowError:
            obj = cls(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
        if type(obj) is not cls or obj is _FT_EPOCH:  # never mutate the shared epoch
            obj = cls(*obj.timetuple()[:6], obj.microsecond, tzinfo=UTC)
        obj._ticks = ticks
        return obj

    @property
    def ticks(self) -> int:
        """The FILETIME value (100-ns ticks since 1601-01-01 UTC)."""
        if self._ticks is not None:
            return self._ticks
        return datetime_to_filetime(datetime(*self.timetuple()[:6], self.microsecond, UTC))

    def __reduce__(self) -> Any:
        return (FileTime.from_ticks, (self.ticks,))

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self.__reduce__()


_FT_EPOCH = FileTime(1601, 1, 1, tzinfo=UTC)


def filetime_to_datetime(ticks: int) -> FileTime:
    """FILETIME ticks -> :class:`FileTime` (UTC)."""
    return FileTime.from_ticks(int(ticks))


def datetime_to_filetime(value: datetime) -> int:
    """A datetime -> FILETIME ticks. Naive datetimes are taken as UTC.

    Raises InvalidParameterError before 1601-01-01 UTC.
    """
    ticks = getattr(value, "_ticks", None)
    if isinstance(value, FileTime) and ticks is not None:
        return int(ticks)
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    delta = aware - _EPOCH_1601
    result = (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10
    if not 0 <= result <= _MAX_TICKS:
        raise InvalidParameterError(f"time {value!r} is before 1601-01-01 UTC (FILETIME)")
    return result


def apptime_to_datetime(days: float) -> datetime:
    """OLE automation date (PT_APPTIME) -> UTC datetime (raises InvalidParameterError)."""
    try:
        return _EPOCH_1899 + timedelta(days=days)
    except (OverflowError, ValueError) as exc:
        raise InvalidParameterError(f"PT_APPTIME {days!r} is not a representable date") from exc


def datetime_to_apptime(value: datetime) -> float:
    """UTC datetime (naive = UTC) -> OLE automation date."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return (aware - _EPOCH_1899) / timedelta(days=1)


_SUBSTG_NAMES: dict[int, str] = {}  # tag -> stream name: messages repeat a few hundred tags


def substg_name(tag: int, index: int | None = None) -> str:
    """``"__substg1.0_%08X"`` for ``tag``; with ``index``, the MV element stream name."""
    if index is None and type(tag) is int:
        got = _SUBSTG_NAMES.get(tag)
        if got is not None:
            return got
    tag = check_tag(tag)
    if index is None:
        name = f"{SUBSTG_PREFIX}{tag:08X}"
        if len(_SUBSTG_NAMES) < 1 << 16:
            _SUBSTG_NAMES[tag] = name
        return name
    if not 0 <= index <= 0xFFFFFFFF:
        raise InvalidParameterError(f"multi-valued index {index} out of range")
    return f"{SUBSTG_PREFIX}{tag:08X}-{index:08X}"


# --------------------------------------------------------------------------------------
# reading

_FIXED_READ: dict[int, struct.Struct] = {
    PropType.PT_I2: struct.Struct("<h"),
    PropType.PT_LONG: struct.Struct("<i"),
    PropType.PT_R4: struct.Struct("<f"),
    PropType.PT_DOUBLE: struct.Struct("<d"),
    PropType.PT_CURRENCY: struct.Struct("<q"),
    PropType.PT_APPTIME: struct.Struct("<d"),
    PropType.PT_ERROR: struct.Struct("<I"),
    PropType.PT_BOOLEAN: struct.Struct("<H"),
    PropType.PT_I8: struct.Struct("<q"),
    PropType.PT_SYSTIME: struct.Struct("<Q"),
}
_KNOWN_TYPES = frozenset(int(t) for t in PropType)
_BIN_TYPES = frozenset(
    {PropType.PT_BINARY, PropType.PT_SVREID, PropType.PT_SRESTRICT, PropType.PT_ACTIONS}
)


def _decode_scalar(ptype: int, raw: bytes, offset: int = 0) -> object:
    """Decode one fixed-size value of base type ``ptype`` at ``raw[offset:]``."""
    if ptype == PropType.PT_CLSID:
        return uuid.UUID(bytes_le=bytes(raw[offset : offset + 16]))
    (num,) = _FIXED_READ[ptype].unpack_from(raw, offset)
    if ptype == PropType.PT_CURRENCY:
        return Decimal(num).scaleb(-4)
    if ptype == PropType.PT_ERROR:
        return ErrorValue(num)
    if ptype == PropType.PT_BOOLEAN:
        return num != 0
    if ptype == PropType.PT_SYSTIME:
        return FileTime.from_ticks(num)
    return num


#: Where an object is, for error messages: text, or a callable giving it only when needed.
Where = str | Callable[[], str]


def _read_stream(storage: Storage, name: str, where: Where) -> bytes:
    try:
        return storage.read_stream(name)
    except StorageError as exc:
        from ..errors import NotFoundError

        if isinstance(exc, NotFoundError):
            raise CorruptDataError(
                f"{_place(storage, where)}: value stream {name!r} of a property listed in "
                f"__properties_version1.0 is missing"
            ) from None
        raise


def _place(storage: Storage, where: Where) -> str:
    if callable(where):
        try:
            where = where()
        except MAPIError:
            where = ""
    if where:
        return where
    try:
        return storage.path or "/"
    except MAPIError:
        return "?"


def _strip_utf16(raw: bytes) -> str:
    if len(raw) % 2:
        raw = raw[:-1]
    return raw.decode("utf-16-le", "surrogatepass").rstrip("\0")


def _as_codepages(codepage: int | Sequence[int] | None) -> list[int]:
    if codepage is None:
        return []
    if isinstance(codepage, int):
        return [codepage]
    return [int(c) for c in codepage]


def read_value(
    storage: Storage,
    entry: RawEntry,
    *,
    codepage: int | Sequence[int] | None = None,
    where: Where = "",
) -> object:
    """Decode the value of ``entry``, reading its ``__substg1.0_`` stream(s) from ``storage``.

    ``codepage`` (one code page or candidates in order, see
    :func:`~imsg_core.props.codepage.decode_string8`) decodes PT_STRING8 values; without
    it Windows-1252 is assumed. ``where`` names the object in error messages: a string, or a
    zero-argument callable evaluated only when an error is raised (saves building paths on
    the fast path).

    Raises:
        CorruptDataError: a value stream is missing or does not hold whole values.
        StorageError: the storage itself failed.
    """
    ptype = prop_type(entry.tag)
    if ptype == PropType.PT_NULL:
        return None
    if ptype in _FIXED_READ:
        return _decode_scalar(ptype, bytes(entry.value).ljust(8, b"\0"))
    if ptype == PropType.PT_OBJECT:
        return ObjectValue(entry.size_field, entry.reserved_field)
    name = substg_name(entry.tag)
    if is_multi(ptype) and ptype in _KNOWN_TYPES:
        return _read_multi(storage, entry.tag, ptype, _as_codepages(codepage), where)
    if ptype == PropType.PT_UNICODE:
        return _strip_utf16(_read_stream(storage, name, where))
    if ptype == PropType.PT_STRING8:
        raw8 = _read_stream(storage, name, where).rstrip(b"\0")
        return decode_string8(raw8, _as_codepages(codepage))
    if ptype == PropType.PT_CLSID:
        raw = _read_stream(storage, name, where)
        if len(raw) < 16:
            raise CorruptDataError(
                f"{_place(storage, where)}: {name} holds {len(raw)} bytes, a GUID needs 16"
            )
        return uuid.UUID(bytes_le=raw[:16])
    if ptype in _BIN_TYPES:
        return _read_stream(storage, name, where)
    # Unknown type: the stream if there is one, else the raw value field.
    try:
        return storage.read_stream(name)
    except StorageError:
        return bytes(entry.value)


def _read_multi(
    storage: Storage, tag: int, ptype: int, cps: list[int], where: Where
) -> list[object]:
    base = base_type(ptype)
    name = substg_name(tag)
    raw = _read_stream(storage, name, where)
    if base in ELEMENT_SIZE:
        size = ELEMENT_SIZE[base]
        if len(raw) % size:
            raise CorruptDataError(
                f"{_place(storage, where)}: {name} is {len(raw)} bytes, not a whole number of "
                f"{size}-byte {type_name(base)} values"
            )
        return [_decode_scalar(base, raw, i) for i in range(0, len(raw), size)]
    if base in (PropType.PT_STRING8, PropType.PT_UNICODE, PropType.PT_BINARY):
        step = 8 if base == PropType.PT_BINARY else 4
        count = len(raw) // step
        if len(raw) % step:
            raise CorruptDataError(
                f"{_place(storage, where)}: length stream {name} is {len(raw)} bytes, not a "
                f"multiple of {step}"
            )
        out: list[object] = []
        for i in range(count):
            data = _read_stream(storage, substg_name(tag, i), where)
            if base == PropType.PT_BINARY:
                out.append(data)
            elif base == PropType.PT_UNICODE:
                out.append(_strip_utf16(data))
            else:
                out.append(decode_string8(data.rstrip(b"\0"), cps))
        return out
    # An MV type we do not know how to split: its raw stream as one element.
    return [raw]


# --------------------------------------------------------------------------------------
# writing


def _bad(tag: int, value: object, want: str) -> InvalidParameterError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return InvalidParameterError(
        f"property 0x{tag:08X} ({type_name(prop_type(tag))}) needs {want}, got "
        f"{type(value).__name__} {shown}"
    )


def _int_in(tag: int, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(tag, value, "an int")
    if not lo <= value <= hi:
        raise _bad(tag, value, f"an int in {lo}..{hi}")
    return int(value)


def _encode_scalar(tag: int, base: int, value: object) -> bytes:
    """Encode one fixed-size value (single or MV element) of base type ``base``."""
    if base == PropType.PT_I2:
        return struct.pack("<H", _int_in(tag, value, -0x8000, 0xFFFF) & 0xFFFF)
    if base == PropType.PT_LONG:
        return struct.pack("<I", _int_in(tag, value, -0x80000000, 0xFFFFFFFF) & 0xFFFFFFFF)
    if base == PropType.PT_I8:
        return struct.pack("<Q", _int_in(tag, value, -(1 << 63), (1 << 64) - 1) & _MAX_TICKS)
    if base in (PropType.PT_R4, PropType.PT_DOUBLE, PropType.PT_APPTIME):
        if base == PropType.PT_APPTIME and isinstance(value, datetime):
            value = datetime_to_apptime(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(tag, value, "a float")
        fmt = "<f" if base == PropType.PT_R4 else "<d"
        try:
            return struct.pack(fmt, float(value))
        except (OverflowError, struct.error):
            raise _bad(tag, value, "a float in range") from None
    if base == PropType.PT_CURRENCY:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
            raise _bad(tag, value, "a Decimal")
        try:
            dec = value if isinstance(value, Decimal) else Decimal(str(value))
            scaled = int((dec * 10_000).to_integral_value(rounding=ROUND_HALF_EVEN))
        except (InvalidOperation, ValueError, OverflowError):
            raise _bad(tag, value, "a finite Decimal") from None
        if not -(1 << 63) <= scaled < (1 << 63):
            raise _bad(tag, value, "a currency within ±922337203685477.5807")
        return struct.pack("<q", scaled)
    if base == PropType.PT_ERROR:
        code = value.scode if isinstance(value, ErrorValue) else value
        return struct.pack("<I", _int_in(tag, code, -0x80000000, 0xFFFFFFFF) & 0xFFFFFFFF)
    if base == PropType.PT_BOOLEAN:
        if not isinstance(value, bool | int):
            raise _bad(tag, value, "a bool")
        return b"\x01\x00" if value else b"\x00\x00"
    if base == PropType.PT_SYSTIME:
        if not isinstance(value, datetime):
            raise _bad(tag, value, "a datetime")
        return struct.pack("<Q", datetime_to_filetime(value))
    if base == PropType.PT_CLSID:
        if not isinstance(value, uuid.UUID):
            raise _bad(tag, value, "a uuid.UUID")
        return value.bytes_le
    raise _bad(tag, value, "a supported type")


def _as_bytes(tag: int, value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise _bad(tag, value, "bytes")


def _encode_text(tag: int, base: int, value: object, codepage: int | None) -> bytes:
    if base == PropType.PT_UNICODE:
        if not isinstance(value, str):
            raise _bad(tag, value, "a str")
        return value.encode("utf-16-le", "surrogatepass")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)  # raw 8-bit text, written verbatim
    if not isinstance(value, str):
        raise _bad(tag, value, "a str (or raw bytes)")
    return encode_string8(value, 1252 if codepage is None else codepage, where=f"0x{tag:08X}")


class StreamSink(Protocol):
    """Where :func:`write_value` puts value streams: a :class:`Storage`, or a
    :class:`StreamCollector`."""

    def write_stream(self, name: str, data: bytes) -> None: ...

    def exists(self, name: str) -> bool: ...

    def destroy(self, name: str) -> None: ...


class StreamCollector:
    """A :class:`StreamSink` that keeps the streams in :attr:`streams` (name to bytes), for
    building a whole storage at once with :meth:`Storage.write_storage`."""

    __slots__ = ("streams",)

    def __init__(self) -> None:
        self.streams: dict[str, bytes] = {}

    def write_stream(self, name: str, data: bytes) -> None:
        self.streams[name] = bytes(data)

    def exists(self, name: str) -> bool:
        return name in self.streams

    def destroy(self, name: str) -> None:
        del self.streams[name]


_U32 = 0xFFFFFFFF
_PT_UNICODE, _PT_LONG = int(PropType.PT_UNICODE), int(PropType.PT_LONG)
_PT_BOOLEAN, _PT_BINARY = int(PropType.PT_BOOLEAN), int(PropType.PT_BINARY)
_SIZE_ENTRY = struct.Struct("<II").pack
_ZERO_ENTRY = bytes(8)
_TRUE_ENTRY = b"\x01" + bytes(7)


def _entry(tag: int, flags: int, size: int, reserved: int = 0) -> RawEntry:
    return RawEntry(tag, flags, struct.pack("<II", size & 0xFFFFFFFF, reserved & 0xFFFFFFFF))


def write_value(
    storage: StreamSink,
    tag: int,
    value: object,
    *,
    flags: int = PROPATTR_READABLE | PROPATTR_WRITABLE,
    codepage: int | None = None,
) -> RawEntry:
    """Encode ``value`` as property ``tag``: write its stream(s) and return its entry.

    Variable-length and multi-valued values (re)create ``__substg1.0_`` streams (stale MV
    element streams beyond the new count are removed); fixed values only produce the entry.
    PT_STRING8 values are encoded with ``codepage`` (default 1252); ``bytes`` are written
    verbatim. Sizes follow spec oxmsg §3.3 (strings: stream length + 2 / + 1, without
    terminator; MV strings: length entries and element streams include the terminator).
    PT_OBJECT takes an :class:`ObjectValue` and writes nothing (the object is a storage).
    Single-valued strings lose trailing NULs on reading back.

    Raises:
        InvalidParameterError: the value does not fit the tag's type, or the type cannot be
            stored (PT_UNSPECIFIED).
        StorageError: the storage failed (e.g. it is read-only).
    """
    if type(tag) is int and type(flags) is int and 0 <= tag <= _U32 and 0 <= flags <= _U32:
        # The common cases, encoded exactly as the general path below encodes them.
        ptype = tag & 0xFFFF
        if ptype == _PT_UNICODE and type(value) is str:
            data = value.encode("utf-16-le", "surrogatepass")
            storage.write_stream(_SUBSTG_NAMES.get(tag) or substg_name(tag), data)
            return RawEntry(tag, flags, _SIZE_ENTRY((len(data) + 2) & _U32, 0))
        if ptype == _PT_LONG and type(value) is int and -0x80000000 <= value <= _U32:
            return RawEntry(tag, flags, _SIZE_ENTRY(value & _U32, 0))
        if ptype == _PT_BOOLEAN and type(value) is bool:
            return RawEntry(tag, flags, _TRUE_ENTRY if value else _ZERO_ENTRY)
        if ptype == _PT_BINARY and type(value) is bytes:
            storage.write_stream(_SUBSTG_NAMES.get(tag) or substg_name(tag), value)
            return RawEntry(tag, flags, _SIZE_ENTRY(len(value) & _U32, 0))
    return _write_any(storage, tag, value, flags=flags, codepage=codepage)


def _write_any(
    storage: StreamSink, tag: int, value: object, *, flags: int, codepage: int | None
) -> RawEntry:
    """:func:`write_value` for every type (the fast cases included)."""
    tag = check_tag(tag)
    ptype = prop_type(tag)
    flags = _int_in(tag, flags, 0, 0xFFFFFFFF)
    if ptype == PropType.PT_UNSPECIFIED or ptype & 0x2000:
        raise InvalidParameterError(
            f"property 0x{tag:08X}: type {type_name(ptype)} cannot be stored"
        )
    if ptype == PropType.PT_NULL:
        if value is not None:
            raise _bad(tag, value, "None")
        return RawEntry(tag, flags, bytes(8))
    if ptype in _FIXED_READ:
        return RawEntry(tag, flags, _encode_scalar(tag, ptype, value).ljust(8, b"\0"))
    if ptype == PropType.PT_OBJECT:
        if not isinstance(value, ObjectValue):
            raise _bad(tag, value, "an ObjectValue")
        return _entry(tag, flags, value.size, value.reserved)
    name = substg_name(tag)
    if ptype & MV_FLAG:
        return _write_multi(storage, tag, ptype, value, flags=flags, codepage=codepage)
    if ptype in (PropType.PT_UNICODE, PropType.PT_STRING8):
        data = _encode_text(tag, ptype, value, codepage)
        storage.write_stream(name, data)
        return _entry(tag, flags, len(data) + (2 if ptype == PropType.PT_UNICODE else 1))
    if ptype == PropType.PT_CLSID:
        data = _encode_scalar(tag, PropType.PT_CLSID, value)
    else:  # PT_BINARY, PT_SVREID, PT_SRESTRICT, PT_ACTIONS and unknown types
        data = _as_bytes(tag, value)
    storage.write_stream(name, data)
    return _entry(tag, flags, len(data))


def _write_multi(
    storage: StreamSink, tag: int, ptype: int, value: object, *, flags: int, codepage: int | None
) -> RawEntry:
    base = base_type(ptype)
    if isinstance(value, str | bytes | bytearray | memoryview) or not isinstance(value, Sequence):
        raise _bad(tag, value, "a list")
    items = list(value)
    name = substg_name(tag)
    if base in ELEMENT_SIZE:
        data = b"".join(_encode_scalar(tag, base, v) for v in items)
        storage.write_stream(name, data)
        return _entry(tag, flags, len(data))
    if base not in (PropType.PT_STRING8, PropType.PT_UNICODE, PropType.PT_BINARY):
        raise InvalidParameterError(
            f"property 0x{tag:08X}: multi-valued type {type_name(ptype)} cannot be stored"
        )
    lengths = bytearray()
    blobs: list[bytes] = []
    for v in items:
        if base == PropType.PT_BINARY:
            blob = _as_bytes(tag, v)
            lengths += struct.pack("<II", len(blob), 0)
        else:
            term = b"\0\0" if base == PropType.PT_UNICODE else b"\0"
            blob = _encode_text(tag, base, v, codepage) + term
            lengths += struct.pack("<I", len(blob))
        blobs.append(blob)
    storage.write_stream(name, bytes(lengths))
    for i, blob in enumerate(blobs):
        storage.write_stream(substg_name(tag, i), blob)
    _remove_elements(storage, tag, len(blobs))
    return _entry(tag, flags, len(lengths))


def _element_streams(storage: Storage, tag: int) -> list[tuple[int, str]]:
    prefix = f"{SUBSTG_PREFIX}{tag:08X}-".upper()
    found: list[tuple[int, str]] = []
    for st in storage.list():
        up = st.name.upper()
        if up.startswith(prefix):
            try:
                found.append((int(up[len(prefix) :], 16), st.name))
            except ValueError:
                continue
    return found


def _remove_elements(storage: StreamSink, tag: int, keep: int) -> None:
    """Destroy element streams ``keep``, ``keep + 1``, ... while they exist (contiguous)."""
    index = keep
    while True:
        name = substg_name(tag, index)
        if not storage.exists(name):
            return
        storage.destroy(name)
        index += 1


def delete_value_streams(storage: Storage, tag: int) -> None:
    """Remove ``__substg1.0_<tag>`` (stream or storage) and its MV element streams, if any."""
    tag = check_tag(tag)
    name = substg_name(tag)
    if storage.exists(name):
        storage.destroy(name)
    for _, element in _element_streams(storage, tag):
        storage.destroy(element)
