"""Passes 3 and 4: what each construct refers to, and when it can be computed.

A *construct* is computed month by month: a let, a KPI, a threshold, a
waterfall or a contribution.  It depends on

- every let, KPI or measure its expressions name;
- the threshold ``t`` of ``status(t)``;
- every threshold with a ``pay … from p to q`` action, for ``paid(p, q)`` —
  the reading threshold's own payments included (LANGUAGE.md §5);
- the waterfall ``f`` of ``distributed(f…)`` and ``retained(f)``; with a tier,
  ``distributed(f.tier…)``, only that tier and those before it;
- the contribution ``c`` of ``contributed(c…)``.

Each reference is either *of the same month* or *of earlier months* (inside
``previous(…)``).  Only a dependence within the same month can be a cycle
(E019, reported once per cycle with its path); a value may read the earlier
months of anything, itself included (a rollover balance, a cure period, a
liability cap).  Waterfalls are followed tier by tier: a cap may read a let
that reads an earlier tier of the same waterfall.  A cap that refers, in the
same month, to its own tier, a later one or the whole waterfall is a cycle
(E061); so is a ``distributes`` expression that refers to its own waterfall.

The evaluation schedule is computed by :mod:`pactlang.sema.graph`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactlang.diagnostics import Related, Span
from pactlang.sema.context import (
    CONTRIBUTION,
    MEASURE,
    ORDERED_KINDS,
    THRESHOLD,
    VALUE_KINDS,
    WATERFALL,
    Checker,
    children,
)
from pactlang.syntax import ast

MAX_DEPTH = 120  # deeper expressions were already reported by the parser (E006)

WINDOW_FUNCS = frozenset({"sum", "avg", "min", "max"})


def is_window(e: ast.Expr) -> bool:
    return isinstance(e, ast.ToDate | ast.YearToDate | ast.DurationLit)


@dataclass(slots=True)
class Collector:
    """Walks expressions and collects what they refer to."""

    ck: Checker
    deps: dict[str, Span] = field(default_factory=dict)
    timed: bool = False
    mark_used: bool = True
    fund: ast.WaterfallDecl | None = None
    tier: int | None = None  # index of the tier whose cap is walked; None in `distributes`
    tier_index: dict[str, int] = field(default_factory=dict)
    owner: str | None = None  # the construct whose expressions are walked
    lag: int = 0  # how many `previous(…)` enclose the expression being walked
    # the fine-grained node being walked: target node → (same month?, first place)
    fine: dict[str, tuple[bool, Span]] = field(default_factory=dict)

    def add(self, name: str, span: Span, node: str | None = None) -> None:
        """A dependence on construct ``name`` (fine node ``node``: a waterfall tier)."""
        if name not in self.deps:
            self.deps[name] = span
        self.note(node or name, span)

    def note(self, node: str, span: Span) -> None:
        now = self.lag == 0
        seen = self.fine.get(node)
        if seen is None:
            self.fine[node] = (now, span)
        elif now and not seen[0]:
            self.fine[node] = (True, span)

    def walk(self, e: ast.Expr, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(e, ast.Name):
            head = e.head.name
            kind = self.ck.kind.get(head)
            if kind in VALUE_KINDS:
                self.add(head, e.span)
                if self.mark_used:
                    self.ck.used.add(head)
                if kind == MEASURE:
                    self.timed = True
            return
        if isinstance(e, ast.Call):
            self._call(e, depth)
            return
        for c in children(e):
            self.walk(c, depth + 1)

    def _call(self, e: ast.Call, depth: int) -> None:
        fn = e.func.name
        args = e.args
        first = args[0] if args else None
        if fn == "status":
            self.timed = True
            if isinstance(first, ast.Name) and self.ck.kind.get(first.head.name) == THRESHOLD:
                self.add(first.head.name, e.span)
            return
        if fn == "paid":
            self.timed = True
            payer = args[0].head.name if args and isinstance(args[0], ast.Name) else None
            payee = args[1].head.name if len(args) > 1 and isinstance(args[1], ast.Name) else None
            for t in self.ck.names_of((THRESHOLD,)):
                if _pays(self.ck.decl.get(t), payer, payee):
                    self.add(t, e.span)
            return
        if fn in ("distributed", "retained"):
            self.timed = True
            if isinstance(first, ast.Name) and self.ck.kind.get(first.head.name) == WATERFALL:
                fund = first.head.name
                own = self.fund is not None and fund == self.fund.name.name
                if own and self.lag == 0:
                    self._own_fund(e, fn, first)
                elif not own:
                    self.add(fund, e.span, tier_node(self.ck, fund, first, fn))
                else:  # its own earlier months: known before this month starts
                    self.note(tier_node(self.ck, fund, first, fn), e.span)
            return
        if fn == "contributed":
            self.timed = True
            if isinstance(first, ast.Name) and self.ck.kind.get(first.head.name) == CONTRIBUTION:
                self.add(first.head.name, e.span)
            return
        if fn in ("banzhaf", "shapley"):
            return  # voting power is time-independent and refers to no construct
        if fn == "previous":
            self.timed = True
            if args:
                self.lag += 1
                if not is_window(args[0]):
                    self.walk(args[0], depth + 1)
                self.lag -= 1
            for a in args[1:]:
                if not is_window(a):
                    self.walk(a, depth + 1)
            return
        if fn in WINDOW_FUNCS and args and is_window(args[-1]):
            self.timed = True
        for a in args:
            if not is_window(a):
                self.walk(a, depth + 1)

    def _own_fund(self, e: ast.Call, fn: str, ref: ast.Name) -> None:
        """A reference to the waterfall whose expression is being walked."""
        assert self.fund is not None
        fund = self.fund.name.name
        help_text = "a cap may refer only to earlier tiers of its own waterfall"
        if self.tier is None:
            self.ck.bag.error(
                "E061",
                f"waterfall cycle: the amount `{fund}` distributes refers to its own payouts "
                f"(`{fn}({fund}…)`)",
                e.span,
                help="distribute a measure or an expression that does not use this waterfall",
            )
            return
        tier = self.fund.tiers[self.tier]
        here = f"tier `{tier.name.name}`" if tier.name else f"tier {self.tier + 1}"
        if fn == "distributed" and len(ref.parts) == 2:
            target = ref.parts[1].name
            j = self.tier_index.get(target)
            if j is None:
                return  # an unknown tier: reported by the type checker
            if j < self.tier:
                # an earlier tier: settled before this one every month
                self.note(f"{fund}#{j}", e.span)
                return
            where = (
                "its own payouts" if j == self.tier else f"tier `{target}`, which comes after it"
            )
            target_tier = self.fund.tiers[j]
            assert target_tier.name is not None
            self.ck.bag.error(
                "E061",
                f"waterfall cap cycle: the cap of {here} in `{fund}` refers to {where}",
                e.span,
                help=help_text,
                related=[Related(target_tier.name.span, f"tier `{target}` is declared here")],
            )
            return
        self.ck.bag.error(
            "E061",
            f"waterfall cap cycle: the cap of {here} in `{fund}` refers to the whole "
            f"waterfall (`{fn}({fund}…)`), this tier included",
            e.span,
            help=help_text + ", e.g. `distributed(fund.TIER, to date)`",
        )


def tier_node(ck: Checker, fund: str, ref: ast.Name, fn: str) -> str:
    """The fine node a read of a waterfall depends on: ``fund#i`` for tier i.

    ``distributed(fund.tier…)`` needs that tier settled; ``distributed(fund…)``
    and ``retained(fund…)`` need the whole month, i.e. the last tier."""
    decl = ck.decl.get(fund)
    tiers = decl.tiers if isinstance(decl, ast.WaterfallDecl) else ()
    if fn == "distributed" and len(ref.parts) == 2:
        for i, t in enumerate(tiers):
            if t.name is not None and t.name.name == ref.parts[1].name:
                return f"{fund}#{i}"
    return f"{fund}#{max(len(tiers) - 1, 0)}"


def _pays(decl: object, payer: str | None, payee: str | None) -> bool:
    """Whether a threshold has a ``pay`` action from ``payer`` to ``payee``."""
    if not isinstance(decl, ast.ThresholdDecl):
        return False
    rules: list[ast.Rule | ast.OtherwiseRule] = [*decl.rules]
    if decl.otherwise is not None:
        rules.append(decl.otherwise)
    return any(
        isinstance(a, ast.PayAction)
        and (payer is None or a.payer.name == payer)
        and (payee is None or a.payee.name == payee)
        for r in rules
        for a in r.actions
    )


def collect(ck: Checker, exprs: list[ast.Expr], *, mark_used: bool = True) -> Collector:
    c = Collector(ck, mark_used=mark_used)
    for e in exprs:
        c.walk(e)
    return c


# --------------------------------------------------------------- pass 3


def references(ck: Checker) -> None:
    decls: list[ast.NamedDecl] = list(ck.decl.values()) + list(ck.duplicates)
    for d in decls:
        first = ck.decl.get(d.name.name) is d
        c = Collector(ck, owner=d.name.name)
        if isinstance(d, ast.MeasureDecl | ast.KpiDecl):
            for a in d.attrs:
                if a.key.name == "target" and not isinstance(a.value, ast.FreqValue):
                    c.walk(a.value)
            if isinstance(d, ast.KpiDecl):
                c.walk(d.expr)
        elif isinstance(d, ast.LetDecl):
            if isinstance(d.value, ast.Schedule):
                c.timed = True
                for entry in d.value.entries:
                    c.walk(entry.value)
            else:
                c.walk(d.value)
        elif isinstance(d, ast.ThresholdDecl):
            for rule in d.rules:
                c.walk(rule.cond)
                _actions(c, rule.actions)
            if d.otherwise is not None:
                _actions(c, d.otherwise.actions)
        elif isinstance(d, ast.ContributionDecl):
            if isinstance(d.amount, ast.Schedule):
                c.timed = True
                for entry in d.amount.entries:
                    c.walk(entry.value)
            elif d.amount is not None:
                c.walk(d.amount)
            for key in d.keys:
                c.walk(key.share)
        elif isinstance(d, ast.WaterfallDecl):
            c.fund = d
            c.tier_index = {t.name.name: i for i, t in enumerate(d.tiers) if t.name is not None}
            c.walk(d.distributes)  # read before the first tier settles
            tier_fine: list[dict[str, tuple[bool, Span]]] = []
            for i, tier in enumerate(d.tiers):
                c.tier = i
                if i:
                    c.fine = {}
                for pay in tier.pays:
                    c.walk(pay.cap)
                if tier.cap is not None:
                    c.walk(tier.cap)
                tier_fine.append(c.fine)
            if first:
                name = d.name.name
                for i, fine in enumerate(tier_fine):
                    ck.fine[f"{name}#{i}"] = fine
        if first and ck.kind[d.name.name] in ORDERED_KINDS:
            ck.deps[d.name.name] = c.deps
            if not isinstance(d, ast.WaterfallDecl):
                ck.fine[d.name.name] = c.fine
            if c.timed or isinstance(
                d, ast.ThresholdDecl | ast.WaterfallDecl | ast.ContributionDecl
            ):
                ck.timed.add(d.name.name)


def _actions(c: Collector, actions: tuple[ast.Action, ...]) -> None:
    for a in actions:
        if isinstance(a, ast.PayAction):
            c.walk(a.amount)
