"""`tasks next` and `tasks list`'s default order: the fast paths must agree with the rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.core import tasks as ops
from taskctl.core.document import Document
from tests.conftest import shared_fixture

STATUSES = ["pending", "in-progress", "done", "blocked", "review", "cancelled"]


def reference_next(view: ops.TagView) -> int | None:
    """The rule as written: is_ready over status_map, highest priority, then lowest id."""
    statuses = ops.status_map(view)
    ready = [i for i, task in enumerate(view.tasks) if ops.is_ready(task, statuses)]
    return min(
        ready,
        key=lambda i: (
            -ops.PRIORITY_RANK.get(view.tasks[i].priority or "medium", 0),
            ops.as_int(view.tasks[i].id),
        ),
        default=None,
    )


ids = st.integers(1, 6)
dependency = st.one_of(
    ids,
    ids.map(str),  # Task Master's files hold "3" too
    st.tuples(ids, st.integers(1, 3)).map(lambda p: f"{p[0]}.{p[1]}"),
)
subtask = st.fixed_dictionaries(
    {"id": st.integers(1, 3), "title": st.just("s"), "status": st.sampled_from(STATUSES)}
)
task = st.fixed_dictionaries(
    {
        "id": st.one_of(ids, ids.map(str)),  # duplicates and string ids included
        "title": st.just("t"),
        "status": st.sampled_from(STATUSES),
        "priority": st.sampled_from(["high", "medium", "low", "critical"]),
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


def test_next_task_on_task_masters_own_file() -> None:
    document = Document(
        Path("tasks.json"), shared_fixture("repo-tasks.json").read_bytes(), (0, 0, 0)
    )
    for name in document.tag_names:
        view = document.tag(name)
        assert ops.next_task(view) == reference_next(view), name


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
    assert ops.next_task(view_of(tasks)) == 0  # 2 waits on 1.1
    tasks[0]["subtasks"][0]["status"] = "done"
    assert ops.next_task(view_of(tasks)) == 1  # now 2, the higher priority, is ready


def test_of_duplicate_ids_the_first_decides() -> None:
    tasks = [
        {"id": 1, "title": "a", "status": "done"},
        {"id": 1, "title": "b", "status": "blocked"},
        {"id": 2, "title": "c", "status": "pending", "dependencies": [1]},
    ]
    assert ops.next_task(view_of(tasks)) == 2  # as status_map: the first task 1 is done


@settings(max_examples=300, deadline=None)
@given(st.lists(task, max_size=8), st.sampled_from([None, "pending", "done"]))
def test_list_is_in_id_order_and_keeps_the_files_order_among_equal_ids(
    tasks: list[dict[str, Any]], status: str | None
) -> None:
    view = view_of(tasks)
    query = ops.ListQuery(statuses=(status,) if status else ())
    wanted = [i for i, t in enumerate(view.tasks) if status is None or t.status == status]
    expected = sorted(wanted, key=lambda i: ops.as_int(view.tasks[i].id))  # stable
    assert ops.list_tasks(view, query) == expected
