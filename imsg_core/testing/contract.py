"""Capability-split contract tests for :class:`~imsg_core.Storage` backends."""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from typing import Union

import pytest

from imsg_core import Session
from imsg_core import Storage
from imsg_core.backend import name_sort_key
from imsg_core.errors import STG
from imsg_core.errors import ObjectDeletedError
from imsg_core.errors import StorageError

Tree = dict[str, Union[bytes, "Tree"]]

#: The tree every readable backend must be able to hold and read back: streams either side
#: of the mini-stream cutoff and sector sizes, an empty stream, nested storages, a name at
#: the 31-character limit, a name with a reserved first character.
SAMPLE_TREE: Tree = {
    "alpha": b"hello world",
    "empty": b"",
    "cutoff-1": bytes(range(256)) * 15 + bytes(255),  # 4095 bytes
    "cutoff": bytes(range(256)) * 16,  # 4096 bytes
    "big": bytes((i * 7) & 0xFF for i in range(70000)),
    "\x05SummaryInformation": b"\x00" * 64,
    "N" * 31: b"long name",
    "sub": {
        "inner": b"x" * 513,
        "deeper": {"leaf": b"\x00" * 63, "leaf2": b"\x01" * 64},
        "empty-storage": {},
    },
}


def build_tree(storage: Storage, tree: Tree) -> None:
    """Create ``tree`` inside ``storage``, committing each sub-storage (not ``storage``)."""
    for name, value in tree.items():
        if isinstance(value, dict):
            with storage.create_storage(name) as child:
                build_tree(child, value)
                child.commit()
        else:
            storage.write_stream(name, value)


def tree_of(storage: Storage) -> Tree:
    """Read a whole storage back as a nested dict."""
    out: Tree = {}
    for entry in storage.list():
        if entry.is_storage:
            with storage.open_storage(entry.name, "r") as child:
                out[entry.name] = tree_of(child)
        else:
            out[entry.name] = storage.read_stream(entry.name)
    return out


def _code(exc: BaseException) -> int:
    assert isinstance(exc, (StorageError, ObjectDeletedError)), exc
    return exc.hresult


class BackendFixtures:
    """Tell the suites how to reach your backend. Override :meth:`new_location`.

    Attributes:
        backend_name: the ``backend`` attribute storages of this backend carry.
        plugins: plugin objects to register in each test session (for a backend that is not
            installed through an entry point).
    """

    backend_name: str = ""
    plugins: tuple[object, ...] = ()

    def new_location(self, tmp_path: Path) -> Any:
        """A location where no storage exists yet, unique to the test."""
        raise NotImplementedError

    def open_options(self) -> dict[str, Any]:
        """Keyword options passed to :meth:`Session.open_storage`."""
        return {}

    def make_session(self) -> Session:
        """A new session that can reach the backend."""
        return Session(plugins=self.plugins)

    def make_sample(self, session: Session, location: Any) -> None:
        """Put :data:`SAMPLE_TREE` at ``location``. Default: through the backend itself."""
        with session.open_storage(location, "w", **self.open_options()) as root:
            build_tree(root, SAMPLE_TREE)
            root.set_class(uuid.UUID("00020D0B-0000-0000-C000-000000000046"))
            root.commit()

    # -- fixtures -------------------------------------------------------------------------
    @pytest.fixture
    def sess(self) -> Iterator[Session]:
        with self.make_session() as s:
            yield s

    @pytest.fixture
    def location(self, tmp_path: Path) -> Any:
        return self.new_location(tmp_path)

    @pytest.fixture
    def sample(self, sess: Session, location: Any) -> Any:
        self.make_sample(sess, location)
        return location

    def open(self, sess: Session, location: Any, mode: str = "r") -> Storage:
        return sess.open_storage(location, mode, **self.open_options())


