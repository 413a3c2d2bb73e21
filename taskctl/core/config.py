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
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
import typing
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import msgspec

from taskctl.core.errors import ConfigError
from taskctl.core.paths import (
    APP_NAME,
    PROJECT_CONFIG,
    PROJECT_ENV_VAR,
    SAFE_DIRECTORIES_KEY,
    site_config_dir,
    user_dir,
)
from taskctl.core.settings import Settings


def _tomllib() -> Any:
    """The TOML reader, imported only when a config file exists (most runs have none)."""
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415

        return tomllib
    import tomli  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

    return tomli


Source = Literal["default", "system", "user", "project", "dotenv", "env", "cli"]
Scope = Literal["system", "user", "project"]
# Lowest to highest precedence.
SOURCES: tuple[Source, ...] = ("default", "system", "user", "project", "dotenv", "env", "cli")
SCOPES: tuple[Scope, ...] = ("system", "user", "project")

ENV_PREFIX = "TASKCTL_"
FILE_NAME = "config.toml"
DOTENV_NAME = ".env"
# Variables of taskctl that are not configuration keys: never "unknown".
RESERVED_ENV: frozenset[str] = frozenset({PROJECT_ENV_VAR, "TASKCTL_DEBUG"})

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})
_INT_TEXT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FLOAT_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_TOML_ERROR_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


# --------------------------------------------------------------------------- schema


class KeySpec(msgspec.Struct, frozen=True):
    """One configuration key, derived from the `Settings` schema."""

    key: str  # "tasks.default_priority"
    section: str
    name: str
    type: Literal["boolean", "integer", "number", "string", "enum", "list"]
    default: Any
    description: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    min_length: int | None = None
    # Read only from sources a project cannot write: never its .taskctl.toml or .env.
    trusted_only: bool = False

    @property
    def env_var(self) -> str:
        return f"{ENV_PREFIX}{self.section}_{self.name}".upper()

    @property
    def expected(self) -> str:
        """What a valid value looks like, for errors and for `config explain`."""
        bound = "" if self.minimum is None else f" >= {format_value(self.minimum)}"
        if self.type == "boolean":
            return "true or false (also yes/no, on/off, 1/0)"
        if self.type == "integer":
            return f"a whole number{bound}"
        if self.type == "number":
            return f"a number{bound}"
        if self.type == "enum":
            return "one of " + ", ".join(self.choices or ())
        if self.type == "list":
            return "a list of absolute folders, DIR/* or * (in text: separated by commas)"
        return "a non-empty string" if self.min_length else "a string"


def _spec_for(section: str, name: str, hint: Any, default: Any) -> KeySpec:
    metas: list[msgspec.Meta] = []
    if typing.get_origin(hint) is typing.Annotated:
        hint, *extras = typing.get_args(hint)
        metas = [m for m in extras if isinstance(m, msgspec.Meta)]
    description = next((m.description for m in metas if m.description), "")
    minimum = next((m.ge for m in metas if m.ge is not None), None)
    min_length = next((m.min_length for m in metas if m.min_length is not None), None)
    common: dict[str, Any] = {
        "key": f"{section}.{name}",
        "section": section,
        "name": name,
        "default": default,
        "description": description,
        "trusted_only": any((m.extra or {}).get("trusted_only") for m in metas),
    }
    if typing.get_origin(hint) is Literal:
        return KeySpec(type="enum", choices=tuple(typing.get_args(hint)), **common)
    if hint == tuple[str, ...]:
        return KeySpec(type="list", **common)
    kinds: dict[Any, Literal["boolean", "integer", "number", "string"]] = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
    }
    if hint not in kinds:  # pragma: no cover - a schema change without support here
        raise TypeError(f"config key {section}.{name}: unsupported type {hint!r}")
    return KeySpec(type=kinds[hint], minimum=minimum, min_length=min_length, **common)


