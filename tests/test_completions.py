"""Shell completion: the committed scripts, the values offered, and the fast path.

The fast path (taskctl.cli.completion.protocol) answers value completions without typer; each
test of it runs Typer's own completion on the same command line and compares the
output byte for byte, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.rich_utils import rich_render_text
from typer.testing import CliRunner

from taskctl.cli import COMPLETE_VAR
from taskctl.cli.app import app
from taskctl.cli.completion import protocol, values
from taskctl.cli.completion.generate import SCRIPTS, command_map, generated_files
from tests.cli_process import run_importtime

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()

TASKS: dict[str, Any] = {
    "master": {
        "tasks": [
            {
                "id": 1,
                "title": 'Set up [wip] the repo: "fast" $HOME `x` [bold]no[/bold] \\',
                "status": "done",
                "subtasks": [
                    {"id": 1, "title": "Sub one", "status": "done"},
                    {"id": 2, "title": "Sub: two\tand\nthree", "status": "pending"},
                ],
            },
            {"id": 2, "title": "A long title " + "that goes on " * 10, "status": "pending"},
            {"id": "3", "title": "日本語のタイトル " * 6, "status": "pending"},
            {"id": 12, "title": "", "status": "pending"},
            {"id": 13, "title": "Escape \x1b[31mred\x1b[0m and a bell \x07", "status": "pending"},
            {"id": 14, "title": ":100: at 10:30:00 :smile:", "status": "pending"},
        ],
        "metadata": {},
    },
    "feature:x": {"tasks": [{"id": 1, "title": "Other tag's task 'quoted'"}]},
}


@pytest.fixture
def tasks_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (project / ".taskmaster" / "tasks" / "tasks.json").write_text(json.dumps(TASKS, indent=2))
    monkeypatch.setenv("COLUMNS", "80")  # rich, which Typer renders descriptions with
    return project


def completion_env(shell: str, line: str, action: str = "get-args") -> dict[str, str]:
    """The environment the committed script for `shell` gives `taskctl` for `line`
    (the command line up to the cursor)."""
    env = {COMPLETE_VAR: f"complete_{shell}"}
    if shell == "bash":
        words = line.split()
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = action
    return env


def typer_answer(env: dict[str, str]) -> tuple[str, int]:
    result = runner.invoke(app, [], prog_name="taskctl", env=env)
    assert result.stderr == ""
    return result.stdout, result.exit_code


SHELLS = [("bash", ""), ("zsh", ""), ("fish", "get-args"), ("fish", "is-args")]
FAST = [
    "tasks show ",
    "tasks show 1",
    "tasks show 1.",
    "tasks show 1.2",
    "tasks show 9.",
    "tasks show 2 3 ",
    "tasks show --json ",
    "tasks show --tag ",
    "tasks show -t fe",
    "tasks show --tag feature:x ",
    "tasks show --tag=feature:x ",
    "tasks show -tfeature:x ",
    "tasks show --tag nope ",
    "tasks remove -yt feature:x ",
    "tasks update 1 --status ",
    "tasks update 1 -s d",
    "tasks update 1 --status=",
    "tasks update 1 --status=do",
    "tasks update 1 --priority h",
    "tasks update 1 --add-dependency 1,",
    "tasks update 1 --remove-dependency ",
    "tasks update 1 --title --status ",
    "tasks add Title --depends-on 1.",
    "tasks add Title --parent ",
    "tasks add Title -p ",
    "tasks list --status ",
    "tasks list --status pending,",
    "tasks list -s done,in",
    "tasks list --priority high,",
    "tasks list --sort ",
    "tasks list --format j",
    "tasks list -f ",
    "tasks next --tag ",
    "-c tasks.default_tag=feature:x tasks show ",
    "--config=tasks.default_tag=none tasks show ",
    "config get ",
    "config get tasks.",
    "config explain ",
    "config unset --user ",
    "config set ",
    "-c ",
    "-c tasks.so",
    "-c tasks.sort=",
    "-c tasks.with_subtasks=",
    "-c nope=",
    "--debug -c ",
    "--version tasks show ",
]
DECLINED = [
    "",
    "ta",
    "tasks ",
    "tasks sh",
    "tasks show -",
    "tasks show --",
    "tasks show -- ",
    "tasks add ",
    "tasks list --search ",
    "tasks list --unknown ",
    "--project ",
    "config set tasks.sort ",
    "init ",
    "nope ",
]


@pytest.mark.parametrize(("shell", "action"), SHELLS)
@pytest.mark.parametrize("line", FAST)
def test_fast_path_answers_exactly_as_typer(
    tasks_project: Path, shell: str, action: str, line: str
) -> None:
    env = completion_env(shell, f"taskctl {line}", action)
    fast = protocol.answer(env)
    assert fast is not None, "the fast path declined a value it should complete"
    assert fast == typer_answer(env)


@pytest.mark.parametrize(("shell", "action"), SHELLS)
@pytest.mark.parametrize("line", DECLINED)
def test_fast_path_leaves_commands_options_and_free_text_to_typer(
    tasks_project: Path, shell: str, action: str, line: str
) -> None:
    env = completion_env(shell, f"taskctl {line}", action)
    assert protocol.answer(env) is None


def test_typer_completes_commands_after_root_flags(tasks_project: Path) -> None:
    assert typer_answer(completion_env("bash", "taskctl --version tasks sh")) == ("show\n", 0)


def test_values_offered(tasks_project: Path) -> None:
    def offered(line: str) -> list[str]:
        text, _ = typer_answer(completion_env("bash", f"taskctl {line}"))
        return text.split()

    assert offered("tasks show ") == ["1", "2", "3", "12", "13", "14"]
    assert offered("tasks show 1.") == ["1.1", "1.2"]
    assert offered("tasks show --tag feature:x ") == ["1"]
    assert offered("tasks show --tag ") == ["master", "feature:x"]
    assert offered("tasks list --status pending,d") == ["pending,done", "pending,deferred"]
    assert offered("tasks add x --priority ") == ["critical", "high", "medium", "low"]
    assert offered("tasks list --sort ") == ["id", "priority", "status"]
    assert "ids" in offered("tasks list --format ")
    assert offered("config get tasks.s") == ["tasks.sort"]
    assert offered("-c tasks.with_subtasks=") == [
        "tasks.with_subtasks=true",
        "tasks.with_subtasks=false",
    ]
    assert "storage.lock_timeout=" in offered("-c ")


def test_titles_are_shown_with_ids_in_zsh_and_fish(tasks_project: Path) -> None:
    text, _ = typer_answer(completion_env("fish", "taskctl tasks show 1"))
    # rich markup in a title is shown as typed; a long title is cut
    assert text.splitlines()[0] == '1\tSet up [wip] the repo: "fast" $HOME `x` [bold]no[/…'
    text, _ = typer_answer(completion_env("zsh", "taskctl tasks show 1."))
    assert '"1.2":"Sub\\\\: two and three"' in text
    # rich would turn `:100:` into an emoji; the text stays as typed (a zero-width space)
    text, _ = typer_answer(completion_env("fish", "taskctl tasks show 14"))
    assert text.replace("\u200b", "") == "14\t:100: at 10:30:00 :smile:\n"


def test_titles_only_when_few_enough_ids_match(
    tasks_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(values, "TITLED_MAX", 2)
    for line, titled in [("tasks show ", False), ("tasks show 1", False), ("tasks show 13", True)]:
        env = completion_env("fish", f"taskctl {line}")
        text, _ = typer_answer(env)
        assert protocol.answer(env) == (text, 0)
        assert ("\t" in text) is titled, line


def test_the_current_tag_of_task_master_is_used(tasks_project: Path) -> None:
    state = tasks_project / ".taskmaster" / "state.json"
    state.write_text(json.dumps({"currentTag": "feature:x"}))
    env = completion_env("fish", "taskctl tasks show ")
    assert protocol.answer(env) == typer_answer(env) == ("1\tOther tag's task 'quoted'\n", 0)


def test_an_empty_tag_offers_no_ids_as_the_command_refuses_it(tasks_project: Path) -> None:
    """`--tag ''` is an error for the command (`taskctl.core.tags`), not the current tag."""
    state = tasks_project / ".taskmaster" / "state.json"
    state.write_text(json.dumps({"currentTag": "feature:x"}))
    env = completion_env("bash", "taskctl tasks show --tag '' ")
    assert protocol.answer(env) == typer_answer(env) == ("\n", 0)


def test_the_environment_the_shell_gave_is_used(tasks_project: Path) -> None:
    """The protocol reads TASKCTL_* from the environment it is given, as Typer's own
    completion reads them from the process's (which CliRunner sets from `env`)."""
    env = {
        **completion_env("fish", "taskctl tasks show "),
        "TASKCTL_TASKS_DEFAULT_TAG": "feature:x",
    }
    assert protocol.answer(env) == typer_answer(env) == ("1\tOther tag's task 'quoted'\n", 0)


