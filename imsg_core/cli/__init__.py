"""The ``imsg`` command-line tool.

Every command takes paths, URLs (anything a backend opens: ``s3://``, ``https://``,
``mem://``...) and glob patterns (``'mail/**/*.msg'``, ``'s3://bucket/2026/*.msg'``).

Exit status: 0 on success; 1 when any input failed (each failure is reported on stderr as
one line, ``imsg: <input>: <error>``, and the command carries on with the other inputs);
2 for a usage error. No traceback is printed unless ``IMSG_DEBUG=1`` is set.

Plugins add commands through the ``imsg_core_register_commands(cli)`` hook; a plugin command
whose name is taken by a built-in command is refused with a warning.

Layout: :mod:`.app` (the group, plugin commands, :func:`main`), one module per command
group (:mod:`.cmd_info`: info, props, tree; :mod:`.cmd_attachments`; :mod:`.cmd_convert`;
:mod:`.cmd_export`; :mod:`.cmd_demo`: backends, demo), :mod:`.render` (how output is
printed) and :mod:`.common` (failures, exit codes, inputs).
"""

from __future__ import annotations

from .app import BUILTIN_COMMANDS
from .app import COMMANDS
from .app import ImsgGroup
from .app import build_cli
from .app import main
from .cmd_attachments import attachments
from .cmd_convert import convert
from .cmd_convert import convert_one
from .cmd_demo import backends
from .cmd_demo import build_demo_message
from .cmd_demo import default_demo_path
from .cmd_demo import demo
from .cmd_export import export
from .cmd_info import info
from .cmd_info import props
from .cmd_info import props_document
from .cmd_info import summary_document
from .cmd_info import summary_lines
from .cmd_info import tree
from .cmd_info import tree_lines
from .common import FILES
from .common import Failures
from .common import describe_error
from .common import expand_inputs
from .common import guarded
from .common import is_url
from .common import open_message
from .render import attachment_label
from .render import human_size
from .render import json_value
from .render import printable
from .render import shorten

__all__ = ["BUILTIN_COMMANDS", "build_cli", "main"]

# Also importable from here, as when the CLI was one module.
_REEXPORTED = (
    COMMANDS,
    FILES,
    Failures,
    ImsgGroup,
    attachment_label,
    attachments,
    backends,
    build_demo_message,
    convert,
    convert_one,
    default_demo_path,
    demo,
    describe_error,
    expand_inputs,
    export,
    guarded,
    human_size,
    info,
    is_url,
    json_value,
    open_message,
    printable,
    props,
    props_document,
    shorten,
    summary_document,
    summary_lines,
    tree,
    tree_lines,
)
