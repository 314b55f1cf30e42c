"""Fuzzing compressed RTF (MS-OXRTFCP) and RTF de-encapsulation (MS-OXRTFEX).

Mutated bodies get a correct CRC again, so the decompressor really runs on them (a wrong
CRC is refused before any decompression). Declared sizes (COMPSIZE, RAWSIZE) take any
value: the output must stay bounded by what the input can expand to, never by RAWSIZE.
"""

from __future__ import annotations

import contextlib
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz import hyp
from fuzz import seeds
from fuzz import targets
from imsg_core.convert import rtf
from imsg_core.errors import CorruptDataError
from imsg_core.errors import MAPIError

SEEDS = seeds.rtf_seeds()


def _crc(body: bytes) -> int:
    from compressed_rtf.crc32 import crc32

    return int(crc32(body))


def _with_header(body: bytes, comp_size: int | None, raw_size: int, kind: bytes) -> bytes:
    crc = _crc(body) if kind == b"LZFu" else 0
    size = len(body) + 12 if comp_size is None else comp_size
    return struct.pack("<II4sI", size & 0xFFFFFFFF, raw_size & 0xFFFFFFFF, kind, crc) + body


sizes = st.one_of(
    st.none(), st.sampled_from([0, 1, 11, 12, 13, 0x7FFFFFFF, 0xFFFFFFFF]), st.integers(0, 1 << 32)
)


@hyp.fuzz_settings(300)
@given(
    st.sampled_from(sorted(SEEDS)),
    st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=8),
    sizes,
    st.one_of(st.sampled_from([0, 1, 0xFFFFFFFF, 0x7FFFFFFF]), st.integers(0, 1 << 32)),
    st.sampled_from([b"LZFu", b"MELA", b"LZFU", b"\0\0\0\0"]),
)
def test_mutated_bodies_with_valid_crc(
    name: str, edits: list[tuple[int, int]], comp: int | None, raw: int, kind: bytes
) -> None:
    body = bytearray(SEEDS[name][16:])
    for pos, value in edits:
        if body:
            body[pos % len(body)] = value
    data = _with_header(bytes(body), comp, raw, kind)
    out = hyp.run_bounded(targets.decompress_rtf, data)
    assert out.peak < 64 * len(data) + (8 << 20)


@hyp.fuzz_settings(200)
@given(st.binary(max_size=2000), sizes, st.integers(0, 1 << 32))
def test_random_token_streams(body: bytes, comp: int | None, raw: int) -> None:
    hyp.run_bounded(targets.decompress_rtf, _with_header(body, comp, raw, b"LZFu"))


@hyp.fuzz_settings(100)
@given(st.binary(max_size=64))
def test_random_bytes(data: bytes) -> None:
    hyp.run_bounded(targets.decompress_rtf, data)


def test_huge_declared_raw_size_is_not_allocated() -> None:
    body = SEEDS["plain"][16:]
    for raw in (0xFFFFFFFF, 0x7FFFFFFF, 1 << 31):
        out = hyp.run_bounded(targets.decompress_rtf, _with_header(body, None, raw, b"LZFu"))
        assert out.peak < 4 << 20
        mela = _with_header(b"{\\rtf1 x}", None, raw, b"MELA")
        out = hyp.run_bounded(targets.decompress_rtf, mela)
        assert out.peak < 4 << 20


def test_bad_crc_and_short_input_are_corrupt_data() -> None:
    data = bytearray(SEEDS["plain"])
    data[-1] ^= 0xFF
    for bad in (bytes(data), b"", b"LZFu", SEEDS["plain"][:15]):
        with pytest.raises(CorruptDataError, match="compressed RTF"):
            rtf.decompress(bad)


@hyp.fuzz_settings(150)
@given(st.binary(max_size=400).map(lambda b: b"{\\rtf1\\ansi\\fromhtml1 " + b))
def test_deencapsulation_of_arbitrary_rtf(doc: bytes) -> None:
    for fn in (rtf.deencapsulate_html, rtf.deencapsulate_text, rtf.encapsulated_kind):
        with contextlib.suppress(MAPIError):
            fn(doc)


@hyp.fuzz_settings(60)
@given(st.integers(1, 400))
def test_deeply_nested_groups(depth: int) -> None:
    doc = b"{\\rtf1\\ansi\\fromhtml1 " + b"{\\*\\htmltag64 " * depth + b"x" + b"}" * depth + b"}"
    with contextlib.suppress(MAPIError):
        rtf.deencapsulate_html(doc)


@pytest.mark.parametrize("num", [b"9999999999", b"1114112", b"-99999", b"65536", b"-32768"])
def test_out_of_range_unicode_escapes_wrap_instead_of_raising(num: bytes) -> None:
    """Regression (atheris, fuzz/regressions/rtf): ``\\u9999999999`` made chr() raise
    OverflowError during de-encapsulation."""
    doc = b"{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64}\\u" + num + b" x}"
    assert isinstance(rtf.deencapsulate_html(doc), str)
