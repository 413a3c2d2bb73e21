"""The fields a new task is given, the changes an update makes and the filters a
listing takes: each listed once.

`tasks add`, `tasks update` and `tasks list` take exactly these (the CLI's options
Structs in `cli/options.py` subclass them, and a test holds the Typer signatures to
them); the Python API takes them by keyword (`Transaction.add(title, **fields)`,
`Transaction.update(*ids, **changes)`, `Project.list(**filters)`), so an unknown name
is a TypeError naming it. A new field is written here, in the Typer signature, and
where `core.tasks` uses it.

Ids stay as the caller gave them (`3`, `"3.1"`, `"3,4"`); core parses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

IdList = Sequence[int | str] | None


class NewTask(msgspec.Struct, frozen=True, kw_only=True):
    """A task to add; `core.tasks.add_task` takes these fields as its keywords."""

    title: str
    description: str | None = None  # None: the title
    details: str = ""
    test_strategy: str = ""
    priority: str | None = None  # None: tasks.default_priority
    status: str | None = None  # None: tasks.default_status
    depends_on: IdList = None
    parent: int | None = None  # add subtask N.M to task N


class Changes(msgspec.Struct, frozen=True, kw_only=True):
    """What an update changes in each task it names; None or empty: left as it is."""

    title: str | None = None
    description: str | None = None
    details: str | None = None
    append_details: str | None = None  # a paragraph added to the details
    test_strategy: str | None = None
    status: str | None = None
    priority: str | None = None
    add_dependencies: IdList = None
    remove_dependencies: IdList = None
    clear_dependencies: bool = False  # before adding any: the dependencies replaced

    def empty(self) -> bool:
        """Whether nothing would change: every field None, empty or False (a flag off)."""
        return all(
            getattr(self, name) in (None, False, [], ()) for name in Changes.__struct_fields__
        )


# A filter's values: "pending", "pending,done", or a list of those.
Values = str | Sequence[str] | None


class ListQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Which tasks a listing shows, and in what order (`core.tasks.select`)."""

    status: Values = None  # any of these statuses
    priority: Values = None  # any of these priorities (a subtask without one: its task's)
    ready: bool = False  # pending or in progress, every dependency done
    blocked: bool = False  # unfinished, waiting on a dependency not done
    search: str | None = None  # in the title or description, in any case
    sort: str | None = None  # id, priority or status; None: tasks.sort
    limit: int | None = None


def split_values(value: Values) -> tuple[str, ...]:
    """`"a,b"` or `["a,b", "c"]` -> `("a", "b", "c")`: repeated and comma-separated
    values (`--status a,b --status c`), blanks dropped."""
    if value is None:
        return ()
    parts = [value] if isinstance(value, str) else value
    return tuple(p.strip() for v in parts for p in v.split(",") if p.strip())


def fields_of(value: msgspec.Struct, kind: type[msgspec.Struct]) -> dict[str, Any]:
    """The fields of `kind` that `value` (a `kind`, or a Struct extending it) holds."""
    return {name: getattr(value, name) for name in kind.__struct_fields__}
