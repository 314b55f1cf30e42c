"""``imsg backends`` (the installed storage backends) and ``imsg demo`` (write, re-open and
print a demo message)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click

from ..convert import rtf as rtfmod
from ..errors import MAPIError
from ..props import tags as T
from .cmd_info import summary_lines
from .common import new_session
from .common import open_message
from .common import wrap_main

if TYPE_CHECKING:
    from .._message import Message

__all__ = ["backends", "build_demo_message", "default_demo_path", "demo"]


@click.command(short_help="List the installed storage backends.")
@click.option("--json", "as_json", is_flag=True, help="Write JSON.")
@wrap_main
def backends(as_json: bool) -> None:
    """List the installed storage backends: name, schemes, capabilities.

    Backends are asked in this order which one opens a location; the catch-all backend
    (fsspec URLs) comes last.
    """
    with new_session() as session:
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
    from datetime import UTC
    from datetime import datetime

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
    logo.set_props({T.PR_ATTACHMENT_HIDDEN: True})
    logo.save_changes()
    logo.close()
    att = msg.create_attach()
    inner = att.open_embedded(create=True)
    inner.subject = "An embedded message"
    inner.body = "This message travels inside the demo message."
    inner.set_sender("bob@example.org", "Bob Example")
    inner.add_recipient("alice@example.org", "Alice Example", "to")
    inner.save_changes()
    att.set_props({T.PR_DISPLAY_NAME: "An embedded message"})
    att.save_changes()
    att.close()


@click.command(short_help="Write, re-open and print a demo message.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the .msg file and keep it (default: a temporary directory that is "
    "removed afterwards).",
)
@wrap_main
def demo(out: Path | None) -> None:
    """Create a message in memory, save it to a real .msg file, re-open it and print it.

    The message has a subject, plain and HTML bodies (with an RTF body encapsulating the
    HTML), three recipients, a text attachment, an inline image and an embedded message.
    It is created in the in-memory backend, saved there, copied into a compound file
    written by the OLE backend, re-opened from that file, and summarised as `imsg info`
    would. Without --out the file lives in a temporary directory that is removed before
    the command ends; give --out PATH to keep it.
    """
    if out is not None:
        _demo_at(out)
        return
    with tempfile.TemporaryDirectory(prefix="imsg-demo-") as tmp:
        _demo_at(Path(tmp) / "demo.msg", kept=False)


def _demo_at(path: Path, *, kept: bool = True) -> None:
    with new_session() as session:
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
    with new_session() as session:
        msg = open_message(session, str(path))
        lines = list(summary_lines(msg))
        msg.close()
    shown = str(path) if kept else f"{path}  (temporary, removed; --out PATH keeps it)"
    click.echo(f"{'file:':<13}{shown}")
    for line in lines:
        click.echo(line)


def default_demo_path() -> Path:
    """A path in a fresh temporary directory (``imsg demo`` itself, without ``--out``, uses
    one that it removes)."""
    return Path(tempfile.mkdtemp(prefix="imsg-demo-")) / "demo.msg"
