"""The annex on measures, agreed values, KPIs and thresholds (one method per
construct, on top of :class:`~pactlang.render.layout_base.LayoutBase`)."""

from __future__ import annotations

from collections.abc import Sequence

from pactlang.render import layout_extra as extra
from pactlang.render.doc import (
    Block,
    Fields,
    Formula,
    Item,
    Items,
    Note,
    Para,
    Rich,
    Seg,
    Table,
    code,
    concat,
    plain,
    text_of,
)
from pactlang.render.layout_base import BR, DASH, LayoutBase
from pactlang.render.model import (
    Attrs,
    Kpi,
    Let,
    Measure,
    Rule,
    Threshold,
)
from pactlang.render.words import formula, literal_value
from pactlang.syntax import ast

__all__ = ["ConstructLayout"]


class ConstructLayout(LayoutBase):
    # ----------------------------------------------------------- measures

    def type_name(self, type_: str) -> str:
        return self.t(f"type.{type_}")

    def unit(self, type_: str, attrs: Attrs, owner: str = "") -> Rich:
        unit = extra.attr_text(self, attrs, "unit", owner)
        if unit:
            return plain(unit)
        if type_ == "money":
            return plain(self.a.header.currency)
        if type_ == "percent":
            return self.tr("unit.percent")
        return plain(DASH)

    def frequency(self, value: str | None, default: str | None) -> Rich:
        if value:
            return self.tr(f"cadence.{value}")
        if default:
            return self.tr(f"cadence.{default}")
        return self.unstated()

    def measure_blocks(self, measures: Sequence[Measure], lead: Rich | None = None) -> list[Block]:
        rows = [self.measure_row(m) for m in measures]
        blocks: list[Block] = [
            self.lead(lead if lead is not None else self.tr("measures.intro")),
            Table(
                (
                    self.tr("col.measure"),
                    self.tr("col.identifier"),
                    self.tr("col.type"),
                    self.tr("col.unit"),
                    self.tr("col.owner"),
                    self.tr("col.source"),
                    self.tr("col.frequency"),
                ),
                tuple(rows),
                "measures",
            ),
        ]
        described = [m for m in measures if m.attrs.description or m.attrs.target]
        if described:
            items: list[Item] = []
            for m in described:
                sub: list[Rich] = []
                description = extra.attr_text(self, m.attrs, "description", f"measure `{m.name}`")
                if description:
                    sub.append(plain(description))
                if m.attrs.target is not None:
                    sub.append(self.r("attr.target.line", value=self.p.words(m.attrs.target)))
                items.append(Item(self.c.quote(self.label_m(m)), tuple(sub)))
            blocks.append(Items(tuple(items), role="measure-notes"))
        blocks.extend(extra.measure_notes(self, measures))
        return blocks

    def label_m(self, m: Measure) -> str:
        return self.namer(m.label, f"measure `{m.name}`")

    def measure_row(self, m: Measure) -> tuple[Rich, ...]:
        return (
            plain(self.label_m(m)),
            code(m.name),
            self.tr(f"type.{m.type}"),
            self.unit(m.type, m.attrs, f"measure `{m.name}`"),
            self.party_or_unstated(m.attrs.owner),
            self.text_or_unstated(extra.attr_text(self, m.attrs, "source", f"measure `{m.name}`")),
            self.frequency(m.attrs.frequency, m.cadence),
        )

    # --------------------------------------------------------------- lets

    def let_table(self, lets: Sequence[Let]) -> Table:
        rows: list[tuple[Rich, ...]] = []
        for let in lets:
            label = (
                plain(self.namer(let.label, f"value `{let.name}`"))
                if let.label.primary
                else plain(DASH)
            )
            rows.append((code(let.name), label, self.let_value(let.value)))
        return Table(
            (self.tr("col.identifier"), self.tr("col.label"), self.tr("col.value")),
            tuple(rows),
            "lets",
        )

    def let_value(self, value: ast.Expr | ast.Schedule) -> Rich:
        if isinstance(value, ast.Schedule):
            parts = [
                self.r(
                    "lets.schedule.entry",
                    value=self.p.words(entry.value),
                    start=self.c.month(entry.start.value),
                )
                for entry in value.entries
            ]
            first = value.entries[0].start.value if value.entries else None
            head = self.lines(parts)
            if first is not None:
                head = concat(head, BR, self.tr("lets.schedule.before", start=self.c.month(first)))
            return head
        if literal_value(value):
            return self.p.words(value)
        return concat(self.c.capitalize(self.p.words(value)), BR, code(formula(value)))

    # --------------------------------------------------------------- KPIs

    def kpi(self, k: Kpi) -> list[Block]:
        blocks: list[Block] = [
            self.lead(
                concat(self.r("kpi.definition", x=self.p.words(k.expr)), self.t("punct.stop"))
            ),
            Formula(f"{k.name} = {formula(k.expr)}"),
        ]
        attrs = k.attrs
        target = (
            self.p.words(attrs.target) if attrs.target is not None else self.tr("kpi.no_target")
        )
        rows: list[tuple[Rich, Rich]] = [
            (self.tr("col.identifier"), code(k.name)),
            (self.tr("col.type"), self.tr(f"type.{k.type}")),
        ]
        owner = f"KPI `{k.name}`"
        if attrs.unit:
            rows.append((self.tr("col.unit"), self.unit(k.type, attrs, owner)))
        rows += [
            (self.tr("col.target"), target),
            (self.tr("col.kpi_owner"), self.party_or_unstated(attrs.owner)),
            (
                self.tr("col.source"),
                self.text_or_unstated(extra.attr_text(self, attrs, "source", owner)),
            ),
            (self.tr("col.frequency"), self.frequency(attrs.frequency, None)),
        ]
        description = extra.attr_text(self, attrs, "description", owner)
        if description:
            rows.append((self.tr("col.description"), plain(description)))
        blocks.append(Fields(tuple(rows), "kpi"))
        return blocks

    # --------------------------------------------------------- thresholds

    def threshold_general(self) -> list[Block]:
        """The reading rules that hold for every threshold, stated once."""
        ts = self.a.thresholds
        if not ts:
            return []
        items = [Item(self.tr("thresholds.nodata"))]
        if any(t.cadence != "monthly" for t in ts):
            items.append(Item(self.tr("thresholds.between")))
        if any(r.persistence is not None and r.persistence.count > 1 for t in ts for r in t.rules):
            items.append(Item(self.tr("thresholds.persistence")))
        return [
            Para(self.tr("thresholds.general"), role="small lead"),
            Items(tuple(items), role="small"),
        ]

    def cadence_sentence(self, t: Threshold) -> Rich:
        if t.cadence == "quarterly":
            months = [self.c.locale.months["format"]["wide"][m] for m in (3, 6, 9, 12)]
            return self.tr(
                "checked.quarterly", months=text_of(self.c.join([plain(x) for x in months]))
            )
        if t.cadence == "yearly":
            return self.tr("checked.yearly", month=self.c.locale.months["format"]["wide"][12])
        return self.tr("checked.monthly")

    def status(self, status: str) -> Rich:
        word = self.t(f"status.{status}")
        if word.casefold() == status.casefold():
            return (Seg(word, "strong"),)
        return concat((Seg(word, "strong"),), " (", code(status), ")")

    def condition(self, rule: Rule, t: Threshold) -> Rich:
        assert rule.cond is not None
        cond = self.p.words(rule.cond)
        per = rule.persistence
        if per is None or per.count <= 1:
            return self.c.capitalize(cond)
        cadence_unit = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}[t.cadence]
        if per.unit == cadence_unit:
            key = f"persistence.{per.unit}"
        else:
            key = "persistence.checks"
        return self.c.capitalize(self.r(key, per.count, cond=cond))

    def action(self, a: ast.Action) -> Rich:
        p = self.p
        if isinstance(a, ast.PayAction):
            text = self.r(
                "action.pay",
                payer=p.party(a.payer.name),
                payee=p.party(a.payee.name),
                amount=p.amount(a.amount),
            )
            if a.label is not None:
                label = extra.text(self, a.label.value, a.translations, "a payment label")
                text = concat(text, self.r("action.pay.label", label=self.c.quote(label)))
        elif isinstance(a, ast.EscalateAction):
            text = self.r(
                "action.escalate", ladder=p.ref(a.ladder.name), see=self.see(a.ladder.name)
            )
        elif isinstance(a, ast.NotifyAction):
            text = self.r("action.notify", parties=p.parties([x.name for x in a.parties]))
        elif isinstance(a, ast.FreeAction):
            words = extra.text(self, a.text.value, a.translations, "the text of an action")
            text = self.r("action.free", text=self.c.quote(words))
        else:
            text = extra.action(self, a)
        text = self.c.capitalize(text)
        if a.once:
            text = concat(text, self.tr("action.once"))
        return text

    def consequences(self, actions: tuple[ast.Action, ...]) -> Rich:
        if not actions:
            return (Seg(self.t("action.none"), "em"),)
        return self.lines([self.action(a) for a in actions])

    def threshold(self, t: Threshold) -> list[Block]:
        rows: list[tuple[Rich, ...]] = []
        for rule in t.rules:
            rows.append(
                (
                    plain(self.c.number(rule.index)),
                    self.condition(rule, t),
                    self.status(rule.status),
                    self.consequences(rule.actions),
                )
            )
        # the `otherwise` line is rule 0 in `pact eval` JSON: it is named, not numbered
        other = t.otherwise
        rows.append(
            (
                self.tr("thresholds.otherwise.rule"),
                (
                    Seg(
                        self.t(
                            "thresholds.otherwise"
                            if other is not None
                            else "thresholds.otherwise.default"
                        ),
                        "em",
                    ),
                ),
                self.status(other.status if other is not None else "ok"),
                self.consequences(other.actions if other is not None else ()),
            )
        )
        label = self.namer(t.label, f"threshold `{t.name}`")
        blocks: list[Block] = [
            self.lead(concat(self.cadence_sentence(t), " ", self.tr("thresholds.order"))),
            Table(
                (
                    self.tr("col.rule"),
                    self.tr("col.condition"),
                    self.tr("col.status"),
                    self.tr("col.consequences"),
                ),
                tuple(rows),
                "rules",
            ),
        ]
        if self.notes:
            for n in t.unreachable:
                blocks.append(
                    Note(
                        self.sentence(
                            self.r(
                                "notes.rule_unreachable",
                                n=self.c.number(n),
                                t=self.c.quote(label),
                            )
                        ),
                        "warning",
                        self.tr("notes.rule.title"),
                    )
                )
            if t.otherwise_dead:
                blocks.append(
                    Note(
                        self.sentence(self.r("notes.otherwise_dead", t=self.c.quote(label))),
                        "info",
                    )
                )
        return blocks
