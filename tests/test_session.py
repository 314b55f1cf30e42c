"""The session registry: release fan-out, callbacks, thread safety, use after close."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from backends_for_tests import SchemeBackend

import imsg_core
from imsg_core.backend import BackendInfo
from imsg_core.backend import ObjectRecord
from imsg_core.backend import Registry
from imsg_core.backend import hookimpl
from imsg_core.errors import ObjectDeletedError


def test_close_releases_all_backends_even_when_one_raises() -> None:
    alpha, beta = SchemeBackend("alpha"), SchemeBackend("beta", fail_release=True)
    s = imsg_core.Session(plugins=[alpha, beta])
    fired: list[str] = []
    objects = []
    for loc in ("alpha://1", "beta://1", "mem://1", "alpha://2"):
        root = s.open_storage(loc, "w")
        sub = root.create_storage("child")
        stream = sub.create_stream("data")
        objects += [root, sub, stream]
        rec = s.record_of(root)
        assert rec is not None
        rec.on_release.append(lambda loc=loc: fired.append(loc))
    with pytest.raises(ExceptionGroup) as ei:
        s.close()
    assert len(ei.value.exceptions) == 3  # beta raised once per depth batch with its objects
    assert all("beta release exploded" in str(e) for e in ei.value.exceptions)
    assert all(obj.closed for obj in objects)
    assert sorted(fired) == ["alpha://1", "alpha://2", "beta://1", "mem://1"]
    assert len(alpha.released) == 6  # two roots, two subs, two streams
    assert s.open_objects() == []
    s.close()  # second close: no-op, no error, callbacks do not fire again
    assert len(fired) == 4


def test_children_are_released_before_parents() -> None:
    backend = SchemeBackend("order")
    with imsg_core.Session(plugins=[backend]) as s:
        root = s.open_storage("order://x", "w")
        a = root.create_storage("a")
        b = a.create_storage("b")
        leaf = b.create_stream("leaf")
    assert backend.released == [leaf, b, a, root]


def test_objects_used_after_close_raise_object_deleted() -> None:
    s = imsg_core.Session()
    root = s.open_storage("mem://x", "w")
    stream = root.create_stream("s")
    s.close()
    for call in (root.list, lambda: stream.write(b"x"), lambda: s.open_storage("mem://y", "w")):
        with pytest.raises(ObjectDeletedError) as ei:
            call()
        assert ei.value.hresult == imsg_core.SCODE.MAPI_E_OBJECT_DELETED
        assert "0x8004010A" in str(ei.value)


def test_eight_threads_open_write_close_then_session_close() -> None:
    s = imsg_core.Session()
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(20):
                root = s.open_storage(f"mem://t{n}-{i}", "w")
                with root.create_stream("data") as st:
                    st.write(bytes([n]) * 1000)
                root.commit()
                if i % 2:
                    root.close()  # half closed explicitly, half left for session close
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(s.open_objects()) == 8 * 10
    s.close()
    assert s.open_objects() == []


def test_release_callback_fires_once_on_explicit_close(session: imsg_core.Session) -> None:
    root = session.open_storage("mem://cb", "w")
    calls = []
    rec = session.record_of(root)
    assert rec is not None
    rec.on_release.append(lambda: calls.append(1))
    root.close()
    root.close()
    session.close()
    assert calls == [1]


class _Counted:
    """A backend whose objects count how often they are released."""

    def __init__(self, scheme: str, *, fail: bool = False) -> None:
        self.scheme = scheme
        self.fail = fail
        self.batches: list[list[str]] = []

    @hookimpl
    def imsg_core_open_storage(
        self, session: Registry, location: object, mode: str, options: object
    ) -> object:
        if not (isinstance(location, str) and location.startswith(self.scheme + "://")):
            return None
        return SchemeBackend(self.scheme).imsg_core_open_storage(session, location, mode, {})

    @hookimpl
    def imsg_core_describe_backend(self) -> BackendInfo:
        return BackendInfo(self.scheme, f"counting backend {self.scheme}", (self.scheme,))

    @hookimpl
    def imsg_core_release(self, session: Registry, objects: list[ObjectRecord]) -> None:
        self.batches.append([r.kind for r in objects])
        if self.fail:
            raise RuntimeError(f"{self.scheme} release exploded")


def _count_releases(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """Count ``_imsg_release`` calls per object, for every tree storage and stream."""
    from imsg_core.backend import TreeStorage
    from imsg_core.backend import TreeStream

    counts: dict[int, int] = {}
    for cls in (TreeStorage, TreeStream):
        original = cls._imsg_release

        def counting(self: object, original: Any = original) -> None:
            counts[id(self)] = counts.get(id(self), 0) + 1
            original(self)

        monkeypatch.setattr(cls, "_imsg_release", counting)
    return counts


def test_close_releases_each_object_exactly_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every backend's release hook runs (each on its own), and the session calls each
    object's ``_imsg_release`` exactly once, whatever the hooks do."""
    counts = _count_releases(monkeypatch)
    a, b = _Counted("alpha"), _Counted("beta")
    s = imsg_core.Session(plugins=[a, b])
    objects: list[object] = []
    for loc in ("alpha://1", "beta://1", "mem://1"):
        root = s.open_storage(loc, "w")
        sub = root.create_storage("c")
        objects += [root, sub, sub.create_stream("x"), root.create_stream("y")]
    msg = s.create("mem://message")
    msg.subject = "once"
    msg.save_changes()
    s.close()
    assert all(counts[id(o)] == 1 for o in objects), counts
    assert all(n == 1 for n in counts.values()), counts
    # every implementation saw every open record once, in batches deepest first
    assert a.batches == b.batches
    assert sum(len(batch) for batch in a.batches) == len(counts) + 1  # + the message
    assert a.batches[0] == ["stream"] * 3 and any("message" in b for b in a.batches)


