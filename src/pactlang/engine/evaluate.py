"""The monthly timeline: evaluating a checked contract over a dataset (LANGUAGE.md §5–9).

Constructs are evaluated in the dependency order computed by ``sema``: each
let and KPI column-wise over the whole timeline, each threshold and waterfall
by walking the months once.  :class:`ContractProgram` compiles a contract once;
:meth:`ContractProgram.run` evaluates one dataset (a portfolio calls it per key).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from pactlang.base.money import minor_digits
from pactlang.base.values import CONTEXT, Period
from pactlang.engine.expr import Compiler, Env, Fn
from pactlang.kernel import committees as C
from pactlang.kernel import waterfalls as W
from pactlang.kernel.escalation import Timeline, timeline_for
from pactlang.kernel.ops import Value
from pactlang.kernel.thresholds import ActionEvent, ThresholdRun, run_threshold
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

Row = Mapping[str, Value]
_EMPTY: Row = {}


class EvaluationError(ValueError):
    """Input that stops an evaluation (``--strict`` misses, bad waterfall amounts)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(slots=True)
class WaterfallRun:
    """A waterfall's results over the timeline; also what expressions read."""

    plan: W.WaterfallPlan
    state: W.WaterfallState
    months: list[Period]
    distributions: list[W.MonthDistribution | None]
    missing: list[bool]  # the month's amount was missing: nothing distributed

    def distributed(self, t: int, tier: str | None, party: str | None, to_date: bool) -> Value:
        if to_date:
            if any(self.missing[: t + 1]):
                return None  # a missing month inside a `to date` window
            return W.paid(self.state, tier, party, through=self.months[t])
        if self.missing[t]:
            return None
        return W.paid(self.state, tier, party, self.months[t])

    def retained(self, t: int, to_date: bool) -> Value:
        if to_date:
            if any(self.missing[: t + 1]):
                return None
            return W.retained(self.state, through=self.months[t])
        if self.missing[t]:
            return None
        return W.retained(self.state, self.months[t])


@dataclass(frozen=True, slots=True)
class Dispute:
    ladder: str
    opened: datetime.date
    threshold: str
    period: Period
    timeline: Timeline | None
    note: str | None = None


@dataclass(slots=True)
class Evaluation:
    """Everything one evaluation produced, month by month."""

    program: ContractProgram
    key: str | None
    months: list[Period]
    env: Env
    thresholds: dict[str, ThresholdRun] = field(default_factory=dict)
    waterfalls: dict[str, WaterfallRun] = field(default_factory=dict)
    events: list[ActionEvent] = field(default_factory=list)  # every fired action, in month order
    disputes: list[Dispute] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def contract(self) -> CheckedContract:
        return self.program.contract

    @property
    def payments(self) -> list[ActionEvent]:
        return [e for e in self.events if e.kind == "pay"]

    def index(self, period: Period) -> int | None:
        if not self.months:
            return None
        i = period.index - self.months[0].index
        return i if 0 <= i < len(self.months) else None

    def value(self, name: str, period: Period) -> Value:
        i = self.index(period)
        if i is None:
            return None
        return self.env.series[name][i]

    def status(self, threshold: str, period: Period) -> str | None:
        i = self.index(period)
        if i is None:
            return None
        return self.thresholds[threshold].status[i]

    def expression(self, expr: ast.Expr, period: Period | None) -> Value:
        """Any expression of the contract (or of a test), at a month or time-independent."""
        with decimal.localcontext(CONTEXT):
            return self._expression(expr, period)

    def _expression(self, expr: ast.Expr, period: Period | None) -> Value:
        fn = self.program.compiler.compile(expr)
        if period is None:
            # a time-independent expression: evaluated on a one-month timeline
            # that holds only the constant lets and KPIs, so a reference to a
            # monthly value fails loudly
            env = Env([Period(1, 1)])
            program = self.program
            try:
                for name in program.contract.order:
                    if name in program.contract.constants and name in program.value_fns:
                        env.series[name] = program.value_fns[name](env, 0, 1)
                return fn(env, 0, 1)[0]
            except KeyError as exc:
                raise EvaluationError(
                    [f"`{exc.args[0]}` changes month by month: give a month with `at YYYY-MM`"]
                ) from None
        i = self.index(period)
        if i is None:
            return None
        return fn(self.env, i, i + 1)[0]


