"""How a tasks file is laid out (indents, newlines), so that a write keeps it.

`Layout.of` reads it from the file's first bytes; the full re-encode formats the whole
document that way, and splicing finds a task (`locate_task`) and writes a changed one
at its place that way.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder()


class Layout:
    """How a tasks file is laid out, read from its first bytes, so that a write keeps it.

    Task Master writes `JSON.stringify(data, null, 2)`: 2-space steps, LF, tasks at a
    6-space indent. A file written by another tool or an editor may use 4 spaces, tabs,
    CRLF, or be one line (compact, or `json.dumps`'s `", "` and `": "`). The full
    re-encode formats the whole document this way, and splicing puts a changed task
    at its place this way (the same bytes, tests/test_splice.py).
    """

    __slots__ = ("indent", "newline", "sep", "tabs", "task_indent", "task_start")

    def __init__(self, indent: int, newline: bytes = b"\n", *, tabs: bool = False) -> None:
        # indent: msgspec's `format` argument (-1 compact, 0 one line with spaces, >0
        # spaces a step; 1 for tabs, which become tabs).
        self.indent = indent
        self.newline = newline
        self.tabs = tabs
        if indent > 0:
            step = b"\t" if tabs else b" " * indent
            # Tasks sit at depth 3 (document, tag, "tasks" array), their keys at depth 4.
            self.task_indent = newline + step * 3
            self.sep = b"," + self.task_indent
            self.task_start = b"{" + newline + step * 4 + b'"'
        else:
            self.task_indent = b""
            self.sep = b", " if indent == 0 else b","
            self.task_start = b'{"'

    @classmethod
    def of(cls, data: bytes) -> Layout:
        """The layout of `data`, from its first line or two: O(1)."""
        if data[:1] != b"{":
            return TASK_MASTER  # empty or new: as Task Master writes
        if data[1:2] == b'"':  # one line: is the first key followed by ": " or ":"?
            end = data.find(b'"', 2)
            return ONE_LINE if data[end + 1 : end + 3] == b": " else COMPACT
        if data[1:2] == b"\n":
            newline = b"\n"
        elif data[1:3] == b"\r\n":
            newline = b"\r\n"
        else:
            return TASK_MASTER  # `{}`, `{ "master"...`: written as Task Master writes
        at = 1 + len(newline)
        end = at
        while data[end : end + 1] in (b" ", b"\t"):
            end += 1
        step = data[at:end]
        if step == b"  " and newline == b"\n":
            return TASK_MASTER
        if step == b"\t":
            return cls(1, newline, tabs=True)
        if step and not step.strip(b" "):
            return cls(len(step), newline)
        # No or mixed indentation: Task Master's steps.
        return TASK_MASTER if newline == b"\n" else cls(2, newline)

    def format(self, encoded: bytes) -> bytes:
        """A whole encoded JSON value laid out this way (at depth 0)."""
        body = msgspec.json.format(encoded, indent=self.indent)
        if self.tabs:
            body = _LEADING_SPACES.sub(_spaces_to_tabs, body)
        if self.newline != b"\n" and self.indent > 0:
            body = body.replace(b"\n", self.newline)  # JSON strings hold no raw newline
        return body

    def indented(self, item: dict[str, Any]) -> bytes:
        """A task laid out at its place in the file (depth 3)."""
        if self is TASK_MASTER:  # the common case, as fast as it always was
            return msgspec.json.format(_ENCODER.encode(item), indent=2).replace(b"\n", _TASK_INDENT)
        body = msgspec.json.format(_ENCODER.encode(item), indent=self.indent)
        if self.tabs:
            body = _LEADING_SPACES.sub(_spaces_to_tabs, body)
        return body.replace(b"\n", self.task_indent) if self.indent > 0 else body


_LEADING_SPACES = re.compile(rb"\n( +)")


def _spaces_to_tabs(match: re.Match[bytes]) -> bytes:
    return b"\n" + b"\t" * len(match.group(1))


TASK_MASTER = Layout(2)
_TASK_INDENT = TASK_MASTER.task_indent
COMPACT = Layout(-1)
ONE_LINE = Layout(0)


def locate_task(data: bytes, raw: bytes, layout: Layout) -> tuple[int, int] | None:
    """Where a task's bytes are in the file: only if they occur once, laid out as the
    layout puts a task (at its indent, its first key on the next line)."""
    if not raw.startswith(layout.task_start):
        return None
    start = data.find(raw)
    if start < 0 or data.find(raw, start + 1) >= 0:
        return None
    if layout.task_indent:
        placed = data[start - len(layout.task_indent) : start] == layout.task_indent
    else:  # one line: first in the array, or after a separator
        placed = data[start - 1 : start] == b"[" or data[start - len(layout.sep) : start] == (
            layout.sep
        )
    return (start, start + len(raw)) if placed else None
