"""Actual next to computed: a journal reconciled with an evaluation (docs/journal.md).

The journal never changes what the contract computes — ``paid()`` reads the
payments the rules make, statuses are what the data gives.  It is laid *next
to* the evaluation:

* **votes**: each recorded ballot is counted by the committee's rules
  (:func:`pactlang.kernel.committees.cast`); the outcome recorded in the
  minutes, when given, is compared with it;
* **payments**: each computed payment gets what the journal says of it.  The
  entries about one payment add up in file order: ``waived`` waives an amount
  (default: what is still due), ``confirmed`` records an amount paid (default:
  what is still due), ``disputed`` flags it (the amount stays due).  Its status
  is the last entry's, ``unrecorded`` without one.  Per direction: computed,
  waived, due (computed − waived), confirmed paid, outstanding (due − paid);
* **disputes**: the events recorded for a dispute (same ladder and opening
  day) are applied to the ladder by the kernel
  (:func:`pactlang.kernel.escalation.timeline`): a resolution ends the
  computed timeline, a failure starts the next step early.  Recorded votes
  open disputes too: a decision with ``deadlock after N escalate L`` that is
  not passed at N consecutive recorded votes opens a dispute on L on the date
  of the N-th (LANGUAGE.md §7, :func:`pactlang.kernel.committees.record`); it
  belongs to the contract (no portfolio key).  A dispute the journal records
  but nothing opened is listed as opened by the parties.

Entries that match nothing computed are warnings (with their line), not
errors: the journal is the record of what happened, the data may be late.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.values import CONTEXT, Period
from pactlang.io.journal import DisputeEntry, Journal, PaymentEntry, VoteEntry
from pactlang.kernel.committees import Committee, VoteResult, cast, record
from pactlang.kernel.escalation import EscalationError, Event, Ladder, Timeline, timeline
from pactlang.kernel.run import Run
from pactlang.kernel.thresholds import ActionEvent

__all__ = [
    "Actuals",
    "DirectionTotals",
    "DisputeRecord",
    "PaymentRecord",
    "VoteRecord",
    "deadlock_disputes",
    "decision_labels",
    "journal_disputes",
    "reconcile",
    "vote_records",
]

ZERO = Decimal(0)


# ================================================================== votes


@dataclass(frozen=True, slots=True)
class VoteRecord:
    """A recorded ballot and its outcome under the decision's rule."""

    entry: VoteEntry
    where: str
    result: VoteResult

    @property
    def recorded(self) -> str | None:
        return self.entry.outcome

    @property
    def matches(self) -> bool | None:
        """Whether the minutes' outcome is the rule's (None: no outcome recorded)."""
        return None if self.recorded is None else self.recorded == self.result.outcome


def vote_records(journal: Journal, committees: Mapping[str, Committee]) -> tuple[VoteRecord, ...]:
    """Every recorded ballot, counted (in date order, file order on a tie)."""
    out = []
    for v in sorted(journal.votes, key=lambda v: v.date):
        result = cast(committees[v.committee], v.decision, dict(v.ballots), v.round)
        out.append(VoteRecord(v, journal.where(v), result))
    return tuple(out)


def deadlock_disputes(
    journal: Journal | None, committees: Mapping[str, Committee]
) -> tuple[tuple[str, datetime.date, str], ...]:
    """The disputes the recorded votes open (ladder, date, ``committee.decision``):
    each decision's votes counted in date order (file order on a tie) by its
    ``deadlock`` clause."""
    if journal is None:
        return ()
    by_decision: dict[tuple[str, str], list[tuple[datetime.date, dict[str, str], int | None]]] = {}
    for v in journal.votes:
        by_decision.setdefault((v.committee, v.decision), []).append((v.date, dict(v.ballots), v.round))
    out: list[tuple[str, datetime.date, str]] = []
    for (committee, decision), ballots in by_decision.items():
        rec = record(committees[committee], decision, ballots)
        if rec.ladder is not None:
            out.extend((rec.ladder, day, f"{committee}.{decision}") for day in rec.deadlocks)
    return tuple(sorted(out, key=lambda d: (d[1], d[0], d[2])))


# =============================================================== payments


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """A computed payment and what the journal says of it."""

    event: ActionEvent
    entries: tuple[PaymentEntry, ...]
    waived: Decimal
    paid: Decimal
    disputed: Decimal

    @property
    def computed(self) -> Decimal:
        return self.event.amount if self.event.amount is not None else ZERO

    @property
    def status(self) -> str:
        return self.entries[-1].status if self.entries else "unrecorded"

    @property
    def due(self) -> Decimal:
        return CONTEXT.subtract(self.computed, self.waived)

    @property
    def outstanding(self) -> Decimal:
        return CONTEXT.subtract(self.due, self.paid)

    @property
    def date(self) -> datetime.date | None:
        """The date of the last entry that has one."""
        for e in reversed(self.entries):
            if e.date is not None:
                return e.date
        return None


