"""copy_to between backends: memory -> local compound file -> S3 (moto on 127.0.0.1)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from msg_snapshot import snapshot

import imsg_core
from imsg_core import PS_PUBLIC_STRINGS
from imsg_core import Session

servers = pytest.importorskip("servers")


@pytest.fixture(scope="module")
def s3_server() -> Iterator[Any]:
    srv = servers.MotoS3().start()
    try:
        srv.bucket = srv.new_bucket("msgs")
        yield srv
    finally:
        srv.stop()


def _sample(s: Session) -> imsg_core.Message:
    msg = s.create("mem://sample")
    msg.subject = "across backends"
    msg.body = "plain body " * 200
    msg.html = "<p>html</p>"
    msg.set_sender("from@example.com", "From")
    msg.add_recipient("to@example.com", "To")
    msg.add_recipient("cc@example.com", "Cc", "cc")
    msg.add_attachment("big.bin", bytes(range(256)) * 400)
    msg.named[(PS_PUBLIC_STRINGS, "Tag"), 0x001F] = "named value"
    att = msg.create_attach()
    inner = att.open_embedded(create=True)
    inner.subject = "embedded"
    inner.add_attachment("deep.txt", b"deep")
    inner.save_changes()
    att.save_changes()
    msg.save_changes()
    return msg


def test_memory_to_file_to_s3_keeps_everything(s3_server: Any, tmp_path: Path) -> None:
    import extract_msg

    opts = {"storage_options": s3_server.storage_options()}
    url = f"s3://{s3_server.bucket}/copies/{uuid.uuid4().hex}.msg"
    with Session() as s:
        mem = _sample(s)
        expected = snapshot(mem)
        local = s.create(str(tmp_path / "copy.msg"))
        assert mem.copy_to(local) == []
        local.save_changes()
        remote = s.create(url, **opts)
        assert local.copy_to(remote) == []
        remote.save_changes()
        remote.close()
        back = s.open(url, **opts)
        assert snapshot(back) == expected
        assert back.attachments[0].size == 256 * 400
    # the object on S3 is a .msg an independent reader accepts
    data = s3_server.fs().cat_file(url.removeprefix("s3://"))
    (tmp_path / "from_s3.msg").write_bytes(data)
    em = extract_msg.openMsg(str(tmp_path / "from_s3.msg"))
    try:
        assert em.subject == "across backends"
        assert [r.email for r in em.recipients] == ["to@example.com", "cc@example.com"]
        assert len(em.attachments) == 2
    finally:
        em.close()
