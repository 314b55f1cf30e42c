"""The plugin manager factory and a typed façade over its hooks.

* :func:`get_plugin_manager` builds a fresh :class:`pluggy.PluginManager` (there is no
  module-level manager): it adds the hook specs, registers the core's own plugin, loads
  every distribution's ``imsg_core.backends`` entry point (the built-in backends live there
  too), and calls ``check_pending()`` so a misspelled hook fails loudly at load.
* Backends named in ``IMSG_DISABLE_BACKENDS`` (comma-separated) or passed as ``blocked`` are
  blocked before loading and are never imported.
* :class:`Hooks` calls the hooks with types, so the rest of the code never touches ``Any``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pluggy

from . import hookspecs
from .errors import STG, MAPIError, stg_error
from .storage import Capabilities

if TYPE_CHECKING:
    import click

    from .session import ObjectRecord, Session
    from .storage import Mode, Storage

__all__ = ["ENTRY_POINT_GROUP", "BackendInfo", "Hooks", "blocked_from_env", "get_plugin_manager"]

ENTRY_POINT_GROUP = "imsg_core.backends"
DISABLE_ENV = "IMSG_DISABLE_BACKENDS"


@dataclass(frozen=True)
class BackendInfo:
    """What a backend says about itself (:func:`imsg_core_describe_backend`).

    Attributes:
        name: the plugin name (the entry-point name).
        description: one line for ``imsg backends``.
        schemes: URL schemes or location kinds it claims (``"file"``, ``"mem"``, ``"s3"``...).
        capabilities: what its storages can do.
        catch_all: True for a ``trylast`` backend that takes whatever others pass on.
    """

    name: str
    description: str
    schemes: tuple[str, ...] = ()
    capabilities: Capabilities = field(default_factory=Capabilities)
    catch_all: bool = False


def blocked_from_env(environ: Mapping[str, str] | None = None) -> set[str]:
    """Backend names listed in ``IMSG_DISABLE_BACKENDS``."""
    env = os.environ if environ is None else environ
    raw = env.get(DISABLE_ENV, "")
    return {n.strip() for n in raw.split(",") if n.strip()}


def get_plugin_manager(
    *, blocked: Iterable[str] = (), load_entry_points: bool = True, plugins: Iterable[object] = ()
) -> pluggy.PluginManager:
    """A new plugin manager with every installed backend loaded.

    :param blocked: plugin names never to load (added to ``IMSG_DISABLE_BACKENDS``).
    :param load_entry_points: False to load nothing from entry points (tests).
    :param plugins: extra plugin objects to register (after the entry points, so they are
        asked first).
    :raises MAPIError: ``MAPI_E_CALL_FAILED`` when a plugin implements a hook that does not
        exist (a misspelling), naming the plugin and the hook.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for name in set(blocked) | blocked_from_env():
        pm.set_blocked(name)
    from . import core_plugin

    pm.register(core_plugin, name="core")
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        pm.register(plugin)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise MAPIError(f"backend plugin {exc.plugin!r} is invalid: {exc}") from exc
    return pm


class Hooks:
    """Typed calls into one plugin manager's hooks."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def open_storage(
        self, session: Session, location: Any, mode: Mode, options: Mapping[str, Any]
    ) -> Storage:
        """Ask the backends in turn; raise ``STG_E_FILENOTFOUND`` if none claims it."""
        result = self.pm.hook.imsg_core_open_storage(
            session=session, location=location, mode=mode, options=options
        )
        if result is None:
            names = ", ".join(b.name for b in self.describe_backends()) or "none"
            raise stg_error(
                STG.STG_E_INVALIDPARAMETER,
                f"no backend takes location {_show(location)} (installed backends: {names})",
            )
        return cast("Storage", result)

    def release(
        self,
        session: Session,
        objects: Sequence[ObjectRecord],
        impls: Sequence[Any] | None = None,
    ) -> list[Exception]:
        """Call every ``imsg_core_release`` implementation (or those of ``impls``, in that
        order) on its own; return the failures."""
        errors: list[Exception] = []
        if impls is None:
            impls = list(reversed(self.pm.hook.imsg_core_release.get_hookimpls()))
        for impl in impls:
            try:
                impl.function(session=session, objects=objects)
            except Exception as exc:  # every backend is called, whatever another does
                exc.add_note(f"raised by the release hook of backend {impl.plugin_name!r}")
                errors.append(exc)
        return errors

    def describe_backends(self) -> list[BackendInfo]:
        """Every backend's description, in the order they are asked to open locations."""
        infos = self.pm.hook.imsg_core_describe_backend()
        return [i for i in infos if i is not None]

    def register_commands(self, cli: click.Group) -> None:
        """Let every plugin add commands to ``cli``."""
        self.pm.hook.imsg_core_register_commands(cli=cli)


def _show(location: Any) -> str:
    if isinstance(location, (bytes, bytearray, memoryview)):
        return f"<{len(location)} bytes>"
    text = repr(location)
    return text if len(text) <= 200 else text[:197] + "..."