def _payment(event: ActionEvent, entries: Sequence[PaymentEntry]) -> PaymentRecord:
    computed = event.amount if event.amount is not None else ZERO
    waived = paid = disputed = ZERO
    for e in entries:
        remaining = max(CONTEXT.subtract(CONTEXT.subtract(computed, waived), paid), ZERO)
        amount = e.amount if e.amount is not None else remaining
        if e.status == "waived":
            waived = CONTEXT.add(waived, amount)
        elif e.status == "confirmed":
            paid = CONTEXT.add(paid, amount)
        disputed = amount if e.status == "disputed" else ZERO  # the last entry decides
    return PaymentRecord(event, tuple(entries), waived, paid, disputed)


@dataclass(frozen=True, slots=True)
class DirectionTotals:
    """Payments from one party to another, computed and actual."""

    payer: str
    payee: str
    count: int
    computed: Decimal
    waived: Decimal
    paid: Decimal
    disputed: Decimal

    @property
    def due(self) -> Decimal:
        return CONTEXT.subtract(self.computed, self.waived)

    @property
    def outstanding(self) -> Decimal:
        return CONTEXT.subtract(self.due, self.paid)


# =============================================================== disputes


@dataclass(frozen=True, slots=True)
class DisputeRecord:
    """A dispute: the contract's projection and, with recorded events, what happened."""

    ladder: str
    opened: datetime.date
    thresholds: tuple[str, ...]  # the thresholds that opened it (empty: opened by the parties)
    period: Period | None
    projected: Timeline | None  # no events: deadlines pass one after the other
    actual: Timeline | None  # with the journal's events (None without any)
    entries: tuple[DisputeEntry, ...]
    note: str | None = None
    # the decisions whose deadlock opened it (``committee.decision``), from the journal's votes
    decisions: tuple[str, ...] = ()

    @property
    def timeline(self) -> Timeline | None:
        return self.actual if self.actual is not None else self.projected

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e.event for e in self.entries if e.event is not None)

    @property
    def recorded_only(self) -> bool:
        return not self.thresholds and not self.decisions

    @property
    def last_change(self) -> datetime.date | None:
        """The latest recorded event (None: nothing recorded)."""
        days = [e.date for e in self.events]
        return max(days) if days else None


def decision_labels(
    names: Sequence[str], committees: Mapping[str, object], label: Callable[[object, str], str]
) -> str:
    """``committee.decision`` names as "Decision label (Committee label)", in the
    annex language (``label(labels, fallback)``)."""
    out = []
    for name in names:
        cname, _, dname = name.partition(".")
        decl = committees.get(cname)
        dec = next((d for d in getattr(decl, "decisions", ()) if d.name.name == dname), None)
        out.append(
            f"{label(dec.labels if dec else None, dname)} ({label(getattr(decl, 'labels', None), cname)})"
        )
    return ", ".join(out)


def _timelines(
    ladder: Ladder | None, opened: datetime.date, calendar: BusinessCalendar, events: Sequence[Event]
) -> tuple[Timeline | None, Timeline | None, str | None]:
    if ladder is None:  # pragma: no cover - the journal and sema check ladders
        return None, None, "unknown ladder"
    try:
        projected = timeline(ladder, opened, calendar)
        actual = timeline(ladder, opened, calendar, tuple(events)) if events else None
    except EscalationError as exc:  # pragma: no cover - check_journal replays every event
        return None, None, str(exc)
    return projected, actual, None


