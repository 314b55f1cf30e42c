"""Named properties: ``MAPINAMEID``, well-known property sets, and the map stored in
``__nameid_version1.0`` (spec oxmsg §7).

A named property is (property-set GUID, LID or string name); a message maps each one to an ID
in 0x8000..0xFFFE. The map lives once per file, at the top level, in three streams (GUIDs,
entries, strings) plus name->ID hash buckets ``__substg1.0_10XX0102`` keyed with a CRC-32
that has no pre/post inversion (:func:`name_crc`).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from .._storage import Storage
from ..errors import CorruptDataError
from ..errors import InvalidParameterError
from ..errors import NotFoundError
from ..errors import StorageError

__all__ = [
    "FIRST_NAMED_ID",
    "GUID_STREAM",
    "LAST_NAMED_ID",
    "MAPINAMEID",
    "MNID_ID",
    "MNID_STRING",
    "NAMEID_STORAGE",
    "PROPERTY_SETS",
    "PS_INTERNET_HEADERS",
    "PS_MAPI",
    "PS_PUBLIC_STRINGS",
    "NamedPropertyMap",
    "PSETID_Address",
    "PSETID_AirSync",
    "PSETID_Appointment",
    "PSETID_Attachment",
    "PSETID_CalendarAssistant",
    "PSETID_Common",
    "PSETID_Log",
    "PSETID_Meeting",
    "PSETID_Messaging",
    "PSETID_Note",
    "PSETID_PostRss",
    "PSETID_Remote",
    "PSETID_Report",
    "PSETID_Sharing",
    "PSETID_Task",
    "PSETID_UnifiedMessaging",
    "PSETID_XmlExtractedEntities",
    "bucket_stream_name",
    "name_crc",
    "ole_guid",
    "property_set",
]

NAMEID_STORAGE = "__nameid_version1.0"
GUID_STREAM = "__substg1.0_00020102"
ENTRY_STREAM = "__substg1.0_00030102"
STRING_STREAM = "__substg1.0_00040102"
FIRST_NAMED_ID = 0x8000
LAST_NAMED_ID = 0xFFFE
MNID_ID = 0
MNID_STRING = 1
_BUCKETS = 0x1F
#: Entries beyond this are ignored as damage (IDs stop at 0xFFFE).
_MAX_ENTRIES = LAST_NAMED_ID - FIRST_NAMED_ID + 1


def ole_guid(data1: int) -> uuid.UUID:
    """``DEFINE_OLEGUID``: the GUID ``{data1}-0000-0000-C000-000000000046`` of Microsoft's
    OLE family (property sets, interface IDs)."""
    return uuid.UUID(f"{data1:08X}-0000-0000-C000-000000000046")


#: Interface identifiers (``IID_*``), exported by the MAPI-shaped API (:mod:`imsg_core.mapi`).
IID_IUnknown = ole_guid(0x00000000)
IID_IStorage = ole_guid(0x0000000B)
IID_IStream = ole_guid(0x0000000C)
IID_IMAPITable = ole_guid(0x00020301)
IID_IMAPIProp = ole_guid(0x00020303)
IID_IMessage = ole_guid(0x00020307)
IID_IAttachment = ole_guid(0x00020308)
IID_IStreamDocfile = ole_guid(0x0002032C)

#: Property sets (``PS_*``, ``PSETID_*``).
PS_MAPI = ole_guid(0x00020328)
PS_PUBLIC_STRINGS = ole_guid(0x00020329)
PS_INTERNET_HEADERS = ole_guid(0x00020386)
PSETID_Appointment = ole_guid(0x00062002)
PSETID_Task = ole_guid(0x00062003)
PSETID_Address = ole_guid(0x00062004)
PSETID_Common = ole_guid(0x00062008)
PSETID_Log = ole_guid(0x0006200A)
PSETID_Note = ole_guid(0x0006200E)
PSETID_Report = ole_guid(0x00062013)
PSETID_Remote = ole_guid(0x00062014)
PSETID_Sharing = ole_guid(0x00062040)
PSETID_PostRss = ole_guid(0x00062041)
PSETID_Meeting = uuid.UUID("6ED8DA90-450B-101B-98DA-00AA003F1305")
PSETID_Attachment = uuid.UUID("96357F7F-59E1-47D0-99A7-46515C183B54")
PSETID_AirSync = uuid.UUID("71035549-0739-4DCB-9163-00F0580DBBDF")
PSETID_CalendarAssistant = uuid.UUID("11000E07-B51B-40D6-AF21-CAA85EDAB1D0")
PSETID_Messaging = uuid.UUID("41F28F13-83F4-4114-A584-EEDB5A6B0BFF")
PSETID_UnifiedMessaging = uuid.UUID("4442858E-A9E3-4E80-B900-317A210CC15B")
PSETID_XmlExtractedEntities = uuid.UUID("23239608-685D-4732-9C55-4C95CB4E8E33")

#: Well-known property sets by canonical name.
PROPERTY_SETS: dict[str, uuid.UUID] = {
    "PS_MAPI": PS_MAPI,
    "PS_PUBLIC_STRINGS": PS_PUBLIC_STRINGS,
    "PS_INTERNET_HEADERS": PS_INTERNET_HEADERS,
    "PSETID_Appointment": PSETID_Appointment,
    "PSETID_Task": PSETID_Task,
    "PSETID_Address": PSETID_Address,
    "PSETID_Common": PSETID_Common,
    "PSETID_Log": PSETID_Log,
    "PSETID_Note": PSETID_Note,
    "PSETID_Report": PSETID_Report,
    "PSETID_Remote": PSETID_Remote,
    "PSETID_Sharing": PSETID_Sharing,
    "PSETID_PostRss": PSETID_PostRss,
    "PSETID_Meeting": PSETID_Meeting,
    "PSETID_Attachment": PSETID_Attachment,
    "PSETID_AirSync": PSETID_AirSync,
    "PSETID_CalendarAssistant": PSETID_CalendarAssistant,
    "PSETID_Messaging": PSETID_Messaging,
    "PSETID_UnifiedMessaging": PSETID_UnifiedMessaging,
    "PSETID_XmlExtractedEntities": PSETID_XmlExtractedEntities,
}
_SET_LOOKUP: dict[str, uuid.UUID] = {}
for _name, _guid in PROPERTY_SETS.items():
    _SET_LOOKUP[_name.lower()] = _guid
    _short = _name.split("_", 1)[1] if _name.startswith("PSETID_") else _name[3:]
    _SET_LOOKUP.setdefault(_short.lower(), _guid)


def property_set(name: str | uuid.UUID) -> uuid.UUID:
    """A property-set GUID from its name (``"PSETID_Common"``, ``"common"``,
    ``"PS_PUBLIC_STRINGS"``, ``"public_strings"``; case-insensitive) or GUID text.

    Raises:
        InvalidParameterError: the name is neither a known set nor a GUID.
    """
    if isinstance(name, uuid.UUID):
        return name
    if not isinstance(name, str):
        raise InvalidParameterError(f"property set must be a name or GUID, not {name!r}")
    key = name.strip().lower()
    if key in _SET_LOOKUP:
        return _SET_LOOKUP[key]
    try:
        return uuid.UUID(name.strip())
    except ValueError:
        raise InvalidParameterError(
            f"unknown property set {name!r}; known: {', '.join(PROPERTY_SETS)}"
        ) from None


def set_name(guid: uuid.UUID) -> str | None:
    """The canonical name of a well-known property set, else ``None``."""
    for name, value in PROPERTY_SETS.items():
        if value == guid:
            return name
    return None


@dataclass(frozen=True)
class MAPINAMEID:
    """A property name: property-set GUID + LID (``int``, MNID_ID) or string (MNID_STRING)."""

    guid: uuid.UUID
    kind: int | str

    def __post_init__(self) -> None:
        if not isinstance(self.guid, uuid.UUID):
            object.__setattr__(self, "guid", property_set(self.guid))
        if isinstance(self.kind, bool) or not isinstance(self.kind, int | str):
            raise InvalidParameterError(f"MAPINAMEID kind must be int or str, not {self.kind!r}")
        if isinstance(self.kind, int) and not 0 <= self.kind <= 0xFFFFFFFF:
            raise InvalidParameterError(f"MAPINAMEID LID {self.kind} is not a 32-bit value")
        if isinstance(self.kind, str) and "\0" in self.kind:
            raise InvalidParameterError(f"MAPINAMEID name {self.kind!r} contains NUL")

    @property
    def ul_kind(self) -> int:
        """MNID_ID (0) or MNID_STRING (1)."""
        return MNID_STRING if isinstance(self.kind, str) else MNID_ID

    def __repr__(self) -> str:
        shown = set_name(self.guid) or str(self.guid)
        kind = f"0x{self.kind:04X}" if isinstance(self.kind, int) else repr(self.kind)
        return f"MAPINAMEID({shown}, {kind})"


# --- CRC (spec §7.4): reflected 0xEDB88320, init 0, no final XOR ------------------------
def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


def name_crc(data: bytes) -> int:
    """The .msg name-hash CRC-32 (no pre/post inversion); ``b"123456789"`` -> 0x2DFD2D88."""
    crc = 0
    table = _CRC_TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def bucket_stream_name(key: int, guid_index: int, kind: int) -> str:
    """The hash-bucket stream for a name's key (LID or CRC), GUID index and kind."""
    sid = 0x1000 + ((key ^ ((guid_index << 1) | kind)) & 0xFFFFFFFF) % _BUCKETS
    return f"__substg1.0_{(sid << 16) | 0x0102:08X}"


