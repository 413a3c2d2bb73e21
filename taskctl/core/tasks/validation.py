"""`tasks validate`: the problems that make a tag inconsistent, and `--fix`."""

from __future__ import annotations

import msgspec

from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.settings import PRIORITIES, STATUSES
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import (
    dependencies_without,
    dependency_graph,
    find_cycles,
    subtask_dep_keys,
    task_dep_keys,
)
from taskctl.core.tasks.ids import next_id, parse_ref, resolve


class Problem(msgspec.Struct, frozen=True):
    code: str
    task: str
    message: str
    fixable: bool


def validate(view: TagView) -> list[Problem]:
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


def fix(view: TagView) -> list[str]:
    """Repair what can be repaired; returns what was done, one line each."""
    done: list[str] = []
    done += _fix_duplicate_ids(view)
    for i, task in enumerate(list(view.tasks)):
        if not (task.description or "").strip() and task.title.strip():
            with view.editing(i) as item:
                item["description"] = task.title
            done.append(f"task {as_int(task.id)}: set the empty description to the title")
    done += _fix_bad_dependencies(view)
    graph = dependency_graph(view)
    for cycle in find_cycles(graph):
        owner, dep = cycle[-2], cycle[-1]
        _drop_dependency(view, owner, dep)
        done.append(
            f"task {owner}: removed dependency on {dep} (closed the cycle {' -> '.join(cycle)})"
        )
    return done


def _fix_duplicate_ids(view: TagView) -> list[str]:
    done = []
    seen: set[int] = set()
    top = next_id(view)
    for i, task in enumerate(list(view.tasks)):
        tid = as_int(task.id)
        if tid in seen:
            with view.editing(i) as item:
                item["id"] = top
            done.append(f"task at position {i + 1}: renumbered duplicate id {tid} to {top}")
            tid = top
            top += 1
        seen.add(tid)
        sub_ids = [as_int(s.id) for s in view.tasks[i].subtasks]
        if len(sub_ids) != len(set(sub_ids)):
            used: set[int] = set()
            free = max(sub_ids) + 1
            with view.editing(i) as item:
                for j, sid in enumerate(sub_ids):
                    if sid in used:
                        item["subtasks"][j]["id"] = free
                        done.append(
                            f"subtask {tid}.{sid} (position {j + 1}): renumbered to {tid}.{free}"
                        )
                        used.add(free)
                        free += 1
                    else:
                        used.add(sid)
    return done


def _fix_bad_dependencies(view: TagView) -> list[str]:
    done = []
    graph = dependency_graph(view)
    for node, deps in graph.items():
        for dep in deps:
            if dep == node or dep not in graph:
                _drop_dependency(view, node, dep)
                why = "itself" if dep == node else f"{dep}, which does not exist"
                done.append(f"task {node}: removed dependency on {why}")
    return done


def _drop_dependency(view: TagView, owner: str, dep: str) -> None:
    ref = parse_ref(owner)
    index, j = resolve(view, ref)
    task = view.tasks[index]
    keys = task_dep_keys(task) if j is None else subtask_dep_keys(task, task.subtasks[j])
    with view.editing(index) as item:
        target = item if j is None else item["subtasks"][j]
        target["dependencies"] = dependencies_without(target, keys, lambda k: k == dep)
