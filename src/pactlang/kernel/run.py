"""One evaluation: what every engine fills, and the order it is filled in (LANGUAGE.md §5–9).

A :class:`Run` is the state of one evaluation of a contract over one dataset:
the months of the timeline, a series per measure, let and KPI, each
threshold's run, the payments between parties, each waterfall's run, the
fired actions and the disputes they opened.  Engines compute expressions
their own way — the interpreter with closures over the IR, compiled modules
with generated functions — but they all hand them to a ``Run`` as *range
functions* ``fn(run, lo, hi) -> list`` (the values of months ``lo .. hi-1``),
and the ``Run`` decides what is computed when:

* :meth:`Run.fill`, :meth:`Run.check`, :meth:`Run.distribute`: a construct
  over the whole timeline at once;
* :meth:`Run.recur`: constructs that read earlier months of each other
  (or of themselves), month by month, each month's tasks in order;
* :meth:`Run.finish`: events in month order; a ``terminate`` action ends the
  contract on its notice's deadline, so the months after that one are cut
  from the run (with a warning); disputes with their timelines.

Measures reported quarterly or yearly (:attr:`Meta.cadences`) hold their
last report between reports (:func:`pactlang.kernel.timeline.held`).

So the interpreter and compiled modules share not only each construct's
semantics but the schedule around them.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from pactlang.base.calendars import BusinessCalendar, CalendarError
from pactlang.base.values import CONTEXT, ZERO, Period, Value
from pactlang.kernel import contributions as K
from pactlang.kernel import thresholds as T
from pactlang.kernel import waterfalls as W
from pactlang.kernel.escalation import EscalationError, Event, Ladder, Timeline, timeline
from pactlang.kernel.series import Segments, running_sum
from pactlang.kernel.thresholds import ActionEvent, ThresholdPlan, ThresholdRun
from pactlang.kernel.timeline import (
    Dataset,
    EvaluationError,
    dataset_from_rows,
    held,
    report_problems,
    strict_problems,
    year_starts,
)

Series = list[Value]
#: A range function: the values of an expression for months ``lo .. hi-1``.
RangeFn = Callable[["Run", int, int], Series]

__all__ = [
    "Dispute",
    "Meta",
    "RangeFn",
    "Run",
    "Task",
    "Termination",
    "WaterfallReader",
    "WaterfallRun",
    "contributed",
    "distributed",
    "located",
    "paid",
    "retained",
    "status",
]


@dataclass(frozen=True, slots=True)
class Meta:
    """What a run needs to know of its contract besides expressions and plans."""

    title: str
    id: str | None
    version: str | None
    currency: str
    digits: int  # the currency's minor unit
    language: str
    calendar: str | None
    effective: datetime.date | None
    until: datetime.date | None
    measures: tuple[str, ...]
    lets: tuple[str, ...]
    kpis: tuple[str, ...]
    thresholds: tuple[str, ...]  # declaration order (events of one month are listed in it)
    ladders: Mapping[str, Ladder]
    # measures reported quarterly or yearly: name -> cadence (the others are monthly)
    cadences: Mapping[str, str] = field(default_factory=dict)
    contributions: tuple[str, ...] = ()  # declaration order

    @property
    def term_start(self) -> int | None:
        e = self.effective
        return None if e is None else e.year * 12 + e.month - 1

    def business_calendar(self) -> BusinessCalendar:
        """The contract's business calendar (holiday names in the contract's language)."""
        return _business_calendar(self.calendar, self.language)

    def dataset(self, data: Mapping[Period, Mapping[str, Value]] | Dataset) -> Dataset:
        """Rows keyed by month on the contract's timeline; a :class:`Dataset` as it is."""
        if isinstance(data, Dataset):
            return data
        return dataset_from_rows(data, self.measures, self.effective, self.until)

    def missing(self, data: Dataset, key: str | None) -> list[str]:
        """Every missing measure value of ``data`` (``--strict``), for contract ``key``."""
        return strict_problems(data.months, {m: data.columns[m] for m in self.measures}, key, self.cadences)


