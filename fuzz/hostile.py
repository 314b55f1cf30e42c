"""Generators of hostile files (for ``tests/test_hostile_input.py`` and manual runs).

* :func:`many_entries_cfb` — a version-4 compound file whose root holds ``n`` empty streams,
  linked as a balanced tree or as one degenerate chain of right-sibling links (a million
  entries is 128 MB of directory);
* :func:`deep_storages_cfb` — storages nested ``depth`` levels deep;
* :func:`nested_message_cfb` — a .msg whose embedded messages nest ``depth`` levels deep,
  built from the streams of a message our writer made (so every level is a valid message),
  for depths the message API itself refuses to create;
* :func:`many_recipients_msg` — a .msg with ``n`` recipient storages.
"""

from __future__ import annotations

import struct

from .mutators import explode
from .mutators import rebuild

__all__ = [
    "deep_storages_cfb",
    "many_entries_cfb",
    "many_recipients_msg",
    "nested_message_cfb",
]

_SIG = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOSTREAM = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_FREESECT = 0xFFFFFFFF
_DIRENT = struct.Struct("<64sHBBIII16sIQQIQ")


def _entry(name: str, etype: int, left: int, right: int, child: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return _DIRENT.pack(
        raw,
        len(raw),
        etype,
        1,
        left,
        right,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        _ENDOFCHAIN if etype == 2 else 0,
        0,
    )


def _balanced(lo: int, hi: int, left: list[int], right: list[int]) -> int:
    """Link indices lo..hi as a balanced binary tree; return its root (iteratively)."""
    if lo > hi:
        return _NOSTREAM
    root = (lo + hi) // 2
    stack = [(lo, hi, root)]
    while stack:
        a, b, mid = stack.pop()
        if a <= mid - 1:
            m = (a + mid - 1) // 2
            left[mid] = m
            stack.append((a, mid - 1, m))
        if mid + 1 <= b:
            m = (mid + 1 + b) // 2
            right[mid] = m
            stack.append((mid + 1, b, m))
    return root


def _assemble_v4(entries: list[bytes]) -> bytes:
    """Header + FAT + directory (4096-byte sectors, no DIFAT beyond the header's 109)."""
    per = 4096 // 128
    dir_sectors = -(-len(entries) // per)
    fat_sectors = 1
    while fat_sectors * 1024 < dir_sectors + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("too many entries for a header-only DIFAT")
    fat = [_FATSECT] * fat_sectors
    first_dir = fat_sectors
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [_ENDOFCHAIN]
    fat += [_FREESECT] * (fat_sectors * 1024 - len(fat))
    difat = list(range(fat_sectors)) + [_FREESECT] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIG,
        b"\0" * 16,
        0x3E,
        4,
        0xFFFE,
        12,
        6,
        b"\0" * 6,
        dir_sectors,
        fat_sectors,
        first_dir,
        0,
        4096,
        _ENDOFCHAIN,
        0,
        _ENDOFCHAIN,
        0,
    ) + struct.pack("<109I", *difat)
    header += b"\0" * (4096 - len(header))
    directory = b"".join(entries)
    directory += b"\0" * (dir_sectors * 4096 - len(directory))
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory


def many_entries_cfb(n: int, *, chain: bool = False) -> bytes:
    """A v4 compound file whose root holds ``n`` empty streams (``s0``, ``s1``...)."""
    left = [_NOSTREAM] * (n + 1)
    right = [_NOSTREAM] * (n + 1)
    if chain:
        for i in range(1, n):
            right[i] = i + 1
        first = 1 if n else _NOSTREAM
    else:
        first = _balanced(1, n, left, right)
    entries = [_entry("Root Entry", 5, _NOSTREAM, _NOSTREAM, first)]
    entries += [_entry(f"s{i}", 2, left[i], right[i], _NOSTREAM) for i in range(1, n + 1)]
    return _assemble_v4(entries)


def deep_storages_cfb(depth: int) -> bytes:
    """Storages ``d``/``d``/... nested ``depth`` levels, a stream ``leaf`` at the bottom."""
    entries = [_entry("Root Entry", 5, _NOSTREAM, _NOSTREAM, 1)]
    for i in range(1, depth + 1):
        entries.append(_entry("d", 1, _NOSTREAM, _NOSTREAM, i + 1))
    entries.append(_entry("leaf", 2, _NOSTREAM, _NOSTREAM, _NOSTREAM))
    return _assemble_v4(entries)


_ATT = "__attach_version1.0_#00000000/"
_EMB = "__substg1.0_3701000D/"


def nested_message_cfb(depth: int) -> bytes:
    """A .msg with embedded messages nested ``depth`` levels (each level: one attachment
    holding the next message), made by repeating level 1 of a 3-level message our writer
    made."""
    from .seeds import nested_message

    streams, storages = explode(nested_message(2))
    level = _ATT + _EMB
    top = {p: v for p, v in streams.items() if not p.startswith(_ATT)}
    att = {
        p[len(_ATT) :]: v
        for p, v in streams.items()
        if p.startswith(_ATT) and not p.startswith(level)
    }
    emb = {
        p[len(level) :]: v
        for p, v in streams.items()
        if p.startswith(level) and not p[len(level) :].startswith(_ATT)
    }
    out = dict(top)
    out_storages = [s for s in storages if not s.startswith(_ATT)]
    prefix = ""
    for _ in range(depth):
        out_storages += [prefix + _ATT.rstrip("/"), prefix + level.rstrip("/")]
        out.update({prefix + _ATT + p: v for p, v in att.items()})
        prefix += level
        out.update({prefix + p: v for p, v in emb.items()})
    return rebuild(out, out_storages)


def many_recipients_msg(n: int) -> bytes:
    """A .msg with ``n`` recipient storages (copies of one our writer made)."""
    from .seeds import message_seed

    streams, storages = explode(message_seed(n_recips=1, n_atts=0, embedded=False, rtf=False))
    rp = "__recip_version1.0_#00000000/"
    recip = {p[len(rp) :]: v for p, v in streams.items() if p.startswith(rp)}
    out = {p: v for p, v in streams.items() if not p.startswith(rp)}
    out_storages = [s for s in storages if not s.startswith(rp.rstrip("/"))]
    for i in range(n):
        name = f"__recip_version1.0_#{i:08X}"
        out_storages.append(name)
        out.update({f"{name}/{p}": v for p, v in recip.items()})
    return rebuild(out, out_storages)


def _measure(argv: list[str]) -> None:  # pragma: no cover - a command-line tool
    """``python -m fuzz.hostile entries N [chain]`` / ``recipients N`` / ``nested N``: build
    the file, open it through a session, read it, print time and memory."""
    import resource
    import time

    import imsg_core

    kind, n = argv[0], int(argv[1])
    if kind == "entries":
        data = many_entries_cfb(n, chain=argv[2:] == ["chain"])
    elif kind == "recipients":
        data = many_recipients_msg(n)
    else:
        data = nested_message_cfb(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with imsg_core.Session() as s:
        if kind == "entries":
            count = len(s.open_storage(data).list())
        else:
            from .targets import walk_message

            count = walk_message(data)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{kind} {n}: file {len(data) / 1e6:.1f} MB, {count} read in "
        f"{time.perf_counter() - t0:.1f} s, max RSS +{(after - before) / 1e3:.0f} MB"
    )


if __name__ == "__main__":  # pragma: no cover
    import sys

    _measure(sys.argv[1:])
