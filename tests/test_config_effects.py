"""Every configuration key changes what the `tasks` commands do (through any source)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from taskctl.core.config.schema import key_specs
from tests import test_pager as pager_tests
from tests import test_project_discovery as discovery
from tests.test_config_cli import ok, run


def add(title: str, *options: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    task: dict[str, Any] = json.loads(ok("tasks", "add", title, *options, "--json", env=env).stdout)
    return task


def tasks_file(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (project / ".taskmaster" / "tasks" / "tasks.json").read_text()
    )
    return data


@pytest.mark.usefixtures("project")
def test_default_priority_from_the_environment() -> None:
    assert add("plain")["priority"] == "medium"
    env = {"TASKCTL_TASKS_DEFAULT_PRIORITY": "high"}
    assert add("x", env=env)["priority"] == "high"
    assert add("explicit", "--priority", "low", env=env)["priority"] == "low"


def test_default_priority_from_each_file_and_the_flag(project: Path, isolated_home: Path) -> None:
    user = isolated_home / ".config" / "taskctl" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("[tasks]\ndefault_priority = 'low'\n")
    assert add("a")["priority"] == "low"
    (project / ".taskctl.toml").write_text("[tasks]\ndefault_priority = 'critical'\n")
    assert add("b")["priority"] == "critical"
    (project / ".env").write_text("TASKCTL_TASKS_DEFAULT_PRIORITY=medium\n")
    assert add("c")["priority"] == "medium"
    task = json.loads(ok("-c", "tasks.default_priority=high", "tasks", "add", "d", "--json").stdout)
    assert task["priority"] == "high"


@pytest.mark.usefixtures("project")
def test_default_status() -> None:
    assert add("a")["status"] == "pending"
    assert add("b", env={"TASKCTL_TASKS_DEFAULT_STATUS": "review"})["status"] == "review"


def test_default_tag(project: Path) -> None:
    env = {"TASKCTL_TASKS_DEFAULT_TAG": "feature-x"}
    add("tagged", env=env)
    data = tasks_file(project)
    assert [t["title"] for t in data["feature-x"]["tasks"]] == ["tagged"]
    assert data["master"]["tasks"] == []
    listed = json.loads(ok("tasks", "list", "--json", env=env).stdout)
    assert [t["title"] for t in listed] == ["tagged"]
    assert json.loads(ok("tasks", "list", "--json").stdout) == []


@pytest.mark.usefixtures("project")
def test_sort() -> None:
    add("low", "--priority", "low")
    add("high", "--priority", "high")
    by_id = json.loads(ok("tasks", "list", "--json").stdout)
    assert [t["title"] for t in by_id] == ["low", "high"]
    env = {"TASKCTL_TASKS_SORT": "priority"}
    by_priority = json.loads(ok("tasks", "list", "--json", env=env).stdout)
    assert [t["title"] for t in by_priority] == ["high", "low"]


@pytest.mark.usefixtures("project")
def test_with_subtasks() -> None:
    add("parent")
    add("child", "--parent", "1")
    plain = ok("tasks", "list", "--format", "plain").stdout
    assert "child" not in plain
    shown = ok("tasks", "list", "--format", "plain", env={"TASKCTL_TASKS_WITH_SUBTASKS": "on"})
    assert "child" in shown.stdout
    assert "1.1" in shown.stdout


def test_lock_timeout(project: Path) -> None:
    # A fresh Task Master lock: taskctl waits for it up to storage.lock_timeout.
    (project / ".taskmaster" / "tasks" / "tasks.json.lock").write_text("{}")
    result = run("-c", "storage.lock_timeout=0.05", "tasks", "add", "x")
    assert result.exit_code == 5
    assert "gave up after 0.05 s" in result.stderr
    result = run("tasks", "add", "x", env={"TASKCTL_STORAGE_LOCK_TIMEOUT": "0"})
    assert result.exit_code == 5
    assert "gave up after 0 s" in result.stderr


@pytest.mark.usefixtures("project")
def test_backups() -> None:
    env = {"TASKCTL_STORAGE_BACKUPS": "2"}
    for title in ("a", "b", "c", "d"):
        add(title, env=env)
    assert len(json.loads(ok("tasks", "history", "--json", env=env).stdout)) == 2
    env = {"TASKCTL_STORAGE_BACKUPS": "4"}
    for title in ("e", "f", "g", "h", "i"):
        add(title, env=env)
    assert len(json.loads(ok("tasks", "history", "--json", env=env).stdout)) == 4


@pytest.mark.usefixtures("project")
def test_output_format() -> None:
    add("one")
    add("two")
    plain = ok("tasks", "list").stdout  # auto: not a terminal here, so plain text
    assert plain.split()[:5] == ["ID", "STATUS", "PRIORITY", "DEPS", "TITLE"]
    as_json = ok("tasks", "list", env={"TASKCTL_OUTPUT_FORMAT": "json"}).stdout
    assert [t["title"] for t in json.loads(as_json)] == ["one", "two"]
    jsonl = ok("tasks", "list", env={"TASKCTL_OUTPUT_FORMAT": "jsonl"}).stdout
    assert [json.loads(line)["title"] for line in jsonl.splitlines()] == ["one", "two"]
    # A table fits the terminal's width (COLUMNS here): a long title is cut.
    add("long " * 30)
    table = ok("-c", "output.format=table", "tasks", "list", env={"COLUMNS": "80"}).stdout
    assert max(map(len, table.splitlines())) == 80
    assert table.splitlines()[-1].endswith("…")
    assert "one" in table
    plain = ok("tasks", "list").stdout
    assert ("long " * 30).strip() in plain
    # An explicit --format still wins over the configured one.
    flagged = ok("tasks", "list", "--format", "plain", env={"TASKCTL_OUTPUT_FORMAT": "json"})
    assert flagged.stdout == plain


@pytest.mark.usefixtures("project")
def test_output_color() -> None:
    add("one", "--priority", "high")
    table = ("-c", "output.format=table", "tasks", "list")
    # FORCE_COLOR colours the table under `auto`; output.color=never overrides it.
    forced = ok(*table, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    never = ok(*table, env={"FORCE_COLOR": "1", "TASKCTL_OUTPUT_COLOR": "never"})
    assert "\x1b[" not in never.stdout
    assert "one" in never.stdout


@pytest.mark.usefixtures("project")
def test_output_color_always_colours_a_piped_table() -> None:
    add("one", "--priority", "high")
    always = ok("-c", "output.format=table", "-c", "output.color=always", "tasks", "list")
    assert "\x1b[" in always.stdout


def test_a_bad_value_stops_tasks_commands_with_exit_2(project: Path) -> None:
    result = run("tasks", "add", "x", env={"TASKCTL_TASKS_DEFAULT_STATUS": "finished"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: TASKCTL_TASKS_DEFAULT_STATUS: invalid value")
    assert tasks_file(project)["master"]["tasks"] == []


EFFECT_TESTS = {
    "tasks.default_priority": test_default_priority_from_the_environment,
    "tasks.default_status": test_default_status,
    "tasks.default_tag": test_default_tag,
    "tasks.sort": test_sort,
    "tasks.with_subtasks": test_with_subtasks,
    "storage.lock_timeout": test_lock_timeout,
    "storage.backups": test_backups,
    "output.format": test_output_format,
    "output.color": test_output_color,
    "output.pager": pager_tests.test_pager_from_pager_and_from_the_setting,
    "security.safe_directories": discovery.test_security_safe_directories_allows_it,
}


def test_every_key_has_an_effect_test() -> None:
    # A new key in the schema fails here until a test shows what it changes.
    assert set(EFFECT_TESTS) == set(key_specs())
