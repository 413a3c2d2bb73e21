"""`tasks list`, `tasks show`, `tasks next`: read a tag and return what to show."""

from __future__ import annotations

import msgspec

from taskctl.api import Project
from taskctl.cli.context import AppContext
from taskctl.cli.options import ListOptions, NextOptions, ShowOptions
from taskctl.cli.results import (
    Display,
    FieldTable,
    ListedIds,
    ListedJson,
    NextTask,
    Shown,
    TaskList,
    TaskTable,
)
from taskctl.core import tasks as ops
from taskctl.core.changes import split_values
from taskctl.core.errors import UsageError
from taskctl.core.tasks import rows

MODES = ("table", "plain", "json", "jsonl", "ids")


def output_mode(ctx: AppContext, as_json: bool, fmt: str | None) -> str:
    """json, jsonl, ids, table or plain: --json, --format, then output.format."""
    if as_json:
        return "json"
    chosen = fmt or ctx.settings.output.format
    if chosen != "auto" and chosen not in MODES:
        raise UsageError(f"unknown format {chosen!r}: expected table, plain, json, jsonl or ids")
    if chosen == "auto":  # a table on a terminal; plain text when piped or with NO_COLOR
        return "table" if ctx.terminal.stdout and not ctx.environ.get("NO_COLOR") else "plain"
    return chosen


def tag_views(
    project: Project, tag: str | None, all_tags: bool, document: ops.Document | None = None
) -> list[ops.TagView]:
    """Every tag with --all-tags, else the current one: none while the default tag does
    not exist yet (a new project), exit 3 for any other missing tag."""
    document = document or project.store.read()
    if all_tags:
        return [document.tag(name) for name in document.tag_names]
    view = project.tag_in(document, tag)
    return [] if view is None else [view]


def list_tasks(ctx: AppContext, opts: ListOptions) -> TaskList:
    settings = ctx.settings
    project = ctx.project
    mode = output_mode(ctx, opts.as_json, opts.fmt)
    if opts.as_json and opts.fmt not in (None, "json"):
        raise UsageError(f"--json and --format {opts.fmt} disagree", hint="--json is --format json")
    fields = split_values(opts.fields) if opts.fields is not None else None
    if fields is not None and not fields:
        raise UsageError("--fields needs at least one field", hint="for example --fields id,title")
    if fields is not None and mode == "ids":
        raise UsageError("--fields does nothing with --format ids: it prints ids alone")
    if mode in ("table", "plain"):
        subtasks = (
            settings.tasks.with_subtasks if opts.with_subtasks is None else opts.with_subtasks
        )
    else:  # data for scripts: tasks.with_subtasks (a display setting) does not change it
        subtasks = bool(opts.with_subtasks)
    selections = [
        (view, project.select(view, opts, subtasks=subtasks))
        for view in tag_views(project, opts.tag, opts.all_tags)
    ]
    if mode in ("json", "jsonl"):
        return _listed_json(selections, fields, all_tags=opts.all_tags, lines=mode == "jsonl")
    if mode == "ids":
        return ListedIds(
            [key for view, listing in selections for key in rows.listed_ids(view, listing)]
        )
    display = Display(
        table=mode == "table",
        color=ctx.color(settings.output.color),
        width=ctx.terminal.columns,
        pager=ctx.pager(settings.output.pager),
    )
    if fields is not None:
        return FieldTable(
            tags=[
                (view.name, ops.listing_rows(view, listing, fields)) for view, listing in selections
            ],
            fields=fields,
            show_tag=opts.all_tags,
            display=display,
        )
    return TaskTable(
        tags=[(view.name, rows.task_rows(view, listing)) for view, listing in selections],
        show_tag=opts.all_tags,
        display=display,
    )


def _listed_json(
    selections: list[tuple[ops.TagView, ops.Listing]],
    fields: tuple[str, ...] | None,
    *,
    all_tags: bool,
    lines: bool,
) -> ListedJson:
    if all_tags:
        items = [
            {**item, "tag": view.name}
            for view, listing in selections
            for item in ops.listing_dicts(view, listing, fields)
        ]
        return ListedJson(lines=lines, items=items)
    if not selections:
        return ListedJson(lines=lines, items=[])
    view, listing = selections[0]
    if listing.matched is not None:  # subtasks narrowed to those that match
        return ListedJson(lines=lines, items=ops.listing_dicts(view, listing, fields))
    if lines:
        return ListedJson(lines=lines, data=ops.export_jsonl(view, listing.positions, fields))
    return ListedJson(lines=lines, data=ops.export_json(view, listing.positions, fields))


def show(ctx: AppContext, opts: ShowOptions) -> Shown:
    project = ctx.project
    view = project.store.read().tag(project.tag_name(opts.tag))
    refs = ops.parse_refs(opts.ids)
    items = [ops.task_dict(view, ref) for ref in refs]  # also checks every id
    if opts.as_json:
        return Shown(items=items)
    return Shown(details=rows.task_details(view, refs), pager=ctx.pager(ctx.settings.output.pager))


def next_task(ctx: AppContext, opts: NextOptions) -> NextTask:
    view = ctx.project.read_tag(opts.tag)
    found = ops.next_task(view) if view is not None else None
    if found is None or view is None:
        return NextTask(as_json=opts.as_json)
    index, j = found
    if opts.as_json:
        if j is None:
            return NextTask(as_json=True, data=ops.export_one(view, index))
        # a subtask, as a task object with its N.M id and parentId
        return NextTask(as_json=True, data=msgspec.json.encode(ops.next_dict(view, found)))
    task = view.tasks[index]
    sub = None if j is None else ops.as_int(task.subtasks[j].id)
    ref = ops.Ref(ops.as_int(task.id), sub)
    return NextTask(as_json=False, details=rows.task_details(view, [ref])[0])
