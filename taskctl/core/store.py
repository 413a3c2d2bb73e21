"""The one data access layer for tasks.json.

Every read and write of a tasks file goes through `Store`:

* reads decode the file once into raw JSON slices per tag, validate the tag a command
  uses with msgspec Structs, and are cached per `Store`, revalidated with one `stat`;
* writes hold one exclusive lock from before the read until after the rename, write a
  temp file in the same folder (flush, fsync, `os.replace`, fsync of the folder), keep
  the file's mode, keep the previous version as a backup, and never write over a file
  that failed to parse or validate.

The document is kept as raw JSON slices so that everything taskctl does not model,
and every tag or task a command did not touch, is written back unchanged. The output
keeps the file's layout (`Layout`): Task Master's 2-space indents and LF, which is
byte-identical to Task Master's own writer, or the 4 spaces, tabs, CRLF or single line
another tool left.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import msgspec

try:
    import fcntl
except ImportError:  # Windows: portalocker locks there (see _try_lock)
    fcntl = None  # type: ignore[assignment]

from taskctl.core.backups import Backup, backup_bytes, find_backup, keep_backup, list_backups
from taskctl.core.errors import DataError, LockTimeoutError, NotFoundError
from taskctl.core.models import (
    Subtask,
    TagRawTasks,
    TagTasks,
    TagTasksArray,
    Task,
    TidyTagTasks,
    TidyTask,
    as_int,
)

_TOP_DECODER = msgspec.json.Decoder(dict[str, msgspec.Raw])
_TAG_DECODER = msgspec.json.Decoder(TagTasks)
_TIDY_DECODER = msgspec.json.Decoder(TidyTagTasks)
_RAW_TASKS_DECODER = msgspec.json.Decoder(TagRawTasks)
_TASKS_ARRAY_DECODER = msgspec.json.Decoder(TagTasksArray)
_TAG_ARRAYS_DECODER = msgspec.json.Decoder(dict[str, TagTasksArray])
_TIDY_TASKS_DECODER = msgspec.json.Decoder(list[TidyTask])
_TASKS_DECODER = msgspec.json.Decoder(list[Task])
_RAW_LIST_DECODER = msgspec.json.Decoder(list[msgspec.Raw])
_FIELDS_DECODER = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ANY_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()

# Task Master's own lock: a file named `<tasks file>.lock`, stale after 10 s.
TASKMASTER_LOCK_STALE_SECONDS = 10.0
_TMP_MARK = ".taskctl-tmp-"
_TASKCTL_LOCK_MARK = b'"tool": "taskctl"'


def now_iso() -> str:
    """A timestamp in Task Master's form: 2026-11-28T01:30:04.911Z."""
    from datetime import datetime, timezone  # noqa: PLC0415 - only writes stamp times (2 ms)

    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


# --------------------------------------------------------------------------- reading


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _conflict_marker_line(data: bytes) -> int | None:
    for marker in (b"<<<<<<< ", b"=======\n", b">>>>>>> "):
        at = data.find(b"\n" + marker)
        if data.startswith(marker):
            return 1
        if at >= 0:
            return data.count(b"\n", 0, at + 1) + 1
    return None


def _malformed(path: Path, data: bytes, exc: Exception) -> DataError:
    """Turn a decode failure into a message naming the file and the line."""
    hint = "fix the file by hand, or restore a backup with `taskctl tasks undo`"
    if not data.strip():
        return DataError(f"{path} is empty, not JSON", hint=hint)
    if data.startswith(b"\xef\xbb\xbf"):
        return DataError(
            f"{path} starts with a UTF-8 byte-order mark, which Task Master cannot read",
            hint="remove the first three bytes of the file",
        )
    line = _conflict_marker_line(data)
    if line is not None:
        return DataError(
            f"{path} contains git conflict markers (line {line})",
            hint="resolve the merge conflict first",
        )
    if isinstance(exc, UnicodeDecodeError):
        line, col = _line_col(data, exc.start)
        return DataError(f"{path} is not valid UTF-8 at line {line}, column {col}", hint=hint)
    if isinstance(exc, RecursionError):
        return DataError(f"{path} is not valid JSON: nested too deeply", hint=hint)
    text = str(exc)
    where = ""
    if "(byte " in text:
        with contextlib.suppress(ValueError):
            offset = int(text.rsplit("(byte ", 1)[1].rstrip(")"))
            line, col = _line_col(data, offset)
            where = f" at line {line}, column {col}"
            text = text.rsplit(" (byte ", 1)[0]
            if data[offset:].startswith((b"NaN", b"Infinity", b"-Infinity")):
                text = "NaN and Infinity are not JSON numbers"
    return DataError(f"{path} is not valid JSON{where}: {text}", hint=hint)


