"""What a person sees of tasks, as plain values: table rows, ids, detail blocks.

The display layer (`cli/render_tasks.py`) gets these, never the store's live `TagView`:
it only formats. Text is as stored; making it safe for a terminal is the display's job.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import subtask_dep_keys
from taskctl.core.tasks.ids import Ref
from taskctl.core.tasks.queries import Listing


class TaskRow(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One line of `tasks list`: a task, or a subtask listed under its task."""

    key: str  # "7", or "7.2" for a subtask
    status: str
    priority: str | None
    dependencies: Sequence[int | str]  # a subtask's as keys: its sibling 2 is "7.2"
    title: str
    subtask: bool = False


class TaskDetails(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """`tasks show`: a task or subtask in full; `subtasks` (key, status, title) for a task."""

    key: str
    title: str
    status: str
    priority: str | None
    dependencies: Sequence[int | str]
    description: str
    details: str
    test_strategy: str
    subtasks: list[tuple[str, str, str]] = msgspec.field(default_factory=list)


def task_rows(view: TagView, listing: Listing) -> list[TaskRow]:
    """The rows of a listing: each task, then the subtasks listed under it."""
    rows = []
    tasks = view.tasks
    for i in listing.positions:
        task = tasks[i]
        rows.append(
            TaskRow(str(task.id), task.status, task.priority, task.dependencies, task.title)
        )
        for j in listing.subtasks_of(view, i):
            sub = task.subtasks[j]
            rows.append(
                TaskRow(
                    f"{task.id}.{sub.id}",
                    sub.status,
                    sub.priority,
                    subtask_dep_keys(task, sub),
                    sub.title,
                    subtask=True,
                )
            )
    return rows


def listed_ids(view: TagView, listing: Listing) -> list[str]:
    """`--format ids`: each task's id, unless it is listed for its subtasks only, then
    the ids `N.M` of the subtasks listed under it."""
    ids = []
    for i in listing.positions:
        task = view.tasks[i]
        if i not in listing.context:
            ids.append(str(task.id))
        ids += [f"{task.id}.{task.subtasks[j].id}" for j in listing.subtasks_of(view, i)]
    return ids


def task_details(view: TagView, refs: Sequence[Ref]) -> list[TaskDetails]:
    """Each task or subtask named, in full. A subtask's dependency on a sibling shows
    as `N.M` (the file's bare M)."""
    blocks = []
    for ref in refs:
        task = view.tasks[view.index_of(ref.task)]
        item: Task | Subtask
        if ref.sub is None:
            item = task
            deps: Sequence[int | str] = task.dependencies
            subtasks = [(f"{task.id}.{s.id}", s.status, s.title) for s in task.subtasks]
        else:
            item = next(s for s in task.subtasks if as_int(s.id) == ref.sub)
            deps = subtask_dep_keys(task, item)
            subtasks = []
        blocks.append(
            TaskDetails(
                key=str(ref),
                title=item.title,
                status=item.status,
                priority=item.priority,
                dependencies=deps,
                description=item.description or "",
                details=item.details or "",
                test_strategy=item.testStrategy or "",
                subtasks=subtasks,
            )
        )
    return blocks
