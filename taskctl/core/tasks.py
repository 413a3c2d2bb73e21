"""Task operations on one tag: list, add, update, remove, next, validate.

Each function takes a `TagView` (from a `Document`, inside a `Store.transaction` for
changes) and returns plain values. Nothing here prints, exits or reads settings
globally: defaults arrive as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import msgspec

from taskctl.core.changes import Changes
from taskctl.core.document import Document
from taskctl.core.errors import DataError, NotFoundError, UsageError
from taskctl.core.fs import Clock
from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.settings import PRIORITIES, STATUSES
from taskctl.core.store import Store
from taskctl.core.tagview import TagView

PRIORITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
DONE = "done"
ACTIVE = ("pending", "in-progress")
_REF = re.compile(r"^([1-9][0-9]*)(?:\.([1-9][0-9]*))?$")


# --------------------------------------------------------------------------- ids


class Ref(msgspec.Struct, frozen=True, order=True):
    """A task (`7`) or a subtask (`7.2`)."""

    task: int
    sub: int | None = None

    def __str__(self) -> str:
        return f"{self.task}" if self.sub is None else f"{self.task}.{self.sub}"


def parse_ref(text: str | int) -> Ref:
    match = _REF.match(str(text).strip())
    if not match:
        raise UsageError(
            f"invalid task id {str(text)!r}: expected N or N.M with positive whole numbers",
            hint="for example 7 or 7.2",
        )
    return Ref(int(match.group(1)), int(match.group(2)) if match.group(2) else None)


def parse_refs(values: Iterable[str | int]) -> list[Ref]:
    """Ids from repeated and comma-separated options: `--depends-on 1,2 --depends-on 3`.

    An empty id (`''`, `1,,2`, `1,`) is invalid like any other: a script whose `$ID`
    came out empty must fail, not succeed at changing nothing."""
    return [parse_ref(part) for value in values for part in str(value).split(",")]


def check_status(value: str) -> str:
    if value not in STATUSES:
        raise UsageError(f"unknown status {value!r}: expected one of {', '.join(STATUSES)}")
    return value


def check_priority(value: str) -> str:
    if value not in PRIORITIES:
        raise UsageError(f"unknown priority {value!r}: expected one of {', '.join(PRIORITIES)}")
    return value


def _ambiguous(view: TagView, ref: Ref, count: int) -> DataError:
    carriers = f"{count} tasks" if ref.sub is None else f"{count} subtasks of task {ref.task}"
    return DataError(
        f"id {ref} is carried by {carriers} in tag '{view.name}': which one is meant is ambiguous",
        hint="`taskctl tasks validate --fix` renumbers the duplicates",
    )


def resolve(view: TagView, ref: Ref) -> tuple[int, int | None]:
    """(task position, subtask position or None) of a task or subtask the user names.

    NotFoundError when absent; DataError when more than one carries the id (duplicate
    ids come from hand edits and merges): acting on the first would be a guess."""
    index = view.index_of(ref.task)
    count = view.carriers(ref.task)
    if count > 1:
        raise _ambiguous(view, Ref(ref.task), count)
    if ref.sub is None:
        return index, None
    found = [j for j, sub in enumerate(view.tasks[index].subtasks) if as_int(sub.id) == ref.sub]
    if not found:
        raise NotFoundError(
            f"subtask {ref} not found in tag '{view.name}'",
            hint=f"see `taskctl tasks show {ref.task}`",
        )
    if len(found) > 1:
        raise _ambiguous(view, ref, len(found))
    return index, found[0]


# --------------------------------------------------------------------------- dependencies


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


def _check_new_dependencies(view: TagView, owner: Ref, deps: Sequence[Ref]) -> None:
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


def _dep_value(owner: Ref, dep: Ref) -> int | str:
    """How Task Master writes a dependency: a task as an int; a sibling subtask as its
    local int; any other subtask as "N.M"."""
    if dep.sub is None:
        return dep.task
    if owner.sub is not None and owner.task == dep.task:
        return dep.sub
    return str(dep)


# --------------------------------------------------------------------------- queries


class ListQuery(msgspec.Struct, frozen=True, kw_only=True):
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    ready: bool = False
    blocked: bool = False
    search: str | None = None
    sort: str = "id"
    limit: int | None = None
    # List subtasks under their task; the filters then select subtasks too.
    subtasks: bool = False


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
    for status in query.statuses:
        check_status(status)
    for priority in query.priorities:
        check_priority(priority)
    needs_deps = query.ready or query.blocked
    wanted_status = set(query.statuses)
    wanted_priority = set(query.priorities)
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


def select(view: TagView, query: ListQuery) -> Listing:
    """The tasks (and, with `query.subtasks`, subtasks) that match, in order."""
    matches = _matcher(view, query)
    tasks = view.tasks
    positions: list[int] = []
    matched: dict[int, list[int]] | None = None
    context: set[int] = set()
    if matches is None:
        positions = list(range(len(tasks)))  # no filter: every task
    elif not query.subtasks:
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
    key = sort_key(query.sort)
    if query.sort != "id" or not _in_id_order(view, positions):
        positions.sort(key=lambda i: key(tasks[i]))
    if query.limit is not None:
        if query.limit < 0:
            raise UsageError("--limit must be 0 or more")
        positions = positions[: query.limit]
    return Listing(
        positions=positions, subtasks=query.subtasks, matched=matched, context=frozenset(context)
    )


def listing_dicts(
    view: TagView, listing: Listing, fields: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """`task_dicts` of the tasks listed, each with only its listed subtasks when a
    filter selected them."""
    if listing.matched is None:
        return task_dicts(view, listing.positions, fields)
    _check_output_fields(view, listing.positions, fields)
    items = []
    for i in listing.positions:
        item = _normalize(view.as_dict(i))
        subs = item.get("subtasks")
        if isinstance(subs, list):
            item["subtasks"] = [subs[j] for j in listing.matched[i]]
        items.append(_pick(item, fields))
    return items


def listing_rows(
    view: TagView, listing: Listing, fields: Sequence[str]
) -> list[tuple[str, dict[str, Any]]]:
    """The rows of a listing for a table of `fields`: (id, the item's fields), a task
    then each subtask listed under it (id "N.M"). Dependencies are keys as in
    `dependency_graph`: a subtask's sibling is "N.M", not Task Master's bare M."""
    _check_output_fields(view, listing.positions, fields)
    rows = []
    for i in listing.positions:
        task = view.tasks[i]
        item = _normalize(view.as_dict(i))
        item["dependencies"] = task_dep_keys(task)
        rows.append((str(item["id"]), _pick(item, fields)))
        for j in listing.subtasks_of(view, i):
            sub = dict(item["subtasks"][j])
            sub["dependencies"] = subtask_dep_keys(task, task.subtasks[j])
            rows.append((f"{item['id']}.{as_int(task.subtasks[j].id)}", _pick(sub, fields)))
    return rows


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
                if not all(_sub_key(parent, d) in subs_done for d in sub.dependencies):
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
                ready = _sub_key(0, dep) in subs_done
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


def _sub_key(parent: int, dep: int | str) -> tuple[int, int]:
    """A dependency as (parent id, subtask id): "P.M" as written, a bare N as `parent.N`."""
    if isinstance(dep, str) and "." in dep:
        p, _, m = dep.partition(".")
        return int(p), int(m)
    return parent, as_int(dep)


def next_dict(view: TagView, found: NextRef) -> dict[str, Any]:
    """The answer of `next_task` for output. A subtask becomes a task object as Task
    Master's `next --format json` gives it: id "N.M", `parentId` (the parent's id),
    the priority it was chosen by, and its dependencies as "N.M" keys."""
    index, j = found
    item = _normalize(view.as_dict(index))
    if j is None:
        return item
    task = view.tasks[index]
    parent = as_int(task.id)
    sub = task.subtasks[j]
    fields: dict[str, Any] = item["subtasks"][j]
    return {
        **fields,
        "id": f"{parent}.{as_int(sub.id)}",
        "parentId": parent,
        "priority": sub.priority or task.priority or "medium",
        "dependencies": ["{}.{}".format(*_sub_key(parent, d)) for d in sub.dependencies],
    }


# --------------------------------------------------------------------------- changes


def _clean_text(value: str, what: str) -> str:
    if not value.strip():
        raise UsageError(
            f"{what} must not be empty (Task Master refuses files with an empty {what})"
        )
    return value


def next_id(view: TagView) -> int:
    return max((as_int(t.id) for t in view.tasks), default=0) + 1


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
        _check_new_dependencies(view, ref, depends_on)
        item: dict[str, Any] = {
            "id": ref.task,
            "title": title,
            "description": description,
            "details": details,
            "testStrategy": test_strategy,
            "status": status,
            "dependencies": [_dep_value(ref, d) for d in depends_on],
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
    _check_new_dependencies(view, ref, depends_on)
    sub: dict[str, Any] = {
        "id": ref.sub,
        "title": title,
        "description": description,
        "details": details,
        "status": status,
        "dependencies": [_dep_value(ref, d) for d in depends_on],
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
            _check_new_dependencies(view, ref, adding)
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
    kept = _without(target, keys, lambda k: k in removed)
    present = {k for k in keys if k not in removed}
    for dep in adding:
        if str(dep) not in present:
            kept.append(_dep_value(ref, dep))
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


def _without(item: dict[str, Any], keys: Sequence[str], drop: Callable[[str], bool]) -> list[Any]:
    """The item's dependencies without those whose key `drop` selects.

    `keys` are the normalised keys of the item's dependencies, in the same order."""
    deps = item.get("dependencies") or []
    return [d for d, k in zip(deps, keys, strict=True) if not drop(k)]


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
                item["dependencies"] = _without(item, keys, gone)
                dropped += [f"{tid} -> {k}" for k in keys if gone(k)]
            for j, ks in enumerate(sub_keys):
                if any(gone(k) for k in ks):
                    sub = item["subtasks"][j]
                    sub["dependencies"] = _without(sub, ks, gone)
                    dropped += [
                        f"{tid}.{as_int(task.subtasks[j].id)} -> {k}" for k in ks if gone(k)
                    ]
    return dropped


