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
