"""Which task a command acts on: an id that names no task, several, or nothing at all
is refused, never guessed. Real processes: the fast path for plain show/add/update
lines, compared with the Typer app, and typer for remove and undo."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from tests.cli_process import (
    Run,
    assert_refused,
    both,
    command,
    document,
    env_for,
    make_project,
    ok,
    task,
    taskctl,
    tasks_file,
)


@pytest.fixture
def duplicated(tmp_path: Path) -> Path:
    """Task 1 twice (a merge), task 2 with subtask 2.1 twice, task 3 with subtask 3.5."""
    return make_project(
        tmp_path,
        document(
            task(1, "First one"),
            task(2, subtasks=[{"id": 1, "title": "a"}, {"id": 1, "title": "b"}]),
            task(1, "Second one"),
            task(3, subtasks=[{"id": 5, "title": "c"}]),
        ),
    )


AMBIGUOUS = [
    (("tasks", "show", "1"), "id 1 is carried by 2 tasks"),
    (("tasks", "show", "1", "--json"), "id 1 is carried by 2 tasks"),
    (("tasks", "update", "1", "--status", "done"), "id 1 is carried by 2 tasks"),
    (("tasks", "update", "1.1", "--status", "done"), "id 1 is carried by 2 tasks"),
    (("tasks", "update", "3", "2.1", "--title", "x"), "id 2.1 is carried by 2 subtasks"),
    (("tasks", "show", "2.1"), "id 2.1 is carried by 2 subtasks of task 2"),
    (("tasks", "add", "x", "--parent", "1"), "id 1 is carried by 2 tasks"),
    (("tasks", "add", "x", "--depends-on", "1"), "id 1 is carried by 2 tasks"),
    (("tasks", "add", "x", "--depends-on", "3,2.1"), "id 2.1 is carried by 2 subtasks"),
    (("tasks", "update", "3", "--add-dependency", "1"), "id 1 is carried by 2 tasks"),
    (("tasks", "update", "3.5", "--add-dependency", "1"), "id 1 is carried by 2 tasks"),
]


@pytest.mark.parametrize(("args", "needle"), AMBIGUOUS, ids=[" ".join(a) for a, _ in AMBIGUOUS])
def test_an_id_several_tasks_carry_is_refused(
    duplicated: Path, args: tuple[str, ...], needle: str
) -> None:
    before = tasks_file(duplicated).read_bytes()
    run = both(duplicated, *args)
    assert run.returncode == 4, run
    assert needle in run.stderr
    assert "taskctl tasks validate --fix" in run.stderr
    assert tasks_file(duplicated).read_bytes() == before


def test_remove_refuses_an_id_several_tasks_carry(duplicated: Path) -> None:
    before = tasks_file(duplicated).read_bytes()
    for ids in (["1"], ["3", "1"], ["2.1"]):
        run = taskctl(duplicated, "tasks", "remove", *ids, "--yes")
        assert_refused(run, 4, "is carried by 2", "taskctl tasks validate --fix")
    assert tasks_file(duplicated).read_bytes() == before


def test_unique_ids_beside_duplicates_still_work(duplicated: Path) -> None:
    assert both(duplicated, "tasks", "show", "2", "--json").json()["id"] == 2
    ok(duplicated, "tasks", "update", "3.5", "--status", "done")
    assert ok(duplicated, "tasks", "add", "Sub", "--parent", "3", "-q").stdout == "3.6\n"
    ok(duplicated, "tasks", "remove", "3", "--yes")
    ok(duplicated, "tasks", "validate", "--fix")
    ok(duplicated, "tasks", "update", "1", "--status", "done")  # unique once renumbered


EMPTY = [
    ("tasks", "show", ""),
    ("tasks", "show", "1", ""),
    ("tasks", "update", "", "--status", "done"),
    ("tasks", "update", ",", "--status", "done"),
    ("tasks", "update", "1,", "--status", "done"),
    ("tasks", "update", "1", "--add-dependency", ""),
    ("tasks", "update", "1", "--remove-dependency", ""),
    ("tasks", "add", "x", "--depends-on", ""),
    ("tasks", "add", "x", "--depends-on", "1,,2"),
]


@pytest.mark.parametrize("args", EMPTY, ids=" ".join)
def test_an_empty_id_is_invalid(tmp_path: Path, args: tuple[str, ...]) -> None:
    project = make_project(tmp_path, document(task(1), task(2)))
    before = tasks_file(project).read_bytes()
    run = both(project, *args)
    assert_refused(run, 2, "invalid task id ''")
    assert tasks_file(project).read_bytes() == before


@pytest.mark.parametrize("ids", [[""], [","], ["1", ""]], ids=repr)
def test_remove_of_an_empty_id_is_invalid(tmp_path: Path, ids: list[str]) -> None:
    project = make_project(tmp_path, document(task(1)))
    before = tasks_file(project).read_bytes()
    assert_refused(taskctl(project, "tasks", "remove", *ids, "--yes"), 2, "invalid task id ''")
    assert tasks_file(project).read_bytes() == before


INVALID = [
    (("tasks", "add", "x", "--parent", "0"), "invalid task id '0'"),
    (("tasks", "add", "x", "--parent", "-1"), "invalid task id '-1'"),
    (("tasks", "add", "x", "--priority", ""), "unknown priority ''"),
    (("tasks", "add", "x", "--status", ""), "unknown status ''"),
    (("tasks", "add", "x", "--tag", ""), "invalid tag ''"),
    (("tasks", "update", "1", "--status", "done", "--tag", ""), "invalid tag ''"),
    (("tasks", "show", "1", "--tag", ""), "invalid tag ''"),
]


@pytest.mark.parametrize(("args", "needle"), INVALID, ids=[" ".join(a) for a, _ in INVALID])
def test_invalid_values_are_usage_errors(
    tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    project = make_project(tmp_path, document(task(1)))
    before = tasks_file(project).read_bytes()
    assert_refused(both(project, *args), 2, needle)
    assert tasks_file(project).read_bytes() == before


@pytest.mark.parametrize("value", ["-1", "0"])
def test_undo_to_a_backup_id_below_1_is_a_usage_error(tmp_path: Path, value: str) -> None:
    project = make_project(tmp_path, document(task(1)))
    ok(project, "tasks", "add", "x")
    assert_refused(taskctl(project, "tasks", "undo", "--to", value), 2, "--to")


def answer_prompt(project: Path, answer: bytes, *args: str) -> Run:
    """Run `taskctl ARGS` with a terminal as stdin, typing `answer` at its prompt."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            command(project, *args),
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env_for(),
        )
        os.close(follower)
        os.write(leader, answer)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    return Run(args, proc.returncode, out.decode(), err.decode())


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"\x04"], ids=["no", "default", "EOF"])
def test_answering_no_at_the_remove_prompt_removes_nothing(tmp_path: Path, answer: bytes) -> None:
    project = make_project(tmp_path, document(task(1), task(2)))
    before = tasks_file(project).read_bytes()
    run = answer_prompt(project, answer, "tasks", "remove", "1")
    assert run.returncode == 6, run
    assert "Traceback" not in run.stderr
    assert "Remove 1 'Task 1'?" in run.stderr  # the prompt
    assert run.stderr.endswith("error: aborted, nothing removed\n")
    assert run.stdout == ""
    assert tasks_file(project).read_bytes() == before


def test_answering_yes_at_the_remove_prompt_removes(tmp_path: Path) -> None:
    project = make_project(tmp_path, document(task(1), task(2)))
    run = answer_prompt(project, b"y\n", "tasks", "remove", "1")
    assert run.returncode == 0, run
    assert [t["id"] for t in ok(project, "tasks", "list", "--json").json()] == [2]
