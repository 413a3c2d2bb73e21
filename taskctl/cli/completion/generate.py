"""Generate the files shell completion and the fast path are made of, from the app itself.

    python -m taskctl.cli.completion --write [DIR]
    python -m taskctl.cli.completion --check [DIR]

--write writes, under DIR (default: completions/ in the current folder), the scripts a user
sources or installs (`taskctl.bash`, `_taskctl` for zsh, `taskctl.fish`: Typer's own,
as `taskctl --install-completion` installs them), and rewrites the map of the command
tree that lets a run skip typer: `taskctl/cli/_command_map.py`, which
`taskctl.cli.cmdline` reads for the fast path (`taskctl.cli.fastpath`) and for
completion (`taskctl.cli.completion.protocol`). --check writes nothing and exits 1 when
a file differs from what the app generates; so does tests/test_completions.py.
"""

from __future__ import annotations

import argparse
import sys
import typing
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import typer
from typer._completion_shared import get_completion_script  # what --install-completion writes
from typer.core import TyperGroup
from typer.models import ParameterInfo

from taskctl.cli import COMPLETE_VAR
from taskctl.cli.completion import values

PROG = "taskctl"
SCRIPTS = {"bash": "taskctl.bash", "zsh": "_taskctl", "fish": "taskctl.fish"}
MAP_MODULE = Path(__file__).parent.with_name("_command_map.py")

_MAP_HEADER = '''"""The command tree, read by taskctl.cli.cmdline for the fast path and completion.

Generated from the app by `python -m taskctl.cli.completion`: do not edit by hand.
"" is the root command. For each command path:
- options: each value-taking option -> [parameter name, "str" or "int" (None: one
  the fast path leaves to typer), repeatable, completion callback or None];
- flags: flag -> [parameter name, the value it sets], or None for one typer
  answers itself (--help, --version, ...);
- arguments: [parameter name, nargs, completion callback or None];
- commands: a group's subcommands;
- fast: True where the fast path (taskctl.cli.fastpath) runs the command;
- runs: for those, the command's options Struct, run function and display
  (`module:name`, see taskctl.cli.run.Command);
- defaults: for those and the root, each parameter's value when the line omits it.
The fast path takes only what it reproduces exactly (see `command_map`).
"""

from typing import Any

COMMANDS: dict[str, dict[str, Any]] = '''


def _callbacks(command: typer.core.TyperCommand | TyperGroup) -> dict[str, str]:
    """Parameter name -> name of its `autocompletion=` callback from completion.values."""
    function = getattr(command.callback, "__wrapped__", command.callback)
    if function is None:
        return {}
    found = {}
    for name, hint in typing.get_type_hints(function, include_extras=True).items():
        # Python 3.10 wraps an `Annotated[...] = None` parameter in Optional[...].
        hints = typing.get_args(hint) if typing.get_origin(hint) is typing.Union else (hint,)
        for info in (m for h in hints for m in getattr(h, "__metadata__", ())):
            if not isinstance(info, ParameterInfo):
                continue
            callback = info.autocompletion
            if callback is not None and callback.__name__ in values.ITEMS:
                found[name] = callback.__name__
    return found


def command_map(app: typer.Typer, fast: Collection[str]) -> dict[str, dict[str, Any]]:
    """Every command path ("", "tasks", "tasks show", ...) and what its words can be.

    The root and the commands in `fast` get their defaults, and the map says the fast
    path runs those commands: only what it reproduces exactly may be in them (string
    and integer options, boolean flags, one required argument, no envvar or other
    default). A parameter with a callback of its own (--help, --version,
    --install-completion) is marked as typer's, so a line that uses it goes to typer.
    Anything else there fails here rather than at run time.
    """
    out: dict[str, dict[str, Any]] = {}

    def walk(command: Any, path: str, parent: typer.Context | None) -> None:
        ctx = command.context_class(
            command,
            info_name=path.rpartition(" ")[2] or PROG,
            parent=parent,
            **command.context_settings,
        )
        out[path] = _entry(command, ctx, path, vetted=path == "" or path in fast)
        if path in fast:
            out[path]["fast"] = True
            runs = _runs(command)
            if runs is not None:  # tests/test_options.py: every fast command has it
                out[path]["runs"] = runs
        if isinstance(command, TyperGroup):
            for name, sub in sorted(command.commands.items()):
                walk(sub, f"{path} {name}".lstrip(), ctx)

    walk(typer.main.get_command(app), "", None)
    return out


