"""Tab completion latency: whole `taskctl` processes answering the shell.

    python -m tests.bench.completion [--size 10000] [--runs 15] [--invoke script|module]

Each case runs the console script with the environment the committed completion
script gives it (`_TASKCTL_COMPLETE`, `COMP_WORDS`/`COMP_CWORD` or
`_TYPER_COMPLETE_ARGS`), in a project of SIZE tasks (tests/bench/generate.py), and is
interleaved with the floor `python -c pass` so that machine drift shows in both. Per
case: median and best wall clock, median CPU time (user + system, from `wait4`, which
a busy machine inflates less than wall clock) and the lines offered. The budget is 100 ms
of wall clock for a value completion at 10,000 tasks. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.bench.generate import make_project
from tests.bench.run import child_env

BUDGET_MS = 100.0


@dataclass(frozen=True)
class Case:
    name: str
    shell: str
    line: str  # the command line up to the cursor
    action: str = "get-args"  # fish's two calls per tab: is-args, then get-args
    state: bool = False  # a Task Master state.json naming the tag (no config is read)


CASES = (
    Case("bash  tasks show <TAB>        10,000 ids", "bash", "taskctl tasks show "),
    Case("zsh   tasks show <TAB>        10,000 ids", "zsh", "taskctl tasks show "),
    Case("zsh   same, state.json names the tag", "zsh", "taskctl tasks show ", state=True),
    Case("fish  tasks show <TAB>        is-args", "fish", "taskctl tasks show ", "is-args"),
    Case("fish  tasks show <TAB>        get-args", "fish", "taskctl tasks show "),
    Case("bash  tasks show 50<TAB>      111 ids", "bash", "taskctl tasks show 50"),
    Case("zsh   tasks show 50<TAB>      111 ids + titles", "zsh", "taskctl tasks show 50"),
    Case("fish  tasks show 5<TAB>       1,111 ids", "fish", "taskctl tasks show 5"),
    Case("zsh   tasks show 5000.<TAB>   subtasks + titles", "zsh", "taskctl tasks show 5000."),
    Case("zsh   tasks list --tag <TAB>", "zsh", "taskctl tasks list --tag "),
    Case("bash  tasks update 1 --status <TAB>", "bash", "taskctl tasks update 1 --status "),
    Case("zsh   config get <TAB>", "zsh", "taskctl config get "),
    Case("bash  tasks sh<TAB>  (command names: typer)", "bash", "taskctl tasks sh"),
)


def completion_env(case: Case) -> dict[str, str]:
    env = {"_TASKCTL_COMPLETE": f"complete_{case.shell}"}
    if case.shell == "bash":
        words = case.line.split()
        env["COMP_WORDS"] = case.line
        env["COMP_CWORD"] = str(len(words) if case.line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = case.line
    if case.shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = case.action
    return env


def spawn(argv: Sequence[str], cwd: Path, env: dict[str, str], out: Path) -> tuple[float, float]:
    """One whole process: (wall seconds, CPU seconds of user and system time)."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, fd, 1),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
        ]
        previous = Path.cwd()
        os.chdir(cwd)
        try:
            start = time.perf_counter()
            pid = os.posix_spawn(argv[0], list(argv), env, file_actions=actions)
            _, _, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - start
        finally:
            os.chdir(previous)
    finally:
        os.close(fd)
    return wall, usage.ru_utime + usage.ru_stime


def measure(
    case: Case, taskctl: list[str], project: Path, env: dict[str, str], runs: int
) -> dict[str, float | int | str]:
    state = project / ".taskmaster" / "state.json"
    if case.state:
        state.write_text('{"currentTag": "master"}')
    else:
        state.unlink(missing_ok=True)
    out = project.parent / "completion.out"
    case_env = {**env, **completion_env(case)}
    floor = [sys.executable, "-c", "pass"]
    spawn(taskctl, project, case_env, out)  # warm-up
    offered = len(out.read_bytes().splitlines())
    walls: list[float] = []
    cpus: list[float] = []
    floors: list[float] = []
    for i in range(runs):
        pair = [(floor, env, floors, None), (taskctl, case_env, walls, cpus)]
        for argv, run_env, wall_into, cpu_into in pair if i % 2 == 0 else reversed(pair):
            wall, cpu = spawn(argv, project, run_env, out)
            wall_into.append(wall)
            if cpu_into is not None:
                cpu_into.append(cpu)
    return {
        "case": case.name,
        "wall_ms": statistics.median(walls) * 1000,
        "best_ms": min(walls) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
        "floor_ms": statistics.median(floors) * 1000,
        "lines": offered,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.completion", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="tasks in the store")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per case")
    parser.add_argument("--invoke", choices=("script", "module"), default="script")
    args = parser.parse_args(argv)
    script = Path(sys.executable).with_name("taskctl")
    if args.invoke == "script" and script.exists():
        taskctl = [str(script)]
    else:
        taskctl = [sys.executable, "-c", "from taskctl.cli.entry import main; main()"]
    with tempfile.TemporaryDirectory(prefix="taskctl-complete-bench-") as tmp:
        root = Path(tmp)
        env = child_env(root / "home")
        project = root / "project"
        make_project(project, args.size)
        rows = [measure(case, taskctl, project, env, args.runs) for case in CASES]
        shutil.rmtree(project)
    load = os.getloadavg()[0]
    print(f"{args.size:,} tasks, {args.runs} runs a case, {taskctl[0]}, load {load:.1f}")
    print(f"{'case':46}  {'wall':>8}  {'best':>8}  {'cpu':>8}  {'floor':>8}  {'lines':>6}")
    for r in rows:
        typer_case = str(r["case"]).endswith("(command names: typer)")
        verdict = "" if typer_case else ("ok" if float(r["wall_ms"]) <= BUDGET_MS else "OVER")
        print(
            f"{r['case']:46}  {r['wall_ms']:6.1f}ms  {r['best_ms']:6.1f}ms  {r['cpu_ms']:6.1f}ms"
            f"  {r['floor_ms']:6.1f}ms  {r['lines']:>6}  {verdict}"
        )
    print("wall, cpu, floor: medians; best: the fastest run; floor: python -c pass, interleaved")
    print("budget: 100 ms median wall for a value completion")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