@lru_cache(maxsize=64)
def _business_calendar(country: str | None, language: str) -> BusinessCalendar:
    try:
        return BusinessCalendar(country, language)
    except CalendarError:  # pragma: no cover - sema checks the country
        return BusinessCalendar(None, language)


class WaterfallReader(Protocol):
    """What expressions may read of a waterfall's results (``distributed``, ``retained``)."""

    def distributed(self, t: int, tier: str | None, party: str | None, to_date: bool) -> Value:
        """Paid in month ``t`` (or cumulatively through it, with ``to_date``)."""
        ...

    def retained(self, t: int, to_date: bool) -> Value: ...


@dataclass(slots=True)
class WaterfallRun:
    """A waterfall's results over the timeline; also what expressions read."""

    plan: W.WaterfallPlan
    state: W.WaterfallState
    months: Sequence[Period]
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


@dataclass(frozen=True, slots=True)
class Termination:
    """``terminate by P notice N``: fired by ``threshold`` at ``period``; the notice
    starts on ``starts`` (the last day of that month) and the contract ends on
    ``ends`` (its deadline)."""

    threshold: str
    rule: int
    period: Period
    party: str | None
    notice: str
    starts: datetime.date
    ends: datetime.date


@dataclass(frozen=True, slots=True)
class Task:
    """One month's work in a recurrence: a value, a threshold, one waterfall tier
    or a contribution.

    ``fn`` computes a value; ``conditions``/``amounts`` a threshold's series;
    ``amount`` a waterfall's month amount (with its first tier) or a
    contribution's; ``cap`` the value of a cap handle of the tier; ``keys`` a
    contribution's split keys."""

    kind: str  # value | threshold | tier | contribution
    name: str
    tier: int = -1
    fn: RangeFn | None = None
    plan: ThresholdPlan | W.WaterfallPlan | K.ContributionPlan | None = None
    conditions: tuple[RangeFn, ...] = ()
    amounts: tuple[RangeFn, ...] = ()
    amount: RangeFn | None = None
    cap: Callable[[object], RangeFn] | None = None
    keys: tuple[RangeFn, ...] = ()  # a contribution's split keys


