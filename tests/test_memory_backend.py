"""The in-memory backend passes the whole contract suite and keeps sessions apart."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

import imsg_core
from imsg_core.errors import STG
from imsg_core.errors import StorageError
from imsg_core.testing import ReadableContract
from imsg_core.testing import ReleaseContract
from imsg_core.testing import TransactedContract
from imsg_core.testing import WritableContract


class MemoryFixtures:
    backend_name = "memory"

    def new_location(self, tmp_path: Path) -> str:
        return f"mem://{tmp_path.name}-{uuid.uuid4().hex}"


class TestMemoryReadable(MemoryFixtures, ReadableContract):
    pass


class TestMemoryWritable(MemoryFixtures, WritableContract):
    pass


class TestMemoryTransacted(MemoryFixtures, TransactedContract):
    pass


class TestMemoryRelease(MemoryFixtures, ReleaseContract):
    pass


def test_sessions_do_not_share_memory_storages() -> None:
    with imsg_core.Session() as a, imsg_core.Session() as b:
        with a.create_storage("mem://shared") as st:
            st.write_stream("x", b"1")
            st.commit()
        with pytest.raises(StorageError) as ei:
            b.open_storage("mem://shared")
        assert ei.value.hresult == STG.STG_E_FILENOTFOUND


def test_anonymous_memory_storage_needs_no_name(session: imsg_core.Session) -> None:
    with session.create_storage("mem://") as st:
        st.write_stream("x", b"1")
        st.commit()
        assert st.read_stream("x") == b"1"
    with pytest.raises(StorageError) as ei:
        session.open_storage("mem://")
    assert ei.value.hresult == STG.STG_E_INVALIDNAME


def test_large_stream_spills_to_disk_and_reads_back(session: imsg_core.Session) -> None:
    chunk = bytes(range(256)) * 4096  # 1 MiB
    with session.create_storage("mem://big") as st:
        with st.create_stream("blob") as s:
            for _ in range(12):  # 12 MiB > the 8 MiB spool limit
                s.write(chunk)
        st.commit()
    with session.open_storage("mem://big") as st, st.open_stream("blob") as s:
        assert s.size == 12 * len(chunk)
        s.seek(11 * len(chunk))
        assert s.read() == chunk


# ------------------------------------------------- mem:// (per session) vs memory:// (fsspec)
def test_a_missing_mem_name_points_at_fsspec_memory_and_says_which_is_which() -> None:
    with imsg_core.Session() as sess:
        with pytest.raises(StorageError) as ei:
            sess.open_storage("mem://report", "r")
        assert ei.value.hresult == STG.STG_E_FILENOTFOUND
        text = str(ei.value)
        assert "memory://report" in text and "session" in text and "process-wide" in text


def test_a_missing_fsspec_memory_object_points_at_mem() -> None:
    url = f"memory://imsg-missing-{uuid.uuid4().hex}/a.msg"
    with imsg_core.Session() as sess:
        with pytest.raises(StorageError) as ei:
            sess.open_storage(url, "r")
        assert ei.value.hresult == STG.STG_E_FILENOTFOUND
        assert "mem://" in str(ei.value) and "process-wide" in str(ei.value)


def test_backend_descriptions_tell_mem_and_memory_apart() -> None:
    with imsg_core.Session() as sess:
        infos = {b.name: b for b in sess.backends()}
    memory, remote = infos["memory"], infos["remote"]
    assert "mem://" in memory.description and "session" in memory.description
    assert "not fsspec's process-wide memory://" in memory.description
    assert "process-wide memory://" in remote.description
    assert "mem://" in remote.description
