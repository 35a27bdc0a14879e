"""Thresholds: checks, first-match rules, persistence, statuses and actions (LANGUAGE.md §6).

This module is the single home of threshold semantics.  A threshold is a
plain :class:`ThresholdPlan` (built once by :mod:`pactlang.ir.lower`); its
conditions and pay amounts arrive as series already computed by the engine,
and :func:`walk` goes through the months, in one call for a whole timeline
or month by month when the threshold reads its own past (a cure period, a
liability cap: LANGUAGE.md §5 "Definitions over time").

* A check happens every month (``monthly``), at months 3, 6, 9 and 12
  (``quarterly``) or in December (``yearly``).
* Rules are tried in order; the first whose condition holds decides.  With
  ``for N``, the condition's value is the three-valued ``and`` of its values
  at the last N checks, this one included.  Checks before the start of the
  term count as not holding; checks inside the term but before the first data
  month count as missing.
* No rule holds: the ``otherwise`` status (``ok`` without one), and its
  actions.  No rule holds and a condition was missing: ``no-data``, and no
  action.
* Between checks the status of the last check is kept (missing before the
  first).  Actions fire at checks only; a ``once`` action fires the first
  time its rule decides, never again.
* A pay amount is rounded half-even to the currency's minor unit; a missing
  or negative amount pays nothing (the event says why).
* ``escalate``, ``terminate`` and ``oblige`` start on the last day of the
  month checked: a dispute opens then; a notice runs from then to its
  deadline (the end of the term); an obligation is due its time limit after
  it.  Time limits are counted as ladder deadlines are
  (:func:`pactlang.kernel.escalation.deadline_after`), with the contract's
  business calendar.  ``suspend`` is listed with its party and text.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import product

from pactlang.base.calendars import BusinessCalendar, CalendarError
from pactlang.base.values import Duration, Period, Value
from pactlang.kernel.escalation import deadline_after
from pactlang.kernel.ops import and3, round_half_even
from pactlang.kernel.series import Segments

NO_DATA = "no-data"
STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


def is_check_month(step: int, month: int) -> bool:
    """Whether calendar month ``month`` (1–12) is a check for a cadence of ``step`` months."""
    return step == 1 or month % step == 0


# ------------------------------------------------------------------- plans


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """One action of a rule.  ``slot`` indexes the pay amount series; ``party`` and
    ``within`` are those of ``terminate by P notice N``, ``suspend P`` and
    ``oblige P … within N``."""

    kind: str  # pay | escalate | notify | action | terminate | suspend | oblige
    once: bool
    payer: str | None = None
    payee: str | None = None
    label: str | None = None
    slot: int = -1
    ladder: str | None = None
    parties: tuple[str, ...] = ()
    text: str | None = None
    party: str | None = None
    within: Duration | None = None


@dataclass(frozen=True, slots=True)
class RulePlan:
    persistence: int  # the number of checks the condition must hold at (1 without `for`)
    status: str
    actions: tuple[ActionPlan, ...]


@dataclass(frozen=True, slots=True)
class ThresholdPlan:
    name: str
    cadence: str  # monthly | quarterly | yearly
    rules: tuple[RulePlan, ...]
    otherwise_status: str  # "ok" when the threshold has no `otherwise`
    otherwise_actions: tuple[ActionPlan, ...] = ()
    # derived once: each rule's persistence; the status of each decision
    # (a rule's number, 0 for otherwise, None for no-data); whether any rule acts
    persistences: tuple[int, ...] = field(init=False, repr=False, compare=False)
    outcome: dict[int | None, str] = field(init=False, repr=False, compare=False)
    acts: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        outcome: dict[int | None, str] = {None: NO_DATA, 0: self.otherwise_status}
        outcome.update((k + 1, r.status) for k, r in enumerate(self.rules))
        object.__setattr__(self, "persistences", tuple(r.persistence for r in self.rules))
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "acts", bool(self.otherwise_actions) or any(r.actions for r in self.rules))

    @property
    def step(self) -> int:
        return STEP[self.cadence]


# ----------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ActionEvent:
    """One action fired by a rule at a check."""

    period: Period
    threshold: str
    rule: int  # 1-based rule number; 0 for `otherwise`
    kind: str  # pay | escalate | notify | action | terminate | suspend | oblige
    once: bool
    payer: str | None = None
    payee: str | None = None
    amount: Decimal | None = None  # in the currency's minor unit precision
    computed: Value = None  # the amount expression's exact value before rounding
    label: str | None = None
    ladder: str | None = None
    opened: datetime.date | None = None
    parties: tuple[str, ...] = ()
    text: str | None = None
    note: str | None = None
    party: str | None = None  # who terminates, is suspended, or owes the obligation
    within: Duration | None = None  # the notice, or the obligation's time limit
    due: datetime.date | None = None  # the notice's deadline (end of the term), or the due date


@dataclass(slots=True)
class RuleTrace:
    """Why a rule held or not at one check."""

    rule: int
    value: bool | None  # the (persistence-combined) condition value
    months: tuple[tuple[Period, Value], ...]  # each check month used and its raw condition value


@dataclass(slots=True)
class ThresholdRun:
    """A threshold over a timeline: what :func:`walk` fills, month by month."""

    plan: ThresholdPlan
    months: Sequence[Period]
    conditions: Sequence[Sequence[Value]]  # per rule, per month
    amounts: Sequence[Sequence[Value]]  # per pay slot, per month
    term_start: int | None  # month index (Period.index) of the term's first month
    digits: int  # the currency's minor unit
    status: list[str | None] = field(default_factory=list)
    is_check: list[bool] = field(default_factory=list)
    decided_by: list[int | None] = field(default_factory=list)  # 0 = otherwise, None = no-data
    events: list[ActionEvent] = field(default_factory=list)
    fired_once: set[tuple[int, int]] = field(default_factory=set)
    current: str | None = None
    decided: int | None = None
    calendar: BusinessCalendar | None = None  # time limits of notices and obligations
    # an amending version's run: the amended version's run, before month `switch`
    before: ThresholdRun | None = None
    switch: int = 0
    # several contracts checked as one run (kernel.stack): where each contract's
    # months lie, and for each contract the number of events fired through it
    # and its `once` actions that fired
    segments: Segments | None = None
    marks: list[tuple[int, set[tuple[int, int]]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def cadence(self) -> str:
        return self.plan.cadence

    def _earlier(self, r: int, t: int, j: int) -> tuple[Period, Value]:
        """Rule r's condition at the j-th check before the check of month ``t``."""
        i = t - j * self.plan.step
        if i >= 0:
            return self.months[i], self.conditions[r][i]
        p = Period.from_index(self.months[0].index + i)
        return p, _before(self.term_start, p.index)

    def traces(self, t: int) -> list[RuleTrace]:
        """Why each rule tried at the check of month ``t`` held or not (explanations)."""
        if self.before is not None and t < self.switch:
            return self.before.traces(t)
        out: list[RuleTrace] = []
        if not self.is_check[t]:
            return out
        for r, rule in enumerate(self.plan.rules):
            used = [(self.months[t], self.conditions[r][t])]
            used.extend(self._earlier(r, t, j) for j in range(1, rule.persistence))
            used.reverse()
            value = and3([v for _, v in used])
            out.append(RuleTrace(r + 1, value, tuple(used)))
            if value is True:
                break
        return out


