"""`tasks list` options: every option given changes the output or is refused; filters
select subtasks too with --with-subtasks. Real processes, fast path and typer alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_process import (
    REPO,
    both,
    document,
    env_for,
    make_project,
    ok,
    task,
    taskctl,
)


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """Task 1 pending with subtasks 1.1 done, 1.2 in review and 1.3 pending (both
    depending on their sibling 1.1), task 2 in review with a pending subtask, task 3 in
    review, task 4 high, pending, depending on 3."""
    subs = [
        {"id": 1, "title": "Sub a", "status": "done"},
        {"id": 2, "title": "Sub b", "status": "review", "dependencies": [1]},
        {"id": 3, "title": "Sub d", "status": "pending", "dependencies": [1]},
    ]
    return make_project(
        tmp_path,
        document(
            task(1, "Parent", subtasks=subs),
            task(2, "Other", status="review", subtasks=[{"id": 1, "title": "Sub c"}]),
            task(3, "Third", status="review"),
            task(4, "Urgent", priority="high", dependencies=[3]),
        ),
    )


def lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


# --------------------------------------------------------------------------- filters and subtasks


def test_status_filter_selects_subtasks_with_with_subtasks(review: Path) -> None:
    ids = both(review, "tasks", "list", "--status", "review", "--with-subtasks", "-f", "ids")
    assert ids.stdout == "1.2\n2\n3\n"  # 1 is not in review: only its subtask
    plain = both(review, "tasks", "list", "--status", "review", "--with-subtasks", "-f", "plain")
    assert [row[0] for row in lines(plain.stdout)] == ["ID", "1", "1.2", "2", "3"]  # 2.1: pending
    listed = both(review, "tasks", "list", "--status", "review", "--with-subtasks", "--json")
    assert [(t["id"], [s["id"] for s in t["subtasks"]]) for t in listed.json()] == [
        (1, [2]),
        (2, []),
        (3, []),
    ]


def test_other_filters_select_subtasks_too(review: Path) -> None:
    def ids(*args: str) -> str:
        return both(review, "tasks", "list", "--with-subtasks", "-f", "ids", *args).stdout

    assert ids("--search", "sub") == "1.1\n1.2\n1.3\n2.1\n"
    assert ids("--priority", "high") == "4\n"  # a subtask has its task's priority
    assert ids("--ready") == "1\n1.3\n2.1\n"  # 1.3 depends on 1.1, which is done
    assert ids("--blocked") == "4\n"
    assert ids("--status", "pending", "--limit", "1") == "1\n1.3\n"  # the limit counts tasks
    assert ids() == "1\n1.1\n1.2\n1.3\n2\n2.1\n3\n4\n"


def test_without_with_subtasks_filters_select_tasks_only(review: Path) -> None:
    assert both(review, "tasks", "list", "--status", "review", "-f", "ids").stdout == "2\n3\n"
    listed = both(review, "tasks", "list", "--status", "pending", "--json").json()
    assert [len(t["subtasks"]) for t in listed] == [3, 0]  # whole tasks, as before


def test_tasks_with_subtasks_setting_changes_human_output_only(review: Path) -> None:
    env = {"TASKCTL_TASKS_WITH_SUBTASKS": "true"}
    plain = taskctl(review, "tasks", "list", "--status", "review", "-f", "plain", env=env)
    assert "1.2" in plain.stdout
    ids = taskctl(review, "tasks", "list", "--status", "review", "-f", "ids", env=env)
    assert ids.stdout == "2\n3\n"
    listed = taskctl(review, "tasks", "list", "--status", "done", "--json", env=env)
    assert listed.stdout.strip() == "[]"


def test_readme_recipe_marks_subtasks_in_review_done(review: Path) -> None:
    recipe = (
        "taskctl tasks list --status review --with-subtasks --format ids"
        " | xargs -r taskctl tasks update --status done"
    )
    assert recipe in (REPO / "README.md").read_text()
    bin_dir = review / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "taskctl"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m taskctl "$@"\n')
    shim.chmod(0o755)
    env = env_for({"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    done = subprocess.run(recipe, shell=True, cwd=review, env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    listed = ok(review, "tasks", "list", "--with-subtasks", "--json").json()
    statuses = {str(t["id"]): t["status"] for t in listed}
    subs = [(t["id"], s) for t in listed for s in t["subtasks"]]
    statuses.update({f"{tid}.{s['id']}": s.get("status", "pending") for tid, s in subs})
    assert statuses == {
        "1": "pending",
        "1.1": "done",
        "1.2": "done",
        "1.3": "pending",
        "2": "done",
        "2.1": "pending",
        "3": "done",
        "4": "pending",
    }


# --------------------------------------------------------------------------- idle options


def test_fields_choose_the_columns_of_plain_and_table_output(review: Path) -> None:
    plain = both(review, "tasks", "list", "--fields", "title,id,dependencies", "-f", "plain")
    assert lines(plain.stdout) == [
        ["TITLE", "ID", "DEPS"],
        ["Parent", "1", "-"],
        ["Other", "2", "-"],
        ["Third", "3", "-"],
        ["Urgent", "4", "3"],
    ]
    with_subs = both(review, "tasks", "list", "--with-subtasks", "--fields", "id,dependencies")
    assert lines(with_subs.stdout)[1:4] == [["1", "-"], ["1.1", "-"], ["1.2", "1.1"]]
    table = both(review, "tasks", "list", "--fields", "id,description", "-f", "table")
    assert "DESCRIPTION" in table.stdout
    assert "About task 4" in table.stdout
    assert "TITLE" not in table.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--fields", "bogus", "-f", "plain"), "unknown field 'bogus'"),
        (("--fields", "id", "-f", "ids"), "--fields does nothing with --format ids"),
        (("--fields", ""), "--fields needs at least one field"),
        (("--fields", ",", "--json"), "--fields needs at least one field"),
        (("--format", "ids", "--json"), "--json and --format ids disagree"),
        (("--json", "--format", "table"), "--json and --format table disagree"),
        (("--json", "--format=jsonl"), "--json and --format jsonl disagree"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_options_that_would_do_nothing_are_refused(
    review: Path, args: tuple[str, ...], needle: str
) -> None:
    run = both(review, "tasks", "list", *args)
    assert run.returncode == 2, run
    assert needle in run.stderr
    assert run.stdout == ""


def test_json_and_format_json_together_are_fine(review: Path) -> None:
    assert len(both(review, "tasks", "list", "--json", "--format", "json").json()) == 4


# --------------------------------------------------------------------------- subtask dependencies


def test_a_subtask_shows_its_sibling_dependency_as_n_m(review: Path) -> None:
    shown = both(review, "tasks", "show", "1.2")
    assert "Dependencies: 1.1\n" in shown.stdout
    table = both(review, "tasks", "list", "--with-subtasks", "-f", "plain")
    assert ["1.2", "review", "-", "1.1", "Sub", "b"] in lines(table.stdout)
    assert both(review, "tasks", "show", "1.2", "--json").json()["dependencies"] == [1]


def test_a_subtask_dependency_on_a_task_shows_as_the_task(tmp_path: Path) -> None:
    """A bare number with no such sibling is a task (subtask_dep_keys' rule)."""
    sub = {"id": 1, "title": "Sub", "dependencies": [2]}
    project = make_project(tmp_path, document(task(1, subtasks=[sub]), task(2)))
    assert "Dependencies: 2\n" in both(project, "tasks", "show", "1.1").stdout


def test_no_task_matches_is_a_message_not_an_error(review: Path) -> None:
    run = both(review, "tasks", "list", "--status", "deferred", "--fields", "id")
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "no tasks match\n")
