"""Failures injected into a real `taskctl` process, for the cases root cannot cause.

The tests run as root in CI, where `chmod` does not make a file unreadable or a folder
read-only, and no test may fill a real disk. So a test starts taskctl through
`tests.cli_process.taskctl(..., fault=NAME)`, which installs one of these faults before
`taskctl.cli.app.main()` runs. Each fault replaces an `os`/`io` function with one that
fails the way the kernel would, and only for the paths the fault is about; everything
else (the lock, the other files, the error boundary) is the real code.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import pathlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

TMP_MARK = ".taskctl-tmp-"


def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:  # no /proc: treat every descriptor as the one the fault is about
        return TMP_MARK


def _no_space() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _denied(path: object) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def disk_full_mid_write() -> None:
    """The disk fills up while the new tasks file is being written: half of the data
    goes in, then ENOSPC (backups are hard links and cost no space)."""
    real = os.write

    def write(fd: int, data: Any) -> int:
        path = _fd_path(fd)
        if TMP_MARK in path and "/backups/" not in path:
            half = len(data) // 2
            if half:
                real(fd, bytes(data[:half]))
            raise _no_space()
        return real(fd, data)

    os.write = write


def disk_full_at_fsync() -> None:
    """ENOSPC reported by fsync of the new file (delayed allocation, as on ext4)."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if TMP_MARK in _fd_path(fd) and "/backups/" not in _fd_path(fd):
            raise _no_space()
        real(fd)

    os.fsync = fsync


def disk_full_in_backups() -> None:
    """The backup's metadata cannot be written: the write must not happen either."""
    real = os.write

    def write(fd: int, data: Any) -> int:
        if "/backups/" in _fd_path(fd):
            raise _no_space()
        return real(fd, data)

    os.write = write


def _patch(name: str, replacement: Callable[..., Any]) -> None:
    """Replace `os.<name>`, and Python 3.10's pathlib accessor, which bound it at import."""
    setattr(os, name, replacement)
    accessor = getattr(pathlib, "_NormalAccessor", None)
    if accessor is not None and hasattr(accessor, name):
        setattr(accessor, name, staticmethod(replacement))


def _patch_open(replacement: Callable[..., Any]) -> None:
    io.open = builtins.open = replacement  # type: ignore[assignment]
    accessor = getattr(pathlib, "_NormalAccessor", None)
    if accessor is not None and hasattr(accessor, "open"):
        accessor.open = staticmethod(replacement)


def _tasks_file() -> Path:
    return Path(os.environ["FAULT_TASKS_FILE"])


def unreadable_file() -> None:
    """The tasks file exists but opening it for reading is denied (mode 000 as non-root)."""
    target = _tasks_file().resolve()

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, os.PathLike)) and Path(file).resolve() == target:
                raise _denied(file)
            return real(file, *args, **kwargs)

        return guarded

    _patch_open(guard(io.open))
    _patch("open", guard(os.open))


def read_only_folder() -> None:
    """The tasks file's folder is read-only (mode 555 as non-root): existing files can be
    read and rewritten in place, but no entry in the folder can be created, removed or
    renamed, and no subfolder made."""
    folder = _tasks_file().parent.resolve()

    def inside(path: Any) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().parent == folder
        except TypeError:  # a descriptor
            return False

    def creates(path: Any) -> bool:
        return inside(path) and not os.path.lexists(path)

    def deny_if(check: Callable[..., bool], real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if check(*args, **kwargs):
                raise _denied(args[0])
            return real(*args, **kwargs)

        return wrapper

    _patch(
        "open",
        deny_if(lambda path, flags, *a, **k: bool(flags & os.O_CREAT) and creates(path), os.open),
    )
    _patch_open(
        deny_if(
            lambda file, mode="r", *a, **k: any(c in mode for c in "wax") and creates(file), io.open
        )
    )
    for name in ("mkdir", "unlink", "remove", "rmdir"):
        _patch(name, deny_if(lambda path, *a, **k: inside(path), getattr(os, name)))
    for name in ("replace", "rename"):  # both folders change
        _patch(
            name, deny_if(lambda src, dst, *a, **k: inside(src) or inside(dst), getattr(os, name))
        )
    for name in ("link", "symlink"):  # only the folder of the new name changes
        _patch(name, deny_if(lambda src, dst, *a, **k: inside(dst), getattr(os, name)))


def unsearchable_folder() -> None:
    """FAULT_FOLDER may not be searched (mode 600 as non-root): nothing inside it can be
    looked up, opened, listed or created, though the folder itself is seen."""
    folder = os.path.abspath(os.environ["FAULT_FOLDER"])

    def inside(path: Any) -> bool:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return False  # a descriptor
        parent = os.path.dirname(os.path.abspath(os.fsdecode(path)))
        return parent == folder or parent.startswith(folder + os.sep)

    def deny(real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
            if inside(path):
                raise _denied(path)
            return real(path, *args, **kwargs)

        return wrapper

    for name in ("stat", "lstat", "open", "scandir", "listdir", "mkdir", "unlink", "readlink"):
        _patch(name, deny(getattr(os, name)))
    for name in ("replace", "rename", "link"):
        _patch(name, deny(getattr(os, name)))
    _patch_open(deny(io.open))


FAULTS: dict[str, Callable[[], None]] = {
    f.__name__: f
    for f in (
        disk_full_mid_write,
        disk_full_at_fsync,
        disk_full_in_backups,
        unreadable_file,
        read_only_folder,
        unsearchable_folder,
    )
}


def main() -> None:
    """`python -c 'from tests.faults import main; main()' FAULT [taskctl args...]`."""
    FAULTS[sys.argv.pop(1)]()
    sys.argv[0] = "taskctl"
    # The console script's own entry: the fast path for plain `tasks` commands, else typer.
    from taskctl.cli.entry import main as taskctl_main  # noqa: PLC0415 - after the fault

    taskctl_main()
