"""The state shared by the semantic passes, and name lookup.

One :class:`Checker` lives for the check of one file.  Passes read and fill it
in turn (see :data:`pactlang.sema.check.PASSES`); every problem goes to its
:class:`~pactlang.diagnostics.DiagnosticBag` and the passes carry on, so a file
gets all its errors in one run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pactlang.base.types import Type
from pactlang.diagnostics import DiagnosticBag, Related, Span, replace_with
from pactlang.kernel.builtins import BUILTINS as REGISTRY
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

# Built-in functions (LANGUAGE.md §5), from the registry of the kernel.  A
# declaration may not take one of these names.
BUILTINS: frozenset[str] = frozenset(REGISTRY)

# Kinds of top-level names, as shown in messages.
PARTY = "party"
MEASURE = "measure"
LET = "let"
KPI = "kpi"
THRESHOLD = "threshold"
COMMITTEE = "committee"
ESCALATION = "escalation"
WATERFALL = "waterfall"
CLAUSE = "clause"
CONTRIBUTION = "contribution"

VALUE_KINDS = (MEASURE, LET, KPI)
# Constructs computed month by month, in dependency order (CheckedContract.order).
ORDERED_KINDS = (LET, KPI, THRESHOLD, WATERFALL, CONTRIBUTION)

KIND_OF_DECL: dict[type, str] = {
    ast.PartyDecl: PARTY,
    ast.MeasureDecl: MEASURE,
    ast.LetDecl: LET,
    ast.KpiDecl: KPI,
    ast.ThresholdDecl: THRESHOLD,
    ast.CommitteeDecl: COMMITTEE,
    ast.EscalationDecl: ESCALATION,
    ast.WaterfallDecl: WATERFALL,
    ast.ClauseDecl: CLAUSE,
    ast.ContributionDecl: CONTRIBUTION,
}

KIND_TEXT = {
    PARTY: "a party",
    MEASURE: "a measure",
    LET: "a let",
    KPI: "a KPI",
    THRESHOLD: "a threshold",
    COMMITTEE: "a committee",
    ESCALATION: "an escalation ladder",
    WATERFALL: "a waterfall",
    CLAUSE: "a clause",
    CONTRIBUTION: "a contribution",
}

# How each kind can be used, shown when a name of that kind appears where a value is expected.
KIND_USE = {
    PARTY: "a party is named only where a party is expected "
    "(`pay … from P to Q`, `owner P`, `distributed(fund, P)`, `paid(P, Q)`)",
    THRESHOLD: "use `status({name})` for its status",
    COMMITTEE: "use `banzhaf({name}.DECISION, PARTY)` or `shapley(…)` for voting power",
    ESCALATION: "a ladder is used by `=> escalate {name}` in a threshold rule",
    WATERFALL: "use `distributed({name})` or `retained({name})` for its amounts",
    CLAUSE: "a clause is referred to in the text of another clause, as `{{{name}}}`",
    CONTRIBUTION: "use `contributed({name})` or `contributed({name}, PARTY)` for what it called",
}

LANGUAGES = ("en", "fr")


@dataclass(slots=True)
class Checker:
    """Everything the passes share while checking one file."""

    bag: DiagnosticBag
    cc: CheckedContract
    broken: frozenset[str] = frozenset()
    base_dir: Path | None = None
    # every top-level name: its kind, its (first) declaration and its position in the file
    kind: dict[str, str] = field(default_factory=dict)
    decl: dict[str, ast.NamedDecl] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    # declarations that repeat a name already declared: still checked, never tabled
    duplicates: list[ast.NamedDecl] = field(default_factory=list)
    # names referenced from any expression of the contract (tests excluded)
    used: set[str] = field(default_factory=set)
    # constructs whose own expressions are time-dependent (before closure over deps)
    timed: set[str] = field(default_factory=set)
    # for each ordered construct: what it refers to, with the place of the first reference
    deps: dict[str, dict[str, Span]] = field(default_factory=dict)
    # the same, node by node (a waterfall is one node per tier, ``fund#i``): for each
    # node it depends on, whether in the same month, and the place of the reference
    fine: dict[str, dict[str, tuple[bool, Span]]] = field(default_factory=dict)
    # whether the contract has a valid currency (money literals are checked against it)
    currency_known: bool = False
    # the file the declarations are in, when it is not the file being checked
    # (tests of a `tests for` file checked against a separately loaded contract)
    decl_path: str | None = None
    _suggest_cache: dict[tuple[str, tuple[str, ...]], str | None] = field(default_factory=dict)
    _candidates: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    # ------------------------------------------------------------- helpers

    def names_of(self, kinds: tuple[str, ...]) -> list[str]:
        got = self._candidates.get(kinds)
        if got is None:
            got = [n for n, k in self.kind.items() if k in kinds]
            self._candidates[kinds] = got
        return got

    def suggest(self, name: str, kinds: tuple[str, ...]) -> str | None:
        key = (name, kinds)
        if key not in self._suggest_cache:
            self._suggest_cache[key] = closest(name, self.names_of(kinds))
        return self._suggest_cache[key]

    def decl_span(self, name: str) -> Span:
        return self.decl[name].name.span

    def rel(self, span: Span, message: str) -> Related:
        """A related note pointing into the contract's declarations."""
        return Related(span, message, self.decl_path)

    # ---------------------------------------------------------------- lookup

    def lookup(
        self, ident: ast.Ident, want: tuple[str, ...], what: str, expected: str | None = None
    ) -> str | None:
        """The kind of ``ident`` if it is declared with one of the ``want`` kinds.

        Reports an undeclared name (E010, with a close match as help) or a name of
        another kind (E012), and returns ``None`` then.  ``what`` names the
        expected thing in messages ("party", "threshold", …); ``expected``
        overrides the phrase used for a name of the wrong kind ("a value").
        Names whose declarations had syntax errors are not reported again.
        """
        name = ident.name
        kind = self.kind.get(name)
        if kind is None:
            if name not in self.broken:
                self.undeclared(ident, want, what)
            return None
        if kind not in want:
            self.wrong_kind(ident, kind, expected or article(what))
            return None
        return kind

    def undeclared(
        self, ident: ast.Ident, want: tuple[str, ...], what: str, code: str = "E010"
    ) -> None:
        s = self.suggest(ident.name, want)
        help_text = f"did you mean `{s}`?" if s else None
        related: list[Related] = []
        if s is not None:
            related.append(self.rel(self.decl_span(s), f"`{s}` is declared here"))
        self.bag.error(
            code,
            f"undeclared {what} `{ident.name}`",
            ident.span,
            help_text,
            related,
            replace_with(ident.span, s),
        )

    def wrong_kind(
        self, ident: ast.Ident, kind: str, expected: str, help_text: str | None = None
    ) -> None:
        use = KIND_USE.get(kind)
        if help_text is None and use is not None:
            help_text = use.format(name=ident.name)
        self.bag.error(
            "E012",
            f"`{ident.name}` is {KIND_TEXT[kind]}, not {expected}",
            ident.span,
            help_text,
            [self.rel(self.decl_span(ident.name), f"`{ident.name}` is declared here")],
        )


