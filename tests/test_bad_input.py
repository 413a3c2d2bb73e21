"""Bad input, one test each: the documented exit code, one line naming the problem, no
traceback, and a tasks file that is byte-identical afterwards.

Every case runs the real `taskctl` as a process; a refused file is also put through
every other command, in-process for speed. Cases root cannot cause (an unreadable file,
a read-only folder, a full disk) are injected into the process: see tests/faults.py.
Files that fail to parse or validate are refused by every command (exit 4); problems a
readable file can hold (duplicate ids, dangling dependencies, cycles: Task Master's own
file has them) are reported by `tasks validate` (exit 4), and a change that would
create one is refused (exit 2).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taskctl.cli.app import app
from tests.cli_process import (
    RAW_CONTROL,
    assert_refused,
    document,
    make_project,
    ok,
    task,
    taskctl,
    tasks_file,
)

WIDE = {"COLUMNS": "300"}  # rich wraps a table to the terminal: keep titles on one line
GOOD = document(task(1), task(2, dependencies=[1]))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with two valid tasks."""
    return make_project(tmp_path / "proj", GOOD)


def _sweep(root: Path, code: int, needle: str) -> None:
    """Every command that reads the file refuses it the same way (in-process: fast)."""
    runner = CliRunner()
    for args in (
        ["tasks", "list"],
        ["tasks", "list", "--json"],
        ["tasks", "show", "1"],
        ["tasks", "next"],
        ["tasks", "validate"],
        ["tasks", "add", "x"],
        ["tasks", "update", "1", "--status", "done"],
        ["tasks", "remove", "1", "--yes"],
    ):
        result = runner.invoke(app, ["--project", str(root), *args])
        assert result.exit_code == code, (args, result.stderr, result.exception)
        lines = result.stderr.splitlines()
        assert needle in lines[0], (args, result.stderr)
        assert len(lines) == 1, (args, result.stderr)  # with --json: the error object alone


# --------------------------------------------------------------------------- files refused

NESTED = b'{"master": {"tasks": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
REFUSED = {
    "empty-file": (b"", "is empty, not JSON"),
    "whitespace-only": (b" \n\n", "is empty, not JSON"),
    "truncated-json": (
        b'{\n  "master": {\n    "tasks": [\n      {"id": 1, "title": "x"},\n',
        "is not valid JSON: Input data was truncated",
    ),
    "git-conflict-markers": (
        (
            b'{\n  "master": {\n<<<<<<< HEAD\n    "tasks": []\n=======\n    "tasks": [{"id": 1}]\n'
            b">>>>>>> feature\n  }\n}\n"
        ),
        "contains git conflict markers (line 3)",
    ),
    "utf8-byte-order-mark": (
        b"\xef\xbb\xbf" + GOOD.encode(),
        "starts with a UTF-8 byte-order mark",
    ),
    "nan": (
        b'{"master": {"tasks": [{"id": 1, "title": "x", "complexity": NaN}]}}',
        "is not valid JSON at line 1, column 61",
    ),
    "infinity": (
        b'{"master": {"tasks": [{"id": 1, "title": "x", "complexity": Infinity}]}}',
        "is not valid JSON at line 1, column 61",
    ),
    "invalid-utf8-in-a-title": (
        b'{\n"master": {"tasks": [{"id": 1, "title": "caf\xe9"}]}}',
        "is not valid UTF-8 at line 2, column 45",
    ),
    "invalid-utf8-in-a-key": (b'{"mast\xffer": {"tasks": []}}', "is not valid UTF-8"),
    "invalid-utf8-in-an-unmodelled-field": (
        b'{"master": {"tasks": [{"id": 1, "title": "x", "notes": "\xc3("}]}}',
        "is not valid UTF-8 at line 1, column 57",
    ),
    "nul-byte": (b'{"master": {"tasks": [{"id": 1, "title": "a\x00b"}]}}', "is not valid JSON"),
    "trailing-garbage": (GOOD.encode() + b"\n}", "trailing characters"),
    "nested-100000-deep": (NESTED, "nested too deeply"),
    "top-level-array": (b"[]", "Expected `object`, got `array`"),
    "tag-is-a-number": (b'{"master": 5}', "tag 'master' fails validation"),
    "tasks-is-an-object": (b'{"master": {"tasks": {}}}', "Expected `array`, got `object`"),
    "title-is-a-number": (b'{"master": {"tasks": [{"id": 1, "title": 5}]}}', "$.tasks[0].title"),
    "status-is-a-list": (
        b'{"master": {"tasks": [{"id": 1, "title": "x", "status": []}]}}',
        "$.tasks[0].status",
    ),
    "title-missing": (b'{"master": {"tasks": [{"id": 1}]}}', "missing required field `title`"),
    "id-1.2.3": (
        b'{"master": {"tasks": [{"id": "1.2.3", "title": "x"}]}}',
        "$.tasks[0].id` (task id '1.2.3', position 1)",
    ),
    "id-negative": (
        b'{"master": {"tasks": [{"id": -1, "title": "x"}]}}',
        "$.tasks[0].id` (task id -1, position 1)",
    ),
    "id-zero": (b'{"master": {"tasks": [{"id": 0, "title": "x"}]}}', "$.tasks[0].id"),
    "id-fraction": (b'{"master": {"tasks": [{"id": 1.5, "title": "x"}]}}', "$.tasks[0].id"),
    "dependency-not-an-id": (
        b'{"master": {"tasks": [{"id": 1, "title": "x", "dependencies": ["soon"]}]}}',
        "$.tasks[0].dependencies[0]",
    ),
    "subtask-id-1.2.3": (
        (
            b'{"master": {"tasks": [{"id": 1, "title": "x",'
            b' "subtasks": [{"id": "1.2.3", "title": "y"}]}]}}'
        ),
        "$.tasks[0].subtasks[0].id",
    ),
}


