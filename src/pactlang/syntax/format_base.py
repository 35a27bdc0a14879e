"""What the formatter (:mod:`pactlang.syntax.format`) shares with the layout
of test blocks (:mod:`pactlang.syntax.format_tests`): the precedence levels of
operands, string literals, and the printer's interface the test layout draws on.
"""

from __future__ import annotations

from typing import Protocol

from pactlang.syntax import ast

__all__ = [
    "P_AND", "P_ATOM", "P_CMP", "P_IF", "P_NEG", "P_NOT", "P_OR", "P_OTHERWISE", "P_PROD", "P_SUM",
    "Printer",
    "quote",
]

# precedence levels, loosest first; an operand printed where a level is needed
# gets parentheses when its own level is looser
P_IF, P_OTHERWISE, P_OR, P_AND, P_NOT, P_CMP, P_SUM, P_PROD, P_NEG, P_ATOM = range(10)


def quote(value: str) -> str:
    """A string literal for ``value`` (the inverse of the parser's unescaping)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class Printer(Protocol):
    """The formatter's printer as the layout of test blocks uses it: lines
    emitted with the source range they print, blocks closed, expressions and
    whole numbers as written, keywords found in the source."""

    def emit(
        self,
        depth: int,
        text: str,
        start: int,
        end: int,
        *,
        opening: bool = False,
        closing: bool = False,
    ) -> object: ...

    def close(self, depth: int, span_end: int) -> None: ...

    def expr(self, e: ast.Expr, min_prec: int = P_IF) -> str: ...

    def whole(self, span_start: int, span_end: int, value: int) -> str: ...

    def _keyword_before(self, pos: int, value: str, floor: int) -> int: ...
