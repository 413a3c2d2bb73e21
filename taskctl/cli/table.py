"""A table for a terminal, laid out in one pass over its columns.

Why not rich's Table: it measures and renders every cell as a styled object, segment by
segment, which cost 8.3 s and 100 MB for 10,000 tasks on a terminal (issue 12) where
the plain table of the same rows costs 0.25 s. Here each column is measured once (in
C when its cells are ASCII), the widths are fitted to the terminal, each distinct
styled value is drawn once, and the rows are joined into one string.

What it draws, like the rich table it replaces: aligned columns two spaces apart that
fit `width` terminal cells, cells too long for their column cut with `…`, bold
headers, and the styles named per value (`bold`, `dim`, `strike` and a few colours)
as ANSI SGR sequences. Cells are literal text: the caller has made them safe
(`render.clean`), and no markup is parsed.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from itertools import repeat

import msgspec

from taskctl.cli.cells import ELLIPSIS, cell_width, cut
from taskctl.cli.render import Chunks, join_lines, row_chunks

GAP = "  "
RESET = "\x1b[0m"
_SGR = {
    "bold": "1",
    "dim": "2",
    "strike": "9",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "magenta": "35",
}


def sgr(style: str) -> str:
    """The sequence that turns `style` on (`"bold red"` -> ESC[1;31m); "" for no style."""
    codes = [_SGR[word] for word in style.split()]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def fit(natural: Sequence[int], floors: Sequence[int], room: int) -> list[int]:
    """Column widths that sum to at most `room`: the widest columns give way first.

    Every column wider than a cap is cut to it, never below its floor (its header's
    width), with the largest cap that fits; the cells left over go to the rightmost
    cut columns (the title). So narrow columns (ID, STATUS) stay whole, and a long
    DEPS list cannot crowd the title out. Floors too wide for `room` are dropped.
    """
    if sum(natural) <= room:
        return list(natural)
    floors = [min(f, n) for f, n in zip(floors, natural, strict=True)]
    if sum(floors) > room:
        floors = [min(1, n) for n in natural]

    def total(cap: int) -> int:
        return sum(max(f, min(n, cap)) for n, f in zip(natural, floors, strict=True))

    low, high = 0, max(natural)
    while low < high:  # the largest cap with total(cap) <= room
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [max(f, min(n, low)) for n, f in zip(natural, floors, strict=True)]
    spare = room - sum(widths)
    for i in reversed(range(len(widths))):
        if spare > 0 and widths[i] < natural[i]:
            widths[i] += 1
            spare -= 1
    return widths


def _all_ascii(cells: Sequence[str]) -> bool:
    # Joined, checked at once: a string knows whether it is ASCII, and the join copies
    # memory; a call a cell costs ten times as much.
    return "".join(cells).isascii()


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


class _Plan(msgspec.Struct, frozen=True, kw_only=True):
    """How one column is drawn, decided once from all its cells."""

    width: int
    ascii: bool  # every cell: one character, one cell
    fits: bool  # no cell is cut
    styles: Mapping[str, str] | None  # the style of each value
    last: bool  # not padded


def _cell(text: str, plan: _Plan) -> str:
    shown = cut(text, plan.width)
    padding = "" if plan.last else " " * (plan.width - cell_width(shown))
    on = sgr(plan.styles.get(text, "")) if plan.styles else ""
    return f"{on}{shown}{RESET}{padding}" if on else shown + padding


def _column(cells: Sequence[str], plan: _Plan) -> Sequence[str]:
    """The column's cells cut and padded to its width, and styled."""
    if plan.styles is not None:  # few distinct values (statuses, priorities): each drawn once
        drawn = {v: _cell(v, plan) for v in set(cells)}
        return list(map(drawn.__getitem__, cells))
    width = plan.width
    if not plan.ascii:
        return [_cell(c, plan) for c in cells]
    if not plan.fits:
        cells = [c if len(c) <= width else c[: width - 1] + ELLIPSIS for c in cells]
    return cells if plan.last else list(map(str.ljust, cells, repeat(width)))


def draw(
    headers: Sequence[str],
    columns: Sequence[Sequence[str]],
    *,
    width: int,
    styles: Mapping[int, Mapping[str, str]] | None = None,
    color: bool = True,
) -> Chunks:
    """The table of `columns` (each a list of cells): a line for the headers, then one
    a row; `styles` maps a column's index to the style of each of its values."""
    ascii_only = [_all_ascii(c) for c in columns]
    natural = [
        max(cell_width(h), max(map(len if a else cell_width, c), default=0))
        for h, c, a in zip(headers, columns, ascii_only, strict=True)
    ]
    room = width - len(GAP) * (len(headers) - 1)
    widths = fit(natural, [cell_width(h) for h in headers], room)
    last = len(headers) - 1
    plans = [
        _Plan(
            width=widths[i],
            ascii=ascii_only[i],
            fits=natural[i] <= widths[i],
            styles=(styles or {}).get(i) if color else None,
            last=i == last,
        )
        for i in range(len(headers))
    ]
    header = GAP.join(
        _cell(h, msgspec.structs.replace(plan, styles=None))
        for h, plan in zip(headers, plans, strict=True)
    )
    if color:
        header = f"{sgr('bold')}{header}{RESET}"

    def rows(part: Sequence[Sequence[str]]) -> str:
        drawn = [_column(cells, plan) for cells, plan in zip(part, plans, strict=True)]
        return join_lines(map(GAP.join, zip(*drawn, strict=True)))

    return Chunks(
        lines=1 + len(columns[0]),
        width=sum(widths) + len(GAP) * last,
        parts=itertools.chain([header + "\n"], map(rows, row_chunks(columns))),
    )
