"""Previous versions of a tasks file, kept before every write, and undo.

Each write keeps the version it replaces as `backups/NNNNNN-<name>` beside the tasks
file, with a small `.meta` file saying when and by which command it was replaced. The
backup is a hard link to the old file (the write renames a new file over the name,
so the old inode is never changed again): keeping it costs no copy. Only the newest
`storage.backups` versions are kept.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import msgspec

from taskctl.core.errors import NotFoundError, TaskctlError
from taskctl.core.fs import Clock, atomic_write, new_file_mode, read_regular

BACKUP_DIR = "backups"


class Backup(msgspec.Struct, kw_only=True):
    id: int
    time: str
    command: str
    size: int
    file: str


_META_DECODER = msgspec.json.Decoder(Backup)


def backup_dir(target: Path) -> Path:
    return target.parent / BACKUP_DIR


def _meta_path(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".meta")


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def list_backups(target: Path) -> list[Backup]:
    """Every kept version of `target`, newest first. Unreadable entries are skipped.

    A backup that is still the same file as `target` (a hard link to it) was kept for a
    write that never replaced the file: the write failed or its process was killed. It
    is not a version to go back to, so it is skipped, and the next write reuses its id.
    """
    folder = backup_dir(target)
    suffix = f"-{target.name}.meta"
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    current = _inode(target)
    for entry in entries:
        if not entry.name.endswith(suffix):
            continue
        with contextlib.suppress(OSError, msgspec.DecodeError, TaskctlError):
            meta = _META_DECODER.decode(read_regular(Path(entry.path), "a backup's metadata")[0])
            kept = _inode(folder / meta.file)
            if kept is not None and kept != current:
                found.append(meta)
    found.sort(key=lambda b: b.id, reverse=True)
    return found


def keep_backup(target: Path, command: str, *, keep: int, clock: Clock) -> Backup | None:
    """Keep the current `target` as the newest backup, replaced at `clock`'s time;
    prune to `keep` versions.

    Raises OSError when the backup cannot be written: the caller must then not write.
    """
    if keep <= 0 or not target.exists():
        return None
    owner = os.stat(target)
    folder = backup_dir(target)
    _make_folder(folder, owner)
    existing = list_backups(target)
    next_id = (existing[0].id + 1) if existing else 1
    name = f"{next_id:06d}-{target.name}"
    data_path = folder / name
    with contextlib.suppress(FileNotFoundError):
        data_path.unlink()  # a half-made backup from a crash
    try:
        os.link(target, data_path)
    except OSError:
        import shutil  # noqa: PLC0415 - 4 ms of imports (bz2, lzma), for this fallback only

        shutil.copy2(target, data_path)  # file systems without hard links
    meta = Backup(
        id=next_id,
        time=clock(),
        command=command,
        size=data_path.stat().st_size,
        file=name,
    )
    atomic_write(
        _meta_path(data_path), msgspec.json.encode(meta), mode=new_file_mode(), owner=owner
    )
    _prune(folder, target, [meta, *existing][:keep])
    return meta


def _make_folder(folder: Path, owner: os.stat_result) -> None:
    """Create `folder` (if missing) with the owner and group of the file it backs up:
    root writing a user's project must not leave a folder the user cannot write."""
    try:
        folder.mkdir()
    except FileExistsError:
        return
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.chown
        if (owner.st_uid, owner.st_gid) != (os.geteuid(), os.getegid()):
            os.chown(folder, owner.st_uid, owner.st_gid)


def _prune(folder: Path, target: Path, kept: list[Backup]) -> None:
    """Remove every file of `target`'s backups but the `kept` ones: the older versions,
    and whatever a killed writer left (a version without metadata, half a prune, the
    temp file of a metadata file), so that the folder never grows without bound."""
    keep = {name for b in kept for name in (b.file, _meta_path(Path(b.file)).name)}
    ours = re.compile(rf"\.?[0-9]{{6}}-{re.escape(target.name)}(\.meta)?(\.taskctl-tmp-.*)?")
    for entry in os.scandir(folder):
        if entry.name not in keep and ours.fullmatch(entry.name):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


def find_backup(target: Path, backup_id: int | None) -> Backup:
    """The backup to restore: the newest, or the one with `backup_id`."""
    backups = list_backups(target)
    if not backups:
        raise NotFoundError(
            f"no backups of {target} to restore",
            hint="backups are kept from the first write on (storage.backups)",
        )
    if backup_id is None:
        return backups[0]
    for backup in backups:
        if backup.id == backup_id:
            return backup
    ids = ", ".join(str(b.id) for b in backups)
    raise NotFoundError(
        f"no backup {backup_id} of {target} (kept: {ids})", hint="see `taskctl tasks history`"
    )


def backup_bytes(target: Path, backup: Backup) -> bytes:
    """The kept version's bytes; DataError when it is not a regular file (never blocks)."""
    return read_regular(backup_dir(target) / backup.file, "a backup")[0]
