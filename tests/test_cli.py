"""The ``imsg`` command-line tool, end to end: click's runner and a real subprocess, on
generated messages and on corpus files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from conftest import CORPUS
from conftest import corpus_files

import imsg_core
from imsg_core.cli import BUILTIN_COMMANDS
from imsg_core.cli import build_cli
from imsg_core.cli import build_demo_message
from imsg_core.props import tags as T

ROOT = Path(__file__).resolve().parent.parent
BROKEN = [
    *corpus_files("extract-text/test.msg"),
    *corpus_files("cfb-rust-cfb-fuzzed/*")[:6],
    *corpus_files("poi/clusterfuzz-testcase-minimized-POIHSMFFuzzer-4735011465854976.msg"),
]
SAMPLES = [
    *corpus_files("pypi-msg-parser/complete.msg"),
    *corpus_files("poi/attachment_msg_inlineImg.msg"),
    *corpus_files("aspose-foss-generated/g05_embedded_msg.msg"),
    *corpus_files("poi/chinese-traditional.msg"),
]


def run(*args: str, input: str | None = None) -> Any:
    """Run the CLI in-process with click's runner (stderr kept apart)."""
    runner = CliRunner()
    return runner.invoke(build_cli(), list(args), input=input, catch_exceptions=False)


def imsg_exe() -> list[str]:
    exe = Path(sys.executable).parent / "imsg"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "imsg_core.cli"]


