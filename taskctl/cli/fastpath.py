"""Run the most-run `tasks` commands without importing typer, when the command line is plain.

Why: importing typer and building its command tree costs 30 to 45 ms a run on this
project's machines, a fifth of `taskctl tasks list --json` over 10,000 tasks and more
of `tasks show`. Issue 5 budgets those commands at 1.2 times what any Python program
pays to read the same file; with typer on the path they sat at 1.2 to 1.5.

How: `entry.main` hands the command line here first. `parse` accepts only the plain
forms of `taskctl [-c KEY=VALUE] [--project DIR] [--debug] tasks
list|show|next|add|update|validate ...`: each option spelled out as in its help
(`--status done`, `--status=done`, `-s done`), flags, and the command's positional
arguments, read by `cli/cmdline.py` (strictly) against `_command_map.py`, generated
from the Typer app, so they cannot drift from it. The command then runs through the
same `Command` as the Typer command (its options Struct, run function and display,
named in the map by the generator), built from the same parameters, and errors go to
the same boundary.

Anything else declines, and typer runs the command as it always does: --help, an
unknown or misspelt option, a missing or extra argument, a value that starts with
`-` or is not a plain integer where one is expected, `--`, bundled short options.
Those are exactly the command lines whose handling (error messages, help) is
typer's own. tests/test_fastpath.py runs command lines through both and compares
stdout, stderr, the exit code and the files left behind.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from taskctl.cli import cmdline
from taskctl.cli._command_map import COMMANDS
from taskctl.cli.cmdline import Decline

if TYPE_CHECKING:
    from taskctl.core.fs import Clock

# The commands the fast path runs; the generator writes their `Command` into the map.
FAST_COMMANDS = (
    "tasks list",
    "tasks show",
    "tasks next",
    "tasks add",
    "tasks update",
    "tasks validate",
)


def parse(argv: Sequence[str]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(command path, root options, command parameters), or Decline."""
    path, levels, positional = cmdline.read(argv, strict=True)
    spec = COMMANDS[path]
    if not spec.get("fast") or any(levels[1:-1]):
        raise Decline  # not a command the fast path runs, or an option of its group
    root = {**COMMANDS[""]["defaults"], **levels[0]}
    params = {**spec["defaults"], **levels[-1]}
    for name, nargs, _ in spec["arguments"]:
        if nargs == 1 and len(positional) == 1:
            params[name] = positional[0]
        elif nargs == -1 and positional:
            params[name] = list(positional)
        else:
            raise Decline  # typer names the missing argument or the extra one
        positional = []
    if positional:
        raise Decline
    return path, root, params


def run(argv: Sequence[str], environ: Mapping[str, str], clock: Clock | None = None) -> int | None:
    """Run `taskctl ARGV` and return its exit code, or None for typer to run it.

    `clock` stamps the changes (the real clock when None)."""
    try:
        path, root, params = parse(argv)
    except Decline:
        return None
    from taskctl.cli import boundary  # noqa: PLC0415
    from taskctl.cli.context import AppContext  # noqa: PLC0415
    from taskctl.cli.run import Command  # noqa: PLC0415

    obj = AppContext.from_process(
        project_dir=root["project"],
        overrides=tuple(root["config"] or ()),
        debug=root["debug"],
        no_pager=root["no_pager"],
        environ=environ,
        clock=clock,
    )
    try:
        command = Command(*(_load(name) for name in COMMANDS[path]["runs"]))
        code = command(obj, params)
        # A full or closed stdout shows here, where the context knows whether the
        # command wrote a file (see boundary.output_failed).
        sys.stdout.flush()
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the boundary
        return boundary.report(
            exc, argv, debug=obj.debug, environ=obj.environ, wrote=bool(obj.replaced)
        )
    return code


def _load(name: str) -> Any:
    """`package.module:attribute` -> the attribute."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)
