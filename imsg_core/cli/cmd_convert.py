"""``imsg convert``: ``.msg`` -> ``.eml`` and ``.eml`` -> ``.msg``, local or remote."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

import click

from .._session import Session
from .common import GLOB_CHARS
from .common import STORAGE_OPTION
from .common import Failures
from .common import expand_inputs
from .common import guarded
from .common import is_url
from .common import location_options
from .common import new_session
from .common import open_message
from .common import wrap_main

__all__ = ["convert", "convert_one"]


_MSG_EXTS = (".msg", ".oft")


_EML_EXTS = (".eml",)


def _kind_of(location: str) -> str | None:
    path = location.split("?", 1)[0].lower()
    if path.endswith(_MSG_EXTS):
        return "msg"
    if path.endswith(_EML_EXTS):
        return "eml"
    return None


def _read_bytes(location: str, storage_options: Mapping[str, Any] | None = None) -> bytes:
    if is_url(location):
        import fsspec

        with fsspec.open(location, "rb", **dict(storage_options or {})) as fh:
            return bytes(fh.read())
    with open(location, "rb") as fh:
        return fh.read()


def _write_bytes(
    location: str, data: bytes, storage_options: Mapping[str, Any] | None = None
) -> None:
    if is_url(location):
        import fsspec

        with fsspec.open(location, "wb", **dict(storage_options or {})) as fh:
            fh.write(data)
        return
    tmp = f"{location}.imsg-tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, location)


def convert_one(
    session: Session,
    source: str,
    dest: str,
    storage_options: Mapping[str, Any] | None = None,
) -> None:
    """Convert ``source`` to ``dest``. ``dest``'s extension decides the direction (``.eml``:
    the source is a message; ``.msg``/``.oft``: the source is MIME); raises
    :class:`click.UsageError` when it is neither or both sides have the same format.
    ``storage_options`` go to the filesystem of each side that is a URL."""
    from ..convert.eml import eml_to_msg  # the email package: only when converting
    from ..convert.eml import msg_to_eml  # the email package: only when converting

    src_kind, dst_kind = _kind_of(source), _kind_of(dest)
    if dst_kind == "eml" and src_kind != "eml":
        msg = open_message(session, source, storage_options)
        _write_bytes(dest, msg_to_eml(msg), storage_options)
    elif dst_kind == "msg" and src_kind != "msg":
        data = _read_bytes(source, storage_options)
        out = session.create(dest, **location_options(dest, storage_options))
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
@click.option(
    "--progress/--no-progress",
    default=True,
    help="Show a progress bar on stderr when IN matches several files.",
)
@STORAGE_OPTION
@wrap_main
def convert(source: str, dest: str, progress: bool, storage_options: dict[str, Any]) -> None:
    """Convert IN to OUT: .msg -> .eml or .eml -> .msg, chosen by OUT's extension.

    .msg -> .eml writes RFC 5322 MIME: plain and HTML bodies (HTML recovered from an RTF
    body when needed), attachments with their types and content-ids, inline images,
    embedded messages as message/rfc822, the original transport headers; S/MIME messages
    are passed through unchanged. .eml -> .msg writes a Unicode message with recipients,
    sender, dates, plain/HTML/RTF bodies, attachments, inline images and nested messages.

    IN may be a glob matching several files; OUT must then be a directory, and each file is
    written there with the other extension (each written path is printed; a progress bar
    runs on stderr). OUT is replaced if it exists.
    """
    failures = Failures()
    sources = expand_inputs([source], failures, storage_options)
    many = len(sources) > 1 or GLOB_CHARS & set(source)
    if many or (not is_url(dest) and os.path.isdir(dest)):
        if not is_url(dest):
            os.makedirs(dest, exist_ok=True)
        from tqdm import tqdm

        with tqdm(
            total=len(sources),
            unit="file",
            disable=not progress or len(sources) < 2,
            file=sys.stderr,
            leave=False,
        ) as bar:
            for src in sources:
                _convert_into(src, dest, failures, storage_options, bar.write)
                bar.update(1)
    else:
        for src in sources:
            with guarded(src, failures), new_session() as session:
                convert_one(session, src, dest, storage_options)
    failures.exit()


def _convert_into(
    src: str,
    directory: str,
    failures: Failures,
    storage_options: Mapping[str, Any],
    write: Any,
) -> None:
    """Convert ``src`` into ``directory`` with the other extension; print the written path
    with ``write`` (the progress bar's, so the bar is redrawn below it)."""
    kind = _kind_of(src)
    if kind is None:
        failures.report(src, ValueError("not a .msg or .eml file"))
        return
    stem = src.rstrip("/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0]
    out = directory.rstrip("/") + "/" + stem + (".eml" if kind == "msg" else ".msg")
    with guarded(src, failures), new_session() as session:
        convert_one(session, src, out, storage_options)
        write(out, file=sys.stdout)
