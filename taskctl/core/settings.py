"""The typed settings schema: every configuration key, its type, default and meaning.

Core functions take a `Settings` value; nothing reads configuration globally.
`taskctl.core.config` resolves a `Settings` from its layered sources and derives
everything else from this schema: each key's type, allowed values, default, environment
variable, the README's table and `config explain`. A new key is a new field here, with a
default and a one-line description (msgspec's schema-evolution rules: never change a
field's type).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Status = Literal["pending", "in-progress", "done", "review", "deferred", "cancelled", "blocked"]
Priority = Literal["critical", "high", "medium", "low"]
STATUSES: tuple[str, ...] = (
    "pending",
    "in-progress",
    "done",
    "review",
    "deferred",
    "cancelled",
    "blocked",
)
PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")


def _doc(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


class TasksSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    default_priority: Annotated[Priority, _doc("Priority of new tasks without --priority.")] = (
        "medium"
    )
    default_status: Annotated[Status, _doc("Status of new tasks without --status.")] = "pending"
    default_tag: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            description="Tag used when neither --tag nor Task Master's state.json names one.",
        ),
    ] = "master"
    sort: Annotated[
        Literal["id", "priority", "status"], _doc("Order of `tasks list` without --sort.")
    ] = "id"
    with_subtasks: Annotated[
        bool, _doc("Show subtasks in `tasks list` without --with-subtasks.")
    ] = False


class StorageSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    lock_timeout: Annotated[
        float, msgspec.Meta(ge=0, description="Seconds to wait for another writer's lock.")
    ] = 10.0
    backups: Annotated[
        int, msgspec.Meta(ge=0, description="How many previous versions of tasks.json to keep.")
    ] = 10


class OutputSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    format: Annotated[
        Literal["auto", "table", "plain", "json", "jsonl"],
        _doc(
            "Output of `tasks list`: auto is a table on a colour terminal,"
            " plain text when piped or with NO_COLOR."
        ),
    ] = "auto"
    color: Annotated[
        Literal["auto", "always", "never"],
        _doc("Colour: auto follows NO_COLOR, FORCE_COLOR and whether stdout is a terminal."),
    ] = "auto"
    pager: Annotated[
        str,
        _doc(
            'Pager for output longer than the terminal: a command, or "" for none; auto is'
            " PAGER, else less. TASKCTL_PAGER wins over it, as GIT_PAGER does in git."
        ),
    ] = "auto"


class SecuritySettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    # `trusted_only`: read from the system and user files, the environment and -c, never
    # from a project's own files (a project cannot vouch for itself).
    safe_directories: Annotated[
        tuple[str, ...],
        msgspec.Meta(
            description=(
                "Projects owned by another user that taskctl may use: absolute paths,"
                " DIR/* for every folder under DIR, or * for all; comma-separated in"
                " text. Never read from a project's own files."
            ),
            extra={"trusted_only": True},
        ),
    ] = ()


class Settings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    tasks: TasksSettings = msgspec.field(default_factory=TasksSettings)
    storage: StorageSettings = msgspec.field(default_factory=StorageSettings)
    output: OutputSettings = msgspec.field(default_factory=OutputSettings)
    security: SecuritySettings = msgspec.field(default_factory=SecuritySettings)
