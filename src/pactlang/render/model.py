"""The language-neutral annex model, built once from a checked contract.

Nothing here is worded or formatted: values stay exact (``Decimal``,
``Fraction``, dates), expressions stay AST nodes, labels keep every
translation.  Committee power, ladders and waterfall plans come from the
engine modules that own their semantics (:mod:`pactlang.kernel.committees`,
:mod:`pactlang.kernel.escalation`, :mod:`pactlang.kernel.waterfalls`); this
module only gathers what an annex shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from pactlang.ir.models import committee_model, ladder_model, waterfall_plan
from pactlang.kernel.committees import CommitteeError, Quorum, VotingRule
from pactlang.kernel.escalation import AttrValue, Duration, EscalationError
from pactlang.kernel.power import DecisionPower, power
from pactlang.kernel.waterfalls import WaterfallPlanError
from pactlang.sema.clauses import Target, TextRef, classify, pieces
from pactlang.syntax import ast

if TYPE_CHECKING:
    from pactlang.sema.model import CheckedContract

__all__ = [
    "Annex",
    "Label",
    "RenderError",
    "build",
]


class RenderError(ValueError):
    """A contract the annex cannot be built from (sema should have said so)."""


@dataclass(frozen=True, slots=True)
class Label:
    """A construct's label in the contract language and its translations."""

    name: str  # the identifier (fallback when there is no label)
    primary: str | None
    translations: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, name: str, labels: ast.Labels | None) -> Label:
        if labels is None:
            return cls(name, None)
        return cls(
            name,
            labels.primary.value if labels.primary else None,
            tuple((t.lang.name, t.text.value) for t in labels.translations),
        )

    def translation(self, lang: str) -> str | None:
        for code, text in self.translations:
            if code == lang:
                return text
        return None


@dataclass(frozen=True, slots=True)
class Ref:
    """A name an expression can refer to: its kind, label and (for lets) value."""

    kind: str  # party, measure, let, kpi, threshold, committee, escalation, waterfall, tier, decision, step
    label: Label
    value: ast.Expr | ast.Schedule | None = None  # lets only


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    id: str | None
    version: str | None
    effective: datetime.date | None
    until: datetime.date | None
    currency: str
    language: str
    calendar: str | None
    signed_place: str | None = None
    signed_date: datetime.date | None = None
    title_translations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Particulars:
    """What a party's block states (``legal_name``, ``legal_form``, ``office``…)."""

    legal_name: str | None = None
    legal_form: Label | None = None  # translatable
    office: str | None = None
    registration: str | None = None
    representative: str | None = None
    capacity: Label | None = None  # the representative's capacity, translatable

    @property
    def stated(self) -> bool:
        return any(
            x is not None
            for x in (
                self.legal_name,
                self.legal_form,
                self.office,
                self.registration,
                self.representative,
            )
        )


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    label: Label
    particulars: Particulars = field(default_factory=Particulars)

    @property
    def legal_name(self) -> str | None:
        return self.particulars.legal_name


@dataclass(frozen=True, slots=True)
class Attrs:
    """The attributes of a measure or KPI (``owner``, ``source``, ``frequency``…)."""

    owner: str | None = None
    source: str | None = None
    frequency: str | None = None
    target: ast.Expr | None = None
    unit: str | None = None
    description: str | None = None
    # the translations of the text attributes: (key, ((lang, text), …)), …
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def translated(self, key: str) -> tuple[tuple[str, str], ...]:
        return next((tr for k, tr in self.translations if k == key), ())

    @classmethod
    def of(cls, attrs: tuple[ast.Attr, ...]) -> Attrs:
        values: dict[str, object] = {}
        translations = tuple(
            (a.key.name, tuple((x.lang.name, x.text.value) for x in a.translations))
            for a in attrs
            if a.translations
        )
        if translations:
            values["translations"] = translations
        for a in attrs:
            key, v = a.key.name, a.value
            if key in values:
                continue
            if key == "owner" and isinstance(v, ast.Name):
                values[key] = v.head.name
            elif key in ("source", "unit", "description") and isinstance(v, ast.StringLit):
                values[key] = v.value
            elif key == "frequency" and isinstance(v, ast.FreqValue):
                values[key] = v.value
            elif key == "target" and not isinstance(v, ast.FreqValue):
                values[key] = v
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    label: Label
    type: str
    attrs: Attrs
    cadence: str = "monthly"  # how often it is reported


@dataclass(frozen=True, slots=True)
class Let:
    name: str
    label: Label
    type: str | None
    value: ast.Expr | ast.Schedule


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    label: Label
    type: str
    expr: ast.Expr
    attrs: Attrs


