"""The development tools are one package run with ``python -m``: no ``sys.path`` edits, no import
cycle among them, and the shipped package never imports them."""

from __future__ import annotations

import ast

from conftest import ROOT


def _modules(package: str) -> dict[str, ast.Module]:
    """Every module of ``package`` under the project root, by dotted name, parsed."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return found


def _imported(tree: ast.Module) -> set[str]:
    """Dotted names a module imports, at the top or inside a function (``from a import b`` gives
    both ``a`` and ``a.b``, since ``b`` may be a module)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_tool_edits_sys_path() -> None:
    edits = [name for name, tree in _modules("tools").items() for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr == "path"
             and isinstance(node.value, ast.Name) and node.value.id == "sys"]
    assert not edits, f"sys.path touched in {sorted(set(edits))}; run the tool with python -m"


def test_no_import_cycle_among_tools() -> None:
    modules = _modules("tools")
    graph = {name: {dep for dep in _imported(tree) if dep in modules and dep != name}
             for name, tree in modules.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, path + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_the_shipped_package_never_imports_the_tools() -> None:
    upward = {name: sorted(dep for dep in _imported(tree) if dep == "tools" or dep.startswith("tools."))
              for name, tree in _modules("pipeline").items()}
    assert not {name: deps for name, deps in upward.items() if deps}
