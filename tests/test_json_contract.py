"""The JSON shapes scripts rely on (README "Scripting"): a change here is a breaking change."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from taskctl.cli.app import app

runner = CliRunner()
TASK_KEYS = {
    "id",
    "title",
    "description",
    "details",
    "testStrategy",
    "status",
    "dependencies",
    "priority",
    "subtasks",
}


def j(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def seeded(project: Path) -> Path:
    j("tasks", "add", "Base", "-p", "high")
    j("tasks", "add", "User", "--depends-on", "1")
    j("tasks", "add", "Child", "--parent", "2")
    return project


def test_task_objects(seeded: Path) -> None:
    listed = j("tasks", "list")
    assert isinstance(listed, list)
    assert {k for t in listed for k in t} == TASK_KEYS | {"updatedAt"}  # 2 got a subtask
    assert set(j("tasks", "show", "1")) == TASK_KEYS
    assert isinstance(j("tasks", "show", "1", "2"), list)
    assert set(j("tasks", "show", "2.1")) >= {"id", "title", "status", "dependencies"}
    assert set(j("tasks", "add", "New")) == TASK_KEYS
    assert set(j("tasks", "update", "1", "--status", "done")) == TASK_KEYS | {"updatedAt"}
    assert isinstance(j("tasks", "update", "1", "2", "--priority", "low"), list)
    assert set(j("tasks", "next")) >= TASK_KEYS
    assert {k for t in j("tasks", "list", "--all-tags") for k in t} >= TASK_KEYS | {"tag"}
    assert j("tasks", "list", "--fields", "id,title")[0] == {"id": 1, "title": "Base"}


def test_other_shapes(seeded: Path) -> None:
    j("tasks", "add", "Extra")
    assert j("tasks", "remove", "3", "--yes") == {"removed": ["3"], "dropped_dependencies": []}
    report = j("tasks", "validate")
    assert report == {"valid": True, "tags": [{"tag": "master", "problems": [], "fixed": []}]}
    history = j("tasks", "history")
    assert set(history[0]) == {"id", "time", "command", "size"}
    assert set(j("tasks", "undo")) == {"restored", "time", "command"}
    assert set(j("init", str(seeded / "sub"))) == {"path", "created"}


def test_tags_shapes(seeded: Path) -> None:
    changed = {"action", "tag", "source", "tasks", "current"}
    assert j("tags", "add", "x") == {
        "action": "added",
        "tag": "x",
        "source": None,
        "tasks": 0,
        "current": None,
    }
    assert set(j("tags", "copy", "master", "y")) == changed
    assert j("tags", "use", "y")["current"] == "y"
    assert j("tags", "rename", "y", "z")["current"] == "z"
    assert set(j("tags", "remove", "x", "--yes")) == changed
    rows = j("tags", "list")
    assert list(rows[0]) == [
        "name",
        "tasks",
        "done",
        "ready",
        "description",
        "current",
        "created",
        "updated",
    ]
    assert [(r["name"], r["tasks"], r["ready"], r["current"]) for r in rows] == [
        ("master", 2, 1, False),
        ("z", 2, 1, True),
    ]


def test_next_is_null_when_nothing_is_ready(project: Path) -> None:
    result = runner.invoke(app, ["tasks", "next", "--json"])
    assert result.stdout.strip() == "null"


def test_error_object(project: Path) -> None:
    result = runner.invoke(app, ["tasks", "show", "7", "--json"])
    assert result.exit_code == 3
    error = json.loads(result.stderr.splitlines()[-1])
    assert set(error) == {"error"}
    assert set(error["error"]) == {"code", "message"}


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_readme_jq_recipes_work(seeded: Path) -> None:
    def sh(command: str) -> str:
        exe = f"{sys.executable} -m taskctl"
        out = subprocess.run(
            command.replace("taskctl ", exe + " "),
            shell=True,
            capture_output=True,
            text=True,
            cwd=seeded,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert sh("taskctl tasks list --ready --json | jq '.[].id'").split() == ["1"]
    counts = json.loads(
        sh(
            "taskctl tasks list --json"
            " | jq 'group_by(.status) | map({(.[0].status): length}) | add'"
        )
    )
    assert counts == {"pending": 2}
    sh("taskctl tasks update 1 --status review")
    sh(
        "taskctl tasks list --status review --format ids"
        " | xargs -r taskctl tasks update --status done"
    )
    assert j("tasks", "show", "1")["status"] == "done"
    assert sh("taskctl tasks next --json | jq -r '.title // empty'").strip() == "User"
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    check = readme.split("taskctl tasks list --json | jq -e '", 1)[1].split("'\n", 1)[0]
    script = seeded / "check.jq"
    script.write_text(check)
    sh(f"taskctl tasks list --json | jq -e -f {script}")  # consistent: passes
    sh("taskctl tasks update 2 --status done")  # done while 2.1 and its deps... 1 is done
    sh("taskctl tasks update 1 --status pending")  # now 2 is done but depends on pending 1
    bad = subprocess.run(
        f"{sys.executable} -m taskctl tasks list --json | jq -e -f {script}",
        shell=True,
        capture_output=True,
        text=True,
        cwd=seeded,
        check=False,
    )
    assert bad.returncode != 0
    assert "done before their dependencies: [2]" in bad.stderr
