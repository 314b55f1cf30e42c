"""Process many stored messages with Dask: a URL glob becomes a bag (or dataframe) of records.

Optional: needs the ``dask`` extra (``pip install 'imsg-core[dask]'``); Dask is imported
only when a function here is called, and a missing install raises a
:class:`~imsg_core.errors.MAPIError` (``MAPI_E_NO_SUPPORT``) saying what to install.

* :func:`read_msgs` expands a glob with ``fsspec.open_files`` (lazy, picklable
  ``OpenFile`` objects — never open handles — are what the tasks receive), and maps
  :func:`message_record` over them on the workers; each worker opens its files through the
  ``remote`` backend (range requests: a record costs a few small GETs, not the whole file).
* A file that cannot be read does not fail the job: its record is
  ``{"path": ..., "error": "...", "code": "0x..."}`` (the MAPI/STG code in hex).
* :func:`to_dataframe` flattens records into fixed columns.

Credentials: ``storage_options`` travel inside the pickled ``OpenFile`` objects, so they are
part of the task graph. Prefer credentials the workers find themselves (environment,
instance roles) when the scheduler is shared.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from ._session import Session
from .errors import SCODE
from .errors import STG
from .errors import InvalidParameterError
from .errors import MAPIError
from .errors import NoSupportError
from .errors import stg_error
from .props.tags import resolve_tag

if TYPE_CHECKING:
    from ._message import Message

__all__ = [
    "DEFAULT_FIELDS",
    "FIELDS",
    "columns",
    "flatten_record",
    "message_record",
    "read_msgs",
    "record_for",
    "to_dataframe",
]

#: Fields a record can carry, and how each is read from a :class:`~imsg_core.Message`.
FIELDS: dict[str, Callable[[Message], object]] = {
    "subject": lambda m: m.subject,
    "sender_name": lambda m: m.sender_name,
    "sender_email": lambda m: m.sender_email,
    "sent": lambda m: m.sent,
    "received": lambda m: m.received,
    "message_class": lambda m: m.message_class,
    "body": lambda m: m.body,
    "html": lambda m: m.html,
    "headers": lambda m: m.headers,
}
DEFAULT_FIELDS: tuple[str, ...] = (
    "subject",
    "sender_name",
    "sender_email",
    "sent",
    "received",
    "message_class",
)
_INSTALL_HINT = "pip install 'imsg-core[dask]'"


def _require_dask() -> Any:
    try:
        import dask.bag as db
    except ImportError as exc:
        raise NoSupportError(
            f"imsg_core.dask needs Dask, which is not installed: {_INSTALL_HINT} ({exc})"
        ) from exc
    return db


def _check_fields(fields: Iterable[str | int]) -> tuple[str | int, ...]:
    out = tuple(fields)
    for f in out:
        if isinstance(f, str) and f in FIELDS:
            continue
        _field_tag(f)
    return out


def _field_tag(field: str | int) -> int:
    """The property tag of a field that is not one of :data:`FIELDS`."""
    try:
        return resolve_tag(field)
    except InvalidParameterError as exc:
        raise stg_error(
            STG.STG_E_INVALIDPARAMETER,
            f"unknown record field {field!r}; known: {', '.join(FIELDS)}, or a property tag "
            f"or name such as 'PR_MESSAGE_SIZE' ({exc.message})",
        ) from exc


def _field_key(field: str | int) -> str:
    return field if isinstance(field, str) else f"0x{field:08X}"


def _plain(value: object) -> object:
    """A JSON-friendly value: datetimes as ISO 8601, bytes as hex, errors as ``None``."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if not value:  # PropError slots are falsy
        return None
    return str(value)


