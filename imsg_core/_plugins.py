"""The plugin manager factory and a typed façade over its hooks.

* :func:`get_plugin_manager` builds a fresh :class:`pluggy.PluginManager` (there is no
  module-level manager): it adds the hook specs, registers every distribution's
  ``imsg_core.backends`` entry point (the built-in backends live there too), and calls
  ``check_pending()`` so a misspelled hook fails loudly at load.
* Backends named in ``IMSG_DISABLE_BACKENDS`` (comma-separated) or passed as ``blocked`` are
  blocked before loading and are never imported.
* The entry points are discovered once per process (reading every installed distribution's
  metadata costs milliseconds), each plugin is imported the first time a manager takes it,
  and pluggy parses and validates its hook implementations once, in a template manager; a
  new manager (one per session, with its own blocking, plugins and hook callers) adds those
  implementations as they are, so it costs microseconds. That is the only process-wide
  state of this module; :func:`refresh_backends` resets it (after installing or removing a
  plugin distribution in a running process). A plugin module whose hook function is
  replaced is parsed again; a hook function added to a loaded plugin is seen after
  :func:`refresh_backends`.
* ``IMSG_TRACE_PLUGINS=1`` (like datasette's ``DATASETTE_TRACE_PLUGINS``) prints every hook
  call, the implementations it reaches and its result to standard error.
* :class:`Hooks` calls the hooks with types, so the rest of the code never touches ``Any``.
"""

from __future__ import annotations

import os
import sys
import threading
import types
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
    from importlib.metadata import EntryPoint

    import click
    from pluggy import HookImpl

    from ._registry import Registry
    from ._storage import Mode
    from ._storage import Storage

