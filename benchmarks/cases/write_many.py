"""Case 6 — writing 1,000 messages (HTML + plain body, 3 recipients, 2 attachments of
10 KB) to files — ours vs aspose-email-foss. Quick: 100 messages.

Same work: every written file is re-read with olefile (an independent reader) and the
recipient storages, attachment storages and attachment bytes are counted on both sides."""

from __future__ import annotations

import contextlib
import shutil

from ..harness import (
    OURS,
    CaseResult,
    MemResult,
    Table,
    fmt_ratio,
    fmt_series,
    interleave,
    measure_memory,
    paired_ratio,
    same_work,
)
from ..inputs import scratch_dir
from ..sides import aspose_side, olefile_side, ours
from ..sides.workload import THOUSAND
from .common import Context, memory_table, ratio_target

NAME = "write_many"
TITLE = "6. Writing many messages to files"
PEER = "aspose MapiMessage"
KEYS = ("messages", "recipients", "attachments", "attachment_bytes")


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    count = 100 if ctx.quick else 1000
    base = scratch_dir("write_many")
    dirs = {OURS: base / "ours", PEER: base / "peer"}

    def fresh(who: str) -> str:
        shutil.rmtree(dirs[who], ignore_errors=True)
        dirs[who].mkdir(parents=True)
        return str(dirs[who])

    calls = {
        OURS: lambda: ours.write_many(fresh(OURS), THOUSAND, count),
        PEER: lambda: aspose_side.write_many(fresh(PEER), THOUSAND, count),
    }
    for who, fn in ((OURS, ours.write_many), (PEER, aspose_side.write_many)):
        with contextlib.suppress(Exception):  # untimed warm-up; failures show in the timed run
            fn(fresh(who), THOUSAND, 10)
    series = interleave(calls, max(2, ctx.reps - 3), warmup=0)
    checks = {}
    for who, d in dirs.items():
        files = sorted(str(p) for p in d.glob("*.msg"))
        if series[who].ok:
            try:
                checks[who] = olefile_side.count_written(files)
            except Exception as exc:
                checks[who] = {"error": str(exc)}  # type: ignore[dict-item]
    expected = {
        "messages": count,
        "recipients": 3 * count,
        "attachments": 2 * count,
        "attachment_bytes": THOUSAND.attachment_bytes * count,
    }
    table = Table(
        TITLE, ["messages", "who", "time", "per message", "peer/ours (x faster)", "olefile re-read"]
    )
    o = series[OURS]
    for who, s in series.items():
        chk = checks.get(who)
        verdict = (
            "—"
            if chk is None
            else ("as written" if not same_work(expected, chk, KEYS) else f"{chk}")
        )
        ratio = "—"
        if who != OURS:
            if not (o.ok and s.ok):
                ratio = "—"
            elif same_work(expected, checks.get(OURS), KEYS) or same_work(expected, chk, KEYS):
                ratio = "different work"
            else:
                r = paired_ratio(s, o)
                ratio = fmt_ratio(r)
                res.targets.append(
                    ratio_target("4 (message)", f"create {count} messages: >= 3x aspose", r, 3)
                )
        per = fmt_series(s).replace(" (1 run)", "")
        if s.ok:
            per = f"{s.median / count * 1e3:.2f} ms"
        table.rows.append([str(count), who, fmt_series(s), per, ratio, verdict])
        if s.error:
            table.notes.append(f"{who}: {s.error}")
    table.notes.append(
        "ours commits every file atomically (written aside, fsync, rename); aspose writes the "
        "file in place without fsync"
    )
    table.notes.append(
        f"{max(2, ctx.reps - 3)} timed repetitions after a 10-message warm-up, interleaved; "
        f"each writes {count} files into an emptied directory"
    )
    res.tables.append(table)
    res.data["series"] = {k: v.as_json() for k, v in series.items()}
    res.data["olefile_check"] = checks
    if ctx.memory:
        n = min(count, 200)
        mem: dict[str, dict[str, MemResult]] = {f"{n} messages": {}}
        for who, mod in ((OURS, "ours"), (PEER, "aspose_side")):
            mem[f"{n} messages"][who] = measure_memory(
                f"benchmarks.sides.{mod}:write_many_default",
                [fresh(who), n],
                warm_args=[fresh(who), 1],
            )
        res.tables.append(memory_table("Writing messages: peak memory", mem))
        res.data["memory"] = {k: {w: m.as_json() for w, m in v.items()} for k, v in mem.items()}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
    return res
