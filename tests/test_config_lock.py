"""`config set` holds a lock around its read-modify-write: concurrent sets all land."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from taskctl.core.config.resolved import WriteTarget
from taskctl.core.config.write import set_value, unset_value

KEYS = [
    ("tasks.default_priority", "high"),
    ("tasks.default_status", "review"),
    ("tasks.default_tag", "feature"),
    ("tasks.sort", "priority"),
    ("tasks.with_subtasks", "true"),
    ("storage.lock_timeout", "3"),
    ("storage.backups", "4"),
    ("output.format", "json"),
    ("output.color", "never"),
]


def test_concurrent_config_sets_lose_nothing(project: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "taskctl", "config", "set", key, value, "--project"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key, value in KEYS
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    written = tomllib.loads((project / ".taskctl.toml").read_text())
    flat = {f"{section}.{k}": v for section, table in written.items() for k, v in table.items()}
    assert sorted(flat) == sorted(k for k, _ in KEYS)
    assert not list(project.glob(".taskctl.toml.lock"))  # Task Master's protocol is not used here


def test_the_lock_is_in_the_cache_folder_of_the_environment_given(
    tmp_path: Path, isolated_home: Path
) -> None:
    """The command's environment places the lock, not the process's."""
    cache = tmp_path / "cache"
    environ = {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(cache)}
    target = WriteTarget(scope="user", path=tmp_path / "config.toml", reason="a test")
    set_value(target, "tasks.sort", "priority", environ)
    assert unset_value(target, "tasks.sort", environ)
    assert (cache / "taskctl" / "locks").is_dir()
    assert not (isolated_home / ".cache").exists()
