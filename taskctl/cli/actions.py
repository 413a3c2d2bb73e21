"""What the most-run `tasks` commands do once their arguments are parsed, without typer.

`tasks list`, `show`, `next`, `add` and `update` are the commands scripts and CI steps
run over and over. Their bodies live here, typer-free, so that two parsers can call
them with the same arguments: the Typer commands in `cli/tasks.py` (help, completion,
every error message) and the fast path in `cli/fastpath.py`, which runs plain command
lines without importing typer (~30 to 45 ms a run; see that module). Each function
takes the run's `AppContext` and one keyword argument per command-line parameter,
named as in `cli/tasks.py`, and renders its result.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import msgspec

from taskctl.api import Project
from taskctl.cli import render
from taskctl.cli.context import AppContext
from taskctl.core import tasks as ops
from taskctl.core.errors import UsageError


def output_mode(obj: AppContext, as_json: bool, fmt: str | None) -> str:
    """json, jsonl, ids, table or plain: --json, --format, then output.format."""
    if as_json:
        return "json"
    chosen = fmt or obj.settings.output.format
    if chosen not in ("auto", "table", "plain", "json", "jsonl", "ids"):
        raise UsageError(f"unknown format {chosen!r}: expected table, plain, json, jsonl or ids")
    if chosen == "auto":  # a table on a terminal; plain text when piped or with NO_COLOR
        return "table" if sys.stdout.isatty() and not os.environ.get("NO_COLOR") else "plain"
    return chosen


def views(
    project: Project, tag: str | None, all_tags: bool, document: ops.Document | None = None
) -> list[ops.TagView]:
    """Every tag with --all-tags, else the current one: none while the default tag does
    not exist yet (a new project), exit 3 for any other missing tag."""
    document = document or project.store.read()
    if all_tags:
        return [document.tag(name) for name in document.tag_names]
    view = project.tag_in(document, tag)
    return [] if view is None else [view]


def split_values(values: Sequence[str] | None) -> tuple[str, ...]:
    """`--status a,b --status c` -> ("a", "b", "c")."""
    return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())


def list_tasks(
    obj: AppContext,
    *,
    status: list[str] | None,
    priority: list[str] | None,
    ready: bool,
    blocked: bool,
    search: str | None,
    with_subtasks: bool | None,
    tag: str | None,
    all_tags: bool,
    sort: str | None,
    limit: int | None,
    fmt: str | None,
    fields: str | None,
    as_json: bool,
) -> None:
    settings = obj.settings
    project = obj.project
    mode = output_mode(obj, as_json, fmt)
    if as_json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} disagree", hint="--json is --format json")
    field_list = split_values([fields]) if fields is not None else None
    if field_list is not None and not field_list:
        raise UsageError("--fields needs at least one field", hint="for example --fields id,title")
    if field_list is not None and mode == "ids":
        raise UsageError("--fields does nothing with --format ids: it prints ids alone")
    if mode in ("table", "plain"):
        show_subtasks = settings.tasks.with_subtasks if with_subtasks is None else with_subtasks
    else:  # data for scripts: tasks.with_subtasks (a display setting) does not change it
        show_subtasks = bool(with_subtasks)
    query = msgspec.structs.replace(
        project.query(
            split_values(status), split_values(priority), ready, blocked, search, sort, limit
        ),
        subtasks=show_subtasks,
    )
    selections = [(view, ops.select(view, query)) for view in views(project, tag, all_tags)]
    if mode in ("json", "jsonl"):
        _list_json(selections, field_list, all_tags=all_tags, lines=mode == "jsonl")
    elif mode == "ids":
        render.emit_lines(
            key
            for view, listing in selections
            for i in listing.positions
            for key in _listed_ids(view, listing, i)
        )
    elif field_list is not None:
        render.field_table(
            [
                (view.name, ops.listing_rows(view, listing, field_list))
                for view, listing in selections
            ],
            field_list,
            show_tag=all_tags,
            rich_table=mode == "table",
            color=render.use_color(sys.stdout, settings.output.color),
        )
    else:
        render.task_table(
            selections,
            show_tag=all_tags,
            rich_table=mode == "table",
            color=render.use_color(sys.stdout, settings.output.color),
        )


def _listed_ids(view: ops.TagView, listing: ops.Listing, index: int) -> list[str]:
    """`--format ids`: the task's id unless it is listed for its subtasks only, then
    the ids `N.M` of the subtasks listed under it."""
    task = view.tasks[index]
    ids = [] if index in listing.context else [str(task.id)]
    ids += [f"{task.id}.{task.subtasks[j].id}" for j in listing.subtasks_of(view, index)]
    return ids


def _list_json(
    selections: list[tuple[ops.TagView, ops.Listing]],
    fields: tuple[str, ...] | None,
    *,
    all_tags: bool,
    lines: bool,
) -> None:
    if all_tags:
        items = [
            {**item, "tag": view.name}
            for view, listing in selections
            for item in ops.listing_dicts(view, listing, fields)
        ]
        _emit_items(items, lines=lines)
    elif not selections:
        if not lines:
            render.emit_line("[]")
    else:
        view, listing = selections[0]
        if listing.matched is not None:  # subtasks narrowed to those that match
            _emit_items(ops.listing_dicts(view, listing, fields), lines=lines)
        elif lines:
            render.emit_jsonl_raw(ops.export_jsonl(view, listing.positions, fields))
        else:
            render.emit_raw_json(ops.export_json(view, listing.positions, fields))


def _emit_items(items: list[dict[str, object]], *, lines: bool) -> None:
    if lines:
        render.emit_jsonl(items)
    else:
        render.emit_json(items)


def show(obj: AppContext, *, ids: list[str], tag: str | None, as_json: bool) -> None:
    project = obj.project
    view = project.store.read().tag(project.tag_name(tag))
    refs = ops.parse_refs(ids)
    items = [ops.task_dict(view, ref) for ref in refs]
    if as_json:
        render.emit_json(items[0] if len(items) == 1 else items)
        return
    render.task_details(view, refs)


def add(
    obj: AppContext,
    *,
    title: str,
    description: str | None,
    details: str,
    test_strategy: str,
    priority: str | None,
    status: str | None,
    depends_on: list[str] | None,
    parent: int | None,
    tag: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    project = obj.project
    with project.transaction(tag=tag, command=f"tasks add {title!r}") as tx:
        ref = tx.add(
            title,
            description=description,
            details=details,
            test_strategy=test_strategy,
            priority=priority,
            status=status,
            depends_on=depends_on or (),
            parent=parent,
        )
        view, name = tx.view, tx.tag
    if as_json:
        render.emit_json(ops.task_dict(view, ops.parse_ref(ref)))
        return
    render.emit_line(ref)
    if not quiet:
        render.message(f"added task {ref} to tag '{name}' in {project.tasks_file}")


def update(
    obj: AppContext,
    *,
    ids: list[str],
    title: str | None,
    description: str | None,
    details: str | None,
    append_details: str | None,
    test_strategy: str | None,
    status: str | None,
    priority: str | None,
    add_dependency: list[str] | None,
    remove_dependency: list[str] | None,
    tag: str | None,
    as_json: bool,
) -> None:
    project = obj.project
    refs = ops.parse_refs(ids)
    with project.transaction(tag=tag, command=f"tasks update {' '.join(ids)}") as tx:
        tx.update(
            *ids,
            title=title,
            description=description,
            details=details,
            append_details=append_details,
            test_strategy=test_strategy,
            status=status,
            priority=priority,
            add_dependencies=add_dependency or (),
            remove_dependencies=remove_dependency or (),
        )
        view, name = tx.view, tx.tag
    if as_json:
        items = [ops.task_dict(view, ref) for ref in refs]
        render.emit_json(items[0] if len(items) == 1 else items)
        return
    render.message(f"updated {', '.join(map(str, refs))} in tag '{name}'")


def next_task(obj: AppContext, *, tag: str | None, as_json: bool) -> None:
    view = obj.project.read_tag(tag)
    found = ops.next_task(view) if view is not None else None
    if as_json:
        if found is None or view is None:
            render.emit_line("null")
        elif found[1] is None:
            render.emit_raw_json(ops.export_one(view, found[0]))
        else:  # a subtask, as a task object with its N.M id
            render.emit_json(ops.next_dict(view, found))
        return
    if found is None or view is None:
        render.message(
            "no task is ready: every pending task waits on a dependency, or none is left"
        )
        return
    index, j = found
    task = view.tasks[index]
    sub = None if j is None else ops.as_int(task.subtasks[j].id)
    render.task_details(view, [ops.Ref(ops.as_int(task.id), sub)])
