"""imsg-core: MAPI's IMessage-on-IStorage for Python.

``imsg_core.open(path)`` and ``imsg_core.create(path)`` give one message in one call, with a
private session closed with it. Or open a :class:`Session`, open or create ``.msg`` messages
on storages that live anywhere (local compound files, memory, any fsspec URL), read and edit
them through the MAPI property model, save them transactionally, and close the session,
which releases every object opened in it. Storage backends are plugins (entry-point group
``imsg_core.backends``). The property constants (``PR_*``, ``PT_*``, ``PS_*``,
``PSETID_*``) are exported here too.
"""

# No ``from __future__ import annotations`` here: it would leave the name ``annotations``
# in the users' namespace (``dir(imsg_core)``); this module needs no deferred annotations.
from . import _constants
from ._constants import *  # noqa: F403 - every PR_*/PT_*/PS_*/PSETID_* constant (explicitly re-exported there)
from ._message import Attachment
from ._message import Message
from ._plugins import get_plugin_manager
from ._plugins import refresh_backends
from ._propproblems import PropError
from ._propproblems import PropProblem
from ._recipient import Recipient
from ._registry import ObjectRecord
from ._registry import Registry
from ._registry import Stash
from ._registry import StashKey
from ._session import Session
from ._shortcuts import create
from ._shortcuts import open
from ._storage import BackendInfo
from ._storage import Capabilities
from ._storage import ElementType
from ._storage import StatStg
from ._storage import Storage
from ._storage import Stream
from ._table import Table
from .errors import SCODE
from .errors import STG
from .errors import AccessDeniedError
from .errors import CollisionError
from .errors import CorruptDataError
from .errors import InvalidParameterError
from .errors import MAPIError
from .errors import NoSupportError
from .errors import NotFoundError
from .errors import ObjectDeletedError
from .errors import StorageError
from .errors import map_storage_scode
from .hookspecs import hookimpl

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
    "Table",
    "__version__",
    "create",
    "get_plugin_manager",
    "hookimpl",
    "map_storage_scode",
    "open",
    "refresh_backends",
]
_classes = list(__all__)
__all__ += [name for name in vars(_constants) if not name.startswith("_")]


for _name in _classes:  # reprs, docs and pickles name the public module, not the private one
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__.startswith("imsg_core._"):
        _obj.__module__ = __name__
del _name, _obj, _classes
