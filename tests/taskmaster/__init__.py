"""Task Master's own files, written by the real `task-master` CLI, and its recorded answers.

`fixtures/<case>/` holds `tasks.json` and `state.json` as `task-master` left them, and
`next.json`: what `task-master next --format json --tag T` answered for each tag.
`make_fixtures.py` regenerates all of it; the tests only read it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cases() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if (p / "tasks.json").exists())


def tasks_path(case: str) -> Path:
    return FIXTURES / case / "tasks.json"


def state_path(case: str) -> Path:
    return FIXTURES / case / "state.json"


def recorded_next(case: str) -> dict[str, Any]:
    """Tag -> the `task` object `task-master next --format json` printed, or None."""
    answers: dict[str, Any] = json.loads((FIXTURES / case / "next.json").read_bytes())
    return answers
