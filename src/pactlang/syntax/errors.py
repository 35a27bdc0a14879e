"""Syntax error messages: what was found, what could come instead, and a hint.

Lark reports the unexpected token and the terminals the parser could accept;
this module words them for people (``unexpected `consensus`; expected
`majority`, `unanimity`, `>=` or `>```) and adds a ``help:`` line where the
mistake is a known one.
"""

from __future__ import annotations

from typing import cast

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from pactlang.diagnostics import DiagnosticBag, Span
from pactlang.syntax.build import tok_span
from pactlang.syntax.grammar import describe_terminal, keywords


def _error_for(exc: UnexpectedInput, bag: DiagnosticBag) -> None:
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        exp = _expected(exc)
        bag.error(
            "E003",
            "unexpected end of file" + (f"; expected {exp}" if exp else ""),
            _eof_span(exc),
            help="a `{` may be missing its closing `}`",
        )
        return
    if isinstance(exc, UnexpectedEOF):
        bag.error("E003", "unexpected end of file", None)
        return
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        span = tok_span(tok)
        expected = set(exc.expected or ())
        if str(tok) in keywords() and "NAME" in expected:
            bag.error(
                "E004",
                f"`{tok}` is a reserved keyword and cannot be used as a name",
                span,
                help=f"choose another name, e.g. `{tok}_value`",
            )
            return
        if tok.type == "UPPER" and "NAME" in expected:
            bag.error(
                "E001",
                f"unexpected `{tok}`: names are lower-case",
                span,
                help="names use a-z, 0-9 and `_`, starting with a letter or `_`",
            )
            return
        exp = _expected(exc)
        bag.error(
            "E001",
            f"unexpected {_show_token(tok)}" + (f"; expected {exp}" if exp else ""),
            span,
        )
        return
    if isinstance(exc, UnexpectedCharacters):
        pos = cast(int, exc.pos_in_stream)
        bag.error(
            "E002",
            "unterminated string: it needs a closing `\"` on the same line"
            if exc.char == '"'
            else f"unexpected character {exc.char!r}",
            Span(pos, pos + 1, exc.line, exc.column, exc.line, exc.column + 1),
        )
        return
    bag.error("E001", str(exc).splitlines()[0], None)


def _show_token(tok: Token) -> str:
    if tok.type == "STRING":
        return f"string {tok}"
    return f"`{tok}`"


def _expected(exc: UnexpectedInput) -> str:
    names = sorted({describe_terminal(n) for n in (getattr(exc, "expected", None) or ())})
    if not names:
        return ""
    if len(names) > 8:
        return ", ".join(names[:8]) + f" or {len(names) - 8} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _eof_span(exc: UnexpectedToken) -> Span | None:
    tok = exc.token
    if tok.line is not None and tok.column is not None and tok.start_pos is not None:
        return tok_span(tok)
    return None


