"""The report builder's ledgers: payments with their totals per direction, the
other consequences, waterfall positions (grid and stacked bars), disputes and
their projected steps."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from pactlang.base.money import from_minor
from pactlang.base.types import Type
from pactlang.base.values import CONTEXT
from pactlang.engine.evaluate import Evaluation
from pactlang.report import svg

if TYPE_CHECKING:
    from pactlang.kernel.escalation import AttrValue
    from pactlang.report.actuals import Actuals, DisputeRecord

from pactlang.report.html_charts import ChartBuilder
from pactlang.report.html_view import (
    PARTY_COLORS,
    RETAINED_COLOR,
    ActionRow,
    Cell,
    DirectionTotal,
    DisputeView,
    LegendEntry,
    PaymentRow,
    ReportWaterfall,
    StepRow,
    WaterfallBlock,
    WaterfallLine,
    anchor_id,
)

__all__ = ["PartsBuilder"]


class PartsBuilder(ChartBuilder):
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
                text = self.t(
                    "action.free", text=self.event_text(e.threshold, e.rule, e.text) or ""
                )
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
                days = self.t(
                    "ident.calendar.country", country=self.cat.country_name(cal), code=cal
                )
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
        if d.thresholds or d.decisions:
            title = self.t("report.dispute.title", ladder=ladder, date=self.cat.date(d.opened))
        else:
            title = self.t(
                "report.journal.opened_by_parties", ladder=ladder, date=self.cat.date(d.opened)
            )
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
        note = d.note or self.t(
            "report.journal.projected" if d.events else "report.dispute.projected"
        )
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
