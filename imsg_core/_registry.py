"""The object registry a message session is built on.

:class:`Registry` records every object opened through a session — storages, streams,
sub-storages, messages, attachments, embedded messages — each as a child of the object it
was opened from, and releases them, children before parents. Releasing goes through the
``imsg_core_release`` hook: each implementation is called on its own through pluggy (so
hook wrappers and ``add_hookcall_monitoring`` see every call), failures are collected and
raised together as one :class:`ExceptionGroup` after every object was released, and then
the registry itself releases each object exactly once (its ``_imsg_release``).

Which implementations are called:

* releasing objects while the session is open (``stream.close()``, ``storage.close()``,
  ``message.close()``): the implementation of the plugin registered under each released
  record's ``backend`` name, with that backend's records only (a backend that implements
  no release hook costs nothing per close);
* closing the session: every implementation, with every record, in batches deepest first.

This module sits below the plugin manager and the message layer: the hook specifications
type their ``session`` argument as :class:`Registry`, and :class:`imsg_core.Session` (which
opens storages and messages) is a subclass of it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any
from typing import Generic
from typing import Protocol
from typing import TypeVar
from typing import cast
from typing import runtime_checkable

import pluggy

from .errors import ObjectDeletedError

__all__ = ["ObjectRecord", "Registry", "Releasable", "Stash", "StashKey"]

T = TypeVar("T")
_ids = itertools.count(1)
_RELEASE_HOOK = "imsg_core_release"


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

    def pop(self, key: StashKey[T], default: T | None = None) -> T | None:
        """Remove ``key`` and return its value (``default`` if absent)."""
        return cast("T | None", self._data.pop(key, default))

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


class ReleaseCallers:
    """The ``imsg_core_release`` implementations of one plugin manager, each callable on
    its own through pluggy.

    For every plugin with a plain (non-wrapper) release implementation this holds a
    :meth:`pluggy.PluginManager.subset_hook_caller` that leaves out every *other* plain
    implementation: calling it runs that plugin's implementation inside every wrapper
    implementation, and goes through the manager's hook execution, so monitoring and
    tracing see it. The callers are rebuilt when the set of implementations changes
    (a plugin registered or unregistered).
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm
        self._impls: list[Any] | None = None
        self._ordered: list[tuple[str, Callable[..., Any]]] = []
        self._by_name: dict[str, Callable[..., Any]] = {}

    def _refresh(self) -> None:
        impls = self._pm.hook.imsg_core_release.get_hookimpls()  # (a copy: cheap, 1-5 items)
        if impls == self._impls:
            return
        plain = [i for i in impls if not (i.wrapper or i.hookwrapper)]
        ordered: list[tuple[str, Callable[..., Any]]] = []
        by_name: dict[str, Callable[..., Any]] = {}
        for impl in reversed(plain):  # pluggy's call order: last registered first
            others = [i.plugin for i in plain if i is not impl]
            caller = self._pm.subset_hook_caller(_RELEASE_HOOK, others)
            ordered.append((impl.plugin_name, caller))
            by_name.setdefault(impl.plugin_name, caller)
            for name in self._backend_names(impl.plugin):
                by_name.setdefault(name, caller)
        self._ordered = ordered
        self._by_name = by_name
        self._impls = impls

    def _backend_names(self, plugin: object) -> list[str]:
        """The backend names ``plugin`` describes itself with (``imsg_core_describe_backend``,
        asked through pluggy of that plugin alone): the names its records carry."""
        describe = self._pm.hook.imsg_core_describe_backend
        if not any(i.plugin is plugin for i in describe.get_hookimpls()):
            return []
        others = [i.plugin for i in describe.get_hookimpls() if i.plugin is not plugin]
        try:
            infos = self._pm.subset_hook_caller("imsg_core_describe_backend", others)()
        except Exception:  # a plugin that cannot describe itself is reached by its name only
            return []
        return [info.name for info in infos if info is not None]

    def everyone(self) -> list[tuple[str, Callable[..., Any]]]:
        """``(plugin name, caller)`` for every implementation, in call order."""
        self._refresh()
        return self._ordered

    def of(self, backend: str) -> Callable[..., Any] | None:
        """The caller of the plugin that owns records of ``backend``: the plugin registered
        under that name or describing itself with it (``BackendInfo.name``); ``None`` when
        that plugin implements no release hook (or there is none: the message layer's
        ``"core"``)."""
        self._refresh()
        return self._by_name.get(backend)


def call_release(
    name: str,
    caller: Callable[..., Any],
    registry: Registry,
    batch: Sequence[ObjectRecord],
    errors: list[Exception],
) -> None:
    """Call one plugin's release implementation; a failure is noted and appended to
    ``errors`` (every implementation runs, whatever another does)."""
    try:
        caller(session=registry, objects=batch)
    except Exception as exc:
        exc.add_note(f"raised by the release hook of plugin {name!r}")
        errors.append(exc)


