"""aspose-email-foss 26.3 (MIT): ``CFBReader`` and ``MapiMessage``.

Its readers need the whole file (bytes or an mmap); ``MapiMessage.from_file`` materialises
every stream, so its full read and its open + subject cost the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aspose.email_foss import cfb
from aspose.email_foss import msg

from ..harness import Work
from .workload import MSG_KEYS
from .workload import THOUSAND
from .workload import USER_READ_KEYS
from .workload import WriteSpec
from .workload import attachment_payload
from .workload import big_attachment
from .workload import many_recipients

ATTACH_METHOD_EMBEDDED = 5


def cfb_read_all(path: str) -> Work:
    """Read every stream reachable from the root of the directory tree."""
    with cfb.CFBReader.from_file(path) as reader:
        streams = total = 0
        for _depth, entry in reader.iter_tree():
            if entry.is_stream():
                total += len(reader.get_stream_data(entry.stream_id))
                streams += 1
        return {"streams": streams, "bytes": total}


def _count_message(m: Any, work: dict[str, int]) -> None:
    work["properties"] += sum(1 for _ in m.iter_properties())
    for r in m.recipients:
        work["recipients"] += 1
        work["properties"] += sum(1 for _ in r.properties.iter_properties())
    for a in m.attachments:
        work["attachments"] += 1
        work["properties"] += sum(1 for _ in a.properties.iter_properties())
        if a.embedded_message is not None:
            work["embedded"] += 1
            _count_message(a.embedded_message, work)
        elif a.data:
            work["attachment_bytes"] += len(a.data)


def msg_full_read(path: str) -> Work:
    """``MapiMessage.from_file``: every property of the message, its recipients, its
    attachments (data included) and embedded messages, recursively (all decoded at load)."""
    work = dict.fromkeys(MSG_KEYS, 0)
    with msg.MapiMessage.from_file(path) as m:
        _count_message(m, work)
    return work


def user_read(path: str) -> Work:
    """``MapiMessage.from_file``: subject, body, every attachment's data or embedded
    message's subject."""
    work = dict.fromkeys(USER_READ_KEYS, 0)
    with msg.MapiMessage.from_file(path) as m:
        _ = m.subject, m.body
        for a in m.attachments:
            work["attachments"] += 1
            if a.embedded_message is not None:
                work["embedded"] += 1
                _ = a.embedded_message.subject
            elif a.data:
                work["attachment_bytes"] += len(a.data)
    return work


def open_subject(path: str) -> Work:
    """Open a message and read its subject."""
    with msg.MapiMessage.from_file(path) as m:
        subject = m.subject
    return {"subject_chars": len(subject or "")}


def write_message(path: str, spec: WriteSpec) -> Work:
    """Create one message per ``spec`` and save it to ``path``."""
    m = msg.MapiMessage.create(spec.subject, spec.body)
    if spec.html is not None:
        m.body_html = spec.html
    for name, addr, rtype in spec.recipients():
        m.add_recipient(addr, display_name=name, recipient_type=rtype)
    for fname, size, seed in spec.attachments:
        m.add_attachment(
            fname, attachment_payload(size, seed), mime_type="application/octet-stream"
        )
    m.save(path)
    return {"recipients": spec.n_recipients, "attachments": len(spec.attachments)}


def write_many(out_dir: str, spec: WriteSpec, count: int) -> Work:
    """Write ``count`` messages ``spec`` (subject numbered) into ``out_dir``."""
    d = Path(out_dir)
    for i in range(count):
        write_message(str(d / f"m{i:05d}.msg"), spec.numbered(i))
    return {"messages": count}


def write_big(path: str, size: int) -> Work:
    """Write a message with one ``size``-byte attachment (needs the bytes in memory)."""
    return write_message(path, big_attachment(size))


def write_recipients(path: str, n: int) -> Work:
    """Write a message with ``n`` recipients."""
    return write_message(path, many_recipients(n))


def roundtrip_big(path: str, size: int) -> Work:
    """Write a message with one ``size``-byte attachment, then read it back whole."""
    write_big(path, size)
    return msg_full_read(path)


def write_many_default(out_dir: str, count: int) -> Work:
    """``write_many`` with the standard message (JSON-friendly arguments for memrun)."""
    return write_many(out_dir, THOUSAND, count)
