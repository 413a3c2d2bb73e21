"""`tasks next` gives Task Master's answer, and `tasks list`'s default order.

The answers recorded from the real `task-master next` on the project's fixtures
(`tests/taskmaster/`) are checked on every run; against the live client too when
`task-master` is on PATH.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.core import tasks as ops
from taskctl.core.document import Document
from taskctl.core.models import as_int
from tests import taskmaster
from tests.cli_process import make_project, ok, tasks_file
from tests.conftest import shared_fixture_if_present

STATUSES = ["pending", "in-progress", "done", "blocked", "review", "cancelled", "deferred"]
RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}


def reference_next(view: ops.TagView) -> ops.NextRef | None:
    """tm-core's `TaskService.getNextTask` (0.43.1) line by line, over its string keys;
    Python's sort is stable, as JavaScript's."""
    tasks = [
        (i, t) for i, t in enumerate(view.tasks) if t.status in ("pending", "in-progress", "done")
    ]
    done = set()
    for _, t in tasks:
        if t.status == "done":
            done.add(str(as_int(t.id)))
        done.update(f"{as_int(t.id)}.{as_int(s.id)}" for s in t.subtasks if s.status == "done")

    def key(parent: int, dep: int | str) -> str:
        return dep if isinstance(dep, str) and "." in dep else f"{parent}.{as_int(dep)}"

    subtasks = []
    for i, t in tasks:
        if t.status != "in-progress":
            continue
        for j, s in enumerate(t.subtasks):
            if (s.status or "pending").lower() not in ("pending", "in-progress"):
                continue
            deps = [key(as_int(t.id), d) for d in s.dependencies]
            if all(d in done for d in deps):
                priority = RANK.get(s.priority or t.priority or "medium", 2)
                subtasks.append(((i, j), (-priority, len(deps), as_int(t.id), as_int(s.id))))
    if subtasks:
        return sorted(subtasks, key=lambda c: c[1])[0][0]
    ready = [
        ((i, None), (-RANK.get(t.priority or "medium", 2), len(t.dependencies), as_int(t.id)))
        for i, t in tasks
        if t.status in ("pending", "in-progress") and all(str(d) in done for d in t.dependencies)
    ]
    return sorted(ready, key=lambda c: c[1])[0][0] if ready else None


ids = st.integers(1, 6)
dependency = st.one_of(
    ids,
    ids.map(str),  # Task Master's files hold "3" too
    st.tuples(ids, st.integers(1, 3)).map(lambda p: f"{p[0]}.{p[1]}"),
)
priority = st.sampled_from(["high", "medium", "low", "critical", "urgent"])
subtask = st.fixed_dictionaries(
    {"id": st.integers(1, 3), "title": st.just("s"), "status": st.sampled_from(STATUSES)},
    optional={
        "priority": priority,
        "dependencies": st.lists(st.one_of(st.integers(1, 3), dependency), max_size=2),
    },
)
task = st.fixed_dictionaries(
    {
        "id": st.one_of(ids, ids.map(str)),  # duplicates and string ids included
        "title": st.just("t"),
        "status": st.sampled_from(STATUSES),
        "priority": priority,
        "dependencies": st.lists(dependency, max_size=3),
        "subtasks": st.lists(subtask, max_size=3),
    }
)


def view_of(tasks: list[dict[str, Any]]) -> ops.TagView:
    data = json.dumps({"master": {"tasks": tasks}}).encode()
    return Document(Path("tasks.json"), data, (0, 0, 0)).tag("master")


@settings(max_examples=400, deadline=None)
@given(st.lists(task, max_size=8))
def test_next_task_follows_the_rule(tasks: list[dict[str, Any]]) -> None:
    view = view_of(tasks)
    assert ops.next_task(view) == reference_next(view)


# What task-master 0.43.1 answered, tag by tag, on its own repository's file (outside
# this repository: checked when ../shared holds it).
REPO_ANSWERS = {
    "master": "67",
    "test-tag": None,
    "cc-kiro-hooks": "1",
    "tm-core-phase-1": "120",
    "tm-start": "8",
    "autonomous-tdd-git-workflow": "31",
    "tdd-workflow-phase-0": None,
    "tdd-phase-1-core-rails": None,
    "loop": "11.3",
}


def _project(tmp_path: Path, case: str) -> Path:
    root = make_project(tmp_path / case)
    shutil.copyfile(taskmaster.tasks_path(case), tasks_file(root))
    shutil.copyfile(taskmaster.state_path(case), root / ".taskmaster" / "state.json")
    return root


def _same_answer(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> None:
    """taskctl prints ids as numbers where Task Master prints strings; else the same."""
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert str(ours["id"]) == theirs["id"]
    for field in ("title", "status", "priority", "description"):
        assert ours.get(field) == theirs.get(field), field
    assert [str(d) for d in ours["dependencies"]] == theirs["dependencies"]
    if "parentId" in theirs:  # a subtask
        assert str(ours["parentId"]) == theirs["parentId"]


@pytest.mark.parametrize("case", taskmaster.cases())
def test_next_gives_task_masters_recorded_answer(case: str, tmp_path: Path) -> None:
    root = _project(tmp_path, case)
    answers = taskmaster.recorded_next(case)
    for tag, theirs in answers.items():
        _same_answer(ok(root, "tasks", "next", "--json", "--tag", tag).json(), theirs)
        assert ops.next_task(_view(case, tag)) == reference_next(_view(case, tag)), tag
    plain = ok(root, "tasks", "next", "--tag", "master").stdout
    theirs = answers["master"]
    assert (theirs is None and plain == "") or f"ID:           {theirs['id']}\n" in plain


def _view(case: str, tag: str) -> ops.TagView:
    data = taskmaster.tasks_path(case).read_bytes()
    return Document(Path("tasks.json"), data, (0, 0, 0)).tag(tag)


def test_the_recorded_answers_cover_the_rule() -> None:
    """Subtask answers, top-level answers and no answer are all recorded."""
    answers = [a for case in taskmaster.cases() for a in taskmaster.recorded_next(case).values()]
    assert len(taskmaster.cases()) >= 10
    assert any(a and "parentId" in a for a in answers)
    assert any(a and "parentId" not in a for a in answers)
    assert None in answers


REPO_FILE = shared_fixture_if_present("repo-tasks.json")


if REPO_FILE is not None:  # defined only then: a clean clone skips nothing

    def test_next_on_task_masters_own_file() -> None:
        assert REPO_FILE is not None
        document = Document(Path("tasks.json"), REPO_FILE.read_bytes(), (0, 0, 0))
        assert set(document.tag_names) == set(REPO_ANSWERS)
        for name, theirs in REPO_ANSWERS.items():
            view = document.tag(name)
            found = ops.next_task(view)
            assert found == reference_next(view), name
            ours = None if found is None else ops.next_dict(view, found)["id"]
            assert (None if ours is None else str(ours)) == theirs, name


TASK_MASTER = shutil.which("task-master")


@pytest.mark.taskmaster
@pytest.mark.skipif(TASK_MASTER is None, reason="task-master is not on PATH")
def test_the_recorded_answers_are_what_task_master_answers_now(tmp_path: Path) -> None:
    """The live client, when installed: one `task-master next` per fixture (its first
    tag; ~5 s each, four at a time), so that the recordings cannot drift from it."""
    assert TASK_MASTER is not None
    jobs = [
        (case, next(iter(taskmaster.recorded_next(case))), _project(tmp_path, case))
        for case in taskmaster.cases()
    ]

    def live(job: tuple[str, str, Path]) -> Any:
        _, tag, root = job
        out = subprocess.run(
            [TASK_MASTER, "next", "--format", "json", "--tag", tag],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        return json.loads(out)["task"]

    with ThreadPoolExecutor(4) as pool:
        for (case, tag, _), answer in zip(jobs, pool.map(live, jobs), strict=True):
            assert answer == taskmaster.recorded_next(case)[tag], (case, tag)


def test_a_dependency_on_a_subtask_waits_for_that_subtask() -> None:
    tasks = [
        {
            "id": 1,
            "title": "a",
            "status": "pending",
            "subtasks": [{"id": 1, "title": "s", "status": "pending"}],
        },
        {"id": 2, "title": "b", "status": "pending", "priority": "high", "dependencies": ["1.1"]},
    ]
    assert ops.next_task(view_of(tasks)) == (0, None)  # 2 waits on 1.1
    tasks[0]["subtasks"][0]["status"] = "done"
    assert ops.next_task(view_of(tasks)) == (1, None)  # now 2, the higher priority, is ready


def test_of_duplicate_ids_any_done_one_satisfies_a_dependency() -> None:
    tasks = [
        {"id": 1, "title": "a", "status": "done"},
        {"id": 1, "title": "b", "status": "blocked"},
        {"id": 2, "title": "c", "status": "pending", "dependencies": [1]},
    ]
    assert ops.next_task(view_of(tasks)) == (2, None)
    tasks[0]["status"], tasks[1]["status"] = "blocked", "done"
    assert ops.next_task(view_of(tasks)) == (2, None)  # as Task Master: not only the first


def test_a_cancelled_dependency_is_never_done() -> None:
    tasks = [
        {"id": 1, "title": "a", "status": "cancelled"},
        {"id": 2, "title": "b", "status": "pending", "dependencies": [1]},
    ]
    assert ops.next_task(view_of(tasks)) is None


def test_a_subtask_answer_is_a_task_object_with_its_dotted_id() -> None:
    tasks = [
        {"id": 1, "title": "a", "status": "done"},
        {
            "id": "2",
            "title": "p",
            "status": "in-progress",
            "priority": "low",
            "subtasks": [
                {"id": 1, "title": "s1", "status": "done", "parentId": "undefined"},
                {"id": 2, "title": "s2", "status": "pending", "dependencies": [1, "2.1"]},
            ],
        },
    ]
    view = view_of(tasks)
    found = ops.next_task(view)
    assert found == (1, 1)
    answer = ops.next_dict(view, found)
    assert answer["id"] == "2.2"
    assert answer["parentId"] == 2
    assert answer["priority"] == "low"  # the parent's, as Task Master chose it
    assert answer["dependencies"] == ["2.1", "2.1"]
    assert answer["title"] == "s2"


@settings(max_examples=300, deadline=None)
@given(st.lists(task, max_size=8), st.sampled_from([None, "pending", "done"]))
def test_list_is_in_id_order_and_keeps_the_files_order_among_equal_ids(
    tasks: list[dict[str, Any]], status: str | None
) -> None:
    view = view_of(tasks)
    query = ops.ListQuery(status=status)
    wanted = [i for i, t in enumerate(view.tasks) if status is None or t.status == status]
    expected = sorted(wanted, key=lambda i: ops.as_int(view.tasks[i].id))  # stable
    assert ops.list_tasks(view, query) == expected