class Registry:
    """Every object opened through one session, and their release.

    :param pm: the plugin manager whose ``imsg_core_release`` implementations are called.
    :param flags: ``ulFlags`` of ``OpenIMsgSession`` (kept for the MAPI layer).

    Thread-safe: registration, release and close may happen from any thread. A backend's
    release implementation runs outside the registry's lock.
    """

    def __init__(self, pm: pluggy.PluginManager, *, flags: int = 0) -> None:
        self.pm = pm
        self.flags = flags
        self.stash = Stash()
        self._releasers = ReleaseCallers(pm)
        self._lock = threading.RLock()
        self._records: dict[int, ObjectRecord] = {}  # id(obj) -> record
        self._closed = False
        self._closing = False
        self._closed_event = threading.Event()
        # serial -> ident of the thread releasing it (claimed, not yet finished)
        self._inflight: dict[int, int] = {}
        self._released_cond = threading.Condition(self._lock)
        self._waiters = 0  # threads in _wait_released (notify only when there are some)

    # -- registry ------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        """True once :meth:`close` finished."""
        return self._closed

    @property
    def closing(self) -> bool:
        """True while :meth:`close` is releasing the objects (and nothing new may open)."""
        return self._closing

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
        registered earlier, or ``None``). ``backend`` names the plugin whose release hook
        frees its backend-level resources (``"core"`` for the message layer's objects).
        ``on_release`` runs exactly once when it is released. Raises
        :class:`ObjectDeletedError` on a closed session."""
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
        """Release these objects and everything opened from them, deepest first.

        The release implementation of each released record's backend is called (with that
        backend's records), then every object is released exactly once. Raises
        :class:`ExceptionGroup` of the failures, after releasing everything.
        """
        me = threading.get_ident()
        with self._lock:
            roots = []
            for obj in objs:
                rec = self._records.get(id(obj))
                if rec is not None and rec.obj is obj:
                    roots.append(rec)
            if not roots:
                return
            if len(roots) == 1 and not roots[0]._children and not roots[0].released:
                # The common case (a stream or a storage closed with nothing open below
                # it): claimed here, released by this thread, nobody to wait for.
                leaf = roots[0]
                leaf.released = True
                self._inflight[leaf.serial] = me
            else:
                leaf = None
                many = len(roots) > 1 or roots[0]._children
                records = self._claim(_subtree(roots) if many else roots)
        if leaf is not None:
            self._release_records([leaf], everyone=False)
            return
        try:
            if records:
                self._release_records(records, everyone=False)
        finally:
            # Another thread (closing the session) may have claimed some of them: return
            # only once they are really released.
            self._wait_released(roots, me)

    def _claim(self, records: list[ObjectRecord]) -> list[ObjectRecord]:
        """The records not yet released, marked released and in flight for this thread
        (call under the lock)."""
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

    def _release_records(self, records: list[ObjectRecord], *, everyone: bool) -> None:
        # ``records`` were claimed under the lock (marked released, so nobody releases
        # them twice); the backends' hooks run *outside* it. A backend's objects take their
        # own locks and call ``register`` while holding them, so calling the hooks under
        # the registry lock would invert that order and deadlock a thread closing the
        # session against one opening a stream of the same tree.
        # Deepest first, so children go before parents across every backend.
        errors: list[Exception] = []
        if len(records) <= 1:
            # Closing a session with nothing open still calls every implementation once,
            # with no records, so a backend can free its per-session state.
            batches = [records]
        else:
            by_depth: dict[int, list[ObjectRecord]] = {}
            for rec in records:
                by_depth.setdefault(rec.depth, []).append(rec)
            batches = [
                sorted(by_depth[d], key=lambda r: -r.serial) for d in sorted(by_depth, reverse=True)
            ]
        releasers = self._releasers
        for batch in batches:
            if everyone:
                for name, caller in releasers.everyone():
                    call_release(name, caller, self, batch, errors)
            elif len(batch) == 1:  # the common case: one stream or storage closed
                backend = batch[0].backend
                owner = releasers.of(backend)
                if owner is not None:
                    call_release(backend, owner, self, batch, errors)
            else:
                for backend in sorted({rec.backend for rec in batch}):
                    owner = releasers.of(backend)
                    if owner is not None:
                        mine = [r for r in batch if r.backend == backend]
                        call_release(backend, owner, self, mine, errors)
            for rec in batch:
                self._finish(rec, errors)
        if errors:
            raise ExceptionGroup(f"{len(errors)} failure(s) while releasing objects", errors)

    def _finish(self, rec: ObjectRecord, errors: list[Exception]) -> None:
        """Release ``rec``'s object itself (once), unlink the record, run its callbacks;
        failures are appended to ``errors``."""
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

        Every ``imsg_core_release`` implementation is called for every batch of records,
        deepest first, each on its own; then each object is released once. Raises
        :class:`ExceptionGroup` with every failure, after all objects were released and the
        session marked closed. From the moment ``close`` starts, opening or registering
        anything raises :class:`ObjectDeletedError`; other threads still using objects get
        ``ObjectDeletedError`` once their object is released.
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
            self._release_records(records, everyone=True)
        finally:
            with self._released_cond:
                self._records.clear()
                self._inflight.clear()
                self._closed = True
                self._closing = False
                self._released_cond.notify_all()
            self._closed_event.set()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
