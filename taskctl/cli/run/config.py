"""`config get/set/unset/list/explain/path/validate` and `version`: the configuration
and the installation.

Every `config` command reads the one resolved configuration (`ctx.config`, see
`taskctl.core.config`); none of them needs the settings to be valid, so a bad value
can always be explained, overwritten or removed. `config get` imports neither rich
nor tomlkit: tomlkit comes with `core.config.write`, imported by `set` and `unset`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taskctl import __version__
from taskctl.cli.options import (
    ConfigExplainOptions,
    ConfigGetOptions,
    ConfigListOptions,
    ConfigPathOptions,
    ConfigSetOptions,
    ConfigUnsetOptions,
    ConfigValidateOptions,
    VersionOptions,
)
from taskctl.cli.results import (
    About,
    ConfigExplained,
    ConfigList,
    ConfigPaths,
    ConfigProblems,
    ConfigSet,
    ConfigUnset,
    ConfigValue,
    Display,
)
from taskctl.core.config.schema import SOURCES, Scope, format_value, key_specs, lookup_key
from taskctl.core.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from taskctl.cli.context import AppContext
    from taskctl.core.config.resolved import ResolvedConfig, WriteTarget


def get(ctx: AppContext, opts: ConfigGetOptions) -> ConfigValue:
    spec = lookup_key(opts.key)
    return ConfigValue(value=ctx.config.value(spec.key), as_json=opts.as_json)


def set_key(ctx: AppContext, opts: ConfigSetOptions) -> ConfigSet:
    from taskctl.core.config.write import set_value  # noqa: PLC0415 - writes only

    resolved = ctx.config
    spec = lookup_key(opts.key)
    target = _write_target(resolved, opts)
    typed = set_value(target, spec.key, opts.value, ctx.environ)
    ctx.replaced.append(target.path)
    above = [
        s
        for s in resolved.chains[spec.key]
        if SOURCES.index(s.source) > SOURCES.index(target.scope)
    ]
    return ConfigSet(
        key=spec.key,
        value=typed,
        path=str(target.path),
        scope=target.scope,
        overridden_by=_origin(resolved, spec.key) if above else None,
        as_json=opts.as_json,
    )


def unset(ctx: AppContext, opts: ConfigUnsetOptions) -> ConfigUnset:
    from taskctl.core.config.write import unset_value  # noqa: PLC0415 - writes only

    resolved = ctx.config
    spec = lookup_key(opts.key)
    target = _write_target(resolved, opts)
    removed = unset_value(target, spec.key, ctx.environ)
    if removed:
        ctx.replaced.append(target.path)
    return ConfigUnset(
        key=spec.key,
        path=str(target.path),
        scope=target.scope,
        removed=removed,
        now=_origin(resolved, spec.key, without=target.scope),
        as_json=opts.as_json,
    )


def _write_target(resolved: ResolvedConfig, opts: ConfigUnsetOptions) -> WriteTarget:
    """The file `set` and `unset` write: --user, --project or --system, else the default."""
    flags: dict[Scope, bool] = {"user": opts.user, "project": opts.project, "system": opts.system}
    chosen = [scope for scope, on in flags.items() if on]
    if len(chosen) > 1:
        raise UsageError("choose one of --user, --project and --system")
    return resolved.write_target(chosen[0] if chosen else None)


def _origin(resolved: ResolvedConfig, key: str, without: Scope | None = None) -> str:
    """`high (from env TASKCTL_...)`: the value that applies, ignoring `without`'s file."""
    setting = [s for s in resolved.chains[key] if s.source != without][-1]
    place = setting.location or "built-in default"
    shown = format_value(setting.value) if setting.ok else "invalid"
    return f"{shown} (from {setting.source}: {place})"


def list_keys(ctx: AppContext, opts: ConfigListOptions) -> ConfigList:
    resolved = ctx.config
    docs = [resolved.explain(key) for key in key_specs()]
    errors = resolved.errors
    return ConfigList(
        docs=docs,
        show_origin=opts.show_origin,
        display=_display(ctx),
        as_json=opts.as_json,
        failure=errors[0].error(len(errors) - 1) if errors else None,
    )


def _display(ctx: AppContext) -> Display:
    """A table on a terminal; colour by output.color, `auto` while it is invalid."""
    color = ctx.config.chains["output.color"][-1]
    setting = color.value if color.ok else "auto"
    return Display(table=ctx.terminal.stdout, color=ctx.color(setting), width=ctx.terminal.columns)


def explain(ctx: AppContext, opts: ConfigExplainOptions) -> ConfigExplained:
    resolved = ctx.config
    keys = list(key_specs()) if opts.key is None else _keys_named(opts.key)
    # a malformed file or -c: its values are missing from the chains shown
    warnings = [p.message for p in resolved.errors if p.key is None]
    return ConfigExplained(
        docs=[resolved.explain(k) for k in keys],
        single=opts.key in key_specs(),
        warnings=warnings,
        as_json=opts.as_json,
    )


def _keys_named(name: str) -> list[str]:
    section = [key for key, spec in key_specs().items() if spec.section == name]
    return section or [lookup_key(name).key]


def paths(ctx: AppContext, opts: ConfigPathOptions) -> ConfigPaths:
    resolved = ctx.config
    files = [
        {"source": f.source, "path": str(f.path), "exists": f.exists, "error": f.error}
        for f in resolved.files
    ]
    target = resolved.write_target()
    return ConfigPaths(
        files=files,
        target={"scope": target.scope, "path": str(target.path), "reason": target.reason},
        display=_display(ctx),
        as_json=opts.as_json,
    )


def validate(ctx: AppContext, opts: ConfigValidateOptions) -> ConfigProblems:
    from taskctl.core.config.sources import resolve  # noqa: PLC0415

    # Resolved afresh: ctx.config would print each warning a second time.
    resolved = resolve(ctx.location.root, ctx.overrides, ctx.environ)
    problems: list[dict[str, Any]] = [
        {"kind": p.kind, "blocking": p.blocking, "key": p.key, "message": p.message}
        for p in resolved.problems
    ]
    count = len(problems)
    failure = (
        ConfigError(f"{count} configuration problem{'s' if count > 1 else ''} found")
        if problems
        else None
    )
    return ConfigProblems(
        problems=problems,
        files_read=sum(f.exists for f in resolved.files),
        as_json=opts.as_json,
        failure=failure,
    )


def version(ctx: AppContext, opts: VersionOptions) -> About:
    from taskctl.core.about import about  # noqa: PLC0415

    return About(
        info=about(ctx.project_dir, ctx.environ, __version__).as_dict(), as_json=opts.as_json
    )
