"""The console script: what can run without typer does, before typer is imported.

Importing typer and building its command tree costs 30 to 60 ms a run. Two kinds of
run skip it:
- a tab press (`_TASKCTL_COMPLETE` set) asking for values (task ids, statuses, tags,
  config keys, ...): answered by `taskctl.cli.completion.protocol`;
- a plain command line of `tasks list/show/next/add/update/validate`: run by
  `taskctl.cli.fastpath`, through the same functions as the Typer commands.
Everything else (and anything either of them declines) goes to the Typer app.
"""

from __future__ import annotations

import gc
import os
import sys

from taskctl.cli import COMPLETE_VAR


def main() -> None:
    """Console-script entry point (and `python -m taskctl`)."""
    # A short-lived process (see boundary.exit_process): no garbage collection from
    # the first import on; the imports alone allocate enough to trigger several.
    gc.disable()
    from taskctl.cli.boundary import exit_process, guard_streams  # noqa: PLC0415

    guard_streams(sys.argv[1:])  # before any file is opened
    completing = os.environ.get(COMPLETE_VAR, "")
    if completing.startswith("complete_"):
        from taskctl.cli.completion.protocol import answer  # noqa: PLC0415

        reply = answer(os.environ)
        if reply is not None:
            text, code = reply
            sys.stdout.write(text)
            exit_process(code)  # no teardown of the decoded tasks
    elif not completing:  # with it set at all (source_bash, ...), typer prints a script
        from taskctl.cli import fastpath  # noqa: PLC0415

        done = fastpath.run(sys.argv[1:], os.environ)
        if done is not None:
            exit_process(done)
    from taskctl.cli.app import main as app_main  # noqa: PLC0415

    app_main()
