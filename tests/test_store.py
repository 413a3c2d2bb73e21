"""The data access layer: lossless round trips, atomic writes, locking, refusal of bad data."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from taskctl.core import tasks as ops
from taskctl.core.document import read_document
from taskctl.core.errors import DataError, LockTimeoutError, NotFoundError
from taskctl.core.fs import now_iso
from taskctl.core.store import Store
from tests import taskmaster
from tests.conftest import HERE

QUIRKS = HERE / "data" / "quirks.json"


def _copy(src: Path, tmp_path: Path, name: str = "tasks.json") -> Path:
    dst = tmp_path / name
    shutil.copyfile(src, dst)
    return dst


def _diff(before: bytes, after: bytes) -> list[str]:
    """Changed lines only, as +/- lines of a unified diff."""
    lines = difflib.unified_diff(
        before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0
    )
    return [x for x in lines if x[:1] in "+-" and not x.startswith(("+++", "---"))]


def _changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    a, b = before.decode().splitlines(), after.decode().splitlines()
    assert len(a) == len(b), "a one-field change must not add or remove lines"
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


# --------------------------------------------------------------------------- round trips


# The flat layout is converted to the tagged one by a write, by design.
@pytest.mark.parametrize("name", [c for c in taskmaster.cases() if c != "flat"])
def test_unchanged_serialisation_is_byte_identical(name: str) -> None:
    path = taskmaster.tasks_path(name)
    document = read_document(path)
    for tag in document.tag_names:
        document.tag(tag).dirty = True  # force every tag through the encoder
    assert document.serialize() == path.read_bytes()


def test_status_change_on_task_masters_own_file_is_a_small_diff(tmp_path: Path) -> None:
    path = _copy(taskmaster.tasks_path("made"), tmp_path)
    before = path.read_bytes()
    store = Store(path)
    with store.transaction("test") as document:
        view = document.tag("feature-x")
        ops.update_tasks(view, [ops.Ref(1)], ops.Changes(status="review"), clock=now_iso)
    after = path.read_bytes()
    diff = _diff(before, after)
    removed = [x[1:] for x in diff if x.startswith("-")]
    added = [x[1:] for x in diff if x.startswith("+")]
    # the status line, plus a comma on the line before the new updatedAt (as Task Master does)
    assert removed == ['        "status": "pending",', '        "subtasks": []']
    assert added[:2] == ['        "status": "review",', '        "subtasks": [],']
    assert added[2].startswith('        "updatedAt": "20')
    assert len(added) == 3
    # every other tag is byte-for-byte the same
    old, new = json.loads(before), json.loads(after)
    for tag in old:
        if tag != "feature-x":
            assert old[tag] == new[tag]
    assert old.keys() == new.keys()
    assert not after.endswith(b"\n")  # Task Master writes no trailing newline; neither do we


def test_cli_made_file_survives_add_update_remove(tmp_path: Path) -> None:
    path = _copy(taskmaster.tasks_path("made"), tmp_path)
    original = json.loads(path.read_bytes())
    store = Store(path)
    with store.transaction("add") as document:
        ref = ops.add_task(
            document.tag("master"), title="New", priority="high", status="pending", clock=now_iso
        )
    with store.transaction("update") as document:
        ops.update_tasks(
            document.tag("master"), [ops.Ref(2, 1)], ops.Changes(status="done"), clock=now_iso
        )
    with store.transaction("remove") as document:
        ops.remove_tasks(document.tag("master"), [ref], force=False, clock=now_iso)
    final = json.loads(path.read_bytes())
    assert final["feature-x"] == original["feature-x"]
    sub = final["master"]["tasks"][1]["subtasks"][0]
    assert sub["status"] == "done"
    assert sub["parentId"] == "undefined"  # an unmodelled (and odd) field survives
    assert sub["parentTaskId"] == 2
    # the unchanged tasks are exactly as they were
    assert final["master"]["tasks"][0] == original["master"]["tasks"][0]
    assert final["master"]["tasks"][2] == original["master"]["tasks"][2]


def test_quirky_file_reads_and_untouched_quirks_survive_a_write(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    before = path.read_bytes()
    store = Store(path)
    view = store.read().tag("master")
    assert [ops.as_int(t.id) for t in view.tasks] == [1, 2, 3]
    codes = {p.code for p in ops.validate(view)}
    assert {"duplicate_id", "missing_dependency"} <= codes
    with store.transaction("t") as document:
        ops.update_tasks(
            document.tag("master"), [ops.Ref(1)], ops.Changes(priority="low"), clock=now_iso
        )
    changed = _changed_lines(
        before, path.read_bytes().replace(b',\n        "updatedAt": "', b"XX", 0)
    )
    assert len([c for c in changed if "priority" in c[0]]) == 1
    after = json.loads(path.read_bytes())
    assert after["master"]["tasks"][1]["id"] == "2"  # not touched, not rewritten
    assert after["master"]["tasks"][1]["subtasks"][1]["acceptanceCriteria"] == "keep me"
    assert after["other"] == json.loads(before)["other"]
    assert b"\\u00e9 stays" in path.read_bytes()  # escapes kept as written


def test_flat_layout_is_read_as_master_and_converted_only_by_a_write(tmp_path: Path) -> None:
    path = _copy(HERE / "data" / "flat.json", tmp_path)
    before = path.read_bytes()
    store = Store(path)
    document = store.read()
    assert document.flat
    assert document.tag("master").tasks[0].title == "Flat one"
    assert path.read_bytes() == before  # a read converts nothing
    with store.transaction("add") as document:
        ops.add_task(
            document.tag("master"),
            title="Second",
            priority="medium",
            status="pending",
            clock=now_iso,
        )
    data = json.loads(path.read_bytes())
    assert list(data) == ["master"]
    assert [t["title"] for t in data["master"]["tasks"]] == ["Flat one", "Second"]
    assert data["master"]["meta"] == {"projectName": "old"}  # nothing dropped


# --------------------------------------------------------------------------- refusing bad data


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b'{"master": {"tasks": [', "not valid JSON"),
        (
            b'<<<<<<< HEAD\n{"master": {"tasks": []}}\n=======\n{}\n>>>>>>> x\n',
            "conflict markers (line 1)",
        ),
        (b'\xef\xbb\xbf{"master": {"tasks": []}}', "byte-order mark"),
        (b'{"master": {"tasks": [{"id": 1, "title": 5}]}}', "$.tasks[0].title"),
        (b'{"master": {"tasks": [{"id": "1.2.3", "title": "x"}]}}', "$.tasks[0].id"),
        (b'{"master": {"tasks": [{"id": -1, "title": "x"}]}}', "$.tasks[0].id"),
        (b'{"master": {"tasks": [{"id": 1, "title": NaN}]}}', "NaN and Infinity are not JSON"),
    ],
)
def test_bad_files_are_refused_and_left_alone(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "tasks.json"
    path.write_bytes(content)
    store = Store(path)
    with pytest.raises(DataError) as info:
        store.read().tag("master")
    assert needle in str(info.value)
    assert str(path) in str(info.value)
    with pytest.raises(DataError), store.transaction("add") as document:
        ops.add_task(
            document.tag("master"), title="x", priority="medium", status="pending", clock=now_iso
        )
    assert path.read_bytes() == content


def test_truncated_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    path.write_bytes(b'{\n  "master": {\n    "tasks": [\n      {"id": 1,, "title": "x"}\n')
    with pytest.raises(DataError, match="line 4"):
        read_document(path)


def test_unknown_tag_is_not_found(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    with pytest.raises(NotFoundError, match=r"tag 'nope' not found.*master, other"):
        Store(path).read().tag("nope")


# --------------------------------------------------------------------------- atomicity


def test_write_failure_leaves_file_and_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(QUIRKS, tmp_path)
    before = path.read_bytes()
    real_write = os.write

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    store = Store(path, backups=0)
    with pytest.raises(DataError, match="no space left"), store.transaction("add") as document:
        ops.add_task(
            document.tag("master"), title="x", priority="medium", status="pending", clock=now_iso
        )
    monkeypatch.setattr(os, "write", real_write)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tasks.json.taskctl-lock", "tasks.json"]


def test_mode_is_kept_and_symlink_stays_a_link(tmp_path: Path) -> None:
    real = _copy(QUIRKS, tmp_path, "real.json")
    real.chmod(0o640)
    link = tmp_path / "tasks.json"
    link.symlink_to(real)
    with Store(link).transaction("add") as document:
        ops.add_task(
            document.tag("master"), title="x", priority="medium", status="pending", clock=now_iso
        )
    assert link.is_symlink()
    assert (real.stat().st_mode & 0o777) == 0o640
    assert json.loads(real.read_bytes())["master"]["tasks"][-1]["title"] == "x"


def test_leftover_temp_files_are_cleaned_by_the_next_write(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    stale = tmp_path / ".tasks.json.taskctl-tmp-12345-abc"
    stale.write_bytes(b"half a file")
    with Store(path).transaction("add") as document:
        ops.add_task(
            document.tag("master"), title="x", priority="medium", status="pending", clock=now_iso
        )
    assert not stale.exists()


# --------------------------------------------------------------------------- cache


def test_cache_is_revalidated_by_stat(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    store = Store(path)
    first = store.read()
    assert store.read() is first  # unchanged: the same parsed document
    other = Store(path)
    with other.transaction("add") as document:
        ops.add_task(
            document.tag("master"),
            title="from elsewhere",
            priority="medium",
            status="pending",
            clock=now_iso,
        )
    fresh = store.read()
    assert fresh is not first
    assert fresh.tag("master").tasks[-1].title == "from elsewhere"


def test_own_write_updates_the_cache(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    store = Store(path)
    with store.transaction("add") as document:
        ops.add_task(
            document.tag("master"), title="mine", priority="medium", status="pending", clock=now_iso
        )
    cached = store.read()
    assert cached.tag("master").tasks[-1].title == "mine"
    assert store.read() is cached


# --------------------------------------------------------------------------- locking

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from taskctl.core.store import Store
    store = Store(Path(sys.argv[1]))
    with store.transaction("hold"):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_writer_waits_for_the_lock_then_times_out(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    before = path.read_bytes()
    holder = _hold_lock(path, 5)
    try:
        start = time.monotonic()
        with (
            pytest.raises(LockTimeoutError, match=str(path)),
            Store(path, lock_timeout=0.3).transaction("x"),
        ):
            pass
        assert time.monotonic() - start >= 0.3
    finally:
        holder.kill()
        holder.wait()
    assert path.read_bytes() == before


def test_writer_waits_while_lock_is_held_then_proceeds(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    holder = _hold_lock(path, 0.5)
    with Store(path, lock_timeout=10).transaction("x") as document:
        ops.add_task(
            document.tag("master"),
            title="after",
            priority="medium",
            status="pending",
            clock=now_iso,
        )
    holder.wait()
    assert json.loads(path.read_bytes())["master"]["tasks"][-1]["title"] == "after"


def test_fresh_taskmaster_lock_is_waited_for_and_stale_one_removed(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    tm_lock = tmp_path / "tasks.json.lock"
    tm_lock.write_text("{}")
    with (
        pytest.raises(LockTimeoutError, match="Task Master"),
        Store(path, lock_timeout=0.2).transaction("x"),
    ):
        pass
    old = time.time() - 11
    os.utime(tm_lock, (old, old))
    with Store(path, lock_timeout=0.2).transaction("x") as document:
        ops.add_task(
            document.tag("master"), title="ok", priority="medium", status="pending", clock=now_iso
        )
    assert not tm_lock.exists()  # never left behind


# --------------------------------------------------------------------------- backups


def test_backups_are_kept_pruned_and_undo_restores(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    original = path.read_bytes()
    store = Store(path, backups=3)
    versions = [original]
    for n in range(5):
        with store.transaction(f"add {n}") as document:
            ops.add_task(
                document.tag("master"),
                title=f"t{n}",
                priority="medium",
                status="pending",
                clock=now_iso,
            )
        versions.append(path.read_bytes())
    history = store.history()
    assert [b.command for b in history] == ["add 4", "add 3", "add 2"]
    assert len(list((tmp_path / "backups").iterdir())) == 6  # 3 versions + 3 meta files
    store.restore(None, "undo")
    assert path.read_bytes() == versions[4]
    store.restore(None, "undo")  # undoing the undo
    assert path.read_bytes() == versions[5]
    oldest = store.history()[-1]  # pruned to 3: the undo entries pushed older ones out
    assert [b.command for b in store.history()] == ["undo", "undo", "add 4"]
    assert oldest.command == "add 4"
    store.restore(oldest.id, "undo --to")
    assert path.read_bytes() == versions[4]  # the version "add 4" replaced


def test_failed_backup_aborts_the_write(tmp_path: Path) -> None:
    path = _copy(QUIRKS, tmp_path)
    before = path.read_bytes()
    (tmp_path / "backups").write_text("a file where the folder should be")
    with pytest.raises(DataError), Store(path).transaction("add") as document:
        ops.add_task(
            document.tag("master"), title="x", priority="medium", status="pending", clock=now_iso
        )
    assert path.read_bytes() == before


def test_id_lookup_follows_appends_removals_and_renumbering(tmp_path: Path) -> None:
    """TagView builds its id -> position map once; every change of ids refreshes it."""
    path = tmp_path / "tasks.json"
    tasks = [{"id": i, "title": f"T{i}", "status": "pending"} for i in (1, 2, 2)]
    path.write_text(json.dumps({"master": {"tasks": tasks}}))
    view = read_document(path).tag("master")
    assert (view.index_of(2), view.carriers(2), view.carriers(7)) == (1, 2, 0)
    with view.editing(2) as item:
        item["id"] = 3
    assert (view.index_of(3), view.carriers(2)) == (2, 1)
    view.append({"id": 4, "title": "T4", "status": "pending"})
    assert view.index_of(4) == 3
    view.remove({0})
    assert (view.index_of(4), view.carriers(1)) == (2, 0)
    with pytest.raises(NotFoundError):
        view.index_of(1)


def test_a_task_is_changed_in_one_step_and_validated_when_it_ends(tmp_path: Path) -> None:
    """`TagView.editing`: the typed view follows the dict when the block ends, and not
    when the block raises (its transaction then writes nothing)."""
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps({"master": {"tasks": [{"id": 1, "title": "T", "status": "x"}]}}))
    store = Store(path)
    with store.transaction("edit") as document:
        view = document.tag("master")
        with view.editing(0) as item:
            item["status"] = "done"
            assert view.tasks[0].status == "x"
        assert (view.tasks[0].status, view.dirty) == ("done", True)
    assert json.loads(path.read_text())["master"]["tasks"][0]["status"] == "done"
    before = path.read_bytes()

    def change_then_fail() -> None:
        with store.transaction("edit") as document:
            nonlocal view
            view = document.tag("master")
            with view.editing(0) as item:
                item["status"] = "pending"
                raise ValueError

    with pytest.raises(ValueError):
        change_then_fail()
    assert view.tasks[0].status == "done"
    assert path.read_bytes() == before
