"""The steering report's view of the journal: actual next to computed.

:mod:`pactlang.report.html` calls these with its builder (words, labels,
money) when ``pact report --journal`` is given:

* each payment of the ledger gets its status — paid, waived, disputed, not
  recorded — with the computed amount still shown, and the totals per
  direction add *waived*, *due*, *paid* and *outstanding* columns (a waived
  amount is not due and is not counted as paid);
* each dispute shows its timeline with the recorded events applied (the
  kernel's), an *outcome* per step, and the events as recorded; a dispute
  only the journal records is listed as opened by the parties;
* a page section lists the votes held, each with the outcome the rule gives
  (:func:`pactlang.kernel.committees.cast`) next to the outcome recorded in
  the minutes, and the amendments signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pactlang.io.journal import Journal
from pactlang.report.actuals import Actuals, DisputeRecord, PaymentRecord, VoteRecord

__all__ = [
    "AmendmentRow",
    "JournalPage",
    "TotalRow",
    "VoteRow",
    "journal_page",
    "journal_totals",
    "payment_status",
]

# the builder of pactlang.report.html (t, party, label, money, cat, cc); typed loosely
# here so that this module does not import the module that imports it
Builder = Any


@dataclass(frozen=True, slots=True)
class VoteRow:
    date: str
    committee: str
    decision: str
    round: str
    ballot: str
    outcome: str  # under the rule
    recorded: str
    css: str  # match | mismatch | ""
    verdict: str
    where: str
    note: str


@dataclass(frozen=True, slots=True)
class AmendmentRow:
    date: str
    title: str
    version: str
    signed: str
    effective: str
    note: str


@dataclass(frozen=True, slots=True)
class JournalPage:
    name: str
    intro: str
    votes: tuple[VoteRow, ...]
    amendments: tuple[AmendmentRow, ...]


@dataclass(frozen=True, slots=True)
class TotalRow:
    payer: str
    payee: str
    count: str
    computed: str
    waived: str
    due: str
    paid: str
    outstanding: str


def journal_page(b: Builder, journal: Journal, votes: tuple[VoteRecord, ...]) -> JournalPage:
    cat = b.cat
    rows = []
    for v in votes:
        decl = b.cc.committees.get(v.entry.committee)
        committee = b.label(decl.labels if decl else None, v.entry.committee)
        found = [d for d in decl.decisions if d.name.name == v.entry.decision] if decl else []
        decision_label = b.label(found[0].labels if found else None, v.entry.decision)
        ballot = ", ".join(
            f"{b.party(m)} {b.t(f'report.vote.{vote}')}" for m, vote in v.result.votes
        )
        if v.matches is None:
            css, verdict = "", ""
        elif v.matches:
            css, verdict = "match", b.t("report.journal.match")
        else:
            css, verdict = "mismatch", b.t("report.journal.mismatch")
        rows.append(
            VoteRow(
                date=cat.date(v.entry.date),
                committee=committee,
                decision=decision_label,
                round=cat.number(v.entry.round),
                ballot=ballot,
                outcome=b.t(f"report.outcome.{v.result.outcome}"),
                recorded=b.t(f"report.outcome.{v.recorded}") if v.recorded else "—",
                css=css,
                verdict=verdict,
                where=v.where.rsplit("/", 1)[-1],
                note=v.entry.note or "",
            )
        )
    amendments = tuple(
        AmendmentRow(
            date=cat.date(a.date),
            title=a.title,
            version=a.version or "",
            signed=", ".join(b.party(p) for p in a.signed_by),
            effective=cat.date(a.effective) if a.effective else "",
            note=a.note or "",
        )
        for a in sorted(journal.amendments, key=lambda a: a.date)
    )
    name = journal.path.replace("\\", "/").rsplit("/", 1)[-1]
    return JournalPage(name, b.t("report.journal.intro", journal=name), tuple(rows), amendments)


def payment_status(b: Builder, record: PaymentRecord | None) -> tuple[str, str]:
    """The status word of a payment and its CSS class."""
    if record is None:
        return "", ""
    text = b.t(f"report.payment.{record.status}")
    amounts = []
    if record.status == "waived" and record.waived != record.computed:
        amounts.append(b.money(record.waived))
    if record.status == "confirmed" and record.paid != record.computed:
        amounts.append(b.money(record.paid))
    if record.status == "disputed" and record.disputed != record.computed:
        amounts.append(b.money(record.disputed))
    if amounts:
        text += " " + ", ".join(amounts)
    if record.date is not None:
        text += f" ({b.cat.date(record.date)})"
    return text, f"pay-{record.status}"


def journal_totals(b: Builder, actuals: Actuals) -> tuple[TotalRow, ...]:
    def money(v: Decimal) -> str:
        return b.money(v)

    return tuple(
        TotalRow(
            b.party(t.payer),
            b.party(t.payee),
            b.cat.number(t.count),
            money(t.computed),
            money(t.waived),
            money(t.due),
            money(t.paid),
            money(t.outstanding),
        )
        for t in actuals.totals
    )


def dispute_parts(b: Builder, rec: DisputeRecord) -> tuple[str, str, tuple[tuple[str, str, str, str, str], ...]]:
    """A dispute's cause, its recorded events, and per step (start, deadline, outcome, label, within)."""
    cat = b.cat
    if rec.thresholds:
        month = cat.month(rec.period) if rec.period else ""
        cause = b.t(
            "report.dispute.cause",
            threshold=", ".join(b.t("quote", text=b.threshold_label(t)) for t in rec.thresholds),
            month=month,
        )
    elif rec.decisions:
        from pactlang.report.actuals import decision_labels

        names = decision_labels(rec.decisions, b.cc.committees, b.label)  # type: ignore[arg-type]
        cause = b.t("calendar.dispute.deadlock", decisions=names)
    else:
        cause = b.t("calendar.dispute.recorded")
    decl = b.cc.escalations.get(rec.ladder)
    events = []
    for e in rec.events:
        idx = next((i for i, s in enumerate(decl.steps) if s.name.name == e.step), None) if decl else None
        step = b.label(decl.steps[idx].labels, e.step) if decl is not None and idx is not None else e.step
        events.append(b.t(f"report.journal.event.{e.kind}", step=step, date=cat.date(e.date)))
    recorded = b.t("report.journal.events", events="; ".join(events)) if events else ""
    steps = []
    tl = rec.timeline
    for s in tl.steps if tl is not None else ():
        if s.outcome == "failed" and s.ended_on is not None:
            outcome = b.t("report.step.outcome.failed", date=cat.date(s.ended_on))
        elif s.outcome == "resolved" and s.ended_on is not None:
            outcome = b.t("report.step.outcome.resolved", date=cat.date(s.ended_on))
        elif s.start is None:
            outcome = b.t("report.step.outcome.moot")
        else:
            outcome = ""
        steps.append(
            (
                cat.date(s.start) if s.start else "—",
                cat.date(s.deadline) if s.deadline else "—",
                outcome,
                s.step.label_in(b.lang) or s.name,
                b.t(f"duration.{s.step.within.unit}", s.step.within.amount) if s.step.within else "",
            )
        )
    return cause, recorded, tuple(steps)
