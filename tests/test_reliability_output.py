"""Human output never passes raw control characters from task data to the terminal;
JSON output stays exact.

Task data is whatever is in the file: Task Master, an editor or a script may have put
escape sequences in a title, a status, a tag name or Task Master's current tag. Every
human output path (tables, plain lines, details, validate, history, messages, errors)
must show them as visible escapes (`\\x1b`), and every JSON path must give them back
exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_process import RAW_CONTROL, Run, make_project, task, taskctl, tasks_file

# control characters, then a right-to-left override, an isolate, a zero-width space
ESC = "\x1b[2J\x1b]0;pwned\x07\r\x08\x7f\x9b31m\x00\u202e\u2066\u200b"
SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x08\\x7f\\x9b31m\\x00\\u202e\\u2066\\u200b"
ARG = ESC.replace("\x00", "")  # what a command line can carry (no NUL)
TAG = "evil\x1b[31m"
TAG_SHOWN = "evil\\x1b[31m"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours, when colour is on


def _data() -> dict[str, object]:
    first = task(
        1,
        f"title {ESC}",
        description=f"description {ESC}",
        details=f"details {ESC}\nsecond line {ESC}",
        testStrategy=f"test {ESC}",
        priority=f"high{ESC}",
        subtasks=[{"id": 1, "title": f"subtask {ESC}", "status": f"pending{ESC}"}],
    )
    return {
        "master": {"tasks": [first, task(2, dependencies=[1])]},
        TAG: {"tasks": [task(1, f"in the evil tag {ESC}"), task(2, status=f"wip{ESC}")]},
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", json.dumps(_data(), indent=2))


def _human(run: Run, *, colored: bool = False) -> str:
    """Both streams, checked: nothing raw from the data reached them."""
    assert "Traceback" not in run.stderr, run
    text = run.stdout + run.stderr
    if colored:
        text = SGR.sub("", text)
    assert not RAW_CONTROL.search(text), (run.args, text)
    return text


WIDE = {"COLUMNS": "400"}


@pytest.mark.parametrize(
    "args",
    [
        ("tasks", "list"),
        ("tasks", "list", "--with-subtasks"),
        ("tasks", "list", "-f", "table", "--with-subtasks"),
        ("tasks", "list", "--with-subtasks", "--fields", "id,title,status,details"),
        ("tasks", "list", "--with-subtasks", "--fields", "title,priority", "-f", "table"),
        ("tasks", "list", "--all-tags"),
        ("tasks", "list", "--all-tags", "-f", "table"),
        ("tasks", "list", "--tag", TAG),
        ("tasks", "show", "1", "1.1"),
        ("tasks", "next"),
        ("tasks", "next", "--tag", TAG),
    ],
    ids=lambda a: " ".join(a).replace(TAG, "EVIL"),
)
def test_reading_commands_escape_task_data(root: Path, args: tuple[str, ...]) -> None:
    run = taskctl(root, *args, env=WIDE)
    assert run.returncode == 0, run
    assert SHOWN in _human(run)


def test_colored_table_has_only_its_own_colours(root: Path) -> None:
    run = taskctl(root, "-c", "output.color=always", "tasks", "list", "-f", "table", env=WIDE)
    assert run.returncode == 0, run
    assert "\x1b[" in run.stdout  # colour is on
    assert SHOWN in _human(run, colored=True)


def test_validate_escapes_tags_and_messages(root: Path) -> None:
    for args in (("tasks", "validate", "--all-tags"), ("tasks", "validate", "--tag", TAG)):
        run = taskctl(root, *args)
        assert run.returncode == 4, run  # the statuses and priority above are unknown
        text = _human(run)
        assert "unknown_status" in text
        if "--all-tags" in args:
            assert f"[{TAG_SHOWN}]" in text


def test_messages_and_errors_escape_what_they_echo(root: Path) -> None:
    state = root / ".taskmaster" / "state.json"
    state.write_text(json.dumps({"currentTag": TAG}))  # Task Master's current tag
    added = taskctl(root, "tasks", "add", "plain title")
    assert added.returncode == 0, added
    assert f"to tag '{TAG_SHOWN}'" in _human(added)
    for args in (("update", "2", "--status", "done"), ("remove", "2", "--yes")):
        run = taskctl(root, "tasks", *args)
        assert run.returncode == 0, run
        assert TAG_SHOWN in _human(run)
    for args, code in (
        (("show", "9"), 3),  # names the tag it looked in
        (("list", "--tag", f"nope{ARG}"), 3),  # echoes the tag given, lists the file's tags
        (("update", "1", "--status", f"done{ARG}"), 2),
        (("add", "x", "--depends-on", f"1{ARG}"), 2),
    ):
        run = taskctl(root, "tasks", *args)
        assert run.returncode == code, run
        assert len(run.stderr.splitlines()) == 1, run
        _human(run)


def test_history_and_undo_escape_the_commands_they_show(root: Path) -> None:
    assert taskctl(root, "tasks", "add", f"new {ARG}", "-d", "x").returncode == 0
    assert taskctl(root, "tasks", "update", "1", "--title", f"t {ARG}").returncode == 0
    history = taskctl(root, "tasks", "history")
    _human(history)
    undo = taskctl(root, "tasks", "undo")
    assert undo.returncode == 0, undo
    _human(undo)


def test_json_output_is_exact(root: Path) -> None:
    data = _data()
    master = data["master"]["tasks"]  # type: ignore[index]
    listed = taskctl(root, "tasks", "list", "--json").json()
    assert listed == master
    assert taskctl(root, "tasks", "show", "1", "--json").json() == master[0]
    assert taskctl(root, "tasks", "show", "1.1", "--json").json() == master[0]["subtasks"][0]
    everything = taskctl(root, "tasks", "list", "--all-tags", "--json").json()
    assert sorted({t["tag"] for t in everything}) == sorted(["master", TAG])
    evil = taskctl(root, "tasks", "list", "--tag", TAG, "--json").json()
    assert evil[0]["title"] == f"in the evil tag {ESC}"
    lines = taskctl(root, "tasks", "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == master
    # and what is written back is the same text, escaped the JSON way only
    assert taskctl(root, "tasks", "update", "2", "--status", "done").returncode == 0
    assert json.loads(tasks_file(root).read_bytes())["master"]["tasks"][0] == master[0]
