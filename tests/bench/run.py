"""taskctl against the Python floor: whole processes, medians, ratios, peak memory.

    python -m tests.bench [--sizes 1000,10000,100000] [--runs N] [--json] [--invoke script]
                          [--no-terminal] [--anchors taskwarrior,task-master | --no-anchors]

Each command runs as a whole process, interleaved with its floor (floor, command, then
command, floor on the next round) so that machine drift cancels in the ratio. Times
are wall clock (`time.perf_counter` around the child); peak memory is the child's own
`ru_maxrss`, from `os.wait4`. The children get a clean environment: a temporary HOME
and no XDG, TASKCTL_* or PYTHON* variables, so that taskctl finds its folders as most
users' installs do (through platformdirs) and bytecode is cached as in a user's install
(PYTHONDONTWRITEBYTECODE would recompile taskctl on every run).

The "(terminal)" commands are what a person sees: they run under a pseudo-terminal of
120 x 40 (TERM=xterm-256color), read until the child exits, against the piped plain
`tasks list` of the same tasks as their floor. Where Taskwarrior (`task`) or Task
Master (`task-master`) is installed, the same generated tasks are given to them too
and their commands are measured in the same run: the anchors, beside taskctl's
equivalent command (they have no budget).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from tests.bench.generate import make_project

if TYPE_CHECKING:
    from tests.bench.anchors import Anchor, AnchorRow

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_RUNS = 15  # medians of fewer move by 0.1 to 0.2 on a busy 2-core machine
LARGE = 100_000  # from this size on, fewer runs: one run of a command takes seconds
SLOW_SECONDS = 5.0  # a command whose warm-up run takes longer than this ...
SLOW_RUNS = 3  # ... is timed this many times, like Task Master (the run stays ~10 minutes)

# The floors: what any Python tool must do for the same job.
READ_FLOOR = """
import sys, msgspec
with open(sys.argv[1], "rb") as fh:
    data = fh.read()
msgspec.json.encode(msgspec.json.decode(data))
"""
WRITE_FLOOR = """
import os, sys, msgspec
path = sys.argv[1]
with open(path, "rb") as fh:
    data = fh.read()
out = msgspec.json.format(msgspec.json.encode(msgspec.json.decode(data)), indent=2)
tmp = path + ".floor-tmp"
fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o644)
try:
    os.write(fd, out)
    os.fsync(fd)
finally:
    os.close(fd)
