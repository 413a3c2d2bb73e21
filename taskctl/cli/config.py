"""`taskctl config ...`: read, set, explain and validate configuration.

Every command reads the one resolved configuration on `ctx.obj` (see
`taskctl.core.config`); none of them needs the settings to be valid, so a bad value can
always be explained, overwritten or removed. `config get` never imports rich or tomlkit.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from taskctl.cli import render
from taskctl.cli.completion.values import complete_config_key
from taskctl.cli.context import AppContext, app_context
from taskctl.core.config.resolved import ResolvedConfig
from taskctl.core.config.schema import SOURCES, Scope, format_value, key_specs, lookup_key
from taskctl.core.config.sources import resolve
from taskctl.core.config.write import set_value, unset_value
from taskctl.core.errors import ConfigError, UsageError

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


def _scope(user: bool, project: bool, system: bool) -> Scope | None:
    flags: dict[Scope, bool] = {"user": user, "project": project, "system": system}
    chosen = [scope for scope, on in flags.items() if on]
    if len(chosen) > 1:
        raise UsageError("choose one of --user, --project and --system")
    return chosen[0] if chosen else None


def _table_style(obj: AppContext) -> dict[str, bool]:
    color = obj.config.chains["output.color"][-1]
    setting = color.value if color.ok else "auto"
    return {"rich_table": obj.terminal.stdout, "color": obj.color(setting)}


def _origin(resolved: ResolvedConfig, key: str, without: Scope | None = None) -> str:
    """`high (from env TASKCTL_...)`: the value that applies, ignoring `without`'s file."""
    setting = [s for s in resolved.chains[key] if s.source != without][-1]
    place = setting.location or "built-in default"
    shown = format_value(setting.value) if setting.ok else "invalid"
    return f"{shown} (from {setting.source}: {place})"


@app.command("get")
def get_command(ctx: typer.Context, key: KeyArg, as_json: JsonFlag = False) -> None:
    """Print one key's effective value alone (`true`, `10`, `high`), for scripts.

    With --json, the typed JSON value. An unknown key exits 2 with a suggestion.

    Example: taskctl config get tasks.default_priority
    """
    spec = lookup_key(key)
    render.config_value(app_context(ctx).config.value(spec.key), as_json=as_json)


# ignore_unknown_options: a VALUE such as `-1` reaches validation instead of being
# taken for an option.
@app.command("set", context_settings={"ignore_unknown_options": True})
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
    obj = app_context(ctx)
    resolved = obj.config
    spec = lookup_key(key)
    target = resolved.write_target(_scope(user, project, system))
    typed = set_value(target, spec.key, value, obj.environ)
    obj.replaced.append(target.path)
    render.message(f"wrote {spec.key} = {format_value(typed)} to {target.path}")
    above = [
        s
        for s in resolved.chains[spec.key]
        if SOURCES.index(s.source) > SOURCES.index(target.scope)
    ]
    if above:
        render.warning(
            f"{spec.key} is still {_origin(resolved, spec.key)}, which overrides the"
            f" {target.scope} file; `taskctl config explain {spec.key}` shows the chain"
        )
    if as_json:
        render.emit_json(
            {"key": spec.key, "value": typed, "path": str(target.path), "scope": target.scope}
        )


@app.command("unset")
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
    obj = app_context(ctx)
    resolved = obj.config
    spec = lookup_key(key)
    target = resolved.write_target(_scope(user, project, system))
    removed = unset_value(target, spec.key, obj.environ)
    if removed:
        obj.replaced.append(target.path)
        render.message(f"removed {spec.key} from {target.path}")
    else:
        render.message(f"{spec.key} is not set in {target.path}; nothing was written")
    render.message(f"{spec.key} is now {_origin(resolved, spec.key, without=target.scope)}")
    if as_json:
        render.emit_json(
            {"key": spec.key, "path": str(target.path), "scope": target.scope, "removed": removed}
        )


@app.command("list")
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
    obj = app_context(ctx)
    resolved = obj.config
    docs = [resolved.explain(key) for key in key_specs()]
    render.config_list(docs, show_origin=show_origin, as_json=as_json, **_table_style(obj))
    errors = resolved.errors
    if errors:
        raise errors[0].error(len(errors) - 1)


def _keys_named(name: str) -> list[str]:
    section = [key for key, spec in key_specs().items() if spec.section == name]
    return section or [lookup_key(name).key]


@app.command("explain")
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
    resolved = app_context(ctx).config
    keys = list(key_specs()) if key is None else _keys_named(key)
    for problem in resolved.errors:
        if problem.key is None:  # a malformed file or -c: its values are missing here
            render.warning(problem.message)
    docs = [resolved.explain(k) for k in keys]
    render.config_explain(docs, as_json=as_json, single=key in key_specs())


@app.command("path")
def path_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List every config file consulted, in precedence order, and which one `set` writes.

    Example: taskctl config path
    """
    obj = app_context(ctx)
    resolved = obj.config
    files = [
        {"source": f.source, "path": str(f.path), "exists": f.exists, "error": f.error}
        for f in resolved.files
    ]
    target = resolved.write_target()
    render.config_paths(
        files,
        {"scope": target.scope, "path": str(target.path), "reason": target.reason},
        as_json=as_json,
        **_table_style(obj),
    )


@app.command("validate")
def validate_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Report every problem: unknown keys and variables, invalid values, malformed files.

    Exits 2 when there is any problem, 0 when there is none.

    Example: taskctl config validate --json
    """
    obj = app_context(ctx)
    # Resolved afresh: ctx.obj.config would print each warning a second time.
    resolved = resolve(obj.location.root, obj.overrides, obj.environ)
    problems: list[dict[str, Any]] = [
        {"kind": p.kind, "blocking": p.blocking, "key": p.key, "message": p.message}
        for p in resolved.problems
    ]
    render.config_problems(problems, as_json=as_json)
    if problems:
        count = len(problems)
        raise ConfigError(f"{count} configuration problem{'s' if count > 1 else ''} found")
    read = sum(f.exists for f in resolved.files)
    render.message(f"configuration is valid ({read} file{'s' if read != 1 else ''} read)")
