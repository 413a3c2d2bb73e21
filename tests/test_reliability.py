"""Reliability through the real CLI: many writers at once, a writer that holds the lock
too long, and backups with undo. Every command here is a separate `taskctl` process.

The crash loop (SIGKILL at random moments) is in tests/test_reliability_crash.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from taskctl.core.document import read_document
from tests.cli_process import (
    REPO,
    assert_refused,
    command,
    document,
    env_for,
    make_project,
    ok,
    task,
    taskctl,
    tasks_file,
)

WRITERS = 40
# Each writer imports taskctl, says so, and waits on stdin: the test releases all of
# them at once, so that they meet at the lock rather than one after the other.
_GATE = (
    "import sys\n"
    "from taskctl.cli.app import main\n"
    "print('ready', flush=True)\n"
    "sys.stdin.readline()\n"
    "sys.argv[0] = 'taskctl'\n"
    "main()\n"
)


def _run_together(argvs: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start every `taskctl ARGS` process, release them at once, return (code, out, err)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _GATE, *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env_for(),
            text=True,
        )
        for argv in argvs
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline() == "ready\n"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            results.append((proc.returncode, out, err))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _assert_clean_folder(root: Path) -> None:
    """No temp file and no Task Master lock left behind; backups bounded."""
    names = {p.name for p in tasks_file(root).parent.iterdir()}
    assert names <= {"tasks.json", ".tasks.json.taskctl-lock", "backups"}, names


@pytest.mark.slow
def test_concurrent_adds_lose_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document())
    # a generous timeout: a writer that waits too long must fail loudly (exit 5), and
    # this test is about lost writes, not about the speed of the machine
    base = ["--project", str(root), "-c", "storage.lock_timeout=120", "tasks", "add"]
    results = _run_together([[*base, f"writer {n}", "-q"] for n in range(WRITERS)])
    assert [code for code, _, _ in results] == [0] * WRITERS, results
    assert all(err == "" for _, _, err in results), results
    printed = sorted(int(out) for _, out, _ in results)
    assert printed == list(range(1, WRITERS + 1))  # unique ids, none skipped

    tasks = json.loads(tasks_file(root).read_bytes())["master"]["tasks"]
    assert len(tasks) == WRITERS
    assert sorted(t["id"] for t in tasks) == list(range(1, WRITERS + 1))
    assert sorted(t["title"] for t in tasks) == sorted(f"writer {n}" for n in range(WRITERS))
    # each process printed the id its own task got
    by_title = {t["title"]: t["id"] for t in tasks}
    assert {by_title[f"writer {n}"] for n in range(WRITERS)} == set(printed)
    read_document(tasks_file(root)).tag("master")  # parses and validates
    assert ok(root, "tasks", "validate").returncode == 0
    assert len(ok(root, "tasks", "history", "--json").json()) == 10  # storage.backups
    _assert_clean_folder(root)


@pytest.mark.slow
def test_concurrent_updates_of_different_tasks_lose_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(*(task(n) for n in range(1, WRITERS + 1))))
    base = ["--project", str(root), "-c", "storage.lock_timeout=120", "tasks", "update"]
    results = _run_together(
        [
            [*base, str(n), "--title", f"changed by writer {n}", "--status", "done"]
            for n in range(1, WRITERS + 1)
        ]
    )
    assert [code for code, _, _ in results] == [0] * WRITERS, results
    tasks = json.loads(tasks_file(root).read_bytes())["master"]["tasks"]
    assert [t["id"] for t in tasks] == list(range(1, WRITERS + 1))
    assert [t["title"] for t in tasks] == [f"changed by writer {n}" for n in range(1, WRITERS + 1)]
    assert {t["status"] for t in tasks} == {"done"}
    assert all("updatedAt" in t for t in tasks)
    _assert_clean_folder(root)


# --------------------------------------------------------------------------- lock timeout

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from taskctl.core.store import Store
    with Store(Path(sys.argv[1])).transaction("a slow writer") as document:
        print("locked", flush=True)
        sys.stdin.readline()
    """
)


