"""What `tasks list` and `tasks next` find in a tag: positions of tasks, no output."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from taskctl.core.changes import ListQuery, split_values
from taskctl.core.errors import UsageError
from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.settings import STATUSES
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import (
    ACTIVE,
    DONE,
    is_blocked,
    is_ready,
    status_map,
    subtask_dep_keys,
)
from taskctl.core.tasks.ids import check_priority, check_status

PRIORITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}


class Listing(msgspec.Struct, frozen=True, kw_only=True):
    """What `tasks list` shows of one tag.

    With `subtasks` and a filter, a task is listed when it matches or one of its
    subtasks does (then it is in `context`: listed for its subtasks only), and only
    its matching subtasks are listed under it (`matched`). Sort and limit apply to
    the tasks; subtasks keep their order under their task."""

    positions: list[int]
    subtasks: bool = False
    matched: dict[int, list[int]] | None = None  # None: every subtask (no filter)
    context: frozenset[int] = frozenset()

    def subtasks_of(self, view: TagView, index: int) -> Sequence[int]:
        """Positions of the subtasks listed under the task at `index`."""
        if not self.subtasks:
            return ()
        if self.matched is None:
            return range(len(view.tasks[index].subtasks))
        return self.matched.get(index, ())


def _priority_of(task: Task | Subtask) -> int:
    return PRIORITY_RANK.get(task.priority or "medium", 0)


def sort_key(sort: str) -> Any:
    status_rank = {s: i for i, s in enumerate(STATUSES)}
    if sort == "priority":
        return lambda t: (-_priority_of(t), as_int(t.id))
    if sort == "status":
        return lambda t: (status_rank.get(t.status, len(STATUSES)), as_int(t.id))
    if sort == "id":
        return lambda t: as_int(t.id)
    raise UsageError(f"unknown sort {sort!r}: expected id, priority or status")


def _in_id_order(view: TagView, positions: list[int]) -> bool:
    """Whether the tasks at `positions` are already in id order (as most files keep them)."""
    tasks = view.tasks
    ids = [tasks[i].id for i in positions]
    if not view.tidy:  # ids like "3" too
        ids = [as_int(i) for i in ids]
    return ids == sorted(ids)


def _matcher(view: TagView, query: ListQuery) -> Callable[[Task, Subtask | None], bool] | None:
    """Whether a task (`matches(task, None)`) or one of its subtasks (`matches(task,
    sub)`) passes the query's filters; None when there is no filter. A subtask
    without a priority has its task's."""
    wanted_status = {check_status(s) for s in split_values(query.status)}
    wanted_priority = {check_priority(p) for p in split_values(query.priority)}
    needs_deps = query.ready or query.blocked
    needle = query.search.casefold() if query.search else None
    if not (wanted_status or wanted_priority or needs_deps or needle is not None):
        return None
    statuses = status_map(view) if needs_deps else {}

    def matches(task: Task, sub: Subtask | None) -> bool:
        item = task if sub is None else sub
        if wanted_status and item.status not in wanted_status:
            return False
        if wanted_priority and (item.priority or task.priority or "medium") not in wanted_priority:
            return False
        if needs_deps:
            keys = None if sub is None else subtask_dep_keys(task, sub)
            if query.ready and not is_ready(item, statuses, keys):
                return False
            if query.blocked and not is_blocked(item, statuses, keys):
                return False
        return needle is None or (
            needle in item.title.casefold() or needle in (item.description or "").casefold()
        )

    return matches


def list_tasks(view: TagView, query: ListQuery) -> list[int]:
    """Positions of the tasks listed, in the requested order (see `select`)."""
    return select(view, query).positions


