"""Fuzzing the message layer: property streams, named-property streams, string and
multi-valued streams, compressed RTF inside messages.

The container stays valid (the mutated stream is written back by the project's writer), so
every mutation reaches the .msg parsers: property-stream headers (recipient/attachment
counts and next IDs), every field of every 16-byte property entry (tag type, ID, flags,
fixed values, variable sizes, reserved), the ``__nameid_version1.0`` entry/string/GUID
streams, MV length streams, the compressed-RTF header, and whole streams replaced by
random bytes or truncated. The oracle is the same as for the container (``fuzz/hyp.py``).
"""

from __future__ import annotations

import functools
import warnings

from hypothesis import given
from hypothesis import strategies as st

from fuzz import hyp
from fuzz import mutators
from fuzz import seeds
from fuzz import targets

warnings.filterwarnings("ignore", module="imsg_backends")

MESSAGE_SEEDS = ["rich", "ansi", "nested3"]


@functools.cache
def _exploded(name: str) -> tuple[dict[str, bytes], list[str]]:
    return mutators.explode(seeds.message_seeds()[name])


@functools.cache
def _mutable(name: str, kind: str) -> list[str]:
    streams, _ = _exploded(name)
    out = []
    for path, data in streams.items():
        base = path.rsplit("/", 1)[-1]
        if not mutators.stream_fields(path, data):
            continue
        is_nameid = path.startswith(mutators.NAMEID)
        kinds = {
            "props": base == mutators.PROPS,
            "nameid": is_nameid,
            "other": base != mutators.PROPS and not is_nameid,
        }
        if kinds[kind]:
            out.append(path)
    return sorted(out)


def test_every_stream_kind_has_mutation_targets() -> None:
    assert len(_mutable("rich", "props")) >= 6  # top, recipients, attachments, embedded
    assert len(_mutable("rich", "nameid")) == 3
    assert any("10090102" in p for p in _mutable("rich", "other"))  # compressed RTF
    assert any("/" in p for p in _mutable("nested3", "props"))


def _mutated_message(data: st.DataObject, name: str, kind: str) -> bytes:
    streams, storages = _exploded(name)
    path = data.draw(st.sampled_from(_mutable(name, kind)), label="stream")
    value = streams[path]
    fields = mutators.stream_fields(path, value)
    new, _ = data.draw(hyp.mutate_fields(value, fields), label="edits")
    return mutators.rebuild({**streams, path: new}, storages)


@hyp.fuzz_settings(180)
@given(st.sampled_from(MESSAGE_SEEDS), st.data())
def test_property_stream_entries(name: str, data: st.DataObject) -> None:
    hyp.run_bounded(targets.walk_message, _mutated_message(data, name, "props"))


@hyp.fuzz_settings(100)
@given(st.data())
def test_named_property_streams(data: st.DataObject) -> None:
    hyp.run_bounded(targets.walk_message, _mutated_message(data, "rich", "nameid"))


@hyp.fuzz_settings(80)
@given(st.data())
def test_rtf_and_multivalue_streams(data: st.DataObject) -> None:
    hyp.run_bounded(targets.walk_message, _mutated_message(data, "rich", "other"))


@hyp.fuzz_settings(120)
@given(
    st.sampled_from(MESSAGE_SEEDS),
    st.data(),
    st.one_of(
        st.binary(max_size=300),
        st.integers(0, 200).map(lambda n: b"\xff" * n),
        st.integers(0, 40).map(lambda n: b"\x00" * n),
    ),
    st.booleans(),
)
def test_whole_streams_replaced_or_truncated(
    name: str, data: st.DataObject, junk: bytes, truncate: bool
) -> None:
    streams, storages = _exploded(name)
    path = data.draw(st.sampled_from(sorted(streams)), label="stream")
    if truncate:
        new = streams[path][: data.draw(st.integers(0, len(streams[path])), label="cut")]
    else:
        new = junk
    hyp.run_bounded(targets.walk_message, mutators.rebuild({**streams, path: new}, storages))


@hyp.fuzz_settings(60)
@given(st.sampled_from(MESSAGE_SEEDS), st.data())
def test_elements_removed_or_renamed(name: str, data: st.DataObject) -> None:
    streams, storages = _exploded(name)
    path = data.draw(st.sampled_from(sorted(streams) + sorted(storages)), label="element")
    rename = data.draw(
        st.sampled_from(
            [
                None,
                "__substg1.0_0037001F",
                "__recip_version1.0_#FFFFFFFF",
                "__attach_version1.0_#zz",
                "__substg1.0_3701000D",
            ]
        )
    )

    def moved(p: str) -> str | None:
        if p == path or p.startswith(path + "/"):
            if rename is None:
                return None
            head = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
            return head + rename + p[len(path) :]
        return p

    new_streams = {m: v for p, v in streams.items() if (m := moved(p)) is not None}
    new_storages = [m for p in storages if (m := moved(p)) is not None]
    try:
        data_out = mutators.rebuild(new_streams, new_storages)
    except Exception:  # a rename that collides is not a file we can write; skip it
        return
    hyp.run_bounded(targets.walk_message, data_out)