def article(what: str) -> str:
    if what.startswith(("a ", "an ")):
        return what
    return ("an " if what[:1] in "aeiou" else "a ") + what


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most similar to ``name`` (difflib ratio ≥ ``cutoff``), or None.

    Ties go to the longest common prefix, then to the first candidate given.
    """
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    best: tuple[float, int] | None = None
    found: str | None = None
    for c in candidates:
        matcher.set_seq1(c)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        r = matcher.ratio()
        if r < cutoff:
            continue
        key = (r, _prefix(name, c))
        if best is None or key > best:
            best, found = key, c
    return found


def _prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def type_of_ref(ref: ast.TypeRef | None) -> Type | None:
    return None if ref is None else Type(ref.name)


def children(e: ast.Expr) -> tuple[ast.Expr, ...]:
    """The direct sub-expressions of ``e``."""
    if isinstance(e, ast.Arith | ast.Logic):
        return e.operands
    if isinstance(e, ast.Unary):
        return (e.operand,)
    if isinstance(e, ast.Compare):
        return (e.left, e.right)
    if isinstance(e, ast.IfThenElse):
        return (e.cond, e.then, e.else_)
    if isinstance(e, ast.Otherwise):
        return (e.value, e.fallback)
    if isinstance(e, ast.Call):
        return e.args
    return ()


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
