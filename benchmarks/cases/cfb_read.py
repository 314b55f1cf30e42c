"""Case 1 — CFB: read every stream of every compound file (ours vs olefile vs
aspose-email-foss ``CFBReader``). Same work: stream count and total bytes per file."""

from __future__ import annotations

from ..harness import OURS
from ..harness import CaseResult
from ..harness import MemResult
from ..harness import Table
from ..harness import measure_memory
from ..inputs import COMPLETE
from ..inputs import CORPUS_ABSENT
from ..inputs import LARGE_V3
from ..inputs import MANY_ATTACHMENTS
from ..inputs import MANY_RECIPIENTS
from ..inputs import SMALL
from ..inputs import compound_files
from ..inputs import corpus_file
from ..inputs import rel
from ..sides import aspose_side
from ..sides import olefile_side
from ..sides import ours
from .common import RATIO_HEADERS
from .common import RATIO_NOTE
from .common import Context
from .common import corpus_ratio
from .common import memory_table
from .common import peer_only_row
from .common import problem_tables
from .common import ratio_rows
from .common import ratio_target
from .common import run_inputs
from .common import total_row

NAME = "cfb_read"
TITLE = "1. CFB: read every stream of every compound file"
PEERS = ("olefile", "aspose CFBReader")
KEYS = ("streams", "bytes")
HIGHLIGHT = (COMPLETE, LARGE_V3, MANY_RECIPIENTS, MANY_ATTACHMENTS)


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    files = compound_files()
    if not files:
        res.skipped = CORPUS_ABSENT
        return res
    if ctx.quick:
        files = [p for r in (SMALL, MANY_RECIPIENTS, MANY_ATTACHMENTS) if (p := corpus_file(r))]
    contenders = {
        OURS: lambda p: ours.cfb_read_all(str(p)),
        "olefile": lambda p: olefile_side.cfb_read_all(str(p)),
        "aspose CFBReader": lambda p: aspose_side.cfb_read_all(str(p)),
    }
    comp = run_inputs(ctx, inputs=[(rel(p), p) for p in files], contenders=contenders, keys=KEYS)
    res.data["series"] = comp.as_json()

    table = Table(TITLE, RATIO_HEADERS)
    unavailable = comp.ours_unavailable()
    for peer in PEERS:
        row = (
            peer_only_row(comp, peer, "corpus pass")
            if unavailable
            else total_row(comp, peer, "corpus pass, files both read alike")
        )
        if row:
            table.rows.append(row)
    shown = [h for h in HIGHLIGHT if h in comp.series]
    table.rows.extend(ratio_rows(comp, shown, PEERS))
    table.notes.append(
        f"{len(files)} compound files (every corpus file with the CFB signature"
        + (", quick subset" if ctx.quick else "")
        + f"); {ctx.reps} timed repetitions after 1 warm-up, contenders interleaved per file"
    )
    table.notes.append(RATIO_NOTE)
    if unavailable:
        table.notes.append(f"ours: not available — {unavailable}")
    res.tables.append(table)
    res.tables.extend(problem_tables(comp, "CFB read"))
    scope = "quick subset" if ctx.quick else "corpus"
    res.targets += [
        ratio_target(
            "3 (OLE)",
            f"read every stream, {scope}: >= 3x olefile",
            corpus_ratio(comp, "olefile"),
            3,
        ),
        ratio_target(
            "3 (OLE)",
            f"read every stream, {scope}: faster than aspose CFBReader",
            corpus_ratio(comp, PEERS[1]),
            1,
        ),
    ]

    if ctx.memory:
        mem: dict[str, dict[str, MemResult]] = {}
        small = corpus_file(SMALL)
        warm = [str(small)] if small else None
        for r in (COMPLETE,) if ctx.quick else (COMPLETE, MANY_RECIPIENTS):
            p = corpus_file(r)
            if p is None:
                continue
            mem[r] = {
                name: measure_memory(
                    f"benchmarks.sides.{mod}:cfb_read_all", [str(p)], warm_args=warm
                )
                for name, mod in (
                    (OURS, "ours"),
                    ("olefile", "olefile_side"),
                    (PEERS[1], "aspose_side"),
                )
            }
        if mem:
            res.tables.append(memory_table("CFB read: peak memory", mem))
            res.data["memory"] = {k: {n: m.as_json() for n, m in v.items()} for k, v in mem.items()}
    return res
