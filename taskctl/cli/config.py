"""`taskctl config ...`: the Typer signatures, and nothing else.

Each command's parameters are its options Struct's fields (`cli/options.py`;
tests/test_options.py compares them); `@runs` names the function that does the work
(`cli/run/config.py`) and the one that shows its result (`cli/render_config.py`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from taskctl.cli import render_config as show
from taskctl.cli.command import runs
from taskctl.cli.completion.values import complete_config_key
from taskctl.cli.options import (
    ConfigExplainOptions,
    ConfigGetOptions,
    ConfigListOptions,
    ConfigPathOptions,
    ConfigSetOptions,
    ConfigUnsetOptions,
    ConfigValidateOptions,
)
from taskctl.cli.run import Command
from taskctl.cli.run import config as run

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Read, set and explain configuration. Sources, lowest to highest precedence:"
        " defaults, system file, user file, project .taskctl.toml, project .env,"
        " TASKCTL_* variables, -c KEY=VALUE.\n\n"
        "Example: taskctl config explain tasks.default_priority"
    ),
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="A key such as tasks.default_priority.",
        autocompletion=complete_config_key,
    ),
]
UserFlag = Annotated[bool, typer.Option("--user", help="Use your user config file.")]
ProjectFlag = Annotated[
    bool, typer.Option("--project", help="Use the project's .taskctl.toml (default in a project).")
]
SystemFlag = Annotated[bool, typer.Option("--system", help="Use the system-wide config file.")]


@app.command("get")
@runs(Command(ConfigGetOptions, run.get, show.config_value))
def get_command(ctx: typer.Context, key: KeyArg, as_json: JsonFlag = False) -> None:
    """Print one key's effective value alone (`true`, `10`, `high`), for scripts.

    With --json, the typed JSON value. An unknown key exits 2 with a suggestion.

    Example: taskctl config get tasks.default_priority
    """


# ignore_unknown_options: a VALUE such as `-1` reaches validation instead of being
# taken for an option.
@app.command("set", context_settings={"ignore_unknown_options": True})
@runs(Command(ConfigSetOptions, run.set_key, show.config_set))
def set_command(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The new value, as text.")],
    user: UserFlag = False,
    project: ProjectFlag = False,
    system: SystemFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Validate VALUE, then write it to one config file, keeping its comments.

    The file is the project's .taskctl.toml inside a project, else your user file;
    --user, --project or --system choose. The path written goes to stderr.

    Example: taskctl config set tasks.default_priority high --user
    """


@app.command("unset")
@runs(Command(ConfigUnsetOptions, run.unset, show.config_unset))
def unset_command(
    ctx: typer.Context,
    key: KeyArg,
    user: UserFlag = False,
    project: ProjectFlag = False,
    system: SystemFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Remove KEY from one config file (the same file `config set` would write).

    Unsetting a key the file does not set writes nothing and is not an error.

    Example: taskctl config unset storage.lock_timeout --user
    """


@app.command("list")
@runs(Command(ConfigListOptions, run.list_keys, show.config_list))
def list_command(
    ctx: typer.Context,
    show_origin: Annotated[
        bool, typer.Option("--show-origin", help="Add each value's source and location.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List every key's effective value.

    Example: taskctl config list --show-origin
    """


@app.command("explain")
@runs(Command(ConfigExplainOptions, run.explain, show.config_explain))
def explain_command(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(
            metavar="[KEY]",
            help="A key, or a section such as tasks; default all.",
            autocompletion=complete_config_key,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show why a value is what it is: its source, then every source that sets it.

    For each key: the effective value and its source; the chain of every source that
    sets it, lowest precedence first, the winner marked and each overridden value
    labelled with what overrode it; the variable that would set it; type, default,
    allowed values and description. Works even when a value is invalid.

    Example: taskctl config explain tasks.default_priority
    """


@app.command("path")
@runs(Command(ConfigPathOptions, run.paths, show.config_paths))
def path_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List every config file consulted, in precedence order, and which one `set` writes.

    Example: taskctl config path
    """


@app.command("validate")
@runs(Command(ConfigValidateOptions, run.validate, show.config_problems))
def validate_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Report every problem: unknown keys and variables, invalid values, malformed files.

    Exits 2 when there is any problem, 0 when there is none.

    Example: taskctl config validate --json
    """
