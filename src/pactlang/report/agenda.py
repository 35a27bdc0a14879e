"""The calendar's formats: iCalendar, CSV and JSON (``pact calendar --format``).

* **iCalendar** (RFC 5545, written by the `icalendar` library, an optional
  dependency: ``pip install 'pactlang[calendar]'``): one all-day ``VEVENT`` per
  obligation.  ``UID`` is the obligation's identity (contract id, kind,
  construct, period or step — never the date, so a moved deadline updates
  its event on re-import); ``SEQUENCE`` counts the journal's entries that
  changed it and ``DTSTAMP`` is the day of the last of them, else the
  contract's effective date (no clock: the same inputs give the same bytes).
  Owner and parties are in the description, in ``CATEGORIES`` and in
  ``X-PACT-OWNER`` / ``X-PACT-PARTIES``; there are no ``ATTENDEE`` lines,
  which would make calendar programs send invitations.  An obligation a
  recorded event made moot is ``STATUS:CANCELLED``.
* **CSV**: one row per obligation, a header row, UTF-8, ``\\n`` line ends.
* **JSON**: ``{"contract": …, "from": …, "to": …, "events": […]}``, keys sorted.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pactlang.report.calendar import DatedObligation
from pactlang.report.results import dumps

__all__ = ["CSV_COLUMNS", "AgendaInfo", "CalendarUnavailable", "to_csv", "to_ics", "to_json", "rows"]

CSV_COLUMNS = (
    "date",
    "kind",
    "status",
    "summary",
    "owner",
    "parties",
    "construct",
    "period",
    "key",
    "details",
    "uid",
)


class CalendarUnavailable(RuntimeError):
    """``--format ics`` without the icalendar library."""


@dataclass(frozen=True, slots=True)
class AgendaInfo:
    """The contract, as the calendar names it."""

    title: str
    id: str | None
    version: str | None
    effective: datetime.date | None
    start: datetime.date
    end: datetime.date
    lang: str
    party: Callable[[str], str]  # a party's legal name
    owner_word: str = "Owner"
    parties_word: str = "Parties"

    @property
    def ident(self) -> str:
        """What UIDs are derived from: the contract's id, else its title."""
        return self.id or self.title


def rows(obligations: Sequence[DatedObligation], info: AgendaInfo) -> list[dict[str, Any]]:
    """The obligations as plain records (the JSON events, the CSV rows)."""
    return [
        {
            "date": o.date.isoformat(),
            "kind": o.kind,
            "status": o.status,
            "summary": o.summary,
            "owner": o.owner,
            "parties": list(o.parties),
            "construct": o.construct,
            "period": o.period,
            "key": o.key,
            "details": list(o.details),
            "uid": o.uid(info.ident),
        }
        for o in obligations
    ]


def to_json(obligations: Sequence[DatedObligation], info: AgendaInfo) -> str:
    doc = {
        "contract": {"title": info.title, "id": info.id, "version": info.version},
        "from": info.start.isoformat(),
        "to": info.end.isoformat(),
        "events": rows(obligations, info),
    }
    return dumps(doc) + "\n"


def to_csv(obligations: Sequence[DatedObligation], info: AgendaInfo) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows(obligations, info):
        writer.writerow([_csv_cell(c, r[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


def _csv_cell(column: str, value: Any) -> str:
    """Parties separated by spaces (names have none), details by `` | ``; exact text."""
    if isinstance(value, list):
        return (" " if column == "parties" else " | ").join(value)
    return "" if value is None else str(value)


def to_ics(obligations: Sequence[DatedObligation], info: AgendaInfo) -> bytes:
    try:
        import icalendar
    except ImportError:
        raise CalendarUnavailable(
            "--format ics needs the icalendar library: pip install 'pactlang[calendar]'"
        ) from None
    cal = icalendar.Calendar()
    cal.add("prodid", "-//pactlang//pact calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = info.title + (f" ({info.id})" if info.id else "")
    cal.add("x-wr-calname", name)
    base = info.effective or datetime.date(1970, 1, 1)
    for o in obligations:
        ev = icalendar.Event()
        ev.add("uid", o.uid(info.ident))
        stamp = max(o.stamp, base) if o.stamp is not None else base
        ev.add("dtstamp", datetime.datetime(stamp.year, stamp.month, stamp.day, tzinfo=datetime.UTC))
        ev.add("dtstart", o.date)
        ev.add("dtend", o.date + datetime.timedelta(days=1))
        ev.add("summary", o.summary)
        lines = list(o.details)
        if o.owner:
            lines.append(f"{info.owner_word}: {info.party(o.owner)} ({o.owner})")
        if o.parties:
            lines.append(f"{info.parties_word}: " + ", ".join(f"{info.party(p)} ({p})" for p in o.parties))
        ref = info.title + ", " + ", ".join(x for x in (info.id, info.version) if x)
        lines.append(ref.rstrip(", "))
        ev.add("description", "\n".join(lines))
        ev.add("categories", [o.kind, *o.parties])
        ev.add("sequence", o.revision)
        ev.add("status", o.status.upper())
        ev.add("transp", "TRANSPARENT")
        if o.owner:
            ev.add("x-pact-owner", o.owner)
        if o.parties:
            ev.add("x-pact-parties", ",".join(o.parties))
        ev.add("x-pact-kind", o.kind)
        cal.add_component(ev)
    return bytes(cal.to_ical())
