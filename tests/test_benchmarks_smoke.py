"""The benchmark suite stays runnable: a tiny in-process run of one case, and the same-work
check that guards every ratio. No assertion on speed anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("olefile")
pytest.importorskip("aspose.email_foss")
pytest.importorskip("psutil")

from benchmarks.harness import OURS  # noqa: E402 (after importorskip)
from benchmarks.harness import Series  # noqa: E402 (after importorskip)
from benchmarks.harness import interleave  # noqa: E402 (after importorskip)
from benchmarks.harness import paired_ratio  # noqa: E402 (after importorskip)
from benchmarks.harness import same_work  # noqa: E402 (after importorskip)

TINY = "aspose-foss-generated/g01_small.msg"


def test_same_work_check_reports_every_count_that_differs() -> None:
    ours = {"streams": 10, "bytes": 100}
    assert same_work(ours, {"streams": 10, "bytes": 100}, ("streams", "bytes")) == []
    diffs = same_work(ours, {"streams": 9, "bytes": 100}, ("streams", "bytes"))
    assert diffs == ["streams: ours 10 vs peer 9"]
    assert same_work(ours, {"streams": 10}, ("streams", "bytes")) == [
        "bytes: ours 100 vs peer None"
    ]
    assert same_work(None, ours, ("streams",)) == ["no work record"]


def test_a_file_read_differently_is_left_out_of_the_ratio() -> None:
    from benchmarks.cases.common import Comparison

    comp = Comparison(keys=("streams",))
    comp.series["a"] = {
        OURS: Series(OURS, [1.0, 1.0], {"streams": 3}),
        "peer": Series("peer", [2.0, 2.0], {"streams": 3}),
    }
    comp.series["b"] = {
        OURS: Series(OURS, [1.0, 1.0], {"streams": 3}),
        "peer": Series("peer", [9.0, 9.0], {"streams": 2}),
    }
    comp.series["c"] = {
        OURS: Series(OURS, [1.0], {"streams": 1}),
        "peer": Series("peer", error="OleFileError: broken"),
    }
    assert comp.agree("peer") == ["a"]
    assert comp.mismatches() == [("b", "peer", "streams: ours 3 vs peer 2")]
    assert comp.failures() == [("c", "peer", "OleFileError: broken")]


def test_interleave_records_work_errors_and_pairs_ratios() -> None:
    calls = {
        OURS: lambda: {"n": 1},
        "peer": lambda: {"n": 1},
        "broken": lambda: {"n": 1 // 0},
    }
    series = interleave(calls, reps=3, warmup=1)
    assert len(series[OURS].times) == 3
    assert series[OURS].work == {"n": 1}
    assert series["broken"].error is not None
    assert series["broken"].error.startswith("ZeroDivisionError")
    assert not series["broken"].not_available
    r = paired_ratio(series["peer"], series[OURS])
    assert r is not None
    assert r.low <= r.median <= r.high


@pytest.mark.corpus
def test_quick_cfb_case_runs_and_ours_reads_the_same_streams_as_the_peers(
    tmp_path: Path, corpus_dir: Path
) -> None:
    from benchmarks.cases.common import Context
    from benchmarks.cases.common import run_inputs
    from benchmarks.inputs import corpus_file
    from benchmarks.sides import aspose_side
    from benchmarks.sides import olefile_side
    from benchmarks.sides import ours

    path = corpus_file(TINY)
    if path is None:
        pytest.skip(f"{TINY} is not in the corpus the benchmarks use")
    contenders = {
        OURS: lambda p: ours.cfb_read_all(str(p)),
        "olefile": lambda p: olefile_side.cfb_read_all(str(p)),
        "aspose CFBReader": lambda p: aspose_side.cfb_read_all(str(p)),
    }
    comp = run_inputs(
        Context(quick=True, reps=1, memory=False),
        inputs=[(TINY, path)],
        contenders=contenders,
        keys=("streams", "bytes"),
    )
    by_name = comp.series[TINY]
    assert by_name["olefile"].ok, by_name["olefile"].error
    assert by_name["aspose CFBReader"].ok, by_name["aspose CFBReader"].error
    assert by_name["olefile"].work["streams"] > 0  # type: ignore[index]
    if by_name[OURS].not_available:
        pytest.skip(f"ours not available yet: {by_name[OURS].error}")
    assert by_name[OURS].ok, by_name[OURS].error
    assert comp.mismatches() == []
    assert comp.failures() == []


@pytest.mark.corpus
def test_cli_quick_run_of_one_case_writes_json(tmp_path: Path, corpus_dir: Path) -> None:
    from benchmarks.__main__ import main
    from benchmarks.inputs import corpus_files_dir

    if corpus_files_dir() is None:
        pytest.skip("the corpus the benchmarks use is absent (IMSG_CORPUS)")
    out = tmp_path / "results.json"
    assert (
        main(["--quick", "--cases", "cfb_read", "--reps", "1", "--no-memory", "--out", str(out)])
        == 0
    )
    data = json.loads(out.read_text())
    assert data["quick"] is True
    case = data["cases"]["cfb_read"]
    assert case["skipped"] is None
    assert any("CFB" in t for t in case["tables"])
    assert data["machine"]["nproc"] >= 1


@pytest.mark.corpus
def test_per_file_patterns_do_the_same_work_as_the_peers(corpus_dir: Path) -> None:
    from benchmarks.cases.common import Context
    from benchmarks.cases.common import run_inputs
    from benchmarks.cases.per_file import CONTENDERS
    from benchmarks.cases.per_file import OPEN
    from benchmarks.cases.per_file import SESSION
    from benchmarks.cases.per_file import SHARED
    from benchmarks.inputs import COMPLETE
    from benchmarks.inputs import corpus_file
    from benchmarks.sides.workload import USER_READ_KEYS

    inputs = [(r, p) for r in (TINY, COMPLETE) if (p := corpus_file(r))]
    if not inputs:
        pytest.skip("the corpus the benchmarks use is absent (IMSG_CORPUS)")
    comp = run_inputs(
        Context(quick=True, reps=1, memory=False),
        inputs=inputs,
        contenders=CONTENDERS,
        keys=USER_READ_KEYS,
    )
    for label, by_name in comp.series.items():
        works = {n: by_name[n].work for n in (SESSION, SHARED, "extract-msg")}
        if by_name[OPEN].ok:  # (not available before imsg_core.open exists)
            works[OPEN] = by_name[OPEN].work
        assert all(s.ok for n, s in by_name.items() if n in works), label
        assert len({tuple(sorted(w.items())) for w in works.values() if w}) == 1, works
