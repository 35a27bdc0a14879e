"""``pact report``: a self-contained HTML evaluation report for a steering committee.

One HTML file, with its stylesheet inline and its charts as inline SVG written
by :mod:`pactlang.report.svg`: no script, no font, image or stylesheet to
fetch, printable (A4 landscape).  It shows, for one evaluation (or one per
portfolio key, with a summary table):

* the header: contract title, reference, version, term, period covered,
  currency, data file name;
* the status grid: threshold × month, coloured by status, a lighter shade and
  ``·`` for months between two checks, ``no data`` visible;
* the indicator values and one line chart per numeric KPI and per other
  series a threshold tests — a measure, a let or an expression compared in a
  rule (``sales < floor_amount``, ``sum(revenue, 3 months) < 300_000 EUR``) —
  with the target of a KPI or measure (dashed) and the comparison values of
  the thresholds on that series (``conversion < 8%`` → a line at 8 %; an
  agreed schedule gives a stepped line);
* the payments ledger with totals per direction, the other consequences;
* waterfall positions: cumulative amounts per tier and party, months across
  like the other grids (so any number of tiers fits the page), and stacked bars;
* the disputes opened, with the projected timeline of their steps.

Words come from the annex catalogues (:mod:`pactlang.render.i18n`, keys
``report.*``) and numbers, money, months and dates are formatted there by
Babel; labels are the contract's, in the report language when the contract
translates them.  Jinja autoescapes everything (``StrictUndefined``); the
output depends only on the inputs (no clock, ids derived from names).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import jinja2
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup

from pactlang.base.money import from_minor, minor_digits
from pactlang.base.text import escape_controls
from pactlang.base.types import Type
from pactlang.base.values import CONTEXT, Period
from pactlang.engine.evaluate import Evaluation, EvaluationError
from pactlang.render.i18n import LANGUAGES, Catalog, catalog, exact_decimal
from pactlang.render.words import formula
from pactlang.report import svg
from pactlang.syntax import ast
from pactlang.syntax.walk import walk

if TYPE_CHECKING:
    from pactlang.engine.evaluate import ContractProgram
    from pactlang.io.data import LoadedData
    from pactlang.io.journal import Journal
    from pactlang.kernel.escalation import AttrValue
    from pactlang.report.actuals import Actuals, DisputeRecord
    from pactlang.report.journal_view import JournalPage, TotalRow
    from pactlang.sema.model import CheckedContract

__all__ = ["ReportResult", "build_report", "render_report"]

STATUSES = ("ok", "watch", "breach", "bonus", "no-data")
STATUS_COLOR = {"ok": "#15803d", "watch": "#b45309", "breach": "#b91c1c", "bonus": "#0e7490"}
TARGET_COLOR = "#374151"
PARTY_COLORS = (
    "#1d4ed8",
    "#d97706",
    "#059669",
    "#7c3aed",
    "#db2777",
    "#0891b2",
    "#65a30d",
    "#9ca3af",
)
RETAINED_COLOR = "#6b7280"
_CHARTED = (Type.NUMBER, Type.COUNT, Type.PERCENT, Type.MONEY)
_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


# ================================================================== results


@dataclass(frozen=True, slots=True)
class ReportResult:
    """The report's HTML text, its language, and warnings for the user."""

    html: str
    lang: str
    warnings: tuple[str, ...] = ()


class _Loaded(Protocol):
    """What a report reads of a contract loaded by the API."""

    checked: CheckedContract

    @property
    def program(self) -> ContractProgram: ...

    def read_data(self, path: str | os.PathLike[str], *, by: str | None = None) -> LoadedData: ...


def build_report(
    contract: _Loaded,
    data: str | os.PathLike[str],
    *,
    by: str | None = None,
    lang: str | None = None,
    strict: bool = False,
) -> ReportResult:
    """Read ``data``, evaluate (one evaluation per value of ``by``), render."""
    loaded = contract.read_data(data, by=by)
    if by:
        evaluations = [
            contract.program.run(rows, key=str(k), strict=strict)
            for k, rows in loaded.datasets.items()
        ]
    else:
        evaluations = [contract.program.run(loaded.datasets.get(None, {}), strict=strict)]
    return render_report(
        contract,
        evaluations,
        data_name=Path(data).name,
        by=by,
        lang=lang,
        data_warnings=[str(w) for w in loaded.warnings],
    )


def render_report(
    contract: _Loaded | CheckedContract,
    evaluations: Sequence[Evaluation],
    *,
    data_name: str,
    by: str | None = None,
    lang: str | None = None,
    data_warnings: Sequence[str] = (),
    advance: Callable[[], None] | None = None,
    journal: Journal | None = None,
) -> ReportResult:
    """The report of already computed evaluations (several with ``by``: a portfolio).

    ``advance`` is called once per evaluation laid out (a progress bar); with a
    ``journal``, what happened is shown next to what is computed
    (:mod:`pactlang.report.journal_view`)."""
    checked = getattr(contract, "checked", None)
    cc = cast("CheckedContract", checked if checked is not None else contract)
    warnings: list[str] = []
    if lang is None:
        lang = cc.language
        if lang not in LANGUAGES:
            warnings.append(
                f"no report catalogue for the contract language `{lang}`: the report is in English"
            )
            lang = "en"
    elif lang not in LANGUAGES:
        raise ValueError(f"cannot report in {lang!r}: reports are written in en or fr")
    page = _Builder(cc, catalog(lang), by, advance, journal).page(
        list(evaluations), data_name, list(data_warnings)
    )
    html = _environment().get_template("report.html.j2").render(page=page, t=page.t)
    return ReportResult(_tidy(html), lang, tuple(warnings))


# =============================================================== view model


