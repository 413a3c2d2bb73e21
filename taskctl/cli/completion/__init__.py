"""Shell completion, in three rooms; importing the package itself costs nothing.

- `generate`: writes the shell scripts (Typer's own) and the map of the command tree
  (`taskctl/cli/_command_map.py`); `python -m taskctl.cli.completion --write completions/`.
- `protocol`: answers a tab press without typer: reads the shell's request (Typer's
  protocol), finds the value asked for (through `taskctl.cli.cmdline`), prints it as Typer would.
- `values`: what each option and argument offers (statuses, priorities, tags, task
  ids, config keys), both as Typer's `autocompletion=` callbacks and as plain items.
"""
