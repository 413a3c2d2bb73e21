"""Parsing and presentation: the Typer app, the fast path and shell completion."""

# The variable through which the shell asks for completions (Typer's name for it:
# _{PROG}_COMPLETE). Here, as low as it goes, because the entry point reads it on every
# run before anything else is imported, and completion's modules read it too.
COMPLETE_VAR = "_TASKCTL_COMPLETE"
