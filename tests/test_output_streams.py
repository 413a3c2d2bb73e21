"""Closed, full or abandoned standard streams, and the error boundary's other branches.

Whatever a caller does to stdin, stdout and stderr (`>&-`, `> /dev/full`, `2>&-`,
`<&-`, a reader that left), taskctl never prints a traceback and its exit code says
what happened: 7 when stdout could not be written (and whether a change was written
before, so a script does not run a write again), 0 when the reader left (`| head`).
With --json, an error is exactly one JSON object on one line of stderr.

Every test runs the real process, through both ways a command runs: the fast path
(plain `tasks list/show/next/add/update`) and typer (everything else).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from taskctl.cli import fastpath
from taskctl.cli.app import app
from taskctl.cli.context import AppContext
from tests.cli_process import REPO, Run, document, make_project, task, taskctl, tasks_file

FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")
EXIT_OUTPUT = 7

# PYTHONUNBUFFERED changes how stdout is built (no buffer): both must behave the same.
BUFFERING = pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])


def _env(unbuffered: bool, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def run(
    project: Path,
    *args: str,
    stdout: str = "pipe",
    stderr: str = "pipe",
    stdin: str = "null",
    unbuffered: bool = False,
    boot: str | None = None,
) -> Run:
    """`taskctl --project P ARGS` with each stream `pipe` (captured), `closed`, `full`
    (/dev/full) or, for stdout, `gone` (a pipe whose reader already left)."""
    closing = [fd for fd, how in ((0, stdin), (1, stdout), (2, stderr)) if how == "closed"]
    opened: list[Any] = []

    def stream(how: str, fd: int) -> Any:
        if how == "full":
            opened.append(FULL.open("wb"))
            return opened[-1]
        if how == "gone":
            read_end, write_end = os.pipe()
            os.close(read_end)
            opened.append(os.fdopen(write_end, "wb"))
            return opened[-1]
        if how == "null" or how == "closed":
            return subprocess.DEVNULL
        return subprocess.PIPE

    code = boot or "from taskctl.cli.entry import main; main()"
    argv = [sys.executable, "-c", code, "--project", str(project), *args]
    try:
        proc = subprocess.run(
            argv,
            stdin=stream(stdin, 0),
            stdout=stream(stdout, 1),
            stderr=stream(stderr, 2),
            env=_env(unbuffered),
            # After the streams are set up in the child: close the ones asked for.
            preexec_fn=lambda: [os.close(fd) for fd in closing],
            timeout=60,
            check=False,
        )
    finally:
        for f in opened:
            f.close()
    out = proc.stdout.decode() if proc.stdout is not None else ""
    err = proc.stderr.decode() if proc.stderr is not None else ""
    return Run(args, proc.returncode, out, err)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", document(task(1), task(2, dependencies=[1])))


def _one_error_line(result: Run, *needles: str) -> str:
    assert "Traceback" not in result.stderr, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("error: "), result
    for needle in needles:
        assert needle in lines[0], result
    return lines[0]


def _json_error(result: Run) -> dict[str, Any]:
    """stderr is exactly one JSON object on one line, and nothing else."""
    assert result.stderr.endswith("\n"), result
    assert result.stderr.count("\n") == 1, result
    error = json.loads(result.stderr)
    assert set(error) == {"error"}, result
    return error["error"]  # type: ignore[no-any-return]


READS = [
    ("tasks", "list"),  # the fast path
    ("tasks", "list", "--json"),
    ("tasks", "show", "1"),
    ("tasks", "next"),
    ("tasks", "list", "--all-tags"),  # typer from here on
    ("tasks", "list", "-f", "table"),
    ("config", "path"),
    ("config", "get", "tasks.sort"),
    ("config", "list"),
    ("version",),
    ("--version",),
    ("--help",),
    ("tasks", "list", "--help"),
]


@needs_dev_full
@BUFFERING
@pytest.mark.parametrize("how", ["closed", "full"])
@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_stdout_that_cannot_be_written_is_exit_6_never_a_traceback(
    root: Path, args: tuple[str, ...], how: str, unbuffered: bool
) -> None:
    before = tasks_file(root).read_bytes()
    result = run(root, *args, stdout=how, unbuffered=unbuffered)
    assert result.returncode == EXIT_OUTPUT, result
    reason = "stdout is closed" if how == "closed" else "No space left on device"
    if "--json" in args:
        error = _json_error(result)
        assert error["code"] == "output"
        assert error["message"] == f"the output could not be written: {reason}"
    else:
        assert _one_error_line(result) == f"error: the output could not be written: {reason}"
    assert tasks_file(root).read_bytes() == before


WRITES = [
    ("tasks", "add", "New"),  # the fast path
    ("tasks", "add", "New", "--json"),
    ("tasks", "add", "--", "New"),  # typer: the fast path declines `--`
    ("tasks", "add", "--json", "--", "New"),
]


@needs_dev_full
@pytest.mark.parametrize("how", ["closed", "full"])
@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_a_change_whose_output_failed_says_it_was_written(
    root: Path, args: tuple[str, ...], how: str
) -> None:
    result = run(root, *args, stdout=how)
    assert result.returncode == EXIT_OUTPUT, result
    said = "the change was written, but its output could not be: "
    if "--json" in args:
        assert _json_error(result)["message"].startswith(said)
    else:
        # After "added task 3 ..." (stderr is for people): the error, last.
        lines = result.stderr.splitlines()
        assert lines[0].startswith("added task 3"), result
        assert lines[1].startswith(f"error: {said}"), result
        assert len(lines) == 2, result
    titles = [t["title"] for t in json.loads(tasks_file(root).read_bytes())["master"]["tasks"]]
    assert titles == ["Task 1", "Task 2", "New"]  # written once: a retry is not needed


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [("tasks", "update", "1", "--status", "done", "--json"), ("tasks", "remove", "2", "--json")],
    ids=" ".join,
)
def test_other_changes_whose_output_failed(root: Path, args: tuple[str, ...]) -> None:
    args = (*args, "--yes") if "remove" in args else args
    result = run(root, *args, stdout="full")
    assert result.returncode == EXIT_OUTPUT, result
    assert _json_error(result)["message"].startswith("the change was written")
    assert tasks_file(root).read_bytes() != document(task(1), task(2, dependencies=[1])).encode()


@needs_dev_full
@pytest.mark.parametrize("command", ["init", "config set", "config unset"])
def test_other_writes_whose_output_failed_say_so(root: Path, command: str) -> None:
    """Not only a tasks file: any file the command wrote (the context records them)."""
    args = {
        "init": ("init", str(root.parent / "fresh")),
        "config set": ("config", "set", "tasks.sort", "priority"),
        "config unset": ("config", "unset", "tasks.sort"),
    }[command]
    if command == "config unset":
        (root / ".taskctl.toml").write_text('[tasks]\nsort = "priority"\n')
    result = run(root, *args, "--json", stdout="full")
    assert result.returncode == EXIT_OUTPUT, result
    assert _json_error(result)["message"].startswith("the change was written"), result


@pytest.mark.parametrize("args", [*READS[:4], *WRITES[:1], ("tasks", "show", "9")], ids=" ".join)
def test_stdout_and_stderr_closed_the_exit_code_still_tells(
    root: Path, args: tuple[str, ...]
) -> None:
    result = run(root, *args, stdout="closed", stderr="closed")
    assert result.returncode == (3 if "9" in args else EXIT_OUTPUT), result


@needs_dev_full
@pytest.mark.parametrize("how", ["closed", "full"])
def test_stderr_that_cannot_be_written_loses_only_the_messages(root: Path, how: str) -> None:
    for args, code in (
        (("tasks", "add", "New"), 0),  # its message goes to stderr
        (("tasks", "update", "1", "--status", "done"), 0),
        (("tasks", "remove", "2", "--yes"), 0),  # typer
        (("tasks", "show", "9"), 3),
        (("tasks", "list", "--tag", "nope"), 3),  # typer
        (("tasks", "list", "--bogus"), 2),  # typer's usage error
    ):
        result = run(root, *args, stderr=how)
        assert result.returncode == code, result
    tasks = json.loads(tasks_file(root).read_bytes())["master"]["tasks"]
    assert [(t["id"], t["status"]) for t in tasks] == [(1, "done"), (3, "pending")]


def test_a_closed_stdin_reads_as_empty(root: Path) -> None:
    result = run(root, "tasks", "remove", "1", stdin="closed")
    _one_error_line(result, "stdin is not a terminal (pass --yes)")
    assert result.returncode == 2
    assert run(root, "tasks", "list", stdin="closed").returncode == 0


@BUFFERING
@pytest.mark.parametrize(
    "args",
    [
        ("tasks", "list"),
        ("tasks", "list", "--json"),
        ("tasks", "list", "-f", "table"),  # rich would exit 1 on its own
        ("tasks", "show", "1"),
        ("tasks", "add", "New"),
        ("config", "list"),
        ("--help",),
    ],
    ids=" ".join,
)
def test_a_reader_that_left_is_no_error(
    tmp_path: Path, args: tuple[str, ...], unbuffered: bool
) -> None:
    many = [task(i, f"Task {i} " + "x" * 60) for i in range(1, 2001)]  # past any pipe buffer
    root = make_project(tmp_path / "proj", document(*many))
    result = run(root, *args, stdout="gone", unbuffered=unbuffered)
    assert result.returncode == 0, result
    if "add" in args:  # written; its message too, unless stdout failed before it
        assert json.loads(tasks_file(root).read_bytes())["master"]["tasks"][-1]["id"] == 2001
        assert result.stderr in ("", f"added task 2001 to tag 'master' in {tasks_file(root)}\n")
    else:
        assert result.stderr == "", result


# --------------------------------------------------------------------------- --json errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tasks", "list", "--json", "--bogus"), "No such option: --bogus"),
        (("--bogus", "tasks", "list", "--json"), "No such option: --bogus"),
        (("tasks", "show", "--json"), "Missing argument 'ID...'."),
        (("tasks", "list", "--json", "--limit", "x"), "'x' is not a valid int"),
        (("tasks", "add", "--json"), "Missing argument 'title'."),
        (("tasks", "nope", "--json"), "No such command 'nope'"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else "",
)
def test_usage_errors_with_json_are_one_json_object(
    root: Path, args: tuple[str, ...], message: str
) -> None:
    result = taskctl(root, *args)
    assert result.returncode == 2, result
    error = _json_error(result)
    assert error["code"] == "usage"
    assert message in error["message"]
    assert result.stdout == ""
    # Without --json, typer's own text, usage line first.
    plain = taskctl(root, *[a for a in args if a != "--json"])
    assert plain.returncode == 2, plain
    assert plain.stderr.startswith("Usage: taskctl"), plain


@pytest.mark.parametrize(
    "args", [("tasks", "show", "9", "--json"), ("tasks", "list", "--tag", "x", "--json")]
)
def test_warnings_before_a_json_error_are_folded_into_it(root: Path, args: tuple[str, ...]) -> None:
    (root / ".taskctl.toml").write_text("[tasks]\nsortt = 'id'\n")
    result = taskctl(root, *args)
    assert result.returncode == 3, result
    error = _json_error(result)
    assert error["code"] == "not_found"
    assert len(error["warnings"]) == 1
    assert "unknown key tasks.sortt" in error["warnings"][0]
    # Without an error, the warning is printed as usual; without --json, as it comes.
    shown = taskctl(root, "tasks", "show", "1", "--json")
    assert shown.returncode == 0
    assert shown.stderr.startswith("warning: ")
    assert "tasks.sortt" in shown.stderr
    plain = taskctl(root, *[a for a in args if a != "--json"])
    assert plain.stderr.splitlines()[0].startswith("warning: "), plain
    assert plain.stderr.splitlines()[1].startswith("error: "), plain


# --------------------------------------------------------------------------- the boundary

_FAIL_READ = (
    "import sys, taskctl.core.store as s\n"
    "def read_document(*a, **k):\n"
    "    raise {exc}\n"
    "s.read_document = read_document\n"
    "from taskctl.cli.entry import main; main()"
)
BOTH_PATHS = pytest.mark.parametrize(
    "args", [("tasks", "list"), ("tasks", "list", "--all-tags")], ids=["fastpath", "typer"]
)


@BOTH_PATHS
def test_ctrl_c_is_exit_130_with_one_line(root: Path, args: tuple[str, ...]) -> None:
    boot = _FAIL_READ.format(exc="KeyboardInterrupt")
    result = run(root, *args, boot=boot)
    assert result.returncode == 130, result
    assert _one_error_line(result) == "error: interrupted"
    result = run(root, *args, "--json", boot=boot)
    assert (result.returncode, _json_error(result)["code"]) == (130, "interrupted")


@BOTH_PATHS
def test_a_bug_is_exit_1_with_the_debug_hint(root: Path, args: tuple[str, ...]) -> None:
    boot = _FAIL_READ.format(exc="ZeroDivisionError('boom')")
    result = run(root, *args, boot=boot)
    assert result.returncode == 1, result
    line = _one_error_line(result, "internal error: ZeroDivisionError: boom")
    assert line.endswith("(rerun with --debug for details)")
    debug = run(root, "--debug", *args, boot=boot)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.splitlines()[-1] == line
    as_json = run(root, *args, "--json", boot=boot)
    assert _json_error(as_json)["code"] == "internal"


def test_format_json_spelt_short_makes_errors_json_too(root: Path) -> None:
    for args in (("-f", "json"), ("-fjson",), ("--format=jsonl",)):
        result = taskctl(root, "tasks", "list", "--tag", "nope", *args)
        assert result.returncode == 3, result
        assert _json_error(result)["code"] == "not_found"


@BOTH_PATHS
def test_a_pipe_whose_reader_left_inside_a_command_is_no_error(
    root: Path, args: tuple[str, ...]
) -> None:
    """A BrokenPipeError the command meets itself (not on stdout, which handles its own)."""
    result = run(root, *args, boot=_FAIL_READ.format(exc="BrokenPipeError()"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "args", [("tasks", "show", "9"), ("tasks", "remove", "9", "--yes")], ids=["fastpath", "typer"]
)
@pytest.mark.parametrize("value", ["1", "yes", "0", "false", "no", ""])
def test_taskctl_debug_from_the_environment_shows_the_traceback(
    root: Path, args: tuple[str, ...], value: str
) -> None:
    result = taskctl(root, *args, env={"TASKCTL_DEBUG": value})
    assert result.returncode == 3, result
    traced = "Traceback (most recent call last)" in result.stderr
    assert traced == (value not in ("", "0", "false", "no")), result
    assert result.stderr.splitlines()[-1].startswith("error: "), result


def _debug_traced(via: str, environ: dict[str, str], project: Path) -> bool:
    """Whether the command's error came with a traceback, run in this process with
    `environ` as the run's environment (os.environ has no TASKCTL_DEBUG)."""
    argv = ["--project", str(project), "tasks", "show", "9"]
    runner = CliRunner()
    if via == "typer":
        given = AppContext(environ=environ)
        result = runner.invoke(app, argv, obj=given)
        code, err = result.exit_code, result.stderr
    else:
        with runner.isolation() as (_, stderr, _):
            code = fastpath.run(argv, environ)
            sys.stderr.flush()
            err = stderr.getvalue().decode()
    assert code == 3, err
    return "Traceback (most recent call last)" in err


