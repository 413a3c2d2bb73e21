"""Run the real `taskctl` as a separate process, as a user or a script would.

The reliability tests go through a process, not CliRunner: what they prove (exit codes,
one line on stderr, no traceback, the file on disk, locks held by other processes,
SIGKILL) is only true of a real process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TASKS = Path(".taskmaster") / "tasks" / "tasks.json"
# What a terminal must never receive from task data: C0 (but newline), DEL, C1, and the
# invisible characters that reorder or hide text (bidi controls, zero-width, marks).
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FAULT_BOOT = "from tests.faults import main; main()"


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def env_for(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def command(project: Path | None, *args: str, fault: str | None = None) -> list[str]:
    argv = [sys.executable]
    argv += ["-c", _FAULT_BOOT, fault] if fault else ["-m", "taskctl"]
    if project is not None:
        argv += ["--project", str(project)]
    return [*argv, *args]


def taskctl(
    project: Path | None,
    *args: str,
    env: dict[str, str] | None = None,
    fault: str | None = None,
    timeout: float = 60,
) -> Run:
    """Run `taskctl [--project P] ARGS` to completion; stdin is not a terminal."""
    proc = subprocess.run(
        command(project, *args, fault=fault),
        capture_output=True,
        env=env_for(env),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    return Run(args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def typer_only(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `taskctl ARGS` in `cwd` through the Typer app alone, never the fast path:
    (exit code, stdout, stderr)."""
    boot = "import sys; sys.argv[0] = 'taskctl'; from taskctl.cli.app import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", boot, *args],
        capture_output=True,
        cwd=cwd,
        env=env_for(env),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def both(project: Path, *args: str) -> Run:
    """`taskctl ARGS` as a process (the fast path runs plain list/show/add/update/next
    lines), after checking that the Typer app alone answers the same; the tasks file
    is put back in between."""
    before = tasks_file(project).read_bytes()
    expected = typer_only(project, "--project", str(project), *args)
    tasks_file(project).write_bytes(before)
    run = taskctl(project, *args)
    assert (run.returncode, run.stdout, run.stderr) == expected, args
    return run


def ok(project: Path | None, *args: str, **kwargs: Any) -> Run:
    run = taskctl(project, *args, **kwargs)
    assert run.returncode == 0, run
    assert "Traceback" not in run.stderr, run
    return run


def assert_refused(run: Run, code: int, *needles: str) -> None:
    """The documented exit code, one line on stderr naming the problem, no traceback."""
    assert run.returncode == code, run
    assert "Traceback" not in run.stderr, run
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run
    assert lines[0].startswith("error: "), run
    for needle in needles:
        assert needle in lines[0], run
    assert run.stdout == "", run


def make_project(root: Path, content: bytes | str | None = None) -> Path:
    """A project folder at `root` whose tasks file holds `content` (JSON for a dict)."""
    path = root / TASKS
    path.parent.mkdir(parents=True, exist_ok=True)
    if content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def tasks_file(root: Path) -> Path:
    return root / TASKS


def document(*tasks: dict[str, Any], **tags: list[dict[str, Any]]) -> str:
    """A Task Master document: `tasks` in tag master, other tags by keyword."""
    body = {"master": {"tasks": list(tasks), "metadata": {"description": "test"}}}
    body.update({name: {"tasks": items} for name, items in tags.items()})
    return json.dumps(body, indent=2)


def task(task_id: int, title: str = "", **fields: Any) -> dict[str, Any]:
    return {
        "id": task_id,
        "title": title or f"Task {task_id}",
        "description": fields.pop("description", f"About task {task_id}"),
        "status": fields.pop("status", "pending"),
        "priority": fields.pop("priority", "medium"),
        "dependencies": fields.pop("dependencies", []),
        "subtasks": fields.pop("subtasks", []),
        **fields,
    }


def run_importtime(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[str, str, set[str]]:
    """`python -X importtime -m taskctl ARGS`, which must succeed: its stdout, its stderr
    without the import lines, and the set of modules it imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "taskctl", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stderr.splitlines()
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in lines
        if line.startswith("import time:") and line.count("|") == 2
    }
    errors = "\n".join(line for line in lines if not line.startswith("import time:"))
    return proc.stdout, errors, modules