def _before(term_start: int | None, index: int) -> Value:
    """A check before the timeline: not holding before the term, missing inside it."""
    return False if term_start is None or index < term_start else None


def start(
    plan: ThresholdPlan,
    months: Sequence[Period],
    conditions: Sequence[Sequence[Value]],
    amounts: Sequence[Sequence[Value]],
    term_start: int | None,
    digits: int,
    calendar: BusinessCalendar | None = None,
    segments: Segments | None = None,
) -> ThresholdRun:
    """A run ready for :func:`walk`; the series may still be filled month by month.
    With ``segments``, the months are several contracts' one after another
    (:mod:`pactlang.kernel.stack`), each checked on its own: no check looks back
    across a contract's first month, a status is not kept into the next
    contract, and a ``once`` action fires once per contract."""
    n = len(months)
    run = ThresholdRun(
        plan, months, conditions, amounts, term_start, digits, [None] * n, [False] * n, [None] * n
    )
    run.calendar = calendar
    run.segments = segments
    return run


def _windows(
    cond: Sequence[Value], persistence: int, step: int, lo: int, hi: int, first: int, term_start: int | None
) -> list[Sequence[Value]]:
    """A rule's condition at each of its last ``persistence`` checks (``step``
    months apart), for the checks of months ``lo .. hi-1``: one column per
    check, this one first.  Checks before the timeline do not hold before the
    term (``term_start``) and are missing inside it (``first`` is the month
    index (:attr:`Period.index`) of the timeline's first month)."""
    back = (persistence - 1) * step
    if lo >= back:
        return [cond[lo - j * step : hi - j * step] for j in range(persistence)]
    # the checks before the timeline, then the condition: month t is at t + back
    padded = [*_checks_before(term_start, first, back), *cond[:hi]]
    return [padded[lo + back - j * step : hi + back - j * step] for j in range(persistence)]


