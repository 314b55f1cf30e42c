"""Every hook a backend plugin can implement, each with its contract.

A backend is a module (or object) registered under the entry-point group
``imsg_core.backends``; the built-in backends are declared there exactly as a third party
declares its own. Implementations are marked with :data:`imsg_core.hookimpl`.

Call order (pluggy): implementations registered later run first; ``trylast=True`` pushes an
implementation to the end (the fsspec catch-all uses it so specific backends win).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any

import pluggy

if TYPE_CHECKING:
    import click

    from ._registry import ObjectRecord
    from ._registry import Registry
    from ._storage import BackendInfo
    from ._storage import Mode
    from ._storage import Storage

PROJECT_NAME = "imsg_core"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --------------------------------------------------------------------------- storages
@hookspec(firstresult=True)
def imsg_core_open_storage(
    session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
) -> Storage | None:
    """Open (or create) the root storage at ``location``, or return ``None`` to pass.

    :param session: the session that will own the storage (an :class:`imsg_core.Session`;
        typed as its base, :class:`~imsg_core.Registry`). The implementation must
        register the returned storage with it (:meth:`Registry.register`), or build it with a helper
        that does (``TreeStorage.open_root(..., session=session)``).
    :param location: what the user passed: a path ``str``, a URL ``str``, an
        :class:`os.PathLike`, ``bytes``/``bytearray``/``memoryview``, a binary file object,
        an ``fsspec.core.OpenFile`` or a ``UPath``. Pass (return ``None``) on anything the
        backend does not claim.
    :param mode: ``"r"`` read only, ``"r+"`` read/write transacted, ``"w"`` create (replace
        on commit), ``"x"`` create, failing with ``STG_E_FILEALREADYEXISTS`` if present.
    :param options: backend options the user passed as keyword arguments (for the fsspec
        backend: ``storage_options``, ``cache_type``, ``block_size``). Ignore unknown keys.
    :returns: a :class:`~imsg_core.Storage` whose ``backend`` attribute is the
        backend's name, or ``None``. The first non-``None`` answer wins.
    :raises StorageError: when the location is claimed but cannot be opened
        (``STG_E_FILENOTFOUND``, ``STG_E_ACCESSDENIED``, ``STG_E_INVALIDHEADER``, ...).
    """


@hookspec
def imsg_core_release(session: Registry, objects: Sequence[ObjectRecord]) -> None:
    """Free this backend's own resources held for objects that are being released.

    The session releases the objects themselves (each object's ``_imsg_release`` runs
    exactly once, after the hook): an implementation frees only what lives outside the
    objects — per-session stores, connections, caches, temporary files, bookkeeping — for
    the records whose ``backend`` is its own name (``record.backend``). It must not call
    ``record.obj._imsg_release()`` itself.

    When it is called:

    * objects released while the session is open (``stream.close()``, ``storage.close()``,
      ``message.close()``, with everything opened from them): the implementation of the
      plugin that owns each released record's ``backend`` name — the plugin registered
      under that name (an entry point's name) or describing itself with it
      (``BackendInfo.name`` from ``imsg_core_describe_backend``) — with that backend's
      records only, in batches deepest first. A backend that implements no
      release hook costs nothing when its objects are closed.
    * the session closing (``Session.close()``, ``CloseIMsgSession``): **every**
      implementation, with every open record, in batches deepest first (streams and
      sub-storages before their parents). ``session.closing`` is True during these calls.

    Each implementation is called on its own through pluggy (hook wrappers wrap each call,
    and ``add_hookcall_monitoring`` sees each call): one implementation raising never stops
    another. The session finishes releasing every object, then raises all failures
    together as one :class:`ExceptionGroup`, each failure noted with the plugin that raised
    it. Implementations must be idempotent.
    """


@hookspec
def imsg_core_describe_backend() -> BackendInfo | None:
    """Describe this backend without opening anything.

    :returns: a :class:`~imsg_core.BackendInfo` (name, schemes claimed, capabilities,
        description), or ``None`` for plugins that are not backends.
    """


# --------------------------------------------------------------------------- command line
@hookspec
def imsg_core_register_commands(cli: click.Group) -> None:
    """Add commands to the ``imsg`` command-line tool (datasette's ``register_commands``).

    :param cli: the top-level :class:`click.Group`; call ``cli.add_command(...)`` or use it
        as a decorator. Command names already taken by imsg-core are refused at load.
    """
