"""`taskctl tags ...`: the Typer signatures, and nothing else.

Each command's parameters are its options Struct's fields (`cli/options.py`); `@runs`
names the function that does the work (`cli/run/tags.py`) and the one that shows its
result (`cli/render_tags.py`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from taskctl.cli import render_tags as show
from taskctl.cli.command import runs
from taskctl.cli.completion.values import complete_tag
from taskctl.cli.options import (
    TagsAddOptions,
    TagsCopyOptions,
    TagsListOptions,
    TagsRemoveOptions,
    TagsRenameOptions,
    TagsUseOptions,
)
from taskctl.cli.run import Command
from taskctl.cli.run import tags as run

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "List, create, switch, rename, copy and remove Task Master's tags (one task list"
        " each). A tag name has letters, digits, '-' and '_'.\n\n"
        "Example: taskctl tags add feature-x --description 'Feature X'"
    ),
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
TagArg = Annotated[
    str, typer.Argument(metavar="NAME", help="An existing tag.", autocompletion=complete_tag)
]
NewArg = Annotated[str, typer.Argument(metavar="NEW", help="The new tag's name.")]
DescriptionOpt = Annotated[
    str | None,
    typer.Option("--description", "-d", help="The tag's description (metadata.description)."),
]


@app.command("list")
@runs(Command(TagsListOptions, run.list_tags, show.tag_list))
def list_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the tags: tasks, done, ready (every dependency done) and description.

    The current tag (state.json's currentTag, else tasks.default_tag) is marked `*`.

    Example: taskctl tags list --json
    """


@app.command("add")
@runs(Command(TagsAddOptions, run.add, show.tag_changed))
def add_command(
    ctx: typer.Context,
    name: NewArg,
    description: DescriptionOpt = None,
    copy_from: Annotated[
        str | None,
        typer.Option(
            "--copy-from", metavar="TAG", help="Copy TAG's tasks.", autocompletion=complete_tag
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Create an empty tag, or a copy of another tag's tasks.

    Example: taskctl tags add feature-x --copy-from master
    """


@app.command("use")
@runs(Command(TagsUseOptions, run.use, show.tag_changed))
def use_command(ctx: typer.Context, name: TagArg, as_json: JsonFlag = False) -> None:
    """Make NAME the current tag (state.json's currentTag, as `task-master use-tag`).

    Example: taskctl tags use feature-x
    """


@app.command("rename")
@runs(Command(TagsRenameOptions, run.rename, show.tag_changed))
def rename_command(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="An existing tag.", autocompletion=complete_tag)
    ],
    new: NewArg,
    force: Annotated[bool, typer.Option("--force", help="Allow renaming master.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Rename a tag; the current tag follows.

    Example: taskctl tags rename feature-x feature-y
    """


@app.command("copy")
@runs(Command(TagsCopyOptions, run.copy, show.tag_changed))
def copy_command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(metavar="SOURCE", help="The tag to copy.", autocompletion=complete_tag),
    ],
    target: Annotated[str, typer.Argument(metavar="TARGET", help="The new tag's name.")],
    description: DescriptionOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Copy a tag's tasks to a new tag.

    Example: taskctl tags copy master experiment
    """


@app.command("remove")
@runs(Command(TagsRemoveOptions, run.remove, show.tag_changed))
def remove_command(
    ctx: typer.Context,
    name: TagArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Remove a tag and its tasks (asks first on a terminal; else pass --yes).

    Removing the current tag makes master current; master cannot be removed.

    Example: taskctl tags remove experiment --yes
    """
