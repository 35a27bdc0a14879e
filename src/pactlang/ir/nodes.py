"""The lowered representation every engine runs (the IR).

``sema`` checks a contract; :func:`pactlang.ir.lower.lower` turns the checked
contract into a :class:`Program` once.  After that nothing reads the AST to
evaluate: names are resolved, types are attached to every expression,
windows, lags and construct reads have their own nodes, the threshold,
committee, ladder and waterfall plans of :mod:`pactlang.kernel` are built,
and the evaluation schedule — which constructs are computed over the whole
timeline at once and which month by month — is decided.

Every node is a frozen, slotted dataclass with the :class:`Span` of the source
it comes from, so explanations can quote the contract and errors can point
at it.  The interpreter, compiled Python modules and the SQL engines all read
this representation; they share the semantics of :mod:`pactlang.kernel`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from pactlang.base.types import Type
from pactlang.base.values import Duration, Period, Value
from pactlang.diagnostics import Span
from pactlang.kernel.committees import Committee
from pactlang.kernel.contributions import ContributionPlan
from pactlang.kernel.escalation import Ladder
from pactlang.kernel.run import Meta
from pactlang.kernel.thresholds import ThresholdPlan
from pactlang.kernel.waterfalls import WaterfallPlan

# ------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Const:
    """A value that is the same every month: a literal, or a folded constant."""

    value: Value
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Ref:
    """A measure, let or KPI, this month."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Arith:
    """``a + b - c``: a chain of one precedence level, left to right.

    ``numeric`` when every operand is a number, count, percent or money (the
    decimal fast path); otherwise dates and durations are involved."""

    ops: tuple[str, ...]
    operands: tuple[Expr, ...]
    numeric: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Logic:
    op: str  # and | or
    operands: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Expr
    right: Expr
    plain: bool  # both sides are decimals, booleans, texts, dates or periods
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Choose:
    """``if cond then a else b``."""

    cond: Expr
    then: Expr
    else_: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Otherwise:
    value: Expr
    fallback: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Window:
    """``sum(x, 3 months)``: the ``months`` months ending with the current one.

    Over a value reported every ``step`` months (a quarterly or yearly measure,
    LANGUAGE.md §5), the window counts reports: the last ``months // step`` of
    them."""

    agg: str  # sum | avg | min | max
    operand: Expr
    months: int
    type: Type
    span: Span
    step: int = 1


@dataclass(frozen=True, slots=True)
class ToDate:
    """``sum(x, to date)`` (from the first month) or ``year to date`` (from January);
    over a value reported every ``step`` months, the reports only."""

    agg: str
    operand: Expr
    year: bool
    type: Type
    span: Span
    step: int = 1


@dataclass(frozen=True, slots=True)
class Lag:
    """``previous(x, N months)``."""

    operand: Expr
    months: int
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    """A scalar built-in: ``abs``, ``round`` (``digits``), ``min``, ``max`` of values."""

    fn: str
    args: tuple[Expr, ...]
    digits: int | None
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Distributed:
    """``distributed(fund[.tier][, party][, to date])``."""

    fund: str
    tier: str | None
    party: str | None
    to_date: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Retained:
    fund: str
    to_date: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Paid:
    """``paid(payer, payee[, to date])``: paid by every threshold's actions."""

    payer: str
    payee: str
    to_date: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Contributed:
    """``contributed(c[, party][, to date])``: what a contribution called."""

    contribution: str
    party: str | None
    to_date: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Status:
    threshold: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Power:
    """``banzhaf(committee.decision, party)`` or ``shapley(…)``: time-independent."""

    kind: str
    committee: str
    decision: str
    party: str
    type: Type
    span: Span


Expr: TypeAlias = (
    Const | Ref | Neg | Not | Arith | Logic | Compare | Choose | Otherwise | Window | ToDate | Lag
    | Call | Distributed | Retained | Paid | Status | Power | Contributed
)


def children(e: Expr) -> tuple[Expr, ...]:
    """The sub-expressions of a node, left to right."""
    if isinstance(e, Neg | Not | Window | ToDate | Lag):
        return (e.operand,)
    if isinstance(e, Arith | Logic):
        return e.operands
    if isinstance(e, Compare):
        return (e.left, e.right)
    if isinstance(e, Choose):
        return (e.cond, e.then, e.else_)
    if isinstance(e, Otherwise):
        return (e.value, e.fallback)
    if isinstance(e, Call):
        return e.args
    return ()


