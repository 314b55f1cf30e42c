"""The benchmark cases, in report order. Each module has ``run(ctx) -> CaseResult``."""

from __future__ import annotations

from collections.abc import Callable

from ..harness import CaseResult
from . import big_memory
from . import cfb_read
from . import cli_export
from . import msg_read
from . import open_subject
from . import per_file
from . import remote
from . import scaling
from . import write_many
from .common import Context

CASES: dict[str, Callable[[Context], CaseResult]] = {
    cfb_read.NAME: cfb_read.run,
    msg_read.NAME: msg_read.run,
    open_subject.NAME: open_subject.run,
    remote.NAME: remote.run,
    big_memory.NAME: big_memory.run,
    write_many.NAME: write_many.run,
    scaling.NAME: scaling.run,
    per_file.NAME: per_file.run,
    cli_export.NAME: cli_export.run,
}
