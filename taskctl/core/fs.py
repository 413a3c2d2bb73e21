"""The file system under a tasks file: reading a regular file, writing atomically, the clock.

* `read_regular` opens a file without blocking and refuses anything but a regular file
  (a folder, a FIFO, a device, a socket) or a link to nothing, with a message that
  says what it is;
* `atomic_write` writes a temp file in the same folder (flush, fsync, `os.replace`,
  fsync of the folder), with the mode and owner asked for, so that a reader sees the
  old file or the new, never half; `clean_temp_files` removes what a killed writer left;
* `now_iso` is the real clock (`Clock`): the time stamps written into tasks files and
  backups come from a clock the caller passes, this one unless a test fixes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from taskctl.core.errors import DataError

# A clock returns the time stamp to write, in Task Master's form (`now_iso`).
Clock = Callable[[], str]

# The mark in the name of every temp file taskctl makes beside a file it writes.
TMP_MARK = ".taskctl-tmp-"


def now_iso() -> str:
    """A timestamp in Task Master's form: 2026-11-28T01:30:04.911Z."""
    from datetime import datetime, timezone  # noqa: PLC0415 - only writes stamp times (2 ms)

    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def stat_key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: Path, mode: int, what: str = "a tasks file") -> DataError:
    """The error for a `path` that is (or links to) a folder, a FIFO, a device or a socket."""
    link = ""
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.lstat(path).st_mode):
            link = f" (a link to {path.readlink()})"
    return DataError(
        f"{path}{link} is {_kind(mode)}, not {what}",
        hint="taskctl reads and writes only a regular file; move it away or fix the link",
    )


def _is_dangling(path: Path) -> bool:
    try:
        os.stat(path)
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        pass
    return False


def dangling_link(path: Path) -> DataError | None:
    """The error for a `path` (or a folder on its way) that is a link to nothing."""
    for entry in (path, *path.parents):
        if _is_dangling(entry):
            return DataError(
                f"{entry} is a link to {entry.readlink()}, which does not exist",
                hint="fix or remove the link; taskctl never creates a file through one",
            )
    return None


def read_regular(path: Path, what: str = "a tasks file") -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at `path` (a link is followed) and its stat.

    Opened without blocking (a FIFO's open would wait for a writer for ever) and checked
    on the open descriptor before a byte is read (a link to /dev/zero never ends), so
    nothing can be swapped in between the check and the read. FileNotFoundError when
    there is no file (and no dangling link); DataError for anything but a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    except FileNotFoundError:
        dangling = dangling_link(path)
        if dangling is not None:
            raise dangling from None
        raise
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket cannot be opened
            with contextlib.suppress(OSError):
                raise not_regular(path, os.stat(path).st_mode, what) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise not_regular(path, st.st_mode, what)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(), st


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """The mode of a new file: 0666 less the process's umask, as `open(2)` makes it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def give_owner(fd: int, owner: os.stat_result) -> None:
    """Give the open file `fd` the owner and group of `owner` (another file's stat).

    Root editing a user's project leaves the user's files the user's. Without the right
    to (a user who may write the folder but is not the file's owner), the group alone
    is tried, then nothing: the file is the writer's, as with any editor.
    """
    fchown = getattr(os, "fchown", None)  # POSIX only
    st = os.fstat(fd)
    if fchown is None or (st.st_uid, st.st_gid) == (owner.st_uid, owner.st_gid):
        return
    for uid in (owner.st_uid, -1):
        try:
            fchown(fd, uid, owner.st_gid)
        except PermissionError:
            continue
        return


def atomic_write(
    target: Path,
    data: bytes | Sequence[bytes | memoryview],
    *,
    mode: int | None = None,
    owner: os.stat_result | None = None,
) -> None:
    """Write `data` to `target` so that a reader sees the old file or the new, never half.

    Temp file in the same folder, flush and fsync, rename over the target, fsync the
    folder. On any failure the temp file is removed and the target is untouched. The
    new file gets `mode` exactly, and `owner`'s owner and group where allowed.
    """
    folder = target.parent
    tmp = folder / f".{target.name}{TMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600 if mode is None else mode)
        try:
            if owner is not None:
                give_owner(fd, owner)  # before fchmod: a chown may clear set-id bits
            if mode is not None:
                os.fchmod(fd, mode)
            for part in [data] if isinstance(data, bytes) else data:
                view = memoryview(part)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(folder)


def clean_temp_files(target: Path) -> list[Path]:
    """Remove temp files left by writers that crashed (call only under the lock)."""
    removed = []
    prefix = f".{target.name}{TMP_MARK}"
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(target.parent):
            if entry.name.startswith(prefix):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def io_error(action: str, path: Path, exc: OSError) -> DataError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    return DataError(
        f"cannot {action} {path}: {reason}; the file was left unchanged",
        hint="free space or fix permissions, then run the command again",
    )
