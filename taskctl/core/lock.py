"""The write lock: taskctl's own, and Task Master's `tasks.json.lock` beside it.

taskctl processes exclude each other with `flock(2)` (portalocker on Windows) on a
sidecar file that is never deleted; while holding it, a write of a tasks file also
creates Task Master's lock file, as Task Master does, so that neither tool writes
while the other is. `file_lock` is the same lock for any other file taskctl rewrites.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: portalocker locks there (see _try_lock)
    fcntl = None  # type: ignore[assignment]

from taskctl.core.errors import DataError, LockTimeoutError
from taskctl.core.fs import O_CLOEXEC, O_NONBLOCK, TMP_MARK, give_owner, not_regular, read_regular

# Task Master's own lock: a file named `<tasks file>.lock`, stale after 10 s.
TASKMASTER_LOCK_STALE_SECONDS = 10.0
_TASKCTL_LOCK_MARK = b'"tool": "taskctl"'


def _try_lock(fh: Any) -> bool:
    """Take the exclusive lock on open file `fh` if no other process holds it.

    On POSIX the lock is flock(2), made here directly. It is the call portalocker
    makes there (its default LOCKER is `fcntl.flock`, with the same flags), so
    taskctl processes exclude each other and any portalocker user of the file
    whichever made the call; importing portalocker only to make it cost every write
    26 to 50 ms, most of it `importlib.metadata` reading portalocker's own version.
    Elsewhere (Windows) portalocker locks the file. As portalocker's own errors did,
    any failure to lock counts as "held" and is retried until the timeout.
    """
    if fcntl is not None:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (OSError, EOFError):  # EOFError: what some NFS clients raise
            return False
        return True
    import portalocker  # noqa: PLC0415 - Windows: msvcrt locking, through portalocker

    try:
        portalocker.lock(fh, portalocker.LOCK_EX | portalocker.LOCK_NB)
    except portalocker.exceptions.LockException:
        return False
    return True


class Lock:
    """taskctl's exclusive lock, plus Task Master's `<file>.lock` protocol.

    taskctl processes serialise on an exclusive lock (`_try_lock`) on a sidecar file
    that is never deleted (deleting a lock file races with its next user). While holding it, taskctl
    also creates Task Master's `tasks.json.lock` exclusively, as Task Master does, so
    that neither tool writes while the other is; a Task Master lock older than 10 s is
    stale, as in Task Master, and is removed.
    """

    def __init__(
        self,
        target: Path,
        timeout: float,
        *,
        taskmaster: bool = True,
        sidecar: Path | None = None,
    ) -> None:
        self.target = target
        self.timeout = timeout
        self.taskmaster = taskmaster  # also take Task Master's lock (tasks files only)
        self.sidecar = sidecar or target.with_name(f".{target.name}.taskctl-lock")
        self.tm_lock = target.with_name(f"{target.name}.lock")
        self._fh: Any = None
        self._own_tm_lock = False

    def __enter__(self) -> Lock:
        deadline = time.monotonic() + self.timeout
        self._fh = _open_lock_file(self.sidecar, self.target)
        try:
            self._take_own_lock(deadline)
            if self.taskmaster:
                self._take_taskmaster_lock(deadline)
        except BaseException:
            self._release()
            raise
        return self

    def _take_own_lock(self, deadline: float) -> None:
        while not _try_lock(self._fh):
            if time.monotonic() >= deadline:
                raise LockTimeoutError(
                    f"{self.target} is locked by another taskctl process;"
                    f" gave up after {self.timeout:g} s",
                    hint="try again, or raise storage.lock_timeout",
                )
            import random  # noqa: PLC0415 - only a wait for the lock needs it

            time.sleep(random.uniform(0.005, 0.03))  # noqa: S311 - jitter, not crypto

    def _take_taskmaster_lock(self, deadline: float) -> None:
        # The lock file is written with its content first, then linked into place:
        # exclusive like O_EXCL, and a taskctl killed at any moment never leaves an
        # empty lock, which would look like Task Master's and hold the next writer up.
        content = f'{{"pid": {os.getpid()}, {_TASKCTL_LOCK_MARK.decode()}}}'.encode()
        staged = self.target.with_name(f".{self.target.name}{TMP_MARK}lock-{os.getpid()}")
        staged.write_bytes(content)
        try:
            while not self._place_taskmaster_lock(staged, content):
                try:
                    age = time.time() - self.tm_lock.stat().st_mtime
                except FileNotFoundError:
                    continue
                if age > TASKMASTER_LOCK_STALE_SECONDS or _left_by_taskctl(self.tm_lock):
                    _remove_stale(self.tm_lock)
                    continue
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"{self.target} is being written by Task Master ({self.tm_lock} exists);"
                        f" gave up after {self.timeout:g} s",
                        hint=f"try again; remove {self.tm_lock} only if no Task Master runs",
                    ) from None
                time.sleep(0.02)
        finally:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
        self._own_tm_lock = True

    def _place_taskmaster_lock(self, staged: Path, content: bytes) -> bool:
        """Create Task Master's lock file; False when it exists already."""
        try:
            os.link(staged, self.tm_lock)
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system: create, then fill
            try:
                fd = os.open(self.tm_lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        return True

    def _release(self) -> None:
        if self._own_tm_lock:
            with contextlib.suppress(FileNotFoundError):
                self.tm_lock.unlink()
            self._own_tm_lock = False
        if self._fh is not None:
            self._fh.close()  # closing the file releases the lock
            self._fh = None

    def __exit__(self, *exc: object) -> None:
        self._release()


def _open_lock_file(sidecar: Path, target: Path) -> Any:
    """The sidecar lock file, opened for locking (created if missing, never emptied).

    Not blocking on a FIFO, refused when it is anything but a regular file, and given
    the owner of the file it locks where taskctl may do so: a lock file root created
    in a user's project would lock the user out of it.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | O_NONBLOCK | O_CLOEXEC
    try:
        fd = os.open(sidecar, flags, 0o666)
    except IsADirectoryError:
        raise not_regular(sidecar, stat.S_IFDIR, "a lock file") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise not_regular(sidecar, mode, "a lock file")
    with contextlib.suppress(OSError):
        give_owner(fd, os.stat(target))
    return os.fdopen(fd, "a+b")


def file_lock(
    target: Path, sidecar: Path, timeout: float = 10.0
) -> contextlib.AbstractContextManager[Any]:
    """taskctl's exclusive lock on any file it rewrites (a config file, say), held on
    `sidecar`: the same lock as for tasks files, without Task Master's protocol."""
    sidecar.parent.mkdir(parents=True, exist_ok=True)
    return Lock(target, timeout, taskmaster=False, sidecar=sidecar)


def _left_by_taskctl(lock: Path) -> bool:
    """A Task Master lock that taskctl wrote: found while holding taskctl's own lock,
    its writer is gone (killed before it could remove it), so it is stale now."""
    try:
        return _TASKCTL_LOCK_MARK in read_regular(lock, "a lock file")[0]
    except (OSError, DataError):  # a folder (proper-lockfile's), or already gone
        return False


def _remove_stale(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()
