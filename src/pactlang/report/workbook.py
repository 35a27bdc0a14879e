"""The workbook: ``pact eval --format xlsx`` and ``pact report --format xlsx`` (docs/workbook.md).

One writer for both commands, for one evaluation or a portfolio (a key
column first, one row per key and month).  Sheets, in order:

``about``       the contract (title, id, version, currency, term), the data and
                journal files, and every column: name, label, type;
``values``      one row per month: every measure, let and KPI;
``statuses``    one row per month: every threshold's status;
``ledger``      every action fired: payments (with the journal's status,
                waived, paid and outstanding amounts when a journal is given),
                escalations, notices, free actions;
``waterfall``   per month, tier and party: paid in the month and to date, and
                what was retained;
``disputes``    every step of every dispute: start, deadline, outcome;
``calendar``    every dated obligation (``pact calendar``);
``votes``, ``amendments``  with a journal: the ballots recorded, with the
                outcome under the rule next to the recorded one; amendments.

Cells are typed: numbers are numbers (money in the currency's format with its
minor unit, percents as percents, counts as integers), months and days are
dates, yes/no are booleans.  A number is written as its exact decimal text to
16 significant digits (a spreadsheet holds about 15; the JSON output is the
exact record).  Text is always a text cell, and text that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) also carries Excel's *quote prefix*, so editing the cell does
not turn it into one.  Header rows are frozen and filtered.  The document's
properties carry the contract's id and version (title, subject, custom
properties ``contract id`` and ``contract version``) and are dated from the
contract's effective date: the same inputs give the same bytes.

Written with XlsxWriter (``pip install 'pactlang[xlsx]'``), in memory.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pactlang.base.values import Duration, Period, Value
from pactlang.io.journal import AmendmentEntry
from pactlang.kernel.run import Run
from pactlang.report.actuals import Actuals, VoteRecord
from pactlang.report.calendar import DatedObligation
from pactlang.report.results import Window, in_window

__all__ = [
    "FORMULA_STARTS",
    "MAX_ROWS",
    "Part",
    "WorkbookError",
    "WorkbookInfo",
    "WorkbookUnavailable",
    "write_workbook",
]

#: A text starting with one of these is marked as text for spreadsheets (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows of one sheet (Excel's limit, the header included).
MAX_ROWS = 1_048_576


class WorkbookUnavailable(RuntimeError):
    """``--format xlsx`` without XlsxWriter."""


class WorkbookError(ValueError):
    """A workbook that cannot be written (a table larger than a sheet)."""


@dataclass(frozen=True, slots=True)
class WorkbookInfo:
    """The contract and files, as the workbook states them."""

    title: str
    id: str | None
    version: str | None
    currency: str
    digits: int
    effective: datetime.date | None
    until: datetime.date | None
    measures: tuple[str, ...]
    lets: tuple[str, ...]
    kpis: tuple[str, ...]
    thresholds: tuple[str, ...]
    types: Mapping[str, str]  # value type of each measure, let and KPI
    labels: Mapping[str, str]  # label of each construct, in the report language
    data_name: str
    journal_name: str | None = None
    generator: str = "pactlang"
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # committee -> members


@dataclass(frozen=True, slots=True)
class Part:
    """One evaluation, with the journal next to it and its dated obligations."""

    run: Run
    actuals: Actuals | None = None
    obligations: Sequence[DatedObligation] = ()


def write_workbook(
    parts: Iterable[Part],
    info: WorkbookInfo,
    *,
    by: str | None = None,
    window: Window = (None, None),
    obligations: Sequence[DatedObligation] = (),
    votes: Sequence[VoteRecord] | None = None,
    amendments: Sequence[AmendmentEntry] = (),
    uid_base: str = "",
) -> bytes:
    """The workbook's bytes; ``parts`` are consumed one at a time."""
    try:
        import xlsxwriter
    except ImportError:
        raise WorkbookUnavailable(
            "--format xlsx needs XlsxWriter: pip install 'pactlang[xlsx]'"
        ) from None
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    w = _Writer(book, info, by)
    journal = info.journal_name is not None
    w.about()
    values = w.sheet("values", ["period", *info.measures, *info.lets, *info.kpis])
    statuses = w.sheet("statuses", ["period", *info.thresholds])
    ledger_cols = ["period", "threshold", "rule", "kind", "from", "to", "amount", "text", "once", "note"]
    if journal:
        ledger_cols += ["status", "waived", "paid", "outstanding", "recorded on"]
    ledger = w.sheet("ledger", ledger_cols)
    waterfall = w.sheet(
        "waterfall", ["period", "waterfall", "tier", "tier name", "party", "paid", "paid to date"]
    )
    disputes = w.sheet(
        "disputes",
        ["ladder", "opened", "opened by", "month", "step", "number", "start", "deadline", "outcome", "ended on"],
    )
    calendar = w.sheet(
        "calendar", ["date", "kind", "status", "summary", "owner", "parties", "construct", "period", "uid"]
    )
    later: list[DatedObligation] = list(obligations)
    for part in parts:
        run = part.run
        key = [run.key] if by is not None else []
        for i, p in enumerate(run.months):
            if not in_window(p, window):
                continue
            w.row(values, [*key, p, *(_typed(run.series[n][i], info.types.get(n)) for n in (*info.measures, *info.lets, *info.kpis))])
            w.row(statuses, [*key, p, *(run.thresholds[t].status[i] if t in run.thresholds else None for t in info.thresholds)])
        _ledger(w, ledger, run, part.actuals, key, window, journal)
        _waterfall(w, waterfall, run, key, window)
        _disputes(w, disputes, part, key, window)
        later.extend(part.obligations)
    later.sort(key=lambda o: (o.date, o.key or "", o.kind, o.construct, o.ident))
    for o in later:
        key = [o.key] if by is not None else []
        w.row(calendar, [*key, o.date, o.kind, o.status, o.summary, o.owner, " ".join(o.parties),
                         o.construct, o.period, o.uid(uid_base)])
    if votes is not None:
        members = sorted({m for ms in info.members.values() for m in ms}, key=_member_order(info))
        sheet = w.sheet("votes", ["date", "committee", "decision", "round", *members, "outcome under the rule",
                                  "recorded outcome", "matches", "note", "journal line"], keyed=False)
        for v in votes:
            ballot = dict(v.result.votes)
            w.row(sheet, [v.entry.date, v.entry.committee, v.entry.decision, v.entry.round,
                          *(ballot.get(m) for m in members), v.result.outcome, v.recorded, v.matches,
                          v.entry.note, v.entry.line])
        sheet = w.sheet("amendments", ["date", "title", "version", "signed by", "effective", "note"], keyed=False)
        for a in amendments:
            w.row(sheet, [a.date, a.title, a.version, " ".join(a.signed_by), a.effective, a.note])
    w.finish()
    book.close()
    return out.getvalue()