def _entry(command: Any, ctx: typer.Context, path: str, *, vetted: bool) -> dict[str, Any]:
    """One command's map entry; `vetted`: with its defaults, and only what the fast path
    reproduces (else ValueError)."""
    callbacks = _callbacks(command)
    options: dict[str, list[Any]] = {}
    flags: dict[str, list[Any] | None] = {}
    arguments: list[list[Any]] = []
    defaults: dict[str, Any] = {}
    param: Any
    for param in command.get_params(ctx):
        if any(not o.startswith("--") and len(o) != 2 for o in param.opts if o[0] == "-"):
            raise ValueError(f"{path}: the command-line reader reads only -x and --long options")
        where = f"{path or PROG}: {param.name}"
        typers = param.callback is not None or param.is_eager or not param.expose_value
        if vetted and not typers:
            if param.envvar is not None or param.default not in (None, False, ""):
                raise ValueError(f"{where}: the fast path knows no envvar or other default")
            defaults[param.name] = param.default
        callback = callbacks.get(param.name)
        if param.param_type_name == "argument":
            if vetted and (not param.required or param.nargs not in (1, -1) or arguments):
                raise ValueError(f"{where}: the fast path takes one required argument")
            arguments.append([param.name, param.nargs, callback])
        elif param.is_flag or param.count:
            boolean = param.type.name == "boolean" and param.is_flag and not param.count
            if vetted and not (boolean or typers):
                raise ValueError(f"{where}: a flag the fast path cannot parse")
            sets = boolean and not typers  # else None: the fast path leaves the line to typer
            flags.update({o: [param.name, True] if sets else None for o in param.opts})
            flags.update({o: [param.name, False] if sets else None for o in param.secondary_opts})
        else:
            kind = _KINDS.get(param.type.name) if param.nargs == 1 and not typers else None
            if vetted and kind is None and not typers:
                raise ValueError(f"{where}: an option the fast path cannot parse")
            for opt in param.opts:
                options[opt] = [param.name, kind, param.multiple, callback]
    # sorted: click gives the help option's names as a set, in no stable order
    entry: dict[str, Any] = {"options": options, "flags": dict(sorted(flags.items()))}
    entry["arguments"] = arguments
    if isinstance(command, TyperGroup):
        entry["commands"] = sorted(command.commands)
    if vetted:
        entry["defaults"] = defaults
    return entry


_KINDS = {"str": "str", "int": "int"}  # click's STRING and INT, by name


def _runs(command: Any) -> list[str] | None:
    """The names of what a command runs: the `Command` its signature names (`@runs`)."""
    from taskctl.cli.command import command_of  # noqa: PLC0415

    found = command_of(command.callback)
    return None if found is None else found.names()


def _literal(value: Any, indent: int) -> str:
    """A Python literal: dicts one entry a line, long lists of words one a line."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        inner = "".join(f"{pad}    {k!r}: {_literal(v, indent + 4)},\n" for k, v in value.items())
        return "{\n" + inner + pad + "}"
    text = repr(value)
    if isinstance(value, list) and indent + len(text) > 72:
        return "[\n" + "".join(f"{pad}    {v!r},\n" for v in value) + pad + "]"
    return text


def map_source(app: typer.Typer) -> str:
    from taskctl.cli.fastpath import FAST_COMMANDS  # noqa: PLC0415

    return _MAP_HEADER + _literal(command_map(app, sorted(FAST_COMMANDS)), 0) + "\n"


def script(shell: str) -> str:
    """The script `taskctl --install-completion` installs and `--show-completion` prints."""
    text = get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)
    return text + "\n"


def generated_files(app: typer.Typer, directory: Path) -> dict[Path, str]:
    files = {directory / name: script(shell) for shell, name in SCRIPTS.items()}
    files[MAP_MODULE] = map_source(app)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskctl.cli.completion", description=__doc__)
    parser.add_argument("directory", nargs="?", default="completions", type=Path)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write the files that differ")
    mode.add_argument("--check", action="store_true", help="only report the files that differ")
    args = parser.parse_args(argv)
    from taskctl.cli.app import app  # noqa: PLC0415

    stale = []
    for path, text in generated_files(app, args.directory).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "differs" if args.check else "written"
    for path in stale:
        sys.stderr.write(f"{verb}: {path}\n")
    return 1 if args.check and stale else 0