@dataclass(frozen=True, slots=True)
class Rule:
    index: int  # 1-based; 0 for the `otherwise` line (as in `pact eval` JSON)
    cond: ast.Expr | None  # None for the `otherwise` line
    persistence: ast.Persistence | None
    status: str
    actions: tuple[ast.Action, ...]


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    label: Label
    cadence: str  # monthly (default), quarterly, yearly
    cadence_declared: bool
    rules: tuple[Rule, ...]
    otherwise: Rule | None
    # from `pact analyze` (shown with `render --notes`): rules that can never
    # apply, and whether the `otherwise` line can only apply to missing data
    unreachable: tuple[int, ...] = ()
    otherwise_dead: bool = False


@dataclass(frozen=True, slots=True)
class Member:
    party: str
    weight: Fraction
    share: Fraction  # of the total weight


@dataclass(frozen=True, slots=True)
class Decision:
    name: str
    label: Label
    rule: VotingRule
    vetoes: tuple[str, ...]
    power: DecisionPower | None  # None: too costly to compute exactly (a note says so)
    deadlock: tuple[int, str] | None = None  # (votes, ladder)


@dataclass(frozen=True, slots=True)
class CommitteeView:
    name: str
    label: Label
    members: tuple[Member, ...]
    total_weight: Fraction
    quorum: Quorum | None
    quorum_reachable: bool
    meets: str | None
    consensus_rounds: int
    decisions: tuple[Decision, ...]
    chair: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    index: int  # 1-based
    name: str
    label: Label
    within: Duration | None
    final: bool
    attributes: tuple[tuple[str, AttrValue], ...]
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # of text attributes


@dataclass(frozen=True, slots=True)
class LadderView:
    name: str
    label: Label
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Tier:
    index: int  # 1-based
    name: str | None
    label: Label
    kind: str  # capped | split
    mode: str | None  # pro_rata | in_order (capped tiers)
    pays: tuple[tuple[str, ast.Expr], ...]  # capped: (party, cap)
    splits: tuple[tuple[str, Fraction], ...]  # split: (party, share)
    cap: ast.Expr | None  # split tier's own lifetime cap
    reachable: bool  # False after an uncapped split (nothing ever reaches it)


@dataclass(frozen=True, slots=True)
class AnnexWaterfall:
    name: str
    label: Label
    distributes: ast.Expr | None
    tiers: tuple[Tier, ...]
    absorber: int | None  # 1-based index of the first uncapped split tier (takes all)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One ``text`` of a clause: its pieces (literal text, and what each
    ``{reference}`` inserts) in the contract language and in each translation."""

    original: tuple[str | Target, ...]
    translations: tuple[tuple[str, tuple[str | Target, ...]], ...] = ()

    def get(self, lang: str, source: str) -> tuple[str | Target, ...] | None:
        if lang == source:
            return self.original
        for code, text in self.translations:
            if code == lang:
                return text
        return None


@dataclass(frozen=True, slots=True)
class Clause:
    name: str
    number: str
    label: Label
    paragraphs: tuple[Paragraph, ...]
    governs: tuple[str, ...]
    binding: bool


@dataclass(frozen=True, slots=True)
class Constant:
    """The value of a let (or KPI) that is the same every month."""

    value: Decimal
    unit: str  # money | percent | number


@dataclass(frozen=True, slots=True)
class ContributionView:
    name: str
    label: Label
    amount: ast.Expr | ast.Schedule | None
    keys: tuple[tuple[str, ast.Expr], ...]  # (party, share)


@dataclass(frozen=True, slots=True)
class Annex:
    header: Header
    parties: tuple[Party, ...]
    measures: tuple[Measure, ...]
    lets: tuple[Let, ...]
    kpis: tuple[Kpi, ...]
    thresholds: tuple[Threshold, ...]
    committees: tuple[CommitteeView, ...]
    ladders: tuple[LadderView, ...]
    waterfalls: tuple[AnnexWaterfall, ...]
    refs: dict[str, Ref] = field(default_factory=dict)  # "fund", "fund.repay", "steering.budget"
    clauses: tuple[Clause, ...] = ()
    constants: dict[str, Constant] = field(default_factory=dict)  # constant lets and KPIs
    contributions: tuple[ContributionView, ...] = ()

    def labels(self) -> list[tuple[str, Label]]:
        """Every declared construct's label, with a dotted key (for checks and tests)."""
        return [(k, r.label) for k, r in self.refs.items()]


# ------------------------------------------------------------------- build


