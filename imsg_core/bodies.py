"""Message bodies: the HTML body's charset and compressed RTF (MS-OXRTFCP).

* :func:`decode_html` turns ``PR_HTML`` bytes into text: the charset named by the HTML itself
  (``<meta charset=...>`` or ``<meta http-equiv="Content-Type" content="...charset=...">``)
  wins, then ``PR_INTERNET_CPID``, then the message code page(s), then UTF-8; bytes invalid
  in the chosen charset are replaced, never raised.
* :func:`decompress_rtf` decompresses ``PR_RTF_COMPRESSED`` with the ``compressed_rtf``
  package and reports damage as :class:`~imsg_core.errors.CorruptDataError`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

from .errors import CorruptDataError

__all__ = ["charset_of_html", "codec_for_codepage", "decode_html", "decompress_rtf"]

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)

# Windows code page -> Python codec for the ones Python does not know as "cpNNNN".
_CP_ALIASES = {
    20127: "ascii",
    20866: "koi8-r",
    21866: "koi8-u",
    28591: "latin-1",
    28592: "iso8859-2",
    28593: "iso8859-3",
    28594: "iso8859-4",
    28595: "iso8859-5",
    28596: "iso8859-6",
    28597: "iso8859-7",
    28598: "iso8859-8",
    28599: "iso8859-9",
    28603: "iso8859-13",
    28605: "iso8859-15",
    50220: "iso2022-jp",
    50221: "iso2022-jp",
    50222: "iso2022-jp",
    51932: "euc-jp",
    51949: "euc-kr",
    52936: "hz",
    54936: "gb18030",
    65000: "utf-7",
    65001: "utf-8",
    1200: "utf-16-le",
    1201: "utf-16-be",
    936: "gbk",
    949: "cp949",
    950: "big5",
    932: "cp932",
}


def codec_for_codepage(cp: int) -> str | None:
    """The Python codec name for a Windows code page, or ``None`` when unknown."""
    name = _CP_ALIASES.get(cp, f"cp{cp}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_of_html(data: bytes) -> str | None:
    """The charset an HTML document declares in its first 4 KB, if Python knows it."""
    m = _META.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(
    data: bytes, internet_cpid: int | None = None, codepages: Sequence[int] = ()
) -> str:
    """Decode ``PR_HTML`` bytes to text (see the module docstring for the order)."""
    candidates: list[str] = []
    declared = charset_of_html(data)
    if declared:
        candidates.append(declared)
    for cp in (internet_cpid, *codepages):
        if cp:
            name = codec_for_codepage(cp)
            if name:
                candidates.append(name)
    candidates.append("utf-8")
    text = None
    for name in candidates:
        try:
            text = data.decode(name)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        text = data.decode(candidates[0], "replace")
    return text.rstrip("\0")


def decompress_rtf(data: bytes, where: str = "PR_RTF_COMPRESSED") -> bytes:
    """Decompress MS-OXRTFCP data. Raises :class:`CorruptDataError` naming ``where``."""
    import compressed_rtf

    try:
        out = compressed_rtf.decompress(data)
    except Exception as exc:  # the package raises bare exceptions on damaged input
        raise CorruptDataError(f"{where}: compressed RTF is damaged ({exc})") from None
    return bytes(out)
