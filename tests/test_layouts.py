"""A tasks file keeps its own layout on a write, whoever wrote it last.

Task Master writes 2-space indents and LF; an editor, `json.dumps` or a Windows
checkout may leave 4 spaces, tabs, CRLF or one line. A write by taskctl keeps that
layout: changing a status is still a few-line `git diff`, and a tag the command did
not touch is byte for byte what it was. (tests/test_splice.py checks the writer's two
paths give the same bytes in every layout.)
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.cli_process import make_project, ok, task, tasks_file


def laid_out(obj: Any) -> dict[str, bytes]:
    """`obj` as Task Master and other writers lay it out."""

    def dumps(**kwargs: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, **kwargs).encode()

    return {
        "task-master": dumps(indent=2),  # 2 spaces, LF, no final newline
        "4-spaces": dumps(indent=4) + b"\n",
        "tabs": dumps(indent="\t") + b"\n",
        "crlf": dumps(indent=2).replace(b"\n", b"\r\n") + b"\r\n",
        "crlf-4-spaces": dumps(indent=4).replace(b"\n", b"\r\n"),
        "compact": dumps(separators=(",", ":")),
        "one-line": dumps() + b"\n",
    }


def assert_laid_out_like(out: bytes, original: bytes) -> None:
    """`out` is laid out as `original`: its newline, its indent unit, its final newline."""
    assert out.endswith(b"\n") == original.endswith(b"\n")
    if b"\n" not in original.rstrip():
        assert b"\n" not in out.rstrip()
        assert (b", " in out) == (b", " in original)
        return
    crlf = b"\r\n" in original
    lines = out.rstrip(b"\r\n").split(b"\r\n" if crlf else b"\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    second = original.split(b"\n", 2)[1].rstrip(b"\r")
    unit = second[: len(second) - len(second.lstrip())]
    for line in lines:
        indent = line[: len(line) - len(line.lstrip())]
        assert indent == unit * (len(indent) // len(unit)), (unit, line)


def tag_bytes(data: bytes, name: str) -> bytes:
    return bytes(msgspec.json.decode(data, type=dict[str, msgspec.Raw])[name])


DATA = {
    "master": {
        "tasks": [
            task(1, "First", details='é and \u2028 and a "quote"'),
            task(2, "Second", dependencies=[1], subtasks=[{"id": 1, "title": "Sub"}]),
            task(3, "Third", priority="high"),
        ],
        "metadata": {"created": "2025-01-01T00:00:00.000Z", "description": "main"},
    },
    "feature": {"tasks": [task(1, "Other tag")], "metadata": {"description": "kept"}},
}
LAYOUTS = laid_out(DATA)
layouts = pytest.mark.parametrize("layout", sorted(LAYOUTS))


def _project(tmp_path: Path, layout: str) -> Path:
    return make_project(tmp_path / "proj", LAYOUTS[layout])


def _changed_lines(before: bytes, after: bytes) -> int:
    old, new = before.decode().split("\n"), after.decode().split("\n")
    diff = difflib.unified_diff(old, new, lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


@layouts
def test_a_status_change_is_a_few_lines_and_other_tags_are_untouched(
    tmp_path: Path, layout: str
) -> None:
    root = _project(tmp_path, layout)
    before = LAYOUTS[layout]
    ok(root, "tasks", "update", "2", "--status", "done")
    after = tasks_file(root).read_bytes()
    assert_laid_out_like(after, before)
    # The status line, and `updatedAt` added after the last field (whose line gains a
    # comma); one line in all for a one-line file.
    assert _changed_lines(before, after) <= 5, after.decode()
    assert tag_bytes(after, "feature") == tag_bytes(before, "feature")
    changed = json.loads(after)
    assert changed["master"]["tasks"][1]["status"] == "done"
    changed["master"]["tasks"][1].pop("updatedAt")
    changed["master"]["tasks"][1]["status"] = "pending"
    assert changed == DATA


@layouts
def test_add_and_remove_keep_the_layout(tmp_path: Path, layout: str) -> None:
    root = _project(tmp_path, layout)
    before = LAYOUTS[layout]
    ok(root, "tasks", "add", "New task", "--description", "About it")  # the fast path
    added = tasks_file(root).read_bytes()
    assert_laid_out_like(added, before)
    assert tag_bytes(added, "feature") == tag_bytes(before, "feature")
    doc = json.loads(added)
    new = doc["master"]["tasks"].pop()
    assert (new["id"], new["title"], new["description"]) == (4, "New task", "About it")
    assert doc == DATA
    ok(root, "tasks", "remove", "3", "--yes")  # typer
    removed = tasks_file(root).read_bytes()
    assert_laid_out_like(removed, before)
    doc = json.loads(removed)
    assert [t["id"] for t in doc["master"]["tasks"]] == [1, 2, 4]
    assert tag_bytes(removed, "feature") == tag_bytes(before, "feature")


@layouts
def test_a_full_re_encode_keeps_the_layout_too(tmp_path: Path, layout: str) -> None:
    # Removing the only task of a tag is written by re-encoding the whole document.
    root = _project(tmp_path, layout)
    before = LAYOUTS[layout]
    ok(root, "tasks", "remove", "1", "--tag", "feature", "--yes")
    after = tasks_file(root).read_bytes()
    assert_laid_out_like(after, before)
    assert tag_bytes(after, "master") == tag_bytes(before, "master")
    assert json.loads(after)["feature"]["tasks"] == []
