"""Which tag a command reads and writes: one rule for the API, the CLI and completion.

The tag is `--tag` when given, else Task Master's current tag (`currentTag` in
`.taskmaster/state.json`), else the setting `tasks.default_tag`. The default tag may
not exist yet (a new project): reading it finds no tasks, and the first write creates
it. Any other missing tag is NotFoundError (exit 3). `--tag ''` is refused (exit 2):
an empty `--tag "$TAG"` must not quietly mean the current tag.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from taskctl.core.errors import DataError, UsageError
from taskctl.core.fs import Clock, io_error, read_regular

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
    if not document.has_tag(name) and name == default:
        return document.create_tag(name, clock=clock)
    return document.tag(name)
