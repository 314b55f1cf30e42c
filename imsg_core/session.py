"""The message session: a registry of every object opened through it.

:class:`Session` is what ``OpenIMsgSession`` returns and ``CloseIMsgSession`` closes. It
owns a plugin manager (one per session; there is no global one) and a lock. Every storage,
stream, sub-storage, message, attachment and embedded message opened through it is
registered with its parent. :meth:`Session.close` releases them all, children before
parents, through every backend's ``imsg_core_release`` hook; each hook implementation is
called on its own, and failures are raised together at the end as one
:class:`ExceptionGroup`, after every object was released. After close every object raises
:class:`~imsg_core.errors.ObjectDeletedError`; closing again does nothing.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast, runtime_checkable

import pluggy

from .errors import ObjectDeletedError
from .plugins import BackendInfo, Hooks, get_plugin_manager
from .storage import Storage, parse_mode

if TYPE_CHECKING:
    from .message import Message

__all__ = ["ObjectRecord", "Releasable", "Session", "Stash", "StashKey"]

T = TypeVar("T")
_ids = itertools.count(1)


class StashKey(Generic[T]):
    """A typed key for :class:`Stash` (pytest's pattern): ``KEY = StashKey[int]()``."""

    __slots__ = ()


class Stash:
    """Typed per-object private storage for backends and plugins.

    Plugins keep their state here instead of setting attributes on core objects.
    """

    __slots__ = ("_data",)

    def __init__(self) -> None:
        self._data: dict[StashKey[Any], object] = {}

    def __setitem__(self, key: StashKey[T], value: T) -> None:
        self._data[key] = value

    def __getitem__(self, key: StashKey[T]) -> T:
        return cast("T", self._data[key])

    def get(self, key: StashKey[T], default: T) -> T:
        """The value for ``key``, or ``default``."""
        return cast("T", self._data.get(key, default))

    def setdefault(self, key: StashKey[T], default: T) -> T:
        """The value for ``key``, storing ``default`` first if absent."""
        return cast("T", self._data.setdefault(key, default))

    def __delitem__(self, key: StashKey[T]) -> None:
        del self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)


@runtime_checkable
class Releasable(Protocol):
    """What the session needs of a registered object."""

    def _imsg_release(self) -> None:
        """Free the object and make it unusable. Idempotent."""


@dataclass(eq=False)
class ObjectRecord:
    """One registered object.

    Attributes:
        obj: the object itself (a Storage, Stream, Message, Attachment, ...).
        kind: ``"storage"``, ``"stream"``, ``"message"``, ``"attachment"``, ...
        backend: name of the plugin responsible for releasing it (``"core"`` for the
            message layer's own objects).
        parent: the record of the object it was opened from, or ``None``.
        stash: private per-object state for plugins.
    """

    obj: Releasable
    kind: str
    backend: str
    parent: ObjectRecord | None = field(default=None, repr=False)
    stash: Stash = field(default_factory=Stash, repr=False)
    on_release: list[Callable[[], None]] = field(default_factory=list, repr=False)
    children: dict[int, ObjectRecord] = field(default_factory=dict, repr=False)
    released: bool = False
    serial: int = field(default_factory=lambda: next(_ids))

    @property
    def depth(self) -> int:
        """Distance from the top-level object (0 for roots)."""
        d, node = 0, self.parent
        while node is not None:
            d, node = d + 1, node.parent
        return d


