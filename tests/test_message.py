"""Message, Attachment and Recipient behaviour on the memory backend (and files in tmp_path)."""

from __future__ import annotations

import io
import uuid
from datetime import UTC
from datetime import datetime
from pathlib import Path

import compressed_rtf
import pytest

import imsg_core
from imsg_core import AccessDeniedError
from imsg_core import CorruptDataError
from imsg_core import InvalidParameterError
from imsg_core import MAPIError
from imsg_core import Message
from imsg_core import NoSupportError
from imsg_core import NotFoundError
from imsg_core import ObjectDeletedError
from imsg_core import PropError
from imsg_core import Session
from imsg_core._message import attachment as attmod
from imsg_core._propobj import KEEP_OPEN_READONLY
from imsg_core._propobj import PROPATTR_READABLE
from imsg_core.errors import SCODE
from imsg_core.props import MAPINAMEID
from imsg_core.props import PS_PUBLIC_STRINGS
from imsg_core.props import constants as C
from imsg_core.props import tags as T
from imsg_core.props.constants import ATTACH_EMBEDDED_MSG

PR_SUBJECT = 0x0037001F
PR_BODY = 0x1000001F
PR_IMPORTANCE = 0x00170003
PR_STORE_SUPPORT_MASK = 0x340D0003
PR_MESSAGE_FLAGS = 0x0E070003
PR_DISPLAY_NAME = 0x3001001F
PR_RECIPIENT_TYPE = 0x0C150003
PR_ROWID = 0x30000003
PR_ATTACH_DATA_BIN = 0x37010102


def _new(session: Session, name: str = "m") -> Message:
    msg = session.create(f"mem://{name}")
    msg.subject = "Hello"
    msg.body = "Body text"
    msg.add_recipient("bob@example.com", "Bob")
    msg.add_recipient("carol@example.com", "Carol", "cc")
    msg.add_attachment("a.txt", b"attachment one", "text/plain")
    msg.save_changes()
    return msg


def test_created_message_reads_back_after_save(session: Session) -> None:
    _new(session).close()
    msg = session.open("mem://m")
    assert msg.subject == "Hello"
    assert msg.body == "Body text"
    assert [(r.name, r.email, r.type) for r in msg.recipients] == [
        ("Bob", "bob@example.com", "to"),
        ("Carol", "carol@example.com", "cc"),
    ]
    (att,) = msg.attachments
    assert (att.filename, att.mime_type, att.size, att.data) == (
        "a.txt",
        "text/plain",
        14,
        b"attachment one",
    )
    assert msg.get_prop("PR_DISPLAY_TO") == "Bob"
    assert msg.get_prop("PR_DISPLAY_CC") == "Carol"
    assert msg.get_prop("PR_HASATTACH") is True
    assert msg.message_class == "IPM.Note"
    assert msg.get_prop(PR_STORE_SUPPORT_MASK) & C.STORE_UNICODE_OK
    assert msg.unicode


