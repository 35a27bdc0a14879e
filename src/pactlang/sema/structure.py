"""Pass 6: the structure of each construct (LANGUAGE.md §5–9).

Attributes of measures, KPIs and ladder steps; parties named by members,
vetoes, actions and waterfalls; committee rules; threshold rules and their
actions; ladder steps; waterfall tiers.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import babel.localedata

from pactlang.base.types import Type
from pactlang.base.values import format_decimal
from pactlang.diagnostics import Related, replace_with
from pactlang.sema.context import ESCALATION, KIND_TEXT, PARTY, Checker, closest, plural
from pactlang.sema.typecheck import Typer, same_dim
from pactlang.syntax import ast

MEASURE_ATTRS = ("owner", "source", "frequency", "target", "unit", "description")
STEP_ATTRS = ("institution", "seat", "language", "arbitrators", "rules", "law")
TEXT_ATTRS = frozenset({"source", "unit", "description", "institution", "seat", "rules", "law"})
UNIT_OF_CADENCE = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
CADENCE_OF_UNIT = {v: k for k, v in UNIT_OF_CADENCE.items()}


def constructs(ck: Checker) -> None:
    typer = Typer(ck)
    for d in ck.cc.contract.decls:
        check = _CHECKS.get(type(d))
        if check is not None:
            check(ck, typer, d)


# -------------------------------------------------------------- attributes


def _measure(ck: Checker, typer: Typer, d: ast.Decl) -> None:
    assert isinstance(d, ast.MeasureDecl | ast.KpiDecl)
    what = "measure" if isinstance(d, ast.MeasureDecl) else "KPI"
    value_type = Type(d.type.name)
    attributes(ck, typer, d.attrs, MEASURE_ATTRS, f"{what} `{d.name.name}`", value_type)


def attributes(
    ck: Checker,
    typer: Typer,
    attrs: tuple[ast.Attr, ...],
    allowed: tuple[str, ...],
    owner: str,
    value_type: Type | None = None,
) -> None:
    seen: dict[str, ast.Attr] = {}
    for a in attrs:
        key = a.key.name
        if key not in allowed:
            near = closest(key, allowed)
            ck.bag.error(
                "E015",
                f"unknown attribute `{key}` for {owner}",
                a.key.span,
                help=f"did you mean `{near}`?"
                if near
                else "the attributes are " + ", ".join(allowed),
                fixes=replace_with(a.key.span, near),
            )
            continue
        if key in seen:
            ck.bag.error(
                "E026",
                f"`{key}` is given twice for {owner}",
                a.key.span,
                help="keep one",
                related=[Related(seen[key].span, f"`{key}` is first given here")],
            )
            continue
        seen[key] = a
        _attr_value(ck, typer, a, owner, value_type)


def _attr_value(
    ck: Checker, typer: Typer, a: ast.Attr, owner: str, value_type: Type | None
) -> None:
    key = a.key.name
    v = a.value
    if key in TEXT_ATTRS:
        if isinstance(v, ast.StringLit):
            ck.cc.types[id(v)] = Type.TEXT
        else:
            ck.bag.error(
                "E026", f"`{key}` takes a text in quotes", v.span, help=f'write `{key} "…"`'
            )
    elif key == "owner":
        if isinstance(v, ast.Name) and len(v.parts) == 1:
            if ck.lookup(v.head, (PARTY,), "party") is not None:
                ck.cc.types[id(v)] = Type.PARTY
        else:
            ck.bag.error("E026", "`owner` names a party", v.span, help="write `owner PARTY`")
    elif key == "frequency":
        if not isinstance(v, ast.FreqValue):
            ck.bag.error(
                "E026",
                "`frequency` is monthly, quarterly or yearly",
                v.span,
                help="write e.g. `frequency monthly`",
            )
    elif key == "target":
        if isinstance(v, ast.FreqValue):
            ck.bag.error("E026", f"the target of {owner} must be a value", v.span)
            return
        t = typer.infer(v)
        if value_type is not None and not same_dim(t, value_type):
            ck.bag.error(
                "E026",
                f"the target of {owner} is {t}, but its values are {value_type}",
                v.span,
                help="a target has the same kind of value as what it targets",
            )
        elif value_type is Type.PERCENT:
            typer.percent_slip(v, f"is the target of {owner}, a percent")
    elif key == "language":
        if isinstance(v, ast.Name) and len(v.parts) == 1:
            if not babel.localedata.exists(v.head.name):
                ck.bag.error(
                    "E026",
                    f"`{v.head.name}` is not a language code",
                    v.span,
                    help="write a code such as `fr`, `en` or `de`",
                )
        elif isinstance(v, ast.StringLit):
            ck.cc.types[id(v)] = Type.TEXT
        else:
            ck.bag.error("E026", "`language` takes a language code such as `fr`", v.span)
    elif key == "arbitrators":
        ok = (
            isinstance(v, ast.NumberLit) and v.value == v.value.to_integral_value() and v.value >= 1
        )
        if ok:
            ck.cc.types[id(v)] = Type.COUNT
        else:
            ck.bag.error(
                "E026",
                "`arbitrators` is a whole number of arbitrators, at least 1",
                v.span,
                help="write e.g. `arbitrators 3`",
            )


# ----------------------------------------------------------------- parties


def party(ck: Checker, ident: ast.Ident) -> bool:
    return ck.lookup(ident, (PARTY,), "party") is not None


# ------------------------------------------------------------- committees


def _committee(ck: Checker, typer: Typer, d: ast.Decl) -> None:
    assert isinstance(d, ast.CommitteeDecl)
    cname = d.name.name
    members: dict[str, ast.MemberDecl] = {}
    for m in d.members:
        pname = m.party.name
        party(ck, m.party)
        if pname in members:
            ck.bag.error(
                "E040",
                f"`{pname}` is a member of committee `{cname}` twice",
                m.party.span,
                help="list each member once, with its total weight",
                related=[Related(members[pname].party.span, "first listed here")],
            )
            continue
        members[pname] = m
        if m.weight.value <= 0:
            ck.bag.error(
                "E040",
                f"the weight of `{pname}` in `{cname}` must be positive, got {m.weight.text}",
                m.weight.span,
                help="a member without voting weight is not a member; remove the line",
            )
    if not d.members:
        ck.bag.error(
            "E044",
            f"committee `{cname}` has no members",
            d.name.span,
            help="add lines such as `member PARTY weight 50`",
        )
    _once(ck, d, ast.QuorumDecl, "quorum")
    _once(ck, d, ast.ConsensusDecl, "consensus")
    _once(ck, d, ast.MeetsDecl, "meets")
    _once(ck, d, ast.ChairDecl, "chair")
    chair = d.chair
    if chair is not None and party(ck, chair.party) and chair.party.name not in members:
        ck.bag.error(
            "E046",
            f"`{chair.party.name}` chairs `{cname}` but is not one of its members",
            chair.party.span,
            help=f"the chair's vote breaks ties, so the chair is a member: add "
            f"`member {chair.party.name} weight N`, or name a member",
        )
    q = d.quorum
    if q is not None:
        if q.kind == "members" and q.count is not None:
            n = len(members)
            if q.count < 1 or (n and q.count > n):
                ck.bag.error(
                    "E043",
                    f"a quorum of {plural(q.count, 'member')} is impossible: committee `{cname}` "
                    f"has {plural(n, 'member')}",
                    q.span,
                    help=f"a quorum counts between 1 and {n} members" if n else None,
                )
        elif q.fraction is not None:
            _fraction(ck, q.fraction, "a quorum")
    c = d.consensus
    if c is not None and c.rounds < 1:
        ck.bag.error(
            "E045",
            f"`consensus {c.rounds} rounds`: consensus needs at least 1 round",
            c.span,
            help="write `consensus 1 round` or remove the line",
        )
    decisions: dict[str, ast.DecisionDecl] = {}
    for dec in d.decisions:
        dn = dec.name.name
        if dn in decisions:
            ck.bag.error(
                "E011",
                f"committee `{cname}` declares decision `{dn}` twice",
                dec.name.span,
                help="rename or remove one of them",
                related=[Related(decisions[dn].name.span, f"`{dn}` is first declared here")],
            )
        else:
            decisions[dn] = dec
        if dec.rule.fraction is not None:
            _fraction(ck, dec.rule.fraction, "a voting rule")
        _deadlock(ck, cname, dec)
        vetoes: dict[str, ast.Ident] = {}
        for v in dec.vetoes:
            if not party(ck, v):
                continue
            if v.name in vetoes:
                ck.bag.error(
                    "E041",
                    f"`{v.name}` is given a veto on `{cname}.{dn}` twice",
                    v.span,
                    related=[Related(vetoes[v.name].span, "first given here")],
                )
                continue
            vetoes[v.name] = v
            if v.name not in members:
                ck.bag.error(
                    "E041",
                    f"`{v.name}` cannot veto `{cname}.{dn}`: it is not a member of `{cname}`",
                    v.span,
                    help=f"add `member {v.name} weight N` or remove the veto",
                )


def _deadlock(ck: Checker, cname: str, dec: ast.DecisionDecl) -> None:
    dl = dec.deadlock
    if dl is None:
        return
    if dl.votes < 1:
        ck.bag.error(
            "E047",
            f"`deadlock after {dl.votes}`: a deadlock needs at least 1 vote",
            dl.span,
            help="write e.g. `deadlock after 2 escalate disputes`",
        )
    name = dl.ladder.name
    kind = ck.kind.get(name)
    if kind is None:
        if name not in ck.broken:
            ck.undeclared(dl.ladder, (ESCALATION,), "escalation ladder", code="E047")
    elif kind != ESCALATION:
        ck.wrong_kind(
            dl.ladder,
            kind,
            KIND_TEXT[ESCALATION],
            f"a deadlock of `{cname}.{dec.name.name}` opens a dispute on an escalation ladder",
        )


def _once(ck: Checker, d: ast.CommitteeDecl, kind: type, word: str) -> None:
    first: ast.CommitteeItem | None = None
    for item in d.items:
        if not isinstance(item, kind):
            continue
        if first is None:
            first = item
            continue
        ck.bag.error(
            "E045",
            f"committee `{d.name.name}` gives `{word}` twice",
            item.span,
            help="keep one",
            related=[Related(first.span, f"`{word}` is first given here")],
        )


def _fraction(ck: Checker, f: ast.Fraction, what: str) -> None:
    value = Fraction(f.numerator, f.denominator)
    if 0 < value <= 1:
        return
    ck.bag.error(
        "E042",
        f"`{f.text}` is outside (0, 1]: {what} needs a fraction more than 0 and at most 1",
        f.span,
        help="e.g. `2/3`, `50%` or `1/1`",
    )


# -------------------------------------------------------------- thresholds


def _threshold(ck: Checker, typer: Typer, d: ast.Decl) -> None:
    assert isinstance(d, ast.ThresholdDecl)
    tname = d.name.name
    cadence = d.checked.value if d.checked else "monthly"
    if not d.rules:
        ck.bag.error(
            "E030",
            f"threshold `{tname}` has no `when` rule",
            d.name.span,
            help="add rules such as `when x < 5%: breach`",
        )
    for rule in d.rules:
        p = rule.persistence
        if p is not None:
            if p.count < 1:
                ck.bag.error(
                    "E032",
                    f"`for {p.count} {p.unit}s`: a condition must hold for at least 1 check",
                    p.span,
                    help="remove `for …` to apply the rule at a single check",
                )
            elif p.unit != UNIT_OF_CADENCE[cadence]:
                want = UNIT_OF_CADENCE[cadence]
                ck.bag.error(
                    "E032",
                    f"`for {plural(p.count, p.unit)}` counts checks, but `{tname}` is checked {cadence}",
                    p.span,
                    help=f"write `for N {want}s`, or `checked {CADENCE_OF_UNIT[p.unit]}`",
                    related=[Related(d.checked.span, "the cadence is set here")]
                    if d.checked
                    else [],
                )
        _actions(ck, rule.actions)
    if d.otherwise is not None:
        _actions(ck, d.otherwise.actions)


def _actions(ck: Checker, actions: tuple[ast.Action, ...]) -> None:
    for a in actions:
        if isinstance(a, ast.PayAction):
            ok = party(ck, a.payer) & party(ck, a.payee)
            if ok and a.payer.name == a.payee.name:
                ck.bag.error(
                    "E030",
                    f"`{a.payer.name}` cannot pay itself",
                    a.payer.span.cover(a.payee.span),
                    help="a payment goes from one party to another",
                )
        elif isinstance(a, ast.EscalateAction):
            name = a.ladder.name
            kind = ck.kind.get(name)
            if kind is None:
                if name not in ck.broken:
                    ck.undeclared(a.ladder, (ESCALATION,), "escalation ladder", code="E031")
            elif kind != ESCALATION:
                ladders = ck.names_of((ESCALATION,))
                ck.wrong_kind(
                    a.ladder,
                    kind,
                    KIND_TEXT[ESCALATION],
                    "`escalate` names an escalation ladder"
                    + (": " + ", ".join(f"`{n}`" for n in ladders[:5]) if ladders else ""),
                )
        elif isinstance(a, ast.NotifyAction):
            for p in a.parties:
                party(ck, p)
        elif isinstance(a, ast.TerminateAction):
            party(ck, a.party)
            _days(ck, a.notice, "the notice of `terminate`", "notice 30 days")
        elif isinstance(a, ast.SuspendAction):
            party(ck, a.party)
        elif isinstance(a, ast.ObligeAction):
            party(ck, a.party)
            _days(ck, a.within, "the time an obligation allows", "within 10 business days")


def _days(ck: Checker, d: ast.DurationLit, what: str, example: str) -> None:
    """A notice or a time limit: days or business days, at least 1 (E034)."""
    if d.unit not in ("day", "business_day"):
        ck.bag.error(
            "E034",
            f"{what} is counted in days or business days, not {d.unit}s",
            d.span,
            help=f"write e.g. `{example}` (a month is not a fixed number of days)",
        )
    elif d.amount < 1:
        ck.bag.error("E034", f"{what} is at least 1 day", d.span, help=f"write e.g. `{example}`")


# ----------------------------------------------------------------- ladders


def _ladder(ck: Checker, typer: Typer, d: ast.Decl) -> None:
    assert isinstance(d, ast.EscalationDecl)
    lname = d.name.name
    if not d.steps:
        ck.bag.error(
            "E050",
            f"escalation ladder `{lname}` has no steps",
            d.name.span,
            help='add steps, the last one `final`: `step arbitration "Arbitrage" final`',
        )
        return
    seen: dict[str, ast.StepDecl] = {}
    last = d.steps[-1]
    for s in d.steps:
        sname = s.name.name
        if sname in seen:
            ck.bag.error(
                "E011",
                f"ladder `{lname}` declares step `{sname}` twice",
                s.name.span,
                help="rename or remove one of them",
                related=[Related(seen[sname].name.span, f"`{sname}` is first declared here")],
            )
        else:
            seen[sname] = s
        if s.final and s is not last:
            ck.bag.error(
                "E050",
                f"step `{sname}` is final, but it is not the last step of `{lname}`",
                s.name.span,
                help="only the last step is final; give this one `within N days`",
            )
        if s.within is not None:
            w = s.within
            if w.unit not in ("day", "business_day"):
                ck.bag.error(
                    "E050",
                    f"the deadline of step `{sname}` is counted in days or business days, "
                    f"not {w.unit}s",
                    w.span,
                    help="write `within N days` or `within N business days`",
                )
            elif w.amount < 1:
                ck.bag.error(
                    "E050", f"the deadline of step `{sname}` must be at least 1 day", w.span
                )
        attributes(ck, typer, s.attrs, STEP_ATTRS, f"step `{sname}`")
    if not last.final:
        ck.bag.error(
            "E050",
            f"the last step of `{lname}`, `{last.name.name}`, must be `final`",
            last.name.span,
            help=f'write `step {last.name.name} "…" final`: the last step has no deadline',
        )


# -------------------------------------------------------------- waterfalls


def _waterfall(ck: Checker, typer: Typer, d: ast.Decl) -> None:
    assert isinstance(d, ast.WaterfallDecl)
    fname = d.name.name
    if not d.tiers:
        ck.bag.error(
            "E062",
            f"waterfall `{fname}` has no tiers",
            d.name.span,
            help="add `tier { pay P up to AMOUNT }` or `tier { split P 60%, Q 40% }`",
        )
    names: dict[str, ast.TierDecl] = {}
    for i, tier in enumerate(d.tiers):
        label = f"tier `{tier.name.name}`" if tier.name else f"tier {i + 1}"
        where = tier.name.span if tier.name else tier.span
        if tier.name is not None:
            tn = tier.name.name
            if tn in names:
                prev = names[tn].name
                assert prev is not None
                ck.bag.error(
                    "E011",
                    f"waterfall `{fname}` declares tier `{tn}` twice",
                    tier.name.span,
                    help="rename or remove one of them",
                    related=[Related(prev.span, f"`{tn}` is first declared here")],
                )
            else:
                names[tn] = tier
        if tier.pays and tier.splits:
            ck.bag.error(
                "E062",
                f"{label} of `{fname}` both pays up to caps and splits",
                tier.splits[0].span,
                help="a tier either pays parties up to their caps or splits by keys; "
                "make two tiers",
            )
        elif not tier.pays and not tier.splits:
            ck.bag.error(
                "E062",
                f"{label} of `{fname}` pays no one",
                where,
                help="add `pay P up to AMOUNT` lines or a `split P 60%, Q 40%` line",
            )
        if tier.splits and tier.mode is not None:
            word = "pro rata" if tier.mode == "pro_rata" else "in order"
            ck.bag.error(
                "E062",
                f"`{word}` applies to capped tiers, but {label} of `{fname}` splits",
                where,
                help=f"remove `{word}`: a split tier shares by its keys",
            )
        if tier.pays and not tier.splits and tier.cap is not None:
            ck.bag.error(
                "E062",
                f"{label} of `{fname}` has a tier-wide `up to`, which only split tiers have",
                tier.cap.span,
                help="give each party its cap with `pay P up to AMOUNT`",
            )
        for group in ([p.party for p in tier.pays], [s.party for s in tier.splits]):
            seen: dict[str, ast.Ident] = {}
            for who in group:
                if not party(ck, who):
                    continue
                if who.name in seen:
                    ck.bag.error(
                        "E062",
                        f"`{who.name}` appears twice in {label} of `{fname}`",
                        who.span,
                        help="give each party one line, or one key, per tier",
                        related=[Related(seen[who.name].span, "first here")],
                    )
                else:
                    seen[who.name] = who
        if tier.splits:
            total = sum((s.share.value for s in tier.splits), Decimal(0))
            if total != 1:
                pct = format_decimal((total * 100).normalize())
                ck.bag.error(
                    "E060",
                    f"the split keys of {label} of `{fname}` total {pct}%, not 100%",
                    tier.splits[0].span.cover(tier.splits[-1].span),
                    help="make the shares add up to exactly 100%",
                )


# ----------------------------------------------------------- contributions


def _contribution(ck: Checker, typer: Typer, d: ast.Decl) -> None:
    assert isinstance(d, ast.ContributionDecl)
    cname = d.name.name
    if d.amount is None:
        ck.bag.error(
            "E090",
            f"contribution `{cname}` has no `amount`",
            d.name.span,
            help="add the amount called each month: `amount 100_000 EUR`, a schedule or any "
            "money expression",
        )
    if not d.keys:
        ck.bag.error(
            "E090",
            f"contribution `{cname}` has no `split`",
            d.name.span,
            help="add who pays which share: `split acme 60%, orbis 40%`",
        )
        return
    seen: dict[str, ast.Ident] = {}
    for key in d.keys:
        who = key.party
        if not party(ck, who):
            continue
        if who.name in seen:
            ck.bag.error(
                "E090",
                f"`{who.name}` appears twice in the split of `{cname}`",
                who.span,
                help="give each party one share",
                related=[Related(seen[who.name].span, "first here")],
            )
        else:
            seen[who.name] = who
    literal = [k.share for k in d.keys]
    if all(isinstance(s, ast.PercentLit) for s in literal):
        total = sum((s.value for s in literal if isinstance(s, ast.PercentLit)), Decimal(0))
        if total != 1:
            pct = format_decimal((total * 100).normalize())
            ck.bag.error(
                "E060",
                f"the split keys of contribution `{cname}` total {pct}%, not 100%",
                d.keys[0].span.cover(d.keys[-1].span),
                help="make the shares add up to exactly 100%",
            )


_CHECKS: dict[type, Callable[[Checker, Typer, ast.Decl], None]] = {
    ast.MeasureDecl: _measure,
    ast.KpiDecl: _measure,
    ast.CommitteeDecl: _committee,
    ast.ThresholdDecl: _threshold,
    ast.EscalationDecl: _ladder,
    ast.WaterfallDecl: _waterfall,
    ast.ContributionDecl: _contribution,
}
