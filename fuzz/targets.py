"""What every fuzzer runs on one input: the parsers, driven as a user would drive them.

Each target takes bytes and either returns a count of what it read or raises
:class:`~imsg_core.errors.MAPIError` (which covers :class:`~imsg_core.errors.StorageError`).
Anything else escaping is a bug. Inside a target every independent step catches
``MAPIError`` on its own, so one damaged property does not hide the rest of the file from the
fuzzer: a damaged body must not stop the walk from reaching the attachments.

Nothing here trusts a declared size: streams are read in bounded chunks.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import imsg_core
from imsg_core.errors import MAPIError

__all__ = [
    "CHUNK",
    "TARGETS",
    "decompress_rtf",
    "import_eml",
    "read_all",
    "walk_message",
    "walk_remote",
    "walk_storage",
    "walk_storage_lazy",
]

#: Streams are read in chunks of this many bytes (never ``read()`` of a declared size).
CHUNK = 1 << 16

_SESSION: imsg_core.Session | None = None


def _session() -> imsg_core.Session:
    """One session per process (building the plugin manager per input would dominate)."""
    global _SESSION
    if _SESSION is None or _SESSION.closed:
        _SESSION = imsg_core.Session()
    return _SESSION


def read_all(stream: Any) -> int:
    """Read ``stream`` to its end in :data:`CHUNK` pieces; return the byte count."""
    n = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return n
        n += len(chunk)


@contextlib.contextmanager
def _step() -> Iterator[None]:
    with contextlib.suppress(MAPIError):
        yield


def _walk_storage(storage: Any, depth: int = 0) -> int:
    count = 0
    for stat in storage.list():
        count += 1
        with _step():
            if stat.is_storage:
                with storage.open_storage(stat.name) as child:
                    count += _walk_storage(child, depth + 1)
            else:
                with storage.open_stream(stat.name) as stream:
                    count += read_all(stream)
    return count


def walk_storage(data: bytes) -> int:
    """Open ``data`` as a compound file, enumerate every storage and read every stream."""
    session = _session()
    storage = session.open_storage(bytes(data), "r")
    try:
        return _walk_storage(storage)
    finally:
        storage.close()


def walk_storage_lazy(data: bytes) -> int:
    """:func:`walk_storage` with the lazy FAT (FAT sectors read one at a time, on demand)."""
    session = _session()
    storage = session.open_storage(bytes(data), "r", lazy_fat=True)
    try:
        return _walk_storage(storage)
    finally:
        storage.close()


_REMOTE_N = 0


def walk_remote(data: bytes) -> int:
    """:func:`walk_storage` through the remote backend (its prefetching reader, range
    source and caches) over fsspec's in-memory filesystem."""
    import fsspec

    global _REMOTE_N
    _REMOTE_N += 1
    path = f"/imsg-fuzz/{os.getpid()}-{_REMOTE_N}.cfb"
    fs = fsspec.filesystem("memory")
    fs.pipe_file(path, bytes(data))
    try:
        storage = _session().open_storage(f"memory://{path}", "r")
        try:
            return _walk_storage(storage)
        finally:
            storage.close()
    finally:
        fs.rm_file(path)


def _walk_props(obj: Any) -> int:
    n = 0
    with _step():
        for value in obj.get_props(None):
            n += 1
            _ = repr(value)[:10]
    with _step():
        tags = obj.prop_tags()
        obj.get_attribs(tags)
    return n


def _walk_msg(msg: Any, depth: int = 0) -> int:
    n = _walk_props(msg)
    for getter in (
        lambda: msg.subject,
        lambda: msg.body,
        lambda: msg.html,
        lambda: msg.rtf,
        lambda: msg.sender,
        lambda: msg.sent,
        lambda: msg.received,
        lambda: msg.headers,
        lambda: msg.message_class,
        lambda: list(msg.named.items()),
        msg.get_names_from_ids,
    ):
        with _step():
            getter()
    with _step():
        msg.get_recipient_table().query_rows()
    with _step():
        for r in msg.recipients:
            n += 1
            with _step():
                _ = (
                    r.name,
                    r.email,
                    r.type,
                    r.address_type,
                    [repr(v)[:10] for v in r.props.values()],
                )
    with _step():
        msg.get_attachment_table().query_rows()
    with _step():
        numbers = msg.attachment_numbers()
        for num in numbers:
            with _step():
                n += _walk_attachment(msg.open_attach(num), depth)
    return n


def _walk_attachment(att: Any, depth: int) -> int:
    n = 1 + _walk_props(att)
    for getter in (
        lambda: att.filename,
        lambda: att.display_name,
        lambda: att.mime_type,
        lambda: att.content_id,
        lambda: att.size,
        lambda: att.method,
    ):
        with _step():
            getter()
    with _step():
        if att._find(0x37010102) is not None:
            with att.open() as s:
                n += read_all(s)
    with _step():
        if att.is_embedded:
            n += _walk_msg(att.open_embedded(), depth + 1)
    return n


def walk_message(data: bytes) -> int:
    """Open ``data`` as a .msg and read everything a user can: properties (with attributes),
    bodies (HTML, RTF), named properties, recipients, attachments (data streamed) and
    embedded messages, recursively."""
    session = _session()
    msg = session.open(bytes(data), "r")
    try:
        return _walk_msg(msg)
    finally:
        msg.close()


def decompress_rtf(data: bytes) -> int:
    """Decompress ``data`` as ``PR_RTF_COMPRESSED`` and de-encapsulate what comes out."""
    from imsg_core.convert import rtf

    out = rtf.decompress(data)
    with _step():
        rtf.deencapsulate_html(out)
    with _step():
        rtf.deencapsulate_text(out)
    return len(out)


def import_eml(data: bytes) -> int:
    """Import ``data`` as an .eml into a new in-memory message, save it, read it back and
    export it again as .eml."""
    from imsg_core.convert.eml import eml_to_msg
    from imsg_core.convert.eml import msg_to_eml

    session = _session()
    msg = session.create("mem://fuzz-eml")
    try:
        eml_to_msg(bytes(data), msg)
        msg.save_changes()
        n = _walk_msg(msg)
        with _step():
            n += len(msg_to_eml(msg))
        return n
    finally:
        msg.close()


TARGETS: dict[str, Callable[[bytes], int]] = {
    "storage": walk_storage,
    "storage_lazy": walk_storage_lazy,
    "remote": walk_remote,
    "message": walk_message,
    "rtf": decompress_rtf,
    "eml": import_eml,
}
