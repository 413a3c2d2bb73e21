"""How `taskctl tags ...` shows its results: a table, a message, or JSON."""

from __future__ import annotations

import msgspec

from taskctl.cli import results
from taskctl.cli.render import clean, emit_json, emit_lines, message, plain_table


def tag_list(result: results.TagList) -> None:
    if result.as_json:
        emit_json([msgspec.structs.asdict(row) for row in result.tags])
        return
    rows = [
        [
            ("* " if t.current else "  ") + clean(t.name),
            str(t.tasks),
            str(t.done),
            str(t.ready),
            clean(t.description or ""),
        ]
        for t in result.tags
    ]
    emit_lines(plain_table(["  TAG", "TASKS", "DONE", "READY", "DESCRIPTION"], rows))


def tag_changed(result: results.TagChanged) -> None:
    if result.as_json:
        emit_json(
            {
                "action": result.action,
                "tag": result.tag,
                "source": result.source,
                "tasks": result.tasks,
                "current": result.current,
            }
        )
        return
    name = clean(result.tag)
    source = clean(result.source or "")
    text = {
        "added": f"added tag '{name}'",
        "copied": f"copied tag '{source}' to '{name}' ({result.tasks} tasks)",
        "renamed": f"renamed tag '{source}' to '{name}'",
        "removed": f"removed tag '{name}' and its {result.tasks} tasks",
        "switched": f"now using tag '{name}' ({result.tasks} tasks)",
    }[result.action]
    message(text)
    if result.current is not None and result.action != "switched":
        message(f"current tag is now '{clean(result.current)}'")
