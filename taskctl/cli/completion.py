"""Generate the files shell completion is made of, from the app itself.

    python -m taskctl.cli.completion --write [DIR]
    python -m taskctl.cli.completion --check [DIR]

--write writes, under DIR (default: completions/ in the current folder), the scripts a user
sources or installs (`taskctl.bash`, `_taskctl` for zsh, `taskctl.fish`: Typer's own,
as `taskctl --install-completion` installs them), and rewrites the two command maps
that let a run skip typer: `_completion_spec.py` (commands, options and completion
callbacks, read by `taskctl.cli.fastcomplete`) and `_fastpath_spec.py` (the parameters
of the commands `taskctl.cli.fastpath` runs). --check writes nothing and exits 1 when
a file differs from what the app generates; so does tests/test_completions.py.
"""

from __future__ import annotations

import argparse
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer._completion_shared import get_completion_script  # what --install-completion writes
from typer.core import TyperGroup
from typer.models import ParameterInfo

from taskctl.cli import complete
from taskctl.cli.entry import COMPLETE_VAR

PROG = "taskctl"
SCRIPTS = {"bash": "taskctl.bash", "zsh": "_taskctl", "fish": "taskctl.fish"}
SPEC_MODULE = Path(__file__).with_name("_completion_spec.py")
FASTPATH_SPEC_MODULE = Path(__file__).with_name("_fastpath_spec.py")

_SPEC_HEADER = '''"""The command map the completion fast path reads (taskctl.cli.fastcomplete).

Generated from the app by `python -m taskctl.cli.completion`: do not edit by hand.
Each command path maps to its value-taking options (option -> [parameter name,
completion callback or None, repeatable]), its flags, its arguments ([parameter name,
completion callback or None, nargs]) and, for a group, its subcommands.
"""

from typing import Any

COMMANDS: dict[str, dict[str, Any]] = '''


_FASTPATH_HEADER = '''"""The parameters of the commands the fast path runs (taskctl.cli.fastpath).

Generated from the app by `python -m taskctl.cli.completion`: do not edit by hand.
"" is the root command. For each command path: its value-taking options (option ->
[parameter name, "str" or "int", repeatable]), its flags (flag -> [parameter name,
the value it sets]), its arguments ([parameter name, nargs], all required) and the
value each parameter has when the command line does not give it.
"""

from typing import Any

COMMANDS: dict[str, dict[str, Any]] = '''


def _callbacks(command: typer.core.TyperCommand | TyperGroup) -> dict[str, str]:
    """Parameter name -> name of its `autocompletion=` callback from taskctl.cli.complete."""
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
            if callback is not None and callback.__name__ in complete.ITEMS:
                found[name] = callback.__name__
    return found


def command_map(app: typer.Typer) -> dict[str, dict[str, Any]]:
    """Every command path ("", "tasks", "tasks show", ...) and what its words can be."""
    out: dict[str, dict[str, Any]] = {}

    def walk(command: Any, path: str, parent: typer.Context | None) -> None:
        ctx = command.context_class(
            command,
            info_name=path.rpartition(" ")[2] or PROG,
            parent=parent,
            **command.context_settings,
        )
        callbacks = _callbacks(command)
        options: dict[str, list[Any]] = {}
        flags: list[str] = []
        arguments: list[list[Any]] = []
        for param in command.get_params(ctx):
            if any(not o.startswith("--") and len(o) != 2 for o in param.opts if o[0] == "-"):
                raise ValueError(f"{path}: the fast path parses only -x and --long options")
            if param.param_type_name == "argument":
                arguments.append([param.name, callbacks.get(param.name), param.nargs])
            elif param.is_flag or param.count:
                flags += [*param.opts, *param.secondary_opts]
            else:
                for opt in param.opts:
                    options[opt] = [param.name, callbacks.get(param.name), param.multiple]
        entry: dict[str, Any] = {"options": options, "flags": sorted(flags), "arguments": arguments}
        if isinstance(command, TyperGroup):
            entry["commands"] = sorted(command.commands)
        out[path] = entry
        if isinstance(command, TyperGroup):
            for name, sub in sorted(command.commands.items()):
                walk(sub, f"{path} {name}".lstrip(), ctx)

    walk(typer.main.get_command(app), "", None)
    return out


def fastpath_map(app: typer.Typer, paths: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The root's parameters and those of each command in `paths`, as the fast path parses them.

    Only what the fast path can reproduce exactly goes in: string and integer options,
    boolean flags, required arguments. A parameter with a callback of its own
    (--help, --version, --install-completion) is left out, so a command line that
    uses one goes to typer. Anything else fails here rather than at run time.
    """
    root: Any = typer.main.get_command(app)
    root_ctx = root.make_context(PROG, [], resilient_parsing=True)
    out: dict[str, dict[str, Any]] = {}
    for path in ("", *paths):
        command, ctx = root, root_ctx
        for word in path.split():
            command = command.commands[word]
            ctx = command.context_class(command, info_name=word, parent=ctx)
        options: dict[str, list[Any]] = {}
        flags: dict[str, list[Any]] = {}
        arguments: list[list[Any]] = []
        defaults: dict[str, Any] = {}
        param: Any
        for param in command.get_params(ctx):
            if param.callback is not None or param.is_eager or not param.expose_value:
                continue
            where = f"{path or PROG}: {param.name}"
            if param.envvar is not None or param.default not in (None, False, ""):
                raise ValueError(f"{where}: the fast path knows no envvar or other default")
            defaults[param.name] = param.default
            if param.param_type_name == "argument":
                if not param.required or param.nargs not in (1, -1) or arguments:
                    raise ValueError(f"{where}: the fast path takes one required argument")
                arguments.append([param.name, param.nargs])
            elif param.type.name == "boolean" and param.is_flag and not param.count:
                flags.update({opt: [param.name, True] for opt in param.opts})
                flags.update({opt: [param.name, False] for opt in param.secondary_opts})
            elif param.type.name in _FASTPATH_TYPES and param.nargs == 1 and not param.count:
                kind = _FASTPATH_TYPES[param.type.name]
                options.update({opt: [param.name, kind, param.multiple] for opt in param.opts})
            else:
                raise ValueError(f"{where}: a parameter the fast path cannot parse")
        out[path] = {
            "options": options,
            "flags": flags,
            "arguments": arguments,
            "defaults": defaults,
        }
    return out


_FASTPATH_TYPES = {"str": "str", "int": "int"}  # click's STRING and INT, by name


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


def spec_source(app: typer.Typer) -> str:
    return _SPEC_HEADER + _literal(command_map(app), 0) + "\n"


def fastpath_source(app: typer.Typer) -> str:
    from taskctl.cli.fastpath import ACTIONS  # noqa: PLC0415

    return _FASTPATH_HEADER + _literal(fastpath_map(app, sorted(ACTIONS)), 0) + "\n"


def script(shell: str) -> str:
    """The script `taskctl --install-completion` installs and `--show-completion` prints."""
    text = get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)
    return text + "\n"


def generated_files(app: typer.Typer, directory: Path) -> dict[Path, str]:
    files = {directory / name: script(shell) for shell, name in SCRIPTS.items()}
    files[SPEC_MODULE] = spec_source(app)
    files[FASTPATH_SPEC_MODULE] = fastpath_source(app)
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


if __name__ == "__main__":
    raise SystemExit(main())
