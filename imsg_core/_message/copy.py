"""Copying properties between property objects (``CopyTo`` / ``CopyProps``, spec imsg-api §9).

The functions here copy the *properties* of one :class:`~imsg_core._propobj.PropObject`
into another, on any backend: values as stored (streams chunk by chunk, never whole),
strings re-encoded when the two objects store strings differently, named properties
remapped by name. Recipients and attachments are copied by the message
(:meth:`imsg_core._message.Message.copy_to`) with these and the recipient list's own
:meth:`~imsg_core._recipient.RecipientList.copy_from`.

They use the property object's internal interface (``_entries``, ``_by_id``, ``_put``,
``_remove``, ``_add_entry``, ``_decode``, ``_named_map``, ``_named_map_changed``), which
is documented in :mod:`imsg_core._propobj`.
"""

from __future__ import annotations

from typing import Any

from .. import props as P
from .._propobj import PropObject
from .._propproblems import PropProblem
from .._storage import copy_stream
from ..errors import SCODE
from ..errors import AccessDeniedError
from ..errors import MAPIError
from ..props.constants import STORE_UNICODE_OK
from ..props.tags import PR_STORE_SUPPORT_MASK
from ..props.types import FIXED_SIZE
from ..props.types import MV_FLAG
from ..props.types import PROPATTR_READABLE
from ..props.types import PROPATTR_WRITABLE
from ..props.types import PT_BINARY
from ..props.types import PT_CLSID
from ..props.types import PT_OBJECT
from ..props.types import PT_STRING8
from ..props.types import PT_UNICODE
from ..props.types import pid
from ..props.types import ptype

__all__ = ["copy_props", "remap_tag"]

# Fixed types whose value is shorter than the 8-byte entry slot: the rest is zeroed.
_SHORT_FIXED = {int(t): n for t, n in FIXED_SIZE.items() if 0 < n < 8}


def remap_tag(src: PropObject, dest: PropObject, tag: int) -> int | None:
    """``tag`` of ``src`` as ``dest`` knows it: named IDs remapped by name (``None`` when
    the name cannot be mapped)."""
    if pid(tag) < 0x8000:
        return tag
    smap = src._named_map()
    dmap = dest._named_map()
    if smap is dmap:
        return tag
    names = smap.names_from_ids([pid(tag)])
    if not names or names[0] is None:
        return tag  # an ID without a name: copy it unchanged
    ids = dmap.ids_from_names([names[0]], True)
    if not ids or ids[0] is None:
        return None
    dest._named_map_changed()
    return (int(ids[0]) << 16) | ptype(tag)


def copy_props(
    src: PropObject, dest: PropObject, excluded: set[int], *, noreplace: bool, check: bool
) -> list[PropProblem]:
    """Copy every property of ``src`` whose ID is not in ``excluded`` (and no
    ``PT_OBJECT`` one) into ``dest``. ``noreplace``: keep what ``dest`` has. ``check``:
    unreadable source properties and read-only ones of ``dest`` are ``MAPI_E_NO_ACCESS``
    problems. Returns the per-property problems; raises :class:`AccessDeniedError` for a
    read-only ``dest``."""
    problems: list[PropProblem] = []
    src_streams = {st.name.upper(): st.name for st in src._storage.list() if st.is_stream}
    is_message = dest.stream_kind is not P.StreamKind.CHILD
    for i, (tag, entry) in enumerate(list(src._entries.items())):
        if pid(tag) in excluded or ptype(tag) == PT_OBJECT:
            continue
        if not entry.flags & PROPATTR_READABLE and check:
            problems.append(PropProblem(i, tag, SCODE.MAPI_E_NO_ACCESS))
            continue
        dtag = remap_tag(src, dest, tag)
        if dtag is None:
            problems.append(PropProblem(i, tag, SCODE.MAPI_E_NOT_FOUND))
            continue
        if noreplace and dest._by_id.get(pid(dtag)):
            continue
        if dtag == PR_STORE_SUPPORT_MASK and is_message:
            # computed: keep its other bits, but STORE_UNICODE_OK follows dest's string mode
            mask = src._get_one(tag)
            if isinstance(mask, int):
                bit = STORE_UNICODE_OK if dest._unicode() else 0
                dest._put(dtag, (mask & ~STORE_UNICODE_OK) | bit, entry.flags)
                continue
        if check:
            locked = [
                t
                for t in dest._by_id.get(pid(dtag), [])
                if not dest._entries[t].flags & PROPATTR_WRITABLE
            ]
            if locked:
                problems.append(PropProblem(i, tag, SCODE.MAPI_E_NO_ACCESS))
                continue
        try:
            _copy_one(src, dest, tag, dtag, entry=entry, src_streams=src_streams)
        except MAPIError as exc:
            if isinstance(exc, AccessDeniedError) and not dest.writable:
                raise
            problems.append(PropProblem(i, tag, exc.hresult))
    return problems


def _copy_one(
    src: PropObject,
    dest: PropObject,
    tag: int,
    dtag: int,
    *,
    entry: Any,
    src_streams: dict[str, str],
) -> None:
    t = ptype(tag)
    base = t & ~MV_FLAG
    if base in (PT_STRING8, PT_UNICODE):
        want = PT_UNICODE if dest._unicode() else PT_STRING8
        if base != want:  # string mode differs: decode and re-encode
            value = src._decode(tag)
            dest._remove(pid(dtag))
            ntag = (dtag & 0xFFFF0000) | (t & MV_FLAG) | want
            dest._add_entry(
                P.write_value(
                    dest._storage, ntag, value, flags=entry.flags, codepage=dest._write_codepage()
                )
            )
            return
    dest._remove(pid(dtag))
    value = bytes(entry.value)
    if t in _SHORT_FIXED:
        value = value[: _SHORT_FIXED[t]].ljust(8, b"\0")
    prefix = P.substg_name(tag).upper()
    dprefix = P.substg_name(dtag)
    for up, name in src_streams.items():
        if up == prefix or up.startswith(prefix + "-"):
            suffix = name[len(prefix) :]
            with (
                src._storage.open_stream(name) as s,
                dest._storage.create_stream(dprefix + suffix, overwrite=True) as d,
            ):
                copy_stream(s, d)
    if t in (PT_STRING8, PT_UNICODE, PT_BINARY, PT_CLSID) or t & MV_FLAG:
        value = value[:4] + b"\0\0\0\0"  # zero the reserved word of variable entries
    dest._add_entry(P.RawEntry(dtag, entry.flags, value))
