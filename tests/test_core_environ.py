"""Core takes the environment and taskctl's version from its caller.

The command's environment is read once, where the process's context is built
(`taskctl.cli.context.AppContext`, the completion protocol, `taskctl.open()`), and
passed down; a core function that read `os.environ` itself would answer for another
environment than the one a test, a script or a completion request gave it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import taskctl.core

CORE = Path(taskctl.core.__file__).parent


def core_nodes() -> Iterator[tuple[str, ast.AST]]:
    """(`module.py:line`, node) for every node of every core module."""
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            yield f"{path.relative_to(CORE)}:{getattr(node, 'lineno', 0)}", node


def test_core_never_reads_the_process_environment() -> None:
    found = [
        f"{where}: os.{node.attr}"
        for where, node in core_nodes()
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in ("environ", "environb", "getenv", "getenvb")
    ]
    assert found == []


def test_core_takes_the_version_from_its_caller() -> None:
    found = [
        where
        for where, node in core_nodes()
        if isinstance(node, ast.ImportFrom) and node.module == "taskctl"
    ]
    assert found == []
