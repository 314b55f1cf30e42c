"""The fixed records of a compound file (MS-CFB): sector values, the 512-byte header, the
128-byte directory entry, FILETIME, and the header's parse.

Everything here is pure data and functions of bytes; the reader (:mod:`.reader`) and the
writer (:mod:`.writer`) both build on it.
"""

from __future__ import annotations

import struct
import sys
import uuid
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import NamedTuple

from imsg_core.errors import STG
from imsg_core.errors import StorageError
from imsg_core.errors import stg_error

__all__ = [
    "DIFSECT",
    "ENDOFCHAIN",
    "FATSECT",
    "FREESECT",
    "MAXREGSECT",
    "MINI_CUTOFF",
    "MINI_SECTOR",
    "NOSTREAM",
    "SIGNATURE",
    "CFBHeader",
    "DirEntry",
    "filetime_to_datetime",
    "parse_header",
]

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAXREGSECT = 0xFFFFFFFA
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF
MINI_CUTOFF = 4096
MINI_SECTOR = 64

_HEADER = struct.Struct("<8s16sHHHHH6sIIIIIIIII")
_DIRENT = struct.Struct("<64sHBBIII16sIQQIQ")
_SPECIAL = {
    DIFSECT: "DIFSECT",
    FATSECT: "FATSECT",
    ENDOFCHAIN: "ENDOFCHAIN",
    FREESECT: "FREESECT",
    0xFFFFFFFB: "reserved value 0xFFFFFFFB",
}


def _u32(values: range) -> array[int]:
    a = array("I", values)
    if a.itemsize != 4:  # pragma: no cover - exotic platforms
        a = array("L", values)
    return a


def _u32_array(data: bytes) -> array[int]:
    a = array("I")
    if a.itemsize != 4:  # pragma: no cover - exotic platforms
        a = array("L")
    usable = len(data) - len(data) % 4
    a.frombytes(data[:usable])
    if sys.byteorder == "big":  # pragma: no cover
        a.byteswap()
    return a


_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def filetime_to_datetime(ft: int) -> datetime | None:
    """A FILETIME (100 ns since 1601 UTC) as an aware datetime; ``None`` for 0, all-ones or
    values outside what :class:`datetime` can hold."""
    if ft in (0, 0xFFFFFFFFFFFFFFFF):
        return None
    try:
        return _EPOCH + timedelta(microseconds=ft // 10)
    except OverflowError:
        return None


def _corrupt(msg: str) -> StorageError:
    return stg_error(STG.STG_E_DOCFILECORRUPT, msg)


@dataclass(frozen=True)
class CFBHeader:
    """The fields of the 512-byte header that matter (spec cfb.md §3)."""

    difat: tuple[int, ...]  # the first 109 DIFAT entries, held in the header itself
    minor_version: int
    major_version: int
    byte_order: int
    sector_shift: int
    mini_sector_shift: int
    num_dir_sectors: int
    num_fat_sectors: int
    first_dir_sector: int
    transaction_signature: int
    mini_cutoff: int
    first_minifat_sector: int
    num_minifat_sectors: int
    first_difat_sector: int
    num_difat_sectors: int


class DirEntry(NamedTuple):
    """One directory entry as stored (spec cfb.md §5); ``sid`` is its stream ID (index)."""

    sid: int
    name: str
    type: int
    color: int
    left: int
    right: int
    child: int
    clsid: uuid.UUID
    state_bits: int
    ctime: int
    mtime: int
    start: int
    size: int


def parse_header(raw: bytes, where: str, defect: Callable[[str], None]) -> CFBHeader:
    """Parse and check the 512-byte header ``raw`` of the file ``where``.

    Tolerated oddities are reported through ``defect`` (spec ``cfb.md`` §9).

    :raises StorageError: ``STG_E_INVALIDHEADER`` naming what is wrong.
    """
    if len(raw) < 512:
        raise stg_error(STG.STG_E_INVALIDHEADER, f"{where}: header could not be read whole")
    fields = _HEADER.unpack_from(raw)
    # what the checks below read (the rest goes to CFBHeader as it is)
    sig, clsid, minor, major, order, shift, mshift, reserved = fields[:8]
    txn, cutoff = fields[11:13]
    if sig != SIGNATURE:
        raise stg_error(
            STG.STG_E_INVALIDHEADER,
            f"{where} is not a compound file (signature {sig.hex()} instead of {SIGNATURE.hex()})",
        )
    if major not in (3, 4):
        raise stg_error(
            STG.STG_E_INVALIDHEADER, f"{where}: unsupported compound-file major version {major}"
        )
    if shift not in (9, 12):
        raise stg_error(
            STG.STG_E_INVALIDHEADER, f"{where}: unsupported sector shift {shift} (not 9 or 12)"
        )
    if mshift != 6:
        raise stg_error(
            STG.STG_E_INVALIDHEADER,
            f"{where}: unsupported mini sector shift {mshift} (not 6)",
        )
    if order != 0xFFFE:
        raise stg_error(
            STG.STG_E_INVALIDHEADER, f"{where}: byte order mark 0x{order:04X} is not 0xFFFE"
        )
    if (major == 3) != (shift == 9):
        defect(f"version {major} header with {1 << shift}-byte sectors")
    if minor != 0x3E:
        defect(f"minor version 0x{minor:04X}")
    if txn:
        defect(f"transaction signature {txn}")
    if any(clsid) or any(reserved):
        defect("junk in the header CLSID or reserved fields")
    if cutoff != MINI_CUTOFF:
        defect(f"mini stream cutoff {cutoff} (treated as 4096)")
    difat = struct.unpack_from("<109I", raw, 0x4C)
    # every field but the signature, the CLSID and the reserved bytes, in order
    return CFBHeader(difat, *fields[2:7], *fields[8:])
