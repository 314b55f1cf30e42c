"""``imsg export``: one JSON record per message (JSON Lines), locally with a progress bar or
on a Dask cluster."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from ..dask import DEFAULT_FIELDS
from ..dask import FIELDS
from ..dask import read_msgs
from ..dask import record_for
from ..errors import MAPIError
from ..props import resolve_tag
from .common import STORAGE_OPTION
from .common import Failures
from .common import expand_inputs
from .common import is_url
from .common import wrap_main

__all__ = ["export"]


def _parse_fields(text: str | None) -> tuple[str | int, ...]:
    if not text:
        return DEFAULT_FIELDS
    out: list[str | int] = []
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        if item in FIELDS:
            out.append(item)
            continue
        try:
            resolve_tag(item)
        except MAPIError:
            names = ", ".join(sorted(FIELDS))
            raise click.BadParameter(
                f"{item!r} is neither a field ({names}) nor a property tag or name",
                param_hint="--fields",
            ) from None
        out.append(item)  # the name asked for is the record's key
    return tuple(out)


def _local_records(
    locations: list[str],
    fields: tuple[str | int, ...],
    workers: int,
    storage_options: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    task = functools.partial(record_for, fields=fields, storage_options=storage_options or None)
    if workers <= 1:
        for loc in locations:
            yield task(loc)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(locations) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(task, locations, chunksize=chunk)


def _local_path(rec: dict[str, Any], locations: list[str]) -> dict[str, Any]:
    """Dask lists files through fsspec (``file:///abs``); report local files by the path
    given, as local runs do."""
    path = rec.get("path")
    if isinstance(path, str) and path.startswith("file://"):
        local = path[len("file://") :]
        for loc in locations:
            if not is_url(loc) and os.path.abspath(loc) == local:
                rec["path"] = loc
                break
    return rec


def _dask_records(
    locations: list[str],
    fields: tuple[str | int, ...],
    scheduler: str,
    workers: int,
    storage_options: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    """The records computed on Dask. Everything that can fail before the first record
    (Dask or dask.distributed missing, listing the files) fails here, before the caller
    draws a progress bar; the records themselves come from the returned iterator."""
    bag = read_msgs(locations, fields=fields, storage_options=storage_options or None)
    parts = bag.to_delayed()
    if scheduler == "dask":
        import dask

        def local() -> Iterator[dict[str, Any]]:
            step = max(1, workers)
            for i in range(0, len(parts), step):
                done = dask.compute(  # type: ignore[attr-defined,no-untyped-call]
                    *parts[i : i + step], scheduler="processes", num_workers=step
                )
                for part in done:
                    yield from (_local_path(rec, locations) for rec in part)

        return local()
    try:
        from distributed import Client
        from distributed import as_completed
    except ImportError as exc:
        raise click.UsageError(
            "a scheduler address needs dask.distributed: pip install 'imsg-core[dask]'"
        ) from exc

    def distributed() -> Iterator[dict[str, Any]]:
        client = Client(scheduler)  # type: ignore[no-untyped-call]
        try:
            futures = client.compute(parts)  # type: ignore[no-untyped-call]
            for fut in as_completed(futures):  # type: ignore[no-untyped-call]
                yield from (_local_path(rec, locations) for rec in fut.result())
        finally:
            client.close()  # type: ignore[no-untyped-call]

    return distributed()


@click.command()
@click.argument("patterns", nargs=-1, required=True, metavar="GLOB...")
@click.option(
    "--to",
    "out",
    required=True,
    metavar="OUT.jsonl",
    help="Where to write the records (a path, a URL, or - for stdout).",
)
@click.option(
    "--fields",
    metavar="LIST",
    help="Comma-separated fields for each record: subject, sender_name, sender_email, sent, "
    "received, message_class, body, html, headers, or property tags/names "
    "(default: subject, senders, dates, class).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU); with --scheduler dask, tasks run at once.",
)
@click.option(
    "--scheduler",
    metavar="dask|ADDRESS",
    help="Run on Dask: 'dask' for local Dask worker processes, or the address of a "
    "distributed scheduler such as tcp://10.0.0.5:8786.",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@STORAGE_OPTION
@wrap_main
def export(
    *,
    patterns: tuple[str, ...],
    out: str,
    fields: str | None,
    workers: int,
    scheduler: str | None,
    progress: bool,
    storage_options: dict[str, Any],
) -> None:
    """Export one JSON record per message to a JSON Lines file.

    Each record holds the path, the chosen fields, the recipients (name, email, type) and
    an attachment summary (filename, size, MIME type, embedded or not) — the records of
    imsg_core.dask.read_msgs. A file that cannot be read gives a record
    {"path": ..., "error": ..., "code": "0x..."} instead and the export goes on; each such
    file is one line on stderr (imsg: FILE: error), the exit status is then 1 and a summary
    is printed on stderr. Records come in input order locally and in completion order on a
    distributed scheduler.
    """
    failures = Failures()
    locations = expand_inputs(patterns, failures, storage_options)
    chosen = _parse_fields(fields)
    if workers == 0:
        workers = os.cpu_count() or 1
    if not locations:
        failures.exit()
    if scheduler:
        records: Iterator[dict[str, Any]] = _dask_records(
            locations, chosen, scheduler, workers, storage_options
        )
    else:
        records = _local_records(locations, chosen, workers, storage_options)
    from tqdm import tqdm

    errors = 0
    count = 0
    sink = _open_sink(out, storage_options)
    try:
        with tqdm(
            total=len(locations), unit="msg", disable=not progress, file=sys.stderr, leave=False
        ) as bar:
            for rec in records:
                sink.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
                count += 1
                if "error" in rec:
                    errors += 1
                    bar.write(f"imsg: {rec.get('path')}: {rec['error']}", file=sys.stderr)
                bar.update(1)
    finally:
        _close_sink(sink, out)
    if progress or errors:
        click.echo(f"imsg: exported {count} record(s), {errors} error(s)", err=True)
    failures.count += errors
    failures.exit()


def _open_sink(out: str, storage_options: dict[str, Any]) -> Any:
    if out == "-":
        return sys.stdout
    if is_url(out):
        import fsspec

        return fsspec.open(out, "wt", encoding="utf-8", **storage_options).open()
    return open(out, "w", encoding="utf-8")


def _close_sink(sink: Any, out: str) -> None:
    if out == "-":
        sink.flush()
    else:
        sink.close()
