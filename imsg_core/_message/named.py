"""Named properties of a message (spec oxmsg §4): ``GetIDsFromNames`` / ``GetNamesFromIDs``
and the :class:`NamedProps` mapping behind ``Message.named``.

Every object of one .msg shares the top-level message's ``__nameid_version1.0`` map
(:meth:`~imsg_core._propobj.PropObject._named_map`); creating names needs the top-level
message to be writable and marks the map for saving with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from .. import props as P
from .._propobj import PropObject
from .._propobj import TagLike
from .._propobj import resolve
from .._propproblems import PropError
from ..props.types import PT_ERROR
from ..props.types import PT_OBJECT
from ..props.types import pid
from ..props.types import ptype
from .fields import raise_problems

__all__ = ["NamedProps", "NamedPropsMixin"]


class NamedPropsMixin(PropObject):
    """``GetNamesFromIDs`` / ``GetIDsFromNames`` and :attr:`named` (a base of ``Message``)."""

    def _names_owner(self) -> PropObject:
        """The object whose write access creating names needs (the top-level message)."""
        return self

    def get_names_from_ids(self, tags: Iterable[TagLike] | None = None) -> list[Any]:
        """``GetNamesFromIDs``: the ``MAPINAMEID`` of each tag's ID (``None`` for IDs with
        no name). ``None`` asks for every named property of the map."""
        self._check()
        names = self._named_map()
        if tags is None:
            return list(names.names)
        return list(names.names_from_ids([pid(resolve(t)) for t in tags]))

    def get_ids_from_names(self, names: Sequence[Any], create: bool = False) -> list[int]:
        """``GetIDsFromNames``: the tag (type ``PT_UNSPECIFIED``) of each name, or
        ``PROP_TAG(PT_ERROR, 0)`` (0x0000000A) for an unknown name when not ``create``.
        ``create`` needs a writable message."""
        self._check()
        if create:
            self._names_owner()._check_write("create named properties")
        nmap = self._named_map()
        ids = nmap.ids_from_names(list(names), create)
        if create:
            self._named_map_changed()
        return [PT_ERROR if i is None else (int(i) << 16) for i in ids]

    @property
    def named(self) -> NamedProps:
        """Named properties by ``(property set, name or id)``."""
        return NamedProps(self)


class NamedProps:
    """Named properties of a message by name: ``msg.named[(PSETID_Common, 0x8501)]``,
    ``msg.named[(PS_PUBLIC_STRINGS, "Keywords")]``.

    Keys are ``(guid, name_or_id)`` pairs or :class:`MAPINAMEID` objects. Reading needs the
    value's type, which the message knows: the stored property with that ID is returned.
    Setting needs a type: pass ``(key, ptype)`` as the key, e.g.
    ``msg.named[(guid, "X-Foo"), PT_UNICODE] = "bar"``.
    """

    def __init__(self, message: NamedPropsMixin) -> None:
        self._msg = message

    def _nameid(self, key: Any) -> Any:
        if isinstance(key, P.MAPINAMEID):
            return key
        guid, kind = key
        if isinstance(guid, str):
            guid = uuid.UUID(guid)
        return P.MAPINAMEID(guid, kind)

    def tag_of(self, key: Any, create: bool = False) -> int | None:
        """The property ID (shifted into a tag, type 0) of a name, or ``None``."""
        tags = self._msg.get_ids_from_names([self._nameid(key)], create)
        return None if tags[0] == PT_ERROR else tags[0]

    def __getitem__(self, key: Any) -> Any:
        tag = self.tag_of(key)
        if tag is None:
            raise KeyError(key)
        return self._msg.get_prop(tag)

    def get(self, key: Any, default: Any = None) -> Any:
        """The value of a named property, or ``default``."""
        tag = self.tag_of(key)
        if tag is None:
            return default
        return self._msg.get_prop(tag, default)

    def __setitem__(self, key: tuple[Any, int], value: object) -> None:
        name, pt = key
        tag = self.tag_of(name, create=True)
        assert tag is not None
        raise_problems(self._msg.set_props({tag | pt: value}), "message")

    def items(self) -> Iterator[tuple[Any, object]]:
        """``(MAPINAMEID, value)`` for every named property the message has."""
        nmap = self._msg._named_map()
        for tag in self._msg.prop_tags():
            if pid(tag) < 0x8000 or ptype(tag) == PT_OBJECT:
                continue
            names = nmap.names_from_ids([pid(tag)])
            if not names or names[0] is None:
                continue
            value = self._msg._get_one(tag)
            if not isinstance(value, PropError):
                yield names[0], value
