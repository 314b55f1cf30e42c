"""Byte ranges: ``(offset, length)`` pairs, merged into spans and cut back out of them.

The one set of range helpers every byte source uses:

* :func:`check_ranges` refuses a malformed request before any I/O;
* :func:`merge_ranges` turns the ranges of one request into the spans actually read;
* :func:`slice_spans` gives each asked range its bytes from the spans read.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from imsg_core.errors import STG
from imsg_core.errors import stg_error

__all__ = ["Range", "check_ranges", "merge_ranges", "slice_spans"]

Range = tuple[int, int]


def check_ranges(ranges: Sequence[Range], where: str) -> None:
    """Refuse a read request holding a range that is not two non-negative integers.

    :raises StorageError: ``STG_E_INVALIDPARAMETER`` naming the range and ``where``.
    """
    for off, length in ranges:
        if not isinstance(off, int) or not isinstance(length, int) or off < 0 or length < 0:
            raise stg_error(
                STG.STG_E_INVALIDPARAMETER, f"bad read range ({off!r}, {length!r}) on {where}"
            )


def merge_ranges(
    ranges: Sequence[Range], gap: int = 0, max_block: int | None = None
) -> list[Range]:
    """Sort and merge ``(offset, length)`` ranges that overlap, touch, or lie at most ``gap``
    bytes apart; a merge never makes a span longer than ``max_block`` (a single range may be
    longer). Empty ranges are dropped."""
    out: list[list[int]] = []
    for off, length in sorted(r for r in ranges if r[1] > 0):
        if out:
            last = out[-1]
            end = last[0] + last[1]
            new_end = max(end, off + length)
            if off <= end + gap and (max_block is None or new_end - last[0] <= max_block):
                last[1] = new_end - last[0]
                continue
            if off < end:  # overlapping but too big to merge: keep only the new part
                if new_end > end:
                    out.append([end, new_end - end])
                continue
        out.append([off, length])
    return [(a, b) for a, b in out]


def slice_spans(
    ranges: Sequence[Range], spans: Sequence[Range], data: Sequence[bytes]
) -> list[bytes]:
    """The bytes of each of ``ranges``, cut from ``data[i]``, the bytes read for ``spans[i]``.

    ``spans`` is :func:`merge_ranges` of ``ranges`` without ``max_block`` (sorted, each
    range inside one span). A span's data may be shorter than asked (the end of the
    source): a range is then cut short too; an empty range is ``b""``.
    """
    if len(spans) == 1:
        start = spans[0][0]
        blob = data[0]
        return [
            blob
            if off == start and length == len(blob)
            else blob[off - start : off - start + length]
            for off, length in ranges
        ]
    starts = [s for s, _ in spans]
    out: list[bytes] = []
    for off, length in ranges:
        if not length:
            out.append(b"")
            continue
        i = bisect_right(starts, off) - 1
        blob = data[i]
        rel = off - starts[i]
        out.append(blob if rel == 0 and length == len(blob) else blob[rel : rel + length])
    return out
