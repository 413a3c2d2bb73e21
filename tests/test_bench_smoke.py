"""The benchmark (`python -m tests.bench`) still runs, at its smallest size.

This checks that the harness works and reports sane rows. It asserts no timing budget:
machines here are shared and noisy; the budgets are read from a full run (README).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.bench.run import COMMANDS, table

REPO = Path(__file__).resolve().parents[1]


def test_benchmark_runs_at_the_smallest_size_and_reports_every_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--sizes", "1000", "--runs", "1", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)

    rows = report["rows"]
    assert [r["command"] for r in rows] == [c.name for c in COMMANDS]
    for row in rows:
        assert row["ok"], row["error"]
        assert row["size"] == 1000
        assert len(row["samples"]) == len(row["floor_samples"]) == 1
        assert row["seconds"] > 0
        assert row["floor_seconds"] > 0
        assert abs(row["ratio"] - row["seconds"] / row["floor_seconds"]) < 1e-9
        best = min(row["samples"]) / min(row["floor_samples"])
        assert abs(row["best_ratio"] - best) < 1e-9
        # every child is a Python process: more than the spawner's own few MB
        assert row["peak_mb"] > report["meta"]["spawner_peak_mb"]
        assert row["floor_peak_mb"] > report["meta"]["spawner_peak_mb"]

    (cache,) = report["cache"]
    assert cache["tasks"] >= 1000  # plus the tasks that `tasks add` made
    assert cache["cache_hits"] is True
    assert 0 < cache["repeat_ms"] < cache["first_ms"]

    text = table(report)
    for command in COMMANDS:
        assert command.name in text
