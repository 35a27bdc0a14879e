"""What every name of a file refers to: the symbols of a contract and their occurrences.

The editor features (go to definition, references, rename, hover, highlights)
all ask the same question: *which declaration does the identifier under the
cursor name?*  :func:`build_index` answers it once per version of a file by
walking the typed AST:

* a **symbol** is a declaration that has a name: a party, measure, let, KPI,
  threshold, committee, escalation ladder, waterfall or contribution (one namespace, keyed
  by the name), and the named parts of some of them, keyed by a dotted name:
  a committee's decisions (``steering.budget``), a ladder's steps
  (``disputes.mediation``) and a waterfall's named tiers (``fund.repay``);
* an **occurrence** is an identifier of the file that names a symbol: its
  declaration (``is_def``) or a reference: a name in an expression (the
  parts of ``steering.budget`` name the committee, then its decision), a party
  in ``pay … from P to Q``, ``notify``, ``member``, ``veto``, a waterfall's
  ``pay``/``split``, a ladder in ``escalate``, and in ``test`` blocks the
  measures of data rows, the threshold of ``expect … is``, the committee,
  decision and parties of ``expect vote``, the ladder and steps of ``expect
  escalation``; a clause's ``governs`` names, and each ``{reference}`` of
  its texts (every part of ``{steering.budget}``, at its own column inside
  the string, escapes counted as written; the part a reference inserts
  carries what it inserts, :attr:`Occurrence.quote`).  A call of a built-in
  function is an occurrence of kind ``function`` (for hover).

The symbols come from the checked contract: for a ``tests for "X.pact"`` file
they are declared in the other file, whose path each symbol carries.  Names
that resolve to nothing (undeclared, or in a declaration that did not parse)
have no occurrence.  Nothing here depends on pygls.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pactlang.diagnostics import Span
from pactlang.sema.clauses import TextRef, classify, pieces, source_span
from pactlang.sema.context import BUILTINS, KIND_OF_DECL
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast
from pactlang.syntax.walk import walk

# Kinds of the named parts of a declaration.
DECISION, STEP, TIER, FUNCTION = "decision", "step", "tier", "function"


@dataclass(frozen=True, slots=True)
class Symbol:
    """A named declaration."""

    key: str  # "revenue", or "steering.budget" for a part
    name: str  # the identifier as declared ("budget")
    kind: str  # party, measure, let, kpi, threshold, committee, escalation, waterfall,
    # decision, step, tier
    decl: object  # the AST node of the declaration
    ident: ast.Ident  # its name in the declaration
    path: str  # the file it is declared in
    parent: str | None = None  # the key of the declaration it is part of

    @property
    def labels(self) -> ast.Labels | None:
        return getattr(self.decl, "labels", None)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """An identifier of the file that names a symbol (or a built-in function)."""

    key: str
    kind: str
    span: Span
    is_def: bool = False
    # in a clause text, what the reference inserts here (``value``, ``schedule``,
    # ``party``, ``rule``, ``deadline``, ``clause``, ``label``); "" elsewhere
    quote: str = ""


@dataclass(slots=True)
class SymbolIndex:
    """The symbols a file can name and the occurrences of names in that file."""

    path: str
    symbols: dict[str, Symbol] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)  # sorted by start
    expressions: list[ast.Expr] = field(default_factory=list)  # every expression node
    _starts: list[int] = field(default_factory=list)

    def finish(self) -> None:
        self.occurrences.sort(key=lambda o: (o.span.start, o.span.end))
        self._starts = [o.span.start for o in self.occurrences]

    def at(self, offset: int) -> Occurrence | None:
        """The occurrence under ``offset``; a cursor just after a name still names it."""
        i = bisect.bisect_right(self._starts, offset) - 1
        # identifiers never overlap; the one starting last at or before the offset
        while i >= 0:
            o = self.occurrences[i]
            if o.span.start <= offset <= o.span.end:
                return o
            if o.span.end < offset:
                return None
            i -= 1
        return None

    def of(self, key: str) -> list[Occurrence]:
        """Every occurrence of a symbol in this file, in source order."""
        return [o for o in self.occurrences if o.key == key]

    def expression_at(self, offset: int) -> ast.Expr | None:
        """The smallest expression whose text contains ``offset``."""
        best: ast.Expr | None = None
        for e in self.expressions:
            s = e.span
            if s.start <= offset < s.end or (s.start < offset == s.end):
                if best is None or (s.end - s.start) < (best.span.end - best.span.start):
                    best = e
        return best


def build_index(module: ast.Module, contract: CheckedContract | None, path: str) -> SymbolIndex:
    """Index the names of ``module`` (the file at ``path``) against ``contract``.

    ``contract`` is the file's own checked contract, or for a ``tests for``
    file the contract under test; ``None`` when there is none.
    """
    index = SymbolIndex(path)
    if contract is not None:
        for sym in symbols_of(contract.contract, contract.path):
            index.symbols.setdefault(sym.key, sym)
    _Walker(index, path, contract).module(module)
    index.finish()
    return index


def symbols_of(contract: ast.Contract, path: str) -> Iterator[Symbol]:
    """The symbols a contract declares, in declaration order (parts after their parent)."""
    for d in contract.decls:
        kind = KIND_OF_DECL.get(type(d))
        if kind is None:
            continue
        name = d.name  # type: ignore[union-attr]
        yield Symbol(name.name, name.name, kind, d, name, path)
        for part_kind, part in _parts(d):
            assert part.name is not None
            key = f"{name.name}.{part.name.name}"
            yield Symbol(key, part.name.name, part_kind, part, part.name, path, name.name)


def _parts(d: ast.Decl) -> Iterator[tuple[str, ast.DecisionDecl | ast.StepDecl | ast.TierDecl]]:
    if isinstance(d, ast.CommitteeDecl):
        for dec in d.decisions:
            yield DECISION, dec
    elif isinstance(d, ast.EscalationDecl):
        for step in d.steps:
            yield STEP, step
    elif isinstance(d, ast.WaterfallDecl):
        for tier in d.tiers:
            if tier.name is not None:
                yield TIER, tier


class _Walker:
    """Records the occurrences of one module's identifiers."""

    def __init__(
        self, index: SymbolIndex, path: str, contract: CheckedContract | None = None
    ) -> None:
        self.ix = index
        self.path = path
        self.contract = contract

    # ------------------------------------------------------------ recording

    def ref(self, ident: ast.Ident | None, parent: str | None = None, quote: str = "") -> None:
        if ident is None:
            return
        key = ident.name if parent is None else f"{parent}.{ident.name}"
        sym = self.ix.symbols.get(key)
        if sym is not None:
            self.ix.occurrences.append(Occurrence(key, sym.kind, ident.span, quote=quote))

    def define(self, ident: ast.Ident, parent: str | None = None) -> None:
        key = ident.name if parent is None else f"{parent}.{ident.name}"
        sym = self.ix.symbols.get(key)
        if sym is not None and sym.path == self.path:
            self.ix.occurrences.append(Occurrence(key, sym.kind, ident.span, is_def=True))

    def exprs(self, items: Iterable[ast.Expr | None]) -> None:
        for e in items:
            if e is not None:
                self.expr(e)

    def expr(self, e: ast.Expr) -> None:
        for node in walk(e):
            self.ix.expressions.append(node)
            if isinstance(node, ast.Name):
                head = node.parts[0]
                self.ref(head)
                if len(node.parts) > 1:
                    self.ref(node.parts[1], head.name)
            elif isinstance(node, ast.Call) and node.func.name in BUILTINS:
                self.ix.occurrences.append(Occurrence(node.func.name, FUNCTION, node.func.span))

    # --------------------------------------------------------- declarations

    def module(self, m: ast.Module) -> None:
        if m.contract is not None:
            for d in m.contract.decls:
                self.decl(d)
        for t in m.tests:
            self.test(t)

    def decl(self, d: ast.Decl) -> None:
        if isinstance(d, ast.PartyDecl):
            self.define(d.name)
        elif isinstance(d, ast.MeasureDecl):
            self.define(d.name)
            self.attrs(d.attrs)
        elif isinstance(d, ast.LetDecl):
            self.define(d.name)
            if isinstance(d.value, ast.Schedule):
                self.exprs(entry.value for entry in d.value.entries)
            else:
                self.expr(d.value)
        elif isinstance(d, ast.KpiDecl):
            self.define(d.name)
            self.expr(d.expr)
            self.attrs(d.attrs)
        elif isinstance(d, ast.ThresholdDecl):
            self.define(d.name)
            for rule in d.rules:
                self.expr(rule.cond)
                self.actions(rule.actions)
            if d.otherwise is not None:
                self.actions(d.otherwise.actions)
        elif isinstance(d, ast.CommitteeDecl):
            self.committee(d)
        elif isinstance(d, ast.EscalationDecl):
            self.define(d.name)
            for step in d.steps:
                self.define(step.name, d.name.name)
                self.attrs(step.attrs)
        elif isinstance(d, ast.WaterfallDecl):
            self.waterfall(d)
        elif isinstance(d, ast.ClauseDecl):
            self.clause(d)
        elif isinstance(d, ast.ContributionDecl):
            self.define(d.name)
            if isinstance(d.amount, ast.Schedule):
                self.exprs(entry.value for entry in d.amount.entries)
            elif d.amount is not None:
                self.expr(d.amount)
            for key in d.keys:
                self.ref(key.party)
                self.expr(key.share)

    def clause(self, d: ast.ClauseDecl) -> None:
        self.define(d.name)
        for ident in d.governs:
            self.ref(ident)
        for t in d.texts:
            for text in (t.text, *(tr.text for tr in t.translations)):
                self.text_refs(text)

    def text_refs(self, text: ast.Text) -> None:
        """The names inside the ``{references}`` of a clause text."""
        for piece in pieces(text.value)[0]:
            if not isinstance(piece, TextRef):
                continue
            parts = piece.parts
            what = ""
            if self.contract is not None:
                target = classify(self.contract, parts)
                if target.error is None:
                    what = target.what
            named = parts[:-1] if what == "label" else parts
            pos = piece.start + 1  # after the brace
            for i, part in enumerate(named):
                span = source_span(text, pos, pos + len(part))
                ident = ast.Ident(part, span)
                quote = what if i == len(named) - 1 else ""
                self.ref(ident, named[0] if i == 1 else None, quote)
                pos += len(part) + 1

    def attrs(self, attrs: tuple[ast.Attr, ...]) -> None:
        for a in attrs:
            if not isinstance(a.value, ast.FreqValue):
                self.expr(a.value)

    def actions(self, actions: tuple[ast.Action, ...]) -> None:
        for a in actions:
            if isinstance(a, ast.PayAction):
                self.expr(a.amount)
                self.ref(a.payer)
                self.ref(a.payee)
            elif isinstance(a, ast.EscalateAction):
                self.ref(a.ladder)
            elif isinstance(a, ast.NotifyAction):
                for p in a.parties:
                    self.ref(p)
            elif isinstance(a, ast.TerminateAction | ast.SuspendAction | ast.ObligeAction):
                self.ref(a.party)

    def committee(self, d: ast.CommitteeDecl) -> None:
        self.define(d.name)
        for item in d.items:
            if isinstance(item, ast.MemberDecl | ast.ChairDecl):
                self.ref(item.party)
            elif isinstance(item, ast.DecisionDecl):
                self.define(item.name, d.name.name)
                for v in item.vetoes:
                    self.ref(v)
                if item.deadlock is not None:
                    self.ref(item.deadlock.ladder)

    def waterfall(self, d: ast.WaterfallDecl) -> None:
        self.define(d.name)
        self.expr(d.distributes)
        for tier in d.tiers:
            if tier.name is not None:
                self.define(tier.name, d.name.name)
            for pay in tier.pays:
                self.ref(pay.party)
                self.expr(pay.cap)
            for share in tier.splits:
                self.ref(share.party)
            if tier.cap is not None:
                self.expr(tier.cap)

    # ---------------------------------------------------------------- tests

    def test(self, t: ast.TestBlock) -> None:
        for data in t.data:
            if isinstance(data, ast.InlineData):
                for row in data.rows:
                    for cell in row.cells:
                        self.ref(cell.name)
                        self.expr(cell.value)
        for e in t.expects:
            self.expectation(e)

    def expectation(self, e: ast.Expectation) -> None:
        if isinstance(e, ast.ExpectValue):
            self.exprs((e.expr, e.expected, e.within))
        elif isinstance(e, ast.ExpectMissing):
            self.expr(e.expr)
        elif isinstance(e, ast.ExpectStatus):
            self.ref(e.threshold)
        elif isinstance(e, ast.ExpectVote):
            self.ref(e.committee)
            self.ref(e.decision, e.committee.name)
            for b in e.ballot:
                self.ref(b.party)
        elif isinstance(e, ast.ExpectVotes):
            self.ref(e.committee)
            self.ref(e.decision, e.committee.name)
            for dated in e.ballots:
                for b in dated.ballot:
                    self.ref(b.party)
        else:
            ladder = e.ladder.name
            self.ref(e.ladder)
            for ev in e.events:
                self.ref(ev.step, ladder)
            if isinstance(e, ast.ExpectEscalationState):
                self.ref(e.state, ladder)
            else:
                self.ref(e.step, ladder)
