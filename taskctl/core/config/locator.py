"""Where each key of a TOML document is: the line numbers in messages and `config explain`."""

from __future__ import annotations

import re

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^\n#]*")


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _parse_key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    """A dotted key (`a."b".'c'`) from `i`: its parts and the position after it."""
    parts: list[str] = []
    while True:
        i = _skip_blanks(text, i)
        if i < len(text) and text[i] in "\"'":
            close = text.find(text[i], i + 1)
            close = len(text) if close < 0 else close
            parts.append(text[i + 1 : close])
            i = close + 1
        else:
            match = _BARE_KEY.match(text, i)
            if not match:
                return tuple(parts), i
            parts.append(match.group())
            i = match.end()
        i = _skip_blanks(text, i)
        if i >= len(text) or text[i] != ".":
            return tuple(parts), i
        i += 1


def _skip_multiline_string(text: str, i: int, quote: str) -> int:
    j = i + 3
    while True:
        close = text.find(quote * 3, j)
        if close < 0:
            return len(text)
        backslashes = len(text[:close]) - len(text[:close].rstrip("\\"))
        if quote == '"' and backslashes % 2:
            j = close + 1
            continue
        end = close + 3
        # Up to two quotes may end the content just before the delimiter: `a""""`.
        while end < len(text) and text[end] == quote and end - close < 5:
            end += 1
        return end


def _skip_value(text: str, i: int) -> int:
    """The position just after the TOML value starting at `i` (which may span lines)."""
    if text.startswith('"""', i) or text.startswith("'''", i):
        return _skip_multiline_string(text, i, text[i])
    if i < len(text) and text[i] == '"':
        j = i + 1
        while j < len(text) and text[j] not in '"\n':
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if i < len(text) and text[i] == "'":
        close = text.find("'", i + 1)
        return len(text) if close < 0 else close + 1
    if i < len(text) and text[i] in "[{":
        depth, j = 1, i + 1
        while j < len(text) and depth:
            char = text[j]
            if char in "\"'":
                j = _skip_value(text, j)
                continue
            if char == "#":
                j = _line_end(text, j)
                continue
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            j += 1
        return j
    match = _SCALAR.match(text, i)
    return match.end() if match else i


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of each key and table of a valid TOML document.

    `[tasks]` then `default_priority = 1` gives `("tasks", "default_priority")`; so
    does `tasks.default_priority = 1`. A table header gives its own path; keys inside
    an inline table `tasks = { ... }` are found through their table's line. Values
    spanning lines (multi-line strings and arrays) are skipped, never read as keys.
    The standard library's reader keeps no positions, hence this small scan.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    i = 0
    while i < len(text):
        if text[i] in " \t\r\n":
            i += 1
            continue
        if text[i] == "#":
            i = _line_end(text, i)
            continue
        line = text.count("\n", 0, i) + 1
        if text[i] == "[":
            array = text.startswith("[[", i)
            parts, i = _parse_key(text, i + (2 if array else 1))
            # Keys under `[[array.of.tables]]` are never configuration keys.
            table = (*parts, "[]") if array else parts
            lines.setdefault(table, line)
            i = _line_end(text, i)
            continue
        parts, i = _parse_key(text, i)
        if not parts:  # not a key: a document tomllib accepted should never get here
            i = _line_end(text, i) + 1
            continue
        lines.setdefault((*table, *parts), line)
        i = _skip_blanks(text, i)
        if i < len(text) and text[i] == "=":
            i = _skip_blanks(text, i + 1)
        i = _line_end(text, _skip_value(text, i))
    return lines
