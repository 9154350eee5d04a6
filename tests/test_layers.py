"""The layers keep to their side: read from the source, so a new module is checked too.

- pages, API and CLI reach the database only through services (no `db`, no SQLAlchemy);
- services know nothing of Flask or of the layers that call them, so they run in a request,
  a CLI command or a worker alike;
- the document libraries (rules, lifecycles, certificate facts, pdf, pki, specimen,
  credentials) are leaves;
- no module imports back into a module that imports it (no import cycles).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "labcert"


def module_name(path: Path) -> str:
    """Return the dotted name of a module file under the project root."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> Iterator[tuple[str, int]]:
    """Yield every imported name (module, or module.attribute) with its line, at any depth."""
    tree = ast.parse(path.read_text(), str(path))
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def offences(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    """List `path:line name` for each import in `layer` of a forbidden module or name."""
    found = []
    for name, path in MODULES.items():
        if name != layer and not name.startswith(layer + "."):
            continue
        for imported, line in imports_of(path):
            if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} {imported}")
    return sorted(set(found))


def uses_of_db(layer: str) -> list[str]:
    """List every `db.<anything>` expression in a layer (the session, get_or_404, paginate)."""
    found = []
    for name, path in MODULES.items():
        if not name.startswith(layer + "."):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "db":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} db.{node.attr}")
    return found


@pytest.mark.parametrize("layer", ["labcert.web", "labcert.api", "labcert.cli", "labcert.jobs"])
def test_pages_api_and_cli_reach_the_database_only_through_services(layer: str) -> None:
    assert offences(layer, ("labcert.extensions.db", "sqlalchemy", "flask_sqlalchemy")) == []
    assert uses_of_db(layer) == []


def test_services_know_nothing_of_flask_or_of_their_callers() -> None:
    forbidden = ("flask", "flask_login", "flask_wtf", "werkzeug.exceptions", "labcert.web",
                 "labcert.api", "labcert.cli", "labcert.console", "labcert.runtime",
                 "labcert.signing", "labcert.uploads", "labcert.http_errors")
    assert offences("labcert.services", forbidden) == []
    current_app = [f"{p.relative_to(ROOT)}:{node.lineno}" for n, p in MODULES.items()
                   if n.startswith("labcert.services.")
                   for node in ast.walk(ast.parse(p.read_text()))
                   if isinstance(node, ast.Name) and node.id == "current_app"]
    assert current_app == []


@pytest.mark.parametrize("leaf", ["labcert.rules", "labcert.lifecycles", "labcert.pdf",
                                  "labcert.pki", "labcert.certificate_facts", "labcert.specimen",
                                  "labcert.credentials"])
def test_document_libraries_are_leaves(leaf: str) -> None:
    forbidden = ("flask", "sqlalchemy", "flask_sqlalchemy", "labcert.models",
                 "labcert.services", "labcert.extensions", "labcert.web", "labcert.api")
    assert offences(leaf, forbidden) == []


def import_graph() -> dict[str, set[str]]:
    """Map each labcert module to the labcert modules it imports (at any depth in the file)."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = {imported for imported, _ in imports_of(path) if imported in MODULES}
        # `from labcert.web.lab import bp` names the module, not its package's __init__.
        graph[name] = {t for t in targets if not any(
            o.startswith(t + ".") and o in targets for o in targets)} - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_back_into_a_module_that_imports_it() -> None:
    assert cycles(import_graph()) == []