@dataclass(frozen=True, slots=True)
class MetaField:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    css: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    name: str
    note: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class MonthHead:
    short: str
    full: str


@dataclass(frozen=True, slots=True)
class Block:
    """A grid of rows over the months of one calendar year."""

    year: str
    months: tuple[MonthHead, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    text: str
    color: str
    dash: str = ""  # a line swatch; "" with kind "series"/"box"
    kind: str = "line"  # line | series | box


@dataclass(frozen=True, slots=True)
class Chart:
    anchor: str
    label: str
    name: str  # the KPI, measure or let, or the expression as written
    svg: Markup | None
    legend: tuple[LegendEntry, ...]
    note: str
    kind: str = "kpi"  # kpi | measure | let | expression


@dataclass(frozen=True, slots=True)
class PaymentRow:
    month: str
    threshold: str
    rule: str
    payer: str
    payee: str
    amount: str
    label: str
    once: bool
    status: str = ""  # with a journal: paid, waived, disputed, not recorded
    status_css: str = ""


@dataclass(frozen=True, slots=True)
class DirectionTotal:
    payer: str
    payee: str
    count: str
    amount: str


@dataclass(frozen=True, slots=True)
class ActionRow:
    month: str
    threshold: str
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class WaterfallLine:
    kind: str  # group (a tier's heading) | row | total (a party's total to date)
    text: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class WaterfallBlock:
    year: str
    months: tuple[MonthHead, ...]
    lines: tuple[WaterfallLine, ...]


@dataclass(frozen=True, slots=True)
class ReportWaterfall:
    anchor: str
    label: str
    name: str
    blocks: tuple[WaterfallBlock, ...]
    svg: Markup
    legend: tuple[LegendEntry, ...]
    note: str


@dataclass(frozen=True, slots=True)
class StepRow:
    label: str
    within: str
    start: str
    deadline: str
    details: str
    outcome: str = ""  # with a journal: failed / resolved on, not reached


@dataclass(frozen=True, slots=True)
class DisputeView:
    title: str
    cause: str
    note: str
    steps: tuple[StepRow, ...]
    recorded: str = ""  # with a journal: the events as recorded


@dataclass(frozen=True, slots=True)
class ReportSection:
    """Everything reported for one evaluation."""

    anchor: str
    heading: str | None  # the portfolio key; None for a single evaluation
    empty: bool
    status: tuple[Block, ...]
    values: tuple[Block, ...]
    charts: tuple[Chart, ...]
    payments: tuple[PaymentRow, ...]
    totals: tuple[DirectionTotal, ...]
    actions: tuple[ActionRow, ...]
    waterfalls: tuple[ReportWaterfall, ...]
    disputes: tuple[DisputeView, ...]
    warnings: tuple[str, ...]
    has_thresholds: bool
    has_kpis: bool
    journal_totals: tuple[TotalRow, ...] = ()


@dataclass(frozen=True, slots=True)
class SummaryRow:
    key: str
    anchor: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    key_title: str
    thresholds: tuple[tuple[str, str], ...]  # (label, name)
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True, slots=True)
class TocEntry:
    anchor: str
    text: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    title: str
    subtitle: str
    meta: tuple[MetaField, ...]
    toc: tuple[TocEntry, ...]
    summary: Summary | None
    sections: tuple[ReportSection, ...]
    notes: tuple[str, ...]
    footer: str
    legend: tuple[tuple[str, str], ...]  # (css class, text) of the status grid
    has_ladders: bool
    t: Callable[..., str] = field(repr=False, compare=False)
    journal: JournalPage | None = None


# ================================================================= builder