@pytest.mark.parametrize(("content", "needle"), list(REFUSED.values()), ids=list(REFUSED))
def test_bad_file_is_refused_and_left_alone(tmp_path: Path, content: bytes, needle: str) -> None:
    root = make_project(tmp_path / "proj", content)
    path = tasks_file(root)
    assert_refused(taskctl(root, "tasks", "add", "new task"), 4, str(path), needle)
    _sweep(root, 4, needle)
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == [
        ".tasks.json.taskctl-lock",
        "tasks.json",
    ]  # no temp file, no backup, no Task Master lock left


def test_undo_puts_back_the_last_good_version_over_a_corrupt_file(root: Path) -> None:
    """The hint of every exit 4 names `taskctl tasks undo`: it must work on a corrupt
    file, and keep the corrupt version as a backup in turn."""
    ok(root, "tasks", "add", "third")
    good = tasks_file(root).read_bytes()
    ok(root, "tasks", "update", "3", "--status", "done")
    tasks_file(root).write_bytes(b'{"master": {"tasks": [')  # broken by hand
    assert_refused(taskctl(root, "tasks", "list"), 4, "not valid JSON")
    ok(root, "tasks", "undo")
    assert tasks_file(root).read_bytes() == good
    # The corrupt version was kept as a backup, but is never put back over good data.
    assert ok(root, "tasks", "history", "--json").json()[0]["command"] == "tasks undo"
    assert_refused(taskctl(root, "tasks", "undo"), 4, "not valid JSON")
    assert tasks_file(root).read_bytes() == good


# --------------------------------------------------------------------------- readable problems


