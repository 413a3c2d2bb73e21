"""One error base class; every failure a user can cause is one of these.

The CLI catches `TaskctlError` at a single boundary and turns it into a one-line
message and the documented exit code. Core code never prints and never exits.
"""

from __future__ import annotations

# Exit codes, documented in the README. Scripts rely on them: never renumber.
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_DATA = 4
EXIT_LOCK = 5
EXIT_ABORTED = 6
EXIT_OUTPUT = 7  # the command ran (any change was written), its output could not be


class TaskctlError(Exception):
    """Base class: a message for the user, a stable code string, an exit code."""

    exit_code: int = EXIT_INTERNAL
    code: str = "internal"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(TaskctlError):
    """The command line or a value given by the user is invalid."""

    exit_code = EXIT_USAGE
    code = "usage"


class UnsafeProjectError(UsageError):
    """A project found by the search belongs to another user (see core/paths.py)."""


class ConfigError(UsageError):
    """A configuration value is invalid; names its source."""

    code = "config"


class NotFoundError(TaskctlError):
    """A task, tag, key or project the user named does not exist."""

    exit_code = EXIT_NOT_FOUND
    code = "not_found"


class DataError(TaskctlError):
    """The tasks file is unreadable, malformed or fails validation."""

    exit_code = EXIT_DATA
    code = "invalid_data"


class LockTimeoutError(TaskctlError):
    """Another writer held the lock past the configured timeout."""

    exit_code = EXIT_LOCK
    code = "lock_timeout"


class AbortedError(TaskctlError):
    """The user answered no at a confirmation prompt: nothing was changed."""

    exit_code = EXIT_ABORTED
    code = "aborted"
