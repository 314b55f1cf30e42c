"""Concurrency: threads sharing a session, many sessions on one file, closing under load.

* Many threads share one session: each reads a different message completely while one
  writer thread per message saves new versions of it; every read sees a consistent message
  (its subject, body and attachment all carry the same version number).
* Many sessions over the same file: readers in their own sessions open, walk and close the
  file in a loop while a writer session commits new versions; every reader sees exactly one
  version.
* Closing a session while other threads use it: the threads get
  :class:`~imsg_core.errors.ObjectDeletedError` (or another ``MAPIError``), never any other
  exception; afterwards every object raises ``ObjectDeletedError`` and the files on disk are
  intact (old or new version).

Threads report every exception they see; the test fails on any that is not a ``MAPIError``.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

import imsg_core
from fuzz import targets
from imsg_core.errors import MAPIError
from imsg_core.errors import ObjectDeletedError

N_FILES = 6


def _make(path: Path, version: int) -> None:
    with imsg_core.Session() as s:
        msg = s.create(str(path))
        _set_version(msg, version)
        msg.add_recipient("a@example.com", "A")
        msg.save_changes()
        msg.close()


def _set_version(msg: imsg_core.Message, version: int) -> None:
    msg.subject = f"v{version}"
    msg.body = f"body of v{version} " * (50 + version % 200)  # crosses the 4096 cutoff
    for n in msg.attachment_numbers():
        msg.delete_attach(n)
    msg.add_attachment("data.bin", f"v{version}|".encode() * 300)


def _version_of(msg: imsg_core.Message) -> int:
    """The version a message holds; fails if its parts disagree."""
    v = int((msg.subject or "v-1")[1:])
    assert msg.body == f"body of v{v} " * (50 + v % 200), "body from another version"
    atts = msg.attachments
    assert len(atts) == 1, f"{len(atts)} attachments"
    assert atts[0].data == f"v{v}|".encode() * 300, "attachment from another version"
    assert [r.email for r in msg.recipients] == ["a@example.com"]
    return v


class Recorder:
    """Collects what threads raised; :meth:`check` fails on anything but MAPIError."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bad: list[str] = []
        self.mapi: dict[str, int] = {}
        self.messages: dict[str, str] = {}
        self.ops = 0

    def run(self, fn: Callable[[], None]) -> Callable[[], None]:
        def wrapped() -> None:
            try:
                fn()
            except MAPIError as exc:
                with self.lock:
                    self.mapi[exc.name] = self.mapi.get(exc.name, 0) + 1
                    self.messages.setdefault(exc.name, traceback.format_exc())
            except BaseException:
                with self.lock:
                    self.bad.append(traceback.format_exc())

        return wrapped

    def check(self) -> None:
        assert not self.bad, "\n".join(self.bad[:3])


def _threads(fns: list[Callable[[], None]]) -> list[threading.Thread]:
    ts = [threading.Thread(target=f, daemon=True) for f in fns]
    for t in ts:
        t.start()
    return ts


def _join(ts: list[threading.Thread], timeout: float = 60) -> None:
    for t in ts:
        t.join(timeout)
        assert not t.is_alive(), "a thread hung"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for i in range(N_FILES):
        p = tmp_path / f"m{i}.msg"
        _make(p, 0)
        out.append(p)
    return out


def test_threads_share_one_session_readers_and_one_writer_per_message(files: list[Path]) -> None:
    rec = Recorder()
    stop = time.monotonic() + 4
    seen: dict[int, set[int]] = {i: set() for i in range(N_FILES)}
    written: dict[int, int] = {}

    with imsg_core.Session() as s:

        def reader(k: int) -> Callable[[], None]:
            def go() -> None:
                rng = random.Random(k)
                while time.monotonic() < stop:
                    i = rng.randrange(N_FILES)
                    try:
                        msg = s.open(str(files[i]))
                    except MAPIError as exc:
                        rec.run(lambda exc=exc: (_ for _ in ()).throw(exc))()
                        continue
                    try:
                        v = _version_of(msg)
                        with rec.lock:
                            seen[i].add(v)
                            rec.ops += 1
                    finally:
                        msg.close()

            return rec.run(go)

        def writer(i: int) -> Callable[[], None]:
            def go() -> None:
                msg = s.open(str(files[i]), "r+")
                v = 0
                try:
                    while time.monotonic() < stop:
                        v += 1
                        _set_version(msg, v)
                        msg.save_changes()
                        with rec.lock:
                            written[i] = v
                            rec.ops += 1
                finally:
                    msg.close()

            return rec.run(go)

        ts = _threads([reader(k) for k in range(6)] + [writer(i) for i in range(N_FILES)])
        _join(ts)
        assert not s.open_objects(), "objects left open"
    rec.check()
    assert not rec.mapi, rec.mapi  # nothing failed at all while the session was open
    for i in range(N_FILES):
        assert seen[i] <= set(range(written[i] + 1))
        with imsg_core.Session() as s2:
            msg = s2.open(str(files[i]))
            assert _version_of(msg) == written[i]
    assert sum(len(v) for v in seen.values()) > N_FILES  # readers saw several versions
    print(f"\nshared session: {rec.ops} operations, versions written {written}")


