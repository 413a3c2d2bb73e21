"""From a Typer signature to its command: `@runs(...)` and the run's `AppContext`.

A Typer command function is its signature alone (parameters, help, docstring):

    @app.command("next")
    @runs(Command(NextOptions, reading.next_task, render_tasks.next_task))
    def next_command(ctx: typer.Context, tag: TagOpt = None, as_json: JsonOpt = False) -> None:
        \"\"\"Show the task to work on next. ...\"\"\"

`runs` gives it its body: build the options Struct from the parameters, run,
show, exit with the result's code. The `Command` stays on the function, where the
map generator (`cli/completion/generate.py`) finds it for the fast path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import typer

from taskctl.cli.context import app_context
from taskctl.cli.run import Command

F = TypeVar("F", bound=Callable[..., None])
ATTRIBUTE = "taskctl_command"


def runs(command: Command[Any, Any]) -> Callable[[F], F]:
    def attach(signature: F) -> F:
        @functools.wraps(signature)  # Typer reads the parameters through __wrapped__
        def body(ctx: typer.Context, **params: Any) -> None:
            # `params`, not ctx.params: Typer's values (a Path, not click's str)
            code = command(app_context(ctx), params)
            if code:
                raise typer.Exit(code)

        setattr(body, ATTRIBUTE, command)
        return cast(F, body)

    return attach


def command_of(function: Callable[..., Any] | None) -> Command[Any, Any] | None:
    """The `Command` a (Typer-wrapped) command function runs, if it was made by `runs`."""
    while function is not None:
        found = getattr(function, ATTRIBUTE, None)
        if isinstance(found, Command):
            return found
        function = getattr(function, "__wrapped__", None)
    return None
