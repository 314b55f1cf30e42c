"""RTF bodies: decompress/compress ``PR_RTF_COMPRESSED`` and (de-)encapsulate HTML in RTF.

* :func:`decompress` (:func:`imsg_core._bodies.decompress_rtf`, the one decompressor) and
  :func:`compress` handle ``PR_RTF_COMPRESSED`` (MS-OXRTFCP); damage is
  :class:`~imsg_core.errors.CorruptDataError`.
* :func:`encapsulated_kind` tells whether an RTF document carries encapsulated HTML
  (``\\fromhtml1``) or text (``\\fromtext``) in its header (MS-OXRTFEX 2.2.3.1).
* :func:`deencapsulate_html` / :func:`deencapsulate_text` recover the original content: the
  contents of ``{\\*\\htmltag}`` groups plus the visible text outside ``\\htmlrtf`` regions,
  with ``\\'xx`` escapes decoded in the code page of the current font (``\\fN`` →
  ``\\fcharsetN``, else ``\\ansicpgN``; resolved by :mod:`imsg_core.props.codepage`),
  ``\\uN`` Unicode escapes honouring ``\\ucN``, and ``\\par``/``\\line`` → CRLF,
  ``\\tab`` → TAB. ``{\\*\\mhtmltag}`` groups (URLs rewritten for MHTML) are skipped: the
  ``\\htmltag`` next to them keeps the original ``cid:`` URL.
* :func:`encapsulate_html` writes an RTF document with ``\\fromhtml1`` that de-encapsulates to
  the given HTML exactly, and whose RTF rendering shows the HTML's text (tags in ``htmltag``
  groups, text as RTF text, line breaks/paragraphs as ``\\htmlrtf``-only RTF).

Nothing here raises anything but :class:`~imsg_core.errors.CorruptDataError` (for bytes that
are not compressed RTF, or RTF that is not encapsulated, when asked to de-encapsulate).
"""

from __future__ import annotations

import html
import re
import struct
import zlib
from dataclasses import dataclass
from dataclasses import field

from .._bodies import decompress_rtf as decompress
from ..errors import CorruptDataError
from ..props.codepage import codec_name
from ..props.codepage import is_eight_bit

__all__ = [
    "compress",
    "decompress",
    "deencapsulate_html",
    "deencapsulate_text",
    "encapsulate_html",
    "encapsulated_kind",
    "rtf_escape",
]


#: The dictionary's initial content (MS-OXRTFCP 2.1.2.1), 207 bytes.
_PREFIX = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss "
    b"\\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
    b"{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"
)
_LZFU = int.from_bytes(b"LZFu", "little")  # the compressed-RTF type of MS-OXRTFCP
_MAX_MATCH = 17
_CANDIDATES = 24  # positions tried per 3-byte key: speed over the last percent of ratio


def _crc(data: bytes) -> int:
    """MS-OXRTFCP's CRC: CRC-32 without the pre/post inversion."""
    ones = (1 << 32) - 1
    return zlib.crc32(data, ones) ^ ones


def compress(rtf: bytes) -> bytes:
    """``rtf`` compressed as LZFu (MS-OXRTFCP), ready for ``PR_RTF_COMPRESSED``.

    A greedy LZ77 over the 4096-byte dictionary pre-loaded with the standard prefix; matches
    of 2..17 bytes are found through a hash of 3-byte keys (linear time), and the stream
    ends with the end-of-data reference (offset = write position).
    """
    data = _PREFIX + bytes(rtf)
    n = len(data)
    start = len(_PREFIX)
    heads: dict[bytes, list[int]] = {}
    for p in range(max(0, start - 2)):
        heads.setdefault(data[p : p + 3], []).append(p)
    out = bytearray()
    run = bytearray()
    control = 0
    bit = 0
    pos = start

    def flush() -> None:
        nonlocal control, bit, run
        out.append(control)
        out.extend(run)
        control, bit, run = 0, 0, bytearray()

    while pos < n:
        best_len, best_pos = 0, -1
        key = data[pos : pos + 3]
        if len(key) == 3:
            cands = heads.get(key)
            if cands:
                limit = min(_MAX_MATCH, n - pos)
                for cand in reversed(cands[-_CANDIDATES:]):
                    if cand <= pos - 4096:
                        break
                    length = 3
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_pos = length, cand
                        if length == limit:
                            break
        if best_len >= 3 or (
            best_len == 0
            and pos + 1 < n
            and (best_pos := _two_byte(data, pos)) >= 0
            and (best_len := 2)
        ):
            token = ((best_pos % 4096) << 4) | (best_len - 2)
            control |= 1 << bit
            run += struct.pack(">H", token)
            step = best_len
        else:
            run.append(data[pos])
            step = 1
        for q in range(pos, min(pos + step, n - 2)):
            heads.setdefault(data[q : q + 3], []).append(q)
        pos += step
        bit += 1
        if bit == 8:
            flush()
    # End marker: a reference to the current write position.
    control |= 1 << bit
    run += struct.pack(">H", (pos % 4096) << 4)
    flush()
    contents = bytes(out)
    header = struct.pack("<IIII", len(contents) + 12, len(rtf), _LZFU, _crc(contents))
    return header + contents


