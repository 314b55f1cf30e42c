"""The OLE compound-file backend through a Session: the contract suites, locations (paths,
file:// URLs, PathLike, bytes, file objects), modify/commit/revert, atomic commits under
injected failures, and a SIGKILL harness."""

from __future__ import annotations

import errno
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CORPUS
from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import FileSource
from imsg_backends.ole import STATE
from imsg_backends.ole import medium as medium_mod

import imsg_core
from imsg_core.errors import STG
from imsg_core.errors import StorageError
from imsg_core.testing import ReadableContract
from imsg_core.testing import ReleaseContract
from imsg_core.testing import TransactedContract
from imsg_core.testing import WritableContract

olefile = pytest.importorskip("olefile")


class OleFixtures:
    backend_name = "ole"

    def new_location(self, tmp_path: Path) -> str:
        return str(tmp_path / "contract.msg")


class TestOleReadable(OleFixtures, ReadableContract):
    pass


class TestOleWritable(OleFixtures, WritableContract):
    pass


class TestOleTransacted(OleFixtures, TransactedContract):
    pass


class TestOleRelease(OleFixtures, ReleaseContract):
    pass


class TestOleFileUrlReadable(ReadableContract):
    backend_name = "ole"

    def new_location(self, tmp_path: Path) -> str:
        return (tmp_path / "url name.msg").as_uri()


def _sample(tmp_path: Path, name: str = "m.msg") -> Path:
    src = CORPUS / "files" / "poi" / "simple_test_msg.msg"
    if not src.is_file():
        pytest.skip("../shared/corpus is absent")
    dst = tmp_path / name
    shutil.copyfile(src, dst)
    return dst


def _snapshot(path: Path) -> dict[str, bytes]:
    reader = CFBReader(FileSource(str(path)), owns_source=True)
    try:
        return {p: reader.read_stream(p) for p, _ in reader.iter_streams()}
    finally:
        reader.close()


# ------------------------------------------------------------------------- locations
def test_pathlike_and_backend_name(tmp_path: Path, session: imsg_core.Session) -> None:
    path = _sample(tmp_path)
    with session.open_storage(path) as st:
        assert st.backend == "ole"
        assert st.exists("__properties_version1.0")


def test_missing_file_modes(tmp_path: Path, session: imsg_core.Session) -> None:
    for mode in ("r", "r+"):
        with pytest.raises(StorageError) as ei:
            session.open_storage(str(tmp_path / "missing.msg"), mode)
        assert ei.value.hresult == STG.STG_E_FILENOTFOUND
    with pytest.raises(StorageError) as ei:
        session.open_storage(str(tmp_path / "no-dir" / "x.msg"), "w")
    assert ei.value.hresult == STG.STG_E_PATHNOTFOUND


def test_not_a_compound_file_names_the_file(tmp_path: Path, session: imsg_core.Session) -> None:
    path = tmp_path / "text.msg"
    path.write_bytes(b"From: someone\r\n" * 100)
    with pytest.raises(StorageError) as ei:
        session.open_storage(str(path))
    assert ei.value.hresult == STG.STG_E_INVALIDHEADER
    assert str(path) in str(ei.value)


def test_bytes_are_read_only(tmp_path: Path, session: imsg_core.Session) -> None:
    data = _sample(tmp_path).read_bytes()
    with session.open_storage(data) as st:
        assert st.backend == "ole"
        assert st.read_stream("__properties_version1.0")
    with pytest.raises(StorageError) as ei:
        session.open_storage(memoryview(data), "r+")
    assert ei.value.hresult == STG.STG_E_ACCESSDENIED