@cache
def key_specs() -> dict[str, KeySpec]:
    """Every key of the schema, in schema order: `{"tasks.default_priority": KeySpec}`."""
    specs: dict[str, KeySpec] = {}
    section_hints = typing.get_type_hints(Settings, include_extras=True)
    defaults = Settings()
    for section in Settings.__struct_fields__:
        section_type = section_hints[section]
        hints = typing.get_type_hints(section_type, include_extras=True)
        section_defaults = getattr(defaults, section)
        for name in section_type.__struct_fields__:
            spec = _spec_for(section, name, hints[name], getattr(section_defaults, name))
            specs[spec.key] = spec
    return specs


@cache
def _env_index() -> dict[str, KeySpec]:
    return {spec.env_var: spec for spec in key_specs().values()}


def _close_match(word: str, candidates: Sequence[str]) -> str | None:
    import difflib  # noqa: PLC0415 - only a misspelt key pays for it (2 ms)

    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    match = _close_match(word, candidates)
    return f" (did you mean {match}?)" if match else ""


def _suggest_variable(name: str) -> str:
    # Compare what follows the shared `TASKCTL_`, or every name looks alike.
    suffixes = {n[len(ENV_PREFIX) :]: n for n in _env_index()}
    match = _close_match(name[len(ENV_PREFIX) :], list(suffixes))
    return f" (did you mean {suffixes[match]}?)" if match else ""


def _suggest_key(key: str) -> str:
    specs = key_specs()
    # A known name in the wrong section (`[tasks] lock_timeout`) is the likeliest slip.
    name = key.rpartition(".")[2]
    same_name = [k for k, spec in specs.items() if spec.name == name]
    if same_name:
        return f" (did you mean {same_name[0]}?)"
    return _did_you_mean(key, list(specs))


def lookup_key(key: str) -> KeySpec:
    """The spec of `key`, or a ConfigError (exit 2) with a suggestion."""
    spec = key_specs().get(key)
    if spec is None:
        raise ConfigError(
            f"unknown configuration key {key!r}{_suggest_key(key)}",
            hint="`taskctl config list` shows every key",
        )
    return spec


# --------------------------------------------------------------------------- values


def format_value(value: Any) -> str:
    """A typed value as a user reads and types it: `true`, `10`, `2.5`, `high`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
# What a TOML basic string may not hold as itself: the quote, the backslash, and the
# control characters U+0000 to U+001F and U+007F; and, only ever shown in messages (no
# value holding one is accepted), the surrogates that stand for undecodable bytes.
_TOML_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f\ud800-\udfff]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _toml_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _TOML_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def toml_literal(raw: Any) -> str:
    """A value as TOML writes it: strings as basic strings (`"..."`), escaped as TOML
    requires. `config set` writes this text itself, so that the file does not depend on
    tomlkit's default quoting (tomlkit 0.15 writes literal `'...'` strings)."""
    if isinstance(raw, str):
        return '"' + _TOML_UNSAFE.sub(_toml_escape, raw) + '"'
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def _folder_list(entries: list[str]) -> list[str]:
    """Each entry of a list of folders: `*`, or an absolute path (`~/` allowed) that may
    end in `/*`; ValueError for anything else."""
    for entry in entries:
        if entry != "*" and not (entry.startswith("~/") or Path(entry).is_absolute()):
            raise ValueError
    return entries


def _coerce_text(spec: KeySpec, text: str) -> Any:
    text = text.strip()
    if spec.type == "list":
        return _folder_list([part.strip() for part in text.split(",") if part.strip()])
    if spec.type == "boolean":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError
    if spec.type == "integer":
        if not _INT_TEXT.fullmatch(text):
            raise ValueError
        return int(text)
    if spec.type == "number":
        if not _FLOAT_TEXT.fullmatch(text) or not math.isfinite(number := float(text)):
            raise ValueError  # `1e400` is inf, which no TOML reader here accepts back
        return number
    return text


