"""`taskctl version` and `taskctl --version`: versions and the paths in use."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taskctl import __version__
from taskctl.cli.app import app
from taskctl.core.about import DEPENDENCIES, about, dependency_versions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

runner = CliRunner()


def version_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "version", "--json"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_json_keys_and_versions(project: Path) -> None:
    info = version_json()
    assert list(info) == ["taskctl", "python", "platform", "dependencies", "paths"]
    assert info["taskctl"] == __version__
    python = info["python"]
    assert isinstance(python, dict)
    assert python["version"] == ".".join(map(str, sys.version_info[:3]))
    assert python["executable"] == sys.executable
    dependencies = info["dependencies"]
    assert isinstance(dependencies, dict)
    assert list(dependencies) == list(DEPENDENCIES)
    assert all(isinstance(v, str) and v[0].isdigit() for v in dependencies.values())


def test_paths_in_a_project(project: Path, isolated_home: Path) -> None:
    paths = version_json()["paths"]
    assert paths == {
        "project_root": str(project),
        "tasks_file": str(project / ".taskmaster" / "tasks" / "tasks.json"),
        "user_config_file": str(isolated_home / ".config" / "taskctl" / "config.toml"),
        "user_data_dir": str(isolated_home / ".local" / "share" / "taskctl"),
    }


def test_paths_outside_any_project_and_with_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, project: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = version_json()["paths"]
    assert isinstance(paths, dict)
    assert paths["project_root"] is None
    assert paths["tasks_file"] == str(isolated_home / ".local" / "share" / "taskctl" / "tasks.json")
    paths = version_json("--project", str(project))["paths"]
    assert isinstance(paths, dict)
    assert paths["project_root"] == str(project)


def test_text_output(project: Path) -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0, result.stderr
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["taskctl"] == __version__
    assert set(DEPENDENCIES) <= set(lines)
    assert f"root  {project}" in result.stdout
    assert "tasks file" in result.stdout


def test_a_missing_dependency_is_reported_as_such() -> None:
    versions = dependency_versions(("msgspec", "surely-not-installed-dist"))
    assert versions["surely-not-installed-dist"] is None
    assert versions["msgspec"]


def test_dash_dash_version_prints_the_version_alone() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"taskctl {__version__}\n")


def test_only_the_version_command_reads_package_metadata(project: Path) -> None:
    def imports(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "taskctl", *args],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return proc.stderr

    assert "importlib.metadata" not in imports("tasks", "list", "--json")
    assert "importlib.metadata" in imports("version")


def test_the_dependencies_reported_are_those_pyproject_declares() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    declared = [
        re.split(r"[<>=!~ \[]", d, maxsplit=1)[0]
        for d in pyproject["project"]["dependencies"]
        if ";" not in d  # tomli, for Python 3.10 only
    ]
    assert list(DEPENDENCIES) == declared


def test_the_report_uses_the_environment_and_version_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """core.about reads nothing of the process's own: the CLI passes its context's
    environment and taskctl's version in."""
    monkeypatch.chdir(tmp_path)  # outside any project: the personal store
    home = tmp_path / "elsewhere"
    environ = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "cfg"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    report = about(None, environ, "9.9.9").as_dict()
    assert report["taskctl"] == "9.9.9"
    assert report["paths"] == {
        "project_root": None,
        "tasks_file": str(home / "data" / "taskctl" / "tasks.json"),
        "user_config_file": str(home / "cfg" / "taskctl" / "config.toml"),
        "user_data_dir": str(home / "data" / "taskctl"),
    }
