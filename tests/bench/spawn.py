"""The small process that starts every measured child, times it and reads its peak RSS.

Why not `subprocess` from the benchmark itself: a child's `ru_maxrss` includes the
peak RSS of the process it was forked (or vforked) from, and the benchmark holds
stores of 100,000 tasks in memory. This process imports nothing heavy, so its own peak
(about 10 MB, reported first) stays below every child's, which all run Python.

Protocol: one JSON request a line on stdin, `{"argv", "cwd", "stdout", "stderr"}` (the
two paths may be null for /dev/null); one JSON reply a line on stdout,
`{"seconds", "peak_kb", "cpu_seconds", "returncode"}`. The children inherit this
process's environment.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def spawn(argv: list[str], cwd: str, stdout: str | None, stderr: str | None) -> dict[str, object]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    out = os.open(stdout or os.devnull, flags, 0o600)
    err = os.open(stderr or os.devnull, flags, 0o600)
    try:
        os.chdir(cwd)
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out, 1),
            (os.POSIX_SPAWN_DUP2, err, 2),
        ]
        start = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
    finally:
        os.close(out)
        os.close(err)
    return {
        "seconds": seconds,
        "peak_kb": usage.ru_maxrss,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "returncode": os.waitstatus_to_exitcode(status),
    }


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
        reply = spawn(request["argv"], request["cwd"], request["stdout"], request["stderr"])
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