def test_file_object_read_and_write_back(tmp_path: Path, session: imsg_core.Session) -> None:
    data = _sample(tmp_path).read_bytes()
    buf = io.BytesIO(data)
    with session.open_storage(buf, "r+") as st:
        before = st.read_stream("__properties_version1.0")
        st.write_stream("added", b"new data" * 700)
        st.commit()
        assert st.read_stream("__properties_version1.0") == before
    again = buf.getvalue()
    assert again != data
    ole = olefile.OleFileIO(again, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("added").read() == b"new data" * 700
    with session.open_storage(io.BytesIO(again)) as st:
        assert st.read_stream("added") == b"new data" * 700


def test_new_file_object_in_w_mode(session: imsg_core.Session) -> None:
    buf = io.BytesIO()
    with session.open_storage(buf, "w") as st:
        st.write_stream("x", b"1")
        st.commit()
    assert _read_bytes_stream(buf.getvalue(), "x") == b"1"


def _read_bytes_stream(data: bytes, name: str) -> bytes:
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    return bytes(ole.openstream(name).read())


def test_other_schemes_are_not_claimed(session: imsg_core.Session) -> None:
    from imsg_backends import ole

    assert ole.imsg_core_open_storage(session, "s3://bucket/x.msg", "r", {}) is None
    assert ole.imsg_core_open_storage(session, 42, "r", {}) is None


# ------------------------------------------------------------------ modify / commit
def test_modify_commit_revert_and_reopen(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    original = _snapshot(path)
    with imsg_core.Session() as s:
        st = s.open_storage(path, "r+")
        st.write_stream("temp", b"t")
        st.revert()
        assert not st.exists("temp")
        st.write_stream("kept", b"k" * 5000)
        st.rename("__substg1.0_0037001E", "renamed")
        with st.create_storage("child") as child:
            child.write_stream("inner", b"i" * 100)
            child.commit()
        with st.open_stream("__properties_version1.0", "r+") as f:
            f.truncate(8)
        assert _snapshot(path) == original  # nothing reaches the file before commit
        st.commit()
        st.write_stream("after", b"a")  # still usable after commit (lazy data re-pointed)
        assert st.read_stream("kept") == b"k" * 5000
        st.commit()
    got = _snapshot(path)
    assert got["kept"] == b"k" * 5000 and got["child/inner"] == b"i" * 100
    assert got["renamed"] == original["__substg1.0_0037001E"]
    assert got["__properties_version1.0"] == original["__properties_version1.0"][:8]
    assert "__substg1.0_0037001E" not in got and got["after"] == b"a"
    for key, value in original.items():
        if key not in ("__substg1.0_0037001E", "__properties_version1.0"):
            assert got[key] == value
    ole = olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("renamed").read() == original["__substg1.0_0037001E"]
    ole.close()


def test_commit_keeps_version_4(tmp_path: Path) -> None:
    src = CORPUS / "files" / "pstar" / "1.msg"
    if not src.is_file():
        pytest.skip("../shared/corpus is absent")
    path = tmp_path / "v4.msg"
    shutil.copyfile(src, path)
    with imsg_core.Session() as s, s.open_storage(path, "r+") as st:
        st.write_stream("x", b"x")
        st.commit()
    assert CFBReader(FileSource(str(path)), owns_source=True).sector_size == 4096


def test_exclusive_create(tmp_path: Path, session: imsg_core.Session) -> None:
    path = tmp_path / "x.msg"
    with session.open_storage(str(path), "x") as st:
        path.write_bytes(b"someone else")
        st.write_stream("a", b"1")
        with pytest.raises(StorageError) as ei:
            st.commit()
        assert ei.value.hresult == STG.STG_E_FILEALREADYEXISTS
    assert path.read_bytes() == b"someone else"
    assert [p.name for p in tmp_path.iterdir()] == ["x.msg"]


def test_only_if_current(tmp_path: Path, session: imsg_core.Session) -> None:
    path = _sample(tmp_path)
    with session.open_storage(path, "r+") as st:
        st.write_stream("a", b"1")
        st.commit(2)  # STGC_ONLYIFCURRENT: nothing changed underneath
        os.utime(path, ns=(1, 1))
        st.write_stream("b", b"2")
        with pytest.raises(StorageError) as ei:
            st.commit(2)
        assert ei.value.hresult == STG.STG_E_NOTCURRENT


def test_session_close_releases_the_file(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    s = imsg_core.Session()
    st = s.open_storage(path, "r+")
    st.write_stream("a", b"1")
    st.commit()
    medium = st.medium  # type: ignore[attr-defined]
    s.close()
    reader = medium.reader
    assert reader is not None and reader.source.closed


# ------------------------------------------------------------------ atomic commits
def _failing_writer(errno_value: int | None, after: int = 3000):  # type: ignore[no-untyped-def]
    real = medium_mod.write_cfb

    def write(root, out, *, version=None):  # type: ignore[no-untyped-def]
        class Limited:
            def __init__(self) -> None:
                self.n = 0

            def write(self, data):  # type: ignore[no-untyped-def]
                self.n += len(data)
                if self.n > after:
                    if errno_value is None:
                        raise RuntimeError("injected failure")
                    raise OSError(errno_value, os.strerror(errno_value))
                return out.write(data)

        return real(root, Limited(), version=version)

    return write


@pytest.mark.parametrize(
    ("injected", "code"),
    [
        (errno.ENOSPC, STG.STG_E_MEDIUMFULL),
        (errno.EACCES, STG.STG_E_ACCESSDENIED),
        (errno.EIO, STG.STG_E_WRITEFAULT),
        (None, STG.STG_E_WRITEFAULT),
    ],
)
def test_failed_commit_leaves_the_original_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, injected: int | None, code: STG
) -> None:
    path = _sample(tmp_path)
    before = path.read_bytes()
    with imsg_core.Session() as s, s.open_storage(path, "r+") as st:
        st.write_stream("big", b"z" * 100_000)
        monkeypatch.setattr(medium_mod, "write_cfb", _failing_writer(injected))
        with pytest.raises(StorageError) as ei:
            st.commit()
        assert ei.value.hresult == code
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["m.msg"]  # no temp left
        monkeypatch.undo()
        st.commit()  # the storage is still usable; a retry succeeds
    assert _snapshot(path)["big"] == b"z" * 100_000


@pytest.mark.parametrize("step", ["fsync", "replace", "open"])
def test_failures_around_the_rename_leave_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = _sample(tmp_path)
    before = path.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "injected")

    with imsg_core.Session() as s, s.open_storage(path, "r+") as st:
        st.write_stream("a", b"a")
        monkeypatch.setattr(medium_mod.os, step, boom)
        with pytest.raises(StorageError) as ei:
            st.commit()
        monkeypatch.undo()
        assert ei.value.hresult == STG.STG_E_ACCESSDENIED
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.msg"]


def test_corrupt_source_stream_fails_commit_cleanly(tmp_path: Path) -> None:
    src = CORPUS / "files" / "poi" / "unknown_properties.msg"
    if not src.is_file():
        pytest.skip("../shared/corpus is absent")
    path = tmp_path / "m.msg"
    shutil.copyfile(src, path)
    before = path.read_bytes()
    with imsg_core.Session() as s, s.open_storage(path, "r+") as st:
        st.write_stream("a", b"a")
        with pytest.raises(StorageError) as ei:
            st.commit()
        assert ei.value.hresult == STG.STG_E_DOCFILECORRUPT
        assert "__substg1.0_0040001F" in str(ei.value)
    assert path.read_bytes() == before


# ------------------------------------------------------------------ SIGKILL harness
_CHILD = textwrap.dedent(
    """
    import sys
    import imsg_core

    path = sys.argv[1]
    with imsg_core.Session() as s:
        st = s.open_storage(path, "r+")
        i = int(st.read_stream("counter"))
        while True:
            i += 1
            st.write_stream("counter", str(i).encode())
            st.write_stream("payload", (str(i).encode() + b"|") * (3000 + 37 * (i % 50)))
            st.write_stream("small", str(i).encode() * 3)
            st.commit()
            print(i, flush=True)
    """
)


def _consistent_version(path: Path) -> int:
    snap = _snapshot(path)
    i = int(snap["counter"])
    assert snap["payload"] == (str(i).encode() + b"|") * (3000 + 37 * (i % 50))
    assert snap["small"] == str(i).encode() * 3
    ole = olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_INCORRECT)
    assert int(ole.openstream("counter").read()) == i
    ole.close()
    return i


