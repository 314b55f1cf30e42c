"""Case 9 — the command lines as users run them: ``imsg export`` (one JSON record per
message to a JSON Lines file) against extract-msg's own command line
(``python -m extract_msg --json``: one folder per message with a ``message.json``), over the
same corpus files, each a fresh interpreter timed from the outside (start-up, imports and
plugin discovery included). The files are those both tools export without an error in an
untimed first pass (which is also the warm-up of the file cache). Same work: the number of
messages exported."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..harness import OURS
from ..harness import CaseResult
from ..harness import Table
from ..harness import Work
from ..harness import interleave
from ..inputs import CORPUS_ABSENT
from ..inputs import message_inputs
from ..inputs import rel
from ..inputs import scratch_dir
from .common import RATIO_HEADERS
from .common import RATIO_NOTE
from .common import Comparison
from .common import Context
from .common import corpus_ratio
from .common import problem_tables
from .common import ratio_target
from .common import total_row

NAME = "cli_export"
TITLE = "9. Command line: imsg export vs extract-msg's own command line, over the same files"
PEER = "extract-msg CLI"
KEYS = ("messages",)
FIELDS = "subject,sender_name,sender_email,sent,received,body"
_FAILED = re.compile(r'^Error with file "(.*)": ', re.MULTILINE)


def _ours(files: Sequence[Path], out: Path) -> tuple[Work, set[str]]:
    """``imsg export FILES --to out/records.jsonl``; the work and the files that failed."""
    target = out / "records.jsonl"
    cmd = [sys.executable, "-m", "imsg_core.cli", "export", *map(str, files)]
    cmd += ["--to", str(target), "--fields", FIELDS, "--no-progress"]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=3600)
    if done.returncode not in (0, 1) or not target.exists():
        raise RuntimeError(f"imsg export exited {done.returncode}: {done.stderr[-500:]}")
    failed: set[str] = set()
    records = 0
    with target.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "error" in rec:
                failed.add(str(rec.get("path")))
            else:
                records += 1
    return {"messages": records}, failed


def _peer(files: Sequence[Path], out: Path) -> tuple[Work, set[str]]:
    """``python -m extract_msg --json --out OUT FILES``; the work and the files that failed
    (it prints ``Error with file "X": traceback`` and goes on)."""
    cmd = [sys.executable, "-m", "extract_msg", "--json", "--out", str(out)]
    cmd += ["--skip-body-not-found", "--skip-not-implemented", *map(str, files)]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"extract_msg exited {done.returncode}: {done.stderr[-500:]}")
    failed = set(_FAILED.findall(done.stdout))
    return {"messages": len(files) - len(failed)}, failed


def _fresh(d: Path) -> Path:
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    files = message_inputs(ctx.quick)
    if not files:
        res.skipped = CORPUS_ABSENT
        return res
    out = scratch_dir("cli_export")
    try:
        import extract_msg  # noqa: F401 (only whether it is installed)
    except ImportError:
        res.skipped = "extract-msg is not installed"
        return res
    # Untimed first pass: which files each tool exports, and a warm file cache.
    ctx.log(f"first pass over {len(files)} files")
    _, ours_failed = _ours(files, _fresh(out / "ours"))
    _, peer_failed = _peer(files, _fresh(out / "peer"))
    both = [p for p in files if str(p) not in ours_failed | peer_failed]
    reps = min(2, ctx.reps) if ctx.quick else max(2, ctx.reps - 2)  # a run is >= 0.3 s
    label = f"{'quick subset' if ctx.quick else 'corpus'}: {len(both)} files both export"
    series = interleave(
        {
            OURS: lambda: _ours(both, out / "ours")[0],
            PEER: lambda: _peer(both, out / "peer")[0],
        },
        reps,
        before=lambda name: _fresh(out / ("ours" if name == OURS else "peer")),
    )
    comp = Comparison(keys=KEYS)
    comp.series[label] = series
    res.data["series"] = comp.as_json()
    res.data["failed"] = {
        "ours": sorted(rel(Path(p)) for p in ours_failed),
        PEER: sorted(rel(Path(p)) for p in peer_failed),
    }
    table = Table(TITLE, RATIO_HEADERS)
    row = total_row(comp, PEER, label)
    if row:
        table.rows.append([label, *row[1:]])
    table.notes.append(
        f"{len(files)} message files{' (quick subset)' if ctx.quick else ''}; left out: "
        f"{len(ours_failed)} that imsg export reports as failed, {len(peer_failed)} that "
        "extract-msg reports as failed (listed in the JSON results)"
    )
    table.notes.append(
        f"one interpreter per run, over all the files; {reps} timed repetitions after 1 "
        "warm-up, interleaved; output directories emptied (untimed) before each run"
    )
    table.notes.append(
        f"ours: python -m imsg_core.cli export FILES --to records.jsonl --fields {FIELDS}; "
        "extract-msg: python -m extract_msg --json --out DIR --skip-body-not-found "
        "--skip-not-implemented FILES (a message.json per message; it also writes each "
        "attachment, which its command line cannot skip)"
    )
    table.notes.append(RATIO_NOTE)
    res.tables.append(table)
    res.tables.extend(problem_tables(comp, "Command-line export"))
    if not ctx.quick:
        res.targets.append(
            ratio_target(
                "14 (speed as written)",
                "imsg export over the corpus: >= 5x extract-msg's command line",
                corpus_ratio(comp, PEER),
                5,
            )
        )
    return res
