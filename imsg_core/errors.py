"""Errors: the MAPI ``SCODE`` family, the OLE storage ``STG_E_*`` family, and the map between them.

Contract:

* Every failure a caller of this library can see is a :class:`MAPIError` (which
  :class:`StorageError` subclasses). Each carries an integer ``hresult``; ``str()`` shows
  the symbolic name and the code in hex, then a message saying what is wrong and where.
* :class:`StorageError` carries an ``STG_E_*`` code. ``MapStorageSCode`` (and
  :func:`map_storage_scode`) turns such a code into the MAPI code a message-level caller
  expects. Microsoft publishes no table for this; ours is derived from the meaning of
  each code and is documented in ``docs/errors``.
* ``isinstance`` works by family: ``except NotFoundError`` catches both
  ``MAPI_E_NOT_FOUND`` and a storage ``STG_E_FILENOTFOUND``.
* Python's own classes work too, as in fsspec: a missing file or storage element
  (``STG_E_FILENOTFOUND``/``STG_E_PATHNOTFOUND``) is also a :class:`FileNotFoundError`, an
  existing one (``STG_E_FILEALREADYEXISTS``) a :class:`FileExistsError`, access denied (any
  :class:`AccessDeniedError`: a read-only message or file, a sharing violation) a
  :class:`PermissionError`, and an invalid parameter a :class:`ValueError`. Those that are
  :class:`OSError` carry the matching ``errno``.
"""

from __future__ import annotations

import errno as _errno
from enum import IntEnum
from typing import Any

__all__ = [
    "SCODE",
    "STG",
    "AccessDeniedError",
    "CollisionError",
    "CorruptDataError",
    "InvalidParameterError",
    "MAPIError",
    "NoSupportError",
    "NotFoundError",
    "ObjectDeletedError",
    "StorageError",
    "error_for",
    "map_storage_scode",
]


class SCODE(IntEnum):
    """MAPI status codes (``mapicode.h``); several alias OLE ``E_*`` codes."""

    S_OK = 0x00000000
    S_FALSE = 0x00000001
    MAPI_E_CALL_FAILED = 0x80004005
    MAPI_E_NOT_ENOUGH_MEMORY = 0x8007000E
    MAPI_E_INVALID_PARAMETER = 0x80070057
    MAPI_E_INTERFACE_NOT_SUPPORTED = 0x80004002
    MAPI_E_NO_ACCESS = 0x80070005
    E_NOTIMPL = 0x80004001
    E_POINTER = 0x80004003
    E_UNEXPECTED = 0x8000FFFF
    MAPI_E_NO_SUPPORT = 0x80040102
    MAPI_E_BAD_CHARWIDTH = 0x80040103
    MAPI_E_STRING_TOO_LONG = 0x80040105
    MAPI_E_UNKNOWN_FLAGS = 0x80040106
    MAPI_E_INVALID_ENTRYID = 0x80040107
    MAPI_E_INVALID_OBJECT = 0x80040108
    MAPI_E_OBJECT_CHANGED = 0x80040109
    MAPI_E_OBJECT_DELETED = 0x8004010A
    MAPI_E_BUSY = 0x8004010B
    MAPI_E_NOT_ENOUGH_DISK = 0x8004010D
    MAPI_E_NOT_ENOUGH_RESOURCES = 0x8004010E
    MAPI_E_NOT_FOUND = 0x8004010F
    MAPI_E_VERSION = 0x80040110
    MAPI_E_USER_CANCEL = 0x80040113
    MAPI_E_DISK_ERROR = 0x80040116
    MAPI_E_TOO_COMPLEX = 0x80040117
    MAPI_E_BAD_COLUMN = 0x80040118
    MAPI_E_EXTENDED_ERROR = 0x80040119
    MAPI_E_COMPUTED = 0x8004011A
    MAPI_E_CORRUPT_DATA = 0x8004011B
    MAPI_E_UNKNOWN_CPID = 0x8004011E
    MAPI_E_UNKNOWN_LCID = 0x8004011F
    MAPI_E_BAD_VALUE = 0x80040301
    MAPI_E_INVALID_TYPE = 0x80040302
    MAPI_E_TYPE_NO_SUPPORT = 0x80040303
    MAPI_E_UNEXPECTED_TYPE = 0x80040304
    MAPI_E_TOO_BIG = 0x80040305
    MAPI_E_DECLINE_COPY = 0x80040306
    MAPI_E_UNEXPECTED_ID = 0x80040307
    MAPI_W_ERRORS_RETURNED = 0x00040380
    MAPI_E_UNABLE_TO_COMPLETE = 0x80040400
    MAPI_E_TIMEOUT = 0x80040401
    MAPI_E_TABLE_EMPTY = 0x80040402
    MAPI_E_TABLE_TOO_BIG = 0x80040403
    MAPI_E_INVALID_BOOKMARK = 0x80040405
    MAPI_W_POSITION_CHANGED = 0x00040481
    MAPI_W_APPROX_COUNT = 0x00040482
    MAPI_E_CORRUPT_STORE = 0x80040600
    MAPI_E_NO_SUPPRESS = 0x80040602
    MAPI_E_COLLISION = 0x80040604
    MAPI_E_NOT_INITIALIZED = 0x80040605
    MAPI_E_NON_STANDARD = 0x80040606
    MAPI_E_NO_RECIPIENTS = 0x80040607
    MAPI_E_SUBMITTED = 0x80040608
    MAPI_E_FOLDER_CYCLE = 0x8004060B
    MAPI_W_PARTIAL_COMPLETION = 0x00040680
    MAPI_E_AMBIGUOUS_RECIP = 0x80040700


