"""`taskctl tasks ...` and `taskctl init`: the Typer signatures, and nothing else.

Each command's parameters are its options Struct's fields (`cli/options.py`;
tests/test_options.py compares them); `@runs` names the function that does the work
(`cli/run/`) and the one that shows its result (`cli/render_tasks.py`).

No `from __future__ import annotations` here: Typer would then `eval` every
parameter's annotation string when it builds the command tree, which every command
pays at start-up (measured: 21 ms -> 9 ms for building the whole tree).
"""

from pathlib import Path
from typing import Annotated

import typer

from taskctl.cli import render_tasks as show
from taskctl.cli.command import runs
from taskctl.cli.completion import values as complete
from taskctl.cli.options import (
    AddOptions,
    HistoryOptions,
    InitOptions,
    ListOptions,
    NextOptions,
    RemoveOptions,
    ShowOptions,
    UndoOptions,
    UpdateOptions,
    ValidateOptions,
)
from taskctl.cli.run import Command, reading, upkeep, writing

app = typer.Typer(
    no_args_is_help=True,
    help="List, add, update and remove tasks in Task Master's tasks.json.",
    epilog="Example: taskctl tasks list --ready --sort priority",
)

# -- shared options ---------------------------------------------------------------

TagOpt = Annotated[
    str | None,
    typer.Option(
        "--tag",
        "-t",
        help="Tag to use (default: Task Master's current tag, else tasks.default_tag).",
        autocompletion=complete.complete_tag,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
IdsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...",
        help="Task ids: N, or N.M for a subtask.",
        autocompletion=complete.complete_task_id,
    ),
]


# -- init -------------------------------------------------------------------------


