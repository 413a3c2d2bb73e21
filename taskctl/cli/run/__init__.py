"""Command bodies, typer-free, grouped by what they do.

- `reading`: tasks list, show, next
- `writing`: tasks add, update, remove; init
- `upkeep`: tasks validate, history, undo
- `config`: config get, set, unset, list, explain, path, validate; version

Each is `def x(ctx: AppContext, opts: XOptions) -> XResult`: it takes the run's
context and the command's options Struct (`cli/options.py`), does the work through
the Python API and core, and returns a plain value (`cli/results.py`) that a function
of `cli/render_tasks.py` or `cli/render_config.py` shows. A `Command` ties the three
together; the Typer signature names it (`cli/tasks.py`, `cli/config.py`,
`cli/about.py`), and the fast path finds it in the generated map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import msgspec

from taskctl.cli.context import AppContext
from taskctl.cli.options import options_from

Opts = TypeVar("Opts", bound=msgspec.Struct)
R = TypeVar("R")


class Command(Generic[Opts, R]):
    """A command's contract: its options, the function that runs it, the one that shows
    what that returns."""

    __slots__ = ("options", "run", "show")

    def __init__(
        self, options: type[Opts], run: Callable[[AppContext, Opts], R], show: Callable[[R], None]
    ) -> None:
        self.options = options
        self.run = run
        self.show = show

    def __call__(self, ctx: AppContext, params: Mapping[str, Any]) -> int:
        """Run the command with its parsed parameters and show the result; the exit code."""
        result = self.run(ctx, options_from(self.options, params))
        self.show(result)
        failure = getattr(result, "failure", None)
        if failure is not None:  # shown, and still an error: the boundary reports it
            raise failure
        code: int = getattr(result, "exit_code", 0)  # a result may end the run otherwise
        return code

    def names(self) -> list[str]:
        """`module:name` of the options, the run function and the show function."""
        return [f"{f.__module__}:{f.__qualname__}" for f in (self.options, self.run, self.show)]


def confirm_removal(ctx: AppContext, what: str, question: Callable[[], str]) -> None:
    """Ask a person before removing `what` ("" or "a tag "): UsageError when no one can
    answer (stdin is not a terminal: pass --yes), AbortedError (exit 6) on anything but
    yes. `question` is asked for only once there is someone to ask."""
    from taskctl.core.errors import AbortedError, UsageError  # noqa: PLC0415

    if not ctx.terminal.stdin:
        raise UsageError(
            f"refusing to remove {what}without confirmation: stdin is not a terminal",
            hint="pass --yes",
        )
    from taskctl.cli.render import confirm  # noqa: PLC0415 - only a person is asked

    if not confirm(question()):
        raise AbortedError("aborted, nothing removed")