def _coerce_native(spec: KeySpec, raw: Any) -> Any:
    """A TOML value of its own type: only the matching type is accepted, and for a
    boolean the integers 1 and 0, as the documented words `1`/`0`."""
    if spec.type == "boolean" and isinstance(raw, bool):
        return raw
    if spec.type == "boolean" and isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, bool):
        raise TypeError
    if spec.type == "integer" and isinstance(raw, int):
        return raw
    if spec.type == "number" and isinstance(raw, (int, float)) and math.isfinite(raw):
        return float(raw)
    if spec.type == "list" and isinstance(raw, list) and all(isinstance(e, str) for e in raw):
        return _folder_list([e.strip() for e in raw])
    raise TypeError


def coerce(spec: KeySpec, raw: Any) -> Any:
    """The typed value of `raw` for `spec`, or ValueError with what was expected.

    Text (environment, `.env`, `-c`, `config set`, and TOML strings) goes through one
    strict parser; other TOML values must already have the key's type.
    """
    if isinstance(raw, str) and _SURROGATE.search(raw):  # undecodable bytes (argv, environ)
        raise ValueError("not UTF-8 text")
    try:
        value = _coerce_text(spec, raw) if isinstance(raw, str) else _coerce_native(spec, raw)
    except (ValueError, TypeError):
        raise ValueError(f"expected {spec.expected}") from None
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"expected {spec.expected}")
    if spec.min_length is not None and len(value) < spec.min_length:
        raise ValueError(f"expected {spec.expected}")
    if spec.choices is not None and value not in spec.choices:
        folded = {c.lower(): c for c in spec.choices}.get(value.lower())
        near = f" (did you mean {folded}?)" if folded else _did_you_mean(value, spec.choices)
        raise ValueError(f"expected {spec.expected}{near}")
    return value


# --------------------------------------------------------------------------- resolution


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