def sh(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``imsg`` script as a real process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("IMSG_DEBUG", None)
    return subprocess.run(
        [*imsg_exe(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .msg written by ``imsg demo`` (a real subprocess)."""
    path = tmp_path_factory.mktemp("demo") / "demo.msg"
    proc = sh("demo", "--out", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


# --------------------------------------------------------------------------- demo
def test_demo_runs_without_arguments_and_prints_the_reopened_message(tmp_path: Path) -> None:
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    proc = subprocess.run(
        [*imsg_exe(), "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "TMPDIR": str(env_tmp)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    first = out.splitlines()[0]
    assert first.startswith("file:") and "demo.msg" in first and "removed" in first
    assert list(env_tmp.iterdir()) == []  # no imsg-demo-* directory left behind
    for expected in (
        "subject:     Hello from imsg-core",
        "Alice Example <alice@example.org>, Bob Example <bob@example.org>",
        "cc:          Carol Example <carol@example.org>",
        "plain (",
        "html (",
        "rtf (",
        "notes.txt",
        "logo.png",
        "[message] An embedded message",
    ):
        assert expected in out, expected


def test_demo_output_is_read_by_olefile_and_extract_msg(demo_file: Path) -> None:
    import olefile

    extract_msg = pytest.importorskip("extract_msg")
    assert olefile.isOleFile(str(demo_file))
    with extract_msg.Message(str(demo_file)) as m:
        assert m.subject == "Hello from imsg-core"
        assert "Hello from imsg-core!" in m.body
        assert len(m.recipients) == 3
        names = sorted(
            a.longFilename or a.displayName or "" for a in m.attachments if a.longFilename
        )
        assert names == ["logo.png", "notes.txt"]


# --------------------------------------------------------------------------- info / props
def test_info_summarises_a_generated_message(demo_file: Path) -> None:
    res = run("info", str(demo_file))
    assert res.exit_code == 0
    assert "class:       IPM.Note" in res.stdout
    assert "from:        imsg demo <demo@example.org>" in res.stdout
    assert "       subject:     An embedded message" in res.stdout  # the nested tree


@pytest.mark.corpus
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_info_props_tree_attachments_on_corpus_files(path: Path) -> None:
    for cmd in (["info"], ["props"], ["props", "--json"], ["tree"], ["attachments"]):
        res = run(*cmd, str(path))
        assert res.exit_code == 0, (cmd, res.stderr)
        assert res.stdout.strip() or cmd == ["attachments"], cmd
        if "--json" in cmd:
            doc = json.loads(res.stdout)
            assert doc["file"] == str(path)
            assert {"properties", "recipients", "attachments"} <= doc.keys()


def test_props_json_lists_every_property_with_names_and_named_properties(
    demo_file: Path, tmp_path: Path
) -> None:
    res = run("props", "--json", "--width", "0", str(demo_file))
    doc = json.loads(res.stdout)
    by_name = {row["name"]: row for row in doc["properties"]}
    assert by_name["PR_SUBJECT"]["value"] == "Hello from imsg-core"
    assert by_name["PR_SUBJECT"]["tag"] == "0x0037001F"
    assert by_name["PR_SUBJECT"]["type"] == "PT_UNICODE"
    assert len(doc["recipients"]) == 3 and len(doc["attachments"]) == 3
    assert "message" in doc["attachments"][2]
    # a named property shows as set:name
    path = tmp_path / "named.msg"
    with imsg_core.Session() as s:
        m = s.create(path)
        m.subject = "named"
        from imsg_core.props import PS_PUBLIC_STRINGS

        m.named[(PS_PUBLIC_STRINGS, "Keywords"), 0x101F] = ["a", "b"]
        m.save_changes()
    doc = json.loads(run("props", "--json", str(path)).stdout)
    names = [row["name"] for row in doc["properties"]]
    assert "PS_PUBLIC_STRINGS:Keywords" in names


def test_props_text_shortens_long_values_unless_width_is_zero(tmp_path: Path) -> None:
    path = tmp_path / "long.msg"
    with imsg_core.Session() as s:
        m = s.create(path)
        m.body = "x" * 5000
        m.save_changes()
    short = run("props", str(path)).stdout
    full = run("props", "--width", "0", str(path)).stdout
    assert "… (5000 chars)" in short and "x" * 5000 not in short
    assert "x" * 5000 in full


def test_props_json_is_never_shortened_and_binary_is_full_hex(tmp_path: Path) -> None:
    path = tmp_path / "long.msg"
    blob = bytes(range(256)) * 20
    with imsg_core.Session() as s:
        m = s.create(path)
        m.body = "x" * 5000
        m.set_props({T.PR_SEARCH_KEY: blob})
        m.save_changes()
    for width in ("80", "10", "0"):
        doc = json.loads(run("props", "--json", "--width", width, str(path)).stdout)
        values = {r["name"]: r.get("value") for r in doc["properties"]}
        assert values["PR_BODY"] == "x" * 5000
        assert values["PR_SEARCH_KEY"] == blob.hex()  # the documented rule: lowercase hex
    rule = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "binary values are lowercase hex" in rule


def test_several_files_and_globs(demo_file: Path) -> None:
    pattern = str(demo_file.parent / "*.msg")
    res = run("info", pattern, str(demo_file))
    assert res.exit_code == 0
    assert res.stdout.count("==> ") == 1 or res.stdout.count("file:") == 1  # deduplicated
    res = run("info", str(demo_file.parent / "nothing-*.msg"))
    assert res.exit_code == 1
    assert "no file matches" in res.stderr


def test_urls_work_through_the_backends(demo_file: Path) -> None:
    res = run("info", demo_file.as_uri())
    assert res.exit_code == 0, res.stderr
    assert "Hello from imsg-core" in res.stdout


# --------------------------------------------------------------------------- tree
def test_tree_shows_storages_streams_and_sizes(demo_file: Path) -> None:
    res = run("tree", str(demo_file))
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "Root Entry/  {00020D0B-0000-0000-C000-000000000046}"
    assert any("__properties_version1.0" in ln for ln in lines)
    assert any(ln.rstrip().endswith("__substg1.0_3701000D/") for ln in lines)
    subject = next(ln for ln in lines if "__substg1.0_0037001F" in ln)
    assert subject.split()[-1] == str(len("Hello from imsg-core") * 2)


@pytest.mark.corpus
def test_tree_works_on_non_message_compound_files() -> None:
    docs = [p for p in corpus_files("cfb-*/*") if p.suffix.lower() in (".doc", ".xls", ".ppt")]
    if not docs:
        pytest.skip("no Office documents in the corpus")
    res = run("tree", str(docs[0]))
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("Root Entry/")


# --------------------------------------------------------------------------- errors
@pytest.mark.corpus
@pytest.mark.parametrize("path", BROKEN, ids=lambda p: str(p.relative_to(CORPUS / "files")))
@pytest.mark.parametrize("command", ["info", "props", "tree", "attachments"])
def test_broken_files_give_one_line_and_status_1(path: Path, command: str) -> None:
    res = run(command, str(path))
    if res.exit_code == 0:  # the storage layer alone may read a damaged-but-usable file
        assert command == "tree"
        return
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"imsg: {path}: ")
    assert "Traceback" not in res.stderr and "0x8" in lines[0]


@pytest.mark.corpus
def test_broken_file_in_a_real_process_has_no_traceback() -> None:
    bad = corpus_files("extract-text/test.msg")
    if not bad:
        pytest.skip("corpus absent")
    proc = sh("info", str(bad[0]))
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"imsg: {bad[0]}: STG_E_INVALIDHEADER (0x800300FB)")


def test_missing_file_and_usage_errors() -> None:
    res = run("info", "/no/such/file.msg")
    assert res.exit_code == 1
    assert res.stderr.startswith("imsg: /no/such/file.msg: ")
    assert len(res.stderr.splitlines()) == 1
    assert run("info").exit_code == 2  # missing argument
    assert run("no-such-command").exit_code == 2
    assert run("convert", "a.txt", "b.pdf").exit_code != 0


def test_a_bad_file_does_not_stop_the_others(demo_file: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.msg"
    junk.write_bytes(b"not a compound file")
    res = run("info", str(junk), str(demo_file))
    assert res.exit_code == 1
    assert "Hello from imsg-core" in res.stdout
    assert res.stderr.startswith(f"imsg: {junk}: ")


# --------------------------------------------------------------------------- attachments
def _hostile_message(path: Path) -> list[str]:
    names = [
        "../../escape.txt",
        "/etc/passwd",
        "..\\..\\win.ini",
        "CON",
        "nul.txt",
        "a\x00b.txt",
        "x" * 300 + ".txt",
        "..",
        "same.txt",
        "SAME.txt",
        "\x1b[31mred.txt",
    ]
    with imsg_core.Session() as s:
        m = s.create(path)
        m.subject = "hostile"
        for i, name in enumerate(names):
            att = m.create_attach()
            att.set_props(
                {
                    T.PR_ATTACH_METHOD: 1,
                    T.PR_ATTACH_DATA_BIN: f"payload {i}".encode(),
                    T.PR_ATTACH_LONG_FILENAME: name.replace("\x00", "\u0000"),
                }
            )
            att.save_changes()
            att.close()
        att = m.create_attach()
        inner = att.open_embedded(create=True)
        inner.subject = "../../../inner"
        inner.save_changes()
        att.save_changes()
        att.close()
        m.save_changes()
    return names


def test_extraction_never_writes_outside_the_directory(tmp_path: Path) -> None:
    src = tmp_path / "src" / "hostile.msg"
    src.parent.mkdir()
    names = _hostile_message(src)
    target = tmp_path / "deep" / "out"
    before = set(tmp_path.rglob("*"))
    res = run("attachments", "--extract", str(target), str(src))
    assert res.exit_code == 0, res.stderr
    created = set(tmp_path.rglob("*")) - before
    files = [p for p in created if p.is_file()]
    assert len(files) == len(names) + 1
    for f in files:
        assert f.resolve().parent == target.resolve(), f
        assert f.name not in ("CON", "nul.txt", "..", "passwd") or f.name == "passwd"
        assert "\x00" not in f.name and "\x1b" not in f.name
        assert len(f.name.encode()) <= 200
    assert sorted(f.read_bytes() for f in files if f.suffix != ".msg") == sorted(
        f"payload {i}".encode() for i in range(len(names))
    )
    inner = [f for f in files if f.suffix == ".msg"]
    assert len(inner) == 1
    with imsg_core.Session() as s:
        assert s.open(inner[0]).subject == "../../../inner"
    printed = [Path(line) for line in res.stdout.splitlines()]
    assert sorted(printed) == sorted(files)


def test_extraction_refuses_to_overwrite_without_force(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "x"
    assert run("attachments", "--extract", str(out), str(demo_file)).exit_code == 0
    (out / "notes.txt").write_bytes(b"mine")
    res = run("attachments", "--extract", str(out), str(demo_file))
    assert res.exit_code == 1
    assert "exists (use --force to overwrite)" in res.stderr
    assert (out / "notes.txt").read_bytes() == b"mine"
    res = run("attachments", "--extract", str(out), "--force", str(demo_file))
    assert res.exit_code == 0
    assert (out / "notes.txt").read_bytes().startswith(b"Attachment data")


def test_attachments_list(demo_file: Path) -> None:
    res = run("attachments", str(demo_file))
    lines = res.stdout.splitlines()
    assert len(lines) == 3
    assert "notes.txt" in lines[0] and "text/plain" in lines[0]
    assert "cid:logo@imsg" in lines[1]
    assert "[message]" in lines[2]


# --------------------------------------------------------------------------- convert
def test_convert_msg_to_eml_and_back(demo_file: Path, tmp_path: Path) -> None:
    eml = tmp_path / "demo.eml"
    res = run("convert", str(demo_file), str(eml))
    assert res.exit_code == 0, res.stderr
    text = eml.read_bytes()
    assert b"Subject: Hello from imsg-core" in text and b"multipart/related" in text
    back = tmp_path / "back.msg"
    assert run("convert", str(eml), str(back)).exit_code == 0
    with imsg_core.Session() as s:
        m = s.open(back)
        assert m.subject == "Hello from imsg-core"
        assert sorted(r.email for r in m.recipients) == [
            "alice@example.org",
            "bob@example.org",
            "carol@example.org",
        ]
        assert sorted(a.filename or "" for a in m.attachments if not a.is_embedded) == [
            "logo.png",
            "notes.txt",
        ]


@pytest.mark.corpus
def test_convert_a_glob_into_a_directory(tmp_path: Path) -> None:
    sources = corpus_files("poi/message_198*.msg")
    if not sources:
        pytest.skip("corpus absent")
    out = tmp_path / "emls"
    res = run("convert", str(sources[0].parent / "message_198*.msg"), str(out))
    assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".eml" for p in sources)


# --------------------------------------------------------------------------- export
def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.corpus
def test_export_writes_one_record_per_file_and_records_errors(tmp_path: Path) -> None:
    poi = CORPUS / "files" / "poi"
    if not poi.is_dir():
        pytest.skip("corpus absent")
    out = tmp_path / "out.jsonl"
    res = run("export", str(poi / "*.msg"), "--to", str(out), "--no-progress")
    files = corpus_files("poi/*.msg")
    recs = _records(out)
    assert len(recs) == len(files)
    assert {r["path"] for r in recs} == {str(p) for p in files}
    errors = [r for r in recs if "error" in r]
    assert [Path(r["path"]).name for r in errors] == [
        "clusterfuzz-testcase-minimized-POIHSMFFuzzer-4735011465854976.msg"
    ]
    assert res.exit_code == 1 and "1 error(s)" in res.stderr
    ok = next(r for r in recs if r["path"].endswith("attachment_msg_pdf.msg"))
    assert ok["subject"] == "test email" and ok["recipients"][0]["type"] == "to"


@pytest.mark.corpus
def test_export_with_workers_and_a_progress_bar_in_a_real_process(tmp_path: Path) -> None:
    sample = corpus_files("poi/message_*.msg")
    if not sample:
        pytest.skip("corpus absent")
    out = tmp_path / "out.jsonl"
    proc = sh(
        "export",
        str(CORPUS / "files" / "poi" / "message_*.msg"),
        "--to",
        str(out),
        "--workers",
        "2",
    )
    assert proc.returncode == 0, proc.stderr
    assert "msg" in proc.stderr  # tqdm's bar
    assert len(_records(out)) == len(sample)


@pytest.mark.corpus
def test_export_on_dask(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    sample = corpus_files("poi/message_*.msg")
    if not sample:
        pytest.skip("corpus absent")
    out = tmp_path / "out.jsonl"
    res = run(
        "export",
        str(CORPUS / "files" / "poi" / "message_*.msg"),
        "--to",
        str(out),
        "--scheduler",
        "dask",
        "--workers",
        "2",
        "--no-progress",
    )
    assert res.exit_code == 0, res.stderr
    assert sorted(r["path"] for r in _records(out)) == sorted(map(str, sample))


def test_export_to_stdout(demo_file: Path) -> None:
    res = run("export", str(demo_file), "--to", "-", "--no-progress")
    assert res.exit_code == 0
    (rec,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert rec["subject"] == "Hello from imsg-core"
    assert len(rec["recipients"]) == 3 and len(rec["attachments"]) == 3
    res = run(
        "export", str(demo_file), "--to", "-", "--no-progress", "--fields", "subject,html,PR_BODY"
    )
    (rec,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert set(rec) == {"path", "subject", "html", "PR_BODY", "recipients", "attachments"}
    assert "<b>imsg-core</b>" in rec["html"]
    assert run("export", str(demo_file), "--to", "-", "--fields", "nonsense").exit_code == 2


# --------------------------------------------------------------------------- backends
def test_backends_lists_names_schemes_and_capabilities() -> None:
    res = run("backends", "--json")
    rows = json.loads(res.stdout)
    by = {r["name"]: r for r in rows}
    assert {"memory", "ole", "remote"} <= by.keys()
    assert "mem" in by["memory"]["schemes"]
    assert by["ole"]["capabilities"] == ["readable", "writable", "transacted"]
    assert by["remote"]["catch_all"] is True
    text = run("backends").stdout
    assert "memory" in text and "capabilities: readable, writable, transacted" in text


# --------------------------------------------------------------------------- plugins, help
class _Plugin:
    @imsg_core.hookimpl
    def imsg_core_register_commands(self, cli: click.Group) -> None:
        @cli.command()
        def hello() -> None:
            """Say hello (a plugin command)."""
            click.echo("hello from a plugin")

        @cli.command(name="info")
        def fake_info() -> None:
            click.echo("hijacked")


def test_plugins_add_commands_but_cannot_replace_built_ins(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = CliRunner()
    cli = build_cli(extra_plugins=[_Plugin()])
    assert "'info', which is built in; ignored" in capsys.readouterr().err
    assert runner.invoke(cli, ["hello"]).stdout == "hello from a plugin\n"
    res = runner.invoke(cli, ["info", str(demo_file)])
    assert "hijacked" not in res.stdout and "Hello from imsg-core" in res.stdout


def test_every_command_has_complete_help() -> None:
    cli = build_cli()
    assert run("--help").exit_code == 0
    for name in BUILTIN_COMMANDS:
        res = run(name, "--help")
        assert res.exit_code == 0
        cmd = cli.commands[name]
        assert cmd.help and len(cmd.help) > 40, name
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert param.help, (name, param.name)


def test_docs_cli_page_covers_every_command_and_option() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    cli = build_cli(plugins=False)
    for name, cmd in cli.commands.items():
        assert f"imsg {name}" in page, name
        for param in cmd.params:
            if isinstance(param, click.Option):
                for opt in param.opts:
                    assert opt in page, (name, opt)


def test_version() -> None:
    res = run("--version")
    assert res.exit_code == 0 and imsg_core.__version__ in res.stdout


def test_demo_in_process_builds_the_documented_message() -> None:
    with imsg_core.Session() as s:
        m = s.create("mem://d")
        build_demo_message(m)
        m.save_changes()
        assert [r.type for r in m.recipients] == ["to", "to", "cc"]
        assert [a.is_embedded for a in m.attachments] == [False, False, True]


@pytest.mark.corpus
def test_export_on_a_distributed_scheduler_address(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    sample = corpus_files("poi/message_*.msg")
    if not sample:
        pytest.skip("corpus absent")
    out = tmp_path / "out.jsonl"
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        res = run(
            "export",
            str(CORPUS / "files" / "poi" / "message_*.msg"),
            "--to",
            str(out),
            "--scheduler",
            address,
            "--no-progress",
        )
    assert res.exit_code == 0, res.stderr
    assert sorted(r["path"] for r in _records(out)) == sorted(map(str, sample))


# --------------------------------------------------------------------------- real processes
def _subprocess_cases(demo: Path, tmp: Path) -> list[tuple[list[str], str]]:
    return [
        (["info", str(demo)], "subject:     Hello from imsg-core"),
        (["props", "--json", str(demo)], '"PR_SUBJECT"'),
        (["tree", str(demo)], "__properties_version1.0"),
        (["attachments", str(demo)], "notes.txt"),
        (["attachments", "--extract", str(tmp / "x"), str(demo)], "logo.png"),
        (["convert", str(demo), str(tmp / "d.eml")], ""),
        (["export", str(demo), "--to", "-", "--no-progress"], '"subject": "Hello from imsg-core"'),
        (["backends"], "memory"),
        (["--help"], "Commands:"),
    ]


def test_every_command_in_a_real_process(demo_file: Path, tmp_path: Path) -> None:
    for args, expected in _subprocess_cases(demo_file, tmp_path):
        proc = sh(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert expected in proc.stdout, (args, proc.stdout[:500])
    assert (tmp_path / "d.eml").read_bytes().startswith(b"From: imsg demo <demo@example.org>")
    proc = sh("convert", str(tmp_path / "d.eml"), str(tmp_path / "back.msg"))
    assert proc.returncode == 0, proc.stderr
    assert "Hello from imsg-core" in sh("info", str(tmp_path / "back.msg")).stdout


@pytest.mark.corpus
def test_every_command_in_a_real_process_on_a_corpus_file(tmp_path: Path) -> None:
    files = corpus_files("poi/attachment_msg_inlineImg.msg")
    if not files:
        pytest.skip("corpus absent")
    path = str(files[0])
    for args in (
        ["info", path],
        ["props", "--json", path],
        ["tree", path],
        ["attachments", path],
        ["attachments", "--extract", str(tmp_path / "atts"), path],
        ["convert", path, str(tmp_path / "c.eml")],
        ["export", path, "--to", str(tmp_path / "c.jsonl"), "--no-progress"],
    ):
        proc = sh(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
    json.loads(sh("props", "--json", path).stdout)
    assert any((tmp_path / "atts").iterdir())


@pytest.mark.corpus
def test_convert_of_a_broken_file_is_one_line() -> None:
    bad = corpus_files("cfb-rust-cfb-fuzzed/loop_in_chain")
    if not bad:
        pytest.skip("corpus absent")
    res = run("convert", str(bad[0]), "/nonexistent-dir/x.eml")
    assert res.exit_code == 1 and len(res.stderr.splitlines()) == 1


def test_urls_and_url_globs_through_the_remote_backend(demo_file: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    base = f"memory://imsg-cli-test-{os.getpid()}"
    fs.pipe(f"{base}/a.msg", demo_file.read_bytes())
    fs.pipe(f"{base}/b.msg", demo_file.read_bytes())
    try:
        res = run("info", f"{base}/a.msg")
        assert res.exit_code == 0, res.stderr
        assert "Hello from imsg-core" in res.stdout
        assert run("tree", f"{base}/a.msg").stdout.startswith("Root Entry/")
        assert run("convert", f"{base}/a.msg", f"{base}/a.eml").exit_code == 0
        assert fs.cat(f"{base}/a.eml").startswith(b"From: imsg demo")
        assert run("convert", f"{base}/a.eml", f"{base}/c.msg").exit_code == 0
        assert "Hello from imsg-core" in run("info", f"{base}/c.msg").stdout
        res = run("export", f"{base}/*.msg", "--to", "-", "--no-progress")
        assert res.exit_code == 0, res.stderr
        paths = sorted(json.loads(line)["path"] for line in res.stdout.splitlines())
        names = [p.rsplit("/", 2)[-2:] for p in paths]  # fsspec spells memory:///...
        assert names == [[base.rsplit("/", 1)[-1], n] for n in ("a.msg", "b.msg", "c.msg")]
    finally:
        fs.rm(base, recursive=True)


def test_a_file_whose_name_looks_like_a_glob_is_taken_literally(
    demo_file: Path, tmp_path: Path
) -> None:
    odd = tmp_path / "mail[1].msg"
    shutil.copy(demo_file, odd)
    res = run("info", str(odd))
    assert res.exit_code == 0, res.stderr
    assert "Hello from imsg-core" in res.stdout


def test_info_json_has_the_summary_facts(demo_file: Path) -> None:
    res = run("info", "--json", str(demo_file))
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["path"] == str(demo_file)
    assert doc["subject"] == "Hello from imsg-core"
    assert (doc["sender_name"], doc["sender_email"]) == ("imsg demo", "demo@example.org")
    # the keys of the previous release, kept for one release
    assert doc["file"] == str(demo_file)
    assert doc["class"] == doc["message_class"] == "IPM.Note"
    assert doc["from"] == {"name": "imsg demo", "email": "demo@example.org"}
    assert [r["type"] for r in doc["recipients"]] == ["to", "to", "cc"]
    assert set(doc["bodies"]) == {"plain", "html", "rtf"}
    names = [a["filename"] for a in doc["attachments"]]
    assert names[:2] == ["notes.txt", "logo.png"]
    assert doc["attachments"][1]["content_id"] == "logo@imsg"
    assert doc["attachments"][2]["message"]["subject"] == "An embedded message"
    many = json.loads(run("info", "--json", str(demo_file), str(demo_file.parent / "*.msg")).stdout)
    assert isinstance(many, list) and len(many) == 1


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("s3://bucket/key.msg", True),
        ("simplecache::s3://bucket/key.msg", True),
        ("file:///tmp/x.msg", True),
        ("mem://x", True),
        ("/tmp/x.msg", False),
        ("rel/x.msg", False),
        ("C:\\mail\\x.msg", False),
        ("C:/mail/x.msg", False),
    ],
)
def test_urls_are_told_from_paths(text: str, url: bool) -> None:
    from imsg_core.cli import is_url

    assert is_url(text) is url
