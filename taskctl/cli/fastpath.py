"""Run the most-run `tasks` commands without importing typer, when the command line is plain.

Why: importing typer and building its command tree costs 30 to 45 ms a run on this
project's machines, a fifth of `taskctl tasks list --json` over 10,000 tasks and more
of `tasks show`. Issue 5 budgets those commands at 1.2 times what any Python program
pays to read the same file; with typer on the path they sat at 1.2 to 1.5.

How: `entry.main` hands the command line here first. `parse` accepts only the plain
forms of `taskctl [-c KEY=VALUE] [--project DIR] [--debug] tasks list|show|next|add|update
...`: each option spelled out as in its help (`--status done`, `--status=done`,
`-s done`), flags, and the command's positional arguments. The parameters come from
`_fastpath_spec.py`, generated from the Typer app, so they cannot drift from it. The
command then runs through the same function in `cli/actions.py` that the Typer
command calls, with the same arguments, and errors go to the same boundary.

Anything else declines, and typer runs the command as it always does: --help, an
unknown or misspelt option, a missing or extra argument, a value that starts with
`-` or is not a plain integer where one is expected, `--`, bundled short options.
Those are exactly the command lines whose handling (error messages, help) is
typer's own. tests/test_fastpath.py runs command lines through both and compares
stdout, stderr, the exit code and the files left behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from taskctl.cli._fastpath_spec import COMMANDS

# command path -> the function of cli/actions.py that runs it
ACTIONS = {
    "tasks list": "list_tasks",
    "tasks show": "show",
    "tasks next": "next_task",
    "tasks add": "add",
    "tasks update": "update",
}


class Decline(Exception):  # noqa: N818 - a signal, not an error
    """This command line is for typer."""


def _options(
    args: Sequence[str], spec: dict[str, Any], *, interspersed: bool
) -> tuple[dict[str, Any], list[str], int]:
    """Parse options as click does: (values, positional arguments, words used).

    Without `interspersed` (the root group), parsing stops at the first positional
    argument, the subcommand's name.
    """
    values = dict(spec["defaults"])
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-"):
            if not interspersed:
                break
            positional.append(arg)
            i += 1
            continue
        i += 1
        if arg in spec["flags"]:
            name, flag_value = spec["flags"][arg]
            values[name] = flag_value
            continue
        opt, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if opt not in spec["options"]:
            raise Decline
        name, kind, repeatable = spec["options"][opt]
        if eq:
            text = inline
        elif i < len(args):
            text = args[i]
            i += 1
        else:
            raise Decline  # typer says which option lacks its value
        if text.startswith("-"):
            raise Decline  # click takes it as the value; rare enough to leave to typer
        value: str | int = text
        if kind == "int":
            if not (text.isascii() and text.isdigit()):
                raise Decline  # typer's error message for a bad integer
            value = int(text)
        values[name] = [*(values[name] or ()), value] if repeatable else value
    return values, positional, i


def parse(argv: Sequence[str]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(command path, root options, command parameters), or Decline."""
    root, _, used = _options(argv, COMMANDS[""], interspersed=False)
    rest = argv[used:]
    if len(rest) < 2 or rest[0] != "tasks":
        raise Decline
    path = f"tasks {rest[1]}"
    spec = COMMANDS.get(path)
    if spec is None:
        raise Decline
    params, positional, _ = _options(rest[2:], spec, interspersed=True)
    for name, nargs in spec["arguments"]:
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


def run(argv: Sequence[str], environ: Mapping[str, str]) -> int | None:
    """Run `taskctl ARGV` and return its exit code, or None for typer to run it."""
    try:
        path, root, params = parse(argv)
    except Decline:
        return None
    from taskctl.cli import actions, boundary  # noqa: PLC0415
    from taskctl.cli.context import AppContext  # noqa: PLC0415

    obj = AppContext(
        project_dir=root["project"],
        overrides=tuple(root["config"] or ()),
        debug=root["debug"],
        environ=dict(environ),
    )
    try:
        getattr(actions, ACTIONS[path])(obj, **params)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the boundary
        return boundary.report(exc, argv, debug=obj.debug)
    return 0
