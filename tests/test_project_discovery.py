"""Which list a command uses: the project found upwards (a legacy Task Master project
too), never another user's unless allowed, else the personal list, which it names.

A project found by the search whose folder belongs to another user is refused, as git
refuses a repository of dubious ownership, unless `security.safe_directories` allows
it; that key is read from the system and user files, the environment and `-c`, never
from the project's own files. The commands run in-process (CliRunner, in the project's
subfolder); "another user" is made by giving taskctl another effective uid, which
needs no root; the sudo case needs root to give the folder away for real.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from taskctl.cli.app import app
from tests.cli_process import document, make_project, task, tasks_file

SAFE_VAR = "TASKCTL_SECURITY_SAFE_DIRECTORIES"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def titles(result: Result) -> list[str]:
    assert result.exit_code == 0, (result.stderr, result.exception)
    return [t["title"] for t in json.loads(result.stdout)]


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one task, entered at a subfolder, that belongs to someone else."""
    root = make_project(tmp_path / "shared" / "proj", document(task(1, "theirs")))
    (root / "src").mkdir()
    monkeypatch.chdir(root / "src")
    monkeypatch.setattr(os, "geteuid", lambda: root.stat().st_uid + 1000)
    return root


def user_config(home: Path, text: str) -> None:
    path = home / ".config" / "taskctl" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_another_users_project_is_refused(shared: Path) -> None:
    before = tasks_file(shared).read_bytes()
    for args in (("tasks", "list", "--json"), ("tasks", "add", "mine")):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        [line] = result.stderr.splitlines()
        uid = shared.stat().st_uid
        if "--json" in args:  # exactly one JSON object, nothing else
            line = json.loads(line)["error"]["message"]
            assert line.startswith(f"{shared} is owned by another user (uid {uid})")
        else:
            assert line.startswith(f"error: {shared} is owned by another user (uid {uid})")
        assert f"security.safe_directories {shared} --user" in line
    assert tasks_file(shared).read_bytes() == before
    assert not list(Path.home().rglob("tasks.json"))  # not silently the personal list


@pytest.mark.parametrize(
    "source", ["user-file", "system-file", "environment", "dash-c", "star", "parent-star"]
)
def test_security_safe_directories_allows_it(
    shared: Path, isolated_home: Path, source: str
) -> None:
    assert run("tasks", "list").exit_code == 2  # refused without it
    env: dict[str, str] = {}
    args: tuple[str, ...] = ()
    if source == "user-file":
        user_config(isolated_home, f"[security]\nsafe_directories = ['/elsewhere', '{shared}']\n")
    elif source == "system-file":
        system = isolated_home / "etc-xdg" / "taskctl" / "config.toml"
        system.parent.mkdir(parents=True)
        system.write_text(f"[security]\nsafe_directories = ['{shared}']\n")
    elif source == "environment":
        env = {SAFE_VAR: f"/elsewhere,{shared}"}
    elif source == "dash-c":
        args = ("-c", f"security.safe_directories={shared}")
    elif source == "star":
        env = {SAFE_VAR: "*"}
    else:
        env = {SAFE_VAR: f"{shared.parent}/*"}
    assert titles(run(*args, "tasks", "list", "--json", env=env)) == ["theirs"]


def test_the_project_cannot_allow_itself(shared: Path) -> None:
    (shared / ".taskctl.toml").write_text("[security]\nsafe_directories = ['*']\n")
    (shared / ".env").write_text(f"{SAFE_VAR}=*\n")
    assert run("tasks", "list").exit_code == 2
    # Nor a parent folder, nor a sibling, by a prefix of its name.
    for entry in (str(shared.parent), f"{shared}-other", f"{shared}/src/*", f"{shared}/*"):
        assert run("tasks", "list", env={SAFE_VAR: entry}).exit_code == 2, entry


def test_an_explicit_project_is_trusted(shared: Path) -> None:
    assert run("tasks", "list").exit_code == 2  # found by the search: refused
    assert titles(run("--project", str(shared), "tasks", "list", "--json")) == ["theirs"]
    env = {"TASKCTL_PROJECT": str(shared)}
    assert titles(run("tasks", "list", "--json", env=env)) == ["theirs"]


