"""The interpreter: a lowered program evaluated over one dataset (LANGUAGE.md §5–9).

:class:`ContractProgram` lowers a checked contract once (:func:`pactlang.ir.lower.lower`)
and compiles its expressions into range closures (:mod:`pactlang.engine.expr`);
:meth:`ContractProgram.run` evaluates one dataset (a portfolio calls it per
key).  The order of work is the program's steps, carried out by the kernel's
:class:`~pactlang.kernel.run.Run` — the same driver compiled modules use —
and every construct's semantics is the kernel's.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from pactlang.base.values import CONTEXT, Period, Value
from pactlang.engine.expr import Compiler, Fn
from pactlang.ir import nodes
from pactlang.ir.lower import lower, lower_expr
from pactlang.kernel import committees as C
from pactlang.kernel import power as PW
from pactlang.kernel import series as S
from pactlang.kernel import stack as K
from pactlang.kernel.escalation import Event, Timeline
from pactlang.kernel.run import Dispute, RangeFn, Run, Task, WaterfallRun
from pactlang.kernel.timeline import Dataset, EvaluationError
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

Row = Mapping[str, Value]

__all__ = ["ContractProgram", "Dispute", "Evaluation", "EvaluationError", "WaterfallRun"]


class Evaluation(Run):
    """Everything one evaluation produced, month by month, with the program
    that produced it (for explanations and expressions of tests)."""

    def __init__(
        self, program: ContractProgram, data: Mapping[Period, Row] | Dataset, key: str | None, strict: bool
    ) -> None:
        super().__init__(program.meta, data, key, strict=strict, calendar=program.calendar)
        self.program = program

    @property
    def contract(self) -> CheckedContract:
        return self.program.contract

    @property
    def ir(self) -> nodes.Program:
        return self.program.ir

    def value(self, name: str, period: Period) -> Value:
        """A measure, let or KPI at a month (missing outside the timeline)."""
        return self.value_at(name, period)

    def status(self, threshold: str, period: Period) -> str | None:
        """A threshold's status at a month (missing outside the timeline)."""
        return self.status_at(threshold, period)

    def at(self, expr: nodes.Expr, t: int) -> Value:
        """A lowered expression of the program at month index ``t``."""
        with decimal.localcontext(CONTEXT):
            return self.program_at(t).compiler.compile(expr)(self, t, t + 1)[0]

    def program_at(self, t: int) -> ContractProgram:
        """The version whose logic applies at month ``t`` (an amended version
        before its amendment's month)."""
        return self.program.program_at(self, t)

    def expression(self, expr: ast.Expr, period: Period | None) -> Value:
        """Any expression of the contract (or of a test), at a month or time-independent."""
        with decimal.localcontext(CONTEXT):
            fn = self.program.compiler.compile(self.program.lowered(expr))
            if period is None:
                return self.program.constant(fn)
            i = self.index(period)
            if i is None:
                return None
            return fn(self, i, i + 1)[0]


