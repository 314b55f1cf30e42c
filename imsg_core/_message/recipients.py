"""The recipients of a message: the ``IMessage`` recipient calls (``GetRecipientTable``,
``ModifyRecipients``) and the Pythonic ones (``recipients``, ``add_recipient``,
``remove_recipient``).

:class:`MessageRecipients` is a base of :class:`~imsg_core._message.Message`; the rows live
in the message's :class:`~imsg_core._recipient.RecipientList`, written by ``save_changes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping

from .._propobj import PropObject
from .._propobj import TagLike
from .._recipient import TYPE_CODES
from .._recipient import Recipient
from .._recipient import RecipientList
from .._recipient import RecipientSlot
from .._recipient import child_indices
from .._table import Table
from ..errors import InvalidParameterError
from ..props.constants import ATTACH_PREFIX
from ..props.constants import MODRECIP_REMOVE
from ..props.constants import RECIP_PREFIX
from ..props.tags import PR_ROWID

__all__ = ["MessageRecipients"]


class MessageRecipients(PropObject):
    """The recipient list of a message (a base of ``Message``, which sets the state)."""

    _recips: RecipientList
    _derived_dirty: bool

    # -- recipients -------------------------------------------------------------------------
    def _child_indices(self, prefix: str) -> list[int]:
        return child_indices(self._storage, prefix)[0]

    def _recip_and_attach_indices(self) -> tuple[list[int], list[int]]:
        recips, atts = child_indices(self._storage, RECIP_PREFIX, ATTACH_PREFIX)
        return recips, atts

    def _recipient_slots(self) -> list[RecipientSlot]:
        self._check()
        recips = self._recips
        if recips.slots is None:
            return recips.load(self._codepage, self._where())
        return recips.slots

    def get_recipient_table(self) -> Table:
        """``GetRecipientTable``: one row per recipient, default columns PR_ROWID,
        PR_DISPLAY_NAME, PR_RECIPIENT_TYPE, PR_EMAIL_ADDRESS, PR_ADDRTYPE."""
        self._recipient_slots()
        return self._recips.table()

    @property
    def recipients(self) -> list[Recipient]:
        """The recipients, in storage order."""
        return [Recipient(self, s) for s in self._recipient_slots()]

    def modify_recipients(self, rows: Iterable[Mapping[TagLike, object]], flags: int = 0) -> None:
        """``ModifyRecipients``. ``flags`` 0 replaces the whole list; ``MODRECIP_ADD``
        appends; ``MODRECIP_MODIFY`` replaces the whole property set of the rows named by
        their ``PR_ROWID``; ``MODRECIP_REMOVE`` deletes the rows named by ``PR_ROWID``.
        Added rows get ``PR_ROWID`` = their storage number. Changes are written by
        :meth:`save_changes`. Raises :class:`InvalidParameterError` (``PR_ROWID`` present
        for add/replace or missing for modify/remove, PT_NULL values, unknown flags),
        :class:`NotFoundError` (no such row), ``MAPI_E_TABLE_TOO_BIG`` past 2048 rows."""
        self._check_write("modify recipients")
        parsed = RecipientList.parse(rows, flags)
        self._recipient_slots()
        try:
            self._recips.modify(parsed, flags, self._where())
        finally:
            if self._recips.changed:
                self._dirty = True
        self._derived_dirty = True

    def add_recipient(
        self,
        email: str,
        name: str | None = None,
        type: str | int = "to",
        *,
        address_type: str = "SMTP",
    ) -> Recipient:
        """Append a resolved recipient and return it: ``add_recipient("a@example.com")``
        or with keywords, ``add_recipient(email=..., name=..., type="cc")``. ``type`` is
        ``"to"``/``"cc"``/``"bcc"`` (or a ``PR_RECIPIENT_TYPE`` number). Written by
        :meth:`save_changes`. Raises :class:`InvalidParameterError` for an unknown type,
        :class:`AccessDeniedError` on a read-only message."""
        if isinstance(type, str):
            if type not in TYPE_CODES:
                raise InvalidParameterError(
                    f"unknown recipient type {type!r} (expected one of {sorted(TYPE_CODES)})"
                )
            code = TYPE_CODES[type]
        else:
            code = int(type)
        if not isinstance(email, str):
            raise InvalidParameterError(f"email must be a str, not {email.__class__.__name__}")
        self._check_write("modify recipients")
        # modify_recipients(MODRECIP_ADD) of a row whose tags are known good (no parsing)
        self._recipient_slots()
        slot = self._recips.add_smtp(email, name, code, address_type)
        self._dirty = True
        self._derived_dirty = True
        return Recipient(self, slot)

    def remove_recipient(self, recipient: Recipient | int) -> None:
        """Remove a recipient (a :class:`Recipient` or its ``rowid``); written by
        :meth:`save_changes`. Raises :class:`NotFoundError` when there is no such row."""
        rid = recipient.rowid if isinstance(recipient, Recipient) else int(recipient)
        self.modify_recipients([{PR_ROWID: rid}], MODRECIP_REMOVE)
