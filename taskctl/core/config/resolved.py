"""What resolution produces: every setting of every key, with its source, and every problem.

`_Collector` receives each source's settings (`taskctl.core.config.sources` reads them)
and builds a `ResolvedConfig`: one chain per key, lowest precedence first, the winner
last. `ResolvedConfig` never raised while it was built: only `.settings` and `.value`
raise, naming the source of the bad value, so `config explain`, `config set` and
`config unset` keep working to repair it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import msgspec

from taskctl.core.config.schema import (
    _SURROGATE,
    DOTENV_NAME,
    SCOPES,
    KeySpec,
    Scope,
    Source,
    coerce,
    key_specs,
    lookup_key,
    toml_literal,
)
from taskctl.core.errors import ConfigError
from taskctl.core.settings import Settings


class Setting(msgspec.Struct, frozen=True):
    """One source's setting of one key."""

    key: str
    source: Source
    raw: Any  # as written: text from the environment, `.env` or -c; TOML's own type in files
    location: str | None  # "PATH:LINE", the variable's name, "-c"; None for the default
    value: Any = None  # the typed value; None when `error` is set
    error: str | None = None  # the full one-line message when the raw value is invalid

    @property
    def ok(self) -> bool:
        return self.error is None


class Problem(msgspec.Struct, frozen=True):
    """Something wrong in the configuration.

    `blocking` problems make `ResolvedConfig.settings` raise (an invalid value that
    wins, a malformed file, a malformed `-c`); the others are warnings (an unknown key,
    an invalid value that a higher source overrides).
    """

    kind: Literal["unknown_key", "invalid_value", "malformed_file", "bad_override", "ignored"]
    message: str
    blocking: bool = False
    key: str | None = None
    hint: str | None = None

    def error(self, others: int = 0) -> ConfigError:
        hint = self.hint
        if others:
            more = f"{others} more problem{'s' if others > 1 else ''}: `taskctl config validate`"
            hint = f"{hint}; {more}" if hint else more
        return ConfigError(self.message, hint=hint)


class ConfigFile(msgspec.Struct, frozen=True):
    """A file consulted for configuration."""

    source: Source
    path: Path
    exists: bool
    error: str | None = None


class WriteTarget(msgspec.Struct, frozen=True):
    """Which file `config set`/`config unset` writes, and why."""

    scope: Scope
    path: Path
    reason: str


class ResolvedConfig(msgspec.Struct, frozen=True, dict=True):
    """Every setting of every key from every source, and every problem found."""

    root: Path | None
    files: tuple[ConfigFile, ...]
    chains: Mapping[str, tuple[Setting, ...]]  # key -> settings, lowest precedence first
    problems: tuple[Problem, ...]

    @property
    def warnings(self) -> list[str]:
        """Unknown keys and overridden invalid values, each with its location."""
        return [p.message for p in self.problems if not p.blocking]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @cached_property
    def settings(self) -> Settings:
        """The typed settings, or a ConfigError naming the first bad source."""
        errors = self.errors
        if errors:
            raise errors[0].error(len(errors) - 1)
        data: dict[str, dict[str, Any]] = {}
        for key, chain in self.chains.items():
            winner = chain[-1]
            if winner.source != "default":
                section, _, name = key.partition(".")
                data.setdefault(section, {})[name] = winner.value
        return msgspec.convert(data, Settings)

    def winner(self, key: str) -> Setting:
        return self.chains[lookup_key(key).key][-1]

    def value(self, key: str) -> Any:
        """One key's effective value; raises for its own bad value or an unreadable file."""
        winner = self.winner(key)
        errors = [p for p in self.errors if p.key in (None, key)]
        if errors:
            raise errors[0].error()
        return winner.value

    def file(self, source: Source) -> ConfigFile | None:
        return next((f for f in self.files if f.source == source), None)

    def write_target(self, scope: Scope | None = None) -> WriteTarget:
        """The file `config set` writes: `scope`'s, else the project's inside a project."""
        if scope is None:
            if self.root is not None:
                scope, reason = "project", f"the default inside the project {self.root}"
            else:
                scope, reason = "user", "the default outside a project"
        else:
            reason = f"chosen with --{scope}"
        found = self.file(scope)
        if found is None:
            raise ConfigError(
                "not inside a project, so there is no project file to write",
                hint="run it inside a project, pass --project DIR before `config`, or use --user",
            )
        return WriteTarget(scope=scope, path=found.path, reason=reason)

    def explain(self, key: str) -> dict[str, Any]:
        """Everything about one key: the `config explain --json` document."""
        spec = lookup_key(key)
        chain = self.chains[spec.key]
        winner = chain[-1]
        return {
            "key": spec.key,
            "value": winner.value,
            "type": spec.type,
            "default": spec.default,
            "allowed": list(spec.choices) if spec.choices else None,
            "expected": spec.expected,
            "description": spec.description,
            "env_var": spec.env_var,
            "source": winner.source,
            "error": winner.error,
            "chain": [
                {
                    "source": s.source,
                    "value": s.raw,
                    "location": s.location,
                    "winner": s is winner,
                    "error": s.error,
                }
                for s in chain
            ],
        }


