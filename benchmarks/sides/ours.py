"""imsg-core, through its public API only (``Session``, ``Storage``, ``Message``).

Each function raises :class:`~benchmarks.harness.NotAvailable` when the piece of the
library it needs has not landed yet (no ``ole``/``remote`` backend, no message layer, a
missing method), so the case reports "ours: not available" instead of crashing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from ..harness import NotAvailable
from ..harness import Work
from .workload import CHUNK
from .workload import MSG_KEYS
from .workload import THOUSAND
from .workload import USER_READ_KEYS
from .workload import WriteSpec
from .workload import attachment_payload
from .workload import big_attachment
from .workload import many_recipients
from .workload import payload_chunks

PR_ATTACH_DATA_BIN = 0x37010102
PR_ATTACH_DATA_OBJ = 0x3701000D
PR_ATTACH_METHOD = 0x37050003
_BIG_TAGS = frozenset({PR_ATTACH_DATA_BIN, PR_ATTACH_DATA_OBJ})

_session: Any = None


def session() -> Any:
    """One session per process, reused (as a program processing many files would)."""
    global _session
    import imsg_core

    if _session is None or _session.closed:
        _session = imsg_core.Session()
    return _session


def require_backend(name: str) -> None:
    """Raise NotAvailable unless backend ``name`` is installed and loads."""
    try:
        names = {b.name for b in session().backends()}
    except Exception as exc:
        raise NotAvailable(f"imsg_core session: {exc}") from exc
    if name not in names:
        raise NotAvailable(f"backend {name!r} not available yet (have: {', '.join(sorted(names))})")


def require_messages() -> None:
    """Raise NotAvailable unless the message layer (imsg_core._message) exists."""
    if importlib.util.find_spec("imsg_core._message") is None:
        raise NotAvailable("imsg_core._message not available yet")


_MISSING = object()


def _api(obj: Any, name: str) -> Any:
    attr = getattr(obj, name, _MISSING)
    if attr is _MISSING:
        raise NotAvailable(f"{type(obj).__name__}.{name} not available yet")
    return attr


# -- compound files ---------------------------------------------------------------------------
def _read_tree(storage: Any) -> tuple[int, int]:
    streams = total = 0
    for entry in storage.list():
        if entry.is_storage:
            with storage.open_storage(entry.name, "r") as child:
                s, b = _read_tree(child)
            streams += s
            total += b
        elif entry.is_stream:
            if entry.size <= CHUNK:  # whole, as the peers read every stream
                total += len(storage.read_stream(entry.name))
            else:  # big streams in CHUNK-sized reads: memory stays bounded
                with storage.open_stream(entry.name) as st:
                    while True:
                        chunk = st.read(CHUNK)
                        if not chunk:
                            break
                        total += len(chunk)
            streams += 1
    return streams, total


def cfb_read_all(src: Any, *, backend: str = "ole", **options: Any) -> Work:
    """Open a compound file and read every stream: whole up to 1 MiB (``read_stream``, as the
    peers read), in 1 MiB reads above."""
    require_backend(backend)
    with session().open_storage(src, "r", **options) as root:
        streams, total = _read_tree(root)
    return {"streams": streams, "bytes": total}


# -- messages ---------------------------------------------------------------------------------
def _props(obj: Any, skip: frozenset[int] = frozenset()) -> tuple[int, dict[int, Any]]:
    """Read every property of one object (values decoded); big ones in ``skip`` are left to
    the caller, which streams them. Returns (count, values)."""
    tags = list(_api(obj, "prop_tags")())
    want = [t for t in tags if t not in skip]
    values = _api(obj, "get_props")(want)
    got = values if isinstance(values, dict) else dict(zip(want, values, strict=False))
    return len(tags), got


def _stream_len(f: Any) -> int:
    n = 0
    with f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                return n
            n += len(chunk)


def _count_message(m: Any, work: dict[str, int]) -> None:
    work["properties"] += _props(m)[0]
    for r in _api(m, "recipients"):
        work["recipients"] += 1
        work["properties"] += len(r.props)  # a recipient row is read whole
    for a in _api(m, "attachments"):
        work["attachments"] += 1
        n, _vals = _props(a, _BIG_TAGS)
        work["properties"] += n
        if a.is_embedded:
            work["embedded"] += 1
            sub = a.message
            _count_message(sub, work)
        elif PR_ATTACH_DATA_BIN in a.prop_tags():
            work["attachment_bytes"] += _stream_len(a.open())


def msg_full_read(src: Any, *, backend: str = "ole", **options: Any) -> Work:
    """Every property of the message, its recipients, its attachments (data streamed in
    1 MiB reads) and embedded messages, recursively."""
    require_backend(backend)
    require_messages()
    work = dict.fromkeys(MSG_KEYS, 0)
    m = session().open(src, "r", **options)
    try:
        _count_message(m, work)
    finally:
        m.close()
    return work


def open_subject(src: Any, *, backend: str = "ole", **options: Any) -> Work:
    """Open a message and read its subject."""
    require_backend(backend)
    require_messages()
    m = session().open(src, "r", **options)
    try:
        subject = _api(m, "subject")
    finally:
        m.close()
    return {"subject_chars": len(subject or "")}


def _user_read(m: Any) -> Work:
    """Subject, body, every attachment's data or its embedded message's subject."""
    work = dict.fromkeys(USER_READ_KEYS, 0)
    _ = m.subject, m.body
    for a in m.attachments:
        work["attachments"] += 1
        if a.is_embedded:
            work["embedded"] += 1
            _ = a.message.subject
        else:
            work["attachment_bytes"] += len(a.data or b"")
    return work


def user_read_shared(src: Any) -> Work:
    """:func:`_user_read` through the one reused session (the benchmark suite's pattern)."""
    require_backend("ole")
    require_messages()
    m = session().open(src)
    try:
        return _user_read(m)
    finally:
        m.close()


def user_read_session(src: Any) -> Work:
    """:func:`_user_read` in a new ``with Session()`` per file (the README's pattern)."""
    import imsg_core

    require_messages()
    with imsg_core.Session() as s:
        m = s.open(src)
        return _user_read(m)


def user_read_open(src: Any) -> Work:
    """:func:`_user_read` through ``imsg_core.open`` per file (its private session)."""
    import imsg_core

    require_messages()
    if not hasattr(imsg_core, "open"):
        raise NotAvailable("imsg_core.open does not exist (yet)")
    with imsg_core.open(src) as m:
        return _user_read(m)


# -- writing ----------------------------------------------------------------------------------
def _add_attachment(m: Any, filename: str, size: int, seed: int) -> None:
    if size <= CHUNK:  # the convenience call a user writes for small files
        _api(m, "add_attachment")(
            filename, attachment_payload(size, seed), "application/octet-stream"
        )
        return
    att = _api(m, "create_attach")()  # big data: streamed through OpenProperty, never whole
    att.set_props(
        {
            PR_ATTACH_METHOD: 1,
            0x3707001F: filename,
            0x3704001F: filename,
            0x3001001F: filename,
            0x370E001F: "application/octet-stream",
        }
    )
    with att.open_property(PR_ATTACH_DATA_BIN, "w") as f:
        for chunk in payload_chunks(size, seed):
            f.write(chunk)
    att.save_changes()


def write_message(path: str, spec: WriteSpec, **options: Any) -> Work:
    """Create one message per ``spec`` and save it to ``path``."""
    require_backend("ole")
    require_messages()
    return _write_message(path, spec, **options)


def _write_message(path: str, spec: WriteSpec, **options: Any) -> Work:
    m = session().create(path, **options)
    try:
        m.subject = spec.subject
        m.body = spec.body
        if spec.html is not None:
            m.html = spec.html
        add_recipient = _api(m, "add_recipient")
        for name, addr, rtype in spec.recipients():
            add_recipient(addr, name, rtype)
        for fname, size, seed in spec.attachments:
            _add_attachment(m, fname, size, seed)
        m.save_changes()
    finally:
        m.close()
    return {"recipients": spec.n_recipients, "attachments": len(spec.attachments)}


def write_many(out_dir: str, spec: WriteSpec, count: int, **options: Any) -> Work:
    """Write ``count`` messages ``spec`` (subject numbered) into ``out_dir``; ``options`` go
    to the backend (e.g. ``durable=False``)."""
    require_backend("ole")  # checked once, as a program writing many files would
    require_messages()
    d = Path(out_dir)
    for i in range(count):
        _write_message(str(d / f"m{i:05d}.msg"), spec.numbered(i), **options)
    return {"messages": count}


def write_big(path: str, size: int) -> Work:
    """Write a message with one ``size``-byte attachment (streamed in 1 MiB chunks)."""
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
