"""Creating a project: `taskctl init`."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from taskctl.core.errors import DataError, UsageError
from taskctl.core.fs import Clock, atomic_write, dangling_link, new_file_mode, not_regular
from taskctl.core.paths import TASKMASTER_DIR

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


def init_project(directory: Path, *, clock: Clock) -> InitResult:
    """Create `.taskmaster/tasks/tasks.json` with an empty `master` tag, created at
    `clock`'s time.

    Idempotent: an existing tasks file is left exactly as it is.
    """
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file, not a folder")
    tasks_file = directory / TASKMASTER_DIR / "tasks" / "tasks.json"
    existing = _existing(tasks_file)
    if existing is not None:
        return existing
    try:
        tasks_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(tasks_file, (EMPTY_TASKS % clock()).encode(), mode=new_file_mode())
    except FileExistsError:
        existing = _existing(tasks_file)
        if existing is not None:
            return existing
        raise _cannot_create(tasks_file, "a file is in the way") from None
    except OSError as exc:
        raise _cannot_create(tasks_file, exc.strerror or str(exc)) from None
    return InitResult(tasks_file, created=True)


def _existing(tasks_file: Path) -> InitResult | None:
    """The result for a tasks file already there; DataError for a link to nothing or
    anything but a regular file; None when there is none."""
    dangling = dangling_link(tasks_file)
    if dangling is not None:
        raise dangling
    try:
        st = os.stat(tasks_file)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _cannot_create(tasks_file, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise not_regular(tasks_file, st.st_mode)
    return InitResult(tasks_file, created=False)


def _cannot_create(tasks_file: Path, reason: str) -> DataError:
    return DataError(f"cannot create {tasks_file}: {reason}")
