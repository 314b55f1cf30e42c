"""Structure-aware mutation of valid files: where the fields are, and what to put there.

A fuzzer that flips random bytes of a compound file mostly breaks the header signature or
the FAT and never reaches a property stream. These helpers know the layout of what our
writer produced, so a mutation can target one field:

* :func:`cfb_fields` — every header field, DIFAT slot, FAT and mini-FAT entry, and every
  field of every directory entry (name, name length, type, colour, sibling/child links,
  start sector, size), with its file offset and width;
* :func:`stream_fields` — the fields of a stream's contents according to its name: entries
  of a property stream (tag, flags, value/size, reserved) and its header counts, records
  of the named-property entry/string/GUID streams, the compressed-RTF header;
* :func:`explode` / :func:`rebuild` — a compound file as ``{path: bytes}`` plus its
  storages, and back (through the project's writer), so a stream can be mutated and the
  container stays valid: the mutation then reaches the message layer.

:data:`INTERESTING` holds the values worth trying per width: special sector numbers,
boundaries, sign bits, huge sizes.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from imsg_core.backend import BytesData
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode

__all__ = [
    "INTERESTING",
    "Field",
    "apply",
    "cfb_fields",
    "explode",
    "rebuild",
    "stream_fields",
]

INTERESTING: dict[int, tuple[int, ...]] = {
    1: (0, 1, 2, 3, 4, 5, 0x7F, 0x80, 0xFE, 0xFF),
    2: (0, 1, 2, 3, 4, 5, 6, 9, 12, 0x3E, 0x40, 0x41, 0x1000, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF),
    4: (
        0,
        1,
        2,
        3,
        4,
        7,
        8,
        16,
        64,
        0x7F,
        0x80,
        0x1000,
        0x1001,
        0xFFFF,
        0x10000,
        0x7FFFFFFF,
        0x80000000,
        0xFFFFFFF9,
        0xFFFFFFFA,
        0xFFFFFFFB,
        0xFFFFFFFC,
        0xFFFFFFFD,
        0xFFFFFFFE,
        0xFFFFFFFF,
    ),
    8: (
        0,
        1,
        0x7FFFFFFF,
        0x80000000,
        0xFFFFFFFF,
        0x100000000,
        0x7FFFFFFFFFFFFFFF,
        0xFFFFFFFFFFFFFFFF,
    ),
}


@dataclass(frozen=True)
class Field:
    """A field: ``what`` it is, at byte ``offset``, ``width`` bytes (little-endian)."""

    what: str
    offset: int
    width: int


def apply(data: bytes, field: Field, value: int) -> bytes:
    """``data`` with ``field`` set to ``value`` (truncated to the field's width)."""
    out = bytearray(data)
    value &= (1 << (8 * field.width)) - 1
    out[field.offset : field.offset + field.width] = value.to_bytes(field.width, "little")
    return bytes(out)


_HEADER_FIELDS = (
    ("minor_version", 0x18, 2),
    ("major_version", 0x1A, 2),
    ("byte_order", 0x1C, 2),
    ("sector_shift", 0x1E, 2),
    ("mini_sector_shift", 0x20, 2),
    ("num_dir_sectors", 0x28, 4),
    ("num_fat_sectors", 0x2C, 4),
    ("first_dir_sector", 0x30, 4),
    ("transaction_signature", 0x34, 4),
    ("mini_cutoff", 0x38, 4),
    ("first_minifat_sector", 0x3C, 4),
    ("num_minifat_sectors", 0x40, 4),
    ("first_difat_sector", 0x44, 4),
    ("num_difat_sectors", 0x48, 4),
)
_DIR_FIELDS = (
    ("name_char0", 0, 2),
    ("name_char1", 2, 2),
    ("name_len", 64, 2),
    ("type", 66, 1),
    ("color", 67, 1),
    ("left", 68, 4),
    ("right", 72, 4),
    ("child", 76, 4),
    ("state_bits", 96, 4),
    ("ctime", 100, 8),
    ("start", 116, 4),
    ("size_lo", 120, 4),
    ("size_hi", 124, 4),
)


#: Most sectors of one chain (directory, mini FAT, FAT list) that :func:`cfb_fields` visits.
_MAX_CHAIN = 64


def _chain(fat: list[int], start: int, limit: int) -> list[int]:
    out: list[int] = []
    seen: set[int] = set()
    while 0 <= start < len(fat) and start not in seen and len(out) < limit:
        seen.add(start)
        out.append(start)
        start = fat[start]
    return out


def cfb_fields(data: bytes) -> list[Field]:
    """Every mutable field of a *valid* compound file (empty list if it does not parse)."""
    if len(data) < 512 or data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return []
    fields = [Field(f"header.{n}", o, w) for n, o, w in _HEADER_FIELDS]
    fields += [Field(f"header.difat[{i}]", 0x4C + 4 * i, 4) for i in range(109)]
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return fields
    ssz = 1 << shift
    nsect = max(0, (len(data) - ssz) // ssz) if ssz == 4096 else (len(data) - 512) // ssz

    def off(sector: int) -> int:
        return ssz + sector * ssz if ssz == 4096 else 512 + sector * ssz

    difat = [v for v in struct.unpack_from("<109I", data, 0x4C) if v < nsect]
    ds = struct.unpack_from("<I", data, 0x44)[0]
    hops = 0
    while ds < nsect and hops < 8:
        base = off(ds)
        n_per = ssz // 4 - 1
        for i in range(n_per + 1):
            fields.append(Field(f"difat_sector[{ds}][{i}]", base + 4 * i, 4))
        difat += [v for v in struct.unpack_from(f"<{n_per}I", data, base) if v < nsect]
        ds = struct.unpack_from("<I", data, base + 4 * n_per)[0]
        hops += 1
    fat: list[int] = []
    for fs in difat[:_MAX_CHAIN]:
        base = off(fs)
        if base + ssz > len(data):
            continue
        for i in range(ssz // 4):
            if len(fat) < nsect + 8:
                fields.append(Field(f"fat[{len(fat)}]", base + 4 * i, 4))
            fat.append(struct.unpack_from("<I", data, base + 4 * i)[0])
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    # Bounded work even on damaged input (the atheris mutator calls this on anything).
    limit = min(nsect, _MAX_CHAIN)
    for sector in _chain(fat, first_dir, limit):
        base = off(sector)
        for k in range(ssz // 128):
            if base + 128 * (k + 1) > len(data):
                break
            if data[base + 128 * k + 66] == 0:  # unused entry
                continue
            for n, o, w in _DIR_FIELDS:
                fields.append(Field(f"dir@{sector}.{k}.{n}", base + 128 * k + o, w))
    first_minifat = struct.unpack_from("<I", data, 0x3C)[0]
    for sector in _chain(fat, first_minifat, limit):
        base = off(sector)
        fields += [Field(f"minifat@{sector}[{i}]", base + 4 * i, 4) for i in range(ssz // 4)]
    return fields


# ------------------------------------------------------------------ trees <-> {path: bytes}
def explode(data: bytes) -> tuple[dict[str, bytes], list[str]]:
    """A valid compound file as ``({stream path: bytes}, [storage paths])``."""
    from imsg_backends.cfb.reader import CFBReader
    from imsg_backends.cfb.sources import BytesSource

    reader = CFBReader(BytesSource(data))
    streams: dict[str, bytes] = {}
    storages: list[str] = []
    for path, node in reader.root.walk():
        if isinstance(node, StorageNode):
            storages.append(path)
        else:
            streams[path] = node.data.read_at(0, node.size)
    return streams, storages


def rebuild(streams: dict[str, bytes], storages: Iterable[str] = (), *, version: int = 3) -> bytes:
    """A compound file holding ``streams`` (paths ``a/b/name``) and the (maybe empty)
    ``storages``, written by the project's writer."""
    from imsg_backends.cfb.writer import write_cfb

    root = StorageNode("Root Entry")

    def storage_at(parts: list[str]) -> StorageNode:
        node = root
        for part in parts:
            child = node.get(part)
            if not isinstance(child, StorageNode):
                child = StorageNode(part)
                node.add(child)
            node = child
        return node

    for path in storages:
        storage_at([p for p in path.split("/") if p])
    for path, value in streams.items():
        parts = path.split("/")
        storage_at(parts[:-1]).add(StreamNode(parts[-1], BytesData(value)))
    buf = io.BytesIO()
    write_cfb(root, buf, version=version)
    return buf.getvalue()


# ------------------------------------------------------------------ stream contents
PROPS = "__properties_version1.0"
NAMEID = "__nameid_version1.0"


def _props_header_size(path: str) -> int:
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    last = parent.rsplit("/", 1)[-1]
    if parent == "":
        return 32
    if last.startswith(("__recip_version1.0_", "__attach_version1.0_")):
        return 8
    return 24  # an embedded message (__substg1.0_3701000D)


def stream_fields(path: str, data: bytes) -> list[Field]:
    """The fields of a stream's contents, by what the stream is (its name)."""
    name = path.rsplit("/", 1)[-1]
    fields: list[Field] = []
    if name == PROPS:
        hsz = _props_header_size(path)
        if hsz >= 24:
            fields += [
                Field("next_recipient_id", 8, 4),
                Field("next_attachment_id", 12, 4),
                Field("recipient_count", 16, 4),
                Field("attachment_count", 20, 4),
            ]
        for i in range((len(data) - hsz) // 16):
            base = hsz + 16 * i
            fields += [
                Field(f"entry[{i}].type", base, 2),
                Field(f"entry[{i}].id", base + 2, 2),
                Field(f"entry[{i}].flags", base + 4, 4),
                Field(f"entry[{i}].value_lo", base + 8, 4),
                Field(f"entry[{i}].value_hi", base + 12, 4),
            ]
    elif name == "__substg1.0_00030102":  # named-property entry stream
        for i in range(len(data) // 8):
            fields += [
                Field(f"nameid[{i}].id_or_offset", 8 * i, 4),
                Field(f"nameid[{i}].guid_kind", 8 * i + 4, 2),
                Field(f"nameid[{i}].index", 8 * i + 6, 2),
            ]
    elif name == "__substg1.0_00040102":  # string stream: length-prefixed names
        pos = 0
        while pos + 4 <= len(data):
            fields.append(Field(f"string@{pos}.length", pos, 4))
            n = struct.unpack_from("<I", data, pos)[0]
            pos += 4 + n
            pos += -pos % 4
    elif name == "__substg1.0_00020102":  # GUID stream
        fields += [Field(f"guid[{i}]", 16 * i, 4) for i in range(len(data) // 16)]
    elif name.startswith("__substg1.0_10090102") and len(data) >= 16:  # compressed RTF
        fields += [
            Field("rtf.comp_size", 0, 4),
            Field("rtf.raw_size", 4, 4),
            Field("rtf.comp_type", 8, 4),
            Field("rtf.crc", 12, 4),
        ]
    elif name.startswith("__substg1.0_") and name[-4:] in ("101F", "101E", "1102"):
        fields += [Field(f"mv_length[{i}]", 4 * i, 4) for i in range(min(len(data) // 4, 32))]
    return fields
