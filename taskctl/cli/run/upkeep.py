"""`tasks validate`, `tasks history`, `tasks undo`: check, list and restore the file."""

from __future__ import annotations

from taskctl.cli.context import AppContext
from taskctl.cli.options import HistoryOptions, UndoOptions, ValidateOptions
from taskctl.cli.results import History, Restored, Validation
from taskctl.cli.run.reading import tag_views
from taskctl.core import tasks as ops
from taskctl.core.errors import UsageError


def validate(ctx: AppContext, opts: ValidateOptions) -> Validation:
    project = ctx.project
    store = project.store
    fixed: dict[str, list[str]] = {}
    if opts.fix:
        with store.transaction("tasks validate --fix") as document:
            for view in tag_views(project, opts.tag, opts.all_tags, document):
                done = ops.fix(view)
                if done:
                    fixed[view.name] = done
    report = [
        (view.name, ops.validate(view)) for view in tag_views(project, opts.tag, opts.all_tags)
    ]
    return Validation(
        tags=report, fixed=fixed, tasks_file=str(store.path), fix=opts.fix, as_json=opts.as_json
    )


def history(ctx: AppContext, opts: HistoryOptions) -> History:
    store = ctx.project.store
    return History(
        backups=store.history(),
        tasks_file=str(store.path),
        as_json=opts.as_json,
        pager=None if opts.as_json else ctx.pager(ctx.settings.output.pager),
    )


def undo(ctx: AppContext, opts: UndoOptions) -> Restored:
    store = ctx.project.store
    if store.backups <= 0:
        raise UsageError("undo needs backups, and storage.backups is 0")
    if opts.to is not None and opts.to < 1:
        raise UsageError(
            f"invalid value for --to: {opts.to}", hint="a backup id from `tasks history`"
        )
    command = "tasks undo" + (f" --to {opts.to}" if opts.to is not None else "")
    return Restored(backup=store.restore(opts.to, command), as_json=opts.as_json)
