"""The ``imsg`` group: the built-in commands, plugin commands, and the entry point."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from .. import __version__
from .._session import Session
from .cmd_attachments import attachments
from .cmd_convert import convert
from .cmd_demo import backends
from .cmd_demo import demo
from .cmd_export import export
from .cmd_info import info
from .cmd_info import props
from .cmd_info import tree
from .common import debug_enabled
from .common import describe_error

__all__ = ["BUILTIN_COMMANDS", "COMMANDS", "ImsgGroup", "build_cli", "main"]


#: Names of the built-in commands; plugins cannot take them.
BUILTIN_COMMANDS = (
    "attachments",
    "backends",
    "convert",
    "demo",
    "export",
    "info",
    "props",
    "tree",
)


COMMANDS: list[click.Command] = [info, props, tree, attachments, convert, export, backends, demo]


class ImsgGroup(click.Group):
    """The top-level group: lists commands in definition order and refuses plugin commands
    whose names are taken by built-ins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sealed = False

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Add ``cmd``; after the built-ins are in, refuse names they hold."""
        name = name or cmd.name
        if self.sealed and name in BUILTIN_COMMANDS:
            click.echo(
                f"imsg: warning: a plugin tried to add command {name!r}, which is built in; "
                "ignored",
                err=True,
            )
            return
        super().add_command(cmd, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def build_cli(*, plugins: bool = True, extra_plugins: Iterable[object] = ()) -> click.Group:
    """The ``imsg`` group with the built-in commands and (if ``plugins``) the commands every
    installed plugin — and each object of ``extra_plugins`` — adds through
    ``imsg_core_register_commands``."""

    @click.group(
        cls=ImsgGroup,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    @click.version_option(__version__, prog_name="imsg")
    def cli() -> None:
        """Read, inspect, convert and export Outlook .msg messages.

        Every FILE may be a path, a URL that a storage backend opens (s3://, https://,
        mem://, ...; see `imsg backends`) or a glob pattern (quote it: 'mail/**/*.msg').

        Exit status: 0 on success, 1 when any input failed (each failure is one line on
        stderr), 2 on a usage error. Set IMSG_DEBUG=1 to see tracebacks.
        """

    group = cli
    assert isinstance(group, ImsgGroup)
    for command in COMMANDS:
        group.add_command(command)
    group.sealed = True
    if plugins:
        try:
            with Session(plugins=extra_plugins) as session:
                session.hooks.register_commands(group)
        except Exception as exc:  # a broken plugin must not take the tool down
            if debug_enabled():
                raise
            click.echo(
                f"imsg: warning: loading plugin commands failed: {describe_error(exc)}", err=True
            )
    return group


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``imsg`` script."""
    cli = build_cli()
    cli.main(args=argv, prog_name="imsg")