def _two_byte(data: bytes, pos: int) -> int:
    """A position within the window holding ``data[pos:pos+2]`` (short matches), or -1."""
    lo = max(0, pos - 4095)
    found = data.rfind(data[pos : pos + 2], lo, pos + 1)
    if found < 0 or found >= pos:
        return -1
    return found


# --------------------------------------------------------------------------- tokenizer
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word (one space delimiter is eaten)
    rb"|\\'([0-9a-fA-F]{2})"  # hex escape
    rb"|\\([^a-zA-Z'])"  # control symbol
    rb"|([{}])"  # group
    rb"|([\r\n]+)"  # raw line breaks: ignored by RTF
    rb"|([^\\{}\r\n]+)",  # text
    re.DOTALL,
)

#: ``\fcharsetN`` → code page (RTF spec, font table).
_CHARSET_CP: dict[int, int] = {
    0: 1252,
    2: 1252,  # symbol: bytes pass through as cp1252
    77: 10000,
    128: 932,
    129: 949,
    130: 1361,
    134: 936,
    136: 950,
    161: 1253,
    162: 1254,
    163: 1258,
    177: 1255,
    178: 1256,
    186: 1257,
    204: 1251,
    222: 874,
    238: 1250,
    255: 437,
}

#: Destinations whose contents are never HTML or visible text.
_SKIP_DESTS = frozenset(
    {
        "fonttbl",
        "colortbl",
        "stylesheet",
        "info",
        "pict",
        "object",
        "header",
        "footer",
        "headerl",
        "headerr",
        "footerl",
        "footerr",
        "listtable",
        "listoverridetable",
        "revtbl",
        "rsidtbl",
        "generator",
        "xmlnstbl",
        "themedata",
        "colorschememapping",
        "latentstyles",
        "datastore",
        "filetbl",
        "pgdsctbl",
        "mhtmltag",
        "fldinst",
        "pntext",
        "pn",
        "listtext",
    }
)

_SYMBOLS: dict[str, str] = {
    "par": "\r\n",
    "line": "\r\n",
    "tab": "\t",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "bullet": "\u2022",
    "endash": "\u2013",
    "emdash": "\u2014",
    "emspace": "\u2003",
    "enspace": "\u2002",
}
_CONTROL_SYMBOLS: dict[str, str] = {"~": "\u00a0", "_": "\u2011", "-": "", "\\": "\\"}


def _codec_for(cp: int) -> str:
    """The codec of RTF code page ``cp`` (``\\ansicpgN``, ``\\cpgN``, a font's charset): the
    one code-page table (:mod:`imsg_core.props.codepage`); Windows-1252 for pages it does
    not know, for UTF-16/32, which cannot be the code page of 8-bit RTF text, and for
    US-ASCII (20127), whose bytes it decodes alike and whose stray high bytes are, as in
    string properties, Windows-1252 in practice."""
    name = codec_name(cp) if is_eight_bit(cp) else None
    return "cp1252" if name in (None, "ascii") else name


@dataclass
class _State:
    skip: bool = False  # inside a destination whose content is dropped
    htmlrtf: bool = False  # inside \htmlrtf ... \htmlrtf0
    htmltag: bool = False  # inside {\*\htmltag}
    font: int | None = None
    uc: int = 1
    star: bool = False  # a \* was just seen at the start of this group
    fresh: bool = True  # no token yet in this group (destination detection)
    fonttbl: bool = False
    font_def: int | None = None  # the \fN being defined inside the font table


@dataclass
class _Out:
    parts: list[str] = field(default_factory=list)
    pending: bytearray = field(default_factory=bytearray)
    pending_codec: str = "cp1252"

    def add_bytes(self, data: bytes, codec: str) -> None:
        if self.pending and codec != self.pending_codec:
            self.flush()
        self.pending_codec = codec
        self.pending += data

    def add_text(self, text: str) -> None:
        self.flush()
        self.parts.append(text)

    def flush(self) -> None:
        if self.pending:
            self.parts.append(bytes(self.pending).decode(self.pending_codec, "replace"))
            self.pending.clear()

    def value(self) -> str:
        self.flush()
        return "".join(self.parts)


def _header(rtf: bytes) -> bytes:
    # The header ends where the first text or \pard etc. appears; checking the first 1 KiB
    # before the font table closes covers every writer seen (Outlook, Exchange, MsgKit).
    head = rtf[:2048]
    cut = head.find(b"{\\fonttbl")
    return head if cut < 0 else head[:cut]


