"""The shape of the code: modules and functions small enough to read, and imports that
go one way. Read with the standard library's ``ast``; nothing is imported or run."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("commitments", "surveys", "api", "dossiers", "reform", "loadtest", "bench", "tests")
# The built-in data reads best as one table each; migrations are generated.
LONG_BY_NATURE = {"commitments/catalogue.py", "commitments/demo.py"}
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    """Every module of the project by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules a module imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # ``from package import module`` names the module, not the package.
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {t for t in targets if t in MODULES and t != name}


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, or None."""
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_checker_sees_a_cycle(tmp_path, monkeypatch):
    """The cycle check is not vacuous: two modules that import each other are caught."""
    (tmp_path / "a.py").write_text("from b import x\n")
    (tmp_path / "b.py").write_text("import a\nx = 1\n")
    modules = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    monkeypatch.setattr(sys.modules[__name__], "MODULES", modules)
    assert _cycle() == ["a", "b", "a"]


def test_no_import_cycle_between_project_modules():
    assert _cycle() is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_short_enough_to_read(name):
    path = MODULES[name]
    if str(path.relative_to(ROOT)) in LONG_BY_NATURE:
        pytest.skip("built-in data")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_no_function_is_longer_than_sixty_lines():
    long = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert long == []
