"""Measurement machinery: interleaved repetitions, paired ratios, same-work checks, memory.

A *contender* is a zero-argument callable that does one unit of work and returns a
:data:`Work` mapping of counts (streams, bytes, properties, ...). :func:`interleave` runs
every contender ``reps`` times in rotating order (so drift in machine load hits all of them
alike), after ``warmup`` untimed rounds whose results are used for the same-work check.
Ratios are *paired*: repetition ``i`` of the peer divided by repetition ``i`` of ours, so
the spread shown is the spread of ratios actually observed in this run.

Memory is measured in a fresh subprocess (:func:`measure_memory`) so the baseline is clean:
peak RSS growth over the baseline taken just before the call, sampled every 2 ms and
cross-checked with ``ru_maxrss``.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

Work = dict[str, int]
"""Counts describing what a contender did (e.g. ``{"streams": 12, "bytes": 4096}``)."""

ROOT = Path(__file__).resolve().parent.parent
OURS = "ours"


class NotAvailable(Exception):
    """Our side (or a peer) cannot run this case yet: the API it needs is missing."""


def describe_error(exc: BaseException) -> str:
    """One line naming an exception: type and message, shortened."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


@dataclass
class Series:
    """Timings of one contender on one input."""

    name: str
    times: list[float] = field(default_factory=list)
    work: Work | None = None
    error: str | None = None
    not_available: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.ok:
            out.update(
                median_s=self.median,
                min_s=min(self.times),
                max_s=max(self.times),
                times_s=self.times,
            )
        if self.work is not None:
            out["work"] = self.work
        if self.error is not None:
            out["error"] = self.error
            out["not_available"] = self.not_available
        return out


def _call(fn: Callable[[], Work]) -> tuple[float, Work]:
    t0 = time.perf_counter()
    work = fn()
    t1 = time.perf_counter()
    return t1 - t0, work


def interleave(
    contenders: Mapping[str, Callable[[], Work]],
    reps: int,
    warmup: int = 1,
    budget_s: float | None = None,
    collect: bool = True,
    *,
    before: Callable[[str], object] | None = None,
) -> dict[str, Series]:
    """Run every contender ``warmup`` + ``reps`` times, interleaved in rotating order.

    A contender that raises is recorded with its error and not run again; one that raises
    :class:`NotAvailable` (or ImportError) is marked ``not_available``. When ``budget_s``
    is given and the warm-up round took longer than that, only one timed repetition is run
    (slow peers on big inputs); the series then has a single time and no spread.
    ``collect``: a full garbage collection before every call (for long calls; callers timing
    many short calls collect once per input instead, as a collection can cost more than the
    call). ``before(name)``: untimed preparation before each call of contender ``name``
    (e.g. emptying its output directory).
    """
    names = list(contenders)
    series = {n: Series(n) for n in names}
    t_start = time.perf_counter()
    total = warmup + reps
    r = 0
    while r < total:
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            s = series[name]
            if s.error is not None:
                continue
            try:
                if before is not None:
                    before(name)
                if collect:
                    gc.collect()
                dt, work = _call(contenders[name])
            except (NotAvailable, ImportError) as exc:
                s.error, s.not_available = describe_error(exc), True
                continue
            except Exception as exc:
                s.error = describe_error(exc)
                if os.environ.get("IMSG_BENCH_TRACEBACK"):
                    traceback.print_exc()
                continue
            if r < warmup:
                s.work = work
            else:
                s.times.append(dt)
        r += 1
        if r == warmup and budget_s is not None and time.perf_counter() - t_start > budget_s:
            total = warmup + 1
    return series


@dataclass
class Ratio:
    """``peer / ours`` from paired repetitions (> 1: ours is faster)."""

    median: float
    low: float
    high: float

    def as_json(self) -> dict[str, float]:
        return {"median": self.median, "min": self.low, "max": self.high}


def paired_ratio(peer: Series, ours: Series) -> Ratio | None:
    """Median and min-max of ``peer[i] / ours[i]``; ``None`` unless both ran."""
    if not (peer.ok and ours.ok):
        return None
    pairs = [p / o for p, o in zip(peer.times, ours.times, strict=False) if o > 0]
    if not pairs:
        return None
    return Ratio(statistics.median(pairs), min(pairs), max(pairs))


def sum_ratio(peer_times: list[list[float]], ours_times: list[list[float]]) -> Ratio | None:
    """Paired ratio of per-repetition *totals* over several inputs (each list: one input's
    repetitions). Used for whole-corpus passes timed file by file."""
    if not peer_times or not ours_times:
        return None
    n = min(len(t) for t in [*peer_times, *ours_times])
    if n == 0:
        return None
    peer_tot = [sum(t[i] for t in peer_times) for i in range(n)]
    ours_tot = [sum(t[i] for t in ours_times) for i in range(n)]
    pairs = [p / o for p, o in zip(peer_tot, ours_tot, strict=True) if o > 0]
    if not pairs:
        return None
    return Ratio(statistics.median(pairs), min(pairs), max(pairs))


