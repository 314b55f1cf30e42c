"""extract-msg 0.57.0 (GPL-3.0 — imported by the benchmarks and tests only, never by the
library). ``openMsg`` is its documented entry point (it detects the message class, then
opens the file again as that class)."""

from __future__ import annotations

import logging
from typing import Any

import extract_msg
from extract_msg.properties.prop import FixedLengthProp

from ..harness import Work
from .workload import MSG_KEYS
from .workload import USER_READ_KEYS

logging.getLogger("extract_msg").setLevel(logging.CRITICAL)


def _read_props(obj: Any) -> int:
    """Decode every property of one object (fixed values from the property stream, variable
    ones from their ``__substg1.0_`` streams); returns how many."""
    n = 0
    for key, prop in obj.props.items():
        if isinstance(prop, FixedLengthProp):
            _ = prop.value
        elif key[4:] in ("001F", "001E"):
            obj.getStringStream("__substg1.0_" + key[:4])
        elif key[4:] in ("101F", "101E"):
            obj.getMultipleString("__substg1.0_" + key)
        elif key[4:] == "1102":
            obj.getMultipleBinary("__substg1.0_" + key)
        elif key[4:] != "000D":  # 000D: a sub-storage (embedded message), read below
            obj.getStream("__substg1.0_" + key)
        n += 1
    return n


def _count_message(m: Any, work: dict[str, int]) -> None:
    work["properties"] += _read_props(m)
    for r in m.recipients:
        work["recipients"] += 1
        work["properties"] += _read_props(r)
    for a in m.attachments:
        work["attachments"] += 1
        work["properties"] += _read_props(a)
        data = a.data
        if isinstance(data, bytes):
            work["attachment_bytes"] += len(data)
        elif isinstance(data, extract_msg.msg_classes.MSGFile):
            work["embedded"] += 1
            _count_message(data, work)


def msg_full_read(src: Any) -> Work:
    """Every property of the message, its recipients and attachments (data included) and
    embedded messages, recursively."""
    work = dict.fromkeys(MSG_KEYS, 0)
    with extract_msg.openMsg(src) as m:
        _count_message(m, work)
    return work


def open_subject(src: Any) -> Work:
    """``openMsg(src).subject`` (default options: attachments are loaded at open)."""
    with extract_msg.openMsg(src) as m:
        subject = m.subject
    return {"subject_chars": len(subject or "")}


def open_subject_delayed(src: Any) -> Work:
    """``openMsg(src, delayAttachments=True).subject``: its lazy mode."""
    with extract_msg.openMsg(src, delayAttachments=True) as m:
        subject = m.subject
    return {"subject_chars": len(subject or "")}


def user_read(src: Any) -> Work:
    """``openMsg``: subject, body, every attachment's data or embedded message's subject."""
    work = dict.fromkeys(USER_READ_KEYS, 0)
    with extract_msg.openMsg(src) as m:
        _ = m.subject, m.body
        for a in m.attachments:
            work["attachments"] += 1
            data = a.data
            if isinstance(data, extract_msg.msg_classes.MSGFile):
                work["embedded"] += 1
                _ = data.subject
            elif isinstance(data, bytes):
                work["attachment_bytes"] += len(data)
    return work