class STG(IntEnum):
    """OLE structured-storage status codes (``winerror.h``, FACILITY_STORAGE)."""

    S_OK = 0x00000000
    STG_E_INVALIDFUNCTION = 0x80030001
    STG_E_FILENOTFOUND = 0x80030002
    STG_E_PATHNOTFOUND = 0x80030003
    STG_E_TOOMANYOPENFILES = 0x80030004
    STG_E_ACCESSDENIED = 0x80030005
    STG_E_INVALIDHANDLE = 0x80030006
    STG_E_INSUFFICIENTMEMORY = 0x80030008
    STG_E_INVALIDPOINTER = 0x80030009
    STG_E_NOMOREFILES = 0x80030012
    STG_E_DISKISWRITEPROTECTED = 0x80030013
    STG_E_SEEKERROR = 0x80030019
    STG_E_WRITEFAULT = 0x8003001D
    STG_E_READFAULT = 0x8003001E
    STG_E_SHAREVIOLATION = 0x80030020
    STG_E_LOCKVIOLATION = 0x80030021
    STG_E_FILEALREADYEXISTS = 0x80030050
    STG_E_INVALIDPARAMETER = 0x80030057
    STG_E_MEDIUMFULL = 0x80030070
    STG_E_PROPSETMISMATCHED = 0x800300F0
    STG_E_ABNORMALAPIEXIT = 0x800300FA
    STG_E_INVALIDHEADER = 0x800300FB
    STG_E_INVALIDNAME = 0x800300FC
    STG_E_UNKNOWN = 0x800300FD
    STG_E_UNIMPLEMENTEDFUNCTION = 0x800300FE
    STG_E_INVALIDFLAG = 0x800300FF
    STG_E_INUSE = 0x80030100
    STG_E_NOTCURRENT = 0x80030101
    STG_E_REVERTED = 0x80030102
    STG_E_CANTSAVE = 0x80030103
    STG_E_OLDFORMAT = 0x80030104
    STG_E_OLDDLL = 0x80030105
    STG_E_SHAREREQUIRED = 0x80030106
    STG_E_NOTFILEBASEDSTORAGE = 0x80030107
    STG_E_EXTANTMARSHALLINGS = 0x80030108
    STG_E_DOCFILECORRUPT = 0x80030109
    STG_E_BADBASEADDRESS = 0x80030110
    STG_E_DOCFILETOOLARGE = 0x80030111
    STG_E_NOTSIMPLEFORMAT = 0x80030112
    STG_E_INCOMPLETE = 0x80030201
    STG_E_TERMINATED = 0x80030202