@pytest.mark.parametrize(
    ("tasks", "needle"),
    [
        pytest.param([task(1), task(1, "again")], "task id 1 is used 2 times", id="duplicate-ids"),
        pytest.param(
            [task(1, dependencies=[9])],
            "task 1 depends on 9, which does not exist",
            id="dangling-dependency",
        ),
        pytest.param(
            [task(1, dependencies=[3]), task(2, dependencies=[1]), task(3, dependencies=[2])],
            "dependency cycle: 1 -> 3 -> 2 -> 1",
            id="dependency-cycle",
        ),
        pytest.param([task(1, status="wip")], "unknown status 'wip'", id="unknown-status"),
    ],
)
def test_problems_in_a_readable_file_are_reported_by_validate(
    tmp_path: Path, tasks: list[dict[str, object]], needle: str
) -> None:
    root = make_project(tmp_path / "proj", document(*tasks))
    before = tasks_file(root).read_bytes()
    assert len(ok(root, "tasks", "list", "--json").json()) == len(tasks)
    result = taskctl(root, "tasks", "validate")
    assert result.returncode == 4, result
    assert "Traceback" not in result.stderr
    assert any(needle in line for line in result.stdout.splitlines()), result
    assert "problem(s) in" in result.stderr
    assert tasks_file(root).read_bytes() == before
    # a write elsewhere keeps the problem tasks exactly as they are
    ok(root, "tasks", "add", "unrelated")
    after = json.loads(tasks_file(root).read_bytes())["master"]["tasks"]
    assert after[: len(tasks)] == tasks


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(
            ("add", "x", "--depends-on", "9"),
            "cannot depend on 9: no such task in tag 'master'",
            id="new-dangling-dependency",
        ),
        pytest.param(
            ("update", "1", "--add-dependency", "2"),
            "dependency 1 -> 2 would make a cycle: 1 -> 2 -> 1",
            id="new-dependency-cycle",
        ),
        pytest.param(
            ("update", "1", "--add-dependency", "1"),
            "task 1 cannot depend on itself",
            id="new-self-dependency",
        ),
        pytest.param(("show", "1.2.3"), "invalid task id '1.2.3'", id="argument-id-1.2.3"),
        pytest.param(
            ("update", "--status", "done", "--", "-1"),
            "invalid task id '-1'",
            id="argument-id-negative",
        ),
        pytest.param(
            ("update", "1", "--status", "finished"),
            "unknown status 'finished'",
            id="unknown-status-value",
        ),
    ],
)
def test_refused_change_exits_2_and_writes_nothing(
    root: Path, args: tuple[str, ...], needle: str
) -> None:
    before = tasks_file(root).read_bytes()
    assert_refused(taskctl(root, "tasks", *args), 2, needle)
    assert tasks_file(root).read_bytes() == before


