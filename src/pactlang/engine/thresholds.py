"""Thresholds: checks, first-match rules, persistence, statuses and actions (LANGUAGE.md §6).

This module is the single home of threshold semantics.  It receives the
condition and amount series already computed column-wise by
:mod:`pactlang.engine.expr` and walks the months once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ..syntax import ast
from ..values import Period
from . import values as V
from .values import Value

NO_DATA = "no-data"


def is_check_month(cadence: str, period: Period) -> bool:
    """``monthly``: every month; ``quarterly``: March, June, September, December;
    ``yearly``: December (calendar years, like quarters)."""
    if cadence == "monthly":
        return True
    if cadence == "quarterly":
        return period.month % 3 == 0
    return period.month == 12


def previous_check_months(cadence: str, period: Period, count: int) -> list[Period]:
    """The ``count`` check months before ``period`` (most recent first)."""
    out: list[Period] = []
    p = period.shift(-1)
    while len(out) < count:
        if is_check_month(cadence, p):
            out.append(p)
        p = p.shift(-1)
    return out


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


@dataclass(slots=True)
class ThresholdRun:
    name: str
    cadence: str
    status: list[str | None]  # per timeline month, carried between checks
    is_check: list[bool]
    decided_by: list[int | None]  # rule number that decided (0 = otherwise, None = no-data/none)
    traces: dict[int, list[RuleTrace]] = field(default_factory=dict)  # month index → traces
    events: list[ActionEvent] = field(default_factory=list)


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
    amount series of each ``pay`` action.
    """
    cadence = decl.checked.value if decl.checked else "monthly"
    n = len(months)
    run = ThresholdRun(decl.name.name, cadence, [None] * n, [False] * n, [None] * n)
    index_of = {p: i for i, p in enumerate(months)}
    fired_once: set[int] = set()
    term_start = Period(effective.year, effective.month) if effective else None
    current: str | None = None
    decided: int | None = None
    for t, period in enumerate(months):
        if not is_check_month(cadence, period):
            run.status[t] = current
            run.decided_by[t] = decided
            continue
        run.is_check[t] = True
        traces: list[RuleTrace] = []
        chosen: int | None = None
        any_missing = False
        for r, rule in enumerate(decl.rules):
            cond = conditions[r]
            used: list[tuple[Period, Value]] = [(period, cond[t])]
            if rule.persistence is not None and rule.persistence.count > 1:
                for p in previous_check_months(cadence, period, rule.persistence.count - 1):
                    i = index_of.get(p)
                    if i is not None:
                        used.append((p, cond[i]))
                    elif term_start is not None and p < term_start:
                        used.append((p, False))  # before the term: does not hold
                    elif term_start is None and p < months[0]:
                        used.append((p, False))
                    else:
                        used.append((p, None))  # inside the term but no data
                used.reverse()
            value = V.and3([v for _, v in used])
            traces.append(RuleTrace(r + 1, value, tuple(used)))
            if value is True:
                chosen = r + 1
                break
            if value is None:
                any_missing = True
        run.traces[t] = traces
        if chosen is not None:
            current = decl.rules[chosen - 1].status.value
            decided = chosen
            actions = decl.rules[chosen - 1].actions
        elif any_missing:
            current = NO_DATA
            decided = None
            actions = ()
        else:
            current = decl.otherwise.status.value if decl.otherwise else "ok"
            decided = 0
            actions = decl.otherwise.actions if decl.otherwise else ()
        run.status[t] = current
        run.decided_by[t] = decided
        for action in actions:
            if action.once:
                if id(action) in fired_once:
                    continue
                fired_once.add(id(action))
            run.events.append(
                _fire(action, decl.name.name, decided or 0, period, t, amounts, minor_digits)
            )
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
