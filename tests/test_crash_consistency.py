"""Crash consistency: SIGKILL during commits, disk full and permission errors.

The kill harness (``crash_worker.py``) keeps one warm fork server; for every trial it forks
a child that commits versions 1, 2, 3... of a compound file in a loop — changing a stream
across the mini-stream cutoff, a sub-storage stream, creating and destroying a stream, and
keeping a 20 KB stream that is never rewritten (so it is read lazily from the previous
file). The test kills the child with SIGKILL at a random moment, then reads what is there:

* it must open with our reader *and* olefile (strict), and hold exactly the streams of one
  version, byte for byte;
* that version must be the last one the child acknowledged or the one after it (a commit
  that completed just before the kill) — never older, never a mixture;
* the full content must be the exact bytes our writer produces for that version (compared
  by SHA-256), so not a single byte differs from a clean commit.

Both backends: the OLE backend on a local file (atomic rename) and the remote backend on a
moto S3 server on 127.0.0.1 (single PUT, and multipart upload with deferred completion).

Disk full is real: a 256 KiB tmpfs when the tests run as root (mount allowed), else a
``RLIMIT_FSIZE`` limit in a subprocess (``EFBIG``); plus ``ENOSPC`` injected at each write
call. Permission errors are real too: a read-only remount (``EROFS``), and a directory the
committing (unprivileged) process may not write. In every case the original is byte-identical
and the error is a ``StorageError`` with ``STG_E_MEDIUMFULL`` / ``STG_E_ACCESSDENIED``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from crash_worker import expected
from crash_worker import write_version
from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import BytesSource
from imsg_backends.cfb.writer import _GATHER_LIMIT
from imsg_backends.cfb.writer import write_cfb
from servers import MotoS3
from servers import s3  # noqa: F401 - fixture

import imsg_core
from imsg_core.backend import BytesData
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.errors import STG
from imsg_core.errors import StorageError

olefile = pytest.importorskip("olefile")
HERE = Path(__file__).resolve().parent

#: Kills per backend in the CI run (>= 200 in total); IMSG_CRASH_KILLS overrides both.
KILLS = {"ole": 160, "s3": 60}
_OVERRIDE = os.environ.get("IMSG_CRASH_KILLS")


def _kills(backend: str) -> int:
    return int(_OVERRIDE) if _OVERRIDE else KILLS[backend]


# ----------------------------------------------------------------------- the fork server
class ForkServer:
    """The warm worker process; :meth:`go` forks a committing child and returns its pid."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "crash_worker.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **(env or {})},
            cwd=str(HERE),
        )
        assert self.proc.stdout is not None
        self.fd = self.proc.stdout.fileno()
        self.buf = b""
        assert self.line(30) == "READY"

    def line(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the crash worker stopped talking")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    raise EOFError("the crash worker exited")
                self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\n")
        return head.decode()

    def drain(self) -> list[str]:
        lines = []
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0)
            if not ready:
                break
            chunk = os.read(self.fd, 65536)
            if not chunk:
                break
            self.buf += chunk
        while b"\n" in self.buf:
            head, _, self.buf = self.buf.partition(b"\n")
            lines.append(head.decode())
        return lines

    def go(self, target: str, options: dict[str, object]) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"go {target} {json.dumps(options)}\n".encode())
        self.proc.stdin.flush()
        reply = self.line(30)
        assert reply.startswith("P "), reply
        return int(reply.split()[1])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"quit\n")
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.proc.kill()
            self.proc.wait()


def _dead(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.001)
    raise AssertionError(f"child {pid} survived SIGKILL")


# ----------------------------------------------------------------------- versions
def _tree(i: int) -> StorageNode:
    root = StorageNode("Root Entry")
    subs: dict[str, StorageNode] = {}
    for path, data in expected(i).items():
        parent, name = root, path
        if "/" in path:
            head, name = path.split("/", 1)
            if head not in subs:
                subs[head] = StorageNode(head)
                root.add(subs[head])
            parent = subs[head]
        parent.add(StreamNode(name, BytesData(data)))
    return root


