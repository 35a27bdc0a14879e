"""Offsets ↔ LSP positions, in UTF-16 (the default), UTF-8 and UTF-32."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lsp_helpers import utf16_offset, utf16_position

from pactlang.diagnostics import Span
from pactlang.lsp.positions import UTF8, UTF16, UTF32, LineIndex, Pos, units

LINE = '  measure revenue "Chiffre d\'affaires co-généré 🚀" en "Revenue": money'


def test_utf16_counts_an_emoji_as_two_units() -> None:
    text = "x\n" + LINE + "\n"
    ix = LineIndex(text)
    name = text.index("money")
    # code points before `money` on its line vs UTF-16 units: the emoji adds one
    col_cp = name - text.index("\n") - 1
    assert ix.position(name) == Pos(1, col_cp + 1)
    assert ix.position(name) == Pos(*utf16_position(text, name))
    assert ix.offset(1, col_cp + 1) == name


def test_the_three_encodings_on_one_line() -> None:
    text = LINE
    end = len(text)
    assert LineIndex(text, UTF32).position(end) == Pos(0, len(text))
    assert LineIndex(text, UTF16).position(end) == Pos(0, len(text) + 1)
    assert LineIndex(text, UTF8).position(end) == Pos(0, len(text.encode("utf-8")))
    for enc in (UTF8, UTF16, UTF32):
        assert units(text, enc) == LineIndex(text, enc).position(end).character


def test_a_position_inside_a_character_rounds_down() -> None:
    text = "a🚀b"
    ix = LineIndex(text, UTF16)
    assert ix.offset(0, 1) == 1  # before the emoji
    assert ix.offset(0, 2) == 1  # between its two surrogates: the emoji itself
    assert ix.offset(0, 3) == 2  # after it
    ix8 = LineIndex("é!", UTF8)
    assert ix8.offset(0, 1) == 0 and ix8.offset(0, 2) == 1


def test_line_ends_and_clamping() -> None:
    text = "ab\r\ncd\ref\ngh"
    ix = LineIndex(text)
    assert ix.line_count == 4
    assert [ix.line_text(i) for i in range(4)] == ["ab", "cd", "ef", "gh"]
    assert ix.position(text.index("c")) == Pos(1, 0)
    assert ix.position(text.index("e")) == Pos(2, 0)
    assert ix.position(3) == Pos(0, 2)  # inside "\r\n": the end of line 0
    assert ix.offset(0, 99) == 2  # past the end of a line: its end
    assert ix.offset(99, 0) == len(text)  # past the last line: the end
    assert ix.offset(-1, 5) == 0
    assert ix.end() == Pos(3, 2)


def test_span_ranges_use_offsets() -> None:
    text = 'let x = "🚀" \n  y'
    ix = LineIndex(text)
    start = text.index("y")
    span = Span(start, start + 1, 2, 3, 2, 4)
    assert ix.span_range(span) == (Pos(1, 2), Pos(1, 3))


@given(st.text(alphabet=st.sampled_from(["a", "é", "🚀", "\n", " ", "中"]), max_size=40))
def test_round_trip_against_the_utf16_codec(text: str) -> None:
    ix = LineIndex(text)
    for offset in range(len(text) + 1):
        pos = ix.position(offset)
        assert (pos.line, pos.character) == utf16_position(text, offset)
        assert ix.offset(pos.line, pos.character) == offset
        assert utf16_offset(text, pos.line, pos.character) == offset
