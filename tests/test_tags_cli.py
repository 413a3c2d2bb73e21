"""`taskctl tags ...` through the real process: each command, its refusals and exit
codes, other tags byte-identical, state.json, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_process import (
    assert_refused,
    document,
    make_project,
    ok,
    task,
    taskctl,
    tasks_file,
)


def _slice(data: bytes, name: str) -> bytes:
    """Tag `name`'s bytes in a file written with Task Master's 2-space layout."""
    start = data.index(f'\n  "{name}": {{'.encode())
    end = data.index(b"\n  }", start)
    return data[start:end]


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    content = document(
        task(1, status="done"),
        task(2, dependencies=[1]),
        task(3, dependencies=[2]),
        other=[task(1, "Other", details="kept ü")],
    )
    return make_project(tmp_path / "p", content)


def _state(root: Path) -> dict[str, object]:
    return json.loads((root / ".taskmaster" / "state.json").read_text())  # type: ignore[no-any-return]


def test_list_counts_marks_current_and_json(proj: Path) -> None:
    rows = ok(proj, "tags", "list", "--json").json()
    assert [r["name"] for r in rows] == ["master", "other"]
    master = rows[0]
    assert (master["tasks"], master["done"], master["ready"]) == (3, 1, 1)
    assert master["description"] == "test"
    assert master["current"] is True
    assert rows[1]["current"] is False
    text = ok(proj, "tags", "list").stdout
    assert "* master  3" in text


def test_add_writes_task_masters_metadata_and_keeps_other_tags(proj: Path) -> None:
    before = tasks_file(proj).read_bytes()
    ok(proj, "tags", "add", "feat-x", "--description", "Feature X")
    after = tasks_file(proj).read_bytes()
    data = json.loads(after)
    assert list(data) == ["master", "other", "feat-x"]
    meta = data["feat-x"]["metadata"]
    assert data["feat-x"]["tasks"] == []
    assert list(meta) == ["created", "updated", "description"]
    assert meta["description"] == "Feature X"
    assert meta["created"] == meta["updated"]
    for name in ("master", "other"):
        assert _slice(after, name) == _slice(before, name)
    ok(proj, "tasks", "undo")
    assert tasks_file(proj).read_bytes() == before


def test_add_copy_from_and_copy(proj: Path) -> None:
    ok(proj, "tags", "add", "c1", "--copy-from", "master")
    ok(proj, "tags", "copy", "other", "c2", "--description", "mine")
    data = json.loads(tasks_file(proj).read_bytes())
    assert data["c1"]["tasks"] == data["master"]["tasks"]
    assert data["c1"]["metadata"]["copiedFrom"]["tag"] == "master"
    assert data["c1"]["metadata"]["description"].startswith('Copy of "master" created on ')
    assert data["c2"]["tasks"] == data["other"]["tasks"]
    assert data["c2"]["metadata"]["description"] == "mine"
    assert set(data["c2"]["metadata"]["copiedFrom"]) == {"tag", "date"}


@pytest.mark.parametrize("name", ["bad.name", "a b", "Main", "default", "MASTER", "é"])
def test_names_task_master_refuses_are_exit_2(proj: Path, name: str) -> None:
    before = tasks_file(proj).read_bytes()
    assert_refused(taskctl(proj, "tags", "add", name), 2, "tag name")
    assert_refused(taskctl(proj, "tags", "copy", "master", name), 2, "tag name")
    assert tasks_file(proj).read_bytes() == before


def test_existing_and_missing_names(proj: Path) -> None:
    before = tasks_file(proj).read_bytes()
    assert_refused(taskctl(proj, "tags", "add", "other"), 2, "already exists")
    assert_refused(taskctl(proj, "tags", "copy", "master", "other"), 2, "already exists")
    assert_refused(taskctl(proj, "tags", "rename", "master", "other", "--force"), 2, "exists")
    assert_refused(taskctl(proj, "tags", "copy", "nope", "x"), 3, "'nope' not found")
    assert_refused(taskctl(proj, "tags", "add", "x", "--copy-from", "nope"), 3, "nope")
    assert_refused(taskctl(proj, "tags", "use", "nope"), 3, "'nope' not found")
    assert_refused(taskctl(proj, "tags", "remove", "nope", "--yes"), 3, "'nope' not found")
    assert tasks_file(proj).read_bytes() == before
    assert not (proj / ".taskmaster" / "state.json").exists()


def test_use_writes_state_keeping_other_keys(proj: Path) -> None:
    state = proj / ".taskmaster" / "state.json"
    ok(proj, "tags", "use", "other")
    assert _state(proj)["currentTag"] == "other"
    state.write_text('{"currentTag": "master", "custom": [1], "branchTagMapping": {"a": "b"}}')
    ok(proj, "tags", "use", "other")
    got = _state(proj)
    assert got["currentTag"] == "other"
    assert got["custom"] == [1]
    assert got["branchTagMapping"] == {"a": "b"}
    assert isinstance(got["lastSwitched"], str)
    assert ok(proj, "tasks", "list", "--json").json()[0]["title"] == "Other"


def test_rename_current_tag_follows_and_undo(proj: Path) -> None:
    before = tasks_file(proj).read_bytes()
    ok(proj, "tags", "use", "other")
    ok(proj, "tags", "rename", "other", "renamed")
    after = tasks_file(proj).read_bytes()
    data = json.loads(after)
    assert list(data) == ["master", "renamed"]
    assert _slice(after, "master") == _slice(before, "master")
    assert _state(proj)["currentTag"] == "renamed"
    ok(proj, "tasks", "undo")
    assert tasks_file(proj).read_bytes() == before


def test_master_is_protected(proj: Path) -> None:
    before = tasks_file(proj).read_bytes()
    assert_refused(taskctl(proj, "tags", "rename", "master", "main2"), 2, "--force")
    assert_refused(taskctl(proj, "tags", "remove", "master", "--yes"), 2, "master")
    assert tasks_file(proj).read_bytes() == before
    ok(proj, "tags", "rename", "master", "main2", "--force")
    assert list(json.loads(tasks_file(proj).read_bytes())) == ["main2", "other"]


def test_remove_needs_yes_and_switches_current_to_master(proj: Path) -> None:
    before = tasks_file(proj).read_bytes()
    assert_refused(taskctl(proj, "tags", "remove", "other"), 2, "--yes")
    assert tasks_file(proj).read_bytes() == before
    ok(proj, "tags", "use", "other")
    ok(proj, "tags", "remove", "other", "--yes")
    after = tasks_file(proj).read_bytes()
    assert list(json.loads(after)) == ["master"]
    assert _slice(after, "master") == _slice(before, "master")
    assert _state(proj)["currentTag"] == "master"
    ok(proj, "tasks", "undo")
    assert tasks_file(proj).read_bytes() == before


def test_tasks_add_to_a_missing_tag_names_tags_add(proj: Path) -> None:
    run = taskctl(proj, "tasks", "add", "X", "--tag", "newtag")
    assert_refused(run, 3, "taskctl tags add newtag")
