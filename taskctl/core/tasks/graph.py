"""The dependency graph of a tag: dependencies as keys ("7", "7.2"), readiness,
cycles, and the checks a new dependency must pass."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from taskctl.core.errors import UsageError
from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.tagview import TagView
from taskctl.core.tasks.ids import Ref, resolve

DONE = "done"
ACTIVE = ("pending", "in-progress")


def task_dep_keys(task: Task) -> list[str]:
    """A task's dependencies as keys: "7" for a task, "7.2" for a subtask."""
    return [str(d) if isinstance(d, int) else d for d in task.dependencies]


def subtask_dep_keys(parent: Task, sub: Subtask, siblings: set[int] | None = None) -> list[str]:
    """A subtask's dependencies as keys. A bare number is a sibling subtask (Task
    Master's convention), or a top-level task when the parent has no such subtask.
    `siblings`: the parent's subtask ids, when the caller has them already."""
    if not sub.dependencies:
        return []
    if siblings is None:
        siblings = {as_int(s.id) for s in parent.subtasks}
    keys = []
    for dep in sub.dependencies:
        if isinstance(dep, int) or "." not in dep:
            number = as_int(dep)
            keys.append(f"{as_int(parent.id)}.{number}" if number in siblings else str(number))
        else:
            keys.append(dep)
    return keys


def status_map(view: TagView) -> dict[str, str]:
    """Status of every task and subtask by key; the first of duplicate ids wins."""
    statuses: dict[str, str] = {}
    for task in view.tasks:
        tid = as_int(task.id)
        statuses.setdefault(str(tid), task.status)
        for sub in task.subtasks:
            statuses.setdefault(f"{tid}.{as_int(sub.id)}", sub.status)
    return statuses


def dependency_graph(view: TagView) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    for task in view.tasks:
        tid = as_int(task.id)
        graph.setdefault(str(tid), task_dep_keys(task))
        siblings = {as_int(s.id) for s in task.subtasks}  # once a task, not once a subtask
        for sub in task.subtasks:
            graph.setdefault(f"{tid}.{as_int(sub.id)}", subtask_dep_keys(task, sub, siblings))
    return graph


def is_ready(
    task: Task | Subtask, statuses: dict[str, str], keys: Sequence[str] | None = None
) -> bool:
    """Pending or in progress, with every dependency done. `keys`: the dependencies as
    keys, for a subtask (`subtask_dep_keys`); a task's are read from it."""
    keys = task_dep_keys(task) if keys is None else keys  # type: ignore[arg-type]
    return task.status in ACTIVE and all(statuses.get(k) == DONE for k in keys)


def is_blocked(
    task: Task | Subtask, statuses: dict[str, str], keys: Sequence[str] | None = None
) -> bool:
    """Not finished, and waiting on a dependency that is not done (or marked blocked)."""
    if task.status in (DONE, "cancelled"):
        return False
    keys = task_dep_keys(task) if keys is None else keys  # type: ignore[arg-type]
    return task.status == "blocked" or any(statuses.get(k) != DONE for k in keys)


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Every cycle closed by a back edge, in one linear depth-first pass."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(graph, white)
    cycles: list[list[str]] = []
    for start in graph:
        if color[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        color[start] = grey
        while stack:
            node, i = stack[-1]
            deps = graph.get(node, [])
            if i < len(deps):
                stack[-1] = (node, i + 1)
                dep = deps[i]
                state = color.get(dep)
                if state is None:
                    continue  # a missing dependency: reported elsewhere
                if state == grey:
                    cycles.append([*path[path.index(dep) :], dep])
                elif state == white:
                    color[dep] = grey
                    stack.append((dep, 0))
                    path.append(dep)
            else:
                color[node] = black
                stack.pop()
                path.pop()
    return cycles


def _reaches(graph: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """A path start -> ... -> goal following dependencies, or None."""
    parents: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        node = queue.pop()
        if node == goal:
            path = [node]
            while parents[path[-1]] is not None:
                path.append(parents[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for dep in graph.get(node, []):
            if dep not in parents:
                parents[dep] = node
                queue.append(dep)
    return None


def check_new_dependencies(view: TagView, owner: Ref, deps: Sequence[Ref]) -> None:
    """Refuse (exit 2) a dependency on a missing task, on itself, or one making a cycle."""
    if not deps:
        return  # nothing to check: no graph of the whole tag (25 ms over 10,000 tasks)
    graph = dependency_graph(view)
    key = str(owner)
    siblings: set[int] = set()
    if owner.sub is not None:
        parent = view.tasks[view.index_of(owner.task)]
        siblings = {as_int(s.id) for s in parent.subtasks} | {owner.sub}
    for dep in deps:
        if dep.sub is None and dep.task in siblings:
            # Task Master writes a subtask's dependency on task N as the bare number N,
            # which it reads as sibling subtask N when one exists: refuse the ambiguity.
            raise UsageError(
                f"subtask {owner} cannot depend on task {dep.task}: Task Master's format"
                f" would read it as subtask {owner.task}.{dep.task}",
                hint=f"depend on one of task {dep.task}'s subtasks, or on task {owner.task}",
            )
        dkey = str(dep)
        if dkey not in graph:
            raise UsageError(f"cannot depend on {dep}: no such task in tag '{view.name}'")
        resolve(view, dep)  # refuses an id that several tasks carry
        if dkey == key:
            raise UsageError(f"task {owner} cannot depend on itself")
        path = _reaches(graph, dkey, key)
        if path is not None:
            cycle = " -> ".join([key, *path])
            raise UsageError(f"dependency {owner} -> {dep} would make a cycle: {cycle}")
        graph.setdefault(key, []).append(dkey)


def dependency_value(owner: Ref, dep: Ref) -> int | str:
    """How Task Master writes a dependency: a task as an int; a sibling subtask as its
    local int; any other subtask as "N.M"."""
    if dep.sub is None:
        return dep.task
    if owner.sub is not None and owner.task == dep.task:
        return dep.sub
    return str(dep)


def dependencies_without(
    item: dict[str, Any], keys: Sequence[str], drop: Callable[[str], bool]
) -> list[Any]:
    """The item's dependencies without those whose key `drop` selects.

    `keys` are the normalised keys of the item's dependencies, in the same order."""
    deps = item.get("dependencies") or []
    return [d for d, k in zip(deps, keys, strict=True) if not drop(k)]
