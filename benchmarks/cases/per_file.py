"""Case 8 — the per-file read as users write it: a new ``with Session()`` per file (the
README's pattern) and ``imsg_core.open()`` per file, against the suite's one shared session,
extract-msg ``openMsg`` and aspose ``MapiMessage``. Workload: open, subject, body, every
attachment's data or embedded message's subject. Over every corpus message (a full run;
the quick run takes three files) and on ``complete.msg``. Same work: counts of attachments,
embedded messages and attachment bytes. The per-file figures include creating and closing
the session, so they show what discovering the plugins once per process buys."""

from __future__ import annotations

from ..harness import OURS
from ..harness import CaseResult
from ..harness import Table
from ..inputs import COMPLETE
from ..inputs import CORPUS_ABSENT
from ..inputs import MANY_RECIPIENTS
from ..inputs import SMALL
from ..inputs import corpus_file
from ..inputs import message_files
from ..inputs import rel
from ..sides import aspose_side
from ..sides import extractmsg_side
from ..sides import ours
from ..sides.workload import USER_READ_KEYS
from .common import RATIO_HEADERS
from .common import RATIO_NOTE
from .common import Comparison
from .common import Context
from .common import corpus_ratio
from .common import file_ratio
from .common import problem_tables
from .common import ratio_rows
from .common import ratio_target
from .common import run_inputs
from .common import total_row

NAME = "per_file"
TITLE = "8. Per-file read as users write it (open, subject, body, attachments)"
SHARED = "ours, one shared session"
SESSION = "ours, with Session() per file"
OPEN = "ours, imsg_core.open() per file"
PEERS = ("extract-msg", "aspose MapiMessage")
CONTENDERS = {
    SESSION: ours.user_read_session,
    OPEN: ours.user_read_open,
    SHARED: ours.user_read_shared,
    "extract-msg": extractmsg_side.user_read,
    "aspose MapiMessage": aspose_side.user_read,
}
# per file within 1.2x of the shared session: shared time / per-file time >= 1 / 1.2
WITHIN = 1 / 1.2


def as_ours(comp: Comparison, name: str) -> Comparison:
    """``comp`` with contender ``name`` in the place of ours (the helpers compare every
    peer with ``OURS``)."""
    out = Comparison(keys=comp.keys)
    for label, by_name in comp.series.items():
        if name in by_name:
            out.series[label] = {
                OURS: by_name[name],
                **{n: s for n, s in by_name.items() if n != name},
            }
    return out


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    complete = corpus_file(COMPLETE)
    files = message_files()
    if complete is None or not files:
        res.skipped = CORPUS_ABSENT
        return res
    if ctx.quick:
        files = [p for r in (SMALL, MANY_RECIPIENTS) if (p := corpus_file(r))]
    corpus = run_inputs(
        ctx,
        inputs=[(rel(p), p) for p in files],
        contenders=CONTENDERS,
        keys=USER_READ_KEYS,
        reps=ctx.reps if ctx.quick else max(2, ctx.reps - 2),
    )
    single = run_inputs(
        ctx, inputs=[(COMPLETE, complete)], contenders=CONTENDERS, keys=USER_READ_KEYS
    )
    res.data["corpus"] = corpus.as_json()
    res.data["complete"] = single.as_json()
    what = "quick subset" if ctx.quick else "corpus"
    table = Table(TITLE, ["pattern", *RATIO_HEADERS])
    for mine in (SESSION, OPEN):
        c, s = as_ours(corpus, mine), as_ours(single, mine)
        if c.ours_unavailable():
            table.notes.append(f"{mine}: not available — {c.ours_unavailable()}")
            continue
        for peer in (*PEERS, SHARED):
            row = total_row(c, peer, f"{what} pass, files both read alike")
            if row:
                table.rows.append([mine, *row])
        table.rows.extend([mine, *r] for r in ratio_rows(s, [COMPLETE], (*PEERS, SHARED)))
        problems = problem_tables(c, f"Per-file read ({mine})")
        problems += problem_tables(s, f"Per-file read of complete.msg ({mine})")
        res.tables.extend(problems)
        if ctx.quick:
            continue
        for peer, at_least in (("extract-msg", 8.0), ("aspose MapiMessage", 1.8)):
            res.targets.append(
                ratio_target(
                    "14 (speed as written)",
                    f"full read, corpus, {mine}: >= {at_least:g}x {peer}",
                    corpus_ratio(c, peer),
                    at_least,
                )
            )
        res.targets.append(
            ratio_target(
                "14 (speed as written)",
                f"full read, corpus, {mine}: within 1.2x of one shared session "
                f"(shared/per-file >= {WITHIN:.2f})",
                corpus_ratio(c, SHARED),
                WITHIN,
            )
        )
        res.targets.append(
            ratio_target(
                "14 (speed as written)",
                f"full read of complete.msg, {mine}: within 1.2x of one shared session",
                file_ratio(s, COMPLETE, SHARED),
                WITHIN,
            )
        )
    table.notes.append(
        f"{len(files)} message files{' (quick subset)' if ctx.quick else ''}, then "
        f"complete.msg alone; {ctx.reps if ctx.quick else max(2, ctx.reps - 2)} timed "
        "repetitions (complete.msg: "
        f"{ctx.reps}) after 1 warm-up, interleaved per file"
    )
    table.notes.append(RATIO_NOTE)
    table.notes.append(
        f"against '{SHARED}' the ratio is shared time / per-file time: the per-file pattern "
        "is within 1.2x of it at >= 0.83x"
    )
    table.notes.append(
        "every side: open, subject, body, then each attachment's data (bytes) or its "
        "embedded message's subject; ours per file includes creating and closing the session"
    )
    res.tables.insert(0, table)
    return res
