"""The user guide's Python examples run as written (pages that need no cloud or cluster)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
RUNNABLE = [
    "guide/sessions.md",
    "guide/reading.md",
    "guide/editing.md",
    "guide/writing.md",
    "guide/convert.md",
    "mapi.md",
    "cli.md",
]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("page", RUNNABLE)
def test_python_examples_on_the_page_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = _BLOCK.findall(text)
    assert blocks, f"{page} has no Python example"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page}"}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"{page}[{i}]", "exec"), namespace)
        except Exception as exc:  # name the page and block in the failure
            raise AssertionError(f"{page}, example {i + 1} failed: {exc!r}") from exc


def test_every_guide_page_is_in_the_guide_toctree() -> None:
    index = (DOCS / "guide.md").read_text(encoding="utf-8")
    for page in sorted((DOCS / "guide").glob("*.md")):
        assert f"guide/{page.stem}" in index, page.name
