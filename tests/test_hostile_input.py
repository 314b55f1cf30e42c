"""Hostile content: what a stranger's file may do to us.

* attachment names with traversal, absolute paths, drive letters, device names, control
  and bidi characters, very long names — extraction by the CLI never writes outside the
  target directory (checked by listing the whole temporary tree before and after), not
  even through a symbolic link planted in the target directory;
* compressed RTF declaring a 4 GB raw size inside a message: not allocated;
* embedded messages nested 100 deep (built from our writer's streams, since the message
  API itself refuses to create more than 64): a clean ``MAPI_E_TOO_COMPLEX`` at the limit,
  from the API, the CLI and the .eml export;
* directory cycles inside a message; storages nested 5,000 deep;
* many tiny entries: 100,000 directory entries (balanced and as one degenerate sibling
  chain) and a message with 10,000 recipients: linear time and memory (the 1,000,000-entry
  figures are in docs/reliability.md);
* plugins: only installed distributions' entry points are loaded, blocked names are never
  imported, and a backend raising during open or release never leaves a session
  half-closed.
"""

from __future__ import annotations

import ast
import os
import struct
import subprocess
import sys
import time
import tracemalloc
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import imsg_core
from fuzz import hostile
from fuzz import mutators
from fuzz import seeds
from fuzz import targets
from imsg_core.convert.names import MAX_NAME_BYTES
from imsg_core.convert.names import safe_filename
from imsg_core.convert.names import target_path
from imsg_core.errors import SCODE
from imsg_core.errors import STG
from imsg_core.errors import MAPIError
from imsg_core.errors import ObjectDeletedError
from imsg_core.errors import StorageError

HOSTILE_NAMES = [
    "../../../../tmp/evil.txt",
    "..\\..\\..\\evil.txt",
    "/etc/passwd",
    "C:\\Windows\\System32\\evil.dll",
    "C:evil.txt",
    "\\\\server\\share\\evil.txt",
    "CON",
    "con.txt",
    "NUL.tar.gz",
    "COM1",
    "LPT9.doc",
    "aux",
    "evil\x00.txt",
    "a\x01b\x1fc\x7f.txt",
    "line\r\nbreak.txt",
    "\u202etxt.exe",  # right-to-left override
    "..",
    ".",
    "...",
    " ",
    "",
    ".hidden",
    "trailing. . .",
    "x" * 1000 + ".txt",
    "\u00e9" * 300 + ".pdf",
    "sub/dir/file.txt",
    'a:b*c?d|e<f>g"h.txt',
    "ok.txt",
    "ok.txt",  # duplicate
]


def _snapshot_tree(base: Path) -> set[str]:
    return {str(p.relative_to(base)) for p in base.rglob("*")}


def _hostile_message(path: Path) -> None:
    with imsg_core.Session() as s:
        msg = s.create(str(path))
        msg.subject = "../../evil subject"
        for i, name in enumerate(HOSTILE_NAMES):
            att = msg.add_attachment("placeholder", f"data {i}".encode())
            # set the raw names (add_attachment would take them too; be explicit)
            att.set_props({0x3707001F: name, 0x3704001F: name[:8], 0x3001001F: name})
            att.save_changes()
        att = msg.create_attach()
        inner = att.open_embedded(create=True)
        inner.subject = "../../../inner/../CON"
        inner.save_changes()
        att.save_changes()
        msg.save_changes()
        msg.close()


def test_cli_extraction_never_writes_outside_the_target(tmp_path: Path) -> None:
    from imsg_core.cli import build_cli

    src = tmp_path / "in" / "hostile.msg"
    src.parent.mkdir()
    _hostile_message(src)
    out = tmp_path / "deep" / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    (out).mkdir(parents=True)
    os.symlink(outside / "planted.txt", out / "ok.txt")  # a trap: a link pointing out
    before = _snapshot_tree(tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path / "deep")  # relative traversal would land next to 'out'
    try:
        result = CliRunner().invoke(
            build_cli(), ["attachments", str(src), "--extract", str(out)], catch_exceptions=False
        )
    finally:
        os.chdir(cwd)
    after = _snapshot_tree(tmp_path)
    new = sorted(after - before)
    assert new, result.output
    assert all(p.startswith(str(Path("deep") / "out") + os.sep) for p in new), new
    assert not (outside / "planted.txt").exists()  # nothing written through the link
    names = [Path(p).name for p in new]
    assert len(names) >= len(HOSTILE_NAMES)  # every attachment landed (or was refused)
    for name in names:
        assert name == safe_filename(name)  # already safe: a fixed point
        assert len(name.encode()) <= MAX_NAME_BYTES
        stem = name.split(".")[0].upper()
        assert stem not in {"CON", "NUL", "AUX", "COM1", "LPT9"}
    assert "ok.txt" not in names or (out / "ok.txt").is_symlink()


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.text(max_size=5))
def test_safe_filename_is_one_harmless_component(name: str, fallback: str) -> None:
    safe = safe_filename(name, fallback or "attachment")
    assert safe and safe not in (".", "..")
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".")
    assert not any(ord(c) < 32 for c in safe)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe_filename(safe) == safe


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(HOSTILE_NAMES) | st.text(max_size=60))
def test_target_path_stays_inside(tmp_path_factory: Any, name: str) -> None:
    base = tmp_path_factory.mktemp("t")
    try:
        p = target_path(base, name)
    except StorageError as exc:
        code = exc.hresult
    else:
        assert p.resolve().parent == base.resolve()
        return
    assert code == STG.STG_E_ACCESSDENIED


