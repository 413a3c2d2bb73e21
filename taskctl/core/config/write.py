"""`config set` and `config unset`: edit one config file, keeping its comments and layout.

tomlkit (about 15 ms to import) is imported only here, and only when a file is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from taskctl.core.config.resolved import WriteTarget
from taskctl.core.config.schema import _INT_TEXT, coerce_text, lookup_key, toml_literal
from taskctl.core.errors import ConfigError
from taskctl.core.paths import user_dir


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
def _locked(target: WriteTarget, environ: Mapping[str, str]) -> Iterator[None]:
    """One lock around the read-modify-write of a config file, so that two `config set`
    at once both land. Its sidecar file lives in the user's cache folder, named after
    the config file's path (`environ` says where that folder is), so that no lock file
    appears beside `.taskctl.toml`."""
    import hashlib  # noqa: PLC0415

    from taskctl.core.lock import file_lock  # noqa: PLC0415 - writes only

    path = (target.path.resolve() if target.path.is_symlink() else target.path).absolute()
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:32]
    locks = user_dir("cache", environ) / "locks"
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


def set_value(target: WriteTarget, key: str, text: str, environ: Mapping[str, str]) -> Any:
    """Validate `text` for `key`, then store it in `target`'s file; returns the typed value.

    Comments, order and formatting of the file survive (tomlkit); the write is atomic;
    a new user file is created with mode 0600. `environ` places the lock (`_locked`).
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
    with _locked(target, environ):
        document = _load_for_edit(target.path)
        _section_of(document, target.path, spec.section, create=True)[spec.name] = item
        _write_document(target, document)
    return value


def unset_value(target: WriteTarget, key: str, environ: Mapping[str, str]) -> bool:
    """Remove `key` from `target`'s file; False when it was not set there."""
    spec = lookup_key(key)
    if not target.path.exists():
        return False
    with _locked(target, environ):
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
