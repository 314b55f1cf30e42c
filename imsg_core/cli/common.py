"""What every ``imsg`` command shares: per-input failure reporting, exit codes, input
expansion (paths, URLs, globs) and the wrapper that turns escaping exceptions into one line
on stderr."""

from __future__ import annotations

import functools
import glob as globmod
import json
import os
import sys
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import NoReturn
from typing import ParamSpec
from typing import TypeVar

import click

from .._session import Session
from ..errors import MAPIError

if TYPE_CHECKING:
    from .._message import Message

__all__ = [
    "FILES",
    "STORAGE_OPTION",
    "Failures",
    "debug_enabled",
    "describe_error",
    "expand_inputs",
    "guarded",
    "is_url",
    "location_options",
    "new_session",
    "open_message",
    "parse_storage_options",
    "quiet_exit_on_broken_pipe",
    "wrap_main",
]


P = ParamSpec("P")


R = TypeVar("R")


GLOB_CHARS = frozenset("*?[")


class Failures:
    """Collects per-input failures; the command's exit status is 1 when any occurred."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, where: str, exc: BaseException) -> None:
        """Print ``imsg: <where>: <error>`` on stderr (one line)."""
        self.count += 1
        click.echo(f"imsg: {where}: {describe_error(exc)}", err=True)

    def exit(self) -> None:
        """Exit with status 1 when anything failed."""
        if self.count:
            raise SystemExit(1)


def describe_error(exc: BaseException) -> str:
    """One line for a person: the MAPI/STG text, an OS error, or the exception's type."""
    if isinstance(exc, BaseExceptionGroup):
        inner = [describe_error(e) for e in exc.exceptions]
        return "; ".join(inner) if inner else str(exc)
    if isinstance(exc, MAPIError):
        text = str(exc)
    elif isinstance(exc, OSError):
        text = exc.strerror or str(exc)
        if exc.filename and str(exc.filename) not in text:
            text = f"{text}: {exc.filename}"
    elif isinstance(exc, (UnicodeError, ValueError, LookupError)):
        text = f"{type(exc).__name__}: {exc}"
    else:
        text = f"unexpected {type(exc).__name__}: {exc} (set IMSG_DEBUG=1 for a traceback)"
    return " ".join(text.split())


def debug_enabled() -> bool:
    return os.environ.get("IMSG_DEBUG", "") not in ("", "0")


def guarded(where: str, failures: Failures) -> _Guard:
    """Context manager: an exception inside is reported for ``where`` and swallowed."""
    return _Guard(where, failures)


class _Guard:
    def __init__(self, where: str, failures: Failures) -> None:
        self.where = where
        self.failures = failures

    def __enter__(self) -> None:
        return None

    def __exit__(self, etype: object, exc: BaseException | None, tb: object) -> bool:
        if exc is None or not isinstance(exc, Exception):
            return False
        if isinstance(exc, BrokenPipeError):
            quiet_exit_on_broken_pipe()
        if isinstance(exc, click.exceptions.Exit | click.ClickException):
            return False
        if debug_enabled():
            return False
        self.failures.report(self.where, exc)
        return True


def new_session() -> Session:
    return Session()


def is_url(text: str) -> bool:
    """True for ``scheme://...`` (and fsspec chains ``a::b://``), false for paths."""
    if len(text) > 2 and text[1] == ":" and text[0].isalpha() and text[2] in "\\/":
        return False  # a Windows drive path, C:\\... or C:/...
    return "://" in text


def expand_inputs(
    args: Iterable[str],
    failures: Failures,
    storage_options: Mapping[str, Any] | None = None,
) -> list[str]:
    """Paths, URLs and globs → concrete locations, in order, without duplicates.

    A pattern that matches nothing is reported as a failure (like a missing file). URL globs
    are listed with ``storage_options`` (``--storage-option``).
    """
    out: list[str] = []
    seen: set[str] = set()
    for arg in args:
        if not GLOB_CHARS & set(arg) or arg.startswith("mem://") or os.path.isfile(arg):
            found = [arg]  # a file whose name holds glob characters is taken literally
        elif is_url(arg):
            try:
                import fsspec

                files = fsspec.open_files(arg, **dict(storage_options or {}))
                found = [f.full_name for f in files]
            except Exception as exc:
                failures.report(arg, exc)
                continue
        else:
            found = sorted(globmod.glob(arg, recursive=True))
            found = [f for f in found if not os.path.isdir(f)]
        if not found:
            failures.report(arg, FileNotFoundError(2, "no file matches this pattern"))
            continue
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def quiet_exit_on_broken_pipe() -> NoReturn:
    """The reader of our output went away (``imsg tree x | head``): exit quietly, as Unix
    tools do, without a second error when Python flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise SystemExit(141)


def wrap_main(fn: Callable[P, R]) -> Callable[P, R]:
    """Exceptions escaping a command body become one line on stderr and status 1."""

    @functools.wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            quiet_exit_on_broken_pipe()
        except Exception as exc:
            if debug_enabled():
                raise
            click.echo(f"imsg: {describe_error(exc)}", err=True)
            raise SystemExit(1) from None

    return inner


FILES = click.argument("files", nargs=-1, required=True, metavar="FILE...")


def parse_storage_options(
    ctx: click.Context | None, param: click.Parameter | None, values: Iterable[str]
) -> dict[str, Any]:
    """``KEY=VALUE`` items → a dict: a VALUE that parses as JSON is taken as JSON
    (``true``, ``3``, ``{"endpoint_url": "..."}``), any other VALUE as a string. A later
    item for the same KEY wins; an item without ``=`` or with an empty KEY is a usage error."""
    out: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(
                f"{item!r} is not KEY=VALUE", ctx=ctx, param=param, param_hint="--storage-option"
            )
        try:
            out[key] = json.loads(raw)
        except ValueError:
            out[key] = raw
    return out


STORAGE_OPTION = click.option(
    "--storage-option",
    "storage_options",
    multiple=True,
    metavar="KEY=VALUE",
    callback=parse_storage_options,
    help="An fsspec storage option for URLs (repeatable); VALUE is JSON when it parses "
    '(true, 3, \'{"endpoint_url": "http://127.0.0.1:9000"}\'), else a string.',
)


def location_options(location: str, storage_options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The keyword arguments that open ``location``: ``storage_options`` for URLs when any
    were given; nothing for local paths (no local backend takes them)."""
    # file:// and mem:// are not fsspec storages: their backends take no storage options
    if storage_options and is_url(location) and not location.startswith(("file://", "mem://")):
        return {"storage_options": dict(storage_options)}
    return {}


def open_message(
    session: Session, location: str, storage_options: Mapping[str, Any] | None = None
) -> Message:
    """Open the message at ``location`` read-only (``storage_options`` for URLs)."""
    return session.open(location, "r", **location_options(location, storage_options))
