"""``imsg info``, ``imsg props`` and ``imsg tree``: what a message holds, its properties,
and the storage tree under it."""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterator
from typing import TYPE_CHECKING
from typing import Any

import click

from ..errors import MAPIError
from ..props import tag_name
from ..props import type_name
from ..props.named import set_name
from ..props.tags import PR_CLIENT_SUBMIT_TIME
from ..props.tags import PR_CREATION_TIME
from ..props.tags import PR_LAST_MODIFICATION_TIME
from ..props.tags import PR_MESSAGE_DELIVERY_TIME
from .common import FILES
from .common import STORAGE_OPTION
from .common import Failures
from .common import expand_inputs
from .common import guarded
from .common import location_options
from .common import new_session
from .common import open_message
from .common import wrap_main
from .render import MAX_DEPTH
from .render import attr_or
from .render import echo_header
from .render import echo_json
from .render import human_size
from .render import json_value
from .render import printable
from .render import safe_get

if TYPE_CHECKING:
    from .._message import Message
    from .._storage import Storage

__all__ = [
    "info",
    "people_line",
    "props",
    "props_document",
    "summary_document",
    "summary_lines",
    "tree",
    "tree_document",
    "tree_lines",
    "with_old_keys",
]


def _addr(name: str | None, email: str | None) -> str:
    if name and email and name != email:
        return f"{name} <{email}>"
    return name or email or ""


def _date_fields(msg: Message) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for label, tag in (
        ("sent", PR_CLIENT_SUBMIT_TIME),
        ("received", PR_MESSAGE_DELIVERY_TIME),
        ("created", PR_CREATION_TIME),
        ("modified", PR_LAST_MODIFICATION_TIME),
    ):
        try:
            value = msg.get_prop(tag, None)
        except MAPIError:
            value = None
        if value is not None:
            out.append((label, value))
    return out