class ContractProgram:
    """A checked contract, lowered and compiled for evaluation; reusable across datasets."""

    def __init__(self, contract: CheckedContract, program: nodes.Program | None = None) -> None:
        self.contract = contract
        self.ir = program if program is not None else lower(contract)
        self.meta = self.ir.meta
        # `amends "ID" from M`: the amended version's program runs the months before M
        self.base: ContractProgram | None = None
        self.switch: Period | None = None
        if contract.amended is not None and contract.amends is not None:
            self.base = ContractProgram(contract.amended)
            self.switch = contract.amends.start.value
            extra = tuple(m for m in self.base.meta.measures if m not in self.meta.measures)
            cadences = {**self.base.meta.cadences, **self.meta.cadences}
            self.meta = dataclasses.replace(self.meta, measures=self.meta.measures + extra, cadences=cadences)
        self.currency = self.ir.currency
        self.digits = self.ir.digits
        self.calendar = self.meta.business_calendar()
        self._power_cache: dict[tuple[str, str, str, str], Value] = {}
        self._lowered: dict[int, nodes.Expr] = {}
        self.compiler = Compiler(self.ir, self._power)
        p = self.ir
        self.value_fns: dict[str, Fn] = {}
        for name, d in p.definitions.items():
            if d.schedule is not None:
                self.value_fns[name] = self._schedule_fn(d.schedule)
            else:
                assert d.expr is not None
                self.value_fns[name] = self.compiler.located(d.expr)
        self.plans = {n: w.plan for n, w in p.waterfalls.items()}
        located = self.compiler.located
        self.conditions = {n: tuple(located(c) for c in th.conditions) for n, th in p.thresholds.items()}
        self.amounts = {n: tuple(located(a) for a in th.amounts) for n, th in p.thresholds.items()}
        self.distributes = {n: located(w.distributes) for n, w in p.waterfalls.items()}
        self.called: dict[str, Fn] = {}  # a contribution's amount
        for n, c in p.contributions.items():
            if c.schedule is not None:
                self.called[n] = self._schedule_fn(c.schedule)
            else:
                assert c.amount is not None
                self.called[n] = located(c.amount)
        self.keys = {n: tuple(located(k) for k in c.keys) for n, c in p.contributions.items()}
        self._caps: dict[int, Fn] = {}
        # the values that are the same every month, computed once
        self.constants: dict[str, Value] = {}
        with decimal.localcontext(CONTEXT):
            env = Run.blank(self.meta, self.calendar)
            for name in self.contract.order:
                found = p.definitions.get(name)
                if found is not None and found.constant:
                    v = self.value_fns[name](env, 0, 1)[0]
                    env.series[name] = [v]
                    self.constants[name] = v
        self.tasks = {
            id(step): tuple(self._task(t) for t in step.tasks)
            for step in p.steps
            if isinstance(step, nodes.Recurrence)
        }

    # -- pieces of the program
    def lowered(self, expr: ast.Expr) -> nodes.Expr:
        """A contract or test expression of the AST, lowered once."""
        got = self._lowered.get(id(expr))
        if got is None:
            got = lower_expr(self.contract, expr)
            self._lowered[id(expr)] = got
        return got

    def committee(self, name: str) -> C.Committee:
        return self.ir.committees[name]

    def cap(self, handle: object) -> RangeFn:
        """The range function of a waterfall cap (the plan keeps the lowered expression)."""
        fn = self._caps.get(id(handle))
        if fn is None:
            fn = self._caps[id(handle)] = self.compiler.located(handle)  # type: ignore[arg-type]
        return fn

    def constant(self, fn: Fn) -> Value:
        """A time-independent expression: on a one-month timeline holding only
        the constant lets and KPIs, so a reference to a monthly value fails loudly."""
        env = Run.blank(self.meta, self.calendar)
        env.series.update({n: [v] for n, v in self.constants.items()})
        try:
            return fn(env, 0, 1)[0]
        except KeyError as exc:
            raise EvaluationError(
                [f"`{exc.args[0]}` changes month by month: give a month with `at YYYY-MM`"]
            ) from None

    def constant_evaluation(self) -> Evaluation:
        """A one-month evaluation holding only the constant lets and KPIs: where
        time-independent expressions are evaluated and explained."""
        ev = Evaluation(self, {}, None, False)
        ev.months = [Period(1, 1)]
        ev.n = 1
        ev.series = {n: [v] for n, v in self.constants.items()}
        return ev

    def _power(self, kind: str, committee: str, decision: str, party: str) -> Value:
        key = (kind, committee, decision, party)
        if key not in self._power_cache:
            c = self.committee(committee)
            f = PW.banzhaf(c, decision, party) if kind == "banzhaf" else PW.shapley(c, decision, party)
            self._power_cache[key] = fraction_to_decimal(f)
        return self._power_cache[key]

    def _schedule_fn(self, entries: tuple[nodes.ScheduleEntry, ...]) -> Fn:
        starts = [e.start for e in entries]
        fns = [self.compiler.located(e.value) for e in entries]

        def schedule(env: Run, lo: int, hi: int) -> list[Value]:
            return S.scheduled(starts, [f(env, lo, hi) for f in fns], env.months[lo:hi])

        return schedule

    def _task(self, task: nodes.Task) -> Task:
        p = self.ir
        if task.kind == "value":
            return Task("value", task.name, fn=self.value_fns[task.name])
        if task.kind == "contribution":
            return Task(
                "contribution",
                task.name,
                plan=p.contributions[task.name].plan,
                amount=self.called[task.name],
                keys=self.keys[task.name],
            )
        if task.kind == "threshold":
            th = p.thresholds[task.name]
            return Task(
                "threshold",
                task.name,
                plan=th.plan,
                conditions=self.conditions[task.name],
                amounts=self.amounts[task.name],
            )
        w = p.waterfalls[task.name]
        return Task(
            "tier",
            task.name,
            task.tier,
            plan=w.plan,
            amount=self.distributes[task.name],
            cap=self.cap,
        )

    # -- evaluation
    def timeline(self, data: Mapping[Period, Row]) -> tuple[list[Period], list[str]]:
        """Months from the first to the last data month inside the term."""
        from pactlang.kernel.timeline import months_of

        return months_of(data, self.meta.effective, self.meta.until)

    def check_strict(self, data: Mapping[Period, Row], key: str | None = None) -> None:
        """Raise :class:`EvaluationError` listing every missing measure value (``--strict``)."""
        Run(self.meta, data, key, strict=True, calendar=self.calendar)

    def run(
        self, data: Mapping[Period, Row] | Dataset, *, key: str | None = None, strict: bool = False
    ) -> Evaluation:
        with decimal.localcontext(CONTEXT):
            ev = Evaluation(self, data, key, strict)
            self.steps(ev, 0, ev.n)
            if self.base is not None:  # what only the amended version had is history now
                for name in [t for t in ev.thresholds if t not in self.ir.thresholds]:
                    del ev.thresholds[name]
                    del ev.statuses[name]
                for name in [w for w in ev.waterfalls if w not in self.ir.waterfalls]:
                    del ev.waterfalls[name]
                for name in [c for c in ev.contributions if c not in self.ir.contributions]:
                    del ev.contributions[name]
            ev.finish()
            return ev

    def run_all(
        self, datasets: Sequence[tuple[str | None, Mapping[Period, Row] | Dataset]], *, strict: bool = False
    ) -> K.Portfolio:
        """A portfolio, (key, data) per contract: evaluated as one run when the
        program allows it (:mod:`pactlang.kernel.stack`), else contract by
        contract; the same :class:`~pactlang.kernel.stack.Portfolio` either way."""
        stackable = self.base is None and nodes.stack_blocker(self.ir) is None
        return K.evaluate(
            self.meta,
            datasets,
            self.meta.dataset,
            (lambda st: self.steps(st, 0, st.n)) if stackable else None,
            lambda d, k: Evaluation(self, d, k, False),
            lambda d, k: self.run(d, key=k, strict=strict),
            strict=strict,
            calendar=self.calendar,
        )

    def switch_index(self, ev: Run) -> int:
        """The first month of ``ev`` this version's logic applies to (0 when
        it amends nothing; ``ev.n`` when every month is before the switch)."""
        if self.switch is None or not ev.months:
            return 0
        return min(max(self.switch.index - ev.months[0].index, 0), ev.n)

    def program_at(self, ev: Run, t: int) -> ContractProgram:
        """The version whose logic applies at month ``t`` of ``ev``."""
        if self.base is not None and t < self.switch_index(ev):
            return self.base.program_at(ev, t)
        return self

    def steps(
        self,
        ev: Run,
        lo: int,
        hi: int,
        values: Mapping[str, Sequence[Value]] | None = None,
        conditions: Mapping[str, tuple[Sequence[Sequence[Value]], Sequence[Sequence[Value]]]] | None = None,
    ) -> None:
        """This version's steps over months ``lo .. hi-1`` (the amended
        version's first, over the months before the switch).

        ``values`` (lets, KPIs) and ``conditions`` (a threshold's condition and
        amount series), when given, were computed elsewhere over every month
        (by an SQL engine, :mod:`pactlang.sql.hybrid`) and are taken as they are."""
        if self.base is not None:
            s = self.switch_index(ev)
            self.base.steps(ev, lo, min(hi, s))
            lo = max(lo, s)
        p = self.ir
        for step in p.steps:
            if isinstance(step, nodes.Recurrence):
                ev.recur(self.tasks[id(step)], lo, hi)
            elif step.kind == "value":
                start = ev.since(step.name, lo)
                if values is not None and step.name in values:
                    ev.series[step.name] = list(values[step.name])
                elif step.name in self.constants:
                    ev.fill_constant(step.name, self.constants[step.name], start, hi)
                else:
                    ev.fill(step.name, self.value_fns[step.name], start, hi)
            elif step.kind == "threshold":
                name = step.name
                got = conditions.get(name) if conditions is not None else None
                if got is not None:
                    conds, amounts = [list(c) for c in got[0]], [list(a) for a in got[1]]
                else:
                    conds = [fn(ev, 0, hi) for fn in self.conditions[name]]
                    amounts = [fn(ev, 0, hi) for fn in self.amounts[name]]
                ev.check(p.thresholds[name].plan, conds, amounts, lo, hi)
            elif step.kind == "contribution":
                name = step.name
                ev.contribute(p.contributions[name].plan, self.called[name], self.keys[name], lo, hi)
            else:
                ev.distribute(self.plans[step.name], self.distributes[step.name], self.cap, lo, hi)

    def timeline_of(
        self,
        ladder: str,
        opened: datetime.date,
        events: Sequence[Event] = (),
        *,
        as_of: datetime.date | None = None,
    ) -> Timeline:
        """A dispute on one of the contract's ladders, with the contract's calendar."""
        from pactlang.kernel.run import dispute_timeline

        return dispute_timeline(self.meta, self.calendar, ladder, opened, events, as_of=as_of)


def fraction_to_decimal(f: Fraction) -> Decimal:
    """A fraction as a decimal to the working precision (exact when it terminates)."""
    return CONTEXT.divide(Decimal(f.numerator), Decimal(f.denominator))