def select(
    view: TagView, query: ListQuery, *, subtasks: bool = False, default_sort: str = "id"
) -> Listing:
    """The tasks that match, in order; with `subtasks`, listed under their task, and
    the filters select subtasks too. `default_sort`: the order when the query names
    none (the caller's tasks.sort)."""
    matches = _matcher(view, query)
    tasks = view.tasks
    positions: list[int] = []
    matched: dict[int, list[int]] | None = None
    context: set[int] = set()
    if matches is None:
        positions = list(range(len(tasks)))  # no filter: every task
    elif not subtasks:
        positions = [i for i, task in enumerate(tasks) if matches(task, None)]
    else:
        matched = {}
        for i, task in enumerate(tasks):
            subs = [j for j, sub in enumerate(task.subtasks) if matches(task, sub)]
            if matches(task, None):
                positions.append(i)
            elif subs:
                positions.append(i)
                context.add(i)
            else:
                continue
            matched[i] = subs
    sort = query.sort or default_sort
    key = sort_key(sort)
    if sort != "id" or not _in_id_order(view, positions):
        positions.sort(key=lambda i: key(tasks[i]))
    if query.limit is not None:
        if query.limit < 0:
            raise UsageError("--limit must be 0 or more")
        positions = positions[: query.limit]
    return Listing(
        positions=positions, subtasks=subtasks, matched=matched, context=frozenset(context)
    )


NextRef = tuple[int, int | None]


def next_task(view: TagView) -> NextRef | None:
    """Task Master 0.43.1's answer (tm-core `TaskService.getNextTask`): (task position,
    subtask position or None), or None when nothing is ready.

    1. A subtask of an in-progress task, itself pending or in progress, whose
       dependencies are all done (a bare number is a sibling, `parent.N`, never a task):
       the highest priority (its own, else its parent's, else medium), then the fewest
       dependencies, then the lowest parent id, then the lowest subtask id.
    2. Otherwise a pending or in-progress task whose dependencies are all done: the
       highest priority, then the fewest dependencies, then the lowest id.

    As Task Master reads it: "done" is the status `done` only (a cancelled or missing
    dependency is never done), of any task with that id; a subtask counts only under a
    pending, in-progress or done task; an unknown priority ranks as medium; of equals,
    the first in the file wins. Linear: dependencies on tasks are looked up by integer
    id, and the set of done subtasks is built only when a dependency names a subtask.
    """
    tasks = view.tasks
    done = {as_int(t.id) for t in tasks if t.status == DONE}
    subs_done: set[tuple[int, int]] | None = None
    best: tuple[int, int, int, int] | None = None
    found: NextRef | None = None
    for i, task in enumerate(tasks):
        if task.status != "in-progress" or not task.subtasks:
            continue
        parent = as_int(task.id)
        for j, sub in enumerate(task.subtasks):
            if (sub.status or "pending").lower() not in ACTIVE:
                continue
            if sub.dependencies:
                if subs_done is None:
                    subs_done = _done_subtasks(tasks)
                if not all(sub_key(parent, d) in subs_done for d in sub.dependencies):
                    continue
            priority = sub.priority or task.priority or "medium"
            rank = (-PRIORITY_RANK.get(priority, 2), len(sub.dependencies), parent, as_int(sub.id))
            if best is None or rank < best:
                best, found = rank, (i, j)
    if found is not None:
        return found
    for i, task in enumerate(tasks):
        if task.status not in ACTIVE:
            continue
        for dep in task.dependencies:
            if isinstance(dep, int):
                ready = dep in done
            elif "." not in dep:
                ready = int(dep) in done
            else:
                if subs_done is None:
                    subs_done = _done_subtasks(tasks)
                ready = sub_key(0, dep) in subs_done
            if not ready:
                break
        else:
            priority = task.priority or "medium"
            key = (-PRIORITY_RANK.get(priority, 2), len(task.dependencies), as_int(task.id), 0)
            if best is None or key < best:
                best, found = key, (i, None)
    return found


def _done_subtasks(tasks: Sequence[Task]) -> set[tuple[int, int]]:
    """(parent id, subtask id) of every done subtask Task Master sees: those of pending,
    in-progress and done tasks (it reads no other tasks at all)."""
    return {
        (as_int(task.id), as_int(sub.id))
        for task in tasks
        if task.status in ("pending", "in-progress", DONE)
        for sub in task.subtasks
        if sub.status == DONE
    }


def sub_key(parent: int, dep: int | str) -> tuple[int, int]:
    """A dependency as (parent id, subtask id): "P.M" as written, a bare N as `parent.N`."""
    if isinstance(dep, str) and "." in dep:
        p, _, m = dep.partition(".")
        return int(p), int(m)
    return parent, as_int(dep)
