"""The canonical layout of a ``.pact`` file (``pact fmt``).

The formatter prints the typed AST again, in one layout, and puts every
``#`` comment of the source back where it was.  Layout rules:

* 2-space indentation; one declaration, block item, attribute, action, data row
  or expectation per line; ``{`` ends its header line and ``}`` stands alone;
* single spaces between words and around binary operators; ``:`` and ``,``
  stick to the word before them; no alignment into columns;
* literals exactly as written (``300_000``, ``12.5%``, ``5_000 EUR``, ``2/3``);
  strings re-escaped (``\\"``, ``\\\\``, ``\\n``); unit words of durations and
  persistences are singular for 1 (``1 day``, ``for 1 month``) and plural otherwise;
* parentheses only where precedence needs them.  Chains are left-associative,
  so ``(a - b) - c`` prints as ``a - b - c`` (the same computation) while
  ``a - (b - c)`` and ``a / (b * c)`` keep theirs; an ``if`` used as an operand
  is always parenthesized, and so is an ``if`` that is the condition or the
  ``then`` branch of another ``if`` (``else if`` chains stay flat);
* blank lines: at most one, and only where the author left at least one empty
  line; never right after a ``{`` (or a ``when`` line) nor right before a
  ``}``; exactly one between top-level blocks (contract, ``tests for``, tests);
* a ``clause`` prints its items in the author's order, one per line, and each
  translation of a ``text`` on its own line, two spaces deeper than the
  ``text`` line (paragraphs are long); a party's particulars print one per
  line inside ``{ … }``, the translations of ``legal_form`` on lines of their
  own like a clause text's (an empty block is dropped);
* the items of a waterfall tier print as ``pay`` lines, then ``pro rata`` /
  ``in order``, then the ``split`` line (all shares on one line), then ``up to``;
  the data blocks and expectations of a test keep their source order.

Comments.  A comment with code before it on its source line (a *trailing*
comment) stays at the end of the output line that prints that code.  A comment
alone on its line stays on its own line, before the line that prints the code
that follows it, indented like that line (inside a block when it preceded the
closing ``}``).  Comments after the last code stay at the end of the file.
When one output line gathers several comments (an item that the author spread
over several lines), all of them but a final trailing one move to their own
lines just above it, in source order.  No comment is ever dropped or repeated.
A trailing comment follows its code after two spaces.

Output: ``\n`` line endings (a CRLF or CR-only file comes out with LF), no trailing
whitespace, exactly one final newline; a file with no code and no comment
formats to the empty string.  What the tree does not record is not printed: an
empty attribute block ``{ }``, a trailing comma in a ballot, and the
parentheses that precedence does not need.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lark.exceptions import UnexpectedInput

from pactlang.base.text import normalize_line_ends
from pactlang.base.values import format_decimal
from pactlang.diagnostics import Diagnostic
from pactlang.syntax import ast, format_tests
from pactlang.syntax.format_base import (
    P_AND,
    P_ATOM,
    P_CMP,
    P_IF,
    P_NEG,
    P_NOT,
    P_OR,
    P_OTHERWISE,
    P_PROD,
    P_SUM,
    quote,
)
from pactlang.syntax.parser import parse_source, tokens

INDENT = "  "
TRAILING_GAP = "  "

_WS = " \t\f\r\n"


class FormatError(ValueError):
    """The file does not parse: it is left untouched and its diagnostics are reported."""

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = list(diagnostics)
        first = next((d for d in self.diagnostics if d.is_error), None)
        detail = f": {first.message}" if first is not None else ""
        super().__init__(f"{path}: cannot format a file with syntax errors{detail}")


def format_source(text: str, path: str = "<input>") -> str:
    """The canonical text of ``text``; :class:`FormatError` when it does not parse."""
    text = normalize_line_ends(text)  # a CR-only file: its lines are kept
    result = parse_source(text, path)
    if not result.ok:
        raise FormatError(path, result.diagnostics)
    return format_module(result.module, text)


def format_module(module: ast.Module, source: str) -> str:
    """Print ``module`` (parsed from ``source``) in the canonical layout.

    ``source`` is used to put comments back and to keep the author's blank
    lines and the spelling of whole numbers (``quorum 1_000 members``).
    """
    printer = _Printer(source)
    printer.module(module)
    return printer.render(module.comments)


# ---------------------------------------------------------------- strings


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


_DURATION_WORD = {
    "day": "day",
    "business_day": "business day",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
}


# --------------------------------------------------------------- printing


@dataclass(slots=True)
class _Line:
    depth: int
    text: str
    start: int  # source offset of the first token printed on the line (-1: none)
    comment_depth: int
    opening: bool = False  # no blank line may follow it
    closing: bool = False  # a lone `}`: no blank line before it
    top: bool = False  # first line of a top-level block after the first one
    comments: list[tuple[ast.Comment, bool]] = field(default_factory=list)  # (c, trailing kind)


@dataclass(slots=True)
class _Printer:
    source: str
    lines: list[_Line] = field(default_factory=list)
    claims: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, line
    _claim_starts: list[int] = field(default_factory=list)

    # -- low level

    def emit(
        self,
        depth: int,
        text: str,
        start: int,
        end: int,
        *,
        opening: bool = False,
        closing: bool = False,
    ) -> _Line:
        line = _Line(
            depth,
            text,
            start if start < end else -1,
            depth + 1 if closing else depth,
            opening=opening,
            closing=closing,
        )
        if start < end:
            self.claims.append((start, end, len(self.lines)))
        self.lines.append(line)
        return line

    def close(self, depth: int, span_end: int) -> None:
        """The lone `}` of a block whose span ends at ``span_end``."""
        self.emit(depth, "}", span_end - 1, span_end, closing=True)

    def _tokens(self, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
        """The tokens of ``source[lo:hi]`` (a slice that starts at a token), as
        ``(start, end, type, text)`` with offsets in the whole source.  Only small
        slices are lexed: a block's header or one node."""
        if not 0 <= lo < hi <= len(self.source):
            return []
        try:
            toks = tokens(self.source[lo:hi])
        except UnexpectedInput:  # pragma: no cover - the slice came from a parsed file
            return []
        return [(lo + (t.start_pos or 0), lo + (t.end_pos or 0), t.type, str(t)) for t in toks]

    def _keyword_before(self, pos: int, value: str, floor: int) -> int:
        """Start of the last ``value`` keyword in ``[floor, pos)``, else ``pos``."""
        found = pos
        for start, _end, typ, text in self._tokens(floor, pos):
            if text == value and typ != "STRING":
                found = start
        return found

    def _mode_words(self, lo: int, hi: int, first: str) -> tuple[int, int]:
        """Source range of the last ``pro rata`` / ``in order`` in ``[lo, hi)``."""
        toks = self._tokens(lo, hi)
        found = (-1, -1)
        for i, (start, _end, typ, text) in enumerate(toks):
            if text == first and typ != "STRING" and i + 1 < len(toks):
                found = (start, toks[i + 1][1])
        return found

    def whole(self, span_start: int, span_end: int, value: int) -> str:
        """A whole number as the author wrote it: the first number token of the span."""
        for _start, _end, typ, text in self._tokens(span_start, span_end):
            if typ == "NUMBER":
                try:
                    if Decimal(text.replace("_", "")) == value:
                        return text
                except InvalidOperation:  # pragma: no cover - the lexer only lets digits through
                    pass
                break
        return str(value)

    # -- expressions

    def expr(self, e: ast.Expr, min_prec: int = P_IF) -> str:
        text, prec = self._expr(e)
        return f"({text})" if prec < min_prec else text

    def _expr(self, e: ast.Expr) -> tuple[str, int]:
        if isinstance(e, ast.NumberLit):
            return (e.text or format_decimal(e.value)), P_ATOM
        if isinstance(e, ast.PercentLit):
            return (e.text or format_decimal(e.value.scaleb(2))) + "%", P_ATOM
        if isinstance(e, ast.MoneyLit):
            return f"{e.text or format_decimal(e.amount)} {e.currency}", P_ATOM
        if isinstance(e, ast.StringLit):
            return quote(e.value), P_ATOM
        if isinstance(e, ast.BoolLit):
            return ("true" if e.value else "false"), P_ATOM
        if isinstance(e, ast.DateLit):
            return e.value.isoformat(), P_ATOM
        if isinstance(e, ast.PeriodLit):
            return str(e.value), P_ATOM
        if isinstance(e, ast.DurationLit):
            return self.duration(e), P_ATOM
        if isinstance(e, ast.MissingLit):
            return "missing", P_ATOM
        if isinstance(e, ast.Name):
            return e.dotted, P_ATOM
        if isinstance(e, ast.ToDate):
            return "to date", P_ATOM
        if isinstance(e, ast.YearToDate):
            return "year to date", P_ATOM
        if isinstance(e, ast.Call):
            return f"{e.func.name}({', '.join(self.expr(a) for a in e.args)})", P_ATOM
        if isinstance(e, ast.Unary):
            if e.op == "-":
                inner = self.expr(e.operand, P_NEG)
                return ("- " if inner.startswith("-") else "-") + inner, P_NEG
            return "not " + self.expr(e.operand, P_NOT), P_NOT
        if isinstance(e, ast.Arith):
            if len(e.ops) != len(e.operands) - 1 or not e.ops:
                raise ValueError("malformed arithmetic chain")
            level = P_SUM if e.ops[0] in ("+", "-") else P_PROD
            if any((op in ("+", "-")) != (level == P_SUM) for op in e.ops):
                raise ValueError("an arithmetic chain mixes precedence levels")
            parts = [self.expr(e.operands[0], level)]
            for op, operand in zip(e.ops, e.operands[1:], strict=True):
                parts.append(op)
                parts.append(self.expr(operand, level + 1))
            return " ".join(parts), level
        if isinstance(e, ast.Logic):
            level = P_OR if e.op == "or" else P_AND
            if len(e.operands) < 2:
                raise ValueError(f"malformed `{e.op}` chain")
            parts = [self.expr(e.operands[0], level)]
            parts.extend(self.expr(o, level + 1) for o in e.operands[1:])
            return f" {e.op} ".join(parts), level
        if isinstance(e, ast.Compare):
            return f"{self.expr(e.left, P_SUM)} {e.op} {self.expr(e.right, P_SUM)}", P_CMP
        if isinstance(e, ast.Otherwise):
            value = self.expr(e.value, P_OR)
            return f"{value} otherwise {self.expr(e.fallback, P_OTHERWISE)}", P_OTHERWISE
        if isinstance(e, ast.IfThenElse):
            # the grammar needs no parentheses inside an `if`; a nested `if` in the
            # condition or the `then` branch gets them anyway, for the reader
            cond = self.expr(e.cond, P_OTHERWISE)
            then = self.expr(e.then, P_OTHERWISE)
            return f"if {cond} then {then} else {self.expr(e.else_)}", P_IF
        raise TypeError(f"not an expression: {type(e).__name__}")  # pragma: no cover

    def duration(self, d: ast.DurationLit) -> str:
        amount = self.whole(d.span.start, d.span.end, d.amount)
        return f"{amount} {_plural(d.amount, _DURATION_WORD[d.unit])}"

    def attr_value(self, v: ast.Expr | ast.FreqValue) -> str:
        return v.value if isinstance(v, ast.FreqValue) else self.expr(v)

    @staticmethod
    def translations(items: Iterable[ast.Translation]) -> str:
        """`` en "…" fr "…"``: the translations of a text, after it on its line."""
        return "".join(f" {x.lang.name} {quote(x.text.value)}" for x in items)

    # -- shared pieces

    @staticmethod
    def labels(labels: ast.Labels) -> str:
        if labels.primary is None:
            return ""
        parts = [quote(labels.primary.value)]
        for t in labels.translations:
            parts.append(f"{t.lang.name} {quote(t.text.value)}")
        return " " + " ".join(parts)

    def attrs_block(
        self, header: str, node_span: tuple[int, int], attrs: Iterable[ast.Attr], depth: int
    ) -> None:
        """``header`` alone, or ``header {`` + one attribute per line + ``}``."""
        attrs = tuple(attrs)
        start, end = node_span
        if not attrs:
            self.emit(depth, header, start, end)
            return
        self.emit(depth, header + " {", start, end, opening=True)
        for a in attrs:
            text = f"{a.key.name} {self.attr_value(a.value)}{self.translations(a.translations)}"
            self.emit(depth + 1, text, a.span.start, a.span.end)
        self.close(depth, end)

    # -- module

    def module(self, m: ast.Module) -> None:
        block_starts: list[int] = []
        if m.contract is not None:
            block_starts.append(len(self.lines))
            self.contract(m.contract)
        if m.tests_for is not None:
            block_starts.append(len(self.lines))
            tf = m.tests_for
            self.emit(0, f"tests for {quote(tf.path.value)}", tf.span.start, tf.span.end)
        for t in m.tests:
            block_starts.append(len(self.lines))
            self.test_block(t)
        for i in block_starts[1:]:
            self.lines[i].top = True  # exactly one blank line between top-level blocks

    def contract(self, c: ast.Contract) -> None:
        title = quote(c.title.value) + self.translations(c.translations)
        self.emit(0, f"contract {title} {{", c.span.start, c.span.end, opening=True)
        for d in c.decls:
            self.decl(d, 1)
        self.close(0, c.span.end)

    def decl(self, d: ast.Decl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        if isinstance(d, ast.IdDecl):
            self.emit(depth, f"id {quote(d.value.value)}", s, e)
        elif isinstance(d, ast.VersionDecl):
            self.emit(depth, f"version {quote(d.value.value)}", s, e)
        elif isinstance(d, ast.AmendsDecl):
            self.emit(depth, f"amends {quote(d.target.value)} from {self.expr(d.start)}", s, e)
        elif isinstance(d, ast.EffectiveDecl):
            text = f"effective {self.expr(d.start)}"
            if d.until is not None:
                text += f" until {self.expr(d.until)}"
            self.emit(depth, text, s, e)
        elif isinstance(d, ast.CurrencyDecl):
            self.emit(depth, f"currency {d.code.name}", s, e)
        elif isinstance(d, ast.LanguageDecl):
            self.emit(depth, f"language {d.lang.name}", s, e)
        elif isinstance(d, ast.CalendarDecl):
            self.emit(depth, f"calendar {d.country.name}", s, e)
        elif isinstance(d, ast.SignedDecl):
            text = "signed"
            if d.place is not None:
                text += f" at {quote(d.place.value)}"
            if d.date is not None:
                text += f" on {self.expr(d.date)}"
            self.emit(depth, text, s, e)
        elif isinstance(d, ast.PartyDecl):
            self.party(d, depth)
        elif isinstance(d, ast.MeasureDecl):
            header = f"measure {d.name.name}{self.labels(d.labels)}: {d.type.name}"
            if d.cadence is not None:
                header += f" {d.cadence.value}"
            self.attrs_block(header, (s, e), d.attrs, depth)
        elif isinstance(d, ast.LetDecl):
            typ = f": {d.type.name}" if d.type is not None else ""
            if isinstance(d.value, ast.Schedule):
                value = ", ".join(
                    f"{self.expr(x.value)} from {self.expr(x.start)}" for x in d.value.entries
                )
            else:
                value = self.expr(d.value)
            self.emit(depth, f"let {d.name.name}{self.labels(d.labels)}{typ} = {value}", s, e)
        elif isinstance(d, ast.KpiDecl):
            header = (
                f"kpi {d.name.name}{self.labels(d.labels)}: {d.type.name} = {self.expr(d.expr)}"
            )
            self.attrs_block(header, (s, e), d.attrs, depth)
        elif isinstance(d, ast.ThresholdDecl):
            self.threshold(d, depth)
        elif isinstance(d, ast.CommitteeDecl):
            self.committee(d, depth)
        elif isinstance(d, ast.EscalationDecl):
            self.escalation(d, depth)
        elif isinstance(d, ast.WaterfallDecl):
            self.waterfall(d, depth)
        elif isinstance(d, ast.ClauseDecl):
            self.clause(d, depth)
        elif isinstance(d, ast.ContributionDecl):
            self.contribution(d, depth)
        else:  # pragma: no cover - the Decl union is closed
            raise TypeError(f"not a declaration: {type(d).__name__}")

    # -- parties and clauses

    def party(self, d: ast.PartyDecl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        header = f"party {d.name.name}{self.labels(d.labels)}"
        if not d.items:
            self.emit(depth, header, s, e)
            return
        self.emit(depth, header + " {", s, e, opening=True)
        for item in d.items:
            text = f"{item.key} {quote(item.value.value)}"
            if item.capacity is not None:
                text += self.labels(item.capacity)
            if not item.translations:
                self.emit(depth + 1, text, item.span.start, item.span.end)
                continue
            # a translated particular reads like a clause text: one language a line
            self.emit(depth + 1, text, item.span.start, item.value.span.end, opening=True)
            for tr in item.translations:
                line = f"{tr.lang.name} {quote(tr.text.value)}"
                self.emit(depth + 2, line, tr.span.start, tr.span.end)
        self.close(depth, e)

    def clause(self, d: ast.ClauseDecl, depth: int) -> None:
        """One item per line, in the author's order; each translation of a text
        on a line of its own, indented under its paragraph."""
        s, e = d.span.start, d.span.end
        header = f"clause {d.name.name} {quote(d.number.value)}{self.labels(d.labels)} {{"
        self.emit(depth, header, s, e, opening=True)
        for item in d.items:
            if isinstance(item, ast.ClauseText):
                self.emit(
                    depth + 1,
                    f"text {quote(item.text.value)}",
                    item.span.start,
                    item.text.span.end,
                    opening=bool(item.translations),
                )
                for tr in item.translations:
                    text = f"{tr.lang.name} {quote(tr.text.value)}"
                    self.emit(depth + 2, text, tr.span.start, tr.span.end)
            elif isinstance(item, ast.ClauseGoverns):
                names = ", ".join(n.name for n in item.names)
                self.emit(depth + 1, f"governs {names}", item.span.start, item.span.end)
            else:
                word = "binding" if item.binding else "non-binding"
                self.emit(depth + 1, word, item.span.start, item.span.end)
        self.close(depth, e)

    # -- thresholds

    def threshold(self, d: ast.ThresholdDecl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        self.emit(depth, f"threshold {d.name.name}{self.labels(d.labels)} {{", s, e, opening=True)
        if d.checked is not None:
            kw = self._keyword_before(d.checked.span.start, "checked", s)
            self.emit(depth + 1, f"checked {d.checked.value}", kw, d.checked.span.end)
        for r in d.rules:
            head = f"when {self.expr(r.cond)}"
            if r.persistence is not None:
                p = r.persistence
                count = self.whole(p.span.start, p.span.end, p.count)
                head += f" for {count} {_plural(p.count, p.unit)}"
            head += f": {r.status.value}"
            self.emit(depth + 1, head, r.span.start, r.span.end, opening=bool(r.actions))
            self.actions(r.actions, depth + 2)
        if d.otherwise is not None:
            o = d.otherwise
            text = f"otherwise: {o.status.value}"
            self.emit(depth + 1, text, o.span.start, o.span.end, opening=bool(o.actions))
            self.actions(o.actions, depth + 2)
        self.close(depth, e)

    def actions(self, actions: Sequence[ast.Action], depth: int) -> None:
        for a in actions:
            once = "once " if a.once else ""
            if isinstance(a, ast.PayAction):
                body = f"pay {self.expr(a.amount)} from {a.payer.name} to {a.payee.name}"
                if a.label is not None:
                    body += f" {quote(a.label.value)}{self.translations(a.translations)}"
            elif isinstance(a, ast.EscalateAction):
                body = f"escalate {a.ladder.name}"
            elif isinstance(a, ast.NotifyAction):
                body = "notify " + ", ".join(p.name for p in a.parties)
            elif isinstance(a, ast.TerminateAction):
                body = f"terminate by {a.party.name} notice {self.duration(a.notice)}"
            elif isinstance(a, ast.SuspendAction):
                body = f"suspend {a.party.name} {quote(a.text.value)}{self.translations(a.translations)}"
            elif isinstance(a, ast.ObligeAction):
                body = (
                    f"oblige {a.party.name} {quote(a.text.value)}{self.translations(a.translations)}"
                    f" within {self.duration(a.within)}"
                )
            else:
                body = f"action {quote(a.text.value)}{self.translations(a.translations)}"
            self.emit(depth, f"=> {once}{body}", a.span.start, a.span.end)

    # -- committees

    def committee(self, d: ast.CommitteeDecl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        self.emit(depth, f"committee {d.name.name}{self.labels(d.labels)} {{", s, e, opening=True)
        for item in d.items:
            self.emit(depth + 1, self.committee_item(item), item.span.start, item.span.end)
        self.close(depth, e)

    def committee_item(self, item: ast.CommitteeItem) -> str:
        sp = item.span
        if isinstance(item, ast.MemberDecl):
            return f"member {item.party.name} weight {self.expr(item.weight)}"
        if isinstance(item, ast.QuorumDecl):
            if item.kind == "members":
                count = item.count if item.count is not None else 0
                return f"quorum {self.whole(sp.start, sp.end, count)} members"
            if item.fraction is None:
                raise ValueError("a weight quorum needs a fraction")
            return f"quorum {self.fraction(item.fraction)} of weight"
        if isinstance(item, ast.MeetsDecl):
            return f"meets {item.cadence.value}"
        if isinstance(item, ast.ChairDecl):
            return f"chair {item.party.name}"
        if isinstance(item, ast.ConsensusDecl):
            rounds = self.whole(sp.start, sp.end, item.rounds)
            return f"consensus {rounds} {_plural(item.rounds, 'round')}"
        rule = item.rule
        if rule.kind == "fraction":
            if rule.fraction is None or rule.base is None:
                raise ValueError("a fraction vote rule needs a fraction and a base")
            op = ">" if rule.strict else ">="
            rule_text = f"{op} {self.fraction(rule.fraction)} of {rule.base}"
        else:
            rule_text = rule.kind
        text = f"decision {item.name.name}{self.labels(item.labels)} requires {rule_text}"
        if item.vetoes:
            text += " veto " + ", ".join(v.name for v in item.vetoes)
        if item.deadlock is not None:
            dl = item.deadlock
            votes = self.whole(dl.span.start, dl.span.end, dl.votes)
            text += f" deadlock after {votes} escalate {dl.ladder.name}"
        return text

    @staticmethod
    def fraction(f: ast.Fraction) -> str:
        return f.text or f"{f.numerator}/{f.denominator}"

    # -- escalation ladders

    def escalation(self, d: ast.EscalationDecl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        self.emit(depth, f"escalation {d.name.name}{self.labels(d.labels)} {{", s, e, opening=True)
        for step in d.steps:
            if step.final or step.within is None:
                term = "final"
            else:
                term = f"within {self.duration(step.within)}"
            header = f"step {step.name.name}{self.labels(step.labels)} {term}"
            self.attrs_block(header, (step.span.start, step.span.end), step.attrs, depth + 1)
        self.close(depth, e)

    # -- waterfalls

    def waterfall(self, d: ast.WaterfallDecl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        self.emit(depth, f"waterfall {d.name.name}{self.labels(d.labels)} {{", s, e, opening=True)
        kw = self._keyword_before(d.distributes.span.start, "distributes", s)
        self.emit(depth + 1, f"distributes {self.expr(d.distributes)}", kw, d.distributes.span.end)
        for t in d.tiers:
            self.tier(t, depth + 1)
        self.close(depth, e)

    def tier(self, t: ast.TierDecl, depth: int) -> None:
        s, e = t.span.start, t.span.end
        name = f" {t.name.name}" if t.name is not None else ""
        self.emit(depth, f"tier{name}{self.labels(t.labels)} {{", s, e, opening=True)
        for p in t.pays:
            self.emit(
                depth + 1, f"pay {p.party.name} up to {self.expr(p.cap)}", p.span.start, p.span.end
            )
        if t.mode is not None:
            ms, me = self._mode_words(s, e, "pro" if t.mode == "pro_rata" else "in")
            self.emit(depth + 1, "pro rata" if t.mode == "pro_rata" else "in order", ms, me)
        if t.splits:
            shares = ", ".join(f"{x.party.name} {self.expr(x.share)}" for x in t.splits)
            first, last = t.splits[0].span, t.splits[-1].span
            kw = self._keyword_before(first.start, "split", s)
            self.emit(depth + 1, f"split {shares}", kw, max(first.end, last.end))
        if t.cap is not None:
            kw = self._keyword_before(t.cap.span.start, "up", s)
            self.emit(depth + 1, f"up to {self.expr(t.cap)}", kw, t.cap.span.end)
        self.close(depth, e)

    # -- contributions

    def contribution(self, d: ast.ContributionDecl, depth: int) -> None:
        s, e = d.span.start, d.span.end
        self.emit(
            depth, f"contribution {d.name.name}{self.labels(d.labels)} {{", s, e, opening=True
        )
        if d.amount is not None:
            if isinstance(d.amount, ast.Schedule):
                value = ", ".join(
                    f"{self.expr(x.value)} from {self.expr(x.start)}" for x in d.amount.entries
                )
            else:
                value = self.expr(d.amount)
            kw = self._keyword_before(d.amount.span.start, "amount", s)
            self.emit(depth + 1, f"amount {value}", kw, d.amount.span.end)
        if d.keys:
            shares = ", ".join(f"{k.party.name} {self.expr(k.share)}" for k in d.keys)
            kw = self._keyword_before(d.keys[0].span.start, "split", s)
            self.emit(depth + 1, f"split {shares}", kw, d.keys[-1].span.end)
        self.close(depth, e)

    # -- tests (printed by :mod:`pactlang.syntax.format_tests`)

    def test_block(self, t: ast.TestBlock) -> None:
        format_tests.test_block(self, t)

    # -- comments and output

    def _line_of(self, pos: int, order: list[int]) -> int | None:
        """The line that prints the token at ``pos``: the innermost claim containing it."""
        i = bisect.bisect_right(self._claim_starts, pos)
        while i > 0:
            i -= 1
            s, e, line = self.claims[order[i]]
            if s <= pos < e:
                return line
        return None

    def render(self, comments: Sequence[ast.Comment]) -> str:
        # claims sorted by start, outer before inner at equal starts
        order = sorted(
            range(len(self.claims)), key=lambda k: (self.claims[k][0], -self.claims[k][1])
        )
        self._claim_starts = [self.claims[k][0] for k in order]
        at_end: list[ast.Comment] = []
        src = self.source
        for c in sorted(comments, key=lambda c: c.span.start):
            p = c.span.start
            target: int | None = None
            trailing = False
            if src.startswith("#", p):
                line_start = src.rfind("\n", 0, p) + 1
                before = src[line_start:p].rstrip(_WS)
                if before:  # code before it on its line: the line of that code
                    trailing = True
                    target = self._line_of(line_start + len(before) - 1, order)
                else:  # alone on its line: the line of the code that follows
                    nxt = self._next_code(c.span.end)
                    if nxt is not None:
                        target = self._line_of(nxt, order)
            if target is None:
                at_end.append(c)
            else:
                self.lines[target].comments.append((c, trailing))

        out: list[str] = []
        prev_opening = True  # nothing before the first line: no blank line

        def put(depth: int, text: str, blank: bool, opening: bool) -> None:
            nonlocal prev_opening
            if blank and out and not prev_opening:
                out.append("")
            out.append(INDENT * depth + text)
            prev_opening = opening

        for line in self.lines:
            attached = sorted(line.comments, key=lambda ct: ct[0].span.start)
            trail: ast.Comment | None = None
            if attached and attached[-1][1]:
                trail = attached.pop()[0]
            code_blank = self._blank_before(line.start) and not line.closing
            first_of_line = True
            for c, _kind in attached:
                inside = line.start >= 0 and c.span.start > line.start
                if inside:  # moved up from the middle of the line: takes the line's blank
                    blank = code_blank
                    code_blank = False
                else:
                    blank = self._blank_before(c.span.start)
                put(line.comment_depth, c.text, blank or (first_of_line and line.top), False)
                first_of_line = False
            text = line.text if trail is None else f"{line.text}{TRAILING_GAP}{trail.text}"
            put(line.depth, text, code_blank or (first_of_line and line.top), line.opening)
        for c in at_end:
            put(0, c.text, self._blank_before(c.span.start), False)
        return "\n".join(out) + "\n" if out else ""

    def _next_code(self, pos: int) -> int | None:
        """Offset of the first code character at or after ``pos`` (outside a string),
        skipping whitespace and comments; None at the end of the file."""
        src = self.source
        n = len(src)
        while pos < n:
            ch = src[pos]
            if ch in _WS:
                pos += 1
            elif ch == "#":
                nl = src.find("\n", pos)
                if nl < 0:
                    return None
                pos = nl
            else:
                return pos
        return None

    def _blank_before(self, pos: int) -> bool:
        """True when an empty line separates ``pos`` from the text before it."""
        if pos <= 0:
            return False
        newlines = 0
        i = pos - 1
        src = self.source
        while i >= 0 and src[i] in _WS:
            if src[i] == "\n":
                newlines += 1
                if newlines >= 2:
                    return True
            i -= 1
        return False if i < 0 else newlines >= 2


__all__ = ["FormatError", "format_module", "format_source", "quote"]
