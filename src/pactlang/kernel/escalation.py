"""Escalation ladders: the single home of their semantics (LANGUAGE.md §8).

A ladder is a sequence of steps; every step but the last has a deadline
(``within N days`` or ``within N business days``), the last is ``final``.

Semantics
---------
* A dispute opened on D starts step 1 on D.
* A step starting on S has its deadline N days after S:

  - calendar days: S + N; when that day is not a business day the deadline
    rolls forward to the next business day (UNCITRAL Arbitration Rules,
    art. 2(6));
  - business days: the N-th business day after S (S itself is not counted).

  Non-business days are Saturdays, Sundays and, with ``calendar XX``, that
  country's public holidays (:class:`~pactlang.base.calendars.BusinessCalendar`).
* When a step's deadline passes without resolution the next step starts on
  the deadline date.  The deadline day itself still belongs to the step for
  events (a deadline passes at the end of its day), so on that day an event may
  be recorded either on the expiring step or on the step that has just started.
* ``STEP failed F`` hands over to the next step on F; ``STEP resolved R``
  closes the dispute on R.  The final step has no deadline and cannot fail.
* ``state_on(d)`` is ``"not-open"`` before the opening date, ``"resolved"`` on
  and after the resolution date, else the last step (in ladder order) whose
  start is on or before d.  Several steps may start the same day when steps
  are failed in a cascade; the last of them is the state.

The timeline is a *projection*: after the last recorded event, deadlines are
assumed to pass without further events, up to the final step.  With ``as_of``
the outcomes are reported as of that date (later steps are ``not reached``
but keep their projected dates; a step running on that date is ``active``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeAlias, get_args

from pactlang.base.calendars import BusinessCalendar, CalendarError, weekday_name
from pactlang.base.values import Duration, Period, format_decimal

__all__ = [
    "NOT_OPEN",
    "RESOLVED",
    "AttrValue",
    "Duration",
    "EscalationError",
    "Event",
    "EventKind",
    "Ladder",
    "Step",
    "StepOutcome",
    "StepTimeline",
    "Timeline",
    "deadline_after",
    "timeline",
]

NOT_OPEN = "not-open"
RESOLVED = "resolved"

EventKind = Literal["failed", "resolved"]
StepOutcome = Literal["deadline passed", "failed", "resolved", "active", "not reached"]
DeadlineUnit = Literal["day", "business_day"]

_DEADLINE_UNITS: tuple[str, ...] = get_args(DeadlineUnit)
_EVENT_KINDS: tuple[str, ...] = get_args(EventKind)


class EscalationError(ValueError):
    """A ladder that breaks §8's rules, or events that cannot have happened."""


# ------------------------------------------------------------------ model


