"""taskctl: a fast, safe, scriptable tool for a project's tasks (Task Master's tasks.json).

The public API for scripts (see `taskctl.api`), imported lazily so that
`import taskctl` costs nothing until it is used:

    import taskctl
    project = taskctl.open()
    print([t["title"] for t in project.list(ready=True)])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from taskctl.api import Project, Transaction
    from taskctl.api import open_project as open  # noqa: A004
    from taskctl.core.errors import (
        DataError,
        LockTimeoutError,
        NotFoundError,
        TaskctlError,
        UsageError,
    )

_LAZY = {
    "open": ("taskctl.api", "open_project"),
    "Project": ("taskctl.api", "Project"),
    "Transaction": ("taskctl.api", "Transaction"),
    "TaskctlError": ("taskctl.core.errors", "TaskctlError"),
    "UsageError": ("taskctl.core.errors", "UsageError"),
    "NotFoundError": ("taskctl.core.errors", "NotFoundError"),
    "DataError": ("taskctl.core.errors", "DataError"),
    "LockTimeoutError": ("taskctl.core.errors", "LockTimeoutError"),
}

__all__ = [
    "DataError",
    "LockTimeoutError",
    "NotFoundError",
    "Project",
    "TaskctlError",
    "Transaction",
    "UsageError",
    "__version__",
    "open",
]


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'taskctl' has no attribute {name!r}") from None
    import importlib  # noqa: PLC0415

    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value