def _member_order(info: WorkbookInfo) -> Any:
    order: dict[str, int] = {}
    for ms in info.members.values():
        for m in ms:
            order.setdefault(m, len(order))
    return lambda m: order[m]


class _Money:
    """A money amount (formatted in the currency)."""

    __slots__ = ("value",)

    def __init__(self, value: Decimal) -> None:
        self.value = value


class _Percent:
    __slots__ = ("value",)

    def __init__(self, value: Decimal) -> None:
        self.value = value


def _typed(v: Value, typ: str | None) -> object:
    if isinstance(v, Decimal) and not isinstance(v, bool):
        if typ == "money":
            return _Money(v)
        if typ == "percent":
            return _Percent(v)
        if typ == "count" and v == v.to_integral_value():
            return int(v)
    if isinstance(v, Duration):
        return str(v)
    return v


def _money(v: Decimal | None) -> object:
    return None if v is None else _Money(v)


def _ledger(w: _Writer, sheet: _Sheet, run: Run, actuals: Actuals | None, key: list[Any],
            window: Window, journal: bool) -> None:
    for e in run.events:
        if not in_window(e.period, window):
            continue
        if e.kind == "pay":
            text = e.label
        elif e.kind == "escalate":
            text = f"{e.ladder}" + (f", opened {e.opened.isoformat()}" if e.opened else "")
        elif e.kind == "notify":
            text = " ".join(e.parties)
        else:
            text = e.text
        row = [*key, e.period, e.threshold, e.rule, e.kind, e.payer, e.payee, _money(e.amount), text,
               e.once, e.note]
        if journal:
            rec = actuals.payment_of(e) if actuals is not None and e.kind == "pay" else None
            if rec is None:
                row += [None] * 5
            else:
                row += [rec.status, _Money(rec.waived), _Money(rec.paid), _Money(rec.outstanding), rec.date]
        w.row(sheet, row)


