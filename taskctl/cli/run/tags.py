"""`tags list`, `add`, `use`, `rename`, `copy`, `remove`: Task Master's tags.

Each change is one transaction of the store (lock, read fresh, one atomic write, a
backup for `tasks undo`); the tags a command does not name stay as they were, byte for
byte. The current tag lives in Task Master's state.json (`core/tags.py`).
"""

from __future__ import annotations

from pathlib import Path

from taskctl.cli.context import AppContext
from taskctl.cli.options import (
    TagsAddOptions,
    TagsCopyOptions,
    TagsListOptions,
    TagsRemoveOptions,
    TagsRenameOptions,
    TagsUseOptions,
)
from taskctl.cli.results import TagChanged, TagList, TagRow
from taskctl.cli.run import confirm_removal
from taskctl.core import tags
from taskctl.core import tasks as ops
from taskctl.core.document import Document
from taskctl.core.errors import NotFoundError, UsageError

MASTER = "master"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _existing(document: Document, name: str) -> int:
    """How many tasks tag `name` has; NotFoundError (exit 3) naming the tags there are."""
    if not document.has_tag(name):
        known = ", ".join(document.tag_names) or "none"
        raise NotFoundError(
            f"tag '{name}' not found (tags: {known})", hint="see `taskctl tags list`"
        )
    return len(document.tag(name).tasks)


def _row(document: Document, name: str, current: str) -> TagRow:
    view = document.tag(name)
    statuses = ops.status_map(view)
    meta = document.metadata(name)
    return TagRow(
        name=name,
        tasks=len(view.tasks),
        done=sum(1 for t in view.tasks if t.status == ops.DONE),
        ready=sum(1 for t in view.tasks if ops.is_ready(t, statuses)),
        description=_text(meta.get("description")),
        current=name == current,
        created=_text(meta.get("created")),
        updated=_text(meta.get("updated")),
    )


def list_tags(ctx: AppContext, opts: TagsListOptions) -> TagList:
    project = ctx.project
    document = project.store.read()
    current = project.tag_name()
    rows = [_row(document, name, current) for name in document.tag_names]
    return TagList(tags=rows, as_json=opts.as_json)


def _state_file(ctx: AppContext) -> Path:
    state_file = ctx.project.location.state_file
    if state_file is None:
        raise UsageError(
            "the personal tasks file has no current tag to switch",
            hint="run taskctl inside a project (`taskctl init`)",
        )
    return state_file


def add(ctx: AppContext, opts: TagsAddOptions) -> TagChanged:
    tags.check_new_name(opts.name)
    project = ctx.project
    with project.store.transaction(f"tags add {opts.name}") as document:
        tags.check_absent(document, opts.name)
        stamp = project.clock()
        if opts.copy_from is None:
            fields: dict[str, object] = {"tasks": []}
            count = 0
            meta = tags.new_metadata(stamp, opts.description)
        else:
            count = _existing(document, opts.copy_from)
            fields = {"tasks": document.raw_tag(opts.copy_from).get("tasks", [])}
            meta = tags.copy_metadata(opts.copy_from, stamp, opts.description)
        document.put_tag(opts.name, {**fields, "metadata": meta})
    action = "added" if opts.copy_from is None else "copied"
    return TagChanged(
        action=action, tag=opts.name, source=opts.copy_from, tasks=count, as_json=opts.as_json
    )


def copy(ctx: AppContext, opts: TagsCopyOptions) -> TagChanged:
    return add(
        ctx,
        TagsAddOptions(
            name=opts.target,
            description=opts.description,
            copy_from=opts.source,
            as_json=opts.as_json,
        ),
    )


def use(ctx: AppContext, opts: TagsUseOptions) -> TagChanged:
    state_file = _state_file(ctx)
    count = _existing(ctx.project.store.read(), opts.name)
    tags.set_current_tag(state_file, opts.name, ctx.project.clock())
    return TagChanged(
        action="switched",
        tag=opts.name,
        tasks=count,
        current=opts.name,
        as_json=opts.as_json,
    )


def rename(ctx: AppContext, opts: TagsRenameOptions) -> TagChanged:
    if opts.old == MASTER and not opts.force:
        raise UsageError(
            "refusing to rename master, Task Master's default tag",
            hint="pass --force to rename it anyway",
        )
    tags.check_new_name(opts.new)
    project = ctx.project
    current = project.tag_name()
    with project.store.transaction(f"tags rename {opts.old} {opts.new}") as document:
        tags.check_absent(document, opts.new)
        count = _existing(document, opts.old)
        fields = document.raw_tag(opts.old)
        meta = document.metadata(opts.old)
        if "metadata" in fields:  # Task Master records a rename in the tag's metadata
            meta["renamed"] = {"from": opts.old, "date": project.clock()}
            fields["metadata"] = meta
        document.put_tag(opts.new, fields, replace=opts.old)
    switched = None
    if current == opts.old and project.location.state_file is not None:
        tags.set_current_tag(project.location.state_file, opts.new, project.clock())
        switched = opts.new
    return TagChanged(
        action="renamed",
        tag=opts.new,
        source=opts.old,
        tasks=count,
        current=switched,
        as_json=opts.as_json,
    )


def remove(ctx: AppContext, opts: TagsRemoveOptions) -> TagChanged:
    if opts.name == MASTER:
        raise UsageError("refusing to remove master, Task Master's default tag")
    project = ctx.project
    if not opts.yes:

        def question() -> str:
            count = _existing(project.store.read(), opts.name)
            return f"Remove tag '{opts.name}' and its {count} tasks?"

        confirm_removal(ctx, "a tag ", question)
    current = project.tag_name()
    with project.store.transaction(f"tags remove {opts.name}") as document:
        count = _existing(document, opts.name)
        document.remove_tag(opts.name)
    switched = None
    if current == opts.name and project.location.state_file is not None:
        tags.set_current_tag(project.location.state_file, MASTER, project.clock())
        switched = MASTER
    return TagChanged(
        action="removed", tag=opts.name, tasks=count, current=switched, as_json=opts.as_json
    )