def _clean_bytes(i: int) -> bytes:
    buf = io.BytesIO()
    write_cfb(_tree(i), buf, version=3)
    return buf.getvalue()


def _streams_ours(data: bytes) -> dict[str, bytes]:
    reader = CFBReader(BytesSource(data))
    return {p: n.data.read_at(0, n.size) for p, n in reader.iter_streams()}


def _streams_olefile(data: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    try:
        return {"/".join(e): ole.openstream(e).read() for e in ole.listdir(streams=True)}
    finally:
        ole.close()


def check_version(data: bytes) -> int:
    """The version ``data`` holds; fails unless it is exactly that version."""
    ours = _streams_ours(data)
    i = int(ours["counter"])
    assert ours == expected(i), f"version {i} is not exactly version {i}"
    assert _streams_olefile(data) == expected(i)
    assert hashlib.sha256(data).digest() == hashlib.sha256(_clean_bytes(i)).digest()
    return i


def test_a_clean_commit_is_byte_identical_to_the_reference_bytes(tmp_path: Path) -> None:
    """The premise of the hash check: committing version i through a storage opened r+
    produces exactly the bytes of the reference writer for version i."""
    path = tmp_path / "v.cfb"
    path.write_bytes(_clean_bytes(0))
    with imsg_core.Session() as s, s.open_storage(str(path), "r+") as st:
        for i in (1, 2, 3):
            write_version(st, i)
            st.commit()
            assert check_version(path.read_bytes()) == i


@contextlib.contextmanager
def fork_server() -> Iterator[ForkServer]:
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


def kill_loop(  # noqa: PLR0917 - one trial's whole description
    server: ForkServer,
    target: str,
    options: dict[str, object],
    read: object,
    kills: int,
    max_delay: float,
    seed: int,
) -> dict[str, int]:
    """``kills`` trials; returns counts of outcomes (old / new)."""
    rng = random.Random(seed)
    stats = {"kills": 0, "old": 0, "new": 0, "commits": 0}
    last = 0
    for _ in range(kills):
        pid = server.go(target, options)
        first = server.line(60)
        assert first.startswith("C "), first
        time.sleep(rng.uniform(0, max_delay))
        os.kill(pid, signal.SIGKILL)
        _dead(pid)
        lines = [first, *server.drain()]
        errors = [ln for ln in lines if ln.startswith("E ")]
        assert not errors, errors
        acked = [int(ln.split()[2]) for ln in lines if ln.startswith(f"C {pid} ")]
        data = read()  # type: ignore[operator]
        now = check_version(data)
        assert acked[-1] <= now <= acked[-1] + 1, (acked[-1], now)
        assert now >= last
        stats["new" if now > acked[-1] else "old"] += 1
        stats["commits"] += now - last
        stats["kills"] += 1
        last = now
    return stats


def test_sigkill_during_local_commits_leaves_exactly_old_or_new(tmp_path: Path) -> None:
    path = tmp_path / "k.cfb"
    path.write_bytes(_clean_bytes(0))
    with fork_server() as server:
        stats = kill_loop(
            server, str(path), {}, path.read_bytes, _kills("ole"), max_delay=0.03, seed=8
        )
    assert stats["kills"] == _kills("ole")
    assert stats["commits"] > stats["kills"]
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    print(f"\nole: {stats}; temporary files left by killed commits: {len(leftovers)}")
    _record("ole", stats, tmp_leftovers=len(leftovers))


@pytest.mark.remote
@pytest.mark.parametrize("multipart", [False, True], ids=["put", "multipart"])
def test_sigkill_during_s3_commits_leaves_exactly_old_or_new(
    s3: MotoS3,  # noqa: F811
    multipart: bool,
) -> None:
    bucket = s3.new_bucket("crash")
    key = f"{bucket}/k.cfb"
    fs = s3.fs()
    fs.pipe_file(key, _clean_bytes(0))
    opts: dict[str, object] = {"storage_options": s3.storage_options()}
    if multipart:
        opts["single_put_limit"] = 0  # every commit is a (one-part) multipart upload

    def read() -> bytes:
        return bytes(s3.fs().cat_file(key))

    with fork_server() as server:
        stats = kill_loop(
            server,
            f"s3://{key}",
            opts,
            read,
            _kills("s3") // 2,
            max_delay=0.12,
            seed=9 + multipart,
        )
    pending = 0
    if multipart:
        with contextlib.suppress(Exception):
            pending = len(fs.list_multipart_uploads(bucket))
    print(f"\ns3 {'multipart' if multipart else 'put'}: {stats}; open uploads left: {pending}")
    _record(f"s3-{'multipart' if multipart else 'put'}", stats, open_uploads=pending)


_RESULTS: dict[str, dict[str, int]] = {}


def _record(name: str, stats: dict[str, int], **extra: int) -> None:
    _RESULTS[name] = {**stats, **extra}
    out = os.environ.get("IMSG_RELIABILITY_LOG")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps({"test": "crash", "name": name, **_RESULTS[name]}) + "\n")


