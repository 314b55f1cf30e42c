"""``imsg attachments``: list the attachments of messages, or extract them (``--extract``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

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
from .cmd_info import summary_document
from .common import FILES
from .common import STORAGE_OPTION
from .common import Failures
from .common import expand_inputs
from .common import guarded
from .common import new_session
from .common import open_message
from .common import wrap_main
from .render import attachment_label
from .render import attr_or
from .render import echo_header
from .render import echo_json
from .render import human_size
from .render import printable

if TYPE_CHECKING:
    from .._message import Attachment
    from .._session import Session

__all__ = ["attachments"]


#: How ``imsg attachments`` marks attachments that are not plain data.
_LINKS = (ATTACH_BY_REFERENCE, ATTACH_BY_REF_RESOLVE, ATTACH_BY_REF_ONLY)
_KIND = dict.fromkeys(_LINKS, "[link]") | {ATTACH_OLE: "[ole]", ATTACH_BY_WEBREFERENCE: "[web]"}


def _attachment_rows(atts: list[Attachment]) -> list[str]:
    """The listing of ``atts``: number, size, MIME type, kind and name, columns aligned to
    the longest MIME type of the message."""
    cells: list[tuple[int, str, str, str] | str] = []
    for i, att in enumerate(atts, 1):
        if attr_or(att, "is_embedded", False):
            inner = attr_or(att, "message", None)
            subject = attr_or(inner, "subject", None) if inner is not None else None
            cells.append(f"{i:>3}  [message]  {printable(subject or attachment_label(att))}")
            continue
        size = human_size(attr_or(att, "size", 0))
        mime = printable(attr_or(att, "mime_type", None) or "-")
        cid = attr_or(att, "content_id", None)
        kind = _KIND.get(attr_or(att, "method", 0), "")
        tail = f"  cid:{printable(cid)}" if cid else ""
        name = f"{kind + ' ' if kind else ''}{printable(attachment_label(att))}{tail}"
        cells.append((i, size, mime, name))
    width = max([28, *(len(c[2]) for c in cells if isinstance(c, tuple))])
    return [
        c if isinstance(c, str) else f"{c[0]:>3}  {c[1]:>10}  {c[2]:<{width}} {c[3]}" for c in cells
    ]


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
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="List as JSON (one document per FILE); not with --extract.",
)
@STORAGE_OPTION
@wrap_main
def attachments(
    files: tuple[str, ...],
    directory: Path | None,
    force: bool,
    as_json: bool,
    storage_options: dict[str, Any],
) -> None:
    """List the attachments of each message, or extract them with --extract.

    Embedded messages are extracted as .msg files, OLE storage attachments as compound
    files, links (by reference) are listed but not fetched. File names are made safe: no
    directory parts, no absolute paths, no reserved device names (CON, NUL, ...), no NUL or
    control characters, at most 200 bytes; the result always lands inside the directory.
    Two attachments with the same name get 'name (2).ext'. An existing file is never
    overwritten without --force. With --json the listing is one JSON document per FILE,
    {"path", "attachments": [...]}, with the attachments as `imsg info --json` gives them.
    """
    if as_json and directory is not None:
        raise click.UsageError("--json lists attachments; it cannot be used with --extract")
    failures = Failures()
    locations = expand_inputs(files, failures, storage_options)
    taken: set[str] = set()
    docs: list[dict[str, Any]] = []
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    for n, loc in enumerate(locations):
        with guarded(loc, failures), new_session() as session:
            msg = open_message(session, loc, storage_options)
            if as_json:
                docs.append({"path": loc, "attachments": summary_document(msg)["attachments"]})
                continue
            atts = list(msg.attachments)
            if directory is None:
                rows = _attachment_rows(atts)
                echo_header(loc, len(locations) > 1, n == 0)
                for row in rows:
                    click.echo(row)
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
    if as_json:
        echo_json(docs, files)
    failures.exit()
