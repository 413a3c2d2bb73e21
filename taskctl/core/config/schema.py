"""The configuration keys: their schema, names, suggestions and strict coercion.

Every key is derived from the `Settings` schema (`taskctl.core.settings`): its type,
allowed values, default, environment variable and description (`key_specs`). Text from
any source (environment, `.env`, `-c`, `config set`, TOML strings) and TOML's own values
are turned into a key's typed value by `coerce`, which fails with what was expected.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import msgspec

from taskctl.core.errors import ConfigError
from taskctl.core.paths import PROJECT_ENV_VAR
from taskctl.core.settings import Settings

Source = Literal["default", "system", "user", "project", "dotenv", "env", "cli"]
Scope = Literal["system", "user", "project"]
# Lowest to highest precedence.
SOURCES: tuple[Source, ...] = ("default", "system", "user", "project", "dotenv", "env", "cli")
SCOPES: tuple[Scope, ...] = ("system", "user", "project")

ENV_PREFIX = "TASKCTL_"
DOTENV_NAME = ".env"
# Variables of taskctl that are not configuration keys: never "unknown".
RESERVED_ENV: frozenset[str] = frozenset({PROJECT_ENV_VAR, "TASKCTL_DEBUG", "TASKCTL_PAGER"})

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})
_INT_TEXT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FLOAT_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


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
    if isinstance(raw, (list, tuple)):
        return "[" + ", ".join(toml_literal(item) for item in raw) + "]"
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


def coerce_text(key: str, text: str) -> Any:
    """The typed value `config set KEY TEXT` would store, or a ConfigError."""
    spec = lookup_key(key)
    try:
        return coerce(spec, text)
    except ValueError as exc:
        raise ConfigError(f"invalid value {toml_literal(text)} for {key}: {exc}") from None
