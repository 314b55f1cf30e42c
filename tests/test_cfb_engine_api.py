"""The compound-file engine (``imsg_backends.cfb``) is used by the ``ole`` and ``remote``
backends through its public names only: no module of theirs imports an underscore name from
the engine, reaches into an engine module's underscore attribute, overrides an engine class's
underscore method, or touches an underscore attribute the engine's classes define."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BACKENDS = Path(__file__).resolve().parent.parent / "backends" / "imsg_backends"
ENGINE = BACKENDS / "cfb"
USERS = sorted([*(BACKENDS / "ole").rglob("*.py"), *(BACKENDS / "remote").rglob("*.py")])


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _engine_module(name: str | None) -> bool:
    return name is not None and (
        name == "imsg_backends.cfb" or name.startswith("imsg_backends.cfb.")
    )


def _engine_names() -> tuple[set[str], set[str]]:
    """(public class names, underscore names defined on those classes: methods and
    ``self._x`` attributes) of the engine."""
    classes: set[str] = set()
    private: set[str] = set()
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or _private(node.name):
                continue
            classes.add(node.name)
            for sub in ast.walk(node):
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef) and _private(sub.name):
                    private.add(sub.name)
                elif isinstance(sub, ast.AnnAssign) and isinstance(sub.target, ast.Name):
                    if _private(sub.target.id):
                        private.add(sub.target.id)
                elif (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "self"
                    and _private(sub.attr)
                ):
                    private.add(sub.attr)
    return classes, private


def _violations(
    path: Path, classes: set[str], private: set[str], root: Path = BACKENDS
) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(root)
    found: list[str] = []
    engine_aliases: set[str] = set()  # names bound to engine modules
    engine_classes: set[str] = set()  # names bound to engine classes
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _engine_module(node.module):
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{where}:{node.lineno} imports {node.module}.{alias.name}")
                if alias.name in classes:
                    engine_classes.add(alias.asname or alias.name)
                else:
                    engine_aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module == "imsg_backends":
            for alias in node.names:
                if alias.name == "cfb":
                    engine_aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _engine_module(alias.name):
                    engine_aliases.add(alias.asname or alias.name.split(".")[0])
    subclass_bodies: list[ast.ClassDef] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if bases & engine_classes:
                subclass_bodies.append(node)
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name in private:
                        found.append(
                            f"{where}:{item.lineno} {node.name} overrides the engine's {item.name}"
                        )
        if isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            if isinstance(base, ast.Name) and base.id in engine_aliases | engine_classes:
                found.append(f"{where}:{node.lineno} uses {base.id}.{node.attr}")
    # Inside subclasses of engine classes, ``self._x`` must not be an engine name.
    for cls in subclass_bodies:
        for node in ast.walk(cls):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and node.attr in private
            ):
                found.append(f"{where}:{node.lineno} {cls.name} uses the engine's self.{node.attr}")
    # Anywhere: ``obj._x`` where ``_x`` is an engine class's underscore name, on an object
    # other than ``self`` (e.g. ``reader._fat_pages``, ``source._cache``).
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and node.attr in private
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"{where}:{node.lineno} uses the engine's .{node.attr}")
    return found


def test_the_engine_defines_the_classes_the_backends_build_on() -> None:
    classes, private = _engine_names()
    assert {"CFBReader", "ByteSource", "CachingSource", "FileSource"} <= classes
    assert {"_fat_page", "_lock", "_read_padded"} <= private  # the scan sees internals


@pytest.mark.parametrize("path", USERS, ids=lambda p: str(p.relative_to(BACKENDS)))
def test_backends_use_only_public_names_of_the_engine(path: Path) -> None:
    classes, private = _engine_names()
    assert _violations(path, classes, private) == []


def test_the_check_catches_each_kind_of_use(tmp_path: Path) -> None:
    classes, private = _engine_names()
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from imsg_backends.cfb.header import _u32_array\n"
        "import imsg_backends.cfb.writer as w\n"
        "from imsg_backends.cfb.reader import CFBReader\n"
        "x = w._GATHER_LIMIT\n"
        "class R(CFBReader):\n"
        "    def _fat_page(self, page):\n"
        "        return self._fat_pages[page]\n"
        "def f(reader):\n"
        "    return reader._mini_chain\n",
        encoding="utf-8",
    )
    found = _violations(bad, classes, private, root=tmp_path)
    assert len(found) == 5, found