AttrValue: TypeAlias = str | int | Decimal | bool | datetime.date | Period | Duration


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of a ladder, as plain values."""

    name: str
    label: str | None = None
    within: Duration | None = None  # None exactly for the final step
    final: bool = False
    attributes: tuple[tuple[str, AttrValue], ...] = ()
    translations: tuple[tuple[str, str], ...] = ()  # (lang, label)

    @property
    def attrs(self) -> dict[str, AttrValue]:
        return dict(self.attributes)

    def label_in(self, lang: str | None) -> str | None:
        return _label_in(self.label, self.translations, lang)


@dataclass(frozen=True, slots=True)
class Ladder:
    """A validated escalation ladder (raises :class:`EscalationError` when invalid)."""

    name: str
    steps: tuple[Step, ...]
    label: str | None = None
    translations: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        where = f"escalation {self.name}"
        if not self.steps:
            raise EscalationError(f"{where}: a ladder needs at least one step")
        seen: set[str] = set()
        last = len(self.steps) - 1
        for i, step in enumerate(self.steps):
            if step.name in seen:
                raise EscalationError(f"{where}: step {step.name} is declared twice")
            seen.add(step.name)
            if step.final:
                if i != last:
                    raise EscalationError(
                        f"{where}: step {step.name} is final but is not the last step"
                    )
                if step.within is not None:
                    raise EscalationError(f"{where}: final step {step.name} cannot have a deadline")
                continue
            if i == last:
                raise EscalationError(f"{where}: the last step {step.name} must be declared final")
            if step.within is None:
                raise EscalationError(
                    f"{where}: step {step.name} needs a deadline (within N days|business days)"
                )
            if step.within.unit not in _DEADLINE_UNITS:
                raise EscalationError(
                    f"{where}: step {step.name} is within {step.within}; "
                    "a step deadline is counted in days or business days"
                )
            if step.within.amount < 1:
                raise EscalationError(
                    f"{where}: step {step.name} is within {step.within}; "
                    "a deadline must be at least 1 day"
                )

    def index(self, step: str) -> int | None:
        for i, s in enumerate(self.steps):
            if s.name == step:
                return i
        return None

    def step(self, name: str) -> Step:
        i = self.index(name)
        if i is None:
            raise EscalationError(f"escalation {self.name} has no step {name}{self._known()}")
        return self.steps[i]

    def label_in(self, lang: str | None) -> str | None:
        return _label_in(self.label, self.translations, lang)

    def _known(self) -> str:
        return " (steps: " + ", ".join(s.name for s in self.steps) + ")"


@dataclass(frozen=True, slots=True)
class Event:
    """``STEP failed|resolved DATE``."""

    step: str
    kind: EventKind
    date: datetime.date

    def __post_init__(self) -> None:
        if self.kind not in _EVENT_KINDS:
            raise EscalationError(
                f"event on {self.step}: kind must be failed or resolved, not {self.kind!r}"
            )

    def __str__(self) -> str:
        return f"{self.step} {self.kind} {self.date.isoformat()}"

    def to_json(self) -> dict[str, str]:
        return {"step": self.step, "kind": self.kind, "date": self.date.isoformat()}


@dataclass(frozen=True, slots=True)
class StepTimeline:
    """How one step went (or is projected to go).

    ``start``/``deadline`` are None only for a step never reached because the
    dispute was resolved first; ``deadline`` is also None for the final step.
    ``ended_on`` is the date the step ended (its deadline, or the failed /
    resolved event date) and None while active or not reached.
    """

    step: Step
    index: int
    start: datetime.date | None
    deadline: datetime.date | None
    outcome: StepOutcome
    ended_on: datetime.date | None
    explanation: str

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def label(self) -> str | None:
        return self.step.label

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.step.name,
            "label": self.step.label,
            "within": str(self.step.within) if self.step.within is not None else None,
            "final": self.step.final,
            "start": _iso(self.start),
            "deadline": _iso(self.deadline),
            "outcome": self.outcome,
            "ended_on": _iso(self.ended_on),
            "attributes": {k: _json_value(v) for k, v in self.step.attributes},
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    ladder: Ladder
    opened: datetime.date
    calendar: BusinessCalendar
    events: tuple[Event, ...]
    steps: tuple[StepTimeline, ...]
    resolved_on: datetime.date | None
    as_of: datetime.date | None = None

    def step(self, name: str) -> StepTimeline:
        for row in self.steps:
            if row.name == name:
                return row
        raise EscalationError(
            f"escalation {self.ladder.name} has no step {name}{self.ladder._known()}"
        )

    def deadline_of(self, name: str) -> datetime.date | None:
        """The (projected) deadline of a step; None for the final step or a step never reached."""
        return self.step(name).deadline

    def state_on(self, d: datetime.date) -> str:
        """``"not-open"`` before opening, ``"resolved"`` from the resolution date, else a step name."""
        if d < self.opened:
            return NOT_OPEN
        if self.resolved_on is not None and d >= self.resolved_on:
            return RESOLVED
        state = self.ladder.steps[0].name
        for row in self.steps:
            if row.start is not None and row.start <= d:
                state = row.name
        return state

    @property
    def state(self) -> str | None:
        """The state on ``as_of`` (None when the timeline has no as-of date)."""
        return self.state_on(self.as_of) if self.as_of is not None else None

    def explain(self) -> str:
        head = f"escalation {self.ladder.name} opened {self.opened.isoformat()}"
        head += f"; calendar: {self.calendar.describe()}"
        if self.events:
            head += "; events: " + ", ".join(str(e) for e in self.events)
        return "\n".join([head, *(row.explanation for row in self.steps)])

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, decimals as strings)."""
        return {
            "ladder": self.ladder.name,
            "label": self.ladder.label,
            "opened": self.opened.isoformat(),
            "as_of": _iso(self.as_of),
            "calendar": self.calendar.country,
            "events": [e.to_json() for e in self.events],
            "steps": [row.to_json() for row in self.steps],
            "resolved_on": _iso(self.resolved_on),
            "state": self.state,
        }


# ---------------------------------------------------------------- engine