@lru_cache(maxsize=256)
def _checks_before(term_start: int | None, first: int, back: int) -> tuple[Value, ...]:
    """The values of the ``back`` months before the timeline (see :func:`_before`)."""
    return tuple(_before(term_start, first + i) for i in range(-back, 0))


def first_match(values: Sequence[Value], persistences: Sequence[int]) -> int | None:
    """The rule that decides a check, from each rule's condition at its last
    checks (``values``: rule after rule, ``persistences[r]`` values each): the
    number of the first rule whose values are all true (the three-valued
    ``and`` of ``for N``); none and one was missing: None (no-data); none: 0."""
    missing = False
    i = 0
    for r, k in enumerate(persistences, start=1):
        held = and3(values[i : i + k])
        i += k
        if held is True:
            return r
        if held is None:
            missing = True
    return None if missing else 0


_TABLES: dict[tuple[int, ...], dict[tuple[Value, ...], int | None]] = {}
_TABLE_CELLS = 3**6  # the largest table of decisions kept (six condition values)


def _decision_table(persistences: tuple[int, ...]) -> dict[tuple[Value, ...], int | None] | None:
    """:func:`first_match` for every combination of condition values, when
    there are at most ``_TABLE_CELLS`` of them (then a check is one lookup)."""
    table = _TABLES.get(persistences)
    if table is None:
        width = sum(persistences)
        if 3**width > _TABLE_CELLS:
            return None
        table = {vals: first_match(vals, persistences) for vals in product((True, False, None), repeat=width)}
        _TABLES[persistences] = table
    return table


def _stacked_windows(
    cond: Sequence[Value], persistence: int, step: int, segs: Segments, term_start: int | None
) -> list[Sequence[Value]]:
    """:func:`_windows` over several contracts' months (``lo = 0``, ``hi`` the
    end): each contract's first checks look back at the months before *its*
    first month, never at the contract before it."""
    n = len(cond)
    back = (persistence - 1) * step
    out: list[Sequence[Value]] = [cond]
    for j in range(1, persistence):
        shift = j * step
        col: list[Value] = [None] * shift + list(cond[: n - shift]) if shift < n else [None] * n
        pieces: dict[int, tuple[Value, ...]] = {}  # by the contract's first month
        for (s, e), first in zip(segs.spans, segs.firsts, strict=True):
            piece = pieces.get(first)
            if piece is None:
                piece = pieces[first] = _checks_before(term_start, first, back)[back - shift : back]
            if s + shift <= e:
                col[s : s + shift] = piece
            else:
                col[s:e] = piece[: e - s]
        out.append(col)
    return out


