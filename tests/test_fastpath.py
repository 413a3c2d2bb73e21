"""The fast path (taskctl.cli.fastpath) runs a command line exactly as typer would, or not at all.

Each comparison runs one command line twice on the same project, restored in between:
through the Typer app (CliRunner) and through `fastpath.run`. Exit code, stdout,
stderr and every file left in the project must be the same. Hypothesis draws the
command lines from the commands' real options, with valid and invalid values and the
odd forms the fast path must leave to typer; separate tests pin which lines it runs
itself, so that "the same" cannot come from declining everything.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from taskctl.cli import fastpath
from taskctl.cli._command_map import COMMANDS
from taskctl.cli.app import app
from taskctl.cli.context import AppContext
from tests.cli_process import taskctl, typer_only

runner = CliRunner()

TASKS: dict[str, Any] = {
    "master": {
        "tasks": [
            {
                "id": 1,
                "title": "Set up the repo",
                "description": "Create the layout",
                "details": "",
                "testStrategy": "",
                "status": "done",
                "priority": "high",
                "dependencies": [],
                "subtasks": [
                    {"id": 1, "title": "Init", "status": "done", "dependencies": []},
                    {"id": 2, "title": "Push", "status": "pending", "dependencies": [1]},
                ],
            },
            {
                "id": 2,
                "title": "Write the parser",
                "description": "Parse\tcommand lines",
                "status": "pending",
                "priority": "medium",
                "dependencies": [1],
                "subtasks": [],
            },
            {
                "id": 3,
                "title": "Ship \x1b[31mit",
                "description": "Release",
                "status": "in-progress",
                "priority": "low",
                "dependencies": [2],
                "subtasks": [],
            },
            {"id": "4", "title": "Legacy id", "description": None, "status": "blocked"},
        ],
        "metadata": {"created": "2025-01-01T00:00:00.000Z"},
    },
    "feature": {"tasks": [{"id": 1, "title": "Branch work", "status": "pending"}]},
}


def fixed_clock() -> str:
    """Both runs stamp `updatedAt` at the same instant."""
    return "2026-01-02T03:04:05.678Z"


@pytest.fixture
def root(project: Path) -> Path:
    (project / ".taskmaster" / "tasks" / "tasks.json").write_text(json.dumps(TASKS, indent=2))
    (project / ".taskctl.toml").write_text('[tasks]\ndefault_priority = "high"\n')
    return project


def snapshot(root: Path) -> dict[str, Any]:
    """Every file under the project: bytes, but a backup's metadata without its time."""
    files: dict[str, Any] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name.endswith(".meta"):
                meta = json.loads(data)
                meta.pop("time", None)
                files[str(path.relative_to(root))] = meta
            else:
                files[str(path.relative_to(root))] = data
    return files


def _traceback_cut(stderr: str) -> str:
    """With --debug, a traceback (whose frames differ: typer's are not on the fast path)
    comes before the error line; keep the error line."""
    if "Traceback (most recent call last):" in stderr:
        return stderr.rstrip("\n").rpartition("\n")[2] + "\n"
    return stderr


def via_typer(argv: list[str]) -> tuple[int, str, str]:
    given = AppContext(environ=dict(os.environ), clock=fixed_clock)
    result = runner.invoke(app, argv, prog_name="taskctl", obj=given)
    return result.exit_code, result.stdout, _traceback_cut(result.stderr)


def via_fastpath(argv: list[str]) -> tuple[int, str, str] | None:
    with runner.isolation() as (out, err, _):
        code = fastpath.run(argv, os.environ, clock=fixed_clock)
        if code is None:
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue().decode(), _traceback_cut(err.getvalue().decode())


def _restore(root: Path, keep: Path) -> None:
    """The project as it was, every file a new inode: no cache can tell the runs apart."""
    cwd = Path.cwd()
    shutil.rmtree(root)
    shutil.copytree(keep, root)
    os.chdir(cwd)  # the same path, now the new folder


def compare(root: Path, argv: list[str]) -> bool:
    """Run `argv` both ways on the same project; True when the fast path ran it."""
    keep = root.parent / "pristine"
    if keep.exists():
        shutil.rmtree(keep)
    shutil.copytree(root, keep)
    expected = via_typer(argv), snapshot(root)
    assert "internal error" not in expected[0][2], (argv, expected[0])  # a bug, either way
    _restore(root, keep)
    result = via_fastpath(argv)
    got = (result, snapshot(root)) if result is not None else None
    _restore(root, keep)
    if got is None:
        return False
    assert got == expected, argv
    return True


