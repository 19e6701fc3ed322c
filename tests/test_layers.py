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


# --------------------------------------------------------------------------------------
# The import contract (docs/architecture.md): the layers point inward, no cycles.

#: Module names (the part after the package) that form the web layer.
WEB_NAMES = frozenset({"views", "forms", "cli", "decorators"})
#: Top-level modules of the web layer and the composition root (they wire everything).
WEB_TOP = frozenset(
    {
        "quiz_app",
        "quiz_app.cli",
        "quiz_app.web",
        "quiz_app.forms",
        "quiz_app.errors",
        "quiz_app.logs",
    }
)
ROOT = frozenset({"quiz_app", "quiz_app.models"})
#: Binds the extensions to the app and installs the per-request transaction hooks.
INFRASTRUCTURE = frozenset({"quiz_app.extensions"})
#: What a service must not read from Flask: request state and the app.
REQUEST_STATE = {
    "flask": {"request", "session", "g", "current_app"},
    "flask_login": {"current_user"},
}


def _dotted(path: str) -> str:
    name = path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


DOTTED = {_dotted(path): tree for path, tree in MODULES.items()}
PURE_DOTTED = {_dotted(path) for path in PURE}


def _is_web(module: str) -> bool:
    return module in WEB_TOP or module.rsplit(".", 1)[-1] in WEB_NAMES


def _targets(module: str) -> dict[str, set[str]]:
    """Our modules this one imports at run time -> the names it takes from each."""
    found: dict[str, set[str]] = {}
    for node in _runtime_nodes(DOTTED[module]):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set())
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in DOTTED:  # `from quiz_app.quiz import services`
                    found.setdefault(sub, set())
                else:
                    found.setdefault(node.module, set()).add(alias.name)
    return found


def _package(module: str) -> str:
    """The unit of the cycle check: a domain package, or a top-level module."""
    return ".".join(module.split(".")[:2])


CORE = sorted(m for m in DOTTED if not _is_web(m) and m not in ROOT)


@pytest.mark.parametrize("module", sorted(PURE_DOTTED))
def test_pure_modules_import_only_pure_modules_of_ours(module):
    ours = {t for t in _targets(module) if t.startswith("quiz_app.")}
    assert ours <= PURE_DOTTED, f"{module} imports impure {sorted(ours - PURE_DOTTED)}"


@pytest.mark.parametrize("module", sorted(set(CORE) - INFRASTRUCTURE))
def test_services_import_no_web_layer_and_no_request_state(module):
    targets = _targets(module)
    web = sorted(t for t in targets if t.startswith("quiz_app") and _is_web(t))
    assert not web, f"{module} imports the web layer: {web}"
    for framework, names in REQUEST_STATE.items():
        taken = targets.get(framework, set()) & names
        assert not taken, f"{module} reads {framework}.{sorted(taken)}: pass values in"


@pytest.mark.parametrize("module", sorted(m for m in DOTTED if _is_web(m)))
def test_views_import_no_other_domains_views(module):
    own = _package(module)
    foreign = sorted(
        t
        for t in _targets(module)
        if t.endswith((".views", ".cli")) and _package(t) != own and t in DOTTED
    )
    assert module in ROOT | {"quiz_app.cli"} or not foreign, foreign


#: Known edges against the layering, each to be removed (then delete it here: a test
#: fails when a listed edge no longer exists). quiz reads classes' assignments for a
#: class's own settings (quiz/access.py, QuizAttempt.assignment): TODO(#15) pass them
#: in from the views, as the assignment windows already are.
ALLOWED_UPWARD = frozenset({("quiz_app.quiz", "quiz_app.classes")})


def _core_graph(
    *, allowed: frozenset[tuple[str, str]] = ALLOWED_UPWARD
) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in CORE:
        edges = graph.setdefault(_package(module), set())
        for target in _targets(module):
            if (
                target in DOTTED
                and _package(target) != _package(module)
                and not _is_web(target)
                and (_package(module), _package(target)) not in allowed
            ):
                edges.add(_package(target))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path, or [] when it has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_packages_form_no_cycles_below_the_web_layer():
    """Models, services and pure modules of the domains depend on each other one way
    only (views may use any domain's services: they compose them)."""
    graph = _core_graph()
    assert {"quiz_app.banks", "quiz_app.questions"} <= graph["quiz_app.quiz"]
    assert _cycle(graph) == []


def test_every_allowed_upward_edge_still_exists():
    graph = _core_graph(allowed=frozenset())
    for source, target in ALLOWED_UPWARD:
        assert target in graph[source], f"{source} -> {target} is gone: unlist it"


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []
