"""What each command returns: plain values, shown by `cli/render_tasks.py` (`tasks`,
`init`) and `cli/render_config.py` (`config`, `version`).

A run function (`cli/run/`) does the work and returns one of these; the display
decides nothing but layout. `as_json` says which form the user asked for; `Display`
carries what the terminal decided (a table or plain columns, colour or not, its width),
and `pager` the pager for text longer than the screen (None: print it).
A result with a non-zero `exit_code` ends the run with it once shown; one with a
`failure` raises it once shown, for the error boundary to report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:  # never encoded or decoded: the annotations are only read by mypy
    from taskctl.cli.pager import Pager
    from taskctl.core.backups import Backup
    from taskctl.core.errors import ConfigError
    from taskctl.core.tasks import Problem
    from taskctl.core.tasks.rows import TaskDetails, TaskRow


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


# -- config: `docs` are `ResolvedConfig.explain`'s, one a key


class ConfigValue(msgspec.Struct, frozen=True, kw_only=True):
    value: Any  # typed
    as_json: bool


class ConfigSet(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    value: Any  # typed, as written
    path: str
    scope: str
    overridden_by: str | None  # the value that still applies, from a source above the file
    as_json: bool


class ConfigUnset(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    path: str
    scope: str
    removed: bool  # False: the file did not set it, and nothing was written
    now: str  # the value that applies without it, and where it comes from
    as_json: bool


class ConfigList(msgspec.Struct, frozen=True, kw_only=True):
    docs: list[dict[str, Any]]
    show_origin: bool
    display: Display
    as_json: bool
    failure: ConfigError | None = None  # a value is invalid: listed, and still an error


class ConfigExplained(msgspec.Struct, frozen=True, kw_only=True):
    docs: list[dict[str, Any]]
    single: bool  # one key was asked for: with --json, its object alone
    warnings: list[str]  # malformed files and -c values, whose values are missing here
    as_json: bool


class ConfigPaths(msgspec.Struct, frozen=True, kw_only=True):
    files: list[dict[str, Any]]  # source, path, exists, error; in precedence order
    target: dict[str, Any]  # scope, path, reason: the file `config set` writes
    display: Display
    as_json: bool


class ConfigProblems(msgspec.Struct, frozen=True, kw_only=True):
    problems: list[dict[str, Any]]  # kind, blocking, key, message
    files_read: int
    as_json: bool
    failure: ConfigError | None = None  # any problem


# -- version


class About(msgspec.Struct, frozen=True, kw_only=True):
    info: dict[str, Any]  # `core.about.About.as_dict()`
    as_json: bool


# -- tags


class TagRow(msgspec.Struct, frozen=True, kw_only=True):
    """One tag in `tags list` (its JSON object, keys in this order)."""

    name: str
    tasks: int
    done: int
    ready: int
    description: str | None
    current: bool
    created: str | None
    updated: str | None


class TagList(msgspec.Struct, frozen=True, kw_only=True):
    tags: list[TagRow]
    as_json: bool


class TagChanged(msgspec.Struct, frozen=True, kw_only=True):
    """`tags add/use/rename/copy/remove`: what was done, to which tag."""

    action: str  # added, copied, renamed, removed, switched
    tag: str
    source: str | None = None  # the tag copied or renamed from
    tasks: int = 0
    current: str | None = None  # the current tag, when the command changed it
    as_json: bool = False
