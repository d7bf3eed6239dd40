"""The package's layout holds: every module imports, no import cycle, no upward import.

The import graph is read from the source (an AST walk of every ``import pipeline...`` and
``from pipeline... import`` line, those inside functions included: a lazy import is still a
dependency, and it is how a cycle usually hides). ``from pipeline.x import y`` is an edge to the
module ``pipeline.x.y`` when there is one, else to ``pipeline.x``. The packages Python imports on
the way to a module are edges too (their ``__init__`` runs first): ``pipeline.present`` importing
``pipeline.search.names`` ran ``pipeline.search``'s ``__init__``, which imported
``pipeline.present`` back. Only the root package, which imports nothing, is left out.

To hold more of the package to these rules, add a prefix to ``ACYCLIC`` or a line to
``FORBIDDEN``.
"""

from __future__ import annotations

import ast
import re
import importlib
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "pipeline"

#: Prefixes whose modules may be in no import cycle, whatever the other modules of the cycle.
ACYCLIC = ("pipeline",)
#: (importer prefix, imported prefixes it must not reach): a lower layer never imports a
#: higher one.
_ABOVE_STORE = ("pipeline.search", "pipeline.present", "pipeline.web", "pipeline.exchange",
                "pipeline.cli", "pipeline.ingest")
FORBIDDEN = (
    # the data flow: extract -> structure/entities -> catalogue -> search -> web / exchange
    ("pipeline.models", ("pipeline.extract", "pipeline.structure", "pipeline.entities",
                         "pipeline.catalogue", *_ABOVE_STORE)),
    ("pipeline.reference", ("pipeline.extract", "pipeline.structure", "pipeline.entities",
                            "pipeline.catalogue", *_ABOVE_STORE)),
    ("pipeline.extract", ("pipeline.structure", "pipeline.entities", "pipeline.catalogue",
                          *_ABOVE_STORE)),
    ("pipeline.structure", ("pipeline.catalogue", *_ABOVE_STORE)),
    ("pipeline.entities", ("pipeline.catalogue", *_ABOVE_STORE)),
    ("pipeline.catalogue", _ABOVE_STORE),
    ("pipeline.search", ("pipeline.web", "pipeline.exchange", "pipeline.cli", "pipeline.ingest")),
    ("pipeline.present", ("pipeline.web", "pipeline.exchange", "pipeline.cli", "pipeline.ingest")),
    ("pipeline.exchange", ("pipeline.web", "pipeline.cli")),
    # The page adds rulings through ingest itself (uploads, the inbox), as the CLI does; ingest
    # never reaches back into the page.
    ("pipeline.web", ("pipeline.cli", "pipeline.exchange")),
    ("pipeline.ingest", ("pipeline.cli", "pipeline.web")),
)
#: Modules that do something when imported, not only define things.
NOT_IMPORTED = {"pipeline.__main__"}


def module_files(root: Path = ROOT / PACKAGE) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package under ``root``."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _target(name: str, modules: dict[str, Path]) -> str | None:
    """The module an imported dotted name stands for: itself, or its longest known prefix."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``module`` (at ``path``) imports, lazily or not."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                     for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith(PACKAGE + "."):
                target = _target(name, modules)
                while target and target != PACKAGE:
                    if target != module and not module.startswith(target + "."):
                        found.add(target)
                    target = target.rpartition(".")[0]
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports."""
    modules = module_files()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        # Iterative, so a long chain of imports cannot exhaust the recursion limit.
        work = [(node, iter(sorted(graph.get(node, ()))))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[current] = min(low[current], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _under(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("module", sorted(set(module_files()) - NOT_IMPORTED))
def test_every_module_imports(module: str) -> None:
    importlib.import_module(module)


def test_the_graph_sees_lazy_relative_and_from_imports(tmp_path: Path) -> None:
    """Near-misses of the reader itself: a lazy import counts, a parent package does not."""
    modules = {name: tmp_path for name in
               ("pipeline", "pipeline.a", "pipeline.a.b", "pipeline.a.c", "pipeline.cli")}
    probe = tmp_path / "b.py"
    probe.write_text("from pipeline.a import c\n"
                     "from . import c as again\n"
                     "import os\n"
                     "def later():\n"
                     "    from pipeline.cli import cli\n"
                     "    import pipeline.a.c.missing\n", encoding="utf-8")
    assert imports_of("pipeline.a.b", probe, modules) == {"pipeline.a.c", "pipeline.cli"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    found = [c for c in cycles(import_graph()) if any(_under(m, ACYCLIC) for m in c)]
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_no_upward_import() -> None:
    graph = import_graph()
    wrong = sorted(f"{module} imports {target}"
                   for importer, forbidden in FORBIDDEN
                   for module, targets in graph.items() if _under(module, (importer,))
                   for target in targets if _under(target, forbidden))
    assert not wrong, "\n".join(wrong)


def test_every_file_the_readme_layout_names_exists() -> None:
    """The README's Layout section names no file or folder the tree has lost (a module that
    moved leaves its old line behind otherwise)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    files = {p.name for top in ("pipeline", "tools", "tests", "docs", "corpora")
             for p in (ROOT / top).rglob("*") if "__pycache__" not in p.parts}
    named = set(re.findall(r"\b[\w.-]+\.(?:py|md|txt|sh|gz)\b", layout))
    missing = sorted(n for n in named if n not in files and not (ROOT / n).exists())
    assert not missing, f"README Layout names files the tree does not have: {missing}"
    folders = set(re.findall(r"^\s*([\w-]+)/", layout, re.M))
    tree = {p.name for p in ROOT.rglob("*") if p.is_dir() and ".git" not in p.parts}
    assert folders <= tree, sorted(folders - tree)
