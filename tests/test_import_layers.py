"""The library's modules form layers with no import circles.

The graph counts every import a module makes at module level, including those under
``if TYPE_CHECKING:`` (a type-only import still couples the two modules); imports inside a
function body are left out (they are how optional dependencies stay optional). ``from p
import x`` depends on the module ``p.x`` when there is one, else on ``p`` (where the name
``x`` lives): a submodule's ``from . import sibling`` does not depend on its own package's
``__init__``, but ``from . import SomeClass`` does.

:data:`LAYERS` is the picture in ``docs/architecture.md`` (``docs/_static/layers.svg`` is
drawn from it: ``python tests/test_import_layers.py --write`` redraws it): a module may import
modules of its own layer or of layers below, never above.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"imsg_core": ROOT / "imsg_core", "imsg_backends": ROOT / "backends" / "imsg_backends"}
SVG = ROOT / "docs" / "_static" / "layers.svg"

#: Bottom first: (layer name, what it holds, module prefixes). A module belongs to the layer
#: of the longest prefix it matches (``a.b`` matches ``a.b`` and ``a.b.*``; a top-level package
#: matches only itself, so a new module must be placed here explicitly).
LAYERS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "foundation",
        "errors, the property vocabulary and codecs, the storage contract, the object registry",
        ("imsg_core.errors", "imsg_core.props", "imsg_core._storage", "imsg_core._registry"),
    ),
    (
        "plugins and storage toolkit",
        "hook specs, the plugin manager, the tree toolkit every built-in backend uses",
        ("imsg_core.hookspecs", "imsg_core._plugins", "imsg_core._nodes", "imsg_core._tree"),
    ),
    (
        "message objects",
        "properties, tables, recipients, attachments, messages, bodies",
        (
            "imsg_core._propproblems",
            "imsg_core._propobj",
            "imsg_core._table",
            "imsg_core._recipient",
            "imsg_core._message",
            "imsg_core._bodies",
        ),
    ),
    (
        "session and façades",
        "Session (open/create), the MAPI-shaped API, the backend and testing modules",
        (
            "imsg_core",
            "imsg_core._constants",
            "imsg_core._session",
            "imsg_core._shortcuts",
            "imsg_core.mapi",
            "imsg_core.backend",
            "imsg_core.testing",
        ),
    ),
    (
        "compound-file engine",
        "header, FAT/DIFAT, directory, reader, writer, byte sources, ranges",
        ("imsg_backends", "imsg_backends.cfb"),
    ),
    (
        "backends",
        "memory, local compound files, any fsspec URL",
        ("imsg_backends.memory", "imsg_backends.ole", "imsg_backends.remote"),
    ),
    (
        "conversions and tools",
        ".eml and RTF conversions, the command line, Dask",
        ("imsg_core.convert", "imsg_core.cli", "imsg_core.dask"),
    ),
]


def module_files() -> dict[str, Path]:
    """Every module of both packages, by dotted name."""
    out: dict[str, Path] = {}
    for pkg, base in PACKAGES.items():
        for path in sorted(base.rglob("*.py")):
            parts = [pkg, *path.relative_to(base).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports at module level, also inside ``if``/``try``/``with`` blocks (TYPE_CHECKING),
    never inside function or class bodies."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, field, []):
                    if isinstance(child, ast.ExceptHandler):
                        stack.extend(child.body)
                    else:
                        stack.append(child)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the library modules it imports (see the module docstring)."""
    modules = module_files()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        package = name if is_pkg else name.rpartition(".")[0]
        for node in _top_level_imports(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # ``from p import x``: the module ``p.x`` when there is one, else the
                # name ``x`` defined in (or re-exported by) ``p`` itself
                targets = [
                    f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix
                    for alias in node.names
                ]
            graph[name].update(t for t in targets if t in modules)
        graph[name].discard(name)
    return graph


def layer_of(module: str) -> int:
    best, best_len = -1, -1
    for index, (_, _, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            # a top-level package names its own __init__ only, never its submodules
            below = module.startswith(prefix + ".") and prefix not in PACKAGES
            if (module == prefix or below) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_type_checking_imports_and_skips_function_imports(
    tmp_path: Path,
) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import a\n"
        "if TYPE_CHECKING:\n"
        "    from .b import thing\n"
        "def f():\n"
        "    from . import c\n"
    )
    found = _top_level_imports(ast.parse(source))
    modules = {getattr(n, "module", None) for n in found if isinstance(n, ast.ImportFrom)}
    assert modules == {"typing", None, "b"}


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_every_module_has_a_layer() -> None:
    missing = [m for m in module_files() if layer_of(m) < 0]
    assert missing == [], f"modules in no layer of LAYERS: {missing}"


def test_no_module_imports_a_higher_layer() -> None:
    graph = import_graph()
    upward = [
        f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]})"
        for m, targets in sorted(graph.items())
        for t in sorted(targets)
        if layer_of(t) > layer_of(m)
    ]
    assert upward == [], "imports against the layering:\n" + "\n".join(upward)


def test_backends_use_only_the_public_modules_of_the_core() -> None:
    """The built-in backends are declared exactly as a third party's: they import
    :mod:`imsg_core.backend` (and the public ``imsg_core`` modules), never a private
    ``imsg_core._*`` module."""
    graph = import_graph()
    private = [
        f"{m} imports {t}"
        for m, targets in sorted(graph.items())
        if m.startswith("imsg_backends")
        for t in sorted(targets)
        if t.startswith("imsg_core._")
    ]
    assert private == []


def render_svg() -> str:
    """The layer picture: one band per layer, bottom layer at the bottom."""
    width, band, gap, pad = 760, 64, 10, 16
    height = len(LAYERS) * (band + gap) + pad
    colours = ["#e8f1fb", "#dbeafb", "#e6f4ea", "#fdf3e1", "#f1e8fb", "#fbe8ee", "#eef0f2"]
    rows = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        "<title>imsg-core layers: a module imports only its own layer or layers below</title>",
    ]
    for i, (name, what, prefixes) in enumerate(LAYERS):
        y = pad // 2 + (len(LAYERS) - 1 - i) * (band + gap)
        mods = ", ".join(
            p.replace("imsg_core.", "").replace("imsg_backends.", "") for p in prefixes
        )
        rows += [
            f'<rect x="8" y="{y}" width="{width - 16}" height="{band}" rx="8" '
            f'fill="{colours[i % len(colours)]}" stroke="#5b6b7b"/>',
            f'<text x="24" y="{y + 24}" font-size="16" font-weight="bold">'
            f"{i + 1}. {_esc(name)}</text>",
            f'<text x="24" y="{y + 44}" font-size="12">{_esc(what)}</text>',
            f'<text x="{width - 24}" y="{y + 24}" font-size="11" text-anchor="end" '
            f'fill="#3b4b5b">{_esc(mods)}</text>',
        ]
    rows.append("</svg>")
    return "\n".join(rows) + "\n"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_the_architecture_picture_matches_the_layers() -> None:
    if not SVG.exists():
        pytest.fail(f"{SVG} is missing: run python tests/test_import_layers.py --write")
    assert SVG.read_text() == render_svg(), (
        "docs/_static/layers.svg is stale: run python tests/test_import_layers.py --write"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SVG.parent.mkdir(parents=True, exist_ok=True)
        SVG.write_text(render_svg())
        print(f"wrote {SVG}")
    else:
        for c in cycles(import_graph()):
            print(" <-> ".join(c))
