"""Hypothesis support for the fuzz suites: profiles, the oracle, mutation strategies.

Profiles (select with ``IMSG_FUZZ_PROFILE``; ``IMSG_FUZZ_EXAMPLES=N`` overrides the count):

* ``ci`` (default): a bounded number of examples per test so the whole fuzz suite stays
  around a minute on two cores;
* ``long``: 20,000 examples per test (or ``IMSG_FUZZ_EXAMPLES``), for runs of hours.

Both keep a one-second deadline per example. The oracle (:func:`run_bounded`) checks the
three promises of the reliability issue on every example: nothing but ``MAPIError``
escapes, no example takes more than a second, and the traced peak memory stays within
``MEMORY_FACTOR`` times the input size + ``MEMORY_SLACK``.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from imsg_core.errors import MAPIError

from .mutators import INTERESTING
from .mutators import Field
from .mutators import apply

__all__ = [
    "MEMORY_FACTOR",
    "MEMORY_SLACK",
    "Outcome",
    "fuzz_settings",
    "mutate_fields",
    "run_bounded",
]

#: Peak traced memory may be this many times the input size ...
MEMORY_FACTOR = 16
#: ... plus this constant (the session, decoding tables, the email package).
MEMORY_SLACK = 8 << 20
#: Wall-clock limit of one example, seconds.
TIME_LIMIT = 1.0

_PROFILE = os.environ.get("IMSG_FUZZ_PROFILE", "ci")
_EXAMPLES = os.environ.get("IMSG_FUZZ_EXAMPLES")


def fuzz_settings(ci_examples: int) -> settings:
    """Settings for one fuzz test: ``ci_examples`` examples in the ``ci`` profile."""
    if _EXAMPLES:
        n = int(_EXAMPLES)
    elif _PROFILE == "long":
        n = 20_000
    else:
        n = ci_examples
    return settings(
        max_examples=n,
        deadline=timedelta(seconds=TIME_LIMIT),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=_PROFILE == "ci" and not _EXAMPLES,
        database=None,
        print_blob=True,
    )


class Outcome:
    """What one run did: ``"ok"`` or the error code name, the time, the memory peak."""

    def __init__(self, result: str, seconds: float, peak: int) -> None:
        self.result = result
        self.seconds = seconds
        self.peak = peak

    def __repr__(self) -> str:
        return f"<Outcome {self.result} {self.seconds * 1000:.0f} ms peak {self.peak} B>"


def run_bounded(target: Callable[[bytes], Any], data: bytes, *, memory: bool = True) -> Outcome:
    """Run ``target(data)``; assert the time and memory bounds; let anything but
    :class:`MAPIError` propagate (the test then fails with the traceback)."""
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    t0 = time.perf_counter()
    try:
        target(data)
        result = "ok"
    except MAPIError as exc:
        result = exc.name
        if not str(exc):
            raise AssertionError("a MAPIError must say what is wrong") from exc
    finally:
        seconds = time.perf_counter() - t0
        peak = 0
        if memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    limit = MEMORY_FACTOR * len(data) + MEMORY_SLACK
    assert peak <= limit, f"peak traced memory {peak} B > {limit} B for {len(data)} B of input"
    # The hypothesis deadline enforces TIME_LIMIT; tracing slows code ~2x, so allow for it.
    assert seconds <= TIME_LIMIT * (3 if memory else 1), f"took {seconds:.2f} s"
    return Outcome(result, seconds, peak)


def values_for(width: int) -> st.SearchStrategy[int]:
    """Interesting values for a field of ``width`` bytes, or any value of that width."""
    return st.one_of(
        st.sampled_from(INTERESTING[width]),
        st.integers(0, (1 << (8 * width)) - 1),
        st.integers(-3, 3).map(lambda d: d & ((1 << (8 * width)) - 1)),
    )


@st.composite
def mutate_fields(
    draw: st.DrawFn, data: bytes, fields: list[Field], max_edits: int = 3
) -> tuple[bytes, list[str]]:
    """``data`` with 1..``max_edits`` of ``fields`` set to drawn values; also returns a
    description of the edits (shown when an example fails)."""
    edits = []
    for _ in range(draw(st.integers(1, max_edits))):
        field = draw(st.sampled_from(fields))
        value = draw(values_for(field.width))
        data = apply(data, field, value)
        edits.append(f"{field.what}=0x{value:X}")
    return data, edits
