"""Creating a project: `taskctl init`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from taskctl.core.errors import DataError, UsageError
from taskctl.core.paths import TASKMASTER_DIR
from taskctl.core.store import atomic_write, now_iso

EMPTY_TASKS = """{
  "master": {
    "tasks": [],
    "metadata": {
      "created": "%s",
      "description": "Tasks for master context"
    }
  }
}
"""


@dataclass(frozen=True)
class InitResult:
    path: Path
    created: bool


def init_project(directory: Path) -> InitResult:
    """Create `.taskmaster/tasks/tasks.json` with an empty `master` tag.

    Idempotent: an existing tasks file is left exactly as it is.
    """
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file, not a folder")
    tasks_file = directory / TASKMASTER_DIR / "tasks" / "tasks.json"
    if tasks_file.exists() or tasks_file.is_symlink():
        return InitResult(tasks_file, created=False)
    try:
        tasks_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(tasks_file, (EMPTY_TASKS % now_iso()).encode(), mode=0o644)
    except FileExistsError:
        return InitResult(tasks_file, created=False)
    except OSError as exc:
        raise DataError(f"cannot create {tasks_file}: {exc.strerror or exc}") from None
    return InitResult(tasks_file, created=True)
