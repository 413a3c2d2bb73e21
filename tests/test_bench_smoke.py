"""The benchmark (`python -m tests.bench`) still runs, at its smallest size.

This checks that the harness works and reports sane rows, the terminal ones included,
and Taskwarrior's anchor where `task` is installed (never Task Master's: seconds a run).
It asserts no timing budget: machines here are shared and noisy; the budgets are read
from a full run (README).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.anchors import task_uuid, taskwarrior_tasks
from tests.bench.run import COMMANDS, table

REPO = Path(__file__).resolve().parents[1]


def test_benchmark_runs_at_the_smallest_size_and_reports_every_command() -> None:
    # Task Master takes seconds a run: only Taskwarrior's anchor, and only where installed
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "tests.bench", "--sizes", "1000", "--runs", "1", "--json"),
            *("--anchors", "taskwarrior"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)

    rows = report["rows"]
    assert [r["command"] for r in rows] == [c.name for c in COMMANDS]
    for row in rows:
        assert row["ok"], row["error"]
        assert row["size"] == 1000
        assert len(row["samples"]) == len(row["floor_samples"]) == 1
        assert row["seconds"] > 0
        assert row["floor_seconds"] > 0
        assert abs(row["ratio"] - row["seconds"] / row["floor_seconds"]) < 1e-9
        best = min(row["samples"]) / min(row["floor_samples"])
        assert abs(row["best_ratio"] - best) < 1e-9
        # every child is a Python process: more than the spawner's own few MB
        assert row["peak_mb"] > report["meta"]["spawner_peak_mb"]
        assert row["floor_peak_mb"] > report["meta"]["spawner_peak_mb"]

    (cache,) = report["cache"]
    assert cache["tasks"] >= 1000  # plus the tasks that `tasks add` made
    assert cache["cache_hits"] is True
    assert 0 < cache["repeat_ms"] < cache["first_ms"]

    # the terminal commands ran under a terminal: their floor is the piped plain list
    terminal = [r for r in rows if r["command"].endswith("(terminal)")]
    assert len(terminal) == 2
    assert {r["floor"] for r in terminal} == {"piped"}

    anchors = report["anchors"]
    if shutil.which("task"):
        assert [a["command"] for a in anchors] == [
            "task import",
            "task export",
            "task list (terminal)",
            "task N modify priority:H",
        ]
        for anchor in anchors:
            assert anchor["ok"], anchor["error"]
            assert anchor["seconds"] > 0
        assert anchors[1]["equivalent"] == "tasks list --json"
        assert anchors[1]["taskctl_seconds"] > 0
    else:
        assert anchors == []
        assert "not found" in report["meta"]["anchors"]["taskwarrior"]

    text = table(report)
    for command in COMMANDS:
        assert command.name in text
    assert "anchors:" in text


def test_benchmark_without_terminal_or_anchors_measures_neither() -> None:
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "tests.bench", "--sizes", "1000", "--runs", "1", "--json"),
            *("--no-terminal", "--no-anchors"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    names = [r["command"] for r in report["rows"]]
    assert names == [c.name for c in COMMANDS if not c.terminal]
    assert report["anchors"] == []
    assert report["meta"]["anchors"] == {}


@pytest.mark.parametrize(
    ("status", "converted"),
    [
        ("done", "completed"),
        ("cancelled", "deleted"),
        ("pending", "pending"),
        ("in-progress", "pending"),
        ("blocked", "pending"),
    ],
)
def test_taskwarrior_gets_each_status_as_its_own(status: str, converted: str) -> None:
    task = {"id": 7, "title": "T", "status": status, "dependencies": [], "priority": "low"}
    (out,) = taskwarrior_tasks([task])
    assert out["status"] == converted
    assert ("end" in out) == (converted != "pending")


def test_taskwarrior_gets_titles_priorities_and_dependencies_by_uuid() -> None:
    tasks = [
        {"id": 1, "title": "First", "status": "review", "dependencies": [], "priority": "critical"},
        {"id": 2, "title": "Second", "status": "review", "dependencies": [1], "priority": "medium"},
        {"id": 3, "title": "Third", "status": "done", "dependencies": ["1", 2]},
    ]
    first, second, third = taskwarrior_tasks(tasks)
    assert [t["description"] for t in (first, second, third)] == ["First", "Second", "Third"]
    assert first["priority"] == "H"
    assert second["priority"] == "M"
    assert "priority" not in third
    assert "depends" not in first
    assert second["depends"] == [first["uuid"]]
    assert third["depends"] == [first["uuid"], second["uuid"]]
    assert len({first["uuid"], second["uuid"], third["uuid"]}) == 3
    assert task_uuid(1) == first["uuid"]  # the same tasks get the same uuids every run
