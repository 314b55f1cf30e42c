"""What the ``imsg`` commands print: one JSON record schema across ``info --json``,
``attachments --json`` and ``export``; JSON never shortened; ``tree --json``; one stderr line
per failed file in ``export``; long and blank recipient lists; the attachments table; the demo's
temporary directory; progress bars that are drawn only when work runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import corpus_files

import imsg_core
from imsg_core.cli import build_cli
from imsg_core.cli import build_demo_message
from imsg_core.props import tags as T
from imsg_core.props.constants import MODRECIP_ADD


def run(*args: str) -> Any:
    return CliRunner().invoke(build_cli(plugins=False), list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_msg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.msg"
    assert run("demo", "--out", str(path)).exit_code == 0
    return path


def _export_one(path: Path, *extra: str) -> dict[str, Any]:
    res = run("export", str(path), "--to", "-", "--no-progress", *extra)
    assert res.exit_code == 0, res.stderr
    (rec,) = [json.loads(line) for line in res.stdout.splitlines()]
    return rec


def _strip_nested(atts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in a.items() if k != "message"} for a in atts]


# ------------------------------------------------------------------- point 12: one schema
SCHEMA_SAMPLES = [
    *corpus_files("pypi-msg-parser/complete.msg"),
    *corpus_files("poi/attachment_msg_inlineImg.msg"),
    *corpus_files("aspose-foss-generated/g05_embedded_msg.msg"),
]


def test_info_json_and_export_share_one_record_schema(demo_msg: Path) -> None:
    for path in [demo_msg, *SCHEMA_SAMPLES]:
        rec = _export_one(path)
        doc = json.loads(run("info", "--json", str(path)).stdout)
        assert list(rec) == [
            "path",
            "subject",
            "sender_name",
            "sender_email",
            "sent",
            "received",
            "message_class",
            "recipients",
            "attachments",
        ]
        for key in rec:
            if key == "attachments":
                assert _strip_nested(doc[key]) == rec[key], path
            else:
                assert doc[key] == rec[key], (path, key)
        for att in rec["attachments"]:
            assert set(att) == {
                "filename",
                "size",
                "mime_type",
                "content_id",
                "method",
                "embedded",
            }


def test_export_fields_are_keyed_by_the_name_asked_for(demo_msg: Path) -> None:
    rec = _export_one(demo_msg, "--fields", "subject,PR_MESSAGE_CLASS,0x0037001F")
    assert rec["PR_MESSAGE_CLASS"] == "IPM.Note"
    assert rec["0x0037001F"] == "Hello from imsg-core"
    assert "0x001A001F" not in rec


def test_attachments_json_lists_what_info_json_lists(demo_msg: Path) -> None:
    res = run("attachments", "--json", str(demo_msg))
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    info = json.loads(run("info", "--json", str(demo_msg)).stdout)
    assert doc == {"path": str(demo_msg), "attachments": info["attachments"]}
    assert [a["embedded"] for a in doc["attachments"]] == [False, False, True]
    assert run("attachments", "--json", "--extract", "x", str(demo_msg)).exit_code == 2


def test_tree_json_matches_the_text_tree(demo_msg: Path) -> None:
    res = run("tree", "--json", str(demo_msg))
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["path"] == str(demo_msg) and doc["type"] == "storage"

    def walk(node: dict[str, Any]) -> list[tuple[str, int]]:
        out = []
        for child in node["children"]:
            if child["type"] == "stream":
                out.append((child["name"], child["size"]))
            else:
                assert set(child) == {"name", "type", "clsid", "children"}
                out.extend(walk(child))
        return out

    streams = walk(doc)
    text = run("tree", str(demo_msg)).stdout
    assert len(streams) == sum(1 for line in text.splitlines() if line.split()[-1].isdigit())
    assert ("__properties_version1.0", streams[-1][1]) in streams
    assert any(name.startswith("__substg1.0_0037001F") for name, _ in streams)


# ------------------------------------------------------------------- point 4: props --json
def test_props_json_of_a_corpus_file_holds_every_value_in_full() -> None:
    path = corpus_files("pypi-msg-parser/complete.msg")
    if not path:
        pytest.skip("corpus absent")
    doc = json.loads(run("props", "--json", str(path[0])).stdout)
    values = [r["value"] for r in doc["properties"] if isinstance(r.get("value"), str)]
    assert values and not any("chars)" in v or "bytes)" in v for v in values)


# ------------------------------------------------------------------- point 13: export
def test_export_prints_one_stderr_line_per_failed_file(demo_msg: Path, tmp_path: Path) -> None:
    bad = []
    for name, data in (("empty.msg", b""), ("text.msg", b"not a compound file" * 50)):
        p = tmp_path / name
        p.write_bytes(data)
        bad.append(p)
    res = run("export", str(demo_msg), *map(str, bad), "--to", "-", "--no-progress")
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    for p in bad:
        (line,) = [x for x in lines if x.startswith(f"imsg: {p}: ")]
        assert len(line) > len(f"imsg: {p}: ") + 5
    assert lines[-1] == "imsg: exported 3 record(s), 2 error(s)"


# ------------------------------------------------------------------- point 17
def test_info_summarises_a_long_to_line(tmp_path: Path) -> None:
    path = tmp_path / "many.msg"
    with imsg_core.Session() as s:
        m = s.create(str(path))
        m.subject = "many"
        for i in range(1321):
            m.add_recipient(f"user{i}@example.org", f"User {i}", "to")
        m.add_recipient("boss@example.org", "Boss", "cc")
        m.save_changes()
    res = run("info", str(path))
    assert res.exit_code == 0, res.stderr
    (to,) = [line for line in res.stdout.splitlines() if line.startswith("to:")]
    assert len(to) < 600
    assert "User 0 <user0@example.org>" in to and "User 9 <" in to and "User 10 <" not in to
    assert to.endswith("... and 1,311 more (1,321 in all)")
    assert "cc:          Boss <boss@example.org>" in res.stdout
    doc = json.loads(run("info", "--json", str(path)).stdout)
    assert len(doc["recipients"]) == 1322  # JSON keeps every recipient


def test_info_counts_recipients_without_name_or_address(tmp_path: Path) -> None:
    path = tmp_path / "blank.msg"
    with imsg_core.Session() as s:
        m = s.create(str(path))
        m.add_recipient("a@example.org", "A", "to")
        blank = {T.PR_RECIPIENT_TYPE: 1}  # MAPI_TO and nothing else, as in fuzzed files
        m.modify_recipients([blank] * 5, MODRECIP_ADD)
        m.save_changes()
    res = run("info", str(path))
    (to,) = [line for line in res.stdout.splitlines() if line.startswith("to:")]
    assert ", ," not in to and not to.rstrip().endswith(",")
    assert to == "to:          A <a@example.org> (5 without a name or address)"


def test_info_of_fuzzed_files_never_prints_empty_list_items() -> None:
    files = corpus_files("cfb-rust-cfb-fuzzed/*") + corpus_files("poi/*.msg")
    if not files:
        pytest.skip("corpus absent")
    for path in files:
        res = run("info", str(path))
        for line in res.stdout.splitlines():
            assert ", ," not in line and not line.endswith(", "), (path, line)


def test_attachments_table_stays_aligned_with_long_mime_types(tmp_path: Path) -> None:
    path = tmp_path / "mime.msg"
    long_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with imsg_core.Session() as s:
        m = s.create(str(path))
        m.add_attachment("a.txt", b"a", "text/plain").close()
        m.add_attachment("report.docx", b"b" * 3000, long_type).close()
        m.add_attachment("c.bin", b"c").close()
        m.save_changes()
    res = run("attachments", str(path))
    assert res.exit_code == 0, res.stderr
    rows = res.stdout.splitlines()
    names = ("a.txt", "report.docx", "c.bin")
    starts = {row.index(name) for row, name in zip(rows, names, strict=True)}
    assert len(starts) == 1, rows


def test_demo_without_out_leaves_no_directory_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    res = run("demo")
    assert res.exit_code == 0, res.stderr
    assert "Hello from imsg-core" in res.stdout
    assert list(tmp_path.iterdir()) == []


def test_export_on_dask_without_dask_draws_no_bar(
    demo_msg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    res = run("export", str(demo_msg), "--to", "-", "--scheduler", "dask", "--progress")
    assert res.exit_code == 1
    assert "%" not in res.stderr and "|" not in res.stderr
    (line,) = res.stderr.splitlines()
    assert line.startswith("imsg: ") and "pip install 'imsg-core[dask]'" in line


def test_batch_convert_shows_a_progress_bar(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        with imsg_core.Session() as s:
            m = s.create(str(src / f"m{i}.msg"))
            build_demo_message(m)
            m.save_changes()
    out = tmp_path / "out"
    res = run("convert", str(src / "*.msg"), str(out))
    assert res.exit_code == 0, res.stderr
    assert "/3" in res.stderr and "file" in res.stderr  # tqdm's bar
    assert sorted(res.stdout.split()) == sorted(f"{out}/m{i}.eml" for i in range(3))
    quiet = run("convert", str(src / "*.msg"), str(tmp_path / "out2"), "--no-progress")
    assert quiet.exit_code == 0 and quiet.stderr == ""