def _code_name(code: int) -> str:
    for enum in (SCODE, STG):
        try:
            return enum(code).name
        except ValueError:
            continue
    return "HRESULT"


class MAPIError(Exception):
    """A failed MAPI or storage call.

    Attributes:
        hresult: the 32-bit status code (an :class:`SCODE` or :class:`STG` value).
        message: what went wrong and where, for a person.
    """

    default_code: int = int(SCODE.MAPI_E_CALL_FAILED)

    def __init__(self, message: str = "", hresult: int | None = None) -> None:
        self.hresult: int = int(self.default_code if hresult is None else hresult) & 0xFFFFFFFF
        self.message = message
        super().__init__(message)
        if isinstance(self, OSError):  # Python's own errno for the OSError families
            _set_os_fields(self, message)

    @property
    def name(self) -> str:
        """The symbolic name of :attr:`hresult`, e.g. ``"MAPI_E_NOT_FOUND"``."""
        return _code_name(self.hresult)

    def __str__(self) -> str:
        head = f"{self.name} (0x{self.hresult:08X})"
        return f"{head}: {self.message}" if self.message else head

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep errors picklable (Dask workers send them back as records).
        return (error_for, (self.hresult, self.message))


class StorageError(MAPIError):
    """A failed structured-storage (IStorage / IStream) call, carrying an ``STG_E_*`` code.

    ``mapi_code`` is what :func:`map_storage_scode` makes of it.
    """

    default_code: int = STG.STG_E_UNKNOWN

    @property
    def mapi_code(self) -> int:
        """The MAPI ``SCODE`` this storage code maps to."""
        return map_storage_scode(self.hresult)


# Families. Each MAPI family has a storage twin so one ``except`` covers both layers.
class NotFoundError(MAPIError):
    """The property, element or object asked for does not exist."""

    default_code: int = SCODE.MAPI_E_NOT_FOUND


class AccessDeniedError(MAPIError, PermissionError):
    """The object or property is read-only, or the caller's mode does not allow this."""

    default_code: int = SCODE.MAPI_E_NO_ACCESS


class CollisionError(MAPIError):
    """An element or property with that name already exists."""

    default_code: int = SCODE.MAPI_E_COLLISION


class InvalidParameterError(MAPIError, ValueError):
    """An argument is malformed (bad name, bad tag, bad flag combination)."""

    default_code: int = SCODE.MAPI_E_INVALID_PARAMETER


class CorruptDataError(MAPIError):
    """The bytes on the storage do not follow the format; the message says where."""

    default_code: int = SCODE.MAPI_E_CORRUPT_DATA


class ObjectDeletedError(MAPIError):
    """The object was released (its session closed) or reverted and can no longer be used."""

    default_code: int = SCODE.MAPI_E_OBJECT_DELETED


class NoSupportError(MAPIError):
    """The operation is not supported by this object or backend."""

    default_code: int = SCODE.MAPI_E_NO_SUPPORT


class StgNotFoundError(StorageError, NotFoundError, FileNotFoundError):
    """``STG_E_FILENOTFOUND`` / ``STG_E_PATHNOTFOUND``."""

    default_code: int = STG.STG_E_FILENOTFOUND


class StgAccessDeniedError(StorageError, AccessDeniedError):
    """``STG_E_ACCESSDENIED`` and the other sharing/protection failures."""

    default_code: int = STG.STG_E_ACCESSDENIED


class StgExistsError(StorageError, CollisionError, FileExistsError):
    """``STG_E_FILEALREADYEXISTS``."""

    default_code: int = STG.STG_E_FILEALREADYEXISTS


class StgInvalidError(StorageError, InvalidParameterError):
    """``STG_E_INVALIDNAME``, ``STG_E_INVALIDPARAMETER``, ``STG_E_INVALIDFLAG``, ..."""

    default_code: int = STG.STG_E_INVALIDPARAMETER