# ----------------------------------------------------------------------- disk full
_COMMIT_SCRIPT = textwrap.dedent(
    """
    import os, resource, signal, sys
    sys.path.insert(0, {here!r})
    import imsg_core
    from crash_worker import write_version
    from imsg_core.errors import StorageError

    path, limit, uid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    with imsg_core.Session() as s:
        st = s.open_storage(path, "r+")
        if uid >= 0:
            os.setgid(uid); os.setuid(uid)
        write_version(st, 1)
        st.write_stream("bulk", b"b" * 300_000)
        try:
            st.commit()
        except StorageError as exc:
            print(exc.name)
            print(exc)
            sys.exit(0)
    print("COMMITTED")
    """
)


def _commit_in_subprocess(tmp_path: Path, path: Path, limit: int = 0, uid: int = -1) -> list[str]:
    script = tmp_path / "commit.py"
    script.write_text(_COMMIT_SCRIPT.format(here=str(HERE)))
    out = subprocess.run(
        [sys.executable, str(script), str(path), str(limit), str(uid)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


@pytest.mark.parametrize("limit", [30_000, 100_000, 250_000])
def test_file_size_limit_during_commit_is_medium_full(tmp_path: Path, limit: int) -> None:
    """A real kernel refusal (RLIMIT_FSIZE -> EFBIG) at different points of the write."""
    path = tmp_path / "f.cfb"
    path.write_bytes(_clean_bytes(0))
    before = path.read_bytes()
    lines = _commit_in_subprocess(tmp_path, path, limit=limit)
    assert lines[0] == "STG_E_MEDIUMFULL", lines
    assert str(path) in lines[1]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_tmpfs_during_commit_is_medium_full(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "small", "256k") as fs:
        path = fs / "f.cfb"
        path.write_bytes(_clean_bytes(0))
        before = path.read_bytes()
        with imsg_core.Session() as s, s.open_storage(str(path), "r+") as st:
            write_version(st, 1)
            st.write_stream("bulk", b"b" * 300_000)
            with pytest.raises(StorageError) as ei:
                st.commit()
            assert ei.value.hresult == STG.STG_E_MEDIUMFULL
            assert str(path) in str(ei.value)
            assert path.read_bytes() == before
            assert sorted(p.name for p in fs.iterdir()) == ["f.cfb"]
            # Space freed: the same storage commits on retry.
            st.destroy("bulk")
            st.commit()
        assert check_version(path.read_bytes()) == 1


def test_read_only_filesystem_during_commit_is_access_denied(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "ro", "1m") as fs:
        path = fs / "f.cfb"
        path.write_bytes(_clean_bytes(0))
        before = path.read_bytes()
        with imsg_core.Session() as s, s.open_storage(str(path), "r+") as st:
            write_version(st, 1)
            subprocess.run(["mount", "-o", "remount,ro", str(fs)], check=True)
            with pytest.raises(StorageError) as ei:
                st.commit()
            assert ei.value.hresult == STG.STG_E_ACCESSDENIED
        assert path.read_bytes() == before


def test_unwritable_directory_during_commit_is_access_denied(tmp_path: Path) -> None:
    d = tmp_path / "locked"
    d.mkdir()
    path = d / "f.cfb"
    path.write_bytes(_clean_bytes(0))
    before = path.read_bytes()
    if os.geteuid() == 0:
        # root ignores modes: commit as 'nobody' in a directory only root may write
        os.chmod(tmp_path, 0o755)
        os.chmod(d, 0o755)
        path.chmod(0o644)
        lines = _commit_in_subprocess(tmp_path, path, uid=65534)
    else:
        d.chmod(0o555)
        try:
            lines = _commit_in_subprocess(tmp_path, path)
        finally:
            d.chmod(0o755)
    assert lines[0] == "STG_E_ACCESSDENIED", lines
    assert path.read_bytes() == before


# A file above the writer's gather limit is streamed in many writes; a smaller one is
# handed over in one.
_STREAMED_BULK = _GATHER_LIMIT + (1 << 20)


@pytest.mark.parametrize("where", ["write", "fsync"])
@pytest.mark.parametrize(("bulk", "least_writes"), [(_STREAMED_BULK, 3), (50_000, 1)])
def test_enospc_injected_at_each_step_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, bulk: int, least_writes: int
) -> None:
    """ENOSPC from every write call of the new file in turn (or from fsync, as NFS reports
    it): one commit attempt per write call, each leaving the original intact."""
    writes = _count_writes(tmp_path, monkeypatch, bulk)
    assert writes >= least_writes
    for fail_at in range(1, writes + 1) if where == "write" else [0]:
        _enospc_once(tmp_path / f"try{fail_at}", monkeypatch, fail_at, where, bulk)


def _commit_fails_full_leaving(
    st: imsg_core.Storage, monkeypatch: pytest.MonkeyPatch, path: Path, before: bytes
) -> None:
    """Commit ``st``: it must fail with STG_E_MEDIUMFULL and leave ``path`` as ``before``
    with nothing else in its directory; the injected faults are undone after."""
    with pytest.raises(StorageError) as ei:
        st.commit()
    monkeypatch.undo()
    assert ei.value.hresult == STG.STG_E_MEDIUMFULL, ei.value
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def _count_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: int) -> int:
    counting = tmp_path / "count"
    _enospc_once(counting, monkeypatch, 10**9, "write", bulk)
    return int((counting / "writes").read_text())


