"""Message bodies: the HTML body's charset and compressed RTF (MS-OXRTFCP).

* :func:`decode_html` turns ``PR_HTML`` bytes into text: the charset named by the HTML itself
  (``<meta charset=...>`` or ``<meta http-equiv="Content-Type" content="...charset=...">``)
  wins, then ``PR_INTERNET_CPID``, then the message code page(s), then UTF-8; bytes invalid
  in the chosen charset are replaced, never raised.
* :func:`decompress_rtf` decompresses ``PR_RTF_COMPRESSED`` with the ``compressed_rtf``
  package and reports damage as :class:`~imsg_core.errors.CorruptDataError`.

Code pages resolve through :mod:`imsg_core.props.codepage`, as for string properties.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

from .errors import CorruptDataError
from .props.codepage import codec_name

__all__ = ["charset_of_html", "codec_for_codepage", "decode_html", "decompress_rtf"]

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def codec_for_codepage(cp: int) -> str | None:
    """The Python codec name for a Windows code page, or ``None`` when unknown (the one
    table in :mod:`imsg_core.props.codepage`)."""
    name = codec_name(cp)
    return None if name is None else codecs.lookup(name).name


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
    """The RTF document inside a ``PR_RTF_COMPRESSED`` value (MS-OXRTFCP: LZFu or MELA).

    The one decompressor: :func:`imsg_core.convert.rtf.decompress` is this function.

    :raises CorruptDataError: naming ``where`` when ``data`` is not valid compressed RTF.
    """
    import compressed_rtf

    if len(data) < 16:
        raise CorruptDataError(
            f"{where}: compressed RTF is {len(data)} bytes; the header alone is 16"
        )
    try:
        out = compressed_rtf.decompress(bytes(data))
    except Exception as exc:  # the package raises bare Exception/struct.error
        raise CorruptDataError(f"{where}: compressed RTF cannot be decompressed: {exc}") from None
    return bytes(out)
