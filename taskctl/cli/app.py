"""The root command and its options; its group hands errors to `cli/boundary.py`."""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import importlib
import sys
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any

import typer
import typer.main
from typer._click.exceptions import UsageError
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from taskctl import __version__
from taskctl.cli import boundary
from taskctl.cli.completion.values import complete_config_override
from taskctl.core.errors import EXIT_USAGE


class _LazyCommands(MutableMapping[str, Any]):
    """A group's subcommands, each built on first lookup.

    Importing a command group and turning each Typer function into a click command
    (signature, type hints, parameters) costs about 1 ms a command; a run uses one.
    Names are known up front, so help, completion and "did you mean" see them all;
    listing the values (help) builds them all.
    """

    def __init__(self, loaders: dict[str, Callable[[], Any]]) -> None:
        self._loaders = loaders
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._loaders[name]()
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaders.setdefault(name, lambda: command)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaders[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)


@contextlib.contextmanager
def _json_usage_errors(args: list[str]) -> Iterator[None]:
    """With --json, click's usage errors (a bad option, a missing argument) are one JSON
    object on stderr too, instead of its usage text."""
    try:
        yield
    except UsageError as exc:
        if not boundary.wants_json(args):
            raise
        from taskctl.cli import render  # noqa: PLC0415

        render.error("usage", exc.format_message(), as_json=True)
        raise typer.Exit(exc.exit_code) from None


class TaskctlGroup(TyperGroup):
    """The root group: errors from any subcommand go to the error boundary here.

    `invoke` hands them to `boundary.report` (one line on stderr, the exit code), so it
    covers every subcommand both for the console script and for `CliRunner`. Its
    subcommands are imported and built on first use (`_SUBCOMMANDS`): `--version`
    loads none of them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        loaders = {name: functools.partial(_build, name) for name in _SUBCOMMANDS}
        self.commands = _LazyCommands({**loaders, **self.commands})

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        ctx.meta["taskctl.argv"] = list(args)  # the error boundary needs to know about --json
        with _json_usage_errors(args):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            with _json_usage_errors(ctx.meta["taskctl.argv"]):
                result = super().invoke(ctx)
            # A full or closed stdout shows here, where the context knows whether the
            # command wrote a file (see boundary.output_failed).
            sys.stdout.flush()
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # click's own usage errors keep click's handling (exit 2)
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the boundary
            # The run's context (`root` sets it before any command runs): its --debug,
            # its environment (TASKCTL_DEBUG) and the files it replaced.
            debug = getattr(ctx.obj, "debug", False) is True
            environ = getattr(ctx.obj, "environ", {})
            wrote = bool(getattr(ctx.obj, "replaced", None))
            code = boundary.report(
                exc, ctx.meta["taskctl.argv"], debug=debug, environ=environ, wrote=wrote
            )
            ctx.exit(code)
        return result


app = typer.Typer(
    name="taskctl",
    cls=TaskctlGroup,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Manage a project's tasks (Task Master's tasks.json) and taskctl's configuration.",
    epilog=(
        "Examples: taskctl tasks add 'Write docs' --priority high;"
        " taskctl tasks list --ready; taskctl config explain"
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:  # not while completing `taskctl --version ...`
        sys.stdout.write(f"taskctl {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        list[str] | None,
        typer.Option(
            "-c",
            "--config",
            metavar="KEY=VALUE",
            help="Set a configuration value for this run only, like `git -c`. Repeatable.",
            autocompletion=complete_config_override,
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            metavar="DIR",
            # TASKCTL_PROJECT is read by core (paths.resolve_project), not by an
            # `envvar=` here, so that an error names the variable rather than --project.
            help=(
                "Use the project at DIR instead of searching upwards from the current"
                " folder (also TASKCTL_PROJECT)."
            ),
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for errors (also TASKCTL_DEBUG=1).")
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help=(
                "Print long output instead of opening a pager, like `git --no-pager`"
                ' (also output.pager="").'
            ),
        ),
    ] = False,
    version: Annotated[  # noqa: ARG001 - handled by its eager callback
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print taskctl's version and exit.",
        ),
    ] = False,
) -> None:
    """Manage a project's tasks and taskctl's configuration.

    Example: taskctl -c tasks.default_priority=high tasks add "Ship it"
    """
    import msgspec  # noqa: PLC0415

    from taskctl.cli.context import AppContext  # noqa: PLC0415

    # A caller may hand in the context to complete (click's `obj`, e.g. with a fixed
    # clock); else the context of this process: its environment, streams and clock.
    given = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext.from_process()
    ctx.obj = msgspec.structs.replace(
        given, project_dir=project, overrides=tuple(config or ()), debug=debug, no_pager=no_pager
    )


# The root's subcommands: a command group (module, Typer app) or a command (module,
# function), imported only when that subcommand runs.
_SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "init": ("taskctl.cli.tasks", "init_command"),
    "tasks": ("taskctl.cli.tasks", "app"),
    "tags": ("taskctl.cli.tags", "app"),
    "config": ("taskctl.cli.config", "app"),
    "version": ("taskctl.cli.about", "version_command"),
}


def _command(info: CommandInfo) -> Any:
    return typer.main.get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


def _build(name: str) -> Any:
    """The click command for one of the root's subcommands, as `add_typer` would make it."""
    module, attr = _SUBCOMMANDS[name]
    target = getattr(importlib.import_module(module), attr)
    if not isinstance(target, typer.Typer):
        return _command(CommandInfo(name=name, callback=target))
    # The group itself from Typer (help, callback, options), without its commands ...
    shell = copy.copy(target)
    shell.registered_commands = []
    group = typer.main.get_group_from_info(
        TyperInfo(shell, name=name),
        pretty_exceptions_short=app.pretty_exceptions_short,
        suggest_commands=app.suggest_commands,
        rich_markup_mode=app.rich_markup_mode,
    )
    # ... which are built one at a time, when looked up.
    loaders: dict[str, Callable[[], Any]] = {
        info.name or typer.main.get_command_name(info.callback.__name__): functools.partial(
            _command, info
        )
        for info in target.registered_commands
        if info.callback is not None
    }
    group.commands = _LazyCommands({**loaders, **group.commands})
    return group


def main() -> None:
    """Run the Typer app and leave through `boundary.exit_process` (see there why)."""
    gc.disable()
    try:
        app(prog_name="taskctl")
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:  # pragma: no cover - depends on the reader
        code = 0
    except boundary.OutputError as exc:  # typer's own output: help, usage, --version
        code = boundary.output_failed(exc, sys.argv[1:])
    boundary.exit_process(code)


__all__ = ["EXIT_USAGE", "app", "main"]