def test_opening_reads_only_the_property_stream(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new(session).close()
    from imsg_core.backend import TreeStorage

    opened: list[str] = []
    real = TreeStorage.open_stream

    def counting(self: TreeStorage, name: str, mode: str = "r") -> object:
        opened.append(name)
        return real(self, name, mode)  # type: ignore[arg-type]

    real_read = TreeStorage.read_stream

    def counting_read(self: TreeStorage, name: str) -> bytes:
        opened.append(name)
        return real_read(self, name)

    monkeypatch.setattr(TreeStorage, "open_stream", counting)
    monkeypatch.setattr(TreeStorage, "read_stream", counting_read)
    msg = session.open("mem://m")
    assert opened == ["__properties_version1.0"]
    assert msg.subject == "Hello"
    assert opened[-1] == "__substg1.0_0037001F"


def test_get_props_returns_per_property_errors(session: Session) -> None:
    msg = _new(session)
    values = msg.get_props([PR_SUBJECT, PR_IMPORTANCE, "PR_BODY"])
    assert values[0] == "Hello"
    assert isinstance(values[1], PropError)
    assert values[1].scode == SCODE.MAPI_E_NOT_FOUND
    assert not values[1]
    assert values[2] == "Body text"
    assert msg.get_prop(PR_IMPORTANCE, 7) == 7
    with pytest.raises(NotFoundError):
        msg.get_prop(PR_IMPORTANCE)
    # PT_UNSPECIFIED returns the stored type; PT_STRING8 is served from PT_UNICODE
    assert msg.get_props([PR_SUBJECT & 0xFFFF0000, 0x0037001E]) == ["Hello", "Hello"]
    with pytest.raises(InvalidParameterError):
        msg.get_props([])


def test_attributes_are_enforced_and_persisted(session: Session) -> None:
    msg = _new(session)
    assert msg.get_attribs([PR_SUBJECT, PR_IMPORTANCE]) == [0x6, 0x8]
    assert msg.set_attribs({PR_SUBJECT: PROPATTR_READABLE}) == []
    (problem,) = msg.set_props({PR_SUBJECT: "changed"})
    assert (problem.index, problem.tag, problem.scode) == (0, PR_SUBJECT, SCODE.MAPI_E_NO_ACCESS)
    assert msg.delete_props([PR_SUBJECT])[0].scode == SCODE.MAPI_E_NO_ACCESS
    msg.set_props({PR_BODY: "b"})
    msg.set_attribs({PR_BODY: 0x4 | 0x1})  # writable, mandatory, not readable
    assert msg.get_props([PR_BODY])[0] == PropError(PR_BODY, SCODE.MAPI_E_NO_ACCESS)
    assert msg.delete_props([PR_BODY])[0].scode == SCODE.MAPI_E_NO_ACCESS
    msg.save_changes()
    msg.close()
    again = session.open("mem://m")
    assert again.get_attribs([PR_SUBJECT, PR_BODY]) == [PROPATTR_READABLE, 0x5]
    assert again.subject == "Hello"


def test_a_value_of_the_wrong_type_is_a_problem_and_keeps_the_old_value(
    session: Session,
) -> None:
    msg = _new(session)
    msg.set_props({PR_IMPORTANCE: 1})
    problems = msg.set_props({PR_IMPORTANCE: "high", PR_SUBJECT: "new"})
    assert [(p.index, p.scode) for p in problems] == [(0, SCODE.MAPI_E_INVALID_TYPE)]
    assert msg.get_props([PR_IMPORTANCE, PR_SUBJECT]) == [1, "new"]
    # a new type under an existing ID replaces the old property (spec imsg-api §10.7)
    assert msg.set_props({0x00170002: 2}) == []
    assert msg.get_props([PR_IMPORTANCE])[0] == PropError(PR_IMPORTANCE, SCODE.MAPI_E_NOT_FOUND)
    assert msg.get_prop(0x00170000) == 2


def test_computed_store_support_mask_cannot_be_set(session: Session) -> None:
    msg = _new(session)
    (p,) = msg.set_props({PR_STORE_SUPPORT_MASK: 0})
    assert p.scode == SCODE.MAPI_E_COMPUTED


def test_read_only_message_refuses_changes(session: Session) -> None:
    _new(session).close()
    msg = session.open("mem://m")
    assert not msg.writable
    with pytest.raises(AccessDeniedError):
        msg.set_props({PR_SUBJECT: "x"})
    with pytest.raises(AccessDeniedError):
        msg.save_changes()
    with pytest.raises(AccessDeniedError):
        msg.create_attach()


def test_unsaved_changes_are_discarded_on_release(session: Session) -> None:
    _new(session).close()
    msg = session.open("mem://m", "r+")
    msg.subject = "not saved"
    msg.close()
    assert session.open("mem://m").subject == "Hello"


def test_save_flags_control_later_access(session: Session) -> None:
    msg = _new(session)
    msg.save_changes(KEEP_OPEN_READONLY)
    with pytest.raises(AccessDeniedError):
        msg.subject = "x"
    assert msg.subject == "Hello"
    other = _new(session, "n")
    other.save_changes(0)
    with pytest.raises(MAPIError) as info:
        other.subject = "x"
    assert info.value.hresult == SCODE.MAPI_E_INVALID_OBJECT
    third = _new(session, "o")
    with pytest.raises(InvalidParameterError) as bad:
        third.save_changes(0x100)
    assert bad.value.hresult == SCODE.MAPI_E_UNKNOWN_FLAGS


def test_everything_raises_object_deleted_after_session_close() -> None:
    s = Session()
    msg = _new(s)
    att = msg.attachments[0]
    stream = att.open()
    s.close()
    for call in (lambda: msg.subject, lambda: att.data, msg.prop_tags, stream.read):
        with pytest.raises(ObjectDeletedError):
            call()


def test_release_callback_fires_exactly_once() -> None:
    calls: list[tuple[int, object]] = []
    with Session() as s:
        storage = s.create_storage("mem://cb")
        msg = Message.create(
            s, storage, callback=lambda data, m: calls.append((data, m)), caller_data=42
        )
        msg.save_changes()
        msg.close()
        msg.close()
        assert calls == [(42, msg)]
        msg2 = Message.open(
            s, s.open_storage("mem://cb"), callback=lambda d, m: calls.append((d, m))
        )
    assert len(calls) == 2
    assert calls[1][1] is msg2


def test_open_property_streams_without_loading_and_writes_through(session: Session) -> None:
    msg = _new(session)
    att = msg.attachments[0]
    with att.open() as s:
        assert s.read(4) == b"atta"
        assert s.size == 14
    with msg.open_property(PR_BODY, "w") as w:
        w.write("streamed body".encode("utf-16-le"))
    msg.save_changes()
    msg.close()
    again = session.open("mem://m")
    assert again.body == "streamed body"
    entry = again._entries[PR_BODY]
    assert entry.size_field == len("streamed body") * 2 + 2
    with pytest.raises(InvalidParameterError):
        again.open_property(PR_MESSAGE_FLAGS)
    with pytest.raises(NotFoundError):
        again.open_property(0x10090102)


def test_modify_recipients_add_modify_remove_replace(session: Session) -> None:
    msg = _new(session)
    table = msg.get_recipient_table()
    assert table.get_row_count() == 2
    table.set_columns([PR_ROWID, PR_DISPLAY_NAME])
    assert table.query_rows() == [[0, "Bob"], [1, "Carol"]]
    msg.modify_recipients(
        [{PR_ROWID: 0, PR_DISPLAY_NAME: "Robert", PR_RECIPIENT_TYPE: 3}], C.MODRECIP_MODIFY
    )
    msg.modify_recipients([{PR_ROWID: 1}], C.MODRECIP_REMOVE)
    msg.modify_recipients([{PR_DISPLAY_NAME: "Dave", PR_RECIPIENT_TYPE: 1}], C.MODRECIP_ADD)
    with pytest.raises(InvalidParameterError):
        msg.modify_recipients([{PR_ROWID: 5, PR_DISPLAY_NAME: "x"}], C.MODRECIP_ADD)
    with pytest.raises(NotFoundError):
        msg.modify_recipients([{PR_ROWID: 99}], C.MODRECIP_REMOVE)
    msg.save_changes()
    msg.close()
    again = session.open("mem://m")
    assert [(r.rowid, r.name, r.type) for r in again.recipients] == [
        (0, "Robert", "bcc"),
        (2, "Dave", "to"),
    ]
    assert again.get_prop("PR_DISPLAY_BCC") == "Robert"
    assert again.get_prop("PR_DISPLAY_TO") == "Dave"
    assert again.get_prop("PR_DISPLAY_CC", None) is None
    assert again.storage.exists("__recip_version1.0_#00000002")
    assert not again.storage.exists("__recip_version1.0_#00000001")
    hdr = again._header
    assert (hdr.next_recipient_id, hdr.recipient_count) == (3, 2)


def test_attachments_create_open_delete_and_table(session: Session) -> None:
    msg = _new(session)
    second = msg.add_attachment("b.bin", b"\x00" * 5000)
    assert msg.open_attach(second.num) is second
    assert msg.attachment_numbers() == [0, 1]
    rows = msg.get_attachment_table().rows()
    assert [r[0x0E210003] for r in rows] == [0, 1]
    assert rows[1][0x3707001F] == "b.bin"
    first = msg.open_attach(0)
    msg.delete_attach(0)
    with pytest.raises(ObjectDeletedError):
        first.get_props(None)
    with pytest.raises(NotFoundError):
        msg.open_attach(0)
    msg.save_changes()
    msg.close()
    again = session.open("mem://m")
    assert [a.filename for a in again.attachments] == ["b.bin"]
    assert again._header.attachment_count == 1
    assert again._header.next_attachment_id == 2


def test_embedded_messages_nest_and_share_the_named_map(session: Session) -> None:
    msg = session.create("mem://e")
    msg.subject = "outer"
    parent = msg
    atts = []
    for depth in range(3):
        att = parent.create_attach()
        inner = att.open_embedded(create=True)
        inner.subject = f"level {depth + 1}"
        inner.named[(PS_PUBLIC_STRINGS, "Keywords"), 0x001F] = f"k{depth}"
        atts.append((att, inner))
        parent = inner
    for att, inner in reversed(atts):
        inner.save_changes()
        att.save_changes()
    msg.save_changes()
    msg.close()
    again = session.open("mem://e")
    node = again
    for depth in range(3):
        att = node.attachments[0]
        assert att.method == ATTACH_EMBEDDED_MSG
        node = att.message
        assert node is not None
        assert node.subject == f"level {depth + 1}"
        assert node.named.get((PS_PUBLIC_STRINGS, "Keywords")) == f"k{depth}"
        assert node.embedded and node.depth == depth + 1
    assert not again.storage.exists("__substg1.0_3701000D")
    assert again.get_names_from_ids([0x8000_0000 | 0x001F])[0] == MAPINAMEID(
        PS_PUBLIC_STRINGS, "Keywords"
    )


def test_embedding_depth_is_limited(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attmod, "MAX_EMBEDDING_DEPTH", 2)  # read where embedded ones open
    msg = session.create("mem://deep")
    node = msg
    for _ in range(2):
        node = node.create_attach().open_embedded(create=True)
    with pytest.raises(MAPIError) as info:
        node.create_attach().open_embedded(create=True)
    assert info.value.hresult == SCODE.MAPI_E_TOO_COMPLEX


def test_copy_to_remaps_named_properties_by_name_across_backends(
    session: Session, tmp_path: Path
) -> None:
    src = session.create("mem://src")
    src.subject = "copied"
    src.named[(PS_PUBLIC_STRINGS, "A"), 0x001F] = "value a"
    src.named[(PS_PUBLIC_STRINGS, "B"), 0x0003] = 7
    src.add_recipient("x@example.com")
    att = src.create_attach()
    emb = att.open_embedded(create=True)
    emb.subject = "inside"
    emb.named[(PS_PUBLIC_STRINGS, "B"), 0x0003] = 8
    emb.save_changes()
    att.save_changes()
    src.save_changes()
    dest = session.create(str(tmp_path / "copy.msg"))
    dest.named[(PS_PUBLIC_STRINGS, "Z"), 0x0003] = 1  # takes ID 0x8000 in dest
    assert src.copy_to(dest, exclude=[PR_BODY]) == []
    dest.save_changes()
    dest.close()
    back = session.open(str(tmp_path / "copy.msg"))
    assert back.named.get((PS_PUBLIC_STRINGS, "A")) == "value a"
    assert back.named.get((PS_PUBLIC_STRINGS, "B")) == 7
    assert back.named.get((PS_PUBLIC_STRINGS, "Z")) == 1
    assert back.named.tag_of((PS_PUBLIC_STRINGS, "A")) != src.named.tag_of((PS_PUBLIC_STRINGS, "A"))
    inner = back.attachments[0].message
    assert inner is not None and inner.subject == "inside"
    assert inner.named.get((PS_PUBLIC_STRINGS, "B")) == 8
    assert [r.email for r in back.recipients] == ["x@example.com"]
    with pytest.raises(AccessDeniedError):
        back.copy_to(back)


def test_ansi_message_uses_the_code_page(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "ansi.msg"
    msg = session.create(str(path), unicode=False, codepage=1251)
    msg.subject = "Привет"
    assert msg.subject == "Привет"  # read back in the same session with the same code page
    msg.add_recipient("ivan@example.com", "Иван")
    msg.save_changes()
    msg.close()
    again = session.open(str(path))
    assert not again.unicode
    assert again.subject == "Привет"
    assert 0x0037001E in again.prop_tags()
    assert again.get_props(["PR_MESSAGE_CODEPAGE", "PR_INTERNET_CPID"]) == [1251, 1251]
    assert again.recipients[0].name == "Иван"
    assert again.storage.read_stream("__substg1.0_0037001E") == "Привет".encode("cp1251")


def test_new_file_follows_the_writer_checklist(session: Session, tmp_path: Path) -> None:
    import extract_msg
    import olefile

    path = tmp_path / "new.msg"
    msg = session.create(str(path))
    msg.subject = "Checklist"
    msg.body = "plain"
    msg.html = "<html><body>hi</body></html>"
    msg.set_sender("me@example.com", "Me")
    msg.sent = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    msg.add_recipient("you@example.com", "You")
    msg.add_attachment("f.txt", b"file data")
    msg.save_changes()
    msg.close()
    ole = olefile.OleFileIO(str(path))
    try:
        assert uuid.UUID(ole.root.clsid) == C.CLSID_MAIL_MESSAGE
        for stream in ("00020102", "00030102", "00040102"):
            assert ole.exists(f"__nameid_version1.0/__substg1.0_{stream}")
        assert ole.exists("__recip_version1.0_#00000000/__properties_version1.0")
    finally:
        ole.close()
    em = extract_msg.openMsg(str(path))
    try:
        assert em.subject == "Checklist"
        assert em.body == "plain"
        assert [r.email for r in em.recipients] == ["you@example.com"]
        assert [a.longFilename for a in em.attachments] == ["f.txt"]
        assert em.attachments[0].data == b"file data"
    finally:
        em.close()
    back = session.open(str(path))
    assert back.html == "<html><body>hi</body></html>"
    assert back.sender == "Me <me@example.com>"
    assert back.sent == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_html_charset_and_rtf_bodies(session: Session) -> None:
    msg = session.create("mem://b")
    html = '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'
    msg.set_props({0x10130102: html.encode("koi8-r")})
    assert msg.html == html
    msg.set_props({0x10090102: compressed_rtf.compress(b"{\\rtf1 hello}")})
    assert msg.rtf == b"{\\rtf1 hello}"
    msg.set_props({0x10090102: b"\x10\x00\x00\x00garbage-garbage"})
    with pytest.raises(CorruptDataError):
        msg.rtf  # noqa: B018


def test_submit_is_not_supported_and_read_flag_saves(session: Session) -> None:
    msg = _new(session)
    with pytest.raises(NoSupportError):
        msg.submit_message()
    msg.set_read_flag()
    assert msg.get_prop(PR_MESSAGE_FLAGS) & C.MSGFLAG_READ
    msg.close()
    again = session.open("mem://m", "r+")
    assert again.get_prop(PR_MESSAGE_FLAGS) & C.MSGFLAG_READ
    again.set_read_flag(C.CLEAR_READ_FLAG)
    assert not again.get_prop(PR_MESSAGE_FLAGS) & C.MSGFLAG_READ
    with pytest.raises(InvalidParameterError):
        again.set_read_flag(C.SUPPRESS_RECEIPT | C.CLEAR_READ_FLAG)


def test_truncated_property_stream_is_corrupt_data(session: Session) -> None:
    st = session.create_storage("mem://bad")
    st.write_stream("__properties_version1.0", b"\x00" * 10)
    st.commit()
    st.close()
    with pytest.raises(CorruptDataError) as info:
        session.open("mem://bad")
    assert "__properties_version1.0" in str(info.value)


def test_public_names_are_exported() -> None:
    assert imsg_core.Message is Message
    assert imsg_core.PR_BODY_HTML == 0x1013001F
    with pytest.raises(AttributeError):
        _ = imsg_core.PR_NO_SUCH_TAG  # type: ignore[attr-defined]


def test_modify_recipients_without_flags_replaces_the_list(session: Session) -> None:
    msg = _new(session)
    msg.modify_recipients([{PR_DISPLAY_NAME: "Only", PR_RECIPIENT_TYPE: 1}])
    msg.save_changes()
    msg.close()
    again = session.open("mem://m")
    assert [(r.rowid, r.name) for r in again.recipients] == [(2, "Only")]
    assert again.storage.exists("__recip_version1.0_#00000002")
    assert not again.storage.exists("__recip_version1.0_#00000000")


def test_recipient_limit_is_2048(session: Session) -> None:
    msg = session.create("mem://many")
    msg.modify_recipients([{PR_DISPLAY_NAME: f"r{i}"} for i in range(2048)], C.MODRECIP_ADD)
    with pytest.raises(MAPIError) as info:
        msg.modify_recipients([{PR_DISPLAY_NAME: "one too many"}], C.MODRECIP_ADD)
    assert info.value.hresult == SCODE.MAPI_E_TABLE_TOO_BIG


def test_copy_props_and_noreplace(session: Session) -> None:
    src = _new(session)
    dest = session.create("mem://d")
    dest.subject = "keep me"
    assert src.copy_props(dest, [PR_SUBJECT, PR_BODY], flags=C.MAPI_NOREPLACE) == []
    assert (dest.subject, dest.body) == ("keep me", "Body text")
    assert dest.recipients == [] and dest.attachment_numbers() == []
    assert src.copy_props(dest, [T.PR_MESSAGE_RECIPIENTS, T.PR_MESSAGE_ATTACHMENTS]) == []
    assert [r.name for r in dest.recipients] == ["Bob", "Carol"]
    assert [a.filename for a in dest.attachments] == ["a.txt"]
    dest.set_attribs({PR_SUBJECT: PROPATTR_READABLE})
    (problem,) = src.copy_props(dest, [PR_SUBJECT])
    assert problem.scode == SCODE.MAPI_E_NO_ACCESS
    assert dest.subject == "keep me"


def test_table_cursor_and_columns(session: Session) -> None:
    table = _new(session).get_recipient_table()
    table.set_columns(["PR_DISPLAY_NAME", PR_IMPORTANCE])
    assert table.query_rows(1) == [["Bob", PropError(PR_IMPORTANCE, SCODE.MAPI_E_NOT_FOUND)]]
    assert table.query_position() == (1, 2)
    assert table.seek_row(0, 5) == 2  # clamps at the end
    assert table.query_rows() == []
    assert table.seek_row(2, -1) == -1
    assert table.query_rows() == [["Carol", PropError(PR_IMPORTANCE, SCODE.MAPI_E_NOT_FOUND)]]
    assert [r[PR_DISPLAY_NAME] for r in table.rows()] == ["Bob", "Carol"]
    with pytest.raises(NoSupportError):
        table.restrict()


def test_stream_of_a_read_only_property_cannot_be_opened_for_writing(session: Session) -> None:
    msg = _new(session)
    msg.set_attribs({PR_SUBJECT: PROPATTR_READABLE})
    with pytest.raises(AccessDeniedError):
        msg.open_property(PR_SUBJECT, "r+")
    with pytest.raises(AccessDeniedError):
        msg.open_property(PR_SUBJECT, "w")
    with msg.open_property(PR_SUBJECT) as s:
        assert s.read() == "Hello".encode("utf-16-le")


def test_add_attachment_streams_a_file_object(session: Session, tmp_path: Path) -> None:
    import io

    payload = bytes(range(256)) * 12_000  # ~3 MB
    msg = session.create(str(tmp_path / "big.msg"))
    att = msg.add_attachment("big.bin", io.BytesIO(payload), "application/octet-stream")
    assert att.size == len(payload)
    msg.save_changes()
    msg.close()
    again = session.open(str(tmp_path / "big.msg"))
    (back,) = again.attachments
    assert back.get_prop("PR_ATTACH_SIZE") == len(payload)
    assert back._entries[PR_ATTACH_DATA_BIN].size_field == len(payload)
    with back.open() as s:
        assert s.read() == payload


def test_add_attachment_that_fails_leaves_no_attachment(session: Session, tmp_path: Path) -> None:
    class Broken:
        def read(self, n: int = -1) -> bytes:
            raise OSError("source went away")

    msg = session.create(str(tmp_path / "m.msg"))
    msg.add_attachment("kept.txt", b"kept")
    with pytest.raises(OSError, match="source went away"):
        msg.add_attachment("broken.bin", Broken())  # type: ignore[arg-type]
    assert msg.attachment_numbers() == [0]
    msg.save_changes()
    msg.close()
    again = session.open(str(tmp_path / "m.msg"))
    assert [a.filename for a in again.attachments] == ["kept.txt"]
    assert again.get_prop("PR_HASATTACH") is True


@pytest.mark.parametrize(
    ("args", "what"),
    [
        ((b"name.bin", b"x"), "filename"),
        (("a.txt", b"x", 7), "mime_type"),
        (("a.txt", b"x", "text/plain", b"cid"), "content_id"),
        ((None, b"x"), "filename"),
        (("a.txt", "text, not bytes"), "data must be bytes"),
        (("a.txt", io.StringIO("text")), "its read returned str"),
    ],
)
def test_add_attachment_with_a_wrong_type_says_which_and_adds_nothing(
    session: Session, tmp_path: Path, args: tuple[object, ...], what: str
) -> None:
    msg = session.create(str(tmp_path / "m.msg"))
    msg.add_attachment("kept.txt", b"kept")
    kwargs = {"content_id": args[3]} if len(args) == 4 else {}
    with pytest.raises(InvalidParameterError, match=what):
        msg.add_attachment(*args[:3], **kwargs)  # type: ignore[arg-type]
    assert msg.attachment_numbers() == [0]
    msg.save_changes()
    msg.close()
    assert [a.filename for a in session.open(str(tmp_path / "m.msg")).attachments] == ["kept.txt"]


def test_created_attachment_released_without_save_is_discarded(session: Session) -> None:
    msg = _new(session)
    att = msg.create_attach()
    att.set_props({0x3707001F: "never saved"})
    assert msg.attachment_numbers() == [0, 1]
    att.close()
    assert msg.attachment_numbers() == [0]
    kept = msg.create_attach()
    kept.save_changes()
    kept.close()
    msg.delete_attach(0)
    msg.save_changes()
    msg.close()
    again = session.open("mem://m")
    assert again.attachment_numbers() == [2]
    assert again._header.attachment_count == 1


def test_embedded_message_released_unsaved_leaves_a_valid_empty_message(
    session: Session,
) -> None:
    msg = session.create("mem://u")
    att = msg.create_attach()
    inner = att.open_embedded(create=True)
    inner.subject = "never saved"
    inner.close()
    att.save_changes()
    msg.save_changes()
    msg.close()
    again = session.open("mem://u")
    embedded = again.attachments[0].message
    assert embedded is not None
    assert embedded.subject is None
    assert embedded.prop_tags() == []
