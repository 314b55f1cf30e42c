"""The install instructions work without a published imsg-core (issue 14, points 5 and 11)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _text(rel: str) -> str:
    return (ROOT / rel).read_text("utf-8")


def test_the_backend_guide_installs_imsg_core_from_a_checkout_before_the_plugin() -> None:
    guide = _text("docs/backends.md")
    assert "pip install ./imsg-core ./my-plugin" in guide
    assert 'dependencies = ["imsg-core"]' in guide
    assert "not published" in guide


def test_the_backend_guide_says_which_fixtures_class_and_what_each_mode_does() -> None:
    guide = _text("docs/backends.md")
    assert "class Fixtures(BackendFixtures)" in guide
    assert "stg_error(STG." in guide
    for mode in ('"r"', '"r+"', '"w"', '"x"'):
        assert f"| `{mode}` |" in guide
    for code in ("STG_E_FILENOTFOUND", "STG_E_FILEALREADYEXISTS", "STG_E_INVALIDPARAMETER"):
        assert code in guide


def test_the_readme_says_how_to_install_without_pypi_and_names_a_fast_subset() -> None:
    readme = _text("README.md")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert "not published on PyPI" in setup and "pip wheel" in setup
    assert re.search(r"pytest -q -m \"not slow and not remote\"", setup)
    assert re.search(r"about \d+ minutes?", setup)
    assert "FAST_FIGURE" not in setup
