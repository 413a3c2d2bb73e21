"""How the `tasks` commands' results look: tables, detail blocks, messages, JSON.

Each function takes one result of `cli/results.py` (plain values, never a store or a
live view) and writes it through `cli/render.py`, which owns the streams.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from taskctl.cli import results
from taskctl.cli.render import (
    clean,
    clean_each,
    emit_chunks,
    emit_json,
    emit_jsonl,
    emit_jsonl_raw,
    emit_line,
    emit_lines,
    emit_raw_json,
    encode_json_compact,
    message,
    plain_chunks,
    plain_table,
)

if TYPE_CHECKING:
    from taskctl.cli.pager import Pager
    from taskctl.core.tasks.rows import TaskDetails, TaskRow

_STATUS_STYLE = {
    "done": "green",
    "in-progress": "yellow",
    "review": "magenta",
    "blocked": "red",
    "deferred": "dim",
    "cancelled": "dim strike",
}
_PRIORITY_STYLE = {"critical": "bold red", "high": "red", "medium": "", "low": "dim"}
_HEADERS = {"dependencies": "DEPS"}


def _deps_texts(lists: Iterable[Sequence[int | str]]) -> list[str]:
    """Each list of dependencies as shown: comma-separated, `-` for none."""
    return [",".join(map(str, deps)) if deps else "-" for deps in lists]


# -- tasks list


def task_list(result: results.TaskList) -> None:
    if isinstance(result, results.ListedJson):
        _listed_json(result)
    elif isinstance(result, results.ListedIds):
        emit_lines(result.ids)
    elif isinstance(result, results.FieldTable):
        field_table(result)
    else:
        task_table(result)


def _listed_json(result: results.ListedJson) -> None:
    data = result.data
    if data is not None:
        if result.lines:  # already bytes: export_jsonl joins its lines
            emit_jsonl_raw(data if isinstance(data, bytes) else bytes(data))
        else:
            emit_raw_json(data)
    elif result.lines:
        emit_jsonl(result.items or [])
    else:
        emit_json(result.items)


def task_table(result: results.TaskTable) -> None:
    """Tasks as rows: ID, STATUS, PRIORITY, DEPS, TITLE (and TAG with --all-tags), each
    listed subtask under its task."""
    headers = ["ID", "STATUS", "PRIORITY", "DEPS", "TITLE"]
    if result.show_tag:
        headers = ["TAG", *headers]
    columns: list[list[str]] = [[] for _ in headers]
    for tag, rows in result.tags:
        cells = _task_columns(rows)
        if result.show_tag:
            cells.insert(0, [clean(tag)] * len(rows))
        for column, more in zip(columns, cells, strict=True):
            column.extend(more)
    _emit_task_columns(headers, columns, result.display)


def _task_columns(rows: Sequence[TaskRow]) -> list[list[str]]:
    # Column by column: one pass a field, and the text checked a column at a time.
    return [
        [f"  {row.key}" if row.subtask else row.key for row in rows],
        clean_each([row.status for row in rows]),
        clean_each([row.priority or "-" for row in rows]),
        clean_each(_deps_texts([row.dependencies for row in rows])),
        clean_each([row.title for row in rows]),
    ]


def field_table(result: results.FieldTable) -> None:
    """`tasks list --fields`: the columns asked for; a subtask's id indented under its task."""
    fields = result.fields
    headers = [_HEADERS.get(f, f.upper()) for f in fields]
    if result.show_tag:
        headers = ["TAG", *headers]
    rows: list[list[str]] = []
    for tag, items in result.tags:
        for key, item in items:
            row = [
                ("  " + key if "." in key else key) if f == "id" else _cell(item.get(f))
                for f in fields
            ]
            rows.append([clean(tag), *row] if result.show_tag else row)
    _emit_task_columns(headers, [list(c) for c in zip(*rows, strict=True)], result.display)


def _cell(value: Any) -> str:
    """A field's value as one line of text: `-` for none, a list comma-separated
    (subtasks by id), anything else as compact JSON."""
    if value is None or value in ("", []):
        return "-"
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return clean(
            ",".join(
                str(v.get("id"))
                if isinstance(v, dict)
                else v
                if isinstance(v, str)
                else encode_json_compact(v)
                for v in value
            )
        )
    return clean(encode_json_compact(value))


def _emit_task_columns(
    headers: Sequence[str], columns: Sequence[Sequence[str]], display: results.Display
) -> None:
    if not columns or not columns[0]:
        message("no tasks match")
        return
    if display.table:
        from taskctl.cli import table  # noqa: PLC0415 - only on a terminal

        styles = {
            k: styles
            for k, styles in (
                (_column(headers, "STATUS"), _STATUS_STYLE),
                (_column(headers, "PRIORITY"), _PRIORITY_STYLE),
            )
            if k is not None
        }
        chunks = table.draw(
            headers, columns, width=display.width, styles=styles, color=display.color
        )
    else:
        chunks = plain_chunks(headers, columns)
    emit_chunks(chunks, display.pager)