def encapsulated_kind(rtf: bytes) -> str | None:
    """``"html"`` for ``\\fromhtml1``, ``"text"`` for ``\\fromtext``, else ``None``."""
    head = _header(rtf)
    if not head.lstrip().startswith(b"{\\rtf"):
        return None
    if re.search(rb"\\fromhtml1?(?![a-zA-Z0-9])", head):
        return "html"
    if re.search(rb"\\fromtext(?![a-zA-Z])", head):
        return "text"
    return None


def _deencapsulate(rtf: bytes) -> str:
    m = re.search(rb"\\ansicpg(\d+)", rtf[:4096])
    default_cp = int(m.group(1)) if m else 1252
    default_codec = _codec_for(default_cp)
    fonts: dict[int, str] = {}
    deff_m = re.search(rb"\\deff(\d+)", rtf[:4096])
    deff = int(deff_m.group(1)) if deff_m else None

    out = _Out()
    stack: list[_State] = []
    st = _State(font=deff)
    skip_chars = 0  # \uN fallback characters still to drop

    def visible() -> bool:
        return not st.skip and not st.htmlrtf and not st.fonttbl and depth_ok()

    def depth_ok() -> bool:
        return len(stack) >= 1  # text outside the outer {\rtf1 ...} group is ignored

    def codec_now() -> str:
        if st.htmltag:
            return default_codec
        if st.font is not None and st.font in fonts:
            return fonts[st.font]
        return default_codec

    for m in _TOKEN.finditer(rtf):
        word, param, hexd, sym, grp, _nl, text = m.groups()
        if grp is not None:
            if grp == b"{":
                stack.append(st)
                st = _State(
                    skip=st.skip,
                    htmlrtf=st.htmlrtf,
                    htmltag=st.htmltag,
                    font=st.font,
                    uc=st.uc,
                    fonttbl=st.fonttbl,
                )
            else:
                if st.fonttbl and st.font_def is not None and st.font_def not in fonts:
                    fonts[st.font_def] = default_codec
                if not stack:
                    break  # unbalanced: the document ended
                st = stack.pop()
            skip_chars = 0
            continue
        fresh, st.fresh = st.fresh, False
        if word is not None:
            name = word.decode("ascii")
            num = int(param) if param is not None else None
            if (fresh and st.star) or (name in _SKIP_DESTS and fresh):
                if name == "htmltag":
                    st.htmltag = True
                    st.htmlrtf = False
                    continue
                if name == "fonttbl":
                    st.fonttbl = True
                    continue
                st.skip = True
                continue
            if name == "htmltag" and fresh:
                st.htmltag = True
                continue
            if name == "htmlrtf":
                st.htmlrtf = num != 0
                continue
            if st.fonttbl:
                if name == "f" and num is not None:
                    st.font_def = num
                elif name == "fcharset" and num is not None and st.font_def is not None:
                    fonts[st.font_def] = _codec_for(_CHARSET_CP.get(num, default_cp))
                elif name == "cpg" and num is not None and st.font_def is not None:
                    fonts[st.font_def] = _codec_for(num)
                continue
            if name == "f" and num is not None:
                st.font = num
                continue
            if name == "uc" and num is not None:
                st.uc = max(0, num)
                continue
            if name == "u" and num is not None:
                if visible():
                    # A signed 16-bit value (MS-RTF); out-of-range ones wrap instead of
                    # making chr() raise.
                    code = num & 0xFFFF
                    out.add_bytes(chr(code).encode("utf-16-le", "surrogatepass"), "utf-16-le")
                skip_chars = st.uc
                continue
            if (
                name in _SYMBOLS
                and visible()
                and (name in ("par", "line", "tab") or not st.htmltag)
            ):
                out.add_text(_SYMBOLS[name])
            continue
        if hexd is not None:
            if skip_chars:
                skip_chars -= 1
                continue
            if visible():
                out.add_bytes(bytes.fromhex(hexd.decode("ascii")), codec_now())
            continue
        if sym is not None:
            s = sym.decode("latin-1")
            if s == "*":
                if fresh:
                    st.star = True
                    st.fresh = True  # the destination word follows
                continue
            if skip_chars:
                skip_chars -= 1
                continue
            if not visible():
                continue
            if s in "{}":
                out.add_bytes(sym, codec_now())
            elif s in _CONTROL_SYMBOLS:
                out.add_text(_CONTROL_SYMBOLS[s])
            elif s in "\r\n":
                out.add_text("\r\n")
            continue
        if text is not None:
            if skip_chars:
                n = min(skip_chars, len(text))
                skip_chars -= n
                text = text[n:]
            if text and visible():
                if st.fonttbl:
                    continue
                out.add_bytes(text, codec_now())
            continue
    return out.value()


