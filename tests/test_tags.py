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
from taskctl.core.tags import tag_name, tag_to_read, tag_to_write

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
