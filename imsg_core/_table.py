"""``IMAPITable`` in Python form: the recipient and attachment tables of a message.

A :class:`Table` is a snapshot taken when it is made (``GetRecipientTable`` /
``GetAttachmentTable``): rows are dicts ``{tag: value}``; :meth:`Table.set_columns` chooses
which tags :meth:`Table.query_rows` returns, in that order, with a :class:`PropError`
(``MAPI_E_NOT_FOUND``) in the slot of a column a row does not have. Restrictions and sorting
are not supported (``MAPI_E_NO_SUPPORT``, which MAPI allows for these tables).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence

from ._propobj import TagLike
from ._propobj import resolve
from ._propproblems import PropError
from .errors import SCODE
from .errors import InvalidParameterError
from .errors import NoSupportError
from .props.types import PT_STRING8
from .props.types import PT_UNICODE
from .props.types import PT_UNSPECIFIED
from .props.types import pid
from .props.types import ptype

__all__ = ["BOOKMARK_BEGINNING", "BOOKMARK_CURRENT", "BOOKMARK_END", "Table"]

BOOKMARK_BEGINNING = 0
BOOKMARK_CURRENT = 1
BOOKMARK_END = 2

_STRING_TYPES = (PT_STRING8, PT_UNICODE)


class Table:
    """A snapshot table of rows.

    :param rows: one ``{tag: value}`` dict per row.
    :param columns: the default column set (tags).
    """

    def __init__(self, rows: Iterable[dict[int, object]], columns: Sequence[int]) -> None:
        self._rows = list(rows)
        self._columns = list(columns)
        self._pos = 0

    # -- columns ----------------------------------------------------------------------------
    @property
    def columns(self) -> list[int]:
        """``QueryColumns``: the current column tags."""
        return list(self._columns)

    def set_columns(self, tags: Iterable[TagLike]) -> None:
        """``SetColumns``: choose the columns (by tag or name) :meth:`query_rows` returns."""
        cols = [resolve(t) for t in tags]
        if not cols:
            raise InvalidParameterError("set_columns needs at least one column")
        self._columns = cols

    def all_columns(self) -> list[int]:
        """``QueryColumns(TBL_ALL_COLUMNS)``: every tag present in any row."""
        seen: dict[int, None] = {}
        for row in self._rows:
            for tag in row:
                seen.setdefault(tag, None)
        return list(seen)

    # -- rows -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._rows)

    def get_row_count(self) -> int:
        """``GetRowCount``."""
        return len(self._rows)

    def seek_row(self, origin: int = BOOKMARK_BEGINNING, offset: int = 0) -> int:
        """``SeekRow``: move the cursor; returns how many rows it actually moved."""
        if origin == BOOKMARK_BEGINNING:
            start = 0
        elif origin == BOOKMARK_CURRENT:
            start = self._pos
        elif origin == BOOKMARK_END:
            start = len(self._rows)
        else:
            raise InvalidParameterError(f"unknown bookmark {origin!r}")
        new = max(0, min(len(self._rows), start + offset))
        moved = new - start
        self._pos = new
        return moved

    def query_position(self) -> tuple[int, int]:
        """``QueryPosition``: ``(current row, row count)``."""
        return self._pos, len(self._rows)

    def _cell(self, row: dict[int, object], tag: int) -> object:
        if tag in row:
            return row[tag]
        for have, value in row.items():
            if pid(have) != pid(tag):
                continue
            if ptype(tag) == PT_UNSPECIFIED or (
                ptype(tag) in _STRING_TYPES and ptype(have) in _STRING_TYPES
            ):
                return value
        return PropError(tag, SCODE.MAPI_E_NOT_FOUND)

    def query_rows(self, count: int | None = None) -> list[list[object]]:
        """``QueryRows``: up to ``count`` rows (all remaining when ``None``) from the cursor,
        each a list of values in column order; advances the cursor."""
        end = len(self._rows) if count is None else min(len(self._rows), self._pos + max(0, count))
        out = [[self._cell(r, c) for c in self._columns] for r in self._rows[self._pos : end]]
        self._pos = end
        return out

    def rows(self) -> list[dict[int, object]]:
        """Every row as a ``{tag: value}`` dict of its current columns (errors omitted)."""
        out = []
        for r in self._rows:
            d = {}
            for c in self._columns:
                v = self._cell(r, c)
                if not isinstance(v, PropError):
                    d[c] = v
            out.append(d)
        return out

    def __iter__(self) -> Iterator[dict[int, object]]:
        return iter(self.rows())

    def restrict(self, *args: object) -> None:
        """``Restrict``: not supported on these tables."""
        raise NoSupportError("restrictions are not supported on message tables")

    def sort_table(self, *args: object) -> None:
        """``SortTable``: not supported; rows come in storage order."""
        raise NoSupportError("sorting is not supported on message tables")
