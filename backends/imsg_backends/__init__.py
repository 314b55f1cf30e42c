"""The built-in storage backends of imsg-core.

Each module here is a plugin declared under the ``imsg_core.backends`` entry-point group in
``pyproject.toml``, exactly as a third-party backend declares its own:

* ``memory`` — per-session in-memory storages (``mem://NAME``);
* ``ole`` — local compound files (paths, ``file://``, bytes, file objects);
* ``remote`` — any fsspec URL; the catch-all, asked last.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from imsg_core.errors import STG
from imsg_core.errors import stg_error

__all__ = ["PASS_THROUGH_OPTIONS", "check_options"]

#: Options the core may pass to whichever backend claims a location, which every built-in
#: backend therefore accepts: ``size`` (the object's size from a listing, a hint that
#: ``imsg_core.dask`` passes; backends that need no ``HEAD`` request ignore it).
PASS_THROUGH_OPTIONS = frozenset({"size"})


def check_options(backend: str, options: Mapping[str, Any], known: Iterable[str]) -> None:
    """Refuse an option ``backend`` does not take (a misspelt ``salvag=True`` must not be
    silently ignored).

    :raises StorageError: ``STG_E_INVALIDPARAMETER`` (an ``InvalidParameterError`` and a
        ``ValueError``) naming each unknown option and the options ``backend`` takes.
    """
    unknown = sorted(set(options) - set(known) - PASS_THROUGH_OPTIONS)
    if not unknown:
        return
    takes = sorted(set(known))
    noun = "option" if len(unknown) == 1 else "options"
    raise stg_error(
        STG.STG_E_INVALIDPARAMETER,
        f"unknown {noun} {', '.join(repr(u) for u in unknown)} for the {backend} backend "
        f"(it takes: {', '.join(takes) if takes else 'no options'})",
    )