def test_target_path_refuses_a_nul_byte(tmp_path: Path) -> None:
    """Regression: a name with NUL made ``Path.resolve`` raise a bare ValueError."""
    with pytest.raises(StorageError) as ei:
        target_path(tmp_path, "a\x00b")
    assert ei.value.hresult == STG.STG_E_ACCESSDENIED


# ----------------------------------------------------------------- compressed RTF sizes
def test_message_rtf_declaring_4gb_is_not_allocated() -> None:
    streams, storages = mutators.explode(seeds.message_seed())
    key = "__substg1.0_10090102"
    rtf = bytearray(streams[key])
    struct.pack_into("<I", rtf, 4, 0xFFFFFFFF)  # RAWSIZE: 4 GiB
    data = mutators.rebuild({**streams, key: bytes(rtf)}, storages)
    tracemalloc.start()
    try:
        with imsg_core.Session() as s:
            msg = s.open(data)
            body = msg.rtf
            assert body is not None and len(body) < 100_000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * len(data) + (8 << 20)


# ----------------------------------------------------------------- nesting and cycles
@pytest.fixture(scope="module")
def nested100() -> bytes:
    return hostile.nested_message_cfb(100)


def test_embedding_100_deep_stops_cleanly_at_the_limit(nested100: bytes) -> None:
    from imsg_core._message import MAX_EMBEDDING_DEPTH

    with imsg_core.Session() as s:
        msg = s.open(nested100)
        for level in range(MAX_EMBEDDING_DEPTH):  # noqa: B007 - checked after the loop
            msg = msg.open_attach(msg.attachment_numbers()[0]).open_embedded()
        att = msg.open_attach(msg.attachment_numbers()[0])
        with pytest.raises(MAPIError) as ei:
            att.open_embedded()
        level += 1
        assert ei.value.hresult == SCODE.MAPI_E_TOO_COMPLEX
        assert level == MAX_EMBEDDING_DEPTH
        assert str(MAX_EMBEDDING_DEPTH) in str(ei.value)
    # the whole-file walk (what every fuzz target does) ends cleanly too
    hyp_out = targets.walk_message(nested100)
    assert hyp_out > MAX_EMBEDDING_DEPTH