class TagView:
    """One tag: typed tasks for the logic, raw slices and dicts for lossless writing.

    `tasks[i]` is the validated view of the i-th task; `raw(i)` is exactly what the
    file holds for it. A command that changes a task edits its dict (`edit(i)`), and
    `refresh(i)` re-validates the dict into the typed view.
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

    def edit(self, index: int) -> dict[str, Any]:
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

    def refresh(self, index: int) -> Task:
        """Re-validate an edited task into the typed view."""
        item = self.edit(index)
        try:
            task = msgspec.convert(item, Task)
        except msgspec.ValidationError as exc:  # pragma: no cover - commands build valid data
            raise DataError(f"task {item.get('id')} would be invalid: {exc}") from exc
        if task.id != self.tasks[index].id:
            self._forget_ids()
        self.tasks[index] = task
        return task

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
        layout = Layout.of(data)
        sep, indented = layout.sep, layout.indented
        edits: list[tuple[int, int, bytes]] = []
        located: dict[int, tuple[int, int] | None] = {}

        def locate(raw: msgspec.Raw) -> tuple[int, int] | None:
            key = id(raw)
            if key not in located:
                located[key] = _locate_task(data, bytes(raw), layout)
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


def _typed(
    raw: bytes | msgspec.Raw, tidy: msgspec.json.Decoder[Any], lenient: msgspec.json.Decoder[Any]
) -> tuple[Any, bool]:
    """`raw` typed by the tidy schema and True when it passes, else by the lenient one
    and False (whose errors propagate): one rule for both ways a tag is read."""
    try:
        return tidy.decode(raw), True
    except msgspec.ValidationError:
        return lenient.decode(raw), False


class Document:
    """A parsed tasks file: its tags in order, each kept as a raw JSON slice.

    `quick` is for reading only (Store.read): each tag's tasks array is found in the
    same scan that checks the document, and the whole tags' slices, which only a
    write needs, are found on first use. A tag read that way and printed whole
    (`tasks list --json`) costs one scan of the file fewer; any tag it cannot read
    as tidy, and any layout but the tagged one, is read the full way, which also
    words every error.
    """

    def __init__(
        self,
        path: Path,
        data: bytes,
        stat_key: tuple[int, int, int] | None,
        *,
        quick: bool = False,
    ) -> None:
        self.path = path
        self.data = data
        self.stat_key = stat_key
        self.exists = stat_key is not None
        self.trailing_newline = data.endswith(b"\n") if data else True
        self.flat = False
        self._views: dict[str, TagView] = {}
        self._tags: dict[str, msgspec.Raw | None] | None = None
        self._arrays: dict[str, msgspec.Raw] | None = None
        if not data and not self.exists:
            self._tags = {}
            return
        try:
            if not data.isascii():
                data.decode()  # msgspec does not check the strings it skips or keeps raw
            if quick and self._read_arrays(data):
                return
            self._read_tags(data)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise _malformed(path, data, exc) from None

    def _read_arrays(self, data: bytes) -> bool:
        """Each tag's tasks array, if every top-level value is an object (tagged layout)."""
        try:
            arrays = _TAG_ARRAYS_DECODER.decode(data)
        except msgspec.ValidationError:
            return False  # the old flat layout, or a tag that is not an object
        self._arrays = {name: value.tasks for name, value in arrays.items()}
        return True

    def _read_tags(self, data: bytes) -> dict[str, msgspec.Raw | None]:
        top = _TOP_DECODER.decode(data)
        tasks_raw = top.get("tasks")
        if tasks_raw is not None and bytes(tasks_raw).lstrip().startswith(b"["):
            # Task Master's old flat layout: the whole document is tag "master".
            # Read as is; only a write converts it to the tagged layout.
            self.flat = True
            self._tags = {"master": None}
            self._flat_fields: dict[str, Any] = dict(top)
        else:
            self._tags = dict(top)
        return self._tags

    @property
    def tags(self) -> dict[str, msgspec.Raw | None]:
        """Each tag's raw slice (None for a tag made in memory), in the file's order."""
        return self._tags if self._tags is not None else self._read_tags(self.data)

    def _names(self) -> dict[str, Any]:
        """The tags by name: the quick reading's arrays until the slices are read."""
        if self._tags is None and self._arrays is not None:
            return self._arrays
        return self.tags

    @property
    def tag_names(self) -> list[str]:
        return list(self._names())

    def has_tag(self, name: str) -> bool:
        return name in self._names()

    def tag(self, name: str) -> TagView:
        """The validated view of one tag; NotFoundError when the file has no such tag."""
        view = self._views.get(name)
        if view is not None:
            return view
        if self._arrays is not None and name in self._arrays:
            view = self._quick_view(name, self._arrays[name])
            if view is not None:
                self._views[name] = view
                return view
        if name not in self.tags:
            known = ", ".join(self.tags) or "none"
            raise NotFoundError(
                f"tag '{name}' not found in {self.path} (tags: {known})",
                hint="pass an existing --tag",
            )
        fields: dict[str, Any] | None = None
        raw_tag: bytes | msgspec.Raw
        if self.flat:
            fields = dict(self._flat_fields)
            raw_tag = b'{"tasks":' + bytes(fields["tasks"]) + b"}"
        else:
            raw = self.tags[name]
            assert raw is not None
            raw_tag = raw
        try:
            typed, tidy = _typed(raw_tag, _TIDY_DECODER, _TAG_DECODER)
        except msgspec.ValidationError as exc:
            raise DataError(
                f"{self.path}: tag '{name}' fails validation: {_describe(exc, bytes(raw_tag))}",
                hint="fix the file by hand, or restore a backup with `taskctl tasks undo`",
            ) from None
        except (msgspec.DecodeError, RecursionError) as exc:
            raise _malformed(self.path, self.data, exc) from None
        tasks: list[Task] = typed.tasks
        view = TagView(name, raw_tag, tasks, path=self.path, fields=fields, tidy=tidy)
        self._views[name] = view
        return view

    def _quick_view(self, name: str, array: msgspec.Raw) -> TagView | None:
        """The tag from its tasks array alone, as `tag` would type it; None when invalid."""
        try:
            tasks, tidy = _typed(array, _TIDY_TASKS_DECODER, _TASKS_DECODER)
        except (msgspec.DecodeError, RecursionError):
            return None  # invalid: read the full way, which words the error

        def load_tag() -> msgspec.Raw:
            raw = self.tags[name]
            assert raw is not None
            return raw

        return TagView(
            name, None, tasks, path=self.path, tidy=tidy, tasks_array=array, load_tag=load_tag
        )

    def create_tag(self, name: str, description: str | None = None) -> TagView:
        if name in self.tags:
            return self.tag(name)
        fields: dict[str, Any] = {
            "tasks": [],
            "metadata": {
                "created": now_iso(),
                "description": description or f"Tasks for {name} context",
            },
        }
        view = TagView(name, None, [], path=self.path, fields=fields, raw_tasks=[], tidy=True)
        view.dirty = True
        self.tags[name] = None
        self._views[name] = view
        return view

    @property
    def dirty(self) -> bool:
        return any(v.dirty for v in self._views.values())

    def serialize(self, *, splice: bool = True) -> bytes:
        """The whole document, with untouched tags byte-for-byte as they were."""
        return b"".join(self.serialize_parts(splice=splice))

    def serialize_parts(self, *, splice: bool = True) -> list[bytes | memoryview]:
        """The document as pieces to write one after another (no 19 MB join).

        Where the file is laid out as Task Master writes it, the changed tasks are
        spliced into the original bytes: the same result as re-encoding and
        re-indenting the whole document (tests/test_splice.py checks that), without
        the cost of doing so for a 10,000-task file.
        """
        if splice and not self.flat and self.data:
            spliced = self._splice()
            if spliced is not None:
                return spliced
        return [self._encode_all()]

    def _encode_all(self) -> bytes:
        if self.flat:
            self.tag("master")  # the old flat layout is converted on every write
        out: dict[str, Any] = {}
        for name, raw in self.tags.items():
            view = self._views.get(name)
            if view is not None and (view.dirty or self.flat):
                out[name] = view.encodable()
            else:
                out[name] = raw
        layout = Layout.of(self.data)
        body = layout.format(_ENCODER.encode(out))
        return body + layout.newline if self.trailing_newline else body

    def _splice(self) -> list[bytes | memoryview] | None:
        edits: list[tuple[int, int, bytes]] = []
        for view in self._views.values():
            if view.dirty:
                plan = view.splice_edits(self.data)
                if plan is None:
                    return None
                edits += plan
        edits.sort(key=lambda e: (e[0], e[1]))
        data = memoryview(self.data)  # slices without copying
        out: list[bytes | memoryview] = []
        at = 0
        for start, end, replacement in edits:
            if start < at:
                return None  # overlapping changes (neighbours removed): re-encode
            out += [data[at:start], replacement]
            at = end
        out.append(data[at:])
        return out


