"""Which tag a command reads and writes: one rule for the API, the CLI and completion.

The tag is `--tag` when given, else Task Master's current tag (`currentTag` in
`.taskmaster/state.json`), else the setting `tasks.default_tag`. The default tag may
not exist yet (a new project): reading it finds no tasks, and the first write creates
it. Any other missing tag is NotFoundError (exit 3). `--tag ''` is refused (exit 2):
an empty `--tag "$TAG"` must not quietly mean the current tag.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from taskctl.core.errors import DataError, NotFoundError, UsageError
from taskctl.core.fs import Clock, atomic_write, io_error, read_regular

if TYPE_CHECKING:
    from taskctl.core.document import Document
    from taskctl.core.tagview import TagView

_ANY_DECODER = msgspec.json.Decoder()


def tag_name(
    explicit: str | None, state_file: Path | None, default: str | Callable[[], str]
) -> str:
    """`explicit` (`--tag`), else Task Master's current tag, else `default` (a function
    when finding it costs: completion reads the configuration only if it must)."""
    if explicit == "":  # an empty `--tag "$TAG"` must not quietly mean the current tag
        raise UsageError("invalid tag '': a tag name cannot be empty")
    if explicit:
        return explicit
    current = current_tag(state_file)
    if current:
        return current
    return default() if callable(default) else default


def current_tag(state_file: Path | None) -> str | None:
    """`currentTag` in Task Master's state.json; None when the file or the key is absent."""
    if state_file is None:
        return None
    try:
        raw = read_regular(state_file, "Task Master's state file")[0]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise io_error("read", state_file, exc) from None
    try:
        state = _ANY_DECODER.decode(raw)
    except msgspec.DecodeError as exc:
        raise DataError(
            f"{state_file} is not valid JSON: {exc}",
            hint="fix it, delete it, or pass --tag",
        ) from None
    tag = state.get("currentTag") if isinstance(state, dict) else None
    return tag if isinstance(tag, str) and tag else None


def tag_to_read(document: Document, name: str, *, explicit: bool, default: str) -> TagView | None:
    """The view of tag `name`; None when it is the default tag, not named explicitly,
    and does not exist yet (a new project); NotFoundError for any other missing tag."""
    if not document.has_tag(name) and not explicit and name == default:
        return None
    return document.tag(name)


def tag_to_write(document: Document, name: str, *, default: str, clock: Clock) -> TagView:
    """The view of tag `name` to change: the default tag is created (at `clock`'s time)
    on first use; any other tag must exist."""
    if not document.has_tag(name):
        if name == default:
            return document.create_tag(name, clock=clock)
        known = ", ".join(document.tag_names) or "none"
        raise NotFoundError(
            f"tag '{name}' not found in {document.path} (tags: {known})",
            hint=f"create it with `taskctl tags add {name}`, or pass an existing --tag",
        )
    return document.tag(name)


# -- making, renaming and switching tags, as Task Master 0.43.1 does

# Task Master's CLI refuses these names, in any case (its add-tag, copy-tag, rename-tag).
RESERVED = ("master", "main", "default")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_NAME_RULE = "a tag name has only letters, digits, '-' and '_', and is not master, main or default"


def check_new_name(name: str) -> None:
    """UsageError unless Task Master 0.43.1 accepts `name` for a new tag."""
    if not name or not set(name) <= _NAME_CHARS:
        raise UsageError(f"invalid tag name {name!r}: {_NAME_RULE}")
    if name.lower() in RESERVED:
        raise UsageError(f"'{name}' is a reserved tag name: {_NAME_RULE}")


def check_absent(document: Document, name: str) -> None:
    if document.has_tag(name):
        raise UsageError(f"tag '{name}' already exists", hint="choose another name")


def _local_date(stamp: str) -> str:
    """`2026-12-04T...` as Task Master's `toLocaleDateString()` (en-US) words it."""
    year, month, day = stamp[:10].split("-")
    return f"{int(month)}/{int(day)}/{year}"


def new_metadata(stamp: str, description: str | None) -> dict[str, Any]:
    """A new tag's metadata, keys in Task Master's order."""
    return {
        "created": stamp,
        "updated": stamp,
        "description": description or f"Tag created on {_local_date(stamp)}",
    }


def copy_metadata(source: str, stamp: str, description: str | None) -> dict[str, Any]:
    """A copied tag's metadata: Task Master's copy-tag form, with `copiedFrom`."""
    return {
        "created": stamp,
        "updated": stamp,
        "description": description or f'Copy of "{source}" created on {_local_date(stamp)}',
        "copiedFrom": {"tag": source, "date": stamp},
    }


def set_current_tag(state_file: Path, name: str, stamp: str) -> None:
    """`currentTag` and `lastSwitched` in state.json (made if missing), written
    atomically; every other key is kept, and the two Task Master adds when missing."""
    state: dict[str, Any] = {}
    try:
        raw = read_regular(state_file, "Task Master's state file")[0]
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        raise io_error("read", state_file, exc) from None
    if raw is not None:
        try:
            decoded = _ANY_DECODER.decode(raw)
        except msgspec.DecodeError as exc:
            raise DataError(
                f"{state_file} is not valid JSON: {exc}", hint="fix it or delete it"
            ) from None
        if not isinstance(decoded, dict):
            raise DataError(f"{state_file} is not a JSON object", hint="fix it or delete it")
        state = decoded
    state["currentTag"] = name
    state["lastSwitched"] = stamp
    state.setdefault("branchTagMapping", {})
    state.setdefault("migrationNoticeShown", False)
    data = json.dumps(state, indent=2, ensure_ascii=False).encode()
    try:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(state_file, data)
    except OSError as exc:
        raise io_error("write", state_file, exc) from None
