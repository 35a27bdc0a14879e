"""The journal: what the parties actually did, next to what the contract computes.

A journal is a TOML file that people write and keep (docs/journal.md): one
``[[vote]]``, ``[[payment]]``, ``[[dispute]]``, ``[[distribution]]`` or
``[[amendment]]`` table per thing that happened, in any order::

    contract = "ASD-2026-01"          # optional: the contract's id, checked

    [[vote]]
    committee = "steering"
    decision = "budget"
    date = 2026-03-31
    round = 3
    ballots = { acme = "yes", orbis = "yes" }
    outcome = "passed"                # optional: the outcome in the minutes

    [[payment]]
    threshold = "conversion_floor"
    period = "2026-03"
    status = "waived"                 # confirmed | waived | disputed
    date = 2026-04-15

    [[dispute]]
    ladder = "disputes"
    opened = 2026-03-31
    step = "managers"
    resolved = 2026-04-08             # or failed = DATE

Why TOML: :mod:`tomllib` is in the standard library (no dependency to read a
journal), dates are dates (``2026-03-31`` needs no quotes), comments are kept
by people's editors, and TOML has no implicit typing surprises (YAML reads
``no`` as false and ``2026-03`` as a number in some readers).  Numbers with a
decimal point are read as exact :class:`~decimal.Decimal` (never a binary
float).

Validation happens in two steps, and every problem is reported with its line
before anything is evaluated (:class:`JournalError`):

1. the **shape** (pydantic models below, extra fields forbidden; they also give
   ``pact schema --journal``);
2. the **contract** (:func:`check_journal`): every name exists, a ballot comes
   from members only and is counted by the committee's rules
   (:func:`pactlang.kernel.committees.cast`), the events of each dispute are
   possible on its ladder (:func:`pactlang.kernel.escalation.timeline`),
   payments name a threshold that pays, between its parties.

tomllib keeps no positions, so lines come from a scan of the text
(:func:`_entry_spans`): each ``[[table]]`` header starts an entry, and a
field's line is the line inside the entry where the field is assigned.
"""

from __future__ import annotations

import datetime
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.values import Period
from pactlang.kernel.committees import BallotError, Committee, cast
from pactlang.kernel.escalation import EscalationError, Event, Ladder, timeline

__all__ = [
    "TABLES",
    "AmendmentEntry",
    "DisputeEntry",
    "DistributionEntry",
    "Journal",
    "JournalContext",
    "JournalError",
    "JournalProblem",
    "PaymentEntry",
    "VoteEntry",
    "check_journal",
    "journal_json_schema",
    "parse_journal",
    "read_journal",
]

#: The kinds of entries, in the order the documentation lists them.
TABLES = ("vote", "payment", "dispute", "distribution", "amendment")
#: Largest journal read (a journal is written by people; this bounds a mistake).
MAX_JOURNAL_BYTES = 16 * 1024 * 1024


# ================================================================ problems


@dataclass(frozen=True, slots=True)
class JournalProblem:
    """One problem of a journal file, at a line (None: the whole file)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class JournalError(ValueError):
    """A journal that cannot be used: every problem, in line order."""

    def __init__(self, problems: Sequence[JournalProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


# ================================================================== shapes


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    note: str | None = Field(None, description="free text kept with the entry")
    _line: int | None = PrivateAttr(default=None)

    @property
    def line(self) -> int | None:
        """The line of the entry's ``[[table]]`` header (None when unknown)."""
        return self._line


Vote = Literal["yes", "no", "abstain", "absent"]
Outcome = Literal["passed", "rejected", "vetoed", "no-quorum"]


class VoteEntry(_Entry):
    """A ballot actually held: one round of one decision of a committee."""

    committee: str = Field(description="the committee's name in the contract")
    decision: str = Field(description="the decision's name in the committee")
    date: datetime.date = Field(description="the day of the vote")
    round: int = Field(1, ge=1, description="the round (consensus rounds count from 1)")
    ballots: dict[str, Vote] = Field(
        description="each member's vote: yes, no, abstain or absent (a member not listed is absent)"
    )
    outcome: Outcome | None = Field(
        None, description="the outcome recorded in the minutes, checked against the rule"
    )


