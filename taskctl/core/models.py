"""Typed views of Task Master's tasks.json, used to validate it.

These Structs validate the document; they are not what gets written. msgspec drops
fields a Struct does not declare, so the writer keeps the document itself (raw JSON
slices and plain dicts) and the Structs only check it. Field names are Task Master's.
New fields always get defaults; a field's type never changes (msgspec's schema
evolution rules).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

# Ids: positive ints; Task Master sometimes writes them as numeric strings ("3").
NumericId = Annotated[str, msgspec.Meta(pattern=r"^[1-9][0-9]*$")]
TaskId = Annotated[int, msgspec.Meta(ge=1)] | NumericId
# A dependency: a task id, or a subtask reference "N.M".
DepRef = Annotated[str, msgspec.Meta(pattern=r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")]
Dependency = Annotated[int, msgspec.Meta(ge=1)] | DepRef


class Subtask(msgspec.Struct, kw_only=True, gc=False):
    """A subtask; `Task` adds the `subtasks` list to the same fields.

    `gc=False` on the task Structs: they hold only strings, numbers and lists of
    subtasks, so they are never part of a reference cycle, and not tracking tens of
    thousands of them makes decoding a large file about 7% faster (msgspec's advice).
    """

    id: TaskId
    title: str
    # Real files hold null here (Task Master writes it for subtasks): read it as empty.
    description: str | None = ""
    details: str | None = ""
    testStrategy: str | None = ""  # noqa: N815 - Task Master's field name
    status: str = "pending"
    priority: str | None = None
    dependencies: list[Dependency] = msgspec.field(default_factory=list)


class Task(Subtask, kw_only=True, gc=False):
    subtasks: list[Subtask] = msgspec.field(default_factory=list)


class TagTasks(msgspec.Struct):
    """A tag's tasks, typed. The tag's other keys (metadata, ...) are not validated."""

    tasks: list[Task] = msgspec.field(default_factory=list)


class TagRawTasks(msgspec.Struct):
    """A tag's tasks as raw JSON slices, for lossless output and writing."""

    tasks: list[msgspec.Raw] = msgspec.field(default_factory=list)


class TagTasksArray(msgspec.Struct):
    """A tag's whole tasks array as one raw JSON slice, for printing every task at once."""

    tasks: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"[]"))


def as_int(value: int | str) -> int:
    return value if isinstance(value, int) else int(value)


# The same schema, narrowed to what a tidy file holds: integer ids, and dependencies
# that are integers or "N.M" strings. A file that passes it needs no per-task
# normalisation for output (its raw bytes can be printed as they are); a file that
# does not is decoded again with the lenient schema above.
PositiveInt = Annotated[int, msgspec.Meta(ge=1)]
SubtaskRef = Annotated[str, msgspec.Meta(pattern=r"^[1-9][0-9]*\.[1-9][0-9]*$")]


class TidySubtask(Subtask, kw_only=True, gc=False):
    id: PositiveInt
    dependencies: list[PositiveInt | SubtaskRef] = msgspec.field(default_factory=list)


class TidyTask(Task, kw_only=True, gc=False):
    id: PositiveInt
    dependencies: list[PositiveInt | SubtaskRef] = msgspec.field(default_factory=list)
    subtasks: list[TidySubtask] = msgspec.field(default_factory=list)  # type: ignore[assignment]


class TidyTagTasks(msgspec.Struct):
    tasks: list[TidyTask] = msgspec.field(default_factory=list)