class Layout:
    """How a tasks file is laid out, read from its first bytes, so that a write keeps it.

    Task Master writes `JSON.stringify(data, null, 2)`: 2-space steps, LF, tasks at a
    6-space indent. A file written by another tool or an editor may use 4 spaces, tabs,
    CRLF, or be one line (compact, or `json.dumps`'s `", "` and `": "`). The full
    re-encode formats the whole document this way, and splicing puts a changed task
    at its place this way (the same bytes, tests/test_splice.py).
    """

    __slots__ = ("indent", "newline", "sep", "tabs", "task_indent", "task_start")

    def __init__(self, indent: int, newline: bytes = b"\n", *, tabs: bool = False) -> None:
        # indent: msgspec's `format` argument (-1 compact, 0 one line with spaces, >0
        # spaces a step; 1 for tabs, which become tabs).
        self.indent = indent
        self.newline = newline
        self.tabs = tabs
        if indent > 0:
            step = b"\t" if tabs else b" " * indent
            # Tasks sit at depth 3 (document, tag, "tasks" array), their keys at depth 4.
            self.task_indent = newline + step * 3
            self.sep = b"," + self.task_indent
            self.task_start = b"{" + newline + step * 4 + b'"'
        else:
            self.task_indent = b""
            self.sep = b", " if indent == 0 else b","
            self.task_start = b'{"'

    @classmethod
    def of(cls, data: bytes) -> Layout:
        """The layout of `data`, from its first line or two: O(1)."""
        if data[:1] != b"{":
            return TASK_MASTER  # empty or new: as Task Master writes
        if data[1:2] == b'"':  # one line: is the first key followed by ": " or ":"?
            end = data.find(b'"', 2)
            return ONE_LINE if data[end + 1 : end + 3] == b": " else COMPACT
        if data[1:2] == b"\n":
            newline = b"\n"
        elif data[1:3] == b"\r\n":
            newline = b"\r\n"
        else:
            return TASK_MASTER  # `{}`, `{ "master"...`: written as Task Master writes
        at = 1 + len(newline)
        end = at
        while data[end : end + 1] in (b" ", b"\t"):
            end += 1
        step = data[at:end]
        if step == b"  " and newline == b"\n":
            return TASK_MASTER
        if step == b"\t":
            return cls(1, newline, tabs=True)
        if step and not step.strip(b" "):
            return cls(len(step), newline)
        # No or mixed indentation: Task Master's steps.
        return TASK_MASTER if newline == b"\n" else cls(2, newline)

    def format(self, encoded: bytes) -> bytes:
        """A whole encoded JSON value laid out this way (at depth 0)."""
        body = msgspec.json.format(encoded, indent=self.indent)
        if self.tabs:
            body = _LEADING_SPACES.sub(_spaces_to_tabs, body)
        if self.newline != b"\n" and self.indent > 0:
            body = body.replace(b"\n", self.newline)  # JSON strings hold no raw newline
        return body

    def indented(self, item: dict[str, Any]) -> bytes:
        """A task laid out at its place in the file (depth 3)."""
        if self is TASK_MASTER:  # the common case, as fast as it always was
            return msgspec.json.format(_ENCODER.encode(item), indent=2).replace(b"\n", _TASK_INDENT)
        body = msgspec.json.format(_ENCODER.encode(item), indent=self.indent)
        if self.tabs:
            body = _LEADING_SPACES.sub(_spaces_to_tabs, body)
        return body.replace(b"\n", self.task_indent) if self.indent > 0 else body


