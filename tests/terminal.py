"""Run the real `taskctl` on a pseudo-terminal of a given size, as a person at a terminal.

stdin, stdout and stderr are the terminal (as in a shell); the output is read until
every process holding the terminal (taskctl, and a pager it started) has closed it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from tests.cli_process import command, env_for

# What taskctl itself writes for colour: SGR sequences (`ESC[1m`, `ESC[2;9m`, `ESC[0m`).
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Variables of the test's own environment that would change what a terminal shows.
_DROPPED = ("COLUMNS", "LINES", "PAGER", "LESS", "NO_COLOR", "FORCE_COLOR")


@dataclass(frozen=True)
class Screen:
    returncode: int
    raw: str  # as the terminal received it, with the colours, `\r\n` line ends

    @property
    def lines(self) -> list[str]:
        """The lines shown, without colours."""
        return SGR.sub("", self.raw).replace("\r\n", "\n").splitlines()


def on_terminal(
    project: Path,
    *args: str,
    columns: int,
    lines: int = 50,
    env: dict[str, str | None] | None = None,
    timeout: float = 60,
) -> Screen:
    """Run `taskctl --project PROJECT ARGS` on a terminal of `columns` x `lines`; `env`
    adds variables, or removes those set to None. No pager unless `env` names one
    (TASKCTL_PAGER=cat)."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    given: dict[str, str | None] = {"TERM": "xterm-256color", "TASKCTL_PAGER": "cat"}
    given.update(env or {})
    environ = {k: v for k, v in env_for().items() if k not in _DROPPED}
    environ.update({k: v for k, v in given.items() if v is not None})
    for name in (k for k, v in given.items() if v is None):
        environ.pop(name, None)
    try:
        proc = subprocess.Popen(
            command(project, *args),
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=environ,
            start_new_session=True,
        )
        os.close(follower)
        follower = -1
        out = _drain(leader, time.monotonic() + timeout)
        code = proc.wait(timeout=timeout)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    return Screen(code, out.decode("utf-8", "replace"))


def _drain(leader: int, deadline: float) -> bytes:
    out = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError as exc:  # EIO: no process holds the terminal any more
            if exc.errno != errno.EIO:
                raise
            return out
        if not chunk:
            return out
        out += chunk
    raise TimeoutError(f"the terminal was still open after the timeout; read: {out[-2000:]!r}")
