"""imsg-core: MAPI's IMessage-on-IStorage for Python.

Open a :class:`Session`, open or create ``.msg`` messages on storages that live anywhere
(local compound files, memory, any fsspec URL), read and edit them through the MAPI property
model, save them transactionally, and close the session, which releases every object opened
in it. Storage backends are plugins (entry-point group ``imsg_core.backends``).
"""

from __future__ import annotations

from .attachment import Attachment
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
from .message import Message
from .plugins import get_plugin_manager
from .propobj import PropError, PropProblem
from .recipient import Recipient
from .registry import ObjectRecord, Registry, Stash, StashKey
from .session import Session
from .storage import BackendInfo, Capabilities, ElementType, StatStg, Storage, Stream

__version__ = "0.1.0"

__all__ = [
    "SCODE",
    "STG",
    "AccessDeniedError",
    "Attachment",
    "BackendInfo",
    "Capabilities",
    "CollisionError",
    "CorruptDataError",
    "ElementType",
    "InvalidParameterError",
    "MAPIError",
    "Message",
    "NoSupportError",
    "NotFoundError",
    "ObjectDeletedError",
    "ObjectRecord",
    "PropError",
    "PropProblem",
    "Recipient",
    "Registry",
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


def __getattr__(name: str) -> object:
    """``imsg_core.PR_SUBJECT`` etc.: property tag constants from :mod:`imsg_core.props`."""
    if name.startswith(("PR_", "PT_", "PS_", "PSETID_")):
        from . import props
        from .props import tags

        for module in (props, tags):
            if hasattr(module, name):
                return getattr(module, name)
    raise AttributeError(f"module 'imsg_core' has no attribute {name!r}")
