"""Every `tasks` command and option through typer.testing.CliRunner, with exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from taskctl.cli.app import app
from taskctl.cli.context import AppContext, Terminal
from taskctl.cli.run import reading
from tests import taskmaster
from tests.conftest import HERE

runner = CliRunner()


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin, env=env)


def ok(*args: str, **kwargs: Any) -> Result:
    result = run(*args, **kwargs)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def data(project: Path) -> Any:
    return json.loads((project / ".taskmaster" / "tasks" / "tasks.json").read_bytes())


def tasks_file(project: Path) -> Path:
    return project / ".taskmaster" / "tasks" / "tasks.json"


def add(*args: str) -> str:
    return ok("tasks", "add", *args, "-q").stdout.strip()


@pytest.fixture
def quirks(project: Path) -> Path:
    shutil.copyfile(HERE / "data" / "quirks.json", tasks_file(project))
    return project


# --------------------------------------------------------------------------- init and locations


def test_init_creates_an_empty_master_tag_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = ok("init")
    path = tmp_path / ".taskmaster" / "tasks" / "tasks.json"
    assert json.loads(path.read_bytes())["master"]["tasks"] == []
    assert "created" in result.stderr
    path.write_text('{"master": {"tasks": [{"id": 1, "title": "keep"}]}}')
    before = path.read_bytes()
    result = ok("init")
    assert "already exists" in result.stderr
    assert path.read_bytes() == before


def test_init_with_directory_and_json(tmp_path: Path) -> None:
    result = ok("init", str(tmp_path / "new"), "--json")
    out = json.loads(result.stdout)
    assert out["created"] is True
    assert Path(out["path"]).exists()


def test_personal_store_outside_any_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert add("Buy milk") == "1"
    store = isolated_home / ".local" / "share" / "taskctl" / "tasks.json"
    assert json.loads(store.read_bytes())["master"]["tasks"][0]["title"] == "Buy milk"
    assert ok("tasks", "list", "--format", "ids").stdout == "1\n"


def test_project_is_found_from_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = project / "src" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    add("From below")
    assert data(project)["master"]["tasks"][0]["title"] == "From below"


def test_project_option_and_env_override_the_search(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    ok("init", str(other))
    ok("--project", str(other), "tasks", "add", "Elsewhere")
    assert data(other)["master"]["tasks"][0]["title"] == "Elsewhere"
    assert data(project)["master"]["tasks"] == []
    ok("tasks", "add", "Via env", env={"TASKCTL_PROJECT": str(other)})
    assert len(data(other)["master"]["tasks"]) == 2


def test_missing_project_folder_is_exit_3(tmp_path: Path) -> None:
    result = run("--project", str(tmp_path / "nope"), "tasks", "list")
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_legacy_tasks_folder_is_used_when_it_is_what_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".taskmaster").mkdir()
    legacy = tmp_path / "tasks" / "tasks.json"
    legacy.parent.mkdir()
    shutil.copyfile(HERE / "data" / "flat.json", legacy)
    monkeypatch.chdir(tmp_path)
    assert ok("tasks", "list", "--format", "ids").stdout == "1\n"
    add("Second")
    assert json.loads(legacy.read_bytes())["master"]["tasks"][1]["title"] == "Second"


def test_current_tag_comes_from_state_json(quirks: Path) -> None:
    (quirks / ".taskmaster" / "state.json").write_text('{"currentTag": "other"}')
    assert json.loads(ok("tasks", "list", "--json").stdout)[0]["title"] == "Other tag task"
    assert len(json.loads(ok("tasks", "list", "--json", "--tag", "master").stdout)) == 3


def test_unknown_tag_is_exit_3(quirks: Path) -> None:
    before = tasks_file(quirks).read_bytes()
    for args in (("tasks", "list", "--tag", "nope"), ("tasks", "add", "x", "--tag", "nope")):
        result = run(*args)
        assert result.exit_code == 3, result.stderr
        assert "tag 'nope' not found" in result.stderr
    assert tasks_file(quirks).read_bytes() == before


# --------------------------------------------------------------------------- add


def test_add_prints_the_id_and_json_prints_the_object(project: Path) -> None:
    result = ok("tasks", "add", "First")
    assert result.stdout == "1\n"
    assert "added task 1" in result.stderr
    result = ok(
        "tasks",
        "add",
        "Second",
        "--json",
        "-d",
        "desc",
        "--details",
        "det",
        "--test-strategy",
        "ts",
        "-p",
        "high",
        "-s",
        "in-progress",
        "--depends-on",
        "1",
    )
    obj = json.loads(result.stdout)
    assert obj == {
        "id": 2,
        "title": "Second",
        "description": "desc",
        "details": "det",
        "testStrategy": "ts",
        "status": "in-progress",
        "dependencies": [1],
        "priority": "high",
        "subtasks": [],
    }
    assert ok("tasks", "add", "Third", "-q").stdout == "3\n"
    assert ok("tasks", "add", "Fourth", "-q").stderr == ""


def test_add_without_description_uses_the_title(project: Path) -> None:
    add("Only a title")
    task = data(project)["master"]["tasks"][0]
    assert task["description"] == "Only a title"
    assert task["priority"] == "medium"
    assert task["status"] == "pending"


def test_add_refuses_empty_title_and_bad_values(project: Path) -> None:
    before = tasks_file(project).read_bytes()
    for args, needle in [
        (("",), "title must not be empty"),
        (("x", "-d", "  "), "description must not be empty"),
        (("x", "-p", "urgent"), "unknown priority 'urgent'"),
        (("x", "-s", "started"), "unknown status 'started'"),
        (("x", "--depends-on", "9"), "no such task"),
        (("x", "--depends-on", "1.2.3"), "invalid task id"),
    ]:
        result = run("tasks", "add", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert needle in result.stderr
        assert "Traceback" not in result.stderr
    assert tasks_file(project).read_bytes() == before


def test_add_subtask_with_parent(project: Path) -> None:
    add("Parent")
    assert add("Child one", "--parent", "1") == "1.1"
    assert add("Child two", "--parent", "1", "--depends-on", "1.1") == "1.2"
    parent = data(project)["master"]["tasks"][0]
    assert [s["title"] for s in parent["subtasks"]] == ["Child one", "Child two"]
    assert parent["subtasks"][1]["dependencies"] == [1]  # a sibling, as Task Master writes it
    assert parent["subtasks"][1]["parentTaskId"] == 1
    assert run("tasks", "add", "x", "--parent", "7").exit_code == 3


def test_new_ids_are_highest_plus_one(quirks: Path) -> None:
    assert add("Next") == "4"


# --------------------------------------------------------------------------- list


def _seed(project: Path) -> None:
    add("Alpha setup", "-p", "low", "-s", "done")
    add("Beta feature", "-p", "high", "--depends-on", "1")
    add("Gamma docs", "-p", "medium", "--depends-on", "2", "-d", "Write the README")
    add("Delta later", "-p", "critical", "-s", "deferred")


def ids(result: Result) -> list[int]:
    return [t["id"] for t in json.loads(result.stdout)]


def test_list_filters(project: Path) -> None:
    _seed(project)
    assert ids(ok("tasks", "list", "--json")) == [1, 2, 3, 4]
    assert ids(ok("tasks", "list", "--json", "--status", "pending")) == [2, 3]
    assert ids(ok("tasks", "list", "--json", "--status", "done,deferred")) == [1, 4]
    assert ids(ok("tasks", "list", "--json", "-s", "done", "-s", "deferred")) == [1, 4]
    assert ids(ok("tasks", "list", "--json", "--priority", "high,critical")) == [2, 4]
    assert ids(ok("tasks", "list", "--json", "--ready")) == [2]
    assert ids(ok("tasks", "list", "--json", "--blocked")) == [3]
    assert ids(ok("tasks", "list", "--json", "--search", "readme")) == [3]
    assert ids(ok("tasks", "list", "--json", "--sort", "priority")) == [4, 2, 3, 1]
    assert ids(ok("tasks", "list", "--json", "--sort", "status")) == [2, 3, 1, 4]
    assert ids(ok("tasks", "list", "--json", "--limit", "2")) == [1, 2]
    assert ids(ok("tasks", "list", "--json", "--status", "review")) == []


def test_list_no_match_is_success_and_empty_json(project: Path) -> None:
    result = ok("tasks", "list", "--json")
    assert json.loads(result.stdout) == []
    result = ok("tasks", "list")
    assert result.stdout == ""
    assert "no tasks match" in result.stderr


def test_list_bad_filter_values_are_usage_errors(project: Path) -> None:
    assert run("tasks", "list", "--status", "started").exit_code == 2
    assert run("tasks", "list", "--sort", "title").exit_code == 2
    assert run("tasks", "list", "--format", "xml").exit_code == 2


def test_list_formats(project: Path) -> None:
    _seed(project)
    plain = ok("tasks", "list").stdout.splitlines()  # piped: plain text
    assert plain[0].split() == ["ID", "STATUS", "PRIORITY", "DEPS", "TITLE"]
    assert plain[2].split()[:4] == ["2", "pending", "high", "1"]
    assert plain[2].endswith("Beta feature")
    assert ok("tasks", "list", "--format", "ids").stdout == "1\n2\n3\n4\n"
    lines = ok("tasks", "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [1, 2, 3, 4]
    table = ok("tasks", "list", "--format", "table").stdout
    assert "Beta feature" in table
    assert "\x1b[" not in table  # no colour when not a terminal


def test_list_fields(project: Path) -> None:
    _seed(project)
    out = json.loads(ok("tasks", "list", "--json", "--fields", "id,status").stdout)
    assert out[0] == {"id": 1, "status": "done"}
    result = run("tasks", "list", "--json", "--fields", "id,bogus")
    assert result.exit_code == 2
    assert "bogus" in result.stderr


def test_list_with_subtasks_and_all_tags(quirks: Path) -> None:
    plain = ok("tasks", "list", "--with-subtasks").stdout
    assert "2.1" in plain
    assert "Sub one" in plain
    assert "Sub one" not in ok("tasks", "list").stdout
    everything = json.loads(ok("tasks", "list", "--all-tags", "--json").stdout)
    assert [(t["tag"], t["id"]) for t in everything] == [
        ("master", 1),
        ("master", 2),
        ("master", 3),
        ("other", 1),
    ]
    assert "TAG" in ok("tasks", "list", "--all-tags").stdout


def test_list_json_is_lossless_and_normalises_string_ids(quirks: Path) -> None:
    out = json.loads(ok("tasks", "list", "--json").stdout)
    assert out[0]["complexity"] == 7  # unmodelled fields are kept
    assert out[1]["id"] == 2  # "2" in the file
    assert out[1]["dependencies"] == [1]  # ["1"] in the file
    assert out[1]["testStrategy"] is None
    assert out[1]["subtasks"][1]["acceptanceCriteria"] == "keep me"


def test_markup_in_titles_prints_literally(project: Path) -> None:
    add("[bold]x[/bold] and [red]y")
    table = ok("tasks", "list", "--format", "table").stdout
    assert "[bold]x[/bold] and [red]y" in table
    assert "[bold]x[/bold]" in ok("tasks", "show", "1").stdout


def test_control_characters_never_reach_the_terminal(project: Path) -> None:
    add("evil \x1b[31mred\x07 title")
    for args in (
        ("tasks", "list"),
        ("tasks", "list", "--format", "table"),
        ("tasks", "show", "1"),
        ("tasks", "next"),
    ):
        out = ok(*args).stdout
        assert "\x1b" not in out, args
        assert "\x07" not in out, args
        assert "\\x1b[31mred\\x07" in out
    assert (
        json.loads(ok("tasks", "show", "1", "--json").stdout)["title"]
        == "evil \x1b[31mred\x07 title"
    )


# --------------------------------------------------------------------------- show


def test_show_one_and_many(quirks: Path) -> None:
    one = json.loads(ok("tasks", "show", "1", "--json").stdout)
    assert one["title"] == "Done base"
    many = json.loads(ok("tasks", "show", "1", "2", "--json").stdout)
    assert [m["title"] for m in many] == ["Done base", "String id task"]
    assert run("tasks", "show", "2.1").exit_code == 4  # two subtasks carry the id 2.1
    text = ok("tasks", "show", "2").stdout
    assert "String id task" in text
    assert "Subtasks:" in text


def test_show_missing_and_invalid_ids(quirks: Path) -> None:
    result = run("tasks", "show", "42")
    assert result.exit_code == 3
    assert "task 42 not found" in result.stderr
    assert run("tasks", "show", "2.9").exit_code == 3
    for bad in ("abc", "1.2.3", "-1", "0"):
        result = run("tasks", "show", "--", bad)
        assert result.exit_code == 2, bad
        assert "invalid task id" in result.stderr


# --------------------------------------------------------------------------- update


def test_update_fields_and_updated_at(project: Path) -> None:
    add("Old")
    ok(
        "tasks",
        "update",
        "1",
        "--title",
        "New",
        "-d",
        "D",
        "--details",
        "first",
        "--test-strategy",
        "T",
        "-s",
        "review",
        "-p",
        "low",
    )
    ok("tasks", "update", "1", "--append-details", "second")
    task = data(project)["master"]["tasks"][0]
    assert (
        task["title"],
        task["description"],
        task["testStrategy"],
        task["status"],
        task["priority"],
    ) == ("New", "D", "T", "review", "low")
    assert task["details"] == "first\n\nsecond"
    assert task["updatedAt"].endswith("Z")


def test_update_many_is_all_or_nothing(project: Path) -> None:
    add("One")
    add("Two")
    before = tasks_file(project).read_bytes()
    result = run("tasks", "update", "1", "2", "99", "--status", "done")
    assert result.exit_code == 3
    assert tasks_file(project).read_bytes() == before
    ok("tasks", "update", "1", "2", "--status", "done")
    assert [t["status"] for t in data(project)["master"]["tasks"]] == ["done", "done"]


def test_update_subtask(quirks: Path) -> None:
    ok("tasks", "validate", "--fix")  # two subtasks carry the id 2.1: renumbers one
    ok("tasks", "update", "2.1", "--status", "review")
    task = data(quirks)["master"]["tasks"][1]
    assert task["subtasks"][0]["status"] == "review"
    assert "updatedAt" in task


def test_update_json_output(project: Path) -> None:
    add("One")
    out = json.loads(ok("tasks", "update", "1", "--status", "done", "--json").stdout)
    assert out["status"] == "done"


def test_update_with_nothing_to_change_is_a_usage_error(project: Path) -> None:
    add("One")
    result = run("tasks", "update", "1")
    assert result.exit_code == 2
    assert "nothing to change" in result.stderr


def test_dependencies_add_remove_cycle_and_missing(project: Path) -> None:
    add("A")
    add("B")
    add("C")
    ok("tasks", "update", "2", "--add-dependency", "1")
    ok("tasks", "update", "3", "--add-dependency", "2")
    before = tasks_file(project).read_bytes()
    result = run("tasks", "update", "1", "--add-dependency", "3")
    assert result.exit_code == 2
    assert "cycle: 1 -> 3 -> 2 -> 1" in result.stderr
    result = run("tasks", "update", "1", "--add-dependency", "1")
    assert result.exit_code == 2
    assert "itself" in result.stderr
    result = run("tasks", "update", "1", "--add-dependency", "77")
    assert result.exit_code == 2
    assert "77" in result.stderr
    assert tasks_file(project).read_bytes() == before
    ok("tasks", "update", "3", "--remove-dependency", "2")
    assert data(project)["master"]["tasks"][2]["dependencies"] == []
    result = run("tasks", "update", "3", "--remove-dependency", "1")
    assert result.exit_code == 2
    assert "does not depend on 1" in result.stderr


def test_clear_dependencies_replaces_them_for_tasks_and_subtasks(project: Path) -> None:
    for title in ("One", "Two", "Three"):
        add(title)
    add("Sub", "--parent", "3")
    ok("tasks", "update", "3", "--add-dependency", "1,2")
    ok("tasks", "update", "3.1", "--add-dependency", "2")
    result = run("tasks", "update", "3", "--clear-dependencies", "--remove-dependency", "9")
    assert result.exit_code == 2  # an explicit removal is still checked
    assert "does not depend on 9" in result.stderr
    ok("tasks", "update", "3", "--clear-dependencies", "--add-dependency", "2")
    assert data(project)["master"]["tasks"][2]["dependencies"] == [2]
    ok("tasks", "update", "3", "3.1", "--clear-dependencies")
    task = data(project)["master"]["tasks"][2]
    assert task["dependencies"] == []
    assert task["subtasks"][0]["dependencies"] == []


# --------------------------------------------------------------------------- remove


def test_remove_needs_yes_without_a_terminal(project: Path) -> None:
    add("One")
    before = tasks_file(project).read_bytes()
    result = run("tasks", "remove", "1")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert tasks_file(project).read_bytes() == before
    ok("tasks", "remove", "1", "--yes")
    assert data(project)["master"]["tasks"] == []


def test_remove_refuses_dependencies_unless_forced(project: Path) -> None:
    add("Filler")
    add("Base")
    add("User", "--depends-on", "2")
    add("Sub", "--parent", "3", "--depends-on", "2")
    result = run("tasks", "remove", "2", "--yes")
    assert result.exit_code == 2
    assert "dependency of other tasks" in result.stderr
    out = json.loads(ok("tasks", "remove", "2", "--yes", "--force", "--json").stdout)
    assert out["removed"] == ["2"]
    assert sorted(out["dropped_dependencies"]) == ["3 -> 2", "3.1 -> 2"]
    remaining = data(project)["master"]["tasks"]
    assert [t["id"] for t in remaining] == [1, 3]
    assert remaining[1]["dependencies"] == []
    assert remaining[1]["subtasks"][0]["dependencies"] == []


def test_subtask_dependency_on_a_task_is_refused_when_task_masters_format_is_ambiguous(
    project: Path,
) -> None:
    add("Base")
    add("Parent")
    add("First sub", "--parent", "2")
    result = run("tasks", "add", "Second sub", "--parent", "2", "--depends-on", "1")
    assert result.exit_code == 2
    assert "would read it as subtask 2.1" in result.stderr


def test_remove_subtask(quirks: Path) -> None:
    ok("tasks", "remove", "3", "--yes")  # 3 depended on 2.1; removing 3 itself is fine
    ok("tasks", "update", "2", "--status", "done")
    assert [t["id"] for t in data(quirks)["master"]["tasks"]] == [1, "2"]


def test_remove_missing_is_exit_3(project: Path) -> None:
    assert run("tasks", "remove", "5", "--yes").exit_code == 3


# --------------------------------------------------------------------------- next


def test_next_follows_task_masters_rule(project: Path) -> None:
    assert ok("tasks", "next", "--json").stdout.strip() == "null"
    add("Low", "-p", "low")
    add("High blocked", "-p", "high", "--depends-on", "1")
    add("Medium", "-p", "medium")
    add("High in progress", "-p", "high", "-s", "in-progress")
    assert json.loads(ok("tasks", "next", "--json").stdout)["id"] == 4
    ok("tasks", "update", "4", "-s", "done")
    assert json.loads(ok("tasks", "next", "--json").stdout)["id"] == 3
    ok("tasks", "update", "1", "-s", "done")
    assert json.loads(ok("tasks", "next", "--json").stdout)["id"] == 2
    assert "High blocked" in ok("tasks", "next").stdout


# --------------------------------------------------------------------------- validate


def test_validate_reports_and_fixes(quirks: Path) -> None:
    before = tasks_file(quirks).read_bytes()
    result = run("tasks", "validate", "--json")
    assert result.exit_code == 4
    report = json.loads(result.stdout)
    codes = sorted(p["code"] for p in report["tags"][0]["problems"])
    assert codes == ["duplicate_id", "missing_dependency"]
    assert tasks_file(quirks).read_bytes() == before  # validating writes nothing
    result = run("tasks", "validate", "--fix")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "renumbered" in result.stdout
    assert "removed dependency on 99" in result.stdout
    assert ok("tasks", "validate").stderr.strip().endswith("no problems found")
    fixed = data(quirks)["master"]["tasks"]
    assert [s["id"] for s in fixed[1]["subtasks"]] == [1, 2]
    assert fixed[2]["dependencies"] == ["2.1"]


def test_validate_finds_cycles_and_unknown_statuses(project: Path) -> None:
    tasks_file(project).write_text(
        json.dumps(
            {
                "master": {
                    "tasks": [
                        {
                            "id": 1,
                            "title": "a",
                            "description": "a",
                            "status": "started",
                            "dependencies": [2],
                        },
                        {
                            "id": 2,
                            "title": "b",
                            "description": "b",
                            "status": "pending",
                            "dependencies": [1],
                        },
                    ]
                }
            }
        )
    )
    result = run("tasks", "validate")
    assert result.exit_code == 4
    assert "dependency cycle: 1 -> 2 -> 1" in result.stdout
    assert "unknown status 'started'" in result.stdout
    result = run("tasks", "validate", "--fix")
    assert result.exit_code == 4  # the unknown status cannot be fixed automatically
    assert "cycle" not in run("tasks", "validate").stdout


def test_validate_on_task_masters_file(tmp_path: Path, project: Path) -> None:
    shutil.copyfile(taskmaster.tasks_path("quirks"), tasks_file(project))
    result = run("tasks", "validate", "--all-tags", "--json")
    assert result.exit_code == 4
    messages = [p["message"] for t in json.loads(result.stdout)["tags"] for p in t["problems"]]
    assert "subtask id 2.1 is used 2 times" in messages
    assert "task 3 depends on 99, which does not exist" in messages
    assert "dependency cycle: 4 -> 5 -> 4" in messages


# --------------------------------------------------------------------------- errors


def test_corrupt_file_is_exit_4_for_every_command(project: Path) -> None:
    tasks_file(project).write_bytes(b'{"master": {"tasks": [')
    before = tasks_file(project).read_bytes()
    for args in (
        ("tasks", "list"),
        ("tasks", "add", "x"),
        ("tasks", "next"),
        ("tasks", "show", "1"),
    ):
        result = run(*args)
        assert result.exit_code == 4, args
        assert str(tasks_file(project)) in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert tasks_file(project).read_bytes() == before


def test_errors_with_json_are_also_json_on_stderr(project: Path) -> None:
    result = run("tasks", "show", "9", "--json")
    assert result.exit_code == 3
    assert result.stdout == ""
    error = json.loads(result.stderr.strip().splitlines()[-1])
    assert error["error"]["code"] == "not_found"
    assert "task 9 not found" in error["error"]["message"]


def test_debug_shows_the_traceback(project: Path) -> None:
    assert "Traceback" not in run("tasks", "show", "9").stderr
    assert "Traceback" in run("--debug", "tasks", "show", "9").stderr


# --------------------------------------------------------------------------- history and undo


def test_history_and_undo(project: Path) -> None:
    add("One")
    add("Two")
    history = json.loads(ok("tasks", "history", "--json").stdout)
    assert [h["command"] for h in history] == ["tasks add 'Two'", "tasks add 'One'"]
    ok("tasks", "undo")
    assert [t["title"] for t in data(project)["master"]["tasks"]] == ["One"]
    ok("tasks", "undo")  # undo the undo
    assert [t["title"] for t in data(project)["master"]["tasks"]] == ["One", "Two"]
    oldest = json.loads(ok("tasks", "history", "--json").stdout)[-1]
    ok("tasks", "undo", "--to", str(oldest["id"]))
    assert data(project)["master"]["tasks"] == []
    assert run("tasks", "undo", "--to", "999").exit_code == 3


# --------------------------------------------------------------------------- layering


def test_core_never_imports_typer_or_rich() -> None:
    code = (
        "import sys\n"
        "import taskctl.core.store, taskctl.core.tasks, taskctl.core.models, taskctl.core.errors,"
        " taskctl.core.paths, taskctl.core.backups, taskctl.core.project, taskctl.core.settings,"
        " taskctl.core.document, taskctl.core.tagview, taskctl.core.layout, taskctl.core.fs,"
        " taskctl.core.lock\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m_works(project: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "taskctl", "tasks", "add", "via -m", "-q"],
        capture_output=True,
        text=True,
        cwd=project,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "1\n"


def test_missing_project_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    result = run("tasks", "list", env={"TASKCTL_PROJECT": str(tmp_path / "nope")})
    assert result.exit_code == 3
    assert "(from TASKCTL_PROJECT)" in result.stderr


@pytest.mark.usefixtures("project")
def test_auto_format_is_a_table_on_a_terminal_and_plain_with_no_color() -> None:
    terminal = Terminal(stdout=True)
    assert reading.output_mode(AppContext(terminal=terminal), False, None) == "table"
    no_color = AppContext(terminal=terminal, environ={"NO_COLOR": "1"})
    assert reading.output_mode(no_color, False, None) == "plain"
    assert reading.output_mode(no_color, False, "table") == "table"  # asked for: a table


def test_validate_on_a_new_project_has_nothing_to_check(project: Path) -> None:
    tasks_file(project).write_text("{}")  # no tag at all yet
    assert "no problems found" in ok("tasks", "validate").stderr
    assert "no problems found" in ok("tasks", "validate", "--fix").stderr
    assert tasks_file(project).read_text() == "{}"


def test_validate_of_a_missing_current_tag_is_exit_3(quirks: Path) -> None:
    (quirks / ".taskmaster" / "state.json").write_text('{"currentTag": "gone"}')
    result = run("tasks", "validate")
    assert result.exit_code == 3
    assert "tag 'gone' not found" in result.stderr
