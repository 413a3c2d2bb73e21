"""The root command, its options and the one error boundary."""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import importlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from taskctl import __version__
from taskctl.cli.complete import complete_config_override
from taskctl.core.errors import EXIT_INTERNAL, EXIT_USAGE, TaskctlError


def _wants_json(args: list[str]) -> bool:
    for i, arg in enumerate(args):
        if arg == "--json" or arg in ("--format=json", "--format=jsonl"):
            return True
        if arg == "--format" and i + 1 < len(args) and args[i + 1] in ("json", "jsonl"):
            return True
    return False


def _debug_enabled(ctx: typer.Context) -> bool:
    if getattr(ctx.obj, "debug", False) is True:
        return True
    return os.environ.get("TASKCTL_DEBUG", "") not in ("", "0", "false", "no")


def _print_traceback() -> None:
    import traceback  # noqa: PLC0415 - only --debug pays for it

    traceback.print_exc()


def _render() -> Any:
    from taskctl.cli import render  # noqa: PLC0415 - msgspec is not needed for --version

    return render


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


class TaskctlGroup(TyperGroup):
    """The error boundary: a `TaskctlError` becomes one line on stderr and its exit code.

    It sits on the root group's `invoke`, so it covers every subcommand both for the
    console script and for `typer.testing.CliRunner`. Its subcommands are imported
    and built on first use (`_SUBCOMMANDS`): `--version` loads none of them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        loaders = {name: functools.partial(_build, name) for name in _SUBCOMMANDS}
        self.commands = _LazyCommands({**loaders, **self.commands})

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        ctx.meta["taskctl.argv"] = list(args)  # the error boundary needs to know about --json
        return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TaskctlError as exc:
            if _debug_enabled(ctx):
                _print_traceback()
            _render().error(exc.code, str(exc), as_json=_wants_json(ctx.meta["taskctl.argv"]))
            ctx.exit(exc.exit_code)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # click's own usage errors keep click's handling (exit 2)
        except KeyboardInterrupt:
            _render().error("interrupted", "interrupted", as_json=False)
            ctx.exit(130)
        except BrokenPipeError:
            # `taskctl tasks list | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the boundary: any bug becomes exit 1
            if _debug_enabled(ctx):
                _print_traceback()
            text = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
            _render().error("internal", text, as_json=_wants_json(ctx.meta["taskctl.argv"]))
            ctx.exit(EXIT_INTERNAL)


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
    from taskctl.cli.context import AppContext  # noqa: PLC0415

    ctx.obj = AppContext(
        project_dir=project,
        overrides=tuple(config or ()),
        debug=debug,
        environ=dict(os.environ),
    )


# The root's subcommands: a command group (module, Typer app) or a command (module,
# function), imported only when that subcommand runs.
_SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "init": ("taskctl.cli.tasks", "init_command"),
    "tasks": ("taskctl.cli.tasks", "app"),
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
    """Console-script entry point (also `python -m taskctl`).

    taskctl is a short-lived process. Over a 10,000-task store, the garbage collector
    (scanning objects that are all about to be freed) and the interpreter's teardown
    (freeing them one by one) are a large part of a command's time, so the collector
    is off and the process leaves with `os._exit` once its output is flushed. Every
    file taskctl writes is closed and fsynced inside the command, before this point.
    """
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
    _exit(code)


def _exit(code: int) -> None:
    """Flush stdout and stderr, then leave without the interpreter's teardown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader left (`| head`): not an error
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)


__all__ = ["EXIT_USAGE", "app", "main"]
