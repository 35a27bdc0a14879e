"""Hostile text: line ends, control characters, and invisible or bidirectional ones.

One place decides

* what a **line end** is in a ``.pact`` source: ``\\n``, ``\\r\\n`` and a lone
  ``\\r`` (old Mac files), nothing else.  ``\\v``, ``\\f``, ``\\x85``, U+2028
  and U+2029 are not line ends: line numbers (the parser) and the source
  excerpts of diagnostics (:func:`split_lines`) agree on that;
* which characters are **never printed raw**: C0 controls except tab and line
  feed, DEL, C1 controls, U+2028/U+2029, the bidirectional formatting
  characters, the zero-width / invisible ones, and U+FFFE/U+FFFF.
  :func:`escape_controls` replaces each with a visible escape (``\\x1b``,
  ``\\u202e``), for terminals, reports and XML;
* which characters a string literal may not hold (:func:`forbidden_in_string`:
  every control character but tab, U+2028/U+2029, and the XML non-characters) and which draw
  a warning in strings and comments (:func:`bidi_controls`, :func:`invisibles`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "BIDI_CONTROLS",
    "INVISIBLES",
    "LINE_END",
    "bidi_controls",
    "char_name",
    "escape_controls",
    "forbidden_in_string",
    "invisibles",
    "normalize_line_ends",
    "split_lines",
]

#: The line ends of a source file.
LINE_END = re.compile(r"\r\n|\r|\n")
_LONE_CR = re.compile(r"\r(?!\n)")

#: Bidirectional formatting characters ("Trojan source", CVE-2021-42574):
#: embeddings, overrides, isolates, and the implicit marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)
#: Characters that take no space: text that looks identical but is not.
INVISIBLES = frozenset(
    "\u200b\u200c\u200d"  # zero width space, non-joiner, joiner
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\ufeff\u180e\u00ad"  # zero width no-break space (BOM), Mongolian vowel separator, soft hyphen
)

_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "".join(sorted(BIDI_CONTROLS))
_INVISIBLE = "".join(sorted(INVISIBLES))
# never printed raw (tab and line feed are, where the output allows them)
_UNPRINTABLE = re.compile(f"[{_C0_C1}\u2028\u2029{_BIDI}{_INVISIBLE}\ufffe\uffff\ud800-\udfff]")
_UNPRINTABLE_NO_NL = re.compile(
    f"[{_C0_C1}\n\u2028\u2029{_BIDI}{_INVISIBLE}\ufffe\uffff\ud800-\udfff]"
)
# not allowed in a string literal: controls (tab excepted; a line feed is \n),
# the Unicode line and paragraph separators (a line break is \n too), and the
# characters XML 1.0 cannot carry at all (DOCX, HTML, JUnit)
_FORBIDDEN_IN_STRING = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]"
)
_BIDI_RE = re.compile(f"[{_BIDI}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")

_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BACKSPACE",
    "\x09": "TAB",
    "\x0a": "LINE FEED",
    "\x0b": "VERTICAL TAB",
    "\x0c": "FORM FEED",
    "\x0d": "CARRIAGE RETURN",
    "\x1b": "ESC",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
    "\u00ad": "SOFT HYPHEN",
    "\u061c": "ARABIC LETTER MARK",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2060": "WORD JOINER",
    "\u2061": "FUNCTION APPLICATION",
    "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}


def _code(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def char_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names a character."""
    name = _NAMES.get(ch)
    if name is None:
        import unicodedata

        name = unicodedata.name(ch, "control character" if ord(ch) < 0xA0 else "character")
    return f"U+{ord(ch):04X} {name}"


def escape_controls(text: str, *, newlines: bool = True) -> str:
    """``text`` with every character that must not be printed raw made visible
    (``"\\x1b"``, ``"\\u202e"``).  Tab is kept; line feed is kept when
    ``newlines`` (else escaped too).  Text without such characters is returned
    as is."""
    pattern = _UNPRINTABLE if newlines else _UNPRINTABLE_NO_NL
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: _code(m.group()), text)


def forbidden_in_string(text: str) -> Iterator[int]:
    """Offsets of the characters a string literal may not hold raw."""
    return (m.start() for m in _FORBIDDEN_IN_STRING.finditer(text))


def bidi_controls(text: str) -> Iterator[int]:
    """Offsets of bidirectional formatting characters."""
    return (m.start() for m in _BIDI_RE.finditer(text))


def invisibles(text: str) -> Iterator[int]:
    """Offsets of zero-width and other invisible characters."""
    return (m.start() for m in _INVISIBLE_RE.finditer(text))


def normalize_line_ends(text: str) -> str:
    """A lone ``\\r`` becomes ``\\n``; offsets do not move (``\\r\\n`` is kept)."""
    if "\r" not in text:
        return text
    return _LONE_CR.sub("\n", text)


def split_lines(text: str) -> list[str]:
    """The lines of a source text, without their ends (see :data:`LINE_END`)."""
    lines = LINE_END.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()  # a final line end does not start a line
    return lines
