"""Interop: files written by Task Master itself survive taskctl's add, update, remove and
undo, with every other field, task and tag unchanged, through the real CLI.

The fixtures are `task-master`'s own output (`tests/taskmaster/fixtures/`: `made`, as
it writes on its own, and `quirks`, with the quirks of real files, string ids and a
current tag other than master), each with its `state.json`, so that the current tag is
Task Master's. Task Master's repository file (nine tags) joins them when ../shared
holds it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import taskmaster
from tests.cli_process import make_project, ok, tasks_file
from tests.conftest import shared_fixture_if_present

FIXTURES = {
    case: (taskmaster.tasks_path(case), taskmaster.state_path(case)) for case in ("made", "quirks")
}
_REPO = (shared_fixture_if_present("repo-tasks.json"), shared_fixture_if_present("repo-state.json"))
if _REPO[0] is not None and _REPO[1] is not None:  # an optional extra
    FIXTURES["repo"] = (_REPO[0], _REPO[1])


@pytest.fixture(params=list(FIXTURES))
def task_master_project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    tasks_path, state_path = FIXTURES[request.param]
    root = make_project(tmp_path / "proj")
    shutil.copyfile(tasks_path, tasks_file(root))
    shutil.copyfile(state_path, root / ".taskmaster" / "state.json")
    return root


def _load(root: Path) -> Any:
    return json.loads(tasks_file(root).read_bytes())


def _without(tag: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in tag.items() if k != key}


def _assert_only_this_tag_changed(before: Any, after: Any, tag: str) -> None:
    assert list(after) == list(before)  # every tag, in its order
    for name in before:
        if name != tag:
            assert after[name] == before[name], name
    assert _without(after[tag], "tasks") == _without(before[tag], "tasks")  # metadata


def test_task_master_files_survive_add_update_remove_undo(task_master_project: Path) -> None:
    root = task_master_project
    path = tasks_file(root)
    original_bytes = path.read_bytes()
    original = _load(root)
    tag = json.loads((root / ".taskmaster" / "state.json").read_bytes())["currentTag"]
    tasks = original[tag]["tasks"]

    # add: appended with the next id; everything else as it was
    new_id = int(ok(root, "tasks", "add", "Added by taskctl", "-q").stdout)
    assert new_id == max(int(t["id"]) for t in tasks) + 1
    added = _load(root)
    _assert_only_this_tag_changed(original, added, tag)
    assert added[tag]["tasks"][:-1] == tasks
    assert added[tag]["tasks"][-1]["title"] == "Added by taskctl"
    assert added[tag]["tasks"][-1]["id"] == new_id

    # update: one task's status and updatedAt, nothing else, not even its key order
    target = next(t for t in tasks if t.get("subtasks")) if tag == "master" else tasks[0]
    status = "review" if target["status"] != "review" else "deferred"
    ok(root, "tasks", "update", str(target["id"]), "--status", status)
    updated = _load(root)
    _assert_only_this_tag_changed(original, updated, tag)
    for before_task, after_task in zip(added[tag]["tasks"], updated[tag]["tasks"], strict=True):
        if after_task["id"] != target["id"]:
            assert after_task == before_task
        else:
            assert list(after_task)[: len(before_task)] == list(before_task)
            assert _without(_without(after_task, "updatedAt"), "status") == _without(
                _without(before_task, "updatedAt"), "status"
            )
            assert after_task["status"] == status
            assert after_task["updatedAt"] != before_task.get("updatedAt")

    # a subtask, with Task Master's own odd fields ("parentId": "undefined") left alone
    subs = target.get("subtasks") or []
    if subs:
        ok(root, "tasks", "update", f"{target['id']}.{subs[0]['id']}", "--status", "done")
        sub = next(t for t in _load(root)[tag]["tasks"] if t["id"] == target["id"])["subtasks"][0]
        assert sub["status"] == "done"
        assert _without(_without(sub, "updatedAt"), "status") == _without(
            _without(subs[0], "updatedAt"), "status"
        )

    # remove the added task: the tag is back to Task Master's tasks (one of them updated)
    ok(root, "tasks", "remove", str(new_id), "--yes")
    removed = _load(root)
    _assert_only_this_tag_changed(original, removed, tag)
    assert [t["id"] for t in removed[tag]["tasks"]] == [t["id"] for t in tasks]

    # undo, step by step, then all the way back: byte for byte Task Master's file
    ok(root, "tasks", "undo")
    assert _load(root)[tag]["tasks"][-1]["id"] == new_id
    history = ok(root, "tasks", "history", "--json").json()
    first = history[-1]
    assert first["command"] == "tasks add 'Added by taskctl'"
    ok(root, "tasks", "undo", "--to", str(first["id"]))
    assert path.read_bytes() == original_bytes


def test_every_tag_of_task_masters_file_reads(task_master_project: Path) -> None:
    original = _load(task_master_project)
    listed = ok(task_master_project, "tasks", "list", "--all-tags", "--json").json()
    for name in original:
        shown = [(t["id"], t["title"]) for t in listed if t["tag"] == name]
        kept = sorted((int(t["id"]), t["title"]) for t in original[name]["tasks"])
        assert shown == kept, name  # sorted by id (tasks.sort)
    assert len(listed) == sum(len(original[name]["tasks"]) for name in original)
