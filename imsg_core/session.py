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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast, runtime_checkable

import pluggy

from .errors import ObjectDeletedError
from .plugins import BackendInfo, Hooks, get_plugin_manager
from .storage import Storage, parse_mode

if TYPE_CHECKING:
    from .message import Message

__all__ = ["ObjectRecord", "Releasable", "Session", "Stash", "StashKey", "standard_release"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
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


class ObjectRecord:
    """One registered object.

    Attributes:
        obj: the object itself (a Storage, Stream, Message, Attachment, ...).
        kind: ``"storage"``, ``"stream"``, ``"message"``, ``"attachment"``, ...
        backend: name of the plugin responsible for releasing it (``"core"`` for the
            message layer's own objects).
        parent: the record of the object it was opened from, or ``None``.
        stash: private per-object state for plugins (created on first use).
        on_release: callbacks run once when the object is released (created on first use).
        children: records of the objects opened from this one, by serial.
        released: True once the release of the object began.
        serial: registration order (unique per process).

    One is made for every stream a program opens, so the record is slotted and its
    containers are created only when used.
    """

    __slots__ = (
        "_children",
        "_on_release",
        "_stash",
        "backend",
        "kind",
        "obj",
        "parent",
        "released",
        "serial",
    )

    def __init__(
        self,
        obj: Releasable,
        kind: str,
        backend: str,
        parent: ObjectRecord | None = None,
        *,
        stash: Stash | None = None,
        on_release: list[Callable[[], None]] | None = None,
        children: dict[int, ObjectRecord] | None = None,
        released: bool = False,
        serial: int | None = None,
    ) -> None:
        self.obj = obj
        self.kind = kind
        self.backend = backend
        self.parent = parent
        self._stash = stash
        self._on_release = on_release
        self._children = children
        self.released = released
        self.serial = next(_ids) if serial is None else serial

    @property
    def stash(self) -> Stash:
        """Private per-object state for plugins."""
        if self._stash is None:
            self._stash = Stash()
        return self._stash

    @property
    def on_release(self) -> list[Callable[[], None]]:
        """Callbacks run once when the object is released (append to add one)."""
        if self._on_release is None:
            self._on_release = []
        return self._on_release

    @on_release.setter
    def on_release(self, value: list[Callable[[], None]]) -> None:
        self._on_release = value

    @property
    def children(self) -> dict[int, ObjectRecord]:
        """Records of the objects opened from this one, by serial."""
        if self._children is None:
            self._children = {}
        return self._children

    @property
    def depth(self) -> int:
        """Distance from the top-level object (0 for roots)."""
        d, node = 0, self.parent
        while node is not None:
            d, node = d + 1, node.parent
        return d

    def __repr__(self) -> str:
        return (
            f"ObjectRecord(obj={self.obj!r}, kind={self.kind!r}, backend={self.backend!r}, "
            f"released={self.released!r}, serial={self.serial!r})"
        )


def standard_release(backend: str) -> Callable[[F], F]:
    """Mark an ``imsg_core_release`` implementation as *standard*: all it does is call
    ``rec.obj._imsg_release()`` for the records whose ``backend`` is ``backend``
    (:func:`imsg_core.tree.make_release_impl` is one).

    The session calls ``_imsg_release`` of every object it releases itself, so when it
    releases objects (closing a stream, a storage, a message with everything opened from
    it) it calls only the implementations *not* marked standard (same effect, no fan-out
    through every backend). Closing the session still calls every implementation, each on
    its own.
    """

    def mark(fn: F) -> F:
        fn._imsg_standard_release = backend  # type: ignore[attr-defined]
        return fn

    return mark


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
        self._closed_event = threading.Event()
        self._release_impls: list[Any] | None = None
        self._release_other: list[Any] = []
        # serial -> ident of the thread releasing it (claimed, not yet finished)
        self._inflight: dict[int, int] = {}
        self._released_cond = threading.Condition(self._lock)
        self._waiters = 0  # threads in _wait_released (notify only when there are some)

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
            if self._closed or self._closing:
                raise ObjectDeletedError("the message session is closed")
            parent_rec = None
            if parent is not None:
                parent_rec = self._records.get(id(parent))
                if parent_rec is not None and parent_rec.obj is not parent:
                    parent_rec = None
            rec = ObjectRecord(
                obj,
                kind,
                backend,
                parent_rec,
                on_release=None if on_release is None else [on_release],
            )
            if parent_rec is not None:
                if parent_rec._children is None:
                    parent_rec._children = {rec.serial: rec}
                else:
                    parent_rec._children[rec.serial] = rec
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
        me = threading.get_ident()
        with self._lock:
            if len(objs) == 1:  # the common case: one object, usually a leaf
                obj = objs[0]
                rec = self._records.get(id(obj))
                if rec is None or rec.obj is not obj:
                    return
                if rec.released:  # being released (maybe by a thread closing the session)
                    self._wait_released([rec], me)
                    return
                if not rec._children:
                    rec.released = True
                    self._inflight[rec.serial] = me
                    fast = rec
                else:
                    fast = None
                    records = self._claim(_subtree([rec]))
            else:
                fast = None
                roots = [r for o in objs if (r := self.record_of(o)) is not None]
                records = self._claim(_subtree(roots))
            others = self._nonstandard_release_impls()
        if fast is not None:
            # One leaf: implementations marked standard would only call ``_imsg_release``,
            # which ``_finish`` does; the others are called, each on its own.
            errors: list[Exception] = []
            for impl in others:
                try:
                    impl.function(session=self, objects=[fast])
                except Exception as exc:
                    exc.add_note(f"raised by the release hook of backend {impl.plugin_name!r}")
                    errors.append(exc)
            self._finish(fast, errors)
            if errors:
                raise ExceptionGroup(f"{len(errors)} failure(s) while releasing objects", errors)
            return
        try:
            self._release_records(records, others)
        finally:
            # Another thread (closing the session) may have claimed some of them: return
            # only once they are really released.
            self._wait_released(records if len(objs) == 1 else roots, me)

    def _claim(self, records: list[ObjectRecord]) -> list[ObjectRecord]:
        """The records not yet released, marked released and in flight for this thread
        (call under the session lock)."""
        me = threading.get_ident()
        out = [r for r in records if not r.released]
        for rec in out:
            rec.released = True
            self._inflight[rec.serial] = me
        return out

    def _wait_released(self, records: list[ObjectRecord], me: int) -> None:
        """Wait until no record of ``records`` is being released by another thread."""
        with self._released_cond:
            while any(self._inflight.get(r.serial, me) != me for r in records):
                self._waiters += 1
                try:
                    self._released_cond.wait()
                finally:
                    self._waiters -= 1

    def _nonstandard_release_impls(self) -> list[Any]:
        """The ``imsg_core_release`` implementations not marked with
        :func:`standard_release`, in call order (cached until the implementations change;
        call under the session lock)."""
        impls = self.pm.hook.imsg_core_release.get_hookimpls()
        if impls != self._release_impls:
            self._release_impls = impls
            self._release_other = [
                i
                for i in reversed(impls)
                if getattr(i.function, "_imsg_standard_release", None) is None
            ]
        return self._release_other

    def _release_records(
        self, records: list[ObjectRecord], impls: Sequence[Any] | None = None
    ) -> None:
        # ``records`` were claimed under the session lock (marked released, so nobody
        # releases them twice); the backends' hooks run *outside* it. A backend's objects
        # take their own locks and call ``register`` while holding them, so calling the
        # hooks under the session lock would invert that order and deadlock a thread
        # closing the session against one opening a stream of the same tree.
        # Deepest first, so children go before parents across every backend.
        errors: list[Exception] = []
        by_depth: dict[int, list[ObjectRecord]] = {}
        if len(records) == 1:
            by_depth[0] = records
        else:
            for rec in records:
                by_depth.setdefault(rec.depth, []).append(rec)
        # ``impls``: the implementations to call (closing the session: all of them;
        # releasing objects: those not marked standard, which would only call
        # ``_imsg_release``, as ``_finish`` does).
        for depth in sorted(by_depth, reverse=True):
            batch = sorted(by_depth[depth], key=lambda r: -r.serial)
            errors.extend(self.hooks.release(self, batch, impls))
            for rec in batch:
                self._finish(rec, errors)
        if errors:
            raise ExceptionGroup(f"{len(errors)} failure(s) while releasing objects", errors)

    def _finish(self, rec: ObjectRecord, errors: list[Exception]) -> None:
        """Release ``rec``'s object itself, unlink the record, run its callbacks; failures
        are appended to ``errors``."""
        try:  # whatever a backend did or failed to do, the object ends released
            rec.obj._imsg_release()
        except Exception as exc:
            exc.add_note(f"raised while releasing a {rec.kind} of backend {rec.backend!r}")
            errors.append(exc)
        with self._lock:  # the lock of _released_cond
            self._records.pop(id(rec.obj), None)
            parent = rec.parent
            if parent is not None and parent._children is not None:
                parent._children.pop(rec.serial, None)
            callbacks, rec._on_release = rec._on_release, None
            self._inflight.pop(rec.serial, None)
            if self._waiters:
                self._released_cond.notify_all()
        if callbacks:
            for cb in callbacks:
                try:
                    cb()
                except Exception as exc:
                    exc.add_note(f"raised by the release callback of a {rec.kind}")
                    errors.append(exc)

    def close(self) -> None:
        """``CloseIMsgSession``: release every open object; idempotent.

        Raises :class:`ExceptionGroup` with every release failure, after all objects were
        released and the session marked closed. From the moment ``close`` starts, opening
        or registering anything raises :class:`ObjectDeletedError`; other threads still
        using objects get ``ObjectDeletedError`` once their object is released.
        """
        with self._lock:
            if self._closed:
                return
            if self._closing:  # another thread is closing: wait until it is done
                wait = True
            else:
                wait = False
                self._closing = True
                records = self._claim(list(self._records.values()))
        if wait:
            self._closed_event.wait()
            return
        try:
            self._release_records(records)
        finally:
            with self._released_cond:
                self._records.clear()
                self._inflight.clear()
                self._closed = True
                self._closing = False
                self._released_cond.notify_all()
            self._closed_event.set()

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
        if rec._children:
            stack.extend(rec._children.values())
    return out


def _is_upath(obj: object) -> bool:
    return type(obj).__module__.startswith("upath")


def options_get(options: Mapping[str, Any], key: str, default: T) -> T:
    """Typed read of a backend option."""
    return cast("T", options.get(key, default))
