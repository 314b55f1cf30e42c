"""Fuzzing the compound-file reader and the message layer through the container.

Every input either reads fully or fails with a ``MAPIError``/``StorageError``; no input
takes more than a second or traces more memory than a small multiple of its size (see
``fuzz/hyp.py`` for the oracle and the profiles: ``IMSG_FUZZ_PROFILE=long`` for hours).

Mutations are structure-aware (``fuzz/mutators.py``): header fields, DIFAT slots, FAT and
mini-FAT entries, and every field of every directory entry of files our writer made, plus
blind byte damage, truncation and splicing. The corrupt real-world files of the corpus
(fuzzer-found cases from rust-cfb, POI's clusterfuzz files, loops, invalid sectors) are
walked both as storages and as messages.
"""

from __future__ import annotations

import functools
import sys
import warnings
from pathlib import Path

import pytest
from conftest import ROOT
from conftest import corpus_files
from conftest import corpus_ids
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT))
from fuzz import hyp
from fuzz import mutators
from fuzz import seeds
from fuzz import targets

warnings.filterwarnings("ignore", module="imsg_backends")


@functools.cache
def _cfb_seeds() -> dict[str, tuple[bytes, list[mutators.Field]]]:
    out = {}
    for name, data in {**seeds.cfb_seeds(), "msg_v4": seeds.message_seed(version=4)}.items():
        out[name] = (data, mutators.cfb_fields(data))
    return out


SEED_NAMES = ["plain_v3", "plain_v4", "msg_rich", "msg_v4"]


def test_field_tables_cover_every_structure() -> None:
    for name in SEED_NAMES:
        data, fields = _cfb_seeds()[name]
        kinds = {f.what.split("[")[0].split("@")[0].split(".")[0] for f in fields}
        assert {"header", "fat", "dir"} <= kinds, (name, kinds)
        if name.startswith("msg"):
            assert "minifat" in kinds
        # the unmutated seed reads fully through both targets
        assert targets.walk_storage(data) > 0
    assert targets.walk_message(_cfb_seeds()["msg_rich"][0]) > 10


def test_the_oracle_catches_what_it_must() -> None:
    """The oracle is not vacuous: a raw exception escapes it, a MAPIError is an outcome,
    an allocation far beyond the input size fails it."""
    from imsg_core.errors import CorruptDataError

    def raw(data: bytes) -> int:
        raise IndexError("raw")

    def clean(data: bytes) -> int:
        raise CorruptDataError("bad bytes at offset 3")

    def greedy(data: bytes) -> int:
        return len(bytearray(64 << 20))

    with pytest.raises(IndexError):
        hyp.run_bounded(raw, b"x")
    assert hyp.run_bounded(clean, b"x").result == "MAPI_E_CORRUPT_DATA"
    with pytest.raises(AssertionError, match="peak traced memory"):
        hyp.run_bounded(greedy, b"x" * 10)


@hyp.fuzz_settings(250)
@given(st.sampled_from(SEED_NAMES), st.data())
def test_field_mutations_walk_as_storage(name: str, data: st.DataObject) -> None:
    seed, fields = _cfb_seeds()[name]
    mutated, _edits = data.draw(hyp.mutate_fields(seed, fields))
    hyp.run_bounded(targets.walk_storage, mutated)


@hyp.fuzz_settings(300)
@given(st.sampled_from(SEED_NAMES), st.data())
def test_field_mutations_through_the_lazy_fat_and_the_remote_reader(
    name: str, data: st.DataObject
) -> None:
    """The same mutations through the two other reading paths: the lazy FAT (FAT sectors
    read on demand) and the remote backend's prefetching reader over fsspec ``memory://``."""
    seed, fields = _cfb_seeds()[name]
    mutated, _edits = data.draw(hyp.mutate_fields(seed, fields))
    hyp.run_bounded(targets.walk_storage_lazy, mutated)
    hyp.run_bounded(targets.walk_remote, mutated)


@hyp.fuzz_settings(150)
@given(st.sampled_from(["msg_rich", "msg_v4"]), st.data())
def test_field_mutations_open_as_message(name: str, data: st.DataObject) -> None:
    seed, fields = _cfb_seeds()[name]
    dir_fields = [f for f in fields if f.what.startswith(("dir", "minifat", "fat"))]
    mutated, _edits = data.draw(hyp.mutate_fields(seed, dir_fields))
    hyp.run_bounded(targets.walk_message, mutated)


@hyp.fuzz_settings(150)
@given(
    st.sampled_from(SEED_NAMES),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.binary(min_size=1, max_size=8)), max_size=6),
    st.one_of(st.none(), st.integers(0, 1 << 16)),
)
def test_blind_damage_and_truncation(
    name: str, edits: list[tuple[int, bytes]], cut: int | None
) -> None:
    data = bytearray(_cfb_seeds()[name][0])
    for pos, chunk in edits:
        p = pos % len(data)
        data[p : p + len(chunk)] = chunk
    if cut is not None:
        del data[cut % len(data) :]
    hyp.run_bounded(targets.walk_storage, bytes(data))
    hyp.run_bounded(targets.walk_message, bytes(data))


@hyp.fuzz_settings(80)
@given(st.sampled_from(SEED_NAMES), st.sampled_from(SEED_NAMES), st.integers(0, 1 << 16))
def test_spliced_files(a: str, b: str, at: int) -> None:
    x, y = _cfb_seeds()[a][0], _cfb_seeds()[b][0]
    at = 512 + at % max(1, min(len(x), len(y)) - 512)
    hyp.run_bounded(targets.walk_storage, x[:at] + y[at:])


# --------------------------------------------------------------------- the real corpus
CORRUPT = sorted(
    set(
        corpus_files("cfb-rust-cfb-fuzzed/*")
        + corpus_files("poi/clusterfuzz-*")
        + [
            p
            for p in corpus_files("cfb-*/*") + corpus_files("**/*")
            if p.name
            in {
                "FatChainLoop_v3.cfs",
                "ReferencesInvalidSectors.mpp",
                "61300.bin",
                "Notes.ole2",
                "ShortLastBlock.qwp",
                "ShortLastBlock.wps",
                "only-zero-byte-streams.ole2",
                "BlockSize4096.zvi",
                "test.msg",
            }
            or any(
                w in p.name.lower()
                for w in ("corrupt", "invalid", "fuzz", "crash", "loop", "fail", "garbled")
            )
        ]
    )
)


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORRUPT, ids=corpus_ids(CORRUPT))
def test_corrupt_corpus_file_reads_or_fails_cleanly_within_a_second(path: Path) -> None:
    data = path.read_bytes()
    for target in (targets.walk_storage, targets.walk_message):
        hyp.run_bounded(target, data, memory=False)  # under a second, untraced
        hyp.run_bounded(target, data)  # and within the memory bound


def test_corrupt_corpus_list_is_not_empty_when_the_corpus_exists() -> None:
    if not corpus_files():
        pytest.skip("../shared/corpus is absent")
    assert len(CORRUPT) >= 20