def journal_disputes(
    journal: Journal | None,
    ladders: Mapping[str, Ladder],
    calendar: BusinessCalendar,
    key: str | None = None,
    computed: Sequence[tuple[str, datetime.date, str, Period]] = (),
    committees: Mapping[str, Committee] | None = None,
) -> tuple[DisputeRecord, ...]:
    """Disputes: the ``computed`` ones (ladder, opened, threshold, month) and,
    with ``committees`` and no portfolio key, those the recorded votes' deadlocks
    open, with the journal's events; then those only the journal records; by
    opening day."""
    recorded = journal.dispute_events(key) if journal is not None else {}
    order: list[tuple[str, datetime.date]] = []
    causes: dict[tuple[str, datetime.date], list[tuple[str, Period]]] = {}
    deadlocks: dict[tuple[str, datetime.date], list[str]] = {}
    for ladder, opened, threshold, period in computed:
        ident = (ladder, opened)
        if ident not in causes:
            order.append(ident)
            causes[ident] = []
        causes[ident].append((threshold, period))
    if committees is not None and key is None:
        for ladder, opened, decision in deadlock_disputes(journal, committees):
            ident = (ladder, opened)
            if ident not in causes and ident not in deadlocks:
                order.append(ident)
            deadlocks.setdefault(ident, []).append(decision)
    for ident in recorded:
        if ident not in causes and ident not in deadlocks:
            order.append(ident)
    out = []
    for ladder, opened in order:
        entries = recorded.get((ladder, opened), [])
        events = [e.event for e in entries if e.event is not None]
        projected, actual, note = _timelines(ladders.get(ladder), opened, calendar, events)
        found = causes.get((ladder, opened), [])
        out.append(
            DisputeRecord(
                ladder,
                opened,
                tuple(dict.fromkeys(t for t, _ in found)),
                found[0][1] if found else None,
                projected,
                actual,
                tuple(entries),
                note,
                tuple(dict.fromkeys(deadlocks.get((ladder, opened), []))),
            )
        )
    out.sort(key=lambda d: (d.opened, d.ladder))
    return tuple(out)


# ================================================================ actuals


@dataclass(frozen=True, slots=True)
class Actuals:
    """One evaluation (one portfolio key) with the journal laid next to it."""

    key: str | None
    payments: tuple[PaymentRecord, ...]
    disputes: tuple[DisputeRecord, ...]
    totals: tuple[DirectionTotals, ...]
    warnings: tuple[str, ...]

    def payment_of(self, event: ActionEvent) -> PaymentRecord | None:
        for p in self.payments:
            if p.event is event:
                return p
        return None


def reconcile(
    journal: Journal | None, run: Run, committees: Mapping[str, Committee] | None = None
) -> Actuals:
    """The journal's payments and disputes laid next to one evaluation (with
    ``committees``, the disputes its votes' deadlocks open too)."""
    payments = [e for e in run.events if e.kind == "pay"]
    by_payment: dict[int, list[PaymentEntry]] = {}
    warnings: list[str] = []
    months = set(run.months)
    for entry in journal.payments if journal is not None else ():
        if entry.key != run.key:
            continue
        assert journal is not None
        period = Period.parse(entry.period)
        found = [
            i
            for i, e in enumerate(payments)
            if e.threshold == entry.threshold
            and e.period == period
            and (entry.payer is None or e.payer == entry.payer)
            and (entry.payee is None or e.payee == entry.payee)
            and (entry.rule is None or e.rule == entry.rule)
        ]
        where = journal.where(entry)
        what = f"payment {entry.threshold} {entry.period}"
        if len(found) == 1:
            by_payment.setdefault(found[0], []).append(entry)
        elif not found:
            why = "the data has no such month" if period not in months else "the contract computed no such payment"
            warnings.append(f"{where}: {what}: {why}; the entry is not counted")
        else:
            warnings.append(
                f"{where}: {what}: {len(found)} payments that month; say which with from, to or rule"
            )
    records = tuple(_payment(e, by_payment.get(i, ())) for i, e in enumerate(payments))
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for r in records:
        if r.event.amount is None:
            continue
        t = totals.setdefault((r.event.payer or "", r.event.payee or ""), [ZERO] * 5)
        for k, v in enumerate((Decimal(1), r.computed, r.waived, r.paid, r.disputed)):
            t[k] = CONTEXT.add(t[k], v)
    computed = [(d.ladder, d.opened, d.threshold, d.period) for d in run.disputes]
    disputes = journal_disputes(journal, run.meta.ladders, run.calendar, run.key, computed, committees)
    return Actuals(
        run.key,
        records,
        disputes,
        tuple(
            DirectionTotals(a, b, int(t[0]), t[1], t[2], t[3], t[4]) for (a, b), t in totals.items()
        ),
        tuple(warnings),
    )


# ================================================================== JSON


def _d(v: Decimal | None) -> str | None:
    from pactlang.present.show import json_value

    out = json_value(v)
    return out if isinstance(out, str) else None