def walk(e: Expr) -> list[Expr]:
    """Every node of an expression, parents before children (no recursion)."""
    out: list[Expr] = []
    stack = [e]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children(node)))
    return out


# ------------------------------------------------------------- definitions


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    start: Period
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Definition:
    """A let or a KPI: an expression, or a schedule (``10% from 2026-01, …``)."""

    name: str
    kind: str  # let | kpi
    type: Type
    expr: Expr | None
    schedule: tuple[ScheduleEntry, ...] | None
    constant: bool  # the same every month (usable without `at`)
    span: Span


@dataclass(frozen=True, slots=True)
class RuleSource:
    """What explanations quote of a threshold rule."""

    cond: Expr
    written: Duration | None  # `for N months|quarters|years` as written, if written
    span: Span


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    plan: ThresholdPlan
    conditions: tuple[Expr, ...]  # per rule
    amounts: tuple[Expr, ...]  # per pay slot (ActionPlan.slot)
    rules: tuple[RuleSource, ...]
    has_otherwise: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Contribution:
    """A contribution: its plan, its amount (an expression or a schedule) and one
    key expression per party of its split."""

    name: str
    plan: ContributionPlan
    amount: Expr | None
    schedule: tuple[ScheduleEntry, ...] | None
    keys: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Waterfall:
    name: str
    plan: WaterfallPlan  # its caps are lowered expressions
    distributes: Expr
    span: Span


# ---------------------------------------------------------------- schedule


@dataclass(frozen=True, slots=True)
class Task:
    """One thing computed for one month inside a :class:`Recurrence`.

    ``kind``: ``value`` (a let or KPI), ``threshold``, ``tier`` (one tier of a
    waterfall, ``tier`` its index) or ``contribution``."""

    kind: str
    name: str
    tier: int = -1


@dataclass(frozen=True, slots=True)
class Whole:
    """A construct computed over the whole timeline at once."""

    name: str
    kind: str  # value | threshold | waterfall | contribution


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Constructs that read each other's earlier months (or their own):
    computed month by month, each month's tasks in this order."""

    names: tuple[str, ...]
    tasks: tuple[Task, ...]


Step: TypeAlias = Whole | Recurrence


@dataclass(frozen=True, slots=True)
class Program:
    """A checked contract, lowered: what every engine evaluates.

    ``meta`` holds what the kernel's driver needs to know of the contract
    (title, currency and its minor unit, term, calendar, the names of its
    measures, lets, KPIs and thresholds, its ladders)."""

    path: str
    source: str
    meta: Meta
    parties: tuple[str, ...]
    measures: dict[str, Measure]
    definitions: dict[str, Definition]  # lets then KPIs, in declaration order
    thresholds: dict[str, Threshold]
    waterfalls: dict[str, Waterfall]
    committees: dict[str, Committee]
    steps: tuple[Step, ...]
    contributions: dict[str, Contribution]
    cadences: dict[str, str]  # measures reported quarterly or yearly

    @property
    def currency(self) -> str:
        return self.meta.currency

    @property
    def digits(self) -> int:
        """The currency's minor unit."""
        return self.meta.digits

    @property
    def ladders(self) -> Mapping[str, Ladder]:
        return self.meta.ladders


def stack_blocker(p: Program) -> str | None:
    """Why the program cannot evaluate a portfolio as one run
    (:mod:`pactlang.kernel.stack`), or None when it can: every step must be a
    whole-timeline value or threshold over monthly measures, and no expression
    may read payments (they are counted contract by contract)."""
    if p.cadences:
        return "a measure is reported quarterly or yearly"
    for step in p.steps:
        if isinstance(step, Recurrence):
            return f"{', '.join(step.names)} read each other's earlier months"
        if step.kind not in ("value", "threshold"):
            return f"{step.kind} `{step.name}`"
    exprs: list[Expr] = []
    for d in p.definitions.values():
        exprs += [d.expr] if d.expr is not None else [e.value for e in d.schedule or ()]
    for th in p.thresholds.values():
        exprs += [*th.conditions, *th.amounts]
    for e in exprs:
        for node in walk(e):
            if isinstance(node, Paid | Distributed | Retained | Contributed):
                return "an expression reads payments or distributions"
    return None
