"""The root command, its options and the one error boundary."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from taskctl import __version__
from taskctl.cli import render
from taskctl.cli.context import AppContext
from taskctl.core.errors import EXIT_INTERNAL, EXIT_USAGE, TaskctlError


def _wants_json(args: list[str]) -> bool:
    for i, arg in enumerate(args):
        if arg == "--json" or arg in ("--format=json", "--format=jsonl"):
            return True
        if arg == "--format" and i + 1 < len(args) and args[i + 1] in ("json", "jsonl"):
            return True
    return False


def _debug_enabled(ctx: typer.Context) -> bool:
    obj = ctx.obj
    if isinstance(obj, AppContext) and obj.debug:
        return True
    return os.environ.get("TASKCTL_DEBUG", "") not in ("", "0", "false", "no")


class TaskctlGroup(TyperGroup):
    """The error boundary: a `TaskctlError` becomes one line on stderr and its exit code.

    It sits on the root group's `invoke`, so it covers every subcommand both for the
    console script and for `typer.testing.CliRunner`.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        ctx.meta["taskctl.argv"] = list(args)  # the error boundary needs to know about --json
        return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TaskctlError as exc:
            if _debug_enabled(ctx):
                traceback.print_exc()
            render.error(exc.code, str(exc), as_json=_wants_json(ctx.meta["taskctl.argv"]))
            ctx.exit(exc.exit_code)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # click's own usage errors keep click's handling (exit 2)
        except KeyboardInterrupt:
            render.error("interrupted", "interrupted", as_json=False)
            ctx.exit(130)
        except BrokenPipeError:
            # `taskctl tasks list | head`: the reader left; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the boundary: any bug becomes exit 1
            if _debug_enabled(ctx):
                traceback.print_exc()
            text = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
            render.error("internal", text, as_json=_wants_json(ctx.meta["taskctl.argv"]))
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


def _version_callback(value: bool) -> None:
    if value:
        render.emit_line(f"taskctl {__version__}")
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
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            metavar="DIR",
            envvar="TASKCTL_PROJECT",
            help="Use the project at DIR instead of searching upwards from the current folder.",
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
    ctx.obj = AppContext(
        project_dir=project,
        overrides=tuple(config or ()),
        debug=debug,
        environ=dict(os.environ),
    )


def _register() -> None:
    from taskctl.cli import config as config_cli  # noqa: PLC0415
    from taskctl.cli import tasks as tasks_cli  # noqa: PLC0415

    app.add_typer(tasks_cli.app, name="tasks")
    app.add_typer(config_cli.app, name="config")
    app.command("init")(tasks_cli.init_command)


_register()


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
