"""A tasks file parsed: decoding, the quick reading, messages for a malformed file.

A `Document` keeps the file's bytes and each tag as a raw JSON slice; `tag(name)`
validates one tag into a `TagView` (the tidy schema first, the lenient one when it
fails). Reading only, the quick reading finds each tag's tasks array in the one scan
that checks the file. A write serialises the document with untouched tags (and tasks)
byte for byte as they were: the changed tasks spliced into the original bytes where
the file's layout allows, else a full re-encode in that layout. A file that fails to
parse or validate raises DataError naming the file, the line and what to do.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import msgspec

from taskctl.core.errors import DataError, NotFoundError
from taskctl.core.fs import Clock, read_regular, stat_key
from taskctl.core.models import (
    TagRawTasks,
    TagTasks,
    TagTasksArray,
    Task,
    TidyTagTasks,
    TidyTask,
)
from taskctl.core.tagview import TagView

_TOP_DECODER = msgspec.json.Decoder(dict[str, msgspec.Raw])
_TAG_DECODER = msgspec.json.Decoder(TagTasks)
_TIDY_DECODER = msgspec.json.Decoder(TidyTagTasks)
_RAW_TASKS_DECODER = msgspec.json.Decoder(TagRawTasks)
_TAG_ARRAYS_DECODER = msgspec.json.Decoder(dict[str, TagTasksArray])
_TIDY_TASKS_DECODER = msgspec.json.Decoder(list[TidyTask])
_TASKS_DECODER = msgspec.json.Decoder(list[Task])
_ANY_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()


class _Metadata(msgspec.Struct):
    metadata: msgspec.Raw = msgspec.Raw(b"null")


_METADATA_DECODER = msgspec.json.Decoder(_Metadata)


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
        self._reshaped = False  # a tag added, renamed or removed: no splicing
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

    def create_tag(self, name: str, description: str | None = None, *, clock: Clock) -> TagView:
        """A new, empty tag (the existing one if there is one), created at `clock`'s time."""
        if name in self.tags:
            return self.tag(name)
        fields: dict[str, Any] = {
            "tasks": [],
            "metadata": {
                "created": clock(),
                "description": description or f"Tasks for {name} context",
            },
        }
        view = TagView(name, None, [], path=self.path, fields=fields, raw_tasks=[], tidy=True)
        view.dirty = True
        self.tags[name] = None
        self._views[name] = view
        return view

    # -- whole tags: added, copied, renamed, removed (the other tags stay raw slices)

    def _materialize(self) -> dict[str, msgspec.Raw | None]:
        """The tags with every changed or new one encoded to a raw slice, so that tags
        can be added, renamed or removed by name; the flat layout becomes tagged."""
        tags = self.tags
        if self.flat:
            self.tag("master")
        for name, view in self._views.items():
            if view.dirty or tags.get(name) is None or self.flat:
                tags[name] = msgspec.Raw(_ENCODER.encode(view.encodable()))
        self.flat = False
        self._views.clear()
        self._reshaped = True
        return tags

    def metadata(self, name: str) -> dict[str, Any]:
        """Tag `name`'s `metadata` object ({} when it has none or it is not an object)."""
        if self.flat:
            raw: msgspec.Raw = self._flat_fields.get("metadata", msgspec.Raw(b"null"))
        else:
            raw = _METADATA_DECODER.decode(self.tags[name] or b"{}").metadata
        value = _ANY_DECODER.decode(raw)
        return value if isinstance(value, dict) else {}

    def raw_tag(self, name: str) -> dict[str, Any]:
        """Tag `name` as a dict of its keys (tasks, metadata, ...) as raw slices."""
        self.tag(name)  # NotFoundError, or a tag that fails validation, first
        raw = self._materialize()[name]
        assert raw is not None
        return dict(_TOP_DECODER.decode(raw))

    def put_tag(self, name: str, fields: dict[str, Any], *, replace: str | None = None) -> None:
        """Set tag `name` to `fields`: a new tag goes last, or takes the place of tag
        `replace` (a rename), which is removed."""
        tags = self._materialize()
        encoded = msgspec.Raw(_ENCODER.encode(fields))
        if replace is None:
            tags[name] = encoded
            return
        self._tags = {
            (name if key == replace else key): (encoded if key == replace else raw)
            for key, raw in tags.items()
        }

    def remove_tag(self, name: str) -> None:
        """Drop tag `name`; NotFoundError when there is none."""
        self.tag(name)
        del self._materialize()[name]

    @property
    def dirty(self) -> bool:
        return self._reshaped or any(v.dirty for v in self._views.values())

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
        if splice and not self.flat and self.data and not self._reshaped:
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
        from taskctl.core.layout import Layout  # noqa: PLC0415 - writes only

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
    return Document(path, data, stat_key(st), quick=quick)
