"""The parts of the message API that had no test of their own: ``Table.all_columns``,
``Table.sort_table``, ``Message.html_bytes`` and ``Message.parent_attachment``."""

from __future__ import annotations

import pytest

from imsg_core import NoSupportError
from imsg_core import Session
from imsg_core.props import tags as T


def test_all_columns_lists_every_tag_of_any_row_in_first_seen_order(session: Session) -> None:
    msg = session.create("mem://cols")
    msg.add_recipient("bob@example.com", "Bob")
    msg.modify_recipients(
        [{T.PR_DISPLAY_NAME: "Carol", T.PR_RECIPIENT_TYPE: 2, T.PR_IMPORTANCE: 1}], 0x2
    )
    table = msg.get_recipient_table()
    cols = table.all_columns()
    assert cols[0] == T.PR_DISPLAY_NAME
    assert set(cols) == set(table._rows[0]) | set(table._rows[1])
    assert T.PR_IMPORTANCE in cols and T.PR_SMTP_ADDRESS in cols
    assert len(cols) == len(set(cols))
    table.set_columns(cols)
    assert table.columns == cols  # the current columns are unchanged by asking for all


def test_sort_table_is_not_supported(session: Session) -> None:
    msg = session.create("mem://sort")
    msg.add_attachment("a.txt", b"a")
    table = msg.get_attachment_table()
    with pytest.raises(NoSupportError):
        table.sort_table([(T.PR_ATTACH_NUM, 1)])
    assert len(table) == 1  # the table still works


def test_html_bytes_is_pr_html_as_stored(session: Session) -> None:
    msg = session.create("mem://html")
    assert msg.html_bytes is None
    msg.html = b"<p>caf\xe9</p>"
    assert msg.html_bytes == b"<p>caf\xe9</p>"
    msg.html = "<p>café</p>"
    assert msg.html_bytes == "<p>café</p>".encode()
    msg.body = "text only"
    msg.html = None
    assert msg.html_bytes is None


def test_parent_attachment_links_an_embedded_message_to_its_attachment(
    session: Session,
) -> None:
    msg = session.create("mem://parent")
    assert msg.parent_attachment is None
    att = msg.create_attach()
    inner = att.open_embedded(create=True)
    assert inner.parent_attachment is att
    assert inner.embedded and inner.top is msg
    deeper = inner.create_attach().open_embedded(create=True)
    assert deeper.parent_attachment is not None
    assert deeper.parent_attachment.message_parent is inner
