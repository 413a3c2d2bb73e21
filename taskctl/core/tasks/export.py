"""Tasks for output as JSON: the file's own bytes where it can, dicts with ids and
dependencies normalised to ints where it must."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from taskctl.core.errors import UsageError
from taskctl.core.models import Task, as_int
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import subtask_dep_keys, task_dep_keys
from taskctl.core.tasks.ids import Ref, resolve
from taskctl.core.tasks.queries import Listing, NextRef, sub_key

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
        "dependencies": ["{}.{}".format(*sub_key(parent, d)) for d in sub.dependencies],
    }