def _string_key(name: MAPINAMEID) -> str:
    """Lookup key: PS_INTERNET_HEADERS names match case-insensitively (header names)."""
    assert isinstance(name.kind, str)
    return name.kind.lower() if name.guid == PS_INTERNET_HEADERS else name.kind


@dataclass
class NamedPropertyMap:
    """The ID <-> name map of one message file.

    ``names[i]`` is the name of property ID ``0x8000 + i`` (``None`` for an entry too
    damaged to decode; its ID stays reserved). ``guids`` is the GUID stream (order kept).
    ``problems`` lists what was wrong in a damaged map that could still be used.
    """

    names: list[MAPINAMEID | None] = field(default_factory=list)
    guids: list[uuid.UUID] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _index: dict[tuple[uuid.UUID, int | str], int] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self._index = {}
        for i, name in enumerate(self.names):
            if name is not None:
                self._index.setdefault(self._key(name), FIRST_NAMED_ID + i)

    @staticmethod
    def _key(name: MAPINAMEID) -> tuple[uuid.UUID, int | str]:
        if isinstance(name.kind, str):
            return (name.guid, _string_key(name))
        return (name.guid, name.kind)

    def __len__(self) -> int:
        return len(self.names)

    def items(self) -> list[tuple[int, MAPINAMEID]]:
        """``(property ID, name)`` for every decodable entry, in ID order."""
        return [(FIRST_NAMED_ID + i, n) for i, n in enumerate(self.names) if n is not None]

    # -- loading ------------------------------------------------------------------------
    @classmethod
    def load(cls, storage: Storage, where: str = "") -> NamedPropertyMap:
        """Read the map from the message root ``storage``.

        A missing ``__nameid_version1.0`` or missing streams give an empty (or partial)
        map. Damaged entries (GUID index or string offset out of range) become ``None``
        and are described in :attr:`problems`.

        Raises:
            CorruptDataError: ``__nameid_version1.0`` is a stream, not a storage.
            StorageError: the container failed while reading.
        """
        place = f"{where}/{NAMEID_STORAGE}" if where else NAMEID_STORAGE
        if not storage.exists(NAMEID_STORAGE):  # a new message (no exception to build)
            return cls()
        try:
            stat = storage.stat_child(NAMEID_STORAGE)
        except NotFoundError:
            return cls()
        if not stat.is_storage:
            raise CorruptDataError(f"{place} is a stream; it must be a storage")
        with storage.open_storage(stat.name, "r") as nameid:
            guid_raw = _read_optional(nameid, GUID_STREAM)
            entry_raw = _read_optional(nameid, ENTRY_STREAM)
            string_raw = _read_optional(nameid, STRING_STREAM)
        return cls.from_streams(guid_raw, entry_raw, string_raw, where=place)

    @classmethod
    def from_streams(
        cls, guid_raw: bytes, entry_raw: bytes, string_raw: bytes, where: str = NAMEID_STORAGE
    ) -> NamedPropertyMap:
        """Decode the three ID->name streams (see :meth:`load`)."""
        problems: list[str] = []
        if len(guid_raw) % 16:
            problems.append(f"{where}/{GUID_STREAM}: {len(guid_raw)} bytes, not whole GUIDs")
        guids = [uuid.UUID(bytes_le=guid_raw[i : i + 16]) for i in range(0, len(guid_raw) - 15, 16)]
        if len(entry_raw) % 8:
            problems.append(f"{where}/{ENTRY_STREAM}: {len(entry_raw)} bytes, not whole entries")
        count = min(len(entry_raw) // 8, _MAX_ENTRIES)
        names: list[MAPINAMEID | None] = []
        for i in range(count):
            key, word, index = struct.unpack_from("<IHH", entry_raw, i * 8)
            kind = word & 1
            gi = word >> 1
            at = f"{where}/{ENTRY_STREAM} entry {i} (offset {i * 8})"
            if gi == 1:
                guid = PS_MAPI
            elif gi == 2:
                guid = PS_PUBLIC_STRINGS
            elif 3 <= gi < 3 + len(guids):
                guid = guids[gi - 3]
            else:
                problems.append(f"{at}: GUID index {gi} out of range")
                names.append(None)
                continue
            if index != i:
                problems.append(f"{at}: property index {index}, expected {i}")
            if kind == MNID_ID:
                names.append(MAPINAMEID(guid, key))
                continue
            if key + 4 > len(string_raw):
                problems.append(f"{at}: string offset {key} beyond the string stream")
                names.append(None)
                continue
            (length,) = struct.unpack_from("<I", string_raw, key)
            if key + 4 + length > len(string_raw):
                problems.append(f"{at}: string of {length} bytes at {key} overruns the stream")
                names.append(None)
                continue
            raw = string_raw[key + 4 : key + 4 + length]
            if len(raw) % 2:
                raw = raw[:-1]
            text = raw.decode("utf-16-le", "surrogatepass")
            # MAPI names are C strings: a stored terminator (or junk after one) ends it.
            names.append(MAPINAMEID(guid, text.split("\0", 1)[0]))
        return cls(names=names, guids=guids, problems=problems)

    # -- lookups --------------------------------------------------------------------------
    def names_from_ids(self, ids: Iterable[int]) -> list[MAPINAMEID | None]:
        """``GetNamesFromIDs``: the name of each property ID (or full tag).

        IDs below 0x8000 are MAPI properties: their name is ``(PS_MAPI, id)``. Unknown or
        damaged named IDs give ``None``.
        """
        out: list[MAPINAMEID | None] = []
        for value in ids:
            pid = _as_id(value)
            if pid < FIRST_NAMED_ID:
                out.append(MAPINAMEID(PS_MAPI, pid))
            elif pid - FIRST_NAMED_ID < len(self.names):
                out.append(self.names[pid - FIRST_NAMED_ID])
            else:
                out.append(None)
        return out

    def ids_from_names(self, names: Sequence[MAPINAMEID], create: bool = False) -> list[int | None]:
        """``GetIDsFromNames``: the property ID of each name, ``None`` where unmapped.

        With ``create``, unmapped names get the next free ID (0x8000 upwards). A PS_MAPI
        numeric name maps to the LID itself (MAPI's rule) and is never stored.
        PS_INTERNET_HEADERS string names match case-insensitively, and new ones are stored
        lower-cased as Outlook does.

        Raises:
            InvalidParameterError: a name is not a MAPINAMEID.
            CorruptDataError: ``create`` would pass ID 0xFFFE (the map is full).
        """
        out: list[int | None] = []
        for given in names:
            name = given
            if not isinstance(name, MAPINAMEID):
                raise InvalidParameterError(f"{name!r} is not a MAPINAMEID")
            if name.guid == PS_MAPI and isinstance(name.kind, int):
                out.append(name.kind if name.kind < FIRST_NAMED_ID else None)
                continue
            found = self._index.get(self._key(name))
            if found is None and create:
                if len(self.names) >= _MAX_ENTRIES:
                    raise CorruptDataError(
                        "named-property map is full (IDs 0x8000..0xFFFE are all used)"
                    )
                found = FIRST_NAMED_ID + len(self.names)
                if name.guid == PS_INTERNET_HEADERS and isinstance(name.kind, str):
                    # Outlook 2003-2013 store and hash header names lower-cased.
                    name = MAPINAMEID(name.guid, name.kind.lower())
                self.names.append(name)
                self._index[self._key(name)] = found
                if name.guid not in (PS_MAPI, PS_PUBLIC_STRINGS) and name.guid not in self.guids:
                    self.guids.append(name.guid)
            out.append(found)
        return out

    # -- saving ---------------------------------------------------------------------------
    def _guid_index(self, guid: uuid.UUID) -> int:
        if guid == PS_MAPI:
            return 1
        if guid == PS_PUBLIC_STRINGS:
            return 2
        try:
            return 3 + self.guids.index(guid)
        except ValueError:
            self.guids.append(guid)
            return 3 + len(self.guids) - 1

    def to_streams(self) -> dict[str, bytes]:
        """Every stream of ``__nameid_version1.0``: the three ID->name streams (always) and
        one bucket stream per non-empty bucket, records in property-index order."""
        entries = bytearray()
        strings = bytearray()
        buckets: dict[str, bytearray] = {}
        for i, name in enumerate(self.names):
            if name is None:
                # Keep the ID reserved with a harmless numeric PS_MAPI entry.
                entries += struct.pack("<IHH", FIRST_NAMED_ID + i, 1 << 1, i)
                continue
            gi = self._guid_index(name.guid)
            if isinstance(name.kind, int):
                key = name.kind
                kind = MNID_ID
                entries += struct.pack("<IHH", key, gi << 1, i)
            else:
                kind = MNID_STRING
                if strings and len(strings) % 4:
                    strings += bytes(4 - len(strings) % 4)
                encoded = name.kind.encode("utf-16-le", "surrogatepass")
                entries += struct.pack("<IHH", len(strings), (gi << 1) | 1, i)
                strings += struct.pack("<I", len(encoded)) + encoded
                # CRC of the name as stored (corpus: mixed-case internet-header names
                # hash with their case).
                key = name_crc(encoded)
            stream = bucket_stream_name(key, gi, kind)
            buckets.setdefault(stream, bytearray()).extend(
                struct.pack("<II", key, (i << 16) | (gi << 1) | kind)
            )
        out = {
            GUID_STREAM: b"".join(g.bytes_le for g in self.guids),
            ENTRY_STREAM: bytes(entries),
            STRING_STREAM: bytes(strings),
        }
        for stream in sorted(buckets):
            out[stream] = bytes(buckets[stream])
        return out

    def save(self, storage: Storage) -> None:
        """Write the map into the message root ``storage`` as ``__nameid_version1.0``,
        replacing any existing one, and commit that sub-storage to ``storage``.

        Raises:
            StorageError: ``storage`` is read-only or failed.
        """
        storage.write_storage(NAMEID_STORAGE, self.to_streams())


def _as_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFFFFFF:
        raise InvalidParameterError(f"{value!r} is not a property ID or tag")
    return value >> 16 if value > 0xFFFF else value


def _read_optional(storage: Storage, name: str) -> bytes:
    try:
        return storage.read_stream(name)
    except StorageError as exc:
        if isinstance(exc, NotFoundError):
            return b""
        raise
