"""Task ids: `Ref` (`7`, `7.2`), parsing them, finding the task or subtask an id
names, and the checks of the status and priority a user gives."""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from taskctl.core.errors import DataError, NotFoundError, UsageError
from taskctl.core.models import as_int
from taskctl.core.settings import PRIORITIES, STATUSES
from taskctl.core.tagview import TagView

_REF = re.compile(r"^([1-9][0-9]*)(?:\.([1-9][0-9]*))?$")


class Ref(msgspec.Struct, frozen=True, order=True):
    """A task (`7`) or a subtask (`7.2`)."""

    task: int
    sub: int | None = None

    def __str__(self) -> str:
        return f"{self.task}" if self.sub is None else f"{self.task}.{self.sub}"


def parse_ref(text: str | int) -> Ref:
    match = _REF.match(str(text).strip())
    if not match:
        raise UsageError(
            f"invalid task id {str(text)!r}: expected N or N.M with positive whole numbers",
            hint="for example 7 or 7.2",
        )
    return Ref(int(match.group(1)), int(match.group(2)) if match.group(2) else None)


def parse_refs(values: Iterable[str | int]) -> list[Ref]:
    """Ids from repeated and comma-separated options: `--depends-on 1,2 --depends-on 3`.

    An empty id (`''`, `1,,2`, `1,`) is invalid like any other: a script whose `$ID`
    came out empty must fail, not succeed at changing nothing."""
    return [parse_ref(part) for value in values for part in str(value).split(",")]


def check_status(value: str) -> str:
    if value not in STATUSES:
        raise UsageError(f"unknown status {value!r}: expected one of {', '.join(STATUSES)}")
    return value


def check_priority(value: str) -> str:
    if value not in PRIORITIES:
        raise UsageError(f"unknown priority {value!r}: expected one of {', '.join(PRIORITIES)}")
    return value


def _ambiguous(view: TagView, ref: Ref, count: int) -> DataError:
    carriers = f"{count} tasks" if ref.sub is None else f"{count} subtasks of task {ref.task}"
    return DataError(
        f"id {ref} is carried by {carriers} in tag '{view.name}': which one is meant is ambiguous",
        hint="`taskctl tasks validate --fix` renumbers the duplicates",
    )


def resolve(view: TagView, ref: Ref) -> tuple[int, int | None]:
    """(task position, subtask position or None) of a task or subtask the user names.

    NotFoundError when absent; DataError when more than one carries the id (duplicate
    ids come from hand edits and merges): acting on the first would be a guess."""
    index = view.index_of(ref.task)
    count = view.carriers(ref.task)
    if count > 1:
        raise _ambiguous(view, Ref(ref.task), count)
    if ref.sub is None:
        return index, None
    found = [j for j, sub in enumerate(view.tasks[index].subtasks) if as_int(sub.id) == ref.sub]
    if not found:
        raise NotFoundError(
            f"subtask {ref} not found in tag '{view.name}'",
            hint=f"see `taskctl tasks show {ref.task}`",
        )
    if len(found) > 1:
        raise _ambiguous(view, ref, len(found))
    return index, found[0]


def next_id(view: TagView) -> int:
    return max((as_int(t.id) for t in view.tasks), default=0) + 1
