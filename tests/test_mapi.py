"""The C-shaped API of imessage.h (imsg_core.mapi)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imsg_core import AccessDeniedError
from imsg_core import InvalidParameterError
from imsg_core import Message
from imsg_core import ObjectDeletedError
from imsg_core import mapi
from imsg_core.errors import SCODE
from imsg_core.errors import STG

PR_SUBJECT = 0x0037001F
PR_BODY = 0x1000001F


def test_session_flags_are_reserved() -> None:
    sess = mapi.OpenIMsgSession()
    mapi.CloseIMsgSession(sess)
    assert sess.closed
    mapi.CloseIMsgSession(sess)  # closing twice does nothing
    with pytest.raises(InvalidParameterError) as info:
        mapi.OpenIMsgSession(None, 0x1)
    assert info.value.hresult == SCODE.MAPI_E_UNKNOWN_FLAGS


def test_open_on_empty_storage_creates_and_callback_fires_once_on_close() -> None:
    calls: list[tuple[int, Message]] = []
    sess = mapi.OpenIMsgSession()
    stg = sess.create_storage("mem://x")
    msg = mapi.OpenIMsgOnIStg(
        sess, stg, mapi.MAPI_UNICODE, lambda data, m: calls.append((data, m)), 99
    )
    assert msg.unicode
    msg.subject = "made through OpenIMsgOnIStg"
    msg.save_changes()
    att = msg.create_attach()
    mapi.CloseIMsgSession(sess)
    assert calls == [(99, msg)]
    with pytest.raises(ObjectDeletedError):
        att.get_props(None)
    with pytest.raises(ObjectDeletedError):
        msg.subject = "after close"


def test_without_mapi_unicode_a_new_message_is_ansi() -> None:
    sess = mapi.OpenIMsgSession()
    try:
        msg = mapi.OpenIMsgOnIStg(sess, sess.create_storage("mem://a"))
        assert not msg.unicode
        msg.subject = "ansi"
        msg.save_changes()
        assert 0x0037001E in msg.prop_tags()
    finally:
        mapi.CloseIMsgSession(sess)


def test_no_istg_commit_leaves_the_commit_to_the_caller() -> None:
    sess = mapi.OpenIMsgSession()
    try:
        stg = sess.create_storage("mem://nc")
        msg = mapi.OpenIMsgOnIStg(sess, stg, mapi.IMSG_NO_ISTG_COMMIT | mapi.MAPI_UNICODE)
        msg.subject = "pending"
        msg.save_changes()
        with pytest.raises(Exception, match="no in-memory storage"):
            sess.open("mem://nc")
        stg.commit()
        assert sess.open("mem://nc").subject == "pending"
    finally:
        mapi.CloseIMsgSession(sess)


def test_unknown_open_flags_and_bad_arguments() -> None:
    sess = mapi.OpenIMsgSession()
    try:
        with pytest.raises(InvalidParameterError) as info:
            mapi.OpenIMsgOnIStg(sess, sess.create_storage("mem://f"), 0x4)
        assert info.value.hresult == SCODE.MAPI_E_UNKNOWN_FLAGS
        with pytest.raises(InvalidParameterError):
            mapi.OpenIMsgOnIStg(sess, "not a storage")  # type: ignore[arg-type]
    finally:
        mapi.CloseIMsgSession(sess)


def test_attributes_through_get_and_set_attrib(tmp_path: Path) -> None:
    path = tmp_path / "attr.msg"
    sess = mapi.OpenIMsgSession()
    msg = mapi.OpenIMsgOnIStg(sess, sess.create_storage(str(path)), mapi.MAPI_UNICODE)
    msg.subject = "s"
    hr, attrs = mapi.GetAttribIMsgOnIStg(msg, [PR_SUBJECT, PR_BODY])
    assert hr == SCODE.MAPI_W_ERRORS_RETURNED
    assert attrs == [mapi.PROPATTR_READABLE | mapi.PROPATTR_WRITEABLE, mapi.PROPATTR_NOT_PRESENT]
    hr, problems = mapi.SetAttribIMsgOnIStg(
        msg, [PR_SUBJECT, PR_BODY], [mapi.PROPATTR_READABLE, mapi.PROPATTR_READABLE]
    )
    assert hr == SCODE.MAPI_W_ERRORS_RETURNED
    assert [(p.index, p.scode) for p in problems] == [(1, SCODE.MAPI_E_NOT_FOUND)]
    msg.save_changes()
    mapi.CloseIMsgSession(sess)

    sess = mapi.OpenIMsgSession()
    try:
        msg = mapi.OpenIMsgOnIStg(sess, sess.open_storage(str(path), "r+"))
        assert mapi.GetAttribIMsgOnIStg(msg, [PR_SUBJECT]) == (0, [mapi.PROPATTR_READABLE])
        (problem,) = msg.set_props({PR_SUBJECT: "x"})
        assert problem.scode == SCODE.MAPI_E_NO_ACCESS
        with pytest.raises(InvalidParameterError):
            mapi.SetAttribIMsgOnIStg(msg, [PR_SUBJECT], [])
        with pytest.raises(InvalidParameterError):
            mapi.GetAttribIMsgOnIStg(object(), [PR_SUBJECT])  # type: ignore[arg-type]
    finally:
        mapi.CloseIMsgSession(sess)


def test_read_only_storage_gives_a_read_only_message(tmp_path: Path) -> None:
    sess = mapi.OpenIMsgSession()
    try:
        msg = mapi.OpenIMsgOnIStg(sess, sess.create_storage(str(tmp_path / "r.msg")))
        msg.save_changes()
        ro = mapi.OpenIMsgOnIStg(sess, sess.open_storage(str(tmp_path / "r.msg"), "r"))
        with pytest.raises(AccessDeniedError):
            ro.save_changes()
    finally:
        mapi.CloseIMsgSession(sess)


def test_map_storage_scode() -> None:
    assert mapi.MapStorageSCode(STG.STG_E_FILENOTFOUND) == SCODE.MAPI_E_NOT_FOUND
    assert mapi.MapStorageSCode(STG.STG_E_ACCESSDENIED) == SCODE.MAPI_E_NO_ACCESS
    assert mapi.MapStorageSCode(0) == 0
    assert mapi.MapStorageSCode(0x80039999) == SCODE.MAPI_E_CALL_FAILED


def test_constants_match_the_header() -> None:
    assert mapi.IMSG_NO_ISTG_COMMIT == 1
    assert mapi.MAPI_UNICODE == 0x80000000
    assert (mapi.KEEP_OPEN_READONLY, mapi.KEEP_OPEN_READWRITE, mapi.FORCE_SAVE) == (1, 2, 4)
    assert (mapi.MODRECIP_ADD, mapi.MODRECIP_MODIFY, mapi.MODRECIP_REMOVE) == (2, 4, 8)
    assert str(mapi.IID_IMessage).upper() == "00020307-0000-0000-C000-000000000046"
    assert str(mapi.CLSID_MailMessage).upper() == "00020D0B-0000-0000-C000-000000000046"
