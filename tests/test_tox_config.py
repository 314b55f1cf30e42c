"""The tox environments and CI work on a fresh machine (issue 14, point 1).

The test plugin ``tests/plugin_dist`` depends on ``imsg-core``, which is on no index: it must
never be installed as a tox ``deps`` entry (deps install before the package, so the resolver
fails with "No matching distribution found for imsg-core").
"""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tox() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "tox.ini", encoding="utf-8")
    return cfg


def test_no_tox_env_installs_the_plugin_before_the_package() -> None:
    cfg = _tox()
    for section in cfg.sections():
        deps = cfg.get(section, "deps", fallback="")
        assert "plugin_dist" not in deps, f"[{section}] installs tests/plugin_dist as a dep"


def test_the_test_envs_install_the_plugin_after_the_package_without_resolving() -> None:
    pre = _tox().get("testenv", "commands_pre", fallback="")
    assert "tests/plugin_dist" in pre and "--no-deps" in pre


def test_the_docs_group_can_import_every_documented_module() -> None:
    """autodoc imports imsg_core.testing, which imports pytest."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["dependency-groups"]
    assert any(req.startswith("pytest") for req in groups["docs"])


def test_ci_runs_tox_docs_in_a_fresh_tox() -> None:
    run = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "tox -q -e docs" in run or "tox -e docs" in run
    assert "UV_PYTHON_DOWNLOADS=never" in run
    assert 'install -q "tox>=4.22" tox-uv' in run
