"""Start-up budget: each command imports only what it needs.

rich costs ~30 ms, tomlkit ~15 ms, portalocker 26 to 50 ms (mostly
`importlib.metadata` reading its own version; on POSIX taskctl locks without it) and
typer 30 to 60 ms on this project's machines, paid by every run that imports them.
Each test runs the real command in a subprocess under `-X importtime`, which reports
every module as it is imported, whatever way the process then exits.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_process import run_importtime

TASKS = {
    "master": {
        "tasks": [
            {
                "id": 1,
                "title": "Write the benchmark",
                "description": "Time whole processes",
                "status": "pending",
                "priority": "high",
                "dependencies": [],
                "subtasks": [],
            }
        ],
        "metadata": {},
    }
}


@pytest.fixture
def store(project: Path) -> Path:
    (project / ".taskmaster" / "tasks" / "tasks.json").write_text(json.dumps(TASKS, indent=2))
    return project


def run(cwd: Path, *args: str) -> tuple[str, set[str]]:
    """Run `taskctl ARGS` (stdout a pipe); its stdout and the set of modules it imported."""
    out, _, modules = run_importtime(cwd, *args)
    return out, modules


def loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_config_get_loads_no_rich_tomlkit_or_portalocker(store: Path) -> None:
    out, modules = run(store, "config", "get", "tasks.default_priority")
    assert out.strip() == "medium"
    assert [p for p in ("rich", "tomlkit", "portalocker") if loaded(modules, p)] == []


def test_list_json_loads_no_rich_tomlkit_or_portalocker(store: Path) -> None:
    out, modules = run(store, "tasks", "list", "--json")
    assert [t["title"] for t in json.loads(out)] == ["Write the benchmark"]
    assert [p for p in ("rich", "tomlkit", "portalocker") if loaded(modules, p)] == []


@pytest.mark.parametrize(
    "args",
    [
        ("tasks", "list", "--json"),
        ("tasks", "list", "--status", "pending", "--sort=priority"),
        ("tasks", "show", "1"),
        ("tasks", "next", "--json"),
        ("-c", "output.format=json", "tasks", "add", "Fast", "--quiet"),
        ("tasks", "update", "1", "--status", "done"),
        ("tasks", "validate", "--json"),
    ],
    ids=" ".join,
)
def test_plain_tasks_commands_run_without_typer(store: Path, args: tuple[str, ...]) -> None:
    """The fast path (taskctl.cli.fastpath) runs them; tests/test_fastpath.py shows how."""
    _, modules = run(store, *args)
    assert not loaded(modules, "typer")
    assert loaded(modules, "taskctl.cli.fastpath")


def test_help_and_other_commands_still_go_through_typer(store: Path) -> None:
    for args in (("tasks", "list", "--help"), ("tasks", "history"), ("config", "list")):
        _, modules = run(store, *args)
        assert loaded(modules, "typer"), args


def test_plain_list_on_a_pipe_loads_no_rich(store: Path) -> None:
    out, modules = run(store, "tasks", "list")
    assert "Write the benchmark" in out
    assert not loaded(modules, "rich")


def test_a_drawn_table_and_a_config_write_do_load_what_they_need(store: Path) -> None:
    """The detection itself works: these paths import the table's module and tomlkit.
    The table draws itself: rich is not imported for it (issue 12)."""
    _, modules = run(store, "tasks", "list", "--format", "table")
    assert loaded(modules, "taskctl.cli.table")
    assert not loaded(modules, "rich")
    _, modules = run(store, "config", "set", "tasks.sort", "priority")
    assert loaded(modules, "tomlkit")


@pytest.mark.skipif(sys.platform == "win32", reason="Windows locks through portalocker")
def test_a_write_loads_neither_rich_nor_portalocker(store: Path) -> None:
    out, modules = run(store, "tasks", "add", "Measured", "--quiet")
    assert out.strip() == "2"
    assert [p for p in ("rich", "tomlkit", "portalocker") if loaded(modules, p)] == []


def test_completion_and_the_fast_path_do_not_import_the_entry_point() -> None:
    """No cycle: the entry point imports them, never the other way round."""
    probe = (
        "import sys, taskctl.cli.completion.protocol, taskctl.cli.fastpath;"
        "print('taskctl.cli.entry' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stdout.strip() == "False"


def test_the_config_package_imports_a_module_only_when_a_name_of_it_is_used() -> None:
    """`taskctl.core.config` re-exports its modules' public names lazily."""
    probe = (
        "import sys, taskctl.core.config as config;"
        "print(sorted(m for m in sys.modules if m.startswith('taskctl.core.config.')));"
        "config.format_value;"
        "print(sorted(m for m in sys.modules if m.startswith('taskctl.core.config.')));"
        "print(all(getattr(config, name) is not None for name in config.__all__))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stdout.splitlines() == ["[]", "['taskctl.core.config.schema']", "True"]


def test_the_tasks_package_imports_a_module_only_when_a_name_of_it_is_used() -> None:
    """`taskctl.core.tasks` re-exports its modules' public names lazily."""
    probe = (
        "import sys, taskctl.core.tasks as ops;"
        "print(sorted(m for m in sys.modules if m.startswith('taskctl.core.tasks.')));"
        "ops.parse_ref;"
        "print(sorted(m for m in sys.modules if m.startswith('taskctl.core.tasks.')));"
        "print(all(getattr(ops, name) is not None for name in ops.__all__))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stdout.splitlines() == ["[]", "['taskctl.core.tasks.ids']", "True"]