def _enospc_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int, where: str, bulk: int
) -> None:
    import imsg_backends.ole.medium as medium_mod

    tmp_path.mkdir()
    path = tmp_path / "f.cfb"
    path.write_bytes(_clean_bytes(0))
    before = path.read_bytes()
    import imsg_backends.cfb.writer as writer_mod

    calls = {"n": 0}
    real_write, real_writev = writer_mod.FdOutput.write, writer_mod.FdOutput.writev

    def count(what: str) -> None:  # every system call writing the new file counts
        calls["n"] += 1
        if where == "write" and calls["n"] >= fail_at:
            raise OSError(errno.ENOSPC, f"No space left on device (injected in {what})")

    def write(self: writer_mod.FdOutput, data: bytes | memoryview) -> int:
        count("write")
        return real_write(self, data)

    def writev(self: writer_mod.FdOutput, parts: list[bytes | memoryview]) -> int:
        count("writev")
        return real_writev(self, parts)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device (injected)")

    with imsg_core.Session() as s, s.open_storage(str(path), "r+") as st:
        write_version(st, 1)
        st.write_stream("bulk", b"b" * bulk)
        monkeypatch.setattr(writer_mod.FdOutput, "write", write)
        monkeypatch.setattr(writer_mod.FdOutput, "writev", writev)
        if where == "fsync":
            monkeypatch.setattr(medium_mod.os, "fsync", fsync)
        if fail_at == 10**9:  # counting run
            st.commit()
            monkeypatch.undo()
            (tmp_path / "writes").write_text(str(calls["n"]))
            return
        _commit_fails_full_leaving(st, monkeypatch, path, before)
        st.commit()  # the disk has room again
    assert _streams_ours(path.read_bytes())["bulk"] == b"b" * bulk


