"""`tasks list --json` prints every task of a tag from the file's tasks array in one piece
when it can; the result must be what printing each task's own slice gives."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from taskctl.core import tasks as ops
from taskctl.core.document import Document
from taskctl.core.fs import now_iso
from taskctl.core.tasks.export import _task_item
from tests import taskmaster
from tests.bench.generate import make_store
from tests.conftest import HERE, shared_fixture_if_present


def per_task(view: ops.TagView, indices: list[int]) -> bytes:
    """The reference: each task's own slice (or normalised dict), in a list."""
    return msgspec.json.encode([_task_item(view, i) for i in indices])


def pretty(data: bytes | msgspec.Raw) -> bytes:
    return msgspec.json.format(data, indent=2)


DOCUMENTS = {
    "generated": lambda: make_store(200),
    "quirks": (HERE / "data" / "quirks.json").read_bytes,
    "flat": (HERE / "data" / "flat.json").read_bytes,
    **{
        f"task-master {case}": taskmaster.tasks_path(case).read_bytes for case in taskmaster.cases()
    },
}
REPO_FILE = shared_fixture_if_present("repo-tasks.json")  # an optional extra
if REPO_FILE is not None:
    DOCUMENTS["task-master repo"] = REPO_FILE.read_bytes


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_task_in_order_prints_as_each_slice_would(name: str) -> None:
    document = Document(Path("tasks.json"), DOCUMENTS[name](), (0, 0, 0))
    for tag in document.tag_names:
        view = document.tag(tag)
        every = list(range(len(view.tasks)))
        assert pretty(ops.export_json(view, every)) == pretty(per_task(view, every)), (name, tag)


def test_the_whole_array_is_used_only_when_it_is_the_answer() -> None:
    document = Document(Path("tasks.json"), make_store(50), (0, 0, 0))
    view = document.tag("master")
    every = list(range(len(view.tasks)))
    assert isinstance(ops.export_json(view, every), msgspec.Raw)  # one slice of the file
    some = every[::2]
    assert pretty(ops.export_json(view, some)) == pretty(per_task(view, some))
    backwards = every[::-1]
    assert pretty(ops.export_json(view, backwards)) == pretty(per_task(view, backwards))
    ops.update_tasks(view, [ops.Ref(3)], ops.Changes(status="review"), clock=now_iso)
    assert view.raw_tasks_array() is None  # edited: the file's array is stale
    printed = msgspec.json.decode(ops.export_json(view, every))
    assert printed[2]["status"] == "review"


def test_task_masters_file_is_untidy_and_takes_the_slow_path() -> None:
    data = taskmaster.tasks_path("quirks").read_bytes()
    document = Document(Path("tasks.json"), data, (0, 0, 0))
    untidy = [name for name in document.tag_names if not document.tag(name).tidy]
    assert untidy  # string ids: normalised per task, never printed from the array
    view = document.tag(untidy[0])
    every = list(range(len(view.tasks)))
    assert not isinstance(ops.export_json(view, every), msgspec.Raw)
