"""Shared fixtures: no test touches a real home, config or data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "taskmaster"
HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(home / "etc-xdg"))
    for name in list(__import__("os").environ):
        if name.startswith("TASKCTL_") or name in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty taskctl/Task Master project, made the working directory."""
    root = tmp_path / "proj"
    (root / ".taskmaster" / "tasks").mkdir(parents=True)
    (root / ".taskmaster" / "tasks" / "tasks.json").write_text(
        '{\n  "master": {\n    "tasks": [],\n    "metadata": {}\n  }\n}\n', encoding="utf-8"
    )
    monkeypatch.chdir(root)
    return root


def shared_fixture_if_present(name: str) -> Path | None:
    """A file of ../shared for optional extra checks: each has an in-repo equivalent
    under tests/taskmaster/, so a clean clone runs (and skips) nothing less."""
    path = SHARED_FIXTURES / name
    return path if path.exists() else None
