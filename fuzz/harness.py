"""The common part of the atheris harnesses (``cfb_reader.py``, ``message.py``, ``rtf.py``,
``eml.py``): instrumentation, seeds, the oracle, structure-aware mutation.

Run a harness for hours (outside CI)::

    pip install atheris==3.0.0
    python fuzz/message.py fuzz/corpus/message -max_total_time=3600
    # extra read-only seed directories may follow, e.g. ../shared/corpus/files/poi

Defaults added unless given: ``-timeout=1`` (an input taking over a second is a finding),
``-rss_limit_mb=2048``, ``-max_len`` per target. The first corpus directory is filled with
generated seeds when empty (``python -m fuzz.seeds``). Findings are written as
``crash-*``/``timeout-*``/``oom-*`` files in the working directory (or ``-artifact_prefix``).

The oracle is the one of the hypothesis suites: an exception other than ``MAPIError`` is a
crash (atheris reports it with the traceback).
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import atheris  # noqa: E402

with atheris.instrument_imports(include=["imsg_core", "imsg_backends", "compressed_rtf"]):
    import imsg_backends.memory
    import imsg_backends.ole
    import imsg_backends.remote  # noqa: F401

    import imsg_core  # noqa: F401
    from imsg_core.convert import eml  # noqa: F401
    from imsg_core.convert import rtf  # noqa: F401
    from imsg_core.errors import MAPIError

from fuzz import mutators  # noqa: E402
from fuzz import seeds  # noqa: E402
from fuzz import targets  # noqa: E402

__all__ = ["main"]

_MAX_LEN = {"message": 1 << 16, "rtf": 1 << 14, "eml": 1 << 14}  # default 1 << 16


def _structured(kind: str) -> Callable[[bytes, int, int], bytes] | None:
    """A custom mutator: half of the time set a structure field (CFB header, FAT, directory
    entry; for messages also a property/nameid stream field), else libFuzzer's own."""
    if kind == "rtf":
        return _rtf_mutator
    if kind not in ("storage", "storage_lazy", "remote", "message"):
        return None

    def mutate(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            try:
                if kind == "message" and rng.random() < 0.5:
                    streams, storages = mutators.explode(data)
                    candidates = [
                        (p, f) for p, v in streams.items() for f in mutators.stream_fields(p, v)
                    ]
                    if candidates:
                        path, field = rng.choice(candidates)
                        value = rng.choice(
                            mutators.INTERESTING[field.width] + (rng.getrandbits(8 * field.width),)
                        )
                        streams[path] = mutators.apply(streams[path], field, value)
                        out = mutators.rebuild(streams, storages)
                        if len(out) <= max_size:
                            return out
                fields = mutators.cfb_fields(data)
                if fields:
                    field = rng.choice(fields)
                    value = rng.choice(
                        mutators.INTERESTING[field.width] + (rng.getrandbits(8 * field.width),)
                    )
                    return mutators.apply(data, field, value)
            except MAPIError:
                pass  # not a valid file any more: fall back to byte-level mutation
        return atheris.Mutate(data, max_size)

    return mutate


def _rtf_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """Byte-level mutation, then (mostly) a correct CRC and COMPSIZE again: a wrong CRC is
    refused before decompression, which would hide the decompressor from the fuzzer."""
    from compressed_rtf.crc32 import crc32

    out = bytearray(atheris.Mutate(data, max_size))
    rng = random.Random(seed)
    if len(out) >= 16 and rng.random() < 0.9:
        if rng.random() < 0.5:
            out[8:12] = b"LZFu"
        if out[8:12] == b"LZFu":
            out[12:16] = int(crc32(bytes(out[16:]))).to_bytes(4, "little")
        if rng.random() < 0.8:
            out[0:4] = (len(out) - 4).to_bytes(4, "little")
    return bytes(out)


def main(kind: str) -> None:
    """Fuzz target ``kind`` (a key of :data:`fuzz.targets.TARGETS`) with atheris."""
    target = targets.TARGETS[kind]

    def test_one_input(data: bytes) -> None:
        with contextlib.suppress(MAPIError):
            target(data)

    argv = list(sys.argv)
    flags = {a.split("=")[0] for a in argv[1:] if a.startswith("-")}
    dirs = [a for a in argv[1:] if not a.startswith("-")]
    if dirs:
        first = Path(dirs[0])
        if not first.exists() or not any(first.iterdir()):
            first.mkdir(parents=True, exist_ok=True)
            groups = {
                "storage": seeds.cfb_seeds,
                "storage_lazy": seeds.cfb_seeds,
                "remote": seeds.cfb_seeds,
                "message": seeds.message_seeds,
                "rtf": seeds.rtf_seeds,
                "eml": seeds.eml_seeds,
            }
            for name, data in groups[kind]().items():
                (first / f"seed-{name}").write_bytes(data)
    for flag, value in (
        ("-timeout", "1"),
        ("-rss_limit_mb", "2048"),
        ("-max_len", str(_MAX_LEN.get(kind, 1 << 16))),
    ):
        if flag not in flags:
            argv.append(f"{flag}={value}")
    if kind != "remote":  # no network from a fuzzer (remote fuzzes fsspec memory://)
        os.environ.setdefault("IMSG_DISABLE_BACKENDS", "remote")
    custom = _structured(kind)
    if custom is not None:
        atheris.Setup(argv, test_one_input, custom_mutator=custom)
    else:
        atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