def decisions(run: ThresholdRun, lo: int, hi: int) -> list[int | None]:
    """The rule deciding the check of each month ``lo .. hi-1`` (:func:`first_match`)."""
    plan = run.plan
    first = run.months[0].index if run.months else 0
    persistences = plan.persistences
    step, term_start, segs = plan.step, run.term_start, run.segments
    columns: list[Sequence[Value]] = []
    for cond, k in zip(run.conditions, persistences, strict=True):
        if k == 1:
            columns.append(cond[lo:hi])
        elif segs is not None:
            columns += _stacked_windows(cond[:hi], k, step, segs, term_start)
        else:
            columns += _windows(cond, k, step, lo, hi, first, term_start)
    if not columns:
        return [0] * (hi - lo)
    table = _decision_table(persistences)
    if table is not None:
        return list(map(table.__getitem__, zip(*columns, strict=True)))
    return [first_match(vals, persistences) for vals in zip(*columns, strict=True)]


def walk(run: ThresholdRun, lo: int, hi: int) -> None:
    """Check months ``lo .. hi-1`` (conditions and amounts known through ``hi - 1``)."""
    plan = run.plan
    months = run.months
    if not months or lo >= hi:
        return
    step = plan.step
    rules = plan.rules
    decided_at = decisions(run, lo, hi)
    outcome = plan.outcome
    status, is_check, decided_by = run.status, run.is_check, run.decided_by
    if step == 1:  # every month is a check: whole columns at once
        is_check[lo:hi] = [True] * (hi - lo)
        decided_by[lo:hi] = decided_at
        status[lo:hi] = map(outcome.__getitem__, decided_at)
        run.current, run.decided = status[hi - 1], decided_by[hi - 1]
    else:
        current, decided = run.current, run.decided
        starts = {s for s, _e in run.segments.spans} if run.segments is not None else ()
        for t, d in zip(range(lo, hi), decided_at, strict=True):
            if t in starts:  # a contract's first month: no check of its own yet
                current = decided = None
            if months[t].month % step:
                status[t] = current  # between checks: the last check's status
                decided_by[t] = decided
                continue
            is_check[t] = True
            current, decided = outcome[d], d
            status[t] = current
            decided_by[t] = decided
        run.current, run.decided = current, decided
    if not plan.acts:
        return
    spans = run.segments.spans if run.segments is not None else ((lo, hi),)
    for s, e in spans:
        if run.segments is not None:
            run.fired_once = set()  # each contract's `once` actions
        for t in range(max(s, lo), min(e, hi)):
            if not is_check[t] or decided_by[t] is None:
                continue
            d = decided_by[t] or 0
            actions = rules[d - 1].actions if d else plan.otherwise_actions
            if actions:
                _fire_all(run, actions, d, t)
        if run.segments is not None:
            run.marks.append((len(run.events), run.fired_once))


def _fire_all(run: ThresholdRun, actions: tuple[ActionPlan, ...], rule: int, t: int) -> None:
    for k, action in enumerate(actions):
        if action.once:
            key = (rule, k)
            if key in run.fired_once:
                continue
            run.fired_once.add(key)
        run.events.append(_fire(run, action, rule, t))


def _fire(run: ThresholdRun, action: ActionPlan, rule: int, t: int) -> ActionEvent:
    period = run.months[t]
    name = run.plan.name
    if action.kind == "pay":
        raw = run.amounts[action.slot][t]
        if raw is None:
            return ActionEvent(
                period, name, rule, "pay", action.once, action.payer, action.payee, None, None,
                action.label, note="the amount is missing this month: nothing is paid",
            )
        assert isinstance(raw, Decimal)
        if raw < 0:  # before rounding: -0.001 is negative, not a payment of -0.00
            return ActionEvent(
                period, name, rule, "pay", action.once, action.payer, action.payee, None, raw,
                action.label, note=f"the amount {raw} is negative: nothing is paid",
            )
        amount = round_half_even(raw, run.digits)
        assert isinstance(amount, Decimal)
        note = f"{raw} rounded half-even to the currency's minor unit" if amount != raw else None
        return ActionEvent(
            period, name, rule, "pay", action.once, action.payer, action.payee, amount, raw,
            action.label, note=note,
        )
    if action.kind == "escalate":
        opened = period.last_day()
        assert isinstance(opened, datetime.date)
        return ActionEvent(period, name, rule, "escalate", action.once, ladder=action.ladder, opened=opened)
    if action.kind == "notify":
        return ActionEvent(period, name, rule, "notify", action.once, parties=action.parties)
    if action.kind in ("terminate", "oblige", "suspend"):
        start = period.last_day()
        assert isinstance(start, datetime.date)
        due, note = None, None
        if action.within is not None:
            try:
                due = deadline_after(start, action.within, run.calendar or _WEEKENDS)
            except (CalendarError, OverflowError):
                note = f"{action.within} after {start} is past the year 9999"
        return ActionEvent(
            period, name, rule, action.kind, action.once, opened=start, text=action.text,
            note=note, party=action.party, within=action.within, due=due,
        )
    return ActionEvent(period, name, rule, "action", action.once, text=action.text)


