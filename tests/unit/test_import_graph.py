"""The caseflow package's import graph, read from the source with ``ast``: no circle between modules, and the layers
import only downwards (services never reach for the web or for job code; the domain knows no framework).

Every import counts, at module level or inside a function: a late import hides a circle from Python, not from a
reader. ``from package import name`` is an edge to the submodule ``package.name`` when there is one, else to the
package; importing a submodule does not count as importing its parent package's ``__init__``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "caseflow"

# Circles allowed to remain (none now): the test fails on any other circle, and on a circle listed here that no longer
# exists, so this list only shrinks.
KNOWN_CIRCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package's __init__)."""
    found = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import ...`` written in ``module``."""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> dict[str, set[str]]:
    """Module -> the caseflow modules it imports (anywhere in the file)."""
    modules = _modules()
    graph = {}
    for module, (path, is_package) in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(module, is_package, node.level, node.module) if node.level else node.module
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    edges.add(submodule if submodule in modules else target)
        graph[module] = {e for e in edges if e in modules and e != module}
    return graph


def external_imports(prefix: str) -> dict[str, set[str]]:
    """Module under ``prefix`` -> every top-level or dotted name it imports (caseflow's and third parties')."""
    found = {}
    for module, (path, is_package) in _modules().items():
        if module != prefix and not module.startswith(prefix + "."):
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(module, is_package, node.level, node.module) if node.level else node.module
                names.add(target)
                names.update(f"{target}.{alias.name}" for alias in node.names)
        found[module] = names
    return found


def circles(graph: dict[str, set[str]]) -> dict[frozenset[str], list[str]]:
    """The strongly connected components of more than one module (Tarjan): their modules -> one circle among
    them, as a path."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
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
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return {frozenset(c): _one_circle(graph, set(c)) for c in components}


def _one_circle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module through the component back to it."""
    start = min(component)
    came_from: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    path = [v]
                    while came_from[path[-1]] is not None:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if w not in came_from:
                    came_from[w] = v
                    following.append(w)
        frontier = following
    raise AssertionError(f"not a circle: {sorted(component)}")


def test_the_graph_sees_module_and_function_level_imports():
    graph = import_graph()
    assert "caseflow.services.unit" in graph["caseflow.services.casework"]  # module level
    assert "caseflow.jobs" in graph["caseflow"]  # inside a function of create_app
    assert "caseflow.web.officer" in graph["caseflow.web.officer.routes"]  # from . import bp
    assert "caseflow.services.snapshot" in graph["caseflow.services.sla"]  # from . import snapshot


def test_the_circle_finder_reports_a_circle_as_a_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == {frozenset("abc"): ["a", "b", "c", "a"]}
    assert circles({"a": {"b"}, "b": set()}) == {}


def test_no_import_circle_between_the_packages_modules():
    found = circles(import_graph())
    new = [f"{' -> '.join(path)} (all of: {', '.join(sorted(members))})"
           for members, path in found.items() if members not in KNOWN_CIRCLES]
    assert not new, "import circles:\n" + "\n".join(new)
    gone = [sorted(c) for c in KNOWN_CIRCLES if c not in found]
    assert not gone, f"no longer a circle (remove it from KNOWN_CIRCLES): {gone}"


def test_services_import_neither_job_code_nor_the_web():
    wrong = {module: sorted(n for n in names if n.split(".")[:2] in (["caseflow", "jobs"], ["caseflow", "web"])
                            or n in ("caseflow.worker", "caseflow.cli"))
             for module, names in external_imports("caseflow.services").items()}
    assert not {m: n for m, n in wrong.items() if n}


@pytest.mark.parametrize("forbidden", ["flask", "sqlalchemy", "caseflow.services", "caseflow.models", "caseflow.web",
                                       "caseflow.extensions", "caseflow.jobs"])  # flask: flask_babel, ... too
def test_the_domain_imports_no_framework_and_no_outer_layer(forbidden):
    wrong = {module: sorted(n for n in names if n == forbidden or n.startswith((forbidden + ".", forbidden + "_")))
             for module, names in external_imports("caseflow.domain").items()}
    assert not {m: n for m, n in wrong.items() if n}