def timeline(
    ladder: Ladder,
    opened: datetime.date,
    calendar: BusinessCalendar,
    events: Sequence[Event] = (),
    *,
    as_of: datetime.date | None = None,
) -> Timeline:
    """The dispute's timeline: every step's start, deadline and outcome.

    Raises :class:`EscalationError` for events that cannot have happened:
    an unknown step, an event before the opening date, events out of date
    order, an event after ``as_of``, an event on a step not yet reached, on a
    step that had already ended, after the dispute was resolved, or a failed
    final step.
    """
    events = tuple(events)
    _check_events(ladder, opened, events, as_of)

    raws: list[_Raw] = []
    resolved_on: datetime.date | None = None
    i = 0
    start = opened
    k = 0
    while True:
        step = ladder.steps[i]
        deadline = _deadline(ladder, step, start, calendar)
        ending: Event | None = None
        if k < len(events):
            e = events[k]
            j = ladder.index(e.step)
            assert j is not None  # checked above
            if j < i:
                raise EscalationError(f"event {e}: {_ended_text(raws[j], ladder)}")
            if j == i:
                if deadline is not None and e.date > deadline:
                    nxt = ladder.steps[i + 1].name
                    raise EscalationError(
                        f"event {e}: {step.name} had already ended: its deadline "
                        f"{deadline.isoformat()} passed and {nxt} started that day"
                    )
                ending = e
            elif deadline is None or e.date < deadline:
                # a later step that had not started on the event date
                raise EscalationError(
                    f"event {e}: step {e.step} was not reached by {e.date.isoformat()}; "
                    f"the dispute was then at {step.name} (started {start.isoformat()}"
                    + (f", deadline {deadline.isoformat()})" if deadline else ")")
                )
        if ending is None:
            if deadline is None:  # the final step, no more events
                raws.append(_Raw(step, i, start, deadline, "active", None))
                break
            raws.append(_Raw(step, i, start, deadline, "deadline passed", deadline))
            i, start = i + 1, deadline
            continue
        k += 1
        if ending.kind == "failed":
            if step.final:
                raise EscalationError(
                    f"event {ending}: {step.name} is the final step; it has no next step to "
                    "fail over to (it can only be resolved)"
                )
            raws.append(_Raw(step, i, start, deadline, "failed", ending.date))
            i, start = i + 1, ending.date
            continue
        raws.append(_Raw(step, i, start, deadline, "resolved", ending.date))
        resolved_on = ending.date
        break

    if k < len(events):
        assert resolved_on is not None
        raise EscalationError(
            f"event {events[k]}: the dispute was already resolved on "
            f"{resolved_on.isoformat()} (at step {raws[-1].step.name})"
        )
    for idx in range(len(raws), len(ladder.steps)):
        raws.append(_Raw(ladder.steps[idx], idx, None, None, "not reached", None))

    if as_of is not None:
        raws = [_as_of(r, as_of) for r in raws]

    rows = tuple(
        StepTimeline(
            step=r.step,
            index=r.index,
            start=r.start,
            deadline=r.deadline,
            outcome=r.outcome,
            ended_on=r.ended_on,
            explanation=_explain(r, raws, ladder, calendar, resolved_on, as_of),
        )
        for r in raws
    )
    return Timeline(
        ladder=ladder,
        opened=opened,
        calendar=calendar,
        events=events,
        steps=rows,
        resolved_on=resolved_on,
        as_of=as_of,
    )


# --------------------------------------------------------------- helpers


@dataclass(frozen=True, slots=True)
class _Raw:
    step: Step
    index: int
    start: datetime.date | None
    deadline: datetime.date | None
    outcome: StepOutcome
    ended_on: datetime.date | None


def _check_events(
    ladder: Ladder,
    opened: datetime.date,
    events: tuple[Event, ...],
    as_of: datetime.date | None,
) -> None:
    previous: Event | None = None
    for e in events:
        if ladder.index(e.step) is None:
            raise EscalationError(
                f"event {e}: escalation {ladder.name} has no step {e.step}{ladder._known()}"
            )
        if e.date < opened:
            raise EscalationError(
                f"event {e}: before the dispute was opened on {opened.isoformat()}"
            )
        if previous is not None and e.date < previous.date:
            raise EscalationError(
                f"events out of order: {e} is listed after {previous}; list events in date order"
            )
        if as_of is not None and e.date > as_of:
            raise EscalationError(f"event {e}: after the as-of date {as_of.isoformat()}")
        previous = e


def deadline_after(
    start: datetime.date, within: Duration, calendar: BusinessCalendar
) -> datetime.date:
    """The deadline ``within`` after ``start``: the N-th business day after it, or N
    calendar days after it moved to the next business day when it falls on a
    non-business day (UNCITRAL Arbitration Rules, art. 2(6)).  Ladder steps,
    notice periods and obligations all count time limits this way."""
    n = within.amount
    if within.unit == "business_day":
        return calendar.add_business_days(start, n)
    return calendar.next_business_day(start + datetime.timedelta(days=n))


def _deadline(
    ladder: Ladder, step: Step, start: datetime.date, calendar: BusinessCalendar
) -> datetime.date | None:
    if step.within is None:
        return None
    try:
        return deadline_after(start, step.within, calendar)
    except (CalendarError, OverflowError):
        raise EscalationError(
            f"escalation {ladder.name}: the deadline of {step.name} ({step.within} after "
            f"{start.isoformat()}) is past {datetime.date.max.isoformat()}"
        ) from None