def build(cc: CheckedContract) -> Annex:
    """The annex model of a checked contract."""
    refs: dict[str, Ref] = {}
    header = Header(
        title=cc.title,
        id=cc.id,
        version=cc.version,
        effective=cc.effective,
        until=cc.until,
        currency=cc.currency,
        language=cc.language,
        calendar=cc.calendar,
        signed_place=cc.signed.place.value if cc.signed and cc.signed.place else None,
        signed_date=cc.signed.date.value if cc.signed and cc.signed.date else None,
        title_translations=tuple((t.lang.name, t.text.value) for t in cc.contract.translations),
    )
    parties = tuple(
        Party(n, Label.of(n, d.labels), _particulars(n, d)) for n, d in cc.parties.items()
    )
    for p in parties:
        refs[p.name] = Ref("party", p.label)
    measures = tuple(
        Measure(n, Label.of(n, d.labels), d.type.name, Attrs.of(d.attrs), d.reported)
        for n, d in cc.measures.items()
    )
    for m in measures:
        refs[m.name] = Ref("measure", m.label)
    lets = tuple(
        Let(n, Label.of(n, d.labels), d.type.name if d.type else None, d.value)
        for n, d in cc.lets.items()
    )
    for let in lets:
        refs[let.name] = Ref("let", let.label, let.value)
    kpis = tuple(
        Kpi(n, Label.of(n, d.labels), d.type.name, d.expr, Attrs.of(d.attrs))
        for n, d in cc.kpis.items()
    )
    for k in kpis:
        refs[k.name] = Ref("kpi", k.label)
    thresholds = tuple(_threshold(n, d, cc) for n, d in cc.thresholds.items())
    for t in thresholds:
        refs[t.name] = Ref("threshold", t.label)
    committees = tuple(_committee(n, d, refs) for n, d in cc.committees.items())
    ladders = tuple(_ladder(n, d, refs) for n, d in cc.escalations.items())
    party_order = tuple(cc.parties)
    waterfalls = tuple(_waterfall(n, d, party_order, refs) for n, d in cc.waterfalls.items())
    clauses = tuple(_clause(n, d, cc) for n, d in cc.clauses.items())
    for c in clauses:
        refs[c.name] = Ref("clause", c.label)
    contributions = tuple(
        ContributionView(
            n, Label.of(n, d.labels), d.amount, tuple((k.party.name, k.share) for k in d.keys)
        )
        for n, d in cc.contributions.items()
    )
    for cv in contributions:
        refs[cv.name] = Ref("contribution", cv.label)
    return Annex(
        header=header,
        parties=parties,
        measures=measures,
        lets=lets,
        kpis=kpis,
        thresholds=thresholds,
        committees=committees,
        ladders=ladders,
        waterfalls=waterfalls,
        refs=refs,
        clauses=clauses,
        constants=_constants(cc),
        contributions=contributions,
    )


def _particulars(name: str, d: ast.PartyDecl) -> Particulars:
    def text(key: str) -> str | None:
        item = d.item(key)
        return item.value.value if item is not None else None

    form = d.item("legal_form")
    rep = d.item("represented_by")
    return Particulars(
        legal_name=text("legal_name"),
        legal_form=(
            Label.of(name, ast.Labels(form.value, form.translations, form.span))
            if form is not None
            else None
        ),
        office=text("office"),
        registration=text("registration"),
        representative=rep.value.value if rep is not None else None,
        capacity=(
            Label.of(name, rep.capacity)
            if rep is not None and rep.capacity is not None and rep.capacity.primary
            else None
        ),
    )


def _clause(name: str, d: ast.ClauseDecl, cc: CheckedContract) -> Clause:
    def resolved(text: str) -> tuple[str | Target, ...]:
        return tuple(
            classify(cc, p.parts) if isinstance(p, TextRef) else p for p in pieces(text)[0]
        )

    paragraphs = tuple(
        Paragraph(
            resolved(t.text.value),
            tuple((tr.lang.name, resolved(tr.text.value)) for tr in t.translations),
        )
        for t in d.texts
    )
    return Clause(
        name=name,
        number=d.number.value.strip(),
        label=Label.of(name, d.labels),
        paragraphs=paragraphs,
        governs=tuple(dict.fromkeys(n.name for n in d.governs)),
        binding=d.binding,
    )


def _constants(cc: CheckedContract) -> dict[str, Constant]:
    """Values of the lets and KPIs that are the same every month, folded with
    the evaluator's own decimal operations (those that fold to a number)."""
    from pactlang.analysis.thresholds import ConditionReader, NotAnalysable

    reader = ConditionReader(cc)
    out: dict[str, Constant] = {}
    for name in cc.order:
        if name not in cc.constants:
            continue
        let = cc.lets.get(name)
        kpi = cc.kpis.get(name)
        expr = let.value if let is not None else kpi.expr if kpi is not None else None
        if expr is None or isinstance(expr, ast.Schedule):
            continue
        try:
            const = reader.const(expr)
        except NotAnalysable:
            const = None
        if const is not None:
            out[name] = Constant(const.value, const.unit)
    return out


