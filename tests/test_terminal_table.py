"""The task table on a terminal: aligned to the terminal's width, long text cut with `…`,
coloured by status and priority, task text escaped (issue 12).

Each test runs the real `taskctl tasks list` on a pseudo-terminal of a given size and
reads the screen back. Widths are measured with rich's `cell_len`, not with the
function the table uses, so that the two must agree on the characters used here
(ASCII, CJK, fullwidth, emoji, combining accents).
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from taskctl.cli import cells, table
from taskctl.cli.render import clean
from tests.cli_process import RAW_CONTROL, make_project
from tests.terminal import SGR, Screen, on_terminal

HEADERS = ["ID", "STATUS", "PRIORITY", "DEPS", "TITLE"]
STATUSES = ["pending", "in-progress", "done", "review", "deferred", "cancelled", "blocked"]
PRIORITIES = ["critical", "high", "medium", "low", None]
# Pieces of titles: plain words, wide characters, characters that must be escaped,
# and rich markup, which must show as typed.
PIECES = [
    "write",
    "the",
    "benchmark",
    "漢字のタイトル",
    "\uff26\uff35\uff2c\uff2c",  # FULL in fullwidth letters
    "🎉",
    "café",
    "cafe\u0301",
    "\x1b[31mred",
    "bell\x07",
    "\u202eevil",
    "zero\u200bwidth",
    "[bold]not bold[/bold]",
    "[red]",
    ":100:",
]
LONG_TITLE = "A title far longer than any terminal " + "漢字 and more words " * 15


def _title(rng: random.Random) -> str:
    return " ".join(rng.choices(PIECES, k=rng.randint(1, 6)))


def _tasks(count: int = 40) -> list[dict[str, Any]]:
    rng = random.Random(12)
    tasks: list[dict[str, Any]] = []
    for n in range(1, count + 1):
        item: dict[str, Any] = {
            "id": n,
            "title": LONG_TITLE if n == 7 else _title(rng),
            "description": "d",
            "status": rng.choice(STATUSES),
            "dependencies": rng.sample(range(1, n), k=min(n - 1, rng.choice([0, 0, 1, 3, 9]))),
            "subtasks": [
                {
                    "id": j,
                    "title": _title(rng),
                    "description": "",
                    "status": rng.choice(STATUSES),
                    "dependencies": [],
                }
                for j in range(1, rng.choice([0, 0, 1, 3]) + 1)
            ],
        }
        priority = rng.choice(PRIORITIES)
        if priority is not None:
            item["priority"] = priority
        tasks.append(item)
    return tasks


def _expected_rows(tasks: list[dict[str, Any]]) -> list[list[str]]:
    """ID, STATUS, PRIORITY, DEPS, TITLE of each listed task and subtask, as shown whole."""
    rows = []
    for t in tasks:
        deps = ",".join(map(str, t["dependencies"])) or "-"
        rows.append([str(t["id"]), t["status"], t.get("priority") or "-", deps, clean(t["title"])])
        rows += [
            [f"  {t['id']}.{s['id']}", s["status"], "-", "-", clean(s["title"])]
            for s in t["subtasks"]
        ]
    return rows


@pytest.fixture
def listed(tmp_path: Path) -> tuple[Path, list[list[str]]]:
    tasks = _tasks()
    root = make_project(tmp_path / "proj", json.dumps({"master": {"tasks": tasks}}))
    return root, _expected_rows(tasks)


def _cells(line: str, starts: list[int], width: int) -> list[str]:
    """The line cut at the columns' start offsets (in cells), each cell's padding
    removed; a character across a boundary, or a cell not followed by two spaces,
    fails the test."""
    offsets = {0: 0}  # cell offset -> index in the line
    position = 0
    for i, char in enumerate(line):
        position += cell_len(char)
        offsets[position] = i + 1
    assert position <= width, f"line wider than the terminal: {line!r}"
    bounds = [*starts, max(position, starts[-1])]
    cells = []
    for k in range(len(starts)):
        begin, end = bounds[k], bounds[k + 1]
        assert begin in offsets, f"a wide character across a column: {line!r}"
        assert end in offsets, f"a wide character across a column: {line!r}"
        text = line[offsets[begin] : offsets[end]]
        if k < len(starts) - 1:
            assert text.endswith("  "), f"column {k + 1} is not followed by its gap: {line!r}"
        cells.append(text.rstrip(" "))
    return cells


def _check_table(
    screen: Screen, expected: list[list[str]], width: int, headers: list[str] = HEADERS
) -> int:
    """Every row's cells at the header's offsets, whole or cut with `…`; the number cut."""
    assert screen.returncode == 0, screen.raw
    header, *rows = screen.lines
    starts = [cell_len(header[: header.index(name)]) for name in headers]
    assert header.split() == headers
    assert len(rows) == len(expected), "one line a task: nothing wraps"
    widths = [b - a - 2 for a, b in itertools.pairwise(starts)] + [width - starts[-1]]
    cut = 0
    for line, want in zip(rows, expected, strict=True):
        for shown, whole, room in zip(_cells(line, starts, width), want, widths, strict=True):
            if shown == whole.rstrip(" "):
                continue
            cut += 1
            assert shown.endswith("…"), (shown, whole)
            assert whole.startswith(shown[:-1]), (shown, whole)
            assert cell_len(whole) > room >= cell_len(shown), (shown, whole, room)
    return cut


@pytest.mark.parametrize("width", [40, 80, 200])
def test_the_table_fits_the_terminal_aligned_and_cut(
    listed: tuple[Path, list[list[str]]], width: int
) -> None:
    root, expected = listed
    screen = on_terminal(root, "tasks", "list", "--with-subtasks", columns=width)
    cut = _check_table(screen, expected, width)
    long_row = next(row for row in screen.lines if row.startswith("7 "))
    assert long_row.endswith("…")  # LONG_TITLE is cut at every width
    if width == 200:
        assert cut == 1  # and nothing else
    else:
        assert cut > 1


def test_the_terminal_size_from_columns_wins_as_in_rich(
    listed: tuple[Path, list[list[str]]],
) -> None:
    root, expected = listed
    screen = on_terminal(root, "tasks", "list", columns=200, env={"COLUMNS": "60"})
    _check_table(screen, [row for row in expected if not row[0].startswith(" ")], 60)


def test_task_text_is_escaped_and_markup_shown_as_typed(
    listed: tuple[Path, list[list[str]]],
) -> None:
    root, _ = listed
    screen = on_terminal(root, "tasks", "list", "--with-subtasks", columns=250)
    shown = "\n".join(screen.lines)
    assert not RAW_CONTROL.search(shown), "a control character reached the terminal"
    assert "\x1b" not in shown  # only taskctl's own colours (removed by .lines) are sent
    for literal in ("\\x1b[31mred", "bell\\x07", "\\u202eevil", "zero\\u200bwidth"):
        assert literal in shown
    assert "[bold]not bold[/bold]" in shown
    assert ":100:" in shown  # no emoji code replaced


def test_colours_by_status_and_priority_and_bold_headers(
    listed: tuple[Path, list[list[str]]],
) -> None:
    root, _ = listed
    raw = on_terminal(root, "tasks", "list", columns=200).raw
    assert raw.startswith("\x1b[1mID ")
    for sequence in (
        "\x1b[32mdone\x1b[0m",
        "\x1b[33min-progress\x1b[0m",
        "\x1b[35mreview\x1b[0m",
        "\x1b[31mblocked\x1b[0m",
        "\x1b[2mdeferred\x1b[0m",
        "\x1b[2;9mcancelled\x1b[0m",
        "\x1b[1;31mcritical\x1b[0m",
        "\x1b[31mhigh\x1b[0m",
        "\x1b[2mlow\x1b[0m",
    ):
        assert sequence in raw, sequence
    assert "\x1b" not in SGR.sub("", raw)  # nothing else than those


def test_no_colour_keeps_the_layout(listed: tuple[Path, list[list[str]]]) -> None:
    root, expected = listed
    screen = on_terminal(
        root,
        "-c",
        "output.color=never",
        "tasks",
        "list",
        "-f",
        "table",
        "--with-subtasks",
        columns=80,
    )
    assert "\x1b" not in screen.raw
    _check_table(screen, expected, 80)


def test_all_tags_adds_the_tag_column(tmp_path: Path) -> None:
    tasks = _tasks(6)
    doc = {"master": {"tasks": tasks}, "漢字タグ": {"tasks": tasks[:2]}}
    root = make_project(tmp_path / "proj", json.dumps(doc))
    screen = on_terminal(root, "tasks", "list", "--all-tags", columns=80)
    expected = [
        [tag, *row]
        for tag, items in doc.items()
        for row in _expected_rows(items["tasks"])
        if not row[0].startswith(" ")
    ]
    _check_table(screen, expected, 80, ["TAG", *HEADERS])


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [
        ("abcdef", 6, "abcdef"),
        ("abcdef", 4, "abc…"),
        ("漢字のタイトル", 6, "漢字…"),  # 漢字の would take 6 cells, and … one more
        ("漢字のタイトル", 5, "漢字…"),
        ("cafe\u0301 au lait", 5, "cafe\u0301…"),
        ("abc", 0, ""),
    ],
)
def test_cut_counts_cells(text: str, width: int, shown: str) -> None:
    assert cells.cut(text, width) == shown
    assert cell_len(shown) <= width


def test_fit_cuts_the_widest_columns_first() -> None:
    # ID, STATUS, PRIORITY, DEPS, TITLE with a long title and a long list of deps
    natural, floors = [5, 11, 8, 40, 90], [2, 6, 8, 4, 5]
    assert table.fit(natural, floors, 200) == natural
    widths = table.fit(natural, floors, 72)
    assert sum(widths) == 72
    assert widths[:3] == [5, 11, 8]  # the narrow columns stay whole
    assert widths[3] == 24 <= widths[4] == 24  # deps do not crowd the title out
    assert table.fit(natural, floors, 10) == [2, 2, 2, 2, 2]  # below the headers' widths
