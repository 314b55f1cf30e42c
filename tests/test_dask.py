"""imsg_core.dask on a real Dask LocalCluster (2 worker processes) reading from moto S3, all
on 127.0.0.1: one record per message, broken files reported as error records."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_files
from servers import MotoS3
from servers import moto_s3

import imsg_core
from imsg_core.dask import flatten_record
from imsg_core.dask import read_msgs
from imsg_core.dask import record_for
from imsg_core.dask import to_dataframe
from imsg_core.errors import STG
from imsg_core.errors import MAPIError
from imsg_core.errors import NoSupportError
from imsg_core.errors import StorageError

pytestmark = pytest.mark.remote

TOTAL = 500
BROKEN: dict[str, bytes] = {
    "broken/not-a-compound-file.msg": b"From: a@example.com\r\n\r\nplain text, not a .msg" * 20,
    "broken/empty.msg": b"",
    "broken/truncated-header.msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
}


@pytest.fixture(scope="module")
def s3() -> Iterator[MotoS3]:
    with moto_s3() as srv:
        yield srv


def _good_messages() -> list[Path]:
    """Small corpus messages that open as messages locally (the reference)."""
    out = []
    with imsg_core.Session() as sess:
        for p in corpus_files("**/*.msg"):
            if p.stat().st_size > 300_000:
                continue
            try:
                msg = sess.open(str(p))
                _ = msg.subject, msg.recipients, msg.attachments
                msg.close()
            except MAPIError:
                continue
            out.append(p)
    return out


@pytest.fixture(scope="module")
def bucket_of_500(s3: MotoS3) -> tuple[str, dict[str, Path]]:
    """500 objects: corpus messages reused under different keys, plus broken files."""
    good = _good_messages()
    if len(good) < 20:
        pytest.skip("../shared/corpus is absent")
    bucket = s3.new_bucket("dask")
    payload: dict[str, bytes] = {f"{bucket}/{k}": v for k, v in BROKEN.items()}
    sources: dict[str, Path] = {}
    for i in range(TOTAL - len(BROKEN)):
        src = good[i % len(good)]
        key = f"mail/{i // 100:02d}/{i:04d}-{src.stem[:40]}.msg"
        payload[f"{bucket}/{key}"] = src.read_bytes()
        sources[f"s3://{bucket}/{key}"] = src
    s3.fs().pipe(payload)
    return bucket, sources


@pytest.fixture(scope="module")
def client(s3: MotoS3) -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def _strip(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k != "path"}


def test_a_job_over_500_messages_returns_one_record_each_with_broken_files_reported(
    s3: MotoS3, bucket_of_500: tuple[str, dict[str, Path]], client: Any
) -> None:
    bucket, sources = bucket_of_500
    opts = s3.storage_options()
    bag = read_msgs(f"s3://{bucket}/**/*.msg", storage_options=opts, npartitions=8)
    s3.reset_log()
    records = bag.compute()
    assert len(records) == TOTAL
    # Server-side: the listing gave the sizes, so no HEAD per object; a few GETs each.
    log = [r for r in s3.requests() if r.path.startswith(f"/{bucket}/")]
    assert not [r for r in log if r.method == "HEAD"]
    assert len([r for r in log if r.method == "GET"]) <= 3 * TOTAL
    assert len({r["path"] for r in records}) == TOTAL
    errors = {r["path"]: r for r in records if "error" in r}
    assert set(errors) == {f"s3://{bucket}/{k}" for k in BROKEN}
    for rec in errors.values():
        assert rec["code"].startswith("0x8003")  # an STG_E_* code, in hex
        assert rec["error"]
    # Every good record equals the record of the same message read locally.
    by_path = {r["path"]: r for r in records}
    local: dict[Path, dict[str, Any]] = {}
    for url, src in sources.items():
        if src not in local:
            local[src] = _strip(record_for(str(src)))
        assert _strip(by_path[url]) == local[src], url
    assert any(r.get("attachments") for r in records)
    assert any(len(r.get("recipients", [])) > 1 for r in records)


def test_dataframe_has_one_row_per_message(
    s3: MotoS3, bucket_of_500: tuple[str, dict[str, Path]], client: Any
) -> None:
    bucket, _ = bucket_of_500
    df = to_dataframe(f"s3://{bucket}/broken/*.msg", storage_options=s3.storage_options()).compute()
    assert len(df) == len(BROKEN)
    assert df["code"].notna().all()
    good = to_dataframe(
        f"s3://{bucket}/mail/00/*.msg", storage_options=s3.storage_options(), npartitions=4
    ).compute()
    assert len(good) == 100
    assert good["error"].isna().all()
    assert (good["recipient_count"] >= 0).all()


def test_fields_can_be_property_names_and_tags() -> None:
    from conftest import CORPUS

    path = CORPUS / "files" / "pypi-msg-parser" / "complete.msg"
    if not path.is_file():
        pytest.skip("../shared/corpus is absent")
    rec = record_for(str(path), ["subject", "PR_MESSAGE_SIZE", 0x0037001F, "0x3FDE0003"])
    assert rec["subject"] == rec["0x0037001F"] == "Test Multiple attachments complete email!!"
    assert isinstance(rec["PR_MESSAGE_SIZE"], int) or rec["PR_MESSAGE_SIZE"] is None
    assert "0x3FDE0003" in rec  # PR_INTERNET_CPID: present or None, never an error


def test_flatten_record_of_an_error_keeps_the_code() -> None:
    row = flatten_record({"path": "s3://b/x.msg", "error": "bad", "code": "0x800300FB"})
    assert row["code"] == "0x800300FB" and row["recipient_count"] == 0


def test_nothing_matching_is_not_found(tmp_path: Path) -> None:
    pytest.importorskip("dask")
    with pytest.raises(StorageError) as ei:
        read_msgs(str(tmp_path / "*.msg"))
    assert ei.value.hresult == STG.STG_E_FILENOTFOUND


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("dask")
    with pytest.raises(StorageError) as ei:
        read_msgs(str(tmp_path / "*.msg"), fields=["subject", "colour"])
    assert "colour" in str(ei.value)


def test_missing_dask_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(NoSupportError) as ei:
        read_msgs("s3://bucket/*.msg")
    assert "pip install 'imsg-core[dask]'" in str(ei.value)
