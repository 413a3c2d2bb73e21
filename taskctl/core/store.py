"""The one data access layer for tasks.json.

Every read and write of a tasks file goes through `Store`:

* reads decode the file once into raw JSON slices per tag, validate the tag a command
  uses with msgspec Structs, and are cached per `Store`, revalidated with one `stat`;
* writes hold one exclusive lock from before the read until after the rename, write a
  temp file in the same folder (flush, fsync, `os.replace`, fsync of the folder), keep
  the file's mode, keep the previous version as a backup, and never write over a file
  that failed to parse or validate.

The document is kept as raw JSON slices so that everything taskctl does not model,
and every tag or task a command did not touch, is written back unchanged. The output
keeps the file's layout (`Layout`): Task Master's 2-space indents and LF, which is
byte-identical to Task Master's own writer, or the 4 spaces, tabs, CRLF or single line
another tool left.

The parts it is made of: `document` (decoding, `Document`), `tagview` (`TagView`, the
splice), `layout`, `fs` (regular files, atomic writes, the clock), `lock` and
`backups`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from taskctl.core.document import Document, read_document
from taskctl.core.errors import DataError
from taskctl.core.fs import (
    Clock,
    atomic_write,
    clean_temp_files,
    dangling_link,
    io_error,
    new_file_mode,
    not_regular,
    now_iso,
    stat_key,
)

if TYPE_CHECKING:
    from taskctl.core.backups import Backup


class Store:
    """A tasks file and everything that reads or writes it.

    Within one process the parsed document is cached; each read revalidates it with a
    single `stat` (mtime_ns, size, inode). A write updates the cache.

    `clock` stamps the backups' times (and is the one the commands stamp changes
    with); `replaced` records every file a write replaced, so that the caller can
    tell a command whose change was written from one that wrote nothing.
    """

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = 10.0,
        backups: int = 10,
        clock: Clock = now_iso,
        replaced: list[Path] | None = None,
    ) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.backups = backups
        self.clock = clock
        self.replaced: list[Path] = [] if replaced is None else replaced
        self._cached: Document | None = None
        self._written: tuple[Sequence[bytes | memoryview], tuple[int, int, int]] | None = None

    # The file written is the symlink's target, so that a link stays a link.
    @property
    def target(self) -> Path:
        return self.path.resolve() if self.path.is_symlink() else self.path

    def read(self) -> Document:
        """The current document, from cache when the file has not changed."""
        written, self._written = self._written, None
        if written is not None and self._cached is None:
            self._cached = Document(self.path, b"".join(written[0]), written[1], quick=True)
        cached = self._cached
        if cached is not None:
            try:
                key: tuple[int, int, int] | None = stat_key(os.stat(self.path))
            except FileNotFoundError:
                key = None
            except OSError:
                key = (-1, -1, -1)
            if key == cached.stat_key and not cached.dirty:
                return cached
        document = read_document(self.path, quick=True)
        self._cached = document
        return document

    def _write_target(self) -> Path:
        """The file a write replaces (a link's target), checked before anything is made.

        Refused: a link to nothing (a write would create a file wherever it points),
        anything but a regular file, and a file without write permission for its owner.
        """
        dangling = dangling_link(self.path)
        if dangling is not None:
            raise dangling
        try:
            target = self.target
            st = os.stat(target)
        except FileNotFoundError:
            return self.target
        except OSError as exc:
            raise io_error("write", self.path, exc) from None
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(self.path, st.st_mode)
        if not st.st_mode & stat.S_IWUSR:
            raise DataError(
                f"{target} is read-only (mode {st.st_mode & 0o7777:04o}), so taskctl does not"
                " replace it; the file was left unchanged",
                hint=f"allow writes with `chmod u+w {target}`, then run the command again",
            )
        return target

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Path]:
        """Hold the write lock on the file; yields the path to write (a link's target)."""
        from taskctl.core.lock import Lock  # noqa: PLC0415 - writes only

        target = self._write_target()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise io_error("create the folder for", target, exc) from None
        try:
            lock = Lock(target, self.lock_timeout).__enter__()
        except OSError as exc:
            raise io_error("lock", target, exc) from None
        try:
            clean_temp_files(target)
            self._cached = None
            yield target
        finally:
            lock.__exit__(None, None, None)

    @contextlib.contextmanager
    def transaction(self, command: str) -> Iterator[Document]:
        """Lock, read fresh, let the caller change the document, then write it atomically.

        Nothing is written when the block raises or changes nothing.
        """
        with self._locked() as target:
            document = read_document(self.path)
            yield document
            if document.dirty:
                self._write(target, document.serialize_parts(), command, existed=document.exists)

    def restore(self, backup_id: int | None, command: str) -> Backup:
        """Put a kept version back (undo). The version it replaces is kept in turn,
        so an undo can itself be undone."""
        from taskctl.core.backups import backup_bytes, find_backup  # noqa: PLC0415 - undo only

        with self._locked() as target:
            backup = find_backup(target, backup_id)
            try:
                data = backup_bytes(target, backup)
            except OSError as exc:
                raise io_error("read the backup of", target, exc) from None
            restored = Document(self.path, data, (0, 0, 0))
            for name in restored.tag_names:
                restored.tag(name)  # never restore a version that fails validation
            self._write(target, data, command, existed=target.exists())
            return backup

    def _write(
        self,
        target: Path,
        data: bytes | Sequence[bytes | memoryview],
        command: str,
        *,
        existed: bool,
    ) -> None:
        old = None
        if existed:
            with contextlib.suppress(FileNotFoundError):
                old = os.stat(target)
        mode = new_file_mode() if old is None else old.st_mode & 0o7777
        try:
            if existed:
                from taskctl.core.backups import keep_backup  # noqa: PLC0415 - writes only

                keep_backup(target, command, keep=self.backups, clock=self.clock)
            atomic_write(target, data, mode=mode, owner=old)
        except OSError as exc:
            raise io_error("write", target, exc) from None
        self.replaced.append(target)
        # A write updates the cache: parsed on the next read, not now (most CLI
        # processes exit right after writing).
        try:
            parts = [data] if isinstance(data, bytes) else data
            self._written = (parts, stat_key(os.stat(self.path)))
        except OSError:
            self._written = None
        self._cached = None

    def history(self) -> list[Backup]:
        from taskctl.core.backups import list_backups  # noqa: PLC0415 - history only

        try:
            return list_backups(self.target)
        except OSError as exc:
            reason = exc.strerror or exc
            raise DataError(f"cannot read the backups of {self.path}: {reason}") from None