def test_closing_one_object_calls_its_backends_hook_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a stream calls the release hook of the plugin that owns it (with its records
    only), not the others'; failures come back as one ExceptionGroup after the object is
    released; the session close then calls every implementation."""
    counts = _count_releases(monkeypatch)
    mine, other = _Counted("mine", fail=True), _Counted("other")
    s = imsg_core.Session(plugins=[mine, other])
    root = s.open_storage("mine://1", "w")
    stream = root.create_stream("s")
    with pytest.raises(ExceptionGroup) as ei:
        stream.close()
    assert [str(e) for e in ei.value.exceptions] == ["mine release exploded"]
    assert "release hook of plugin 'mine'" in ei.value.exceptions[0].__notes__[0]
    assert stream.closed and s.record_of(stream) is None and counts[id(stream)] == 1
    assert mine.batches == [["stream"]] and other.batches == []
    mem = s.open_storage("mem://2", "w")
    mem.create_stream("m").close()  # the memory backend's hook: nothing to do while open
    assert other.batches == [] and len(mine.batches) == 1
    with pytest.raises(ExceptionGroup):
        s.close()
    assert other.batches == [["storage", "storage"]]  # every record, every implementation
    assert mine.batches[1:] == [["storage", "storage"]]
    assert counts[id(root)] == 1 and counts[id(mem)] == 1


def test_closing_a_subtree_batches_deepest_first() -> None:
    owner = _Counted("deep")
    s = imsg_core.Session(plugins=[owner])
    root = s.open_storage("deep://1", "w")
    child = root.create_storage("c")
    streams = [child.create_stream("a"), child.create_stream("b")]
    root.close()
    assert root.closed and child.closed and all(st.closed for st in streams)
    assert s.open_objects() == []
    assert owner.batches == [["stream", "stream"], ["storage"], ["storage"]]
    s.close()
    assert owner.batches[3:] == [[]]  # closing with nothing open: each hook once, no records


def test_a_wrapper_release_implementation_wraps_every_call() -> None:
    """A ``wrapper=True`` implementation runs around each implementation's call (the hook
    goes through pluggy, not around it)."""
    seen: list[str] = []

    class Wrapper:
        @hookimpl(wrapper=True)
        def imsg_core_release(
            self, session: Registry, objects: list[ObjectRecord]
        ) -> Iterator[None]:
            seen.append(f"before {len(objects)}")
            result = yield
            seen.append("after")
            return result

    owner = _Counted("wrapped")
    s = imsg_core.Session(plugins=[owner, Wrapper()])
    root = s.open_storage("wrapped://1", "w")
    root.create_stream("x").close()
    assert seen == ["before 1", "after"] and owner.batches == [["stream"]]
    seen.clear()
    s.close()
    # one call per implementation (memory's and this backend's), each wrapped
    assert seen == ["before 1", "after", "before 1", "after"]


def test_hook_monitoring_sees_every_hook() -> None:
    """``add_hookcall_monitoring`` sees open, describe and release calls alike."""
    names: list[str] = []
    pm = imsg_core.get_plugin_manager(plugins=[_Counted("mon")])
    pm.add_hookcall_monitoring(lambda name, impls, kw: names.append(name), lambda *a: None)
    s = imsg_core.Session(plugin_manager=pm)
    s.backends()
    root = s.open_storage("mon://1", "w")
    root.create_stream("x").close()
    s.close()
    assert names[:2] == ["imsg_core_describe_backend", "imsg_core_open_storage"]
    assert names.count("imsg_core_release") >= 2
    assert set(names) == {
        "imsg_core_describe_backend",
        "imsg_core_open_storage",
        "imsg_core_release",
    }


def test_trace_plugins_prints_every_hook_call() -> None:
    """``IMSG_TRACE_PLUGINS=1`` prints each hook call and its result to stderr."""
    import os
    import subprocess
    import sys

    code = (
        "import imsg_core\n"
        "with imsg_core.Session() as s:\n"
        "    s.open_storage('mem://x', 'w').create_stream('s').close()\n"
    )

    def stderr_with(value: str) -> str:
        env = {**os.environ, "IMSG_TRACE_PLUGINS": value}
        args = [sys.executable, "-c", code]
        return subprocess.run(args, env=env, capture_output=True, text=True, check=True).stderr

    traced = stderr_with("1")
    lines = traced.splitlines()
    assert any(
        line.startswith("imsg trace: imsg_core_open_storage(") and "memory" in line
        for line in lines
    ), traced
    assert any("imsg_core_open_storage returned" in line for line in lines)
    assert any(line.startswith("imsg trace: imsg_core_release(") for line in lines)
    assert "imsg trace" not in stderr_with("0")


def test_destroying_an_open_child_while_the_session_closes_is_object_deleted() -> None:
    """A child is still open only because a close in another thread has not reached it:
    destroy/rename report the closing session, not STG_E_ACCESSDENIED."""
    from imsg_core.errors import STG
    from imsg_core.errors import StorageError

    s = imsg_core.Session()
    root = s.open_storage("mem://closing", "w")
    root.create_storage("kid")
    with pytest.raises(StorageError) as ei:
        root.destroy("kid")
    assert ei.value.hresult == STG.STG_E_ACCESSDENIED
    s._closing = True  # what close sets before it releases anything
    try:
        with pytest.raises(ObjectDeletedError):
            root.destroy("kid")
        with pytest.raises(ObjectDeletedError):
            root.rename("kid", "other")
    finally:
        s._closing = False
    s.close()
