"""Crashes: a writer killed with SIGKILL at a random moment never leaves a broken file.

On a store of 10,000 tasks, `taskctl tasks update N --status S` (and now and then
`tasks add`) runs as a process and is killed after a random delay drawn from 0 to 1.2x
the time a whole write takes, so that kills fall before, during and after the write.
After each kill the file must parse, validate, and equal either the state before that
write or the state after it; temp files must not pile up, and whatever the killed
process held (its lock, Task Master's `tasks.json.lock`) must not block the next writer.
Two streams run side by side on separate copies (the machine has at least 2 cores).
"""

from __future__ import annotations

import random
import signal
import statistics
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import pytest

from taskctl.core.document import read_document
from taskctl.core.settings import STATUSES
from taskctl.core.store import Store
from tests.cli_process import command, env_for, make_project, tasks_file

TASKS = 10_000
KILLS = 200
STREAMS = 2
TMP_MARK = ".taskctl-tmp-"
BACKUPS = 10  # storage.backups, the default


def _big_document(count: int, seed: int = 7) -> bytes:
    """A Task Master file with `count` tasks, some with subtasks and dependencies."""
    rng = random.Random(seed)
    tasks = []
    for n in range(1, count + 1):
        subtasks = [
            {
                "id": s,
                "title": f"Step {s}",
                "description": "",
                "status": "pending",
                "dependencies": [s - 1] if s > 1 else [],
                "parentTaskId": n,
            }
            for s in range(1, (2 if n % 10 == 0 else 0) + 1)
        ]
        tasks.append(
            {
                "id": n,
                "title": f"Task {n}",
                "description": f"What task {n} is about",
                "details": "",
                "testStrategy": "",
                "status": rng.choice(("pending", "done", "in-progress")),
                "dependencies": sorted(rng.sample(range(1, n), k=min(n - 1, rng.randint(0, 2)))),
                "priority": rng.choice(("high", "medium", "low")),
                "subtasks": subtasks,
            }
        )
    body = {
        "master": {
            "tasks": tasks,
            "metadata": {
                "created": "2026-01-01T00:00:00.000Z",
                "updated": "2026-01-01T00:00:00.000Z",
                "description": "Tasks for master context",
            },
        },
        "other": {"tasks": tasks[:3], "metadata": {"description": "untouched"}},
    }
    return msgspec.json.format(msgspec.json.encode(body), indent=2)


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated once per session: 10,000 tasks, ~3.5 MB."""
    path = tmp_path_factory.mktemp("big") / "tasks.json"
    path.write_bytes(_big_document(TASKS))
    return path


@dataclass
class Stream:
    """One project copy, killed writer after killed writer."""

    root: Path
    rng: random.Random
    state: Any = None  # the parsed file as it is now
    duration: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    seen: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    unfinished: int = 0  # writers killed since the last one that went through
    final: list[str] = field(default_factory=list)  # backups/ after the last write

    @property
    def path(self) -> Path:
        return tasks_file(self.root)

    def next_change(self, step: int) -> tuple[list[str], str, Any]:
        """The command to run, and the state it leads to (task dict to check)."""
        tasks = self.state["master"]["tasks"]
        if step % 5 == 4:
            title = f"added by crash step {step}"
            return ["tasks", "add", title], "add", title
        index = self.rng.randrange(len(tasks))
        status = self.rng.choice([s for s in STATUSES if s != tasks[index]["status"]])
        return (
            ["tasks", "update", str(tasks[index]["id"]), "--status", status],
            "update",
            (
                index,
                status,
            ),
        )

    def run(self, args: list[str], delay: float | None) -> float:
        start = time.monotonic()
        proc = subprocess.Popen(
            command(self.root, *args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env_for(),
        )
        if delay is None:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        else:
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=120)
        return time.monotonic() - start

    def assert_after(self, kind: str, detail: Any, now: Any) -> None:
        """`now` is the state before with exactly this command's change applied."""
        old = self.state
        assert list(now) == list(old)
        for name in old:
            if name != "master":
                assert now[name] == old[name], name
        assert {k: v for k, v in now["master"].items() if k != "tasks"} == {
            k: v for k, v in old["master"].items() if k != "tasks"
        }
        old_tasks, new_tasks = old["master"]["tasks"], now["master"]["tasks"]
        if kind == "update":
            index, status = detail
            changed = new_tasks[index]
            assert isinstance(changed.get("updatedAt"), str)
            assert changed == {
                **old_tasks[index],
                "status": status,
                "updatedAt": changed["updatedAt"],
            }
            assert len(new_tasks) == len(old_tasks)
            assert new_tasks[:index] == old_tasks[:index]
            assert new_tasks[index + 1 :] == old_tasks[index + 1 :]
        else:
            assert new_tasks[:-1] == old_tasks
            assert new_tasks[-1]["title"] == detail
            assert new_tasks[-1]["id"] == max(t["id"] for t in old_tasks) + 1

    def check(self, kind: str, detail: Any, before: bytes) -> None:
        data = self.path.read_bytes()
        document = read_document(self.path)  # parses
        for name in document.tag_names:
            document.tag(name)  # validates
        if data == before:
            self.outcomes["before"] += 1
            self.unfinished += 1
        else:
            now = msgspec.json.decode(data)
            self.assert_after(kind, detail, now)
            self.state = now
            self.outcomes["after"] += 1
            self.unfinished = 0
        # temp files: at most the killed writer's own, which the next writer removes
        folder = self.path.parent
        temps = [p.name for p in folder.iterdir() if TMP_MARK in p.name]
        assert len(temps) <= 1, temps
        self.seen["killed with a temp file"] += len(temps)
        # backups: after a write that went through, exactly the kept versions (a file
        # and its .meta each); each killed writer since may have left one more version
        # or a .meta temp file, which the next complete backup removes
        entries = [p.name for p in (folder / "backups").iterdir()]
        self.seen["killed with a backup temp file"] += sum(TMP_MARK in n for n in entries)
        assert len(entries) <= 2 * (BACKUPS + 1) + self.unfinished, entries
        if self.unfinished == 0:
            assert len(entries) <= 2 * BACKUPS, entries
            assert not any(TMP_MARK in n for n in entries), entries
        if folder.joinpath("tasks.json.lock").exists():
            self.seen["killed holding the lock"] += 1
            # whatever it held must not block the next writer (taskctl or Task Master)
            with Store(self.path, lock_timeout=1.0).transaction("probe"):
                pass

    def loop(self, kills: int) -> None:
        try:
            self.state = msgspec.json.decode(self.path.read_bytes())
            self.duration = statistics.median(
                self.run(["tasks", "update", str(n), "--status", "review"], None) for n in (1, 2, 3)
            )
            self.state = msgspec.json.decode(self.path.read_bytes())
            for step in range(kills):
                args, kind, detail = self.next_change(step)
                before = self.path.read_bytes()
                self.run(args, self.rng.uniform(0, 1.2 * self.duration))
                self.check(kind, detail, before)
            # one last write, not killed, puts everything back in order
            self.run(["tasks", "update", "1", "--status", "done"], None)
            self.final = sorted(p.name for p in (self.path.parent / "backups").iterdir())
        except BaseException as exc:  # reported by the test thread
            self.errors.append(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_sigkill_at_random_moments_never_breaks_the_file(tmp_path: Path, big_store: Path) -> None:
    streams = []
    for n in range(STREAMS):
        root = make_project(tmp_path / f"proj{n}", big_store.read_bytes())
        streams.append(Stream(root, random.Random(1000 + n)))
    threads = [
        threading.Thread(target=s.loop, args=(KILLS // STREAMS,), daemon=True) for s in streams
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [s.errors for s in streams] == [[]] * STREAMS
    outcomes = sum((s.outcomes for s in streams), Counter())
    seen = sum((s.seen for s in streams), Counter())
    print(  # for -s: what the kills hit
        f"\ncrash loop: {KILLS} kills, write ~{[round(s.duration, 3) for s in streams]} s,"
        f" {dict(outcomes)}, {dict(seen)}"
    )
    assert outcomes["before"] + outcomes["after"] == KILLS
    # the delays covered the whole write: some kills came too early, some too late,
    # and some while the writer held the lock (between its read and its rename)
    assert outcomes["before"] > 0
    assert outcomes["after"] > 0
    assert seen["killed holding the lock"] > 0
    for stream in streams:
        assert read_document(stream.path).tag("other").tasks  # the other tag is intact
        names = {p.name for p in stream.path.parent.iterdir()}
        assert names == {"tasks.json", ".tasks.json.taskctl-lock", "backups"}, names
        assert len(stream.final) == 2 * BACKUPS, stream.final
        assert not [n for n in stream.final if TMP_MARK in n]
