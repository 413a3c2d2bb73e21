"""The anchors: other task tools given the same generated tasks, measured in the same run.

They have no budget; each row stands beside the taskctl command that does the same job,
measured a moment before on the same tasks, so that a reader can place taskctl's times.

* Taskwarrior (`task`, `apt-get install taskwarrior`): the generated tasks are converted
  to Taskwarrior's JSON (title -> description, done -> completed, cancelled -> deleted,
  the rest pending; critical and high -> H, medium -> M, low -> L; dependencies ->
  `depends` on their uuids) and imported with `task import`, timed once, into a data
  folder of its own, with a `.taskrc` in a HOME of its own (TASKRC or TASKDATA would
  print an "override" line on every command). Subtasks are not imported: Taskwarrior has
  none, and the plain `tasks list` shows top-level tasks. Then `task export`, `task list`
  on a terminal and `task N modify priority:H` (N a pending task's working-set id;
  `confirmation=off` in the .taskrc, stdin /dev/null: it cannot wait on a prompt).
* Task Master (`task-master`, `npm install task-master-ai@0.43.1`; `--task-master PATH`
  or TASKCTL_BENCH_TASK_MASTER when it is not on PATH): on a copy of the generated file,
  `task-master list --format json` and `task-master set-status`, 3 runs each after the
  warm-up (4 to 13 s a run).

The writes alternate their value (priority H and L, status done and pending) so that
every timed run changes the task.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from tests.bench.run import SLOW_RUNS, SLOW_SECONDS, TERMINAL_ENV, CommandFailed, Sample, Spawner

# what each anchor's output must show, given {"size": tasks generated, "listed": tasks
# that Taskwarrior's list report shows}
Facts = Mapping[str, int]
AnchorCheck = Callable[[bytes, Facts], bool]
TASK_MASTER_ENV = "TASKCTL_BENCH_TASK_MASTER"
_UUIDS = uuid.UUID("8f0c3a52-51b1-4f0e-9d0e-3c1a2b7e6d10")  # namespace of the tasks' uuids
_PRIORITY = {"critical": "H", "high": "H", "medium": "M", "low": "L"}
_STATUS = {"done": "completed", "cancelled": "deleted"}
_CREATED = "20250613T235256Z"  # the generated store's metadata.created
_ENDED = "20260108T235139Z"


@dataclass(frozen=True)
class AnchorCommand:
    """One measured command of an anchor. `args` may hold `{id}` (the task it writes)
    and `{value}`, which takes `values` in turn, run after run (the warm-up first)."""

    name: str
    args: tuple[str, ...]
    equivalent: str  # the taskctl command (a row of run.COMMANDS) that does the same job
    check: AnchorCheck
    values: tuple[str, ...] = ("",)
    terminal: bool = False

    def argv(self, program: str, task_id: int, run: int) -> list[str]:
        value = self.values[run % len(self.values)]
        return [program, *(a.format(id=task_id, value=value) for a in self.args)]


@dataclass
class AnchorRow:
    size: int
    tool: str
    command: str
    runs: int
    equivalent: str = ""
    ok: bool = True
    error: str = ""
    seconds: float = 0.0
    best_seconds: float = 0.0
    peak_mb: float = 0.0
    cpu_seconds: float = 0.0
    taskctl_seconds: float = 0.0  # the equivalent's median in the same run
    ratio: float = 0.0  # anchor / taskctl: how many times taskctl's time the anchor takes
    samples: list[float] = field(default_factory=list)

    def fill(self, samples: Sequence[Sample], measured: Mapping[str, float]) -> None:
        self.runs = len(samples)
        self.samples = [s.seconds for s in samples]
        self.seconds = statistics.median(self.samples)
        self.best_seconds = min(self.samples)
        self.peak_mb = statistics.median(s.peak_kb for s in samples) / 1024
        self.cpu_seconds = statistics.median(s.cpu_seconds for s in samples)
        taskctl = measured.get(self.equivalent)
        if taskctl:
            self.taskctl_seconds = taskctl
            self.ratio = self.seconds / taskctl


class Anchor:
    """A tool measured on the same tasks; subclasses set up its data and its commands."""

    tool = ""
    max_runs: int | None = None
    commands: tuple[AnchorCommand, ...] = ()

    def __init__(self, program: str, env: Mapping[str, str]) -> None:
        self.program = program
        self.version = self.find_version(env)

    def find_version(self, env: Mapping[str, str]) -> str:
        raise NotImplementedError

    def prepare(
        self, spawner: Spawner, generated: Path, folder: Path
    ) -> tuple[dict[str, str], Facts, int, list[AnchorRow]]:
        """Its data from the generated tasks.json, in `folder` (the commands' cwd): the
        environment its commands get, the facts their checks use, the id of the task
        that the writes change, and the rows of what it timed doing so."""
        raise NotImplementedError

    def measure(
        self,
        spawner: Spawner,
        generated: Path,
        folder: Path,
        size: int,
        runs: int,
        measured: Mapping[str, float],
        log: Callable[[str], None],
    ) -> list[AnchorRow]:
        folder.mkdir()
        try:
            env, facts, task_id, rows = self.prepare(spawner, generated, folder)
        except CommandFailed as exc:
            row = AnchorRow(size, self.tool, "setup", 0, ok=False, error=str(exc))
            log(f"  {self.tool}: {exc}")
            return [row]
        if self.max_runs is not None:
            runs = min(runs, self.max_runs)
        for command in self.commands:
            row = AnchorRow(size, self.tool, command.name, runs, command.equivalent)
            mode = "pty" if command.terminal else "file"
            extra = {**env, **TERMINAL_ENV} if command.terminal else env
            out = folder / "check.out"
            try:
                argv = command.argv(self.program, task_id, 0)
                warm = spawner.run(argv, folder, stdout=out, mode=mode, env=extra)
                if not command.check(out.read_bytes(), facts):
                    head = out.read_bytes()[:200].decode("utf-8", "replace")
                    raise CommandFailed(f"unexpected output: {head!r}")
                count = min(runs, SLOW_RUNS) if warm.seconds > SLOW_SECONDS else runs
                argvs = [command.argv(self.program, task_id, i) for i in range(1, count + 1)]
                samples = [spawner.run(a, folder, mode=mode, env=extra) for a in argvs]
            except CommandFailed as exc:
                row.ok, row.error = False, str(exc)
            else:
                row.fill(samples, measured)
            status = f"{row.seconds:.3f} s" if row.ok else row.error
            log(f"  {self.tool}: {command.name}: {status}")
            rows.append(row)
        shutil.rmtree(folder)
        return rows


# --------------------------------------------------------------------------- Taskwarrior


def task_uuid(task_id: int) -> str:
    return str(uuid.uuid5(_UUIDS, str(task_id)))


def taskwarrior_tasks(tasks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Task Master's top-level tasks as Taskwarrior's `task import` takes them."""
    out = []
    for task in tasks:
        status = _STATUS.get(task["status"], "pending")
        converted: dict[str, Any] = {
            "uuid": task_uuid(task["id"]),
            "description": task["title"],
            "status": status,
            "entry": _CREATED,
        }
        if status != "pending":
            converted["end"] = _ENDED
        if task.get("priority") in _PRIORITY:
            converted["priority"] = _PRIORITY[task["priority"]]
        if task.get("dependencies"):
            converted["depends"] = [task_uuid(int(d)) for d in task["dependencies"]]
        out.append(converted)
    return out


def _exported_all(out: bytes, facts: Facts) -> bool:
    return len(msgspec.json.decode(out)) >= facts["size"]


def _listed_all(out: bytes, facts: Facts) -> bool:
    return out.count(b"\n") > facts["listed"] and b"\x1b[" in out


class Taskwarrior(Anchor):
    tool = "Taskwarrior"
    commands = (
        AnchorCommand("task export", ("export",), "tasks list --json", _exported_all),
        AnchorCommand(
            "task list (terminal)", ("list",), "tasks list (terminal)", _listed_all, terminal=True
        ),
        AnchorCommand(
            "task N modify priority:H",
            ("{id}", "modify", "priority:{value}"),
            "tasks update ID --status done",
            lambda out, _: b"Modified" in out,
            values=("H", "L"),
        ),
    )

    def find_version(self, env: Mapping[str, str]) -> str:
        return _output([self.program, "--version"], env).strip() or "unknown"

    def prepare(
        self, spawner: Spawner, generated: Path, folder: Path
    ) -> tuple[dict[str, str], Facts, int, list[AnchorRow]]:
        tasks = msgspec.json.decode(generated.read_bytes())["master"]["tasks"]
        converted = taskwarrior_tasks(tasks)
        source = folder / "import.json"
        source.write_text(json.dumps(converted), "utf-8")
        (folder / "data").mkdir()
        (folder / ".taskrc").write_text(
            f"data.location={folder / 'data'}\n"
            # as after `task news`: no "please run 'task news'" note after every command
            f"news.version={_release(self.version)}\n"
            "confirmation=off\n",
            "utf-8",
        )
        env = {"HOME": str(folder)}
        size = len(tasks)
        sample = spawner.run([self.program, "import", str(source)], folder, env=env)
        row = AnchorRow(size, self.tool, "task import", 1)
        row.fill([sample], {})
        # the working-set ids number the pending tasks from 1, in the order imported
        pending = sum(t["status"] == "pending" for t in converted)
        return env, {"size": size, "listed": pending}, max(1, pending // 2), [row]


def _release(version: str) -> str:
    """2.6.2 -> 2.6.0: what `task news` records, and what Taskwarrior 2.6 compares with."""
    parts = version.split(".")
    return ".".join([*parts[:2], "0"]) if len(parts) >= 2 else version


# --------------------------------------------------------------------------- Task Master


def _listed_json(out: bytes, facts: Facts) -> bool:
    """The JSON document, which the first run in a project follows with an "FYI" box."""
    end = out.find(b"\n}\n")
    document = msgspec.json.decode(out[: end + 2] if end >= 0 else out)
    return len(document["tasks"]) >= facts["size"]


class TaskMaster(Anchor):
    tool = "Task Master"
    max_runs = 3  # 4 to 13 s a run
    commands = (
        AnchorCommand(
            "task-master list --format json",
            ("list", "--format", "json"),
            "tasks list --json",
            _listed_json,
        ),
        AnchorCommand(
            "task-master set-status --id=N --status=done",
            ("set-status", "--id={id}", "--status={value}"),
            "tasks update ID --status done",
            lambda out, _: b"Successfully updated" in out,
            values=("done", "pending"),
        ),
    )

    def find_version(self, env: Mapping[str, str]) -> str:
        """From its package.json: `task-master --version` costs seconds."""
        for folder in Path(self.program).resolve().parents:
            manifest = folder / "package.json"
            if manifest.is_file():
                data = json.loads(manifest.read_text("utf-8"))
                if data.get("name") == "task-master-ai":
                    return str(data.get("version", "unknown"))
        return "unknown"

    def prepare(
        self, spawner: Spawner, generated: Path, folder: Path
    ) -> tuple[dict[str, str], Facts, int, list[AnchorRow]]:
        tasks_file = folder / ".taskmaster" / "tasks" / "tasks.json"
        tasks_file.parent.mkdir(parents=True)
        shutil.copyfile(generated, tasks_file)
        size = len(msgspec.json.decode(generated.read_bytes())["master"]["tasks"])
        # the task that taskctl's `tasks update ID` changes
        return {}, {"size": size, "listed": size}, size // 2 + 1, []


# --------------------------------------------------------------------------- finding them

ANCHORS = {"taskwarrior": Taskwarrior, "task-master": TaskMaster}
INSTALL = {
    "taskwarrior": "apt-get install taskwarrior",
    "task-master": f"npm install task-master-ai@0.43.1; --task-master PATH or {TASK_MASTER_ENV}",
}


def find_anchors(
    names: Sequence[str], env: Mapping[str, str], task_master: str | None
) -> tuple[list[Anchor], dict[str, str]]:
    """The anchors installed among `names`, and for each name what was used or why not."""
    programs = {
        "taskwarrior": shutil.which("task", path=env.get("PATH")),
        "task-master": task_master
        or os.environ.get(TASK_MASTER_ENV)
        or shutil.which("task-master", path=env.get("PATH")),
    }
    found: list[Anchor] = []
    notes: dict[str, str] = {}
    for name in names:
        program = programs[name]
        if not program:
            notes[name] = f"not found ({INSTALL[name]})"
            continue
        anchor = ANCHORS[name](program, env)
        found.append(anchor)
        notes[name] = f"{anchor.tool} {anchor.version} ({program})"
    return found, notes


def _output(argv: list[str], env: Mapping[str, str]) -> str:
    proc = subprocess.run(
        argv,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return proc.stdout
