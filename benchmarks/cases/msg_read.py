"""Case 2 — message full read: every property of the message, its recipients, its
attachments with their data and embedded messages, recursively — ours vs extract-msg and
aspose-email-foss ``MapiMessage``. Reported separately on the many-stream files (300
recipients, 200 attachments), on ``complete.msg`` (15.8 MB, nested messages) and, in a full
run, as one pass over every corpus message. Same work: counts of properties, recipients,
attachments, embedded messages and attachment bytes."""

from __future__ import annotations

from ..harness import OURS
from ..harness import CaseResult
from ..harness import MemResult
from ..harness import Table
from ..harness import measure_memory
from ..inputs import COMPLETE
from ..inputs import CORPUS_ABSENT
from ..inputs import MANY_ATTACHMENTS
from ..inputs import MANY_RECIPIENTS
from ..inputs import SMALL
from ..inputs import corpus_file
from ..inputs import message_files
from ..inputs import rel
from ..sides import aspose_side
from ..sides import extractmsg_side
from ..sides import ours
from ..sides.workload import MSG_KEYS
from .common import RATIO_HEADERS
from .common import RATIO_NOTE
from .common import Context
from .common import corpus_ratio
from .common import file_ratio
from .common import memory_table
from .common import peer_only_row
from .common import problem_tables
from .common import ratio_rows
from .common import ratio_target
from .common import run_inputs
from .common import total_row

NAME = "msg_read"
TITLE = "2. Message full read (properties, recipients, attachments with data, embedded)"
PEERS = ("extract-msg", "aspose MapiMessage")
FOCUS = (MANY_RECIPIENTS, MANY_ATTACHMENTS, COMPLETE)
CONTENDERS = {
    OURS: lambda p: ours.msg_full_read(str(p)),
    "extract-msg": lambda p: extractmsg_side.msg_full_read(str(p)),
    "aspose MapiMessage": lambda p: aspose_side.msg_full_read(str(p)),
}
MODULES = ((OURS, "ours"), ("extract-msg", "extractmsg_side"), (PEERS[1], "aspose_side"))


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    focus = [(r, p) for r in FOCUS if (p := corpus_file(r))]
    if not focus:
        res.skipped = CORPUS_ABSENT
        return res
    comp = run_inputs(ctx, inputs=focus, contenders=CONTENDERS, keys=MSG_KEYS)
    res.data["focus"] = comp.as_json()
    table = Table(TITLE, RATIO_HEADERS)
    table.rows.extend(ratio_rows(comp, [r for r, _ in focus], PEERS))
    unavailable = comp.ours_unavailable()

    problems = problem_tables(comp, "Full read")
    if not ctx.quick:
        files = message_files()
        corpus = run_inputs(
            ctx,
            inputs=[(rel(p), p) for p in files],
            contenders=CONTENDERS,
            keys=MSG_KEYS,
            reps=max(2, ctx.reps - 2),
        )
        res.data["corpus"] = corpus.as_json()
        for peer in PEERS:
            row = (
                peer_only_row(corpus, peer, "corpus pass")
                if unavailable
                else total_row(corpus, peer, "corpus pass, files both read alike")
            )
            if row:
                table.rows.insert(0, row)
        problems += problem_tables(corpus, "Full read, corpus pass")
        res.targets += [
            ratio_target(
                "4 (message)",
                "full read, corpus: >= 4x extract-msg",
                corpus_ratio(corpus, "extract-msg"),
                4,
            ),
            ratio_target(
                "4 (message)",
                "full read, corpus: >= 1.5x aspose MapiMessage",
                corpus_ratio(corpus, PEERS[1]),
                1.5,
            ),
        ]
        table.notes.append(
            f"corpus pass: every .msg/.oft compound file ({len(files)}), "
            f"{max(2, ctx.reps - 2)} repetitions"
        )
    table.notes.append(f"single files: {ctx.reps} timed repetitions after 1 warm-up, interleaved")
    table.notes.append(RATIO_NOTE)
    table.notes.append(
        "extract-msg: openMsg() and every property decoded via its accessors; aspose: "
        "MapiMessage.from_file (decodes everything at load); ours: Session.open, get_props of "
        "every tag, attachment data streamed"
    )
    if unavailable:
        table.notes.append(f"ours: not available — {unavailable}")
    res.tables.append(table)
    res.tables.extend(problems)
    res.targets.append(
        ratio_target(
            "4 (message)",
            "full read of g07 (300 recipients): >= 10x extract-msg",
            file_ratio(comp, MANY_RECIPIENTS, "extract-msg"),
            10,
        )
    )

    if ctx.memory:
        small = corpus_file(SMALL)
        warm = [str(small)] if small else None
        mem: dict[str, dict[str, MemResult]] = {}
        for r, p in focus if not ctx.quick else focus[-1:]:
            mem[r] = {
                name: measure_memory(
                    f"benchmarks.sides.{mod}:msg_full_read", [str(p)], warm_args=warm
                )
                for name, mod in MODULES
            }
        res.tables.append(memory_table("Full read: peak memory", mem))
        res.data["memory"] = {k: {n: m.as_json() for n, m in v.items()} for k, v in mem.items()}
    return res
