"""The newcomer's first hour (issue 14): ``imsg_core.open``/``create``, the exported ``PR_*``
constants, embedded messages through an attachment, replacing every form of the body,
Python's own error classes, the Pythonic names, and errors that name the file."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import olefile
import pytest

import imsg_core
from imsg_core.convert import msg_to_eml
from imsg_core.convert.rtf import compress
from imsg_core.convert.rtf import encapsulate_html

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpus/files")
SECRET = "SECRET-HTML-7f3a"


def _write_message_with_embedded(path: Path) -> None:
    with imsg_core.create(path) as msg:
        msg.subject = "outer"
        msg.add_recipient("to@example.com", "To Person")
        msg.add_attachment("a.txt", b"hello", "text/plain")
        att = msg.create_attach()
        att.filename = "inner.msg"
        inner = att.open_embedded(create=True)
        inner.subject = "inner subject"
        inner.body = "inner body"
        inner.add_recipient("inner@example.com", type="cc")
        inner.save_changes()
        att.save_changes()
        msg.save_changes()


# -- part 2: a one-line way in ------------------------------------------------------------------
def test_open_and_create_own_a_session_closed_with_the_message(tmp_path: Path) -> None:
    path = tmp_path / "m.msg"
    with imsg_core.create(path) as new:
        new.subject = "hi"
        new.save_changes()
        session = new.session
        assert isinstance(session, imsg_core.Session) and not session.closed
    assert session.closed and new.closed
    with imsg_core.open(path) as msg:
        assert msg.subject == "hi"
        session = msg.session
    assert session.closed
    msg = imsg_core.open(path, "r+")
    msg.subject = "edited"
    msg.save_changes()
    msg.close()
    assert msg.session.closed
    msg.close()  # idempotent
    assert imsg_core.open(str(path)).subject == "edited"


def test_a_failed_open_closes_its_session_and_is_file_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[imsg_core.Session] = []
    real = imsg_core.Session.__init__

    def spy(self: imsg_core.Session, **kw: object) -> None:
        real(self, **kw)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(imsg_core.Session, "__init__", spy)
    with pytest.raises(FileNotFoundError) as info:
        imsg_core.open(tmp_path / "missing.msg")
    assert isinstance(info.value, imsg_core.NotFoundError)
    assert info.value.errno == errno.ENOENT
    assert made and all(s.closed for s in made)


def test_pr_constants_are_visible_without_junk() -> None:
    names = dir(imsg_core)
    assert "PR_SUBJECT" in names and "PR_BODY_HTML" in names and "PT_UNICODE" in names
    assert "annotations" not in names
    from imsg_core.props import tags

    missing = [n for n in vars(tags) if n.startswith("PR_") and n not in names]
    assert missing == []
    assert imsg_core.PR_SUBJECT == tags.PR_SUBJECT
    assert set(imsg_core.__all__) <= set(names)
    assert {"open", "create", "PR_SUBJECT"} <= set(imsg_core.__all__)


def test_pr_constants_type_check_as_int_under_mypy_strict(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "import imsg_core\n"
        "from imsg_core import PR_SUBJECT\n"
        "x: int = PR_SUBJECT\n"
        "y: int = imsg_core.PR_BODY_HTML\n"
        "with imsg_core.open('m.msg') as msg:\n"
        "    s: str | None = msg.subject\n"
        "reveal_type(PR_SUBJECT)\n",
        encoding="utf-8",
    )
    mypy = Path(sys.executable).with_name("mypy")
    if not mypy.exists():
        pytest.skip("mypy is not installed")
    out = subprocess.run(
        [str(mypy), "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert re.search(r'Revealed type is "(builtins\.)?int"', out.stdout), out.stdout
    assert "Success: no issues found" in out.stdout, out.stdout


# -- point 2: embedded messages through an attachment -------------------------------------------
def test_open_and_data_of_an_embedded_message_say_to_use_message(tmp_path: Path) -> None:
    path = tmp_path / "outer.msg"
    _write_message_with_embedded(path)
    with imsg_core.open(path) as msg:
        data_att, emb = msg.attachments
        assert data_att.has_data and data_att.data == b"hello"
        assert emb.is_embedded and not emb.has_data
        with pytest.raises(imsg_core.NotFoundError, match=r"att\.message"):
            emb.open()
        with pytest.raises(imsg_core.NotFoundError, match=r"embedded message"):
            _ = emb.data
        assert emb.message is not None and emb.message.subject == "inner subject"


def test_an_embedded_message_saves_as_its_own_msg(tmp_path: Path) -> None:
    path = tmp_path / "outer.msg"
    _write_message_with_embedded(path)
    out1, out2 = tmp_path / "a.msg", tmp_path / "b.msg"
    with imsg_core.open(path) as msg:
        emb = msg.attachments[1]
        emb.save_as(out1)
        assert emb.message is not None
        emb.message.save_as(out2)
        with pytest.raises(FileExistsError):
            emb.save_as(out1, overwrite=False)
        msg.attachments[0].save_as(tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_bytes() == b"hello"
    for out in (out1, out2):
        assert olefile.isOleFile(str(out))
        with olefile.OleFileIO(str(out)) as ole:
            assert ole.exists("__properties_version1.0")
            assert ole.exists("__nameid_version1.0")
            assert ole.exists("__recip_version1.0_#00000000")
            subject = ole.openstream("__substg1.0_0037001F").read().decode("utf-16-le")
            assert subject == "inner subject"
            assert len(ole.openstream("__properties_version1.0").read()) % 16 == 0
        with imsg_core.open(out) as copy:
            assert not copy.embedded
            assert copy.body == "inner body"
            assert [r.email for r in copy.recipients] == ["inner@example.com"]


def _readme_use_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^## Use\n\n```python\n(.*?)^```", text, re.S | re.M)
    assert found, "README.md has no Use example"
    return found.group(1)


def test_the_readme_use_example_runs_over_every_corpus_message_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(CORPUS.glob("**/*.msg"))
    if not files:
        pytest.skip("the shared corpus is not present")
    code = _readme_use_example()
    url = re.search(r'imsg\.open\("([^"]+)"\)', code)
    assert url, "the example opens a message by URL"
    ran = 0
    for i, path in enumerate(files):
        try:
            imsg_core.open(path).close()
        except imsg_core.MAPIError:
            continue  # "for all that open"
        work = tmp_path / str(i)
        (work / "out").mkdir(parents=True)
        monkeypatch.chdir(work)
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(code.replace(url.group(1), str(path)), "README", "exec"), {})
            except Exception as exc:
                raise AssertionError(f"the README example fails on {path}: {exc!r}") from exc
        ran += 1
    assert ran >= len(files) * 0.9


# -- point 3: a redacted copy keeps no form of the HTML -------------------------------------------
def _message_with_html_everywhere(path: Path) -> None:
    html = f"<html><body><p>{SECRET}</p></body></html>"
    with imsg_core.create(path) as msg:
        msg.subject = "report"
        msg.set_sender("from@example.com", "From")
        msg.add_recipient("to@example.com")
        msg.body = "plain text"
        msg.html = html
        msg.set_props(
            {
                imsg_core.PR_RTF_COMPRESSED: compress(encapsulate_html(html)),
                imsg_core.PR_RTF_IN_SYNC: True,
            }
        )
        msg.save_changes()


def test_the_readme_redacted_copy_keeps_no_form_of_the_html(tmp_path: Path) -> None:
    src = tmp_path / "src.msg"
    _message_with_html_everywhere(src)
    with imsg_core.open(src) as msg:
        assert SECRET.encode() in msg_to_eml(msg)
        # what the README did before: the RTF still wraps the HTML
        with imsg_core.create(tmp_path / "old.msg") as old:
            msg.copy_to(old, exclude=[imsg_core.PR_BODY_HTML])
            assert SECRET.encode() in msg_to_eml(old)
        with imsg_core.create(tmp_path / "red.msg") as copy:
            msg.copy_to(copy)
            copy.set_body(text=msg.body)
            copy.save_changes()
    with imsg_core.open(tmp_path / "red.msg") as red:
        eml = msg_to_eml(red)
        assert SECRET.encode() not in eml and b"plain text" in eml
        assert red.html is None and red.rtf is None and red.body == "plain text"
        for tag in ("PR_RTF_COMPRESSED", "PR_RTF_IN_SYNC", "PR_HTML"):
            assert red.get_prop(tag, None) is None, tag
        assert red.get_prop(imsg_core.PR_NATIVE_BODY_INFO) == 1
    assert SECRET.encode() not in (tmp_path / "red.msg").read_bytes()
    assert SECRET.encode("utf-16-le") not in (tmp_path / "red.msg").read_bytes()


def test_set_body_sets_html_or_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src.msg"
    _message_with_html_everywhere(src)
    with imsg_core.open(src, "r+") as msg:
        msg.set_body(html="<p>new</p>")
        assert msg.html == "<p>new</p>" and msg.body is None and msg.rtf is None
        assert msg.get_prop(imsg_core.PR_NATIVE_BODY_INFO) == 3
        msg.set_body()
        assert msg.html is None and msg.body is None
        assert msg.get_prop(imsg_core.PR_NATIVE_BODY_INFO, None) is None
    with imsg_core.open(src) as ro, pytest.raises(PermissionError):
        ro.set_body(text="x")


# -- point 8: Python's own error classes -----------------------------------------------------------
def test_errors_are_pythons_own_classes_too(tmp_path: Path) -> None:
    path = tmp_path / "m.msg"
    with imsg_core.create(path) as new:
        new.save_changes()
    with pytest.raises(FileExistsError) as exists:
        imsg_core.create(path, overwrite=False)
    assert isinstance(exists.value, imsg_core.CollisionError)
    assert exists.value.errno == errno.EEXIST
    assert exists.value.hresult == imsg_core.STG.STG_E_FILEALREADYEXISTS
    with imsg_core.open(path) as msg, pytest.raises(PermissionError) as denied:
        msg.subject = "x"
    assert isinstance(denied.value, imsg_core.AccessDeniedError)
    assert denied.value.errno == errno.EACCES
    assert denied.value.hresult == imsg_core.SCODE.MAPI_E_NO_ACCESS
    with pytest.raises(ValueError, match="mode"):
        imsg_core.open(path, "bogus")
    with (
        pytest.raises(FileNotFoundError, match=r"nope\.msg") as missing,
        imsg_core.open(os.fspath(tmp_path / "nope.msg")),
    ):
        pass
    assert isinstance(missing.value, imsg_core.StorageError)
    assert missing.value.hresult == imsg_core.STG.STG_E_FILENOTFOUND


# -- point 17: errors name the file ------------------------------------------------------------
def test_a_compound_file_that_is_not_a_message_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.doc"
    with imsg_core.Session() as s:
        st = s.create_storage(path)
        st.write_stream("WordDocument", b"x" * 10)
        st.commit()
    with pytest.raises(imsg_core.CorruptDataError) as info:
        imsg_core.open(path)
    text = str(info.value)
    assert "not an Outlook message" in text and "notes.doc" in text


def test_read_only_errors_name_the_file_not_the_root(tmp_path: Path) -> None:
    path = tmp_path / "mail.msg"
    with imsg_core.create(path) as new:
        new.save_changes()
    with imsg_core.open(path) as msg, pytest.raises(imsg_core.AccessDeniedError) as info:
        msg.subject = "x"
    assert "mail.msg" in str(info.value) and "'/'" not in str(info.value)
    with imsg_core.Session() as s:
        msg = s.open(path)
        assert "mail.msg" in repr(msg)


# -- point 14: Pythonic names ------------------------------------------------------------------
def test_add_recipient_returns_the_recipient_and_takes_keywords(tmp_path: Path) -> None:
    with imsg_core.create(tmp_path / "m.msg") as msg:
        r1 = msg.add_recipient("a@example.com", "A")
        r2 = msg.add_recipient(email="b@example.com", name="B", type="cc")
        r3 = msg.add_recipient("c@example.com", type="bcc")
        assert isinstance(r1, imsg_core.Recipient)
        assert (r1.email, r1.name, r1.type) == ("a@example.com", "A", "to")
        assert (r2.email, r2.name, r2.type) == ("b@example.com", "B", "cc")
        assert r3.type == "bcc"
        msg.remove_recipient(r2)
        assert [r.email for r in msg.recipients] == ["a@example.com", "c@example.com"]
        with pytest.raises(imsg_core.InvalidParameterError, match="unknown recipient type"):
            msg.add_recipient("d@example.com", type="too")


def test_remove_attachment_takes_the_attachment_or_its_number(tmp_path: Path) -> None:
    with imsg_core.create(tmp_path / "m.msg") as msg:
        a = msg.add_attachment("a.txt", b"a")
        b = msg.add_attachment("b.txt", b"b")
        c = msg.add_attachment("c.txt", b"c")
        msg.remove_attachment(a)
        msg.remove_attachment(c.num)
        assert [x.filename for x in msg.attachments] == ["b.txt"]
        assert b.filename == "b.txt"
        with pytest.raises(imsg_core.NotFoundError):
            msg.remove_attachment(a.num)
        with imsg_core.create(tmp_path / "other.msg") as other:
            foreign = other.add_attachment("x.txt", b"x")
            with pytest.raises(imsg_core.InvalidParameterError, match="another message"):
                msg.remove_attachment(foreign)


def test_kind_is_deprecated_for_stream_kind(tmp_path: Path) -> None:
    with imsg_core.create(tmp_path / "m.msg") as msg:
        assert msg.stream_kind.name == "TOP_LEVEL" and msg.object_kind == "message"
        with pytest.warns(DeprecationWarning, match="stream_kind"):
            assert msg.kind is msg.stream_kind
        att = msg.add_attachment("a.txt", b"a")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert att.stream_kind.name == "CHILD"


def test_the_quick_start_runs_and_leads_with_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
    assert "imsg_core.create(" in blocks[0] and "write_stream" not in text
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        for code in blocks:
            exec(compile(code, "quickstart.md", "exec"), namespace)
    assert "Hello Ann <ann@example.com>" in out.getvalue()
