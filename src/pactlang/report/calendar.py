"""``pact calendar``: every dated obligation of a contract (docs/calendar.md).

An :class:`DatedObligation` is one dated thing someone must do or watch: a
committee meeting, a figure to report, a dispute step's deadline, the end of
the term.  *Sources* produce them; each is a plain function of a
:class:`CalendarInput` (the :class:`ObligationSource` protocol), listed in
:data:`SOURCES`, so a new construct of the language adds its dates with one
function and one line here.

Dates follow one rule where the contract gives a period rather than a day
(docs/calendar.md, "Choices"):

* a **meeting** of a committee that ``meets quarterly`` is due in each
  calendar quarter (monthly: each month; yearly: each year), on the **last
  business day** of the period — a meeting is held within its period;
* a **figure** of a KPI with ``frequency quarterly`` is due at the **close of
  the period**: its last day, moved to the next business day when that day
  is not one (the UNCITRAL convention escalation ladders use);
* **dispute** deadlines are the kernel's (:mod:`pactlang.kernel.escalation`),
  with the journal's events applied (:mod:`pactlang.report.actuals`); steps a
  resolution made moot stay in the calendar as *cancelled*, so a re-imported
  agenda updates them instead of keeping stale deadlines;
* the term's first and last days, and the day an amendment takes effect;
* over ``--data``, what fired actions require by a date: each ``oblige``'s
  due date (its owner is the party that owes it) and, for a ``terminate``,
  the day its notice ends the contract.

Business days are the contract's calendar (``calendar FR``): Saturdays,
Sundays and that country's public holidays.

Each obligation has an identity that does not include its date
(:attr:`DatedObligation.uid`): when a recorded event moves a deadline, the
re-imported event updates the old one.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.values import Period
from pactlang.io.journal import Journal
from pactlang.kernel.committees import Committee
from pactlang.kernel.escalation import StepTimeline
from pactlang.kernel.thresholds import ActionEvent
from pactlang.render.i18n import Catalog
from pactlang.report.actuals import DisputeRecord
from pactlang.syntax import ast

if TYPE_CHECKING:
    from pactlang.sema.model import CheckedContract

__all__ = [
    "CADENCE_MONTHS",
    "KINDS",
    "SOURCES",
    "CalendarInput",
    "DatedObligation",
    "ObligationSource",
    "obligations",
]

#: Kinds of obligations, in the order they are listed on one day.
KINDS = (
    "term-start",
    "meeting",
    "report",
    "dispute-opened",
    "dispute-step",
    "amendment",
    "obligation",
    "termination",
    "term-end",
)

#: Months in one period of each cadence word (periods are aligned on the calendar year).
CADENCE_MONTHS = {
    "monthly": 1,
    "bimonthly": 2,
    "quarterly": 3,
    "semiannual": 6,
    "semiannually": 6,
    "yearly": 12,
    "annually": 12,
}

Status = Literal["confirmed", "cancelled"]


@dataclass(frozen=True, slots=True)
class DatedObligation:
    """One dated obligation.

    ``construct`` names what it comes from (a committee, a KPI, a ladder…) and
    ``ident`` what makes it one of several (``2026-Q1``, ``2026-03-31/managers``);
    with ``kind`` and the portfolio ``key`` they make the stable :attr:`uid`.
    ``revision`` grows with the journal's entries that changed it and
    ``stamp`` is the day of the last of them (iCalendar ``SEQUENCE`` and
    ``DTSTAMP``)."""

    kind: str
    construct: str
    ident: str
    date: datetime.date
    summary: str
    owner: str | None = None
    parties: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    key: str | None = None
    status: Status = "confirmed"
    revision: int = 0
    stamp: datetime.date | None = None
    period: str | None = None

    def uid(self, contract: str) -> str:
        """``<hash>@pactlang``: the same obligation of the same contract, the same UID."""
        parts = (contract, self.kind, self.construct, self.ident, self.key or "")
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
        return f"{digest}@pactlang"


@dataclass(frozen=True, slots=True)
class CalendarInput:
    """What the sources read: the contract, the window, the disputes per key."""

    contract: CheckedContract
    committees: Mapping[str, Committee]
    calendar: BusinessCalendar
    start: datetime.date
    end: datetime.date
    words: Catalog
    #: the disputes of each evaluation (portfolio key, or None), journal applied
    disputes: Sequence[tuple[str | None, Sequence[DisputeRecord]]] = ()
    #: the ``oblige`` and ``terminate`` actions each evaluation fired (with a due date)
    actions: Sequence[tuple[str | None, Sequence[ActionEvent]]] = ()
    journal: Journal | None = None
    labels: Callable[[ast.Labels | None, str], str] = field(default=lambda labels, name: name)

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.contract.parties)

    def party(self, name: str) -> str:
        decl = self.contract.parties.get(name)
        return self.labels(decl.labels if decl else None, name)

    def t(self, key: str, n: int | None = None, /, **kw: object) -> str:
        return self.words.t(key, n, **kw)


class ObligationSource(Protocol):
    """A function giving the obligations of one kind of construct."""

    def __call__(self, given: CalendarInput) -> Iterable[DatedObligation]: ...


# ================================================================= periods


def periods(
    months: int, first: datetime.date, last: datetime.date
) -> Iterable[tuple[str, int, int, int]]:
    """Periods of ``months`` months (aligned on January) that overlap ``first..last``:
    (ident, year, first month, last month)."""
    year, month = first.year, first.month
    start_month = ((month - 1) // months) * months + 1
    while (year, start_month) <= (last.year, last.month):
        end_month = start_month + months - 1
        yield _period_ident(months, year, start_month), year, start_month, end_month
        start_month += months
        if start_month > 12:
            year, start_month = year + 1, 1


def _period_ident(months: int, year: int, start_month: int) -> str:
    n = (start_month - 1) // months + 1
    return {1: f"{year}-{start_month:02d}", 2: f"{year}-B{n}", 3: f"{year}-Q{n}", 6: f"{year}-H{n}"}.get(
        months, f"{year}"
    )


def _period_label(given: CalendarInput, months: int, year: int, start_month: int) -> str:
    n = (start_month - 1) // months + 1
    if months == 1:
        return given.words.month(Period(year, start_month))
    if months == 12:
        return str(year)
    return given.t(f"calendar.period.{months}", n=n, year=year)


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def last_business_day(cal: BusinessCalendar, year: int, month: int) -> datetime.date:
    """The last business day of a month (the month's first day when it has none)."""
    d = _month_end(year, month)
    first = datetime.date(year, month, 1)
    while d > first and not cal.is_business_day(d):
        d -= datetime.timedelta(days=1)
    return d


def _term(given: CalendarInput) -> tuple[datetime.date, datetime.date]:
    cc = given.contract
    first = max(given.start, cc.effective) if cc.effective else given.start
    last = min(given.end, cc.until) if cc.until else given.end
    return first, last


# ================================================================= sources


def term_dates(given: CalendarInput) -> Iterable[DatedObligation]:
    """The first and last days of the term (``effective … until``)."""
    cc = given.contract
    title = cc.title
    if cc.effective is not None:
        yield DatedObligation(
            "term-start",
            "contract",
            "effective",
            cc.effective,
            given.t("calendar.term.start", contract=title),
            parties=given.parties,
        )
    if cc.until is not None:
        yield DatedObligation(
            "term-end",
            "contract",
            "until",
            cc.until,
            given.t("calendar.term.end", contract=title),
            parties=given.parties,
            status="cancelled" if _terminated_before(given, cc.until) else "confirmed",
        )


def _terminated_before(given: CalendarInput, until: datetime.date) -> bool:
    """Whether every evaluation fired a ``terminate`` whose notice ends before ``until``:
    the term then ends on the notice's deadline (LANGUAGE.md §9a), and the ``until``
    date is moot (listed as cancelled, like a dispute step a resolution made moot).
    A portfolio where some key runs to ``until`` keeps it confirmed."""
    if not given.actions:
        return False
    return all(
        any(e.kind == "terminate" and e.due is not None and e.due < until for e in events)
        for _key, events in given.actions
    )


def committee_meetings(given: CalendarInput) -> Iterable[DatedObligation]:
    """One meeting per period of each committee's ``meets`` cadence."""
    first, last = _term(given)
    for name, committee in given.committees.items():
        months = CADENCE_MONTHS.get(committee.meets or "")
        if months is None:
            continue
        decl = given.contract.committees.get(name)
        label = given.labels(decl.labels if decl else None, name)
        cadence = given.t(f"calendar.cadence.{months}")
        chair = getattr(committee, "chair", None)
        for ident, year, start_month, end_month in periods(months, first, last):
            yield DatedObligation(
                "meeting",
                name,
                ident,
                last_business_day(given.calendar, year, end_month),
                given.t(
                    "calendar.meeting",
                    committee=label,
                    cadence=cadence,
                    period=_period_label(given, months, year, start_month),
                ),
                owner=chair if isinstance(chair, str) else None,
                parties=committee.member_names,
                details=(given.t("calendar.basis.meeting", cadence=cadence),),
                period=ident,
            )


def kpi_reports(given: CalendarInput) -> Iterable[DatedObligation]:
    """One figure per period of each KPI's ``frequency``, due at the close of the period."""
    first, last = _term(given)
    for name, decl in given.contract.kpis.items():
        cadence_word, owner = _attrs(decl.attrs)
        months = CADENCE_MONTHS.get(cadence_word or "")
        if months is None:
            continue
        label = given.labels(decl.labels, name)
        cadence = given.t(f"calendar.cadence.{months}")
        for ident, year, start_month, end_month in periods(months, first, last):
            due = given.calendar.next_business_day(_month_end(year, end_month))
            yield DatedObligation(
                "report",
                name,
                ident,
                due,
                given.t(
                    "calendar.report",
                    kpi=label,
                    period=_period_label(given, months, year, start_month),
                ),
                owner=owner,
                parties=given.parties,
                details=(given.t("calendar.basis.report", cadence=cadence),),
                period=ident,
            )


def _attrs(attrs: Sequence[ast.Attr]) -> tuple[str | None, str | None]:
    cadence = owner = None
    for a in attrs:
        if a.key.name == "frequency" and isinstance(a.value, ast.FreqValue):
            cadence = a.value.value
        elif a.key.name == "owner" and isinstance(a.value, ast.Name):
            owner = a.value.parts[0].name
    return cadence, owner


def dispute_deadlines(given: CalendarInput) -> Iterable[DatedObligation]:
    """Each dispute's opening and each step's deadline, with the journal's events."""
    for key, disputes in given.disputes:
        for d in disputes:
            yield from _dispute(given, key, d)


def _dispute(given: CalendarInput, key: str | None, d: DisputeRecord) -> Iterable[DatedObligation]:
    decl = given.contract.escalations.get(d.ladder)
    ladder = given.labels(decl.labels if decl else None, d.ladder)
    opened = given.words.date(d.opened)
    revision = len(d.events)
    stamp = d.last_change
    if d.thresholds:
        causes = [
            given.labels(t.labels if (t := given.contract.thresholds.get(n)) else None, n)
            for n in d.thresholds
        ]
        month = given.words.month(d.period) if d.period else ""
        cause = given.t("calendar.dispute.cause", thresholds=", ".join(causes), month=month)
    elif d.decisions:
        from pactlang.report.actuals import decision_labels

        names = decision_labels(d.decisions, given.contract.committees, given.labels)  # type: ignore[arg-type]
        cause = given.t("calendar.dispute.deadlock", decisions=names)
    else:
        cause = given.t("calendar.dispute.recorded")
    ident = d.opened.isoformat()
    yield DatedObligation(
        "dispute-opened",
        d.ladder,
        ident,
        d.opened,
        given.t("calendar.dispute.opened", ladder=ladder),
        parties=given.parties,
        details=(cause,),
        key=key,
    )
    tl = d.timeline
    if tl is None:
        return
    projected = {s.name: s for s in d.projected.steps} if d.projected else {}
    for s in tl.steps:
        step_decl = decl.steps[s.index] if decl is not None and s.index < len(decl.steps) else None
        step = given.labels(step_decl.labels if step_decl else None, s.name)
        day, word, status = _step_day(s, projected.get(s.name))
        if day is None:
            continue
        basis = _basis(given, s)
        yield DatedObligation(
            "dispute-step",
            d.ladder,
            f"{ident}/{s.name}",
            day,
            given.t(f"calendar.dispute.{word}", ladder=ladder, step=step, opened=opened),
            parties=given.parties,
            details=(cause, *basis),
            key=key,
            status=status,
            revision=revision,
            stamp=stamp,
        )


def _step_day(
    s: StepTimeline, projected: StepTimeline | None
) -> tuple[datetime.date | None, str, Status]:
    """The day a step's obligation falls on, its word and whether it still holds."""
    if s.start is None:  # never reached: the dispute was resolved first
        if projected is None:
            return None, "", "cancelled"
        day = projected.deadline or projected.start
        return day, "cancelled", "cancelled"
    if s.outcome in ("failed", "resolved"):
        return s.ended_on, s.outcome, "confirmed"
    if s.deadline is None:  # the final step, reached
        return s.start, "final", "confirmed"
    return s.deadline, "deadline", "confirmed"


def _basis(given: CalendarInput, s: StepTimeline) -> tuple[str, ...]:
    within = s.step.within
    if within is None or s.start is None:
        return ()
    return (
        given.t(
            "calendar.basis.step",
            within=given.t(f"duration.{within.unit}", within.amount),
            start=given.words.date(s.start),
        ),
    )


def amendments(given: CalendarInput) -> Iterable[DatedObligation]:
    """The day each recorded amendment takes effect."""
    if given.journal is None:
        return
    for a in given.journal.amendments:
        day = a.effective or a.date
        yield DatedObligation(
            "amendment",
            "journal",
            f"{a.date.isoformat()}/{a.title}",
            day,
            given.t("calendar.amendment", title=a.title),
            parties=tuple(a.signed_by) or given.parties,
            details=(a.note,) if a.note else (),
            stamp=a.date,
        )


def action_deadlines(given: CalendarInput) -> Iterable[DatedObligation]:
    """What a fired ``oblige`` requires by its due date, and the day a
    ``terminate``'s notice ends the contract (docs/language.md §8)."""
    for key, events in given.actions:
        for e in events:
            if e.due is None or e.kind not in ("oblige", "terminate") or e.party is None:
                continue
            decl = given.contract.thresholds.get(e.threshold)
            threshold = given.labels(decl.labels if decl else None, e.threshold)
            month = given.words.month(e.period)
            cause = given.t("calendar.action.cause", threshold=threshold, month=month)
            within = e.within
            basis = (
                given.t(
                    "calendar.basis.action",
                    within=given.t(f"duration.{within.unit}", within.amount),
                    start=given.words.date(e.opened),
                )
                if within is not None and e.opened is not None
                else None
            )
            ident = f"{e.period}/{e.rule}"
            parties: tuple[str, ...]
            if e.kind == "oblige":
                text = _action_text(given, e)
                summary = given.t("calendar.obligation", party=given.party(e.party), text=text)
                kind, owner, parties = "obligation", e.party, (e.party,)
            else:
                summary = given.t("calendar.termination", party=given.party(e.party))
                kind, owner, parties = "termination", e.party, given.parties
            yield DatedObligation(
                kind,
                e.threshold,
                ident,
                e.due,
                summary,
                owner=owner,
                parties=parties,
                details=(cause, *((basis,) if basis else ())),
                key=key,
                period=str(e.period),
            )


def _action_text(given: CalendarInput, e: ActionEvent) -> str:
    """An ``oblige`` text in the calendar's language when the contract translates it."""
    decl = given.contract.thresholds.get(e.threshold)
    if decl is None or e.text is None:
        return e.text or ""
    rules: list[ast.Rule | ast.OtherwiseRule] = [*decl.rules]
    if decl.otherwise is not None:
        rules.append(decl.otherwise)
    index = e.rule - 1 if e.rule else len(rules) - 1
    for a in rules[index].actions if 0 <= index < len(rules) else ():
        if isinstance(a, ast.ObligeAction) and a.text.value == e.text:
            return given.labels(ast.Labels(a.text, a.translations, a.span), e.text)
    return e.text


#: Every source, in order.  A new construct with dates adds its function here.
SOURCES: tuple[ObligationSource, ...] = (
    term_dates,
    committee_meetings,
    kpi_reports,
    dispute_deadlines,
    amendments,
    action_deadlines,
)


def obligations(
    given: CalendarInput, sources: Sequence[ObligationSource] = SOURCES
) -> list[DatedObligation]:
    """Every obligation from ``given.start`` to ``given.end`` (inclusive), by day."""
    order = {k: i for i, k in enumerate(KINDS)}
    out = [
        o
        for source in sources
        for o in source(given)
        if given.start <= o.date <= given.end
    ]
    out.sort(key=lambda o: (o.date, order.get(o.kind, len(order)), o.key or "", o.construct, o.ident))
    return out
