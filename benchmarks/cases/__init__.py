"""The benchmark cases, in report order. Each module has ``run(ctx) -> CaseResult``."""

from __future__ import annotations

from collections.abc import Callable

from ..harness import CaseResult
from . import cfb_read
from .common import Context

CASES: dict[str, Callable[[Context], CaseResult]] = {
    cfb_read.NAME: cfb_read.run,
}
