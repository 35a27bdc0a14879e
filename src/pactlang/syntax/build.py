"""Parse tree → typed AST, part 1: the builder's machinery, expressions and tests.

:class:`BuilderBase` walks a Lark parse tree bottom-up with an explicit stack
(no recursion, so a file of any depth ends in an AST or a diagnostic) and
calls, for each rule ``r``, the method ``b_r`` with the already-built children.
This module holds the token helpers and the methods of expressions and test
blocks; :mod:`pactlang.syntax.build_decls` adds the declarations.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, cast

from lark import Token, Tree

from pactlang.base.text import bidi_controls, char_name, forbidden_in_string, invisibles
from pactlang.base.values import Period
from pactlang.diagnostics import DiagnosticBag, Span
from pactlang.syntax import ast

MAX_EXPR_DEPTH = 100
MAX_NUMBER_DIGITS = 40
#: Longest string literal, in characters (E007): about 30 pages of text.
MAX_STRING_CHARS = 100_000

# ------------------------------------------------------------------- spans


def tok_span(t: Token) -> Span:
    return Span(
        cast(int, t.start_pos),
        cast(int, t.end_pos),
        cast(int, t.line),
        cast(int, t.column),
        cast(int, t.end_line),
        cast(int, t.end_column),
    )

class _Spans(Protocol):
    def span(self, start: int, end: int) -> Span: ...


class _OneLine:
    """A :class:`_LineIndex` for text known to be on one line (a string literal)."""

    def __init__(self, start: int, line: int, col: int) -> None:
        self.start, self.line, self.col = start, line, col

    def span(self, start: int, end: int) -> Span:
        col = self.col + start - self.start
        return Span(start, end, self.line, col, self.line, col + end - start)


def _warn_hidden(
    raw: str, offset: int, index: _Spans, bag: DiagnosticBag, where: str
) -> None:
    """W010 for bidirectional controls, W011 for invisible characters in ``raw``
    (a string literal or a comment starting at ``offset``); one warning each per
    literal, at the first such character."""
    found = list(bidi_controls(raw))
    if found:
        bag.warning(
            "W010",
            f"bidirectional control character {_first_of(raw, found)} in {where}: "
            "it can make the text display in another order than it reads",
            index.span(offset + found[0], offset + found[0] + 1),
            help="remove it, or write the text without it",
        )
    found = list(invisibles(raw))
    if found:
        bag.warning(
            "W011",
            f"invisible character {_first_of(raw, found)} in {where}: "
            "text that looks the same is not",
            index.span(offset + found[0], offset + found[0] + 1),
            help="remove it, or write the text without it",
        )


def _first_of(raw: str, found: list[int]) -> str:
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return char_name(raw[found[0]]) + more


def _clip(text: str, width: int = 60) -> str:
    """A token as a message quotes it: long ones are cut (``1111…1111``)."""
    if len(text) <= width:
        return text
    half = width // 2
    return f"{text[:half]}…{text[-half:]}"



def _meta_span(meta: Any) -> Span | None:
    if getattr(meta, "empty", True):
        return None
    return Span(meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line, meta.end_column)





class _Args(list[Any]):
    """Marker for the argument list of a call."""


class _Once:
    pass


ONCE = _Once()


@dataclass(slots=True)
class BuilderBase:
    bag: DiagnosticBag
    depth: dict[int, int] = field(default_factory=dict)

    # -- entry points

    def build(self, tree: Tree[Token]) -> ast.Module:
        return cast(ast.Module, self._walk(tree))

    def build_decl(self, tree: Tree[Token]) -> ast.Decl:
        return cast(ast.Decl, self._walk(tree))

    def build_test(self, tree: Tree[Token]) -> ast.TestBlock:
        return cast(ast.TestBlock, self._walk(tree))

    def _walk(self, root: Tree[Token]) -> Any:
        """Post-order traversal with an explicit stack."""
        results: list[Any] = []
        stack: list[tuple[Any, bool]] = [(root, False)]
        handlers: dict[str, Callable[[list[Any], Any], Any]] = {}
        while stack:
            node, done = stack.pop()
            if not isinstance(node, Tree):
                results.append(node)
                continue
            if not done:
                stack.append((node, True))
                for child in reversed(node.children):
                    stack.append((child, False))
                continue
            k = len(node.children)
            args = results[len(results) - k :] if k else []
            if k:
                del results[len(results) - k :]
            handler = handlers.get(node.data)
            if handler is None:
                handler = handlers[node.data] = getattr(self, "b_" + str(node.data))
            results.append(handler(args, node.meta))
        assert len(results) == 1
        return results[0]

    # -- token helpers

    def text(self, t: Token) -> ast.Text:
        raw = str(t)[1:-1]
        sp = tok_span(t)

        def at(i: int, width: int = 1) -> Span:
            # a string never spans lines: the column moves with the offset
            col = sp.col + 1 + i
            return Span(sp.start + 1 + i, sp.start + 1 + i + width, sp.line, col, sp.line, col + width)

        if len(raw) > MAX_STRING_CHARS:
            self.bag.error(
                "E007",
                f"string too long ({len(raw):,} characters; the limit is {MAX_STRING_CHARS:,})",
                at(0),
                help="a label or a text of a contract is a sentence or a paragraph, not a document",
            )
            return ast.Text("", sp)
        for i in forbidden_in_string(raw):
            self.bag.error(
                "E009",
                f"control character {char_name(raw[i])} in a string",
                at(i),
                help="remove it; write a line break as \\n",
            )
            break  # one per string: the first
        if not raw.isascii():
            _warn_hidden(raw, sp.start + 1, _OneLine(sp.start + 1, sp.line, sp.col + 1), self.bag, "a string")
        if "\\" not in raw:
            return ast.Text(raw, sp)
        out = []
        i = 0
        while i < len(raw):
            j = raw.find("\\", i)
            if j < 0 or j + 1 >= len(raw):
                out.append(raw[i:])
                break
            out.append(raw[i:j])
            nxt = raw[j + 1]
            if nxt in ('"', "\\"):
                out.append(nxt)
            elif nxt == "n":
                out.append("\n")
            else:
                self.bag.error(
                    "E008",
                    f"invalid escape `\\{nxt}` in a string",
                    at(j, 2),
                    help='strings allow only \\" \\\\ and \\n',
                )
                out.append(nxt)
            i = j + 2
        return ast.Text("".join(out), sp)

    def ident(self, t: Token) -> ast.Ident:
        return ast.Ident(str(t), tok_span(t))

    def decimal(self, t: Token) -> Decimal:
        raw = str(t).replace("_", "").rstrip("%")
        if len(raw.replace(".", "")) > MAX_NUMBER_DIGITS:
            self.bag.error(
                "E005",
                f"number `{_clip(str(t))}` has more than {MAX_NUMBER_DIGITS} digits",
                tok_span(t),
            )
            return Decimal(0)
        try:
            return Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the lexer only lets digits through
            self.bag.error("E005", f"malformed number `{t}`", tok_span(t))
            return Decimal(0)

    def integer(self, t: Token, what: str) -> int:
        d = self.decimal(t)
        if d != d.to_integral_value():
            self.bag.error("E005", f"{what} must be a whole number, got `{t}`", tok_span(t))
            return int(d)
        return int(d)

    def _expr_depth(self, node: Any, children: list[Any]) -> Any:
        d = 1 + max((self.depth.get(id(c), 0) for c in children), default=0)
        if d > MAX_EXPR_DEPTH:
            if not any(self.depth.get(id(c), 0) > MAX_EXPR_DEPTH for c in children):
                self.bag.error(
                    "E006",
                    f"expression nested too deeply (more than {MAX_EXPR_DEPTH} levels)",
                    node.span,
                    help="split it into named `let` values",
                )
            self.depth[id(node)] = d
            return node
        self.depth[id(node)] = d
        return node

    @staticmethod
    def _span_of(args: list[Any], meta: Any) -> Span:
        s = _meta_span(meta)
        if s is not None:
            return s
        for a in args:
            if isinstance(a, Token):
                return tok_span(a)
            sp = getattr(a, "span", None)
            if isinstance(sp, Span):
                return sp
        return Span(0, 0, 1, 1, 1, 1)

    # -- expressions

    def b_if_expr(self, a: list[Any], m: Any) -> ast.IfThenElse:
        return self._expr_depth(ast.IfThenElse(a[0], a[1], a[2], self._span_of(a, m)), a)

    def b_otherwise_chain(self, a: list[Any], m: Any) -> ast.Expr:
        node = a[-1]
        for left in reversed(a[:-1]):
            node = self._expr_depth(ast.Otherwise(left, node, left.span.cover(node.span)), [left, node])
        return cast(ast.Expr, node)

    def b_or_chain(self, a: list[Any], m: Any) -> ast.Logic:
        return self._expr_depth(ast.Logic("or", tuple(a), self._span_of(a, m)), a)

    def b_and_chain(self, a: list[Any], m: Any) -> ast.Logic:
        return self._expr_depth(ast.Logic("and", tuple(a), self._span_of(a, m)), a)

    def b_not_op(self, a: list[Any], m: Any) -> ast.Unary:
        return self._expr_depth(ast.Unary("not", a[0], self._span_of(a, m)), a)

    def b_compare(self, a: list[Any], m: Any) -> ast.Compare:
        return self._expr_depth(ast.Compare(cast(Any, str(a[1])), a[0], a[2], self._span_of(a, m)), [a[0], a[2]])

    def b_comp_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_add_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_mul_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_arith(self, a: list[Any], m: Any) -> ast.Arith:
        operands = tuple(a[0::2])
        ops = tuple(cast(Any, str(t)) for t in a[1::2])
        return self._expr_depth(ast.Arith(ops, operands, self._span_of(a, m)), list(operands))

    def b_neg(self, a: list[Any], m: Any) -> ast.Expr:
        return self._expr_depth(ast.Unary("-", a[0], self._span_of(a, m)), a)

    def b_call(self, a: list[Any], m: Any) -> ast.Call:
        func = self.ident(a[0])
        raw = a[1] if len(a) > 1 else None
        if raw is None:
            args: tuple[Any, ...] = ()
        elif isinstance(raw, _Args):
            args = tuple(raw)
        else:
            args = (raw,)
        return self._expr_depth(ast.Call(func, args, self._span_of(a, m)), list(args))

    def b_call_args(self, a: list[Any], m: Any) -> _Args:
        return _Args(a)

    def b_to_date(self, a: list[Any], m: Any) -> ast.ToDate:
        return ast.ToDate(self._span_of(a, m))

    def b_year_to_date(self, a: list[Any], m: Any) -> ast.YearToDate:
        return ast.YearToDate(self._span_of(a, m))

    def b_number(self, a: list[Any], m: Any) -> ast.NumberLit:
        t = a[0]
        return ast.NumberLit(self.decimal(t), str(t), tok_span(t))

    def b_percent(self, a: list[Any], m: Any) -> ast.PercentLit:
        t = a[0]
        value = self.decimal(t).scaleb(-2)
        return ast.PercentLit(value, str(t)[:-1], tok_span(t))

    def b_money(self, a: list[Any], m: Any) -> ast.MoneyLit:
        n, code = a
        return ast.MoneyLit(self.decimal(n), str(code), str(n), tok_span(n).cover(tok_span(code)))

    def b_string(self, a: list[Any], m: Any) -> ast.StringLit:
        t = self.text(a[0])
        return ast.StringLit(t.value, t.span)

    def b_true(self, a: list[Any], m: Any) -> ast.BoolLit:
        return ast.BoolLit(True, self._span_of(a, m))

    def b_false(self, a: list[Any], m: Any) -> ast.BoolLit:
        return ast.BoolLit(False, self._span_of(a, m))

    def b_date(self, a: list[Any], m: Any) -> ast.DateLit:
        t = a[0]
        try:
            value = datetime.date.fromisoformat(str(t))
        except ValueError:
            self.bag.error("E005", f"`{t}` is not a valid date", tok_span(t))
            value = datetime.date(2000, 1, 1)
        return ast.DateLit(value, tok_span(t))

    def b_period(self, a: list[Any], m: Any) -> ast.PeriodLit:
        t = a[0]
        try:
            value = Period.parse(str(t))
        except ValueError:
            self.bag.error("E005", f"`{t}` is not a valid month", tok_span(t), help="months are YYYY-MM, 01 to 12")
            value = Period(2000, 1)
        return ast.PeriodLit(value, tok_span(t))

    def b_duration(self, a: list[Any], m: Any) -> ast.DurationLit:
        amount = self.integer(a[0], "a duration")
        return ast.DurationLit(amount, a[1], self._span_of(a, m))

    def b_duration_unit(self, a: list[Any], m: Any) -> str:
        words = [str(t) for t in a]
        if words[0] == "business":
            return "business_day"
        return words[0].rstrip("s")

    def b_missing(self, a: list[Any], m: Any) -> ast.MissingLit:
        return ast.MissingLit(self._span_of(a, m))

    def b_name(self, a: list[Any], m: Any) -> ast.Name:
        parts = tuple(self.ident(t) for t in a)
        return ast.Name(parts, parts[0].span.cover(parts[-1].span))

    # -- tests

    def b_test_block(self, a: list[Any], m: Any) -> ast.TestBlock:
        data = tuple(x for x in a[1:] if isinstance(x, (ast.InlineData, ast.FileData)))
        expects = tuple(x for x in a[1:] if not isinstance(x, (ast.InlineData, ast.FileData)))
        return ast.TestBlock(self.text(a[0]), data, expects, self._span_of(a, m))

    def b_data_inline(self, a: list[Any], m: Any) -> ast.InlineData:
        return ast.InlineData(tuple(a), self._span_of(a, m))

    def b_data_file(self, a: list[Any], m: Any) -> ast.FileData:
        return ast.FileData(self.text(a[0]), self._span_of(a, m))

    def b_data_row(self, a: list[Any], m: Any) -> ast.DataRow:
        return ast.DataRow(self.b_period([a[0]], None), tuple(a[1:]), self._span_of(a, m))

    def b_data_cell(self, a: list[Any], m: Any) -> ast.DataCell:
        return ast.DataCell(self.ident(a[0]), a[1], self._span_of(a, m))

    def b_within(self, a: list[Any], m: Any) -> tuple[str, Any]:
        return ("within", a[0])

    def b_expect_is(self, a: list[Any], m: Any) -> str:
        return "is missing"

    def b_is_word(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])

    def b_expect_tail(self, a: list[Any], m: Any) -> tuple[str, Any, Any]:
        if str(a[0]) == "==":
            within = a[2][1] if len(a) > 2 and a[2] is not None else None
            return ("==", a[1], within)
        return ("is", a[1], None)

    def b_expect_at(self, a: list[Any], m: Any) -> ast.Expectation:
        expr, period_tok, tail = a
        at = self.b_period([period_tok], None)
        span = self._span_of(a, m)
        kind, value, within = tail
        if kind == "==":
            return ast.ExpectValue(expr, at, value, within, span)
        word: ast.Ident = value
        if word.name == "missing":
            return ast.ExpectMissing(expr, at, span)
        if isinstance(expr, ast.Name) and len(expr.parts) == 1:
            return ast.ExpectStatus(expr.head, at, word, span)
        self.bag.error(
            "E070",
            f"`is {word.name}` expects a threshold name before `at`",
            expr.span,
            help="write `expect THRESHOLD at YYYY-MM is STATUS`",
        )
        return ast.ExpectMissing(expr, at, span)

    def b_expect_plain(self, a: list[Any], m: Any) -> ast.Expectation:
        expr = a[0]
        span = self._span_of(a, m)
        within = None
        is_missing = False
        for x in a[1:]:
            if isinstance(x, tuple) and x[0] == "within":
                within = x[1]
            elif x == "is missing":
                is_missing = True
        if is_missing:
            if within is not None:
                self.bag.error(
                    "E070", "`within` has no meaning with `is missing`", within.span, help="remove `within …`"
                )
            return ast.ExpectMissing(expr, None, span)
        if isinstance(expr, ast.Compare) and expr.op == "==":
            return ast.ExpectValue(expr.left, None, expr.right, within, span)
        self.bag.error(
            "E070",
            "an expectation without `at` must compare with `==`",
            expr.span,
            help="write `expect EXPR == VALUE`, or `expect EXPR at YYYY-MM == VALUE`",
        )
        return ast.ExpectMissing(expr, None, span)

    def b_expect_vote(self, a: list[Any], m: Any) -> ast.ExpectVote:
        committee = self.ident(a[0])
        decision = self.ident(a[1])
        rest = a[2:]
        ballot = tuple(x for x in rest if isinstance(x, ast.BallotEntry))
        rnd = next((x for x in rest if isinstance(x, int) and not isinstance(x, bool)), None)
        outcome = rest[-1]
        return ast.ExpectVote(committee, decision, ballot, rnd, outcome, self._span_of(a, m))

    def b_expect_votes(self, a: list[Any], m: Any) -> ast.ExpectVotes:
        committee = self.ident(a[0])
        decision = self.ident(a[1])
        ballots = tuple(x for x in a[2:] if isinstance(x, ast.DatedBallot))
        rest = [x for x in a[2:] if not isinstance(x, ast.DatedBallot)]
        outcome: ast.Ident = rest[0]
        on = self.b_date([rest[1]], None) if len(rest) > 1 and rest[1] is not None else None
        return ast.ExpectVotes(committee, decision, ballots, outcome, on, self._span_of(a, m))

    def b_dated_ballot(self, a: list[Any], m: Any) -> ast.DatedBallot:
        date = self.b_date([a[0]], None)
        ballot = tuple(x for x in a[1:] if isinstance(x, ast.BallotEntry))
        rnd = next((x for x in a[1:] if isinstance(x, int) and not isinstance(x, bool)), None)
        return ast.DatedBallot(date, ballot, rnd, self._span_of(a, m))

    def b_ballot_entry(self, a: list[Any], m: Any) -> ast.BallotEntry:
        return ast.BallotEntry(self.ident(a[0]), cast(Any, str(a[1])), self._span_of(a, m))

    def b_vote_word(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_vote_round(self, a: list[Any], m: Any) -> int:
        return self.integer(a[0], "a round number")

    def b_outcome(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])

    def b_expect_escalation(self, a: list[Any], m: Any) -> ast.Expectation:
        ladder = self.ident(a[0])
        opened = self.b_date([a[1]], None)
        events: tuple[ast.EscalationEvent, ...] = ()
        rest = a[2:]
        if rest and isinstance(rest[0], list):
            events = tuple(rest.pop(0))
        elif rest and rest[0] is None:
            rest.pop(0)
        query = rest[-1]
        span = self._span_of(a, m)
        if query[0] == "on":
            return ast.ExpectEscalationState(ladder, opened, events, query[1], query[2], span)
        return ast.ExpectEscalationDeadline(ladder, opened, events, query[1], query[2], span)

    def b_escalation_with(self, a: list[Any], m: Any) -> list[ast.EscalationEvent]:
        return list(a)

    def b_escalation_event(self, a: list[Any], m: Any) -> ast.EscalationEvent:
        return ast.EscalationEvent(
            self.ident(a[0]), cast(Any, str(a[1])), self.b_date([a[2]], None), self._span_of(a, m)
        )

    def b_event_kind(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_esc_state_query(self, a: list[Any], m: Any) -> tuple[str, Any, Any]:
        return ("on", self.b_date([a[0]], None), a[1])

    def b_esc_deadline_query(self, a: list[Any], m: Any) -> tuple[str, Any, Any]:
        return ("deadline", self.ident(a[0]), self.b_date([a[1]], None))

    def b_esc_state(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])
