"""Shared fixtures. Corpus tests skip cleanly when ../shared/corpus is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import imsg_core

ROOT = Path(__file__).resolve().parent.parent
CORPUS = (ROOT.parent / "shared" / "corpus").resolve()


def corpus_files(pattern: str = "**/*") -> list[Path]:
    """Corpus files under files/ matching ``pattern`` (empty when the corpus is absent)."""
    base = CORPUS / "files"
    if not base.is_dir():
        return []
    return sorted(p for p in base.glob(pattern) if p.is_file())


def corpus_ids(paths: list[Path]) -> list[str]:
    """Readable test ids: the path below files/."""
    return [str(p.relative_to(CORPUS / "files")) for p in paths]


@pytest.fixture
def corpus_dir() -> Path:
    """The corpus directory; skips the test when it is absent."""
    if not (CORPUS / "files").is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


@pytest.fixture
def session() -> Iterator[imsg_core.Session]:
    """A fresh session, closed after the test."""
    with imsg_core.Session() as s:
        yield s