@pytest.mark.parametrize("via", ["fastpath", "typer"])
def test_taskctl_debug_is_read_from_the_runs_environment_not_the_process(
    root: Path, via: str
) -> None:
    assert "TASKCTL_DEBUG" not in os.environ
    assert _debug_traced(via, {"TASKCTL_DEBUG": "1"}, root)
    assert not _debug_traced(via, {}, root)


def test_a_reader_that_left_before_the_last_flush_is_no_error(tmp_path: Path) -> None:
    """`exit_process` flushes what is left; a reader gone by then is exit 0, no message."""
    boot = (
        "import io, os, sys\n"
        "from taskctl.cli.boundary import exit_process\n"
        "read_end, write_end = os.pipe()\n"
        "os.close(read_end)\n"
        "sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(write_end, 'w')))\n"
        "sys.stdout.write('lost')\n"
        "exit_process(0)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", boot],
        capture_output=True,
        env=_env(False),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, b"")


def test_a_stream_python_did_not_open_gets_dev_null_on_its_descriptor(tmp_path: Path) -> None:
    """With sys.stdout None while descriptor 1 is still open (Python could not use it),
    /dev/null takes the descriptor: a stray write to fd 1 goes nowhere."""
    boot = (
        "import os, sys\n"
        "sys.stdout = None\n"
        "from taskctl.cli.boundary import guard_streams\n"
        "guard_streams([])\n"
        "os.write(1, b'stray')\n"
        "sys.stderr.write('guarded')\n"
        "sys.stderr.flush()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", boot],
        capture_output=True,
        env=_env(False),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"guarded")