class Session:
    """A message session (``OpenIMsgSession``); a context manager that closes on exit.

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
        self.pm = plugin_manager or get_plugin_manager(blocked=blocked, plugins=plugins)
        self.hooks = Hooks(self.pm)
        self.flags = flags
        self.stash = Stash()
        self._lock = threading.RLock()
        self._records: dict[int, ObjectRecord] = {}  # id(obj) -> record
        self._closed = False
        self._closing = False

    # -- registry ------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._closed

    def _check(self) -> None:
        if self._closed or self._closing:
            raise ObjectDeletedError("the message session is closed")

    def register(
        self,
        obj: Releasable,
        *,
        parent: object | None = None,
        backend: str,
        kind: str,
        on_release: Callable[[], None] | None = None,
    ) -> ObjectRecord:
        """Record ``obj`` as open in this session, as a child of ``parent`` (an object
        registered earlier, or ``None``). ``on_release`` runs exactly once when it is
        released. Raises :class:`ObjectDeletedError` on a closed session."""
        with self._lock:
            self._check()
            parent_rec = None
            if parent is not None:
                parent_rec = self._records.get(id(parent))
                if parent_rec is None or parent_rec.obj is not parent:
                    parent_rec = None
            rec = ObjectRecord(obj=obj, kind=kind, backend=backend, parent=parent_rec)
            if on_release is not None:
                rec.on_release.append(on_release)
            if parent_rec is not None:
                parent_rec.children[rec.serial] = rec
            self._records[id(obj)] = rec
            return rec

    def record_of(self, obj: object) -> ObjectRecord | None:
        """The record of an open object, or ``None``."""
        with self._lock:
            rec = self._records.get(id(obj))
            return rec if rec is not None and rec.obj is obj else None

    def open_objects(self) -> list[ObjectRecord]:
        """Records of every object still open, in registration order."""
        with self._lock:
            return sorted(self._records.values(), key=lambda r: r.serial)

    # -- release -------------------------------------------------------------------------
    def release(self, *objs: object) -> None:
        """Release these objects and everything opened from them.

        Raises :class:`ExceptionGroup` of the hook failures, after releasing everything.
        """
        with self._lock:
            roots = [r for o in objs if (r := self.record_of(o)) is not None]
            if len(roots) == 1 and not roots[0].children:  # the common case: one leaf
                self._release_records(roots)
            else:
                self._release_records(_subtree(roots))

    def _release_records(self, records: list[ObjectRecord]) -> None:
        # Deepest first, so children go before parents across every backend.
        errors: list[Exception] = []
        by_depth: dict[int, list[ObjectRecord]] = {}
        if len(records) == 1:
            if not records[0].released:
                by_depth[0] = records
        else:
            for rec in records:
                if not rec.released:
                    by_depth.setdefault(rec.depth, []).append(rec)
        for depth in sorted(by_depth, reverse=True):
            batch = sorted(by_depth[depth], key=lambda r: -r.serial)
            errors.extend(self.hooks.release(self, batch))
            for rec in batch:
                try:  # whatever a backend did or failed to do, the object ends released
                    rec.obj._imsg_release()
                except Exception as exc:
                    exc.add_note(f"raised while releasing a {rec.kind} of backend {rec.backend!r}")
                    errors.append(exc)
                rec.released = True
                self._records.pop(id(rec.obj), None)
                if rec.parent is not None:
                    rec.parent.children.pop(rec.serial, None)
                callbacks, rec.on_release = rec.on_release, []
                for cb in callbacks:
                    try:
                        cb()
                    except Exception as exc:
                        exc.add_note(f"raised by the release callback of a {rec.kind}")
                        errors.append(exc)
        if errors:
            raise ExceptionGroup(f"{len(errors)} failure(s) while releasing objects", errors)

    def close(self) -> None:
        """``CloseIMsgSession``: release every open object; idempotent.

        Raises :class:`ExceptionGroup` with every release failure, after all objects were
        released and the session marked closed.
        """
        with self._lock:
            if self._closed:
                return
            self._closing = True
            try:
                self._release_records(list(self._records.values()))
            finally:
                self._records.clear()
                self._closed = True
                self._closing = False

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    # -- messages (see imsg_core.message) ---------------------------------------------
    def open(self, location: Any, mode: str = "r", **options: Any) -> Message:
        """Open the message stored at ``location`` (``OpenIMsgOnIStg`` on a backend's root
        storage). ``mode`` ``"r+"`` allows :meth:`Message.save_changes`."""
        from .message import Message

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
        from .message import Message

        storage = self.create_storage(location, overwrite=overwrite, **options)
        try:
            return Message.create(
                self, storage, owns_storage=True, unicode=unicode, codepage=codepage
            )
        except BaseException:
            storage.close()
            raise


def _subtree(roots: list[ObjectRecord]) -> list[ObjectRecord]:
    out: list[ObjectRecord] = []
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        rec = stack.pop()
        if rec.serial in seen:
            continue
        seen.add(rec.serial)
        out.append(rec)
        stack.extend(rec.children.values())
    return out


def _is_upath(obj: object) -> bool:
    return type(obj).__module__.startswith("upath")


def options_get(options: Mapping[str, Any], key: str, default: T) -> T:
    """Typed read of a backend option."""
    return cast("T", options.get(key, default))
