"""Renumbering: rewrite every reference to tasks and subtasks whose ids change.

One rule for every command that gives a task or subtask a new id: `tasks move` (to
another tag, to a new id, under a parent, to the top) and the merge driver (a task
added on both sides under one id). It works on the task dicts as the file holds them,
so that both a `TagView` edit and a decoded document can use it.

A renumbering is a mapping from old key to new key, keys as in `graph`: "7" for a
task, "7.2" for a subtask. Mapping a task maps its subtasks with it ("7" -> "9" takes
"7.2" to "9.2") unless a subtask is mapped itself; mapping to None drops the
references to it.

A reference that changes is written the way Task Master writes it, relative to its
owner (see `graph.dependency_value`): a task as an int, a sibling subtask as its local
int, any other subtask as "N.M"; a reference already in the "N.M" form keeps it. Only
the references whose target or owner changed are rewritten; every other value is left
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from taskctl.core.errors import UsageError
from taskctl.core.tasks.graph import dependency_value
from taskctl.core.tasks.ids import parse_ref

Renumbering = Mapping[str, "str | None"]


class Rewrite(msgspec.Struct, frozen=True):
    """One reference changed: `owner` (its new key) depended on `old`, now on `new`
    (None: the reference was dropped)."""

    owner: str
    old: str
    new: str | None


def new_key(mapping: Renumbering, key: str) -> str | None:
    """The key `key` has after the renumbering (itself when it is not renumbered;
    None when it is dropped)."""
    if key in mapping:
        return mapping[key]
    task, dot, sub = key.partition(".")
    if dot and task in mapping:
        parent = mapping[task]
        return None if parent is None else f"{parent}.{sub}"
    return key


def _key(value: Any) -> str | None:
    """A stored id or task dependency as a key; None for a value that is not one
    (validation reports those; renumbering leaves them alone)."""
    try:
        return str(parse_ref(value))
    except (UsageError, TypeError):
        return None


def _sub_dep_key(parent: str, siblings: set[str], value: Any) -> str | None:
    """A subtask's dependency as a key: a bare number is a sibling when the parent has
    one with that id, else a task (as `graph.subtask_dep_keys` reads it)."""
    key = _key(value)
    if key is not None and "." not in key and key in siblings:
        return f"{parent}.{key}"
    return key


def _written(owner: str, target: str, old_value: Any) -> int | str:
    """`target` written as a dependency of `owner`: an "N.M" stays in that form (it
    reads the same wherever its owner is); otherwise as Task Master writes it, with a
    number the file stored as a string kept a string."""
    if "." in target and isinstance(old_value, str) and "." in old_value:
        return target
    value = dependency_value(parse_ref(owner), parse_ref(target))
    if isinstance(value, int) and isinstance(old_value, str) and "." not in old_value:
        return str(value)
    return value


def _rewrite_list(
    item: dict[str, Any],
    keys: list[str | None],
    owner_old: str,
    owner_new: str,
    mapping: Renumbering,
    rewrites: list[Rewrite],
) -> None:
    deps = item.get("dependencies")
    if not isinstance(deps, list):
        return
    kept: list[Any] = []
    changed = False
    for value, key in zip(deps, keys, strict=True):
        target = None if key is None else new_key(mapping, key)
        if key is None or (target == key and owner_new == owner_old):
            kept.append(value)
            continue
        changed = True
        if target is None:
            rewrites.append(Rewrite(owner_new, key, None))
            continue
        written = _written(owner_new, target, value)
        kept.append(written)
        if target != key:
            rewrites.append(Rewrite(owner_new, key, target))
    if changed:
        item["dependencies"] = kept


def rewrite_references(tasks: Iterable[dict[str, Any]], mapping: Renumbering) -> list[Rewrite]:
    """Rewrite, in place, the dependencies in `tasks` (one tag's task dicts, before
    their ids change) to follow `mapping`. Ids themselves are left to the caller
    (`renumber` changes them where the tasks stay; a move restructures them).

    Returns the references that changed target, in file order."""
    rewrites: list[Rewrite] = []
    for item in tasks:
        tid = _key(item.get("id"))
        if tid is None or "." in tid:
            continue
        tid_new = new_key(mapping, tid) or tid
        deps = item.get("dependencies")
        if isinstance(deps, list) and deps:
            _rewrite_list(item, [_key(d) for d in deps], tid, tid_new, mapping, rewrites)
        subtasks = [s for s in item.get("subtasks") or [] if isinstance(s, dict)]
        siblings = {k for k in (_key(s.get("id")) for s in subtasks) if k}
        for sub in subtasks:
            sid = _key(sub.get("id"))
            sdeps = sub.get("dependencies")
            if sid is None or not isinstance(sdeps, list) or not sdeps:
                continue
            owner = f"{tid}.{sid}"
            owner_new = new_key(mapping, owner) or owner
            keys = [_sub_dep_key(tid, siblings, d) for d in sdeps]
            _rewrite_list(sub, keys, owner, owner_new, mapping, rewrites)
    return rewrites


def _set_id(item: dict[str, Any], number: int) -> None:
    """A new id, kept a string where the file stored it as one."""
    item["id"] = str(number) if isinstance(item.get("id"), str) else number


def renumber(tasks: list[dict[str, Any]], mapping: Mapping[str, str]) -> list[Rewrite]:
    """Give tasks and subtasks new ids where they are (a task "7" -> "9", a subtask
    "7.2" -> "7.5" within its task) and rewrite every reference to them in `tasks`.

    A mapping that would move a subtask to another task, or a task under one, is a
    move, not a renumbering: UsageError. Returns the references rewritten."""
    for old, new in mapping.items():
        a, b = parse_ref(old), parse_ref(new)
        if (a.sub is None) != (b.sub is None) or (a.sub is not None and a.task != b.task):
            raise UsageError(f"renumbering {old} -> {new} changes where it is: that is a move")
    rewrites = rewrite_references(tasks, mapping)
    for item in tasks:
        tid = _key(item.get("id"))
        if tid is None:
            continue
        for sub in item.get("subtasks") or []:
            sid = _key(sub.get("id")) if isinstance(sub, dict) else None
            target = mapping.get(f"{tid}.{sid}")
            if target is not None:
                _set_id(sub, int(target.partition(".")[2]))
        if tid in mapping:
            _set_id(item, int(mapping[tid]))
    return rewrites
