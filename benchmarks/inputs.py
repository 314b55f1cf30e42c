"""Where the inputs come from: the shared corpus and deterministic generated files.

The corpus is ``../shared/corpus`` relative to the repository root (or ``$IMSG_CORPUS``).
Cases that need it are skipped with a clear message when it is absent. Generated files go
to ``$IMSG_BENCH_TMP`` (default: ``<tmp>/imsg-bench``) and are rebuilt when missing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .harness import ROOT

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

COMPLETE = "pypi-msg-parser/complete.msg"
MANY_RECIPIENTS = "aspose-foss-generated/g07_300_recips.msg"
MANY_ATTACHMENTS = "aspose-foss-generated/g04_200_small_atts.msg"
LARGE_V3 = "aspose-foss-generated/g03_large_12mb_v3.msg"
SMALL = "aspose-foss-generated/g01_small.msg"


def corpus_root() -> Path:
    """The corpus directory (may not exist)."""
    env = os.environ.get("IMSG_CORPUS")
    return Path(env) if env else (ROOT.parent / "shared" / "corpus").resolve()


def corpus_files_dir() -> Path | None:
    """``corpus/files`` if present, else ``None``."""
    d = corpus_root() / "files"
    return d if d.is_dir() else None


CORPUS_ABSENT = (
    "the shared corpus is absent (looked for ../shared/corpus/files relative to the "
    "repository root; set IMSG_CORPUS to point elsewhere)"
)


def corpus_file(rel: str) -> Path | None:
    """One corpus file by its path below ``files/``, or ``None``."""
    d = corpus_files_dir()
    if d is None:
        return None
    p = d / rel
    return p if p.is_file() else None


def rel(path: Path) -> str:
    """A corpus path as shown in tables (below ``files/``)."""
    d = corpus_files_dir()
    try:
        return str(path.relative_to(d)) if d else path.name
    except ValueError:
        return path.name


def is_compound_file(path: Path) -> bool:
    """True when the file starts with the compound-file signature."""
    with path.open("rb") as f:
        return f.read(8) == CFB_MAGIC


def compound_files() -> list[Path]:
    """Every corpus file that carries the compound-file signature, sorted."""
    d = corpus_files_dir()
    if d is None:
        return []
    return sorted(p for p in d.rglob("*") if p.is_file() and is_compound_file(p))


def message_files() -> list[Path]:
    """Every ``.msg``/``.oft`` corpus file that is a compound file, sorted."""
    return [p for p in compound_files() if p.suffix.lower() in (".msg", ".oft")]


def message_inputs(quick: bool) -> list[Path]:
    """The messages a message case reads: every corpus message, or in a quick run the small,
    the 300-recipient and the 15.8 MB one. Empty when the corpus is absent."""
    files = message_files()
    if files and quick:
        files = [p for r in (SMALL, MANY_RECIPIENTS, COMPLETE) if (p := corpus_file(r))]
    return files


def scratch_dir(*parts: str) -> Path:
    """A directory for generated files, created if needed."""
    base = Path(os.environ.get("IMSG_BENCH_TMP") or Path(tempfile.gettempdir()) / "imsg-bench")
    d = base.joinpath(*parts)
    d.mkdir(parents=True, exist_ok=True)
    return d
