"""``python -m benchmarks [--quick] [--cases a,b] [--reps N] [--no-memory] [--out FILE]``.

Prints one markdown section per case and writes every raw figure as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from .cases import CASES
from .cases.common import Context
from .harness import CaseResult
from .harness import Table

DISTS = ("imsg-core", "olefile", "extract-msg", "aspose-email-foss", "moto", "s3fs", "fsspec")


def machine() -> dict[str, Any]:
    """The machine the figures were measured on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram = psutil.virtual_memory().total
    except ImportError:
        ram = None
    versions: dict[str, str] = {}
    from importlib import metadata

    for dist in DISTS:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "ram_gib": round(ram / (1 << 30), 1) if ram else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def render(results: list[CaseResult], info: dict[str, Any], quick: bool) -> str:
    """The markdown report."""
    out = [
        f"### imsg-core benchmarks ({'quick' if quick else 'full'} run)",
        "",
        f"{info['date_utc']} · {info['cpu']} · {info['nproc']} CPUs · {info['ram_gib']} GiB RAM · "
        f"Python {info['python']}",
        "",
        ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "",
    ]
    out.append(targets_table(results).markdown())
    for r in results:
        if r.skipped:
            out.append(f"#### {r.case}: skipped — {r.skipped}\n")
            continue
        out.extend(t.markdown() for t in r.tables)
    return "\n".join(out)


def targets_table(results: list[CaseResult]) -> Table:
    """The issues' performance targets against this run."""
    rows = [t.row() for r in results for t in r.targets]
    return Table("Targets from the issues", ["issue", "target", "measured", "verdict"], rows)


DOC_HEAD = """# Performance

Measured by the benchmark suite in `benchmarks/` (issue 7). Every figure is a **ratio measured
in the same run**: ours and the peer run interleaved (rotating order, one warm-up round, then
several timed repetitions), the ratio is *peer time / our time* paired per repetition, shown as
median [min-max]; absolute times are shown for orientation and never asserted. Before a ratio is
reported the case checks that both sides did the same work (same counts of streams and bytes,
or of properties, recipients, attachments, embedded messages and attachment bytes); an input a
peer fails on, or reads differently, is listed separately and left out of the ratio. Peak memory
is the RSS growth of the operation alone in a fresh interpreter (psutil sampling every 2 ms,
cross-checked with `ru_maxrss`), after a warm-up call on a tiny input. Remote requests are
counted server-side on a moto S3 server bound to 127.0.0.1.

Peers (dependency group `bench`): olefile, extract-msg (GPL-3.0: imported by the benchmarks and
tests only, never by the library), aspose-email-foss. Inputs: the shared corpus
(`../shared/corpus`, skipped with a message when absent) and files the suite generates
deterministically.

Run it:

```console
python -m benchmarks                     # full run (about 3-6 minutes on 2 shared cores)
python -m benchmarks --quick             # CI smoke run, small inputs (about 1.5 minutes)
python -m benchmarks --cases cfb_read,remote --reps 7 --out results.json
python -m benchmarks --doc docs/performance.md   # regenerate this page
tox -e bench -- --quick
```

Cases: `cfb_read` (1), `msg_read` (2), `open_subject` (3), `remote` (4), `big_memory` (5),
`write_many` (6), `scaling` (7).

"""


def render_doc(results: list[CaseResult], info: dict[str, Any], quick: bool) -> str:
    """docs/performance.md: method, machine, targets, every table (heading levels nest)."""
    out = [DOC_HEAD, "## Latest results", ""]
    out.append(
        f"{'Quick' if quick else 'Full'} run of {info['date_utc']} on {info['cpu']}, "
        f"{info['nproc']} CPUs (`nproc`), {info['ram_gib']} GiB RAM, Python {info['python']}, "
        f"{info['platform']}; shared machine (other jobs were running), so absolute times are "
        "noisy — compare within a row."
    )
    out.append("")
    out.append("Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()) + ".")
    out.append("")
    out.append(targets_table(results).markdown().replace("#### ", "### ", 1))
    for r in results:
        if r.skipped:
            out.append(f"### {r.case}: skipped\n\n{r.skipped}\n")
            continue
        out.extend(t.markdown().replace("#### ", "### ", 1) for t in r.tables)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small inputs, fewer reps (CI smoke run)")
    ap.add_argument("--cases", default="", help=f"comma-separated subset of: {', '.join(CASES)}")
    ap.add_argument("--reps", type=int, default=None, help="timed repetitions (default 5; quick 3)")
    ap.add_argument("--no-memory", action="store_true", help="skip subprocess memory runs")
    ap.add_argument("--out", type=Path, default=None, help="write JSON results here")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the markdown here")
    ap.add_argument("--doc", type=Path, default=None, help="write docs/performance.md here")
    ap.add_argument("-v", "--verbose", action="store_true", help="progress on stderr-ish stdout")
    args = ap.parse_args(argv)

    selected = [c.strip() for c in args.cases.split(",") if c.strip()] or list(CASES)
    unknown = [c for c in selected if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    ctx = Context(
        quick=args.quick,
        reps=args.reps or (3 if args.quick else 5),
        memory=not args.no_memory,
        verbose=args.verbose,
    )
    info = machine()
    # Everything imported so far lives as long as the run: keep it out of the collector's
    # way so a collection during a timed call costs what the call itself allocated.
    gc.collect()
    gc.freeze()
    results: list[CaseResult] = []
    timings: dict[str, float] = {}
    for name in selected:
        t0 = time.perf_counter()
        if ctx.verbose:
            print(f"== {name}", flush=True)
        try:
            res = CASES[name](ctx)
        except Exception as exc:  # a broken case must not hide the others
            res = CaseResult(name)
            res.tables.append(
                Table(f"{name}: the case failed", ["error"], [[f"{type(exc).__name__}: {exc}"]])
            )
            res.data["error"] = traceback.format_exc()
        timings[name] = time.perf_counter() - t0
        results.append(res)
    report = render(results, info, ctx.quick)
    print(report)
    per_case = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    print(f"(suite wall time: {sum(timings.values()):.1f} s: {per_case})")
    if args.markdown:
        args.markdown.write_text(report)
    if args.doc:
        args.doc.write_text(render_doc(results, info, ctx.quick))
    if args.out:
        payload = {
            "machine": info,
            "quick": ctx.quick,
            "reps": ctx.reps,
            "wall_s": timings,
            "cases": {
                r.case: {
                    "skipped": r.skipped,
                    "tables": [t.markdown() for t in r.tables],
                    "targets": [vars(t) for t in r.targets],
                    "data": r.data,
                }
                for r in results
            },
        }
        args.out.write_text(json.dumps(payload, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