class _Builder:
    def __init__(
        self,
        cc: CheckedContract,
        cat: Catalog,
        by: str | None,
        advance: Callable[[], None] | None = None,
        journal: Journal | None = None,
    ) -> None:
        self.advance = advance or (lambda: None)
        self.journal = journal
        self.cc = cc
        self.cat = cat
        self.lang = cat.lang
        self.by = by
        self.currency = cc.currency
        self.digits = minor_digits(cc.currency)
        self.data_dependent = _data_dependent(cc)
        self.series = self._series()

    # ------------------------------------------------------------- words

    def t(self, key: str, n: int | None = None, /, **kw: object) -> str:
        return self.cat.t(key, n, **kw)

    def label(self, labels: ast.Labels | None, name: str) -> str:
        text = labels.get(self.lang) if labels is not None else None
        return text or name

    def party(self, name: str) -> str:
        decl = self.cc.parties.get(name)
        return self.label(decl.labels if decl else None, name)

    def event_text(self, threshold: str, rule: int, text: str | None) -> str | None:
        """An action's text or a payment's label, in the report's language."""
        from pactlang.render.layout_extra import translated_event_text

        return translated_event_text(self.cc, threshold, rule, text, self.lang)

    def threshold_label(self, name: str) -> str:
        decl = self.cc.thresholds.get(name)
        return self.label(decl.labels if decl else None, name)

    def status_word(self, status: str | None) -> str:
        if status is None:
            return self.t("report.status.none")
        return self.t(f"status.{status}")

    def month_full(self, p: Period) -> str:
        return self.cat.month(p)

    def month_short(self, p: Period) -> str:
        return format_skeleton("MMM", datetime.date(p.year, p.month, 1), locale=self.cat.locale)

    def value(self, v: object, typ: Type | None) -> str:
        """A value for display: exact when it has at most four decimals (of a
        percentage, for percents), else rounded half-even to two (``7.1333…`` → ``7.13``,
        ``11.111…%`` → ``11.11%``, but ``0.235`` stays ``0.235``)."""
        if v is None:
            return self.t("report.missing")
        if isinstance(v, bool):
            return self.t("bool.true" if v else "bool.false")
        if isinstance(v, Decimal):
            if typ is Type.MONEY:
                return self.money(v)
            if typ is Type.PERCENT:
                return self.cat.percent(_display(v, 6, 4))
            return self.cat.number(_display(v, 4, 2))
        return str(v)

    def money(self, v: Decimal) -> str:
        return self.cat.money(_round(v, self.digits), self.currency)

    def amount(self, v: Decimal, cents: bool = True) -> str:
        """An amount without the currency sign (tables that state the currency once),
        grouped by Babel for the report language; with the currency's decimals, or
        none (``cents=False``, for rows of whole amounts)."""
        digits = self.digits if cents else 0
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(_round(v, digits), format=pattern, locale=self.cat.locale)

    def tick(self, typ: Type | None) -> Callable[[Fraction], str]:
        def fmt(x: Fraction) -> str:
            d = exact_decimal(x)
            assert d is not None  # ticks are multiples of 1, 2, 2.5 or 5 × 10^k
            if typ is Type.PERCENT:
                return self.cat.percent(d)
            return self.cat.number(d)

        return fmt

    # -------------------------------------------------------------- page

    def page(self, evaluations: list[Evaluation], data_name: str, data_warnings: list[str]) -> Page:
        cc, cat = self.cc, self.cat
        months = sorted({p for ev in evaluations for p in ev.months})
        meta: list[MetaField] = []
        if cc.id:
            meta.append(MetaField(self.t("ident.id"), cc.id))
        if cc.version:
            meta.append(MetaField(self.t("ident.version"), cc.version))
        if cc.effective and cc.until:
            meta.append(
                MetaField(
                    self.t("report.meta.term"),
                    self.t(
                        "ident.term.range", start=cat.date(cc.effective), end=cat.date(cc.until)
                    ),
                )
            )
        elif cc.effective:
            meta.append(
                MetaField(
                    self.t("report.meta.term"),
                    self.t("ident.term.from", start=cat.date(cc.effective)),
                )
            )
        if months:
            period = self.t(
                "report.meta.period.value",
                start=self.month_full(months[0]),
                end=self.month_full(months[-1]),
            )
            count = months[-1].index - months[0].index + 1
            meta.append(
                MetaField(
                    self.t("report.meta.period"),
                    f"{period} ({self.t('report.meta.months', count)})",
                )
            )
        meta.append(
            MetaField(
                self.t("ident.currency"), f"{self.currency} ({cat.currency_name(self.currency)})"
            )
        )
        meta.append(MetaField(self.t("report.meta.data"), data_name))
        if self.by:
            meta.append(
                MetaField(
                    self.t("report.meta.portfolio"),
                    self.t("report.meta.portfolio.value", len(evaluations), by=self.by),
                )
            )
        meta.append(MetaField(self.t("report.meta.lang"), cat.language_name(self.lang)))

        sections = []
        for ev in evaluations:
            sections.append(self.section(ev))
            self.advance()
        summary = self.summary(evaluations, sections) if self.by else None
        toc: list[TocEntry] = []
        if summary is not None:
            toc.append(TocEntry("summary", self.t("report.section.summary")))
        for s in sections:
            parts = self.toc_parts(s)
            if s.heading is not None:  # a portfolio: one entry per key, kept short
                toc.append(TocEntry(s.anchor, s.heading))
            else:
                toc.extend(parts)
        journal = None
        if self.journal is not None:
            from pactlang.report.actuals import vote_records
            from pactlang.report.journal_view import journal_page

            committees = evaluations[0].program.ir.committees if evaluations else {}
            journal = journal_page(self, self.journal, vote_records(self.journal, committees))
            toc.append(TocEntry("journal", self.t("report.section.journal")))
        if data_warnings:
            toc.append(TocEntry("notes", self.t("report.section.notes")))
        from pactlang import __version__

        legend = tuple((f"st-{_css(s)}", self.status_word(s)) for s in STATUSES) + (
            ("st-none", self.t("report.legend.none")),
        )
        return Page(
            lang=self.lang,
            title=self.t("report.title", title=cc.title),
            subtitle=" · ".join(
                x
                for x in (
                    cc.id,
                    self.t("doc.subtitle.version", version=cc.version) if cc.version else None,
                )
                if x
            ),
            meta=tuple(meta),
            toc=tuple(toc),
            summary=summary,
            sections=tuple(sections),
            notes=tuple(data_warnings),
            footer=self.t("report.generated", version=__version__),
            legend=legend,
            has_ladders=bool(cc.escalations),
            t=self.t,
            journal=journal,
        )

    def toc_parts(self, s: ReportSection) -> tuple[TocEntry, ...]:
        if s.empty:
            return ()
        out = []
        if s.has_thresholds:
            out.append(TocEntry(f"{s.anchor}-status", self.t("report.section.status")))
        if s.has_kpis:
            out.append(TocEntry(f"{s.anchor}-values", self.t("report.section.values")))
        if s.charts:
            out.append(TocEntry(f"{s.anchor}-charts", self.t("report.section.charts")))
        if s.has_thresholds:
            out.append(TocEntry(f"{s.anchor}-payments", self.t("report.section.payments")))
            out.append(TocEntry(f"{s.anchor}-actions", self.t("report.section.actions")))
        if s.waterfalls:
            out.append(TocEntry(f"{s.anchor}-waterfalls", self.t("report.section.waterfalls")))
        if self.cc.escalations:
            out.append(TocEntry(f"{s.anchor}-disputes", self.t("report.section.disputes")))
        return tuple(out)

    def summary(self, evaluations: list[Evaluation], sections: list[ReportSection]) -> Summary:
        names = list(self.cc.thresholds)
        rows = []
        for ev, s in zip(evaluations, sections, strict=True):
            cells = []
            for name in names:
                run = ev.thresholds.get(name)
                count = sum(1 for st in run.status if st == "breach") if run else 0
                cells.append(
                    Cell(self.cat.number(count), "count breach" if count else "count zero")
                )
            rows.append(SummaryRow(str(ev.key), s.anchor, tuple(cells)))
        return Summary(
            self.t("report.summary.col", by=self.by or ""),
            tuple((self.threshold_label(n), n) for n in names),
            tuple(rows),
        )

    # ----------------------------------------------------------- section

    def section(self, ev: Evaluation) -> ReportSection:
        anchor = anchor_id("key", ev.key) if ev.key is not None else "report"
        heading = self.t("report.key", by=self.by or "", key=ev.key) if ev.key is not None else None
        empty = not ev.months
        if empty:
            return ReportSection(
                anchor,
                heading,
                True,
                (),
                (),
                (),
                (),
                (),
                (),
                (),
                (),
                tuple(ev.warnings),
                bool(self.cc.thresholds),
                bool(self.cc.kpis),
            )
        actuals = None
        if self.journal is not None:
            from pactlang.report.actuals import reconcile
            from pactlang.report.journal_view import journal_totals

            actuals = reconcile(self.journal, ev)
        payments, totals = self.payments(ev, actuals)
        return ReportSection(
            anchor=anchor,
            heading=heading,
            empty=False,
            status=self.status_grid(ev),
            values=self.values_grid(ev),
            charts=tuple(
                c
                for c in (self.chart(ev, key, expr, anchor) for key, expr in self.series.items())
                if c is not None
            ),
            payments=payments,
            totals=totals,
            actions=self.actions(ev),
            waterfalls=tuple(self.waterfall(ev, name, anchor) for name in ev.waterfalls),
            disputes=tuple(self.dispute(d) for d in (actuals.disputes if actuals else ev.disputes)),
            warnings=tuple(ev.warnings) + (actuals.warnings if actuals else ()),
            has_thresholds=bool(self.cc.thresholds),
            has_kpis=bool(self.cc.kpis),
            journal_totals=journal_totals(self, actuals) if actuals else (),
        )

    def years(self, ev: Evaluation) -> list[tuple[int, list[int]]]:
        """Month indices grouped by calendar year."""
        out: list[tuple[int, list[int]]] = []
        for i, p in enumerate(ev.months):
            if not out or out[-1][0] != p.year:
                out.append((p.year, []))
            out[-1][1].append(i)
        return out

    def heads(self, ev: Evaluation, idx: list[int]) -> tuple[MonthHead, ...]:
        return tuple(
            MonthHead(self.month_short(ev.months[i]), self.month_full(ev.months[i])) for i in idx
        )

    def status_grid(self, ev: Evaluation) -> tuple[Block, ...]:
        rows_by_name: dict[str, list[Cell]] = {}
        for name, run in ev.thresholds.items():
            label = self.threshold_label(name)
            cells: list[Cell] = []
            last_check: Period | None = None
            for i, p in enumerate(ev.months):
                status = run.status[i]
                word = self.status_word(status)
                text = self.t("report.cell", threshold=label, month=self.month_full(p), status=word)
                if run.is_check[i]:
                    last_check = p
                    rule = run.decided_by[i]
                    if rule == 0:
                        text = self.t("report.cell.otherwise", text=text)
                    elif rule is not None:
                        text = self.t("report.cell.rule", text=text, n=str(rule))
                    cells.append(Cell(word, f"st-{_css(status)}", text))
                elif status is None:
                    cells.append(Cell("—", "st-none", text))
                else:
                    assert last_check is not None
                    text = self.t(
                        "report.cell.carried", text=text, month=self.month_full(last_check)
                    )
                    cells.append(Cell("·", f"st-{_css(status)} carried", text))
            rows_by_name[name] = cells
        blocks = []
        for year, idx in self.years(ev):
            rows = tuple(
                Row(
                    self.threshold_label(name),
                    name,
                    self.t(f"report.cadence.{ev.thresholds[name].cadence}"),
                    tuple(cells[i] for i in idx),
                )
                for name, cells in rows_by_name.items()
            )
            blocks.append(Block(str(year), self.heads(ev, idx), rows))
        return tuple(blocks)

    def values_grid(self, ev: Evaluation) -> tuple[Block, ...]:
        blocks = []
        for year, idx in self.years(ev):
            rows = []
            for name, decl in self.cc.kpis.items():
                typ = self.cc.value_types.get(name)
                series = ev.env.series.get(name, [None] * len(ev.months))
                whole = all(
                    not isinstance(v, Decimal) or v == v.to_integral_value() for v in series
                )
                cells = tuple(self.value_cell(series[i], typ, not whole) for i in idx)
                note = self.currency if typ is Type.MONEY else ""
                rows.append(Row(self.label(decl.labels, name), name, note, cells))
            blocks.append(Block(str(year), self.heads(ev, idx), tuple(rows)))
        return tuple(blocks)

    def value_cell(self, v: object, typ: Type | None, cents: bool = True) -> Cell:
        if v is None:
            return Cell(self.t("report.missing"), "num missing")
        if typ is Type.MONEY and isinstance(v, Decimal):
            return Cell(self.amount(v, cents), "num")
        return Cell(self.value(v, typ), "num")

    # ------------------------------------------------------------ charts

    def axis(self, months: list[Period]) -> svg.MonthAxis:
        n = len(months)
        every = max(1, -(-n // 12))  # at most about twelve month labels
        labels, years = [], []
        for i, p in enumerate(months):
            labels.append(self.month_short(p) if i % every == 0 else "")
            years.append(str(p.year) if i == 0 or p.month == 1 else "")
        return svg.MonthAxis(tuple(labels), tuple(years), tuple(self.month_full(p) for p in months))

    def reference(self, ev: Evaluation, expr: ast.Expr) -> tuple[Fraction | None, ...] | None:
        """A comparison value per month: a constant (any time-independent
        expression) or an expression over agreed values (lets, schedules); None
        for anything that depends on the data."""
        n = len(ev.months)
        try:
            v = ev.expression(expr, None)
        except EvaluationError:
            pass
        else:
            return (Fraction(v),) * n if isinstance(v, Decimal) else None
        for node in walk(expr):
            if isinstance(node, ast.Name):
                if node.head.name not in self.cc.lets or len(node.parts) != 1:
                    return None
            elif isinstance(node, (ast.Call, ast.ToDate, ast.YearToDate)):
                return None
        out: list[Fraction | None] = []
        for p in ev.months:
            v = ev.expression(expr, p)
            out.append(Fraction(v) if isinstance(v, Decimal) else None)
        return tuple(out) if any(x is not None for x in out) else None

    def _series(self) -> dict[str, ast.Expr | None]:
        """What the report charts, by key: every numeric KPI (``None``: its own
        series), then every other series a threshold rule compares — a measure,
        a let or any expression whose value depends on the data — in the order
        the thresholds test them."""
        out: dict[str, ast.Expr | None] = {}
        for name in self.cc.kpis:
            if self.cc.value_types.get(name) in _CHARTED:
                out[name] = None
        for decl in self.cc.thresholds.values():
            for rule in decl.rules:
                for cmp in _compares(rule.cond):
                    for side in (cmp.left, cmp.right):
                        if not self.is_series(side):
                            continue
                        key = _key(side)
                        if key in out or self._type(key, side) not in _CHARTED:
                            continue
                        out[key] = side
        return out

    def is_series(self, e: ast.Expr) -> bool:
        """Whether ``e`` changes with the data (so it is charted, not drawn as a line)."""
        for node in walk(e):
            if isinstance(node, ast.Name) and node.head.name in self.data_dependent:
                return True
            if isinstance(node, ast.Call) and node.func.name in _RESULT_FUNCS:
                return True
        return False

    def _type(self, key: str, expr: ast.Expr | None) -> Type | None:
        if key in self.cc.value_types:
            return self.cc.value_types[key]
        return self.cc.type_of(expr) if expr is not None else None

    def comparisons(self, key: str) -> list[tuple[str, int, ast.Rule, str, ast.Expr]]:
        """``(threshold, rule number, rule, op, other side)`` for each comparison of
        the series ``key`` in a rule condition (through ``and``/``or``/``not``),
        the series on the left."""
        found: list[tuple[str, int, ast.Rule, str, ast.Expr]] = []
        for tname, decl in self.cc.thresholds.items():
            for r, rule in enumerate(decl.rules, start=1):
                for node in _compares(rule.cond):
                    if _key(node.left) == key:
                        found.append((tname, r, rule, node.op, node.right))
                    elif _key(node.right) == key:
                        found.append((tname, r, rule, _FLIP[node.op], node.left))
        return found

    def series_values(self, ev: Evaluation, key: str, expr: ast.Expr | None) -> list[object]:
        if key in ev.env.series:
            return list(ev.env.series[key])
        if expr is None:
            return [None] * len(ev.months)
        out: list[object] = []
        for p in ev.months:
            try:
                out.append(ev.expression(expr, p))
            except EvaluationError:
                out.append(None)
        return out

    def chart(
        self, ev: Evaluation, key: str, expr: ast.Expr | None, section_anchor: str
    ) -> Chart | None:
        cc = self.cc
        typ = self._type(key, expr)
        if typ not in _CHARTED:
            return None
        decl: ast.KpiDecl | ast.MeasureDecl | ast.LetDecl | None
        if key in cc.kpis:
            kind, decl = "kpi", cc.kpis[key]
        elif key in cc.measures:
            kind, decl = "measure", cc.measures[key]
        elif key in cc.lets:
            kind, decl = "let", cc.lets[key]
        else:
            kind, decl = "expression", None
        label = self.label(decl.labels, key) if decl is not None else key
        series = self.series_values(ev, key, expr)
        values = tuple(Fraction(v) if isinstance(v, Decimal) else None for v in series)
        refs: list[svg.RefLine] = []
        legend: list[LegendEntry] = [
            LegendEntry(self.t("report.chart.series"), svg.SERIES, "", "series")
        ]
        attrs = decl.attrs if isinstance(decl, ast.KpiDecl | ast.MeasureDecl) else ()
        target = next((a.value for a in attrs if a.key.name == "target"), None)
        if target is not None and not isinstance(target, ast.FreqValue):
            tv = self.reference(ev, target)
            if tv is not None:
                shown = self.ref_text(tv, typ)
                text = self.t("report.chart.target", value=self.ref_name(tv, target, typ))
                refs.append(svg.RefLine(tv, TARGET_COLOR, "8 4", shown, text))
                legend.append(LegendEntry(text, TARGET_COLOR, "8 4"))
        seen: set[tuple[object, ...]] = set()
        for tname, r, rule, op, other in self.comparisons(key):
            rv = self.reference(ev, other)
            if rv is None:
                continue
            status = rule.status.value
            ref_key = (rv, op, status)
            if ref_key in seen:
                continue
            seen.add(ref_key)
            shown = self.ref_text(rv, typ)
            cond = f"{_OPS[op]} {self.ref_name(rv, other, typ)}"
            if rule.persistence is not None and rule.persistence.count > 1:
                cond = self.t(
                    f"persistence.{rule.persistence.unit}", rule.persistence.count, cond=cond
                )
            title = self.t(
                "report.chart.rule",
                threshold=self.threshold_label(tname),
                n=str(r),
                cond=cond,
                status=self.status_word(status),
            )
            color = STATUS_COLOR.get(status, TARGET_COLOR)
            refs.append(svg.RefLine(rv, color, "3 3", f"{_OPS[op]} {shown}", title))
            legend.append(LegendEntry(title, color, "3 3"))
        known = sum(1 for v in values if v is not None)
        if any(v is None for v in values):
            legend.append(LegendEntry(self.t("report.chart.gap"), svg.GAP, "", "box"))
        note = self.t("report.chart.unit", currency=self.currency) if typ is Type.MONEY else ""
        anchor = anchor_id(section_anchor, "kpi" if kind == "kpi" else "series", key)
        if not known:
            return Chart(
                anchor, label, key, None, tuple(legend), self.t("report.chart.none"), kind
            )
        title = self.t("report.chart.title", kpi=label)
        desc = self.t(
            "report.chart.desc",
            kpi=label,
            start=self.month_full(ev.months[0]),
            end=self.month_full(ev.months[-1]),
            known=self.cat.number(known),
            total=self.cat.number(len(values)),
        )
        drawing = svg.line_chart(
            svg.LineChart(
                chart_id=f"{anchor}-svg",
                title=title,
                desc=desc,
                axis=self.axis(ev.months),
                values=values,
                value_text=tuple(self.value(v, typ) for v in series),
                refs=tuple(refs),
                tick_text=self.tick(typ),
                integral=typ is Type.COUNT,
                missing_text=self.t("report.missing"),
            )
        )
        return Chart(anchor, label, key, drawing, tuple(legend), note, kind)

    def ref_name(
        self, values: tuple[Fraction | None, ...], expr: ast.Expr, typ: Type | None
    ) -> str:
        """What a reference line stands for: its value when constant, else the
        agreed value's label (a schedule) or the expression as written."""
        if len(set(values)) == 1:
            return self.ref_text(values, typ)
        if isinstance(expr, ast.Name) and expr.head.name in self.cc.lets:
            return self.label(self.cc.lets[expr.head.name].labels, expr.head.name)
        return formula(expr)

    def ref_text(self, values: tuple[Fraction | None, ...], typ: Type | None) -> str:
        """The last known value of a reference line, for its label."""
        last = next(v for v in reversed(values) if v is not None)
        d = exact_decimal(last)
        if d is None:  # a constant such as 1/3: rounded for display
            d = CONTEXT.divide(Decimal(last.numerator), Decimal(last.denominator))
        if typ is Type.MONEY:
            return self.cat.number(_round(d, 2))
        return self.value(d, typ)

    # -------------------------------------------------------- payments

    def payments(
        self, ev: Evaluation, actuals: Actuals | None = None
    ) -> tuple[tuple[PaymentRow, ...], tuple[DirectionTotal, ...]]:
        from pactlang.report.journal_view import payment_status

        rows = []
        totals: dict[tuple[str, str], tuple[int, Decimal]] = {}
        for e in ev.payments:
            status, css = payment_status(self, actuals.payment_of(e)) if actuals else ("", "")
            payer, payee = e.payer or "", e.payee or ""
            rows.append(
                PaymentRow(
                    month=self.month_full(e.period),
                    threshold=self.threshold_label(e.threshold),
                    rule=str(e.rule) if e.rule else self.t("report.rule.otherwise"),
                    payer=self.party(payer),
                    payee=self.party(payee),
                    amount=self.money(e.amount)
                    if e.amount is not None
                    else self.t("report.payments.missing"),
                    label=self.event_text(e.threshold, e.rule, e.label) or "",
                    once=e.once,
                    status=status,
                    status_css=css,
                )
            )
            if e.amount is not None:
                count, total = totals.get((payer, payee), (0, Decimal(0)))
                totals[(payer, payee)] = (count + 1, CONTEXT.add(total, e.amount))
        return tuple(rows), tuple(
            DirectionTotal(self.party(a), self.party(b), self.cat.number(count), self.money(total))
            for (a, b), (count, total) in totals.items()
        )

    def actions(self, ev: Evaluation) -> tuple[ActionRow, ...]:
        out = []
        for e in ev.events:
            if e.kind == "pay":
                continue
            if e.kind == "escalate":
                decl = self.cc.escalations.get(e.ladder or "")
                ladder = self.label(decl.labels if decl else None, e.ladder or "")
                day = self.cat.date(e.opened) if e.opened else ""
                text = self.t(
                    "report.action.escalate", ladder=self.t("quote", text=ladder), date=day
                )
            elif e.kind == "notify":
                text = self.t("action.notify", parties=", ".join(self.party(p) for p in e.parties))
            elif e.kind in ("terminate", "suspend", "oblige"):
                day = self.cat.date(e.due) if e.due else ""
                words = self.event_text(e.threshold, e.rule, e.text) or ""
                text = self.t(
                    f"report.action.{e.kind}", party=self.party(e.party or ""), text=words, date=day
                )
            else:
                text = self.t("action.free", text=self.event_text(e.threshold, e.rule, e.text) or "")
            out.append(
                ActionRow(
                    self.month_full(e.period),
                    self.threshold_label(e.threshold),
                    str(e.rule) if e.rule else self.t("report.rule.otherwise"),
                    text,
                )
            )
        return tuple(out)

    # ------------------------------------------------------- waterfalls

    def waterfall(self, ev: Evaluation, name: str, section_anchor: str) -> ReportWaterfall:
        """Cumulative positions, months across (like the other grids): the amount
        distributed each month, then per tier the amount paid to each party to
        date, then each party's total to date and what was retained."""
        decl = self.cc.waterfalls[name]
        run = ev.waterfalls[name]
        plan = run.plan
        cur = self.currency
        label = self.label(decl.labels, name)
        parties = list(plan.parties)
        tiers = [(ti, t.parties) for ti, t in enumerate(plan.tiers)]
        n = len(ev.months)
        # cumulative minor units, month by month
        amounts: list[Decimal | None] = []
        by_tier: dict[tuple[int, str], list[Decimal]] = {
            (ti, p): [] for ti, tp in tiers for p in tp
        }
        per_party: dict[str, list[Decimal]] = {p: [] for p in parties}
        retained_series: list[Decimal] = []
        cum_tier = dict.fromkeys(by_tier, 0)
        cum_party = dict.fromkeys(parties, 0)
        cum_retained = 0
        for i in range(n):
            d = run.distributions[i]
            if d is not None:
                for ti, tp in tiers:
                    for party in tp:
                        u = d.units(ti, party)
                        cum_tier[(ti, party)] += u
                        cum_party[party] += u
                cum_retained += d.retained_units
            amounts.append(d.amount if d is not None else None)
            for key, units in cum_tier.items():
                by_tier[key].append(from_minor(units, cur))
            for party in parties:
                per_party[party].append(from_minor(cum_party[party], cur))
            retained_series.append(from_minor(cum_retained, cur))
        shown = [a for a in amounts if a is not None] + retained_series
        shown += [v for col in by_tier.values() for v in col]
        cents = any(v != v.to_integral_value() for v in shown)  # whole amounts: no ".00"

        def row(
            text: str, values: Sequence[Decimal | None], css: str = "num"
        ) -> tuple[str, list[Cell]]:
            return text, [
                Cell(self.amount(v, cents), css)
                if v is not None
                else Cell(self.t("report.waterfall.missing"), "num missing")
                for v in values
            ]

        lines: list[tuple[str, str, list[Cell]]] = []  # (kind, text, cells): kind group|row|total
        lines.append(("row", *row(self.t("report.col.distributed"), amounts)))
        for ti, tparties in tiers:
            title = self.t("tier.title", n=self.cat.number(ti + 1))
            tl = decl.tiers[ti].labels.get(self.lang)
            if tl:
                title += self.t("tier.title.sep") + tl
            lines.append(("group", title, []))
            for party in tparties:
                lines.append(("row", *row(self.party(party), by_tier[(ti, party)])))
        lines.append(("group", self.t("report.col.party_total"), []))
        for party in parties:
            lines.append(("total", *row(self.party(party), per_party[party], "num strong")))
        lines.append(("row", *row(self.t("report.col.retained"), retained_series)))
        blocks = []
        for year, idx in self.years(ev):
            blocks.append(
                WaterfallBlock(
                    str(year),
                    self.heads(ev, idx),
                    tuple(
                        WaterfallLine(kind, text, tuple(cells[k] for k in idx) if cells else ())
                        for kind, text, cells in lines
                    ),
                )
            )
        stacks = [
            (self.party(party), PARTY_COLORS[k % len(PARTY_COLORS)], per_party[party])
            for k, party in enumerate(parties)
        ]
        if any(retained_series):
            stacks.append((self.t("report.waterfall.retained"), RETAINED_COLOR, retained_series))
        segments = [
            svg.Segment(
                text,
                color,
                tuple(Fraction(v) for v in amounts),
                tuple(self.cat.money(v, cur) for v in amounts),
            )
            for text, color, amounts in stacks
        ]
        anchor = anchor_id(section_anchor, "waterfall", name)
        drawing = svg.stacked_bars(
            svg.Bars(
                chart_id=f"{anchor}-svg",
                title=self.t("report.waterfall.chart.title", waterfall=label),
                desc=self.t(
                    "report.waterfall.chart.desc",
                    start=self.month_full(ev.months[0]),
                    end=self.month_full(ev.months[-1]),
                ),
                axis=self.axis(ev.months),
                segments=tuple(segments),
                tick_text=self.tick(Type.MONEY),
            )
        )
        legend = tuple(LegendEntry(s.name, s.color, "", "box") for s in segments)
        note = self.t("report.chart.unit", currency=self.currency)
        return ReportWaterfall(anchor, label, name, tuple(blocks), drawing, legend, note)

    # --------------------------------------------------------- disputes

    def dispute(self, d: object) -> DisputeView:
        from pactlang.engine.evaluate import Dispute
        from pactlang.report.actuals import DisputeRecord

        if isinstance(d, DisputeRecord):
            return self.recorded_dispute(d)
        assert isinstance(d, Dispute)
        decl = self.cc.escalations.get(d.ladder)
        ladder = self.label(decl.labels if decl else None, d.ladder)
        title = self.t("report.dispute.title", ladder=ladder, date=self.cat.date(d.opened))
        cause = self.t(
            "report.dispute.cause",
            threshold=self.t("quote", text=self.threshold_label(d.threshold)),
            month=self.month_full(d.period),
        )
        note = d.note or self.t("report.dispute.projected")
        if d.timeline is not None:
            cal = d.timeline.calendar.country
            if cal:
                days = self.t("ident.calendar.country", country=self.cat.country_name(cal), code=cal)
            else:
                days = self.t("ident.calendar.none")
            note += f" {self.t('ident.calendar')}{self.t('ui.field_sep')}{days}."
        steps = []
        for s in d.timeline.steps if d.timeline else ():
            step = s.step
            within = ""
            if step.within is not None:
                unit = step.within.unit
                within = self.t(f"duration.{unit}", step.within.amount)
            steps.append(
                StepRow(
                    label=step.label_in(self.lang) or step.name,
                    within=within or self.t("report.step.final"),
                    start=self.cat.date(s.start) if s.start else "—",
                    deadline=self.cat.date(s.deadline) if s.deadline else "—",
                    details=self.t("report.sep").join(self.attr(k, v) for k, v in step.attributes),
                )
            )
        return DisputeView(title, cause, note, tuple(steps))

    def recorded_dispute(self, d: DisputeRecord) -> DisputeView:
        """A dispute with the journal's events applied (:mod:`pactlang.report.journal_view`)."""
        from pactlang.report.journal_view import dispute_parts

        decl = self.cc.escalations.get(d.ladder)
        ladder = self.label(decl.labels if decl else None, d.ladder)
        if d.thresholds:
            title = self.t("report.dispute.title", ladder=ladder, date=self.cat.date(d.opened))
        else:
            title = self.t("report.journal.opened_by_parties", ladder=ladder, date=self.cat.date(d.opened))
        cause, recorded, parts = dispute_parts(self, d)
        attrs = {s.name: s.step.attributes for s in d.timeline.steps} if d.timeline else {}
        steps = tuple(
            StepRow(
                label=label,
                within=within or self.t("report.step.final"),
                start=start,
                deadline=deadline,
                details=self.t("report.sep").join(
                    self.attr(k, v) for k, v in attrs.get(s.name, ())
                ),
                outcome=outcome,
            )
            for (start, deadline, outcome, label, within), s in zip(
                parts, d.timeline.steps if d.timeline else (), strict=True
            )
        )
        note = d.note or self.t("report.journal.projected" if d.events else "report.dispute.projected")
        return DisputeView(title, cause, note, steps, recorded)

    def attr(self, key: str, value: AttrValue) -> str:
        name = self.t(f"attr.{key}") if self.cat.has(f"attr.{key}") else key
        if key == "arbitrators" and isinstance(value, int) and not isinstance(value, bool):
            shown = self.t("attr.arbitrators.value", value)
        elif key == "language" and isinstance(value, str):
            shown = self.cat.language_name(value)
        elif isinstance(value, datetime.date):
            shown = self.cat.date(value)
        elif isinstance(value, Decimal | int) and not isinstance(value, bool):
            shown = self.cat.number(value)
        else:
            shown = str(value)
        return self.t("attr.line", key=name, value=shown)


# ================================================================ helpers


def _round(v: Decimal, places: int) -> Decimal:
    """Round for display only, half-even, when ``v`` has more than ``places`` decimals."""
    exp = v.as_tuple().exponent
    if isinstance(exp, int) and exp < -places:
        return v.quantize(Decimal(1).scaleb(-places), context=CONTEXT)
    return v


def _display(v: Decimal, keep: int, places: int) -> Decimal:
    """``v`` without trailing zeros when it has at most ``keep`` decimals, else
    rounded half-even to ``places`` decimals (display only)."""
    n = v.normalize(CONTEXT)
    exp = n.as_tuple().exponent
    if not isinstance(exp, int):
        return v
    if exp < -keep:
        return v.quantize(Decimal(1).scaleb(-places), context=CONTEXT)
    return n.quantize(Decimal(1), context=CONTEXT) if exp > 0 else n


def _key(e: ast.Expr) -> str:
    """A series' key: a name (``sales``) or the expression as written."""
    return e.dotted if isinstance(e, ast.Name) else formula(e)


def _compares(cond: ast.Expr) -> list[ast.Compare]:
    """The comparisons of a rule condition, through ``and``, ``or`` and ``not``."""
    out: list[ast.Compare] = []
    stack: list[ast.Expr] = [cond]
    while stack:
        node = stack.pop(0)
        if isinstance(node, ast.Logic):
            stack.extend(node.operands)
        elif isinstance(node, ast.Unary) and node.op == "not":
            stack.append(node.operand)
        elif isinstance(node, ast.Compare):
            out.append(node)
    return out


# calls whose value is a construct's result (they change with the data)
_RESULT_FUNCS = frozenset({"paid", "status", "distributed", "retained"})


def _data_dependent(cc: CheckedContract) -> frozenset[str]:
    """Measures, and the lets, KPIs, thresholds and waterfalls computed from data."""
    out = set(cc.measures)
    for name in cc.order:
        if name in cc.thresholds or name in cc.waterfalls:
            out.add(name)
        elif any(d in out for d in cc.depends.get(name, ())):
            out.add(name)
    return frozenset(out)


def _css(status: str | None) -> str:
    return "none" if status is None else status.replace("-", "")


_SLUG = re.compile(r"[^a-z0-9]+")


def anchor_id(*parts: str | None) -> str:
    """An HTML id derived from names only (deterministic): readable when the
    names are plain identifiers, with a short hash when slugging lost anything."""
    raw = "-".join(p or "" for p in parts)
    slug = _SLUG.sub("-", raw.lower()).strip("-") or "x"
    if slug != raw:
        slug += "-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    if not slug[0].isalpha():
        slug = "k-" + slug
    return slug


def _visible(value: object) -> object:
    """Every ``{{ … }}`` of the report: control, bidirectional and invisible
    characters (a portfolio key, a label) become visible escapes (``\x1b``) before
    autoescaping, so none reaches the page raw."""
    if isinstance(value, str):
        shown = escape_controls(value)
        if shown is value:
            return value
        return Markup(shown) if isinstance(value, Markup) else shown
    return value


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pactlang.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    from ..render.markup import css_string

    env.filters["css_string"] = css_string
    return env


def _tidy(text: str) -> str:
    """Strip trailing spaces, collapse blank lines, end with one newline."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip(" \t")
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
