"""Case 3 — open + subject only, per file (the lazy-open cost) — ours vs extract-msg
(``openMsg`` default, and with ``delayAttachments=True``) and aspose ``MapiMessage``.
Same work: a subject was read (or the file has none) on both sides."""

from __future__ import annotations

from ..harness import OURS
from ..harness import CaseResult
from ..harness import Table
from ..inputs import COMPLETE
from ..inputs import CORPUS_ABSENT
from ..inputs import LARGE_V3
from ..inputs import MANY_ATTACHMENTS
from ..inputs import MANY_RECIPIENTS
from ..inputs import message_inputs
from ..inputs import rel
from ..sides import aspose_side
from ..sides import extractmsg_side
from ..sides import ours
from .common import RATIO_HEADERS
from .common import RATIO_NOTE
from .common import Context
from .common import peer_only_row
from .common import problem_tables
from .common import ratio_rows
from .common import run_inputs
from .common import total_row

NAME = "open_subject"
TITLE = "3. Open + subject only, per file"
PEERS = ("extract-msg", "extract-msg delayAttachments", "aspose MapiMessage")
KEYS = ("subject",)
HIGHLIGHT = (COMPLETE, LARGE_V3, MANY_RECIPIENTS, MANY_ATTACHMENTS)


def _subject(fn):  # type: ignore[no-untyped-def]
    def run(p):  # type: ignore[no-untyped-def]
        w = fn(str(p))
        return {"subject": int(w["subject_chars"] > 0), **w}

    return run


CONTENDERS = {
    OURS: _subject(ours.open_subject),
    "extract-msg": _subject(extractmsg_side.open_subject),
    "extract-msg delayAttachments": _subject(extractmsg_side.open_subject_delayed),
    "aspose MapiMessage": _subject(aspose_side.open_subject),
}


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    files = message_inputs(ctx.quick)
    if not files:
        res.skipped = CORPUS_ABSENT
        return res
    comp = run_inputs(ctx, inputs=[(rel(p), p) for p in files], contenders=CONTENDERS, keys=KEYS)
    res.data["series"] = comp.as_json()
    table = Table(TITLE, RATIO_HEADERS)
    unavailable = comp.ours_unavailable()
    for peer in PEERS:
        row = (
            peer_only_row(comp, peer, "corpus pass")
            if unavailable
            else total_row(comp, peer, "corpus pass, files both read")
        )
        if row:
            table.rows.append(row)
    table.rows.extend(ratio_rows(comp, [h for h in HIGHLIGHT if h in comp.series], PEERS))
    # Subjects that differ in text are a correctness matter for the message tests; counted
    # here for information only.
    differ = 0
    for by_name in comp.series.values():
        o = by_name.get(OURS)
        if o is None or not o.ok or o.work is None:
            continue
        for n, s in by_name.items():
            if n != OURS and s.ok and s.work and s.work["subject_chars"] != o.work["subject_chars"]:
                differ += 1
    table.notes.append(
        f"{len(files)} message files{' (quick subset)' if ctx.quick else ''}; "
        f"{ctx.reps} timed repetitions after 1 warm-up, interleaved per file"
    )
    table.notes.append(RATIO_NOTE)
    if not unavailable:
        table.notes.append(
            f"(file, peer) pairs whose subject length differs from ours: {differ} "
            "(encoding/terminator differences; not a timing matter)"
        )
    else:
        table.notes.append(f"ours: not available — {unavailable}")
    res.tables.append(table)
    res.tables.extend(problem_tables(comp, "Open + subject"))
    return res
