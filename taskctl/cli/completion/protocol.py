"""Answer the shell's tab completion of values without importing typer.

Why: every tab press runs `taskctl`, and completion must answer in under 100 ms on a
10,000-task store. Measured on this project's 2-core machine (tests/bench/completion.py,
medians of whole processes): Python starts in ~28 ms; Typer's own completion of the
task ids takes 130-150 ms, ~60 ms of it importing typer and building the command tree
before a task is read. The values worth completing (task ids with titles, statuses,
priorities, tags, sort orders, formats, config keys) need only msgspec and the store:
answered here, the 10,000 ids take 88-99 ms in all, a status or a config key ~55 ms.

How: the shell runs `taskctl` with `_TASKCTL_COMPLETE=complete_bash|zsh|fish` and the
command line in `COMP_WORDS`/`COMP_CWORD` (bash) or `_TYPER_COMPLETE_ARGS` (zsh, fish),
which is Typer's protocol (typer/_completion_classes.py). `answer` reads them as Typer
does, finds the option or argument being completed as click does (`_resolve_context`
and `_resolve_incomplete` in click's shell_completion.py) by reading the line with
`taskctl.cli.cmdline` against the map of the command tree generated from the app
(`_command_map.py`), calls the function behind the parameter's `autocompletion=`
callback, and prints the result in Typer's format for that shell. Anything else
(command and option names, a value with no callback, an unusual command line)
returns None, and typer answers as it always does.
tests/test_completions.py runs both on the same command lines and compares the output.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from taskctl.cli import COMPLETE_VAR, cmdline
from taskctl.cli._command_map import COMMANDS
from taskctl.cli.cmdline import Decline
from taskctl.cli.completion import values

_SHELLS = {"complete_bash": "bash", "complete_zsh": "zsh", "complete_fish": "fish"}


class Context:
    """The little of click's context the completion functions read, and the
    environment the shell ran the completion in.

    A plain class: `dataclasses` imports `inspect`, 8 ms that a status completion
    would pay for nothing.
    """

    def __init__(
        self,
        environ: Mapping[str, str],
        params: dict[str, Any] | None = None,
        parent: Context | None = None,
    ):
        self.environ = environ
        self.params = params or {}
        self.parent = parent

    def find_root(self) -> Context:
        return self if self.parent is None else self.parent.find_root()


def split_arg_string(string: str) -> list[str]:
    """click's `split_arg_string`: shlex words, keeping an unfinished last word."""
    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:  # an unclosed quote or escape: keep the partial word
        out.append(lex.token)
    return out


def command_line(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str]:
    """(the words before the cursor, the word being completed), as Typer reads them."""
    if shell == "bash":
        words = split_arg_string(environ["COMP_WORDS"])
        cword = int(environ["COMP_CWORD"])
        return words[1:cword], words[cword] if 0 <= cword < len(words) else ""
    text = environ.get("_TYPER_COMPLETE_ARGS", "")
    args = split_arg_string(text)[1:]
    if args and not text.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def target(
    args: list[str], incomplete: str, environ: Mapping[str, str]
) -> tuple[str, Context, str]:
    """(callback name, context, word) for the value being completed, or Decline."""
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        args = [*args, name]
    if "--" in args or incomplete.startswith("-"):
        raise Decline  # option names, or words after `--`
    path, levels, words = cmdline.read(args, strict=False)
    ctx = Context(environ, levels[0])
    for params in levels[1:]:
        ctx = Context(environ, params, ctx)
    spec = COMMANDS[path]
    if args and args[-1] in spec["options"]:
        return _named(spec["options"][args[-1]][3], ctx, incomplete)
    given = len(words)  # positional words; a group has no arguments
    for _, nargs, callback in spec["arguments"]:
        if nargs == -1 or given < nargs:
            return _named(callback, ctx, incomplete)
        given -= nargs
    raise Decline


def _named(callback: str | None, ctx: Context, incomplete: str) -> tuple[str, Context, str]:
    if callback is None or callback not in values.ITEMS:
        raise Decline
    return callback, ctx, incomplete


def _zsh_escape(text: str) -> str:
    if values.ZSH_SPECIAL.search(text) is None:  # most values and titles
        return text
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def render(shell: str, items: list[values.Item], environ: Mapping[str, str]) -> tuple[str, int]:
    """(stdout, exit code) exactly as Typer's completion class for `shell` gives them."""
    if shell == "bash":  # values only: bash shows no descriptions
        return "\n".join(value for value, _ in items) + "\n", 0
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if shell == "fish" and action == "is-args":  # only: is there anything to offer?
        return "", 0 if items else 1
    items = [(value, values.describe(text)) for value, text in items]
    if shell == "zsh":
        if not items:
            return "_files\n", 0
        lines = [
            f'"{_zsh_escape(v)}":"{_zsh_escape(h)}"' if h else f'"{_zsh_escape(v)}"'
            for v, h in items
        ]
        body = "\n".join(lines)
        return f"_arguments '*: :(({body}))'\n", 0
    lines = [f"{v}\t{h}" if h else v for v, h in items]
    if action == "get-args" and lines:
        return "\n".join(lines) + "\n", 0
    return "\n", 0


def answer(environ: Mapping[str, str]) -> tuple[str, int] | None:
    """The reply to a completion request, or None when typer should answer it."""
    shell = _SHELLS.get(environ.get(COMPLETE_VAR, ""))
    if shell is None:
        return None  # `source_bash` and the like, or powershell
    try:
        args, incomplete = command_line(shell, environ)
        callback, ctx, word = target(args, incomplete, environ)
        items = [i for i in values.items_for(callback, ctx, word) if i[0].startswith(word)]
        return render(shell, items, environ)
    except Exception:  # noqa: BLE001 - Decline, or anything unforeseen: typer answers
        return None
