"""How many terminal cells text takes, and cutting it to a width: the one rule that
the terminal table (`cli/table.py`) and the pager's "wider than the screen" test
(`render.emit_text`) share."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Terminal cells of one character, by the rules of wcwidth (glibc's, which
    terminals follow): East Asian wide and fullwidth characters take two cells;
    combining and enclosing marks, format characters and the Hangul vowels and final
    consonants that join the syllable before them take none."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    if char == "\xad":  # the soft hyphen is drawn
        return 1
    if unicodedata.category(char) in ("Mn", "Me", "Cf") or "\u1160" <= char <= "\u11ff":
        return 0
    return 1


def cell_width(text: str) -> int:
    """Terminal cells `text` takes (one line, no control characters)."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells: cut, with `…` as its last cell, when longer."""
    if cell_width(text) <= width:
        return text
    if width <= 0:
        return ""
    room = width - 1
    if text.isascii():
        return text[:room] + ELLIPSIS
    used = 0
    end = len(text)
    for i, char in enumerate(text):
        used += char_width(char)
        if used > room:  # a wide character that does not fit is left out whole
            end = i
            break
    return text[:end] + ELLIPSIS
