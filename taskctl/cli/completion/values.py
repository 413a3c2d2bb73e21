"""Tab completion: what the shell is offered for each option and argument.

Each `complete_*` function is a Typer `autocompletion=` callback. It returns plain
values, or `(value, description)` pairs where zsh and fish show a description (a task's
title, a key's meaning). Typer filters them by the word typed so far.

Each callback has an `*_items` twin that does the work and returns `(value, text)`
pairs, the text as the file holds it; `taskctl.cli.completion.protocol` calls the twins
directly to answer the shell without importing typer. Both make the text one short,
terminal-safe line with `describe` (the fast path only for the values it prints, and
only for zsh and fish); the callbacks also escape it for Typer, which renders
descriptions as rich markup. Neither imports typer: `ctx` is anything shaped like a
click context (`params`, `find_root()`). Importing this module costs nothing more
(app.py imports it for `-c`): msgspec and the store are imported when a value is
completed.

Completion never raises and never prints: a missing or broken tasks file, state file
or configuration yields no values.

No `from __future__ import annotations`: Typer evaluates the callbacks' annotations.
"""

import functools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from taskctl.core.paths import Location
    from taskctl.core.store import Store


class CompletionContext(Protocol):
    """What a completion reads: parsed parameters, the root's, and the environment."""

    @property
    def params(self) -> dict[str, Any]: ...

    @property
    def environ(self) -> Mapping[str, str]: ...

    def find_root(self) -> "CompletionContext": ...


Item = tuple[str, str | None]  # (value, its description as the file has it, or None)
Completion = str | tuple[str, str]  # what a Typer autocompletion callback returns
ItemsFunction = Callable[[CompletionContext, str], list[Item]]

# Descriptions are cut to this many terminal cells, counted after zsh's escaping
# (`:` becomes three characters). Typer renders them with rich, which wraps anything
# wider than the terminal (80 columns without one); kept shorter, Typer prints them
# as they are, and the fast path can print them without rich.
DESCRIPTION_WIDTH = 60
TITLED_MAX = 1000  # more matching task ids than this: no titles (see _titled)
_SPACES = re.compile(r"\s+")
ZSH_SPECIAL = re.compile(r"[\"'$`:]")  # what zsh's escaping makes longer
# rich turns `:name:` into an emoji; a zero-width space after the first colon keeps
# the text as typed (in Typer's output and the fast path's alike).
_EMOJI_CODE = re.compile(r":(?=\S*?:)")
# rich.markup.escape without its special case for a trailing backslash, which rich's
# own renderer then prints doubled; and, as rich drops one backslash before any `[`
# (`\[` renders as `[`), a run of backslashes before a `[` that is not a tag gets one
# more. A pattern, not compiled here: only Typer's answers need it (re caches it then),
# and compiling it costs a tab press answered without typer 60 us.
_MARKUP_TAG = r"(\\*)(\[[a-z#/@][^[]*?])|(\\+)(?=\[)"


# --------------------------------------------------------------------------- descriptions


def _cells(text: str) -> int:
    """An upper bound on the cells `text` takes once zsh-escaped (UTF-8 length: a
    non-ASCII character takes at most two cells and at least two bytes)."""
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    if ZSH_SPECIAL.search(text) is None:
        return size
    quotes = text.count('"') + text.count("'") + text.count("$") + text.count("`")
    return size + 2 * text.count(":") + quotes


@functools.cache
def _clean() -> Callable[[str], str]:
    from taskctl.cli.render import clean  # noqa: PLC0415

    return clean


