"""`taskctl tasks ...` (being written)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="List, add, update and remove tasks.")


def init_command() -> None:
    """Create .taskmaster/tasks/tasks.json here."""
