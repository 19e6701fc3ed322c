"""The three layers hold: modules whose docstring says they are pure import no web or
database code and never read the clock or global randomness; only the scheduler
imports py-fsrs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quiz_app"

#: Frameworks a pure module must not import (by top-level package).
FRAMEWORKS = {
    "flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate",
    "sqlalchemy", "werkzeug", "wtforms",
}  # fmt: skip
#: Our own modules that touch the database or the request.
IMPURE_SUFFIXES = (".models", ".services", ".queries", ".views", ".forms", ".cli")
#: Attribute calls that read the clock.
CLOCK_CALLS = {"now", "utcnow", "today", "time", "monotonic"}


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE.parent)): ast.parse(path.read_text("utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = _modules()
PURE = sorted(
    name
    for name, tree in MODULES.items()
    if (ast.get_docstring(tree) or "").lower().startswith("pure")
)


def _is_type_checking_block(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (imports for types only)."""
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        stack += [
            c for c in ast.iter_child_nodes(node) if not _is_type_checking_block(c)
        ]
    return found


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_pure_modules_are_found():
    assert {
        "quiz_app/questions/grading.py",
        "quiz_app/flashcards/scheduler.py",
        "quiz_app/banks/loader.py",
        "quiz_app/progress/stats.py",
    } <= set(PURE)


@pytest.mark.parametrize("name", PURE)
def test_pure_module_imports_no_web_or_database_code(name):
    imports = _imports(MODULES[name])
    assert not {i for i in imports if i.split(".")[0] in FRAMEWORKS}
    assert "quiz_app.extensions" not in imports
    assert not {
        i for i in imports if i.startswith("quiz_app") and i.endswith(IMPURE_SUFFIXES)
    }


@pytest.mark.parametrize("name", PURE)
def test_pure_module_reads_no_clock_and_no_global_random(name):
    tree = MODULES[name]
    assert "random" not in {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }, "use an injected random.Random"
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not calls & CLOCK_CALLS, "take now= as a parameter"


def test_only_the_scheduler_imports_fsrs():
    importers = {
        name
        for name, tree in MODULES.items()
        if any(i.split(".")[0] == "fsrs" for i in _imports(tree))
    }
    assert importers == {"quiz_app/flashcards/scheduler.py"}
