"""No module of the rule engine imports, directly or through others, a module that imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import labcert.rules

PACKAGE = "labcert.rules"
ROOT = Path(labcert.rules.__file__).parent


def _module_name(path: Path, root: Path, package: str) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return package if parts == ("__init__",) else ".".join((package, *parts))


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """Return the absolute name of a `from X import` target as seen from module."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # The package's __init__ is its own base; a module's base is its package.
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Map every module of the package to the package modules it imports (any nesting level)."""
    modules = {_module_name(p, root, package): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):  # walk: lazy imports inside functions count too
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, is_package)
                # `from . import x` imports the module x when x is one.
                targets = [target] + [f"{target}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    # The package's __init__ re-exports the public API; importing a submodule runs it first,
    # but the package itself is a hub, not a cycle partner of the modules it re-exports.
    graph.pop(package, None)
    for targets in graph.values():
        targets.discard(package)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as [a, b, ..., a], or None when the graph has none."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_rule_engine_has_no_import_cycle():
    graph = import_graph(ROOT, PACKAGE)
    assert graph.get(f"{PACKAGE}.engine")
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_check_finds_a_lazy_import_back(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .a import A\n")
    (package / "a.py").write_text(
        "class A:\n    def to_dict(self):\n        from .b import dump\n        return dump(self)\n"
    )
    (package / "b.py").write_text("from pkg.a import A\n\ndef dump(a: A) -> dict:\n    return {}\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(package, "pkg")
    assert graph["pkg.c"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.a"]
    (package / "a.py").write_text("class A:\n    pass\n")
    assert find_cycle(import_graph(package, "pkg")) is None