__all__ = [
    "ENTRY_POINT_GROUP",
    "BackendInfo",
    "Hooks",
    "blocked_from_env",
    "discovered_entry_points",
    "get_plugin_manager",
    "refresh_backends",
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


class _Known:
    """The hook implementations pluggy made of one plugin, and for a plugin module the
    attribute each came from (replaced since: the plugin is parsed again)."""

    __slots__ = ("checks", "impls", "plugin")

    def __init__(self, plugin: object, impls: tuple[tuple[str, HookImpl], ...]) -> None:
        self.plugin = plugin
        self.impls = impls
        self.checks: tuple[tuple[str, object], ...] = ()
        if isinstance(plugin, types.ModuleType):
            names = {id(v): k for k, v in vars(plugin).items()}
            self.checks = tuple(
                (names[id(i.function)], i.function) for _, i in impls if id(i.function) in names
            )

    def valid_for(self, plugin: object) -> bool:
        if plugin is not self.plugin:
            return False
        if self.checks:
            attrs = vars(plugin)
            for name, function in self.checks:
                if attrs.get(name) is not function:
                    return False
        return True


class _Discovery:
    """What this process knows of the installed plugins (reset by :func:`refresh_backends`).

    * ``entry_points``: the ``imsg_core.backends`` group as scanned (``None`` until the first
      manager is built);
    * ``loaded``: each entry point's plugin object, keyed by ``(name, value)``, once a
      manager has taken it (a blocked entry point is never loaded);
    * ``template``: a manager with the hook specifications and every loaded plugin,
      registered and validated by pluggy once; ``impls`` holds, per plugin name, the
      plugin and the hook implementations pluggy made of it there, which a new manager
      adds as they are instead of parsing every attribute of the plugin again (pluggy's
      ``inspect.getattr_static`` on each attribute costs hundreds of microseconds a module).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.entry_points: tuple[EntryPoint, ...] | None = None
        self.loaded: dict[tuple[str, str], object] = {}
        self.template: pluggy.PluginManager | None = None
        self.impls: dict[str, _Known] = {}

    def reset(self) -> None:
        with self.lock:
            self.entry_points = None
            self.loaded.clear()
            self.template = None
            self.impls.clear()


_DISCOVERY = _Discovery()


def refresh_backends() -> None:
    """Forget the discovered entry points and loaded plugins: the next manager (the next
    :class:`~imsg_core.Session`) scans the installed distributions again, so it sees a
    plugin distribution installed, or misses one removed, since. Sessions already open keep
    their plugin managers."""
    _DISCOVERY.reset()


def discovered_entry_points() -> tuple[EntryPoint, ...]:
    """The ``imsg_core.backends`` entry points of the installed distributions, scanned
    once per process (until :func:`refresh_backends`), in the order their distributions are
    found on ``sys.path``. Nothing is imported."""
    d = _DISCOVERY
    eps = d.entry_points
    if eps is None:
        import importlib.metadata  # not imported by ``import imsg_core``: kept lazy

        with d.lock:
            eps = d.entry_points
            if eps is None:
                eps = tuple(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
                d.entry_points = eps
    return eps


def _load(ep: EntryPoint) -> object:
    """The plugin object of ``ep``, imported the first time it is asked for."""
    key = (ep.name, ep.value)
    try:
        return _DISCOVERY.loaded[key]
    except KeyError:
        pass
    plugin = ep.load()  # a failing import is not remembered: it raises again next time
    with _DISCOVERY.lock:
        return _DISCOVERY.loaded.setdefault(key, plugin)


def _template() -> pluggy.PluginManager:
    d = _DISCOVERY
    with d.lock:
        if d.template is None:
            template = pluggy.PluginManager(hookspecs.PROJECT_NAME)
            template.add_hookspecs(hookspecs)
            d.template = template
        return d.template


def _impls_of(name: str, plugin: object) -> tuple[tuple[str, HookImpl], ...]:
    """``(hook name, implementation)`` for each hook implementation of ``plugin``
    registered as ``name``: pluggy's own, made (and checked against the specifications)
    once by registering the plugin in the template manager.

    :raises pluggy.PluginValidationError: what pluggy's ``register`` raises.
    """
    d = _DISCOVERY
    known = d.impls.get(name)
    if known is not None and known.valid_for(plugin):
        return known.impls
    with d.lock:
        template = _template()
        if template.has_plugin(name):
            template.unregister(name=name)
        template.register(plugin, name=name)
        impls = tuple(
            (caller.name, impl)
            for caller in template.get_hookcallers(plugin) or ()
            for impl in caller.get_hookimpls()
            if impl.plugin is plugin
        )
        d.impls[name] = _Known(plugin, impls)
        return impls


def _add_hookspecs(pm: pluggy.PluginManager) -> None:
    """``pm.add_hookspecs(hookspecs)`` with the template's specifications (shared: they
    are immutable)."""
    template = _template()
    if not _FAST:
        pm.add_hookspecs(hookspecs)
        return
    for name, caller in vars(template.hook).items():
        spec = caller.spec
        if spec is None or spec.namespace is not hookspecs:
            continue
        if caller.is_historic() or hasattr(pm.hook, name):  # (no historic hook exists)
            pm.add_hookspecs(hookspecs)
            return
    for name, caller in vars(template.hook).items():
        spec = caller.spec
        if spec is not None and spec.namespace is hookspecs:
            mine = pluggy.HookCaller(name, pm._hookexec)
            mine.spec = spec
            setattr(pm.hook, name, mine)


def _register(pm: pluggy.PluginManager, name: str, plugin: object) -> None:
    """``pm.register(plugin, name=name)`` with the implementations pluggy made of ``plugin``
    in the template (:func:`_impls_of`)."""
    impls = _impls_of(name, plugin)
    if not _FAST or plugin in pm.get_plugins():
        pm.register(plugin, name=name)  # (pluggy raises for a plugin registered twice)
        return
    template_hook = _template().hook
    pm._name2plugin[name] = plugin
    for hook_name, impl in impls:
        caller: pluggy.HookCaller | None = getattr(pm.hook, hook_name, None)
        if caller is None:
            caller = pluggy.HookCaller(hook_name, pm._hookexec)
            setattr(pm.hook, hook_name, caller)
        elif caller.spec is not None:
            theirs = getattr(template_hook, hook_name, None)
            if theirs is None or caller.spec is not theirs.spec:  # not checked in the template
                pm._verify_hook(caller, impl)
        caller._maybe_apply_history(impl)
        caller._add_hookimpl(impl)


# The fast path adds pluggy's own HookImpl and HookSpec objects through pluggy's private
# names; with a pluggy that lacks them, managers are built through its public API (slower).
_FAST = all(
    hasattr(pluggy.HookCaller, attr) for attr in ("_add_hookimpl", "_maybe_apply_history")
) and all(hasattr(pluggy.PluginManager, attr) for attr in ("_hookexec", "_verify_hook"))


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
    _add_hookspecs(pm)
    if os.environ.get(TRACE_ENV, "") not in ("", "0"):
        trace_hook_calls(pm)
    for name in set(blocked) | blocked_from_env():
        pm.set_blocked(name)
    if load_entry_points:
        # pluggy's ``load_setuptools_entrypoints``, over the entry points discovered once
        for ep in discovered_entry_points():
            if pm.has_plugin(ep.name) or pm.is_blocked(ep.name):
                continue
            plugin = _load(ep)
            _register(pm, ep.name, plugin)
            if ep.dist is not None:
                pm._plugin_distinfo.append((plugin, ep.dist))  # list_plugin_distinfo()
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
