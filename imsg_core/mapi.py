"""The C-shaped API of ``imessage.h``, for people porting MAPI code (spec imsg-api §2-§7, §12).

The six functions keep their MAPI names and argument order; allocator and ``IMalloc``
arguments are accepted and ignored (Python manages memory). Failures raise
:class:`~imsg_core.errors.MAPIError` subclasses carrying the HRESULT; warnings such as
``MAPI_W_ERRORS_RETURNED`` are returned, not raised (spec imsg-api §13)::

    sess = OpenIMsgSession()
    stg = sess.open_storage("a.msg", "r+")
    msg = OpenIMsgOnIStg(sess, stg, flags=IMSG_NO_ISTG_COMMIT, callback=on_release)
    hr, attrs = GetAttribIMsgOnIStg(msg, [PR_SUBJECT])
    CloseIMsgSession(sess)
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence

from ._message import Attachment
from ._message import Message
from ._propobj import PropObject
from ._propobj import TagLike
from ._propproblems import PropProblem
from ._registry import Registry
from ._session import Session
from ._storage import Storage
from .errors import SCODE
from .errors import InvalidParameterError
from .errors import map_storage_scode
from .props import constants as _constants
from .props.constants import *  # noqa: F403 - re-exported: the C-shaped API offers every MAPI flag
from .props.constants import CLSID_MAIL_MESSAGE
from .props.constants import MAPI_UNICODE
from .props.named import MNID_ID
from .props.named import MNID_STRING
from .props.named import PS_MAPI
from .props.named import PS_PUBLIC_STRINGS
from .props.named import IID_IAttachment
from .props.named import IID_IMAPIProp
from .props.named import IID_IMAPITable
from .props.named import IID_IMessage
from .props.named import IID_IStorage
from .props.named import IID_IStream
from .props.named import IID_IStreamDocfile
from .props.named import IID_IUnknown
from .props.types import PROPATTR_MANDATORY
from .props.types import PROPATTR_NOT_PRESENT
from .props.types import PROPATTR_READABLE
from .props.types import PROPATTR_WRITABLE
from .props.types import PROPATTR_WRITEABLE

__all__ = [
    "MNID_ID",
    "MNID_STRING",
    "PROPATTR_MANDATORY",
    "PROPATTR_NOT_PRESENT",
    "PROPATTR_READABLE",
    "PROPATTR_WRITABLE",
    "PROPATTR_WRITEABLE",
    "PS_MAPI",
    "PS_PUBLIC_STRINGS",
    "CLSID_MailMessage",
    "CloseIMsgSession",
    "GetAttribIMsgOnIStg",
    "IID_IAttachment",
    "IID_IMAPIProp",
    "IID_IMAPITable",
    "IID_IMessage",
    "IID_IStorage",
    "IID_IStream",
    "IID_IStreamDocfile",
    "IID_IUnknown",
    "MapStorageSCode",
    "OpenIMsgOnIStg",
    "OpenIMsgSession",
    "SetAttribIMsgOnIStg",
]
__all__ += _constants.__all__  # the C-shaped API offers every MAPI flag and value


CLSID_MailMessage = CLSID_MAIL_MESSAGE

#: ``MSGCALLRELEASE``: ``callback(ulCallerData, lpMessage)``.
MsgCallRelease = Callable[[int, Message], None]


def OpenIMsgSession(malloc: object = None, flags: int = 0) -> Session:
    """``OpenIMsgSession``: a new message session. ``malloc`` is ignored. ``flags`` is
    reserved: 0 (``MAPI_UNICODE`` is accepted and ignored); anything else raises
    ``MAPI_E_UNKNOWN_FLAGS``."""
    if flags & ~MAPI_UNICODE:
        raise InvalidParameterError(
            f"OpenIMsgSession flags must be 0, not 0x{flags:08X}", SCODE.MAPI_E_UNKNOWN_FLAGS
        )
    return Session(flags=flags)


def CloseIMsgSession(session: Session) -> None:
    """``CloseIMsgSession``: release every object opened in ``session`` (children first);
    unsaved changes are discarded; every release callback that has not fired fires once.
    Failures of backends are raised together as an :class:`ExceptionGroup` afterwards."""
    if not isinstance(session, Session):
        raise InvalidParameterError("CloseIMsgSession needs a Session")
    session.close()


def OpenIMsgOnIStg(
    session: Session | None,
    storage: Storage,
    flags: int = 0,
    callback: MsgCallRelease | None = None,
    caller_data: int = 0,
    *,
    allocate_buffer: object = None,
    allocate_more: object = None,
    free_buffer: object = None,
    malloc: object = None,
    support: object = None,
) -> Message:
    """``OpenIMsgOnIStg``: the message stored in ``storage`` (an empty writable storage
    becomes a new message).

    ``session`` may be ``None``: the storage's own session is used. The storage must be
    readable; a writable one must be transacted (else ``MAPI_E_INVALID_PARAMETER``).
    ``flags``: ``IMSG_NO_ISTG_COMMIT``, ``MAPI_UNICODE`` (others: ``MAPI_E_UNKNOWN_FLAGS``).
    ``callback(caller_data, message)`` fires exactly once, when the message is released
    (explicitly or by the session closing). The allocator, ``malloc`` and ``support``
    arguments are accepted for parity and ignored (no dialogs, entry IDs stored as given).
    """
    if not isinstance(storage, Storage):
        raise InvalidParameterError("OpenIMsgOnIStg needs a Storage")
    registry: Registry | None = session if session is not None else storage.session
    if registry is None:
        raise InvalidParameterError("the storage belongs to no session; pass one")
    caps = storage.capabilities
    if not caps.readable:
        raise InvalidParameterError("messages don't support a write-only storage")
    if storage.writable and not caps.transacted:
        raise InvalidParameterError("a read/write storage must be transacted (STGM_TRANSACTED)")
    if callback is not None and not callable(callback):
        raise InvalidParameterError("callback must be callable")
    return Message.open(registry, storage, flags=flags, callback=callback, caller_data=caller_data)


def _prop_object(obj: object) -> PropObject:
    if not isinstance(obj, (Message, Attachment)):
        raise InvalidParameterError(
            "Get/SetAttribIMsgOnIStg accept only messages and attachments opened through "
            "OpenIMsgOnIStg"
        )
    return obj


def GetAttribIMsgOnIStg(
    obj: Message | Attachment, tags: Sequence[TagLike]
) -> tuple[int, list[int]]:
    """``GetAttribIMsgOnIStg``: ``(hresult, attributes)``; attribute *i* belongs to tag *i*.
    A missing property has ``PROPATTR_NOT_PRESENT`` and makes the result
    ``MAPI_W_ERRORS_RETURNED``."""
    target = _prop_object(obj)
    if not tags:
        raise InvalidParameterError("GetAttribIMsgOnIStg needs at least one tag")
    attrs = target.get_attribs(tags)
    hr = SCODE.MAPI_W_ERRORS_RETURNED if PROPATTR_NOT_PRESENT in attrs else SCODE.S_OK
    return int(hr), attrs


def SetAttribIMsgOnIStg(
    obj: Message | Attachment, tags: Sequence[TagLike], attribs: Sequence[int]
) -> tuple[int, list[PropProblem]]:
    """``SetAttribIMsgOnIStg``: set the attributes of ``tags`` positionally; returns
    ``(hresult, problems)`` with ``MAPI_W_ERRORS_RETURNED`` when some were not set. The
    attributes are written to the entry Flags by the object's ``save_changes``. Raises
    :class:`InvalidParameterError` when the arrays differ in length."""
    target = _prop_object(obj)
    if len(tags) != len(attribs) or not tags:
        raise InvalidParameterError("tags and attributes must be non-empty and the same length")
    problems: list[PropProblem] = []
    for i, (t, a) in enumerate(zip(tags, attribs, strict=True)):
        for p in target.set_attribs({t: a}):
            problems.append(PropProblem(i, p.tag, p.scode))
    hr = SCODE.MAPI_W_ERRORS_RETURNED if problems else SCODE.S_OK
    return int(hr), problems


def MapStorageSCode(stg_scode: int) -> int:
    """``MapStorageSCode``: the MAPI code for an OLE storage code (``MAPI_E_CALL_FAILED``
    when there is no match); the table is documented in ``docs/errors``."""
    return map_storage_scode(stg_scode)
