"""Safe file names for extracted attachments.

:func:`safe_filename` turns whatever an attachment calls itself into one path *component*
that is safe to create inside a target directory on Windows, macOS and Linux:

* path separators (``/``, ``\\``), drive letters and ``..`` cannot survive — the result is a
  single component, never ``.`` or ``..``, never absolute;
* NUL, control characters and the characters Windows forbids (``<>:"|?*``) become ``_``;
* trailing dots and spaces are removed (Windows drops them silently), leading dots too (no
  hidden files, no ``..``);
* reserved device names (``CON``, ``NUL``, ``COM1``... with any extension) get a ``_`` prefix;
* the name is cut to :data:`MAX_NAME_BYTES` bytes of UTF-8, keeping the extension;
* an empty result becomes the fallback.

:func:`target_path` joins the safe name to the directory and checks (after resolving links)
that the result really is inside it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..errors import STG
from ..errors import stg_error

__all__ = ["MAX_NAME_BYTES", "safe_filename", "target_path", "unique_name"]

#: Longest name produced, in bytes of UTF-8 (most file systems allow 255).
MAX_NAME_BYTES = 200

_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"]
    + [f"COM{i}" for i in range(10)]
    + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
_BAD = re.compile(r'[\x00-\x1f\x7f<>:"|?*/\\]')


def _cut(text: str, limit: int) -> str:
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", "ignore")


def safe_filename(name: str | None, fallback: str = "attachment") -> str:
    """A single, portable, harmless file-name component made from ``name``.

    Guarantees: the result is non-empty, contains no separator, NUL or control character, is
    not ``.``/``..``, does not start with a dot, is no reserved Windows device name, and is
    at most :data:`MAX_NAME_BYTES` bytes of UTF-8. ``fallback`` is used (itself made safe)
    when nothing usable is left.
    """
    text = unicodedata.normalize("NFC", name or "")
    # Keep only the last component of anything that looks like a path.
    text = re.split(r"[/\\]", text)[-1]
    if len(text) >= 2 and text[1] == ":" and text[0].isalpha():
        text = text[2:]
    text = _BAD.sub("_", text)
    text = "".join("_" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = text.strip().strip(".").strip()
    text = text.rstrip(". ")
    if not text:
        return "attachment" if fallback in (name, "") else safe_filename(fallback, "attachment")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    base = stem.split(".")[0].rstrip(" ").upper()
    if base in _RESERVED or text.upper() in _RESERVED:
        text = "_" + text
        stem = "_" + stem if dot else text
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        ext_part = ("." + _cut(ext, 16)) if dot and 0 < len(ext) <= 16 else ""
        stem_part = _cut(stem if dot else text, MAX_NAME_BYTES - len(ext_part.encode()))
        text = (stem_part.rstrip(". ") or "attachment") + ext_part
    return text


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2).ext``, ``name (3).ext``... — the first not in ``taken``
    (compared case-insensitively, as Windows and macOS do); the result is added to ``taken``.
    """
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})" + (dot + ext)
        candidate = _cut(stem, MAX_NAME_BYTES - len(suffix.encode())) + suffix
    taken.add(candidate.lower())
    return candidate


def target_path(directory: Path, name: str) -> Path:
    """``directory / name`` after checking that it resolves to a direct child of
    ``directory``.

    :raises StorageError: ``STG_E_ACCESSDENIED`` when it would land anywhere else (a name
        that is not a single safe component, or a symbolic link pointing out).
    """
    base = directory.resolve()
    if (
        name in ("", ".", "..")
        or "\x00" in name
        or os.sep in name
        or (os.altsep and os.altsep in name)
    ):
        raise stg_error(STG.STG_E_ACCESSDENIED, f"refusing to write {name!r}: not a file name")
    path = base / name
    resolved = path.resolve()
    if resolved.parent != base:
        raise stg_error(
            STG.STG_E_ACCESSDENIED, f"refusing to write {name!r}: it resolves outside {base}"
        )
    return path