# --------------------------------------------------------------------------- validation


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
        target["dependencies"] = _without(target, keys, lambda k: k == dep)


# --------------------------------------------------------------------------- export

_ENCODER = msgspec.json.Encoder()
MODELLED_FIELDS = tuple(Task.__struct_fields__)


def _numeric_str(value: object) -> bool:
    return isinstance(value, str) and "." not in value


def _needs_normalizing(task: Task) -> bool:
    """Ids or dependencies written as strings ("3"), which JSON output turns into ints."""
    if isinstance(task.id, str) or any(_numeric_str(d) for d in task.dependencies):
        return True
    return any(
        isinstance(s.id, str) or any(_numeric_str(d) for d in s.dependencies) for s in task.subtasks
    )


def _normalize(item: dict[str, Any]) -> dict[str, Any]:
    if isinstance(item.get("id"), str) and item["id"].isdigit():
        item["id"] = int(item["id"])
    deps = item.get("dependencies")
    if isinstance(deps, list):
        item["dependencies"] = [int(d) if _numeric_str(d) and d.isdigit() else d for d in deps]
    subs = item.get("subtasks")
    if isinstance(subs, list):
        for sub in subs:
            if isinstance(sub, dict):
                _normalize(sub)
    return item


def _pick(item: dict[str, Any], fields: Sequence[str] | None) -> dict[str, Any]:
    return item if fields is None else {k: item[k] for k in fields if k in item}


