"""Where taskctl's data lives: project discovery and the personal store."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

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


# Per-user folders on Linux: the XDG variable, else this folder under HOME.
_XDG_USER_DIRS = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


def _plain_linux_home(environ: Mapping[str, str]) -> str | None:
    """HOME, where platformdirs' rule is the plain XDG one: Linux, not Android, an
    absolute HOME. None elsewhere, and platformdirs decides."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    if "ANDROID_DATA" in environ or "ANDROID_ROOT" in environ:
        return None
    home = environ.get("HOME", "")
    return home if home.startswith("/") else None


def user_dir(
    kind: Literal["config", "data", "cache"], environ: Mapping[str, str] = os.environ
) -> Path:
    """taskctl's per-user folder of `kind`, where platformdirs puts it.

    On Linux that is the XDG rule: `$XDG_CONFIG_HOME` (`_DATA_`, `_CACHE_`) when it is
    an absolute path, else `~/.config` (`~/.local/share`, `~/.cache`), then `taskctl`.
    It is computed here without importing platformdirs, whose import (9 to 14 ms,
    with the tempfile and shutil it loads) every command that reads its
    configuration paid; tests/test_paths.py checks it against platformdirs.
    Elsewhere (macOS, Windows, Android) platformdirs answers.
    """
    home = _plain_linux_home(environ)
    if home is None:
        import platformdirs  # noqa: PLC0415

        folder = getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False)
        return Path(folder)
    variable, default = _XDG_USER_DIRS[kind]
    xdg = environ.get(variable, "")
    return Path(xdg if xdg.startswith("/") else f"{home.rstrip('/')}/{default}") / APP_NAME


def site_config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """taskctl's system-wide configuration folder, where platformdirs puts it: on Linux
    the first absolute entry of `$XDG_CONFIG_DIRS`, else `/etc/xdg`, then `taskctl`."""
    if _plain_linux_home(environ) is None:
        import platformdirs  # noqa: PLC0415

        return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))
    folders = [f for f in environ.get("XDG_CONFIG_DIRS", "").split(os.pathsep) if f.startswith("/")]
    return Path(folders[0] if folders else "/etc/xdg") / APP_NAME


def user_data_dir() -> Path:
    return user_dir("data")


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
