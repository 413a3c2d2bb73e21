"""The configuration's sources, read in order of precedence, and `resolve`.

Lowest to highest: the schema's defaults, the system file, the user file, the
project's `.taskctl.toml`, the project's `.env` (its `TASKCTL_*` lines), the process
environment (`TASKCTL_<SECTION>_<KEY>`) and `-c KEY=VALUE`. Files are read with the
standard library's `tomllib` (`tomli` on 3.10), imported only when a file exists.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from taskctl.core.config.locator import key_lines
from taskctl.core.config.resolved import ConfigFile, ResolvedConfig, _Collector
from taskctl.core.config.schema import (
    DOTENV_NAME,
    ENV_PREFIX,
    RESERVED_ENV,
    Source,
    _env_index,
    _suggest_key,
    _suggest_variable,
    key_specs,
    toml_literal,
)
from taskctl.core.paths import (
    APP_NAME,
    PROJECT_CONFIG,
    SAFE_DIRECTORIES_KEY,
    site_config_dir,
    user_dir,
)

FILE_NAME = "config.toml"
_TOML_ERROR_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def _tomllib() -> Any:
    """The TOML reader, imported only when a config file exists (most runs have none)."""
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415

        return tomllib
    import tomli  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

    return tomli


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