_LEADING_SPACES = re.compile(rb"\n( +)")


def _spaces_to_tabs(match: re.Match[bytes]) -> bytes:
    return b"\n" + b"\t" * len(match.group(1))


TASK_MASTER = Layout(2)
_TASK_INDENT = TASK_MASTER.task_indent
COMPACT = Layout(-1)
ONE_LINE = Layout(0)


def _locate_task(data: bytes, raw: bytes, layout: Layout) -> tuple[int, int] | None:
    """Where a task's bytes are in the file: only if they occur once, laid out as the
    layout puts a task (at its indent, its first key on the next line)."""
    if not raw.startswith(layout.task_start):
        return None
    start = data.find(raw)
    if start < 0 or data.find(raw, start + 1) >= 0:
        return None
    if layout.task_indent:
        placed = data[start - len(layout.task_indent) : start] == layout.task_indent
    else:  # one line: first in the array, or after a separator
        placed = data[start - 1 : start] == b"[" or data[start - len(layout.sep) : start] == (
            layout.sep
        )
    return (start, start + len(raw)) if placed else None


def _describe(exc: msgspec.ValidationError, raw_tag: bytes) -> str:
    """msgspec's message, with the task id added where the path names a task."""
    text = str(exc)
    marker = "$.tasks["
    if marker in text:
        with contextlib.suppress(Exception):
            index = int(text.split(marker, 1)[1].split("]", 1)[0])
            raws = _RAW_TASKS_DECODER.decode(raw_tag).tasks
            task_id = _ANY_DECODER.decode(raws[index]).get("id")
            text += f" (task id {task_id!r}, position {index + 1})"
    return text


