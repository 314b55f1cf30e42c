"""The property stream ``__properties_version1.0`` (spec oxmsg §3): header + 16-byte entries.

Reading is lenient the way real files require:

* a trailing partial entry (fewer than 16 bytes after the last whole one) is ignored — one
  Outlook-era corpus file ends with 4 stray bytes;
* an embedded-message stream written with the 32-byte top-level header instead of the 24-byte
  one (aspose-email-foss does this) is recognised: with a 24-byte header its first "entry"
  would be the zero reserved word, which is no property;
* reserved bytes are ignored.

The only exception raised is :class:`~imsg_core.errors.CorruptDataError`, naming ``where`` and
the offset, for a stream too short to hold its header.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..errors import CorruptDataError
from ..errors import InvalidParameterError

__all__ = [
    "ENTRY_SIZE",
    "PROPERTIES_STREAM",
    "PropertyStreamHeader",
    "RawEntry",
    "StreamKind",
    "build_property_stream",
    "parse_property_stream",
]

#: Name of the property stream in every message, recipient and attachment storage.
PROPERTIES_STREAM = "__properties_version1.0"
#: Size of one entry.
ENTRY_SIZE = 16

_U32 = struct.Struct("<I")
_HEADER = struct.Struct("<8xIIII")  # reserved, next recip, next attach, recip count, attach count
_ENTRY = struct.Struct("<II8s")


class StreamKind(Enum):
    """Which storage the stream belongs to; decides the header size."""

    #: The top-level message (32-byte header).
    TOP_LEVEL = 32
    #: An embedded message, ``__substg1.0_3701000D`` (24-byte header).
    EMBEDDED = 24
    #: A recipient or attachment storage (8 reserved bytes).
    CHILD = 8

    @property
    def header_size(self) -> int:
        """Header length in bytes."""
        return int(self.value)


@dataclass
class PropertyStreamHeader:
    """The counters of a message header (all 0 for :attr:`StreamKind.CHILD`)."""

    next_recipient_id: int = 0
    next_attachment_id: int = 0
    recipient_count: int = 0
    attachment_count: int = 0
    #: Which header this is; :func:`parse_property_stream` sets it and
    #: :func:`build_property_stream` uses it unless told otherwise.
    kind: StreamKind = StreamKind.TOP_LEVEL


@dataclass(slots=True)
class RawEntry:
    """One 16-byte entry: tag, PROPATTR flags, and the raw 8-byte value field.

    For fixed types ``value`` holds the data (padding may hold junk in Outlook files); for
    variable types its first 4 bytes are the size field and the next 4 the reserved word.
    """

    tag: int
    flags: int
    value: bytes

    @property
    def size_field(self) -> int:
        """The first 4 bytes of ``value`` as an unsigned int (the variable-entry Size)."""
        return int(_U32.unpack_from(self.value.ljust(8, b"\0"), 0)[0])

    @property
    def reserved_field(self) -> int:
        """Bytes 4..8 of ``value`` (the variable-entry Reserved word)."""
        return int(_U32.unpack_from(self.value.ljust(8, b"\0"), 4)[0])


def _header_size(data: bytes, kind: StreamKind) -> int:
    size = kind.header_size
    # A 32-byte header written in an embedded message: bytes 24..32 would be the first
    # entry's tag+flags; a zero tag is no property, so they are the reserved tail.
    if (
        kind is StreamKind.EMBEDDED
        and len(data) >= 32
        and (len(data) - 24) % 16 == 8
        and data[24:28] == b"\0\0\0\0"
    ):
        return 32
    return size


def parse_property_stream(
    data: bytes, kind: StreamKind, where: str = ""
) -> tuple[PropertyStreamHeader, list[RawEntry]]:
    """Parse a property stream into its header and entries (in stream order).

    Raises:
        CorruptDataError: ``data`` is shorter than the header of ``kind``.
    """
    if not isinstance(kind, StreamKind):
        raise InvalidParameterError(f"kind must be a StreamKind, not {kind!r}")
    data = bytes(data)
    place = f"{where}/{PROPERTIES_STREAM}" if where else PROPERTIES_STREAM
    hsize = _header_size(data, kind)
    if len(data) < hsize:
        raise CorruptDataError(
            f"{place}: property stream is {len(data)} bytes, shorter than the "
            f"{hsize}-byte {kind.name.lower()} header (at offset 0)"
        )
    if kind is StreamKind.CHILD:
        header = PropertyStreamHeader(kind=kind)
    else:
        nrid, naid, nrc, nac = _HEADER.unpack_from(data, 0)
        header = PropertyStreamHeader(nrid, naid, nrc, nac, kind=kind)
    count = (len(data) - hsize) // ENTRY_SIZE
    body = memoryview(data)[hsize : hsize + count * ENTRY_SIZE]
    entries = [RawEntry(tag, flags, value) for tag, flags, value in _ENTRY.iter_unpack(body)]
    return header, entries


def build_property_stream(
    header: PropertyStreamHeader | None,
    entries: Sequence[RawEntry],
    kind: StreamKind | None = None,
) -> bytes:
    """Serialise a header and entries; reserved header bytes are written as zero.

    The header size comes from ``kind`` if given, else ``header.kind``; ``header=None`` means
    a recipient/attachment (:attr:`StreamKind.CHILD`) stream unless ``kind`` says otherwise.
    Entry value fields are written as given (padded with zeros to 8 bytes).

    Raises:
        InvalidParameterError: a tag, flags or counter out of 32-bit range, or a value
            field longer than 8 bytes.
    """
    if kind is None:
        kind = header.kind if header is not None else StreamKind.CHILD
    header = header or PropertyStreamHeader(kind=kind)
    hsize = kind.header_size
    out = bytearray(hsize + ENTRY_SIZE * len(entries))
    if kind is not StreamKind.CHILD:
        try:
            _HEADER.pack_into(
                out,
                0,
                header.next_recipient_id,
                header.next_attachment_id,
                header.recipient_count,
                header.attachment_count,
            )
        except struct.error as exc:
            raise InvalidParameterError(f"property stream header {header!r}: {exc}") from None
    pos = hsize
    pack_into = _ENTRY.pack_into
    for e in entries:
        value = e.value
        if type(value) is not bytes or len(value) > 8:
            if len(value) > 8:
                raise InvalidParameterError(
                    f"entry 0x{e.tag:08X}: value field is {len(value)} bytes, at most 8"
                )
            value = bytes(value)
        try:
            pack_into(out, pos, e.tag, e.flags, value)  # "8s" pads a short value with zeros
        except struct.error as exc:
            raise InvalidParameterError(f"entry {e!r}: {exc}") from None
        pos += ENTRY_SIZE
    return bytes(out)
