"""One tag of a tasks file: typed tasks for the logic, raw slices for lossless writing.

A `TagView` holds the tag's tasks validated as `Task` Structs and, beside them, each
task's raw JSON slice as the file holds it. A change to a task goes through
`TagView.editing`, which gives the task's dict and validates it again when the change
is done; the view remembers which slices changed, were removed or are new, so that a
write splices only those into the original bytes (`splice_edits`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import msgspec

from taskctl.core.errors import DataError, NotFoundError
from taskctl.core.models import TagRawTasks, TagTasksArray, Task, as_int

_RAW_TASKS_DECODER = msgspec.json.Decoder(TagRawTasks)
_TASKS_ARRAY_DECODER = msgspec.json.Decoder(TagTasksArray)
_RAW_LIST_DECODER = msgspec.json.Decoder(list[msgspec.Raw])
_FIELDS_DECODER = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ANY_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()


class TagView:
    """One tag: typed tasks for the logic, raw slices and dicts for lossless writing.

    `tasks[i]` is the validated view of the i-th task; `raw(i)` is exactly what the
    file holds for it. A command changes a task inside `with view.editing(i) as item:`,
    which validates the changed dict into the typed view when the block ends.
    """

    def __init__(
        self,
        name: str,
        raw_tag: bytes | msgspec.Raw | None,
        tasks: list[Task],
        *,
        path: Path,
        fields: dict[str, Any] | None = None,
        raw_tasks: list[msgspec.Raw | dict[str, Any]] | None = None,
        tidy: bool = False,
        tasks_array: msgspec.Raw | None = None,
        load_tag: Callable[[], msgspec.Raw] | None = None,
    ) -> None:
        self.name = name
        self.path = path
        self.tasks = tasks
        # `tidy`: every id is an int and every dependency an int or "N.M" (the tidy
        # schema passed), so the raw task bytes can be printed without normalising.
        self.tidy = tidy
        self.dirty = False
        self._raw_tag = raw_tag
        # A view read from the tag's tasks array alone (Document's quick reading) gets
        # the array, and the whole tag's slice only when it is asked for (writes).
        self._tasks_array = tasks_array
        self._load_tag = load_tag
        self._fields = fields
        self._raw_tasks = raw_tasks
        # For splicing a write into the original bytes: the raw slice each entry of
        # _raw_tasks came from (None for a new task), and the slices removed.
        self._origin: list[msgspec.Raw | None] | None = None if raw_tasks is None else []
        self._removed: list[msgspec.Raw] = []
        self._last_raw: msgspec.Raw | None = None
        self.created = raw_tag is None and load_tag is None
        # Task id -> first position, built on the first lookup; and, only when some id
        # is carried by several tasks (hand edits, merges), how many carry each id.
        self._positions: dict[int, int] | None = None
        self._counts: dict[int, int] | None = None

    # -- reading

    def _raws(self) -> list[msgspec.Raw | dict[str, Any]]:
        """Each task's raw slice; decoded on first use (only JSON output and writes need it)."""
        if self._raw_tasks is None:
            if self._tasks_array is not None:
                originals = _RAW_LIST_DECODER.decode(self._tasks_array)
            else:
                originals = _RAW_TASKS_DECODER.decode(self._tag_raw()).tasks
            self._raw_tasks = list(originals)
            self._origin = list(originals)
            self._last_raw = originals[-1] if originals else None
        return self._raw_tasks

    def _tag_fields(self) -> dict[str, Any]:
        """The tag object's keys in order (tasks, metadata, ...), decoded on first use."""
        if self._fields is None:
            self._fields = dict(_FIELDS_DECODER.decode(self._tag_raw()))
        return self._fields

    def _tag_raw(self) -> bytes | msgspec.Raw:
        if self._raw_tag is None and self._load_tag is not None:
            self._raw_tag = self._load_tag()
        assert self._raw_tag is not None
        return self._raw_tag

    def raw_tasks_array(self) -> msgspec.Raw | None:
        """The whole tasks array as the file holds it; None once anything was edited.

        Printing every task of a tag in the file's order needs no slice per task: the
        array as the quick reading found it (or one scan of the tag for its bounds),
        instead of one Raw object per task and encoding their list (about 15 ms less
        for 10,000 tasks).
        """
        if self.dirty or self.created:
            return None
        if self._tasks_array is not None:
            return self._tasks_array
        return _TASKS_ARRAY_DECODER.decode(self._tag_raw()).tasks

    def raw(self, index: int) -> msgspec.Raw | dict[str, Any]:
        """The task as the file holds it (a raw JSON slice), or its edited dict."""
        return self._raws()[index]

    def as_dict(self, index: int) -> dict[str, Any]:
        """A plain-dict copy of the task with every field, for output."""
        item = self.raw(index)
        if isinstance(item, dict):
            return msgspec.json.decode(_ENCODER.encode(item))  # type: ignore[no-any-return]
        return _ANY_DECODER.decode(item)  # type: ignore[no-any-return]

    def _index(self) -> dict[int, int]:
        """Each task id's first position: one pass (~1.5 ms for 10,000 tasks), then
        every lookup is O(1), however many ids a command addresses."""
        if self._positions is not None:
            return self._positions
        tasks = self.tasks
        # a tidy view's ids are ints already (its schema says so): no conversion
        ids = cast(list[int], [t.id for t in tasks]) if self.tidy else [as_int(t.id) for t in tasks]
        positions = dict(zip(ids, range(len(ids)), strict=True))
        if len(positions) < len(ids):  # repeated ids: the first wins, and count them
            positions = {}
            counts: dict[int, int] = {}
            for i, tid in enumerate(ids):
                positions.setdefault(tid, i)
                counts[tid] = counts.get(tid, 0) + 1
            self._counts = counts
        self._positions = positions
        return positions

    def _forget_ids(self) -> None:
        self._positions = self._counts = None

    def index_of(self, task_id: int) -> int:
        """The position of the task `task_id`; the first one when several carry it
        (see `carriers`)."""
        index = self._index().get(task_id)
        if index is None:
            raise NotFoundError(
                f"task {task_id} not found in tag '{self.name}'",
                hint="see `taskctl tasks list` for the ids",
            )
        return index

    def carriers(self, task_id: int) -> int:
        """How many tasks carry the id `task_id`."""
        positions = self._index()
        if self._counts is None:
            return 1 if task_id in positions else 0
        return self._counts.get(task_id, 0)

    def find(self, task_id: int) -> Task | None:
        try:
            return self.tasks[self.index_of(task_id)]
        except NotFoundError:
            return None

    # -- changing

    @contextlib.contextmanager
    def editing(self, index: int) -> Iterator[dict[str, Any]]:
        """The task's dict, to change in place inside the block; validated into the
        typed view (`tasks[index]`) when the block ends.

        The one way to change a task: the tag is marked as changed, and the typed view
        never lags behind the dict. A block that raises leaves the typed view as it
        was; its transaction writes nothing.
        """
        item = self._edit(index)
        yield item
        self._refresh(index, item)

    def _edit(self, index: int) -> dict[str, Any]:
        """The task's dict, to change in place; marks the tag as changed."""
        raws = self._raws()
        item = raws[index]
        if not isinstance(item, dict):
            item = _ANY_DECODER.decode(item)
            if not isinstance(item, dict):  # pragma: no cover - validated as an object
                raise DataError(f"{self.path}: task at position {index} is not an object")
            raws[index] = item
        self.dirty = True
        return item

    def _refresh(self, index: int, item: dict[str, Any]) -> None:
        """Re-validate an edited task into the typed view."""
        try:
            task = msgspec.convert(item, Task)
        except msgspec.ValidationError as exc:  # pragma: no cover - commands build valid data
            raise DataError(f"task {item.get('id')} would be invalid: {exc}") from exc
        if task.id != self.tasks[index].id:
            self._forget_ids()
        self.tasks[index] = task

    def append(self, item: dict[str, Any]) -> Task:
        task = msgspec.convert(item, Task)
        self._raws().append(item)
        assert self._origin is not None
        self._origin.append(None)
        self.tasks.append(task)
        self._forget_ids()
        self.dirty = True
        return task

    def remove(self, indices: set[int]) -> None:
        raws = self._raws()
        origin = self._origin
        assert origin is not None
        self._removed += [o for i, o in enumerate(origin) if i in indices and o is not None]
        self._raw_tasks = [r for i, r in enumerate(raws) if i not in indices]
        self._origin = [o for i, o in enumerate(origin) if i not in indices]
        self.tasks = [t for i, t in enumerate(self.tasks) if i not in indices]
        self._forget_ids()
        self.dirty = True

    def splice_edits(self, data: bytes) -> list[tuple[int, int, bytes]] | None:
        """This tag's changes as (start, end, bytes) replacements in the original file.

        Only where each changed task sits as the file's layout puts it (`Layout`);
        None wherever splicing is not certain to give the same bytes as a full
        re-encode, and the caller then re-encodes the whole document.
        """
        if self.created or self._raw_tasks is None or self._origin is None:
            return None
        from taskctl.core.layout import Layout, locate_task  # noqa: PLC0415 - writes only

        layout = Layout.of(data)
        sep, indented = layout.sep, layout.indented
        edits: list[tuple[int, int, bytes]] = []
        located: dict[int, tuple[int, int] | None] = {}

        def locate(raw: msgspec.Raw) -> tuple[int, int] | None:
            key = id(raw)
            if key not in located:
                located[key] = locate_task(data, bytes(raw), layout)
            return located[key]

        for item, origin in zip(self._raw_tasks, self._origin, strict=True):
            if origin is not None and isinstance(item, dict):
                where = locate(origin)
                if where is None:
                    return None
                edits.append((where[0], where[1], indented(item)))
        for origin in self._removed:
            where = locate(origin)
            if where is None:
                return None
            start, end = where
            if data[start - len(sep) : start] == sep:
                edits.append((start - len(sep), end, b""))
            elif data[end : end + len(sep)] == sep:
                edits.append((start, end + len(sep), b""))
            else:
                return None  # the only task: let the encoder write the empty list
        new = [item for item, o in zip(self._raw_tasks, self._origin, strict=True) if o is None]
        if new:
            last = self._last_raw
            if last is None or any(last is r for r in self._removed):
                return None
            where = locate(last)
            if where is None:
                return None
            body = b"".join(sep + indented(item) for item in new if isinstance(item, dict))
            edits.append((where[1], where[1], body))
        return edits

    def encodable(self) -> dict[str, Any]:
        """The tag object for the encoder: untouched parts stay raw slices."""
        out = dict(self._tag_fields())
        out["tasks"] = self._raws()
        return out
