"""``imsg_core.open`` and ``imsg_core.create``: a message in one call, with a private session.

Each call makes its own :class:`~imsg_core.Session`, opens or creates the message through it
and hands the session to the message: closing the message (or leaving its ``with`` block)
closes the session, which releases everything opened from it. A failed call closes the
session before raising. Programs that open many messages may keep one ``Session`` instead;
both are documented in ``docs/quickstart.md``.
"""

from __future__ import annotations

from typing import Any

from ._message import Message
from ._session import Session

__all__ = ["create", "open"]


def open(location: Any, mode: str = "r", **options: Any) -> Message:
    """Open the message at ``location`` (a path, URL, :class:`os.PathLike`, bytes, binary
    file object, fsspec ``OpenFile`` or ``UPath``) in its own session, closed with it.

    ``mode`` is ``"r"`` (read only) or ``"r+"`` (edit in place, written by
    :meth:`Message.save_changes`); ``options`` go to the backend (``storage_options=``, ...).
    Use it as a context manager: ``with imsg_core.open(path) as msg: ...``.

    :raises FileNotFoundError: (a :class:`~imsg_core.NotFoundError`) when nothing is there.
    :raises CorruptDataError: when the file is not an Outlook message or is damaged.
    :raises StorageError: what the backend raises (access denied, bad mode, ...).
    """
    session = Session()
    try:
        msg = session.open(location, mode, **options)
    except BaseException:
        session.close()
        raise
    msg._owned_session = session
    return msg


def create(
    location: Any,
    *,
    overwrite: bool = True,
    unicode: bool = True,
    codepage: int | None = None,
    **options: Any,
) -> Message:
    """Create a new, empty message at ``location`` in its own session, closed with it;
    :meth:`Message.save_changes` writes it. ``overwrite=False`` raises
    :class:`FileExistsError` (a :class:`~imsg_core.CollisionError`) when the location
    exists; ``unicode=False`` makes an ANSI message in ``codepage`` (default 1252);
    ``options`` go to the backend."""
    session = Session()
    try:
        msg = session.create(
            location, overwrite=overwrite, unicode=unicode, codepage=codepage, **options
        )
    except BaseException:
        session.close()
        raise
    msg._owned_session = session
    return msg
