"""How the ``imsg`` commands print: shortened and printable text, JSON-friendly property
values, sizes, the ``==> FILE <==`` header between inputs, and property reads that never
fail the listing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

import click

from ..errors import MAPIError
from .common import GLOB_CHARS

if TYPE_CHECKING:
    from .._message import Attachment

__all__ = [
    "MAX_DEPTH",
    "attachment_label",
    "attr_or",
    "echo_header",
    "echo_json",
    "human_size",
    "json_value",
    "printable",
    "safe_get",
    "shorten",
]


MAX_DEPTH = 32  # embedded messages deeper than this are not followed (cycles, bombs)


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


def echo_header(loc: str, many: bool, first: bool) -> None:
    """``==> loc <==`` before each input when there are ``many`` (a blank line between)."""
    if many:
        if not first:
            click.echo()
        click.echo(f"==> {loc} <==")


def echo_json(docs: list[dict[str, Any]], files: tuple[str, ...]) -> None:
    """The documents as JSON: one object for a single FILE (no glob), else a list."""
    single = len(files) == 1 and not GLOB_CHARS & set(files[0])
    if single and len(docs) <= 1:
        if docs:
            click.echo(json.dumps(docs[0], ensure_ascii=False, indent=2, default=str))
        return
    click.echo(json.dumps(docs, ensure_ascii=False, indent=2, default=str))


def attr_or(obj: object, name: str, default: Any) -> Any:
    """``getattr(obj, name)``, or ``default`` when the property cannot be read."""
    try:
        return getattr(obj, name)
    except MAPIError:
        return default


def safe_get(fn: Callable[[], Any], default: Any) -> Any:
    """``fn()``, or ``default`` when the property cannot be read (reported elsewhere)."""
    try:
        return fn()
    except MAPIError:
        return default


def attachment_label(att: Attachment) -> str:
    """The best name an attachment has: long file name, file name, display name."""
    return attr_or(att, "filename", None) or attr_or(att, "display_name", None) or "(unnamed)"
