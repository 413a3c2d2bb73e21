"""taskctl's per-user and system folders are where platformdirs puts them.

On Linux taskctl computes them itself (platformdirs' import costs 9 to 14 ms a run);
these tests compare its answer with platformdirs' own, under the environments a user
may have: XDG variables unset, empty, relative, absolute, with trailing slashes or
several entries, and odd HOMEs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
import pytest

from taskctl.core import paths
from tests.cli_process import run_importtime

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the computed rule is Linux's")

XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_DIRS")
VALUES = [None, "", "relative/dir", "/abs/dir", "/abs/dir/", "//double//slash", "~/tilde"]
HOMES = ["/home/someone", "/home/someone/", "/"]


def platformdirs_answer() -> dict[str, Path]:
    return {
        "config": Path(platformdirs.user_config_dir("taskctl", appauthor=False)),
        "data": Path(platformdirs.user_data_dir("taskctl", appauthor=False)),
        "cache": Path(platformdirs.user_cache_dir("taskctl", appauthor=False)),
        "site": Path(platformdirs.site_config_dir("taskctl", appauthor=False)),
    }


def taskctl_answer() -> dict[str, Path]:
    return {
        "config": paths.user_dir("config", os.environ),
        "data": paths.user_dir("data", os.environ),
        "cache": paths.user_dir("cache", os.environ),
        "site": paths.site_config_dir(os.environ),
    }


@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("value", VALUES)
def test_folders_match_platformdirs(
    monkeypatch: pytest.MonkeyPatch, home: str, value: str | None
) -> None:
    monkeypatch.setenv("HOME", home)
    for name in XDG:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert taskctl_answer() == platformdirs_answer()


@pytest.mark.parametrize(
    "dirs", ["/first:/second", "relative:/second", ":/second:", "relative", "/only/"]
)
def test_the_site_folder_is_the_first_absolute_entry(
    monkeypatch: pytest.MonkeyPatch, dirs: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", dirs)
    assert paths.site_config_dir(os.environ) == platformdirs_answer()["site"]


def test_android_is_left_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDROID_ROOT", "/system")
    assert paths._plain_linux_home({"HOME": "/h", "ANDROID_ROOT": "/system"}) is None
    assert paths.user_dir("config", os.environ) == platformdirs_answer()["config"]


def test_reading_the_configuration_does_not_import_platformdirs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in XDG:  # as most users run: every folder from the default rule
        monkeypatch.delenv(name, raising=False)
    out, _, modules = run_importtime(project, "config", "get", "tasks.default_priority")
    assert out.strip() == "medium"
    assert "platformdirs" not in modules
