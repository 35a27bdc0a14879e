"""Thresholds: checks, first-match rules, persistence, statuses and actions (LANGUAGE.md §6).

This module is the single home of threshold semantics.  It receives the
condition and amount series already computed column-wise by
:mod:`pactlang.engine.expr` and walks the months once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from pactlang.base.values import Period
from pactlang.kernel import ops as V
from pactlang.kernel.ops import Value
from pactlang.syntax import ast

NO_DATA = "no-data"


def is_check_month(cadence: str, period: Period) -> bool:
    """``monthly``: every month; ``quarterly``: March, June, September, December;
    ``yearly``: December (calendar years, like quarters)."""
    if cadence == "monthly":
        return True
    if cadence == "quarterly":
        return period.month % 3 == 0
    return period.month == 12


@dataclass(frozen=True, slots=True)
class ActionEvent:
    """One action fired by a rule at a check."""

    period: Period
    threshold: str
    rule: int  # 1-based rule number; 0 for `otherwise`
    kind: str  # pay | escalate | notify | action
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


@dataclass(slots=True)
class RuleTrace:
    """Why a rule held or not at one check."""

    rule: int
    value: bool | None  # the (persistence-combined) condition value
    months: tuple[tuple[Period, Value], ...]  # each check month used and its raw condition value


STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


@dataclass(slots=True)
class ThresholdRun:
    name: str
    cadence: str
    status: list[str | None]  # per timeline month, carried between checks
    is_check: list[bool]
    decided_by: list[int | None]  # rule number that decided (0 = otherwise, None = no-data/none)
    events: list[ActionEvent] = field(default_factory=list)
    # what the traces are recomputed from (explanations only)
    months: list[Period] = field(default_factory=list)
    conditions: list[list[Value]] = field(default_factory=list)
    persistence: list[int] = field(default_factory=list)
    term_start: int | None = None  # month index of the term's first month

    def _earlier(self, cond: list[Value], t: int, j: int) -> tuple[Period, Value]:
        """The condition at the j-th check before the check at timeline index t."""
        i = t - j * STEP[self.cadence]
        if i >= 0:
            return self.months[i], cond[i]
        p = Period.from_index(self.months[0].index + i)
        if self.term_start is None or p.index < self.term_start:
            return p, False  # before the term: does not hold
        return p, None  # inside the term, before the first data month

    def traces(self, t: int) -> list[RuleTrace]:
        """Why each rule tried at the check of month ``t`` held or not."""
        out: list[RuleTrace] = []
        if not self.is_check[t]:
            return out
        for r, cond in enumerate(self.conditions):
            used = [(self.months[t], cond[t])]
            used.extend(self._earlier(cond, t, j) for j in range(1, self.persistence[r]))
            used.reverse()
            value = V.and3([v for _, v in used])
            out.append(RuleTrace(r + 1, value, tuple(used)))
            if value is True:
                break
        return out


def run_threshold(
    decl: ast.ThresholdDecl,
    months: list[Period],
    conditions: list[list[Value]],
    amounts: dict[int, list[Value]],
    effective: datetime.date | None,
    minor_digits: int,
) -> ThresholdRun:
    """Walk the months once.

    ``conditions[i]`` is rule i's condition series; ``amounts[id(action)]`` the
    amount series of each ``pay`` action.  Months are consecutive, so the
    checks before a check are at fixed steps (1, 3 or 12 months) back.
    """
    cadence = decl.checked.value if decl.checked else "monthly"
    n = len(months)
    step = STEP[cadence]
    persistence = [r.persistence.count if r.persistence else 1 for r in decl.rules]
    term_start = effective.year * 12 + effective.month - 1 if effective else None
    run = ThresholdRun(
        decl.name.name, cadence, [None] * n, [False] * n, [None] * n,
        months=months, conditions=conditions, persistence=persistence, term_start=term_start,
    )
    if not n:
        return run
    first = months[0].index
    # a check before the timeline counts as not holding before the term, missing inside it
    def before(i: int) -> Value:
        return False if term_start is None or first + i < term_start else None

    fired_once: set[int] = set()
    rules = decl.rules
    statuses = [r.status.value for r in rules]
    other_status = decl.otherwise.status.value if decl.otherwise else "ok"
    other_actions = decl.otherwise.actions if decl.otherwise else ()
    current: str | None = None
    decided: int | None = None
    status, is_check, decided_by = run.status, run.is_check, run.decided_by
    for t in range(n):
        m = months[t].month
        if not (step == 1 or (step == 3 and m % 3 == 0) or (step == 12 and m == 12)):
            status[t] = current
            decided_by[t] = decided
            continue
        is_check[t] = True
        chosen = 0
        any_missing = False
        for r in range(len(rules)):
            cond = conditions[r]
            v = cond[t]
            if v is not False and persistence[r] > 1:
                for j in range(1, persistence[r]):
                    i = t - j * step
                    w = cond[i] if i >= 0 else before(i)
                    if w is False:
                        v = False
                        break
                    if w is None:
                        v = None
            if v is True:
                chosen = r + 1
                break
            if v is None:
                any_missing = True
        if chosen:
            current = statuses[chosen - 1]
            decided = chosen
            actions = rules[chosen - 1].actions
        elif any_missing:
            current = NO_DATA
            decided = None
            actions = ()
        else:
            current = other_status
            decided = 0
            actions = other_actions
        status[t] = current
        decided_by[t] = decided
        for action in actions:
            if action.once:
                if id(action) in fired_once:
                    continue
                fired_once.add(id(action))
            run.events.append(_fire(action, decl.name.name, decided or 0, months[t], t, amounts, minor_digits))
    return run


def _fire(
    action: ast.Action,
    threshold: str,
    rule: int,
    period: Period,
    t: int,
    amounts: dict[int, list[Value]],
    minor_digits: int,
) -> ActionEvent:
    if isinstance(action, ast.PayAction):
        raw = amounts[id(action)][t]
        if raw is None:
            return ActionEvent(
                period, threshold, rule, "pay", action.once, action.payer.name, action.payee.name,
                None, None, action.label.value if action.label else None,
                note="the amount is missing this month: nothing is paid",
            )
        assert isinstance(raw, Decimal)
        amount = V.round_half_even(raw, minor_digits)
        assert isinstance(amount, Decimal)
        note = None
        if amount != raw:
            note = f"{raw} rounded half-even to the currency's minor unit"
        if amount < 0:
            return ActionEvent(
                period, threshold, rule, "pay", action.once, action.payer.name, action.payee.name,
                None, raw, action.label.value if action.label else None,
                note=f"the amount {raw} is negative: nothing is paid",
            )
        return ActionEvent(
            period, threshold, rule, "pay", action.once, action.payer.name, action.payee.name,
            amount, raw, action.label.value if action.label else None, note=note,
        )
    if isinstance(action, ast.EscalateAction):
        opened = period.last_day()
        assert isinstance(opened, datetime.date)
        return ActionEvent(period, threshold, rule, "escalate", action.once, ladder=action.ladder.name, opened=opened)
    if isinstance(action, ast.NotifyAction):
        return ActionEvent(
            period, threshold, rule, "notify", action.once, parties=tuple(p.name for p in action.parties)
        )
    return ActionEvent(period, threshold, rule, "action", action.once, text=action.text.value)
