"""What each command returns: plain values, shown by `cli/render_tasks.py`.

A run function (`cli/run/`) does the work and returns one of these; the display
decides nothing but layout. `as_json` says which form the user asked for; `Display`
carries what the terminal decided (a table or plain columns, colour or not, its width),
and `pager` the pager for text longer than the screen (None: print it).
A result with a non-zero `exit_code` ends the run with it once shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:  # never encoded or decoded: the annotations are only read by mypy
    from taskctl.cli.pager import Pager
    from taskctl.core.backups import Backup
    from taskctl.core.rows import TaskDetails, TaskRow
    from taskctl.core.tasks import Problem


class Display(msgspec.Struct, frozen=True, kw_only=True):
    table: bool = False  # a table fitted to `width`, else plain aligned columns
    color: bool = False
    width: int = 80  # terminal cells
    pager: Pager | None = None


# -- tasks list: one of four shapes, by --format


class ListedJson(msgspec.Struct, frozen=True, kw_only=True):
    """JSON (`lines`: one object a line): `data` already encoded (for a whole tag, a
    slice of the file itself), else `items` to encode."""

    lines: bool
    data: bytes | msgspec.Raw | None = None
    items: list[dict[str, Any]] | None = None


class ListedIds(msgspec.Struct, frozen=True):
    ids: list[str]


class TaskTable(msgspec.Struct, frozen=True, kw_only=True):
    """ID, STATUS, PRIORITY, DEPS, TITLE (TAG first with `show_tag`), per tag."""

    tags: list[tuple[str, list[TaskRow]]]
    show_tag: bool
    display: Display


class FieldTable(msgspec.Struct, frozen=True, kw_only=True):
    """`--fields`: per tag, (id, the item's fields) rows (`core.tasks.listing_rows`)."""

    tags: list[tuple[str, list[tuple[str, dict[str, Any]]]]]
    fields: tuple[str, ...]
    show_tag: bool
    display: Display


TaskList = ListedJson | ListedIds | TaskTable | FieldTable


# -- one task or several


class Shown(msgspec.Struct, frozen=True, kw_only=True):
    """`tasks show`: `items` (JSON; one object for one id) or `details`."""

    items: list[dict[str, Any]] | None = None
    details: list[TaskDetails] | None = None
    pager: Pager | None = None


class NextTask(msgspec.Struct, frozen=True, kw_only=True):
    """`tasks next`: None when no task is ready; `data` is the task's JSON."""

    as_json: bool
    data: bytes | None = None
    details: TaskDetails | None = None


# -- changes


class Added(msgspec.Struct, frozen=True, kw_only=True):
    ref: str
    tag: str
    tasks_file: str
    quiet: bool
    item: dict[str, Any] | None = None  # with --json


class Updated(msgspec.Struct, frozen=True, kw_only=True):
    refs: list[str]
    tag: str
    items: list[dict[str, Any]] | None = None  # with --json


class Removed(msgspec.Struct, frozen=True, kw_only=True):
    refs: list[str]
    tag: str
    dropped: list[str]
    as_json: bool


class Initialized(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    created: bool
    as_json: bool


# -- upkeep


class Validation(msgspec.Struct, frozen=True, kw_only=True):
    """`tasks validate`: per tag, the problems left and what `--fix` repaired."""

    tags: list[tuple[str, list[Problem]]]
    fixed: dict[str, list[str]]
    tasks_file: str
    fix: bool
    as_json: bool

    @property
    def remaining(self) -> int:
        return sum(len(problems) for _, problems in self.tags)

    @property
    def exit_code(self) -> int:
        return 4 if self.remaining else 0


class History(msgspec.Struct, frozen=True, kw_only=True):
    backups: list[Backup]
    tasks_file: str
    as_json: bool
    pager: Pager | None = None


class Restored(msgspec.Struct, frozen=True, kw_only=True):
    backup: Backup
    as_json: bool
