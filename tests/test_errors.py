"""Error classes, codes, and MapStorageSCode."""

from __future__ import annotations

import pickle

import pytest

from imsg_core import errors as E


@pytest.mark.parametrize(
    ("stg", "mapi"),
    [
        (E.STG.S_OK, E.SCODE.S_OK),
        (E.STG.STG_E_FILENOTFOUND, E.SCODE.MAPI_E_NOT_FOUND),
        (E.STG.STG_E_MEDIUMFULL, E.SCODE.MAPI_E_NOT_ENOUGH_DISK),
        (E.STG.STG_E_ACCESSDENIED, E.SCODE.MAPI_E_NO_ACCESS),
        (E.STG.STG_E_FILEALREADYEXISTS, E.SCODE.MAPI_E_COLLISION),
        (E.STG.STG_E_INVALIDFLAG, E.SCODE.MAPI_E_UNKNOWN_FLAGS),
        (E.STG.STG_E_REVERTED, E.SCODE.MAPI_E_OBJECT_DELETED),
        (E.STG.STG_E_DOCFILECORRUPT, E.SCODE.MAPI_E_CORRUPT_DATA),
        (E.STG.STG_E_INCOMPLETE, E.SCODE.MAPI_E_CALL_FAILED),  # no mapping
        (0x80001234, E.SCODE.MAPI_E_CALL_FAILED),
    ],
)
def test_map_storage_scode(stg: int, mapi: int) -> None:
    assert E.map_storage_scode(stg) == mapi


def test_str_shows_name_hex_and_message() -> None:
    err = E.stg_error(E.STG.STG_E_FILENOTFOUND, "no element 'x' in 'a.msg'")
    assert str(err) == "STG_E_FILENOTFOUND (0x80030002): no element 'x' in 'a.msg'"
    assert err.mapi_code == E.SCODE.MAPI_E_NOT_FOUND


def test_families_catch_both_layers() -> None:
    with pytest.raises(E.NotFoundError):
        raise E.stg_error(E.STG.STG_E_FILENOTFOUND, "x")
    with pytest.raises(E.NotFoundError):
        raise E.error_for(E.SCODE.MAPI_E_NOT_FOUND, "y")
    assert isinstance(E.error_for(E.STG.STG_E_OLDDLL), E.StorageError)
    assert type(E.error_for(0x8000_4005)) is E.MAPIError


def test_errors_pickle_with_their_class_and_code() -> None:
    err = E.stg_error(E.STG.STG_E_DOCFILECORRUPT, "FAT loop at sector 17")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and back.hresult == err.hresult and back.message == err.message