def _kill_loop(tmp_path: Path, kills: int) -> None:
    path = tmp_path / "k.msg"
    with imsg_core.Session() as s, s.open_storage(str(path), "w") as st:
        st.write_stream("counter", b"0")
        st.write_stream("payload", b"0|" * 3000)
        st.write_stream("small", b"000")
        st.commit()
    rng = random.Random(1234)
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    last = 0
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # at least one commit happened
        assert first.strip()
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        out = first + proc.stdout.read()
        proc.wait()
        printed = [int(x) for x in out.split()]
        now = _consistent_version(path)
        # Old or new: the last acknowledged commit or the one in flight after it.
        assert printed[-1] <= now <= printed[-1] + 1
        assert now >= last
        last = now
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= kills  # temp files of killed commits; the target is intact


def test_sigkill_during_commits_leaves_old_or_new(tmp_path: Path) -> None:
    _kill_loop(tmp_path, 30)


@pytest.mark.slow
def test_sigkill_many_times(tmp_path: Path) -> None:
    _kill_loop(tmp_path, 200)


# ------------------------------------------------------------------ memory, threads, close
def test_large_stream_is_never_held_whole(tmp_path: Path) -> None:
    import tracemalloc

    size = 48 << 20
    chunk = bytes(range(256)) * 4096
    path = tmp_path / "big.msg"
    tracemalloc.start()
    try:
        with imsg_core.Session() as s:
            with s.open_storage(str(path), "w") as st:
                with st.create_stream("big") as f:
                    for _ in range(size // len(chunk)):
                        f.write(chunk)
                st.commit()
            with s.open_storage(str(path)) as st, st.open_stream("big") as f:
                total = 0
                while block := f.read(1 << 20):
                    assert block[:4] == chunk[:4]
                    total += len(block)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    assert peak < 24 << 20, peak  # spool buffer + FAT + chunks; a whole copy would be 48 MiB


def test_concurrent_reads_share_one_checked_chain(tmp_path: Path) -> None:
    import threading

    path = _sample(tmp_path)
    expected = _snapshot(path)
    reader = CFBReader(FileSource(str(path)), owns_source=True)
    nodes = list(reader.iter_streams())
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for p, node in nodes:
                assert node.data.read_at(0, node.size) == expected[p]
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    reader.close()
    node = next(n for _, n in nodes if n.size)
    with pytest.raises(StorageError) as ei:
        node.data.read_at(0, node.size)
    assert ei.value.hresult == STG.STG_E_REVERTED


def test_commit_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = _sample(tmp_path, "real.msg")
    link = tmp_path / "link.msg"
    link.symlink_to(real)
    with imsg_core.Session() as s, s.open_storage(str(link), "r+") as st:
        st.write_stream("via-link", b"1")
        st.commit()
    assert link.is_symlink()
    assert _snapshot(real)["via-link"] == b"1"


@pytest.mark.parametrize("change", ["stream-write", "new-stream", "child-commit", "destroy"])
def test_a_change_after_a_commit_then_revert(tmp_path: Path, change: str) -> None:
    """The committed tree is shared with the working one until the next change (the OLE
    medium writes it out and keeps nothing): each kind of change after a commit is
    discarded by a revert, and the file holds the committed state."""
    path = tmp_path / "m.cfb"
    with imsg_core.Session() as s, s.create_storage(str(path)) as root:
        root.write_stream("a", b"committed")
        child = root.create_storage("c")
        child.write_stream("x", b"child 1")
        child.commit()
        open_stream = root.open_stream("a", "r+")
        root.commit()
        on_disk = path.read_bytes()
        if change == "stream-write":
            open_stream.write(b"CHANGED")
            assert root.read_stream("a") == b"CHANGEDed"
        elif change == "new-stream":
            root.write_stream("new", b"later")
        elif change == "child-commit":
            child.write_stream("x", b"child 2")
            child.commit()
        else:
            open_stream.close()
            root.destroy("a")
        root.revert()
        assert sorted(e.name for e in root.list()) == ["a", "c"]
        assert root.read_stream("a") == b"committed"
        with root.open_storage("c") as again:
            assert again.read_stream("x") == b"child 1"
        assert path.read_bytes() == on_disk
        root.write_stream("b", b"2")  # and the tree is still changeable and committable
        root.commit()
    assert _snapshot(path) == {"a": b"committed", "c/x": b"child 1", "b": b"2"}


def test_commit_retries_a_temporary_name_already_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Temporary names come from a per-process sequence; a name another process holds
    (its sequence met ours) is left alone and the commit takes a random one instead."""
    import itertools

    monkeypatch.setattr(STATE, "temp_tags", itertools.count(0xABC))
    taken = tmp_path / ".m.msg.000000000abc.tmp"
    taken.write_bytes(b"someone else's")
    with imsg_core.Session() as s, s.create_storage(str(tmp_path / "m.msg")) as st:
        st.write_stream("a", b"1")
        st.commit()
    assert taken.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name, "m.msg"]
    assert _snapshot(tmp_path / "m.msg")["a"] == b"1"


def test_create_through_a_dangling_symlink(tmp_path: Path) -> None:
    """A link to a file not yet there: "w" creates the target and keeps the link; "x"
    refuses (something is at the name); a plain new name gets a plain file."""
    link = tmp_path / "link.msg"
    link.symlink_to(tmp_path / "target.msg")
    with imsg_core.Session() as s:
        with pytest.raises(StorageError) as ei:
            s.create_storage(str(link), overwrite=False)
        assert ei.value.hresult == STG.STG_E_FILEALREADYEXISTS
        with s.create_storage(str(link)) as st:
            st.write_stream("made", b"1")
            st.commit()
        with s.create_storage(str(tmp_path / "plain.msg"), overwrite=False) as st:
            st.commit()
    assert link.is_symlink()
    assert _snapshot(tmp_path / "target.msg")["made"] == b"1"
    assert not (tmp_path / "plain.msg").is_symlink()
    assert (tmp_path / "plain.msg").stat().st_size > 0


@pytest.mark.skipif(
    not (medium_mod._HAS_PROC_FD and hasattr(os, "O_TMPFILE")), reason="no O_TMPFILE here"
)
def test_new_file_is_written_unnamed_then_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new file is written without a name and linked to it (no temporary name, no
    rename); later commits of the same file write aside and rename as before."""
    monkeypatch.setattr(STATE, "anon_refused", set())
    real_create_temp = STATE.create_temp
    named: list[str] = []

    def create_temp(directory: str, base: str, path: str) -> tuple[str, int]:
        named.append(base)
        return real_create_temp(directory, base, path)

    monkeypatch.setattr(STATE, "create_temp", create_temp)
    path = tmp_path / "new.msg"
    with imsg_core.Session() as s, s.create_storage(str(path), durable=True) as st:
        st.write_stream("a", b"1")
        st.commit()
        assert named == [] and sorted(p.name for p in tmp_path.iterdir()) == ["new.msg"]
        assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
        st.write_stream("b", b"2")
        st.commit()
        assert named == ["new.msg"]
    assert _snapshot(path) == {"a": b"1", "b": b"2"}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("mode", ["w", "x"])
def test_new_file_whose_name_is_taken_meanwhile(tmp_path: Path, mode: str) -> None:
    """Somebody creates the file between open and commit: "w" replaces it (written aside
    after the link failed), "x" refuses and leaves it alone."""
    path = tmp_path / "m.msg"
    with imsg_core.Session() as s, s.open_storage(str(path), mode) as st:
        st.write_stream("ours", b"1")
        path.write_bytes(b"someone else")
        if mode == "x":
            with pytest.raises(StorageError) as ei:
                st.commit()
            assert ei.value.hresult == STG.STG_E_FILEALREADYEXISTS
        else:
            st.commit()
    if mode == "x":
        assert path.read_bytes() == b"someone else"
    else:
        assert _snapshot(path) == {"ours": b"1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.msg"]


@pytest.mark.parametrize("err", [errno.ENOENT, errno.EXDEV])
def test_unnamed_file_that_cannot_be_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int
) -> None:
    """Where linking through /proc/self/fd fails (a sandbox without it: ENOENT, or a
    file system refusing: EXDEV) the new file is written aside and renamed instead, and
    the directory is not tried that way again."""
    monkeypatch.setattr(STATE, "anon_refused", set())
    real_link = os.link
    tried: list[str] = []

    def link(src: str, dst: str, **kwargs: object) -> None:
        if src.startswith("/proc/self/fd/"):
            tried.append(dst)
            raise OSError(err, os.strerror(err))
        real_link(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(medium_mod.os, "link", link)
    _two_new_files_written_aside(tmp_path, monkeypatch, tried)


def test_new_file_failing_mid_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while a new file is written: the error says so, the directory holds
    no file and no temporary one, and a retry succeeds."""
    import imsg_backends.cfb.writer as writer_mod

    def full(self: object, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device (injected)")

    path = tmp_path / "m.msg"
    with imsg_core.Session() as s, s.create_storage(str(path)) as st:
        st.write_stream("a", b"1" * 10_000)
        monkeypatch.setattr(writer_mod.FdOutput, "write", full)
        monkeypatch.setattr(writer_mod.FdOutput, "writev", full)
        with pytest.raises(StorageError) as ei:
            st.commit()
        assert ei.value.hresult == STG.STG_E_MEDIUMFULL
        assert list(tmp_path.iterdir()) == []
        monkeypatch.undo()
        st.commit()
    assert _snapshot(path) == {"a": b"1" * 10_000}


def test_file_system_without_unnamed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where O_TMPFILE is refused (EOPNOTSUPP, as on NFS) the commit writes aside and
    renames; the directory is remembered and not asked again."""
    monkeypatch.setattr(STATE, "anon_refused", set())
    real_open = os.open
    asked: list[str] = []

    def fake_open(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            asked.append(path)
            raise OSError(errno.EOPNOTSUPP, "no unnamed files here (injected)")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(medium_mod.os, "open", fake_open)
    _two_new_files_written_aside(tmp_path, monkeypatch, asked)


def _two_new_files_written_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusals: list[str]
) -> None:
    """Create and commit a.msg and b.msg in ``tmp_path`` with the faults patched in, undo
    them, then check: the unnamed way was refused once (then remembered), both files hold
    their content, nothing else is left."""
    with imsg_core.Session() as s:
        for name in ("a.msg", "b.msg"):
            with s.create_storage(str(tmp_path / name)) as st:
                st.write_stream("x", name.encode())
                st.commit()
    monkeypatch.undo()
    anon = medium_mod._HAS_PROC_FD and hasattr(os, "O_TMPFILE")
    assert len(refusals) == (1 if anon else 0)
    assert _snapshot(tmp_path / "a.msg") == {"x": b"a.msg"}
    assert _snapshot(tmp_path / "b.msg") == {"x": b"b.msg"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.msg", "b.msg"]


def test_exclusive_create_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(src: str, dst: str, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "no hard links here")

    monkeypatch.setattr(medium_mod.os, "link", no_link)
    path = tmp_path / "new.msg"
    with imsg_core.Session() as s:
        with s.open_storage(str(path), "x") as st:
            st.write_stream("a", b"1")
            st.commit()
            st.write_stream("b", b"2")
            st.commit()  # later commits replace as usual
        assert _snapshot(path) == {"a": b"1", "b": b"2"}
        other = tmp_path / "taken.msg"
        with s.open_storage(str(other), "x") as st:
            other.write_bytes(b"someone else")
            with pytest.raises(StorageError) as ei:
                st.commit()
            assert ei.value.hresult == STG.STG_E_FILEALREADYEXISTS
    assert other.read_bytes() == b"someone else"


CORRUPT_FILES = [
    p
    for pattern in ("cfb-rust-cfb-fuzzed/*", "poi/clusterfuzz-*", "cfb-poi/*", "extract-text/*")
    for p in sorted((CORPUS / "files").glob(pattern))
]


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORRUPT_FILES, ids=[p.name for p in CORRUPT_FILES])
def test_damaged_files_through_a_session_fail_cleanly(path: Path) -> None:
    outcomes: list[StorageError | None] = []
    with imsg_core.Session() as s:
        try:
            st = s.open_storage(str(path))
        except StorageError as exc:
            st, outcomes = None, [exc]
        if st is not None:
            for entry in st.list():
                if entry.is_stream:
                    try:
                        st.read_stream(entry.name)
                    except StorageError as exc:
                        outcomes.append(exc)
    for exc in outcomes:
        assert exc is not None
        assert exc.hresult in (STG.STG_E_DOCFILECORRUPT, STG.STG_E_INVALIDHEADER)
        assert exc.hresult != STG.STG_E_INVALIDHEADER or str(path) in str(exc)


# ------------------------------------------------------------------ durability option
def _count_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(medium_mod.os, "fsync", counting)
    return calls


def test_commit_fsyncs_file_and_directory_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_fsyncs(monkeypatch)
    with imsg_core.Session() as s:
        st = s.create_storage(str(tmp_path / "d.cfb"))
        st.write_stream("a", b"1" * 5000)
        st.commit()
    assert len(calls) == 2  # the new file, then its directory


def test_non_durable_commit_is_atomic_without_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.cfb"
    calls = _count_fsyncs(monkeypatch)
    with imsg_core.Session() as s:
        st = s.create_storage(str(path), durable=False)
        st.write_stream("a", b"1" * 5000)
        st.commit()
        assert not calls
        assert [p.name for p in tmp_path.iterdir()] == ["nd.cfb"]  # no temp file left
        with s.open_storage(str(path), "r+", durable=False) as again:
            again.write_stream("b", b"2")
            again.commit()
    assert not calls
    ole = olefile.OleFileIO(str(path))
    assert ole.openstream("a").read() == b"1" * 5000
    assert ole.openstream("b").read() == b"2"
    ole.close()


def test_durable_option_must_be_a_bool(tmp_path: Path) -> None:
    with imsg_core.Session() as s, pytest.raises(StorageError) as ei:
        s.create_storage(str(tmp_path / "x.cfb"), durable="no")
    assert ei.value.hresult == STG.STG_E_INVALIDPARAMETER
    assert "durable" in str(ei.value)


def test_commit_sweeps_temp_files_left_by_killed_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imsg_backends.ole.medium import STALE_TEMP_SECONDS

    monkeypatch.setattr(STATE.sweeper, "interval", 0.0)  # list at every commit
    target = tmp_path / "m.msg"
    with imsg_core.Session() as s:
        root = s.open_storage(str(target), "w")
        root.write_stream("a", b"1")
        root.commit()
        stale = tmp_path / ".m.msg.0123456789ab.tmp"
        fresh = tmp_path / ".m.msg.ba9876543210.tmp"
        other = tmp_path / ".other.msg.0123456789ab.tmp"
        for p in (stale, fresh, other):
            p.write_bytes(b"partial")
        old = time.time() - STALE_TEMP_SECONDS - 60
        os.utime(stale, (old, old))
        os.utime(other, (old, old))
        root.write_stream("a", b"2")
        root.commit()
    assert not stale.exists()  # a dead writer's leftover goes
    assert fresh.exists()  # a live (recent) commit's file is never touched
    assert other.exists()  # another file's leftovers are not ours to judge


def test_commits_list_a_directory_once_per_sweep_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing many files into one directory must not list it at every commit (that is
    quadratic in the directory's size); a stale temp seen by the listing still goes when
    its own file is committed later in the interval."""
    from imsg_backends.ole import medium

    old = time.time() - medium.STALE_TEMP_SECONDS - 60
    stale = tmp_path / ".m7.msg.0123456789ab.tmp"
    stale.write_bytes(b"partial")
    os.utime(stale, (old, old))
    listings = []
    real_listdir = os.listdir

    def counting_listdir(path: str = ".") -> list[str]:
        if str(path) == str(tmp_path):
            listings.append(path)
        return real_listdir(path)

    monkeypatch.setattr(STATE, "sweeper", medium.Sweeper())
    monkeypatch.setattr(medium.os, "listdir", counting_listdir)
    with imsg_core.Session() as s:
        for i in range(10):
            root = s.open_storage(str(tmp_path / f"m{i}.msg"), "w")
            root.write_stream("a", b"1")
            root.commit()
            root.close()
            assert stale.exists() == (i < 7)
    assert listings == [str(tmp_path)]
    monkeypatch.setattr(STATE.sweeper, "interval", 0.0)
    with imsg_core.Session() as s:
        root = s.open_storage(str(tmp_path / "m0.msg"), "r+")
        root.commit()
    assert len(listings) == 2
