"""The frozen context every command receives on `ctx.obj`: state is passed in, never patched.

`from_process` is where a run reads its process: the environment and whether its
streams are terminals. Everything after that is given these facts, so tests set them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, TextIO, cast

import msgspec

if TYPE_CHECKING:
    from pathlib import Path

    import typer

    from taskctl.api import Project
    from taskctl.cli.pager import Pager
    from taskctl.core.config.resolved import ResolvedConfig
    from taskctl.core.fs import Clock
    from taskctl.core.paths import Location
    from taskctl.core.settings import Settings


def real_clock() -> str:
    """The time now (`core.fs.now_iso`), imported on first use: `config get` needs none."""
    from taskctl.core.fs import now_iso  # noqa: PLC0415

    return now_iso()


class Terminal(msgspec.Struct, frozen=True, kw_only=True):
    """Which of the standard streams are terminals (False: a pipe, a file, a test), and
    the size of the screen output is laid out for."""

    stdin: bool = False
    stdout: bool = False
    stderr: bool = False
    columns: int = 80
    lines: int = 25


class AppContext(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    # msgspec rather than dataclasses: creating a dataclass runs generated code at
    # import, which every command paid. `dict=True` gives cached_property its cache.
    project_dir: str | None = None
    overrides: tuple[str, ...] = ()
    debug: bool = False
    environ: dict[str, str] = msgspec.field(default_factory=dict)
    # The time stamps a change writes: the real clock, or a fixed one a test passes.
    clock: Clock = real_clock
    # Every file the command replaced, so that the error boundary tells a command whose
    # change was written but whose output failed (do not run it again) from one that
    # wrote nothing.
    replaced: list[Path] = msgspec.field(default_factory=list)
    terminal: Terminal = Terminal()
    no_pager: bool = False

    @classmethod
    def from_process(
        cls,
        *,
        project_dir: str | None = None,
        overrides: tuple[str, ...] = (),
        debug: bool = False,
        no_pager: bool = False,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
    ) -> AppContext:
        """The context of this run: its root options, and the process's environment
        (`environ`, else os.environ), streams and clock (`clock`, else the real one)."""
        environ = dict(os.environ if environ is None else environ)
        stdout = _isatty(sys.stdout)
        columns, lines = _screen_size(environ, stdout=stdout)
        return cls(
            project_dir=project_dir,
            overrides=overrides,
            debug=debug,
            no_pager=no_pager,
            environ=environ,
            clock=clock or real_clock,
            terminal=Terminal(
                stdin=_isatty(sys.stdin),
                stdout=stdout,
                stderr=_isatty(sys.stderr),
                columns=columns,
                lines=lines,
            ),
        )

    def color(self, setting: str = "auto") -> bool:
        """Colour on stdout: `always`/`never` (output.color) win; otherwise NO_COLOR,
        then FORCE_COLOR, then whether stdout is a terminal."""
        if setting == "always":
            return True
        if setting == "never":
            return False
        if self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        return self.terminal.stdout

    def pager(self, setting: str = "auto") -> Pager | None:
        """The pager for long output (`setting` is output.pager), or None: stdout is
        not a terminal, --no-pager, or none is wanted (see `cli/pager.py`)."""
        if not self.terminal.stdout or self.no_pager:
            return None
        from taskctl.cli.pager import choose  # noqa: PLC0415

        return choose(self.environ, setting, (self.terminal.columns, self.terminal.lines))

    @cached_property
    def location(self) -> Location:
        """Where the tasks are; UnsafeProjectError for a project found by the search
        that belongs to another user and is not in security.safe_directories."""
        from taskctl.core.paths import locate  # noqa: PLC0415

        return locate(self.project_dir, environ=self.environ, safe_directories=self._safe)

    def _safe(self) -> list[str]:
        from taskctl.core.config.sources import trusted_safe_directories  # noqa: PLC0415

        return trusted_safe_directories(self.overrides, self.environ)

    @cached_property
    def config(self) -> ResolvedConfig:
        """The resolved configuration; warnings about unknown keys are printed once.

        Inside a project that is not used (another user's), its files are not read, and
        `config` commands still work: that is how one allows it (`config set --user`).
        """
        from taskctl.cli import render  # noqa: PLC0415
        from taskctl.core.config.sources import resolve  # noqa: PLC0415
        from taskctl.core.errors import UnsafeProjectError  # noqa: PLC0415

        try:
            root = self.location.root
        except UnsafeProjectError as exc:
            render.warning(f"{exc.message}; its configuration is not read")
            root = None
        resolved = resolve(root, self.overrides, self.environ)
        for text in resolved.warnings:
            render.warning(text)
        return resolved

    @property
    def settings(self) -> Settings:
        """Typed settings; raises ConfigError naming the source of a bad value.

        For the commands that work on tasks: a project they may not use is their error
        (UnsafeProjectError), reported before `config` would warn that it is skipped.
        """
        _ = self.location
        return self.config.settings

    @cached_property
    def project(self) -> Project:
        """The tasks file and settings every `tasks` command works on (the Python API)."""
        from taskctl.api import Project  # noqa: PLC0415

        location = self.location
        if location.root is None:
            from taskctl.cli import render  # noqa: PLC0415

            # On stderr, so that pipes stay clean: a list read or written outside any
            # project is the personal one, and the user should know which file it is.
            render.message(f"note: no project here; using your personal list {location.tasks_file}")
        return Project(location, self.settings, clock=self.clock, replaced=self.replaced)


def app_context(ctx: typer.Context) -> AppContext:
    """The run's context, which the root callback (`cli/app.py`) puts on the root."""
    return cast(AppContext, ctx.find_root().obj)


def _screen_size(environ: Mapping[str, str], *, stdout: bool) -> tuple[int, int]:
    """(columns, lines) as rich measures them: COLUMNS and LINES when set to a number,
    else the size of the terminal on stdout, else 80 x 25."""
    columns = lines = 0
    if stdout:
        with contextlib.suppress(OSError, ValueError):
            columns, lines = os.get_terminal_size(sys.stdout.fileno())
    return (
        _number(environ.get("COLUMNS"), columns or 80),
        _number(environ.get("LINES"), lines or 25),
    )


def _number(text: str | None, otherwise: int) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and int(text) else otherwise


def _isatty(stream: TextIO | None) -> bool:
    """A closed or missing stream is no terminal."""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False