class StgCorruptError(StorageError, CorruptDataError):
    """``STG_E_DOCFILECORRUPT`` / ``STG_E_INVALIDHEADER``: the container is damaged."""

    default_code: int = STG.STG_E_DOCFILECORRUPT


class StgRevertedError(StorageError, ObjectDeletedError):
    """``STG_E_REVERTED``: the object belongs to a released or reverted storage."""

    default_code: int = STG.STG_E_REVERTED


class StgNoSupportError(StorageError, NoSupportError):
    """``STG_E_INVALIDFUNCTION`` / ``STG_E_UNIMPLEMENTEDFUNCTION``."""

    default_code: int = STG.STG_E_INVALIDFUNCTION


def _set_os_fields(exc: OSError, message: str) -> None:
    """``errno`` and ``strerror`` of an error that is also an :class:`OSError`."""
    if isinstance(exc, FileNotFoundError):
        exc.errno = _errno.ENOENT
    elif isinstance(exc, FileExistsError):
        exc.errno = _errno.EEXIST
    elif isinstance(exc, PermissionError):
        exc.errno = _errno.EACCES
    exc.strerror = message


_STORAGE_TO_MAPI: dict[int, int] = {
    STG.S_OK: SCODE.S_OK,
    STG.STG_E_INSUFFICIENTMEMORY: SCODE.MAPI_E_NOT_ENOUGH_MEMORY,
    SCODE.MAPI_E_NOT_ENOUGH_MEMORY: SCODE.MAPI_E_NOT_ENOUGH_MEMORY,  # E_OUTOFMEMORY
    STG.STG_E_MEDIUMFULL: SCODE.MAPI_E_NOT_ENOUGH_DISK,
    STG.STG_E_ACCESSDENIED: SCODE.MAPI_E_NO_ACCESS,
    STG.STG_E_DISKISWRITEPROTECTED: SCODE.MAPI_E_NO_ACCESS,
    STG.STG_E_SHAREVIOLATION: SCODE.MAPI_E_NO_ACCESS,
    STG.STG_E_LOCKVIOLATION: SCODE.MAPI_E_NO_ACCESS,
    STG.STG_E_INUSE: SCODE.MAPI_E_NO_ACCESS,
    STG.STG_E_FILENOTFOUND: SCODE.MAPI_E_NOT_FOUND,
    STG.STG_E_PATHNOTFOUND: SCODE.MAPI_E_NOT_FOUND,
    STG.STG_E_FILEALREADYEXISTS: SCODE.MAPI_E_COLLISION,
    STG.STG_E_INVALIDPARAMETER: SCODE.MAPI_E_INVALID_PARAMETER,
    STG.STG_E_INVALIDPOINTER: SCODE.MAPI_E_INVALID_PARAMETER,
    STG.STG_E_INVALIDNAME: SCODE.MAPI_E_INVALID_PARAMETER,
    STG.STG_E_INVALIDFLAG: SCODE.MAPI_E_UNKNOWN_FLAGS,
    STG.STG_E_INVALIDFUNCTION: SCODE.MAPI_E_NO_SUPPORT,
    STG.STG_E_UNIMPLEMENTEDFUNCTION: SCODE.MAPI_E_NO_SUPPORT,
    STG.STG_E_TOOMANYOPENFILES: SCODE.MAPI_E_NOT_ENOUGH_RESOURCES,
    STG.STG_E_READFAULT: SCODE.MAPI_E_DISK_ERROR,
    STG.STG_E_WRITEFAULT: SCODE.MAPI_E_DISK_ERROR,
    STG.STG_E_SEEKERROR: SCODE.MAPI_E_DISK_ERROR,
    STG.STG_E_CANTSAVE: SCODE.MAPI_E_DISK_ERROR,
    STG.STG_E_INVALIDHEADER: SCODE.MAPI_E_CORRUPT_DATA,
    STG.STG_E_DOCFILECORRUPT: SCODE.MAPI_E_CORRUPT_DATA,
    STG.STG_E_OLDFORMAT: SCODE.MAPI_E_VERSION,
    STG.STG_E_OLDDLL: SCODE.MAPI_E_VERSION,
    STG.STG_E_REVERTED: SCODE.MAPI_E_OBJECT_DELETED,
    STG.STG_E_NOTCURRENT: SCODE.MAPI_E_OBJECT_CHANGED,
    STG.STG_E_DOCFILETOOLARGE: SCODE.MAPI_E_TOO_BIG,
}