def user_config_file(environ: Mapping[str, str]) -> Path:
    """`$XDG_CONFIG_HOME/taskctl/config.toml` where set (on every platform), else the
    platform's user config folder (`paths.user_dir`)."""
    xdg = environ.get("XDG_CONFIG_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / APP_NAME / FILE_NAME
    return user_dir("config", environ) / FILE_NAME


def system_config_file(environ: Mapping[str, str]) -> Path:
    """The first of `$XDG_CONFIG_DIRS` where set, else the platform's site config folder."""
    for folder in environ.get("XDG_CONFIG_DIRS", "").split(os.pathsep):
        if folder and Path(folder).is_absolute():
            return Path(folder) / APP_NAME / FILE_NAME
    return site_config_dir(environ) / FILE_NAME


def config_files(root: Path | None, environ: Mapping[str, str]) -> list[tuple[Source, Path]]:
    """Every file consulted, lowest precedence first."""
    files: list[tuple[Source, Path]] = [
        ("system", system_config_file(environ)),
        ("user", user_config_file(environ)),
    ]
    if root is not None:
        files += [("project", root / PROJECT_CONFIG), ("dotenv", root / DOTENV_NAME)]
    return files


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


def _toml_error_line(exc: ValueError) -> tuple[int, str]:
    text = str(exc)
    match = _TOML_ERROR_AT.search(text)
    line = getattr(exc, "lineno", None) or (int(match.group(1)) if match else 1)
    return line, _TOML_ERROR_AT.sub("", text)


def _read_toml(source: Source, path: Path, out: _Collector) -> ConfigFile:
    hint = "fix the file by hand; `taskctl config explain` still shows the other sources"
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return ConfigFile(source, path, exists=False)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        message = f"{path}: cannot read the {source} config file: {reason}"
        out.block("malformed_file", message, hint)
        return ConfigFile(source, path, exists=True, error=message)
    toml = _tomllib()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        line, reason = _toml_error_line(exc)
        message = f"{path}:{line}: the {source} config file is not valid TOML: {reason}"
        out.block("malformed_file", message, hint)
        return ConfigFile(source, path, exists=True, error=message)
    _collect_document(source, path, document, key_lines(text), out)
    return ConfigFile(source, path, exists=True)


def _collect_document(
    source: Source,
    path: Path,
    document: dict[str, Any],
    lines: dict[tuple[str, ...], int],
    out: _Collector,
) -> None:
    specs = key_specs()
    sections = {spec.section for spec in specs.values()}

    def where(*parts: str) -> str:
        for end in range(len(parts), 0, -1):
            if parts[:end] in lines:
                return f"{path}:{lines[parts[:end]]}"
        return str(path)

    def unknown(key: str, *parts: str) -> None:
        out.warn("unknown_key", f"{where(*parts)}: unknown key {key}{_suggest_key(key)}")

    for section, table in document.items():
        if section in sections and not isinstance(table, dict):
            shown = f"{where(section)}: invalid value {toml_literal(table)} for {section}"
            hint = f"write its keys under a [{section}] header, or remove the line"
            out.block("invalid_value", f"{shown}: expected a table ([{section}])", hint)
            continue
        if not isinstance(table, dict):
            unknown(section, section)
            continue
        if not table and section not in sections:
            out.warn("unknown_key", f"{where(section)}: unknown section [{section}]")
        for name, raw in table.items():
            key = f"{section}.{name}"
            spec = specs.get(key)
            if spec is None:
                unknown(key, section, name)
            else:
                out.add(spec, source, raw, where(section, name))


_DOTENV_PREFIX = ENV_PREFIX.encode()
# A double-quoted value ends at the first quote that no backslash escapes; a single-quoted
# one at the next single quote (no escapes inside).
_DOTENV_QUOTED = {'"': re.compile(r'"((?:[^"\\]|\\.)*)"'), "'": re.compile(r"'([^']*)'")}
_DOTENV_ESCAPE = re.compile(r"\\([\\'\"abfnrtv])")
_DOTENV_ESCAPES = dict(zip("\\'\"abfnrtv", "\\'\"\a\b\f\n\r\t\v", strict=True))


def _dotenv_lines(data: bytes) -> Iterator[tuple[int, str, str | None]]:
    """`(line, NAME, text after the =)` for each `TASKCTL_*` line; None when there is no
    `=`. The other lines belong to other tools: they are never decoded nor parsed, so
    no bytes in them (not UTF-8, NUL, any syntax) can make `.env` unreadable. Undecodable
    bytes in a `TASKCTL_*` line come back as surrogates, for `coerce` to refuse."""
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    for number, line in enumerate(data.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(b"export "):
            stripped = stripped[len(b"export ") :].lstrip()
        if not stripped.startswith(_DOTENV_PREFIX):
            continue
        name, eq, value = stripped.partition(b"=")
        # A name is only ever shown (an unknown one in a warning): escapes, not surrogates.
        shown = name.strip().decode("utf-8", "backslashreplace")
        yield number, shown, value.strip().decode("utf-8", "surrogateescape") if eq else None


def _dotenv_value(text: str) -> str:
    """The value of `NAME=text` by the usual dotenv rules: a quoted value ends at its
    closing quote (a comment may follow); an unquoted one at ` #`. ValueError when a
    quote is not closed, or something other than a comment follows it."""
    pattern = _DOTENV_QUOTED.get(text[:1])
    if pattern is None:
        return re.split(r"\s+#", text, maxsplit=1)[0].strip()
    match = pattern.match(text)
    if match is None:
        raise ValueError(f"its opening {text[0]} is never closed")
    rest = text[match.end() :].strip()
    if rest and not rest.startswith("#"):
        raise ValueError(f"{rest!r} follows the closing {text[0]}; a comment starts with ' #'")
    if text[0] == "'":
        return match.group(1)
    return _DOTENV_ESCAPE.sub(lambda m: _DOTENV_ESCAPES[m.group(1)], match.group(1))


def _read_dotenv(path: Path, out: _Collector) -> ConfigFile:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile("dotenv", path, exists=False)
    except OSError as exc:
        message = f"{path}: cannot read the project's {DOTENV_NAME}: {exc.strerror}"
        out.block("malformed_file", message, "fix the file's permissions")
        return ConfigFile("dotenv", path, exists=True, error=message)
    index = _env_index()
    for number, name, text in _dotenv_lines(data):
        location = f"{path}:{number}"
        spec = index.get(name)
        if name in RESERVED_ENV:
            out.warn("ignored", f"{location}: {name} has no effect in {DOTENV_NAME}")
        elif spec is None:
            hint = _suggest_variable(name)
            out.warn("unknown_key", f"{location}: unknown variable {name}{hint}")
        elif text is None:
            out.warn("ignored", f"{location}: {name} has no `=`; the line is ignored")
        else:
            where = f"{location} ({name})"
            try:
                value = _dotenv_value(text)
            except ValueError as exc:
                out.add(spec, "dotenv", text, location, where, problem=str(exc))
            else:
                out.add(spec, "dotenv", value, location, where)
    return ConfigFile("dotenv", path, exists=True)


def _read_environ(environ: Mapping[str, str], out: _Collector) -> None:
    index = _env_index()
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name in RESERVED_ENV:
            continue
        spec = index.get(name)
        if spec is None:
            hint = _suggest_variable(name)
            out.warn("unknown_key", f"unknown variable {name} in the environment{hint}")
        else:
            out.add(spec, "env", environ[name], name)


def _read_overrides(overrides: Sequence[str], out: _Collector) -> None:
    for text in overrides:
        key, eq, value = text.partition("=")
        key = key.strip()
        spec = key_specs().get(key)
        if not eq:
            out.block(
                "bad_override",
                f"-c {text}: expected KEY=VALUE",
                "for example -c tasks.default_priority=high",
            )
        elif spec is None:
            out.block(
                "bad_override",
                f"-c {text}: unknown configuration key {key!r}{_suggest_key(key)}",
                "`taskctl config list` shows every key",
            )
        else:
            out.add(spec, "cli", value, "-c", where=f"-c {text}")


def resolve(
    root: Path | None, overrides: Sequence[str], environ: Mapping[str, str]
) -> ResolvedConfig:
    """Read every source once; record every setting and every problem; never raise
    for a bad value or a malformed file (see `ResolvedConfig.settings`)."""
    out = _Collector()
    files: list[ConfigFile] = []
    for source, path in config_files(root, environ):
        if source == "dotenv":
            files.append(_read_dotenv(path, out))
        else:
            files.append(_read_toml(source, path, out))
    _read_environ(environ, out)
    _read_overrides(overrides, out)
    return out.finish(root, files)


def trusted_safe_directories(overrides: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """`security.safe_directories` from the sources a project cannot write (the system
    and user files, the environment, -c): resolved without a project, so that the
    project's own files are never read before it is trusted."""
    return list(resolve(None, overrides, environ).value(SAFE_DIRECTORIES_KEY))


# --------------------------------------------------------------------------- key lines


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^\n#]*")


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _parse_key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    """A dotted key (`a."b".'c'`) from `i`: its parts and the position after it."""
    parts: list[str] = []
    while True:
        i = _skip_blanks(text, i)
        if i < len(text) and text[i] in "\"'":
            close = text.find(text[i], i + 1)
            close = len(text) if close < 0 else close
            parts.append(text[i + 1 : close])
            i = close + 1
        else:
            match = _BARE_KEY.match(text, i)
            if not match:
                return tuple(parts), i
            parts.append(match.group())
            i = match.end()
        i = _skip_blanks(text, i)
        if i >= len(text) or text[i] != ".":
            return tuple(parts), i
        i += 1


def _skip_multiline_string(text: str, i: int, quote: str) -> int:
    j = i + 3
    while True:
        close = text.find(quote * 3, j)
        if close < 0:
            return len(text)
        backslashes = len(text[:close]) - len(text[:close].rstrip("\\"))
        if quote == '"' and backslashes % 2:
            j = close + 1
            continue
        end = close + 3
        # Up to two quotes may end the content just before the delimiter: `a""""`.
        while end < len(text) and text[end] == quote and end - close < 5:
            end += 1
        return end


def _skip_value(text: str, i: int) -> int:
    """The position just after the TOML value starting at `i` (which may span lines)."""
    if text.startswith('"""', i) or text.startswith("'''", i):
        return _skip_multiline_string(text, i, text[i])
    if i < len(text) and text[i] == '"':
        j = i + 1
        while j < len(text) and text[j] not in '"\n':
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if i < len(text) and text[i] == "'":
        close = text.find("'", i + 1)
        return len(text) if close < 0 else close + 1
    if i < len(text) and text[i] in "[{":
        depth, j = 1, i + 1
        while j < len(text) and depth:
            char = text[j]
            if char in "\"'":
                j = _skip_value(text, j)
                continue
            if char == "#":
                j = _line_end(text, j)
                continue
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            j += 1
        return j
    match = _SCALAR.match(text, i)
    return match.end() if match else i


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of each key and table of a valid TOML document.

    `[tasks]` then `default_priority = 1` gives `("tasks", "default_priority")`; so
    does `tasks.default_priority = 1`. A table header gives its own path; keys inside
    an inline table `tasks = { ... }` are found through their table's line. Values
    spanning lines (multi-line strings and arrays) are skipped, never read as keys.
    The standard library's reader keeps no positions, hence this small scan.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    i = 0
    while i < len(text):
        if text[i] in " \t\r\n":
            i += 1
            continue
        if text[i] == "#":
            i = _line_end(text, i)
            continue
        line = text.count("\n", 0, i) + 1
        if text[i] == "[":
            array = text.startswith("[[", i)
            parts, i = _parse_key(text, i + (2 if array else 1))
            # Keys under `[[array.of.tables]]` are never configuration keys.
            table = (*parts, "[]") if array else parts
            lines.setdefault(table, line)
            i = _line_end(text, i)
            continue
        parts, i = _parse_key(text, i)
        if not parts:  # not a key: a document tomllib accepted should never get here
            i = _line_end(text, i) + 1
            continue
        lines.setdefault((*table, *parts), line)
        i = _skip_blanks(text, i)
        if i < len(text) and text[i] == "=":
            i = _skip_blanks(text, i + 1)
        i = _line_end(text, _skip_value(text, i))
    return lines


# --------------------------------------------------------------------------- writing


def _load_for_edit(path: Path) -> Any:
    import tomlkit  # noqa: PLC0415 - only writes pay for tomlkit
    from tomlkit.exceptions import ParseError  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read it: {reason}") from None
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        raise ConfigError(
            f"{path}:{exc.line}: not valid TOML ({exc}); nothing was written",
            hint="fix the file by hand first",
        ) from None


def _write_document(target: WriteTarget, document: Any) -> None:
    """Atomically replace the target file; a new user file (and folder) is private."""
    from taskctl.core.fs import atomic_write, new_file_mode  # noqa: PLC0415 - writes only

    private = target.scope == "user"
    # Write through a symlink (dotfile managers link config files) instead of over it.
    path = target.path.resolve() if target.path.is_symlink() else target.path
    try:
        existed = path.exists()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
        mode = path.stat().st_mode & 0o777 if existed else 0o600 if private else new_file_mode()
        atomic_write(path, document.as_string().encode("utf-8"), mode=mode)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {target.path}: {exc.strerror or exc}; the file was left unchanged",
            hint="check the folder's permissions, or choose another file with --user/--project",
        ) from None


@contextlib.contextmanager
def _locked(target: WriteTarget) -> Iterator[None]:
    """One lock around the read-modify-write of a config file, so that two `config set`
    at once both land. Its sidecar file lives in the user's cache folder, named after
    the config file's path, so that no lock file appears beside `.taskctl.toml`."""
    import hashlib  # noqa: PLC0415

    from taskctl.core.lock import file_lock  # noqa: PLC0415 - writes only

    path = (target.path.resolve() if target.path.is_symlink() else target.path).absolute()
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:32]
    locks = user_dir("cache") / "locks"
    try:
        lock = file_lock(path, locks / f"config-{digest}.lock")
    except OSError as exc:
        raise ConfigError(f"cannot lock {path}: {exc.strerror or exc}") from None
    with lock:
        yield


def _section_of(document: Any, path: Path, section: str, *, create: bool) -> Any:
    import tomlkit  # noqa: PLC0415

    table = document.get(section)
    if table is None and create:
        table = tomlkit.table()
        document.add(section, table)
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: `{section}` is not a table; nothing was written")
    return table


def coerce_text(key: str, text: str) -> Any:
    """The typed value `config set KEY TEXT` would store, or a ConfigError."""
    spec = lookup_key(key)
    try:
        return coerce(spec, text)
    except ValueError as exc:
        raise ConfigError(f"invalid value {toml_literal(text)} for {key}: {exc}") from None


def set_value(target: WriteTarget, key: str, text: str) -> Any:
    """Validate `text` for `key`, then store it in `target`'s file; returns the typed value.

    Comments, order and formatting of the file survive (tomlkit); the write is atomic;
    a new user file is created with mode 0600.
    """
    spec = lookup_key(key)
    value = coerce_text(key, text)
    if spec.trusted_only and target.scope == "project":
        raise ConfigError(
            f"{key} is never read from a project's own files, so it is not written there",
            hint="use --user or --system",
        )
    if spec.type == "number" and _INT_TEXT.fullmatch(text.strip()):
        stored: Any = int(value)  # `lock_timeout = 5`, as the user typed it
    else:
        stored = value
    import tomlkit  # noqa: PLC0415

    item = tomlkit.value(toml_literal(stored))  # our quoting, whatever tomlkit's default
    with _locked(target):
        document = _load_for_edit(target.path)
        _section_of(document, target.path, spec.section, create=True)[spec.name] = item
        _write_document(target, document)
    return value


def unset_value(target: WriteTarget, key: str) -> bool:
    """Remove `key` from `target`'s file; False when it was not set there."""
    spec = lookup_key(key)
    if not target.path.exists():
        return False
    with _locked(target):
        document = _load_for_edit(target.path)
        table = _section_of(document, target.path, spec.section, create=False)
        if table is None or spec.name not in table:
            return False
        del table[spec.name]
        from tomlkit.items import InlineTable  # noqa: PLC0415

        # Drop a table left empty, unless it keeps a comment of the user's.
        if not table and (isinstance(table, InlineTable) or not table.as_string().strip()):
            del document[spec.section]
        _write_document(target, document)
    return True


# --------------------------------------------------------------------------- docs


def markdown_key_table() -> str:
    """The README's table of every key, generated from the schema."""
    rows = [
        "| key | type | default | variable | description |",
        "| --- | --- | --- | --- | --- |",
    ]
    for spec in key_specs().values():
        kind: str = spec.type
        default = "[]" if spec.type == "list" and not spec.default else format_value(spec.default)
        if spec.type == "list":
            kind = "list of folders"
        elif spec.choices:
            kind = " \\| ".join(f"`{c}`" for c in spec.choices)
        elif spec.minimum is not None:
            kind = f"{kind} >= {format_value(spec.minimum)}"
        elif spec.min_length:
            kind = f"non-empty {kind}"
        rows.append(
            f"| `{spec.key}` | {kind} | `{default}` | `{spec.env_var}` | {spec.description} |"
        )
    return "\n".join(rows) + "\n"


__all__ = [
    "SCOPES",
    "SOURCES",
    "ConfigFile",
    "KeySpec",
    "Problem",
    "ResolvedConfig",
    "Setting",
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
