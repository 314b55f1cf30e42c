"""Case 4 — remote reads over moto S3 on loopback: GET requests and bytes transferred for
open + subject, reading every stream, and a message full read of ``complete.msg`` — ours
vs olefile through s3fs with several fsspec caches, and extract-msg through s3fs.

Requests are counted server-side (a WSGI wrapper in front of moto). Counts are
deterministic, so each reader runs once per operation (time is shown for information; the
server shares this process). Same work: the subject was read / the same streams and bytes /
the same message counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..harness import OURS
from ..harness import CaseResult
from ..harness import NotAvailable
from ..harness import Table
from ..harness import Target
from ..harness import Work
from ..harness import describe_error
from ..harness import fmt_bytes
from ..harness import fmt_time
from ..inputs import COMPLETE
from ..inputs import CORPUS_ABSENT
from ..inputs import corpus_file
from ..sides import extractmsg_side
from ..sides import olefile_side
from ..sides import ours
from ..sides.workload import MSG_KEYS
from .common import Context

NAME = "remote"
TITLE = "4. Remote: complete.msg on moto S3 (loopback), requests and bytes per operation"

KIB = 1024
CACHES: dict[str, dict[str, Any]] = {
    "blockcache 64 KiB": {"cache_type": "blockcache", "block_size": 64 * KIB},
    "readahead 64 KiB": {"cache_type": "readahead", "block_size": 64 * KIB},
    "s3fs default": {},
}
EXTRACT_CACHES = ("s3fs default", "blockcache 64 KiB")


def _x(peer: int, ours: int) -> str:
    if not ours:
        return "—"
    v = peer / ours
    return f"{v:.0f}x" if v >= 10 else f"{v:.1f}x" if v >= 1 else f"{v:.2g}x"


def _subject_work(w: Work) -> Work:
    n = w.get("subject_chars", w.get("subject_bytes", 0))
    return {"subject": int(n > 0)}


def run(ctx: Context) -> CaseResult:
    res = CaseResult(NAME)
    path = corpus_file(COMPLETE)
    if path is None:
        res.skipped = CORPUS_ABSENT
        return res
    try:
        import s3fs

        from .. import s3server
    except ImportError as exc:
        res.skipped = f"moto/s3fs not installed ({exc}); install the bench and test groups"
        return res

    srv = s3server.start()
    try:
        key = "complete.msg"
        fs = s3fs.S3FileSystem(**srv.storage_options())
        fs.put_file(str(path), f"{s3server.BUCKET}/{key}")
        size = path.stat().st_size
        url = f"s3://{s3server.BUCKET}/{key}"
        opts = srv.storage_options()

        def s3_file(cache: dict[str, Any]) -> Any:
            fs = s3fs.S3FileSystem(**srv.storage_options())
            return fs.open(f"{s3server.BUCKET}/{key}", "rb", **cache)

        def with_file(cache: dict[str, Any], fn: Callable[[Any], Work]) -> Callable[[], Work]:
            def call() -> Work:
                with s3_file(cache) as f:
                    return fn(f)

            return call

        ops: list[tuple[str, tuple[str, ...], list[tuple[str, Callable[[], Work]]]]] = []
        subject_readers: list[tuple[str, Callable[[], Work]]] = [
            (
                OURS,
                lambda: _subject_work(
                    ours.open_subject(url, backend="remote", storage_options=opts)
                ),
            )
        ]
        subject_readers += [
            (
                f"olefile + {c}",
                with_file(CACHES[c], lambda f: _subject_work(olefile_side.subject_only(f))),
            )
            for c in CACHES
        ]
        subject_readers += [
            (
                f"extract-msg openMsg + {c}",
                with_file(CACHES[c], lambda f: _subject_work(extractmsg_side.open_subject(f))),
            )
            for c in EXTRACT_CACHES
        ]
        subject_readers.append(
            (
                "extract-msg delayAttachments + blockcache 64 KiB",
                with_file(
                    CACHES["blockcache 64 KiB"],
                    lambda f: _subject_work(extractmsg_side.open_subject_delayed(f)),
                ),
            )
        )
        ops.append(("open + subject", ("subject",), subject_readers))
        stream_readers: list[tuple[str, Callable[[], Work]]] = [
            (OURS, lambda: ours.cfb_read_all(url, backend="remote", storage_options=opts))
        ]
        stream_readers += [
            (f"olefile + {c}", with_file(CACHES[c], olefile_side.cfb_read_all)) for c in CACHES
        ]
        ops.append(("read every stream", ("streams", "bytes"), stream_readers))
        full_readers: list[tuple[str, Callable[[], Work]]] = [
            (OURS, lambda: ours.msg_full_read(url, backend="remote", storage_options=opts))
        ]
        full_readers += [
            (f"extract-msg + {c}", with_file(CACHES[c], extractmsg_side.msg_full_read))
            for c in EXTRACT_CACHES
        ]
        ops.append(("message full read", MSG_KEYS, full_readers))

        table = Table(
            TITLE,
            [
                "operation",
                "reader",
                "GETs",
                "bytes fetched",
                "% of file",
                "HEAD+other",
                "time",
                "GETs peer/ours",
                "bytes peer/ours",
            ],
        )
        problems: list[list[str]] = []
        raw: dict[str, Any] = {}
        for op, keys, readers in ops:
            ours_row: tuple[int, int, Work] | None = None
            for who, call in readers:
                srv.counter.reset()  # type: ignore[union-attr]
                t0 = time.perf_counter()
                try:
                    work: Work | None = call()
                    err = None
                except NotAvailable as exc:
                    work, err = None, "not available: " + describe_error(exc)
                except Exception as exc:
                    work, err = None, describe_error(exc)
                dt = time.perf_counter() - t0
                c = srv.counter.counts(key)  # type: ignore[union-attr]
                raw[f"{op} / {who}"] = {
                    "gets": c.gets,
                    "get_bytes": c.get_bytes,
                    "heads": c.heads,
                    "other": c.other,
                    "seconds": dt,
                    "work": work,
                    "error": err,
                    "ranges": [r.range for r in c.requests if r.method == "GET"][:200],
                }
                if err is not None:
                    if who == OURS and op in ("open + subject", "message full read"):
                        res.targets.append(Target("5 (remote)", f"{op} of complete.msg", err, None))
                    table.rows.append(
                        [
                            op,
                            who,
                            "—",
                            "—",
                            "—",
                            "—",
                            "—",
                            "—",
                            "not available" if err.startswith("not available") else "failed",
                        ]
                    )
                    problems.append([op, who, err])
                    continue
                ratio_g = ratio_b = "—"
                if who == OURS:
                    ours_row = (c.gets, c.get_bytes, work or {})
                    pct = 100 * c.get_bytes / size
                    measured = f"{c.gets} GETs, {pct:.2f} % of the bytes"
                    if op == "open + subject":
                        res.targets.append(
                            Target(
                                "5 (remote)",
                                "open + subject of complete.msg: <= 3 GETs, < 0.5 % of the bytes",
                                measured,
                                c.gets <= 3 and pct < 0.5,
                            )
                        )
                    elif op == "message full read":
                        res.targets.append(
                            Target(
                                "5 (remote)",
                                "full read of complete.msg: <= 1.05x its size",
                                f"{c.get_bytes / size:.3f}x in {c.gets} GETs",
                                c.get_bytes <= 1.05 * size,
                            )
                        )
                elif ours_row is not None:
                    diffs = [
                        f"{k}: ours {ours_row[2].get(k)} vs {work.get(k)}"
                        for k in keys
                        if ours_row[2].get(k) != (work or {}).get(k)
                    ]
                    if diffs:
                        ratio_g = ratio_b = "different work"
                        problems.append([op, who, "; ".join(diffs)])
                    else:
                        ratio_g = _x(c.gets, ours_row[0])
                        ratio_b = _x(c.get_bytes, ours_row[1])
                table.rows.append(
                    [
                        op,
                        who,
                        str(c.gets),
                        fmt_bytes(c.get_bytes),
                        f"{100 * c.get_bytes / size:.2f} %",
                        str(c.heads + c.other),
                        fmt_time(dt),
                        ratio_g,
                        ratio_b,
                    ]
                )
        table.notes.append(
            f"file: {COMPLETE}, {size:,} bytes; requests counted server-side on moto "
            "(127.0.0.1); a fresh s3fs client per row (no shared cache)"
        )
        table.notes.append(
            "targets (issue 5): ours open + subject <= 3 GETs and < 0.5 % of the bytes; "
            "full read <= 1.05x the file size"
        )
        res.tables.append(table)
        if problems:
            res.tables.append(
                Table(
                    "Remote: failures and different work",
                    ["operation", "reader", "detail"],
                    problems,
                )
            )
        res.data["requests"] = raw
        res.data["file_size"] = size
    finally:
        srv.stop()
    return res
