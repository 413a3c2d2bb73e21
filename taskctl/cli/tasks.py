"""`taskctl tasks ...`: parse options, call one core function, render its result.

No `from __future__ import annotations` here: Typer would then `eval` every
parameter's annotation string when it builds the command tree, which every command
pays at start-up (measured: 21 ms -> 9 ms for building the whole tree).
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from taskctl.api import Project
from taskctl.cli import actions, render
from taskctl.cli.completion import values as complete
from taskctl.cli.context import AppContext
from taskctl.core import tasks as ops
from taskctl.core.errors import AbortedError, UsageError

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


def _obj(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    if not isinstance(obj, AppContext):  # a bare sub-app in tests
        obj = AppContext()
    return obj


def _project(ctx: typer.Context) -> Project:
    return _obj(ctx).project


# -- init -------------------------------------------------------------------------


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
    from taskctl.core.project import init_project  # noqa: PLC0415

    obj = _obj(ctx)
    result = init_project(directory or Path.cwd(), clock=obj.clock)
    if result.created:
        obj.replaced.append(result.path)
    if as_json:
        render.emit_json({"path": str(result.path), "created": result.created})
        return
    render.message(f"{'created' if result.created else 'already exists:'} {result.path}")


# -- list -------------------------------------------------------------------------


@app.command("list")
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
    actions.list_tasks(
        _obj(ctx),
        status=status,
        priority=priority,
        ready=ready,
        blocked=blocked,
        search=search,
        with_subtasks=with_subtasks,
        tag=tag,
        all_tags=all_tags,
        sort=sort,
        limit=limit,
        fmt=fmt,
        fields=fields,
        as_json=as_json,
    )


# -- show -------------------------------------------------------------------------


@app.command("show")
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
    actions.show(_obj(ctx), ids=ids, tag=tag, as_json=as_json)


# -- add --------------------------------------------------------------------------


@app.command("add")
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
    actions.add(
        _obj(ctx),
        title=title,
        description=description,
        details=details,
        test_strategy=test_strategy,
        priority=priority,
        status=status,
        depends_on=depends_on,
        parent=parent,
        tag=tag,
        quiet=quiet,
        as_json=as_json,
    )


# -- update -----------------------------------------------------------------------


@app.command("update")
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
    add_dependency: Annotated[
        list[str] | None,
        typer.Option(
            "--add-dependency",
            help="Ids to depend on (repeat or comma-separate).",
            autocompletion=complete.complete_task_id,
        ),
    ] = None,
    remove_dependency: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-dependency",
            help="Ids to stop depending on.",
            autocompletion=complete.complete_task_id,
        ),
    ] = None,
    tag: TagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change one or more tasks in one transaction: all of them or none.

    Example: taskctl tasks update 3 4 5.1 --status done
    """
    actions.update(
        _obj(ctx),
        ids=ids,
        title=title,
        description=description,
        details=details,
        append_details=append_details,
        test_strategy=test_strategy,
        status=status,
        priority=priority,
        add_dependency=add_dependency,
        remove_dependency=remove_dependency,
        tag=tag,
        as_json=as_json,
    )


# -- remove -----------------------------------------------------------------------


@app.command("remove")
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
    obj = _obj(ctx)
    project = obj.project
    store = project.store
    refs = ops.parse_refs(ids)
    name = project.tag_name(tag)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "refusing to remove without confirmation: stdin is not a terminal",
                hint="pass --yes",
            )
        view = store.read().tag(name)
        for ref in refs:
            ops.resolve(view, ref)
        titles = ", ".join(f"{ref} {ops.title_of(view, ref)!r}" for ref in refs)
        if not _confirm(f"Remove {render.clean(titles)}?"):
            raise AbortedError("aborted, nothing removed")
    with project.transaction(tag=tag, command=f"tasks remove {' '.join(ids)}") as tx:
        dropped = tx.remove(*ids, force=force)
    if as_json:
        render.emit_json({"removed": [str(r) for r in refs], "dropped_dependencies": dropped})
        return
    render.message(f"removed {', '.join(map(str, refs))} from tag '{name}'")
    for line in dropped:
        render.message(f"dropped dependency {line}")


