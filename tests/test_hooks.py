"""One test per hook, pinning what the hook's contract promises."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import click
import pytest
from backends_for_tests import SchemeBackend
from click.testing import CliRunner

import imsg_core
from imsg_core import hookimpl
from imsg_core._session import ObjectRecord
from imsg_core._session import Session


def test_hook_imsg_core_open_storage() -> None:
    asked: list[str] = []

    class Spy:
        @hookimpl
        def imsg_core_open_storage(
            self, session: Session, location: Any, mode: str, options: Mapping[str, Any]
        ) -> None:
            asked.append(f"{location}|{mode}|{dict(options)}")
            # passes: the next backend is asked

    with imsg_core.Session(plugins=[Spy()]) as s:
        st = s.open_storage("mem://x", "w", size=3)
        assert st.backend == "memory"  # first non-None answer wins
    assert asked == ["mem://x|w|{'size': 3}"]


def test_hook_imsg_core_release() -> None:
    seen: list[list[str]] = []

    class Spy:
        @hookimpl
        def imsg_core_release(self, session: Session, objects: Sequence[ObjectRecord]) -> None:
            seen.append([r.kind for r in objects])

    s = imsg_core.Session(plugins=[Spy()])
    root = s.open_storage("mem://x", "w")
    root.create_storage("sub").create_stream("leaf")
    s.close()
    assert seen == [["stream"], ["storage"], ["storage"]]  # deepest first, every batch


def test_hook_imsg_core_describe_backend() -> None:
    with imsg_core.Session(plugins=[SchemeBackend("zz")]) as s:
        infos = s.backends()
    assert infos[0].name == "zz"  # plugins passed in are asked first
    assert {"memory", "zz"} <= {i.name for i in infos}


def test_hook_imsg_core_register_commands() -> None:
    class Adds:
        @hookimpl
        def imsg_core_register_commands(self, cli: click.Group) -> None:
            @cli.command(name="hello")
            def hello() -> None:
                click.echo("hello from a plugin")

    group = click.Group("imsg")
    with imsg_core.Session(plugins=[Adds()]) as s:
        s.hooks.register_commands(group)
    result = CliRunner().invoke(group, ["hello"])
    assert result.exit_code == 0 and result.output == "hello from a plugin\n"


@pytest.mark.parametrize("bad", [None, 42, b"not a compound file at all"])
def test_unclaimed_locations_are_refused_clearly(bad: object) -> None:
    with (
        imsg_core.Session(blocked=["ole", "remote"]) as s,
        pytest.raises(imsg_core.StorageError) as ei,
    ):
        s.open_storage(bad)
    assert "no backend takes location" in str(ei.value)