def message_record(
    msg: Message, path: str, fields: Sequence[str | int] = DEFAULT_FIELDS
) -> dict[str, Any]:
    """The record of one open message: ``path``, the chosen ``fields`` (names from
    :data:`FIELDS`; property names such as ``"PR_MESSAGE_SIZE"``, kept as keys; or integer
    tags, keyed ``"0xTTTTTTTT"``), ``recipients`` (name, email, type) and ``attachments``
    (filename, size, MIME type, content-id, attach method, embedded or not) — the record
    schema shared with ``imsg info --json``. A missing property is ``None``; binary values
    are lowercase hex."""
    rec: dict[str, Any] = {"path": path}
    props = [f for f in fields if not (isinstance(f, str) and f in FIELDS)]
    values = (
        dict(zip(props, msg.get_props([_field_tag(f) for f in props]), strict=True))
        if props
        else {}
    )
    for f in fields:
        if isinstance(f, str) and f in FIELDS:
            rec[f] = _plain(FIELDS[f](msg))
        else:
            rec[_field_key(f)] = _plain(values[f])
    rec["recipients"] = [
        {"name": r.name, "email": r.email, "type": _plain(r.type)} for r in msg.recipients
    ]
    atts = []
    for a in msg.attachments:
        embedded = bool(a.is_embedded)
        atts.append(
            {
                "filename": a.filename or a.display_name,
                "size": a.size,
                "mime_type": a.mime_type,
                "content_id": a.content_id,
                "method": a.method,
                "embedded": embedded,
            }
        )
    rec["attachments"] = atts
    return rec


def error_record(path: str, exc: BaseException) -> dict[str, Any]:
    """``{"path", "error", "code"}`` for a file that could not be read."""
    code = exc.hresult if isinstance(exc, MAPIError) else int(SCODE.MAPI_E_CALL_FAILED)
    text = str(exc) if isinstance(exc, MAPIError) else f"{type(exc).__name__}: {exc}"
    return {"path": path, "error": text, "code": f"0x{code:08X}"}


def _path_of(location: Any) -> str:
    fs = getattr(location, "fs", None)
    path = getattr(location, "path", None)
    if fs is not None and path is not None:
        try:
            return str(fs.unstrip_protocol(path))
        except Exception:  # pragma: no cover - any fsspec fs has unstrip_protocol
            return str(path)
    return str(location)


def record_for(
    location: Any,
    fields: Sequence[str | int] = DEFAULT_FIELDS,
    size: int | None = None,
    *,
    session: Session | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Open the message at ``location`` (a path, URL or ``OpenFile``) and return its record,
    or its error record. Never raises for a bad file (the Dask task).

    ``size``: the object's size when a listing gave it (the remote backend then skips its
    ``HEAD`` request). ``session``: open in this session (the message is released before
    returning); default: a fresh session of its own. ``storage_options``: for a URL given as
    a string (an ``OpenFile`` carries its own); ignored for local paths.
    """
    path = _path_of(location)
    opts: dict[str, Any] = {} if size is None else {"size": size}
    if storage_options and isinstance(location, str) and "://" in location:
        opts["storage_options"] = dict(storage_options)
    try:
        if session is None:
            with Session() as own:
                return message_record(own.open(location, "r", **opts), path, fields)
        msg = session.open(location, "r", **opts)
        try:
            return message_record(msg, path, fields)
        finally:
            msg.close()
    except Exception as exc:
        return error_record(path, exc)


def read_msgs(
    urlpath: str | Sequence[str],
    *,
    fields: Sequence[str | int] = DEFAULT_FIELDS,
    storage_options: Mapping[str, Any] | None = None,
    npartitions: int | None = None,
) -> Any:
    """A ``dask.bag.Bag`` with one record per file matching ``urlpath`` (see the module doc).

    :param urlpath: a URL or glob (``"s3://bucket/2026/**/*.msg"``), or a list of them.
    :param fields: what each record carries besides recipients and attachments.
    :param storage_options: for the filesystem (credentials, endpoint).
    :param npartitions: bag partitions (default: about 25 files each, at most 256).
    :raises MAPIError: ``MAPI_E_NO_SUPPORT`` when Dask is not installed;
        ``STG_E_FILENOTFOUND`` when nothing matches; ``STG_E_INVALIDPARAMETER`` for an
        unknown field.
    """
    db = _require_dask()
    chosen = _check_fields(fields)
    import fsspec

    try:
        files = fsspec.open_files(urlpath, mode="rb", **dict(storage_options or {}))
    except ImportError as exc:
        raise NoSupportError(
            f"listing {urlpath!r} needs the filesystem's package: install the matching extra, "
            f"e.g. pip install 'imsg-core[s3]' / '[gcs]' / '[azure]' / '[http]' ({exc})"
        ) from exc
    except Exception as exc:
        raise stg_error(STG.STG_E_READFAULT, f"listing {urlpath!r} failed: {exc}") from exc
    if not files:
        raise stg_error(STG.STG_E_FILENOTFOUND, f"no files match {urlpath!r}")
    n = npartitions or min(256, max(1, math.ceil(len(files) / 25)))
    items = [(f, _listed_size(f)) for f in files]
    return db.from_sequence(items, npartitions=min(n, len(files))).map_partitions(
        _records_of_partition, chosen
    )


def _listed_size(of: Any) -> int | None:
    """The size the glob's listing already cached (no request), else ``None``."""
    fs = of.fs
    try:
        cached = fs._ls_from_cache(of.path)
    except Exception:
        return None
    if isinstance(cached, list):
        for entry in cached:
            if isinstance(entry, dict) and fs._strip_protocol(entry.get("name", "")) == of.path:
                size = entry.get("size")
                return size if isinstance(size, int) else None
    return None