def describe(text: str | None) -> str | None:
    """One line of at most DESCRIPTION_WIDTH cells, safe for a terminal; None if empty."""
    if not text:
        return None
    # Most titles are printable ASCII on one line already (10,000 of them: 3 ms, not 30).
    plain = text.isascii() and text.isprintable() and "  " not in text
    line = text.strip(" ") if plain else _SPACES.sub(" ", _clean()(text)).strip()
    if ":" in line:
        line = _EMOJI_CODE.sub(":\u200b", line)
    if len(line) * 3 <= DESCRIPTION_WIDTH or _cells(line) <= DESCRIPTION_WIDTH:
        return line or None
    room = DESCRIPTION_WIDTH - 3  # the ellipsis: three bytes in UTF-8
    cut = line[:room]
    while _cells(cut) > room:
        cut = cut[: len(cut) - max(1, (_cells(cut) - room + 3) // 4)]
    return cut.rstrip() + "…"


def markup_escape(text: str) -> str:
    """`text` as rich markup that renders as `text` (Typer renders descriptions)."""
    return re.sub(_MARKUP_TAG, lambda m: f"{m[1]}{m[1]}\\{m[2]}" if m[2] else f"{m[3]}\\", text)


def for_typer(items: list[Item]) -> list[Completion]:
    """Values, with their description where there is one, escaped for Typer's rich."""
    out: list[Completion] = []
    for value, text in items:
        line = describe(text)
        out.append(value if line is None else (value, markup_escape(line)))
    return out


def _safely(items: ItemsFunction, ctx: CompletionContext, incomplete: str) -> list[Item]:
    """The items, or none at all when anything goes wrong: never a traceback in a shell."""
    try:
        return items(ctx, incomplete)
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


# --------------------------------------------------------------------------- fixed choices


def _split_list(incomplete: str) -> tuple[str, str]:
    """`pending,in-p` -> (`pending,`, `in-p`): complete the last item of a comma list."""
    head, comma, last = incomplete.rpartition(",")
    return (head + comma, last)


def _choices(values: Sequence[str], incomplete: str, *, many: bool) -> list[Item]:
    prefix, _ = _split_list(incomplete) if many else ("", incomplete)
    taken = set(prefix.split(","))
    return [(prefix + v, None) for v in values if v not in taken]


def status_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """A task status."""
    from taskctl.core.settings import STATUSES  # noqa: PLC0415

    return _choices(STATUSES, incomplete, many=False)


def statuses_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """Task statuses, comma-separated."""
    from taskctl.core.settings import STATUSES  # noqa: PLC0415

    return _choices(STATUSES, incomplete, many=True)


def priority_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """A priority."""
    from taskctl.core.settings import PRIORITIES  # noqa: PLC0415

    return _choices(PRIORITIES, incomplete, many=False)


def priorities_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """Priorities, comma-separated."""
    from taskctl.core.settings import PRIORITIES  # noqa: PLC0415

    return _choices(PRIORITIES, incomplete, many=True)


def _key_choices(key: str) -> tuple[str, ...]:
    from taskctl.core.config.schema import key_specs  # noqa: PLC0415

    return key_specs()[key].choices or ()


def sort_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """An order for `tasks list --sort`."""
    return _choices(_key_choices("tasks.sort"), incomplete, many=False)


def format_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """An output format for `tasks list --format`: output.format's values, and `ids`."""
    values = [v for v in _key_choices("output.format") if v != "auto"]
    return _choices([*values, "ids", "auto"], incomplete, many=False)


# --------------------------------------------------------------------------- config keys


def config_key_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """Configuration keys, from the settings schema, with their descriptions."""
    from taskctl.core.config.schema import key_specs  # noqa: PLC0415

    return [(key, spec.description) for key, spec in key_specs().items()]


def config_override_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """`-c KEY=VALUE`: `KEY=` for each key; once `=` is typed, KEY's allowed values."""
    from taskctl.core.config.schema import key_specs  # noqa: PLC0415

    specs = key_specs()
    key, equals, _ = incomplete.partition("=")
    if not equals:
        return [(f"{k}=", spec.description) for k, spec in specs.items()]
    spec = specs.get(key)
    if spec is None:
        return []
    values = spec.choices or (("true", "false") if spec.type == "boolean" else ())
    return [(f"{key}={v}", None) for v in values]


# --------------------------------------------------------------------------- the tasks file


@functools.cache
def _task_type(subtasks: bool) -> Any:
    """A task's id and title only (and its subtasks' when asked for): decoding just
    these from a 10,000-task file takes a fraction of the validated view's time."""
    import msgspec  # noqa: PLC0415

    from taskctl.core.models import TaskId  # noqa: PLC0415 - ids as the store checks them

    class Subtask(msgspec.Struct, gc=False):
        id: TaskId
        title: str

    class Task(msgspec.Struct, gc=False):
        id: TaskId
        title: str

    class TaskWithSubtasks(Task, gc=False):
        subtasks: list[Subtask] = msgspec.field(default_factory=list)

    return TaskWithSubtasks if subtasks else Task


@functools.cache
def _file_decoder(tag: str, subtasks: bool) -> Any:
    """One pass over the whole file for one tag's tasks: other tags are skipped unread.

    Store.read() would first split every tag into raw slices, a second pass over the
    file (13 MB at 10,000 tasks: about 16 ms of completion's 100 ms). `tasks` is kept
    raw to recognise Task Master's old flat layout (a list there, not a tag).
    """
    import msgspec  # noqa: PLC0415

    task: Any = _task_type(subtasks)
    tag_type: Any = msgspec.defstruct(
        "Tag", [("tasks", list[task], msgspec.field(default_factory=list))], gc=False
    )
    fields: list[tuple[str, Any, Any]]
    if tag == "tasks":  # a tag named `tasks`, or the flat layout, which has no such tag
        fields = [("tag", tag_type | list[msgspec.Raw], msgspec.field(default_factory=list))]
        rename = {"tag": tag}
    else:
        fields = [
            ("tag", tag_type, msgspec.field(default_factory=tag_type)),
            ("flat", msgspec.Raw, msgspec.field(default_factory=msgspec.Raw)),
        ]
        rename = {"tag": tag, "flat": "tasks"}
    document = msgspec.defstruct("Document", fields, rename=rename, gc=False)
    return msgspec.json.Decoder(document), msgspec.json.Decoder(list[task])


def _open(ctx: CompletionContext) -> "tuple[Location, Store]":
    """Where the command line's tasks are (`--project`, else found as the CLI finds it)."""
    from taskctl.core.paths import locate  # noqa: PLC0415
    from taskctl.core.store import Store  # noqa: PLC0415

    location = locate(ctx.find_root().params.get("project"), environ=ctx.environ)
    return location, Store(location.tasks_file)


def _tag_name(ctx: CompletionContext, location: "Location") -> str:
    """The tag the command would use, by the CLI's rule (`taskctl.core.tags`)."""
    from taskctl.core.tags import tag_name  # noqa: PLC0415

    def default_tag() -> str:
        # Only now is the configuration read: a project's state.json usually names the tag.
        from taskctl.core.config.sources import resolve  # noqa: PLC0415

        overrides = tuple(ctx.find_root().params.get("config") or ())
        value: str = resolve(location.root, overrides, ctx.environ).value("tasks.default_tag")
        return value

    return tag_name(ctx.params.get("tag"), location.state_file, default_tag)


def _tasks(ctx: CompletionContext, *, subtasks: bool = False) -> list[Any]:
    """The ids and titles (and subtasks') of the tag the command would use."""
    location, store = _open(ctx)
    name = _tag_name(ctx, location)
    try:
        data = store.path.read_bytes()
    except FileNotFoundError:
        return []
    document_decoder, flat_decoder = _file_decoder(name, subtasks)
    document = document_decoder.decode(data)
    if isinstance(document.tag, list):  # the flat layout, asked for tag `tasks`
        return []
    flat = bytes(getattr(document, "flat", b""))
    if flat.lstrip().startswith(b"["):  # Task Master's old flat layout: tag "master"
        return flat_decoder.decode(flat) if name == "master" else []
    tasks: list[Any] = document.tag.tasks
    return tasks


def _titled(items: list[Item], incomplete: str) -> list[Item]:
    """The ids that match what is typed; with their titles only when few enough match.

    A menu of thousands of titles helps nobody, and describing 10,000 of them is a
    tenth of completion's time budget (and zsh's, to lay them out): beyond
    TITLED_MAX matches, ids alone, as bash always shows them.
    """
    matching = [item for item in items if item[0].startswith(incomplete)]
    if len(matching) > TITLED_MAX:
        return [(value, None) for value, _ in matching]
    return matching


def task_id_items(ctx: CompletionContext, incomplete: str) -> list[Item]:
    """Task ids with their titles; subtask ids N.M once `N.` is typed; comma lists."""
    prefix, last = _split_list(incomplete)
    parent, dot, _ = last.partition(".")
    if not dot:
        return _titled([(f"{prefix}{t.id}", t.title) for t in _tasks(ctx)], incomplete)
    for task in _tasks(ctx, subtasks=True):
        if str(task.id) == parent:
            subtasks = [(f"{prefix}{task.id}.{s.id}", s.title) for s in task.subtasks]
            return _titled(subtasks, incomplete)
    return []


def parent_id_items(ctx: CompletionContext, incomplete: str) -> list[Item]:
    """Task ids (a subtask cannot have subtasks) with their titles."""
    return _titled([(str(t.id), t.title) for t in _tasks(ctx)], incomplete)


def tag_items(ctx: CompletionContext, incomplete: str) -> list[Item]:  # noqa: ARG001
    """The tags of the tasks file."""
    _, store = _open(ctx)
    return [(name, None) for name in store.read().tag_names]


# --------------------------------------------------------------------------- Typer callbacks

Callback = Callable[[Any, str], list[Completion]]  # called by Typer with click's context
# Callback name (as the generated command map records it) -> the function computing
# its items; the fast path calls these directly.
ITEMS: dict[str, ItemsFunction] = {}


class _TyperContext:
    """Click's context as Typer's own completion passes it, with the environment: Typer
    completes in this process, whose environment is the shell's (the root callback,
    which builds the AppContext, does not run for a tab press)."""

    def __init__(self, ctx: Any, environ: Mapping[str, str]) -> None:
        self._ctx = ctx
        self.params: dict[str, Any] = ctx.params
        self.environ = environ

    def find_root(self) -> "_TyperContext":
        return _TyperContext(self._ctx.find_root(), self.environ)


def _callback(name: str, items: ItemsFunction) -> Callback:
    def callback(ctx: Any, incomplete: str) -> list[Completion]:
        return for_typer(_safely(items, _TyperContext(ctx, os.environ), incomplete))

    callback.__name__ = callback.__qualname__ = name
    callback.__doc__ = items.__doc__
    ITEMS[name] = items
    return callback


complete_status = _callback("complete_status", status_items)
complete_statuses = _callback("complete_statuses", statuses_items)
complete_priority = _callback("complete_priority", priority_items)
complete_priorities = _callback("complete_priorities", priorities_items)
complete_sort = _callback("complete_sort", sort_items)
complete_format = _callback("complete_format", format_items)
complete_tag = _callback("complete_tag", tag_items)
complete_task_id = _callback("complete_task_id", task_id_items)
complete_parent_id = _callback("complete_parent_id", parent_id_items)
complete_config_key = _callback("complete_config_key", config_key_items)
complete_config_override = _callback("complete_config_override", config_override_items)


def items_for(name: str, ctx: CompletionContext, incomplete: str) -> list[Item]:
    """What callback `name` offers, as plain text; never raises (for the fast path)."""
    return _safely(ITEMS[name], ctx, incomplete)
