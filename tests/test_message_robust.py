"""Damaged messages: whatever the bytes of the property streams and the tree, reading a
message raises only MAPIError subclasses (with a message), never a raw Python error."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from imsg_backends.memory import store_of

import imsg_core
from fuzz import hyp
from imsg_core import MAPIError
from imsg_core import Message
from imsg_core import Session
from imsg_core._storage import name_sort_key
from imsg_core.backend import BytesData
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode

PROPS = "__properties_version1.0"


def _template() -> StorageNode:
    """A real message tree (recipient, attachment, embedded message, named property)."""
    with Session() as s:
        msg = s.create("mem://t")
        msg.subject = "template"
        msg.body = "body " * 50
        msg.add_recipient("a@example.com", "A")
        msg.add_attachment("f.bin", bytes(range(256)))
        msg.named[(imsg_core.PS_PUBLIC_STRINGS, "K"), 0x101F] = ["x", "y"]
        att = msg.create_attach()
        inner = att.open_embedded(create=True)
        inner.subject = "inner"
        inner.add_recipient("b@example.com")
        inner.save_changes()
        att.save_changes()
        msg.save_changes()
        node = msg.storage.node.clone()
    return node


TEMPLATE = _template()
STREAMS = [path for path, n in TEMPLATE.walk() if isinstance(n, StreamNode)]


def _read_everything(msg: Message) -> None:
    msg.get_props(None)
    _ = (msg.subject, msg.body, msg.html, msg.sender, msg.unicode)
    with contextlib.suppress(MAPIError):
        msg.rtf  # noqa: B018
    msg.get_recipient_table().query_rows()
    _ = [(r.name, r.email, r.type) for r in msg.recipients]
    msg.get_attachment_table().query_rows()
    list(msg.named.items())
    for att in msg.attachments:
        att.get_props(None)
        _ = (att.filename, att.size, att.data)
        if att.is_embedded:
            _read_everything(att.open_embedded())


OUTCOMES: dict[str, int] = {"ok": 0, "error": 0}


def _read_checked(s: Session, location: str) -> None:
    """Read everything; only a MAPIError with a message may come out (the fuzz oracle, which
    also bounds the time)."""
    outcome = hyp.run_bounded(lambda _: _read_everything(s.open(location)), b"", memory=False)
    OUTCOMES["ok" if outcome.result == "ok" else "error"] += 1


def _node_at(root: StorageNode, path: str) -> StreamNode:
    node: StorageNode | StreamNode = root
    for part in path.split("/"):
        assert isinstance(node, StorageNode)
        child = node.get(part)
        assert child is not None
        node = child
    assert isinstance(node, StreamNode)
    return node


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from(STREAMS),
    edits=st.lists(st.tuples(st.integers(0, 4096), st.integers(0, 255)), min_size=1, max_size=12),
    cut=st.one_of(st.none(), st.integers(0, 300)),
)
def test_mutated_streams_raise_only_mapi_errors(
    target: str, edits: list[tuple[int, int]], cut: int | None
) -> None:
    root = TEMPLATE.clone()
    node = _node_at(root, target)
    data = bytearray(node.data.read_at(0, node.data.size))
    for pos, byte in edits:
        if data:
            data[pos % len(data)] = byte
    if cut is not None:
        del data[cut:]
    node.data = BytesData(bytes(data))
    with Session() as s:
        store_of(s).roots["fuzz"] = root
        _read_checked(s, "mem://fuzz")


@settings(max_examples=60, deadline=None)
@given(victim=st.sampled_from([p for p, _ in TEMPLATE.walk()]))
def test_missing_elements_raise_only_mapi_errors(victim: str) -> None:
    root = TEMPLATE.clone()
    parent: StorageNode = root
    parts = victim.split("/")
    for part in parts[:-1]:
        child = parent.get(part)
        assert isinstance(child, StorageNode)
        parent = child
    del parent.children[name_sort_key(parts[-1])]
    with Session() as s:
        store_of(s).roots["gone"] = root
        _read_checked(s, "mem://gone")


def test_fuzzing_reaches_both_outcomes() -> None:
    # runs after the property tests in file order: damage was both tolerated and reported
    if OUTCOMES["ok"] + OUTCOMES["error"]:
        assert OUTCOMES["ok"] and OUTCOMES["error"], OUTCOMES


_VALUES = st.one_of(
    st.tuples(st.just(0x0003), st.integers(-(2**31), 2**31 - 1)),
    st.tuples(st.just(0x000B), st.booleans()),
    st.tuples(st.just(0x001F), st.text(min_size=1).filter(lambda t: not t.endswith("\0"))),
    st.tuples(st.just(0x0102), st.binary(max_size=600)),
    st.tuples(st.just(0x0014), st.integers(-(2**63), 2**63 - 1)),
    st.tuples(st.just(0x101F), st.lists(st.text(alphabet="abcé€", min_size=1), min_size=1)),
    st.tuples(st.just(0x1102), st.lists(st.binary(max_size=40), min_size=1, max_size=4)),
    st.tuples(st.just(0x1003), st.lists(st.integers(-5, 5), min_size=1, max_size=5)),
)


@settings(max_examples=40, deadline=None)
@given(
    props=st.dictionaries(st.integers(0x6700, 0x67FF), _VALUES, min_size=1, max_size=12),
    attach=st.booleans(),
)
def test_set_props_survive_save_and_reopen(
    props: dict[int, tuple[int, object]], attach: bool
) -> None:
    values = {(pid << 16) | pt: v for pid, (pt, v) in props.items()}
    with Session() as s:
        msg = s.create("mem://h")
        target = msg.create_attach() if attach else msg
        assert target.set_props(values) == []
        target.save_changes()
        if attach:
            msg.save_changes()
        msg.close()
        again = s.open("mem://h")
        obj = again.attachments[0] if attach else again
        assert obj.get_props(list(values)) == list(values.values())