def test_config_commands_still_work_there_and_allow_it(shared: Path) -> None:
    (shared / ".taskctl.toml").write_text("[tasks]\nsort = 'status'\n")
    got = run("config", "get", "tasks.sort")
    assert got.exit_code == 0
    assert got.stdout == "id\n"  # the project's own file is not read
    assert "its configuration is not read" in got.stderr
    assert run("config", "set", "security.safe_directories", str(shared), "--user").exit_code == 0
    assert titles(run("tasks", "list", "--json")) == ["theirs"]
    assert run("config", "get", "tasks.sort").stdout == "status\n"


def test_config_set_does_not_write_it_to_a_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "proj", document())
    monkeypatch.chdir(root)
    refused = run("config", "set", "security.safe_directories", "*")
    assert refused.exit_code == 2
    assert "security.safe_directories is never read from a project's own files" in refused.stderr
    assert not (root / ".taskctl.toml").exists()


def test_the_project_file_setting_it_is_a_warning(shared: Path) -> None:
    (shared / ".taskctl.toml").write_text("[security]\nsafe_directories = ['*']\n")
    result = run("tasks", "list", env={SAFE_VAR: str(shared)})
    assert result.exit_code == 0
    assert (
        f"warning: {shared / '.taskctl.toml'}:2: security.safe_directories is never read"
        " from a project's own files"
    ) in result.stderr


@pytest.mark.parametrize("value", ["relative/dir", "~user/x", "/ok,rel"])
def test_entries_must_be_absolute(shared: Path, value: str) -> None:
    result = run("tasks", "list", env={SAFE_VAR: value})
    assert result.exit_code == 2
    assert "expected a list of absolute folders, DIR/* or *" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a folder to another user")
def test_root_through_sudo_may_use_the_folders_of_the_user_who_ran_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "proj", document(task(1, "users")))
    os.chown(root, 4242, 4242)
    monkeypatch.chdir(root)
    assert run("tasks", "list").exit_code == 2
    assert titles(run("tasks", "list", "--json", env={"SUDO_UID": "4242"})) == ["users"]
    assert run("tasks", "list", env={"SUDO_UID": "4243"}).exit_code == 2


def test_a_taskmaster_folder_of_another_user_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root's own /tmp holding another user's `.taskmaster/` is not root's project."""
    root = make_project(tmp_path / "proj", document(task(1)))
    monkeypatch.chdir(root)
    me = root.stat().st_uid
    real_lstat = os.lstat

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        st = real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]
        if os.fspath(path) == str(root / ".taskmaster"):  # type: ignore[arg-type]
            fields = list(st)
            fields[stat.ST_UID] = me + 1000
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(os, "lstat", lstat)
    result = run("tasks", "list")
    assert result.exit_code == 2
    assert f"{root / '.taskmaster'} is owned by another user (uid {me + 1000})" in result.stderr


# --------------------------------------------------------------------------- which list


def test_a_legacy_task_master_project_is_found_upwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "legacy"
    (root / "tasks").mkdir(parents=True)
    (root / ".taskmasterconfig").write_text("{}\n")
    (root / "tasks" / "tasks.json").write_text(document(task(1, "legacy task")))
    (root / "src").mkdir()
    monkeypatch.chdir(root / "src")
    result = run("tasks", "list", "--json")
    assert titles(result) == ["legacy task"]
    assert result.stderr == ""


def test_outside_any_project_the_personal_list_is_named_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    personal = isolated_home / ".local" / "share" / "taskctl" / "tasks.json"
    note = f"note: no project here; using your personal list {personal}\n"
    added = run("tasks", "add", "milk", "-q")
    assert (added.exit_code, added.stdout, added.stderr) == (0, "1\n", note)
    listed = run("tasks", "list", "--json")
    assert titles(listed) == ["milk"]
    assert listed.stderr == note
    missing = run("tasks", "show", "9", "--json")
    assert missing.exit_code == 3
    assert missing.stderr.startswith(note)
    assert json.loads(missing.stderr.splitlines()[-1])["error"]["code"] == "not_found"


def test_version_reports_an_allowed_project(shared: Path) -> None:
    assert run("version", "--json").exit_code == 2
    result = run("version", "--json", env={SAFE_VAR: str(shared)})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["paths"]["project_root"] == str(shared)