@runs(Command(InitOptions, writing.init, show.initialized))
def init_command(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Argument(help="Project folder (default: the current folder).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create .taskmaster/tasks/tasks.json with an empty `master` tag.

    Idempotent: an existing tasks file is never overwritten.

    Example: taskctl init my-project
    """


# -- list -------------------------------------------------------------------------


@app.command("list")
@runs(Command(ListOptions, reading.list_tasks, show.task_list))
def list_command(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            help="Only these statuses (repeat or comma-separate).",
            autocompletion=complete.complete_statuses,
        ),
    ] = None,
    priority: Annotated[
        list[str] | None,
        typer.Option(
            "--priority",
            "-p",
            help="Only these priorities (repeat or comma-separate).",
            autocompletion=complete.complete_priorities,
        ),
    ] = None,
    ready: Annotated[
        bool,
        typer.Option(
            "--ready", help="Only pending/in-progress tasks whose dependencies are all done."
        ),
    ] = False,
    blocked: Annotated[
        bool, typer.Option("--blocked", help="Only unfinished tasks waiting on a dependency.")
    ] = False,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Only tasks whose title or description contains TEXT."),
    ] = None,
    with_subtasks: Annotated[
        bool | None,
        typer.Option(
            "--with-subtasks/--no-subtasks",
            help="List subtasks under their task; filters select subtasks too"
            " (default for tables: tasks.with_subtasks).",
        ),
    ] = None,
    tag: TagOpt = None,
    all_tags: Annotated[bool, typer.Option("--all-tags", help="List every tag's tasks.")] = False,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="id, priority or status (default: tasks.sort).",
            autocompletion=complete.complete_sort,
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most N tasks.")] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table, plain, json, jsonl or ids (default: output.format).",
            autocompletion=complete.complete_format,
        ),
    ] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields", help="Only these fields (comma-separated): JSON keys or table columns."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List tasks, filtered and sorted.

    A table on a terminal, plain aligned text when piped; `--json` prints an array of
    task objects with Task Master's field names. No match is not an error.

    Example: taskctl tasks list --status pending,in-progress --sort priority --json
    """


# -- show -------------------------------------------------------------------------


@app.command("show")
@runs(Command(ShowOptions, reading.show, show.shown))
def show_command(
    ctx: typer.Context,
    ids: IdsArg,
    tag: TagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show tasks or subtasks in full.

    With `--json`: one object for one id, an array for several.

    Example: taskctl tasks show 7 7.2 --json
    """


# -- add --------------------------------------------------------------------------


@app.command("add")
@runs(Command(AddOptions, writing.add, show.added))
def add_command(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The task's title.")],
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="Description (default: the title).")
    ] = None,
    details: Annotated[str, typer.Option("--details", help="Implementation details.")] = "",
    test_strategy: Annotated[str, typer.Option("--test-strategy", help="How to verify it.")] = "",
    priority: Annotated[
        str | None,
        typer.Option(
            "--priority",
            "-p",
            help="critical, high, medium or low (default: tasks.default_priority).",
            autocompletion=complete.complete_priority,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            help="Initial status (default: tasks.default_status).",
            autocompletion=complete.complete_status,
        ),
    ] = None,
    depends_on: Annotated[
        list[str] | None,
        typer.Option(
            "--depends-on",
            help="Ids this task depends on (repeat or comma-separate).",
            autocompletion=complete.complete_task_id,
        ),
    ] = None,
    parent: Annotated[
        int | None,
        typer.Option(
            "--parent",
            help="Add a subtask N.M to task N.",
            autocompletion=complete.complete_parent_id,
        ),
    ] = None,
    tag: TagOpt = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the new id alone, no message.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a task (or, with --parent, a subtask) and print its id.

    Example: taskctl tasks add "Write the docs" --priority high --depends-on 3,4
    """


# -- update -----------------------------------------------------------------------


@app.command("update")
@runs(Command(UpdateOptions, writing.update, show.updated))
def update_command(
    ctx: typer.Context,
    ids: IdsArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="New description.")
    ] = None,
    details: Annotated[str | None, typer.Option("--details", help="Replace the details.")] = None,
    append_details: Annotated[
        str | None, typer.Option("--append-details", help="Add a paragraph to the details.")
    ] = None,
    test_strategy: Annotated[
        str | None, typer.Option("--test-strategy", help="New test strategy.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help="New status.", autocompletion=complete.complete_status),
    ] = None,
    priority: Annotated[
        str | None,
        typer.Option(
            "--priority", "-p", help="New priority.", autocompletion=complete.complete_priority
        ),
    ] = None,
    add_dependencies: Annotated[
        list[str] | None,
        typer.Option(
            "--add-dependency",
            help="Ids to depend on (repeat or comma-separate).",
            autocompletion=complete.complete_task_id,
        ),
    ] = None,
    remove_dependencies: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-dependency",
            help="Ids to stop depending on.",
            autocompletion=complete.complete_task_id,
        ),
    ] = None,
    clear_dependencies: Annotated[
        bool,
        typer.Option(
            "--clear-dependencies",
            help="Drop every dependency (then --add-dependency adds the new ones).",
        ),
    ] = False,
    tag: TagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change one or more tasks in one transaction: all of them or none.

    Example: taskctl tasks update 3 4 5.1 --status done
    """


# -- remove -----------------------------------------------------------------------


@app.command("remove")
@runs(Command(RemoveOptions, writing.remove, show.removed))
def remove_command(
    ctx: typer.Context,
    ids: IdsArg,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (required without a terminal).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Remove even when other tasks depend on it; drops those references."
        ),
    ] = False,
    tag: TagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove tasks or subtasks. Undo with `taskctl tasks undo`.

    Example: taskctl tasks remove 12 --yes
    """


# -- next -------------------------------------------------------------------------


@app.command("next")
@runs(Command(NextOptions, reading.next_task, show.next_task))
def next_command(ctx: typer.Context, tag: TagOpt = None, as_json: JsonOpt = False) -> None:
    """Show the task to work on next.

    Task Master's answer: first a ready subtask of an in-progress task, else a ready
    pending or in-progress task; the highest priority, then the fewest dependencies,
    then the lowest id. A subtask comes as id N.M with parentId. None ready: `null`
    in JSON, exit 0.

    Example: taskctl tasks next --json | jq .id
    """


# -- validate ---------------------------------------------------------------------


@app.command("validate")
@runs(Command(ValidateOptions, upkeep.validate, show.validation))
def validate_command(
    ctx: typer.Context,
    fix: Annotated[
        bool, typer.Option("--fix", help="Repair what can be repaired and say what was done.")
    ] = False,
    tag: TagOpt = None,
    all_tags: Annotated[bool, typer.Option("--all-tags", help="Check every tag.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check dependencies, cycles, duplicate ids and statuses; exit 4 while problems remain.

    Example: taskctl tasks validate --fix
    """


# -- history and undo -------------------------------------------------------------


@app.command("history")
@runs(Command(HistoryOptions, upkeep.history, show.history))
def history_command(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the kept previous versions of the tasks file, newest first.

    Example: taskctl tasks history --json
    """


@app.command("undo")
@runs(Command(UndoOptions, upkeep.undo, show.restored))
def undo_command(
    ctx: typer.Context,
    to: Annotated[
        int | None,
        typer.Option("--to", help="Restore backup N from `tasks history` (default: the newest)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Restore the version before the last write. An undo can itself be undone.

    Example: taskctl tasks undo   (then `taskctl tasks undo` again to redo)
    """
