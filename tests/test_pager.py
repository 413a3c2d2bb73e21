"""Long output on a terminal goes through a pager, as with git (issue 12).

The pager is a small Python script: it notes that it ran (and the LESS it was given),
then passes its input through to the terminal, or reads one line and quits, as a
reader pressing `q` at once does: taskctl's writes then meet a closed pipe.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from taskctl.cli.context import AppContext, Terminal
from taskctl.cli.pager import choose
from tests.cli_process import make_project, ok, taskctl
from tests.terminal import Screen, on_terminal

PAGER = """\
import os, sys
with open(sys.argv[1], "a", encoding="utf-8") as note:
    note.write(f"LESS={os.environ.get('LESS')}\\n")
if sys.argv[2] == "all":
    sys.stdout.buffer.write(sys.stdin.buffer.read())
else:  # `q` after the first screen: one line read, then the pipe closes
    sys.stdout.buffer.write(b"paged: " + sys.stdin.buffer.readline())
"""


def _tasks(count: int, **fields: object) -> str:
    return json.dumps(
        {
            "master": {
                "tasks": [
                    {
                        "id": n,
                        "title": f"Task number {n} with a title of some length",
                        "description": "d",
                        "status": "pending",
                        "dependencies": [],
                        "subtasks": [],
                        **fields,
                    }
                    for n in range(1, count + 1)
                ]
            }
        }
    )


@pytest.fixture
def pager(tmp_path: Path) -> tuple[Path, str, str]:
    """(the file the pager notes its runs in, a pager that shows all, one that quits)."""
    script = tmp_path / "pager.py"
    script.write_text(PAGER, encoding="utf-8")
    note = tmp_path / "pager-ran"
    base = shlex.join([sys.executable, str(script), str(note)])
    return note, f"{base} all", f"{base} one"


def project(tmp_path: Path, count: int, **fields: object) -> Path:
    return make_project(tmp_path / "proj", _tasks(count, **fields))


def _clean_exit(screen: Screen) -> None:
    assert screen.returncode == 0, screen.raw
    for word in ("Traceback", "Broken pipe", "BrokenPipe", "EPIPE", "error"):
        assert word not in screen.raw


def test_a_list_longer_than_the_screen_goes_through_the_pager(
    tmp_path: Path, pager: tuple[Path, str, str]
) -> None:
    note, shows, _ = pager
    root = project(tmp_path, 30)
    screen = on_terminal(root, "tasks", "list", columns=100, lines=20, env={"TASKCTL_PAGER": shows})
    _clean_exit(screen)
    assert note.read_text() == "LESS=FRX\n"  # git's LESS, as LESS was not set
    assert len(screen.lines) == 31
    assert screen.lines[-1].startswith("30 ")


def test_a_pager_that_quits_early_is_no_error(tmp_path: Path, pager: tuple[Path, str, str]) -> None:
    note, _, quits = pager
    root = project(tmp_path, 3000)  # some 200 kB: more than a pipe holds
    for args in (("tasks", "list"), ("tasks", "list", "--format", "plain")):
        screen = on_terminal(root, *args, columns=100, lines=20, env={"TASKCTL_PAGER": quits})
        _clean_exit(screen)
        assert screen.lines[0].startswith("paged: ")
        assert len(screen.lines) == 1
    assert note.read_text() == "LESS=FRX\n" * 2


def test_output_that_fits_is_printed_without_a_pager(
    tmp_path: Path, pager: tuple[Path, str, str]
) -> None:
    note, shows, _ = pager
    root = project(tmp_path, 5)
    screen = on_terminal(root, "tasks", "list", columns=100, lines=20, env={"TASKCTL_PAGER": shows})
    _clean_exit(screen)
    assert len(screen.lines) == 6
    assert not note.exists()


def test_never_a_pager_on_a_pipe(tmp_path: Path, pager: tuple[Path, str, str]) -> None:
    note, _, quits = pager
    root = project(tmp_path, 300)
    for variable in ("TASKCTL_PAGER", "PAGER"):
        run = ok(root, "tasks", "list", env={variable: quits, "LINES": "5"})
        assert len(run.stdout.splitlines()) == 301
    assert not note.exists()


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (("--no-pager", "tasks", "list"), "TASKCTL_PAGER"),
        (("-c", "output.pager=", "tasks", "list"), "PAGER"),
        (("-c", "output.pager=cat", "tasks", "list"), "PAGER"),
    ],
    ids=["--no-pager", "output.pager empty", "output.pager cat"],
)
def test_no_pager_and_an_empty_pager_setting_turn_it_off(
    tmp_path: Path, pager: tuple[Path, str, str], args: tuple[str, ...], variable: str
) -> None:
    note, _, quits = pager
    root = project(tmp_path, 30)
    screen = on_terminal(
        root, *args, columns=100, lines=10, env={"TASKCTL_PAGER": None, variable: quits}
    )
    _clean_exit(screen)
    assert len(screen.lines) == 31
    assert not note.exists()


def test_pager_from_pager_and_from_the_setting(
    tmp_path: Path, pager: tuple[Path, str, str]
) -> None:
    note, shows, _ = pager
    root = project(tmp_path, 30)
    env: dict[str, str | None] = {"TASKCTL_PAGER": None, "PAGER": shows, "LESS": "-R"}
    _clean_exit(on_terminal(root, "tasks", "list", columns=100, lines=10, env=env))
    env = {"TASKCTL_PAGER": None, "PAGER": "cat"}
    _clean_exit(
        on_terminal(
            root, "-c", f"output.pager={shows}", "tasks", "list", columns=100, lines=10, env=env
        )
    )
    assert note.read_text() == "LESS=-R\nLESS=FRX\n"  # the user's LESS is kept


def test_history_and_show_page_through_typer_and_the_fast_path(
    tmp_path: Path, pager: tuple[Path, str, str]
) -> None:
    note, shows, _ = pager
    root = project(tmp_path, 3, details="\n".join(f"line {n}" for n in range(40)))
    for _ in range(6):
        ok(root, "tasks", "add", "one more", "--quiet")
    env: dict[str, str | None] = {"TASKCTL_PAGER": shows}
    history = on_terminal(root, "tasks", "history", columns=100, lines=5, env=env)
    _clean_exit(history)
    assert note.read_text().count("LESS") == 1
    show = on_terminal(root, "tasks", "show", "1", columns=100, lines=20, env=env)
    _clean_exit(show)
    assert "  line 39" in show.lines
    assert note.read_text().count("LESS") == 2
    unpaged = on_terminal(root, "--no-pager", "tasks", "history", columns=100, lines=5, env=env)
    _clean_exit(unpaged)
    assert len(unpaged.lines) == 7
    assert note.read_text().count("LESS") == 2


def test_a_missing_pager_falls_back_to_printing(tmp_path: Path) -> None:
    root = project(tmp_path, 30)
    missing = str(tmp_path / "no-such-pager")
    screen = on_terminal(
        root, "tasks", "list", columns=100, lines=10, env={"TASKCTL_PAGER": missing}
    )
    assert screen.returncode == 0, screen.raw
    assert screen.lines[0] == f"warning: cannot run the pager {missing}: No such file or directory"
    assert len(screen.lines) == 32
    # the default, less, missing (a small container): printed without a word
    empty = tmp_path / "empty"
    empty.mkdir()
    env: dict[str, str | None] = {"TASKCTL_PAGER": None, "PAGER": None, "PATH": str(empty)}
    screen = on_terminal(root, "tasks", "list", columns=100, lines=10, env=env)
    _clean_exit(screen)
    assert len(screen.lines) == 31


# -- which pager: the rule itself


def test_which_pager_as_git_chooses() -> None:
    size = (80, 24)
    assert choose({}, "auto", size).argv == ("less",)  # type: ignore[union-attr]
    assert choose({"PAGER": "more -s"}, "auto", size).argv == ("more", "-s")  # type: ignore[union-attr]
    assert choose({"PAGER": "more"}, "most", size).argv == ("most",)  # type: ignore[union-attr]
    chosen = choose({"PAGER": "more", "TASKCTL_PAGER": "'my pager' -x"}, "most", size)
    assert chosen is not None
    assert chosen.argv == ("my pager", "-x")
    for environ, setting in (
        ({"TASKCTL_PAGER": ""}, "most"),
        ({"TASKCTL_PAGER": "cat"}, "auto"),
        ({"PAGER": "more"}, ""),
        ({"PAGER": ""}, "auto"),
    ):
        assert choose(environ, setting, size) is None, (environ, setting)


def test_the_pager_gets_the_environment_and_less_its_options() -> None:
    chosen = choose({"HOME": "/h"}, "auto", (80, 24))
    assert chosen is not None
    assert chosen.environ == {"HOME": "/h", "LESS": "FRX", "LV": "-c"}
    chosen = choose({"LESS": "", "LV": "x"}, "auto", (80, 24))
    assert chosen is not None
    assert (chosen.environ["LESS"], chosen.environ["LV"]) == ("", "x")


def test_no_pager_without_a_terminal_or_with_no_pager() -> None:
    on = Terminal(stdout=True)
    assert AppContext(terminal=on).pager() is not None
    assert AppContext(terminal=Terminal()).pager() is None
    assert AppContext(terminal=on, no_pager=True).pager() is None


def test_json_is_never_paged(tmp_path: Path, pager: tuple[Path, str, str]) -> None:
    note, _, quits = pager
    root = project(tmp_path, 30)
    screen = on_terminal(
        root, "tasks", "list", "--json", columns=100, lines=5, env={"TASKCTL_PAGER": quits}
    )
    _clean_exit(screen)
    assert not note.exists()
    run = taskctl(root, "tasks", "show", "1", env={"TASKCTL_PAGER": quits})
    assert run.returncode == 0
    assert not note.exists()
