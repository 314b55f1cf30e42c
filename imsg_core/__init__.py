"""imsg-core: MAPI's IMessage-on-IStorage for Python.

Open a :class:`Session`, open or create ``.msg`` messages on storages that live anywhere
(local compound files, memory, any fsspec URL), read and edit them through the MAPI property
model, save them transactionally, and close the session, which releases every object opened
in it. Storage backends are plugins (entry-point group ``imsg_core.backends``).
"""

from __future__ import annotations

from .errors import (
    SCODE,
    STG,
    AccessDeniedError,
    CollisionError,
    CorruptDataError,
    InvalidParameterError,
    MAPIError,
    NoSupportError,
    NotFoundError,
    ObjectDeletedError,
    StorageError,
    map_storage_scode,
)
from .hookspecs import hookimpl
from .plugins import BackendInfo, get_plugin_manager
from .session import ObjectRecord, Session, Stash, StashKey
from .storage import Capabilities, ElementType, StatStg, Storage, Stream

__version__ = "0.1.0"

__all__ = [
    "SCODE",
    "STG",
    "AccessDeniedError",
    "BackendInfo",
    "Capabilities",
    "CollisionError",
    "CorruptDataError",
    "ElementType",
    "InvalidParameterError",
    "MAPIError",
    "NoSupportError",
    "NotFoundError",
    "ObjectDeletedError",
    "ObjectRecord",
    "Session",
    "Stash",
    "StashKey",
    "StatStg",
    "Storage",
    "StorageError",
    "Stream",
    "__version__",
    "get_plugin_manager",
    "hookimpl",
    "map_storage_scode",
]