class ReadableContract(BackendFixtures):
    """Enumerate, stat and read."""

    def test_reads_back_the_sample_tree(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root:
            assert tree_of(root) == SAMPLE_TREE

    def test_backend_name_is_set(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root:
            if self.backend_name:
                assert root.backend == self.backend_name
            assert root.backend

    def test_lists_in_compound_file_order(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root:
            names = [e.name for e in root.list()]
            assert names == sorted(names, key=name_sort_key)

    def test_storage_names_are_the_child_storages_in_order(
        self, sess: Session, sample: Any
    ) -> None:
        with self.open(sess, sample) as root:
            want = [e.name for e in root.list() if e.is_storage]
            assert list(root.storage_names()) == want

    def test_stat_sizes_and_types(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root:
            stats = {e.name: e for e in root.list()}
            assert stats["big"].size == len(SAMPLE_TREE["big"])
            assert stats["big"].is_stream and stats["sub"].is_storage
            assert root.stat_child("ALPHA").name == "alpha"  # case-insensitive lookup

    def test_stream_is_a_raw_io_with_seek_and_partial_reads(
        self, sess: Session, sample: Any
    ) -> None:
        data = SAMPLE_TREE["big"]
        assert isinstance(data, bytes)
        with self.open(sess, sample) as root, root.open_stream("big") as s:
            assert s.readable() and s.seekable()
            assert s.read(10) == data[:10]
            assert s.seek(-5, io.SEEK_END) == len(data) - 5
            assert s.read() == data[-5:]
            assert s.read(10) == b""
            s.seek(1000)
            buf = bytearray(777)
            assert s.readinto(buf) == 777 and bytes(buf) == data[1000:1777]
            s.seek(0)
            assert io.BufferedReader(s).read() == data

    def test_seek_before_start_fails(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root, root.open_stream("alpha") as s:
            with pytest.raises(StorageError) as ei:
                s.seek(-1)
            assert _code(ei.value) == STG.STG_E_INVALIDFUNCTION

    def test_missing_elements_are_not_found(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root:
            for call in (
                lambda: root.open_stream("nope"),
                lambda: root.open_storage("nope"),
                lambda: root.open_stream("sub"),
                lambda: root.open_storage("alpha"),
            ):
                with pytest.raises(StorageError) as ei:
                    call()
                assert _code(ei.value) == STG.STG_E_FILENOTFOUND

    def test_read_only_storage_refuses_writes(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample, "r") as root:
            calls: list[Callable[[], object]] = [
                lambda: root.create_stream("new"),
                lambda: root.create_storage("new"),
                lambda: root.destroy("alpha"),
                lambda: root.rename("alpha", "beta"),
                lambda: root.open_stream("alpha", "r+"),
            ]
            for call in calls:
                with pytest.raises(StorageError) as ei:
                    call()
                assert _code(ei.value) == STG.STG_E_ACCESSDENIED
            with root.open_stream("alpha") as s, pytest.raises(StorageError) as ei:
                s.write(b"x")
            assert _code(ei.value) == STG.STG_E_ACCESSDENIED

    def test_missing_location_is_not_found(self, sess: Session, location: Any) -> None:
        with pytest.raises(StorageError) as ei:
            self.open(sess, location, "r")
        assert _code(ei.value) in (STG.STG_E_FILENOTFOUND, STG.STG_E_PATHNOTFOUND)

    def test_walk_visits_everything(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample) as root:
            paths = {p for p, _ in root.walk()}
        assert {"sub/deeper/leaf", "sub/empty-storage", "N" * 31} <= paths


class WritableContract(BackendFixtures):
    """Create, change, rename, destroy; names; CLSIDs and state bits."""

    def test_create_write_commit_reopen(self, sess: Session, location: Any) -> None:
        with self.open(sess, location, "w") as root:
            build_tree(root, SAMPLE_TREE)
            root.commit()
        with self.open(sess, location, "r") as again:
            assert tree_of(again) == SAMPLE_TREE

    def test_create_existing_fails_unless_overwrite(self, sess: Session, location: Any) -> None:
        with self.open(sess, location, "w") as root:
            root.write_stream("a", b"1")
            with pytest.raises(StorageError) as ei:
                root.create_stream("A")
            assert _code(ei.value) == STG.STG_E_FILEALREADYEXISTS
            with pytest.raises(StorageError) as ei:
                root.create_storage("a")
            assert _code(ei.value) == STG.STG_E_FILEALREADYEXISTS
            with root.create_stream("a", overwrite=True) as s:
                s.write(b"22")
            assert root.read_stream("a") == b"22"

    @pytest.mark.parametrize("bad", ["", "x" * 32, "a/b", "a\\b", "a:b", "a!b", "nul\x00"])
    def test_invalid_names_are_refused(self, sess: Session, location: Any, bad: str) -> None:
        with self.open(sess, location, "w") as root:
            with pytest.raises(StorageError) as ei:
                root.create_stream(bad)
            assert _code(ei.value) == STG.STG_E_INVALIDNAME

    def test_write_storage_builds_and_replaces_a_child_storage(
        self, sess: Session, location: Any
    ) -> None:
        with self.open(sess, location, "w") as root:
            root.write_storage("kid", {"a": b"1", "b": b""})
            root.write_storage("Kid", {"c": b"3" * 5000})  # replaces, any case
            with pytest.raises(StorageError) as ei:
                root.write_storage("bad", {"x/y": b""})
            assert _code(ei.value) == STG.STG_E_INVALIDNAME
            assert list(root.storage_names()) == ["Kid"]
            root.commit()
        with self.open(sess, location, "r") as ro, pytest.raises(StorageError) as ei:
            ro.write_storage("other", {"x/y": b""})
        assert _code(ei.value) == STG.STG_E_ACCESSDENIED  # refused before names are looked at
        with self.open(sess, location) as again, again.open_storage("kid") as kid:
            assert [e.name for e in kid.list()] == ["c"]
            assert kid.read_stream("c") == b"3" * 5000

    def test_destroy_and_rename(self, sess: Session, location: Any) -> None:
        with self.open(sess, location, "w") as root:
            build_tree(root, SAMPLE_TREE)
            root.destroy("sub")
            root.rename("alpha", "omega")
            with pytest.raises(StorageError) as ei:
                root.rename("omega", "big")
            assert _code(ei.value) == STG.STG_E_FILEALREADYEXISTS
            with pytest.raises(StorageError) as ei:
                root.destroy("sub")
            assert _code(ei.value) == STG.STG_E_FILENOTFOUND
            root.commit()
        with self.open(sess, location) as again:
            names = {e.name for e in again.list()}
        assert "sub" not in names and "alpha" not in names and "omega" in names
        assert again.closed

    def test_stream_grow_truncate_and_gap_fill(self, sess: Session, location: Any) -> None:
        with self.open(sess, location, "w") as root:
            with root.create_stream("s") as s:
                s.write(b"abc")
                s.seek(10)
                s.write(b"z")
                assert s.size == 11
                s.seek(0)
                assert s.read() == b"abc" + b"\0" * 7 + b"z"
                s.truncate(2)
                assert s.size == 2
            with root.open_stream("s", "r+") as s:
                s.seek(0, io.SEEK_END)
                s.write(b"!" * 5000)  # crosses the mini-stream cutoff
            root.commit()
        with self.open(sess, location) as again:
            assert again.read_stream("s") == b"ab" + b"!" * 5000

    def test_class_and_state_bits_persist(self, sess: Session, location: Any) -> None:
        clsid = uuid.UUID("00020D0B-0000-0000-C000-000000000046")
        with self.open(sess, location, "w") as root:
            root.set_class(clsid)
            with root.create_storage("child") as child:
                child.set_state_bits(0b1010, 0b1111)
                child.set_class(clsid)
                child.commit()
            root.commit()
        with self.open(sess, location) as again:
            assert again.stat().clsid == clsid
            st = again.stat_child("child")
            assert st.state_bits == 0b1010 and st.clsid == clsid

    def test_open_existing_read_write(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample, "r+") as root:
            root.write_stream("alpha", b"changed")
            with root.open_storage("sub", "r+") as sub:
                sub.destroy("inner")
                sub.commit()
            root.commit()
        with self.open(sess, sample) as again:
            tree = tree_of(again)
        assert tree["alpha"] == b"changed"
        sub_tree = tree["sub"]
        assert isinstance(sub_tree, dict) and "inner" not in sub_tree
        assert tree["big"] == SAMPLE_TREE["big"]

    def test_exclusive_create_fails_on_existing(self, sess: Session, sample: Any) -> None:
        with pytest.raises(StorageError) as ei:
            self.open(sess, sample, "x").commit()
        assert _code(ei.value) == STG.STG_E_FILEALREADYEXISTS

    def test_open_elements_cannot_be_destroyed(self, sess: Session, location: Any) -> None:
        with self.open(sess, location, "w") as root:
            s = root.create_stream("held")
            with pytest.raises(StorageError) as ei:
                root.destroy("held")
            assert _code(ei.value) == STG.STG_E_ACCESSDENIED
            s.close()
            root.destroy("held")


class TransactedContract(BackendFixtures):
    """Commit publishes one level up; revert discards; reverted children are unusable."""

    def test_uncommitted_changes_are_invisible(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample, "r+") as root:
            root.write_stream("alpha", b"pending")
            with self.open(sess, sample, "r") as other:
                assert other.read_stream("alpha") == SAMPLE_TREE["alpha"]

    def test_revert_discards_and_invalidates_children(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample, "r+") as root:
            root.write_stream("alpha", b"pending")
            child = root.open_storage("sub", "r+")
            stream = root.open_stream("big")
            root.revert()
            assert root.read_stream("alpha") == SAMPLE_TREE["alpha"]
            for call in (child.list, stream.read):
                with pytest.raises(StorageError) as ei:
                    call()
                assert _code(ei.value) == STG.STG_E_REVERTED

    def test_child_commit_publishes_only_to_parent(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample, "r+") as root:
            with root.open_storage("sub", "r+") as sub:
                sub.write_stream("new", b"1")
                sub.commit()
            with root.open_storage("sub", "r") as sub:
                assert sub.exists("new")
            with self.open(sess, sample, "r") as other, other.open_storage("sub") as sub:
                assert not sub.exists("new")
            root.commit()
        with self.open(sess, sample, "r") as again, again.open_storage("sub") as sub:
            assert sub.read_stream("new") == b"1"

    def test_uncommitted_child_changes_are_dropped(self, sess: Session, sample: Any) -> None:
        with self.open(sess, sample, "r+") as root:
            with root.open_storage("sub", "r+") as sub:
                sub.write_stream("lost", b"1")
            root.commit()
        with self.open(sess, sample) as again, again.open_storage("sub") as sub:
            assert not sub.exists("lost")


class ReleaseContract(BackendFixtures):
    """Session close releases every object of the backend; released objects fail clearly."""

    def test_session_close_releases_everything(self, sess: Session, sample: Any) -> None:
        s = sess
        root = self.open(s, sample)
        sub = root.open_storage("sub")
        stream = sub.open_stream("inner")
        assert len(s.open_objects()) == 3
        s.close()
        assert root.closed and sub.closed and stream.closed
        for call in (root.list, sub.list, stream.read):
            with pytest.raises(ObjectDeletedError):
                call()
        s.close()  # idempotent

    def test_session_close_releases_each_object_exactly_once(
        self, sess: Session, sample: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The session releases every object once, whatever the backend's release hook
        does (a hook frees backend resources; it must not release objects itself)."""
        root = self.open(sess, sample)
        sub = root.open_storage("sub")
        stream = sub.open_stream("inner")
        counts: dict[int, int] = {}
        classes: set[type[Any]] = {type(root), type(sub), type(stream)}
        for cls in classes:
            original = cls._imsg_release

            def counting(obj: Any, original: Any = original) -> None:
                counts[id(obj)] = counts.get(id(obj), 0) + 1
                original(obj)

            monkeypatch.setattr(cls, "_imsg_release", counting)
        sess.close()
        assert counts == {id(root): 1, id(sub): 1, id(stream): 1}

    def test_closing_a_storage_releases_its_children(self, sess: Session, sample: Any) -> None:
        root = self.open(sess, sample)
        stream = root.open_stream("alpha")
        root.close()
        assert stream.closed
        assert sess.open_objects() == []
        root.close()

    def test_threads_share_one_session(self, sess: Session, sample: Any) -> None:
        errors: list[BaseException] = []
        data = SAMPLE_TREE["big"]

        def worker() -> None:
            try:
                for _ in range(5):
                    with self.open(sess, sample) as root, root.open_stream("big") as s:
                        assert s.read() == data
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert sess.open_objects() == []