def piece(run: ThresholdRun, i: int, months: Sequence[Period]) -> ThresholdRun:
    """Contract ``i``'s own run, out of a run over several contracts'
    months (``run.segments``): what :func:`walk` gives over its months alone."""
    assert run.segments is not None
    s, e = run.segments.spans[i]
    out = ThresholdRun(
        run.plan, months, [c[s:e] for c in run.conditions], [a[s:e] for a in run.amounts],
        run.term_start, run.digits, run.status[s:e], run.is_check[s:e], run.decided_by[s:e],
    )
    if run.marks:
        out.events = run.events[run.marks[i - 1][0] if i else 0 : run.marks[i][0]]
        out.fired_once = set(run.marks[i][1])
    if e > s:
        out.current, out.decided = out.status[-1], out.decided_by[-1]
    out.calendar = run.calendar
    return out


# ------------------------------------------------------------- amendments


def carry(
    earlier: ThresholdRun,
    plan: ThresholdPlan,
    conditions: Sequence[Sequence[Value]],
    amounts: Sequence[Sequence[Value]],
    lo: int,
) -> ThresholdRun:
    """The run of an amending version's threshold from month ``lo`` on, going
    on from what the amended version's run did before it (docs/language.md,
    "Amendments"):

    * statuses, checks, the rules that decided and the events before ``lo``
      are the amended version's; between checks the last status is kept
      across the switch;
    * ``conditions`` are the amending version's over the whole timeline, so
      ``for N`` looks back at the data of the months before ``lo`` with the
      condition now in force;
    * a ``once`` action that already fired stays fired when the amending
      version has the same action (same kind, parties, label, ladder or
      text; the amount may differ) in a rule of the same status, or in its
      ``otherwise``."""
    n = len(earlier.months)
    run = ThresholdRun(
        plan,
        earlier.months,
        conditions,
        amounts,
        earlier.term_start,
        earlier.digits,
        list(earlier.status[:lo]) + [None] * (n - lo),
        list(earlier.is_check[:lo]) + [False] * (n - lo),
        list(earlier.decided_by[:lo]) + [None] * (n - lo),
        [e for e in earlier.events if e.period < earlier.months[lo]] if lo < n else list(earlier.events),
    )
    run.current = earlier.status[lo - 1] if 0 < lo <= n else earlier.current
    run.decided = None
    run.before, run.switch = earlier, lo
    run.calendar = earlier.calendar
    fired = {_action_identity(earlier.plan, r, k) for r, k in earlier.fired_once}
    for r in range(len(plan.rules) + 1):
        for k, action in enumerate(_actions_of(plan, r)):
            if action.once and (_status_of(plan, r), _identity(action)) in fired:
                run.fired_once.add((r, k))
    return run


def _actions_of(plan: ThresholdPlan, rule: int) -> tuple[ActionPlan, ...]:
    return plan.rules[rule - 1].actions if rule else plan.otherwise_actions


def _status_of(plan: ThresholdPlan, rule: int) -> str:
    return plan.rules[rule - 1].status if rule else "otherwise"


def _identity(a: ActionPlan) -> tuple[object, ...]:
    return (a.kind, a.payer, a.payee, a.label, a.ladder, a.parties, a.text, a.party, a.within)


def _action_identity(plan: ThresholdPlan, rule: int, k: int) -> tuple[str, tuple[object, ...]]:
    return (_status_of(plan, rule), _identity(_actions_of(plan, rule)[k]))


_WEEKENDS = BusinessCalendar()