def _column(headers: Sequence[str], name: str) -> int | None:
    return headers.index(name) if name in headers else None


# -- one task or several


def _details_lines(item: TaskDetails) -> list[str]:
    lines = [
        f"ID:           {item.key}",
        f"Title:        {clean(item.title)}",
        f"Status:       {clean(item.status)}",
        f"Priority:     {clean(item.priority or '-')}",
        f"Dependencies: {clean(_deps_texts([item.dependencies])[0])}",
        f"Description:  {clean(item.description)}",
    ]
    if item.details:
        lines += ["Details:", *("  " + clean(x) for x in item.details.splitlines())]
    if item.test_strategy:
        lines += ["Test strategy:", *("  " + clean(x) for x in item.test_strategy.splitlines())]
    if item.subtasks:
        lines.append("Subtasks:")
        lines += [
            f"  {key}  {clean(status):<11}  {clean(title)}" for key, status, title in item.subtasks
        ]
    return lines


def task_details(items: Sequence[TaskDetails], pager: Pager | None = None) -> None:
    """Tasks or subtasks in full: one block each, a blank line between."""
    emit_line("\n\n".join("\n".join(_details_lines(item)) for item in items), pager)


def shown(result: results.Shown) -> None:
    if result.items is not None:
        emit_json(result.items[0] if len(result.items) == 1 else result.items)
    else:
        task_details(result.details or [], result.pager)


def next_task(result: results.NextTask) -> None:
    if result.as_json:
        if result.data is None:
            emit_line("null")
        else:
            emit_raw_json(result.data)
    elif result.details is None:
        message("no task is ready: every pending task waits on a dependency, or none is left")
    else:
        task_details([result.details])


# -- changes


def added(result: results.Added) -> None:
    if result.item is not None:
        emit_json(result.item)
        return
    emit_line(result.ref)
    if not result.quiet:
        message(f"added task {result.ref} to tag '{result.tag}' in {result.tasks_file}")


def updated(result: results.Updated) -> None:
    if result.items is not None:
        emit_json(result.items[0] if len(result.items) == 1 else result.items)
        return
    message(f"updated {', '.join(result.refs)} in tag '{result.tag}'")


def removed(result: results.Removed) -> None:
    if result.as_json:
        emit_json({"removed": result.refs, "dropped_dependencies": result.dropped})
        return
    message(f"removed {', '.join(result.refs)} from tag '{result.tag}'")
    for line in result.dropped:
        message(f"dropped dependency {line}")


def initialized(result: results.Initialized) -> None:
    if result.as_json:
        emit_json({"path": result.path, "created": result.created})
        return
    message(f"{'created' if result.created else 'already exists:'} {result.path}")


# -- upkeep


def validation(result: results.Validation) -> None:
    if result.as_json:
        emit_json(
            {
                "valid": result.remaining == 0,
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
                        "fixed": result.fixed.get(name, []),
                    }
                    for name, problems in result.tags
                ],
            }
        )
        return
    for name, lines in result.fixed.items():
        for line in lines:
            emit_line(f"fixed [{clean(name)}] {clean(line)}")
    for name, problems in result.tags:
        for p in problems:
            emit_line(f"[{clean(name)}] {p.code}: {clean(p.message)}")
    remaining = result.remaining
    if remaining == 0:
        message(f"{result.tasks_file}: no problems found")
        return
    fixable = sum(p.fixable for _, problems in result.tags for p in problems)
    hint = f" (`--fix` repairs {fixable} of them)" if fixable and not result.fix else ""
    message(f"{remaining} problem(s) in {result.tasks_file}{hint}")


def history(result: results.History) -> None:
    backups = result.backups
    if result.as_json:
        emit_json(
            [{"id": b.id, "time": b.time, "command": b.command, "size": b.size} for b in backups]
        )
        return
    if not backups:
        message(f"no backups of {result.tasks_file} yet")
        return
    emit_lines(
        plain_table(
            ["ID", "REPLACED AT", "SIZE", "BY"],
            [[str(b.id), b.time, str(b.size), clean(b.command)] for b in backups],
        ),
        result.pager,
    )


def restored(result: results.Restored) -> None:
    backup = result.backup
    if result.as_json:
        emit_json({"restored": backup.id, "time": backup.time, "command": backup.command})
        return
    message(f"restored the version replaced at {backup.time} by: {clean(backup.command)}")
