"""Syntax error messages: what was found, what could come instead, and a hint.

Lark reports the unexpected token and the terminals the parser could accept;
this module words them for people (``unexpected `consensus`; expected
`majority`, `unanimity`, `>=` or `>```) and adds a ``help:`` line where the
mistake is a known one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from pactlang.diagnostics import DiagnosticBag, Span
from pactlang.syntax.build import _clip, tok_span
from pactlang.syntax.grammar import describe_terminal, keywords


def _error_for(
    exc: UnexpectedInput, bag: DiagnosticBag, before: Sequence[Token] = ()
) -> None:
    """Report a syntax error; ``before`` are the tokens that precede the unexpected
    one in its declaration (the last ones matter), for the hints of :func:`hint`."""
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
        instead, help_text = hint(tok, before, expected)
        bag.error(
            "E001",
            f"unexpected {_show_token(tok)}" + (f"; expected {instead or exp}" if exp else ""),
            span,
            help=help_text,
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


_DURATION_UNITS = frozenset({"DAY", "DAYS", "BUSINESS", "MONTH", "MONTHS", "QUARTER", "QUARTERS"})
_WEEK_WORDS = {"week": 7, "weeks": 7, "wk": 7, "wks": 7, "fortnight": 14, "fortnights": 14}


def hint(
    tok: Token, before: Sequence[Token], expected: set[str]
) -> tuple[str | None, str | None]:
    """A known mistake: what to say is expected instead (None: Lark's list) and a
    ``help:`` line that points at the fix."""
    prev = before[-1].type if before else None
    prev2 = before[-2].type if len(before) > 1 else None
    if tok.type == "PERCENT" and prev == "WEIGHT":
        return (
            "a number",
            "a member's weight is a plain number (`member acme weight 60`): its share is its "
            "weight over the total weight, so percentages are not needed",
        )
    if tok.type == "CONSENSUS" and prev == "REQUIRES":
        return (
            None,
            "consensus is set for the whole committee: add `consensus 2 rounds` to the "
            "committee, and give the rule that applies after the consensus rounds: "
            "`requires majority`",
        )
    days = _WEEK_WORDS.get(str(tok).lower()) if prev == "NUMBER" else None
    if prev == "NUMBER" and (days or expected & _DURATION_UNITS):
        n = _number(before[-1])
        in_days = f"{n * days} days" if days and n is not None else "14 days"
        if prev2 in ("WITHIN", "NOTICE"):
            what = "a notice" if prev2 == "NOTICE" else "a time limit"
            return (
                "`days` or `business days`",
                f"{what} is counted in days or business days: write e.g. "
                f"`{str(before[-2]).lower()} {in_days}` or `{str(before[-2]).lower()} 10 business days`",
            )
        if prev2 == "FOR":
            return (
                "`months`, `quarters` or `years`",
                "a condition holds for a number of checks: write e.g. `for 3 months` "
                "(or quarters, years, as the threshold is checked)",
            )
        if days:
            return (
                "`days`, `business days`, `months`, `quarters` or `years`",
                f"there is no week unit: write the duration in days (`{in_days}`) or business days",
            )
    return None, None


def _number(t: Token) -> int | None:
    text = str(t).replace("_", "")
    # a hint needs a small number; a huge one (thousands of digits) is not read
    return int(text) if text.isdigit() and len(text) <= 40 else None


def _show_token(tok: Token) -> str:
    if tok.type == "STRING":
        return f"string {_clip(str(tok))}"
    return f"`{_clip(str(tok))}`"


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


