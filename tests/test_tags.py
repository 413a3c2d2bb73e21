"""The one rule for which tag a command reads and writes (`taskctl.core.tags`).

The CLI's tests (test_tasks_cli, test_addressing, test_config_effects) and completion's
show it end to end; these pin the rule where it lives.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taskctl.core.document import Document
from taskctl.core.errors import DataError, NotFoundError, UsageError
from taskctl.core.tags import (
    check_new_name,
    new_metadata,
    set_current_tag,
    tag_name,
    tag_to_read,
    tag_to_write,
)

FILE = {"feature": {"tasks": [], "metadata": {}}}


def document() -> Document:
    return Document(Path("tasks.json"), json.dumps(FILE).encode(), (0, 0, 0))


def never() -> str:
    raise AssertionError("the default tag was looked up although another rule decided")


def test_explicit_then_state_then_default(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    assert tag_name(None, state, "master") == "master"  # no state.json
    assert tag_name(None, None, lambda: "lazy") == "lazy"
    state.write_text(json.dumps({"currentTag": "feature"}))
    assert tag_name(None, state, never) == "feature"
    assert tag_name("other", state, never) == "other"
    state.write_text(json.dumps({"currentTag": ""}))
    assert tag_name(None, state, "master") == "master"


def test_an_empty_tag_is_refused_and_a_broken_state_file_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="invalid tag '': a tag name cannot be empty"):
        tag_name("", None, never)
    state = tmp_path / "state.json"
    state.write_text("{not json")
    with pytest.raises(DataError, match=r"state\.json is not valid JSON"):
        tag_name(None, state, never)


def test_only_the_default_tag_may_be_missing_and_only_when_not_named() -> None:
    doc = document()
    assert tag_to_read(doc, "master", explicit=False, default="master") is None
    with pytest.raises(NotFoundError):
        tag_to_read(doc, "master", explicit=True, default="master")
    with pytest.raises(NotFoundError):
        tag_to_read(doc, "gone", explicit=False, default="master")
    assert tag_to_read(doc, "feature", explicit=True, default="master") is not None


def test_the_first_write_creates_the_default_tag_only() -> None:
    doc = document()
    view = tag_to_write(doc, "master", default="master", clock=lambda: "2025-01-01T00:00:00Z")
    assert view.name == "master"
    assert doc.has_tag("master")
    with pytest.raises(NotFoundError):
        tag_to_write(doc, "gone", default="master", clock=lambda: "never")


# -- whole tags: the Document's add/rename/remove, the name rule, state.json

TWO = json.dumps({"a": {"tasks": [], "metadata": {"x": 1}}, "b": {"tasks": []}}, indent=2).encode()


def test_put_rename_and_remove_keep_the_other_tags(tmp_path: Path) -> None:
    doc = Document(tmp_path / "t.json", TWO, (0, 0, 0))
    assert doc.metadata("a") == {"x": 1}
    assert doc.metadata("b") == {}
    doc.put_tag("c", {"tasks": [], "metadata": {}})
    doc.put_tag("a2", doc.raw_tag("a"), replace="a")
    assert doc.dirty
    assert list(json.loads(doc.serialize())) == ["a2", "b", "c"]
    doc.remove_tag("b")
    assert json.loads(doc.serialize()) == {
        "a2": {"tasks": [], "metadata": {"x": 1}},
        "c": {"tasks": [], "metadata": {}},
    }
    with pytest.raises(NotFoundError):
        doc.remove_tag("b")


def test_a_flat_file_becomes_tagged_when_a_tag_is_added(tmp_path: Path) -> None:
    flat = b'{"tasks": [{"id": 1, "title": "t", "status": "pending"}]}'
    doc = Document(tmp_path / "t.json", flat, (0, 0, 0))
    doc.put_tag("x", {"tasks": []})
    data = json.loads(doc.serialize())
    assert list(data) == ["master", "x"]
    assert data["master"]["tasks"][0]["id"] == 1


@pytest.mark.parametrize("name", ["", "a.b", "a/b", "master", "Main", "DEFAULT", "tâche"])
def test_check_new_name_refuses(name: str) -> None:
    with pytest.raises(UsageError):
        check_new_name(name)


def test_check_new_name_accepts() -> None:
    check_new_name("Feature_1-x")


def test_set_current_tag_keeps_keys_and_refuses_bad_json(tmp_path: Path) -> None:
    state = tmp_path / ".taskmaster" / "state.json"
    set_current_tag(state, "x", "2026-01-02T03:04:05.000Z")
    assert json.loads(state.read_text()) == {
        "currentTag": "x",
        "lastSwitched": "2026-01-02T03:04:05.000Z",
        "branchTagMapping": {},
        "migrationNoticeShown": False,
    }
    state.write_text('{"keep": true, "currentTag": "x"}')
    set_current_tag(state, "y", "now")
    assert json.loads(state.read_text())["keep"] is True
    state.write_text("{")
    with pytest.raises(DataError):
        set_current_tag(state, "z", "now")
    assert state.read_text() == "{"


def test_default_description_is_task_masters_date() -> None:
    assert new_metadata("2026-12-04T01:02:03.000Z", None)["description"] == (
        "Tag created on 12/4/2026"
    )
