"""Case 5 — memory: write a message with one big attachment (1 GiB; quick: 64 MiB) and read
it back whole (attachment data streamed), in a fresh interpreter; peak RSS growth.

aspose-email-foss is the only peer that writes messages; it holds the whole file in memory
(measured ~10x the attachment size), so it runs at the same size only up to 256 MiB. Same
work: the read-back reports one attachment of exactly the size written."""

from __future__ import annotations

from ..harness import OURS
from ..harness import CaseResult
from ..harness import MemResult
from ..harness import Table
from ..harness import Target
from ..harness import fmt_bytes
from ..harness import fmt_mib
from ..harness import fmt_time
from ..harness import measure_memory
from ..inputs import scratch_dir
from .common import Context

NAME = "big_memory"
TITLE = "5. Memory: write + read back a message with one big attachment"
MIB = 1 << 20
PEER = "aspose MapiMessage"
PEER_CAP = 256 * MIB
TARGET_MIB = 64


def _check(r: MemResult, size: int) -> str | None:
    if r.error or r.work is None:
        return None
    if r.work.get("attachments") != 1 or r.work.get("attachment_bytes") != size:
        n, b = r.work.get("attachments"), r.work.get("attachment_bytes")
        return f"read back {n} attachment(s), {b} bytes"
    return None


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    sizes = [64 * MIB] if ctx.quick else [PEER_CAP, 1024 * MIB]
    d = scratch_dir("big")
    table = Table(
        TITLE,
        [
            "attachment",
            "who",
            "peak RSS growth",
            "x attachment size",
            "time",
            "peer/ours (memory)",
            "check",
        ],
    )
    raw: dict[str, dict[str, object]] = {}
    for size in sizes:
        runs: dict[str, MemResult] = {}
        targets = {OURS: "benchmarks.sides.ours:roundtrip_big"}
        if size <= PEER_CAP:
            targets[PEER] = "benchmarks.sides.aspose_side:roundtrip_big"
        for who, target in targets.items():
            out = d / f"{'ours' if who == OURS else 'peer'}-{size}.msg"
            warm = [str(d / "warm.msg"), 1024]
            runs[who] = measure_memory(target, [str(out), size], warm_args=warm, timeout=900)
            out.unlink(missing_ok=True)
            ctx.log(f"{fmt_bytes(size)} {who}: {runs[who]}")
        o = runs[OURS]
        for who, r in runs.items():
            bad = _check(r, size)
            if r.not_available:
                cells = ["not available", "—", "—"]
            elif r.error:
                cells = [f"failed: {r.error[:80]}", "—", "—"]
            else:
                cells = [
                    fmt_mib(r.peak_mib),
                    f"{(r.peak_mib or 0) * MIB / size:.2f}",
                    fmt_time(r.seconds or 0),
                ]
            ratio = "—"
            if (
                who != OURS
                and not bad
                and o.peak_mib
                and r.peak_mib
                and not o.error
                and not r.error
            ):
                ours_bad = _check(o, size)
                ratio = "different work" if ours_bad else f"{r.peak_mib / o.peak_mib:.1f}x"
            table.rows.append(
                [fmt_bytes(size), who, *cells, ratio, bad or ("ok" if not r.error else "—")]
            )
        if PEER not in runs:
            table.rows.append(
                [
                    fmt_bytes(size),
                    PEER,
                    "skipped",
                    "—",
                    "—",
                    "—",
                    f"above {fmt_bytes(PEER_CAP)}: it builds the whole file in memory",
                ]
            )
        raw[str(size)] = {k: v.as_json() for k, v in runs.items()}
        if size == sizes[-1]:
            ok = not o.error and o.peak_mib is not None and not _check(o, size)
            res.targets.append(
                Target(
                    "3 (OLE)",
                    f"write + read back {fmt_bytes(size)}: peak RSS growth < {TARGET_MIB} MiB"
                    + (" (quick: 64 MiB, full run: 1 GiB)" if ctx.quick else ""),
                    fmt_mib(o.peak_mib) if ok else (o.error or _check(o, size) or "—"),
                    (o.peak_mib or 0) < TARGET_MIB if ok else None,
                )
            )
    table.notes.append(
        f"target (issue 3): ours under {TARGET_MIB} MiB growth for 1 GiB; one fresh interpreter "
        "per row, after a 1 KiB warm-up round trip; files on local disk"
    )
    res.tables.append(table)
    res.data["runs"] = raw
    return res