def _as_of(r: _Raw, as_of: datetime.date) -> _Raw:
    if r.start is None:
        return r
    if r.start > as_of:
        return _Raw(r.step, r.index, r.start, r.deadline, "not reached", None)
    if r.outcome == "deadline passed" and r.deadline is not None and r.deadline > as_of:
        return _Raw(r.step, r.index, r.start, r.deadline, "active", None)
    return r


def _ended_text(r: _Raw, ladder: Ladder) -> str:
    nxt = ladder.steps[r.index + 1].name if r.index + 1 < len(ladder.steps) else None
    assert r.ended_on is not None
    when = r.ended_on.isoformat()
    if r.outcome == "failed":
        return f"{r.step.name} had already ended: it failed on {when} and {nxt} started that day"
    return f"{r.step.name} had already ended: its deadline {when} passed and {nxt} started that day"


def _day(d: datetime.date) -> str:
    return f"{d.isoformat()} ({weekday_name(d)})"


def _deadline_text(
    step: Step, start: datetime.date, deadline: datetime.date, cal: BusinessCalendar
) -> str:
    assert step.within is not None
    n = step.within.amount
    if step.within.unit == "business_day":
        weekend = 0
        holidays: list[str] = []
        d = start + datetime.timedelta(days=1)
        while d <= deadline:
            if d.weekday() >= 5:
                weekend += 1
            else:
                name = cal.holiday_name(d)
                if name is not None:
                    holidays.append(f"{d.isoformat()} ({name})")
            d += datetime.timedelta(days=1)
        text = f"{step.within} → deadline {_day(deadline)}"
        skipped = [f"{weekend} weekend day{'s' if weekend != 1 else ''}"] if weekend else []
        if holidays:
            plural = "s" if len(holidays) != 1 else ""
            skipped.append(f"{len(holidays)} public holiday{plural}: " + ", ".join(holidays))
        if skipped:
            text += ", skipping " + " and ".join(skipped)
        return text
    raw = start + datetime.timedelta(days=n)
    if raw == deadline:
        return f"{step.within} → deadline {_day(deadline)}"
    reasons: list[str] = []
    d = raw
    while d < deadline:
        reasons.append(f"{d.isoformat()} is {cal.why_not_business(d)}")
        d += datetime.timedelta(days=1)
    return f"{step.within} → " + ", ".join(reasons) + f" → deadline {_day(deadline)}"


def _explain(
    r: _Raw,
    raws: list[_Raw],
    ladder: Ladder,
    cal: BusinessCalendar,
    resolved_on: datetime.date | None,
    as_of: datetime.date | None,
) -> str:
    name = r.step.name
    if r.start is None:
        assert resolved_on is not None
        return f"{name}: not reached (dispute resolved on {resolved_on.isoformat()})"
    if r.index == 0:
        why = "when the dispute was opened"
    else:
        prev = raws[r.index - 1]
        if prev.outcome == "failed":
            why = f"when {prev.step.name} failed"
        else:
            why = f"when the {prev.step.name} deadline passed"
    starts = f"starts {_day(r.start)} {why}"
    if r.outcome == "not reached":
        assert as_of is not None
        starts = f"not reached as of {as_of.isoformat()}; would start {_day(r.start)} {why}"
    parts = [f"{name}: {starts}"]
    if r.deadline is None:
        parts.append("final step, no deadline")
    else:
        parts.append(_deadline_text(r.step, r.start, r.deadline, cal))
    nxt = ladder.steps[r.index + 1].name if r.index + 1 < len(ladder.steps) else None
    if r.outcome == "deadline passed":
        assert r.deadline is not None
        parts.append(f"not resolved by the deadline → {nxt} starts {r.deadline.isoformat()}")
    elif r.outcome == "failed":
        assert r.ended_on is not None
        parts.append(f"failed on {r.ended_on.isoformat()} → {nxt} starts {r.ended_on.isoformat()}")
    elif r.outcome == "resolved":
        assert r.ended_on is not None
        parts.append(f"resolved on {r.ended_on.isoformat()}")
    elif r.outcome == "active":
        parts.append(f"active as of {as_of.isoformat()}" if as_of is not None else "active")
    return "; ".join(parts)


def _label_in(
    primary: str | None, translations: tuple[tuple[str, str], ...], lang: str | None
) -> str | None:
    if lang is not None:
        for code, text in translations:
            if code == lang:
                return text
    return primary


def _json_value(v: AttrValue) -> Any:
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, Decimal):
        return format_decimal(v)
    if isinstance(v, datetime.date):
        return v.isoformat()
    return str(v)  # Period, Duration


def _iso(d: datetime.date | None) -> str | None:
    return d.isoformat() if d is not None else None
