"""Helpers shared by the cases: per-input interleaved runs, comparisons, standard tables."""

from __future__ import annotations

import gc
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ..harness import OURS
from ..harness import MemResult
from ..harness import Ratio
from ..harness import Series
from ..harness import Table
from ..harness import Target
from ..harness import Work
from ..harness import fmt_ratio
from ..harness import fmt_series
from ..harness import fmt_time
from ..harness import interleave
from ..harness import paired_ratio
from ..harness import same_work
from ..harness import sum_ratio


@dataclass
class Context:
    """Run settings shared by every case."""

    quick: bool = False
    reps: int = 5
    memory: bool = True
    verbose: bool = False

    def log(self, msg: str) -> None:
        if self.verbose:
            print(f"  .. {msg}", flush=True)


@dataclass
class Comparison:
    """Outcome of running contenders over a set of inputs (keyed by a label)."""

    series: dict[str, dict[str, Series]] = field(default_factory=dict)  # label -> name -> series
    keys: tuple[str, ...] = ()

    def names(self) -> list[str]:
        seen: list[str] = []
        for by_name in self.series.values():
            for n in by_name:
                if n not in seen:
                    seen.append(n)
        return seen

    def agree(self, peer: str) -> list[str]:
        """Labels where ours and ``peer`` both ran and did the same work."""
        out = []
        for label, by_name in self.series.items():
            o, p = by_name.get(OURS), by_name.get(peer)
            if o and p and o.ok and p.ok and not same_work(o.work, p.work, self.keys):
                out.append(label)
        return out

    def failures(self) -> list[tuple[str, str, str]]:
        """``(label, contender, error)`` for every failed run (not 'not available')."""
        return [
            (label, n, s.error or "")
            for label, by_name in self.series.items()
            for n, s in by_name.items()
            if s.error is not None and not s.not_available
        ]

    def mismatches(self) -> list[tuple[str, str, str]]:
        """``(label, peer, differences)`` where both ran but did different work."""
        out = []
        for label, by_name in self.series.items():
            o = by_name.get(OURS)
            if not (o and o.ok):
                continue
            for n, s in by_name.items():
                if n == OURS or not s.ok:
                    continue
                diffs = same_work(o.work, s.work, self.keys)
                if diffs:
                    out.append((label, n, "; ".join(diffs)))
        return out

    def ours_unavailable(self) -> str | None:
        for by_name in self.series.values():
            o = by_name.get(OURS)
            if o is not None and o.not_available:
                return o.error
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            label: {n: s.as_json() for n, s in by_name.items()}
            for label, by_name in self.series.items()
        }


def run_inputs(
    ctx: Context,
    *,
    inputs: Sequence[tuple[str, Any]],
    contenders: Mapping[str, Callable[[Any], Work]],
    keys: tuple[str, ...],
    reps: int | None = None,
    budget_s: float | None = None,
) -> Comparison:
    """Run every contender on every input, interleaved per input."""
    comp = Comparison(keys=keys)
    for label, arg in inputs:
        calls = {n: (lambda f=f, a=arg: f(a)) for n, f in contenders.items()}
        gc.collect()
        comp.series[label] = interleave(calls, reps or ctx.reps, budget_s=budget_s, collect=False)
        shown = ", ".join(f"{n} {fmt_series(s)}" for n, s in comp.series[label].items())
        ctx.log(f"{label}: {shown}")
    return comp


def ratio_rows(comp: Comparison, labels: Sequence[str], peers: Sequence[str]) -> list[list[str]]:
    """Rows ``input | peer | ours | peer time | peer/ours`` for single inputs; inputs where
    the pair failed or disagreed show why instead of a ratio."""
    rows = []
    for label in labels:
        by_name = comp.series[label]
        o = by_name.get(OURS)
        for peer in peers:
            p = by_name.get(peer)
            if p is None:
                continue
            if o is None or not o.ok:
                verdict = "—"
            elif not p.ok:
                verdict = "peer failed (see below)"
            elif same_work(o.work, p.work, comp.keys):
                verdict = "different work (see below)"
            else:
                verdict = fmt_ratio(paired_ratio(p, o))
            rows.append([label, peer, fmt_series(o), fmt_series(p), verdict])
    return rows


