"""Files that are not what they seem: a tasks file that is (or links to) a FIFO, a device,
a socket or nothing; a read-only file; a lock file that is a folder; a folder on the
way that may not be searched; and what a write leaves (owner, group, mode, umask).

Each is refused at once with exit 4 and one line naming the file, by reads, writes and
`tasks undo` alike, and nothing is created or changed. Every case runs the real
`taskctl` as a process (with a timeout: without the fix, a FIFO hangs for ever).
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from taskctl.core.fs import now_iso
from taskctl.core.project import init_project
from tests.cli_process import (
    Run,
    assert_refused,
    document,
    make_project,
    ok,
    task,
    taskctl,
    tasks_file,
)

GOOD = document(task(1), task(2))
# A read, a write and an undo: every way a command opens the tasks file.
COMMANDS = [("tasks", "list"), ("tasks", "add", "x"), ("tasks", "undo")]
LOCK = ".tasks.json.taskctl-lock"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with two tasks and one write behind it (so `tasks undo` has a backup)."""
    root = make_project(tmp_path / "proj", GOOD)
    ok(root, "tasks", "add", "third")
    return root


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _run(root: Path, *args: str, **kwargs: str) -> Run:
    return taskctl(root, *args, timeout=20, env=dict(kwargs))


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path: a socket's path must fit in 108 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="tc", dir="/tmp"))
    yield folder
    shutil.rmtree(folder)


@pytest.mark.parametrize(
    "kind", ["fifo", "link-to-a-fifo", "link-to-dev-null", "link-to-a-socket", "link-to-a-folder"]
)
def test_tasks_file_that_is_not_a_regular_file_is_refused_at_once(
    root: Path, short_dir: Path, kind: str
) -> None:
    path = tasks_file(root)
    path.unlink()
    needle = "is a FIFO (named pipe), not a tasks file"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-a-fifo":
        os.mkfifo(short_dir / "pipe")
        path.symlink_to(short_dir / "pipe")
    elif kind == "link-to-dev-null":
        path.symlink_to("/dev/null")
        needle = "(a link to /dev/null) is a character device, not a tasks file"
    elif kind == "link-to-a-socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(short_dir / "sock"))
        path.symlink_to(short_dir / "sock")
        needle = "is a socket, not a tasks file"
    else:
        path.symlink_to(short_dir)
        needle = "is a folder, not a tasks file"
    listing = _listing(path.parent)
    outside = _listing(short_dir)
    for args in COMMANDS:
        assert_refused(_run(root, *args), 4, str(path), needle)
    assert _listing(path.parent) == listing
    assert _listing(short_dir) == outside  # no lock or temp file beside the link's target
    if kind == "fifo":
        assert stat.S_ISFIFO(path.lstat().st_mode)


@pytest.mark.parametrize("where", ["tasks-file", "its-folder"])
def test_a_link_to_nothing_is_refused_and_nothing_is_made_through_it(
    tmp_path: Path, where: str
) -> None:
    root = make_project(tmp_path / "proj")
    path = tasks_file(root)
    outside = tmp_path / "elsewhere" / "deep"
    link = path if where == "tasks-file" else path.parent
    if where == "its-folder":
        path.parent.rmdir()
    link.symlink_to(outside)
    needle = f"{link} is a link to {outside}, which does not exist"
    for args in COMMANDS:
        assert_refused(_run(root, *args), 4, needle)
    assert_refused(taskctl(None, "init", str(root)), 4, needle)
    assert not (tmp_path / "elsewhere").exists()
    assert link.is_symlink()


def test_read_only_tasks_file_is_refused_not_replaced(root: Path) -> None:
    path = tasks_file(root)
    path.chmod(0o444)
    before = path.read_bytes()
    history = ok(root, "tasks", "history", "--json").json()
    for args in (("tasks", "add", "x"), ("tasks", "update", "1", "-s", "done"), ("tasks", "undo")):
        run = _run(root, *args)
        assert_refused(run, 4, f"{path} is read-only (mode 0444)", f"`chmod u+w {path}`")
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert ok(root, "tasks", "history", "--json").json() == history
    assert len(ok(root, "tasks", "list", "--json").json()) == 3  # reading still works


def test_lock_file_that_is_a_folder_is_refused(root: Path) -> None:
    path = tasks_file(root)
    lock = path.parent / LOCK
    lock.unlink()
    lock.mkdir()
    before = path.read_bytes()
    for args in COMMANDS[1:]:
        assert_refused(_run(root, *args), 4, f"{lock} is a folder, not a lock file")
    assert path.read_bytes() == before


def _assert_permission_refused(run: Run, path: Path) -> None:
    assert run.returncode == 4, run
    assert "Traceback" not in run.stderr, run
    (line,) = run.stderr.splitlines()
    assert line.startswith("error: "), run
    assert str(path) in line, run
    assert "permission denied" in line.lower(), run


def test_a_folder_on_the_way_that_cannot_be_searched_injected(root: Path) -> None:
    """`.taskmaster/tasks` without its x bit (injected: root may search any folder)."""
    path = tasks_file(root)
    before = path.read_bytes()
    env = {"FAULT_FOLDER": str(path.parent)}
    for args in (*COMMANDS, ("tasks", "update", "1", "-s", "done"), ("tasks", "history")):
        run = taskctl(root, *args, fault="unsearchable_folder", env=env)
        _assert_permission_refused(run, path)
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes; the injected twin runs")
def test_a_folder_on_the_way_that_cannot_be_searched_for_real(root: Path) -> None:
    path = tasks_file(root)
    path.parent.chmod(0o600)
    try:
        for args in COMMANDS:
            _assert_permission_refused(_run(root, *args), path)
    finally:
        path.parent.chmod(0o755)


# --------------------------------------------------------------------------- what a write leaves

OTHER_UID, OTHER_GID = 4242, 4343


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_root_writing_a_users_project_leaves_the_users_files_the_users(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", GOOD)
    path = tasks_file(root)
    path.chmod(0o640)
    os.chown(path, OTHER_UID, OTHER_GID)
    ok(root, "tasks", "add", "by root")
    ok(root, "tasks", "undo")
    made = [path, path.parent / LOCK, path.parent / "backups"]
    made += (path.parent / "backups").iterdir()
    for item in made:
        st = item.stat()
        assert (st.st_uid, st.st_gid) == (OTHER_UID, OTHER_GID), item
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_files_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)  # inherited by the taskctl processes
    try:
        root = tmp_path / "proj"
        path = init_project(root, clock=now_iso).path
        ok(root, "tasks", "add", "x")
        ok(root, "config", "set", "tasks.sort", "status", "--project")
    finally:
        os.umask(old)
    backups = path.parent / "backups"
    for item in (path, path.parent / LOCK, root / ".taskctl.toml", *backups.iterdir()):
        assert stat.S_IMODE(item.stat().st_mode) == 0o600, item
