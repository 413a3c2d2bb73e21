"""Task operations on one tag: list, add, update, remove, next, validate.

Each function takes a `TagView` (from a `Document`, inside a `Store.transaction` for
changes) and returns plain values. Nothing here prints, exits or reads settings
globally: defaults arrive as arguments.

The modules, each importing only those above it:
- `ids`: `Ref` (`7`, `7.2`), `parse_ref(s)`, `resolve` (the position of the task an id
  names), `next_id`, and the checks of a status or priority the user gives;
- `graph`: dependencies as keys, the dependency graph, readiness, cycles, and the
  checks a new dependency must pass;
- `queries`: `select` (what `tasks list` shows of a `ListQuery`), `next_task`;
- `export`: tasks as JSON (the file's own bytes where it can) and as dicts;
- `rows`: what a person sees, as plain values (`TaskRow`, `TaskDetails`);
- `references`: `renumber` and `rewrite_references`, the one rule for giving tasks
  new ids (moves, merges) with every reference to them rewritten;
- `mutations`: `add_task`, `update_tasks`, `remove_tasks`;
- `validation`: `validate` and `fix`.

The names below are importable from this package too (`from taskctl.core import tasks
as ops; ops.add_task(...)`), each module imported only when one of its names is first
used, so that a command loads only the modules it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from taskctl.core.lazy import lazy_exports

if TYPE_CHECKING:
    from taskctl.core.changes import Changes, ListQuery
    from taskctl.core.document import Document
    from taskctl.core.models import as_int
    from taskctl.core.tagview import TagView
    from taskctl.core.tasks.export import (
        MODELLED_FIELDS,
        export_json,
        export_jsonl,
        export_one,
        listing_dicts,
        listing_rows,
        next_dict,
        task_dict,
        task_dicts,
        title_of,
    )
    from taskctl.core.tasks.graph import (
        ACTIVE,
        DONE,
        dependency_graph,
        find_cycles,
        is_blocked,
        is_ready,
        status_map,
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
    from taskctl.core.tasks.mutations import add_task, dependents, remove_tasks, update_tasks
    from taskctl.core.tasks.queries import (
        PRIORITY_RANK,
        Listing,
        NextRef,
        list_tasks,
        next_task,
        select,
        sort_key,
    )
    from taskctl.core.tasks.validation import Problem, fix, validate

_MODULES = {
    # The types a caller of these functions needs with them.
    "taskctl.core.changes": ("Changes", "ListQuery"),
    "taskctl.core.document": ("Document",),
    "taskctl.core.models": ("as_int",),
    "taskctl.core.tagview": ("TagView",),
    f"{__name__}.ids": (
        "Ref",
        "check_priority",
        "check_status",
        "next_id",
        "parse_ref",
        "parse_refs",
        "resolve",
    ),
    f"{__name__}.graph": (
        "ACTIVE",
        "DONE",
        "dependency_graph",
        "find_cycles",
        "is_blocked",
        "is_ready",
        "status_map",
        "subtask_dep_keys",
        "task_dep_keys",
    ),
    f"{__name__}.queries": (
        "PRIORITY_RANK",
        "Listing",
        "NextRef",
        "list_tasks",
        "next_task",
        "select",
        "sort_key",
    ),
    f"{__name__}.export": (
        "MODELLED_FIELDS",
        "export_json",
        "export_jsonl",
        "export_one",
        "listing_dicts",
        "listing_rows",
        "next_dict",
        "task_dict",
        "task_dicts",
        "title_of",
    ),
    f"{__name__}.mutations": ("add_task", "dependents", "remove_tasks", "update_tasks"),
    f"{__name__}.validation": ("Problem", "fix", "validate"),
}

__all__ = [
    "ACTIVE",
    "DONE",
    "MODELLED_FIELDS",
    "PRIORITY_RANK",
    "Changes",
    "Document",
    "ListQuery",
    "Listing",
    "NextRef",
    "Problem",
    "Ref",
    "TagView",
    "add_task",
    "as_int",
    "check_priority",
    "check_status",
    "dependency_graph",
    "dependents",
    "export_json",
    "export_jsonl",
    "export_one",
    "find_cycles",
    "fix",
    "is_blocked",
    "is_ready",
    "list_tasks",
    "listing_dicts",
    "listing_rows",
    "next_dict",
    "next_id",
    "next_task",
    "parse_ref",
    "parse_refs",
    "remove_tasks",
    "resolve",
    "select",
    "sort_key",
    "status_map",
    "subtask_dep_keys",
    "task_dep_keys",
    "task_dict",
    "task_dicts",
    "title_of",
    "update_tasks",
    "validate",
]

_HOME = {name: module for module, names in _MODULES.items() for name in names}
__getattr__ = lazy_exports(__name__, _HOME, globals())
