"""olefile 0.47 (BSD-2-Clause): the reference compound-file reader in Python."""

from __future__ import annotations

from typing import Any

import olefile

from ..harness import Work

SUBJECT_STREAMS = ("__substg1.0_0037001F", "__substg1.0_0037001E")


def cfb_read_all(src: Any) -> Work:
    """Open a compound file (path or binary file object) and read every stream whole."""
    ole = olefile.OleFileIO(src)
    try:
        streams = total = 0
        for entry in ole.listdir(streams=True, storages=False):
            data = ole.openstream(entry).read()
            streams += 1
            total += len(data)
        return {"streams": streams, "bytes": total}
    finally:
        ole.close()


def subject_only(src: Any) -> Work:
    """Open a message's compound file and read just its subject stream (what a
    property-level reader on olefile does for ``open + subject``)."""
    ole = olefile.OleFileIO(src)
    try:
        for name in SUBJECT_STREAMS:
            if ole.exists(name):
                data = ole.openstream(name).read()
                return {"subject_bytes": len(data)}
        return {"subject_bytes": 0}
    finally:
        ole.close()


def count_written(paths: list[str]) -> Work:
    """Independent check of written messages: recipient and attachment storages and the
    bytes of their ``PR_ATTACH_DATA_BIN`` streams, summed over ``paths``."""
    work = {"messages": 0, "recipients": 0, "attachments": 0, "attachment_bytes": 0}
    for p in paths:
        ole = olefile.OleFileIO(p)
        try:
            work["messages"] += 1
            for entry in ole.listdir(streams=False, storages=True):
                if len(entry) != 1:
                    continue
                if entry[0].startswith("__recip_version1.0_"):
                    work["recipients"] += 1
                elif entry[0].startswith("__attach_version1.0_"):
                    work["attachments"] += 1
                    data = [*entry, "__substg1.0_37010102"]
                    if ole.exists("/".join(data)):
                        work["attachment_bytes"] += ole.get_size("/".join(data))
        finally:
            ole.close()
    return work