def test_many_sessions_over_the_same_file(files: list[Path]) -> None:
    rec = Recorder()
    path = files[0]
    stop = time.monotonic() + 3
    versions: list[int] = []

    def reader(k: int) -> Callable[[], None]:
        def go() -> None:
            while time.monotonic() < stop:
                with imsg_core.Session() as s:
                    msg = s.open(str(path))
                    time.sleep(random.random() * 0.005)  # a commit may land meanwhile
                    v = _version_of(msg)
                    with rec.lock:
                        versions.append(v)
                        rec.ops += 1

        return rec.run(go)

    def writer() -> None:
        with imsg_core.Session() as s:
            msg = s.open(str(path), "r+")
            v = 0
            while time.monotonic() < stop:
                v += 1
                _set_version(msg, v)
                msg.save_changes()

    ts = _threads([reader(k) for k in range(8)] + [rec.run(writer)])
    _join(ts)
    rec.check()
    assert not rec.mapi, rec.mapi
    assert len(set(versions)) > 3
    print(f"\nmany sessions: {rec.ops} reads of {len(set(versions))} versions")


@pytest.mark.parametrize("trial", range(12))
def test_closing_the_session_under_load_gives_clean_errors(files: list[Path], trial: int) -> None:
    rec = Recorder()
    rng = random.Random(trial)
    s = imsg_core.Session()
    opened: list[object] = []
    started = threading.Barrier(9)

    def user(k: int) -> Callable[[], None]:
        def go() -> None:
            i = k % N_FILES
            writable = k < 2
            msg = s.open(str(files[i]), "r+" if writable else "r")
            with rec.lock:
                opened.append(msg)
            started.wait()
            n = 0
            while True:  # until the session closes under us
                n += 1
                if writable:
                    _set_version(msg, n)
                    msg.save_changes()
                else:
                    targets._walk_msg(msg)
                    with msg.storage.open_stream("__properties_version1.0") as st:
                        st.read()
                    msg.open_attach(msg.attachment_numbers()[0]).open().read()

        return rec.run(go)

    ts = _threads([user(k) for k in range(8)])
    started.wait()
    time.sleep(rng.uniform(0, 0.2))
    try:
        s.close()
    except* MAPIError:
        pass
    _join(ts)
    rec.check()
    assert set(rec.mapi) <= {"MAPI_E_OBJECT_DELETED", "STG_E_REVERTED"}, rec.messages
    assert sum(rec.mapi.values()) == 8  # every thread stopped on a clean error
    assert s.closed and not s.open_objects()
    for obj in opened:
        with pytest.raises(ObjectDeletedError):
            obj.subject  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(ObjectDeletedError):
        s.open(str(files[0]))
    for p in files:  # whatever was being saved, each file holds one whole version
        with imsg_core.Session() as s2:
            _version_of(s2.open(str(p)))


@pytest.mark.parametrize("trial", range(20))
def test_close_does_not_deadlock_against_stream_creation_in_the_same_tree(
    tmp_path: Path, trial: int
) -> None:
    """Regression: ``Session.close`` used to call the backends' release hooks while holding
    the session lock, while a thread creating a stream holds the tree lock and then asks for
    the session lock in ``register`` — a lock-order inversion that hung both threads."""
    s = imsg_core.Session()
    root = s.open_storage(f"mem://deadlock-{trial}", "w")
    rec = Recorder()
    go = threading.Event()

    def churn(k: int) -> Callable[[], None]:
        def go_() -> None:
            go.wait()
            n = 0
            while True:
                n += 1
                root.write_stream(f"t{k}s{n % 50}", b"x" * 10)
                with root.open_stream(f"t{k}s{n % 50}") as f:
                    f.read()

        return go_

    ts = _threads([rec.run(churn(k)) for k in range(4)])
    go.set()
    time.sleep(random.Random(trial).uniform(0, 0.05))
    s.close()
    _join(ts, timeout=20)
    rec.check()
    assert set(rec.mapi) <= {"MAPI_E_OBJECT_DELETED", "STG_E_REVERTED"}, rec.messages
    assert sum(rec.mapi.values()) == 4


def test_release_waits_for_a_release_in_flight_on_another_thread(tmp_path: Path) -> None:
    """Regression for the fix above: closing an object that the closing session already
    claimed returns only once it is released (so ``delete_attach`` right after
    ``att.close()`` sees ``ObjectDeletedError``, not 'it is open')."""
    for trial in range(30):
        s = imsg_core.Session()
        root = s.open_storage(f"mem://inflight-{trial}", "w")
        subs = [root.create_storage(f"sub{i}") for i in range(30)]
        rec = Recorder()

        def user(subs: list[imsg_core.Storage] = subs) -> None:
            for sub in subs:
                sub.close()
                assert sub.closed

        ts = _threads([rec.run(s.close), rec.run(user)])
        _join(ts, timeout=20)
        rec.check()
