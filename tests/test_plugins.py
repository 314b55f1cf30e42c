"""Plugin loading: entry points, blocking by name, misspelled hooks, backend order."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pluggy
import pytest
from backends_for_tests import Misspelled
from backends_for_tests import SchemeBackend

import imsg_core
from imsg_core import hookspecs
from imsg_core._plugins import ENTRY_POINT_GROUP
from imsg_core._plugins import get_plugin_manager
from imsg_core._plugins import refresh_backends
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


# ------------------------------------------------ discovery once per process
@pytest.fixture
def rescan(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Count the scans of the entry-point group (``importlib.metadata.entry_points``);
    the discovery is forgotten before and after the test, so other tests see the real
    installed plugins again."""
    calls: list[str] = []
    real = importlib.metadata.entry_points

    def counting(**kwargs: Any) -> Any:
        calls.append(kwargs.get("group", ""))
        return real(**kwargs)

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)
    refresh_backends()
    yield calls
    refresh_backends()


def _extra_entry_points(monkeypatch: pytest.MonkeyPatch, *extra: EntryPoint) -> None:
    """The installed entry points plus ``extra`` (as if a distribution declared them)."""
    real = importlib.metadata.entry_points

    def with_extra(**kwargs: Any) -> Any:
        found: list[Any] = list(real(**kwargs))
        if kwargs.get("group") == ENTRY_POINT_GROUP:
            found += extra
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", with_extra)


def _plugin_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, body: str) -> str:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(body))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


_SCHEME_PLUGIN = """
    from imsg_core.backend import BackendInfo, hookimpl

    @hookimpl
    def imsg_core_describe_backend():
        return BackendInfo(name="late", description="added late", schemes=("late",))
"""


def test_sessions_do_not_rescan_entry_points(rescan: list[str]) -> None:
    for _ in range(5):
        with imsg_core.Session() as s:
            assert {"memory", "ole", "remote"} <= {b.name for b in s.backends()}
    with imsg_core.Session(blocked=["remote"]) as s:
        assert "remote" not in {b.name for b in s.backends()}
    assert rescan == [ENTRY_POINT_GROUP]


def test_refresh_backends_rescans(rescan: list[str]) -> None:
    imsg_core.Session().close()
    refresh_backends()
    imsg_core.Session().close()
    assert rescan == [ENTRY_POINT_GROUP, ENTRY_POINT_GROUP]


def test_refresh_picks_up_a_newly_registered_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rescan: list[str]
) -> None:
    with imsg_core.Session() as s:
        assert "late" not in {b.name for b in s.backends()}
    module = _plugin_module(tmp_path, monkeypatch, "imsg_late_plugin", _SCHEME_PLUGIN)
    _extra_entry_points(monkeypatch, EntryPoint("late", module, ENTRY_POINT_GROUP))
    with imsg_core.Session() as s:  # discovered before the distribution "appeared"
        assert "late" not in {b.name for b in s.backends()}
    refresh_backends()
    with imsg_core.Session() as s:
        assert "late" in {b.name for b in s.backends()}
        assert s.pm.get_plugin("late") is sys.modules[module]
    with imsg_core.Session(blocked=["late"]) as s:
        assert "late" not in {b.name for b in s.backends()}


def test_a_blocked_entry_point_is_never_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rescan: list[str]
) -> None:
    body = "raise RuntimeError('imported although blocked')\n"
    module = _plugin_module(tmp_path, monkeypatch, "imsg_never_imported", body)
    _extra_entry_points(monkeypatch, EntryPoint("never", module, ENTRY_POINT_GROUP))
    refresh_backends()
    for _ in range(2):
        with imsg_core.Session(blocked=["never"]) as s:
            assert s.pm.get_plugin("never") is None
    monkeypatch.setenv("IMSG_DISABLE_BACKENDS", "never")
    imsg_core.Session().close()
    assert module not in sys.modules
    monkeypatch.delenv("IMSG_DISABLE_BACKENDS")
    with pytest.raises(RuntimeError, match="imported although blocked"):
        imsg_core.Session()


def test_a_misspelled_hook_of_an_entry_point_fails_every_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rescan: list[str]
) -> None:
    body = """
        from imsg_core.backend import hookimpl

        @hookimpl
        def imsg_core_open_storgae(session, location, mode, options):
            return None
    """
    module = _plugin_module(tmp_path, monkeypatch, "imsg_misspelled_plugin", body)
    _extra_entry_points(monkeypatch, EntryPoint("typo", module, ENTRY_POINT_GROUP))
    refresh_backends()
    for _ in range(2):  # the second manager is built from what the first one loaded
        with pytest.raises(MAPIError) as ei:
            imsg_core.Session()
        assert module in str(ei.value) and "imsg_core_open_storgae" in str(ei.value)
    imsg_core.Session(blocked=["typo"]).close()


def _shape(pm: pluggy.PluginManager) -> dict[str, object]:
    hooks = {}
    for name, caller in sorted(vars(pm.hook).items()):
        spec = caller.spec
        hooks[name] = (
            None if spec is None else (spec.namespace, spec.function, spec.opts),
            [(i.plugin_name, i.plugin, i.function, i.opts) for i in caller.get_hookimpls()],
        )
    return {
        "plugins": sorted(pm.list_name_plugin(), key=lambda p: p[0]),
        "hooks": hooks,
        "distinfo": [(p, d.project_name) for p, d in pm.list_plugin_distinfo()],
    }


def test_a_manager_is_what_pluggy_itself_builds() -> None:
    extra = SchemeBackend("extra")
    for blocked in ((), ("ole",)):
        ours = get_plugin_manager(blocked=blocked, plugins=[extra])
        theirs = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        theirs.add_hookspecs(hookspecs)
        for name in blocked:
            theirs.set_blocked(name)
        theirs.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        theirs.register(extra)
        assert _shape(ours) == _shape(theirs)
        assert [i.plugin_name for i in ours.hook.imsg_core_open_storage.get_hookimpls()] == [
            i.plugin_name for i in theirs.hook.imsg_core_open_storage.get_hookimpls()
        ]


def test_sessions_do_not_share_hook_callers() -> None:
    with imsg_core.Session() as a, imsg_core.Session() as b:
        a.pm.register(SchemeBackend("only_a"))
        assert "only_a" in {i.name for i in a.backends()}
        assert "only_a" not in {i.name for i in b.backends()}
        assert a.pm.hook.imsg_core_open_storage is not b.pm.hook.imsg_core_open_storage
        a.pm.unregister(name="memory")
        assert "memory" in {i.name for i in b.backends()}


def test_a_replaced_hook_function_of_a_plugin_module_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rescan: list[str]
) -> None:
    module = _plugin_module(tmp_path, monkeypatch, "imsg_replaced_plugin", _SCHEME_PLUGIN)
    _extra_entry_points(monkeypatch, EntryPoint("late", module, ENTRY_POINT_GROUP))
    refresh_backends()
    with imsg_core.Session() as s:
        assert "late" in {b.name for b in s.backends()}
    from imsg_core.backend import BackendInfo
    from imsg_core.backend import hookimpl

    @hookimpl
    def imsg_core_describe_backend() -> BackendInfo:
        return BackendInfo(name="later", description="replaced", schemes=("later",))

    monkeypatch.setattr(
        sys.modules[module], "imsg_core_describe_backend", imsg_core_describe_backend
    )
    with imsg_core.Session() as s:
        names = {b.name for b in s.backends()}
    assert "later" in names and "late" not in names
