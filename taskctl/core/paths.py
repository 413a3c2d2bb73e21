"""Where taskctl's data lives: project discovery and the personal store."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from taskctl.core.errors import NotFoundError

APP_NAME = "taskctl"
TASKMASTER_DIR = ".taskmaster"
PROJECT_CONFIG = ".taskctl.toml"
PROJECT_ENV_VAR = "TASKCTL_PROJECT"


class Location(msgspec.Struct, frozen=True, kw_only=True):
    """Where one command's tasks live.

    `root` is the project root, or None for the personal store outside any project.
    """

    root: Path | None
    tasks_file: Path
    state_file: Path | None


def find_project_root(start: Path) -> Path | None:
    """The nearest ancestor of `start` holding `.taskmaster/` or `.taskctl.toml`."""
    for folder in (start, *start.parents):
        if (folder / TASKMASTER_DIR).is_dir() or (folder / PROJECT_CONFIG).is_file():
            return folder
    return None


def tasks_file_for(root: Path) -> Path:
    """`.taskmaster/tasks/tasks.json`, or a legacy `tasks/tasks.json` where only that exists."""
    modern = root / TASKMASTER_DIR / "tasks" / "tasks.json"
    legacy = root / "tasks" / "tasks.json"
    if not modern.exists() and legacy.exists():
        return legacy
    return modern


def user_data_dir() -> Path:
    import platformdirs  # noqa: PLC0415 - only paid for by the commands that need it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def personal_tasks_file() -> Path:
    return user_data_dir() / "tasks.json"


def resolve_project(
    override: str | os.PathLike[str] | None, cwd: Path | None = None
) -> Path | None:
    """The project root: `--project`, else `TASKCTL_PROJECT`, else a search upwards.

    An explicit project that does not exist is an error, never a silent fallback.
    """
    explicit = override if override is not None else os.environ.get(PROJECT_ENV_VAR) or None
    if explicit is not None:
        root = Path(explicit).expanduser()
        if not root.is_dir():
            source = "--project" if override is not None else PROJECT_ENV_VAR
            raise NotFoundError(
                f"project folder {root} (from {source}) does not exist",
                hint="create it with `taskctl init DIR` or correct the path",
            )
        return root.resolve()
    return find_project_root(cwd or Path.cwd())


def locate(override: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Location:
    root = resolve_project(override, cwd)
    if root is None:
        return Location(root=None, tasks_file=personal_tasks_file(), state_file=None)
    return Location(
        root=root,
        tasks_file=tasks_file_for(root),
        state_file=root / TASKMASTER_DIR / "state.json",
    )