def _waterfall(w: _Writer, sheet: _Sheet, run: Run, key: list[Any], window: Window) -> None:
    for name, wrun in run.waterfalls.items():
        plan = wrun.plan
        to_date: dict[tuple[int, str], int] = {}
        retained = 0
        for i, d in enumerate(wrun.distributions):
            if d is None:
                continue
            for t, tier in enumerate(plan.tiers):
                for party in tier.parties:
                    units = d.units(t, party)
                    to_date[(t, party)] = to_date.get((t, party), 0) + units
                    if in_window(run.months[i], window):
                        w.row(sheet, [*key, run.months[i], name, t + 1, tier.name or tier.label,
                                      party, _Money(d.paid(t, party)), _Money(_minor(to_date[(t, party)], run))])
            retained += d.retained_units
            if in_window(run.months[i], window):
                w.row(sheet, [*key, run.months[i], name, None, "retained", None, _Money(d.retained),
                              _Money(_minor(retained, run))])


def _minor(units: int, run: Run) -> Decimal:
    return Decimal(units).scaleb(-run.meta.digits)


def _disputes(w: _Writer, sheet: _Sheet, part: Part, key: list[Any], window: Window) -> None:
    if part.actuals is not None:
        records = [(d.ladder, d.opened, ", ".join(d.thresholds) or ", ".join(d.decisions) or "journal", d.period, d.timeline)
                   for d in part.actuals.disputes]
    else:
        records = [(d.ladder, d.opened, d.threshold, d.period, d.timeline) for d in part.run.disputes]
    for ladder, opened, by_whom, period, tl in records:
        if period is not None and not in_window(period, window):
            continue
        for s in tl.steps if tl is not None else ():
            w.row(sheet, [*key, ladder, opened, by_whom, period, s.name, s.index + 1, s.start, s.deadline,
                          s.outcome, s.ended_on])


# ================================================================= writing


@dataclass(slots=True)
class _Sheet:
    ws: Any
    name: str
    columns: list[str]
    next_row: int = 1
    widths: list[int] = field(default_factory=list)


