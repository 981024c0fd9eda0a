"""The package's layers: a lower layer never imports a higher one, and no module imports itself
back through others. Every import counts, deferred ones inside functions too (an AST walk over
the source folders that pyproject.toml maps into the package)."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# lowest first; a module belongs to the longest prefix that names it
LAYERS: list[tuple[str, ...]] = [
    ("pressroom.core",),
    ("pressroom.extractors", "pressroom.warehouse"),
    ("pressroom.config",),
    ("pressroom.flows.crawl",),
    ("pressroom.flows",),
    ("pressroom",),
]
FORBIDDEN = {  # siblings in one layer that stay apart
    ("pressroom.extractors", "pressroom.warehouse"),
    ("pressroom.warehouse", "pressroom.extractors"),
}


def _modules() -> dict[str, Path]:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found: dict[str, Path] = {}
    for package, folder in setuptools["package-dir"].items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found.setdefault(name, path)
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" for alias in node.names]
            if any(target not in modules for target in targets):  # names, not submodules
                targets.append(base)
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def _owner(module: str) -> tuple[int, str]:
    best = (-1, "")
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best[1]):
                best = (rank, prefix)
    return best


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: set(_imports(path, name, modules)) for name, path in modules.items()}


def test_the_package_has_only_pressroom_names_and_every_folder_is_mapped() -> None:
    graph = _graph()
    assert graph and all(name.startswith("pressroom") for name in graph)
    assert {"pressroom.core.errors", "pressroom.flows.crawl.fetch"} <= set(graph)


def test_no_layer_imports_a_higher_one() -> None:
    wrong = []
    for module, targets in _graph().items():
        rank, prefix = _owner(module)
        for target in targets:
            target_rank, target_prefix = _owner(target)
            if target_prefix == prefix:
                continue
            if target_rank > rank or (target_rank == rank) or (prefix, target_prefix) in FORBIDDEN:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []
