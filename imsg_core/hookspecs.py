"""Every hook a backend plugin can implement, each with its contract.

A backend is a module (or object) registered under the entry-point group
``imsg_core.backends``; the built-in backends are declared there exactly as a third party
declares its own. Implementations are marked with :data:`imsg_core.hookimpl`.

Call order (pluggy): implementations registered later run first; ``trylast=True`` pushes an
implementation to the end (the fsspec catch-all uses it so specific backends win).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from .plugins import BackendInfo
    from .session import ObjectRecord, Session
    from .storage import Mode, Storage

PROJECT_NAME = "imsg_core"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --------------------------------------------------------------------------- storages
@hookspec(firstresult=True)
def imsg_core_open_storage(
    session: Session, location: Any, mode: Mode, options: Mapping[str, Any]
) -> Storage | None:
    """Open (or create) the root storage at ``location``, or return ``None`` to pass.

    :param session: the session that will own the storage. The implementation must register
        the returned storage with it (:meth:`Session.register`), or build it with a helper
        that does (``TreeStorage.open_root(..., session=session)``).
    :param location: what the user passed: a path ``str``, a URL ``str``, an
        :class:`os.PathLike`, ``bytes``/``bytearray``/``memoryview``, a binary file object,
        an ``fsspec.core.OpenFile`` or a ``UPath``. Pass (return ``None``) on anything the
        backend does not claim.
    :param mode: ``"r"`` read only, ``"r+"`` read/write transacted, ``"w"`` create (replace
        on commit), ``"x"`` create, failing with ``STG_E_FILEALREADYEXISTS`` if present.
    :param options: backend options the user passed as keyword arguments (for the fsspec
        backend: ``storage_options``, ``cache_type``, ``block_size``). Ignore unknown keys.
    :returns: a :class:`~imsg_core.storage.Storage` whose ``backend`` attribute is the
        backend's name, or ``None``. The first non-``None`` answer wins.
    :raises StorageError: when the location is claimed but cannot be opened
        (``STG_E_FILENOTFOUND``, ``STG_E_ACCESSDENIED``, ``STG_E_INVALIDHEADER``, ...).
    """


@hookspec
def imsg_core_release(session: Session, objects: Sequence[ObjectRecord]) -> None:
    """Release open objects: every implementation is called, each on its own.

    The session calls this when objects are closed and when the session itself closes. It
    passes the records in batches, deepest first (streams and sub-storages before their
    parents); every registered implementation receives every batch and releases the records
    whose ``backend`` is its own (``record.backend``), typically by calling
    ``record.obj._imsg_release()`` and freeing any backend-level resources.

    One implementation raising never stops the others: the session calls each
    implementation separately, finishes releasing every object, then raises all failures
    together as one :class:`ExceptionGroup`. Implementations must be idempotent.

    An implementation that does nothing but ``record.obj._imsg_release()`` for its own
    records may be marked :func:`~imsg_core.session.standard_release`; the session then
    skips it when objects are closed (it releases them itself). Closing the session always
    calls every implementation.
    """


@hookspec
def imsg_core_describe_backend() -> BackendInfo | None:
    """Describe this backend without opening anything.

    :returns: a :class:`~imsg_core.plugins.BackendInfo` (name, schemes claimed, capabilities,
        description), or ``None`` for plugins that are not backends.
    """


# --------------------------------------------------------------------------- command line
@hookspec
def imsg_core_register_commands(cli: click.Group) -> None:
    """Add commands to the ``imsg`` command-line tool (datasette's ``register_commands``).

    :param cli: the top-level :class:`click.Group`; call ``cli.add_command(...)`` or use it
        as a decorator. Command names already taken by imsg-core are refused at load.
    """