@contextmanager
def _writer_holding_the_lock(path: Path) -> Iterator[None]:
    """Another process inside a write transaction until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env_for(),
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    try:
        assert holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.stdin.close()  # lets it finish its (empty) transaction
        holder.wait(timeout=30)
    assert holder.returncode == 0


def test_writer_holding_the_lock_past_the_timeout_makes_others_exit_5(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(task(1), task(2)))
    path = tasks_file(root)
    ok(root, "tasks", "update", "2", "--status", "review")  # so that undo has a backup
    before = path.read_bytes()
    message = f"{path} is locked by another taskctl process; gave up after 0.5 s"
    with _writer_holding_the_lock(path):
        start = time.monotonic()
        run = taskctl(root, "-c", "storage.lock_timeout=0.5", "tasks", "add", "x")
        waited = time.monotonic() - start
        assert_refused(run, 5, message, "raise storage.lock_timeout")
        assert waited >= 0.5  # it did wait the configured time first
        env = {"TASKCTL_STORAGE_LOCK_TIMEOUT": "0.5"}
        for args in (("update", "1", "--status", "done"), ("remove", "1", "--yes"), ("undo",)):
            assert_refused(taskctl(root, "tasks", *args, env=env), 5, message)
        # readers never wait: they see the last complete version
        assert [t["id"] for t in ok(root, "tasks", "list", "--json").json()] == [1, 2]
    assert path.read_bytes() == before
    # once the lock is free, the same command goes through
    ok(root, "-c", "storage.lock_timeout=0.5", "tasks", "add", "x")


def test_a_waiting_writer_goes_through_when_the_lock_is_released_in_time(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(task(1)))
    with _writer_holding_the_lock(tasks_file(root)):
        waiting = subprocess.Popen(
            command(root, "-c", "storage.lock_timeout=60", "tasks", "add", "patient", "-q"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env_for(),
            text=True,
        )
        time.sleep(0.5)
        assert waiting.poll() is None  # still waiting for the lock
    out, err = waiting.communicate(timeout=60)
    assert (waiting.returncode, out, err) == (0, "2\n", "")


# --------------------------------------------------------------------------- backups and undo


def _titles(root: Path) -> list[str]:
    return [t["title"] for t in ok(root, "tasks", "list", "--json").json()]


def test_history_lists_kept_versions_newest_first(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(task(1)))
    path = tasks_file(root)
    assert ok(root, "tasks", "history", "--json").json() == []
    empty = ok(root, "tasks", "history")
    assert (empty.stdout, empty.stderr) == ("", f"no backups of {path} yet\n")

    versions = [path.read_bytes()]
    ok(root, "tasks", "add", "two")
    versions.append(path.read_bytes())
    ok(root, "tasks", "update", "1", "--status", "done")
    versions.append(path.read_bytes())
    ok(root, "tasks", "remove", "2", "--yes")

    history = ok(root, "tasks", "history", "--json").json()
    assert [h["command"] for h in history] == [
        "tasks remove 2",
        "tasks update 1",
        "tasks add 'two'",
    ]
    assert [h["id"] for h in history] == [3, 2, 1]
    assert [h["size"] for h in history] == [len(v) for v in reversed(versions)]
    assert [h["time"] for h in history] == sorted((h["time"] for h in history), reverse=True)
    assert all(h["time"].endswith("Z") for h in history)
    # each entry is the version that command replaced, byte for byte
    folder = path.parent / "backups"
    for entry, version in zip(history, reversed(versions), strict=True):
        assert (folder / f"{entry['id']:06d}-tasks.json").read_bytes() == version

    table = ok(root, "tasks", "history").stdout.splitlines()
    assert table[0].split() == ["ID", "REPLACED", "AT", "SIZE", "BY"]
    assert [line.split()[0] for line in table[1:]] == ["3", "2", "1"]
    assert table[1].endswith("tasks remove 2")


def test_undo_restores_the_version_before_the_last_write_and_can_be_undone(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "proj", document(task(1)))
    path = tasks_file(root)
    original = path.read_bytes()
    ok(root, "tasks", "add", "two")
    after_add = path.read_bytes()
    ok(root, "tasks", "update", "1", "--title", "renamed")
    after_update = path.read_bytes()

    undone = ok(root, "tasks", "undo")
    assert "restored the version replaced at" in undone.stderr
    assert "tasks update 1" in undone.stderr
    assert path.read_bytes() == after_add
    ok(root, "tasks", "undo")  # undo the undo
    assert path.read_bytes() == after_update
    ok(root, "tasks", "undo")
    ok(root, "tasks", "undo")
    assert path.read_bytes() == after_update  # undo toggles; --to goes further back

    add_entry = next(
        h
        for h in ok(root, "tasks", "history", "--json").json()
        if h["command"] == "tasks add 'two'"
    )
    restored = ok(root, "tasks", "undo", "--to", str(add_entry["id"]), "--json").json()
    assert restored["restored"] == add_entry["id"]
    assert restored["command"] == "tasks add 'two'"
    assert path.read_bytes() == original
    assert ok(root, "tasks", "history", "--json").json()[0]["command"] == (
        f"tasks undo --to {add_entry['id']}"
    )
    ok(root, "tasks", "add", "after the undo")  # writing goes on from the restored version
    assert _titles(root) == ["Task 1", "after the undo"]


def test_undo_errors(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(task(1)))
    path = tasks_file(root)
    before = path.read_bytes()
    assert_refused(taskctl(root, "tasks", "undo"), 3, f"no backups of {path} to restore")
    ok(root, "tasks", "add", "two")
    after = path.read_bytes()
    assert_refused(taskctl(root, "tasks", "undo", "--to", "999"), 3, "no backup 999", "(kept: 1)")
    assert_refused(
        taskctl(root, "-c", "storage.backups=0", "tasks", "undo"),
        2,
        "undo needs backups, and storage.backups is 0",
    )
    assert path.read_bytes() == after
    ok(root, "tasks", "undo")
    assert path.read_bytes() == before


def test_backups_never_grow_past_storage_backups(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(task(1)))
    folder = tasks_file(root).parent / "backups"
    for n in range(6):
        ok(root, "-c", "storage.backups=3", "tasks", "add", f"t{n}")
    history = ok(root, "tasks", "history", "--json").json()
    assert [h["command"] for h in history] == ["tasks add 't5'", "tasks add 't4'", "tasks add 't3'"]
    assert len(list(folder.iterdir())) == 6  # three versions, three metadata files
    for n in range(12):  # the default, 10
        ok(root, "tasks", "update", "1", "--status", "done" if n % 2 else "review")
    assert len(ok(root, "tasks", "history", "--json").json()) == 10
    assert len(list(folder.iterdir())) == 20
    # without backups nothing is kept, and nothing old is deleted either
    ok(root, "-c", "storage.backups=0", "tasks", "add", "unkept")
    assert len(list(folder.iterdir())) == 20


def test_backups_sit_beside_the_tasks_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", document(task(1)))
    ok(root, "tasks", "add", "two")
    folder = tasks_file(root).parent / "backups"
    assert sorted(p.name for p in folder.iterdir()) == [
        "000001-tasks.json",
        "000001-tasks.json.meta",
    ]
    meta = json.loads((folder / "000001-tasks.json.meta").read_bytes())
    assert meta["command"] == "tasks add 'two'"
    assert meta["file"] == "000001-tasks.json"


# --------------------------------------------------------------------------- the README


def test_readme_guarantees_name_tests_that_exist() -> None:
    """Every test the README's "Guarantees" section names as proof exists (docs that
    cannot drift from the suite)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Guarantees\n", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`((?:tests/[\w/]+\.py)?(?:::\w+)?)`", section)
    current: Path | None = None
    checked = 0
    for ref in named:
        path, _, name = ref.partition("::")
        if path:
            current = REPO / path
            assert current.is_file(), ref
        if name:
            assert current is not None, ref
            assert re.search(rf"^def {name}\(", current.read_text(), re.MULTILINE), ref
            checked += 1
    assert checked >= 10


def test_taskctl_and_portalocker_locks_exclude_each_other(tmp_path: Path) -> None:
    """On POSIX taskctl calls flock(2) itself; portalocker makes the same call, so a
    lock taken either way holds the other off (an older taskctl used portalocker)."""
    import portalocker  # noqa: PLC0415

    from taskctl.core.lock import file_lock  # noqa: PLC0415

    root = make_project(tmp_path / "proj", document(task(1)))
    path = tasks_file(root)
    sidecar = path.with_name(f".{path.name}.taskctl-lock")
    before = path.read_bytes()
    flags = portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING
    with portalocker.Lock(sidecar, mode="a+b", timeout=0, flags=flags):
        run = taskctl(root, "-c", "storage.lock_timeout=0.3", "tasks", "add", "x")
        assert_refused(run, 5, "is locked by another taskctl process")
    assert path.read_bytes() == before
    with (
        file_lock(path, sidecar, timeout=1.0),
        sidecar.open("a+b") as other,
        # AlreadyLocked from portalocker 2.10 on; 2.8 raises its base class on POSIX
        pytest.raises(portalocker.exceptions.LockException),
    ):
        portalocker.lock(other, flags)
    ok(root, "tasks", "add", "x")