def map_storage_scode(stg_scode: int) -> int:
    """Map an OLE storage status code to a MAPI status code (``MapStorageSCode``).

    Success codes map to ``S_OK``'s family unchanged when they are not errors (severity bit
    clear); an unknown failure maps to ``MAPI_E_CALL_FAILED``, as Microsoft documents.
    """
    code = int(stg_scode) & 0xFFFFFFFF
    if code in _STORAGE_TO_MAPI:
        return _STORAGE_TO_MAPI[code]
    if not code & 0x80000000:
        return SCODE.S_OK
    return SCODE.MAPI_E_CALL_FAILED


_STG_CLASSES: dict[int, type[StorageError]] = {
    STG.STG_E_FILENOTFOUND: StgNotFoundError,
    STG.STG_E_PATHNOTFOUND: StgNotFoundError,
    STG.STG_E_ACCESSDENIED: StgAccessDeniedError,
    STG.STG_E_DISKISWRITEPROTECTED: StgAccessDeniedError,
    STG.STG_E_SHAREVIOLATION: StgAccessDeniedError,
    STG.STG_E_LOCKVIOLATION: StgAccessDeniedError,
    STG.STG_E_INUSE: StgAccessDeniedError,
    STG.STG_E_FILEALREADYEXISTS: StgExistsError,
    STG.STG_E_INVALIDNAME: StgInvalidError,
    STG.STG_E_INVALIDPARAMETER: StgInvalidError,
    STG.STG_E_INVALIDPOINTER: StgInvalidError,
    STG.STG_E_INVALIDFLAG: StgInvalidError,
    STG.STG_E_DOCFILECORRUPT: StgCorruptError,
    STG.STG_E_INVALIDHEADER: StgCorruptError,
    STG.STG_E_REVERTED: StgRevertedError,
    STG.STG_E_INVALIDFUNCTION: StgNoSupportError,
    STG.STG_E_UNIMPLEMENTEDFUNCTION: StgNoSupportError,
}

_MAPI_CLASSES: dict[int, type[MAPIError]] = {
    SCODE.MAPI_E_NOT_FOUND: NotFoundError,
    SCODE.MAPI_E_NO_ACCESS: AccessDeniedError,
    SCODE.MAPI_E_COMPUTED: AccessDeniedError,
    SCODE.MAPI_E_COLLISION: CollisionError,
    SCODE.MAPI_E_INVALID_PARAMETER: InvalidParameterError,
    SCODE.MAPI_E_UNKNOWN_FLAGS: InvalidParameterError,
    SCODE.MAPI_E_CORRUPT_DATA: CorruptDataError,
    SCODE.MAPI_E_OBJECT_DELETED: ObjectDeletedError,
    SCODE.MAPI_E_INVALID_OBJECT: ObjectDeletedError,
    SCODE.MAPI_E_NO_SUPPORT: NoSupportError,
}


def error_for(hresult: int, message: str = "") -> MAPIError:
    """Build the most specific exception instance for ``hresult``.

    ``STG_E_*`` codes give :class:`StorageError` subclasses; MAPI codes give
    :class:`MAPIError` subclasses; anything else a plain class of its facility.
    """
    code = int(hresult) & 0xFFFFFFFF
    if code in _STG_CLASSES:
        return _STG_CLASSES[code](message, code)
    if (code >> 16) & 0x1FFF == 3:  # FACILITY_STORAGE
        return StorageError(message, code)
    return _MAPI_CLASSES.get(code, MAPIError)(message, code)


def stg_error(code: STG, message: str) -> StorageError:
    """Build the :class:`StorageError` subclass for an ``STG_E_*`` code."""
    err = error_for(code, message)
    assert isinstance(err, StorageError)
    return err
