"""The ``imsg`` command-line tool.

Every command takes paths, URLs (anything a backend opens: ``s3://``, ``https://``,
``mem://``...) and glob patterns (``'mail/**/*.msg'``, ``'s3://bucket/2026/*.msg'``).

Exit status: 0 on success; 1 when any input failed (each failure is reported on stderr as
one line, ``imsg: <input>: <error>``, and the command carries on with the other inputs);
2 for a usage error. No traceback is printed unless ``IMSG_DEBUG=1`` is set.

Plugins add commands through the ``imsg_core_register_commands(cli)`` hook; a plugin command
whose name is taken by a built-in command is refused with a warning.
"""

from __future__ import annotations

import functools
import glob as globmod
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from . import __version__
from .errors import MAPIError
from .session import Session

if TYPE_CHECKING:
    from .attachment import Attachment
    from .message import Message
    from .storage import Storage

__all__ = ["BUILTIN_COMMANDS", "build_cli", "main"]

P = ParamSpec("P")
R = TypeVar("R")

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

_GLOB_CHARS = frozenset("*?[")


# --------------------------------------------------------------------------- errors
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


def _debug() -> bool:
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
            _quiet_exit_on_broken_pipe()
        if isinstance(exc, click.exceptions.Exit | click.ClickException):
            return False
        if _debug():
            return False
        self.failures.report(self.where, exc)
        return True


def _session() -> Session:
    return Session()


# --------------------------------------------------------------------------- inputs
def is_url(text: str) -> bool:
    """True for ``scheme://...`` (and fsspec chains ``a::b://``), false for paths."""
    if len(text) > 2 and text[1] == ":" and text[0].isalpha() and text[2] in "\\/":
        return False  # a Windows drive path, C:\\... or C:/...
    return "://" in text


def expand_inputs(args: Iterable[str], failures: Failures) -> list[str]:
    """Paths, URLs and globs → concrete locations, in order, without duplicates.

    A pattern that matches nothing is reported as a failure (like a missing file).
    """
    out: list[str] = []
    seen: set[str] = set()
    for arg in args:
        if not _GLOB_CHARS & set(arg) or arg.startswith("mem://") or os.path.isfile(arg):
            found = [arg]  # a file whose name holds glob characters is taken literally
        elif is_url(arg):
            try:
                import fsspec

                files = fsspec.open_files(arg)
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


def _header(loc: str, many: bool, first: bool) -> None:
    if many:
        if not first:
            click.echo()
        click.echo(f"==> {loc} <==")


# --------------------------------------------------------------------------- formatting
def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis and the full length."""
    if limit <= 0 or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} chars)"


def printable(text: str) -> str:
    """Control characters as ``\\xNN`` so names like ``\\x01CompObj`` print safely."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in text)


def json_value(value: object, limit: int) -> object:
    """A JSON-friendly form of a property value; long values shortened unless ``limit`` is 0."""
    from datetime import datetime
    from decimal import Decimal
    from uuid import UUID

    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return shorten(value, limit)
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        if limit and len(raw) > limit // 2:
            return f"{raw[: limit // 2].hex()}… ({len(raw)} bytes)"
        return raw.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return "{" + str(value).upper() + "}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v, limit) for v in value]
    return shorten(repr(value), limit)


def human_size(n: int) -> str:
    """``1.5 MiB`` style sizes (bytes below 1 KiB)."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


# --------------------------------------------------------------------------- CLI group
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


def _quiet_exit_on_broken_pipe() -> NoReturn:
    """The reader of our output went away (``imsg tree x | head``): exit quietly, as Unix
    tools do, without a second error when Python flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise SystemExit(141)


