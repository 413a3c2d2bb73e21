"""The console script: shell completion is answered before typer is imported.

A tab press runs `taskctl` with `_TASKCTL_COMPLETE` set. Values (task ids, statuses,
tags, config keys, ...) are answered by `taskctl.cli.fastcomplete` without typer,
which alone costs ~60 ms to import and build (see that module); everything else goes
to the app.
"""

from __future__ import annotations

import gc
import os
import sys

COMPLETE_VAR = "_TASKCTL_COMPLETE"  # Typer's name for it: _{PROG}_COMPLETE


def main() -> None:
    """Console-script entry point (and `python -m taskctl`)."""
    # A short-lived process (see app.main): no garbage collection from the first
    # import on; the imports alone allocate enough to trigger several collections.
    gc.disable()
    if os.environ.get(COMPLETE_VAR, "").startswith("complete_"):
        from taskctl.cli.fastcomplete import answer  # noqa: PLC0415

        reply = answer(os.environ)
        if reply is not None:
            text, code = reply
            sys.stdout.write(text)
            sys.stdout.flush()
            os._exit(code)  # no teardown of the decoded tasks: as app.main does
    from taskctl.cli.app import main as app_main  # noqa: PLC0415

    app_main()