class Run:
    """One evaluation over one dataset (see the module's documentation)."""

    def __init__(
        self,
        meta: Meta,
        data: Mapping[Period, Mapping[str, Value]] | Dataset,
        key: str | None = None,
        *,
        strict: bool = False,
        calendar: BusinessCalendar | None = None,
    ) -> None:
        """``data``: rows keyed by month, or a :class:`Dataset` already on its timeline."""
        data = meta.dataset(data)
        self.meta = meta
        self.key = key
        self.months = data.months
        self.warnings = list(data.warnings)
        self.n = len(self.months)
        self.calendar = calendar if calendar is not None else meta.business_calendar()
        self.series: dict[str, Series] = {}
        self.statuses: dict[str, list[str | None]] = {}
        self.paid: dict[tuple[str, str], list[Decimal]] = {}
        self.waterfalls: dict[str, WaterfallRun] = {}  # what ran here
        self.readers: Mapping[str, WaterfallReader] = self.waterfalls  # what expressions read
        self.thresholds: dict[str, ThresholdRun] = {}
        self.events: list[ActionEvent] = []
        self.disputes: list[Dispute] = []
        self.contributions: dict[str, K.ContributionRun] = {}
        self.termination: Termination | None = None
        self._year_starts: list[int] | None = None
        self.timeless = False  # a one-month run for time-independent values (no month to name)
        # several contracts evaluated as one run (kernel.stack): where each one's months lie
        self.segments: Segments | None = None
        self.series.update(data.columns)
        cadences = meta.cadences
        if cadences:
            where = f"{key}: " if key is not None else ""
            misplaced = report_problems(self.months, self.series, cadences)
            if misplaced:
                raise EvaluationError([where + p for p in misplaced])
        if strict:
            problems = meta.missing(data, key)
            if problems:
                raise EvaluationError(problems)
        for name, cadence in cadences.items():
            if name in self.series:
                self.series[name] = held(self.series[name], self.months, cadence)

    @classmethod
    def blank(cls, meta: Meta, calendar: BusinessCalendar | None = None, period: Period | None = None) -> Run:
        """A one-month run with no values in it: time-independent expressions
        are evaluated there (a reference to a monthly value is a ``KeyError``)."""
        run = cls(meta, Dataset([], {}), calendar=calendar)
        run.months = [period or Period(1, 1)]
        run.n = 1
        run.series = {}
        run.timeless = True
        return run

    # -- what expressions read
    @property
    def env(self) -> Run:
        return self

    @property
    def size(self) -> int:
        return self.n

    @property
    def start(self) -> int:
        """The :attr:`Period.index` of the first month: month ``t`` of the timeline is
        in calendar month ``(start + t) % 12 + 1`` (windows over quarterly values)."""
        return self.months[0].index if self.months else 0

    @property
    def year_starts(self) -> list[int]:
        if self._year_starts is None:
            self._year_starts = year_starts(self.months)
        return self._year_starts

    def index(self, period: Period) -> int | None:
        if not self.months:
            return None
        i = period.index - self.months[0].index
        return i if 0 <= i < self.n else None

    def value_at(self, name: str, period: Period) -> Value:
        i = self.index(period)
        return None if i is None else self.series[name][i]

    def status_at(self, threshold: str, period: Period) -> str | None:
        i = self.index(period)
        return None if i is None else self.thresholds[threshold].status[i]

    @property
    def payments(self) -> list[ActionEvent]:
        return [e for e in self.events if e.kind == "pay"]

    # -- a construct over the whole timeline (or months ``lo .. hi-1`` of it,
    #    when an amendment switches versions: see :meth:`since`)
    def since(self, name: str, lo: int) -> int:
        """The first month a value is computed from in a range starting at
        ``lo``: ``lo``, unless the run has no value of that name yet (a let or
        KPI that only an amending version declares), then the first month, so
        that windows and lags read from the switch on see its history."""
        return lo if name in self.series else 0

    def _column(self, name: str) -> Series:
        col = self.series.get(name)
        if col is None or len(col) != self.n:
            col = self.series[name] = [None] * self.n
        return col

    def fill(self, name: str, fn: RangeFn, lo: int = 0, hi: int | None = None) -> None:
        hi = self.n if hi is None else hi
        if lo == 0 and hi == self.n:
            self.series[name] = fn(self, 0, self.n)
        elif lo < hi:
            self._column(name)[lo:hi] = fn(self, lo, hi)
        else:
            self._column(name)

    def fill_constant(self, name: str, value: Value, lo: int = 0, hi: int | None = None) -> None:
        hi = self.n if hi is None else hi
        if lo == 0 and hi == self.n:
            self.series[name] = [value] * self.n
        else:
            self._column(name)[lo:hi] = [value] * max(hi - lo, 0)

    def check(
        self,
        plan: ThresholdPlan,
        conditions: Sequence[Series],
        amounts: Sequence[Series],
        lo: int = 0,
        hi: int | None = None,
    ) -> ThresholdRun:
        """A threshold checked over months ``lo .. hi-1``; from ``lo > 0`` a
        threshold the run already has goes on from its state (:func:`~pactlang.kernel.thresholds.carry`)."""
        hi = self.n if hi is None else hi
        conditions = [_padded(c, self.n) for c in conditions]
        amounts = [_padded(a, self.n) for a in amounts]
        run = self._start_threshold(plan, conditions, amounts, lo)
        since = len(run.events)
        T.walk(run, lo, hi)
        self._record(run, since)
        return run

    def distribute(
        self,
        plan: W.WaterfallPlan,
        amount: RangeFn,
        cap: Callable[[object], RangeFn],
        lo: int = 0,
        hi: int | None = None,
    ) -> WaterfallRun:
        hi = self.n if hi is None else hi
        wrun = self._start_waterfall(plan, lo)
        amounts = [None] * lo + (amount(self, lo, hi) if lo < hi else [])
        problems: list[str] = []
        for t in range(lo, hi):
            month = self._open(wrun, t, amounts[t], problems)
            if month is None:
                continue
            try:
                for tier in plan.tiers:
                    month.settle(self._caps(tier, t, cap))
                wrun.distributions[t] = month.close()
            except BaseException:
                month.abort()
                raise
        if problems:
            raise EvaluationError(problems)
        return wrun

    def contribute(
        self,
        plan: K.ContributionPlan,
        amount: RangeFn,
        keys: Sequence[RangeFn],
        lo: int = 0,
        hi: int | None = None,
    ) -> K.ContributionRun:
        """A contribution's calls over months ``lo .. hi-1`` (from ``lo > 0``, an
        amending version's months, its ledger so far goes on)."""
        hi = self.n if hi is None else hi
        crun = self._start_contribution(plan, lo)
        if lo >= hi:
            return crun
        amounts = amount(self, lo, hi)
        columns = [k(self, lo, hi) for k in keys]
        problems: list[str] = []
        for t in range(lo, hi):
            self._settle(crun, t, amounts[t - lo], [c[t - lo] for c in columns], problems)
        if problems:
            raise EvaluationError(problems)
        return crun

    # -- constructs that read each other's earlier months
    def recur(self, tasks: Sequence[Task], lo: int = 0, hi: int | None = None) -> None:
        """Month by month over ``lo .. hi-1``.  From ``lo > 0`` (an amending
        version's months): values the run does not have yet are first computed
        for the months before ``lo``, and so are the conditions of its
        thresholds, so that ``for N`` looks back at the data of those months."""
        n = self.n
        hi = n if hi is None else hi
        runs: dict[str, ThresholdRun] = {}
        wruns: dict[str, WaterfallRun] = {}
        cruns: dict[str, K.ContributionRun] = {}
        open_months: dict[str, W.Settlement | None] = {}
        problems: list[str] = []
        fresh = [t for t in tasks if t.kind == "value" and t.name not in self.series]
        for task in tasks:
            if task.kind == "contribution" and task.name not in cruns:
                assert isinstance(task.plan, K.ContributionPlan)
                cruns[task.name] = self._start_contribution(task.plan, lo)
            elif task.kind == "threshold" and task.name not in runs:
                assert isinstance(task.plan, ThresholdPlan)
                conditions: list[Series] = [[None] * n for _ in task.conditions]
                amounts: list[Series] = [[None] * n for _ in task.amounts]
                runs[task.name] = self._start_threshold(task.plan, conditions, amounts, lo)
            elif task.kind == "tier" and task.name not in wruns:
                assert isinstance(task.plan, W.WaterfallPlan)
                wruns[task.name] = self._start_waterfall(task.plan, lo)
            elif task.kind == "value":
                self._column(task.name)
        for t in range(lo):
            for task in fresh:
                assert task.fn is not None
                self.series[task.name][t] = task.fn(self, t, t + 1)[0]
            for task in tasks:
                if task.kind == "threshold":
                    run = runs[task.name]
                    for r, fn in enumerate(task.conditions):
                        run.conditions[r][t] = fn(self, t, t + 1)[0]  # type: ignore[index]
        try:
            for t in range(lo, hi):
                for task in tasks:
                    if task.kind == "value":
                        assert task.fn is not None
                        self.series[task.name][t] = task.fn(self, t, t + 1)[0]
                    elif task.kind == "threshold":
                        run = runs[task.name]
                        for r, fn in enumerate(task.conditions):
                            run.conditions[r][t] = fn(self, t, t + 1)[0]  # type: ignore[index]
                        for k, fn in enumerate(task.amounts):
                            run.amounts[k][t] = fn(self, t, t + 1)[0]  # type: ignore[index]
                        since = len(run.events)
                        T.walk(run, t, t + 1)
                        self._record(run, since)
                    elif task.kind == "contribution":
                        assert task.amount is not None
                        amount = task.amount(self, t, t + 1)[0]
                        keys = [k(self, t, t + 1)[0] for k in task.keys]
                        self._settle(cruns[task.name], t, amount, keys, problems)
                    else:
                        wrun = wruns[task.name]
                        if task.tier == 0:
                            assert task.amount is not None
                            amount = task.amount(self, t, t + 1)[0]
                            open_months[task.name] = self._open(wrun, t, amount, problems)
                        month = open_months.get(task.name)
                        if month is None:
                            continue
                        assert task.cap is not None
                        month.settle(self._caps(wrun.plan.tiers[task.tier], t, task.cap))
                        if task.tier == len(wrun.plan.tiers) - 1:
                            wrun.distributions[t] = month.close()
                            open_months[task.name] = None
        except BaseException:
            for month in open_months.values():
                if month is not None:
                    month.abort()
            raise
        if problems:
            raise EvaluationError(problems)

    # -- the end
    def finish(self) -> Run:
        """Events in month order (then threshold declaration order); the contract's
        end on a termination's notice deadline; disputes opened."""
        if not self.events:
            return self  # nothing to order, no notice that ends the contract, no dispute
        order = {name: i for i, name in enumerate(self.meta.thresholds)}
        self.events.sort(key=lambda e: (e.period, order.get(e.threshold, len(order))))
        self._terminate()
        for e in self.events:
            if e.kind != "escalate" or e.ladder is None or e.opened is None:
                continue
            try:
                tl: Timeline | None = self.dispute(e.ladder, e.opened)
                note = None
            except (EscalationError, CalendarError) as exc:  # pragma: no cover - sema checks ladders
                tl, note = None, str(exc)
            self.disputes.append(Dispute(e.ladder, e.opened, e.threshold, e.period, tl, note))
        return self

    def dispute(
        self,
        ladder: str,
        opened: datetime.date,
        events: Sequence[Event] = (),
        *,
        as_of: datetime.date | None = None,
    ) -> Timeline:
        """A dispute on one of the contract's ladders, with the contract's calendar."""
        return dispute_timeline(self.meta, self.calendar, ladder, opened, events, as_of=as_of)

    # -- the end of the contract
    def _terminate(self) -> None:
        """The first ``terminate`` whose notice has a deadline ends the contract on it:
        the months after the deadline's month are outside the term, cut from every
        construct of the run (nothing there is computed from them), with a warning."""
        first = next((e for e in self.events if e.kind == "terminate" and e.due is not None), None)
        if first is None or first.due is None or first.opened is None:
            return
        self.termination = Termination(
            first.threshold, first.rule, first.period, first.party, str(first.within),
            first.opened, first.due,
        )
        end = Period.of(first.due)
        k = self.index(end)
        if k is None or k + 1 >= self.n:
            return  # the contract ends after the last month evaluated
        cut = self.months[k + 1 :]
        span = str(cut[0]) if len(cut) == 1 else f"{cut[0]} .. {cut[-1]}"
        where = f"{self.key}: " if self.key is not None else ""
        self.warnings.append(
            f"{where}{span}: after the end of the contract on {first.due.isoformat()} "
            f"(terminated by {first.party} with {first.within} notice: `{first.threshold}` "
            f"rule {first.rule} at {first.period}), ignored"
        )
        self._truncate(k + 1)

    def _truncate(self, k: int) -> None:
        """Keep months ``0 .. k-1`` only."""
        end = self.months[k - 1]
        self.months = self.months[:k]
        self.n = k
        self._year_starts = None
        for name, col in self.series.items():
            self.series[name] = col[:k]
        for trun in self.thresholds.values():
            del trun.status[k:], trun.is_check[k:], trun.decided_by[k:]
            trun.months = self.months
            trun.events = [e for e in trun.events if e.period <= end]
        for paid_col in self.paid.values():
            del paid_col[k:]
        for wrun in self.waterfalls.values():
            wrun.months = self.months
            del wrun.distributions[k:], wrun.missing[k:]
        for crun in self.contributions.values():
            crun.months = self.months
            del crun.calls[k:]
        self.events = [e for e in self.events if e.period <= end]

    # -- pieces
    def _start_contribution(self, plan: K.ContributionPlan, lo: int = 0) -> K.ContributionRun:
        earlier = self.contributions.get(plan.name) if lo > 0 else None
        crun = K.start(plan, self.months)
        if earlier is not None:  # an amendment: the calls so far stay in the ledger
            crun.calls[:lo] = earlier.calls[:lo]
        self.contributions[plan.name] = crun
        return crun

    def _settle(
        self, crun: K.ContributionRun, t: int, amount: Value, keys: Sequence[Value], problems: list[str]
    ) -> None:
        try:
            crun.settle(t, amount, keys, self.meta.digits)
        except K.ContributionError as exc:
            problems.append(str(exc))

    def _start_threshold(
        self, plan: ThresholdPlan, conditions: Sequence[Series], amounts: Sequence[Series], lo: int = 0
    ) -> ThresholdRun:
        earlier = self.thresholds.get(plan.name) if lo > 0 else None
        if earlier is not None:
            run = T.carry(earlier, plan, conditions, amounts, lo)
        else:
            run = T.start(
                plan, self.months, conditions, amounts, self.meta.term_start, self.meta.digits,
                self.calendar, self.segments,
            )
        self.thresholds[plan.name] = run
        self.statuses[plan.name] = run.status
        return run

    def _record(self, run: ThresholdRun, since: int) -> None:
        """The events fired from event ``since`` on: listed, and payments added to ``paid``."""
        for e in run.events[since:]:
            self.events.append(e)
            if e.kind == "pay" and e.amount is not None and e.payer and e.payee:
                col = self.paid.setdefault((e.payer, e.payee), [Decimal(0)] * self.n)
                t = self.index(e.period)
                assert t is not None
                col[t] = CONTEXT.add(col[t], e.amount)

    def _start_waterfall(self, plan: W.WaterfallPlan, lo: int = 0) -> WaterfallRun:
        n = self.n
        earlier = self.waterfalls.get(plan.name) if lo > 0 else None
        if earlier is not None:  # an amendment: the position so far goes on under the new plan
            state = W.carry_state(earlier.state, plan)
            wrun = WaterfallRun(plan, state, self.months, list(earlier.distributions), list(earlier.missing))
            self.waterfalls[plan.name] = wrun
            return wrun
        state = W.WaterfallState.new(plan, self.meta.currency)
        wrun = WaterfallRun(plan, state, self.months, [None] * n, [False] * n)
        self.waterfalls[plan.name] = wrun
        return wrun

    def _open(self, wrun: WaterfallRun, t: int, amount: Value, problems: list[str]) -> W.Settlement | None:
        if amount is None:
            wrun.missing[t] = True
            return None
        assert isinstance(amount, Decimal)
        try:
            return W.open_month(wrun.plan, wrun.state, self.months[t], amount, self.meta.currency)
        except W.WaterfallInputError as exc:
            problems.append(f"waterfall `{wrun.plan.name}`: {exc}")
            wrun.missing[t] = True
            return None

    def _caps(self, tier: W.Tier, t: int, cap: Callable[[object], RangeFn]) -> list[Decimal | None]:
        out: list[Decimal | None] = []
        for handle in W.tier_caps(tier):
            v = cap(handle)(self, t, t + 1)[0]
            assert v is None or isinstance(v, Decimal)
            out.append(v)
        return out


