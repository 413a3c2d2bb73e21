"""The small process that starts every measured child, times it and reads its peak RSS.

Why not `subprocess` from the benchmark itself: a child's `ru_maxrss` includes the
peak RSS of the process it was forked (or vforked) from, and the benchmark holds
stores of 100,000 tasks in memory. This process imports nothing heavy, so its own peak
(about 10 MB, reported first) stays below every child's, which all run Python.

Protocol: one JSON request a line on stdin, `{"argv", "cwd", "stdout", "stderr"}` (the
two paths may be null for /dev/null) and optionally `"mode"` and `"env"`; one JSON reply a
line on stdout, `{"seconds", "peak_kb", "cpu_seconds", "returncode", "tail"}`. The
children inherit this process's environment, updated with `env`.

Modes, for where the child's output goes:
* `file` (the default): straight into the `stdout` file, or /dev/null;
* `pipe`: a pipe that this process reads to its end, as a script reading the output does;
* `pty`: a pseudo-terminal of `COLUMNS` x `ROWS`, what a person sees: the child starts
  a session whose controlling terminal it is, on stdin, stdout and stderr, and this
  process reads it until the child and everything it started have closed it.
In `pipe` and `pty` mode the output read goes to `stdout` when that is a path, and its
last bytes come back as `tail` (for the message when the child fails).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import resource
import struct
import sys
import termios
import time

COLUMNS, ROWS = 120, 40
TAIL = 2000  # bytes of pipe or terminal output kept for an error message


def spawn(
    argv: list[str],
    cwd: str,
    stdout: str | None,
    stderr: str | None,
    mode: str = "file",
    env: dict[str, str] | None = None,
) -> dict[str, object]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    out = os.open(stdout or os.devnull, flags, 0o600)
    err = os.open(stderr or os.devnull, flags, 0o600)
    child_env = {**os.environ, **(env or {})}
    setsid = False
    reader = -1
    try:
        os.chdir(cwd)
        if mode == "file":
            actions = [
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, out, 1),
                (os.POSIX_SPAWN_DUP2, err, 2),
            ]
        elif mode == "pipe":
            reader, writer = os.pipe()
            actions = [
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, writer, 1),
                (os.POSIX_SPAWN_DUP2, err, 2),
            ]
        else:
            reader, writer = os.openpty()
            fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            # opened by name after setsid(), the terminal becomes the child's controlling
            # one (as in a shell), so that /dev/tty works for a pager that wants it
            actions = [
                (os.POSIX_SPAWN_OPEN, 0, os.ttyname(writer), os.O_RDWR, 0),
                (os.POSIX_SPAWN_DUP2, 0, 1),
                (os.POSIX_SPAWN_DUP2, 0, 2),
            ]
            setsid = True
        start = time.perf_counter()
        try:
            pid = os.posix_spawnp(argv[0], argv, child_env, file_actions=actions, setsid=setsid)
        except OSError as exc:  # a failure of this command, not of the benchmark
            return {
                "seconds": 0.0,
                "peak_kb": 0,
                "cpu_seconds": 0.0,
                "returncode": 127,
                "tail": f"{argv[0]}: {exc.strerror}",
            }
        finally:
            if reader >= 0:
                os.close(writer)
        tail = b"" if reader < 0 else drain(reader, out if stdout else -1)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
    finally:
        os.close(out)
        os.close(err)
        if reader >= 0:
            os.close(reader)
    return {
        "seconds": seconds,
        "peak_kb": usage.ru_maxrss,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "returncode": os.waitstatus_to_exitcode(status),
        "tail": tail.decode("utf-8", "replace"),
    }


def drain(reader: int, copy_to: int) -> bytes:
    """Read a pipe or a terminal's master side until no process holds the other end
    (end of file for a pipe, EIO for a terminal); the last bytes read come back."""
    tail = b""
    while True:
        try:
            chunk = os.read(reader, 1 << 16)
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise
            chunk = b""
        if not chunk:
            return tail
        if copy_to >= 0:
            os.write(copy_to, chunk)
        tail = (tail + chunk)[-TAIL:]


def own_peak_kb() -> int:
    """This process's peak RSS since its exec (VmHWM), which is what a child inherits."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    own = own_peak_kb()
    sys.stdout.write(json.dumps({"peak_kb": own}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        request = json.loads(line)
        reply = spawn(
            request["argv"],
            request["cwd"],
            request["stdout"],
            request["stderr"],
            request.get("mode", "file"),
            request.get("env"),
        )
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
