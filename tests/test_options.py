"""One contract per command: the Typer signature, the options Struct and the fast path agree.

A command made with `@runs` (cli/command.py) names its options Struct; its Typer
parameters must be exactly that Struct's fields, with the same defaults (and required
where the field is), so an option cannot be half-added. The fast path runs the same
`Command`, named in the generated map.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest
import typer
from typer.core import TyperGroup

from taskctl import api
from taskctl.cli import fastpath
from taskctl.cli._command_map import COMMANDS
from taskctl.cli.app import app
from taskctl.cli.command import command_of, runs
from taskctl.cli.options import ListOptions, UpdateOptions
from taskctl.cli.run import Command
from taskctl.core.changes import Changes, ListQuery


def _commands(command: Any, path: str = "") -> dict[str, Any]:
    found = {path: command}
    if isinstance(command, TyperGroup):
        for name in sorted(command.commands):
            found.update(_commands(command.commands[name], f"{path} {name}".lstrip()))
    return found


def _parameters(command: Any) -> dict[str, tuple[bool, Any]]:
    """name -> (required, default) of the values the command's function receives."""
    return {
        p.name: (p.required, None if p.required else p.default)
        for p in command.params
        if p.expose_value and not p.is_eager
    }


def _fields(kind: type[msgspec.Struct]) -> dict[str, tuple[bool, Any]]:
    return {
        f.name: (f.required, None if f.required else f.default)
        for f in msgspec.structs.fields(kind)
    }


def mismatches(typer_app: typer.Typer) -> list[str]:
    """Every way a command's signature and its options Struct differ."""
    problems = []
    for path, command in _commands(typer.main.get_command(typer_app)).items():
        contract = command_of(command.callback)
        if contract is None:
            continue
        params, fields = _parameters(command), _fields(contract.options)
        for name in sorted(params.keys() | fields.keys()):
            if name not in fields:
                problems.append(f"{path}: parameter {name} is not a field of the options")
            elif name not in params:
                problems.append(f"{path}: field {name} is not a parameter")
            elif params[name] != fields[name]:
                problems.append(f"{path}: {name} is {params[name]} but {fields[name]}")
    return problems


def test_every_command_signature_is_its_options_struct() -> None:
    assert mismatches(app) == []


def test_every_command_is_a_contract() -> None:
    """Every command of the app, not a group, is made by `@runs`: none is left behind."""
    commands = _commands(typer.main.get_command(app))
    made = sorted(path for path, c in commands.items() if command_of(c.callback) is not None)
    leaves = sorted(p for p, c in commands.items() if not isinstance(c, TyperGroup))
    assert made == leaves
    assert {"init", "tasks list", "config get", "config validate", "version"} <= set(leaves)


def test_a_half_added_option_is_caught() -> None:
    """What the test above would say of a parameter without its field, and the reverse."""
    small = typer.Typer()

    @small.command("list")
    @runs(Command(ListOptions, lambda ctx, opts: None, lambda result: None))
    def list_command(
        ctx: typer.Context,
        reverse: Annotated[bool, typer.Option("--reverse")] = False,
    ) -> None:
        """A signature that forgot ListOptions' fields and added one of its own."""

    @small.command("update")
    @runs(Command(UpdateOptions, lambda ctx, opts: None, lambda result: None))
    def update_command(ctx: typer.Context) -> None:
        """Nothing."""

    found = mismatches(small)
    assert "list: parameter reverse is not a field of the options" in found
    assert "list: field status is not a parameter" in found
    assert "update: field ids is not a parameter" in found


def test_the_fast_path_runs_what_the_typer_command_runs() -> None:
    commands = _commands(typer.main.get_command(app))
    for path in fastpath.FAST_COMMANDS:
        contract = command_of(commands[path].callback)
        assert contract is not None
        assert COMMANDS[path]["runs"] == contract.names()


def test_the_api_takes_the_same_change_fields_and_names_an_unknown_one(project: Any) -> None:
    assert set(Changes.__struct_fields__) <= set(UpdateOptions.__struct_fields__)
    tp = api.open_project()
    with pytest.raises(TypeError, match="'colour'"):
        tp.add("x", colour="red")
    with pytest.raises(TypeError, match="'state'"):
        tp.update(1, state="done")
    assert tp.list() == []


def test_the_list_filters_are_one_struct_that_the_api_and_the_options_share(
    project: Any,
) -> None:
    """A new filter of `tasks list` is a field of `ListQuery`: `ListOptions` extends it
    (so its Typer signature must have it) and `Project.list` takes it by name."""
    assert issubclass(ListOptions, ListQuery)
    tp = api.open_project()
    defaults = {f.name: f.default for f in msgspec.structs.fields(ListQuery)}
    assert tp.list(**defaults) == []
    with pytest.raises(TypeError, match="'colour'"):
        tp.list(colour="red")