# --------------------------------------------------------------------------- command lines

WORDS: dict[str, list[str]] = {
    "status": ["pending", "done", "in-progress", "bogus", "done,pending", ""],
    "priority": ["high", "low", "medium,critical", "urgent"],
    "tag": ["master", "feature", "nope", "bad tag"],
    "sort": ["id", "priority", "status", "random"],
    "fmt": ["json", "jsonl", "ids", "plain", "table", "auto", "yaml"],
    "fields": ["id,title", "status", "nope", ""],
    "search": ["repo", "PARSE", "zzz"],
    "depends_on": ["1", "2,3", "1.1", "99", "x", "", "1,"],
    "add_dependencies": ["1", "4", "3", "99"],
    "remove_dependencies": ["1", "2", "99"],
    "title": ["New title", "", "Ünïcode ✓"],
    "description": ["Some words", ""],
    "details": ["More", ""],
    "append_details": ["Appended"],
    "test_strategy": ["Run it"],
    "config": [
        "tasks.default_status=in-progress",
        "output.format=json",
        "tasks.sort=priority",
        "nonsense=1",
        "tasks.default_priority=extreme",
    ],
}
INTS = ["0", "1", "2", "007", "99", "x", "1.5", "+3"]
IDS = ["1", "2", "3", "4", "1.1", "1.2", "2.1", "99", "0", "x", "1.x", "", ","]


@st.composite
def option_words(draw: st.DrawFn, spec: dict[str, Any]) -> list[str]:
    """Some of a command's options and flags, each in one of its spellings."""
    words: list[str] = []
    flags = sorted(flag for flag, sets in spec["flags"].items() if sets is not None)
    names = sorted(spec["options"]) + flags
    for opt in draw(st.lists(st.sampled_from(names), max_size=4)) if names else []:
        if opt in flags:
            words.append(opt)
            continue
        name, kind, *_ = spec["options"][opt]
        value = draw(st.sampled_from(INTS if kind == "int" else WORDS.get(name, ["v"])))
        if opt.startswith("--") and draw(st.booleans()):
            words.append(f"{opt}={value}")
        else:
            words += [opt, value]
    return words


ODD = ["--help", "-h", "--bogus", "--", "-x", "--json=1", "-sdone", "--status", "-1", "--version"]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path = draw(st.sampled_from(sorted(fastpath.FAST_COMMANDS)))
    spec = COMMANDS[path]
    argv = draw(option_words(COMMANDS[""]))
    argv += path.split()
    words = draw(option_words(spec))
    for name, nargs, _ in spec["arguments"]:
        pool = IDS if name == "ids" else WORDS["title"]
        count = draw(st.integers(0, 3)) if nargs == -1 else draw(st.sampled_from([1, 1, 1, 0, 2]))
        for _ in range(count):
            words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(pool)))
    if draw(st.integers(0, 4)) == 0:  # now and then, something only typer handles
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(ODD)))
    return argv + words


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argv=command_lines())
def test_fast_path_runs_command_lines_exactly_as_typer(root: Path, argv: list[str]) -> None:
    ran = compare(root, argv)
    event("run by the fast path" if ran else "left to typer")  # --hypothesis-show-statistics


# --------------------------------------------------------------------------- what it runs

RUNS_ITSELF = [
    ["tasks", "list", "--json"],
    ["tasks", "list"],
    ["tasks", "list", "--format", "table"],
    ["tasks", "list", "-s", "pending,done", "--sort=priority", "-n", "2", "--format", "ids"],
    ["tasks", "list", "--ready", "--no-subtasks"],
    ["tasks", "list", "--all-tags", "--format=jsonl", "--fields", "id,title"],
    ["tasks", "list", "--tag", "nope"],  # exit 3, from the fast path's own boundary
    ["tasks", "list", "--status", "bogus", "--json"],  # exit 2, as JSON on stderr
    ["tasks", "show", "1", "2.1"],
    ["tasks", "show", "1.2", "--json"],
    ["tasks", "show", "99"],
    ["tasks", "next"],
    ["tasks", "next", "--json", "-t", "feature"],
    ["tasks", "add", "Write docs", "-p", "high", "--depends-on", "1,2", "--quiet"],
    ["tasks", "add", "Sub", "--parent", "2", "--json"],
    ["tasks", "add", "Default priority from .taskctl.toml"],
    ["tasks", "add", ""],
    ["tasks", "update", "2", "3", "--status", "done"],
    ["tasks", "update", "2", "--add-dependency", "3"],  # a cycle: refused
    ["tasks", "update", "3", "--clear-dependencies", "--add-dependency", "1"],
    ["tasks", "update", "1.2", "--title", "Pushed", "--json"],
    ["tasks", "update", "", "--status", "done"],  # an empty id: refused
    ["tasks", "list", "--status", "done", "--with-subtasks", "--format", "ids"],
    ["tasks", "list", "--fields", "id,title", "--with-subtasks"],
    ["tasks", "list", "--format", "ids", "--json"],  # refused
    ["tasks", "validate"],  # exit 4: task 4 has no description
    ["tasks", "validate", "--json", "--all-tags"],
    ["tasks", "validate", "--fix", "-t", "master"],
    ["tasks", "validate", "--tag", "nope"],
    ["-c", "output.format=json", "tasks", "list"],
    ["-c", "tasks.default_priority=extreme", "tasks", "add", "Bad config"],
    ["--debug", "--config=tasks.sort=status", "tasks", "list", "--format", "plain"],
]


