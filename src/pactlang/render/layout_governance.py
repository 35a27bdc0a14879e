"""The annex on committees (rules, voting power and its notes), dispute
ladders with the computation of time limits, and waterfalls."""

from __future__ import annotations

import datetime
from decimal import Decimal

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.money import minor_digits
from pactlang.kernel.committees import VotingRule
from pactlang.render import layout_extra as extra
from pactlang.render.doc import (
    Block,
    Fields,
    Item,
    Items,
    Note,
    Numbering,
    Para,
    Rich,
    Section,
    Seg,
    Table,
    code,
    concat,
    plain,
)
from pactlang.render.layout_base import DASH
from pactlang.render.layout_constructs import ConstructLayout
from pactlang.render.model import (
    AnnexWaterfall,
    CommitteeView,
    LadderView,
)

__all__ = ["HOLIDAY_YEARS_PER_TABLE", "GovernanceLayout"]

#: Years of public holidays side by side in one table.
HOLIDAY_YEARS_PER_TABLE = 4


class GovernanceLayout(ConstructLayout):
    # --------------------------------------------------------- committees

    def rule_words(self, c: CommitteeView, rule: VotingRule, short: bool = False) -> Rich:
        if rule.kind in ("majority", "unanimity"):
            return self.tr(f"vote.{'short.' if short else ''}{rule.kind}")
        text = rule.fraction_text
        if text.endswith("%"):
            share = self.c.percent(Decimal(text[:-1].replace("_", "")).scaleb(-2))
        else:
            share = text
        key = "vote.more_than" if rule.strict else "vote.at_least"
        return self.r(key, share=share, base=self.tr(f"vote.base.{rule.base}"))

    def committee(self, c: CommitteeView) -> list[Block]:
        blocks: list[Block] = []
        facts: list[tuple[Rich, Rich]] = []
        q = c.quorum
        if q is None:
            quorum = self.tr("quorum.none")
        elif q.kind == "members":
            quorum = self.tr("quorum.members", q.count)
        else:
            pct = self.c.ratio(q.fraction)
            quorum = self.tr("quorum.weight", share=pct)
        facts.append((self.tr("committee.quorum"), quorum))
        facts.append(
            (
                self.tr("committee.meets"),
                self.tr(f"meets.{c.meets}") if c.meets else self.unstated(),
            )
        )
        if c.consensus_rounds:
            n = c.consensus_rounds
            key = "consensus.rule.two" if n == 2 else "consensus.rule"
            facts.append(
                (
                    self.tr("committee.consensus"),
                    self.tr(key, n, next=self.c.number(n + 1)),
                )
            )
        facts.extend(extra.chair(self, c))
        member_rows = tuple(
            (
                self.party_cell(m.party),
                plain(self.c.fraction(m.weight)),
                plain(self.c.ratio(m.share)),
            )
            for m in c.members
        )
        blocks.append(self.lead(self.tr("committee.members.intro")))
        blocks.append(
            Table(
                (self.tr("col.member"), self.tr("col.weight"), self.tr("col.share")),
                member_rows,
                "members",
            )
        )
        blocks.append(self.lead(self.tr("committee.facts.intro")))
        blocks.append(Fields(tuple(facts), "committee"))
        if self.notes and not c.quorum_reachable:
            blocks.append(Note(self.tr("committee.quorum_unreachable"), "warning"))
        rows: list[tuple[Rich, ...]] = []
        for d in c.decisions:
            dl = self.namer(d.label, f"decision `{c.name}.{d.name}`")
            vetoes = (
                self.c.join([self.party_cell(v) for v in d.vetoes]) if d.vetoes else plain(DASH)
            )
            rows.append(
                (plain(dl), code(d.name), self.c.capitalize(self.rule_words(c, d.rule)), vetoes)
            )
        blocks.append(self.lead(self.tr("committee.decisions.intro")))
        blocks.append(
            Table(
                (
                    self.tr("col.decision"),
                    self.tr("col.identifier"),
                    self.tr("col.rule"),
                    self.tr("col.veto"),
                ),
                tuple(rows),
                "decisions",
            )
        )
        blocks.extend(extra.deadlocks(self, c))
        blocks.append(Para(self.tr("vote.vetoes.explained"), role="small"))
        if self.notes:
            blocks.extend(self.power(c))
        return blocks

    def power(self, c: CommitteeView) -> list[Block]:
        """Voting power and its call-outs: the negotiator's notes."""
        blocks: list[Block] = [self.lead(self.tr("power.intro"))]
        prow: list[tuple[Rich, ...]] = []
        for d in c.decisions:
            dl = self.namer(d.label, f"decision `{c.name}.{d.name}`")
            if d.power is None:
                continue
            for i, m in enumerate(d.power.members):
                if m.declared_veto:
                    veto = self.tr("power.veto.declared")
                elif m.effective_veto:
                    veto = (Seg(self.t("power.veto.implied"), "strong"),)
                else:
                    veto = plain(DASH)
                prow.append(
                    (
                        plain(dl) if i == 0 else (),
                        self.party_cell(m.name),
                        plain(self.c.ratio(m.banzhaf)) if d.power.passable else plain(DASH),
                        plain(self.c.ratio(m.shapley)) if d.power.passable else plain(DASH),
                        veto,
                    )
                )
        blocks.append(
            Table(
                (
                    self.tr("col.decision"),
                    self.tr("col.member"),
                    self.tr("col.banzhaf"),
                    self.tr("col.shapley"),
                    self.tr("col.effective_veto"),
                ),
                tuple(prow),
                "power",
            )
        )
        blocks.extend(self.power_notes(c))
        return blocks

    def power_notes(self, c: CommitteeView) -> list[Block]:
        p = self.p
        notes: list[Block] = []
        total = c.total_weight
        for d in c.decisions:
            dec = self.c.quote(self.namer(d.label, f"decision `{c.name}.{d.name}`"))
            power = d.power
            rule = self.rule_words(c, d.rule, short=True)
            if power is None:
                kinds = len({m.weight for m in c.members})
                notes.append(
                    Note(
                        self.sentence(
                            self.r(
                                "power.not_computed",
                                d=dec,
                                n=self.c.number(len(c.members)),
                                k=self.c.number(kinds),
                            )
                        ),
                        "info",
                    )
                )
                continue
            if not power.passable:
                key = "power.unpassable.quorum" if not c.quorum_reachable else "power.unpassable"
                notes.append(Note(self.sentence(self.r(key, d=dec, rule=rule)), "warning"))
                continue
            for m in power.members:
                if m.dictator or m.passes_alone:
                    key = "power.dictator" if m.dictator else "power.alone"
                    notes.append(
                        Note(
                            self.sentence(self.r(key, p=p.party(m.name), d=dec)),
                            "warning",
                            self.tr("power.alone.title"),
                        )
                    )
            if d.rule.kind != "unanimity":
                for m in power.members:
                    if m.effective_veto and not m.declared_veto and not m.dictator:
                        rest = total - m.weight
                        notes.append(
                            Note(
                                self.sentence(
                                    self.r(
                                        "power.implied_veto",
                                        p=p.party(m.name),
                                        d=dec,
                                        rest=self.c.fraction(rest),
                                        total=self.c.fraction(total),
                                        rule=rule,
                                    )
                                ),
                                "warning",
                                self.tr("power.implied_veto.title"),
                            )
                        )
            for v in power.redundant_vetoes:
                key = (
                    "power.redundant.unanimity" if d.rule.kind == "unanimity" else "power.redundant"
                )
                notes.append(Note(self.sentence(self.r(key, p=p.party(v), d=dec)), "info"))
            for name in power.dummies:
                notes.append(
                    Note(self.sentence(self.r("power.dummy", p=p.party(name), d=dec)), "info")
                )
        return notes

    # ------------------------------------------------------------ disputes

    def ladder(self, lv: LadderView) -> list[Block]:
        items: list[Item] = []
        for s in lv.steps:
            sl = self.namer(s.label, f"step `{lv.name}.{s.name}`")
            if s.final or s.within is None:
                head = self.r("step.final", step=self.c.quote(sl))
            else:
                start = self.tr("step.start.first" if s.index == 1 else "step.start.next")
                head = self.r(
                    "step.within",
                    step=self.c.quote(sl),
                    duration=self.p.duration(s.within.amount, s.within.unit),
                    start=start,
                )
            sub: list[Rich] = []
            if s.within is not None:
                sub.append(
                    self.c.capitalize(self.tr(f"step.rule.{s.within.unit}", s.within.amount))
                )
            for key, value in s.attributes:
                shown = extra.attr_value(self, s, f"{lv.name}.{s.name}", key, value)
                sub.append(self.r("attr.line", key=self.attr_key(key), value=shown))
            items.append(Item(concat(self.c.capitalize(head), self.t("punct.stop")), tuple(sub)))
        return [
            Items(tuple(items), ordered=True, role="ladder"),
            Para(self.tr("ladder.events"), role="small"),
        ]

    def holiday_years(self) -> list[int]:
        """The years of the term (all of them from `effective` to `until`; without
        `until`, the first year only: a table for later years would be a guess of
        how long the contract runs)."""
        h = self.a.header
        if h.effective is None:
            return []
        last = h.until.year if h.until is not None else h.effective.year
        return list(range(h.effective.year, last + 1))

    def time_limits(self, level: int, number: str, numbering: Numbering) -> Section:
        h = self.a.header
        blocks: list[Block] = []
        if h.calendar:
            country = self.c.country_name(h.calendar)
            blocks.append(Para(self.tr("calendar.country", country=country, code=h.calendar)))
            years = self.holiday_years()
            cal = BusinessCalendar(h.calendar, self.lang)
            for i in range(0, len(years), HOLIDAY_YEARS_PER_TABLE):
                chunk = years[i : i + HOLIDAY_YEARS_PER_TABLE]
                table = self.holiday_table(cal, chunk)
                if table is None:
                    continue
                if h.until is None:
                    intro = self.tr("calendar.holidays.open", year=str(chunk[0]))
                elif len(years) == 1:
                    intro = self.tr("calendar.holidays", year=str(chunk[0]))
                elif i == 0:
                    intro = self.tr(
                        "calendar.holidays.range", first=str(chunk[0]), last=str(chunk[-1])
                    )
                else:
                    intro = self.tr(
                        "calendar.holidays.part", first=str(chunk[0]), last=str(chunk[-1])
                    )
                blocks.append(self.lead(intro))
                blocks.append(table)
        else:
            blocks.append(Para(self.tr("calendar.none")))
        blocks.append(Para(self.tr("calendar.rules")))
        return Section(
            level,
            number,
            self.tr("section.time_limits"),
            "time-limits",
            tuple(blocks),
            (),
            numbering,
        )

    def holiday_table(self, cal: BusinessCalendar, years: list[int]) -> Table | None:
        """Holidays as rows, years as columns (the names repeat from year to year;
        a holiday a year does not have shows a dash)."""
        by_name: dict[str, dict[int, list[datetime.date]]] = {}
        for year in years:
            for d, name in sorted(cal.holidays_in(year).items()):
                by_name.setdefault(name, {}).setdefault(year, []).append(d)
        if not by_name:
            return None
        if len(years) == 1:
            year = years[0]
            rows = tuple(
                (plain(self.c.date(d)), plain(name))
                for name, dates in by_name.items()
                for d in dates.get(year, [])
            )
            return Table((self.tr("col.date"), self.tr("col.holiday")), rows, "holidays")
        # in calendar order of their first date (Easter moves, names stay)
        ordered = sorted(
            by_name.items(),
            key=lambda kv: min((d.month, d.day) for ds in kv[1].values() for d in ds),
        )
        rows_y: list[tuple[Rich, ...]] = []
        for name, dates in ordered:
            cells: list[Rich] = [plain(name)]
            for year in years:
                ds = dates.get(year)
                cells.append(self.lines([plain(self.c.day(d)) for d in ds]) if ds else plain(DASH))
            rows_y.append(tuple(cells))
        header = (self.tr("col.holiday"), *(plain(str(y)) for y in years))
        return Table(header, tuple(rows_y), "holidays-years")

    # ---------------------------------------------------------- waterfalls

    def waterfall(self, w: AnnexWaterfall) -> list[Block]:
        p = self.p
        blocks: list[Block] = []
        if w.distributes is not None:
            blocks.append(Para(self.sentence(self.r("waterfall.intro", x=p.words(w.distributes)))))
        items: list[Item] = []
        for tier in w.tiers:
            key = f"{w.name}.{tier.name}" if tier.name else f"{w.name}#{tier.index}"
            tl = self.namer(tier.label, f"tier `{key}`") if tier.label.primary else ""
            head = self.tr("tier.title", n=self.c.number(tier.index))
            if tl:
                head = concat(head, self.t("tier.title.sep"), self.c.quote(tl))
            if tier.name:
                head = concat(head, " (", code(tier.name), ")")
            sub: list[Rich] = []
            if tier.kind == "capped":
                for party, cap in tier.pays:
                    sub.append(self.r("tier.pay", p=p.party(party), cap=p.amount(cap)))
                if len(tier.pays) > 1:
                    if tier.mode == "in_order":
                        sub.append(
                            self.r(
                                "tier.in_order", parties=self.order_list([x for x, _ in tier.pays])
                            )
                        )
                    else:
                        sub.append(self.tr("tier.pro_rata"))
                sub.append(self.tr("tier.caps.lifetime"))
            else:
                for party, share in tier.splits:
                    sub.append(self.r("tier.split", p=p.party(party), share=self.c.ratio(share)))
                if tier.cap is not None:
                    sub.append(self.r("tier.split.cap", cap=p.amount(tier.cap)))
                else:
                    sub.append(self.tr("tier.split.all"))
            if not tier.reachable and self.notes:
                sub.append(
                    (Seg(self.t("tier.unreachable", n=self.c.number(w.absorber or 0)), "strong"),)
                )
            items.append(Item(head, tuple(sub)))
        blocks.append(Items(tuple(items), ordered=False, role="tiers"))
        if w.absorber is not None:
            blocks.append(Para(self.tr("waterfall.no_remainder", n=self.c.number(w.absorber))))
        elif self.notes:
            blocks.append(
                Note(self.tr("waterfall.retained"), "warning", self.tr("waterfall.retained.title"))
            )
        else:
            blocks.append(Para(self.tr("waterfall.retained")))
        digits = minor_digits(self.a.header.currency)
        unit = self.c.money(Decimal(1).scaleb(-digits), self.a.header.currency)
        blocks.append(Para(self.tr("waterfall.rounding", unit=unit), role="small"))
        return blocks

    def order_list(self, parties: list[str]) -> Rich:
        out: Rich = ()
        for i, party in enumerate(parties):
            out = (
                self.p.party(party) if i == 0 else self.r("tier.then", a=out, b=self.p.party(party))
            )
        return out
