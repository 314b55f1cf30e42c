"""Test helper: a comparable picture of a message (properties, attributes, recipients,
attachments, embedded messages), with named properties keyed by name, not ID."""

from __future__ import annotations

from typing import Any

from imsg_core import Message
from imsg_core._propobj import PropObject
from imsg_core._propproblems import PropError
from imsg_core.props import MAPINAMEID
from imsg_core.props import PS_INTERNET_HEADERS

PT_OBJECT = 0x000D


def _key(obj: PropObject, tag: int) -> object:
    if tag >> 16 < 0x8000:
        return tag
    names = obj._named_map().names_from_ids([tag >> 16])
    name = names[0] if names else None
    if name is None:
        return tag
    if name.guid == PS_INTERNET_HEADERS and isinstance(name.kind, str):
        name = MAPINAMEID(name.guid, name.kind.lower())  # header names ignore case
    return ("named", name, tag & 0xFFFF)


def _value(v: object) -> object:
    if isinstance(v, PropError):
        return ("error", v.scode)
    if isinstance(v, str):
        return ("str", v)  # PT_STRING8 and PT_UNICODE compare by text
    return v


def props_of(obj: PropObject) -> dict[object, object]:
    """{key: value} for every property (PT_OBJECT ones by presence)."""
    out: dict[object, object] = {}
    for tag in obj.prop_tags():
        k = _key(obj, tag)
        if tag & 0xFFFF == PT_OBJECT:
            out[k] = "object"
            continue
        value = obj.get_props([tag])[0]
        out[(k, "attr")] = obj.get_attribs([tag])[0]
        out[k] = _value(value)
    return out


def _norm_tag(k: object) -> object:
    # string tags: compare ID + "string" regardless of 001E/001F
    if isinstance(k, int) and k & 0x0FFF in (0x001E, 0x001F):
        return (k & 0xFFFF0000) | (k & 0x1000) | 0x001F
    if isinstance(k, tuple) and len(k) == 2 and k[1] == "attr":
        return (_norm_tag(k[0]), "attr")
    if isinstance(k, tuple) and len(k) == 3 and k[0] == "named" and k[2] & 0x0FFF in (0x1E, 0x1F):
        return (k[0], k[1], (k[2] & 0x1000) | 0x1F)
    return k


def snapshot(msg: Message, *, strings_by_text: bool = True) -> dict[str, Any]:
    """Everything readable in ``msg``, recursively."""
    props = props_of(msg)
    if strings_by_text:
        props = {_norm_tag(k): v for k, v in props.items()}
    recips = []
    for r in msg.recipients:
        recips.append({_norm_tag(k): _value(v) for k, v in r.props.items()})
    atts = []
    for num in msg.attachment_numbers():
        att = msg.open_attach(num, "r") if msg.writable else msg.open_attach(num)
        ap = props_of(att)
        if strings_by_text:
            ap = {_norm_tag(k): v for k, v in ap.items()}
        entry: dict[str, Any] = {"num": num, "props": ap}
        if att.is_embedded:
            entry["embedded"] = snapshot(
                att.open_embedded("r") if False else att.open_embedded(),
                strings_by_text=strings_by_text,
            )
        atts.append(entry)
    return {"props": props, "recipients": recips, "attachments": atts}
