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

The page is built in layers: :mod:`pactlang.report.html_view` (the view
model), :mod:`pactlang.report.html_charts` (words, grids, charts),
:mod:`pactlang.report.html_parts` (payments, consequences, waterfalls,
disputes) and this module (the page, its sections, the template).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import jinja2

from pactlang.engine.evaluate import Evaluation
from pactlang.render.i18n import LANGUAGES, catalog

if TYPE_CHECKING:
    from pactlang.engine.evaluate import ContractProgram
    from pactlang.io.data import LoadedData
    from pactlang.io.journal import Journal
    from pactlang.sema.model import CheckedContract

from pactlang.present.templating import environment
from pactlang.report.html_parts import PartsBuilder
from pactlang.report.html_view import (
    STATUSES,
    Cell,
    MetaField,
    Page,
    ReportSection,
    Summary,
    SummaryRow,
    TocEntry,
    _css,
    _visible,
    anchor_id,
)

__all__ = ["ReportResult", "anchor_id", "build_report", "render_report"]


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


class _Builder(PartsBuilder):
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
        from pactlang.base.version import __version__

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

            actuals = reconcile(self.journal, ev, ev.program.ir.committees)
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


def _environment() -> jinja2.Environment:
    return environment(jinja2.PackageLoader("pactlang.report", "templates"), finalize=_visible)


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