os.replace(tmp, path)
"""
STARTUP_FLOOR = "import typer"
FLOOR_TEXT = {
    "read": "python: import msgspec, decode the file, encode it",
    "write": "read floor + indent=2 + atomic write (temp file, fsync, rename)",
    "startup": "python -c 'import typer'",
    "piped": "taskctl tasks list, plain, into a pipe read to its end (same tasks, same run)",
}
# For the "(terminal)" commands. The pager that a table longer than the screen opens
# (`$TASKCTL_PAGER`, else `$PAGER`, else `less -FRX`) would wait for a key press: `cat`
# as both is no pager (as in git), through the environment rather than `--no-pager`
# so that the command line is the one a person types (and it reaches Taskwarrior).
TERMINAL_ENV = {"TERM": "xterm-256color", "TASKCTL_PAGER": "cat", "PAGER": "cat"}

Check = Callable[[bytes, int], bool]


@dataclass(frozen=True)
class Command:
    """One measured command. `args` may hold `{show}` and `{update}` (task ids)."""

    name: str
    args: tuple[str, ...]
    floor: str
    budget: float | None = None  # ratio to the floor, at 10,000 tasks
    check: Check | None = None  # what its output must look like (tested once, untimed)
    memory_budget: float | None = None  # peak memory's ratio to the floor's, at 10,000
    terminal: bool = False  # under a pseudo-terminal (TERMINAL_ENV), not into a file


def _table_lines(out: bytes, count: int) -> bool:
    """A table on a terminal: a line for each task at least, and colour."""
    return out.count(b"\n") > count and b"\x1b[" in out


COMMANDS = (
    Command(
        "tasks list --json",
        ("tasks", "list", "--json"),
        "read",
        1.2,
        lambda out, n: len(msgspec.json.decode(out)) >= n,
        memory_budget=1.5,
    ),
    Command("tasks list", ("tasks", "list"), "read", None, lambda out, n: out.count(b"\n") > n),
    Command(
        "tasks list (terminal)",
        ("tasks", "list"),
        "piped",
        1.5,
        _table_lines,
        memory_budget=1.2,
        terminal=True,
    ),
    Command(
        "tasks list --with-subtasks (terminal)",
        ("tasks", "list", "--with-subtasks"),
        "piped",
        1.5,
        _table_lines,
        memory_budget=1.2,
        terminal=True,
    ),
    Command(
        "tasks show ID", ("tasks", "show", "{show}"), "read", 1.2, lambda out, _: b"ID:" in out
    ),
    Command("tasks next", ("tasks", "next"), "read", 1.2, lambda out, _: b"ID:" in out),
    Command("tasks validate", ("tasks", "validate"), "read", 1.2),
    Command(
        "tasks add",
        ("tasks", "add", "Benchmark task", "--priority", "low"),
        "write",
        1.2,
        lambda out, _: out.strip().isdigit(),
    ),
    Command(
        "tasks update ID --status done",
        ("tasks", "update", "{update}", "--status", "done"),
        "write",
        1.2,
    ),
    Command(
        "config get KEY",
        ("config", "get", "tasks.default_priority"),
        "startup",
        1.2,
        lambda out, _: out.strip() == b"medium",
    ),
    Command("config explain KEY", ("config", "explain", "tasks.default_priority"), "startup"),
    Command(
        "--version", ("--version",), "startup", 1.2, lambda out, _: out.startswith(b"taskctl ")
    ),
)
GROWTH_BUDGET = 11.0
CACHE_BUDGET_MS = 1.0


class CommandFailed(Exception):
    pass


@dataclass
class Sample:
    seconds: float
    peak_kb: int
    cpu_seconds: float


@dataclass
class Row:
    size: int
    command: str
    floor: str
    runs: int
    ok: bool = True
    error: str = ""
    seconds: float = 0.0
    floor_seconds: float = 0.0
    ratio: float = 0.0
    # the fastest command run over the fastest floor run: the pair least disturbed by
    # other work, steadier than the medians' ratio on a busy machine (budgets use the latter)
    best_ratio: float = 0.0
    budget: float | None = None
    memory_budget: float | None = None
    peak_mb: float = 0.0
    floor_peak_mb: float = 0.0
    memory_ratio: float = 0.0
    # user + system CPU time: steadier than wall time on a busy machine, blind to I/O waits
    cpu_seconds: float = 0.0
    floor_cpu_seconds: float = 0.0
    samples: list[float] = field(default_factory=list)
    floor_samples: list[float] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        if self.budget is None or self.size != 10_000 or not self.ok:
            return None
        return self.ratio <= self.budget

    @property
    def memory_met(self) -> bool | None:
        if self.memory_budget is None or self.size != 10_000 or not self.ok:
            return None
        return self.memory_ratio <= self.memory_budget


def child_env(home: Path) -> dict[str, str]:
    """A temporary HOME and no XDG variables, as most users run: taskctl then finds its
    folders through platformdirs, whose import is part of what a command costs. No
    COLUMNS or LINES either: on a terminal the width is the terminal's; and no TASKRC or
    TASKDATA, which would point a Taskwarrior anchor at the user's own tasks."""
    dropped = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TASKRC", "TASKDATA", "PAGER")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "TASKCTL_", "XDG_")) and k not in dropped
    }
    env["HOME"] = str(home)
    return env