def total_row(comp: Comparison, peer: str, title: str) -> list[str] | None:
    """One row summing every input where ours and ``peer`` agreed (per-repetition totals,
    paired)."""
    labels = comp.agree(peer)
    if not labels:
        return None
    o = [comp.series[label][OURS].times for label in labels]
    p = [comp.series[label][peer].times for label in labels]
    n = min(len(t) for t in o + p)
    ot = [sum(t[i] for t in o) for i in range(n)]
    pt = [sum(t[i] for t in p) for i in range(n)]
    return [
        f"{title} ({len(labels)} files)",
        peer,
        _span(ot),
        _span(pt),
        fmt_ratio(sum_ratio(p, o)),
    ]


def corpus_ratio(comp: Comparison, peer: str) -> Ratio | None:
    """Paired ratio of per-repetition totals over every input where ours and ``peer``
    agreed."""
    labels = comp.agree(peer)
    if not labels:
        return None
    return sum_ratio(
        [comp.series[label][peer].times for label in labels],
        [comp.series[label][OURS].times for label in labels],
    )


def file_ratio(comp: Comparison, label: str, peer: str) -> Ratio | None:
    """Paired ratio on one input, or ``None`` when the pair failed or disagreed."""
    if label not in comp.agree(peer):
        return None
    return paired_ratio(comp.series[label][peer], comp.series[label][OURS])


def ratio_target(issue: str, target: str, r: Ratio | None, at_least: float) -> Target:
    """A ``peer/ours >= at_least`` target (``>`` when ``at_least`` is 1)."""
    if r is None:
        return Target(issue, target, "—", None)
    met = r.median > at_least if at_least == 1 else r.median >= at_least
    return Target(issue, target, fmt_ratio(r), met)


def peer_only_row(comp: Comparison, peer: str, title: str) -> list[str] | None:
    """When ours is not available: the peer's total over the inputs it read."""
    labels = [lb for lb, by in comp.series.items() if by.get(peer) and by[peer].ok]
    if not labels:
        return None
    p = [comp.series[label][peer].times for label in labels]
    n = min(len(t) for t in p)
    pt = [sum(t[i] for t in p) for i in range(n)]
    return [f"{title} ({len(labels)} files)", peer, "not available", _span(pt), "—"]


def _span(totals: list[float]) -> str:
    import statistics

    if len(totals) == 1:
        return fmt_time(totals[0])
    lo, hi = fmt_time(min(totals)), fmt_time(max(totals))
    return f"{fmt_time(statistics.median(totals))} [{lo}-{hi}]"


RATIO_HEADERS = ["input", "peer", "ours", "peer time", "peer/ours (x faster)"]
RATIO_NOTE = "ratio = peer time / our time, paired per repetition; > 1 means ours is faster"


def problem_tables(comp: Comparison, title: str) -> list[Table]:
    """Failures and work mismatches, reported apart from the ratios."""
    tables = []
    fails = comp.failures()
    if fails:
        tables.append(
            Table(
                f"{title}: failures (excluded from ratios)",
                ["input", "who", "error"],
                [[a, b, c] for a, b, c in fails],
            )
        )
    mism = comp.mismatches()
    if mism:
        tables.append(
            Table(
                f"{title}: different work (excluded from ratios)",
                ["input", "peer", "counts that differ"],
                [[a, b, c] for a, b, c in mism],
            )
        )
    return tables


def memory_table(title: str, results: Mapping[str, Mapping[str, MemResult]]) -> Table:
    """Rows per input; one column per contender with its peak RSS growth."""
    names: list[str] = []
    for by in results.values():
        for n in by:
            if n not in names:
                names.append(n)
    rows = []
    for label, by in results.items():
        row = [label]
        for n in names:
            r = by.get(n)
            if r is None:
                row.append("—")
            elif r.not_available:
                row.append("not available")
            elif r.error:
                row.append(f"failed ({r.error[:60]})")
            else:
                row.append(r.describe())
        rows.append(row)
    return Table(
        title,
        ["input", *names],
        rows,
        [
            "peak RSS growth over the baseline, one fresh interpreter per cell "
            "(psutil, 2 ms sampling + ru_maxrss); under 4 MiB also the tracemalloc peak of "
            "Python allocations (heap) from a second call"
        ],
    )
