"""``imsg attachments``: list the attachments of messages, or extract them (``--extract``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..convert.names import safe_filename
from ..convert.names import target_path
from ..convert.names import unique_name
from ..props.constants import ATTACH_BY_REF_ONLY
from ..props.constants import ATTACH_BY_REF_RESOLVE
from ..props.constants import ATTACH_BY_REFERENCE
from ..props.constants import ATTACH_BY_VALUE
from ..props.constants import ATTACH_BY_WEBREFERENCE
from ..props.constants import ATTACH_OLE
from ..props.tags import PR_ATTACH_DATA_BIN
from .common import FILES
from .common import Failures
from .common import expand_inputs
from .common import guarded
from .common import new_session
from .common import open_message
from .common import wrap_main
from .render import attachment_label
from .render import attr_or
from .render import echo_header
from .render import human_size
from .render import printable
from .render import safe_get

if TYPE_CHECKING:
    from .._message import Attachment
    from .._session import Session

__all__ = ["attachments"]


#: How ``imsg attachments`` marks attachments that are not plain data.
_LINKS = (ATTACH_BY_REFERENCE, ATTACH_BY_REF_RESOLVE, ATTACH_BY_REF_ONLY)
_KIND = dict.fromkeys(_LINKS, "[link]") | {ATTACH_OLE: "[ole]", ATTACH_BY_WEBREFERENCE: "[web]"}


def _attachment_row(i: int, att: Attachment) -> str:
    method = attr_or(att, "method", 0)
    if attr_or(att, "is_embedded", False):
        inner = attr_or(att, "message", None)
        subject = safe_get(lambda: inner.subject if inner is not None else None, None)
        return f"{i:>3}  [message]  {printable(subject or attachment_label(att))}"
    size = attr_or(att, "size", 0)
    mime = attr_or(att, "mime_type", None) or "-"
    cid = attr_or(att, "content_id", None)
    kind = _KIND.get(method, "")
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
    method = attr_or(att, "method", 0)
    embedded = attr_or(att, "is_embedded", False)
    label = attr_or(att, "filename", None) or attr_or(att, "display_name", None)
    if embedded:
        inner = att.message
        assert inner is not None
        base = safe_filename(label or attr_or(inner, "subject", None), fallback)
        if not base.lower().endswith((".msg", ".oft")):
            base += ".msg"
    elif method == ATTACH_OLE:
        base = safe_filename(label, fallback)
        if "." not in base:
            base += ".bin"
    elif method in (0, ATTACH_BY_VALUE):
        if PR_ATTACH_DATA_BIN not in att.prop_tags():  # nothing stored
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
@wrap_main
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
        with guarded(loc, failures), new_session() as session:
            msg = open_message(session, loc)
            atts = list(msg.attachments)
            if directory is None:
                echo_header(loc, len(locations) > 1, n == 0)
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
