"""A repeated read of an unchanged store through the Python API, against the first read.

Run by the benchmark in its own process: `python -m tests.bench.cache PROJECT [REPEATS]`.
Prints one JSON object:

* `first_ms`, `repeat_ms`: `project.read_tag()` (the tag decoded and validated) the first
  time, then the median of repeated calls, which must be cache hits (`cache_hits`: the
  same view object back, so one `stat` and no decode);
* `get_ms`: the median of `project.get(ID)` on the warm cache (one task as a dict);
* `list_first_ms`, `list_repeat_ms`: `project.list()`, every task as a dict.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec


def _median_ms(call: Callable[[], Any], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def measure(root: Path, repeats: int = 2000) -> dict[str, float | bool | int]:
    import taskctl  # noqa: PLC0415 - the import is not what is measured

    project = taskctl.open(root)
    start = time.perf_counter()
    first = project.read_tag()
    first_ms = (time.perf_counter() - start) * 1000
    assert first is not None
    hits = all(project.read_tag() is first for _ in range(10))
    middle = str(len(first.tasks) // 2)
    start = time.perf_counter()
    project.list()
    list_first_ms = (time.perf_counter() - start) * 1000
    return {
        "tasks": len(first.tasks),
        "first_ms": first_ms,
        "repeat_ms": _median_ms(project.read_tag, repeats),
        "cache_hits": hits,
        "get_ms": _median_ms(lambda: project.get(middle), repeats),
        "list_first_ms": list_first_ms,
        "list_repeat_ms": _median_ms(project.list, 3),
    }


if __name__ == "__main__":
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    sys.stdout.write(msgspec.json.encode(measure(Path(sys.argv[1]), repeats)).decode())
