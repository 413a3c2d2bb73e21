"""taskctl's Python API: the same store, lock, atomic writes, backups and cache as the CLI.

    import taskctl

    project = taskctl.open()                      # found like the CLI finds it
    for task in project.list(status="pending", sort="priority"):
        print(task["id"], task["title"])
    with project.transaction() as tx:             # one lock, one atomic write, all or none
        tx.update(3, status="done")
        tx.add("Write the changelog", priority="high")

Tasks are plain dicts with Task Master's field names and every field the file holds.
Errors are `taskctl.TaskctlError` subclasses with `.exit_code` and `.code`.
The CLI is built on this module: `taskctl tasks ...` calls the same methods.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from taskctl.core import tags
from taskctl.core import tasks as ops
from taskctl.core.changes import Changes, ListQuery, NewTask, fields_of
from taskctl.core.document import Document
from taskctl.core.fs import Clock, now_iso
from taskctl.core.paths import Location, locate
from taskctl.core.settings import Settings
from taskctl.core.store import Store
from taskctl.core.tagview import TagView

IdLike = int | str


def _refs(ids: Iterable[IdLike]) -> list[ops.Ref]:
    return ops.parse_refs(str(i) for i in ids)


class Transaction:
    """Changes to one tag under one lock; written atomically when the block ends."""

    def __init__(self, project: Project, document: Document, view: TagView) -> None:
        self._project = project
        self.document = document
        self.view = view

    @property
    def tag(self) -> str:
        return self.view.name

    def add(self, title: str, **fields: Any) -> str:
        """Add a task (or subtask N.M of `parent=N`); returns its id as text ("7", "7.2").

        `fields` are the fields of `taskctl.core.changes.NewTask` (`priority="high"`,
        `depends_on=[3]`, ...), by name; any other name is a TypeError.
        """
        return self.add_new(NewTask(title=title, **fields))

    def add_new(self, new: NewTask) -> str:
        """`add` from a `NewTask` (or the CLI's options, which extend it)."""
        defaults = self._project.settings.tasks
        fields = fields_of(new, NewTask)
        fields["depends_on"] = _refs(new.depends_on or ())
        if new.priority is None:
            fields["priority"] = defaults.default_priority
        if new.status is None:
            fields["status"] = defaults.default_status
        return str(ops.add_task(self.view, **fields, clock=self._project.clock))

    def update(self, *ids: IdLike, **changes: Any) -> None:
        """Apply the same changes to every id given: all of them or none.

        `changes` are the fields of `taskctl.core.changes.Changes` (`status="done"`,
        `add_dependencies=[3]`, ...), by name; any other name is a TypeError.
        """
        self.apply(ids, Changes(**changes))

    def apply(self, ids: Iterable[IdLike], changes: Changes) -> None:
        """`update` from a `Changes` (or the CLI's options, which extend it)."""
        ops.update_tasks(self.view, _refs(ids), changes, clock=self._project.clock)

    def remove(self, *ids: IdLike, force: bool = False) -> list[str]:
        """Remove tasks or subtasks; returns the dependency references dropped (force)."""
        return ops.remove_tasks(self.view, _refs(ids), force=force, clock=self._project.clock)

    def get(self, task_id: IdLike) -> dict[str, Any]:
        return ops.task_dict(self.view, ops.parse_ref(task_id))


class Project:
    """A tasks file with its settings: what every command and script works on.

    `clock` stamps every change (the real clock unless given); `replaced` records each
    file a write replaced (see `Store`).
    """

    def __init__(
        self,
        location: Location,
        settings: Settings | None = None,
        *,
        clock: Clock = now_iso,
        replaced: list[Path] | None = None,
    ) -> None:
        self.location = location
        self.settings = settings or Settings()
        self.store = Store(
            location.tasks_file,
            lock_timeout=self.settings.storage.lock_timeout,
            backups=self.settings.storage.backups,
            clock=clock,
            replaced=replaced,
        )

    @property
    def clock(self) -> Clock:
        return self.store.clock

    @property
    def root(self) -> Path | None:
        return self.location.root

    @property
    def tasks_file(self) -> Path:
        return self.location.tasks_file

    # -- tags

    def tag_name(self, tag: str | None = None) -> str:
        """`tag`, else Task Master's current tag (state.json), else tasks.default_tag
        (`taskctl.core.tags`)."""
        return tags.tag_name(tag, self.location.state_file, self.settings.tasks.default_tag)

    def read_tag(self, tag: str | None = None) -> TagView | None:
        """The tag's validated view; None when it is the default tag and does not exist
        yet (a new project); NotFoundError for any other missing tag."""
        return self.tag_in(self.store.read(), tag)

    def tag_in(self, document: Document, tag: str | None = None) -> TagView | None:
        """`read_tag` on a document already read (or locked for a write)."""
        return tags.tag_to_read(
            document,
            self.tag_name(tag),
            explicit=tag is not None,
            default=self.settings.tasks.default_tag,
        )

    def writable_tag(self, document: Document, name: str) -> TagView:
        """The tag to change: the default tag is created on first use; others must exist."""
        return tags.tag_to_write(
            document, name, default=self.settings.tasks.default_tag, clock=self.clock
        )

    # -- reading

    def list(self, *, tag: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Tasks of one tag as dicts, filtered and sorted like `taskctl tasks list`.

        `filters` are the fields of `taskctl.core.changes.ListQuery` (`status="pending"`,
        `priority=["high", "critical"]`, `ready=True`, `sort="priority"`, `limit=5`,
        ...), by name; any other name is a TypeError.
        """
        query = ListQuery(**filters)
        view = self.read_tag(tag)
        if view is None:
            return []
        return ops.task_dicts(view, self.select(view, query).positions)

    def select(self, view: TagView, query: ListQuery, *, subtasks: bool = False) -> ops.Listing:
        """What `list` picks from a tag, from a `ListQuery` (or the CLI's options, which
        extend it); without a sort, tasks.sort's. `subtasks`: see `core.tasks.select`."""
        return ops.select(view, query, subtasks=subtasks, default_sort=self.settings.tasks.sort)

    def get(self, task_id: IdLike, *, tag: str | None = None) -> dict[str, Any]:
        """One task (`7`) or subtask (`7.2`) with every field."""
        view = self.store.read().tag(self.tag_name(tag))
        return ops.task_dict(view, ops.parse_ref(task_id))

    def next(self, *, tag: str | None = None) -> dict[str, Any] | None:
        """The task to work on next (Task Master's rule), or None; a subtask comes as a
        task object with the id "N.M" and `parentId`."""
        view = self.read_tag(tag)
        found = ops.next_task(view) if view is not None else None
        if view is None or found is None:
            return None
        return ops.next_dict(view, found)

    # -- writing

    @contextmanager
    def transaction(
        self, *, tag: str | None = None, command: str = "python api"
    ) -> Iterator[Transaction]:
        """Lock the file, yield a Transaction, and write once at the end (nothing on error)."""
        name = self.tag_name(tag)
        with self.store.transaction(command) as document:
            yield Transaction(self, document, self.writable_tag(document, name))

    def add(self, title: str, *, tag: str | None = None, **fields: Any) -> str:
        """Add one task in its own transaction; returns its id."""
        with self.transaction(tag=tag, command=f"api add {title!r}") as tx:
            return tx.add(title, **fields)

    def update(self, *ids: IdLike, tag: str | None = None, **changes: Any) -> None:
        """Change tasks in one transaction: all of them or none."""
        with self.transaction(tag=tag, command="api update") as tx:
            tx.update(*ids, **changes)


def open_project(
    project: str | os.PathLike[str] | None = None,
    *,
    overrides: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Project:
    """Open the project at `project` (else TASKCTL_PROJECT, else found upwards from the
    current folder, else the personal store), with its resolved configuration."""
    from taskctl.core.config.sources import resolve, trusted_safe_directories  # noqa: PLC0415

    env = os.environ if environ is None else environ
    location = locate(
        project, environ=env, safe_directories=lambda: trusted_safe_directories(overrides, env)
    )
    resolved = resolve(location.root, overrides, env)
    return Project(location, resolved.settings)
