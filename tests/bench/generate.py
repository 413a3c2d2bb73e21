"""Task Master-format stores of any size with realistic, deterministic content.

About 1.3 kB a task at 10,000 tasks (12.8 MB), like the stores measured in issue 5:
titles, descriptions, details of a few hundred bytes, 0 to 4 subtasks, 0 to 3
dependencies on earlier tasks, mixed statuses and priorities, and a few fields that
taskctl does not model (they must survive every write).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import msgspec

_VOCABULARY = """
add api auth backend batch build cache check cli client config create data database decode
default deploy design docs encode endpoint error export field file fix flag format handler
import index input layer lock log merge migrate model module network option output parse
path plugin query queue read record refactor release render report request retry schema
search server service session setting source state status storage store stream sync table
task template test thread timeout token update upload user validate value version view
worker write
"""
_WORDS = tuple(_VOCABULARY.split())
_VERBS = ("Implement", "Add", "Fix", "Refactor", "Document", "Test", "Design", "Migrate")
_STATUSES = (
    ("done", 45),
    ("pending", 35),
    ("in-progress", 8),
    ("review", 4),
    ("deferred", 4),
    ("blocked", 2),
    ("cancelled", 2),
)
_PRIORITIES = (("high", 25), ("medium", 50), ("low", 20), ("critical", 5))
_SUBTASKS = (0, 0, 0, 1, 2, 3, 4)  # how many subtasks a task has, drawn uniformly
_DEPENDENCIES = (0, 0, 1, 1, 2, 3)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _title(rng: random.Random) -> str:
    return f"{rng.choice(_VERBS)} {' '.join(rng.choices(_WORDS, k=rng.randint(3, 7)))}"


def _details(rng: random.Random, low: int, high: int) -> str:
    """Bulleted notes of `low` to `high` bytes, the way Task Master's details read."""
    target = rng.randint(low, high)
    lines = [f"{_sentence(rng, 4, 8)[:-1]}:"]
    size = len(lines[0])
    while size < target:
        line = f"- {_sentence(rng, 5, 12)}"
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def _subtask(rng: random.Random, parent: int, sub_id: int) -> dict[str, Any]:
    sub: dict[str, Any] = {
        "id": sub_id,
        "title": _title(rng),
        "description": _sentence(rng, 5, 10),
        "dependencies": sorted(rng.sample(range(1, sub_id), k=min(sub_id - 1, rng.randint(0, 1)))),
        "details": _details(rng, 30, 100),
        "status": _weighted(rng, _STATUSES),
    }
    if rng.random() < 0.5:
        sub["parentTaskId"] = parent
    if rng.random() < 0.2:
        sub["testStrategy"] = _sentence(rng, 8, 16)
    return sub


def make_task(rng: random.Random, task_id: int) -> dict[str, Any]:
    earlier = range(max(1, task_id - 50), task_id)
    deps = sorted(rng.sample(earlier, k=min(len(earlier), rng.choice(_DEPENDENCIES))))
    task: dict[str, Any] = {
        "id": task_id,
        "title": _title(rng),
        "description": _sentence(rng, 6, 14),
        "status": _weighted(rng, _STATUSES),
        "dependencies": deps,
        "priority": _weighted(rng, _PRIORITIES),
        "details": _details(rng, 100, 360),
        "testStrategy": _sentence(rng, 6, 14),
        "subtasks": [_subtask(rng, task_id, j) for j in range(1, rng.choice(_SUBTASKS) + 1)],
    }
    if rng.random() < 0.1:
        task["previousStatus"] = "in-progress"  # a field taskctl does not model
    if rng.random() < 0.1:
        task["updatedAt"] = "2026-01-08T23:51:39.160Z"
    return task


def make_store(count: int, seed: int = 5) -> bytes:
    """A tagged tasks.json with `count` tasks in tag `master`, as Task Master writes it."""
    rng = random.Random(seed)
    document = {
        "master": {
            "tasks": [make_task(rng, i) for i in range(1, count + 1)],
            "metadata": {
                "created": "2025-06-13T23:52:56.848Z",
                "updated": "2026-01-08T23:51:39.160Z",
                "description": "Tasks for master context",
            },
        }
    }
    return msgspec.json.format(msgspec.json.encode(document), indent=2)


def make_project(root: Path, count: int, seed: int = 5) -> Path:
    """A project folder holding a store of `count` tasks; returns the tasks file."""
    tasks_file = root / ".taskmaster" / "tasks" / "tasks.json"
    tasks_file.parent.mkdir(parents=True, exist_ok=True)
    tasks_file.write_bytes(make_store(count, seed))
    return tasks_file