def _wrap_main(fn: Callable[P, R]) -> Callable[P, R]:
    """Exceptions escaping a command body become one line on stderr and status 1."""

    @functools.wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            _quiet_exit_on_broken_pipe()
        except Exception as exc:
            if _debug():
                raise
            click.echo(f"imsg: {describe_error(exc)}", err=True)
            raise SystemExit(1) from None

    return inner


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
            if _debug():
                raise
            click.echo(
                f"imsg: warning: loading plugin commands failed: {describe_error(exc)}", err=True
            )
    return group


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``imsg`` script."""
    cli = build_cli()
    cli.main(args=argv, prog_name="imsg")


# --------------------------------------------------------------------------- message helpers
_MAX_DEPTH = 32  # embedded messages deeper than this are not followed (cycles, bombs)


def _attr(obj: object, name: str, default: Any) -> Any:
    """``getattr(obj, name)``, or ``default`` when the property cannot be read."""
    try:
        return getattr(obj, name)
    except MAPIError:
        return default


def _safe_get(fn: Callable[[], Any], default: Any) -> Any:
    """``fn()``, or ``default`` when the property cannot be read (reported elsewhere)."""
    try:
        return fn()
    except MAPIError:
        return default


def _addr(name: str | None, email: str | None) -> str:
    if name and email and name != email:
        return f"{name} <{email}>"
    return name or email or ""


def _date_fields(msg: Message) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for label, tag in (
        ("sent", 0x00390040),  # PR_CLIENT_SUBMIT_TIME
        ("received", 0x0E060040),  # PR_MESSAGE_DELIVERY_TIME
        ("created", 0x30070040),  # PR_CREATION_TIME
        ("modified", 0x30080040),  # PR_LAST_MODIFICATION_TIME
    ):
        try:
            value = msg.get_prop(tag, None)
        except MAPIError:
            value = None
        if value is not None:
            out.append((label, value))
    return out


def attachment_label(att: Attachment) -> str:
    """The best name an attachment has: long file name, file name, display name."""
    return _attr(att, "filename", None) or _attr(att, "display_name", None) or "(unnamed)"


def summary_document(msg: Message, depth: int = 0) -> dict[str, Any]:
    """What ``imsg info`` shows for one message, as a JSON-friendly dict (embedded messages
    nested under their attachments)."""
    recipients = [
        {"name": r.name, "email": r.email, "type": r.type}
        for r in _safe_get(lambda: list(msg.recipients), [])
    ]
    doc: dict[str, Any] = {
        "class": _attr(msg, "message_class", None),
        "subject": _attr(msg, "subject", None),
        "from": {
            "name": _attr(msg, "sender_name", None),
            "email": _attr(msg, "sender_email", None),
        },
        "recipients": recipients,
    }
    for label, value in _date_fields(msg):
        doc[label] = value.isoformat() if hasattr(value, "isoformat") else value
    doc["bodies"] = _bodies(msg)
    atts = []
    for att in _safe_get(lambda: list(msg.attachments), []):
        entry: dict[str, Any] = {"filename": attachment_label(att)}
        if _attr(att, "is_embedded", False):
            inner = _attr(att, "message", None)
            if inner is not None and depth < _MAX_DEPTH:
                entry["message"] = summary_document(inner, depth + 1)
            elif inner is not None:
                entry["message"] = None  # nested too deep to follow
        else:
            entry["size"] = _attr(att, "size", 0)
            entry["mime_type"] = _attr(att, "mime_type", None)
            entry["content_id"] = _attr(att, "content_id", None)
            entry["method"] = _attr(att, "method", None)
        atts.append(entry)
    doc["attachments"] = atts
    return doc


def _bodies(msg: Message) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in ("body", "html", "rtf"):
        value = _attr(msg, name, None)
        if value:
            out["plain" if name == "body" else name] = len(value)
    return out


def summary_lines(msg: Message | dict[str, Any], indent: str = "") -> Iterator[str]:
    """What ``imsg info`` prints for one message (embedded messages as an indented tree)."""
    doc = msg if isinstance(msg, dict) else summary_document(msg)

    def row(label: str, value: object) -> str:
        return f"{indent}{label + ':':<13}{printable(str(value))}"

    yield row("class", doc["class"] or "")
    yield row("subject", doc["subject"] or "")
    yield row("from", _addr(doc["from"]["name"], doc["from"]["email"]))
    recipients = doc["recipients"]
    for kind in ("to", "cc", "bcc"):
        people = [_addr(r["name"], r["email"]) for r in recipients if r["type"] == kind]
        if people or kind == "to":
            yield row(kind, ", ".join(people))
    others = [r for r in recipients if r["type"] not in ("to", "cc", "bcc")]
    if others:
        shown = ", ".join(f"{_addr(r['name'], r['email'])} ({r['type']})" for r in others)
        yield row("recipients", shown)
    for label in ("sent", "received", "created", "modified"):
        if label in doc:
            yield row(label, doc[label])
    bodies = doc["bodies"]
    parts = [f"{k} ({v} {'bytes' if k == 'rtf' else 'chars'})" for k, v in bodies.items()]
    yield row("bodies", ", ".join(parts) or "none")
    yield row("attachments", len(doc["attachments"]))
    sub = indent + "  "
    for i, att in enumerate(doc["attachments"], 1):
        if "message" in att:
            inner = att["message"]
            subject = inner["subject"] if inner else None
            yield f"{sub}{i}. [message] {printable(subject or att['filename'])}"
            if inner is None:
                yield f"{sub}     (nested deeper than {_MAX_DEPTH} levels; not shown)"
            else:
                yield from summary_lines(inner, sub + "     ")
            continue
        extra = ", ".join(
            x
            for x in (att["mime_type"], f"cid:{att['content_id']}" if att["content_id"] else None)
            if x
        )
        line = f"{sub}{i}. {printable(att['filename'])}  {human_size(att['size'])}"
        yield line + (f"  ({extra})" if extra else "")


# --------------------------------------------------------------------------- commands
FILES = click.argument("files", nargs=-1, required=True, metavar="FILE...")


@click.command()
@FILES
@click.option("--json", "as_json", is_flag=True, help="Write JSON (one document per FILE).")
@_wrap_main
def info(files: tuple[str, ...], as_json: bool) -> None:
    """Print a readable summary of each message.

    Shows the message class, subject, sender, To/Cc/Bcc, dates, which bodies are present
    (with their sizes), and the attachments with their sizes, MIME types and content-ids;
    embedded messages are shown as a tree. With --json the same facts are one JSON document
    per FILE (a JSON array when several FILEs or a glob are given).
    """
    failures = Failures()
    locations = expand_inputs(files, failures)
    docs: list[dict[str, Any]] = []
    for n, loc in enumerate(locations):
        with guarded(loc, failures), _session() as session:
            doc = {"file": loc, **summary_document(open_message(session, loc))}
            if as_json:
                docs.append(doc)
                continue
            lines = list(summary_lines(doc))  # built first: a failure prints nothing
            _header(loc, len(locations) > 1, n == 0)
            click.echo(f"{'file:':<13}{loc}")
            for line in lines:
                click.echo(line)
    if as_json:
        _echo_json(docs, files)
    failures.exit()


def _echo_json(docs: list[dict[str, Any]], files: tuple[str, ...]) -> None:
    single = len(files) == 1 and not _GLOB_CHARS & set(files[0])
    if single and len(docs) <= 1:
        if docs:
            click.echo(json.dumps(docs[0], ensure_ascii=False, indent=2, default=str))
        return
    click.echo(json.dumps(docs, ensure_ascii=False, indent=2, default=str))


def _prop_rows(obj: Any, limit: int, names: Callable[[int], str | None]) -> list[dict[str, Any]]:
    from .props import tag_name, type_name

    rows: list[dict[str, Any]] = []
    tags = list(obj.prop_tags())
    values = obj.get_props(tags)
    for tag, value in zip(tags, values, strict=False):
        named = names(tag)
        row: dict[str, Any] = {
            "tag": f"0x{tag:08X}",
            "name": named or tag_name(tag) or f"0x{tag:08X}",
            "type": type_name(tag & 0xFFFF),
        }
        if not value and type(value).__name__ == "PropError":
            row["error"] = value.name
        else:
            row["value"] = json_value(value, limit)
        rows.append(row)
    return rows


def _named_resolver(msg: Message) -> Callable[[int], str | None]:
    def resolve(tag: int) -> str | None:
        pid = (tag >> 16) & 0xFFFF
        if pid < 0x8000:
            return None
        try:
            names = msg.get_names_from_ids([tag])
        except (MAPIError, AttributeError):
            return None
        name = names[0] if names else None
        if name is None:
            return None
        return _format_nameid(name)

    return resolve


def _format_nameid(name: Any) -> str:
    from .props.named import set_name

    guid = name.guid
    set_label = set_name(guid) or "{" + str(guid).upper() + "}"
    kind = name.kind if isinstance(name.kind, str) else f"0x{int(name.kind):04X}"
    return f"{set_label}:{kind}"


def props_document(msg: Message, limit: int, depth: int = 0) -> dict[str, Any]:
    """Every property of ``msg``, its recipients and attachments (recursively)."""
    names = _named_resolver(msg)
    doc: dict[str, Any] = {"properties": _prop_rows(msg, limit, names)}
    doc["recipients"] = [
        _prop_rows_from_mapping(r.props, limit, names)
        for r in _safe_get(lambda: list(msg.recipients), [])
    ]
    atts = []
    for att in _safe_get(lambda: list(msg.attachments), []):
        entry: dict[str, Any] = {"properties": _prop_rows(att, limit, names)}
        if depth < _MAX_DEPTH and _attr(att, "is_embedded", False):
            inner = _attr(att, "message", None)
            if inner is not None:
                entry["message"] = props_document(inner, limit, depth + 1)
        atts.append(entry)
    doc["attachments"] = atts
    return doc


def _prop_rows_from_mapping(
    props: dict[int, object], limit: int, names: Callable[[int], str | None]
) -> list[dict[str, Any]]:
    from .props import tag_name, type_name

    return [
        {
            "tag": f"0x{tag:08X}",
            "name": names(tag) or tag_name(tag) or f"0x{tag:08X}",
            "type": type_name(tag & 0xFFFF),
            "value": json_value(value, limit),
        }
        for tag, value in props.items()
    ]


def _props_text(doc: dict[str, Any], indent: str = "") -> Iterator[str]:
    def lines(rows: list[dict[str, Any]], ind: str) -> Iterator[str]:
        for row in rows:
            if "error" in row:
                shown = f"<{row['error']}>"
            else:
                v = row["value"]
                shown = printable(v) if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            yield f"{ind}{row['tag']}  {row['name']:<40} {row['type']:<12} {shown}"

    yield from lines(doc["properties"], indent)
    for i, rows in enumerate(doc["recipients"]):
        yield f"{indent}recipient {i}:"
        yield from lines(rows, indent + "  ")
    for i, att in enumerate(doc["attachments"]):
        yield f"{indent}attachment {i}:"
        yield from lines(att["properties"], indent + "  ")
        if "message" in att:
            yield f"{indent}  embedded message:"
            yield from _props_text(att["message"], indent + "    ")


@click.command()
@FILES
@click.option("--json", "as_json", is_flag=True, help="Write JSON (one document per FILE).")
@click.option(
    "--width",
    type=click.IntRange(min=0),
    default=80,
    show_default=True,
    help="Shorten values longer than this many characters (0: never shorten).",
)
@_wrap_main
def props(files: tuple[str, ...], as_json: bool, width: int) -> None:
    """List every property: tag, name, type and value.

    Covers the message, each recipient and each attachment, and embedded messages
    recursively. Named properties (0x8000 and up) are shown by their property set and
    name. With --json the output is one JSON document per FILE (a JSON array when several
    FILEs are given).
    """
    failures = Failures()
    locations = expand_inputs(files, failures)
    docs: list[dict[str, Any]] = []
    for n, loc in enumerate(locations):
        with guarded(loc, failures), _session() as session:
            msg = open_message(session, loc)
            doc = {"file": loc, **props_document(msg, width)}
            if as_json:
                docs.append(doc)
            else:
                _header(loc, len(locations) > 1, n == 0)
                for line in _props_text(doc):
                    click.echo(line)
    if as_json:
        _echo_json(docs, files)
    failures.exit()


def tree_lines(storage: Storage, prefix: str = "", depth: int = 0) -> Iterator[str]:
    """The storage/stream tree under ``storage``, one line per element, with sizes."""
    entries = storage.list()
    for i, entry in enumerate(entries):
        last = i == len(entries) - 1
        branch = "└── " if last else "├── "
        name = printable(entry.name)
        if entry.is_storage:
            clsid = "" if entry.clsid.int == 0 else f"  {{{str(entry.clsid).upper()}}}"
            yield f"{prefix}{branch}{name}/{clsid}"
            if depth >= _MAX_DEPTH:
                yield f"{prefix}{'    ' if last else '│   '}(deeper levels not shown)"
                continue
            with storage.open_storage(entry.name, "r") as child:
                yield from tree_lines(child, prefix + ("    " if last else "│   "), depth + 1)
        else:
            yield f"{prefix}{branch}{name}  {entry.size}"


@click.command(short_help="Print the storage/stream tree with stream sizes.")
@FILES
@_wrap_main
def tree(files: tuple[str, ...]) -> None:
    """Print the storage/stream tree of each compound file, with stream sizes in bytes.

    Works on the storage layer alone, so any compound file (not only messages) can be shown.
    Storages end with '/', followed by their CLSID when they have one; control characters in
    element names are shown as \\xNN.
    """
    failures = Failures()
    locations = expand_inputs(files, failures)
    for n, loc in enumerate(locations):
        with guarded(loc, failures), _session() as session:
            root = session.open_storage(loc, "r")
            stat = root.stat()
            lines = list(tree_lines(root))
            _header(loc, len(locations) > 1, n == 0)
            clsid = "" if stat.clsid.int == 0 else f"  {{{str(stat.clsid).upper()}}}"
            click.echo(f"{printable(stat.name)}/{clsid}")
            for line in lines:
                click.echo(line)
    failures.exit()


# --------------------------------------------------------------------------- attachments
ATTACH_BY_VALUE = 1
ATTACH_EMBEDDED_MSG = 5
ATTACH_OLE = 6


def _attachment_row(i: int, att: Attachment) -> str:
    method = _attr(att, "method", 0)
    if _attr(att, "is_embedded", False):
        inner = _attr(att, "message", None)
        subject = _safe_get(lambda: inner.subject if inner is not None else None, None)
        return f"{i:>3}  [message]  {printable(subject or attachment_label(att))}"
    size = _attr(att, "size", 0)
    mime = _attr(att, "mime_type", None) or "-"
    cid = _attr(att, "content_id", None)
    kind = {ATTACH_OLE: "[ole]", 2: "[link]", 3: "[link]", 4: "[link]", 7: "[web]"}.get(method, "")
    tail = f"  cid:{cid}" if cid else ""
    return (
        f"{i:>3}  {human_size(size):>10}  {mime:<28} {kind + ' ' if kind else ''}"
        f"{printable(attachment_label(att))}{tail}"
    )


def _extract_one(
    session: Session,
    att: Attachment,
    directory: Path,
    *,
    taken: set[str],
    force: bool,
    fallback: str,
) -> Path | None:
    """Write one attachment into ``directory``; return its path (None: nothing to write)."""
    from .convert.names import safe_filename, target_path, unique_name

    method = _attr(att, "method", 0)
    embedded = _attr(att, "is_embedded", False)
    label = _attr(att, "filename", None) or _attr(att, "display_name", None)
    if embedded:
        inner = att.message
        assert inner is not None
        base = safe_filename(label or _attr(inner, "subject", None), fallback)
        if not base.lower().endswith((".msg", ".oft")):
            base += ".msg"
    elif method == ATTACH_OLE:
        base = safe_filename(label, fallback)
        if "." not in base:
            base += ".bin"
    elif method in (0, ATTACH_BY_VALUE):
        if 0x37010102 not in att.prop_tags():  # PR_ATTACH_DATA_BIN: nothing stored
            return None
        base = safe_filename(label, fallback)
    else:
        return None
    name = unique_name(base, taken)
    path = target_path(directory, name)
    if path.exists() and not force:
        raise FileExistsError(17, "exists (use --force to overwrite)", str(path))
    if embedded:
        inner = att.message
        assert inner is not None
        dest = session.create(str(path), overwrite=force)
        inner.copy_to(dest)
        dest.save_changes()
        dest.close()
    elif method == ATTACH_OLE:
        src = att.open_object_storage()
        dst = session.create_storage(str(path), overwrite=force)
        src.copy_to(dst)
        dst.commit()
        dst.close()
    else:
        with att.open() as stream, open(path, "wb" if force else "xb") as fh:
            while chunk := stream.read(1 << 20):
                fh.write(chunk)
    return path


@click.command(short_help="List or extract (--extract DIR) the attachments.")
@FILES
@click.option(
    "--extract",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the attachments into this directory (created if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist in DIRECTORY.")
@_wrap_main
def attachments(files: tuple[str, ...], directory: Path | None, force: bool) -> None:
    """List the attachments of each message, or extract them with --extract.

    Embedded messages are extracted as .msg files, OLE storage attachments as compound
    files, links (by reference) are listed but not fetched. File names are made safe: no
    directory parts, no absolute paths, no reserved device names (CON, NUL, ...), no NUL or
    control characters, at most 200 bytes; the result always lands inside the directory.
    Two attachments with the same name get 'name (2).ext'. An existing file is never
    overwritten without --force.
    """
    failures = Failures()
    locations = expand_inputs(files, failures)
    taken: set[str] = set()
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    for n, loc in enumerate(locations):
        with guarded(loc, failures), _session() as session:
            msg = open_message(session, loc)
            atts = list(msg.attachments)
            if directory is None:
                _header(loc, len(locations) > 1, n == 0)
                for i, att in enumerate(atts, 1):
                    click.echo(_attachment_row(i, att))
                continue
            for i, att in enumerate(atts, 1):
                where = f"{loc}: attachment {i} ({printable(attachment_label(att))})"
                with guarded(where, failures):
                    path = _extract_one(
                        session,
                        att,
                        directory,
                        taken=taken,
                        force=force,
                        fallback=f"attachment-{i}",
                    )
                    if path is None:
                        click.echo(f"skipped {where}: not stored in the message", err=True)
                    else:
                        click.echo(str(path))
    failures.exit()


# --------------------------------------------------------------------------- convert
_MSG_EXTS = (".msg", ".oft")
_EML_EXTS = (".eml",)


def _kind_of(location: str) -> str | None:
    path = location.split("?", 1)[0].lower()
    if path.endswith(_MSG_EXTS):
        return "msg"
    if path.endswith(_EML_EXTS):
        return "eml"
    return None


def _read_bytes(location: str) -> bytes:
    if is_url(location):
        import fsspec

        with fsspec.open(location, "rb") as fh:
            return bytes(fh.read())
    with open(location, "rb") as fh:
        return fh.read()


def _write_bytes(location: str, data: bytes) -> None:
    if is_url(location):
        import fsspec

        with fsspec.open(location, "wb") as fh:
            fh.write(data)
        return
    tmp = f"{location}.imsg-tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, location)


def convert_one(session: Session, source: str, dest: str) -> None:
    """Convert ``source`` to ``dest``. ``dest``'s extension decides the direction (``.eml``:
    the source is a message; ``.msg``/``.oft``: the source is MIME); raises
    :class:`click.UsageError` when it is neither or both sides have the same format."""
    from .convert.eml import eml_to_msg, msg_to_eml

    src_kind, dst_kind = _kind_of(source), _kind_of(dest)
    if dst_kind == "eml" and src_kind != "eml":
        msg = open_message(session, source)
        _write_bytes(dest, msg_to_eml(msg))
    elif dst_kind == "msg" and src_kind != "msg":
        data = _read_bytes(source)
        out = session.create(dest)
        eml_to_msg(data, out)
        out.save_changes()
        out.close()
    else:
        raise click.UsageError(
            f"cannot convert {source!r} to {dest!r}: OUT must end in .eml (IN a message) or "
            ".msg/.oft (IN a MIME message), and IN must be the other format"
        )


@click.command(short_help="Convert .msg -> .eml or .eml -> .msg.")
@click.argument("source", metavar="IN")
@click.argument("dest", metavar="OUT")
@_wrap_main
def convert(source: str, dest: str) -> None:
    """Convert IN to OUT: .msg -> .eml or .eml -> .msg, chosen by OUT's extension.

    .msg -> .eml writes RFC 5322 MIME: plain and HTML bodies (HTML recovered from an RTF
    body when needed), attachments with their types and content-ids, inline images,
    embedded messages as message/rfc822, the original transport headers; S/MIME messages
    are passed through unchanged. .eml -> .msg writes a Unicode message with recipients,
    sender, dates, plain/HTML/RTF bodies, attachments, inline images and nested messages.

    IN may be a glob matching several files; OUT must then be a directory, and each file is
    written there with the other extension. OUT is replaced if it exists.
    """
    failures = Failures()
    sources = expand_inputs([source], failures)
    many = len(sources) > 1 or _GLOB_CHARS & set(source)
    if many or (not is_url(dest) and os.path.isdir(dest)):
        if not is_url(dest):
            os.makedirs(dest, exist_ok=True)
        for src in sources:
            kind = _kind_of(src)
            if kind is None:
                failures.report(src, ValueError("not a .msg or .eml file"))
                continue
            stem = src.rstrip("/").rsplit("/", 1)[-1]
            stem = stem.rsplit(".", 1)[0]
            out = dest.rstrip("/") + "/" + stem + (".eml" if kind == "msg" else ".msg")
            with guarded(src, failures), _session() as session:
                convert_one(session, src, out)
                click.echo(out)
    else:
        for src in sources:
            with guarded(src, failures), _session() as session:
                convert_one(session, src, dest)
    failures.exit()


# --------------------------------------------------------------------------- export
def _parse_fields(text: str | None) -> tuple[str | int, ...]:
    from .dask import DEFAULT_FIELDS, FIELDS

    if not text:
        return DEFAULT_FIELDS
    out: list[str | int] = []
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        if item in FIELDS:
            out.append(item)
            continue
        try:
            from .props import resolve_tag

            out.append(int(resolve_tag(item)))
        except MAPIError:
            names = ", ".join(sorted(FIELDS))
            raise click.BadParameter(
                f"{item!r} is neither a field ({names}) nor a property tag or name",
                param_hint="--fields",
            ) from None
    return tuple(out)


def _local_records(
    locations: list[str], fields: tuple[str | int, ...], workers: int
) -> Iterator[dict[str, Any]]:
    from .dask import record_for

    task = functools.partial(record_for, fields=fields)
    if workers <= 1:
        for loc in locations:
            yield task(loc)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(locations) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(task, locations, chunksize=chunk)


def _local_path(rec: dict[str, Any], locations: list[str]) -> dict[str, Any]:
    """Dask lists files through fsspec (``file:///abs``); report local files by the path
    given, as local runs do."""
    path = rec.get("path")
    if isinstance(path, str) and path.startswith("file://"):
        local = path[len("file://") :]
        for loc in locations:
            if not is_url(loc) and os.path.abspath(loc) == local:
                rec["path"] = loc
                break
    return rec


def _dask_records(
    locations: list[str], fields: tuple[str | int, ...], scheduler: str, workers: int
) -> Iterator[dict[str, Any]]:
    from .dask import read_msgs

    bag = read_msgs(locations, fields=fields)
    parts = bag.to_delayed()
    if scheduler == "dask":
        import dask

        step = max(1, workers)
        for i in range(0, len(parts), step):
            done = dask.compute(  # type: ignore[attr-defined,no-untyped-call]
                *parts[i : i + step], scheduler="processes", num_workers=step
            )
            for part in done:
                yield from (_local_path(rec, locations) for rec in part)
        return
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise click.UsageError(
            "a scheduler address needs dask.distributed: pip install 'imsg-core[dask]'"
        ) from exc
    client = Client(scheduler)  # type: ignore[no-untyped-call]
    try:
        futures = client.compute(parts)  # type: ignore[no-untyped-call]
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            yield from (_local_path(rec, locations) for rec in fut.result())
    finally:
        client.close()  # type: ignore[no-untyped-call]


@click.command()
@click.argument("patterns", nargs=-1, required=True, metavar="GLOB...")
@click.option(
    "--to",
    "out",
    required=True,
    metavar="OUT.jsonl",
    help="Where to write the records (a path, a URL, or - for stdout).",
)
@click.option(
    "--fields",
    metavar="LIST",
    help="Comma-separated fields for each record: subject, sender_name, sender_email, sent, "
    "received, message_class, body, html, headers, or property tags/names "
    "(default: subject, senders, dates, class).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU); with --scheduler dask, tasks run at once.",
)
@click.option(
    "--scheduler",
    metavar="dask|ADDRESS",
    help="Run on Dask: 'dask' for local Dask worker processes, or the address of a "
    "distributed scheduler such as tcp://10.0.0.5:8786.",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@_wrap_main
def export(
    *,
    patterns: tuple[str, ...],
    out: str,
    fields: str | None,
    workers: int,
    scheduler: str | None,
    progress: bool,
) -> None:
    """Export one JSON record per message to a JSON Lines file.

    Each record holds the path, the chosen fields, the recipients (name, email, type) and
    an attachment summary (filename, size, MIME type, embedded or not) — the records of
    imsg_core.dask.read_msgs. A file that cannot be read gives a record
    {"path": ..., "error": ..., "code": "0x..."} instead and the export goes on; the exit
    status is then 1 and a summary is printed on stderr. Records come in input order
    locally and in completion order on a distributed scheduler.
    """
    failures = Failures()
    locations = expand_inputs(patterns, failures)
    chosen = _parse_fields(fields)
    if workers == 0:
        workers = os.cpu_count() or 1
    if not locations:
        failures.exit()
    if scheduler:
        records: Iterator[dict[str, Any]] = _dask_records(locations, chosen, scheduler, workers)
    else:
        records = _local_records(locations, chosen, workers)
    from tqdm import tqdm

    errors = 0
    count = 0
    sink = _open_sink(out)
    try:
        with tqdm(
            total=len(locations), unit="msg", disable=not progress, file=sys.stderr, leave=False
        ) as bar:
            for rec in records:
                sink.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
                count += 1
                if "error" in rec:
                    errors += 1
                bar.update(1)
    finally:
        _close_sink(sink, out)
    if progress or errors:
        click.echo(f"imsg: exported {count} record(s), {errors} error(s)", err=True)
    failures.count += errors
    failures.exit()


def _open_sink(out: str) -> Any:
    if out == "-":
        return sys.stdout
    if is_url(out):
        import fsspec

        return fsspec.open(out, "wt", encoding="utf-8").open()
    return open(out, "w", encoding="utf-8")


def _close_sink(sink: Any, out: str) -> None:
    if out == "-":
        sink.flush()
    else:
        sink.close()


# --------------------------------------------------------------------------- backends
@click.command(short_help="List the installed storage backends.")
@click.option("--json", "as_json", is_flag=True, help="Write JSON.")
@_wrap_main
def backends(as_json: bool) -> None:
    """List the installed storage backends: name, schemes, capabilities.

    Backends are asked in this order which one opens a location; the catch-all backend
    (fsspec URLs) comes last.
    """
    with _session() as session:
        infos = session.backends()
    rows: list[dict[str, Any]] = [
        {
            "name": b.name,
            "schemes": list(b.schemes),
            "capabilities": b.capabilities.as_list(),
            "catch_all": b.catch_all,
            "description": b.description,
        }
        for b in infos
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for n, r in enumerate(rows):
        if n:
            click.echo()
        tail = "  (catch-all: asked last)" if r["catch_all"] else ""
        click.echo(f"{r['name']}{tail}")
        click.echo(f"  schemes:      {', '.join(r['schemes']) or '-'}")
        click.echo(f"  capabilities: {', '.join(r['capabilities']) or '-'}")
        click.echo(f"  {r['description']}")


# --------------------------------------------------------------------------- demo
_DEMO_HTML = (
    '<html><head><meta charset="utf-8"><title>imsg demo</title></head><body>'
    "<p>Hello from <b>imsg-core</b>!</p><p>This message was created in memory, saved, "
    'copied to a .msg file and re-opened.</p><img src="cid:logo@imsg" alt="logo">'
    "</body></html>"
)
# A 1x1 PNG.
_DEMO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def build_demo_message(msg: Message) -> None:
    """Fill ``msg`` with the demo content (subject, bodies, recipients, attachments and,
    when the message layer supports it, an embedded message)."""
    from datetime import UTC, datetime

    from .convert import rtf as rtfmod
    from .props import tags as T

    msg.subject = "Hello from imsg-core"
    msg.set_sender("demo@example.org", "imsg demo")
    msg.body = (
        "Hello from imsg-core!\r\n\r\nThis message was created in memory, saved, copied to "
        "a .msg file and re-opened."
    )
    msg.html = _DEMO_HTML
    problems = msg.set_props(
        {
            T.PR_RTF_COMPRESSED: rtfmod.compress(rtfmod.encapsulate_html(_DEMO_HTML)),
            T.PR_CLIENT_SUBMIT_TIME: datetime.now(UTC).replace(microsecond=0),
        }
    )
    if problems:
        raise MAPIError(f"could not set demo properties: {problems}")
    msg.add_recipient("alice@example.org", "Alice Example", "to")
    msg.add_recipient("bob@example.org", "Bob Example", "to")
    msg.add_recipient("carol@example.org", "Carol Example", "cc")
    msg.add_attachment("notes.txt", b"Attachment data: plain text.\r\n", "text/plain").close()
    logo = msg.add_attachment("logo.png", _DEMO_PNG, "image/png", content_id="logo@imsg")
    logo.set_props({0x7FFE000B: True})
    logo.save_changes()
    logo.close()
    att = msg.create_attach()
    inner = att.open_embedded(create=True)
    inner.subject = "An embedded message"
    inner.body = "This message travels inside the demo message."
    inner.set_sender("bob@example.org", "Bob Example")
    inner.add_recipient("alice@example.org", "Alice Example", "to")
    inner.save_changes()
    att.set_props({0x3001001F: "An embedded message"})
    att.save_changes()
    att.close()


@click.command(short_help="Write, re-open and print a demo message.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the .msg file (default: a new temporary directory).",
)
@_wrap_main
def demo(out: Path | None) -> None:
    """Create a message in memory, save it to a real .msg file, re-open it and print it.

    The message has a subject, plain and HTML bodies (with an RTF body encapsulating the
    HTML), three recipients, a text attachment, an inline image and an embedded message.
    It is created in the in-memory backend, saved there, copied into a compound file
    written by the OLE backend, re-opened from that file, and summarised as `imsg info`
    would.
    """
    path = out if out is not None else default_demo_path()
    with _session() as session:
        mem = session.create("mem://imsg-demo")
        build_demo_message(mem)
        mem.save_changes()
        mem.close()
        saved = session.open("mem://imsg-demo", "r")
        dest = session.create(str(path))
        saved.copy_to(dest)
        dest.save_changes()
        dest.close()
        saved.close()
    with _session() as session:
        msg = open_message(session, str(path))
        click.echo(f"{'file:':<13}{path}")
        for line in summary_lines(msg):
            click.echo(line)


COMMANDS: list[click.Command] = [info, props, tree, attachments, convert, export, backends, demo]


# --------------------------------------------------------------------------- small helpers
def open_message(session: Session, location: str) -> Message:
    """Open the message at ``location`` read-only."""
    return session.open(location, "r")


def default_demo_path() -> Path:
    """Where ``imsg demo`` writes without ``--out``: a fresh temporary directory."""
    return Path(tempfile.mkdtemp(prefix="imsg-demo-")) / "demo.msg"


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
