"""The Python API: the same store and guarantees as the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import taskctl


def test_import_taskctl_is_cheap() -> None:
    code = (
        "import sys, taskctl\n"
        "heavy = ('taskctl.', 'msgspec', 'typer', 'rich')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_open_list_add_update(project: Path) -> None:
    tp = taskctl.open()
    assert tp.root == project
    assert tp.list() == []
    assert tp.add("First", priority="high") == "1"
    assert tp.add("Second", depends_on=[1]) == "2"
    assert [t["title"] for t in tp.list(ready=True)] == ["First"]
    tp.update(1, status="done")
    assert tp.get(1)["status"] == "done"
    assert tp.next() is not None
    assert tp.next()["id"] == 2  # type: ignore[index]
    on_disk = json.loads((project / ".taskmaster" / "tasks" / "tasks.json").read_bytes())
    assert [t["status"] for t in on_disk["master"]["tasks"]] == ["done", "pending"]


def test_transaction_is_all_or_nothing(project: Path) -> None:
    tp = taskctl.open()
    tp.add("Keep")
    path = project / ".taskmaster" / "tasks" / "tasks.json"
    before = path.read_bytes()
    with pytest.raises(taskctl.NotFoundError), tp.transaction() as tx:  # noqa: PT012
        tx.update(1, status="done")
        tx.add("Would be added")
        tx.update(99, status="done")
    assert path.read_bytes() == before
    with tp.transaction() as tx:
        tx.update(1, status="review")
        new = tx.add("Added", parent=1)
    assert new == "1.1"
    assert tp.get("1.1")["title"] == "Added"


def test_settings_come_from_configuration(project: Path) -> None:
    tp = taskctl.open(overrides=["tasks.default_priority=low"])
    tp.add("Configured")
    assert tp.get(1)["priority"] == "low"


def test_errors_carry_exit_codes(project: Path) -> None:
    tp = taskctl.open()
    with pytest.raises(taskctl.UsageError) as info:
        tp.add("x", status="started")
    assert info.value.exit_code == 2
    with pytest.raises(taskctl.NotFoundError) as missing:
        tp.get(5)
    assert missing.value.exit_code == 3


def test_repeated_reads_use_the_cache(project: Path) -> None:
    tp = taskctl.open()
    tp.add("x")
    first = tp.store.read()
    assert tp.store.read() is first


def test_update_takes_every_change_by_name(project: Path) -> None:
    tp = taskctl.open()
    tp.add("First")
    tp.add("Second", depends_on=[1])
    tp.update(2, clear_dependencies=True, append_details="No longer waits on 1.")
    assert tp.get(2)["dependencies"] == []
    assert tp.get(2)["details"] == "No longer waits on 1."


def test_list_takes_every_filter_by_name(project: Path) -> None:
    """`Project.list(**filters)`: the fields of `ListQuery`, which `tasks list`'s options
    extend; a value is one string, comma-separated strings or a list of them."""
    tp = taskctl.open()
    tp.add("Alpha", priority="low")
    tp.add("Beta", priority="critical", depends_on=[1])
    tp.add("Gamma", priority="high", status="done")
    tp.add("Delta beta", priority="medium", status="review")

    def titles(**filters: Any) -> list[str]:
        return [t["title"] for t in tp.list(**filters)]

    assert titles(status="pending", sort="priority") == ["Beta", "Alpha"]
    assert titles(status="pending,done") == ["Alpha", "Beta", "Gamma"]
    assert titles(status=["review", "done"]) == ["Gamma", "Delta beta"]
    assert titles(priority=["high,critical", "low"], sort="priority", limit=2) == [
        "Beta",
        "Gamma",
    ]
    assert titles(ready=True) == ["Alpha"]
    assert titles(blocked=True) == ["Beta"]
    assert titles(search="BETA") == ["Beta", "Delta beta"]
    assert titles(status=None, priority=None) == titles()
    with pytest.raises(TypeError, match="'statuses'"):
        tp.list(statuses=["pending"])
    with pytest.raises(taskctl.UsageError, match="unknown status 'started'"):
        tp.list(status="pending,started")
