"""Docs that cannot drift: every registered command has help, an example, and a README entry.

The commands are walked from the app itself (as `typer.main.get_command` builds it), so
a new command fails here until it is documented.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from taskctl.cli.app import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def registered() -> list[tuple[str, Any]]:
    """Every visible command and group below the root: ("tasks list", command), ..."""
    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: str) -> None:
        if path:
            found.append((path, command))
        if isinstance(command, TyperGroup):
            for name, sub in sorted(command.commands.items()):
                if not sub.hidden:
                    walk(sub, f"{path} {name}".lstrip())

    walk(typer.main.get_command(app), "")
    return found


COMMANDS = registered()
LEAVES = [(path, command) for path, command in COMMANDS if not isinstance(command, TyperGroup)]


def help_page(path: str) -> str:
    result = runner.invoke(app, [*path.split(), "--help"], prog_name="taskctl")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_walk_finds_the_commands() -> None:
    paths = [path for path, _ in COMMANDS]
    assert {"init", "version", "tasks", "tasks list", "config", "config get"} <= set(paths)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help_text(path: str, command: Any) -> None:
    assert (command.help or "").strip(), f"`taskctl {path}` has no help text (its docstring)"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_shows_an_example(path: str, command: Any) -> None:
    page = help_page(path)
    assert re.search(r"^\s*Examples?: taskctl ", page, re.MULTILINE), (
        f"`taskctl {path} --help` shows no `Example: taskctl ...` line"
    )


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=[p for p, _ in LEAVES])
def test_every_command_is_in_the_readme(path: str, command: Any) -> None:
    assert re.search(rf"taskctl {re.escape(path)}(?![\w-])", README), (
        f"README.md does not mention `taskctl {path}` (add it to the commands table)"
    )
