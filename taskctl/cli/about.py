"""`taskctl version`: versions of taskctl, Python and the dependencies, and the paths in use."""

from __future__ import annotations

from typing import Annotated

import typer

from taskctl import __version__
from taskctl.cli import render
from taskctl.cli.context import app_context


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
    from taskctl.core.about import about  # noqa: PLC0415

    obj = app_context(ctx)
    render.about(about(obj.project_dir, obj.environ, __version__).as_dict(), as_json=as_json)
