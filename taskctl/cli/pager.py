"""Long output on a terminal goes through a pager, as git and gh do.

Which pager, as git chooses: `TASKCTL_PAGER`, else `output.pager`, else `PAGER`, else
`less`, which gets `LESS=FRX` only when `LESS` is not set (quit when the text fits on
one screen, keep colours, leave the text on the screen), as git sets it. An empty
command or `cat` is no pager; `--no-pager` and a stdout that is not a terminal turn
it off. The command is split as a shell splits words (`shlex`), and runs with the
run's environment.
"""

from __future__ import annotations

import contextlib
import shlex
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

import msgspec

DEFAULT = "less"
# What git gives its pager when the user has not set them.
_PAGER_ENV = {"LESS": "FRX", "LV": "-c"}


class Pager(msgspec.Struct, frozen=True, kw_only=True):
    """A pager to start for output longer than a screen of `lines` x `columns`."""

    argv: tuple[str, ...]
    environ: dict[str, str]
    lines: int
    columns: int
    # Chosen by the user (variable or setting): a pager that cannot start is worth a
    # warning; the default `less` missing (a small container) is not.
    chosen: bool = True

    def wanted(self, lines: int, width: int) -> bool:
        """Whether `lines` lines at most `width` cells wide may not fit on the screen.
        (A line wider than the screen wraps: less -F, the default, then decides.)"""
        return lines >= self.lines or width > self.columns

    def show(self, parts: Iterable[str]) -> bool:
        """Write the text to the pager, a part at a time, and wait for it to end; False
        (nothing read from `parts`) when it cannot start.

        The reader may quit (`q`) before reading it all: that is no error, and the rest
        is not made. Ctrl-C is the pager's while it runs (less stops a search on it), as
        with git.
        """
        import signal  # noqa: PLC0415 - only when paging
        import subprocess  # noqa: PLC0415

        sys.stdout.flush()
        try:
            # the user's own pager command, as git runs it
            process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, env=self.environ)  # noqa: S603
        except OSError as exc:
            if self.chosen:
                from taskctl.cli import render  # noqa: PLC0415

                render.warning(f"cannot run the pager {shlex.join(self.argv)}: {exc.strerror}")
            return False
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            _feed(process.stdin, parts)
            process.wait()
        finally:
            signal.signal(signal.SIGINT, interrupt)
        return True


def _feed(stdin: IO[bytes] | None, parts: Iterable[str]) -> None:
    """Write the parts, encoded as stdout would encode them, until the pager stops
    reading (a closed pipe is its reader quitting, not an error), then close its input."""
    if stdin is None:  # pragma: no cover - stdin=PIPE
        return
    encoding, errors = sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"
    with contextlib.suppress(BrokenPipeError):
        for part in parts:
            stdin.write(part.encode(encoding, errors))
    with contextlib.suppress(BrokenPipeError):
        stdin.close()


def choose(environ: Mapping[str, str], setting: str, size: tuple[int, int]) -> Pager | None:
    """The pager the user wants (`setting` is output.pager; `size` the screen's columns
    and lines), or None. Whether to page at all (a terminal, no --no-pager) is the
    context's to say (`AppContext.pager`)."""
    command = environ.get("TASKCTL_PAGER")
    if command is None and setting != "auto":
        command = setting
    if command is None:
        command = environ.get("PAGER")
    chosen = command is not None
    argv = _split(DEFAULT if command is None else command)
    if not argv or argv == ["cat"]:
        return None
    env = {**_PAGER_ENV, **environ}
    return Pager(argv=tuple(argv), environ=env, columns=size[0], lines=size[1], chosen=chosen)


def _split(command: str) -> Sequence[str]:
    """The command's words; an unbalanced quote keeps the text as one word, which then
    fails to start with a message naming it."""
    try:
        return shlex.split(command)
    except ValueError:
        return [command.strip()] if command.strip() else []