def _iso(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def summary_document(msg: Message, depth: int = 0) -> dict[str, Any]:
    """What ``imsg info`` shows for one message, as a JSON-friendly dict in the record schema
    of ``imsg export`` (docs/cli.md, "JSON records"): ``message_class``, ``subject``,
    ``sender_name``, ``sender_email``, ``sent``, ``received``, ``recipients``,
    ``attachments``; plus ``created``, ``modified`` and ``bodies``. Embedded messages are
    nested under their attachments as ``message``."""
    recipients = [
        {"name": r.name, "email": r.email, "type": r.type}
        for r in safe_get(lambda: list(msg.recipients), [])
    ]
    doc: dict[str, Any] = {
        "message_class": attr_or(msg, "message_class", None),
        "subject": attr_or(msg, "subject", None),
        "sender_name": attr_or(msg, "sender_name", None),
        "sender_email": attr_or(msg, "sender_email", None),
    }
    doc.update(dict.fromkeys(("sent", "received", "created", "modified")))
    for label, value in _date_fields(msg):
        doc[label] = _iso(value)
    doc["recipients"] = recipients
    doc["bodies"] = _bodies(msg)
    atts = []
    for att in safe_get(lambda: list(msg.attachments), []):
        embedded = bool(attr_or(att, "is_embedded", False))
        entry: dict[str, Any] = {
            "filename": attr_or(att, "filename", None) or attr_or(att, "display_name", None),
            "size": attr_or(att, "size", 0),
            "mime_type": attr_or(att, "mime_type", None),
            "content_id": attr_or(att, "content_id", None),
            "method": attr_or(att, "method", None),
            "embedded": embedded,
        }
        if embedded:
            inner = attr_or(att, "message", None)
            if inner is not None and depth < MAX_DEPTH:
                entry["message"] = summary_document(inner, depth + 1)
            elif inner is not None:
                entry["message"] = None  # nested too deep to follow
        atts.append(entry)
    doc["attachments"] = atts
    return doc


def with_old_keys(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` plus the keys ``info --json`` wrote before the shared schema (``file``,
    ``class``, ``from``); deprecated, removed in the next release."""
    old = {
        "file": doc.get("path"),
        "class": doc.get("message_class"),
        "from": {"name": doc.get("sender_name"), "email": doc.get("sender_email")},
    }
    return {**doc, **old}


def _bodies(msg: Message) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in ("body", "html", "rtf"):
        value = attr_or(msg, name, None)
        if value:
            out["plain" if name == "body" else name] = len(value)
    return out


#: How many recipients of one kind ``imsg info`` names before summarising the rest.
MAX_PEOPLE = 10


def people_line(addresses: list[str]) -> str:
    """Recipients for one ``to:``/``cc:`` line: at most :data:`MAX_PEOPLE` named, the rest
    counted (``... and 1,311 more (1,321 in all)``); entries with neither a name nor an
    address are counted, not shown as empty items."""
    named = [a for a in addresses if a]
    blank = len(addresses) - len(named)
    shown = ", ".join(named[:MAX_PEOPLE])
    notes = []
    if len(named) > MAX_PEOPLE:
        notes.append(f"... and {len(named) - MAX_PEOPLE:,} more ({len(addresses):,} in all)")
    if blank:
        notes.append(f"({blank:,} without a name or address)")
    return " ".join(x for x in (shown, *notes) if x)


def summary_lines(msg: Message | dict[str, Any], indent: str = "") -> Iterator[str]:
    """What ``imsg info`` prints for one message (embedded messages as an indented tree)."""
    doc = msg if isinstance(msg, dict) else summary_document(msg)

    def row(label: str, value: object) -> str:
        return f"{indent}{label + ':':<13}{printable(str(value))}"

    yield row("class", doc["message_class"] or "")
    yield row("subject", doc["subject"] or "")
    yield row("from", _addr(doc["sender_name"], doc["sender_email"]))
    recipients = doc["recipients"]
    for kind in ("to", "cc", "bcc"):
        people = [_addr(r["name"], r["email"]) for r in recipients if r["type"] == kind]
        if people or kind == "to":
            yield row(kind, people_line(people))
    others = [r for r in recipients if r["type"] not in ("to", "cc", "bcc")]
    if others:
        shown = [f"{_addr(r['name'], r['email']) or '?'} ({r['type']})" for r in others]
        yield row("recipients", people_line(shown))
    for label in ("sent", "received", "created", "modified"):
        if doc.get(label) is not None:
            yield row(label, doc[label])
    bodies = doc["bodies"]
    parts = [f"{k} ({v} {'bytes' if k == 'rtf' else 'chars'})" for k, v in bodies.items()]
    yield row("bodies", ", ".join(parts) or "none")
    yield row("attachments", len(doc["attachments"]))
    sub = indent + "  "
    for i, att in enumerate(doc["attachments"], 1):
        label = att["filename"] or "(unnamed)"
        if "message" in att:
            inner = att["message"]
            subject = inner["subject"] if inner else None
            yield f"{sub}{i}. [message] {printable(subject or label)}"
            if inner is None:
                yield f"{sub}     (nested deeper than {MAX_DEPTH} levels; not shown)"
            else:
                yield from summary_lines(inner, sub + "     ")
            continue
        extra = ", ".join(
            x
            for x in (att["mime_type"], f"cid:{att['content_id']}" if att["content_id"] else None)
            if x
        )
        line = f"{sub}{i}. {printable(label)}  {human_size(att['size'])}"
        yield line + (f"  ({extra})" if extra else "")


@click.command()
@FILES
@click.option("--json", "as_json", is_flag=True, help="Write JSON (one document per FILE).")
@STORAGE_OPTION
@wrap_main
def info(files: tuple[str, ...], as_json: bool, storage_options: dict[str, Any]) -> None:
    """Print a readable summary of each message.

    Shows the message class, subject, sender, To/Cc/Bcc (the first ten of each kind, the
    rest counted), dates, which bodies are present (with their sizes), and the attachments
    with their sizes, MIME types and content-ids; embedded messages are shown as a tree.
    With --json the same facts are one JSON document per FILE (a JSON array when several
    FILEs or a glob are given), in the record schema that `imsg export` writes.
    """
    failures = Failures()
    locations = expand_inputs(files, failures, storage_options)
    docs: list[dict[str, Any]] = []
    for n, loc in enumerate(locations):
        with guarded(loc, failures), new_session() as session:
            msg = open_message(session, loc, storage_options)
            doc = {"path": loc, **summary_document(msg)}
            if as_json:
                docs.append(with_old_keys(doc))
                continue
            lines = list(summary_lines(doc))  # built first: a failure prints nothing
            echo_header(loc, len(locations) > 1, n == 0)
            click.echo(f"{'file:':<13}{loc}")
            for line in lines:
                click.echo(line)
    if as_json:
        echo_json(docs, files)
    failures.exit()


def _prop_rows(obj: Any, limit: int, names: Callable[[int], str | None]) -> list[dict[str, Any]]:

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
        for r in safe_get(lambda: list(msg.recipients), [])
    ]
    atts = []
    for att in safe_get(lambda: list(msg.attachments), []):
        entry: dict[str, Any] = {"properties": _prop_rows(att, limit, names)}
        if depth < MAX_DEPTH and attr_or(att, "is_embedded", False):
            inner = attr_or(att, "message", None)
            if inner is not None:
                entry["message"] = props_document(inner, limit, depth + 1)
        atts.append(entry)
    doc["attachments"] = atts
    return doc


def _prop_rows_from_mapping(
    props: dict[int, object], limit: int, names: Callable[[int], str | None]
) -> list[dict[str, Any]]:

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
    help="Shorten values longer than this many characters in text output (0: never "
    "shorten); JSON output is never shortened.",
)
@STORAGE_OPTION
@wrap_main
def props(
    files: tuple[str, ...], as_json: bool, width: int, storage_options: dict[str, Any]
) -> None:
    """List every property: tag, name, type and value.

    Covers the message, each recipient and each attachment, and embedded messages
    recursively. Named properties (0x8000 and up) are shown by their property set and
    name. With --json the output is one JSON document per FILE (a JSON array when several
    FILEs are given), with every value in full (binary values as lowercase hex).
    """
    failures = Failures()
    locations = expand_inputs(files, failures, storage_options)
    docs: list[dict[str, Any]] = []
    for n, loc in enumerate(locations):
        with guarded(loc, failures), new_session() as session:
            msg = open_message(session, loc, storage_options)
            doc = {"path": loc, **props_document(msg, 0 if as_json else width)}
            if as_json:
                docs.append({**doc, "file": loc})  # "file": deprecated, see docs/cli.md
            else:
                echo_header(loc, len(locations) > 1, n == 0)
                for line in _props_text(doc):
                    click.echo(line)
    if as_json:
        echo_json(docs, files)
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
            if depth >= MAX_DEPTH:
                yield f"{prefix}{'    ' if last else '│   '}(deeper levels not shown)"
                continue
            with storage.open_storage(entry.name, "r") as child:
                yield from tree_lines(child, prefix + ("    " if last else "│   "), depth + 1)
        else:
            yield f"{prefix}{branch}{name}  {entry.size}"


def _clsid(clsid: Any) -> str | None:
    return None if clsid.int == 0 else "{" + str(clsid).upper() + "}"


def tree_document(storage: Storage, depth: int = 0) -> list[dict[str, Any]]:
    """The elements under ``storage`` as JSON: ``{"name", "type": "storage", "clsid",
    "children": [...]}`` or ``{"name", "type": "stream", "size"}``; ``children`` is
    ``None`` below :data:`MAX_DEPTH`."""
    out: list[dict[str, Any]] = []
    for entry in storage.list():
        if entry.is_storage:
            node: dict[str, Any] = {
                "name": entry.name,
                "type": "storage",
                "clsid": _clsid(entry.clsid),
                "children": None,
            }
            if depth < MAX_DEPTH:
                with storage.open_storage(entry.name, "r") as child:
                    node["children"] = tree_document(child, depth + 1)
            out.append(node)
        else:
            out.append({"name": entry.name, "type": "stream", "size": entry.size})
    return out


@click.command(short_help="Print the storage/stream tree with stream sizes.")
@FILES
@click.option("--json", "as_json", is_flag=True, help="Write JSON (one document per FILE).")
@STORAGE_OPTION
@wrap_main
def tree(files: tuple[str, ...], as_json: bool, storage_options: dict[str, Any]) -> None:
    """Print the storage/stream tree of each compound file, with stream sizes in bytes.

    Works on the storage layer alone, so any compound file (not only messages) can be shown.
    Storages end with '/', followed by their CLSID when they have one; control characters in
    element names are shown as \\xNN. With --json each FILE is one JSON document
    {"path", "name", "type": "storage", "clsid", "children": [...]}.
    """
    failures = Failures()
    locations = expand_inputs(files, failures, storage_options)
    docs: list[dict[str, Any]] = []
    for n, loc in enumerate(locations):
        with guarded(loc, failures), new_session() as session:
            root = session.open_storage(loc, "r", **location_options(loc, storage_options))
            stat = root.stat()
            if as_json:
                docs.append(
                    {
                        "path": loc,
                        "name": stat.name,
                        "type": "storage",
                        "clsid": _clsid(stat.clsid),
                        "children": tree_document(root),
                    }
                )
                continue
            lines = list(tree_lines(root))
            echo_header(loc, len(locations) > 1, n == 0)
            clsid = "" if stat.clsid.int == 0 else f"  {{{str(stat.clsid).upper()}}}"
            click.echo(f"{printable(stat.name)}/{clsid}")
            for line in lines:
                click.echo(line)
    if as_json:
        echo_json(docs, files)
    failures.exit()
