"""The frozen context every command receives on `ctx.obj`: state is passed in, never patched."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from taskctl.api import Project
    from taskctl.core.config import ResolvedConfig
    from taskctl.core.paths import Location
    from taskctl.core.settings import Settings


class AppContext(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    # msgspec rather than dataclasses: creating a dataclass runs generated code at
    # import, which every command paid. `dict=True` gives cached_property its cache.
    project_dir: str | None = None
    overrides: tuple[str, ...] = ()
    debug: bool = False
    environ: dict[str, str] = msgspec.field(default_factory=dict)

    @cached_property
    def location(self) -> Location:
        from taskctl.core.paths import locate  # noqa: PLC0415

        return locate(self.project_dir)

    @cached_property
    def config(self) -> ResolvedConfig:
        """The resolved configuration; warnings about unknown keys are printed once."""
        from taskctl.cli import render  # noqa: PLC0415
        from taskctl.core.config import resolve  # noqa: PLC0415

        resolved = resolve(self.location.root, self.overrides, self.environ)
        for text in resolved.warnings:
            render.warning(text)
        return resolved

    @property
    def settings(self) -> Settings:
        """Typed settings; raises ConfigError naming the source of a bad value."""
        return self.config.settings

    @cached_property
    def project(self) -> Project:
        """The tasks file and settings every `tasks` command works on (the Python API)."""
        from taskctl.api import Project  # noqa: PLC0415

        return Project(self.location, self.settings)
