"""The one error boundary, and how the process leaves: typer-free.

Both ways a command runs end here: the Typer app (its root group's `invoke`,
`cli/app.py`) and the fast path (`cli/fastpath.py`). An error becomes one line on
stderr (a JSON object when the command line asked for JSON) and its exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from taskctl.core.errors import EXIT_INTERNAL, TaskctlError

EXIT_INTERRUPTED = 130


def wants_json(args: Sequence[str]) -> bool:
    """Whether the command line asked for JSON output (then errors are JSON too)."""
    for i, arg in enumerate(args):
        if arg == "--json" or arg in ("--format=json", "--format=jsonl"):
            return True
        if arg == "--format" and i + 1 < len(args) and args[i + 1] in ("json", "jsonl"):
            return True
    return False


def debug_enabled(debug: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """--debug, or TASKCTL_DEBUG set to anything but empty, 0, false or no."""
    return debug or environ.get("TASKCTL_DEBUG", "") not in ("", "0", "false", "no")


def report(exc: BaseException, args: Sequence[str], *, debug: bool) -> int:
    """Tell the user what went wrong with the command `args`; return the exit code.

    A TaskctlError is the user's to fix: its message and exit code. Ctrl-C is 130. A
    reader that left (`taskctl tasks list | head`) is not an error. Anything else is a
    bug: exit 1, and the traceback with --debug.
    """
    from taskctl.cli import render  # noqa: PLC0415 - msgspec is not needed for --version

    if isinstance(exc, TaskctlError):
        if debug_enabled(debug):
            _print_traceback()
        render.error(exc.code, str(exc), as_json=wants_json(args))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        render.error("interrupted", "interrupted", as_json=False)
        return EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if debug_enabled(debug):
        _print_traceback()
    text = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
    render.error("internal", text, as_json=wants_json(args))
    return EXIT_INTERNAL


def _print_traceback() -> None:
    import traceback  # noqa: PLC0415 - only --debug pays for it

    traceback.print_exc()


def exit_process(code: int) -> NoReturn:
    """Flush stdout and stderr, then leave without the interpreter's teardown.

    taskctl is a short-lived process. Over a 10,000-task store, the garbage collector
    (scanning objects that are all about to be freed) and the interpreter's teardown
    (freeing them one by one) are a large part of a command's time, so the collector
    is off (`entry.main`) and the process leaves with `os._exit` once its output is
    flushed. Every file taskctl writes is closed and fsynced inside the command,
    before this point.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader left (`| head`): not an error
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)
