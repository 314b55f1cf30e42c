"""Plugin loading: entry points, blocking by name, misspelled hooks, backend order."""

from __future__ import annotations

import subprocess
import sys

import pytest
from backends_for_tests import Misspelled
from backends_for_tests import SchemeBackend

import imsg_core
from imsg_core._plugins import get_plugin_manager
from imsg_core.errors import STG
from imsg_core.errors import MAPIError
from imsg_core.errors import StorageError


def test_builtin_backends_load_through_entry_points() -> None:
    pm = get_plugin_manager()
    names = {name for name, _ in pm.list_name_plugin()}
    assert {"memory", "ole", "remote"} <= names


def test_blocked_backend_is_never_imported() -> None:
    code = (
        "import sys, imsg_core\n"
        "s = imsg_core.Session()\n"
        "print('imsg_backends.memory' in sys.modules, [b.name for b in s.backends()])\n"
    )
    env = {"IMSG_DISABLE_BACKENDS": "memory, ole"}
    import os

    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("False")
    assert "memory" not in out and "'ole'" not in out


def test_blocked_by_argument() -> None:
    with imsg_core.Session(blocked=["memory"]) as s:
        assert "memory" not in [b.name for b in s.backends()]
        with pytest.raises(StorageError) as ei:
            s.open_storage("mem://x", "w")
        assert ei.value.hresult == STG.STG_E_INVALIDPARAMETER
        assert "no backend takes" in str(ei.value)


def test_misspelled_hook_fails_loudly_at_load() -> None:
    with pytest.raises(MAPIError) as ei:
        imsg_core.Session(plugins=[Misspelled()])
    assert "imsg_core_open_storgae" in str(ei.value)


def test_plugins_passed_in_are_asked_before_builtins() -> None:
    mem_like = SchemeBackend("mem")
    with imsg_core.Session(plugins=[mem_like]) as s:
        root = s.open_storage("mem://x", "w")
        assert root.backend == "mem"


def test_describe_lists_every_backend(session: imsg_core.Session) -> None:
    infos = {b.name: b for b in session.backends()}
    assert infos["memory"].capabilities.transacted
    assert "mem" in infos["memory"].schemes


def test_invalid_mode_is_refused(session: imsg_core.Session) -> None:
    with pytest.raises(StorageError) as ei:
        session.open_storage("mem://x", "rw")
    assert ei.value.hresult == STG.STG_E_INVALIDFLAG