class Spawner:
    """Runs children through `spawn.py`, a process small enough not to skew their peak RSS."""

    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.scratch = scratch
        self.proc = subprocess.Popen(
            [sys.executable, "-S", str(Path(__file__).with_name("spawn.py"))],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.own_peak_kb = int(msgspec.json.decode(self._reply())["peak_kb"])

    def _reply(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark's spawner process died")
        return line

    def run(
        self,
        argv: Sequence[str],
        cwd: Path,
        stdout: Path | None = None,
        mode: str = "file",
        env: dict[str, str] | None = None,
    ) -> Sample:
        """One whole process: wall time and its own peak RSS; CommandFailed unless exit 0.

        `mode` is where its output goes (spawn.py): "file", "pipe" or "pty"; `env` is
        added to the children's environment for this one."""
        assert self.proc.stdin is not None
        err = self.scratch / "stderr"
        request = {
            "argv": list(argv),
            "cwd": str(cwd),
            "stdout": None if stdout is None else str(stdout),
            "stderr": str(err),
            "mode": mode,
            "env": env or {},
        }
        self.proc.stdin.write(msgspec.json.encode(request).decode() + "\n")
        self.proc.stdin.flush()
        reply = msgspec.json.decode(self._reply())
        if reply["returncode"] != 0:
            # on a terminal, the message is in what the terminal showed; where the child
            # could not start, in the spawner's reply
            said = "" if mode == "pty" else err.read_text("utf-8", "replace")
            said = said.strip() or reply["tail"]
            text = said.strip().splitlines()
            raise CommandFailed(f"exit {reply['returncode']}: {text[-1] if text else 'no message'}")
        return Sample(reply["seconds"], reply["peak_kb"], reply["cpu_seconds"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def _runnable(script: Path) -> bool:
    """The console script exists and so does its interpreter (a venv copied or moved
    elsewhere keeps scripts whose `#!` names the old place)."""
    try:
        first = script.read_bytes().split(b"\n", 1)[0]
    except OSError:
        return False
    interpreter = first[2:].split()[0] if first.startswith(b"#!") and first[2:].split() else b""
    return not interpreter or Path(os.fsdecode(interpreter)).exists()


class Bench:
    def __init__(
        self,
        root: Path,
        invoke: str,
        log: Callable[[str], None],
        commands: Sequence[Command] = COMMANDS,
        anchors: Sequence[Anchor] = (),
    ) -> None:
        self.root = root
        self.log = log
        self.commands = commands
        self.anchors = anchors
        self.env = child_env(root / "home")
        self.spawner = Spawner(self.env, root)
        script = Path(sys.executable).with_name("taskctl")
        if invoke == "script" and not _runnable(script):
            invoke = "module"
        self.invoke = invoke
        self.taskctl = [str(script)] if invoke == "script" else [sys.executable, "-m", "taskctl"]

    @property
    def invocation(self) -> str:
        if self.invoke == "script":
            return f"{self.taskctl[0]} (console script)"
        return f"{sys.executable} -m taskctl"

    def floor_argv(self, floor: str, tasks_file: Path) -> list[str]:
        if floor == "piped":
            return [*self.taskctl, "tasks", "list"]
        code = {"read": READ_FLOOR, "write": WRITE_FLOOR, "startup": STARTUP_FLOOR}[floor]
        return [sys.executable, "-c", code, str(tasks_file)]

    def measure(
        self, command: Command, size: int, project: Path, tasks_file: Path, runs: int
    ) -> Row:
        ids = {"show": str(size // 2), "update": str(size // 2 + 1)}
        argv = [*self.taskctl, *(a.format(**ids) for a in command.args)]
        floor = self.floor_argv(command.floor, tasks_file)
        floor_mode = "pipe" if command.floor == "piped" else "file"
        mode, env = ("pty", TERMINAL_ENV) if command.terminal else ("file", None)
        row = Row(
            size,
            command.name,
            command.floor,
            runs,
            budget=command.budget,
            memory_budget=command.memory_budget,
        )
        try:
            if self.check(command, argv, project, size).seconds > SLOW_SECONDS:
                row.runs = runs = min(runs, SLOW_RUNS)
            self.spawner.run(floor, project, mode=floor_mode)  # warm-up of the floor
            cmd: list[Sample] = []
            base: list[Sample] = []
            for i in range(runs):
                pair = [(floor, floor_mode, None, base), (argv, mode, env, cmd)]
                for args, how, extra, into in pair if i % 2 == 0 else reversed(pair):
                    into.append(self.spawner.run(args, project, mode=how, env=extra))
        except CommandFailed as exc:
            row.ok, row.error = False, str(exc)
            return row
        row.samples = [s.seconds for s in cmd]
        row.floor_samples = [s.seconds for s in base]
        row.seconds = statistics.median(row.samples)
        row.floor_seconds = statistics.median(row.floor_samples)
        row.ratio = row.seconds / row.floor_seconds
        row.best_ratio = min(row.samples) / min(row.floor_samples)
        row.peak_mb = statistics.median(s.peak_kb for s in cmd) / 1024
        row.floor_peak_mb = statistics.median(s.peak_kb for s in base) / 1024
        row.memory_ratio = row.peak_mb / row.floor_peak_mb
        row.cpu_seconds = statistics.median(s.cpu_seconds for s in cmd)
        row.floor_cpu_seconds = statistics.median(s.cpu_seconds for s in base)
        return row

    def check(self, command: Command, argv: list[str], project: Path, size: int) -> Sample:
        """The warm-up run, whose output must be what the command promises."""
        out = self.root / "check.out"
        mode, env = ("pty", TERMINAL_ENV) if command.terminal else ("file", None)
        sample = self.spawner.run(argv, project, stdout=out, mode=mode, env=env)
        if command.check is not None and not command.check(out.read_bytes(), size):
            head = out.read_bytes()[:200].decode("utf-8", "replace")
            raise CommandFailed(f"unexpected output: {head!r}")
        return sample

    def cache(self, project: Path, repeats: int) -> dict[str, float | bool]:
        proc = subprocess.run(
            [sys.executable, "-m", "tests.bench.cache", str(project), str(repeats)],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            return {"error": True, "message": lines[-1] if lines else "failed"}  # type: ignore[dict-item]
        return msgspec.json.decode(proc.stdout)  # type: ignore[no-any-return]

    def size(
        self, size: int, runs: int
    ) -> tuple[list[Row], dict[str, float | bool], list[AnchorRow]]:
        project = self.root / f"p{size}"
        started = time.perf_counter()
        tasks_file = make_project(project, size)
        mb = tasks_file.stat().st_size / 1e6
        self.log(f"{size:,} tasks: {mb:.1f} MB generated in {time.perf_counter() - started:.1f} s")
        # the anchors get the tasks as generated, before taskctl's commands change them
        anchors = self.root / f"a{size}"
        anchors.mkdir()
        generated = shutil.copyfile(tasks_file, anchors / "tasks.json")
        rows = []
        for command in self.commands:
            row = self.measure(command, size, project, tasks_file, runs)
            status = f"{row.seconds:.3f} s, x{row.ratio:.2f}" if row.ok else row.error
            self.log(f"  {command.name}: {status}")
            rows.append(row)
        cache = self.cache(project, 2000 if size <= 10_000 else 200)
        shutil.rmtree(project)
        measured = {r.command: r.seconds for r in rows if r.ok}
        anchor_rows: list[AnchorRow] = []
        if size < LARGE:  # Taskwarrior's `task list` alone takes 10 s at 10,000 tasks
            for i, anchor in enumerate(self.anchors):
                folder = anchors / str(i)
                anchor_rows += anchor.measure(
                    self.spawner, generated, folder, size, runs, measured, self.log
                )
        shutil.rmtree(anchors)
        return rows, cache, anchor_rows


# --------------------------------------------------------------------------- output


def growth(rows: Sequence[Row]) -> list[dict[str, object]]:
    """How time grows from 10,000 to 100,000 tasks, for the command and its floor."""
    by_key = {(r.size, r.command): r for r in rows if r.ok}
    out: list[dict[str, object]] = []
    for command in COMMANDS:
        small, large = by_key.get((10_000, command.name)), by_key.get((LARGE, command.name))
        if small is None or large is None:
            continue
        factor = large.seconds / small.seconds
        out.append(
            {
                "command": command.name,
                "seconds_10k": small.seconds,
                "seconds_100k": large.seconds,
                "growth": factor,
                "floor_growth": large.floor_seconds / small.floor_seconds,
                "budget": GROWTH_BUDGET,
                "met": factor <= GROWTH_BUDGET,
            }
        )
    return out


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("ok" if met else "MISSED")


def table(report: dict[str, object]) -> str:
    meta = report["meta"]
    assert isinstance(meta, dict)
    lines = [
        f"taskctl {meta['taskctl']} on Python {meta['python']}, {meta['machine']}",
        f"taskctl run as: {meta['invocation']}, {meta['install']} install",
        "time: median wall clock of whole processes, each interleaved with its floor;",
        "ratio = command / floor; best = fastest command run / fastest floor run (steadier",
        "on a busy machine; budgets use ratio); peak = the process's own max RSS;",
        "mem = peak / floor peak. (terminal) = under a pseudo-terminal of 120 x 40 columns",
        "and rows, read until the child exits. A command whose warm-up run takes over",
        f"{SLOW_SECONDS:g} s is timed {SLOW_RUNS} times at most.",
        *(f"  {name} floor: {text}" for name, text in FLOOR_TEXT.items()),
        "",
    ]
    headers = (
        "size",
        "command",
        "time",
        "floor",
        "ratio",
        "best",
        "budget",
        "peak",
        "floor peak",
        "mem",
    )
    body: list[tuple[str, ...]] = []
    rows = report["rows"]
    assert isinstance(rows, list)
    for r in rows:
        if not r["ok"]:
            body.append((f"{r['size']:,}", r["command"], "FAILED", r["error"], *[""] * 6))
            continue
        budget = f"<={r['budget']:g} {_verdict(r['met'])}".strip() if r["budget"] else ""
        memory = f"x{r['memory_ratio']:.2f}"
        if r["memory_met"] is not None:
            memory += f" <={r['memory_budget']:g} {_verdict(r['memory_met'])}"
        body.append(
            (
                f"{r['size']:,}",
                r["command"],
                f"{r['seconds']:.3f} s",
                f"{r['floor_seconds']:.3f} s",
                f"x{r['ratio']:.2f}",
                f"x{r['best_ratio']:.2f}",
                budget if r["size"] == 10_000 else "",
                f"{r['peak_mb']:.0f} MB",
                f"{r['floor_peak_mb']:.0f} MB",
                memory,
            )
        )
    lines += _columns(headers, body)
    grown = report["growth"]
    assert isinstance(grown, list)
    if grown:
        lines += ["", "growth from 10,000 to 100,000 tasks (budget: at most x11)"]
        lines += _columns(
            ("command", "10,000", "100,000", "growth", "floor growth", "budget"),
            [
                (
                    g["command"],
                    f"{g['seconds_10k']:.3f} s",
                    f"{g['seconds_100k']:.3f} s",
                    f"x{g['growth']:.1f}",
                    f"x{g['floor_growth']:.1f}",
                    _verdict(g["met"]),
                )
                for g in grown
            ],
        )
    lines += anchor_table(meta, report["anchors"])
    caches = report["cache"]
    assert isinstance(caches, list)
    lines += [
        "",
        "Python API in one process: project.read_tag() first and repeated (budget < 1 ms),",
        "project.get(ID) and project.list() on an unchanged store",
    ]
    cache_rows = []
    for c in caches:
        if c.get("error"):
            cache_rows.append((f"{c['size']:,}", "FAILED", str(c.get("message")), "", "", ""))
            continue
        met = c["repeat_ms"] < CACHE_BUDGET_MS and c["cache_hits"]
        cache_rows.append(
            (
                f"{c['size']:,}",
                f"{c['first_ms']:.1f} ms",
                f"{c['repeat_ms'] * 1000:.1f} us",
                _verdict(met),
                f"{c['get_ms'] * 1000:.0f} us",
                f"{c['list_first_ms']:.0f} ms / {c['list_repeat_ms']:.0f} ms",
            )
        )
    lines += _columns(
        ("size", "first read", "repeated read", "budget", "get(ID)", "list() first / again"),
        cache_rows,
    )
    return "\n".join(lines)


def anchor_table(meta: dict[str, object], anchors: object) -> list[str]:
    """The other tools' rows, each beside taskctl's equivalent measured in the same run."""
    notes = meta.get("anchors")
    if not isinstance(notes, dict) or not notes:
        return []
    assert isinstance(anchors, list)
    lines = [
        "",
        "anchors: other tools on the same generated tasks, in the same run (no budget);",
        "x taskctl = the anchor's median / taskctl's equivalent's median",
        *(f"  {name}: {note}" for name, note in notes.items()),
    ]
    if not anchors:
        return lines
    body: list[tuple[str, ...]] = []
    for a in anchors:
        if not a["ok"]:
            body.append((f"{a['size']:,}", a["tool"], a["command"], "FAILED", a["error"]))
            continue
        body.append(
            (
                f"{a['size']:,}",
                a["tool"],
                a["command"],
                f"{a['seconds']:.3f} s",
                f"{a['best_seconds']:.3f} s",
                str(a["runs"]),
                f"{a['peak_mb']:.0f} MB",
                a["equivalent"],
                f"{a['taskctl_seconds']:.3f} s" if a["taskctl_seconds"] else "",
                f"x{a['ratio']:.1f}" if a["ratio"] else "",
            )
        )
    width = max(len(r) for r in body)
    headers = (
        "size",
        "tool",
        "command",
        "time",
        "best",
        "runs",
        "peak",
        "taskctl's equivalent",
        "taskctl",
        "x taskctl",
    )[:width]
    return lines + _columns(headers, [(*r, *[""] * (width - len(r))) for r in body])


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    text = [headers, *rows]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in text]


# --------------------------------------------------------------------------- main


def install_kind(env: dict[str, str]) -> str:
    """'editable' when the children import taskctl from this work tree: the editable
    import hook adds ~18 ms to every Python process, floors included, which flatters
    the ratios. Asked from another folder, where the work tree cannot shadow it."""
    where = subprocess.run(
        [sys.executable, "-c", "import taskctl; print(taskctl.__file__)"],
        cwd=tempfile.gettempdir(),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return "editable" if REPO in Path(where).resolve().parents else "regular"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated store sizes in tasks (default: %(default)s)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help="timed runs per command after one warm-up; a third of it from 100,000 tasks on;"
        f" at most {SLOW_RUNS} for a command whose warm-up takes over {SLOW_SECONDS:g} s"
        f" and for Task Master (default: {DEFAULT_RUNS})",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--invoke",
        choices=("script", "module"),
        default="script",
        help="run the console script (default) or `python -m taskctl`",
    )
    parser.add_argument(
        "--terminal",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the (terminal) commands, under a pseudo-terminal of 120 x 40 columns"
        " and rows, against the piped plain `tasks list` (default: yes)",
    )
    parser.add_argument(
        "--anchors",
        default="taskwarrior,task-master",
        help="comma-separated other tools to measure on the same tasks, below 100,000 tasks,"
        " where installed (Taskwarrior: `task` on PATH; Task Master: `task-master` on PATH,"
        " --task-master or $TASKCTL_BENCH_TASK_MASTER); absent ones are noted and skipped"
        " (default: %(default)s)",
    )
    parser.add_argument(
        "--no-anchors", dest="anchors", action="store_const", const="", help="measure no anchor"
    )
    parser.add_argument(
        "--task-master",
        metavar="PATH",
        help="the task-master program (default: $TASKCTL_BENCH_TASK_MASTER, else PATH)",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.anchors.split(",") if n.strip()]
    unknown = sorted(set(names) - {"taskwarrior", "task-master"})
    if unknown:
        parser.error(f"unknown anchor {', '.join(unknown)}: use taskwarrior, task-master")
    args.anchors = names
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    import taskctl  # noqa: PLC0415 - the benchmark needs the package installed

    def log(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    from tests.bench.anchors import find_anchors  # noqa: PLC0415 - it imports this module

    commands = [c for c in COMMANDS if args.terminal or not c.terminal]
    with tempfile.TemporaryDirectory(prefix="taskctl-bench-") as tmp:
        bench = Bench(Path(tmp), args.invoke, log, commands)
        log(f"taskctl run as {bench.invocation}")
        bench.anchors, anchor_notes = find_anchors(args.anchors, bench.env, args.task_master)
        for note in anchor_notes.values():
            log(f"anchor: {note}")
        rows: list[Row] = []
        caches: list[dict[str, object]] = []
        anchor_rows: list[AnchorRow] = []
        started = time.perf_counter()
        try:
            for size in sizes:
                runs = args.runs if size < LARGE else max(2, args.runs // 3)
                size_rows, cache, size_anchors = bench.size(size, max(1, runs))
                rows += size_rows
                caches.append({"size": size, **cache})
                anchor_rows += size_anchors
        finally:
            bench.spawner.close()
        elapsed = time.perf_counter() - started
    report: dict[str, object] = {
        "meta": {
            "taskctl": taskctl.__version__,
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "invocation": bench.invocation,
            "install": install_kind(bench.env),
            "runs": args.runs,
            "spawner_peak_mb": round(bench.spawner.own_peak_kb / 1024, 1),
            "sizes": sizes,
            "seconds": round(elapsed, 1),
            "anchors": anchor_notes,
        },
        "rows": [{**asdict(r), "met": r.met, "memory_met": r.memory_met} for r in rows],
        "growth": growth(rows),
        "anchors": [asdict(a) for a in anchor_rows],
        "cache": caches,
    }
    if args.json:
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(report), indent=2).decode())
        sys.stdout.write("\n")
    else:
        sys.stdout.write(table(report) + "\n")
    return 0 if all(r.ok for r in rows) and all(a.ok for a in anchor_rows) else 1
