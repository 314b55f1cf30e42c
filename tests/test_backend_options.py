"""Every built-in backend checks its options (issue 14, point 16): a misspelt option is
``STG_E_INVALIDPARAMETER`` naming it and the options that backend takes, never ignored."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest

import imsg_core
from imsg_core.errors import STG
from imsg_core.errors import InvalidParameterError
from imsg_core.errors import StorageError


def _sample(path: Path) -> bytes:
    with imsg_core.Session() as sess:
        msg = sess.create(str(path))
        msg.subject = "options"
        msg.save_changes()
        msg.close()
    return path.read_bytes()


def _refused(sess: imsg_core.Session, location: Any, mode: str, **options: Any) -> str:
    with pytest.raises(StorageError) as ei:
        sess.open_storage(location, mode, **options).close()
    err = ei.value
    assert err.hresult == STG.STG_E_INVALIDPARAMETER
    assert isinstance(err, InvalidParameterError) and isinstance(err, ValueError)
    return str(err)


def test_a_misspelt_option_on_a_local_path_names_it_and_what_ole_takes(tmp_path: Path) -> None:
    path = tmp_path / "a.msg"
    _sample(path)
    with imsg_core.Session() as sess:
        text = _refused(sess, str(path), "r", salvag=True, durabel=False)
        assert "'durabel'" in text and "'salvag'" in text and "ole" in text
        assert all(name in text for name in ("version", "lazy_fat", "durable"))
        with pytest.raises(InvalidParameterError, match="salvag"):
            sess.open(path, salvag=True)
        # a new file is refused too, and nothing is created
        _refused(sess, str(tmp_path / "new.msg"), "w", durabel=False)
        assert not (tmp_path / "new.msg").exists()


def test_bytes_and_file_objects_take_only_their_options(tmp_path: Path) -> None:
    data = _sample(tmp_path / "a.msg")
    with imsg_core.Session() as sess:
        text = _refused(sess, data, "r", durable=False)
        assert "'durable'" in text and "lazy_fat" in text
        text = _refused(sess, io.BytesIO(data), "r", durable=False)
        assert "'durable'" in text and "version" in text
        with sess.open_storage(data, "r", lazy_fat=True) as root:
            assert root.backend == "ole"


def test_the_memory_backend_takes_no_options() -> None:
    with imsg_core.Session() as sess:
        text = _refused(sess, "mem://x", "w", durable=False)
        assert "'durable'" in text and "memory" in text and "no options" in text


def test_the_remote_backend_names_its_options() -> None:
    url = f"memory://imsg-options-{uuid.uuid4().hex}/a.msg"
    with imsg_core.Session() as sess:
        text = _refused(sess, url, "w", storage_option={"anon": True})
        assert "'storage_option'" in text and "storage_options" in text
        assert "cache_type" in text and "prefetch" in text


def test_options_the_core_passes_still_work(tmp_path: Path) -> None:
    """``size`` (what ``imsg_core.dask`` passes from a listing) reaches whichever backend
    claims a location, and every documented option keeps working."""
    path = tmp_path / "a.msg"
    size = len(_sample(path))
    with imsg_core.Session() as sess:
        with sess.open(path, size=size, lazy_fat=True, version=4, durable=False) as msg:
            assert msg.subject == "options"
        with sess.open_storage("mem://m", "w", size=0) as root:
            root.commit()
    from imsg_core.dask import record_for

    record = record_for(str(path), size=size)
    assert "error" not in record or not record["error"]
