"""Regenerate `tests/taskmaster/fixtures/` with the real Task Master CLI.

    PATH=/path/to/node_modules/.bin:$PATH python -m tests.taskmaster.make_fixtures [CASE ...]

Written with task-master 0.43.1 (`--task-master PATH` picks another binary). Each case
builds a project in a temporary folder with task-master commands (manual `add-task
--title/--description`: no AI provider is called), then keeps what task-master left:
`.taskmaster/tasks/tasks.json` and `.taskmaster/state.json`, and `next.json`, the `task`
that `task-master next --format json --tag T` printed for every tag (None when it found
none). task-master writes timestamps, so a new run differs in dates only.

Hand edits. task-master cannot itself produce some quirks that real files hold (older
versions, merges and hand edits made them): it refuses a dependency on a missing task
or one that closes a cycle, and never writes a duplicate subtask id, a string task id
(except when it rewrites a tag that already holds one), a null text field, a field it
does not know, a subtask priority, a `critical` priority, tasks out of id order, or the
flat layout. An
`Edit` step makes each such change, each with its reason, and is always followed by a
task-master command that reads the edited tag and writes it again, so the committed
file is task-master's own output. The first project starts from a one-line seed file
(`{"master": {"tasks": [], "metadata": {}}}`), which task-master's first write replaces.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.taskmaster import FIXTURES

Data = dict[str, Any]
SEED = '{"master": {"tasks": [], "metadata": {}}}'


@dataclass(frozen=True)
class Edit:
    """A change task-master cannot make (see the module docstring): `why` says which quirk."""

    why: str
    change: Callable[[Data], None]


Step = tuple[str, ...] | Edit


def add(title: str, *more: str) -> tuple[str, ...]:
    """`add-task` without AI: a title, a description, and any other flags."""
    return ("add-task", "--title", title, "--description", f"{title}.", *more)


def sub(parent: int, title: str, *more: str) -> tuple[str, ...]:
    return ("add-subtask", "--parent", str(parent), "--title", title, "-d", f"{title}.", *more)


def status(ids: str, value: str) -> tuple[str, ...]:
    """`set-status` works on the current tag (it has no --tag): `tags use` first."""
    return ("set-status", "--id", ids, "--status", value)


def task(data: Data, tag: str, tid: int) -> Data:
    found: Data = next(t for t in data[tag]["tasks"] if int(t["id"]) == tid)
    return found


def subtask(data: Data, tag: str, tid: int, sid: int, nth: int = 0) -> Data:
    found: Data = [s for s in task(data, tag, tid)["subtasks"] if int(s["id"]) == sid][nth]
    return found


# --------------------------------------------------------------------------- edits


def _quirks_master(data: Data) -> None:
    subtask(data, "master", 2, 2)["id"] = 1  # duplicate subtask ids: 2.1 twice
    task(data, "master", 3)["dependencies"].append(99)  # dangling: there is no task 99
    task(data, "master", 4)["dependencies"].append("5")  # 4 <-> 5: a cycle
    subtask(data, "master", 2, 1)["details"] = None  # null text fields
    task(data, "master", 3)["testStrategy"] = None
    task(data, "master", 1).update(  # fields taskctl does not model
        complexity=7, acceptanceCriteria=["reads every tag", "keeps unknown fields"]
    )


def _quirks_legacy(data: Data) -> None:
    task(data, "legacy", 1)["id"] = "1"  # a string id; task-master then writes all as strings


def _flat(data: Data) -> None:
    master = data.pop("master")  # the layout before tags: {"tasks": [...], "metadata": {}}
    data.update(tasks=master["tasks"], metadata=master["metadata"])


def _subtask_priority(data: Data) -> None:
    subtask(data, "master", 2, 2)["priority"] = "high"  # add-subtask has no --priority


def _critical(data: Data) -> None:
    task(data, "master", 1)["priority"] = "critical"  # add-task offers high, medium, low


def _high_subtask(data: Data) -> None:
    subtask(data, "master", 2, 3)["priority"] = "high"  # add-subtask has no --priority


def _blocked_all(data: Data) -> None:
    task(data, "master", 7)["dependencies"].append(8)  # 7 <-> 8: a cycle
    task(data, "master", 9)["dependencies"].append(42)  # dangling: there is no task 42


def _reverse(data: Data) -> None:
    data["master"]["tasks"].reverse()  # ids out of order in the file


def _duplicate_task_id(data: Data) -> None:
    task(data, "master", 3)["id"] = 1  # two tasks 1: the first blocked, the second done


# --------------------------------------------------------------------------- cases

CASES: dict[str, list[Step]] = {
    # Interop: what task-master writes on its own, several tags with metadata.
    "made": [
        add("Set up repository", "--priority", "high"),
        add("Design schema", "--details", "Use structs", "--dependencies", "1"),
        add("Write docs", "--priority", "low", "--dependencies", "1,2"),
        sub(2, "Task struct"),
        sub(2, "Config struct", "--dependencies", "2.1"),
        status("1", "done"),
        status("2", "in-progress"),
        ("add-dependency", "--id", "3", "--depends-on", "2.1"),
        ("tags", "add", "feature-x", "--description", "Feature branch work"),
        add("Feature X task", "--tag", "feature-x"),
        ("tags", "copy", "master", "snapshot", "--description", "Copy of master"),
        ("tags", "use", "master"),
    ],
    # Interop: the quirks of real files, the current tag not master.
    "quirks": [
        add("Parse the file", "--priority", "high"),
        add("Keep unknown fields", "--dependencies", "1"),
        add("Write atomically", "--priority", "low", "--dependencies", "1,2"),
        add("Cycle A"),
        add("Cycle B", "--dependencies", "4"),
        sub(2, "Decode"),
        sub(2, "Encode", "--dependencies", "2.1"),
        status("1", "done"),
        status("2", "in-progress"),
        ("tags", "add", "legacy", "--description", "Ids written as strings"),
        add("Old task", "--tag", "legacy", "--priority", "high"),
        add("Older task", "--tag", "legacy", "--dependencies", "1"),
        add("Oldest task", "--tag", "legacy", "--priority", "low"),
        ("tags", "add", "empty", "--description", "No tasks yet"),
        Edit("duplicate subtask ids, dangling dependency, cycle, nulls, extras", _quirks_master),
        status("3", "review"),  # task-master writes master again
        Edit("a string id", _quirks_legacy),
        ("tags", "use", "legacy"),
        status("1", "done"),  # task-master writes legacy again
    ],
    # The flat layout of files from before tags.
    "flat": [
        add("Flat one", "--priority", "high"),
        add("Flat two", "--dependencies", "1"),
        add("Flat three", "--priority", "low"),
        sub(2, "Flat sub"),
        status("1", "done"),
        Edit("the flat layout", _flat),
        status("2", "in-progress"),  # task-master writes the flat file again
    ],
    # next: an in-progress parent's subtask comes first, even before a critical task;
    # the subtask's own priority, else its parent's.
    "next-subtask-first": [
        add("Critical work", "--priority", "high"),
        add("Parent", "--priority", "low"),
        sub(2, "Sub one"),
        sub(2, "Sub two"),
        Edit("a subtask priority", _subtask_priority),
        Edit("priority critical", _critical),
        status("2", "in-progress"),
        ("tags", "copy", "master", "two-done"),
        ("tags", "use", "two-done"),
        status("2.2", "done"),
        ("tags", "copy", "master", "all-done"),
        ("tags", "use", "all-done"),
        status("2.1,2.2", "done"),
        ("tags", "use", "master"),
    ],
    # next: subtask dependencies, fewer dependencies first, a bare number is a sibling.
    "next-subtask-deps": [
        add("Done first"),
        add("Parent"),
        add("Done third"),
        add("Done fourth"),
        sub(2, "A"),
        sub(2, "B", "--dependencies", "2.1"),
        # add-subtask writes task 4 as the bare number 4, which `next` reads as the
        # sibling 2.4 (there is none): C waits forever, high priority or not.
        sub(2, "C", "--dependencies", "4"),
        Edit("a subtask priority", _high_subtask),
        status("1,3,4", "done"),
        status("2", "in-progress"),
        ("tags", "copy", "master", "a-done"),
        ("tags", "use", "a-done"),
        status("2.1", "done"),
        ("tags", "use", "master"),
    ],
    # next: higher priority, then fewer dependencies, then lower id.
    "next-fewer-deps": [
        add("One"),
        add("Two"),
        add("Three", "--priority", "high", "--dependencies", "1,2"),
        add("Four", "--priority", "high", "--dependencies", "1"),
        add("Five"),
        add("Six", "--priority", "high", "--dependencies", "1"),
        status("1,2", "done"),
        ("tags", "copy", "master", "four-done"),
        ("tags", "use", "four-done"),
        status("4,6", "done"),
        ("tags", "use", "master"),
    ],
    # next: nothing is ready (blocked, cancelled, deferred, review, cycle, dangling).
    "next-blocked-all": [
        add("Blocked"),
        add("Waits on blocked", "--dependencies", "1"),
        add("Cancelled"),
        add("Waits on cancelled", "--dependencies", "3"),
        add("Deferred"),
        add("In review"),
        add("Cycle A"),
        add("Cycle B", "--dependencies", "7"),
        add("Dangling"),
        Edit("a cycle and a dangling dependency", _blocked_all),
        status("1", "blocked"),
        status("3", "cancelled"),
        status("5", "deferred"),
        status("6", "review"),
    ],
    # next: a done subtask counts only while its parent is pending, in progress or done.
    "next-parent-status": [
        add("Parent"),
        sub(1, "Done sub"),
        status("1.1", "done"),
        status("1", "blocked"),
        add("Waits on 1.1", "--priority", "high"),
        ("add-dependency", "--id", "2", "--depends-on", "1.1"),
        add("Fallback", "--priority", "low"),
        ("tags", "copy", "master", "parent-pending"),
        ("tags", "use", "parent-pending"),
        status("1", "pending"),
        ("tags", "use", "master"),
    ],
    # next: an in-progress parent with nothing left to do is a task like any other.
    "next-parent-exhausted": [
        add("Parent", "--priority", "low"),
        sub(1, "Sub one"),
        sub(1, "Sub two"),
        status("1.1,1.2", "done"),
        status("1", "in-progress"),
        add("Also low", "--priority", "low"),
    ],
    # next: among equals the lower id, wherever it is in the file.
    "next-file-order": [
        add("A"),
        add("B"),
        add("C", "--priority", "low"),
        Edit("ids out of order", _reverse),
        status("3", "in-progress"),
    ],
    # next: of duplicate task ids, any done one satisfies a dependency.
    "next-duplicate-ids": [
        add("First"),
        add("Waits on 1", "--priority", "high", "--dependencies", "1"),
        add("Duplicate"),
        status("1", "blocked"),
        status("3", "done"),
        Edit("a duplicate task id", _duplicate_task_id),
        status("2", "in-progress"),
    ],
    # next: an empty tag.
    "next-empty": [
        add("Removed"),
        ("remove-task", "--id", "1", "--yes"),
    ],
}


# --------------------------------------------------------------------------- running


class TaskMaster:
    def __init__(self, binary: str, root: Path, home: Path) -> None:
        self.binary, self.root = binary, root
        self.env = {**os.environ, "HOME": str(home)}  # nothing of the user's home

    def run(self, *args: str) -> str:
        proc = subprocess.run(
            [self.binary, *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0 or "❌" in proc.stdout + proc.stderr:
            raise RuntimeError(f"task-master {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    @property
    def tasks_file(self) -> Path:
        return self.root / ".taskmaster" / "tasks" / "tasks.json"

    def edit(self, step: Edit) -> None:
        data = json.loads(self.tasks_file.read_bytes())
        step.change(data)
        # As task-master writes (JSON.stringify(data, null, 2)): no final newline.
        self.tasks_file.write_text(json.dumps(data, indent=2, ensure_ascii=False))

    def next_answers(self) -> dict[str, Any]:
        data = json.loads(self.tasks_file.read_bytes())
        tags = ["master"] if "tasks" in data else list(data)
        return {
            tag: json.loads(self.run("next", "--format", "json", "--tag", tag))["task"]
            for tag in tags
        }


def make(case: str, binary: str) -> str:
    steps = CASES[case]
    assert not isinstance(steps[-1], Edit), f"{case}: task-master must write last"
    with tempfile.TemporaryDirectory(prefix=f"tm-{case}-") as scratch:
        root = Path(scratch) / "project"
        (root / ".taskmaster" / "tasks").mkdir(parents=True)
        tm = TaskMaster(binary, root, Path(scratch) / "home")
        tm.tasks_file.write_text(SEED)
        edited = None
        for step in steps:
            if isinstance(step, Edit):
                tm.edit(step)
                edited = tm.tasks_file.read_bytes()
            else:
                tm.run(*step)
                if edited is not None and step[0] != "tags":
                    # A status it already has is not written: the edit must be read back.
                    assert tm.tasks_file.read_bytes() != edited, f"{case}: {step} wrote nothing"
                    edited = None
        answers = tm.next_answers()
        out = FIXTURES / case
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        shutil.copyfile(tm.tasks_file, out / "tasks.json")
        shutil.copyfile(root / ".taskmaster" / "state.json", out / "state.json")
        (out / "next.json").write_text(json.dumps(answers, indent=2) + "\n")
    return case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=", ".join(CASES))
    parser.add_argument("--task-master", default=shutil.which("task-master"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if not args.task_master:
        parser.error("task-master is not on PATH: give --task-master PATH")
    unknown = set(args.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case: {', '.join(sorted(unknown))}")
    chosen = args.cases or list(CASES)
    with ThreadPoolExecutor(args.jobs) as pool:
        for done in pool.map(lambda case: make(case, args.task_master), chosen):
            print(f"wrote {FIXTURES / done}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