def test_the_project_named_by_the_environment_is_used(
    tasks_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    env = {**completion_env("bash", "taskctl tasks show "), "TASKCTL_PROJECT": str(tasks_project)}
    assert protocol.answer(env) == typer_answer(env) == ("1\n2\n3\n12\n13\n14\n", 0)


@pytest.mark.parametrize(
    "content", ["{not json", '{"master": {"tasks": [{"id": "x"}]}}', "", '{"master": 3}']
)
@pytest.mark.parametrize(("shell", "action"), SHELLS)
def test_a_broken_tasks_file_yields_no_ids_and_no_error(
    tasks_project: Path, content: str, shell: str, action: str
) -> None:
    (tasks_project / ".taskmaster" / "tasks" / "tasks.json").write_text(content)
    env = completion_env(shell, "taskctl tasks show ", action)
    empty = {"bash": ("\n", 0), "zsh": ("_files\n", 0), "fish": ("\n", 0)}[shell]
    if action == "is-args":
        empty = ("", 1)
    assert protocol.answer(env) == typer_answer(env) == empty


def test_a_missing_project_yields_no_ids(tasks_project: Path, tmp_path: Path) -> None:
    env = completion_env("bash", f"taskctl --project {tmp_path / 'gone'} tasks show ")
    assert protocol.answer(env) == typer_answer(env) == ("\n", 0)


def test_a_tag_named_tasks(tasks_project: Path) -> None:
    document = {"tasks": {"tasks": [{"id": 5, "title": "In tag tasks"}]}, **TASKS}
    (tasks_project / ".taskmaster" / "tasks" / "tasks.json").write_text(json.dumps(document))
    for line in ("taskctl tasks show --tag tasks ", "taskctl tasks show "):
        env = completion_env("fish", line)
        assert protocol.answer(env) == typer_answer(env)
    assert typer_answer(completion_env("bash", "taskctl tasks show -t tasks "))[0] == "5\n"


def test_old_flat_layout(tasks_project: Path) -> None:
    flat = {"tasks": [{"id": 4, "title": "Flat", "subtasks": [{"id": 1, "title": "s"}]}]}
    (tasks_project / ".taskmaster" / "tasks" / "tasks.json").write_text(json.dumps(flat))
    for line in ("taskctl tasks show ", "taskctl tasks show 4."):
        env = completion_env("zsh", line)
        assert protocol.answer(env) == typer_answer(env)
    assert typer_answer(completion_env("bash", "taskctl tasks show 4."))[0] == "4.1\n"
    assert typer_answer(completion_env("bash", "taskctl tasks show -t other "))[0] == "\n"
    assert typer_answer(completion_env("bash", "taskctl tasks show -t tasks "))[0] == "\n"


# --------------------------------------------------------------------------- descriptions


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_descriptions_survive_typers_rich_rendering(text: str) -> None:
    """What the fast path prints is what Typer prints for the escaped description."""
    described = values.describe(text)
    if described is None:
        return
    assert "\n" not in described
    assert values._cells(described) <= values.DESCRIPTION_WIDTH
    escaped = values.markup_escape(described)
    zsh = protocol._zsh_escape
    os.environ.setdefault("COLUMNS", "80")
    assert rich_render_text(zsh(escaped)) == zsh(described)
    assert rich_render_text(escaped) == described


def test_long_titles_are_cut_and_controls_made_visible() -> None:
    assert values.describe("x" * 200) == "x" * 57 + "…"
    assert values.describe("a\x1b[31mb") == "a\\x1b[31mb"
    assert values.describe("  one\n two\t ") == "one two"
    assert values.describe("") is None
    assert values.describe(" ") is None


def test_every_callback_has_its_items_function() -> None:
    for name, items in values.ITEMS.items():
        callback = getattr(values, name)
        assert callback.__name__ == name
        assert callback.__doc__ == items.__doc__


def test_a_failing_completion_yields_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: Any, incomplete: str) -> list[values.Item]:
        raise RuntimeError("bug")

    monkeypatch.setitem(values.ITEMS, "complete_tag", broken)
    assert values.items_for("complete_tag", protocol.Context({}), "") == []