def deencapsulate_html(rtf: bytes) -> str:
    """The HTML encapsulated in ``rtf`` (MS-OXRTFEX).

    :raises CorruptDataError: when ``rtf`` does not declare ``\\fromhtml1``.
    """
    if encapsulated_kind(rtf) != "html":
        raise CorruptDataError("the RTF body does not encapsulate HTML (no \\fromhtml1)")
    return _deencapsulate(rtf)


def deencapsulate_text(rtf: bytes) -> str:
    """The plain text encapsulated in ``rtf`` (``\\fromtext``).

    :raises CorruptDataError: when ``rtf`` does not declare ``\\fromtext``.
    """
    if encapsulated_kind(rtf) != "text":
        raise CorruptDataError("the RTF body does not encapsulate text (no \\fromtext)")
    return _deencapsulate(rtf)


# --------------------------------------------------------------------------- writer
def rtf_escape(text: str) -> str:
    """``text`` as RTF text: ``\\ { }`` escaped, non-ASCII as ``\\uN?`` (UTF-16 units)."""
    out: list[str] = []
    for ch in text:
        o = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif ch == "\t":
            out.append("\\tab ")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\'{o:02x}")
        else:
            for unit in _utf16_units(ch):
                signed = unit - 0x10000 if unit > 0x7FFF else unit
                out.append(f"\\u{signed}?")
    return "".join(out)


def _utf16_units(ch: str) -> list[int]:
    raw = ch.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw), 2)]


def _tag_group(fragment: str, param: int) -> str:
    # CONTENT: a space separates the parameter from the content. CRLF becomes \par (what
    # Outlook writes; readers turn it back into CRLF); a lone CR or LF stays a \'0d/\'0a
    # escape so the HTML comes back byte for byte.
    lines = fragment.split("\r\n")
    body = "\\par\r\n".join(rtf_escape(line) for line in lines)
    return "{\\*\\htmltag" + str(param) + " " + body + "}"


_HTML_PIECE = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment
    r"|<(script|style|title|head)\b[^>]*>.*?(?:</\1\s*>|\Z)"  # raw-text elements, whole
    r"|<[^>]*>?"  # tag
    r"|[^<]+",  # text
    re.DOTALL | re.IGNORECASE,
)
_BREAK_TAGS = re.compile(r"<(br)\b", re.IGNORECASE)
_PARA_END = re.compile(r"</(p|div|h[1-6]|li|tr|table)\s*>", re.IGNORECASE)

#: HTMLTagParameter values (readers ignore them, MS-OXRTFEX 2.1.3.1.4): the mandatory empty
#: INBODY/P marker, and the values used for markup in the body and outside it.
_TAG_P_MARKER = 64
_TAG_BODY = 72
_TAG_OTHER = 8


def encapsulate_html(html_text: str, *, codepage: int = 1252) -> bytes:
    """An RTF document with ``\\fromhtml1`` that de-encapsulates to exactly ``html_text``.

    Markup goes into ``{\\*\\htmltag}`` groups; text between tags is shared text (what an RTF
    reader shows) unless it contains character references or line breaks, in which case the
    original is kept in an ``htmltag`` group and the decoded text is shown in ``\\htmlrtf``.
    ``<br>`` and block ends add ``\\htmlrtf``-only line breaks so the RTF view reads well.
    """
    out: list[str] = [
        "{\\rtf1\\ansi\\ansicpg",
        str(codepage),
        "\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}"
        "{\\f1\\fmodern Courier New;}{\\f2\\fnil\\fcharset2 Symbol;}}\r\n",
        "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n",
        "\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 {\\*\\htmltag",
        str(_TAG_P_MARKER),
        "}",
    ]
    in_body = "<body" not in html_text.lower()
    for m in _HTML_PIECE.finditer(html_text):
        piece = m.group(0)
        if piece.startswith("<"):
            lower = piece[:6].lower()
            if lower.startswith("<body"):
                in_body = True
            out.append(_tag_group(piece, _TAG_BODY if in_body else _TAG_OTHER))
            if in_body and (_BREAK_TAGS.match(piece) or _PARA_END.match(piece)):
                out.append("\\htmlrtf \\par\r\n\\htmlrtf0 ")
            if lower.startswith("</body"):
                in_body = False
            continue
        if not in_body and not piece.strip():
            out.append(_tag_group(piece, _TAG_OTHER))
            continue
        if "&" in piece or "\n" in piece or "\r" in piece:
            out.append(_tag_group(piece, _TAG_BODY if in_body else _TAG_OTHER))
            shown = " ".join(html.unescape(piece).split())
            if shown and in_body:
                out.append("\\htmlrtf " + rtf_escape(shown) + "\\htmlrtf0 ")
            continue
        out.append(rtf_escape(piece))
    out.append("}")
    return "".join(out).encode("ascii")
