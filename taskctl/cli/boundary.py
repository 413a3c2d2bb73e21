"""The one error boundary, and how the process leaves: typer-free.

Both ways a command runs end here: the Typer app (its root group's `invoke`,
`cli/app.py`) and the fast path (`cli/fastpath.py`). An error becomes one line on
stderr (a JSON object when the command line asked for JSON) and its exit code.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from taskctl.core.errors import EXIT_INTERNAL, EXIT_OUTPUT, TaskctlError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

EXIT_INTERRUPTED = 130


class OutputError(OSError):
    """stdout could not be written (closed, a full disk, an I/O error): not a bug.

    Raised by stdout itself (`guard_streams`), so that the boundary tells it apart from
    any other OSError wherever the write happened: a table, typer's help, the final
    flush.
    """


class _Stdout(io.FileIO):
    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            # The reader left (`| head -1`): no error. The rest of the output goes
            # nowhere; the command ends as it would have, and exits 0.
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.fileno())
            os.close(null)
            return memoryview(data).nbytes
        except OSError as exc:
            raise OutputError(exc.errno, exc.strerror) from None


class _ClosedStdout(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:  # noqa: ARG002 - fails whatever it is
        raise OutputError(errno.EBADF, "stdout is closed")


class _Stderr(io.FileIO):
    """stderr is for people: closed or full, the text is lost and the exit code tells."""

    def write(self, data: ReadableBuffer, /) -> int:
        with contextlib.suppress(OSError):
            return super().write(data)
        return memoryview(data).nbytes


def _text(raw: io.RawIOBase, like: TextIO | None) -> io.TextIOWrapper:
    """A text stream over `raw`, as Python made `like` (unbuffered with -u)."""
    unbuffered = like is not None and not isinstance(
        getattr(like, "buffer", None), io.BufferedWriter
    )
    return io.TextIOWrapper(
        raw if unbuffered else io.BufferedWriter(raw),  # type: ignore[arg-type]
        encoding=like.encoding if like is not None else "utf-8",
        errors=like.errors if like is not None else "backslashreplace",
        line_buffering=bool(like.line_buffering) if like is not None else False,
        write_through=unbuffered,
    )


def guard_streams(argv: Sequence[str]) -> None:
    """Before anything else runs: standard streams that are safe to use, and what
    happens when one cannot be written.

    A stream the caller closed (`>&-`) leaves its descriptor free, and the next file
    opened would get it: a stray write to fd 1 or 2 could land in the tasks file. So
    /dev/null takes the descriptor. A closed stdin reads as empty. stdout's failures
    raise OutputError (a closed stdout fails every write); a reader that left is
    no error. stderr's failures are ignored. With --json, the notes for stderr wait
    for the end of the command (`render.hold_notes`).
    """
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if None in streams:
        for fd, stream in enumerate(streams):
            if stream is None:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
        if sys.stdin is None:
            sys.stdin = open(0, closefd=False)  # noqa: SIM115 - for the whole run
    out, err = sys.stdout, sys.stderr
    sys.stdout = _text(_ClosedStdout() if out is None else _Stdout(1, "w", closefd=False), out)
    sys.stderr = _text(_Stderr(2, "w", closefd=False), err)
    if wants_json(argv):
        from taskctl.cli import render  # noqa: PLC0415 - only JSON output needs it here

        render.hold_notes()


def wants_json(args: Sequence[str]) -> bool:
    """Whether the command line asked for JSON output (then errors are JSON too)."""
    for i, arg in enumerate(args):
        if arg in ("--json", "--format=json", "--format=jsonl", "-fjson", "-fjsonl"):
            return True
        if arg in ("--format", "-f") and i + 1 < len(args) and args[i + 1] in ("json", "jsonl"):
            return True
    return False


def debug_enabled(debug: bool, environ: Mapping[str, str]) -> bool:
    """--debug, or TASKCTL_DEBUG set to anything but empty, 0, false or no."""
    return debug or environ.get("TASKCTL_DEBUG", "") not in ("", "0", "false", "no")


def report(
    exc: BaseException,
    args: Sequence[str],
    *,
    debug: bool,
    environ: Mapping[str, str],
    wrote: bool = False,
) -> int:
    """Tell the user what went wrong with the command `args`; return the exit code.

    A TaskctlError is the user's to fix: its message and exit code. Ctrl-C is 130. A
    reader that left (`taskctl tasks list | head`) is not an error; stdout that cannot
    be written is `output_failed` (`wrote`: the command replaced a file first). Anything
    else is a bug: exit 1. With --debug (`debug`) or TASKCTL_DEBUG in the run's
    `environ`, the traceback first.
    """
    from taskctl.cli import render  # noqa: PLC0415 - msgspec is not needed for --version

    if isinstance(exc, BrokenPipeError):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if debug_enabled(debug, environ):
        _print_traceback()
    if isinstance(exc, TaskctlError):
        render.error(exc.code, str(exc), as_json=wants_json(args))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        render.error("interrupted", "interrupted", as_json=wants_json(args))
        return EXIT_INTERRUPTED
    if isinstance(exc, OutputError):
        return output_failed(exc, args, wrote=wrote)
    text = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
    render.error("internal", text, as_json=wants_json(args))
    return EXIT_INTERNAL


def output_failed(exc: Exception, args: Sequence[str], *, wrote: bool = False) -> int:
    """stdout could not be written: say so on stderr where it can be, and exit 7.

    Whether the command changed a file (`wrote`) decides the words: a script must not
    run a command again whose change was written (a second `tasks add` adds a second
    task).
    """
    from taskctl.cli import render  # noqa: PLC0415

    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    if wrote:
        text = f"the change was written, but its output could not be: {reason}"
    else:
        text = f"the output could not be written: {reason}"
    render.error("output", text, as_json=wants_json(args))
    return EXIT_OUTPUT


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

    A command's output is flushed where it ran, by the boundary that knows whether it
    wrote a file; what is left here (typer's help or usage, a failed command's output)
    is flushed now, so a full or closed stdout shows here too: exit 7 (`output_failed`)
    unless the command had failed already.
    stderr is for people: when it cannot be written, the exit code alone tells.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`| head`): not an error
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError) as exc:
        if code == 0:
            code = output_failed(exc, sys.argv[1:])
    render = sys.modules.get("taskctl.cli.render")
    if render is not None:
        render.release_notes()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
