"""`tasks validate` (core/tasks/validation.py) against the implementation it replaced.

`validate` makes linear passes over integer keys; the reference below is the first
version, kept word for word: the string-keyed graph of `dependency_graph`, then
`find_cycles`. Hypothesis draws small tags full of what validate must find (duplicate
task and subtask ids, string ids, dependencies on nothing, on themselves, on siblings,
across tasks, in cycles, unknown statuses and priorities, empty titles) and the two
must report the same problems, in the same order, in the same words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskctl.core.document import Document
from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.settings import PRIORITIES, STATUSES
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import dependency_graph, find_cycles
from taskctl.core.tasks.validation import Problem, fix, validate

# --------------------------------------------------------------------------- the reference


def reference_validate(view: TagView) -> list[Problem]:
    """Problems that make a tag inconsistent, though still readable."""
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    for task in view.tasks:
        tid = as_int(task.id)
        seen[tid] = seen.get(tid, 0) + 1
        _check_fields(problems, str(tid), task)
        sub_seen: dict[int, int] = {}
        for sub in task.subtasks:
            sid = as_int(sub.id)
            sub_seen[sid] = sub_seen.get(sid, 0) + 1
            _check_fields(problems, f"{tid}.{sid}", sub)
        for sid, count in sub_seen.items():
            if count > 1:
                problems.append(
                    Problem(
                        "duplicate_id",
                        f"{tid}.{sid}",
                        f"subtask id {tid}.{sid} is used {count} times",
                        True,
                    )
                )
    for tid, count in seen.items():
        if count > 1:
            problems.append(
                Problem("duplicate_id", str(tid), f"task id {tid} is used {count} times", True)
            )
    graph = dependency_graph(view)
    for node, deps in graph.items():
        for dep in deps:
            if dep == node:
                problems.append(
                    Problem("self_dependency", node, f"task {node} depends on itself", True)
                )
            elif dep not in graph:
                problems.append(
                    Problem(
                        "missing_dependency",
                        node,
                        f"task {node} depends on {dep}, which does not exist",
                        True,
                    )
                )
    problems.extend(
        Problem("cycle", cycle[0], f"dependency cycle: {' -> '.join(cycle)}", True)
        for cycle in find_cycles({k: [d for d in v if d != k] for k, v in graph.items()})
    )
    return problems


def _check_fields(problems: list[Problem], key: str, item: Task | Subtask) -> None:
    if item.status not in STATUSES:
        problems.append(
            Problem("unknown_status", key, f"task {key} has unknown status {item.status!r}", False)
        )
    if item.priority is not None and item.priority not in PRIORITIES:
        problems.append(
            Problem(
                "unknown_priority", key, f"task {key} has unknown priority {item.priority!r}", False
            )
        )
    if not item.title.strip():
        problems.append(Problem("empty_title", key, f"task {key} has an empty title", False))
    if isinstance(item, Task) and not (item.description or "").strip():
        problems.append(
            Problem("empty_description", key, f"task {key} has an empty description", True)
        )


# --------------------------------------------------------------------------- generated tags

# Few ids, so that they repeat and dependencies often land on something.
task_ids = st.integers(1, 6)
sub_ids = st.integers(1, 4)


def _id(number: st.SearchStrategy[int]) -> st.SearchStrategy[int | str]:
    return st.one_of(number, number.map(str))  # Task Master sometimes writes "3"


dependency = st.one_of(
    _id(st.integers(1, 7)),  # a task (or, in a subtask, a sibling), maybe missing
    st.tuples(st.integers(1, 7), st.integers(1, 5)).map(lambda p: f"{p[0]}.{p[1]}"),
)


def _item(ids: st.SearchStrategy[int]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "id": _id(ids),
            "title": st.sampled_from(["Do it", "", "  ", "\t\n", "x"]),
            "status": st.sampled_from([*STATUSES, "bogus", "Done"]),
            "dependencies": st.lists(dependency, max_size=3),
        },
        optional={
            "description": st.sampled_from(["Why", "", " ", None]),
            "priority": st.sampled_from([*PRIORITIES, None, "urgent"]),
        },
    )


subtask = _item(sub_ids)
task = _item(task_ids).flatmap(
    lambda t: st.lists(subtask, max_size=4).map(lambda subs: {**t, "subtasks": subs})
)
tags = st.lists(task, max_size=8)


def view_of(tasks: list[dict[str, Any]], *, quick: bool = False) -> TagView:
    data = msgspec.json.encode({"master": {"tasks": tasks, "metadata": {}}})
    return Document(Path("tasks.json"), data, (0, 0, 0), quick=quick).tag("master")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks=tags, quick=st.booleans())
def test_validate_reports_what_the_reference_reports(
    tasks: list[dict[str, Any]], quick: bool
) -> None:
    view = view_of(tasks, quick=quick)
    assert validate(view) == reference_validate(view)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks=tags)
def test_after_fix_validate_still_agrees(tasks: list[dict[str, Any]]) -> None:
    """`fix` edits the view in place (dicts, re-validated tasks): validate reads the
    edited view as the reference does."""
    view = view_of(tasks)
    fix(view)
    assert validate(view) == reference_validate(view)


# --------------------------------------------------------------------------- cases by hand


def _task(tid: int | str, deps: list[Any], subtasks: list[dict[str, Any]] | None = None) -> Any:
    return {
        "id": tid,
        "title": f"Task {tid}",
        "description": "d",
        "status": "pending",
        "dependencies": deps,
        "subtasks": subtasks or [],
    }


def _sub(sid: int, deps: list[Any]) -> dict[str, Any]:
    return {"id": sid, "title": f"Sub {sid}", "status": "pending", "dependencies": deps}


def test_a_cycle_through_a_later_task_is_found() -> None:
    """The depth-first search runs only when a dependency points forward in the file."""
    view = view_of([_task(1, [3]), _task(2, [1]), _task(3, [2])])
    assert [p.message for p in validate(view)] == ["dependency cycle: 1 -> 3 -> 2 -> 1"]


def test_a_self_dependency_is_reported_once_and_is_no_cycle() -> None:
    view = view_of([_task(1, [1, 2]), _task(2, [1])])
    assert [p.message for p in validate(view)] == [
        "task 1 depends on itself",
        "dependency cycle: 1 -> 2 -> 1",
    ]


def test_a_cycle_through_subtasks_names_them() -> None:
    """A subtask's bare number is its sibling: 2.1 -> 2.2 -> 2.1, reached from task 1."""
    view = view_of([_task(1, ["2.1"]), _task(2, [], [_sub(1, [2]), _sub(2, [1])])])
    problems = validate(view)
    assert [(p.code, p.task, p.message) for p in problems] == [
        ("cycle", "2.1", "dependency cycle: 2.1 -> 2.2 -> 2.1")
    ]


def test_a_long_chain_needs_no_recursion() -> None:
    """10,000 tasks each depending on the next: no recursion limit, one cycle."""
    count = 10_000
    tasks = [_task(i, [i % count + 1]) for i in range(1, count + 1)]
    problems = validate(view_of(tasks))
    assert [p.code for p in problems] == ["cycle"]
    assert problems[0].message.startswith("dependency cycle: 1 -> 2 -> 3 -> ")
    assert problems[0].message.endswith(f" -> {count} -> 1")


def test_an_acyclic_tag_in_file_order_has_no_problems() -> None:
    tasks = [_task(i, list(range(max(1, i - 3), i))) for i in range(1, 200)]
    assert validate(view_of(tasks)) == []