class ContractProgram:
    """A checked contract compiled for evaluation; reusable across datasets."""

    def __init__(self, contract: CheckedContract) -> None:
        self.contract = contract
        self.currency = contract.currency
        self.digits = minor_digits(contract.currency)
        self._committees: dict[str, C.Committee] = {}
        self._power_cache: dict[tuple[str, str, str, str], Value] = {}
        self.compiler = Compiler(contract, self._power)
        self.plans: dict[str, W.WaterfallPlan] = {}
        party_order = list(contract.parties)
        for name, decl in contract.waterfalls.items():
            self.plans[name] = W.WaterfallPlan.from_decl(decl, party_order)
        # compile everything once
        self.value_fns: dict[str, Fn] = {}
        self.schedules: dict[str, ast.Schedule] = {}
        for name, let in contract.lets.items():
            if isinstance(let.value, ast.Schedule):
                self.schedules[name] = let.value
            else:
                self.value_fns[name] = self.compiler.compile(let.value)
        for name, kpi in contract.kpis.items():
            self.value_fns[name] = self.compiler.compile(kpi.expr)
        self.condition_fns: dict[str, list[Fn]] = {}
        self.amount_fns: dict[str, dict[int, Fn]] = {}
        for name, th in contract.thresholds.items():
            self.condition_fns[name] = [self.compiler.compile(r.cond) for r in th.rules]
            amounts: dict[int, Fn] = {}
            for rule in (*th.rules, th.otherwise):
                if rule is None:
                    continue
                for action in rule.actions:
                    if isinstance(action, ast.PayAction):
                        amounts[id(action)] = self.compiler.compile(action.amount)
            self.amount_fns[name] = amounts
        self.distributes_fns = {n: self.compiler.compile(w.distributes) for n, w in contract.waterfalls.items()}

    # -- voting power for banzhaf()/shapley()
    def committee(self, name: str) -> C.Committee:
        c = self._committees.get(name)
        if c is None:
            c = C.Committee.from_decl(self.contract.committees[name])
            self._committees[name] = c
        return c

    def _power(self, kind: str, committee: str, decision: str, party: str) -> Value:
        key = (kind, committee, decision, party)
        if key not in self._power_cache:
            c = self.committee(committee)
            f = C.banzhaf(c, decision, party) if kind == "banzhaf" else C.shapley(c, decision, party)
            self._power_cache[key] = fraction_to_decimal(f)
        return self._power_cache[key]

    # -- timeline
    def timeline(self, data: Mapping[Period, Row]) -> tuple[list[Period], list[str]]:
        """Months from the first to the last data month inside the term."""
        cc = self.contract
        warnings: list[str] = []
        start = Period.of(cc.effective) if cc.effective else None
        end = Period.of(cc.until) if cc.until else None
        inside = []
        for p in sorted(data):
            if (start is not None and p < start) or (end is not None and p > end):
                warnings.append(f"{p}: outside the contract term, ignored")
                continue
            inside.append(p)
        if not inside:
            return [], warnings
        first, last = inside[0], inside[-1]
        if len(inside) == last.index - first.index + 1:
            return inside, warnings  # already consecutive
        return [Period.from_index(i) for i in range(first.index, last.index + 1)], warnings

    def run(
        self, data: Mapping[Period, Row], *, key: str | None = None, strict: bool = False
    ) -> Evaluation:
        with decimal.localcontext(CONTEXT):
            return self._run(data, key, strict)

    def _run(self, data: Mapping[Period, Row], key: str | None, strict: bool) -> Evaluation:
        cc = self.contract
        months, warnings = self.timeline(data)
        env = Env(months)
        ev = Evaluation(self, key, months, env, warnings=warnings)
        n = len(months)
        # measures
        rows = [data.get(p) or _EMPTY for p in months]
        for name in cc.measures:
            env.series[name] = [row.get(name) for row in rows]
        if strict:
            problems = self._strict_problems(months, env.series, key)
            if problems:
                raise EvaluationError(problems)
        for name in cc.order:
            if name in self.schedules:
                env.series[name] = self._schedule(self.schedules[name], env)
            elif name in self.value_fns:
                env.series[name] = self.value_fns[name](env, 0, n)
            elif name in cc.thresholds:
                self._run_threshold(ev, name)
            elif name in cc.waterfalls:
                self._run_waterfall(ev, name)
        ev.events.sort(key=lambda e: (e.period, _order(cc, e.threshold)))
        self._disputes(ev)
        return ev

    def _strict_problems(
        self, months: list[Period], series: Mapping[str, list[Value]], key: str | None
    ) -> list[str]:
        where = f"{key}: " if key is not None else ""
        return [
            f"{where}{months[i]}: measure `{name}` is missing (--strict)"
            for name in self.contract.measures
            for i, v in enumerate(series[name])
            if v is None
        ]

    def check_strict(self, data: Mapping[Period, Row], key: str | None = None) -> None:
        """Raise :class:`EvaluationError` listing every missing measure value (``--strict``)."""
        months, _ = self.timeline(data)
        rows = [data.get(p) or _EMPTY for p in months]
        series = {name: [row.get(name) for row in rows] for name in self.contract.measures}
        problems = self._strict_problems(months, series, key)
        if problems:
            raise EvaluationError(problems)

    def _schedule(self, sched: ast.Schedule, env: Env) -> list[Value]:
        """The latest entry whose month is ≤ the current month; missing before the first.

        Entry values are expressions, evaluated column-wise like any other."""
        n = env.size
        entries = [
            (entry.start.value, self.compiler.compile(entry.value)(env, 0, n)) for entry in sched.entries
        ]
        out: list[Value] = []
        for t, p in enumerate(env.months):
            current: Value = None
            for start, values in entries:
                if start <= p:
                    current = values[t]
            out.append(current)
        return out

    def _run_threshold(self, ev: Evaluation, name: str) -> None:
        cc = self.contract
        decl = cc.thresholds[name]
        n = len(ev.months)
        conditions = [fn(ev.env, 0, n) for fn in self.condition_fns[name]]
        amounts = {k: fn(ev.env, 0, n) for k, fn in self.amount_fns[name].items()}
        run = run_threshold(decl, ev.months, conditions, amounts, cc.effective, self.digits)
        ev.thresholds[name] = run
        ev.env.status[name] = run.status
        for e in run.events:
            ev.events.append(e)
            if e.kind == "pay" and e.amount is not None and e.payer and e.payee:
                col = ev.env.paid.setdefault((e.payer, e.payee), [Decimal(0)] * n)
                t = ev.index(e.period)
                assert t is not None
                col[t] = CONTEXT.add(col[t], e.amount)

    def _run_waterfall(self, ev: Evaluation, name: str) -> None:
        plan = self.plans[name]
        n = len(ev.months)
        state = W.WaterfallState.new(plan, self.currency)
        run = WaterfallRun(plan, state, ev.months, [None] * n, [False] * n)
        ev.env.waterfalls[name] = run
        ev.waterfalls[name] = run
        amounts = self.distributes_fns[name](ev.env, 0, n)
        problems: list[str] = []
        for t, period in enumerate(ev.months):
            amount = amounts[t]
            if amount is None:
                run.missing[t] = True
                continue
            assert isinstance(amount, Decimal)

            def cap_of(tier: int, party: str | None, expr: ast.Expr, t: int = t) -> Decimal | None:
                v = self.compiler.compile(expr)(ev.env, t, t + 1)[0]
                assert v is None or isinstance(v, Decimal)
                return v

            try:
                run.distributions[t] = W.distribute_month(plan, state, period, amount, self.currency, cap_of)
            except W.WaterfallInputError as exc:
                problems.append(f"waterfall `{name}`: {exc}")
                run.missing[t] = True
        if problems:
            raise EvaluationError(problems)

    def _disputes(self, ev: Evaluation) -> None:
        for e in ev.events:
            if e.kind != "escalate" or e.ladder is None or e.opened is None:
                continue
            try:
                tl: Timeline | None = timeline_for(self.contract, e.ladder, e.opened)
                note = None
            except ValueError as exc:  # pragma: no cover - sema guarantees the ladder
                tl, note = None, str(exc)
            ev.disputes.append(Dispute(e.ladder, e.opened, e.threshold, e.period, tl, note))


def _order(cc: CheckedContract, threshold: str) -> int:
    names = list(cc.thresholds)
    return names.index(threshold) if threshold in names else len(names)


def fraction_to_decimal(f: Fraction) -> Decimal:
    """A fraction as a decimal to the working precision (exact when it terminates)."""
    return CONTEXT.divide(Decimal(f.numerator), Decimal(f.denominator))
