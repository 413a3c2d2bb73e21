"""Changes to a tag: add, update and remove tasks and subtasks.

Every check runs before the first change, so a refused command changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from taskctl.core.changes import Changes
from taskctl.core.errors import UsageError
from taskctl.core.fs import Clock
from taskctl.core.models import as_int
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import (
    check_new_dependencies,
    dependencies_without,
    dependency_graph,
    dependency_value,
    subtask_dep_keys,
    task_dep_keys,
)
from taskctl.core.tasks.ids import (
    Ref,
    check_priority,
    check_status,
    next_id,
    parse_ref,
    parse_refs,
    resolve,
)


def _clean_text(value: str, what: str) -> str:
    if not value.strip():
        raise UsageError(
            f"{what} must not be empty (Task Master refuses files with an empty {what})"
        )
    return value


def add_task(
    view: TagView,
    *,
    title: str,
    description: str | None = None,
    details: str = "",
    test_strategy: str = "",
    priority: str,
    status: str,
    depends_on: Sequence[Ref] = (),
    parent: int | None = None,
    clock: Clock,
) -> Ref:
    """Add a task (or subtask `N.M` with `parent`, which `clock` stamps); returns its id."""
    title = _clean_text(title, "title")
    description = _clean_text(description, "description") if description is not None else title
    check_status(status)
    check_priority(priority)
    if parent is None:
        ref = Ref(next_id(view))
        check_new_dependencies(view, ref, depends_on)
        item: dict[str, Any] = {
            "id": ref.task,
            "title": title,
            "description": description,
            "details": details,
            "testStrategy": test_strategy,
            "status": status,
            "dependencies": [dependency_value(ref, d) for d in depends_on],
            "priority": priority,
            "subtasks": [],
        }
        view.append(item)
        return ref
    parent_ref = parse_ref(parent)
    if parent_ref.sub is not None:
        raise UsageError(f"invalid parent {parent_ref}: subtasks cannot have subtasks")
    index, _ = resolve(view, parent_ref)
    task = view.tasks[index]
    ref = Ref(parent_ref.task, max((as_int(s.id) for s in task.subtasks), default=0) + 1)
    # the new subtask is not in the graph yet: check against its would-be siblings
    check_new_dependencies(view, ref, depends_on)
    sub: dict[str, Any] = {
        "id": ref.sub,
        "title": title,
        "description": description,
        "details": details,
        "status": status,
        "dependencies": [dependency_value(ref, d) for d in depends_on],
        "parentTaskId": parent_ref.task,
    }
    if test_strategy:
        sub["testStrategy"] = test_strategy
    with view.editing(index) as item:
        item.setdefault("subtasks", []).append(sub)
        item["updatedAt"] = clock()
    return ref


def update_tasks(
    view: TagView, refs: Sequence[Ref], changes: Changes, *, clock: Clock
) -> list[Ref]:
    """Apply the same changes to every id, stamped with `clock`'s time; all or nothing
    (the caller writes only on success, and every check runs before the first change)."""
    adding = parse_refs(changes.add_dependencies or ())
    removing = parse_refs(changes.remove_dependencies or ())
    if changes.empty():
        raise UsageError("nothing to change", hint="give at least one option, e.g. --status done")
    if changes.title is not None:
        _clean_text(changes.title, "title")
    if changes.description is not None:
        _clean_text(changes.description, "description")
    if changes.status is not None:
        check_status(changes.status)
    if changes.priority is not None:
        check_priority(changes.priority)
    positions = [resolve(view, ref) for ref in refs]
    stamp = clock()
    for ref, (index, j) in zip(refs, positions, strict=True):
        if adding:
            check_new_dependencies(view, ref, adding)
        with view.editing(index) as task_dict:
            target = task_dict if j is None else task_dict["subtasks"][j]
            for key, value in (
                ("title", changes.title),
                ("description", changes.description),
                ("details", changes.details),
                ("testStrategy", changes.test_strategy),
                ("status", changes.status),
                ("priority", changes.priority),
            ):
                if value is not None:
                    target[key] = value
            if changes.append_details:
                current = target.get("details") or ""
                target["details"] = (
                    f"{current}\n\n{changes.append_details}" if current else changes.append_details
                )
            if adding or removing or changes.clear_dependencies:
                _change_dependencies(view, index, j, ref, changes, adding, removing, target)
            target["updatedAt"] = stamp
            if j is not None:
                task_dict["updatedAt"] = stamp
    return list(refs)


def _change_dependencies(
    view: TagView,
    index: int,
    j: int | None,
    ref: Ref,
    changes: Changes,
    adding: list[Ref],
    removing: list[Ref],
    target: dict[str, Any],
) -> None:
    """Change the dependencies of `target`, the dict of task `ref` being edited."""
    task = view.tasks[index]
    keys = task_dep_keys(task) if j is None else subtask_dep_keys(task, task.subtasks[j])
    asked = {str(r) for r in removing}
    removed = set(keys) if changes.clear_dependencies else asked
    missing = asked - set(keys)
    if missing:
        raise UsageError(
            f"task {ref} does not depend on {', '.join(sorted(missing))}",
            hint=f"its dependencies: {', '.join(keys) or 'none'}",
        )
    kept = dependencies_without(target, keys, lambda k: k in removed)
    present = {k for k in keys if k not in removed}
    for dep in adding:
        if str(dep) not in present:
            kept.append(dependency_value(ref, dep))
            present.add(str(dep))
    target["dependencies"] = kept


def dependents(view: TagView, refs: Sequence[Ref]) -> dict[str, list[str]]:
    """For each removed id, the tasks and subtasks that depend on it (or its subtasks)."""
    removed = {str(r) for r in refs}
    whole = {str(r.task) for r in refs if r.sub is None}
    found: dict[str, list[str]] = {}
    for node, deps in dependency_graph(view).items():
        if node in removed or node.split(".")[0] in whole:
            continue
        for dep in deps:
            if dep in removed or dep.split(".")[0] in whole:
                found.setdefault(dep if dep in removed else dep.split(".")[0], []).append(node)
    return found


def remove_tasks(view: TagView, refs: Sequence[Ref], *, force: bool, clock: Clock) -> list[str]:
    """Remove tasks and subtasks (a task that loses a subtask is stamped with `clock`'s
    time). Refused while others depend on them, unless `force`, which also drops those
    references. Returns the references dropped."""
    positions = [resolve(view, ref) for ref in refs]
    users = dependents(view, refs)
    if users and not force:
        first = next(iter(users))
        listing = "; ".join(f"{k} <- {', '.join(v)}" for k, v in users.items())
        raise UsageError(
            f"task {first} is a dependency of other tasks ({listing})",
            hint="pass --force to remove it and drop those references",
        )
    dropped = _drop_references(view, refs) if users else []
    whole = {i for (i, j) in positions if j is None}
    by_task: dict[int, set[int]] = {}
    for i, j in positions:
        if j is not None and i not in whole:
            by_task.setdefault(i, set()).add(j)
    stamp = clock()
    for i, subs in by_task.items():
        with view.editing(i) as item:
            item["subtasks"] = [
                s for k, s in enumerate(item.get("subtasks") or []) if k not in subs
            ]
            item["updatedAt"] = stamp
    if whole:
        view.remove(whole)
    return dropped


def _drop_references(view: TagView, refs: Sequence[Ref]) -> list[str]:
    removed = {str(r) for r in refs}
    whole = {str(r.task) for r in refs if r.sub is None}

    def gone(key: str) -> bool:
        return key in removed or key.split(".", maxsplit=1)[0] in whole

    dropped = []
    for i, task in enumerate(list(view.tasks)):
        keys = task_dep_keys(task)
        sub_keys = [subtask_dep_keys(task, s) for s in task.subtasks]
        if not any(gone(k) for k in keys) and not any(gone(k) for ks in sub_keys for k in ks):
            continue
        tid = as_int(task.id)
        with view.editing(i) as item:
            if any(gone(k) for k in keys):
                item["dependencies"] = dependencies_without(item, keys, gone)
                dropped += [f"{tid} -> {k}" for k in keys if gone(k)]
            for j, ks in enumerate(sub_keys):
                if any(gone(k) for k in ks):
                    sub = item["subtasks"][j]
                    sub["dependencies"] = dependencies_without(sub, ks, gone)
                    dropped += [
                        f"{tid}.{as_int(task.subtasks[j].id)} -> {k}" for k in ks if gone(k)
                    ]
    return dropped
