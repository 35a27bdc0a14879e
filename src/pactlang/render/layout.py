"""Lay the annex out: the neutral model, in one language, as a :class:`Document`.

This is the one place that decides what the annex says and in which order;
the Markdown, HTML, DOCX and PDF backends only draw the document.  Every fixed
word comes from the catalogue (:mod:`pactlang.render.i18n`).

Sections, in order: identification and parties; measures; agreed values;
KPIs; thresholds; committees; dispute resolution (with the computation of
time limits); waterfalls; rules of interpretation.  A section with nothing to
show is left out; sections are numbered as they appear.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.money import minor_digits
from pactlang.base.values import Period
from pactlang.kernel.committees import VotingRule
from pactlang.kernel.escalation import AttrValue, Duration
from pactlang.render.doc import (
    Block,
    Document,
    Fields,
    Formula,
    Item,
    Items,
    Meta,
    Note,
    Para,
    Rich,
    Section,
    Seg,
    Table,
    code,
    concat,
    plain,
    text_of,
)
from pactlang.render.i18n import Catalog, catalog
from pactlang.render.model import (
    Annex,
    Attrs,
    CommitteeView,
    Kpi,
    LadderView,
    Measure,
    Rule,
    Threshold,
    WaterfallView,
)
from pactlang.render.words import Namer, Phraser, formula, literal_value
from pactlang.syntax import ast

__all__ = ["layout"]

BR: Rich = (Seg("\n", "br"),)
DASH = "—"


def layout(annex: Annex, lang: str, warn: Callable[[str], None]) -> Document:
    """The annex document in ``lang`` (``en`` or ``fr``); ``warn`` receives each
    missing label translation once."""
    return _Layout(annex, lang, warn).document()


class _Layout:
    def __init__(self, annex: Annex, lang: str, warn: Callable[[str], None]) -> None:
        self.a = annex
        self.c: Catalog = catalog(lang)
        self.lang = lang
        self.namer = Namer(lang, annex.header.language, warn)
        self.p = Phraser(self.c, annex, self.namer)
        self.anchors: dict[str, str] = {}  # construct key -> section number

    # ----------------------------------------------------------- helpers

    def t(self, key: str, n: int | None = None, /, **kw: object) -> str:
        return self.c.t(key, n, **kw)

    def r(self, key: str, n: int | None = None, /, **kw: Rich | str) -> Rich:
        return self.c.r(key, n, **kw)

    def tr(self, key: str, n: int | None = None, /, **kw: object) -> Rich:
        return plain(self.c.t(key, n, **kw))

    def label(self, key: str) -> str:
        return self.p.label_of(key)

    def sentence(self, rich: Rich) -> Rich:
        return concat(self.c.capitalize(rich), self.t("punct.stop"))

    def unstated(self) -> Rich:
        return (Seg(self.t("value.unstated"), "em"),)

    def party_or_unstated(self, name: str | None) -> Rich:
        return self.party_cell(name) if name else self.unstated()

    def party_cell(self, name: str) -> Rich:
        """A party's label alone in a table cell (no quotation marks)."""
        return plain(self.label(name))

    def text_or_unstated(self, text: str | None) -> Rich:
        return plain(text) if text else self.unstated()

    def lines(self, parts: list[Rich]) -> Rich:
        out: Rich = ()
        for i, part in enumerate(parts):
            out = concat(out, BR, part) if i else part
        return out

    # ---------------------------------------------------------- document

    def document(self) -> Document:
        h = self.a.header
        builders: list[tuple[str, Callable[[str], Section | None]]] = [
            ("ident", self.identification),
            ("measures", self.measures),
            ("lets", self.lets),
            ("kpis", self.kpis),
            ("thresholds", self.thresholds),
            ("committees", self.committees),
            ("disputes", self.disputes),
            ("waterfalls", self.waterfalls),
            ("rules", self.conventions),
        ]
        # number the sections first, so that cross-references can be resolved
        present = [k for k, _ in builders if self._has(k)]
        numbers = {k: str(i) for i, k in enumerate(present, start=1)}
        self._number_constructs(numbers)
        sections: list[Section] = []
        for key, build in builders:
            if key in numbers:
                s = build(numbers[key])
                if s is not None:
                    sections.append(s)
        title = self.r("doc.title", title=h.title)
        sub: list[Rich] = []
        if h.id:
            sub.append(self.tr("doc.subtitle.id", id=h.id))
        if h.version:
            sub.append(self.tr("doc.subtitle.version", version=h.version))
        subtitle: Rich = ()
        for i, part in enumerate(sub):
            subtitle = concat(subtitle, self.t("doc.subtitle.sep"), part) if i else part
        subtitle = self.c.capitalize(subtitle)
        meta = Meta(
            title=text_of(title),
            subject=self.t("meta.subject", title=h.title),
            identifier=h.id or "",
            version=h.version or "",
            language=self.lang,
            keywords=", ".join(x for x in ("pactlang", h.id or "", h.version or "") if x),
            author=self.t("meta.author"),
            date=(h.effective or datetime.date(2000, 1, 1)).isoformat(),
        )
        intro = (Para(self.sentence(self.r("doc.intro", title=self.c.quote(h.title)))),)
        labels = {
            k: self.t(f"ui.{k}")
            for k in (
                "contents",
                "generated",
                "formula",
                "page",
                "of",
                "field_sep",
                "warning",
                "note",
            )
        }
        labels["lang"] = self.lang
        return Document(self.lang, title, subtitle, meta, intro, tuple(sections), labels)

    def _has(self, key: str) -> bool:
        a = self.a
        return {
            "ident": True,
            "measures": bool(a.measures),
            "lets": bool(a.lets),
            "kpis": bool(a.kpis),
            "thresholds": bool(a.thresholds),
            "committees": bool(a.committees),
            "disputes": bool(a.ladders),
            "waterfalls": bool(a.waterfalls),
            "rules": True,
        }[key]

    def _number_constructs(self, numbers: dict[str, str]) -> None:
        for kind, items in (
            ("kpis", [k.name for k in self.a.kpis]),
            ("thresholds", [t.name for t in self.a.thresholds]),
            ("committees", [c.name for c in self.a.committees]),
            ("disputes", [d.name for d in self.a.ladders]),
            ("waterfalls", [w.name for w in self.a.waterfalls]),
        ):
            if kind in numbers:
                for i, name in enumerate(items, start=1):
                    self.anchors[name] = f"{numbers[kind]}.{i}"

    def section(
        self, number: str, key: str, blocks: list[Block], children: list[Section] | None = None
    ) -> Section:
        return Section(
            2, number, self.tr(f"section.{key}"), f"s-{key}", tuple(blocks), tuple(children or ())
        )

    def see(self, name: str) -> Rich:
        number = self.anchors.get(name)
        return self.tr("xref", number=number) if number else ()

    # ---------------------------------------------------- identification

    def identification(self, number: str) -> Section:
        h = self.a.header
        rows: list[tuple[Rich, Rich]] = [(self.tr("ident.title"), plain(h.title))]
        if h.id:
            rows.append((self.tr("ident.id"), plain(h.id)))
        if h.version:
            rows.append((self.tr("ident.version"), plain(h.version)))
        if h.effective and h.until:
            term = self.tr(
                "ident.term.range", start=self.c.date(h.effective), end=self.c.date(h.until)
            )
        elif h.effective:
            term = self.tr("ident.term.from", start=self.c.date(h.effective))
        else:
            term = self.unstated()
        rows.append((self.tr("ident.term"), term))
        rows.append(
            (
                self.tr("ident.currency"),
                self.tr(
                    "ident.currency.value", code=h.currency, name=self.c.currency_name(h.currency)
                ),
            )
        )
        rows.append((self.tr("ident.language"), plain(self.c.language_name(h.language))))
        if h.calendar:
            cal = self.tr(
                "ident.calendar.country", country=self.c.country_name(h.calendar), code=h.calendar
            )
        else:
            cal = self.tr("ident.calendar.none")
        rows.append((self.tr("ident.calendar"), cal))
        blocks: list[Block] = [Fields(tuple(rows), "ident")]
        if self.a.parties:
            blocks.append(Para(self.tr("ident.parties.intro")))
            blocks.append(
                Table(
                    (self.tr("col.party"), self.tr("col.identifier")),
                    tuple(
                        (plain(self.namer(p.label, f"party `{p.name}`")), code(p.name))
                        for p in self.a.parties
                    ),
                    "parties",
                )
            )
        return self.section(number, "ident", blocks)

    # ----------------------------------------------------------- measures

    def type_name(self, type_: str) -> str:
        return self.t(f"type.{type_}")

    def unit(self, type_: str, attrs: Attrs) -> Rich:
        if attrs.unit:
            return plain(attrs.unit)
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

    def measures(self, number: str) -> Section:
        rows: list[tuple[Rich, ...]] = []
        for m in self.a.measures:
            rows.append(self.measure_row(m))
        blocks: list[Block] = [
            Para(self.tr("measures.intro")),
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
        described = [m for m in self.a.measures if m.attrs.description or m.attrs.target]
        if described:
            items: list[Item] = []
            for m in described:
                sub: list[Rich] = []
                if m.attrs.description:
                    sub.append(plain(m.attrs.description))
                if m.attrs.target is not None:
                    sub.append(self.r("attr.target.line", value=self.p.words(m.attrs.target)))
                items.append(Item(self.c.quote(self.label_m(m)), tuple(sub)))
            blocks.append(Items(tuple(items), role="measure-notes"))
        return self.section(number, "measures", blocks)

    def label_m(self, m: Measure) -> str:
        return self.namer(m.label, f"measure `{m.name}`")

    def measure_row(self, m: Measure) -> tuple[Rich, ...]:
        return (
            plain(self.label_m(m)),
            code(m.name),
            self.tr(f"type.{m.type}"),
            self.unit(m.type, m.attrs),
            self.party_or_unstated(m.attrs.owner),
            self.text_or_unstated(m.attrs.source),
            self.frequency(m.attrs.frequency, "monthly"),
        )

    # --------------------------------------------------------------- lets

    def lets(self, number: str) -> Section:
        rows: list[tuple[Rich, ...]] = []
        for let in self.a.lets:
            label = (
                plain(self.namer(let.label, f"value `{let.name}`"))
                if let.label.primary
                else plain(DASH)
            )
            rows.append((code(let.name), label, self.let_value(let.value)))
        blocks: list[Block] = [
            Para(self.tr("lets.intro")),
            Table(
                (self.tr("col.identifier"), self.tr("col.label"), self.tr("col.value")),
                tuple(rows),
                "lets",
            ),
        ]
        return self.section(number, "lets", blocks)

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

    def kpis(self, number: str) -> Section:
        children = [self.kpi(k, f"{number}.{i}") for i, k in enumerate(self.a.kpis, start=1)]
        return self.section(number, "kpis", [Para(self.tr("kpis.intro"))], children)

    def kpi(self, k: Kpi, number: str) -> Section:
        label = self.namer(k.label, f"KPI `{k.name}`")
        blocks: list[Block] = [
            Para(concat(self.r("kpi.definition", x=self.p.words(k.expr)), self.t("punct.stop"))),
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
        if attrs.unit:
            rows.append((self.tr("col.unit"), plain(attrs.unit)))
        rows += [
            (self.tr("col.target"), target),
            (self.tr("col.kpi_owner"), self.party_or_unstated(attrs.owner)),
            (self.tr("col.source"), self.text_or_unstated(attrs.source)),
            (self.tr("col.frequency"), self.frequency(attrs.frequency, None)),
        ]
        if attrs.description:
            rows.append((self.tr("col.description"), plain(attrs.description)))
        blocks.append(Fields(tuple(rows), "kpi"))
        return Section(3, number, plain(label), f"kpi-{k.name}", tuple(blocks))

    # --------------------------------------------------------- thresholds

    def thresholds(self, number: str) -> Section:
        children = [
            self.threshold(t, f"{number}.{i}") for i, t in enumerate(self.a.thresholds, start=1)
        ]
        blocks: list[Block] = [Para(self.tr("thresholds.intro"))]
        return self.section(number, "thresholds", blocks, children)

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
                amount=p.words(a.amount),
            )
            if a.label is not None:
                text = concat(text, self.r("action.pay.label", label=self.c.quote(a.label.value)))
        elif isinstance(a, ast.EscalateAction):
            text = self.r(
                "action.escalate", ladder=p.ref(a.ladder.name), see=self.see(a.ladder.name)
            )
        elif isinstance(a, ast.NotifyAction):
            text = self.r("action.notify", parties=p.parties([x.name for x in a.parties]))
        else:
            text = self.r("action.free", text=self.c.quote(a.text.value))
        text = self.c.capitalize(text)
        if a.once:
            text = concat(text, self.tr("action.once"))
        return text

    def consequences(self, actions: tuple[ast.Action, ...]) -> Rich:
        if not actions:
            return (Seg(self.t("action.none"), "em"),)
        return self.lines([self.action(a) for a in actions])

    def threshold(self, t: Threshold, number: str) -> Section:
        label = self.namer(t.label, f"threshold `{t.name}`")
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
        other = t.otherwise
        if other is not None:
            rows.append(
                (
                    plain(self.c.number(other.index)),
                    (Seg(self.t("thresholds.otherwise"), "em"),),
                    self.status(other.status),
                    self.consequences(other.actions),
                )
            )
        else:
            rows.append(
                (
                    plain(DASH),
                    (Seg(self.t("thresholds.otherwise.default"), "em"),),
                    self.status("ok"),
                    self.consequences(()),
                )
            )
        blocks: list[Block] = [
            Para(concat(self.cadence_sentence(t), " ", self.tr("thresholds.order"))),
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
            Para(self.tr("thresholds.nodata"), role="small"),
        ]
        if t.cadence != "monthly":
            blocks.append(Para(self.tr("thresholds.between"), role="small"))
        if any(r.persistence is not None and r.persistence.count > 1 for r in t.rules):
            blocks.append(Para(self.tr("thresholds.persistence"), role="small"))
        return Section(3, number, plain(label), f"threshold-{t.name}", tuple(blocks))

    # --------------------------------------------------------- committees

    def committees(self, number: str) -> Section:
        children = [
            self.committee(c, f"{number}.{i}") for i, c in enumerate(self.a.committees, start=1)
        ]
        return self.section(number, "committees", [], children)

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

    def committee(self, c: CommitteeView, number: str) -> Section:
        label = self.namer(c.label, f"committee `{c.name}`")
        blocks: list[Block] = []
        member_rows = tuple(
            (
                self.party_cell(m.party),
                plain(self.c.fraction(m.weight)),
                plain(self.c.ratio(m.share)),
            )
            for m in c.members
        )
        blocks.append(
            Table(
                (self.tr("col.member"), self.tr("col.weight"), self.tr("col.share")),
                member_rows,
                "members",
            )
        )
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
            facts.append(
                (
                    self.tr("committee.consensus"),
                    self.tr("consensus.rule", n, next=self.c.number(n + 1)),
                )
            )
        blocks.append(Fields(tuple(facts), "committee"))
        if not c.quorum_reachable:
            blocks.append(Note(self.tr("committee.quorum_unreachable"), "warning"))
        # decisions
        rows: list[tuple[Rich, ...]] = []
        for d in c.decisions:
            dl = self.namer(d.label, f"decision `{c.name}.{d.name}`")
            vetoes = (
                self.c.join([self.party_cell(v) for v in d.vetoes]) if d.vetoes else plain(DASH)
            )
            rows.append(
                (plain(dl), code(d.name), self.c.capitalize(self.rule_words(c, d.rule)), vetoes)
            )
        blocks.append(Para(self.tr("committee.decisions.intro")))
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
        blocks.append(Para(self.tr("vote.vetoes.explained"), role="small"))
        # voting power
        blocks.append(Para(self.tr("power.intro")))
        prow: list[tuple[Rich, ...]] = []
        for d in c.decisions:
            dl = self.namer(d.label, f"decision `{c.name}.{d.name}`")
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
        return Section(3, number, plain(label), f"committee-{c.name}", tuple(blocks))

    def power_notes(self, c: CommitteeView) -> list[Block]:
        p = self.p
        notes: list[Block] = []
        total = c.total_weight
        for d in c.decisions:
            dec = self.c.quote(self.namer(d.label, f"decision `{c.name}.{d.name}`"))
            power = d.power
            rule = self.rule_words(c, d.rule, short=True)
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

    def disputes(self, number: str) -> Section:
        children = [
            self.ladder(lv, f"{number}.{i}") for i, lv in enumerate(self.a.ladders, start=1)
        ]
        children.append(self.time_limits(f"{number}.{len(children) + 1}"))
        return self.section(number, "disputes", [Para(self.tr("disputes.intro"))], children)

    def attr_value(self, key: str, value: AttrValue) -> Rich:
        if key == "language" and isinstance(value, str):
            return plain(self.c.language_name(value))
        if key == "arbitrators" and isinstance(value, int) and not isinstance(value, bool):
            return self.tr("attr.arbitrators.value", value)
        if isinstance(value, bool):
            return self.tr("bool.true" if value else "bool.false")
        if isinstance(value, int | Decimal):
            return plain(self.c.number(value))
        if isinstance(value, datetime.date):
            return plain(self.c.date(value))
        if isinstance(value, Period):
            return plain(self.c.month(value))
        if isinstance(value, Duration):
            return plain(self.p.duration(value.amount, value.unit))
        return plain(str(value))

    def attr_key(self, key: str) -> str:
        k = f"attr.{key}"
        return self.t(k) if self.c.has(k) else key

    def ladder(self, lv: LadderView, number: str) -> Section:
        label = self.namer(lv.label, f"escalation `{lv.name}`")
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
                sub.append(
                    self.r("attr.line", key=self.attr_key(key), value=self.attr_value(key, value))
                )
            items.append(Item(concat(self.c.capitalize(head), self.t("punct.stop")), tuple(sub)))
        blocks: list[Block] = [
            Items(tuple(items), ordered=True, role="ladder"),
            Para(self.tr("ladder.events"), role="small"),
        ]
        return Section(3, number, plain(label), f"escalation-{lv.name}", tuple(blocks))

    def time_limits(self, number: str) -> Section:
        h = self.a.header
        blocks: list[Block] = []
        if h.calendar:
            country = self.c.country_name(h.calendar)
            blocks.append(Para(self.tr("calendar.country", country=country, code=h.calendar)))
            # for information, the holidays of the first year of the term (none without
            # an effective date: a table for an arbitrary year would mislead)
            rows: tuple[tuple[Rich, ...], ...] = ()
            year = h.effective.year if h.effective else None
            if year is not None:
                cal = BusinessCalendar(h.calendar, self.lang)
                rows = tuple(
                    (plain(self.c.date(d)), plain(name))
                    for d, name in cal.holidays_in(year).items()
                )
            if rows:
                blocks.append(Para(self.tr("calendar.holidays", year=str(year))))
                blocks.append(
                    Table((self.tr("col.date"), self.tr("col.holiday")), rows, "holidays")
                )
        else:
            blocks.append(Para(self.tr("calendar.none")))
        blocks.append(Para(self.tr("calendar.rules")))
        return Section(3, number, self.tr("section.time_limits"), "time-limits", tuple(blocks))

    # ---------------------------------------------------------- waterfalls

    def waterfalls(self, number: str) -> Section:
        children = [
            self.waterfall(w, f"{number}.{i}") for i, w in enumerate(self.a.waterfalls, start=1)
        ]
        return self.section(number, "waterfalls", [], children)

    def waterfall(self, w: WaterfallView, number: str) -> Section:
        p = self.p
        label = self.namer(w.label, f"waterfall `{w.name}`")
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
                    sub.append(self.r("tier.pay", p=p.party(party), cap=p.words(cap)))
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
                    sub.append(self.r("tier.split.cap", cap=p.words(tier.cap)))
                else:
                    sub.append(self.tr("tier.split.all"))
            if not tier.reachable:
                sub.append(
                    (Seg(self.t("tier.unreachable", n=self.c.number(w.absorber or 0)), "strong"),)
                )
            items.append(Item(head, tuple(sub)))
        blocks.append(Items(tuple(items), ordered=False, role="tiers"))
        if w.absorber is not None:
            blocks.append(Para(self.tr("waterfall.no_remainder", n=self.c.number(w.absorber))))
        else:
            blocks.append(
                Note(self.tr("waterfall.retained"), "warning", self.tr("waterfall.retained.title"))
            )
        digits = minor_digits(self.a.header.currency)
        unit = self.c.money(Decimal(1).scaleb(-digits), self.a.header.currency)
        blocks.append(Para(self.tr("waterfall.rounding", unit=unit), role="small"))
        return Section(3, number, plain(label), f"waterfall-{w.name}", tuple(blocks))

    def order_list(self, parties: list[str]) -> Rich:
        out: Rich = ()
        for i, party in enumerate(parties):
            out = (
                self.p.party(party) if i == 0 else self.r("tier.then", a=out, b=self.p.party(party))
            )
        return out

    # --------------------------------------------------------- conventions

    def conventions(self, number: str) -> Section:
        keys = ["rules.monthly", "rules.missing", "rules.windows", "rules.exact", "rules.labels"]
        items = tuple(Item(self.tr(k)) for k in keys)
        return self.section(number, "rules", [Items(items, role="rules")])
