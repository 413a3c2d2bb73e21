"""Renumbering rewrites every reference, in Task Master's forms, and nothing else."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.core.errors import UsageError
from taskctl.core.models import Task
from taskctl.core.tasks.graph import subtask_dep_keys, task_dep_keys
from taskctl.core.tasks.references import Rewrite, new_key, renumber, rewrite_references


def _tag() -> list[dict[str, Any]]:
    return [
        {"id": 1, "title": "a", "dependencies": []},
        {
            "id": 2,
            "title": "b",
            "dependencies": [1, "3.1"],
            "subtasks": [
                {"id": 1, "title": "b1", "dependencies": []},
                {"id": 2, "title": "b2", "dependencies": [1, "3.1", 3]},
            ],
        },
        {
            "id": 3,
            "title": "c",
            "dependencies": ["2"],
            "subtasks": [{"id": 1, "title": "c1", "dependencies": ["2.2"]}],
        },
    ]


def test_renumbering_a_task_rewrites_task_and_subtask_references() -> None:
    tasks = _tag()
    rewrites = renumber(tasks, {"3": "7"})
    assert [t["id"] for t in tasks] == [1, 2, 7]
    assert tasks[1]["dependencies"] == [1, "7.1"]
    # 2.2 depends on sibling 2.1 (bare 1), on 3.1 and on task 3 (bare 3: no sibling 3)
    assert tasks[1]["subtasks"][1]["dependencies"] == [1, "7.1", 7]
    assert tasks[2]["dependencies"] == ["2"]  # untouched: its target did not move
    assert tasks[2]["subtasks"][0]["dependencies"] == ["2.2"]
    assert Rewrite("2", "3.1", "7.1") in rewrites
    assert Rewrite("2.2", "3", "7") in rewrites


def test_a_number_stored_as_a_string_stays_a_string() -> None:
    tasks = _tag()
    tasks[0]["id"] = "1"
    renumber(tasks, {"1": "5", "2": "6"})
    assert tasks[0]["id"] == "5"
    assert tasks[1]["id"] == 6
    assert tasks[2]["dependencies"] == ["6"]
    assert tasks[2]["subtasks"][0]["dependencies"] == ["6.2"]
    # sibling references inside task 2 keep their local form
    assert tasks[1]["subtasks"][1]["dependencies"][0] == 1


def test_renumbering_a_subtask_within_its_task() -> None:
    tasks = _tag()
    renumber(tasks, {"2.1": "2.4"})
    assert [s["id"] for s in tasks[1]["subtasks"]] == [4, 2]
    assert tasks[1]["subtasks"][1]["dependencies"] == [4, "3.1", 3]


def test_dropping_a_reference() -> None:
    tasks = _tag()
    rewrites = rewrite_references(tasks, {"1": None})
    assert tasks[1]["dependencies"] == ["3.1"]
    assert Rewrite("2", "1", None) in rewrites
    # bare 1 in subtask 2.2 is the sibling 2.1, not task 1: kept
    assert tasks[1]["subtasks"][1]["dependencies"] == [1, "3.1", 3]


def test_an_owner_that_moves_gets_its_references_in_its_new_form() -> None:
    tasks = _tag()
    # subtask 2.2 becomes task 9: its sibling reference (bare 1) must now say "2.1"
    rewrite_references(tasks, {"2.2": "9"})
    assert tasks[1]["subtasks"][1]["dependencies"] == ["2.1", "3.1", 3]
    assert tasks[2]["subtasks"][0]["dependencies"] == [9]


def test_a_move_is_not_a_renumbering() -> None:
    with pytest.raises(UsageError):
        renumber(_tag(), {"2.2": "9"})
    with pytest.raises(UsageError):
        renumber(_tag(), {"2.2": "3.2"})


def test_new_key_follows_the_parent() -> None:
    assert new_key({"7": "9"}, "7.2") == "9.2"
    assert new_key({"7": "9", "7.2": "9.5"}, "7.2") == "9.5"
    assert new_key({"7": None}, "7.2") is None
    assert new_key({}, "7.2") == "7.2"


def _graph(tasks: list[dict[str, Any]]) -> set[tuple[str, str]]:
    edges = set()
    for task in msgspec.convert(tasks, list[Task]):
        tid = str(task.id)
        edges |= {(tid, k) for k in task_dep_keys(task)}
        for sub in task.subtasks:
            edges |= {(f"{tid}.{sub.id}", k) for k in subtask_dep_keys(task, sub)}
    return edges


@st.composite
def _tags(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 6))
    tasks = []
    for tid in range(1, count + 1):
        subs = draw(st.integers(0, 3))
        subtasks = [
            {
                "id": s,
                "title": "s",
                "dependencies": draw(
                    st.lists(
                        st.one_of(
                            st.integers(1, subs),
                            st.integers(1, count).map(lambda n, s=s: f"{n}.1"),
                        ),
                        max_size=2,
                    )
                )
                if subs
                else [],
            }
            for s in range(1, subs + 1)
        ]
        deps = draw(st.lists(st.integers(1, count), max_size=3, unique=True))
        tasks.append({"id": tid, "title": "t", "dependencies": deps, "subtasks": subtasks})
    return tasks


@settings(max_examples=200, deadline=None)
@given(tasks=_tags(), data=st.data())
def test_renumbering_maps_the_dependency_graph(tasks: list[dict[str, Any]], data: Any) -> None:
    """Renumbering tasks to fresh ids gives the same graph with every key mapped."""
    ids = [str(t["id"]) for t in tasks]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True))
    fresh = iter(range(100, 200))
    mapping = {old: str(next(fresh)) for old in chosen}
    before = _graph(tasks)
    after_tasks = copy.deepcopy(tasks)
    renumber(after_tasks, mapping)
    expected = {(new_key(mapping, a), new_key(mapping, b)) for a, b in before}
    assert _graph(after_tasks) == expected
    # and back again gives the very same dicts
    renumber(after_tasks, {new: old for old, new in mapping.items()})
    assert after_tasks == tasks
