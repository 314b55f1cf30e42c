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
