"""Names a package re-exports from its modules, imported only when first used (PEP 562).

`core.config` and `core.tasks` are packages whose callers import names from the
package (`from taskctl.core import tasks as ops; ops.list_tasks`); importing every
module up front would cost each command the modules it does not use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `name` comes from the module `homes[name]`
    (a full module name), is imported on first use and kept in `namespace`."""

    def getattr_(name: str) -> Any:
        try:
            module = homes[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return getattr_