def test_embedding_100_deep_through_cli_and_eml_export(tmp_path: Path, nested100: bytes) -> None:
    from imsg_core.cli import build_cli
    from imsg_core.convert.eml import msg_to_eml

    path = tmp_path / "nested.msg"
    path.write_bytes(nested100)
    for args in (["info", str(path)], ["convert", str(path), str(tmp_path / "n.eml")]):
        result = CliRunner().invoke(build_cli(), args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        assert "Traceback" not in result.output
    with imsg_core.Session() as s, pytest.raises(MAPIError, match=r"nested|deep"):
        msg_to_eml(s.open(str(path)))


def _dir_entry_offsets(data: bytes) -> dict[str, int]:
    """Name -> file offset of each directory entry (4096-byte or 512-byte sectors)."""
    out: dict[str, int] = {}
    for f in mutators.cfb_fields(data):
        if f.what.endswith(".name_char0"):
            base = f.offset
            n = struct.unpack_from("<H", data, base + 64)[0]
            name = data[base : base + max(0, n - 2)].decode("utf-16-le", "replace")
            out.setdefault(name, base)
    return out


@pytest.mark.parametrize("link", ["child", "left", "right"])
def test_directory_cycle_inside_a_message_is_refused_cleanly(link: str) -> None:
    data = bytearray(seeds.nested_message(3))
    offsets = _dir_entry_offsets(bytes(data))
    # the deepest embedded storage links back to the root entry's first child
    emb = max(
        (o for n, o in offsets.items() if n == "__substg1.0_3701000D"),
        default=offsets["__substg1.0_3701000D"],
    )
    root_child = struct.unpack_from("<I", data, offsets["Root Entry"] + 76)[0]
    field = {"left": 68, "right": 72, "child": 76}[link]
    struct.pack_into("<I", data, emb + field, root_child)
    for target in (targets.walk_storage, targets.walk_message):
        try:
            target(bytes(data))
        except StorageError as exc:
            code = exc.hresult
        else:
            continue  # the walker skipped the looping link (a lenient read)
        assert code == STG.STG_E_DOCFILECORRUPT


def test_storages_nested_5000_deep_are_walked_without_recursion_errors() -> None:
    data = hostile.deep_storages_cfb(5000)
    with imsg_core.Session() as s:
        cur = s.open_storage(data)
        depth = 0
        while True:
            items = cur.list()
            if not items[0].is_storage:
                assert items[0].name == "leaf"
                break
            cur = cur.open_storage(items[0].name)
            depth += 1
        assert depth == 5000


# ----------------------------------------------------------------- many tiny entries
@pytest.mark.parametrize("chain", [False, True], ids=["balanced", "degenerate-chain"])
def test_100k_directory_entries_linear_time_and_memory(chain: bool) -> None:
    data = hostile.many_entries_cfb(100_000, chain=chain)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with imsg_core.Session() as s:
            st = s.open_storage(data)
            items = st.list()
            assert len(items) == 100_000
            with st.open_stream("s99999") as f:
                assert f.read() == b""
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    seconds = time.perf_counter() - t0
    assert peak < 16 * len(data), f"{peak / 1e6:.0f} MB for a {len(data) / 1e6:.0f} MB file"
    assert seconds < 60, "not a hang"
    print(
        f"\n100k entries ({'chain' if chain else 'balanced'}): {seconds:.1f} s traced, "
        f"peak {peak / 1e6:.0f} MB for {len(data) / 1e6:.1f} MB"
    )


def test_10k_recipients_are_read_in_bounded_time_and_memory() -> None:
    data = hostile.many_recipients_msg(10_000)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with imsg_core.Session() as s:
            msg = s.open(data)
            assert len(msg.recipients) == 10_000
            rows = msg.get_recipient_table().query_rows()
            assert len(rows) == 10_000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * len(data)
    assert time.perf_counter() - t0 < 120, "not a hang"


# ----------------------------------------------------------------- plugins
def test_only_installed_entry_points_are_loaded() -> None:
    with imsg_core.Session() as s:
        names = {b.name for b in s.backends()}
        plugin_names = {n for n, _ in s.pm.list_name_plugin()}
    installed = {ep.name for ep in entry_points(group="imsg_core.backends")}
    assert names <= installed | {"core"}
    assert plugin_names <= installed | {"core"}
    assert {"ole", "memory", "remote"} <= installed


def test_blocked_backends_are_never_imported_even_via_environment() -> None:
    code = (
        "import sys, imsg_core\n"
        "s = imsg_core.Session(blocked=['remote'])\n"
        "print(sorted(b.name for b in s.backends()))\n"
        "print('imsg_backends.remote' in sys.modules, 'imsg_backends.ole' in sys.modules)\n"
        "try:\n"
        "    s.open_storage('s3://bucket/key')\n"
        "except imsg_core.MAPIError as e:\n"
        "    print(e.name)\n"
    )
    env = {**os.environ, "IMSG_DISABLE_BACKENDS": "ole"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    lines = out.stdout.splitlines()
    listed = set(ast.literal_eval(lines[0]))
    installed = {ep.name for ep in entry_points(group="imsg_core.backends")}
    assert listed == installed - {"ole", "remote"}
    assert lines[1] == "False False"
    assert lines[2] == "STG_E_INVALIDPARAMETER"


class _OpenBoom:
    """A backend that claims ``boom://`` and raises while opening, after creating a
    half-registered storage."""

    @imsg_core.hookimpl
    def imsg_core_open_storage(self, session: Any, location: Any, mode: Any, options: Any) -> Any:
        if not (isinstance(location, str) and location.startswith("boom://")):
            return None
        kind = location[len("boom://") :]
        if kind == "mapi":
            raise StorageError("the server said no", STG.STG_E_ACCESSDENIED)
        raise RuntimeError("backend bug while opening")


class _ReleaseBoom:
    released = 0

    @imsg_core.hookimpl
    def imsg_core_release(self, session: Any, objects: Any) -> None:
        type(self).released += len(objects)
        raise RuntimeError("backend bug while releasing")


def test_backend_raising_during_open_leaves_the_session_usable(tmp_path: Path) -> None:
    with imsg_core.Session(plugins=[_OpenBoom()]) as s:
        with pytest.raises(StorageError):
            s.open_storage("boom://mapi")
        with pytest.raises(RuntimeError):
            s.open_storage("boom://bug")
        assert not s.closed and s.open_objects() == []
        st = s.open_storage("mem://after", "w")  # still usable
        st.write_stream("a", b"1")
        st.commit()
    assert s.closed and s.open_objects() == []


def test_backend_raising_during_release_never_half_closes(tmp_path: Path) -> None:
    path = tmp_path / "m.msg"
    path.write_bytes(seeds.message_seed())
    s = imsg_core.Session(plugins=[_ReleaseBoom()])
    msg = s.open(str(path))
    st = s.open_storage("mem://x", "w")
    stream = st.create_stream("a")
    with pytest.raises(ExceptionGroup) as ei:
        s.close()
    assert all(isinstance(e, RuntimeError) for e in ei.value.exceptions)
    assert _ReleaseBoom.released > 0
    assert s.closed and s.open_objects() == []
    for op in (
        lambda: msg.subject,
        stream.read,
        st.list,
        lambda: s.open(str(path)),
    ):
        with pytest.raises(ObjectDeletedError):
            op()
    s.close()  # idempotent
    with imsg_core.Session() as s2:  # the file was released: it opens and reads again
        assert s2.open(str(path)).subject
