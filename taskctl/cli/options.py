"""One frozen Struct of options per command: the command's contract.

Field names are the Typer parameter names, defaults the Typer defaults;
tests/test_options.py fails while a command's signature and its Struct differ. Typer
(`ctx.params`) and the fast path (the command-line reader's values) both build the
Struct with `options_from`, and the command's run function (`cli/run/`) takes it.

`tasks add`, `tasks update` and `tasks list` extend the core Structs that list a
task's fields, an update's changes and a listing's filters (`core/changes.py`), which
the Python API takes too: a new field there is an option here, with nothing to copy.

No typer here: the fast path imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from taskctl.core.changes import Changes, ListQuery, NewTask

Opts = TypeVar("Opts", bound=msgspec.Struct)


def options_from(kind: type[Opts], params: Mapping[str, Any]) -> Opts:
    """The options Struct from a command's parsed parameters (name -> value)."""
    return kind(**params)


# tag (all but init, history and undo): None for Task Master's current tag, else
# tasks.default_tag.

# -- reading


class ListOptions(ListQuery, frozen=True, kw_only=True):
    with_subtasks: bool | None = None  # None: tasks.with_subtasks for tables
    tag: str | None = None
    all_tags: bool = False
    fmt: str | None = None
    fields: str | None = None
    as_json: bool = False


class ShowOptions(msgspec.Struct, frozen=True, kw_only=True):
    ids: list[str]
    tag: str | None = None
    as_json: bool = False


class NextOptions(msgspec.Struct, frozen=True, kw_only=True):
    tag: str | None = None
    as_json: bool = False


# -- writing


class AddOptions(NewTask, frozen=True, kw_only=True):
    tag: str | None = None
    quiet: bool = False
    as_json: bool = False


class UpdateOptions(Changes, frozen=True, kw_only=True):
    ids: list[str]
    tag: str | None = None
    as_json: bool = False


class RemoveOptions(msgspec.Struct, frozen=True, kw_only=True):
    ids: list[str]
    yes: bool = False
    force: bool = False
    tag: str | None = None
    as_json: bool = False


class InitOptions(msgspec.Struct, frozen=True, kw_only=True):
    directory: Path | None = None  # None: the current folder
    as_json: bool = False


# -- upkeep


class ValidateOptions(msgspec.Struct, frozen=True, kw_only=True):
    fix: bool = False
    tag: str | None = None
    all_tags: bool = False
    as_json: bool = False


class HistoryOptions(msgspec.Struct, frozen=True, kw_only=True):
    as_json: bool = False


class UndoOptions(msgspec.Struct, frozen=True, kw_only=True):
    to: int | None = None  # None: the newest backup
    as_json: bool = False


# -- config (`key`: a key such as tasks.sort; `explain` also takes a section)


class ConfigGetOptions(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    as_json: bool = False


class ConfigUnsetOptions(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    # the file written: at most one of them; none: the project's inside one, else the user's
    user: bool = False
    project: bool = False
    system: bool = False
    as_json: bool = False


class ConfigSetOptions(ConfigUnsetOptions, frozen=True, kw_only=True):
    value: str  # as typed: validated against the key's type before anything is written


class ConfigListOptions(msgspec.Struct, frozen=True, kw_only=True):
    show_origin: bool = False
    as_json: bool = False


class ConfigExplainOptions(msgspec.Struct, frozen=True, kw_only=True):
    key: str | None = None  # None: every key
    as_json: bool = False


class ConfigPathOptions(msgspec.Struct, frozen=True, kw_only=True):
    as_json: bool = False


class ConfigValidateOptions(msgspec.Struct, frozen=True, kw_only=True):
    as_json: bool = False


# -- version


class VersionOptions(msgspec.Struct, frozen=True, kw_only=True):
    as_json: bool = False


# -- tags (`name`, `source`, ...: tag names; see core/tags.py for the rule)


class TagsListOptions(msgspec.Struct, frozen=True, kw_only=True):
    as_json: bool = False


class TagsAddOptions(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str | None = None  # None: Task Master's "Tag created on <date>"
    copy_from: str | None = None  # None: an empty tag
    as_json: bool = False


class TagsUseOptions(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    as_json: bool = False


class TagsRenameOptions(msgspec.Struct, frozen=True, kw_only=True):
    old: str
    new: str
    force: bool = False  # needed to rename master
    as_json: bool = False


class TagsCopyOptions(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    target: str
    description: str | None = None
    as_json: bool = False


class TagsRemoveOptions(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    yes: bool = False
    as_json: bool = False
