"""Positions: source offsets ↔ LSP line/character positions.

The AST's spans carry offsets into the Python string of the file (code
points).  LSP positions are a 0-based line and a 0-based character counted in
the *position encoding* agreed with the client: UTF-16 code units unless the
client offers UTF-8 or UTF-32 (LSP 3.17 ``general.positionEncodings``).  A
character outside the Basic Multilingual Plane (an emoji) is 2 UTF-16 units,
1 code point and 4 UTF-8 bytes; ``é`` is 1, 1 and 2.

Lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as LSP says.  A position past the end
of its line is clamped to the line's end (LSP asks servers to do so); a
position in the middle of a surrogate pair or of a UTF-8 sequence is rounded
down to the character that contains it.

This module does not depend on pygls, so it is tested on its own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pactlang.diagnostics import Span

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF16, UTF8, UTF32)

_LINE_END = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str = UTF16) -> int:
    """The length of ``text`` in code units of ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    # UTF-16: one unit per code point, two for those outside the BMP
    n = len(text)
    if text.isascii():
        return n
    return n + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _width(ch: str, encoding: str) -> int:
    o = ord(ch)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 2 if o > 0xFFFF else 1


@dataclass(frozen=True, slots=True)
class Pos:
    """An LSP position: 0-based line and character (in the encoding's units)."""

    line: int
    character: int


class LineIndex:
    """Converts between offsets of one text and LSP positions."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown position encoding {encoding!r}")
        self.text = text
        self.encoding = encoding
        self.starts = [0]  # offset of the first character of each line
        self.ends = []  # offset of each line's end (before its line break)
        for m in _LINE_END.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line] : self.ends[line]]

    def position(self, offset: int) -> Pos:
        """The position of ``offset`` (clamped into the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        # an offset inside a \r\n pair belongs to the end of its line
        start = self.starts[line]
        stop = min(offset, self.ends[line])
        return Pos(line, units(self.text[start:stop], self.encoding))

    def offset(self, line: int, character: int) -> int:
        """The offset of a position; past the end of a line or of the text, clamped."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        if character <= 0:
            return start
        if self.encoding == UTF32:
            return min(start + character, end)
        seen = 0
        for i in range(start, end):
            seen += _width(self.text[i], self.encoding)
            if seen > character:
                return i
            if seen == character:
                return i + 1
        return end

    def span_range(self, span: Span) -> tuple[Pos, Pos]:
        """The start and end positions of a span (its offsets, not its line/col)."""
        return self.position(span.start), self.position(span.end)

    def end(self) -> Pos:
        return self.position(len(self.text))