@pytest.mark.parametrize("argv", RUNS_ITSELF, ids=" ".join)
def test_plain_command_lines_run_without_typer_and_as_typer_would(
    root: Path, argv: list[str]
) -> None:
    assert compare(root, argv)


def test_project_option(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert compare(root, ["--project", str(root), "tasks", "list", "--json"])
    assert compare(root, ["--project", str(tmp_path / "missing"), "tasks", "next"])


LEFT_TO_TYPER = [
    ["tasks", "list", "--help"],
    ["tasks", "list", "-h"],
    ["--help"],
    ["--version"],
    ["tasks"],
    ["tasks", "remove", "1", "--yes"],
    ["tasks", "history"],
    ["config", "get", "tasks.sort"],
    ["tasks", "lst"],
    ["tasks", "list", "--bogus"],
    ["tasks", "list", "--limit", "x"],
    ["tasks", "list", "--limit", "-1"],
    ["tasks", "list", "-n5"],
    ["tasks", "list", "--json=yes"],
    ["tasks", "list", "--status"],
    ["tasks", "list", "extra"],
    ["tasks", "show"],
    ["tasks", "add"],
    ["tasks", "add", "one", "two"],
    ["tasks", "add", "--", "-dashed title"],
    ["tasks", "update", "1", "--title", "-starts with a dash"],
    ["tasks", "add", "x", "--parent", "+2"],
    ["--project"],
    ["--debug", "--version", "tasks", "list"],
]


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=" ".join)
def test_everything_else_is_left_to_typer(argv: list[str]) -> None:
    with pytest.raises(fastpath.Decline):
        fastpath.parse(argv)


def test_the_map_covers_every_fast_command() -> None:
    assert sorted(path for path, spec in COMMANDS.items() if "defaults" in spec) == [
        "",
        *sorted(fastpath.FAST_COMMANDS),
    ]
    assert sorted(path for path, spec in COMMANDS.items() if spec.get("fast")) == sorted(
        fastpath.FAST_COMMANDS
    )


# --------------------------------------------------------------------------- real processes


@pytest.mark.parametrize(
    "argv",
    [
        ["tasks", "list", "--json"],
        ["tasks", "show", "99", "--json"],
        ["tasks", "list", "--tag", "nope"],
        ["tasks", "next"],
        ["tasks", "validate", "--json"],
    ],
    ids=" ".join,
)
def test_console_script_and_typer_agree_in_real_processes(root: Path, argv: list[str]) -> None:
    """The whole process: the exit through `os._exit`, the flushing of both streams."""
    fast = taskctl(None, *argv)
    assert (fast.returncode, fast.stdout, fast.stderr) == typer_only(root, *argv)


def test_no_command_runs_while_a_completion_variable_is_set(root: Path) -> None:
    """`_TASKCTL_COMPLETE=source_bash taskctl ...` prints the completion script (typer's
    protocol), whatever the rest of the command line says: the fast path stays out."""
    before = snapshot(root)
    env = {"_TASKCTL_COMPLETE": "source_bash"}
    fast = taskctl(None, "tasks", "add", "Not added", env=env)
    assert "_taskctl_completion" in fast.stdout
    typer = typer_only(root, "tasks", "add", "Not added", env=env)
    assert (fast.returncode, fast.stdout, fast.stderr) == typer
    assert snapshot(root) == before
