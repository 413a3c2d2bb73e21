"""What a new user types and what CI runs cannot drift apart: the README's set-up
commands, `.ci/run`, and the oldest dependency versions that CI tests."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from taskctl.core.config.sources import _tomllib

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI_RUN = (REPO / ".ci" / "run").read_text(encoding="utf-8")
CONSTRAINTS = REPO / ".ci" / "constraints-min.txt"
# Linters run once, on the newest releases; the oldest-versions run is pytest only.
NOT_PINNED = {"ruff", "mypy"}
# A system Python that is "externally managed" (PEP 668: Debian, Ubuntu) refuses
# `pip install` outside a virtual environment, so every set-up command makes one.
IN_A_VENV = "python3 -m venv .venv && . .venv/bin/activate && pip install "


def sh_blocks() -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", README, re.MULTILINE | re.DOTALL)


def test_the_readme_set_up_commands_install_into_a_virtual_environment() -> None:
    install, tests = sh_blocks()[:2]
    assert install.startswith(IN_A_VENV), install
    assert "taskctl tasks list" in install
    assert tests.startswith(IN_A_VENV), tests
    assert "'.[test]'" in tests


def test_ci_runs_the_readme_test_command_exactly() -> None:
    command = sh_blocks()[1].strip()
    assert "\n" not in command
    assert command in CI_RUN.splitlines(), f"{command!r} is not a line of .ci/run"


def test_the_readme_ci_example_installs_from_a_checkout() -> None:
    (example,) = re.findall(r"^```yaml\n(.*?)^```", README, re.MULTILINE | re.DOTALL)
    installs = [line.strip() for line in example.splitlines() if "pip install" in line]
    # taskctl is published on no package index: `pip install taskctl` finds nothing.
    assert installs == ["pip install ./taskctl"]
    assert "python3 -m venv" in example


def pinned() -> dict[str, Requirement]:
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    found = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {req.name: req for req in found}


def test_ci_tests_the_lower_bound_of_every_dependency() -> None:
    project = _tomllib().loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = pinned()
    for text in wanted:
        req = Requirement(text)
        if req.name in NOT_PINNED:
            assert req.name not in pins
            continue
        (lower,) = [s.version for s in req.specifier if s.operator == ">="]
        pin = pins.pop(req.name, None)
        assert pin is not None, f"{req.name} has no pin in {CONSTRAINTS.name}"
        (exact,) = pin.specifier
        assert exact.operator == "==", pin
        assert Version(exact.version) == Version(lower), f"{pin} but pyproject says {req}"
        assert pin.marker == req.marker, f"{pin} and {req} differ in their markers"
    assert pins == {}, f"{CONSTRAINTS.name} pins what pyproject.toml does not name"
    assert "-c .ci/constraints-min.txt -e '.[test]'" in CI_RUN