# --------------------------------------------------------------------------- whole processes


def run_taskctl(cwd: Path, env: dict[str, str]) -> tuple[str, str, set[str]]:
    """The console script in a subprocess: stdout, stderr, modules imported."""
    return run_importtime(cwd, env=env)


def test_the_console_script_completes_ids_without_importing_typer(tasks_project: Path) -> None:
    out, err, modules = run_taskctl(tasks_project, completion_env("bash", "taskctl tasks show 1"))
    assert out == "1\n12\n13\n14\n"
    assert err == ""
    assert not any(m == "typer" or m.startswith(("typer.", "rich")) for m in modules)


def test_the_console_script_falls_back_to_typer(tasks_project: Path) -> None:
    out, err, modules = run_taskctl(tasks_project, completion_env("bash", "taskctl tasks sh"))
    assert out == "show\n"
    assert err == ""
    assert "typer" in modules


def test_a_broken_file_prints_nothing_in_a_real_process(tasks_project: Path) -> None:
    (tasks_project / ".taskmaster" / "tasks" / "tasks.json").write_text("{broken")
    out, err, _ = run_taskctl(tasks_project, completion_env("zsh", "taskctl tasks show "))
    assert (out, err) == ("_files\n", "")


# --------------------------------------------------------------------------- committed files


