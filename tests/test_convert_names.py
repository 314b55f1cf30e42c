"""Safe attachment file names: whatever the name, the result is one harmless component."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from imsg_core.convert.names import MAX_NAME_BYTES
from imsg_core.convert.names import safe_filename
from imsg_core.convert.names import target_path
from imsg_core.convert.names import unique_name
from imsg_core.errors import StorageError

RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}


def _check(name: str) -> None:
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not any(ord(c) < 0x20 or c in '<>:"|?*' for c in name)
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert name.split(".", maxsplit=1)[0].upper().rstrip() not in RESERVED
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/shadow", "shadow"),
        ("C:\\Windows\\win.ini", "win.ini"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:evil.exe", "evil.exe"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("a\x00b.txt", "a_b.txt"),
        ("x\x1b[31m.txt", "x_[31m.txt"),
        ("..", "attachment"),
        ("", "attachment"),
        (None, "attachment"),
        ("report.pdf. . ", "report.pdf"),
        ("ok name (1).docx", "ok name (1).docx"),
    ],
)
def test_hostile_names_become_one_safe_component(hostile: str | None, expected: str) -> None:
    got = safe_filename(hostile)
    assert got == expected
    _check(got)


def test_long_names_are_cut_keeping_the_extension() -> None:
    got = safe_filename("é" * 400 + ".pdf")
    assert got.endswith(".pdf") and len(got.encode()) <= MAX_NAME_BYTES
    _check(got)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_safe_name(name: str) -> None:
    _check(safe_filename(name))


def test_unique_name_numbers_duplicates_case_insensitively() -> None:
    taken: set[str] = set()
    assert unique_name("a.txt", taken) == "a.txt"
    assert unique_name("A.TXT", taken) == "A (2).TXT"
    assert unique_name("a.txt", taken) == "a (3).txt"


def test_target_path_refuses_anything_but_a_child(tmp_path: Path) -> None:
    assert target_path(tmp_path, "x.txt") == tmp_path.resolve() / "x.txt"
    for bad in ("..", "../x", "a/b", ""):
        with pytest.raises(StorageError):
            target_path(tmp_path, bad)
    outside = tmp_path.parent / "outside-target"
    (tmp_path / "link").symlink_to(outside)
    with pytest.raises(StorageError):
        target_path(tmp_path, "link")
