"""Reading for output (`Document(..., quick=True)`, what Store.read does) finds each tag's
tasks array in the scan that checks the file; it must give exactly what the full
reading gives: the same tags, typed tasks, slices, output, errors and writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from taskctl.core import store
from taskctl.core import tasks as ops
from taskctl.core.document import Document
from taskctl.core.errors import TaskctlError
from tests import taskmaster
from tests.bench.generate import make_store
from tests.conftest import HERE, shared_fixture_if_present


def _doc(tags: dict[str, Any]) -> Callable[[], bytes]:
    return lambda: json.dumps(tags, indent=2).encode()


TASK = {"id": 1, "title": "t", "status": "pending"}
DOCUMENTS: dict[str, Callable[[], bytes]] = {
    "generated": lambda: make_store(120),
    "quirks": (HERE / "data" / "quirks.json").read_bytes,
    "flat": (HERE / "data" / "flat.json").read_bytes,
    **{
        f"task-master {case}": taskmaster.tasks_path(case).read_bytes for case in taskmaster.cases()
    },
    "empty object": lambda: b"{}",
    "a tag without tasks": _doc({"master": {"metadata": {}}}),
    "tasks null": _doc({"master": {"tasks": None}}),
    "tasks a string": _doc({"master": {"tasks": "x"}}),
    "a tag that is a number": _doc({"master": {"tasks": [TASK]}, "other": 5}),
    "an invalid task": _doc({"master": {"tasks": [TASK, {"id": 0, "title": 3}]}}),
    "string ids": _doc({"master": {"tasks": [{**TASK, "id": "1"}]}}),
    "a tag named tasks": _doc({"tasks": {"tasks": [TASK]}}),
    "duplicate tags": lambda: b'{"a": {"tasks": []}, "b": {"tasks": []}, "a": {"tasks": [1]}}',
}
REPO_FILE = shared_fixture_if_present("repo-tasks.json")  # an optional extra
if REPO_FILE is not None:
    DOCUMENTS["task-master repo"] = REPO_FILE.read_bytes


def read(data: bytes, *, quick: bool) -> Document | TaskctlError:
    try:
        return Document(Path("tasks.json"), data, (0, 0, 0), quick=quick)
    except TaskctlError as exc:
        return exc


def view_of(document: Document, name: str) -> dict[str, Any]:
    """Everything a command can see of one tag, or the error reading it raises."""
    try:
        view = document.tag(name)
    except TaskctlError as exc:
        return {"error": (type(exc), str(exc), exc.exit_code)}
    every = list(range(len(view.tasks)))
    array = view.raw_tasks_array()
    return {
        "tidy": view.tidy,
        "tasks": msgspec.json.encode(view.tasks),
        "raws": [bytes(r) if isinstance(r, msgspec.Raw) else r for r in map(view.raw, every)],
        "fields": view.encodable(),
        "array": None if array is None else msgspec.json.format(array, indent=2),
        "json": msgspec.json.format(ops.export_json(view, every), indent=2),
        "next": ops.next_task(view),
        "problems": ops.validate(view),
    }


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_quick_reading_sees_what_the_full_reading_sees(name: str) -> None:
    data = DOCUMENTS[name]()
    quick, full = read(data, quick=True), read(data, quick=False)
    if isinstance(full, TaskctlError):
        assert isinstance(quick, TaskctlError)
        assert (type(quick), str(quick)) == (type(full), str(full))
        return
    assert isinstance(quick, Document)
    assert quick.tag_names == full.tag_names
    assert quick.flat == full.flat
    for tag in [*full.tag_names, "missing"]:
        assert quick.has_tag(tag) == full.has_tag(tag)
        assert view_of(quick, tag) == view_of(full, tag), tag


def fixed_clock() -> str:
    return "2026-01-02T03:04:05.678Z"


@pytest.mark.parametrize(
    "name", ["generated", "quirks", "task-master made", "task-master quirks", "task-master flat"]
)
def test_a_change_to_a_quickly_read_tag_writes_the_same_bytes(name: str) -> None:
    data = DOCUMENTS[name]()
    written = []
    for quick in (True, False):
        document = Document(Path("tasks.json"), data, (0, 0, 0), quick=quick)
        tag = document.tag_names[-1]
        view = document.tag(tag)
        ops.add_task(view, title="new", priority="high", status="pending", clock=fixed_clock)
        if view.tasks:
            first = ops.Ref(ops.as_int(view.tasks[0].id))
            ops.update_tasks(view, [first], ops.Changes(status="review"), clock=fixed_clock)
        document.create_tag("fresh", clock=fixed_clock)
        assert document.has_tag("fresh")
        assert document.tag_names[-1] == "fresh"
        written.append((document.serialize(), document.serialize(splice=False)))
    assert written[0] == written[1]
    assert written[0][0] == written[0][1]  # and splicing still matches re-encoding


def test_the_quick_reading_is_what_stores_use_for_reads(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    path.write_bytes(make_store(20))
    document = store.Store(path).read()
    document.tag("master")
    assert document._tags is None  # the whole tag's slice was never needed