class PaymentEntry(_Entry):
    """What became of a payment the contract computed: confirmed, waived or disputed."""

    threshold: str = Field(description="the threshold whose rule computed the payment")
    period: str = Field(pattern=r"^\d{4}-\d{2}$", description="the month of the payment, YYYY-MM")
    status: Literal["confirmed", "waived", "disputed"]
    date: datetime.date | None = Field(None, description="when it was paid, waived or disputed")
    amount: Decimal | None = Field(
        None,
        ge=0,
        description="the amount paid, waived or disputed (default: the computed amount)",
    )
    payer: str | None = Field(None, alias="from", description="the paying party, when a rule pays twice")
    payee: str | None = Field(None, alias="to", description="the paid party, when a rule pays twice")
    rule: int | None = Field(None, ge=0, description="the rule's number (0: otherwise)")
    key: str | None = Field(None, description="the portfolio key (with --by)")


class DisputeEntry(_Entry):
    """A dispute: opened on a date, and optionally one step failed or resolved."""

    ladder: str = Field(description="the escalation ladder")
    opened: datetime.date = Field(description="the day the dispute was opened (identifies it)")
    step: str | None = Field(None, description="the step that failed or resolved the dispute")
    failed: datetime.date | None = Field(None, description="the step failed on this day")
    resolved: datetime.date | None = Field(None, description="the dispute was resolved on this day")
    key: str | None = Field(None, description="the portfolio key (with --by)")

    @model_validator(mode="after")
    def _one_event(self) -> DisputeEntry:
        given = [k for k in ("failed", "resolved") if getattr(self, k) is not None]
        if self.step is None and given:
            raise ValueError(f"`{given[0]}` needs the `step` it happened at")
        if self.step is not None and len(given) != 1:
            raise ValueError("a step is either `failed = DATE` or `resolved = DATE`, exactly one")
        return self

    @property
    def event(self) -> Event | None:
        if self.step is None:
            return None
        if self.failed is not None:
            return Event(self.step, "failed", self.failed)
        assert self.resolved is not None
        return Event(self.step, "resolved", self.resolved)


class DistributionEntry(_Entry):
    """An amount actually distributed through a waterfall (``pact distribute --journal``)."""

    waterfall: str
    date: datetime.date
    amount: Decimal = Field(ge=0, description="the amount distributed, in the contract currency")


class AmendmentEntry(_Entry):
    """An amendment signed by the parties."""

    date: datetime.date = Field(description="the day it was signed")
    title: str
    version: str | None = Field(None, description="the contract version it makes")
    signed_by: list[str] = Field(default_factory=list, description="the parties who signed")
    effective: datetime.date | None = Field(None, description="the day it takes effect")


