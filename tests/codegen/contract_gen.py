"""Hypothesis strategies: random contracts (as ASTs) and random monthly data.

A contract is built declaration by declaration as :mod:`pactlang.syntax.ast`
nodes, every expression typed by construction, then printed with the
formatter (``format_module(module, "")``) and parsed and checked again like any
file.  Declarations only refer to what was declared before them, in phases
that cannot form a cycle:

1. parties, measures, constant lets and schedules (a committee and a ladder);
2. lets and KPIs over the measures: arithmetic, windows, lags, ``if``,
   ``otherwise``, ``abs``, ``round``, ``min``/``max``, voting power;
3. thresholds: cadences, ``for N``, every action kind, ``once``, ``otherwise``;
   the status of earlier thresholds, its own earlier statuses and
   payments (``previous(status(t))``, ``previous(paid(p, q, to date))``: a
   recurrence), ``paid`` of the same month in the last one only;
4. a waterfall: capped (pro rata, in order) and split tiers, caps made of
   literals, values, windows and ``distributed(fund.earlier, to date)``;
5. lets and KPIs reading everything: ``status``, ``paid``, ``distributed``,
   ``retained``, ``contributed``, and rollovers reading their own previous month.

Contributions (amounts, schedules, keys that change over time) come after the
thresholds and before the waterfalls, whose caps may read ``contributed``;
measures reported quarterly or yearly get KPIs of their own (windows that
count reports, lags of a quarter); thresholds also ``terminate``, ``suspend``
and ``oblige``; committees may have a chair and a deadlock clause; durations
of one kind are compared.  A measure's type in the returned mapping is
``"number@quarterly"`` for a measure reported quarterly.

Names are drawn from a pool that includes Python keywords, builtins and
names of the generated module's own variables (``class``, ``sum_``, ``v_x``
and ``x``, ``_rt``, ``t``, ``months``…) so mangling is tested end to end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from pactlang.base.values import Period
from pactlang.diagnostics import NO_SPAN as N
from pactlang.syntax import ast as A

# names that collide with Python, with the runtime, or with each other once mangled
TRICKY = [
    "x",
    "v_x",
    "c_x",
    "x1",
    "k1",
    "class",
    "def",
    "import",
    "lambda",
    "return",
    "none",
    "self",
    "sum_",
    "str",
    "dict",
    "zip",
    "print",
    "exec",
    "_rt",
    "_",
    "__import__",
    "t",
    "i",
    "n",
    "u",
    "rows",
    "key",
    "strict",
    "pays",
    "acts",
    "cell1",
    "decimal",
    "evaluate",
    "main",
]

NUMERIC = ("number", "count", "percent")


def ident(name: str) -> A.Ident:
    return A.Ident(name, N)


def name(*parts: str) -> A.Name:
    return A.Name(tuple(ident(p) for p in parts), N)


def labels(text: str | None) -> A.Labels:
    return A.Labels(A.Text(text, N) if text is not None else None, (), N)


def num(text: str) -> A.NumberLit:
    return A.NumberLit(Decimal(text.replace("_", "")), text, N)


def pct(text: str) -> A.PercentLit:
    return A.PercentLit(Decimal(text) / 100, text, N)


def money(text: str, currency: str) -> A.MoneyLit:
    return A.MoneyLit(Decimal(text.replace("_", "")), currency, text, N)


def call(fn: str, *args: A.Expr) -> A.Call:
    return A.Call(ident(fn), tuple(args), N)


def months(amount: int, unit: str = "month") -> A.DurationLit:
    return A.DurationLit(amount, unit, N)  # type: ignore[arg-type]


@dataclass
class Scope:
    """What has been declared so far, by the kind of value it gives."""

    currency: str
    names: list[str]
    parties: list[str] = field(default_factory=list)
    nums: list[str] = field(default_factory=list)
    moneys: list[str] = field(default_factory=list)
    bools: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    thresholds: list[str] = field(default_factory=list)
    payers: list[tuple[str, str]] = field(default_factory=list)
    funds: dict[str, list[str]] = field(default_factory=dict)  # fund → named tiers
    decisions: list[tuple[str, str, list[str]]] = field(default_factory=list)
    contributions: list[str] = field(default_factory=list)
    ladder: str | None = None
    allow_status: bool = False
    allow_paid: bool = False
    allow_funds: bool = False
    own_fund: str | None = None  # in a cap: this fund, with the tiers before
    own_tiers: list[str] = field(default_factory=list)
    own_threshold: str | None = None  # in a threshold: its own earlier months may be read
    paid_now: set[tuple[str, str]] = field(default_factory=set)  # read this month: not paid here
    paying: set[tuple[str, str]] = field(default_factory=set)  # paid by the threshold being built

    def fresh(self, draw: st.DrawFn, prefix: str) -> str:
        pool = [n for n in TRICKY if n not in self.names]
        if pool and draw(st.integers(0, 3)) == 0:
            chosen = draw(st.sampled_from(pool))
        else:
            chosen = f"{prefix}{len(self.names)}"
        self.names.append(chosen)
        return chosen


# ------------------------------------------------------------ expressions


def _number_text(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 1200))
    if draw(st.booleans()):
        return str(whole)
    places = draw(st.integers(1, 3))
    frac = draw(st.integers(0, 10**places - 1))
    return f"{whole}.{frac:0{places}d}"


def num_expr(draw: st.DrawFn, s: Scope, depth: int) -> A.Expr:
    leaves = ["lit", "pct"] + (["name"] * 3 if s.nums else [])
    inner = ["arith", "neg", "if", "otherwise", "abs", "round", "minmax", "window", "prev", "ratio"]
    if s.decisions:
        inner.append("power")
    kind = draw(st.sampled_from(leaves + (inner if depth > 0 else [])))
    d = depth - 1
    if kind == "lit":
        return num(_number_text(draw))
    if kind == "pct":
        return pct(draw(st.sampled_from(["0", "5", "10", "12.5", "50", "100", "150"])))
    if kind == "name":
        return name(draw(st.sampled_from(s.nums)))
    if kind == "arith":
        ops = draw(st.sampled_from([("+", "-"), ("*", "/")]))
        count = draw(st.integers(2, 3))
        return A.Arith(
            tuple(draw(st.sampled_from(ops)) for _ in range(count - 1)),
            tuple(num_expr(draw, s, d) for _ in range(count)),
            N,
        )
    if kind == "neg":
        return A.Unary("-", num_expr(draw, s, d), N)
    if kind == "if":
        return A.IfThenElse(bool_expr(draw, s, d), num_expr(draw, s, d), num_expr(draw, s, d), N)
    if kind == "otherwise":
        fallback: A.Expr = A.MissingLit(N) if draw(st.integers(0, 4)) == 0 else num_expr(draw, s, d)
        return A.Otherwise(num_expr(draw, s, d), fallback, N)
    if kind == "abs":
        return call("abs", num_expr(draw, s, d))
    if kind == "round":
        return call("round", num_expr(draw, s, d), num(str(draw(st.integers(0, 3)))))
    if kind == "minmax":
        return call(
            draw(st.sampled_from(["min", "max"])),
            *(num_expr(draw, s, d) for _ in range(draw(st.integers(2, 3)))),
        )
    if kind == "window":
        return window(draw, num_expr(draw, s, d))
    if kind == "prev":
        return previous(draw, num_expr(draw, s, d))
    if kind == "ratio":
        return A.Arith(("/",), (money_expr(draw, s, d), money_expr(draw, s, d)), N)
    committee, decision, members = draw(st.sampled_from(s.decisions))
    return call(
        draw(st.sampled_from(["banzhaf", "shapley"])),
        name(committee, decision),
        name(draw(st.sampled_from(members))),
    )


def money_expr(draw: st.DrawFn, s: Scope, depth: int) -> A.Expr:
    leaves = ["lit"] + (["name"] * 3 if s.moneys else [])
    if s.allow_paid and s.payers:
        leaves.append("paid")
    if s.allow_funds and s.funds:
        leaves += ["distributed", "retained"]
    if s.own_fund is not None and s.own_tiers:
        leaves += ["own"] * 2
    if s.allow_funds and s.contributions:
        leaves.append("contributed")
    inner = ["sum", "scale", "neg", "if", "otherwise", "abs", "round", "minmax", "window", "prev"]
    kind = draw(st.sampled_from(leaves + (inner if depth > 0 else [])))
    d = depth - 1
    cur = s.currency
    if kind == "lit":
        text = _number_text(draw)
        if cur == "JPY" and draw(st.booleans()):
            text = text.split(".")[0]
        return money(text, cur)
    if kind == "name":
        return name(draw(st.sampled_from(s.moneys)))
    if kind == "paid":
        payer, payee = draw(st.sampled_from(s.payers))
        read = call("paid", name(payer), name(payee), *([A.ToDate(N)] if draw(st.booleans()) else []))
        if s.own_threshold is not None:
            if (payer, payee) in s.paying or draw(st.booleans()):
                # what it paid itself: earlier months only (a liability cap)
                return A.Otherwise(previous(draw, read), money("0", cur), N)
            s.paid_now.add((payer, payee))
        return read
    if kind == "distributed":
        fund = draw(st.sampled_from(sorted(s.funds)))
        args: list[A.Expr] = [name(fund)]
        if s.funds[fund] and draw(st.booleans()):
            args = [name(fund, draw(st.sampled_from(s.funds[fund])))]
        if draw(st.booleans()):
            args.append(name(draw(st.sampled_from(s.parties))))
        if draw(st.booleans()):
            args.append(A.ToDate(N))
        return call("distributed", *args)
    if kind == "contributed":
        args = [name(draw(st.sampled_from(s.contributions)))]
        if draw(st.booleans()):
            args.append(name(draw(st.sampled_from(s.parties))))
        if draw(st.booleans()):
            args.append(A.ToDate(N))
        return call("contributed", *args)
    if kind == "retained":
        fund = draw(st.sampled_from(sorted(s.funds)))
        return call("retained", name(fund), *([A.ToDate(N)] if draw(st.booleans()) else []))
    if kind == "own":
        assert s.own_fund is not None
        tier = draw(st.sampled_from(s.own_tiers))
        args = [name(s.own_fund, tier)]
        if draw(st.booleans()):
            args.append(name(draw(st.sampled_from(s.parties))))
        if draw(st.booleans()):
            args.append(A.ToDate(N))
        distributed = call("distributed", *args)
        return A.Arith(("*",), (pct(draw(st.sampled_from(["25", "50", "100"]))), distributed), N)
    if kind == "sum":
        count = draw(st.integers(2, 3))
        return A.Arith(
            tuple(draw(st.sampled_from(["+", "-"])) for _ in range(count - 1)),
            tuple(money_expr(draw, s, d) for _ in range(count)),
            N,
        )
    if kind == "scale":
        op = draw(st.sampled_from(["*", "/"]))
        if op == "*" and draw(st.booleans()):
            return A.Arith(("*",), (num_expr(draw, s, d), money_expr(draw, s, d)), N)
        return A.Arith((op,), (money_expr(draw, s, d), num_expr(draw, s, d)), N)
    if kind == "neg":
        return A.Unary("-", money_expr(draw, s, d), N)
    if kind == "if":
        return A.IfThenElse(bool_expr(draw, s, d), money_expr(draw, s, d), money_expr(draw, s, d), N)
    if kind == "otherwise":
        return A.Otherwise(money_expr(draw, s, d), money_expr(draw, s, d), N)
    if kind == "abs":
        return call("abs", money_expr(draw, s, d))
    if kind == "round":
        return call("round", money_expr(draw, s, d), num(str(draw(st.integers(0, 3)))))
    if kind == "minmax":
        return call(draw(st.sampled_from(["min", "max"])), money_expr(draw, s, d), money_expr(draw, s, d))
    if kind == "window":
        return window(draw, money_expr(draw, s, d))
    return previous(draw, money_expr(draw, s, d))


def bool_expr(draw: st.DrawFn, s: Scope, depth: int) -> A.Expr:
    leaves = ["cmp", "cmp"] + (["name"] if s.bools else []) + ["lit"]
    if s.allow_status and s.thresholds:
        leaves.append("status")
    if s.own_threshold is not None:
        leaves.append("own")
    if s.dates:
        leaves.append("dates")
    inner = ["logic", "not", "if", "otherwise"]
    kind = draw(st.sampled_from(leaves + (inner if depth > 0 else [])))
    d = max(depth - 1, 0)
    if kind == "cmp":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        if draw(st.booleans()):
            return A.Compare(op, num_expr(draw, s, d), num_expr(draw, s, d), N)  # type: ignore[arg-type]
        return A.Compare(op, money_expr(draw, s, d), money_expr(draw, s, d), N)  # type: ignore[arg-type]
    if kind == "name":
        return name(draw(st.sampled_from(s.bools)))
    if kind == "lit":
        return A.BoolLit(draw(st.booleans()), N)
    if kind == "dates":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        if draw(st.booleans()):  # durations of one kind compare
            elapsed = A.Arith(("-",), (date_expr(draw, s, d), date_expr(draw, s, d)), N)
            days = A.Arith(("+",), (months(draw(st.integers(1, 90)), "day"), months(draw(st.integers(0, 9)), "day")), N)
            return A.Compare(op, elapsed, days, N)  # type: ignore[arg-type]
        return A.Compare(op, date_expr(draw, s, d), date_expr(draw, s, d), N)  # type: ignore[arg-type]
    if kind == "status":
        word = draw(st.sampled_from(["ok", "watch", "breach", "bonus", "no-data"]))
        return A.Compare(
            draw(st.sampled_from(["==", "!="])),  # type: ignore[arg-type]
            call("status", name(draw(st.sampled_from(s.thresholds)))),
            A.StringLit(word, N),
            N,
        )
    if kind == "own":  # its own status of an earlier month (a cure period)
        assert s.own_threshold is not None
        return A.Compare(
            draw(st.sampled_from(["==", "!="])),  # type: ignore[arg-type]
            previous(draw, call("status", name(s.own_threshold))),
            A.StringLit(draw(st.sampled_from(["ok", "breach", "no-data"])), N),
            N,
        )
    if kind == "logic":
        count = draw(st.integers(2, 3))
        return A.Logic(
            draw(st.sampled_from(["and", "or"])),  # type: ignore[arg-type]
            tuple(bool_expr(draw, s, d) for _ in range(count)),
            N,
        )
    if kind == "not":
        return A.Unary("not", bool_expr(draw, s, d), N)
    if kind == "if":
        return A.IfThenElse(bool_expr(draw, s, d), bool_expr(draw, s, d), bool_expr(draw, s, d), N)
    return A.Otherwise(bool_expr(draw, s, d), A.BoolLit(draw(st.booleans()), N), N)


def date_expr(draw: st.DrawFn, s: Scope, depth: int) -> A.Expr:
    """Dates: literals, date lets, ``date ± duration`` and ``if``."""
    kind = draw(st.sampled_from(["lit"] + (["name"] if s.dates else []) + (["shift", "if"] if depth > 0 else [])))
    if kind == "lit":
        return A.DateLit(datetime.date(2026, draw(st.integers(1, 12)), draw(st.integers(1, 28))), N)
    if kind == "name":
        return name(draw(st.sampled_from(s.dates)))
    if kind == "shift":
        unit = draw(st.sampled_from(["day", "business_day", "month", "quarter", "year"]))
        duration = A.DurationLit(draw(st.integers(1, 20)), unit, N)  # type: ignore[arg-type]
        return A.Arith((draw(st.sampled_from(["+", "-"])),), (date_expr(draw, s, depth - 1), duration), N)  # type: ignore[arg-type]
    return A.IfThenElse(bool_expr(draw, s, depth - 1), date_expr(draw, s, depth - 1), date_expr(draw, s, depth - 1), N)


def window(draw: st.DrawFn, inner: A.Expr) -> A.Call:
    fn = draw(st.sampled_from(["sum", "avg", "min", "max"]))
    span = draw(
        st.sampled_from(
            [
                months(1),
                months(2),
                months(3),
                months(6),
                months(12),
                months(1, "quarter"),
                months(1, "year"),
                A.ToDate(N),
                A.YearToDate(N),
            ]
        )
    )
    return call(fn, inner, span)


def previous(draw: st.DrawFn, inner: A.Expr) -> A.Call:
    lag = draw(st.sampled_from([None, months(1), months(2), months(1, "quarter"), months(10), months(1, "year")]))
    return call("previous", inner) if lag is None else call("previous", inner, lag)


# ------------------------------------------------------------- contracts


def action(draw: st.DrawFn, s: Scope, payer_pairs: list[tuple[str, str]]) -> A.Action:
    once = draw(st.integers(0, 3)) == 0
    kind = draw(
        st.sampled_from(
            ["pay", "pay", "notify", "action", "suspend", "oblige"]
            + (["escalate"] if s.ladder else [])
            + (["terminate"] if draw(st.integers(0, 5)) == 0 else [])
        )
    )
    if kind == "terminate":
        unit = draw(st.sampled_from(["day", "business_day"]))
        return A.TerminateAction(ident(draw(st.sampled_from(s.parties))), months(draw(st.integers(1, 200)), unit), once, N)
    if kind == "suspend":
        return A.SuspendAction(ident(draw(st.sampled_from(s.parties))), A.Text("Deliveries", N), once, N)
    if kind == "oblige":
        unit = draw(st.sampled_from(["day", "business_day"]))
        return A.ObligeAction(ident(draw(st.sampled_from(s.parties))), A.Text("Plan « B »", N), months(draw(st.integers(1, 40)), unit), once, N)
    if kind == "pay":
        payer, payee = draw(st.permutations(s.parties))[:2]
        if (payer, payee) in s.paid_now:  # read in the same month by this threshold
            return A.FreeAction(A.Text("Review", N), once, N)
        s.paying.add((payer, payee))
        payer_pairs.append((payer, payee))
        label = A.Text(draw(st.sampled_from(["Penalty", "Bonus", "Crédit « spécial »"])), N) if draw(st.booleans()) else None
        return A.PayAction(money_expr(draw, s, 1), ident(payer), ident(payee), label, once, N)
    if kind == "notify":
        return A.NotifyAction(tuple(ident(p) for p in draw(st.lists(st.sampled_from(s.parties), min_size=1, max_size=2))), once, N)
    if kind == "escalate":
        assert s.ladder is not None
        return A.EscalateAction(ident(s.ladder), once, N)
    return A.FreeAction(A.Text(draw(st.sampled_from(["Review", "Plan d'action"])), N), once, N)


STATUSES = ["ok", "watch", "breach", "bonus"]


def threshold(draw: st.DrawFn, s: Scope, tname: str) -> A.ThresholdDecl:
    cadence = draw(st.sampled_from([None, "monthly", "quarterly", "yearly"]))
    rules = []
    pairs: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 3))):
        persistence = None
        if draw(st.booleans()):
            unit = {"quarterly": "quarter", "yearly": "year"}.get(cadence or "", "month")
            persistence = A.Persistence(draw(st.sampled_from([2, 3, 4, 11])), unit, N)  # type: ignore[arg-type]
        acts = tuple(action(draw, s, pairs) for _ in range(draw(st.integers(0, 2))))
        rules.append(
            A.Rule(bool_expr(draw, s, 2), persistence, A.StatusWord(draw(st.sampled_from(STATUSES)), N), acts, N)  # type: ignore[arg-type]
        )
    otherwise = None
    if draw(st.booleans()) or not rules:
        acts = tuple(action(draw, s, pairs) for _ in range(draw(st.integers(0, 1))))
        otherwise = A.OtherwiseRule(A.StatusWord(draw(st.sampled_from(STATUSES)), N), acts, N)  # type: ignore[arg-type]
    s.payers.extend(p for p in pairs if p not in s.payers)
    checked = A.CadenceWord(cadence, N) if cadence else None  # type: ignore[arg-type]
    return A.ThresholdDecl(ident(tname), labels(None), checked, tuple(rules), otherwise, N)


def waterfall(draw: st.DrawFn, s: Scope, fund: str) -> A.WaterfallDecl:
    distributes: A.Expr = name(draw(st.sampled_from(s.moneys))) if s.moneys else money("1000", s.currency)
    if s.moneys and draw(st.integers(0, 3)) == 0:
        distributes = call("abs", money_expr(draw, s, 1))
    tiers = []
    named: list[str] = []
    count = draw(st.integers(1, 3))
    for k in range(count):
        tname = s.fresh(draw, "tier") if draw(st.booleans()) else None
        s.own_fund, s.own_tiers = fund, list(named)
        if draw(st.booleans()) or k == count - 1 and draw(st.booleans()):
            parties = draw(st.lists(st.sampled_from(s.parties), min_size=1, max_size=len(s.parties), unique=True))
            keys = _split_keys(draw, len(parties))
            cap = money_expr(draw, s, 1) if draw(st.booleans()) else None
            tier = A.TierDecl(
                ident(tname) if tname else None,
                labels(draw(st.sampled_from([None, "Surplus"]))),
                (),
                None,
                tuple(A.SplitShare(ident(p), pct(k_), N) for p, k_ in zip(parties, keys, strict=True)),
                cap,
                N,
            )
        else:
            parties = draw(st.lists(st.sampled_from(s.parties), min_size=1, max_size=len(s.parties), unique=True))
            mode = draw(st.sampled_from([None, "pro_rata", "in_order"]))
            tier = A.TierDecl(
                ident(tname) if tname else None,
                labels(None),
                tuple(A.CapPay(ident(p), money_expr(draw, s, 1), N) for p in parties),
                mode,  # type: ignore[arg-type]
                (),
                None,
                N,
            )
        tiers.append(tier)
        if tname:
            named.append(tname)
    s.own_fund, s.own_tiers = None, []
    s.funds[fund] = named
    return A.WaterfallDecl(ident(fund), labels("Fund"), distributes, tuple(tiers), N)


def _split_keys(draw: st.DrawFn, count: int) -> list[str]:
    if count == 1:
        return ["100"]
    if count == 2:
        return draw(st.sampled_from([["60", "40"], ["50", "50"], ["33.3", "66.7"], ["0", "100"]]))
    return draw(st.sampled_from([["50", "30", "20"], ["33.33", "33.33", "33.34"], ["48", "32", "20"]]))


@st.composite
def contracts(draw: st.DrawFn, stackable: bool = False) -> tuple[A.Module, dict[str, str]]:
    """A contract module and its measures (name → type).  ``stackable``: only
    what a portfolio evaluated as one run takes (kernel/stack.py): monthly
    measures, values and thresholds that read no payment, nothing reading
    its own earlier months, no waterfall or contribution."""
    currency = draw(st.sampled_from(["EUR", "EUR", "JPY"]))
    s = Scope(currency, [])
    decls: list[A.Decl] = [A.CurrencyDecl(ident(currency), N)]
    if draw(st.booleans()):
        start = datetime.date(2026, draw(st.integers(1, 3)), 1)
        until = A.DateLit(datetime.date(2027, 6, 30), N) if draw(st.booleans()) else None
        decls.append(A.EffectiveDecl(A.DateLit(start, N), until, N))
    if draw(st.integers(0, 3)) == 0:
        decls.append(A.CalendarDecl(ident("FR"), N))
    for _ in range(draw(st.integers(2, 3))):
        p = s.fresh(draw, "party")
        s.parties.append(p)
        decls.append(A.PartyDecl(ident(p), labels(f"Party {p}"), N))
    measures: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 4))):
        m = s.fresh(draw, "m")
        kind = draw(st.sampled_from(["number", "count", "percent", "money", "money", "bool"]))
        measures[m] = kind
        decls.append(A.MeasureDecl(ident(m), labels(f"Measure {m}"), A.TypeRef(kind, N), (), N))  # type: ignore[arg-type]
        (s.moneys if kind == "money" else s.bools if kind == "bool" else s.nums).append(m)
    reported: list[tuple[str, str, str]] = []  # measures reported quarterly or yearly
    for _ in range(0 if stackable else draw(st.sampled_from([0, 0, 1, 2]))):
        m = s.fresh(draw, "q")
        cadence = draw(st.sampled_from(["quarterly", "quarterly", "yearly"]))
        kind = draw(st.sampled_from(["number", "money"]))
        measures[m] = f"{kind}@{cadence}"
        decls.append(
            A.MeasureDecl(ident(m), labels(None), A.TypeRef(kind, N), (), N, A.CadenceWord(cadence, N))  # type: ignore[arg-type]
        )
        reported.append((m, kind, cadence))
    if draw(st.booleans()):
        ladder = s.fresh(draw, "ladder")
        steps = [
            A.StepDecl(ident(s.fresh(draw, "step")), labels(None), A.DurationLit(draw(st.integers(1, 15)), draw(st.sampled_from(["day", "business_day"])), N), False, (), N)
            for _ in range(draw(st.integers(0, 2)))
        ]
        steps.append(A.StepDecl(ident(s.fresh(draw, "step")), labels(None), None, True, (), N))
        decls.append(A.EscalationDecl(ident(ladder), labels(None), tuple(steps), N))
        s.ladder = ladder
    if draw(st.booleans()):
        committee = s.fresh(draw, "committee")
        members = s.parties[:]
        items: list[A.CommitteeItem] = [
            A.MemberDecl(ident(p), num(str(draw(st.integers(1, 60)))), N) for p in members
        ]
        dname = s.fresh(draw, "decision")
        rule = draw(
            st.sampled_from(
                [
                    A.VoteRule("majority", False, None, None, N),
                    A.VoteRule("unanimity", False, None, None, N),
                    A.VoteRule("fraction", False, A.Fraction(2, 3, "2/3", N), "weight", N),
                ]
            )
        )
        if draw(st.booleans()):
            items.append(A.ChairDecl(ident(draw(st.sampled_from(members))), N))
        deadlock = None
        if s.ladder is not None and draw(st.booleans()):
            deadlock = A.Deadlock(draw(st.integers(1, 3)), ident(s.ladder), N)
        items.append(A.DecisionDecl(ident(dname), labels(None), rule, (), N, deadlock))
        decls.append(A.CommitteeDecl(ident(committee), labels(None), tuple(items), N))
        s.decisions.append((committee, dname, members))
    # phase 1: constant lets and schedules
    for _ in range(draw(st.integers(0, 2))):
        lname = s.fresh(draw, "let")
        if draw(st.booleans()):
            entries = []
            month = Period(2025, 12).index + draw(st.integers(0, 3))
            for _ in range(draw(st.integers(1, 3))):
                value = money(_number_text(draw), currency) if draw(st.booleans()) else money_expr(draw, s, 0)
                entries.append(A.ScheduleEntry(value, A.PeriodLit(Period.from_index(month), N), N))
                month += draw(st.integers(1, 7))
            decls.append(A.LetDecl(ident(lname), labels(None), None, A.Schedule(tuple(entries), N), N))
        else:
            decls.append(A.LetDecl(ident(lname), labels(None), None, money_expr(draw, Scope(currency, [], decisions=s.decisions), 1), N))
        s.moneys.append(lname)
    # phase 2: values over the measures
    _values(draw, s, decls, draw(st.integers(0, 3)), stackable)
    # phase 3: thresholds
    count = draw(st.integers(0, 2))
    for k in range(count):
        tname = s.fresh(draw, "th")
        s.allow_status = True
        s.allow_paid = k == count - 1 and not stackable  # paid() of the same month only in the last threshold
        s.own_threshold = None if stackable else tname
        if not stackable:
            s.payers.extend(p for p in _pays_ahead(draw, s) if p not in s.payers)
        decls.append(threshold(draw, s, tname))
        s.own_threshold = None
        s.paid_now, s.paying = set(), set()
        s.thresholds.append(tname)
    s.allow_paid = False
    # measures reported quarterly or yearly: KPIs of their own (windows count reports)
    for m, kind, cadence in reported:
        decls.append(_reported_kpi(draw, s, m, kind, cadence))
    # contributions (the waterfalls' caps may read them)
    for _ in range(0 if stackable else draw(st.sampled_from([0, 1, 1, 2]))):
        decls.append(contribution(draw, s, s.fresh(draw, "contribution")))
    # phase 4: waterfalls (a later one may read an earlier one)
    for _ in range(0 if stackable else draw(st.sampled_from([1, 0, 2]))):
        fund = s.fresh(draw, "fund")
        s.allow_funds = bool(s.funds) or bool(s.contributions)
        decls.append(waterfall(draw, s, fund))
    s.allow_funds = False
    # phase 5: values reading everything
    s.allow_status = True
    s.allow_paid = s.allow_funds = not stackable
    _values(draw, s, decls, draw(st.integers(0, 2)), stackable)
    contract = A.Contract(A.Text(draw(st.sampled_from(["Random contract", "Contrat « test »"])), N), tuple(decls), N)
    return A.Module(contract, None, (), (), N), measures


def _reported_kpi(draw: st.DrawFn, s: Scope, m: str, kind_: str, cadence: str) -> A.KpiDecl:
    """A KPI over a measure reported quarterly or yearly: windows in its own unit."""
    unit = "quarter" if cadence == "quarterly" else "year"
    span = draw(
        st.sampled_from(
            [months(1, unit), months(2, unit), months(3, unit), months(1, "year"), A.ToDate(N), A.YearToDate(N)]
            if unit == "quarter"
            else [months(1, "year"), months(2, "year"), A.ToDate(N), A.YearToDate(N)]
        )
    )
    kind = draw(st.sampled_from(["window", "window", "value", "lag"]))
    operand: A.Expr = name(m)
    if kind == "window":
        expr: A.Expr = call(draw(st.sampled_from(["sum", "avg", "min", "max"])), operand, span)
    elif kind == "lag":
        expr = call("previous", operand, months(1, unit))
    else:
        expr = operand
    vname = s.fresh(draw, "r")
    return A.KpiDecl(ident(vname), labels(None), A.TypeRef(kind_, N), expr, (), N)  # type: ignore[arg-type]


def contribution(draw: st.DrawFn, s: Scope, cname: str) -> A.ContributionDecl:
    """Amounts (literal, schedule, expression) called by keys (literal, or changing
    over time with a condition)."""
    kind = draw(st.sampled_from(["lit", "schedule", "expr"]))
    amount: A.Expr | A.Schedule
    if kind == "lit":
        amount = money(_number_text(draw), s.currency)
    elif kind == "schedule":
        entries = []
        month = Period(2025, 12).index + draw(st.integers(0, 3))
        for _ in range(draw(st.integers(1, 3))):
            entries.append(A.ScheduleEntry(money(_number_text(draw), s.currency), A.PeriodLit(Period.from_index(month), N), N))
            month += draw(st.integers(1, 7))
        amount = A.Schedule(tuple(entries), N)
    else:
        amount = call("abs", money_expr(draw, s, 1))
    parties = draw(st.lists(st.sampled_from(s.parties), min_size=1, max_size=len(s.parties), unique=True))
    if len(parties) == 2 and draw(st.booleans()):
        first = A.IfThenElse(bool_expr(draw, s, 1), pct("60"), pct("50"), N)
        keys: list[A.Expr] = [first, A.Arith(("-",), (pct("100"), first), N)]
    else:
        keys = [pct(k) for k in _split_keys(draw, len(parties))]
    s.contributions.append(cname)
    return A.ContributionDecl(
        ident(cname), labels("Budget"), amount,
        tuple(A.KeyShare(ident(p), k, N) for p, k in zip(parties, keys, strict=True)), N,
    )


def _pays_ahead(draw: st.DrawFn, s: Scope) -> list[tuple[str, str]]:
    """Pairs a threshold may read the earlier payments of before any threshold pays them."""
    if not draw(st.booleans()):
        return []
    payer, payee = draw(st.permutations(s.parties))[:2]
    return [(payer, payee)]


def _values(draw: st.DrawFn, s: Scope, decls: list[A.Decl], count: int, stackable: bool = False) -> None:
    kinds = ["num", "money", "bool", "num", "money", "bool", "date"] + ([] if stackable else ["rollover"])
    for _ in range(count):
        kind = draw(st.sampled_from(kinds))
        vname = s.fresh(draw, "k" if kind != "bool" else "flag")
        if kind == "rollover":  # a balance carried from its own previous month
            carried = A.Otherwise(previous(draw, name(vname)), money("0", s.currency), N)
            expr = A.Arith(("+",), (carried, money_expr(draw, s, 1)), N)
            decls.append(A.LetDecl(ident(vname), labels(None), None, expr, N))
            s.moneys.append(vname)
        elif kind == "num":
            expr = num_expr(draw, s, 2)
            typ = draw(st.sampled_from(["number", "percent"]))
            decls.append(A.KpiDecl(ident(vname), labels(f"KPI {vname}"), A.TypeRef(typ, N), expr, (), N))  # type: ignore[arg-type]
            s.nums.append(vname)
        elif kind == "money":
            expr = money_expr(draw, s, 2)
            if draw(st.booleans()):
                decls.append(A.KpiDecl(ident(vname), labels(None), A.TypeRef("money", N), expr, (), N))
            else:
                decls.append(A.LetDecl(ident(vname), labels(None), None, expr, N))
            s.moneys.append(vname)
        elif kind == "date":
            if draw(st.booleans()):
                decls.append(A.LetDecl(ident(vname), labels(None), None, date_expr(draw, s, 2), N))
                s.dates.append(vname)
            else:  # a duration: date - date
                diff = A.Arith(("-",), (date_expr(draw, s, 1), date_expr(draw, s, 1)), N)
                decls.append(A.LetDecl(ident(vname), labels(None), None, diff, N))
        else:
            decls.append(A.LetDecl(ident(vname), labels(None), None, bool_expr(draw, s, 2), N))
            s.bools.append(vname)


# ------------------------------------------------------------------- data


# decimals whose text is not plain: exponents, signed zeros, many digits
ODD = [
    Decimal("1E+2"),
    Decimal("-0"),
    Decimal("-0.00"),
    Decimal("0E-9"),
    Decimal("1.50"),
    Decimal("0.0000001"),
    Decimal("123456789012345678901234567890.12"),
]


@st.composite
def datasets(draw: st.DrawFn, measures: dict[str, str], currency: str) -> dict[Period, dict[str, Any]]:
    """Monthly rows: consecutive months from a random start, some absent, some blank."""
    digits = 0 if currency == "JPY" else 2
    n = draw(st.sampled_from([14, 26, 7, 1, 2, 3, 0]))
    start = Period(2025, 10).index + draw(st.integers(0, 8))
    dirty = draw(st.integers(0, 7)) == 0  # amounts finer than the currency, or negative
    blanks = draw(st.sampled_from([30, 8, 1000]))
    rows: dict[Period, dict[str, Any]] = {}
    for k in range(n):
        if 0 < k < n - 1 and draw(st.integers(0, 12)) == 0:
            continue  # an absent month inside the data
        row: dict[str, Any] = {}
        period = Period.from_index(start + k)
        for m, spec in measures.items():
            kind, _, cadence = spec.partition("@")
            if cadence and period.month % (3 if cadence == "quarterly" else 12):
                continue  # reported in the last month of each period only
            if draw(st.integers(0, blanks)) == 0:
                row[m] = None
                continue
            if kind == "bool":
                row[m] = draw(st.booleans())
            elif kind == "count":
                row[m] = Decimal(draw(st.integers(0, 40)))
            elif kind == "percent":
                row[m] = Decimal(draw(st.integers(0, 150))) / 100
            elif kind == "number":
                if draw(st.integers(0, 30)) == 0:
                    row[m] = draw(st.sampled_from(ODD))
                else:
                    row[m] = Decimal(draw(st.integers(-500, 5000))).scaleb(-draw(st.integers(0, 2)))
            else:
                places = digits + 1 if dirty and draw(st.integers(0, 4)) == 0 else digits
                value = Decimal(draw(st.integers(0, 300_000))).scaleb(-places)
                if dirty and draw(st.integers(0, 4)) == 0:
                    value = -value  # a negative amount (an input error for a waterfall)
                row[m] = value
        rows[period] = row
    return rows