def _padded(col: Series, n: int) -> Series:
    """A column computed for the first months only, missing after them."""
    return col if len(col) >= n else list(col) + [None] * (n - len(col))


# ---------------------------------------------------- reads of construct results


def distributed(
    run: Run, fund: str, tier: str | None, party: str | None, to_date: bool, lo: int, hi: int
) -> Series:
    """``distributed(fund[.tier][, party][, to date])`` for months ``lo .. hi-1``."""
    reader = run.readers[fund]
    return [reader.distributed(t, tier, party, to_date) for t in range(lo, hi)]


def retained(run: Run, fund: str, to_date: bool, lo: int, hi: int) -> Series:
    """``retained(fund[, to date])`` for months ``lo .. hi-1``."""
    reader = run.readers[fund]
    return [reader.retained(t, to_date) for t in range(lo, hi)]


def paid(run: Run, payer: str, payee: str, to_date: bool, lo: int, hi: int) -> Series:
    """``paid(payer, payee[, to date])``: what every threshold's actions paid."""
    col = run.paid.get((payer, payee))
    if col is None:
        return [ZERO] * (hi - lo)
    if to_date:
        return running_sum(list(col[:hi]), lo)
    return list(col[lo:hi])


def contributed(
    run: Run, contribution: str, party: str | None, to_date: bool, lo: int, hi: int
) -> Series:
    """``contributed(c[, party][, to date])`` for months ``lo .. hi-1``."""
    crun = run.contributions[contribution]
    return [crun.contributed(t, party, to_date) for t in range(lo, hi)]


