"""The message session: what ``OpenIMsgSession`` returns and ``CloseIMsgSession`` closes.

:class:`Session` is a :class:`~imsg_core._registry.Registry` (every object opened through
it is recorded and released when it closes) that owns a plugin manager — one per session;
there is no global one — and opens storages through the backends' ``imsg_core_open_storage``
hook and messages on them. It is the top of the core: it may import the message layer, and
nothing below it imports this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pluggy

from ._message import Message
from ._plugins import Hooks
from ._plugins import get_plugin_manager
from ._registry import ObjectRecord
from ._registry import Registry
from ._registry import Releasable
from ._registry import Stash
from ._registry import StashKey
from ._storage import BackendInfo
from ._storage import Storage
from ._storage import parse_mode

__all__ = ["ObjectRecord", "Releasable", "Session", "Stash", "StashKey"]


class Session(Registry):
    """A message session (``OpenIMsgSession``); a context manager that closes on exit.

    Each session has its own plugin manager (its own blocking, plugins and hook callers);
    the installed backends are discovered once per process and each is imported the first
    time a session takes it, so creating and closing a session costs tens of microseconds
    (after installing a plugin distribution in a running process, call
    ``refresh_backends()`` from :mod:`imsg_core._plugins`).

    :param blocked: backend names never to load (with ``IMSG_DISABLE_BACKENDS``).
    :param plugins: extra plugin objects (asked before the installed backends).
    :param plugin_manager: use this manager instead of building one (advanced).
    :param flags: ``ulFlags`` of ``OpenIMsgSession`` (kept for the MAPI layer).
    """

    def __init__(
        self,
        *,
        blocked: Iterable[str] = (),
        plugins: Iterable[object] = (),
        plugin_manager: pluggy.PluginManager | None = None,
        flags: int = 0,
    ) -> None:
        super().__init__(
            plugin_manager or get_plugin_manager(blocked=blocked, plugins=plugins), flags=flags
        )
        self.hooks = Hooks(self.pm)

    def __enter__(self) -> Session:
        return self

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{len(self._records)} open object(s)"
        return f"<imsg_core.Session {state}>"

    # -- storages ------------------------------------------------------------------------
    def backends(self) -> list[BackendInfo]:
        """Installed (not blocked) backends, in the order they are asked."""
        return self.hooks.describe_backends()

    def open_storage(self, location: Any, mode: str = "r", **options: Any) -> Storage:
        """Open the root storage at ``location`` through the first backend that takes it.

        ``location`` is a path, URL, :class:`os.PathLike`, bytes, binary file object, fsspec
        ``OpenFile`` or ``UPath``; ``options`` go to the backend (e.g. ``storage_options=``).

        :raises StorageError: ``STG_E_INVALIDFLAG`` for an unknown mode,
            ``STG_E_INVALIDPARAMETER`` when no backend takes the location, or what the
            backend raises (``STG_E_FILENOTFOUND``, ``STG_E_ACCESSDENIED``, ...).
        :raises ObjectDeletedError: on a closed session.
        """
        self._check()
        mode_ = parse_mode(mode)
        if isinstance(location, os.PathLike) and not _is_upath(location):
            location = os.fspath(location)
        return self.hooks.open_storage(self, location, mode_, options)

    def create_storage(self, location: Any, *, overwrite: bool = True, **options: Any) -> Storage:
        """Create a new, empty root storage (mode ``"w"``, or ``"x"`` when not
        ``overwrite``). Nothing reaches the medium until :meth:`Storage.commit`."""
        return self.open_storage(location, "w" if overwrite else "x", **options)

    # -- messages ------------------------------------------------------------------------
    def open(self, location: Any, mode: str = "r", **options: Any) -> Message:
        """Open the message stored at ``location`` (``OpenIMsgOnIStg`` on a backend's root
        storage). ``mode`` ``"r+"`` allows :meth:`Message.save_changes`."""
        storage = self.open_storage(location, mode, **options)
        try:
            return Message.open(self, storage, owns_storage=True)
        except BaseException:
            storage.close()
            raise

    def create(
        self,
        location: Any,
        *,
        overwrite: bool = True,
        unicode: bool = True,
        codepage: int | None = None,
        **options: Any,
    ) -> Message:
        """Create a new, empty message at ``location``; it is written by ``save_changes``.
        ``unicode=False`` makes an ANSI message in ``codepage`` (default 1252)."""
        storage = self.create_storage(location, overwrite=overwrite, **options)
        try:
            return Message.create(
                self, storage, owns_storage=True, unicode=unicode, codepage=codepage
            )
        except BaseException:
            storage.close()
            raise


def _is_upath(obj: object) -> bool:
    return type(obj).__module__.startswith("upath")
