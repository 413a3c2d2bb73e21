"""Read a command line as click does, without typer, against the generated command map.

Two callers, one reader:
- the fast path (`cli/fastpath.py`) reads `strict`: it must take a command line exactly
  as typer would or not at all, so every form whose handling is typer's own declines:
  --help and the other options typer answers itself, an unknown or misspelt option,
  an option without its value, a value that starts with `-` or is not a plain integer
  where one is expected, `--`, a lone `-`, and bundled short options (`-yt x`, `-n5`);
- shell completion (`cli/completion/protocol.py`) reads the unfinished line before the
  cursor: an option whose value is not typed yet is left unset, and bundled short
  options are read as click reads them. An unknown option declines there too.

The map (`_command_map.py`) is generated from the Typer app, so the reader cannot
drift from typer's idea of the commands; tests/test_fastpath.py and
tests/test_completions.py compare both callers with typer itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from taskctl.cli._command_map import COMMANDS


class Decline(Exception):  # noqa: N818 - a signal, not an error
    """This command line is for typer."""


def read(argv: Sequence[str], *, strict: bool) -> tuple[str, list[dict[str, Any]], list[str]]:
    """(command path, the values the line gives each command on that path from the
    root down, the last command's positional words); or Decline.

    The path ends at a group when no subcommand follows; an unknown subcommand declines.
    """
    path, words, levels = "", list(argv), []
    while True:
        spec = COMMANDS[path]
        group = "commands" in spec
        values, positional, used = read_options(words, spec, strict=strict, interspersed=not group)
        levels.append(values)
        if not group or used == len(words):
            return path, levels, positional
        if words[used] not in spec["commands"]:
            raise Decline  # typer offers, or names, the commands there are
        path = f"{path} {words[used]}".lstrip()
        words = words[used + 1 :]


def read_options(
    args: Sequence[str], spec: dict[str, Any], *, strict: bool, interspersed: bool
) -> tuple[dict[str, Any], list[str], int]:
    """One command's words: (the values they give, its positional words, words used).

    Without `interspersed` (a group), reading stops at the first positional word, the
    subcommand's name.
    """
    values: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg[:1] != "-" or arg == "-":  # click reads a lone `-` as a positional word
            if strict and arg == "-":
                raise Decline
            if not interspersed:
                break
            positional.append(arg)
            i += 1
            continue
        i += 1
        if arg.startswith("--"):
            opt, eq, inline = arg.partition("=")
            attached = inline if eq else None
            if attached is None and opt in spec["flags"]:
                _set_flag(values, spec, opt, strict=strict)
                continue
        elif "=" in arg or (strict and len(arg) > 2):
            raise Decline  # `-s=x`; bundled short options are typer's to run
        else:  # `-q`, `-s x`; and, bundled, `-yt x` or `-tNAME`
            for j in range(1, len(arg)):
                opt = "-" + arg[j]
                if opt in spec["options"]:
                    attached = arg[j + 1 :] or None
                    break
                _set_flag(values, spec, opt, strict=strict)
            else:
                continue  # flags only
        if opt not in spec["options"]:
            raise Decline  # unknown, misspelt, or `--flag=value`
        if attached is not None:
            text = attached
        elif i < len(args):
            text = args[i]
            i += 1
        elif strict:
            raise Decline  # typer says which option lacks its value
        else:
            break  # completion: the value is the word being typed
        name, kind, repeatable, _ = spec["options"][opt]
        value = _strict_value(text, kind) if strict else text
        values[name] = [*values.get(name, ()), value] if repeatable else value
    return values, positional, i


def _set_flag(values: dict[str, Any], spec: dict[str, Any], opt: str, *, strict: bool) -> None:
    if opt not in spec["flags"]:
        raise Decline
    flag = spec["flags"][opt]
    if flag is not None:
        name, value = flag
        values[name] = value
    elif strict:
        raise Decline  # --help, --version and the like: typer answers them itself


def _strict_value(text: str, kind: str | None) -> str | int:
    """The value as typer would pass it, or Decline where typer's message is wanted."""
    if kind is None or text.startswith("-"):
        raise Decline  # typer's own option; or a dash, which click takes as the value
    if kind == "int":
        if not (text.isascii() and text.isdigit()):
            raise Decline  # typer's error message for a bad integer
        return int(text)
    return text
