"""The MAPI property layer of the .msg format (spec oxmsg §3-§7, §10).

* :mod:`.types` — ``PropType``, tag arithmetic, ``PROPATTR_*``;
* :mod:`.tags` — ``PR_*`` constants, :func:`resolve_tag`, :func:`tag_name`;
* :mod:`.codec` — the ``__properties_version1.0`` stream (header + 16-byte entries);
* :mod:`.values` — values <-> entries and ``__substg1.0_`` streams;
* :mod:`.codepage` — Windows code pages and the PT_STRING8 code-page rule;
* :mod:`.named` — named properties and the ``__nameid_version1.0`` map.

``from imsg_core.props import *`` gives the public names of all of them (the ``PR_*``
constants are in :mod:`imsg_core.props.tags`).
"""

from __future__ import annotations

from . import codec as _codec
from . import codepage as _codepage
from . import named as _named
from . import types as _types
from . import values as _values

# The package re-exports the public names of its modules (each module's ``__all__``).
from .codec import *  # noqa: F403
from .codepage import *  # noqa: F403
from .named import *  # noqa: F403
from .tags import TAGS
from .tags import resolve_tag
from .tags import tag_name
from .types import *  # noqa: F403
from .values import *  # noqa: F403
from .values import StreamCollector
from .values import StreamSink

__all__ = ["TAGS", "StreamCollector", "StreamSink", "resolve_tag", "tag_name"]
__all__ += _codec.__all__
__all__ += _codepage.__all__
__all__ += _named.__all__
__all__ += _types.__all__
__all__ += _values.__all__
