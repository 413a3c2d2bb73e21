"""`taskctl version`: the Typer signature; `cli/run/config.py` does the work."""

from __future__ import annotations

from typing import Annotated

import typer

from taskctl.cli import render_config as show
from taskctl.cli.command import runs
from taskctl.cli.options import VersionOptions
from taskctl.cli.run import Command
from taskctl.cli.run import config as run


@runs(Command(VersionOptions, run.version, show.about))
def version_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Show the versions of taskctl, Python and its dependencies, and the paths in use.

    The paths are those a command run here would use: the project root (or none, for
    the personal store), the tasks file, the user config file and the user data folder.
    Paste the output into a bug report. `taskctl --version` prints the version alone.

    Example: taskctl version --json
    """
