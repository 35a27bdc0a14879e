"""Passes 3 and 4: what each construct refers to, and the order to compute them in.

A *construct* is computed month by month: a let, a KPI, a threshold or a
waterfall.  It depends on

- every let, KPI or measure its expressions name (lagged references such as
  ``previous(x)`` included: a contract cannot define a value by its own past);
- the threshold ``t`` of ``status(t)``;
- every *other* threshold with a ``pay … from p to q`` action, for ``paid(p,
  q)``: inside a threshold, ``paid`` counts the payments of the thresholds
  computed before it, never its own (that would be a threshold defined by its
  own consequences);
- the waterfall ``f`` of ``distributed(f…)`` and ``retained(f)``.

A threshold depends on what its conditions and pay amounts refer to; a
waterfall on its ``distributes`` expression and its caps.  A cap may refer to
*earlier* tiers of its own waterfall (``distributed(fund.pref, to date)``):
that is resolved inside the waterfall and is no dependency.  A cap that refers
to its own tier, a later one, or the whole waterfall is a cycle (E061); so is a
``distributes`` expression that refers to its own waterfall.

Cycles between constructs are reported once per strongly connected component
(E019), naming the cycle.  ``CheckedContract.order`` lists every construct
after those it depends on, ties kept in declaration order; constructs on or
behind a cycle come last, in declaration order.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

from pactlang.diagnostics import Related, Span
from pactlang.sema.context import (
    KPI,
    LET,
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

    def add(self, name: str, span: Span) -> None:
        if name not in self.deps:
            self.deps[name] = span

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
                if t != self.owner and _pays(self.ck.decl.get(t), payer, payee):
                    self.add(t, e.span)
            return
        if fn in ("distributed", "retained"):
            self.timed = True
            if isinstance(first, ast.Name) and self.ck.kind.get(first.head.name) == WATERFALL:
                if self.fund is not None and first.head.name == self.fund.name.name:
                    self._own_fund(e, fn, first)
                else:
                    self.add(first.head.name, e.span)
            return
        if fn in ("banzhaf", "shapley"):
            return  # voting power is time-independent and refers to no construct
        if fn == "previous" or (fn in WINDOW_FUNCS and args and is_window(args[-1])):
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
                return  # an earlier tier: computed before this one every month
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
        elif isinstance(d, ast.WaterfallDecl):
            c.fund = d
            c.tier_index = {t.name.name: i for i, t in enumerate(d.tiers) if t.name is not None}
            c.walk(d.distributes)
            for i, tier in enumerate(d.tiers):
                c.tier = i
                for pay in tier.pays:
                    c.walk(pay.cap)
                if tier.cap is not None:
                    c.walk(tier.cap)
        if first and ck.kind[d.name.name] in ORDERED_KINDS:
            ck.deps[d.name.name] = c.deps
            if c.timed or isinstance(d, ast.ThresholdDecl | ast.WaterfallDecl):
                ck.timed.add(d.name.name)


def _actions(c: Collector, actions: tuple[ast.Action, ...]) -> None:
    for a in actions:
        if isinstance(a, ast.PayAction):
            c.walk(a.amount)


# --------------------------------------------------------------- pass 4


def order(ck: Checker) -> None:
    cc = ck.cc
    nodes = [n for n, k in ck.kind.items() if k in ORDERED_KINDS]
    node_set = set(nodes)
    succ: dict[str, list[str]] = {
        n: [d for d in ck.deps.get(n, {}) if d in node_set] for n in nodes
    }
    for comp in _sccs(nodes, succ):
        if len(comp) > 1 or comp[0] in succ[comp[0]]:
            _report_cycle(ck, comp, succ)
    # Kahn's algorithm, ties broken by declaration order
    indeg = {n: len(set(succ[n])) for n in nodes}
    users: dict[str, list[str]] = {n: [] for n in nodes}
    for n in nodes:
        for d in set(succ[n]):
            users[d].append(n)
    heap = [(ck.index[n], n) for n in nodes if indeg[n] == 0]
    heapq.heapify(heap)
    out: list[str] = []
    while heap:
        _, n = heapq.heappop(heap)
        out.append(n)
        for u in users[n]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(heap, (ck.index[u], u))
    placed = set(out)
    out.extend(n for n in nodes if n not in placed)
    cc.order = out
    cc.depends = {n: frozenset(ck.deps.get(n, {})) for n in out}
    constants: set[str] = set()
    for n in out:
        if n not in placed:
            continue
        if ck.kind[n] in (LET, KPI) and n not in ck.timed:
            if all(d in constants for d in ck.deps.get(n, {})):
                constants.add(n)
    cc.constants = frozenset(constants)


def _sccs(nodes: list[str], succ: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            v, it = work[-1]
            pushed = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    pushed = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if pushed:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def _report_cycle(ck: Checker, comp: list[str], succ: dict[str, list[str]]) -> None:
    members = set(comp)
    start = min(comp, key=lambda n: ck.index[n])
    path = _cycle_through(start, members, succ)
    shown = " → ".join(f"`{n}`" for n in path + [start])
    if len(path) == 1:
        message = f"circular definition: `{start}` refers to itself"
    else:
        message = f"circular definition: {shown}"
    related: list[Related] = []
    for a, b in zip(path, path[1:] + [start], strict=True):
        where = ck.deps[a][b]
        related.append(Related(where, f"`{a}` refers to `{b}` here"))
    if any(ck.kind[n] == WATERFALL for n in path):
        help_text = (
            "a waterfall cannot depend on its own payouts through other values; a cap may "
            "refer to its earlier tiers directly, e.g. `distributed(fund.pref, to date)`"
        )
    elif all(ck.kind[n] in (LET, KPI) for n in path):
        help_text = (
            "a value cannot depend on itself, even through `previous`; "
            "use a `to date` window for running totals"
        )
    else:
        help_text = (
            "a threshold or waterfall cannot depend on its own result; "
            "break the chain of references"
        )
    ck.bag.error("E019", message, ck.decl_span(start), help=help_text, related=related)


def _cycle_through(start: str, members: set[str], succ: dict[str, list[str]]) -> list[str]:
    """A shortest cycle from ``start`` back to itself inside one component."""
    if start in succ[start]:
        return [start]
    parent: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        v = queue.popleft()
        for w in succ[v]:
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            if w in members and w not in seen:
                seen.add(w)
                parent[w] = v
                queue.append(w)
    return [start]  # pragma: no cover - a component always holds a cycle through start