def same_work(ours: Work | None, peer: Work | None, keys: tuple[str, ...]) -> list[str]:
    """Differences between two work records on ``keys`` (empty list: the same work).

    A key missing from either side is a difference: a contender that cannot report a count
    has not shown that it did the work.
    """
    if ours is None or peer is None:
        return ["no work record"]
    diffs = []
    for k in keys:
        a, b = ours.get(k), peer.get(k)
        if a != b:
            diffs.append(f"{k}: ours {a} vs peer {b}")
    return diffs


# -- formatting ------------------------------------------------------------------------------
def fmt_time(seconds: float) -> str:
    """Human time with 3 significant digits."""
    if seconds >= 1:
        return f"{seconds:.3g} s" if seconds < 100 else f"{seconds:.0f} s"
    ms = seconds * 1e3
    if ms >= 1:
        return f"{ms:.3g} ms" if ms < 100 else f"{ms:.0f} ms"
    return f"{seconds * 1e6:.3g} µs"


def fmt_series(s: Series | None) -> str:
    """``median [min-max]``, or why there is no figure."""
    if s is None:
        return "—"
    if s.not_available:
        return "not available"
    if s.error is not None:
        return "failed"
    if not s.times:
        return "—"
    if len(s.times) == 1:
        return f"{fmt_time(s.times[0])} (1 run)"
    return f"{fmt_time(s.median)} [{fmt_time(min(s.times))}-{fmt_time(max(s.times))}]"


def fmt_ratio(r: Ratio | None) -> str:
    """``3.1x [2.8-3.4]`` (peer time / our time)."""
    if r is None:
        return "—"
    if abs(r.high - r.low) < 1e-9:
        return f"{r.median:.2f}x"
    return f"{r.median:.2f}x [{r.low:.2f}-{r.high:.2f}]"


def fmt_bytes(n: float | None) -> str:
    """Bytes with a binary unit."""
    if n is None:
        return "—"
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(n) >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} B"


def fmt_mib(n: float | None) -> str:
    """A memory growth in MiB."""
    return "—" if n is None else f"{n:.1f} MiB"


def _cell(text: str) -> str:
    return text.replace("\\|", "|").replace("|", "\\|").replace("\n", " ")


@dataclass
class Table:
    """One markdown table with a title and notes."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [f"#### {self.title}", ""]
        if self.rows:
            out.append("| " + " | ".join(self.headers) + " |")
            out.append("|" + "|".join("---" for _ in self.headers) + "|")
            out.extend("| " + " | ".join(_cell(c) for c in r) + " |" for r in self.rows)
        else:
            out.append("(no rows)")
        if self.notes:
            out.append("")
            out.extend(f"- {n}" for n in self.notes)
        out.append("")
        return "\n".join(out)


@dataclass
class CaseResult:
    """What a case returns: tables for the report, raw data for the JSON file."""

    case: str
    tables: list[Table] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    targets: list[Target] = field(default_factory=list)


@dataclass
class Target:
    """A performance target from the issues and what this run measured against it."""

    issue: str
    target: str
    measured: str
    met: bool | None  # None: could not be measured in this run

    def row(self) -> list[str]:
        verdict = {True: "met", False: "**not met**", None: "not measured"}[self.met]
        return [self.issue, self.target, self.measured, verdict]


# -- memory in a subprocess ------------------------------------------------------------------
@dataclass
class MemResult:
    """Peak RSS growth of one call in a fresh interpreter."""

    peak_mib: float | None
    seconds: float | None
    work: Work | None
    error: str | None = None
    not_available: bool = False
    heap_mib: float | None = None

    def describe(self) -> str:
        """``12.3 MiB``, or ``0.1 MiB (heap 0.42 MiB)`` when RSS is too coarse."""
        if self.peak_mib is None:
            return "—"
        if self.heap_mib is not None:
            return f"{self.peak_mib:.1f} MiB (heap {self.heap_mib:.2f} MiB)"
        return f"{self.peak_mib:.1f} MiB"

    def as_json(self) -> dict[str, Any]:
        return {
            "peak_rss_growth_mib": self.peak_mib,
            "tracemalloc_peak_mib": self.heap_mib,
            "seconds": self.seconds,
            "work": self.work,
            "error": self.error,
            "not_available": self.not_available,
        }


def measure_memory(
    target: str,
    args: list[Any],
    *,
    warm_args: list[Any] | None = None,
    timeout: float = 600,
) -> MemResult:
    """Run ``target`` (``"module:function"``) with ``args`` in a new interpreter and report
    the peak RSS growth during the call. ``warm_args``: an untimed call first (loads lazy
    imports and caches so they are not counted)."""
    job = json.dumps({"target": target, "args": args, "warm_args": warm_args})
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.memrun", job],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return MemResult(None, None, None, f"timed out after {timeout:.0f} s")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return MemResult(None, None, None, f"subprocess exit {proc.returncode}: {tail[:160]}")
    res = json.loads(lines[-1])
    return MemResult(
        res.get("peak_mib"),
        res.get("seconds"),
        res.get("work"),
        res.get("error"),
        bool(res.get("not_available")),
        res.get("heap_peak_mib"),
    )