class _Collector:
    """Builds a ResolvedConfig: one chain per key, and the problems met on the way."""

    def __init__(self) -> None:
        self.chains: dict[str, list[Setting]] = {
            key: [Setting(key, "default", spec.default, None, spec.default)]
            for key, spec in key_specs().items()
        }
        self.problems: list[Problem] = []

    def add(
        self,
        spec: KeySpec,
        source: Source,
        raw: Any,
        location: str,
        where: str | None = None,
        *,
        problem: str | None = None,
    ) -> None:
        """Record `source`'s setting of `spec`; `where` names it in messages (default
        `location`); `problem` says why `raw` could not even be read as a value."""
        if spec.trusted_only and source in ("project", "dotenv"):
            self.warn(
                "ignored",
                f"{where or location}: {spec.key} is never read from a project's own files;"
                " set it in your user config, the environment or with -c",
            )
            return
        value, error = _typed(spec, raw, problem)
        if isinstance(raw, str) and _SURROGATE.search(raw):
            # Undecodable bytes are kept as `\xff` escapes: JSON and the terminal take those.
            raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        if error is None:
            self.chains[spec.key].append(Setting(spec.key, source, raw, location, value))
            return
        shown = f"{where or location}: invalid value {toml_literal(raw)} for {spec.key}"
        message = f"{shown}: {error}"
        self.chains[spec.key].append(Setting(spec.key, source, raw, location, error=message))

    def warn(self, kind: Literal["unknown_key", "ignored"], message: str) -> None:
        self.problems.append(Problem(kind, message))

    def block(
        self,
        kind: Literal["malformed_file", "bad_override", "invalid_value"],
        message: str,
        hint: str,
    ) -> None:
        self.problems.append(Problem(kind, message, blocking=True, hint=hint))

    def finish(self, root: Path | None, files: list[ConfigFile]) -> ResolvedConfig:
        for key, chain in self.chains.items():
            for i, setting in enumerate(chain):
                if setting.error is None:
                    continue
                if i == len(chain) - 1:
                    hint = _repair_hint(setting)
                    self.problems.append(Problem("invalid_value", setting.error, True, key, hint))
                else:
                    above = chain[i + 1]
                    message = f"{setting.error} (not used: overridden by {_label(above)})"
                    self.problems.append(Problem("invalid_value", message, False, key))
        chains = {key: tuple(chain) for key, chain in self.chains.items()}
        return ResolvedConfig(root, tuple(files), chains, tuple(self.problems))


def _typed(spec: KeySpec, raw: Any, problem: str | None) -> tuple[Any, str | None]:
    """`(value, None)`, or `(None, why)` when `raw` is not a valid value for `spec`."""
    if problem is not None:
        return None, problem
    try:
        return coerce(spec, raw), None
    except ValueError as exc:
        return None, str(exc)


def _label(setting: Setting) -> str:
    return setting.source if setting.location is None else f"{setting.source} {setting.location}"


def _repair_hint(setting: Setting) -> str:
    if setting.source in SCOPES:
        return (
            f"fix it with `taskctl config set {setting.key} VALUE --{setting.source}`"
            f" or `taskctl config unset {setting.key} --{setting.source}`"
        )
    if setting.source == "dotenv":
        return f"edit or remove that line of {DOTENV_NAME}"
    if setting.source == "env":
        return f"unset {setting.location} or give it a valid value"
    return "correct the -c option"