def _check_output_fields(
    view: TagView, indices: Sequence[int], fields: Sequence[str] | None
) -> None:
    if fields is None:
        return
    unknown = [f for f in fields if f not in MODELLED_FIELDS]
    if unknown:
        present: set[str] = set()
        for i in indices:
            present.update(view.as_dict(i))
        unknown = [f for f in unknown if f not in present]
    if unknown:
        raise UsageError(
            f"unknown field {unknown[0]!r} for --fields",
            hint=f"known fields: {', '.join(MODELLED_FIELDS)}",
        )


def task_dicts(
    view: TagView, indices: Sequence[int], fields: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Every field of each task, ids and dependencies normalised to ints."""
    _check_output_fields(view, indices, fields)
    return [_pick(_normalize(view.as_dict(i)), fields) for i in indices]


def _task_item(view: TagView, index: int) -> msgspec.Raw | dict[str, Any]:
    """The task for output: the file's own bytes (lossless, no per-field work) unless
    its ids or dependencies need normalising to ints."""
    raw = view.raw(index)
    if isinstance(raw, dict) or (not view.tidy and _needs_normalizing(view.tasks[index])):
        return _normalize(view.as_dict(index))
    return raw


def _task_bytes(view: TagView, index: int) -> bytes:
    item = _task_item(view, index)
    return _ENCODER.encode(item) if isinstance(item, dict) else bytes(item)


def export_json(
    view: TagView, indices: Sequence[int], fields: Sequence[str] | None = None
) -> bytes | msgspec.Raw:
    """A JSON array of the tasks at `indices`, every field kept (or only `fields`).

    The whitespace is the file's; `render.emit_raw_json` re-indents it.
    """
    if fields is not None:
        return _ENCODER.encode(task_dicts(view, indices, fields))
    if view.tidy and len(indices) == len(view.tasks) and list(indices) == list(range(len(indices))):
        whole = view.raw_tasks_array()  # every task, in the file's order, none edited
        if whole is not None:
            return whole  # a view of the file's bytes: copying 13 MB costs 10 ms
    return _ENCODER.encode([_task_item(view, i) for i in indices])


def export_jsonl(
    view: TagView, indices: Sequence[int], fields: Sequence[str] | None = None
) -> bytes:
    """One compact JSON task a line."""
    if fields is not None:
        return b"".join(_ENCODER.encode(d) + b"\n" for d in task_dicts(view, indices, fields))
    return b"".join(msgspec.json.format(_task_bytes(view, i), indent=0) + b"\n" for i in indices)


def export_one(view: TagView, index: int) -> bytes:
    return _task_bytes(view, index)


def task_dict(view: TagView, ref: Ref) -> dict[str, Any]:
    """A task or subtask as a dict with every field."""
    index, j = resolve(view, ref)
    item = _normalize(view.as_dict(index))
    if j is None:
        return item
    sub: dict[str, Any] = item["subtasks"][j]
    return sub


def title_of(view: TagView, ref: Ref) -> str:
    index, j = resolve(view, ref)
    task = view.tasks[index]
    return task.title if j is None else task.subtasks[j].title


__all__ = [
    "Changes",
    "Document",
    "ListQuery",
    "Listing",
    "Problem",
    "Ref",
    "Store",
    "TagView",
    "as_int",
]