def test_committed_scripts_and_command_map_match_the_app() -> None:
    stale = [
        str(path.relative_to(REPO))
        for path, text in generated_files(app, REPO / "completions").items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python -m taskctl.cli.completion --write completions/"


def test_the_map_is_the_same_whatever_the_hash_seed() -> None:
    """A set in the app (click's help option names) must not reorder the committed map."""
    probe = (
        "from taskctl.cli.app import app; from taskctl.cli.completion.generate import map_source;"
        "print(map_source(app))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("shell", "installed"),
    [
        ("bash", ".bash_completions/taskctl.sh"),
        ("zsh", ".zfunc/_taskctl"),
        ("fish", ".config/fish/completions/taskctl.fish"),
    ],
)
def test_install_completion_installs_the_committed_script(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, shell: str, installed: str
) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--install-completion", shell], prog_name="taskctl")
    assert result.exit_code == 0, result.stdout
    text = (isolated_home / installed).read_text()
    assert text.rstrip("\n") == (REPO / "completions" / SCRIPTS[shell]).read_text().rstrip("\n")


def _app_with(kind: Any, option: Any) -> typer.Typer:
    """Two commands (a group, as taskctl's): `odd` with a `--value` of `kind`."""
    small = typer.Typer()

    def odd(value: Any = None) -> None: ...

    def plain(name: str) -> None: ...

    # set here, not written: this module's annotations are strings Typer would evaluate
    odd.__annotations__ = {"value": Annotated[kind, option], "return": None}
    small.command()(odd)
    small.command()(plain)
    return small


@pytest.mark.parametrize(
    ("kind", "option", "refused"),
    [
        (float | None, typer.Option(), "an option the fast path cannot parse"),
        (str | None, typer.Option(envvar="ODD"), "envvar or other default"),
    ],
)
def test_the_map_refuses_for_the_fast_path_what_it_cannot_reproduce(
    kind: Any, option: Any, refused: str
) -> None:
    small = _app_with(kind, option)
    with pytest.raises(ValueError, match=refused):
        command_map(small, ["odd"])
    commands = command_map(small, ["plain"])  # elsewhere, the same option is typer's to read
    assert commands["plain"]["fast"] is True
    assert "fast" not in commands["odd"]
    assert commands["odd"]["options"]["--value"][0] == "value"