def status(run: Run, threshold: str, lo: int, hi: int) -> Series:
    """``status(threshold)`` for months ``lo .. hi-1``."""
    return list(run.statuses[threshold][lo:hi])


def located(fn: RangeFn, where: str) -> RangeFn:
    """``fn``, reporting an arithmetic failure as an :class:`EvaluationError`
    that names ``where`` (``path:line:col: `expression```) and the first month
    that fails, instead of a bare ``decimal`` or date exception.

    Over several contracts evaluated as one run (``run.segments``,
    :mod:`pactlang.kernel.stack`) the exception is raised as it is: looking for
    the month would evaluate the expression again for every month of the
    portfolio; the portfolio is evaluated contract by contract instead, and
    the failing contract's own run names the month."""

    def guarded(run: Run, lo: int, hi: int) -> Series:
        try:
            return fn(run, lo, hi)
        except (ArithmeticError, ValueError, OverflowError) as exc:
            if isinstance(exc, EvaluationError) or run.segments is not None:
                raise
            t = lo
            for t in range(lo, hi):
                try:
                    fn(run, t, t + 1)
                except (ArithmeticError, ValueError, OverflowError):
                    break
            at = f" at {run.months[t]}" if 0 <= t < len(run.months) and not run.timeless else ""
            raise EvaluationError([f"{where}{at}: {_why(exc)}"]) from None

    return guarded


def _why(exc: BaseException) -> str:
    """What went wrong, in words a contract's author can act on."""
    if isinstance(exc, decimal.DecimalException):
        return "the result is out of the range of exact decimals (28 significant digits, exponents up to 999999)"
    if isinstance(exc, CalendarError):
        return str(exc)
    if isinstance(exc, OverflowError | ValueError) and (
        isinstance(exc, OverflowError) or "year" in str(exc) or "date" in str(exc)
    ):
        return "the date is out of range (years 1 to 9999)"
    return str(exc) or type(exc).__name__


def dispute_timeline(
    meta: Meta,
    calendar: BusinessCalendar,
    ladder: str,
    opened: datetime.date,
    events: Sequence[Event] = (),
    *,
    as_of: datetime.date | None = None,
) -> Timeline:
    model = meta.ladders.get(ladder)
    if model is None:
        known = ", ".join(meta.ladders) or "none"
        raise EscalationError(f"no escalation ladder {ladder} (ladders: {known})")
    return timeline(model, opened, calendar, tuple(events), as_of=as_of)
