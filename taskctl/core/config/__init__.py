"""Layered configuration: sources, precedence, strict coercion and provenance.

Sources, lowest to highest precedence: the schema's defaults, the system file, the
user file, the project's `.taskctl.toml`, the project's `.env` (its `TASKCTL_*` lines),
the process environment (`TASKCTL_<SECTION>_<KEY>`) and `-c KEY=VALUE`.

`resolve` never raises for a bad value or a malformed file: it records every setting
of every key, with its source, location and raw text, and every problem. Only
`ResolvedConfig.settings` (and `.value`) raise, naming the source of the bad value, so
`config explain`, `config set` and `config unset` keep working to repair it.

Reading uses the standard library's `tomllib` (`tomli` on 3.10); `tomlkit` is imported
only by `set_value`/`unset_value`, which must keep the user's comments and layout.

The modules, each importing only those above it:
- `schema`: the keys (`KeySpec`, `key_specs`, `lookup_key`, did-you-mean), coercion of
  text and TOML values, and how a value is shown (`format_value`, `toml_literal`);
- `locator`: the line of each key in a TOML document (`key_lines`);
- `resolved`: what resolution produces (`Setting`, `Problem`, `ConfigFile`,
  `WriteTarget`, `ResolvedConfig`) and the collector that builds it;
- `sources`: the config files' paths, reading each source, `resolve` and
  `trusted_safe_directories`;
- `write`: `set_value` and `unset_value` (tomlkit), under a lock;
- `docs`: the README's key table (`markdown_key_table`).

A new key is a new field of `taskctl.core.settings.Settings`; everything here derives
from it. The names below are importable from this package too, each module imported
only when one of its names is first used, so that importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from taskctl.core.lazy import lazy_exports

if TYPE_CHECKING:
    from taskctl.core.config.docs import markdown_key_table
    from taskctl.core.config.locator import key_lines
    from taskctl.core.config.resolved import (
        ConfigFile,
        Problem,
        ResolvedConfig,
        Setting,
        WriteTarget,
    )
    from taskctl.core.config.schema import (
        SCOPES,
        SOURCES,
        KeySpec,
        Scope,
        Source,
        coerce,
        coerce_text,
        format_value,
        key_specs,
        lookup_key,
        toml_literal,
    )
    from taskctl.core.config.sources import (
        config_files,
        resolve,
        system_config_file,
        trusted_safe_directories,
        user_config_file,
    )
    from taskctl.core.config.write import set_value, unset_value

_MODULES = {
    "docs": ("markdown_key_table",),
    "locator": ("key_lines",),
    "resolved": ("ConfigFile", "Problem", "ResolvedConfig", "Setting", "WriteTarget"),
    "schema": (
        "SCOPES",
        "SOURCES",
        "KeySpec",
        "Scope",
        "Source",
        "coerce",
        "coerce_text",
        "format_value",
        "key_specs",
        "lookup_key",
        "toml_literal",
    ),
    "sources": (
        "config_files",
        "resolve",
        "system_config_file",
        "trusted_safe_directories",
        "user_config_file",
    ),
    "write": ("set_value", "unset_value"),
}

__all__ = [
    "SCOPES",
    "SOURCES",
    "ConfigFile",
    "KeySpec",
    "Problem",
    "ResolvedConfig",
    "Scope",
    "Setting",
    "Source",
    "WriteTarget",
    "coerce",
    "coerce_text",
    "config_files",
    "format_value",
    "key_lines",
    "key_specs",
    "lookup_key",
    "markdown_key_table",
    "resolve",
    "set_value",
    "system_config_file",
    "toml_literal",
    "trusted_safe_directories",
    "unset_value",
    "user_config_file",
]

_HOME = {name: f"{__name__}.{module}" for module, names in _MODULES.items() for name in names}
__getattr__ = lazy_exports(__name__, _HOME, globals())