def _records_of_partition(
    items: Iterable[tuple[Any, int | None]], fields: Sequence[str | int]
) -> list[dict[str, Any]]:
    """The Dask task: one session per partition, each message released after its record."""
    with Session() as session:
        return [record_for(loc, fields, size, session=session) for loc, size in items]


def columns(fields: Sequence[str | int] = DEFAULT_FIELDS) -> list[str]:
    """The dataframe columns for ``fields``."""
    named = [_field_key(f) for f in fields]
    return [
        "path",
        *named,
        "recipient_count",
        "recipients",
        "attachment_count",
        "attachments",
        "error",
        "code",
    ]


def flatten_record(
    rec: Mapping[str, Any], fields: Sequence[str | int] = DEFAULT_FIELDS
) -> dict[str, Any]:
    """One row with the :func:`columns` of ``fields``: recipients as ``"Name <email>; ..."``,
    attachments as ``"name (size); ..."``; ``error``/``code`` set for error records."""
    row: dict[str, Any] = dict.fromkeys(columns(fields))
    for key in row:
        if key in rec and key not in ("recipients", "attachments"):
            row[key] = rec[key]
    recips = rec.get("recipients") or []
    atts = rec.get("attachments") or []
    row["recipient_count"] = len(recips)
    row["recipients"] = "; ".join(
        f"{r.get('name') or ''} <{r.get('email') or ''}>".strip() for r in recips
    )
    row["attachment_count"] = len(atts)
    row["attachments"] = "; ".join(f"{a.get('filename')} ({a.get('size')})" for a in atts)
    for key, value in row.items():
        if key not in ("recipient_count", "attachment_count") and value is not None:
            row[key] = str(value)
    return row


def to_dataframe(
    source: Any,
    *,
    fields: Sequence[str | int] = DEFAULT_FIELDS,
    storage_options: Mapping[str, Any] | None = None,
    npartitions: int | None = None,
) -> Any:
    """A ``dask.dataframe.DataFrame`` of flattened records (:func:`flatten_record`).

    ``source`` is a bag from :func:`read_msgs` (made with the same ``fields``) or a URL glob
    (then :func:`read_msgs` is called with the other arguments). Every column is a string
    (nullable) except the two counts.
    """
    _require_dask()
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - dask[dataframe] brings pandas
        raise NoSupportError(f"to_dataframe needs pandas: {_INSTALL_HINT} ({exc})") from exc
    bag = (
        read_msgs(source, fields=fields, storage_options=storage_options, npartitions=npartitions)
        if isinstance(source, (str, list, tuple))
        else source
    )
    cols = columns(fields)
    meta = pd.DataFrame(
        {c: pd.Series(dtype="int64" if c.endswith("_count") else "object") for c in cols}
    )
    return bag.map(flatten_record, fields=tuple(fields)).to_dataframe(meta=meta)
