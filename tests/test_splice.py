"""Writes splice changed tasks into the original bytes; the result must be exactly what
re-encoding and re-indenting the whole document gives (the reference writer)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskctl.core import tasks as ops
from taskctl.core.document import Document
from taskctl.core.errors import TaskctlError
from taskctl.core.fs import now_iso
from tests import taskmaster
from tests.conftest import HERE
from tests.test_layouts import assert_laid_out_like, laid_out, tag_bytes

QUIRKS = (HERE / "data" / "quirks.json").read_bytes()

operation = st.one_of(
    st.tuples(st.just("add"), st.text(min_size=1, max_size=20).filter(str.strip)),
    st.tuples(st.just("status"), st.integers(0, 6), st.sampled_from(["done", "review", "pending"])),
    st.tuples(st.just("remove"), st.integers(0, 6)),
    st.tuples(
        st.just("subtask"), st.integers(0, 6), st.text(min_size=1, max_size=10).filter(str.strip)
    ),
    st.tuples(st.just("details"), st.integers(0, 6), st.text(max_size=30)),
)


def _apply(document: Document, tag: str, op: tuple[object, ...]) -> None:
    view = document.tag(tag)
    ids = [ops.as_int(t.id) for t in view.tasks]
    kind = op[0]
    try:
        if kind == "add":
            ops.add_task(view, title=str(op[1]), priority="medium", status="pending", clock=now_iso)
        elif not ids:
            return
        elif kind == "status":
            ref = ops.Ref(ids[int(op[1]) % len(ids)])  # type: ignore[call-overload]
            ops.update_tasks(view, [ref], ops.Changes(status=str(op[2])), clock=now_iso)
        elif kind == "remove":
            ops.remove_tasks(view, [ops.Ref(ids[int(op[1]) % len(ids)])], force=True, clock=now_iso)  # type: ignore[call-overload]
        elif kind == "subtask":
            parent = ids[int(op[1]) % len(ids)]  # type: ignore[call-overload]
            ops.add_task(
                view,
                title=str(op[2]),
                priority="low",
                status="pending",
                parent=parent,
                clock=now_iso,
            )
        elif kind == "details":
            ref = ops.Ref(ids[int(op[1]) % len(ids)])  # type: ignore[call-overload]
            ops.update_tasks(view, [ref], ops.Changes(details=str(op[2])), clock=now_iso)
    except TaskctlError:
        pass  # e.g. an ambiguous id in the quirky file: the command would refuse too


# QUIRKS as Task Master wrote it (no final newline), and as other writers lay it out.
LAYOUTS = {**laid_out(json.loads(QUIRKS)), "task-master": QUIRKS}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(operation, min_size=1, max_size=6),
    st.sampled_from(["master", "other"]),
    st.sampled_from(sorted(LAYOUTS)),
)
def test_splice_equals_full_reencode(
    operations: list[tuple[object, ...]], tag: str, layout: str
) -> None:
    original = LAYOUTS[layout]
    document = Document(Path("tasks.json"), original, (0, 0, 0))
    for op in operations:
        _apply(document, tag, op)
    spliced = document.serialize()
    assert spliced == document.serialize(splice=False)
    json.loads(spliced)
    assert_laid_out_like(spliced, original)


def test_splice_is_used_on_task_masters_file() -> None:
    data = taskmaster.tasks_path("made").read_bytes()
    document = Document(Path("tasks.json"), data, (0, 0, 0))
    view = document.tag("feature-x")  # master's tasks occur twice: "snapshot" copies them
    ops.update_tasks(view, [ops.Ref(1)], ops.Changes(status="review"), clock=now_iso)
    ops.add_task(view, title="new", priority="high", status="pending", clock=now_iso)
    plan = view.splice_edits(data)
    assert plan is not None
    assert len(plan) == 2
    assert document.serialize() == document.serialize(splice=False)


def test_every_layout_is_spliced_and_kept() -> None:
    for name, original in LAYOUTS.items():
        document = Document(Path("tasks.json"), original, (0, 0, 0))
        view = document.tag("master")
        ops.update_tasks(view, [ops.Ref(1)], ops.Changes(status="review"), clock=now_iso)
        ops.add_task(view, title="new", priority="high", status="pending", clock=now_iso)
        assert view.splice_edits(original) is not None, name
        out = document.serialize()
        assert out == document.serialize(splice=False), name
        assert_laid_out_like(out, original)
        # The other tag, untouched, is byte for byte as it was.
        assert tag_bytes(out, "other") == tag_bytes(original, "other"), name


def test_a_file_that_is_not_laid_out_consistently_is_re_encoded() -> None:
    # The first line says 4 spaces, the tasks are at 2-space indents: not spliced.
    mixed = QUIRKS.replace(b'{\n  "master"', b'{\n    "master"', 1)
    document = Document(Path("tasks.json"), mixed, (0, 0, 0))
    view = document.tag("master")
    ops.update_tasks(view, [ops.Ref(1)], ops.Changes(status="review"), clock=now_iso)
    assert view.splice_edits(mixed) is None
    out = document.serialize()
    assert out == document.serialize(splice=False)
    assert out.startswith(b'{\n    "master": {\n        "tasks": [\n')  # 4 spaces throughout


def test_removals_and_edits_are_spliced() -> None:
    for target in (1, 3):
        document = Document(Path("tasks.json"), QUIRKS, (0, 0, 0))
        view = document.tag("master")
        ops.remove_tasks(view, [ops.Ref(target)], force=True, clock=now_iso)
        assert view.splice_edits(QUIRKS) is not None, target
        assert document.serialize() == document.serialize(splice=False)
