"""What `taskctl version` reports: versions, and the paths a command would use.

Plain values for a bug report: taskctl's version, Python's, each dependency's (read
from the installed distributions' metadata, which costs tens of milliseconds, so only
here), the project root or none, the tasks file, the user config file and the user
data folder. No typer, no rich: the CLI renders it (`taskctl.cli.render_config.about`).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The runtime dependencies pyproject.toml declares for every Python version.
DEPENDENCIES: tuple[str, ...] = (
    "typer",
    "rich",
    "msgspec",
    "platformdirs",
    "tomlkit",
    "portalocker",
)


@dataclass(frozen=True)
class About:
    taskctl: str
    python: str
    implementation: str
    executable: str
    platform: str
    dependencies: dict[str, str | None]  # None: not installed
    project_root: Path | None  # None: outside any project (the personal store)
    tasks_file: Path
    user_config_file: Path
    user_data_dir: Path

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of `taskctl version --json`."""
        return {
            "taskctl": self.taskctl,
            "python": {
                "version": self.python,
                "implementation": self.implementation,
                "executable": self.executable,
            },
            "platform": self.platform,
            "dependencies": dict(self.dependencies),
            "paths": {
                "project_root": None if self.project_root is None else str(self.project_root),
                "tasks_file": str(self.tasks_file),
                "user_config_file": str(self.user_config_file),
                "user_data_dir": str(self.user_data_dir),
            },
        }


def dependency_versions(names: tuple[str, ...] = DEPENDENCIES) -> dict[str, str | None]:
    """Each distribution's installed version, or None where it is not installed."""
    from importlib import metadata  # noqa: PLC0415 - slow to import, only for this report

    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def about(project: str | None, environ: Mapping[str, str], version: str) -> About:
    """The report for a command run with `--project` = `project` in `environ`, by
    taskctl `version` (the CLI passes it in: core imports nothing above it)."""
    from taskctl.core.config.sources import trusted_safe_directories, user_config_file  # noqa: PLC0415
    from taskctl.core.paths import locate, user_data_dir  # noqa: PLC0415

    location = locate(
        project, environ=environ, safe_directories=lambda: trusted_safe_directories((), environ)
    )
    return About(
        taskctl=version,
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        executable=sys.executable,
        platform=platform.platform(),
        dependencies=dependency_versions(),
        project_root=location.root,
        tasks_file=location.tasks_file,
        user_config_file=user_config_file(environ),
        user_data_dir=user_data_dir(environ),
    )