def _confirm(question: str) -> bool:
    """The user's answer, yes or no (the default); Ctrl-C or end of input is a no.

    Not typer.confirm: click writes the space after its prompt to stdout, which
    carries data only."""
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = ""
    if not answer.endswith("\n"):
        sys.stderr.write("\n")  # end the prompt's line
    return answer.strip().lower() in ("y", "yes")


# -- next -------------------------------------------------------------------------


@app.command("next")
def next_command(ctx: typer.Context, tag: TagOpt = None, as_json: JsonOpt = False) -> None:
    """Show the task to work on next.

    Task Master's answer: first a ready subtask of an in-progress task, else a ready
    pending or in-progress task; the highest priority, then the fewest dependencies,
    then the lowest id. A subtask comes as id N.M with parentId. None ready: `null`
    in JSON, exit 0.

    Example: taskctl tasks next --json | jq .id
    """
    actions.next_task(_obj(ctx), tag=tag, as_json=as_json)


# -- validate ---------------------------------------------------------------------


@app.command("validate")
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
    project = _project(ctx)
    store = project.store
    fixed: dict[str, list[str]] = {}
    if fix:
        with store.transaction("tasks validate --fix") as document:
            for view in actions.views(project, tag, all_tags, document):
                done = ops.fix(view)
                if done:
                    fixed[view.name] = done
    report = [(view.name, ops.validate(view)) for view in actions.views(project, tag, all_tags)]
    remaining = sum(len(p) for _, p in report)
    if as_json:
        render.emit_json(
            {
                "valid": remaining == 0,
                "tags": [
                    {
                        "tag": name,
                        "problems": [
                            {
                                "code": p.code,
                                "task": p.task,
                                "message": p.message,
                                "fixable": p.fixable,
                            }
                            for p in problems
                        ],
                        "fixed": fixed.get(name, []),
                    }
                    for name, problems in report
                ],
            }
        )
    else:
        for name, lines in fixed.items():
            for line in lines:
                render.emit_line(f"fixed [{render.clean(name)}] {render.clean(line)}")
        for name, problems in report:
            for p in problems:
                render.emit_line(f"[{render.clean(name)}] {p.code}: {render.clean(p.message)}")
        if remaining == 0:
            render.message(f"{store.path}: no problems found")
        else:
            fixable = sum(p.fixable for _, ps in report for p in ps)
            hint = " (`--fix` repairs {fixable} of them)" if fixable and not fix else ""
            render.message(f"{remaining} problem(s) in {store.path}{hint.format(fixable=fixable)}")
    if remaining:
        raise typer.Exit(4)


# -- history and undo -------------------------------------------------------------


@app.command("history")
def history_command(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the kept previous versions of the tasks file, newest first.

    Example: taskctl tasks history --json
    """
    obj = _obj(ctx)
    project = obj.project
    store = project.store
    backups = store.history()
    if as_json:
        render.emit_json(
            [{"id": b.id, "time": b.time, "command": b.command, "size": b.size} for b in backups]
        )
        return
    if not backups:
        render.message(f"no backups of {store.path} yet")
        return
    render.emit_lines(
        render.plain_table(
            ["ID", "REPLACED AT", "SIZE", "BY"],
            [[str(b.id), b.time, str(b.size), render.clean(b.command)] for b in backups],
        )
    )


@app.command("undo")
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
    obj = _obj(ctx)
    project = obj.project
    store = project.store
    if store.backups <= 0:
        raise UsageError("undo needs backups, and storage.backups is 0")
    if to is not None and to < 1:
        raise UsageError(f"invalid value for --to: {to}", hint="a backup id from `tasks history`")
    command = "tasks undo" + (f" --to {to}" if to is not None else "")
    backup = store.restore(to, command)
    if as_json:
        render.emit_json({"restored": backup.id, "time": backup.time, "command": backup.command})
        return
    render.message(
        f"restored the version replaced at {backup.time} by: {render.clean(backup.command)}"
    )
