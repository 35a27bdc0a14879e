"""Shared helpers for the language-server tests (imported by the test modules).

The end-to-end tests start ``pact lsp`` (the installed console script, as an
editor would) and talk JSON-RPC to it over stdio with pytest-lsp.  They are
skipped when the ``lsp`` extra (pygls) or pytest-lsp is not installed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "contracts"


def server_command() -> list[str]:
    """``pact lsp``, as installed next to this interpreter (else through the module)."""
    script = Path(sys.executable).with_name("pact")
    if script.exists():
        return [str(script), "lsp"]
    found = shutil.which("pact")
    if found:
        return [found, "lsp"]
    return [sys.executable, "-c", "from pactlang.cli import main; main()", "lsp"]


def marked(text: str, mark: str = "‸") -> tuple[str, int]:
    """Remove ``mark`` from ``text``; return the text and the offset where it was."""
    offset = text.index(mark)
    return text.replace(mark, "", 1), offset


# ------------------------------------------- positions, computed independently
#
# The server converts offsets with pactlang.lsp.positions; these helpers use
# Python's UTF-16 codec on the text instead, so the tests do not check the
# conversion against itself.


def utf16_position(text: str, offset: int) -> tuple[int, int]:
    """The LSP position (line, UTF-16 character) of a code-point offset in ``text``."""
    before = text[:offset]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return line, len(column_text.encode("utf-16-le")) // 2


def utf16_offset(text: str, line: int, character: int) -> int:
    """The code-point offset of an LSP position (UTF-16 units) in ``text``."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[:line])
    units = lines[line].encode("utf-16-le")[: character * 2]
    return start + len(units.decode("utf-16-le"))


def span_position(text: str, line: int, col: int) -> tuple[int, int]:
    """The LSP position of a 1-based line and 1-based code-point column (a Span's)."""
    source_line = text.split("\n")[line - 1]
    return line - 1, len(source_line[: col - 1].encode("utf-16-le")) // 2


def apply_edits(text: str, edits: list) -> str:  # list of lsprotocol TextEdit
    """``text`` with LSP text edits applied (from the last to the first)."""
    spans = []
    for e in edits:
        start = utf16_offset(text, e.range.start.line, e.range.start.character)
        end = utf16_offset(text, e.range.end.line, e.range.end.character)
        spans.append((start, end, e.new_text))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
