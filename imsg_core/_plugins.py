"""The plugin manager factory and a typed façade over its hooks.

* :func:`get_plugin_manager` builds a fresh :class:`pluggy.PluginManager` (there is no
  module-level manager): it adds the hook specs, registers the core's own plugin, loads
  every distribution's ``imsg_core.backends`` entry point (the built-in backends live there
  too), and calls ``check_pending()`` so a misspelled hook fails loudly at load.
* Backends named in ``IMSG_DISABLE_BACKENDS`` (comma-separated) or passed as ``blocked`` are
  blocked before loading and are never imported.
* ``IMSG_TRACE_PLUGINS=1`` (like datasette's ``DATASETTE_TRACE_PLUGINS``) prints every hook
  call, the implementations it reaches and its result to standard error.
* :class:`Hooks` calls the hooks with types, so the rest of the code never touches ``Any``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any
from typing import TextIO
from typing import cast

import pluggy

from . import hookspecs
from ._storage import BackendInfo
from .errors import STG
from .errors import MAPIError
from .errors import stg_error

if TYPE_CHECKING:
    import click

    from ._registry import Registry
    from ._storage import Mode
    from ._storage import Storage

__all__ = [
    "ENTRY_POINT_GROUP",
    "BackendInfo",
    "Hooks",
    "blocked_from_env",
    "get_plugin_manager",
    "trace_hook_calls",
]

ENTRY_POINT_GROUP = "imsg_core.backends"
DISABLE_ENV = "IMSG_DISABLE_BACKENDS"
TRACE_ENV = "IMSG_TRACE_PLUGINS"


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

    With ``IMSG_TRACE_PLUGINS`` set to a non-empty value other than ``0``, every hook call
    of the manager is printed to standard error (:func:`trace_hook_calls`).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    if os.environ.get(TRACE_ENV, "") not in ("", "0"):
        trace_hook_calls(pm)
    for name in set(blocked) | blocked_from_env():
        pm.set_blocked(name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        pm.register(plugin)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise MAPIError(f"backend plugin {exc.plugin!r} is invalid: {exc}") from exc
    return pm


def trace_hook_calls(pm: pluggy.PluginManager, out: TextIO | None = None) -> Callable[[], None]:
    """Print every hook call of ``pm`` to ``out`` (standard error by default): the hook,
    its arguments, the plugins whose implementations it reaches, then its result or the
    exception it raised. Returns a function that stops the tracing.
    """

    def write(line: str) -> None:
        print(line, file=sys.stderr if out is None else out, flush=True)

    def before(name: str, impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        args = ", ".join(f"{k}={_show(v)}" for k, v in kwargs.items())
        write(f"imsg trace: {name}({args}) -> [{', '.join(i.plugin_name for i in impls)}]")

    def after(outcome: Any, name: str, impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        exc = outcome.exception
        if exc is not None:
            write(f"imsg trace: {name} raised {type(exc).__name__}: {exc}")
        else:
            write(f"imsg trace: {name} returned {_show(outcome.get_result())}")

    return pm.add_hookcall_monitoring(before, after)


class Hooks:
    """Typed calls into one plugin manager's hooks."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def open_storage(
        self, session: Registry, location: Any, mode: Mode, options: Mapping[str, Any]
    ) -> Storage:
        """Ask the backends in turn; raise ``STG_E_INVALIDPARAMETER`` if none claims it."""
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