class _Writer:
    def __init__(self, book: Any, info: WorkbookInfo, by: str | None) -> None:
        self.book = book
        self.info = info
        self.by = by
        self.sheets: list[_Sheet] = []
        places = info.digits
        money = "#,##0" + ("." + "0" * places if places else "") + f' "{info.currency}"'
        self.f_head = book.add_format({"bold": True, "bottom": 1, "text_wrap": False})
        self.f_money = book.add_format({"num_format": money})
        self.f_percent = book.add_format({"num_format": "0.00%"})
        self.f_int = book.add_format({"num_format": "0"})
        self.f_date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.f_month = book.add_format({"num_format": "yyyy-mm"})
        self.f_quoted = book.add_format({"quote_prefix": True})
        when = info.effective or datetime.date(2000, 1, 1)
        book.set_properties(
            {
                "title": info.title,
                "subject": " ".join(x for x in (info.id, f"version {info.version}" if info.version else None) if x)
                or info.title,
                "author": info.generator,
                "comments": f"Evaluation of {info.title} over {info.data_name}"
                + (f", with the journal {info.journal_name}" if info.journal_name else ""),
                "keywords": "pactlang",
                "created": datetime.datetime(when.year, when.month, when.day),
            }
        )
        book.set_custom_property("contract id", info.id or "")
        book.set_custom_property("contract version", info.version or "")
        book.set_custom_property("contract title", info.title)
        book.set_custom_property("data", info.data_name)
        if info.journal_name is not None:
            book.set_custom_property("journal", info.journal_name)

    def sheet(self, name: str, columns: list[str], keyed: bool = True) -> _Sheet:
        head = ([self.by] if self.by is not None and keyed else []) + columns
        ws = self.book.add_worksheet(name)
        s = _Sheet(ws, name, head, 1, [max(10, len(c) + 2) for c in head])
        for c, text in enumerate(head):
            self.cell(s, 0, c, text, self.f_head)
        ws.freeze_panes(1, 0)
        self.sheets.append(s)
        return s

    def row(self, s: _Sheet, values: Sequence[object]) -> None:
        if s.next_row >= MAX_ROWS:
            raise WorkbookError(
                f"sheet {s.name}: more than {MAX_ROWS - 1:,} rows, more than a spreadsheet holds; "
                "use --format json or a smaller portfolio"
            )
        for c, v in enumerate(values):
            self.cell(s, s.next_row, c, v)
        s.next_row += 1

    def cell(self, s: _Sheet, r: int, c: int, v: object, fmt: Any = None) -> None:
        ws = s.ws
        if v is None:
            return
        if isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, _Money):
            ws.write_number(r, c, _exact(v.value), self.f_money)
        elif isinstance(v, _Percent):
            ws.write_number(r, c, _exact(v.value), self.f_percent)
        elif isinstance(v, int):
            ws.write_number(r, c, v, self.f_int)
        elif isinstance(v, Decimal):
            ws.write_number(r, c, _exact(v))
        elif isinstance(v, Period):
            ws.write_datetime(r, c, datetime.date(v.year, v.month, 1), self.f_month)
            self._width(s, c, 9)
        elif isinstance(v, datetime.date):
            ws.write_datetime(r, c, v, self.f_date)
            self._width(s, c, 12)
        else:
            text = str(v)
            if text.startswith(FORMULA_STARTS):
                ws.write_string(r, c, text, self.f_quoted)
            else:
                ws.write_string(r, c, text, fmt)
            self._width(s, c, min(len(text) + 2, 60))

    def _width(self, s: _Sheet, c: int, width: int) -> None:
        if c < len(s.widths) and width > s.widths[c]:
            s.widths[c] = width

    def about(self) -> None:
        info = self.info
        s = self.sheet("about", ["item", "value"], keyed=False)
        term = ""
        if info.effective:
            term = info.effective.isoformat() + (f" – {info.until.isoformat()}" if info.until else "")
        for item, value in (
            ("contract", info.title),
            ("id", info.id),
            ("version", info.version),
            ("currency", info.currency),
            ("term", term),
            ("data", info.data_name),
            ("journal", info.journal_name),
            ("portfolio key", self.by),
            ("written by", info.generator),
        ):
            self.row(s, [item, value])
        self.row(s, [])
        self.row(s, ["column", "label", "type"])
        for name in (*info.measures, *info.lets, *info.kpis, *info.thresholds):
            self.row(s, [name, info.labels.get(name, name), info.types.get(name, "status")])

    def finish(self) -> None:
        for s in self.sheets:
            for c, width in enumerate(s.widths):
                s.ws.set_column(c, c, width)
            if s.next_row > 1 and s.name != "about":
                s.ws.autofilter(0, 0, s.next_row - 1, len(s.columns) - 1)


def _exact(v: Decimal) -> Decimal:
    """The decimal as written in the file (``{:.16G}``): trailing zeros of the scale kept off."""
    if v == v.to_integral_value() and abs(v) < Decimal(10) ** 15:
        return v.quantize(Decimal(1))
    return v.normalize()