@pytest.mark.skipif(not hasattr(os, "writev"), reason="no os.writev on this platform")
@pytest.mark.parametrize("how", ["short", "one-byte", "enospc", "zero"])
def test_gathered_write_short_or_failing_writev(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A small file goes out with one ``os.writev``. A short writev (the kernel may write
    less, even nothing) is finished with plain writes and the file is whole; a failing one
    (ENOSPC) leaves the original and no temporary file."""
    import imsg_backends.cfb.output as output_mod

    path = tmp_path / "f.cfb"
    path.write_bytes(_clean_bytes(0))
    before = path.read_bytes()
    real_writev = os.writev
    seen: list[int] = []

    def writev(fd: int, parts: list[bytes]) -> int:
        seen.append(len(parts))
        if how == "enospc":
            raise OSError(errno.ENOSPC, "No space left on device (injected)")
        if how == "zero":
            return 0
        first = bytes(parts[0])
        return os.write(fd, first[: len(first) // 2 if how == "short" else 1])

    payload = bytes(range(256)) * 40  # a regular stream and a mini stream: several pieces
    with imsg_core.Session() as s, s.open_storage(str(path), "r+") as st:
        write_version(st, 1)
        st.write_stream("big", payload)
        st.write_stream("small", b"tiny")
        monkeypatch.setattr(output_mod.os, "writev", writev)
        if how == "enospc":
            _commit_fails_full_leaving(st, monkeypatch, path, before)
        st.commit()
    monkeypatch.undo()
    assert seen and seen[0] > 1  # the pieces really went to writev, not joined first
    streams = _streams_ours(path.read_bytes())
    assert streams["big"] == payload and streams["small"] == b"tiny"
    assert _streams_olefile(path.read_bytes())["big"] == payload
    assert real_writev is os.writev


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (OSError(errno.ENOSPC, "No space left on device (injected)"), STG.STG_E_MEDIUMFULL),
        (PermissionError(errno.EACCES, "Access Denied (injected)"), STG.STG_E_ACCESSDENIED),
    ],
    ids=["enospc", "access-denied"],
)
def test_remote_upload_failure_leaves_the_object_and_names_the_fault(
    monkeypatch: pytest.MonkeyPatch, exc: OSError, code: STG
) -> None:
    """The remote backend's upload step failing the way s3fs reports a full spool disk or
    an HTTP 403: the object is unchanged, the error says which, a retry succeeds."""
    import uuid

    import fsspec

    fs = fsspec.filesystem("memory")
    path = f"/imsg-crash/{uuid.uuid4().hex}.cfb"
    fs.pipe_file(path, _clean_bytes(0))
    before = bytes(fs.cat_file(path))

    def failing(*args: object, **kwargs: object) -> None:
        raise exc

    try:
        with imsg_core.Session() as s, s.open_storage(f"memory://{path}", "r+") as st:
            write_version(st, 1)
            monkeypatch.setattr(type(fs), "pipe_file", failing)
            with pytest.raises(StorageError) as ei:
                st.commit()
            monkeypatch.undo()
            assert ei.value.hresult == code, ei.value
            assert path in str(ei.value)
            assert bytes(fs.cat_file(path)) == before
            st.commit()
        assert check_version(bytes(fs.cat_file(path))) == 1
    finally:
        fs.rm_file(path)
