"""Where taskctl's data lives: project discovery and the personal store."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import msgspec

from taskctl.core.errors import NotFoundError, UnsafeProjectError

APP_NAME = "taskctl"
TASKMASTER_DIR = ".taskmaster"
PROJECT_CONFIG = ".taskctl.toml"
# Task Master before 0.16: this file at the root, the tasks in tasks/tasks.json.
LEGACY_CONFIG = ".taskmasterconfig"
PROJECT_ENV_VAR = "TASKCTL_PROJECT"
SAFE_DIRECTORIES_KEY = "security.safe_directories"


class Location(msgspec.Struct, frozen=True, kw_only=True):
    """Where one command's tasks live.

    `root` is the project root, or None for the personal store outside any project.
    """

    root: Path | None
    tasks_file: Path
    state_file: Path | None


def _mode(path: Path) -> int | None:
    """`path`'s file type bits (a link followed); None when it cannot be seen."""
    try:
        return os.stat(path).st_mode
    except OSError:  # missing, or a folder on the way that may not be searched
        return None


def _is(path: Path, test: Callable[[int], bool]) -> bool:
    mode = _mode(path)
    return mode is not None and test(mode)


def find_project_root(start: Path) -> Path | None:
    """The nearest ancestor of `start` holding `.taskmaster/`, `.taskctl.toml` or Task
    Master's legacy `.taskmasterconfig`."""
    for folder in (start, *start.parents):
        if (
            _is(folder / TASKMASTER_DIR, stat.S_ISDIR)
            or _is(folder / PROJECT_CONFIG, stat.S_ISREG)
            or _is(folder / LEGACY_CONFIG, stat.S_ISREG)
        ):
            return folder
    return None


def tasks_file_for(root: Path) -> Path:
    """`.taskmaster/tasks/tasks.json`, or a legacy `tasks/tasks.json` where only that exists."""
    modern = root / TASKMASTER_DIR / "tasks" / "tasks.json"
    legacy = root / "tasks" / "tasks.json"
    if _absent(modern) and not _absent(legacy):
        return legacy
    return modern


def _absent(path: Path) -> bool:
    """Nothing at all at `path`: not a link to nothing, nor behind a folder that may
    not be searched (the read then says why it cannot be read)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


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


def user_dir(kind: Literal["config", "data", "cache"], environ: Mapping[str, str]) -> Path:
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


def site_config_dir(environ: Mapping[str, str]) -> Path:
    """taskctl's system-wide configuration folder, where platformdirs puts it: on Linux
    the first absolute entry of `$XDG_CONFIG_DIRS`, else `/etc/xdg`, then `taskctl`."""
    if _plain_linux_home(environ) is None:
        import platformdirs  # noqa: PLC0415

        return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))
    folders = [f for f in environ.get("XDG_CONFIG_DIRS", "").split(os.pathsep) if f.startswith("/")]
    return Path(folders[0] if folders else "/etc/xdg") / APP_NAME


def user_data_dir(environ: Mapping[str, str]) -> Path:
    return user_dir("data", environ)


def personal_tasks_file(environ: Mapping[str, str]) -> Path:
    return user_data_dir(environ) / "tasks.json"


# --------------------------------------------------------------------------- ownership


def _your_uids(environ: Mapping[str, str]) -> set[int] | None:
    """The owners whose folders are yours: your effective uid, and for root run through
    sudo also the user who ran it (as git allows). None where there are no uids."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:  # Windows: owners are SIDs; no check there
        return None
    euid: int = geteuid()
    sudo_uid = environ.get("SUDO_UID", "")
    if euid == 0 and sudo_uid.isascii() and sudo_uid.isdigit():
        return {euid, int(sudo_uid)}
    return {euid}