class JournalFile(BaseModel):
    """A pact journal: what the parties actually did."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="pact journal")

    contract: str | None = Field(None, description="the contract's id, checked when given")
    vote: list[VoteEntry] = Field(default_factory=list)
    payment: list[PaymentEntry] = Field(default_factory=list)
    dispute: list[DisputeEntry] = Field(default_factory=list)
    distribution: list[DistributionEntry] = Field(default_factory=list)
    amendment: list[AmendmentEntry] = Field(default_factory=list)


def journal_json_schema() -> dict[str, Any]:
    """The JSON Schema of a journal (``pact schema --journal``)."""
    schema = JournalFile.model_json_schema(by_alias=True)
    schema["description"] = (
        "What the parties actually did: votes, payments confirmed, waived or disputed, "
        "dispute events, distributions and amendments. Written as TOML (docs/journal.md): "
        "dates are TOML dates, amounts integers, decimals or strings."
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# ================================================================= journal


@dataclass(frozen=True, slots=True)
class Journal:
    """A journal read and checked: its entries in file order."""

    path: str
    contract: str | None = None
    votes: tuple[VoteEntry, ...] = ()
    payments: tuple[PaymentEntry, ...] = ()
    disputes: tuple[DisputeEntry, ...] = ()
    distributions: tuple[DistributionEntry, ...] = ()
    amendments: tuple[AmendmentEntry, ...] = ()
    text: str = field(default="", repr=False, compare=False)
    #: the last line of the entry that starts at each line
    ends: Mapping[int, int] = field(default_factory=dict, repr=False, compare=False)

    def field_line(self, entry: _Entry, key: str) -> int | None:
        """The line where ``key`` is assigned inside ``entry`` (else the entry's line)."""
        if entry.line is None:
            return None
        return _field_line(self.text, entry.line, self.ends.get(entry.line, entry.line), key)

    def where(self, entry: _Entry) -> str:
        """``journal.toml:12``: where an entry is written."""
        return f"{self.path}:{entry.line}" if entry.line is not None else self.path

    def dispute_events(self, key: str | None = None) -> dict[tuple[str, datetime.date], list[DisputeEntry]]:
        """The dispute entries of one portfolio key, by (ladder, opening date), events in date order."""
        out: dict[tuple[str, datetime.date], list[DisputeEntry]] = {}
        for d in self.disputes:
            if d.key == key:
                out.setdefault((d.ladder, d.opened), []).append(d)
        for entries in out.values():
            entries.sort(key=_event_order)
        return out


def _event_order(d: DisputeEntry) -> tuple[int, datetime.date]:
    ev = d.event
    return (0, d.opened) if ev is None else (1, ev.date)


def read_journal(path: str | os.PathLike[str]) -> Journal:
    """Read and shape-check a journal file (:class:`JournalError` with every problem)."""
    from pactlang.io.files import InputTooLarge, read_bytes_limited

    try:
        # stat first, then never more than the limit (a device such as /dev/zero
        # has no size to stat)
        raw = read_bytes_limited(path, MAX_JOURNAL_BYTES)
    except InputTooLarge:
        raise JournalError([JournalProblem(str(path), None, f"larger than {MAX_JOURNAL_BYTES:,} bytes")]) from None
    except FileNotFoundError:
        raise JournalError([JournalProblem(str(path), None, "no such file")]) from None
    except IsADirectoryError:
        raise JournalError([JournalProblem(str(path), None, "is a directory")]) from None
    except OSError as exc:
        raise JournalError([JournalProblem(str(path), None, f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise JournalError([JournalProblem(str(path), line, "not UTF-8")]) from None
    return parse_journal(text, str(path))


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def parse_journal(text: str, path: str = "<journal>") -> Journal:
    """A journal from its TOML text (shape only; :func:`check_journal` checks names)."""
    try:
        doc = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _AT.search(message)
        line = int(m.group(1)) if m else None
        if m:
            message = f"{message[: m.start()]} (column {m.group(2)})"
        raise JournalError([JournalProblem(path, line, f"not TOML: {message}")]) from None
    spans = _entry_spans(text)
    try:
        parsed = JournalFile.model_validate(doc)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line, what = _locate(err["loc"], spans, text)
            problems.append(JournalProblem(path, line, f"{what}{_message(err)}"))
        raise JournalError(problems) from None
    for table in TABLES:
        entries = getattr(parsed, table)
        found = spans.get(table, [])
        if len(found) == len(entries):  # else lines stay unknown (entries written inline)
            for entry, (start, _) in zip(entries, found, strict=True):
                entry._line = start
    return Journal(
        path=path,
        contract=parsed.contract,
        votes=tuple(parsed.vote),
        payments=tuple(parsed.payment),
        disputes=tuple(parsed.dispute),
        distributions=tuple(parsed.distribution),
        amendments=tuple(parsed.amendment),
        text=text,
        ends={start: end for found in spans.values() for start, end in found},
    )


def _message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "missing"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}, not {err.get('input')!r}"
    if kind == "string_pattern_mismatch":
        return f"must be a month YYYY-MM, not {err.get('input')!r}"
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


def _locate(loc: Sequence[Any], spans: Mapping[str, list[tuple[int, int]]], text: str) -> tuple[int | None, str]:
    """The line and a ``vote 2: ballots.carol: `` prefix for a pydantic error location."""
    if not loc:
        return None, ""
    table = str(loc[0])
    if len(loc) >= 2 and isinstance(loc[1], int) and table in TABLES:
        index = loc[1]
        rest = [str(x) for x in loc[2:]]
        what = f"{table} #{index + 1}" + (f": {'.'.join(rest)}" if rest else "") + ": "
        found = spans.get(table, [])
        if index < len(found):
            start, end = found[index]
            line = _field_line(text, start, end, rest[-1]) if rest else start
            return line, what
        return None, what
    return _top_line(text, table), f"{'.'.join(str(x) for x in loc)}: "


def _field_line(text: str, start: int, end: int, key: str) -> int:
    """The line inside lines ``start..end`` where ``key`` is assigned (else ``start``)."""
    pattern = re.compile(rf"""(^|[\s{{,.])["']?{re.escape(key)}["']?\s*=""")
    lines = text.splitlines()
    for n in range(start, min(end, len(lines)) + 1):
        if pattern.search(lines[n - 1]):
            return n
    return start


def _top_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=|^\s*\[+\s*{re.escape(key)}\s*\]""")
    for n, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return n
    return None


_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)")


def _entry_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each ``[[table]]``, the (first, last) line of each of its entries.

    A ``[table.sub]`` header continues the current entry; any other header
    ends it.  Lines inside multi-line strings are skipped."""
    spans: dict[str, list[tuple[int, int]]] = {}
    current: str | None = None
    start = 0
    in_string: str | None = None
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
        m = _HEADER.match(line)
        t = _TABLE.match(line) if m is None else None
        if m is not None or (t is not None and t.group(1) != current):
            if current is not None:
                spans[current].append((start, n - 1))
            current = m.group(1) if m is not None else None
            start = n
            if current is not None:
                spans.setdefault(current, [])
    if current is not None:
        spans[current].append((start, len(lines)))
    return spans


# ============================================================ the contract


@dataclass(frozen=True, slots=True)
class JournalContext:
    """What a journal is checked against: the contract's names and models."""

    contract_id: str | None
    parties: tuple[str, ...]
    committees: Mapping[str, Committee]
    ladders: Mapping[str, Ladder]
    calendar: BusinessCalendar
    #: threshold -> the (payer, payee) of each of its pay actions
    payments: Mapping[str, tuple[tuple[str, str], ...]]
    waterfalls: tuple[str, ...]
    thresholds: tuple[str, ...] = ()
    effective: datetime.date | None = None
    until: datetime.date | None = None


def check_journal(journal: Journal, ctx: JournalContext) -> Journal:
    """Check every entry against the contract; :class:`JournalError` lists every problem."""
    problems: list[JournalProblem] = []

    def bad(entry: _Entry | None, message: str, key: str | None = None) -> None:
        line = entry.line if entry is not None else None
        if entry is not None and key is not None and line is not None:
            line = journal.field_line(entry, key)
        problems.append(JournalProblem(journal.path, line, message))

    if journal.contract is not None and ctx.contract_id is not None and journal.contract != ctx.contract_id:
        problems.append(
            JournalProblem(
                journal.path,
                None,
                f"the journal is for contract {journal.contract!r}, not {ctx.contract_id!r}",
            )
        )
    parties = set(ctx.parties)
    for v in journal.votes:
        _check_vote(v, ctx, bad)
    for p in journal.payments:
        _check_payment(p, ctx, parties, bad)
    _check_disputes(journal, ctx, bad)
    for d in journal.distributions:
        if d.waterfall not in ctx.waterfalls:
            bad(d, f"distribution: no waterfall `{d.waterfall}`{_known(ctx.waterfalls)}", "waterfall")
    for a in journal.amendments:
        for party in a.signed_by:
            if party not in parties:
                bad(a, f"amendment: `{party}` is not a party{_known(ctx.parties)}", "signed_by")
    if problems:
        raise JournalError(problems)
    return journal


def _known(names: Sequence[str] | Mapping[str, object]) -> str:
    listed = ", ".join(names)
    return f" (known: {listed})" if listed else " (the contract declares none)"


def _check_vote(v: VoteEntry, ctx: JournalContext, bad: Any) -> None:
    committee = ctx.committees.get(v.committee)
    if committee is None:
        bad(v, f"vote: no committee `{v.committee}`{_known(ctx.committees)}", "committee")
        return
    decisions = [d.name for d in committee.decisions]
    if v.decision not in decisions:
        bad(v, f"vote: committee `{v.committee}` has no decision `{v.decision}`{_known(decisions)}", "decision")
        return
    members = committee.member_names
    strangers = [p for p in v.ballots if p not in members]
    for party in strangers:
        bad(
            v,
            f"vote: a ballot from `{party}`, who is not a member of committee "
            f"`{v.committee}` (members: {', '.join(members)})",
            party,
        )
    if strangers:
        return
    try:  # the committee's own checks of a ballot (words, round)
        cast(committee, v.decision, dict(v.ballots), v.round)
    except BallotError as exc:  # pragma: no cover - the shape and members are checked above
        bad(v, f"vote: {exc}")


def _check_payment(p: PaymentEntry, ctx: JournalContext, parties: set[str], bad: Any) -> None:
    directions = ctx.payments.get(p.threshold)
    if directions is None:
        if p.threshold in ctx.thresholds:
            bad(p, f"payment: threshold `{p.threshold}` pays nothing (no `pay` action)", "threshold")
        else:
            bad(p, f"payment: no threshold `{p.threshold}`{_known(ctx.thresholds)}", "threshold")
        return
    try:
        period = Period.parse(p.period)
    except ValueError as exc:
        bad(p, f"payment: period: {exc}", "period")
        return
    for side, party in (("from", p.payer), ("to", p.payee)):
        if party is not None and party not in parties:
            bad(p, f"payment: `{side} = {party}`: not a party{_known(ctx.parties)}", side)
            return
    if not any(
        (p.payer is None or p.payer == a) and (p.payee is None or p.payee == b) for a, b in directions
    ):
        paths = ", ".join(f"{a} → {b}" for a, b in directions)
        bad(p, f"payment: threshold `{p.threshold}` never pays {p.payer or '…'} → {p.payee or '…'} (it pays {paths})")
    start = Period(ctx.effective.year, ctx.effective.month) if ctx.effective else None
    end = Period(ctx.until.year, ctx.until.month) if ctx.until else None
    if (start is not None and period < start) or (end is not None and period > end):
        bad(p, f"payment: {period} is outside the contract's term", "period")


def _check_disputes(journal: Journal, ctx: JournalContext, bad: Any) -> None:
    groups: dict[tuple[str | None, str, datetime.date], list[DisputeEntry]] = {}
    for d in journal.disputes:
        ladder = ctx.ladders.get(d.ladder)
        if ladder is None:
            bad(d, f"dispute: no escalation ladder `{d.ladder}`{_known(ctx.ladders)}", "ladder")
            continue
        if d.step is not None and ladder.index(d.step) is None:
            steps = [s.name for s in ladder.steps]
            bad(d, f"dispute: ladder `{d.ladder}` has no step `{d.step}`{_known(steps)}", "step")
            continue
        groups.setdefault((d.key, d.ladder, d.opened), []).append(d)
    for (_, name, opened), entries in groups.items():
        ladder = ctx.ladders[name]
        ordered = sorted(entries, key=_event_order)
        events: list[Event] = []
        for entry in ordered:
            ev = entry.event
            if ev is None:
                continue
            try:
                timeline(ladder, opened, ctx.calendar, (*events, ev))
            except EscalationError as exc:
                bad(entry, f"dispute {name} opened {opened.isoformat()}: {exc}", ev.kind)
                break
            events.append(ev)
