"""Every table, plain line and JSON document leaves through here.

Commands compute a value and hand it to one function of this module, or of
`render_tasks.py` or `render_config.py`, which lay out the commands' results with these.
stdout carries data only; messages, warnings and errors go to stderr.
Long output on a terminal goes through the pager (`cli/pager.py`). The task table is
drawn by `cli/table.py`; rich is imported only for the small tables of `emit_table`.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import msgspec

if TYPE_CHECKING:
    from taskctl.cli.pager import Pager

_JSON_ENCODER = msgspec.json.Encoder()

# C0 and C1 control characters (except tab and newline, handled by the caller), DEL,
# and the invisible format characters that reorder or hide text: bidi embeddings and
# overrides (U+202A-U+202E), isolates (U+2066-U+2069), zero-width characters and
# direction marks (U+200B-U+200F). Task text is data: it must never move the cursor,
# change colours, ring the bell, or show in another order than it is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, *, keep_newlines: bool = False) -> str:
    """Make task text safe for a terminal: control characters become visible escapes."""
    if text.isprintable():  # the common case, checked in C: no control character at all
        return text
    if not keep_newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub(_escape, text)


def clean_each(texts: list[str]) -> list[str]:
    """`clean` for a column of cells; the list itself when all are printable."""
    if "".join(texts).isprintable():  # one scan in C, not a call a cell
        return texts
    return [clean(text) for text in texts]


def encode_json(value: Any) -> bytes:
    """Pretty JSON (2-space indent, like Task Master's files and `gh --json | jq`)."""
    return msgspec.json.format(_JSON_ENCODER.encode(value), indent=2)


def write_bytes(data: bytes, stream: TextIO | None = None, *, end: bytes = b"") -> None:
    """Write `data`, then `end`: two writes, because `data + end` would copy a document
    of tens of megabytes (+12 MB peak memory and ~5 ms for 10,000 tasks)."""
    out = stream or sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.write(end)
        buffer.flush()
    else:  # a text-only stream, as in tests
        out.write(data.decode("utf-8") + end.decode("utf-8"))


def encode_json_compact(value: Any) -> str:
    """One line of JSON, for a value inside a line of text."""
    return _JSON_ENCODER.encode(value).decode()


def emit_json(value: Any) -> None:
    write_bytes(encode_json(value), end=b"\n")


def emit_jsonl(values: Iterable[Any]) -> None:
    write_bytes(b"".join(_JSON_ENCODER.encode(v) + b"\n" for v in values))


def emit_raw_json(document: bytes | msgspec.Raw) -> None:
    """A JSON document already encoded (for example from raw task slices), pretty-printed."""
    write_bytes(msgspec.json.format(document, indent=2), end=b"\n")


def emit_text(text: str, pager: Pager | None = None) -> None:
    """Lines of text, each ending in a newline, in one write: to `pager` (`cli/pager.py`)
    when there is one and they are longer than the screen, else (or when it cannot
    start) to stdout."""
    if pager is None:
        sys.stdout.write(text)
        return
    from taskctl.cli.cells import cell_width  # noqa: PLC0415 - only on a terminal

    lines = text.splitlines()
    width = max(map(cell_width, lines), default=0)
    emit_chunks(Chunks(lines=len(lines), width=width, parts=[text]), pager)


def emit_chunks(chunks: Chunks, pager: Pager | None = None) -> None:
    """`emit_text` of text made a part at a time: each written as it is made."""
    if pager is not None and pager.wanted(chunks.lines, chunks.width) and pager.show(chunks.parts):
        return
    write = sys.stdout.write
    for part in chunks.parts:
        write(part)


def emit_line(text: str = "", pager: Pager | None = None) -> None:
    emit_text(text + "\n", pager)


def emit_lines(lines: Iterable[str], pager: Pager | None = None) -> None:
    lines = list(lines)
    if lines:
        emit_text("\n".join(lines) + "\n", pager)


def message(text: str) -> None:
    """A human message (what was done, where): stderr, so stdout stays data.

    Messages, warnings and errors echo names from the data and the command line (a tag,
    a path, a value): one line each, with control characters made visible."""
    _note(clean(text) + "\n")


def warning(text: str) -> None:
    _note(f"warning: {clean(text)}\n", warning=text)


def error(code: str, text: str, *, as_json: bool) -> None:
    """The one line an error leaves on stderr: with --json, one JSON object and nothing
    else; warnings held until then go into it (`"warnings": [...]`)."""
    if not as_json:
        release_notes()
        _stderr(f"error: {clean(text)}\n")
        return
    held, _held.lines = _held.lines, None
    body: dict[str, Any] = {"code": code, "message": text}
    warnings = [w for _, w in held or () if w is not None]
    if warnings:
        body["warnings"] = warnings
    _stderr(_JSON_ENCODER.encode({"error": body}).decode() + "\n")


class _Held:
    """stderr's notes while a --json command runs: (line, warning text or None)."""

    lines: list[tuple[str, str | None]] | None = None


_held = _Held()


def hold_notes() -> None:
    """Keep messages and warnings until the command ends (`release_notes`), so that an
    error with --json can be the only thing on stderr."""
    _held.lines = []


def release_notes() -> None:
    held, _held.lines = _held.lines, None
    if held:
        _stderr("".join(line for line, _ in held))


def _note(line: str, *, warning: str | None = None) -> None:
    if _held.lines is not None:
        _held.lines.append((line, warning))
    else:
        _stderr(line)


def _stderr(text: str) -> None:
    """stderr is for people: closed or full, it loses the text and the exit code tells."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text)


def confirm(question: str) -> bool:
    """The user's answer, yes or no (the default); Ctrl-C or end of input is a no.

    Not typer.confirm: click writes the space after its prompt to stdout, which
    carries data only."""
    sys.stderr.write(f"{clean(question)} [y/N]: ")
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = ""
    if not answer.endswith("\n"):
        sys.stderr.write("\n")  # end the prompt's line
    return answer.strip().lower() in ("y", "yes")


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Aligned columns separated by two spaces; the last column is not padded."""
    return plain_lines(headers, list(zip(*rows, strict=True)) or [() for _ in headers])


def plain_lines(headers: Sequence[str], columns: Sequence[Sequence[str]]) -> list[str]:
    """`plain_table` of the cells given column by column."""
    template = _plain_template(_plain_widths(headers, columns))
    return [template.format(*headers), *map(template.format, *columns)]


def _plain_widths(headers: Sequence[str], columns: Sequence[Sequence[str]]) -> list[int]:
    # A column at a time (in C), and one format call a row: per-cell Python loops cost
    # ~25 ms for 10,000 rows.
    return [max(len(h), max(map(len, c), default=0)) for h, c in zip(headers, columns, strict=True)]


def _plain_template(widths: Sequence[int]) -> str:
    """Cells are arguments of the template, never parsed as formats."""
    return "".join(f"{{:<{width}}}  " for width in widths[:-1]) + "{}"


class Chunks(msgspec.Struct, frozen=True, kw_only=True):
    """Text made a part at a time (`parts`, each ending in a newline, made as it is
    written): `lines` lines of at most `width` cells."""

    lines: int
    width: int
    parts: Iterable[str]


# Rows a part: a table is made and written a few thousand rows at a time, so that
# memory holds one part's lines, never all of them (10,000 rows and more).
CHUNK_ROWS = 4096


def row_chunks(columns: Sequence[Sequence[str]]) -> Iterator[list[Sequence[str]]]:
    """The columns, a slice of CHUNK_ROWS rows at a time."""
    for start in range(0, len(columns[0]) if columns else 0, CHUNK_ROWS):
        yield [column[start : start + CHUNK_ROWS] for column in columns]


def join_lines(lines: Iterable[str]) -> str:
    """The lines as one text, each ending in a newline."""
    text = "\n".join(lines)
    return text + "\n" if text else text


def plain_chunks(headers: Sequence[str], columns: Sequence[Sequence[str]]) -> Chunks:
    """`plain_lines`, made a part at a time."""
    widths = _plain_widths(headers, columns)
    template = _plain_template(widths)
    return Chunks(
        lines=1 + (len(columns[0]) if columns else 0),
        width=sum(widths) + 2 * (len(widths) - 1),
        parts=itertools.chain(
            [template.format(*headers) + "\n"],
            (join_lines(map(template.format, *part)) for part in row_chunks(columns)),
        ),
    )


def emit_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    rich_table: bool,
    color: bool,
    styles: Sequence[str | None] | None = None,
    title: str | None = None,
) -> None:
    """A rich table on a terminal, plain aligned text otherwise. Cells are literal text."""
    if not rich_table:
        emit_lines(plain_table(headers, rows))
        return
    from rich.console import Console  # noqa: PLC0415 - rich only when a table is drawn
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    console = Console(
        file=sys.stdout,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    table = Table(title=title, header_style="bold" if color else None, box=None)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            style = (styles[i] if styles and color else None) or ""
            cells.append(Text(cell, style=style))  # Text(): never parsed as markup
        table.add_row(*cells)
    console.print(table)


def emit_jsonl_raw(lines: bytes) -> None:
    write_bytes(lines)