def foreign_owner(root: Path, environ: Mapping[str, str]) -> tuple[Path, int] | None:
    """The first of the project folder and its markers (`.taskmaster/`, `.taskctl.toml`,
    `.taskmasterconfig`) owned by someone else, with that owner's uid; None when all
    are yours."""
    yours = _your_uids(environ)
    if yours is None:
        return None
    for path in (root, *(root / name for name in (TASKMASTER_DIR, PROJECT_CONFIG, LEGACY_CONFIG))):
        try:
            uid = os.lstat(path).st_uid
        except OSError:
            continue
        if uid not in yours:
            return path, uid
    return None


def _expand(entry: str, environ: Mapping[str, str]) -> str:
    home = environ.get("HOME", "")
    if home and (entry == "~" or entry.startswith("~/")):
        entry = home + entry[1:]
    return os.path.realpath(entry)


def is_safe_directory(root: Path, entries: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Whether `security.safe_directories` allows `root`: `*` allows every folder,
    `DIR/*` every folder under DIR, a path that one folder."""
    real = os.path.realpath(root)
    for entry in entries:
        if entry == "*":
            return True
        if entry.endswith(("/*", os.sep + "*")):
            parent = _expand(entry[:-2] or os.sep, environ)
            if os.path.commonpath([parent, real]) == parent and real != parent:
                return True
        elif _expand(entry, environ) == real:
            return True
    return False


def check_ownership(
    root: Path, environ: Mapping[str, str], safe_directories: Callable[[], Sequence[str]]
) -> None:
    """Refuse a project found by the search that belongs to someone else, as git refuses
    a repository of dubious ownership: a `.taskmaster/` left in a shared folder (`/tmp`)
    would otherwise take every user's tasks, and its `.taskctl.toml` decide their
    backups. `safe_directories` is asked only then, and must come from sources the
    project cannot write (never its own `.taskctl.toml` or `.env`)."""
    found = foreign_owner(root, environ)
    if found is None or is_safe_directory(root, safe_directories(), environ):
        return
    path, uid = found
    raise UnsafeProjectError(
        f"{path} is owned by another user (uid {uid}), so taskctl does not use {root}"
        " as your project",
        hint=(
            f"if you trust it: `taskctl config set {SAFE_DIRECTORIES_KEY} {root} --user`,"
            f" TASKCTL_SECURITY_SAFE_DIRECTORIES={root}, or --project {root}"
        ),
    )


# --------------------------------------------------------------------------- the project


def resolve_project(
    override: str | os.PathLike[str] | None,
    cwd: Path | None = None,
    *,
    environ: Mapping[str, str],
    safe_directories: Callable[[], Sequence[str]] = tuple,
) -> Path | None:
    """The project root: `--project`, else `TASKCTL_PROJECT`, else a search upwards.

    An explicit project that does not exist is an error, never a silent fallback. A
    project named explicitly is trusted; one found by the search must be yours or
    allowed by `safe_directories` (see `check_ownership`).
    """
    explicit = override if override is not None else environ.get(PROJECT_ENV_VAR) or None
    if explicit is not None:
        root = Path(explicit).expanduser()
        if not root.is_dir():
            source = "--project" if override is not None else PROJECT_ENV_VAR
            raise NotFoundError(
                f"project folder {root} (from {source}) does not exist",
                hint="create it with `taskctl init DIR` or correct the path",
            )
        return root.resolve()
    found = find_project_root(cwd or Path.cwd())
    if found is not None:
        check_ownership(found, environ, safe_directories)
    return found


def locate(
    override: str | os.PathLike[str] | None = None,
    cwd: Path | None = None,
    *,
    environ: Mapping[str, str],
    safe_directories: Callable[[], Sequence[str]] = tuple,
) -> Location:
    """Where the command's tasks are (see `resolve_project`), else the personal list."""
    root = resolve_project(override, cwd, environ=environ, safe_directories=safe_directories)
    if root is None:
        return Location(root=None, tasks_file=personal_tasks_file(environ), state_file=None)
    return Location(
        root=root,
        tasks_file=tasks_file_for(root),
        state_file=root / TASKMASTER_DIR / "state.json",
    )