def _threshold(name: str, d: ast.ThresholdDecl, cc: CheckedContract) -> Threshold:
    from pactlang.analysis.thresholds import ConditionReader, analyze_threshold

    analysis = analyze_threshold(d, ConditionReader(cc))
    rules = tuple(
        Rule(i, r.cond, r.persistence, r.status.value, r.actions)
        for i, r in enumerate(d.rules, start=1)
    )
    other = None
    if d.otherwise is not None:
        other = Rule(0, None, None, d.otherwise.status.value, d.otherwise.actions)
    return Threshold(
        name=name,
        label=Label.of(name, d.labels),
        cadence=d.checked.value if d.checked else "monthly",
        cadence_declared=d.checked is not None,
        rules=rules,
        otherwise=other,
        unreachable=tuple(r.index for r in analysis.rules if r.unreachable),
        otherwise_dead=analysis.otherwise_dead,
    )


def _committee(name: str, d: ast.CommitteeDecl, refs: dict[str, Ref]) -> CommitteeView:
    label = Label.of(name, d.labels)
    refs[name] = Ref("committee", label)
    try:
        committee = committee_model(d)
    except CommitteeError as exc:
        raise RenderError(str(exc)) from None
    total = committee.total_weight
    members = tuple(Member(m.name, m.weight, m.weight / total) for m in committee.members)
    decisions: list[Decision] = []
    for dd, dec in zip(d.decisions, committee.decisions, strict=True):
        dlabel = Label.of(dd.name.name, dd.labels)
        refs[f"{name}.{dd.name.name}"] = Ref("decision", dlabel)
        try:
            dp: DecisionPower | None = power(committee, dec.name)
        except CommitteeError:  # too costly to compute exactly: the annex says so
            dp = None
        deadlock = (dec.deadlock.votes, dec.deadlock.ladder) if dec.deadlock else None
        decisions.append(Decision(dec.name, dlabel, dec.rule, dec.vetoes, dp, deadlock))
    return CommitteeView(
        name=name,
        label=label,
        members=members,
        total_weight=total,
        quorum=committee.quorum,
        quorum_reachable=committee.quorum_reachable(),
        meets=committee.meets,
        consensus_rounds=committee.consensus_rounds,
        decisions=tuple(decisions),
        chair=committee.chair,
    )


def _ladder(name: str, d: ast.EscalationDecl, refs: dict[str, Ref]) -> LadderView:
    label = Label.of(name, d.labels)
    refs[name] = Ref("escalation", label)
    try:
        ladder = ladder_model(d)
    except EscalationError as exc:
        raise RenderError(str(exc)) from None
    steps: list[Step] = []
    for i, (sd, step) in enumerate(zip(d.steps, ladder.steps, strict=True), start=1):
        slabel = Label.of(step.name, sd.labels)
        refs[f"{name}.{step.name}"] = Ref("step", slabel)
        texts = tuple(
            (a.key.name, tuple((x.lang.name, x.text.value) for x in a.translations))
            for a in sd.attrs
            if a.translations
        )
        steps.append(Step(i, step.name, slabel, step.within, step.final, step.attributes, texts))
    return LadderView(name, label, tuple(steps))


def _waterfall(
    name: str, d: ast.WaterfallDecl, party_order: tuple[str, ...], refs: dict[str, Ref]
) -> AnnexWaterfall:
    label = Label.of(name, d.labels)
    refs[name] = Ref("waterfall", label)
    try:
        plan = waterfall_plan(d, party_order)
    except WaterfallPlanError as exc:
        raise RenderError(str(exc)) from None
    tiers: list[Tier] = []
    absorber: int | None = None
    for td, tier in zip(d.tiers, plan.tiers, strict=True):
        tname = tier.name
        tlabel = Label.of(tname or "", td.labels)
        # unnamed tiers cannot be referred to, but their labels are listed too
        refs[f"{name}.{tname}" if tname else f"{name}#{tier.index + 1}"] = Ref("tier", tlabel)
        tiers.append(
            Tier(
                index=tier.index + 1,
                name=tname,
                label=tlabel,
                kind=tier.kind,
                mode=tier.mode,
                pays=tuple((p.party, p.cap) for p in tier.pays),
                splits=tuple((s.party, s.share) for s in tier.splits),
                cap=tier.cap,
                reachable=absorber is None,
            )
        )
        if absorber is None and tier.uncapped_split:
            absorber = tier.index + 1
    return AnnexWaterfall(name, label, plan.distributes, tuple(tiers), absorber)
