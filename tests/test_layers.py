"""The package's layers, read from its import statements.

Every `import` and `from ... import` in taskctl/ is read with `ast`: at module level,
inside functions (the lazy imports that keep start-up cheap), relative ones resolved
(`from . import x` is the module `x` of this package when there is one). What counts:

* a cycle among taskctl's modules, function-level imports included: a lazy import
  that closes a cycle defers it to run time, it does not remove it from the reading.
  Imports under `if TYPE_CHECKING:` never run and are what breaks a cycle that only
  annotations need, so they are left out of cycles;
* `taskctl.core` importing anything above it: the CLI, the API, the package's own
  `__init__` (whose version the caller passes in), typer, rich or click. Here
  `TYPE_CHECKING` imports count too: an upward name in an annotation is still upward;
* the command bodies and their values (`cli.run`, `cli.options`, `cli.results`)
  importing typer, rich or click: they are built and tested without them.

Dynamic imports (`importlib.import_module`, the lazy groups and re-exports) are not
statements and are not seen.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

import pytest

import taskctl

PACKAGE = Path(taskctl.__file__).parent
UI_LIBRARIES = ("typer", "rich", "click")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


class Import(NamedTuple):
    source: str  # the importing module
    target: str  # the module imported (a submodule when `from p import sub` names one)
    line: int
    in_function: bool
    type_checking: bool

    def where(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _base(module: str, node: ast.ImportFrom) -> str:
    """The module a `from` import names, its dots resolved against `module`."""
    if node.level == 0:
        return node.module or ""
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imports_in(module: str, source: str) -> list[Import]:
    """Every import statement of `source`, the text of `module`."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(
                Import(module, alias.name, node.lineno, in_function, type_checking)
                for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                target = sub if sub in MODULES else base
                found.append(Import(module, target, node.lineno, in_function, type_checking))
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, in_function, True)
            for child in node.orelse:  # the `else:` of `if TYPE_CHECKING:` does run
                visit(child, in_function, type_checking)
        else:
            function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            for child in ast.iter_child_nodes(node):
                visit(child, in_function or function, type_checking)

    visit(ast.parse(source), False, False)
    return found


def imports(module: str) -> list[Import]:
    return imports_in(module, MODULES[module].read_text(encoding="utf-8"))


ALL = [i for module in MODULES for i in imports(module)]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module, or a module that
    imports itself (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root, targets in graph.items():
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(targets))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(sorted(component))
    return found


def import_graph(found: list[Import]) -> dict[str, set[str]]:
    """Which taskctl modules each one imports, when it runs (no TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for i in found:
        if not i.type_checking and i.target in MODULES:
            graph[i.source].add(i.target)
    return graph


def test_no_import_cycle_among_the_modules() -> None:
    assert cycles(import_graph(ALL)) == []


def _top(target: str) -> str:
    return target.partition(".")[0]


def test_core_imports_nothing_above_it() -> None:
    upward = [
        i.where()
        for i in ALL
        if (i.source == "taskctl.core" or i.source.startswith("taskctl.core."))
        and (
            i.target in ("taskctl", "taskctl.api", "taskctl.cli")
            or i.target.startswith("taskctl.cli.")
            or _top(i.target) in UI_LIBRARIES
        )
    ]
    assert upward == []


@pytest.mark.parametrize(
    "package", ["taskctl.cli.run", "taskctl.cli.options", "taskctl.cli.results"]
)
def test_command_bodies_and_values_are_typer_free(package: str) -> None:
    modules = [m for m in MODULES if m == package or m.startswith(package + ".")]
    assert modules
    found = [i.where() for m in modules for i in imports(m) if _top(i.target) in UI_LIBRARIES]
    assert found == []


# --------------------------------------------------------------------------- the reader itself


def test_the_reader_sees_every_kind_of_import() -> None:
    """What the tests above rely on: a reader that saw nothing would pass them all."""
    source = (
        "from __future__ import annotations\n"
        "import typer.core\n"
        "from . import tasks, not_a_module\n"
        "from ..cli import app\n"
        "from .tasks.ids import Ref\n"
        "if TYPE_CHECKING:\n"
        "    from taskctl.api import Project\n"
        "else:\n"
        "    import rich\n"
        "def lazy():\n"
        "    from taskctl.core import store\n"
    )
    found = [
        (i.target, i.in_function, i.type_checking) for i in imports_in("taskctl.core.tags", source)
    ]
    assert found == [
        ("__future__", False, False),
        ("typer.core", False, False),
        ("taskctl.core.tasks", False, False),
        ("taskctl.core", False, False),
        ("taskctl.cli.app", False, False),
        ("taskctl.core.tasks.ids", False, False),
        ("taskctl.api", False, True),
        ("rich", False, False),
        ("taskctl.core.store", True, False),
    ]
    # a package's own `from . import x` is its submodule
    assert imports_in("taskctl.core", "from . import tags\n")[0].target == "taskctl.core.tags"


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["d"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_real_package_has_lazy_and_type_checking_imports() -> None:
    """The package has both kinds this test treats specially, so both are exercised."""
    assert any(i.in_function and i.target in MODULES for i in ALL)
    assert any(i.type_checking and i.target in MODULES for i in ALL)
    assert any(i.source == "taskctl.cli.app" and _top(i.target) == "typer" for i in ALL)
