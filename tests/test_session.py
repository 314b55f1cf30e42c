"""The session registry: release fan-out, callbacks, thread safety, use after close."""

from __future__ import annotations

import threading

import pytest
from backends_for_tests import SchemeBackend

import imsg_core
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


def _release_recorders(calls: dict[str, list[int]]) -> list[object]:
    """Two release-hook plugins recording the batch sizes they get: one marked
    ``standard_release`` (``calls["marked"]``), one not (``calls["watch"]``)."""
    from imsg_core.hookspecs import hookimpl
    from imsg_core.session import standard_release

    class Marked:
        @hookimpl
        @standard_release("marked")
        def imsg_core_release(self, session: object, objects: list[object]) -> None:
            calls["marked"].append(len(objects))

    class Watcher:
        @hookimpl
        def imsg_core_release(self, session: object, objects: list[object]) -> None:
            calls["watch"].append(len(objects))

    return [Marked(), Watcher()]


def test_releasing_one_object_calls_only_unmarked_release_hooks() -> None:
    """Closing one stream skips the hooks marked ``standard_release`` (they would only call
    ``_imsg_release``, which the session does) but still calls every other hook, each on
    its own, with failures raised together; close calls every hook for every object."""
    from imsg_core.core_plugin import imsg_core_release as core_release
    from imsg_core.hookspecs import hookimpl

    assert getattr(core_release, "_imsg_standard_release", None) == "core"
    calls: dict[str, list[int]] = {"marked": [], "watch": [], "boom": []}

    class Boom:
        @hookimpl
        def imsg_core_release(self, session: object, objects: list[object]) -> None:
            calls["boom"].append(len(objects))
            raise RuntimeError("boom release exploded")

    s = imsg_core.Session(plugins=[*_release_recorders(calls), Boom()])
    root = s.open_storage("mem://one", "w")
    stream = root.create_stream("s")
    with pytest.raises(ExceptionGroup) as ei:
        stream.close()
    assert [str(e) for e in ei.value.exceptions] == ["boom release exploded"]
    assert stream.closed and s.record_of(stream) is None
    assert calls == {"marked": [], "watch": [1], "boom": [1]}
    with pytest.raises(ExceptionGroup):
        s.close()  # the root: every hook is called
    assert calls == {"marked": [1], "watch": [1, 1], "boom": [1, 1]}


def test_releasing_a_subtree_calls_only_unmarked_release_hooks() -> None:
    """Closing a storage with open children skips the marked hooks too, deepest batch
    first; every object still ends released."""
    calls: dict[str, list[int]] = {"marked": [], "watch": []}
    s = imsg_core.Session(plugins=_release_recorders(calls))
    root = s.open_storage("mem://subtree", "w")
    child = root.create_storage("c")
    streams = [child.create_stream("a"), child.create_stream("b")]
    root.close()
    assert root.closed and child.closed and all(st.closed for st in streams)
    assert s.open_objects() == []
    assert calls == {"marked": [], "watch": [2, 1, 1]}  # streams, then child, then root
    s.close()
    assert calls == {"marked": [], "watch": [2, 1, 1]}  # nothing left to release
    assert root.closed


def test_destroying_an_open_child_while_the_session_closes_is_object_deleted() -> None:
    """A child is still open only because a close in another thread has not reached it:
    destroy/rename report the closing session, not STG_E_ACCESSDENIED."""
    from imsg_core.errors import STG, StorageError

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