def test_negative_id_without_double_dash_is_a_usage_error(root: Path) -> None:
    """`-1` reads as an option: click's usage error, exit 2, still no traceback."""
    before = tasks_file(root).read_bytes()
    result = taskctl(root, "tasks", "show", "-1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: No such option: -1"
    assert tasks_file(root).read_bytes() == before


def test_missing_task_is_exit_3(root: Path) -> None:
    before = tasks_file(root).read_bytes()
    assert_refused(
        taskctl(root, "tasks", "update", "99", "--status", "done"), 3, "task 99 not found"
    )
    assert tasks_file(root).read_bytes() == before


# --------------------------------------------------------------------------- the file system


def test_tasks_path_is_a_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj")
    tasks_file(root).mkdir()
    for args in (("tasks", "list"), ("tasks", "add", "x")):
        assert_refused(taskctl(root, *args), 4, f"{tasks_file(root)} is a folder, not a tasks file")
    assert tasks_file(root).is_dir()
    assert list(tasks_file(root).iterdir()) == []


def test_unreadable_file_injected(root: Path) -> None:
    path = tasks_file(root)
    before = path.read_bytes()
    env = {"FAULT_TASKS_FILE": str(path)}
    for args in (("tasks", "list"), ("tasks", "add", "x"), ("tasks", "update", "1", "-s", "done")):
        run = taskctl(root, *args, fault="unreadable_file", env=env)
        assert_refused(run, 4, f"cannot read {path}: permission denied")
    assert path.read_bytes() == before


def _read_only_cases(root: Path) -> list[tuple[str, ...]]:
    ok(root, "tasks", "add", "third")  # so that there is a backup to undo to
    return [("tasks", "add", "x"), ("tasks", "update", "1", "-s", "done"), ("tasks", "undo")]


@pytest.mark.parametrize("lock_exists", [False, True], ids=["first-write", "lock-file-exists"])
def test_read_only_folder_injected(root: Path, lock_exists: bool) -> None:
    cases = _read_only_cases(root)
    path = tasks_file(root)
    if not lock_exists:
        (path.parent / ".tasks.json.taskctl-lock").unlink()
    before = path.read_bytes()
    listing = sorted(p.name for p in path.parent.iterdir())
    env = {"FAULT_TASKS_FILE": str(path)}
    for args in cases:
        run = taskctl(root, *args, fault="read_only_folder", env=env)
        assert_refused(run, 4, str(path), "Permission denied")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == listing
    assert ok(root, "tasks", "list", "--json").json()[2]["title"] == "third"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes; the injected twin runs")
def test_read_only_folder_and_unreadable_file_for_real(root: Path) -> None:
    path = tasks_file(root)
    cases = _read_only_cases(root)
    before = path.read_bytes()
    path.parent.chmod(0o555)
    try:
        for args in cases:
            assert_refused(taskctl(root, *args), 4, str(path))
    finally:
        path.parent.chmod(0o755)
    path.chmod(0o000)
    try:
        assert_refused(taskctl(root, "tasks", "list"), 4, "permission denied")
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


def test_symlinked_tasks_file_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "tasks.json"
    shared.parent.mkdir()
    shared.write_text(GOOD)
    shared.chmod(0o640)
    root = make_project(tmp_path / "proj")
    link = tasks_file(root)
    link.symlink_to(os.path.relpath(shared, link.parent))
    target = os.readlink(link)
    ok(root, "tasks", "add", "through the link")
    assert link.is_symlink()
    assert os.readlink(link) == target
    assert json.loads(shared.read_bytes())["master"]["tasks"][-1]["title"] == "through the link"
    assert shared.stat().st_mode & 0o777 == 0o640
    ok(root, "tasks", "undo")
    assert link.is_symlink()
    assert shared.read_text() == GOOD


# --------------------------------------------------------------------------- odd titles


def test_one_megabyte_title_is_data_and_survives(root: Path) -> None:
    """Titles have no length limit (Task Master has none): a 1 MB title is stored,
    listed and exported exactly, and a write elsewhere leaves its bytes alone. (A 1 MB
    argument cannot pass through exec, so the add runs in-process.)"""
    title = "x" * (1 << 20)
    args = ["--project", str(root), "tasks", "add", title, "-d", "short", "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "3\n"
    raw_title = json.dumps(title).encode()
    assert tasks_file(root).read_bytes().count(raw_title) == 1
    assert ok(root, "tasks", "show", "3", "--json").json()["title"] == title
    ok(root, "tasks", "update", "1", "--status", "done")
    assert tasks_file(root).read_bytes().count(raw_title) == 1
    plain = ok(root, "tasks", "list").stdout.splitlines()
    assert plain[3].endswith(title)


def test_control_characters_and_ansi_in_a_title_are_stored_exactly_and_shown_escaped(
    root: Path,
) -> None:
    title = "evil \x1b[2J\x1b]0;pwned\x07 \r\x08\x7f\x9b31m end"
    ok(root, "tasks", "add", title)
    assert json.loads(tasks_file(root).read_bytes())["master"]["tasks"][2]["title"] == title
    assert ok(root, "tasks", "show", "3", "--json").json()["title"] == title
    for args in (("tasks", "list"), ("tasks", "show", "3"), ("tasks", "list", "-f", "table")):
        out = ok(root, *args, env=WIDE).stdout
        assert not RAW_CONTROL.search(out), (args, out)
        assert "evil \\x1b[2J\\x1b]0;pwned\\x07 \\x0d\\x08\\x7f\\x9b31m end" in out


def test_rich_markup_in_a_title_is_shown_literally(root: Path) -> None:
    title = "[bold red]not bold[/] [link=https://example.com]x[/link] :smile:"
    ok(root, "tasks", "add", title)
    for args in (("tasks", "list", "-f", "table"), ("tasks", "list"), ("tasks", "show", "3")):
        assert title in ok(root, *args, env=WIDE).stdout, args
    colored = ok(root, "-c", "output.color=always", "tasks", "list", "-f", "table", env=WIDE).stdout
    assert title in colored
    assert "\x1b]8;" not in colored  # no hyperlink was made from the title


# --------------------------------------------------------------------------- writes that fail


@pytest.mark.parametrize("fault", ["disk_full_mid_write", "disk_full_at_fsync"])
def test_disk_full_during_a_write_changes_nothing(root: Path, fault: str) -> None:
    ok(root, "tasks", "add", "third")
    path = tasks_file(root)
    before = path.read_bytes()
    history = ok(root, "tasks", "history", "--json").json()
    listing = sorted(p.name for p in path.parent.iterdir())
    run = taskctl(root, "tasks", "add", "fourth", fault=fault)
    assert_refused(run, 4, f"cannot write {path}: no space left on the device")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == listing  # no temp file left
    # no backup of a write that did not happen: undo still undoes "third"
    assert ok(root, "tasks", "history", "--json").json() == history
    ok(root, "tasks", "undo")
    assert [t["title"] for t in ok(root, "tasks", "list", "--json").json()] == [
        "Task 1",
        "Task 2",
    ]


def test_backup_that_cannot_be_written_aborts_the_write(root: Path) -> None:
    path = tasks_file(root)
    before = path.read_bytes()
    run = taskctl(root, "tasks", "add", "x", fault="disk_full_in_backups")
    assert_refused(run, 4, f"cannot write {path}: no space left on the device")
    assert path.read_bytes() == before
    assert ok(root, "tasks", "history", "--json").json() == []


def test_backups_path_taken_by_a_file_aborts_the_write(root: Path) -> None:
    path = tasks_file(root)
    before = path.read_bytes()
    (path.parent / "backups").write_text("not a folder")
    assert_refused(taskctl(root, "tasks", "add", "x"), 4, f"cannot write {path}")
    assert path.read_bytes() == before


def test_undo_refuses_a_backup_that_fails_validation(root: Path) -> None:
    ok(root, "tasks", "add", "third")
    path = tasks_file(root)
    before = path.read_bytes()
    backups = path.parent / "backups"
    (backup,) = [p for p in backups.iterdir() if not p.name.endswith(".meta")]
    backup.unlink()  # a hard link to the old file: replace, do not edit in place
    backup.write_bytes(b'{"master": {"tasks": [{"id": "1.2.3", "title": "x"}]}}')
    assert_refused(taskctl(root, "tasks", "undo"), 4, "$.tasks[0].id")
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- locks, tags, projects


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.parametrize("form", ["file", "folder"])
def test_lock_left_by_a_crashed_task_master_is_stale_after_10_seconds(
    root: Path, form: str
) -> None:
    """Task Master's sync writer leaves a `tasks.json.lock` file ({"pid", "timestamp"}),
    proper-lockfile a folder of that name; both are stale after 10 s, as in Task Master."""
    path = tasks_file(root)
    lock = path.with_name("tasks.json.lock")
    if form == "file":
        lock.write_text(json.dumps({"pid": 999_999, "timestamp": int(time.time() * 1000)}))
    else:
        lock.mkdir()
    before = path.read_bytes()
    run = taskctl(root, "-c", "storage.lock_timeout=0.3", "tasks", "add", "x")
    assert_refused(run, 5, f"{path} is being written by Task Master", "gave up after 0.3 s")
    assert path.read_bytes() == before
    assert lock.exists()  # a live lock is never taken away
    _age(lock, 11)
    ok(root, "-c", "storage.lock_timeout=0.3", "tasks", "add", "x")
    assert not lock.exists()
    assert ok(root, "tasks", "list", "--json").json()[-1]["title"] == "x"


def test_unknown_tag(root: Path) -> None:
    before = tasks_file(root).read_bytes()
    for args in (
        ("list", "--tag", "nope"),
        ("add", "x", "--tag", "nope"),
        ("show", "1", "-t", "nope"),
    ):
        assert_refused(taskctl(root, "tasks", *args), 3, "tag 'nope' not found", "(tags: master)")
    assert tasks_file(root).read_bytes() == before


def test_missing_project(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert_refused(
        taskctl(missing, "tasks", "add", "x"), 3, f"project folder {missing} (from --project)"
    )
    run = taskctl(None, "tasks", "list", env={"TASKCTL_PROJECT": str(missing)})
    assert_refused(run, 3, f"project folder {missing} (from ", ") does not exist")
    assert not missing.exists()


def test_corrupt_task_master_state_file(root: Path) -> None:
    state = root / ".taskmaster" / "state.json"
    state.write_text('{"currentTag": ')
    before = tasks_file(root).read_bytes()
    for args in (("list",), ("add", "x")):
        assert_refused(taskctl(root, "tasks", *args), 4, f"{state} is not valid JSON")
    assert tasks_file(root).read_bytes() == before
    assert ok(root, "tasks", "list", "--tag", "master", "--json").json()[0]["id"] == 1
