"""`tasks add`, `tasks update`, `tasks remove` and `init`: change the tasks file."""

from __future__ import annotations

from pathlib import Path

from taskctl.cli.context import AppContext
from taskctl.cli.options import AddOptions, InitOptions, RemoveOptions, UpdateOptions
from taskctl.cli.results import Added, Initialized, Removed, Updated
from taskctl.cli.run import confirm_removal
from taskctl.core import tasks as ops


def add(ctx: AppContext, opts: AddOptions) -> Added:
    project = ctx.project
    with project.transaction(tag=opts.tag, command=f"tasks add {opts.title!r}") as tx:
        ref = tx.add_new(opts)
        view, name = tx.view, tx.tag
    item = ops.task_dict(view, ops.parse_ref(ref)) if opts.as_json else None
    return Added(ref=ref, tag=name, tasks_file=str(project.tasks_file), quiet=opts.quiet, item=item)


def update(ctx: AppContext, opts: UpdateOptions) -> Updated:
    refs = ops.parse_refs(opts.ids)
    with ctx.project.transaction(tag=opts.tag, command=f"tasks update {' '.join(opts.ids)}") as tx:
        tx.apply(opts.ids, opts)
        view, name = tx.view, tx.tag
    items = [ops.task_dict(view, ref) for ref in refs] if opts.as_json else None
    return Updated(refs=[str(r) for r in refs], tag=name, items=items)


def remove(ctx: AppContext, opts: RemoveOptions) -> Removed:
    project = ctx.project
    refs = ops.parse_refs(opts.ids)
    name = project.tag_name(opts.tag)
    if not opts.yes:

        def question() -> str:
            view = project.store.read().tag(name)
            for ref in refs:
                ops.resolve(view, ref)
            titles = ", ".join(f"{ref} {ops.title_of(view, ref)!r}" for ref in refs)
            return f"Remove {titles}?"

        confirm_removal(ctx, "", question)
    with project.transaction(tag=opts.tag, command=f"tasks remove {' '.join(opts.ids)}") as tx:
        dropped = tx.remove(*opts.ids, force=opts.force)
    return Removed(refs=[str(r) for r in refs], tag=name, dropped=dropped, as_json=opts.as_json)


def init(ctx: AppContext, opts: InitOptions) -> Initialized:
    from taskctl.core.project import init_project  # noqa: PLC0415

    result = init_project(opts.directory or Path.cwd(), clock=ctx.clock)
    if result.created:
        ctx.replaced.append(result.path)
    return Initialized(path=str(result.path), created=result.created, as_json=opts.as_json)
