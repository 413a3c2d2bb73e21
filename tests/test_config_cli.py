"""`taskctl config ...`: get, set, unset, list, explain, path, validate, as a user runs them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from taskctl.cli.app import app
from taskctl.core.config.docs import markdown_key_table
from taskctl.core.config.schema import key_specs, toml_literal
from taskctl.core.config.sources import _tomllib

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> Result:
    result = run(*args, env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def as_json(*args: str, env: dict[str, str] | None = None) -> Any:
    return json.loads(ok(*args, "--json", env=env).stdout)


@pytest.fixture
def user_file(isolated_home: Path) -> Path:
    return isolated_home / ".config" / "taskctl" / "config.toml"


@pytest.fixture
def system_file(isolated_home: Path) -> Path:
    return isolated_home / "etc-xdg" / "taskctl" / "config.toml"


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder that is in no project."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- get


@pytest.mark.usefixtures("outside")
@pytest.mark.parametrize(
    ("key", "text", "typed"),
    [
        ("tasks.with_subtasks", "true", True),
        ("storage.lock_timeout", "10", 10.0),
        ("storage.backups", "10", 10),
        ("tasks.default_priority", "medium", "medium"),
    ],
)
def test_get_prints_the_value_alone(key: str, text: str, typed: Any) -> None:
    env = {"TASKCTL_TASKS_WITH_SUBTASKS": "yes"}
    assert ok("config", "get", key, env=env).stdout == f"{text}\n"
    assert as_json("config", "get", key, env=env) == typed


@pytest.mark.usefixtures("outside")
def test_get_follows_overrides_and_the_environment() -> None:
    env = {"TASKCTL_TASKS_DEFAULT_PRIORITY": "low"}
    assert ok("config", "get", "tasks.default_priority", env=env).stdout == "low\n"
    result = ok(
        "-c", "tasks.default_priority=high", "config", "get", "tasks.default_priority", env=env
    )
    assert result.stdout == "high\n"


@pytest.mark.usefixtures("outside")
def test_get_unknown_key_exits_2_with_a_suggestion() -> None:
    result = run("config", "get", "tasks.default_prority")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "did you mean tasks.default_priority?" in result.stderr
    assert result.stderr.startswith("error: ")


@pytest.mark.usefixtures("outside")
def test_get_of_a_bad_value_names_its_source() -> None:
    result = run("config", "get", "storage.backups", env={"TASKCTL_STORAGE_BACKUPS": "many"})
    assert result.exit_code == 2
    assert result.stderr == (
        'error: TASKCTL_STORAGE_BACKUPS: invalid value "many" for storage.backups:'
        " expected a whole number >= 0 (unset TASKCTL_STORAGE_BACKUPS or give it a valid value)\n"
    )


def test_get_does_not_import_rich_tomlkit_or_portalocker(project: Path) -> None:
    write(project / ".taskctl.toml", "[tasks]\nsort = 'priority'\n")
    code = (
        "import sys\n"
        "from taskctl.cli.app import app\n"
        "try:\n"
        "    app(['config', 'get', 'tasks.sort'], prog_name='taskctl')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('rich', 'tomlkit', 'portalocker') if m in sys.modules]\n"
        "print('loaded:', ','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert out.stdout.splitlines() == ["priority", "loaded: "]


# --------------------------------------------------------------------------- set / unset


def test_set_inside_a_project_writes_the_project_file(project: Path) -> None:
    result = ok("config", "set", "tasks.default_priority", "high")
    target = project / ".taskctl.toml"
    assert result.stdout == ""
    assert str(target) in result.stderr
    assert target.read_text() == '[tasks]\ndefault_priority = "high"\n'
    assert ok("config", "get", "tasks.default_priority").stdout == "high\n"


@pytest.mark.usefixtures("outside")
def test_set_outside_a_project_creates_a_private_user_file(user_file: Path) -> None:
    assert not user_file.parent.exists()
    result = ok("config", "set", "storage.lock_timeout", "2.5")
    assert f"to {user_file}" in result.stderr
    assert user_file.read_text() == "[storage]\nlock_timeout = 2.5\n"
    assert stat.S_IMODE(user_file.stat().st_mode) == 0o600


def test_set_scopes(project: Path, user_file: Path, system_file: Path) -> None:
    ok("config", "set", "tasks.sort", "status", "--user")
    ok("config", "set", "tasks.sort", "priority", "--system")
    ok("config", "set", "tasks.sort", "id", "--project")
    assert user_file.read_text() == '[tasks]\nsort = "status"\n'
    assert system_file.read_text() == '[tasks]\nsort = "priority"\n'
    assert (project / ".taskctl.toml").read_text() == '[tasks]\nsort = "id"\n'
    assert stat.S_IMODE(system_file.stat().st_mode) == 0o644


def test_set_json_and_typed_storage(project: Path) -> None:
    doc = as_json("config", "set", "storage.lock_timeout", "5")
    assert doc == {
        "key": "storage.lock_timeout",
        "value": 5.0,
        "path": str(project / ".taskctl.toml"),
        "scope": "project",
    }
    ok("config", "set", "tasks.with_subtasks", "YES")
    ok("config", "set", "storage.backups", "3")
    assert (project / ".taskctl.toml").read_text() == (
        "[storage]\nlock_timeout = 5\nbackups = 3\n\n[tasks]\nwith_subtasks = true\n"
    )


@pytest.mark.usefixtures("outside")
def test_set_refuses_the_project_scope_outside_a_project_and_two_scopes() -> None:
    result = run("config", "set", "tasks.sort", "id", "--project")
    assert result.exit_code == 2
    assert "not inside a project" in result.stderr
    result = run("config", "set", "tasks.sort", "id", "--user", "--system")
    assert result.exit_code == 2
    assert "choose one of --user, --project and --system" in result.stderr


def test_set_validates_before_writing(project: Path) -> None:
    target = write(project / ".taskctl.toml", "# keep me\n")
    before = target.stat()
    for key, value in [
        ("tasks.default_priority", "urgent"),
        ("storage.lock_timeout", "-1"),
        ("tasks.with_subtasks", "maybe"),
    ]:
        result = run("config", "set", key, value)
        assert result.exit_code == 2, key
        assert f"for {key}: expected" in result.stderr
    assert target.read_text() == "# keep me\n"
    assert target.stat().st_ino == before.st_ino
    result = run("config", "set", "tasks.nope", "x")
    assert result.exit_code == 2
    assert not (project / ".env").exists()


@pytest.mark.usefixtures("outside")
def test_invalid_set_creates_no_file(user_file: Path) -> None:
    assert run("config", "set", "output.format", "yaml").exit_code == 2
    assert not user_file.exists()


def test_set_keeps_comments_order_and_formatting(project: Path) -> None:
    original = (
        "# Team defaults for taskctl\n"
        "\n"
        "[output]\n"
        "color = 'never'   # CI logs\n"
        "\n"
        "[tasks]\n"
        "# what new tasks get\n"
        'default_priority = "low"  # most work is small\n'
        "sort = 'id'\n"
        "\n"
        "[extra]  # not ours\n"
        "x = [1, 2]\n"
    )
    target = write(project / ".taskctl.toml", original)
    ok("config", "set", "tasks.default_priority", "high")
    ok("config", "set", "tasks.default_status", "review")
    assert target.read_text() == original.replace('"low"', '"high"').replace(
        "sort = 'id'\n", "sort = 'id'\ndefault_status = \"review\"\n"
    )
    ok("config", "unset", "tasks.default_status")
    ok("config", "set", "tasks.default_priority", "low")
    assert target.read_text() == original


def test_set_edits_dotted_and_inline_forms_in_place(project: Path) -> None:
    target = write(project / ".taskctl.toml", "tasks.sort = 'id'  # c\nother = 1\n")
    ok("config", "set", "tasks.sort", "status")
    assert target.read_text() == 'tasks.sort = "status"  # c\nother = 1\n'
    write(target, "output = { format = 'json' }\n")
    ok("config", "set", "output.format", "plain")
    assert target.read_text() == 'output = { format = "plain" }\n'


def test_set_writes_a_basic_string_escaped_as_toml_requires(project: Path) -> None:
    """taskctl quotes what it writes itself: `"..."` whatever tomlkit's default (0.15
    writes `'...'`), with the escapes TOML requires, and the file reads back the same."""
    value = 'say "hi" \\ back\nslash\x01\x7f\tcafé ✓'
    ok("config", "set", "tasks.default_tag", value)
    target = project / ".taskctl.toml"
    assert target.read_text(encoding="utf-8") == (
        '[tasks]\ndefault_tag = "say \\"hi\\" \\\\ back\\nslash\\u0001\\u007F\\tcafé ✓"\n'
    )
    assert _tomllib().loads(target.read_text(encoding="utf-8")) == {"tasks": {"default_tag": value}}
    assert as_json("config", "get", "tasks.default_tag") == value


def test_a_list_is_written_and_shown_as_a_toml_array_of_basic_strings(
    isolated_home: Path,
) -> None:
    """security.safe_directories is a list: `config set` writes a TOML array of "..."
    strings (not tomlkit's '...' nor Python's repr), and `explain` shows TOML too."""
    ok("config", "set", "security.safe_directories", '/srv/a,/srv/b "q"', "--user")
    target = isolated_home / ".config" / "taskctl" / "config.toml"
    assert target.read_text(encoding="utf-8") == (
        '[security]\nsafe_directories = ["/srv/a", "/srv/b \\"q\\""]\n'
    )
    chain = as_json("config", "explain", "security.safe_directories")["chain"]
    assert [c["value"] for c in chain] == [[], ["/srv/a", '/srv/b "q"']]
    shown = ok("config", "explain", "security.safe_directories").stdout
    assert "  []  " in shown
    assert '["/srv/a", "/srv/b \\"q\\""]' in shown


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_every_string_is_written_as_a_basic_string_that_reads_back(text: str) -> None:
    literal = toml_literal(text)
    assert literal.startswith('"')
    assert _tomllib().loads(f"k = {literal}") == {"k": text}


@pytest.mark.parametrize(
    ("key", "text", "written"),
    [
        ("storage.lock_timeout", "5", "lock_timeout = 5"),
        ("storage.lock_timeout", "2.50", "lock_timeout = 2.5"),
        ("storage.lock_timeout", "1e3", "lock_timeout = 1000.0"),
        ("storage.backups", "+7", "backups = 7"),
        ("tasks.with_subtasks", "On", "with_subtasks = true"),
        ("tasks.with_subtasks", "0", "with_subtasks = false"),
        ("tasks.sort", " status ", 'sort = "status"'),
    ],
)
def test_set_writes_numbers_and_booleans_as_toml(
    project: Path, key: str, text: str, written: str
) -> None:
    ok("config", "set", key, text)
    section = key.partition(".")[0]
    assert (project / ".taskctl.toml").read_text() == f"[{section}]\n{written}\n"


def test_set_refuses_what_it_could_not_write_back(project: Path) -> None:
    result = run("config", "set", "storage.lock_timeout", "1e400")  # inf: unreadable later
    assert result.exit_code == 2
    assert "expected a number >= 0" in result.stderr
    result = run("config", "set", "tasks.default_tag", "caf\udce9")  # argv bytes not UTF-8
    assert result.exit_code == 2
    assert 'invalid value "caf\\uDCE9" for tasks.default_tag: not UTF-8 text' in result.stderr
    assert not (project / ".taskctl.toml").exists()


def test_write_is_atomic_and_keeps_the_file_on_failure(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write(project / ".taskctl.toml", "[tasks]\nsort = 'id'\n")
    inode = target.stat().st_ino
    ok("config", "set", "tasks.sort", "status")
    assert target.stat().st_ino != inode  # a new file renamed over the old one

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = run("config", "set", "tasks.sort", "priority")
    assert result.exit_code == 2
    assert f"cannot write {target}: No space left on device" in result.stderr
    assert target.read_text() == '[tasks]\nsort = "status"\n'
    assert sorted(p.name for p in project.iterdir()) == [".taskctl.toml", ".taskmaster"]


def test_write_keeps_mode_and_goes_through_symlinks(
    outside: Path, user_file: Path, tmp_path: Path
) -> None:
    real = write(tmp_path / "dotfiles" / "taskctl.toml", "[tasks]\nsort = 'id'\n")
    real.chmod(0o640)
    user_file.parent.mkdir(parents=True)
    user_file.symlink_to(real)
    ok("config", "set", "tasks.sort", "priority")
    assert user_file.is_symlink()
    assert real.read_text() == '[tasks]\nsort = "priority"\n'
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_set_warns_when_a_higher_source_still_wins(project: Path) -> None:
    env = {"TASKCTL_TASKS_SORT": "status"}
    result = ok("config", "set", "tasks.sort", "priority", "--user", env=env)
    assert "warning: tasks.sort is still status (from env: TASKCTL_TASKS_SORT)" in result.stderr
    assert "overrides the user file" in result.stderr


def test_unset_removes_the_key_and_an_empty_table(project: Path, user_file: Path) -> None:
    write(user_file, "[tasks]\nsort = 'status'\n\n[output]\n# why\ncolor = 'never'\n")
    result = ok("config", "unset", "tasks.sort", "--user")
    assert f"removed tasks.sort from {user_file}" in result.stderr
    assert "tasks.sort is now id (from default: built-in default)" in result.stderr
    assert user_file.read_text() == "[output]\n# why\ncolor = 'never'\n"
    ok("config", "unset", "output.color", "--user")
    assert user_file.read_text() == "[output]\n# why\n"


def test_unset_of_an_unset_key_writes_nothing(project: Path, user_file: Path) -> None:
    write(user_file, "[tasks]\nsort = 'status'\n")
    result = ok("config", "unset", "tasks.sort")
    assert "tasks.sort is not set in" in result.stderr
    assert "tasks.sort is now status (from user:" in result.stderr
    assert not (project / ".taskctl.toml").exists()
    assert as_json("config", "unset", "tasks.sort") == {
        "key": "tasks.sort",
        "path": str(project / ".taskctl.toml"),
        "scope": "project",
        "removed": False,
    }


# --------------------------------------------------------------------------- repair


def test_one_bad_value_never_locks_the_user_out(project: Path, user_file: Path) -> None:
    write(user_file, "[storage]\nlock_timeout = 'soon'\n")
    listed = run("tasks", "list")
    assert listed.exit_code == 2
    assert f'{user_file}:2: invalid value "soon" for storage.lock_timeout' in listed.stderr
    assert "taskctl config unset storage.lock_timeout --user" in listed.stderr
    doc = as_json("config", "explain", "storage.lock_timeout")
    assert doc["error"].startswith(f"{user_file}:2: invalid value")
    assert doc["value"] is None
    ok("config", "set", "storage.lock_timeout", "3", "--user")
    assert ok("tasks", "list").exit_code == 0
    write(user_file, "[storage]\nlock_timeout = 'soon'\n")
    ok("config", "unset", "storage.lock_timeout", "--user")
    assert ok("config", "get", "storage.lock_timeout").stdout == "10\n"


def test_malformed_file_names_its_line_and_explain_still_works(
    project: Path, user_file: Path
) -> None:
    write(user_file, "[tasks]\nsort = 'id'\ndefault_priority = \n")
    env = {"TASKCTL_TASKS_DEFAULT_PRIORITY": "high"}
    result = run("tasks", "list", env=env)
    assert result.exit_code == 2
    assert f"error: {user_file}:3: the user config file is not valid TOML" in result.stderr
    explained = ok("config", "explain", "tasks.default_priority", env=env)
    assert f"warning: {user_file}:3:" in explained.stderr
    assert "tasks.default_priority = high" in explained.stdout
    # The broken file is refused for writing; the others can still be written.
    refused = run("config", "set", "tasks.sort", "status", "--user")
    assert refused.exit_code == 2
    assert f"{user_file}:3: not valid TOML" in refused.stderr
    assert user_file.read_text().endswith("default_priority = \n")
    ok("config", "set", "tasks.sort", "status", "--project")
    listed = as_json("config", "path")
    assert listed["files"][1]["error"].startswith(f"{user_file}:3")


# --------------------------------------------------------------------------- list / explain / path


def test_list_every_value_with_origin(project: Path, user_file: Path) -> None:
    write(user_file, "[output]\ncolor = 'never'\n")
    result = ok("config", "list", "--show-origin", env={"TASKCTL_STORAGE_BACKUPS": "4"})
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["KEY", "VALUE", "SOURCE", "LOCATION"]
    assert len(lines) == 1 + len(key_specs())
    assert ["output.color", "never", "user", f"{user_file}:2"] in [line.split() for line in lines]
    assert ["storage.backups", "4", "env", "TASKCTL_STORAGE_BACKUPS"] in [
        line.split() for line in lines
    ]
    assert ok("config", "list").stdout.splitlines()[0].split() == ["KEY", "VALUE"]
    listed = as_json("config", "list")
    assert [d["key"] for d in listed] == list(key_specs())
    assert next(d for d in listed if d["key"] == "output.color") == {
        "key": "output.color",
        "value": "never",
        "source": "user",
        "location": f"{user_file}:2",
        "error": None,
    }


def test_list_shows_a_bad_value_and_exits_2(project: Path) -> None:
    result = run("config", "list", env={"TASKCTL_OUTPUT_COLOR": "sometimes"})
    assert result.exit_code == 2
    assert 'output.color               invalid: "sometimes"' in result.stdout
    assert "TASKCTL_OUTPUT_COLOR" in result.stderr


EXPLAIN_KEYS = {
    "key",
    "value",
    "type",
    "default",
    "allowed",
    "expected",
    "description",
    "env_var",
    "source",
    "error",
    "chain",
}
CHAIN_KEYS = {"source", "value", "location", "winner", "error"}


def test_explain_json_shape(project: Path, user_file: Path, system_file: Path) -> None:
    write(system_file, "[tasks]\ndefault_priority = 'low'\n")
    write(user_file, "# me\n[tasks]\ndefault_priority = 'medium'\n")
    write(project / ".taskctl.toml", "tasks.default_priority = 'critical'\n")
    write(project / ".env", "TASKCTL_TASKS_DEFAULT_PRIORITY=low\n")
    env = {"TASKCTL_TASKS_DEFAULT_PRIORITY": "medium"}
    doc = as_json(
        "-c", "tasks.default_priority=high", "config", "explain", "tasks.default_priority", env=env
    )
    assert set(doc) == EXPLAIN_KEYS
    assert {k: v for k, v in doc.items() if k != "chain"} == {
        "key": "tasks.default_priority",
        "value": "high",
        "type": "enum",
        "default": "medium",
        "allowed": ["critical", "high", "medium", "low"],
        "expected": "one of critical, high, medium, low",
        "description": "Priority of new tasks without --priority.",
        "env_var": "TASKCTL_TASKS_DEFAULT_PRIORITY",
        "source": "cli",
        "error": None,
    }
    assert all(set(entry) == CHAIN_KEYS for entry in doc["chain"])
    assert [(e["source"], e["value"], e["location"], e["winner"]) for e in doc["chain"]] == [
        ("default", "medium", None, False),
        ("system", "low", f"{system_file}:2", False),
        ("user", "medium", f"{user_file}:3", False),
        ("project", "critical", f"{project / '.taskctl.toml'}:1", False),
        ("dotenv", "low", f"{project / '.env'}:1", False),
        ("env", "medium", "TASKCTL_TASKS_DEFAULT_PRIORITY", False),
        ("cli", "high", "-c", True),
    ]


def test_explain_json_for_all_keys_is_a_list(project: Path) -> None:
    docs = as_json("config", "explain")
    assert [d["key"] for d in docs] == list(key_specs())
    assert all(set(d) == EXPLAIN_KEYS for d in docs)
    section = as_json("config", "explain", "storage")
    assert [d["key"] for d in section] == ["storage.lock_timeout", "storage.backups"]


def test_explain_text_tells_the_whole_story(project: Path, user_file: Path) -> None:
    write(user_file, "[tasks]\ndefault_priority = 'low'\n")
    write(project / ".taskctl.toml", "[tasks]\ndefault_priority = 'critical'\n")
    env = {"TASKCTL_TASKS_DEFAULT_PRIORITY": "high"}
    out = ok("config", "explain", "tasks.default_priority", env=env).stdout
    project_file = project / ".taskctl.toml"
    assert [line.split() for line in out.splitlines()] == [
        ["tasks.default_priority", "=", "high"],
        ["source", "env", "TASKCTL_TASKS_DEFAULT_PRIORITY"],
        ["chain", "every", "source", "that", "sets", "it,", "lowest", "precedence", "first:"],
        ["SOURCE", "VALUE", "LOCATION", "STATUS"],
        ["default", '"medium"', "built-in", "overridden", "by", "user"],
        ["user", '"low"', f"{user_file}:2", "overridden", "by", "project"],
        ["project", '"critical"', f"{project_file}:2", "overridden", "by", "env"],
        [">", "env", '"high"', "TASKCTL_TASKS_DEFAULT_PRIORITY", "winner"],
        ["variable", "TASKCTL_TASKS_DEFAULT_PRIORITY", "(set", "in", "the", "environment)"],
        ["type", "enum,", "one", "of", "critical,", "high,", "medium,", "low"],
        ["default", "medium"],
        ["meaning", "Priority", "of", "new", "tasks", "without", "--priority."],
    ]
    # The chain is a table: every row's columns line up under the headers.
    rows = out.splitlines()[3:8]
    assert {row.index('"') for row in rows[1:]} == {rows[0].index("VALUE")}


def test_explain_names_the_variable_even_when_unset(project: Path) -> None:
    out = ok("config", "explain", "storage.lock_timeout").stdout
    assert "  variable  TASKCTL_STORAGE_LOCK_TIMEOUT (not set)" in out
    assert "  type      a number >= 0" in out
    assert out.splitlines()[4].split()[1:] == ["default", "10.0", "built-in", "winner"]
    assert "  source    default (built-in)" in out


def test_explain_marks_invalid_values(project: Path) -> None:
    write(project / ".env", "TASKCTL_STORAGE_BACKUPS=lots\n")
    result = ok("config", "explain", "storage.backups", env={"TASKCTL_STORAGE_BACKUPS": "2"})
    assert "winner" in result.stdout
    assert "overridden by env, invalid" in result.stdout
    assert (
        f'  invalid   {project / ".env"}:1 (TASKCTL_STORAGE_BACKUPS): invalid value "lots"'
        in result.stdout
    )
    assert "storage.backups = 2" in result.stdout


def test_explain_unknown_key(project: Path) -> None:
    result = run("config", "explain", "storage.lock")
    assert result.exit_code == 2
    assert "did you mean storage.lock_timeout?" in result.stderr


def test_path_lists_every_file_and_the_write_target(
    project: Path, user_file: Path, system_file: Path
) -> None:
    write(user_file, "")
    doc = as_json("config", "path")
    assert doc["files"] == [
        {"source": "system", "path": str(system_file), "exists": False, "error": None},
        {"source": "user", "path": str(user_file), "exists": True, "error": None},
        {
            "source": "project",
            "path": str(project / ".taskctl.toml"),
            "exists": False,
            "error": None,
        },
        {"source": "dotenv", "path": str(project / ".env"), "exists": False, "error": None},
    ]
    assert doc["write_target"] == {
        "scope": "project",
        "path": str(project / ".taskctl.toml"),
        "reason": f"the default inside the project {project}",
    }
    text = ok("config", "path").stdout.splitlines()
    assert text[0].split() == ["SOURCE", "EXISTS", "PATH"]
    assert text[2].split() == ["user", "yes", str(user_file)]
    assert text[-1].startswith(f"config set writes {project / '.taskctl.toml'} (project:")


def test_path_shows_a_file_it_cannot_read(project: Path, user_file: Path) -> None:
    user_file.mkdir(parents=True)  # there, and no file to read
    text = run("config", "path").stdout.splitlines()
    assert text[2].split() == ["user", "yes,", "unreadable", str(user_file)]
    doc = as_json("config", "path")
    assert doc["files"][1]["exists"] is True
    assert doc["files"][1]["error"]


@pytest.mark.usefixtures("outside")
def test_path_outside_a_project(user_file: Path) -> None:
    doc = as_json("config", "path")
    assert [f["source"] for f in doc["files"]] == ["system", "user"]
    assert doc["write_target"] == {
        "scope": "user",
        "path": str(user_file),
        "reason": "the default outside a project",
    }


# --------------------------------------------------------------------------- warnings / validate


def test_unknown_keys_warn_once_on_stderr(project: Path, user_file: Path) -> None:
    write(user_file, "[tasks]\ndefault_prority = 'high'\n")
    result = ok("config", "get", "tasks.default_priority", env={"TASKCTL_OUTPUT_COLUR": "x"})
    assert result.stdout == "medium\n"
    assert result.stderr.splitlines() == [
        (
            f"warning: {user_file}:2: unknown key tasks.default_prority"
            " (did you mean tasks.default_priority?)"
        ),
        (
            "warning: unknown variable TASKCTL_OUTPUT_COLUR in the environment"
            " (did you mean TASKCTL_OUTPUT_COLOR?)"
        ),
    ]
    added = run("tasks", "add", "x", env={"TASKCTL_OUTPUT_COLUR": "x"})
    assert added.exit_code == 0
    assert added.stderr.count("warning:") == 2


def test_reserved_variables_are_not_unknown(project: Path) -> None:
    env = {"TASKCTL_DEBUG": "0", "TASKCTL_PROJECT": str(project)}
    assert ok("config", "get", "tasks.sort", env=env).stderr == ""


def test_validate_reports_everything_and_exits_2(project: Path, user_file: Path) -> None:
    write(user_file, "[tasks]\ndefault_prority = 'high'\n[storage]\nbackups = -1\n")
    env = {"TASKCTL_NOPE": "1"}
    result = run("config", "validate", env=env)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        (
            f"warning: {user_file}:2: unknown key tasks.default_prority"
            " (did you mean tasks.default_priority?)"
        ),
        "warning: unknown variable TASKCTL_NOPE in the environment",
        f"error: {user_file}:4: invalid value -1 for storage.backups: expected a whole number >= 0",
    ]
    assert result.stderr == "error: 3 configuration problems found\n"
    doc = json.loads(run("config", "validate", "--json", env=env).stdout)
    assert doc["valid"] is False
    assert [(p["kind"], p["blocking"], p["key"]) for p in doc["problems"]] == [
        ("unknown_key", False, None),
        ("unknown_key", False, None),
        ("invalid_value", True, "storage.backups"),
    ]


def test_validate_unknown_key_alone_exits_2(project: Path) -> None:
    write(project / ".taskctl.toml", "[output]\nformt = 'json'\n")
    result = run("config", "validate")
    assert result.exit_code == 2
    assert "did you mean output.format?" in result.stdout


def test_validate_clean(project: Path) -> None:
    result = ok("config", "validate")
    assert result.stdout == ""
    assert result.stderr == "configuration is valid (0 files read)\n"
    assert as_json("config", "validate") == {"valid": True, "problems": []}


# --------------------------------------------------------------------------- docs


@pytest.mark.parametrize("command", ["get", "set", "unset", "list", "explain", "path", "validate"])
def test_every_config_command_has_help_with_an_example_and_json(command: str) -> None:
    result = ok("config", command, "--help")
    assert "Example: taskctl config " + command in result.stdout
    assert "--json" in result.stdout


def test_readme_key_table_matches_the_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- config-keys:start -->\n", "<!-- config-keys:end -->"
    documented = readme.split(start, 1)[1].split(end, 1)[0]
    assert documented == markdown_key_table(), (
        "README.md's key table is out of date; replace the lines between the config-keys"
        " markers with taskctl.core.config.docs.markdown_key_table()"
    )
    for spec in key_specs().values():
        assert f"`{spec.env_var}`" in documented