def _day(d: datetime.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def actuals_dict(
    actuals: Actuals, votes: Sequence[VoteRecord], journal: Journal
) -> dict[str, object]:
    """The ``journal`` member of an evaluation's JSON result (``pact eval --journal``)."""
    return {
        "file": journal.path.replace("\\", "/").rsplit("/", 1)[-1],
        "payments": [
            {
                "period": str(p.event.period),
                "threshold": p.event.threshold,
                "rule": p.event.rule,
                "from": p.event.payer,
                "to": p.event.payee,
                "computed": _d(p.event.amount),
                "status": p.status,
                "waived": _d(p.waived),
                "due": _d(p.due),
                "paid": _d(p.paid),
                "disputed": _d(p.disputed),
                "outstanding": _d(p.outstanding),
                "date": _day(p.date),
                "lines": [e.line for e in p.entries],
            }
            for p in actuals.payments
        ],
        "totals": [
            {
                "from": t.payer,
                "to": t.payee,
                "count": t.count,
                "computed": _d(t.computed),
                "waived": _d(t.waived),
                "due": _d(t.due),
                "paid": _d(t.paid),
                "outstanding": _d(t.outstanding),
            }
            for t in actuals.totals
        ],
        "disputes": [
            {
                "ladder": d.ladder,
                "opened": d.opened.isoformat(),
                "thresholds": list(d.thresholds),
                "decisions": list(d.decisions),
                "events": [e.to_json() for e in d.events],
                "resolved_on": _day(d.timeline.resolved_on) if d.timeline else None,
                "steps": [
                    {
                        "step": s.name,
                        "start": _day(s.start),
                        "deadline": _day(s.deadline),
                        "outcome": s.outcome,
                        "ended_on": _day(s.ended_on),
                    }
                    for s in (d.timeline.steps if d.timeline else ())
                ],
            }
            for d in actuals.disputes
        ],
        "votes": [
            {
                "date": v.entry.date.isoformat(),
                "committee": v.entry.committee,
                "decision": v.entry.decision,
                "round": v.entry.round,
                "ballots": dict(v.result.votes),
                "outcome": v.result.outcome,
                "recorded": v.recorded,
                "matches": v.matches,
                "line": v.entry.line,
            }
            for v in votes
        ],
        "amendments": [
            {
                "date": a.date.isoformat(),
                "title": a.title,
                "version": a.version,
                "signed_by": list(a.signed_by),
                "effective": _day(a.effective),
                "line": a.line,
            }
            for a in journal.amendments
        ],
        "warnings": list(actuals.warnings),
    }


def actuals_lines(
    actuals: Actuals, votes: Sequence[VoteRecord], journal: Journal, currency: str
) -> list[str]:
    """The journal next to the evaluation, as lines of text (``pact eval --journal``)."""
    name = journal.path.replace("\\", "/").rsplit("/", 1)[-1]
    lines = [f"Journal {name}: what happened, next to what the contract computes"]
    for p in actuals.payments:
        e = p.event
        what = f"  payment {e.period} {e.threshold} rule {e.rule}: {e.payer} → {e.payee} {_d(e.amount)} {currency}"
        state = p.status
        if p.entries:
            state += f" (waived {_d(p.waived)}, paid {_d(p.paid)}, outstanding {_d(p.outstanding)})"
        lines.append(f"{what}: {state}")
    for t in actuals.totals:
        lines.append(
            f"  total {t.payer} → {t.payee}: computed {_d(t.computed)}, waived {_d(t.waived)}, "
            f"due {_d(t.due)}, paid {_d(t.paid)}, outstanding {_d(t.outstanding)} {currency}"
        )
    for d in actuals.disputes:
        by = ", ".join(d.thresholds) or ", ".join(f"deadlock of {x}" for x in d.decisions) or "the parties (journal)"
        head = f"  dispute {d.ladder} opened {d.opened.isoformat()} by {by}"
        if d.events:
            head += "; recorded: " + ", ".join(str(e) for e in d.events)
        tl = d.timeline
        if tl is not None and tl.resolved_on is not None:
            head += f" → resolved {tl.resolved_on.isoformat()}"
        elif tl is not None:
            nxt = [s for s in tl.steps if s.deadline is not None and s.outcome in ("deadline passed", "active")]
            if nxt:
                head += "; deadlines " + ", ".join(f"{s.name} {_day(s.deadline)}" for s in nxt)
        lines.append(head)
    for v in votes:
        ballot = ", ".join(f"{m} {x}" for m, x in v.result.votes)
        text = (
            f"  vote {v.entry.date.isoformat()} {v.entry.committee}.{v.entry.decision} "
            f"round {v.entry.round}: {ballot} → {v.result.outcome} under the rule"
        )
        if v.recorded is not None:
            text += f"; recorded {v.recorded} ({'matches' if v.matches else 'DIFFERS'})"
        lines.append(text)
    for a in journal.amendments:
        lines.append(
            f"  amendment {a.date.isoformat()}: {a.title}"
            + (f" (version {a.version})" if a.version else "")
            + (f", effective {a.effective.isoformat()}" if a.effective else "")
        )
    lines.extend(f"  warning: {w}" for w in actuals.warnings)
    return lines