def _stat_key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: Path, mode: int, what: str = "a tasks file") -> DataError:
    """The error for a `path` that is (or links to) a folder, a FIFO, a device or a socket."""
    link = ""
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.lstat(path).st_mode):
            link = f" (a link to {path.readlink()})"
    return DataError(
        f"{path}{link} is {_kind(mode)}, not {what}",
        hint="taskctl reads and writes only a regular file; move it away or fix the link",
    )


def _is_dangling(path: Path) -> bool:
    try:
        os.stat(path)
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        pass
    return False


def dangling_link(path: Path) -> DataError | None:
    """The error for a `path` (or a folder on its way) that is a link to nothing."""
    for entry in (path, *path.parents):
        if _is_dangling(entry):
            return DataError(
                f"{entry} is a link to {entry.readlink()}, which does not exist",
                hint="fix or remove the link; taskctl never creates a file through one",
            )
    return None


def read_regular(path: Path, what: str = "a tasks file") -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at `path` (a link is followed) and its stat.

    Opened without blocking (a FIFO's open would wait for a writer for ever) and checked
    on the open descriptor before a byte is read (a link to /dev/zero never ends), so
    nothing can be swapped in between the check and the read. FileNotFoundError when
    there is no file (and no dangling link); DataError for anything but a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
    except FileNotFoundError:
        dangling = dangling_link(path)
        if dangling is not None:
            raise dangling from None
        raise
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket cannot be opened
            with contextlib.suppress(OSError):
                raise not_regular(path, os.stat(path).st_mode, what) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise not_regular(path, st.st_mode, what)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(), st


def read_document(path: Path, *, quick: bool = False) -> Document:
    """The file at `path`, parsed (`quick`: for reading only, see Document)."""
    try:
        data, st = read_regular(path)
    except FileNotFoundError:
        return Document(path, b"", None, quick=quick)
    except PermissionError:
        raise DataError(
            f"cannot read {path}: permission denied",
            hint="check the permissions of the file and of the folders above it",
        ) from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
    return Document(path, data, _stat_key(st), quick=quick)


# --------------------------------------------------------------------------- locking


def _try_lock(fh: Any) -> bool:
    """Take the exclusive lock on open file `fh` if no other process holds it.

    On POSIX the lock is flock(2), made here directly. It is the call portalocker
    makes there (its default LOCKER is `fcntl.flock`, with the same flags), so
    taskctl processes exclude each other and any portalocker user of the file
    whichever made the call; importing portalocker only to make it cost every write
    26 to 50 ms, most of it `importlib.metadata` reading portalocker's own version.
    Elsewhere (Windows) portalocker locks the file. As portalocker's own errors did,
    any failure to lock counts as "held" and is retried until the timeout.
    """
    if fcntl is not None:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (OSError, EOFError):  # EOFError: what some NFS clients raise
            return False
        return True
    import portalocker  # noqa: PLC0415 - Windows: msvcrt locking, through portalocker

    try:
        portalocker.lock(fh, portalocker.LOCK_EX | portalocker.LOCK_NB)
    except portalocker.exceptions.LockException:
        return False
    return True


class _Lock:
    """taskctl's exclusive lock, plus Task Master's `<file>.lock` protocol.

    taskctl processes serialise on an exclusive lock (`_try_lock`) on a sidecar file
    that is never deleted (deleting a lock file races with its next user). While holding it, taskctl
    also creates Task Master's `tasks.json.lock` exclusively, as Task Master does, so
    that neither tool writes while the other is; a Task Master lock older than 10 s is
    stale, as in Task Master, and is removed.
    """

    def __init__(
        self,
        target: Path,
        timeout: float,
        *,
        taskmaster: bool = True,
        sidecar: Path | None = None,
    ) -> None:
        self.target = target
        self.timeout = timeout
        self.taskmaster = taskmaster  # also take Task Master's lock (tasks files only)
        self.sidecar = sidecar or target.with_name(f".{target.name}.taskctl-lock")
        self.tm_lock = target.with_name(f"{target.name}.lock")
        self._fh: Any = None
        self._own_tm_lock = False

    def __enter__(self) -> _Lock:
        deadline = time.monotonic() + self.timeout
        self._fh = _open_lock_file(self.sidecar, self.target)
        try:
            self._take_own_lock(deadline)
            if self.taskmaster:
                self._take_taskmaster_lock(deadline)
        except BaseException:
            self._release()
            raise
        return self

    def _take_own_lock(self, deadline: float) -> None:
        while not _try_lock(self._fh):
            if time.monotonic() >= deadline:
                raise LockTimeoutError(
                    f"{self.target} is locked by another taskctl process;"
                    f" gave up after {self.timeout:g} s",
                    hint="try again, or raise storage.lock_timeout",
                )
            import random  # noqa: PLC0415 - only a wait for the lock needs it

            time.sleep(random.uniform(0.005, 0.03))  # noqa: S311 - jitter, not crypto

    def _take_taskmaster_lock(self, deadline: float) -> None:
        # The lock file is written with its content first, then linked into place:
        # exclusive like O_EXCL, and a taskctl killed at any moment never leaves an
        # empty lock, which would look like Task Master's and hold the next writer up.
        content = f'{{"pid": {os.getpid()}, {_TASKCTL_LOCK_MARK.decode()}}}'.encode()
        staged = self.target.with_name(f".{self.target.name}{_TMP_MARK}lock-{os.getpid()}")
        staged.write_bytes(content)
        try:
            while not self._place_taskmaster_lock(staged, content):
                try:
                    age = time.time() - self.tm_lock.stat().st_mtime
                except FileNotFoundError:
                    continue
                if age > TASKMASTER_LOCK_STALE_SECONDS or _left_by_taskctl(self.tm_lock):
                    _remove_stale(self.tm_lock)
                    continue
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"{self.target} is being written by Task Master ({self.tm_lock} exists);"
                        f" gave up after {self.timeout:g} s",
                        hint=f"try again; remove {self.tm_lock} only if no Task Master runs",
                    ) from None
                time.sleep(0.02)
        finally:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
        self._own_tm_lock = True

    def _place_taskmaster_lock(self, staged: Path, content: bytes) -> bool:
        """Create Task Master's lock file; False when it exists already."""
        try:
            os.link(staged, self.tm_lock)
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system: create, then fill
            try:
                fd = os.open(self.tm_lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        return True

    def _release(self) -> None:
        if self._own_tm_lock:
            with contextlib.suppress(FileNotFoundError):
                self.tm_lock.unlink()
            self._own_tm_lock = False
        if self._fh is not None:
            self._fh.close()  # closing the file releases the lock
            self._fh = None

    def __exit__(self, *exc: object) -> None:
        self._release()


def _open_lock_file(sidecar: Path, target: Path) -> Any:
    """The sidecar lock file, opened for locking (created if missing, never emptied).

    Not blocking on a FIFO, refused when it is anything but a regular file, and given
    the owner of the file it locks where taskctl may do so: a lock file root created
    in a user's project would lock the user out of it.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | _O_NONBLOCK | _O_CLOEXEC
    try:
        fd = os.open(sidecar, flags, 0o666)
    except IsADirectoryError:
        raise not_regular(sidecar, stat.S_IFDIR, "a lock file") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise not_regular(sidecar, mode, "a lock file")
    with contextlib.suppress(OSError):
        give_owner(fd, os.stat(target))
    return os.fdopen(fd, "a+b")


def file_lock(
    target: Path, sidecar: Path, timeout: float = 10.0
) -> contextlib.AbstractContextManager[Any]:
    """taskctl's exclusive lock on any file it rewrites (a config file, say), held on
    `sidecar`: the same lock as for tasks files, without Task Master's protocol."""
    sidecar.parent.mkdir(parents=True, exist_ok=True)
    return _Lock(target, timeout, taskmaster=False, sidecar=sidecar)


def _left_by_taskctl(lock: Path) -> bool:
    """A Task Master lock that taskctl wrote: found while holding taskctl's own lock,
    its writer is gone (killed before it could remove it), so it is stale now."""
    try:
        return _TASKCTL_LOCK_MARK in read_regular(lock, "a lock file")[0]
    except (OSError, DataError):  # a folder (proper-lockfile's), or already gone
        return False


def _remove_stale(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()


# --------------------------------------------------------------------------- writing


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """The mode of a new file: 0666 less the process's umask, as `open(2)` makes it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def give_owner(fd: int, owner: os.stat_result) -> None:
    """Give the open file `fd` the owner and group of `owner` (another file's stat).

    Root editing a user's project leaves the user's files the user's. Without the right
    to (a user who may write the folder but is not the file's owner), the group alone
    is tried, then nothing: the file is the writer's, as with any editor.
    """
    fchown = getattr(os, "fchown", None)  # POSIX only
    st = os.fstat(fd)
    if fchown is None or (st.st_uid, st.st_gid) == (owner.st_uid, owner.st_gid):
        return
    for uid in (owner.st_uid, -1):
        try:
            fchown(fd, uid, owner.st_gid)
        except PermissionError:
            continue
        return


# Every file this process replaced: the CLI tells a command whose change was written
# but whose output failed (do not run it again) from one that wrote nothing.
REPLACED: list[Path] = []


def atomic_write(
    target: Path,
    data: bytes | Sequence[bytes | memoryview],
    *,
    mode: int | None = None,
    owner: os.stat_result | None = None,
) -> None:
    """Write `data` to `target` so that a reader sees the old file or the new, never half.

    Temp file in the same folder, flush and fsync, rename over the target, fsync the
    folder. On any failure the temp file is removed and the target is untouched. The
    new file gets `mode` exactly, and `owner`'s owner and group where allowed.
    """
    folder = target.parent
    tmp = folder / f".{target.name}{_TMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600 if mode is None else mode)
        try:
            if owner is not None:
                give_owner(fd, owner)  # before fchmod: a chown may clear set-id bits
            if mode is not None:
                os.fchmod(fd, mode)
            for part in [data] if isinstance(data, bytes) else data:
                view = memoryview(part)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    REPLACED.append(target)
    fsync_dir(folder)


def clean_temp_files(target: Path) -> list[Path]:
    """Remove temp files left by writers that crashed (call only under the lock)."""
    removed = []
    prefix = f".{target.name}{_TMP_MARK}"
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(target.parent):
            if entry.name.startswith(prefix):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _io_error(action: str, path: Path, exc: OSError) -> DataError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    return DataError(
        f"cannot {action} {path}: {reason}; the file was left unchanged",
        hint="free space or fix permissions, then run the command again",
    )


# --------------------------------------------------------------------------- the store


class Store:
    """A tasks file and everything that reads or writes it.

    Within one process the parsed document is cached; each read revalidates it with a
    single `stat` (mtime_ns, size, inode). A write updates the cache.
    """

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = 10.0,
        backups: int = 10,
    ) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.backups = backups
        self._cached: Document | None = None
        self._written: tuple[Sequence[bytes | memoryview], tuple[int, int, int]] | None = None

    # The file written is the symlink's target, so that a link stays a link.
    @property
    def target(self) -> Path:
        return self.path.resolve() if self.path.is_symlink() else self.path

    def read(self) -> Document:
        """The current document, from cache when the file has not changed."""
        written, self._written = self._written, None
        if written is not None and self._cached is None:
            self._cached = Document(self.path, b"".join(written[0]), written[1], quick=True)
        cached = self._cached
        if cached is not None:
            try:
                key: tuple[int, int, int] | None = _stat_key(os.stat(self.path))
            except FileNotFoundError:
                key = None
            except OSError:
                key = (-1, -1, -1)
            if key == cached.stat_key and not cached.dirty:
                return cached
        document = read_document(self.path, quick=True)
        self._cached = document
        return document

    def _write_target(self) -> Path:
        """The file a write replaces (a link's target), checked before anything is made.

        Refused: a link to nothing (a write would create a file wherever it points),
        anything but a regular file, and a file without write permission for its owner.
        """
        dangling = dangling_link(self.path)
        if dangling is not None:
            raise dangling
        try:
            target = self.target
            st = os.stat(target)
        except FileNotFoundError:
            return self.target
        except OSError as exc:
            raise _io_error("write", self.path, exc) from None
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(self.path, st.st_mode)
        if not st.st_mode & stat.S_IWUSR:
            raise DataError(
                f"{target} is read-only (mode {st.st_mode & 0o7777:04o}), so taskctl does not"
                " replace it; the file was left unchanged",
                hint=f"allow writes with `chmod u+w {target}`, then run the command again",
            )
        return target

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Path]:
        """Hold the write lock on the file; yields the path to write (a link's target)."""
        target = self._write_target()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _io_error("create the folder for", target, exc) from None
        try:
            lock = _Lock(target, self.lock_timeout).__enter__()
        except OSError as exc:
            raise _io_error("lock", target, exc) from None
        try:
            clean_temp_files(target)
            self._cached = None
            yield target
        finally:
            lock.__exit__(None, None, None)

    @contextlib.contextmanager
    def transaction(self, command: str) -> Iterator[Document]:
        """Lock, read fresh, let the caller change the document, then write it atomically.

        Nothing is written when the block raises or changes nothing.
        """
        with self._locked() as target:
            document = read_document(self.path)
            yield document
            if document.dirty:
                self._write(target, document.serialize_parts(), command, existed=document.exists)

    def restore(self, backup_id: int | None, command: str) -> Backup:
        """Put a kept version back (undo). The version it replaces is kept in turn,
        so an undo can itself be undone."""
        with self._locked() as target:
            backup = find_backup(target, backup_id)
            try:
                data = backup_bytes(target, backup)
            except OSError as exc:
                raise _io_error("read the backup of", target, exc) from None
            restored = Document(self.path, data, (0, 0, 0))
            for name in restored.tag_names:
                restored.tag(name)  # never restore a version that fails validation
            self._write(target, data, command, existed=target.exists())
            return backup

    def _write(
        self,
        target: Path,
        data: bytes | Sequence[bytes | memoryview],
        command: str,
        *,
        existed: bool,
    ) -> None:
        old = None
        if existed:
            with contextlib.suppress(FileNotFoundError):
                old = os.stat(target)
        mode = new_file_mode() if old is None else old.st_mode & 0o7777
        try:
            if existed:
                keep_backup(target, command, keep=self.backups)
            atomic_write(target, data, mode=mode, owner=old)
        except OSError as exc:
            raise _io_error("write", target, exc) from None
        # A write updates the cache: parsed on the next read, not now (most CLI
        # processes exit right after writing).
        try:
            parts = [data] if isinstance(data, bytes) else data
            self._written = (parts, _stat_key(os.stat(self.path)))
        except OSError:
            self._written = None
        self._cached = None

    def history(self) -> list[Backup]:
        try:
            return list_backups(self.target)
        except OSError as exc:
            reason = exc.strerror or exc
            raise DataError(f"cannot read the backups of {self.path}: {reason}") from None

    # -- helpers for the commands

    def current_tag(self, explicit: str | None, state_file: Path | None, default: str) -> str:
        """`--tag`, else `currentTag` in Task Master's state.json, else the default."""
        if explicit:
            return explicit
        if state_file is not None:
            try:
                raw = read_regular(state_file, "Task Master's state file")[0]
            except FileNotFoundError:
                return default
            except OSError as exc:
                raise _io_error("read", state_file, exc) from None
            try:
                state = _ANY_DECODER.decode(raw)
            except msgspec.DecodeError as exc:
                raise DataError(
                    f"{state_file} is not valid JSON: {exc}",
                    hint="fix it, delete it, or pass --tag",
                ) from None
            tag = state.get("currentTag") if isinstance(state, dict) else None
            if isinstance(tag, str) and tag:
                return tag
        return default


__all__ = [
    "Document",
    "Store",
    "Subtask",
    "TagView",
    "Task",
    "atomic_write",
    "now_iso",
    "read_document",
]
