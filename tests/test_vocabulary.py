"""One property vocabulary: every MAPI constant is defined once, in ``imsg_core/props/``.

Over every module of ``imsg_core`` and ``imsg_backends`` (parsed with :mod:`ast`, nothing
imported):

* only the vocabulary modules assign a name matching ``PR_``, ``PT_``, ``PS_``,
  ``PSETID_``, ``MAPI_``, ``MNID_``, ``ATTACH_`` or ``PROPATTR_`` (module level or in a
  function; importing or re-exporting such a name is fine, and so are the members of a
  class body such as the ``SCODE`` enum's ``MAPI_E_*``, which are namespaced);
* no other module writes a property tag as a raw 8-hex-digit literal (``0x3003001F``): a
  literal counts as a tag when its low word is a property type (``PropType``) other than
  ``PT_UNSPECIFIED`` and its high word, the property ID, is not 0 (``PR_NULL``'s ID, never a
  stored property). So masks such as ``0xFFFF0000`` and ``0xFFFFFFFF``, flags such as
  ``0x80000000`` and GUID parts such as ``0x0000000B`` are not tags.
  :data:`LITERAL_ALLOWED` names the few modules whose 8-digit literals are something else
  that happens to look like one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from imsg_core.props.types import PropType

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [ROOT / "imsg_core", ROOT / "backends" / "imsg_backends"]

#: Where each kind of constant is defined (paths relative to the repository).
VOCABULARY = {
    "imsg_core/props/tags.py",  # PR_* property tags
    "imsg_core/props/types.py",  # PT_*, PROPATTR_*, MV_FLAG, tag arithmetic
    "imsg_core/props/named.py",  # PS_*, PSETID_*, MNID_*
    "imsg_core/props/constants.py",  # MAPI_* flags, ATTACH_* methods, MSGFLAG_*, ...
}

#: Modules whose 8-hex-digit literals are not property tags, and what they are.
LITERAL_ALLOWED = {
    # HRESULTs (MAPI_E_*, MAPI_W_*) and STG_E_* codes: 0x80040102 ends in 0x0102 like a
    # PT_BINARY tag but is an error code.
    "imsg_core/errors.py",
}

NAME = re.compile(r"^(PR|PT|PS|PSETID|MAPI|MNID|ATTACH|PROPATTR)_")
HEX8 = re.compile(r"^0[xX][0-9A-Fa-f]{8}$")
_TYPES = frozenset(int(t) for t in PropType) - {int(PropType.PT_UNSPECIFIED)}


def modules() -> list[tuple[str, Path]]:
    out = []
    for base in PACKAGES:
        for path in sorted(base.rglob("*.py")):
            out.append((path.relative_to(ROOT).as_posix(), path))
    return out


def assigned_names(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, name)`` of every vocabulary-looking name bound by an assignment outside a
    class body."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_class: bool) -> None:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = [node.target]
        if not in_class:
            for target in targets:
                for n in _bound(target):
                    if NAME.match(n.id):
                        found.append((n.lineno, n.id))
        for child in ast.iter_child_nodes(node):
            if isinstance(node, ast.ClassDef):
                visit(child, True)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            else:
                visit(child, in_class)

    visit(tree, False)
    return found


def _bound(target: ast.expr) -> list[ast.Name]:
    """The names an assignment target binds (``row[PR_X] = v`` binds none)."""
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _bound(elt)]
    if isinstance(target, ast.Starred):
        return _bound(target.value)
    return []


def tag_literals(source: str, tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, text)`` of every integer literal written as 8 hex digits whose low word is a
    property type and whose high word (the property ID) is not 0."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            text = ast.get_source_segment(source, node) or ""
            if HEX8.match(text) and node.value >> 16 and node.value & 0xFFFF in _TYPES:
                found.append((node.lineno, text))
    return found


def test_vocabulary_modules_exist() -> None:
    for rel in VOCABULARY | LITERAL_ALLOWED:
        assert (ROOT / rel).is_file(), rel


def test_only_the_vocabulary_assigns_mapi_names() -> None:
    bad = []
    for rel, path in modules():
        if rel in VOCABULARY:
            continue
        tree = ast.parse(path.read_text(), str(path))
        bad += [f"{rel}:{line}: {name}" for line, name in assigned_names(tree)]
    assert bad == [], "MAPI constants defined outside imsg_core/props/:\n" + "\n".join(bad)


def test_no_raw_property_tags() -> None:
    bad = []
    for rel, path in modules():
        if rel in VOCABULARY or rel in LITERAL_ALLOWED:
            continue
        source = path.read_text()
        tree = ast.parse(source, str(path))
        bad += [f"{rel}:{line}: {text}" for line, text in tag_literals(source, tree)]
    assert bad == [], "raw property tags (use imsg_core.props.tags):\n" + "\n".join(bad)


def test_the_checks_see_what_they_look_for() -> None:
    source = (
        "from .props.tags import PR_SUBJECT\n"
        "PR_X = 0x3003001F\n"
        "MASK = 0xFFFF0000\n"
        "FLAG = 0x80000000\n"
        "row[PR_SUBJECT] = 1\n"
        "IID = guid(0x0000000B)\n"
        "class SCODE:\n"
        "    MAPI_E_NOT_FOUND = 0x8004010F\n"
        "def f():\n"
        "    MAPI_Y = 1\n"
        "    return 0x0037001F\n"
    )
    tree = ast.parse(source)
    assert assigned_names(tree) == [(2, "PR_X"), (10, "MAPI_Y")]
    assert tag_literals(source, tree) == [(2, "0x3003001F"), (11, "0x0037001F")]


def test_each_property_tag_is_defined_once() -> None:
    from imsg_core.props import tags

    names = [n for n in vars(tags) if n.startswith("PR_")]
    assert len(names) == len(set(names))
    assert all(isinstance(getattr(tags, n), int) for n in names)


def test_each_constant_is_defined_in_one_vocabulary_module_only() -> None:
    """``ATTACH_BY_VALUE`` in both ``tags.py`` and ``constants.py`` would be two
    definitions that can drift apart."""
    where: dict[str, list[str]] = {}
    for rel in sorted(VOCABULARY):
        path = ROOT / rel
        for line, name in assigned_names(ast.parse(path.read_text(), str(path))):
            where.setdefault(name, []).append(f"{rel}:{line}")
    twice = {name: places for name, places in where.items() if len(places) > 1}
    assert twice == {}, f"defined more than once: {twice}"
