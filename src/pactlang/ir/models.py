"""Declarations → the kernel's plain models: committees, ladders, waterfall plans.

The one place that reads a ``committee``, ``escalation`` or ``waterfall``
declaration of the AST to build what :mod:`pactlang.kernel` computes with.
:func:`pactlang.ir.lower.lower` uses it for the program every engine runs;
the annex renderer and the analysis use it for the same models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pactlang.base.values import Duration, percent_text, strip_underscores
from pactlang.kernel.committees import (
    Committee,
    CommitteeError,
    Deadlock,
    Decision,
    Member,
    Quorum,
    VotingRule,
)
from pactlang.kernel.escalation import AttrValue, EscalationError, Event, Ladder, Step
from pactlang.kernel.waterfalls import (
    CapLine,
    Share,
    Tier,
    WaterfallPlan,
    WaterfallPlanError,
)
from pactlang.syntax import ast

__all__ = ["committee_model", "event_model", "ladder_model", "translations", "waterfall_plan"]


def translations(labels: ast.Labels) -> tuple[tuple[str, str], ...]:
    return tuple((t.lang.name, t.text.value) for t in labels.translations)


# -------------------------------------------------------------- committees


def committee_model(decl: ast.CommitteeDecl) -> Committee:
    """The model of a ``committee`` declaration (:class:`CommitteeError` if malformed)."""

    def frac(f: ast.Fraction) -> Fraction:
        if f.denominator == 0:
            raise CommitteeError(f"committee `{decl.name.name}`: fraction {f.text} divides by 0")
        return Fraction(f.numerator, f.denominator)

    members = tuple(Member(m.party.name, Fraction(m.weight.value)) for m in decl.members)
    quorum: Quorum | None = None
    q = decl.quorum
    if q is not None:
        if q.kind == "members":
            quorum = Quorum("members", count=q.count or 0)
        else:
            if q.fraction is None:
                raise CommitteeError(f"committee `{decl.name.name}`: quorum without a fraction")
            quorum = Quorum("weight", fraction=frac(q.fraction), fraction_text=q.fraction.text)
    decisions: list[Decision] = []
    for d in decl.decisions:
        r = d.rule
        if r.kind == "majority":
            rule = VotingRule.majority()
        elif r.kind == "unanimity":
            rule = VotingRule.unanimity()
        else:
            if r.fraction is None or r.base is None:
                raise CommitteeError(f"decision `{d.name.name}`: rule without fraction or base")
            rule = VotingRule.of_fraction(
                ">" if r.strict else ">=", frac(r.fraction), r.base, r.fraction.text
            )
        deadlock = None
        if d.deadlock is not None:
            deadlock = Deadlock(d.deadlock.votes, d.deadlock.ladder.name)
        decisions.append(
            Decision(d.name.name, rule, tuple(v.name for v in d.vetoes), d.labels.get(), deadlock)
        )
    consensus = decl.consensus
    meets = decl.meets
    return Committee(
        name=decl.name.name,
        members=members,
        decisions=tuple(decisions),
        quorum=quorum,
        consensus_rounds=consensus.rounds if consensus is not None else 0,
        label=decl.labels.get(),
        meets=meets.cadence.value if meets is not None else None,
        chair=decl.chair.party.name if decl.chair is not None else None,
    )


# ------------------------------------------------------------------ ladders


def ladder_model(decl: ast.EscalationDecl) -> Ladder:
    """The model of an ``escalation`` declaration (:class:`EscalationError` if malformed)."""
    steps: list[Step] = []
    for s in decl.steps:
        within = Duration(s.within.amount, s.within.unit) if s.within is not None else None
        attrs = tuple(
            (a.key.name, _attr_value(a.value, f"{decl.name.name}.{s.name.name}.{a.key.name}"))
            for a in s.attrs
        )
        steps.append(
            Step(
                name=s.name.name,
                label=s.labels.get(),
                within=within,
                final=s.final,
                attributes=attrs,
                translations=translations(s.labels),
            )
        )
    return Ladder(
        name=decl.name.name,
        steps=tuple(steps),
        label=decl.labels.get(),
        translations=translations(decl.labels),
    )


def event_model(node: ast.EscalationEvent) -> Event:
    """``STEP failed|resolved DATE`` as written in a test block."""
    return Event(node.step.name, node.kind, node.date.value)


def _attr_value(value: ast.Expr | ast.FreqValue, where: str) -> AttrValue:
    if isinstance(value, ast.StringLit):
        return value.value
    if isinstance(value, ast.NumberLit):
        if "." not in value.text and value.value == value.value.to_integral_value():
            return int(value.value)
        return value.value
    if isinstance(value, ast.PercentLit):
        return value.value
    if isinstance(value, ast.MoneyLit):
        return f"{strip_underscores(value.text)} {value.currency}"
    if isinstance(value, ast.BoolLit | ast.DateLit | ast.PeriodLit):
        return value.value
    if isinstance(value, ast.DurationLit):
        return Duration(value.amount, value.unit)
    if isinstance(value, ast.Name):
        return value.dotted
    if isinstance(value, ast.FreqValue):
        return value.value
    if isinstance(value, ast.Unary) and value.op == "-":
        inner = _attr_value(value.operand, where)
        if isinstance(inner, bool) or not isinstance(inner, int | Decimal):
            raise EscalationError(f"attribute {where}: '-' applies to a number")
        return -inner
    raise EscalationError(f"attribute {where}: expected a literal value (text, number, date, name)")


# --------------------------------------------------------------- waterfalls


def waterfall_plan(
    decl: ast.WaterfallDecl,
    party_order: Sequence[str],
    cap: Callable[[ast.Expr], Any] = lambda e: e,
) -> WaterfallPlan:
    """The plan of a ``waterfall`` declaration (:class:`WaterfallPlanError` if malformed).

    ``cap`` turns each cap expression (and the ``distributes`` expression) into
    the handle the plan keeps and gives back to whoever evaluates caps: the
    AST itself by default, the lowered expression in the program."""
    wname = decl.name.name
    order = tuple(party_order)
    known = set(order)
    if len(known) != len(order):
        raise WaterfallPlanError(f"waterfall {wname}: party_order lists a party twice")
    if not decl.tiers:
        raise WaterfallPlanError(f"waterfall {wname} has no tier")
    tiers: list[Tier] = []
    names: set[str] = set()
    for i, t in enumerate(decl.tiers):
        where = f"waterfall {wname}, tier {i + 1}"
        tname = t.name.name if t.name else None
        if tname is not None:
            if tname in names:
                raise WaterfallPlanError(f"{where}: tier name {tname} used twice")
            names.add(tname)
        if t.pays and t.splits:
            raise WaterfallPlanError(f"{where}: a tier either pays up to caps or splits")
        if not t.pays and not t.splits:
            raise WaterfallPlanError(f"{where}: the tier pays nobody")
        listed = [p.party.name for p in t.pays] + [s.party.name for s in t.splits]
        for party in listed:
            if party not in known:
                raise WaterfallPlanError(f"{where}: {party} is not a declared party")
        if len(set(listed)) != len(listed):
            raise WaterfallPlanError(f"{where}: a party appears twice in the tier")
        label = t.labels.get()
        if t.pays:
            if t.cap is not None:
                raise WaterfallPlanError(f"{where}: `up to` after the pays of a capped tier")
            tiers.append(
                Tier(
                    index=i,
                    name=tname,
                    label=label,
                    kind="capped",
                    mode=t.mode or "pro_rata",
                    pays=tuple(CapLine(p.party.name, cap(p.cap)) for p in t.pays),
                    splits=(),
                    cap=None,
                )
            )
            continue
        if t.mode is not None:
            raise WaterfallPlanError(f"{where}: `{t.mode}` applies to capped tiers only")
        shares = tuple(Share(s.party.name, Fraction(s.share.value), s.share.text) for s in t.splits)
        if any(s.share < 0 for s in shares):
            raise WaterfallPlanError(f"{where}: a split key is negative")
        total = sum((s.share for s in shares), Fraction(0))
        if total != 1:
            raise WaterfallPlanError(f"{where}: split keys total {percent_text(total)}, not 100%")
        tiers.append(
            Tier(
                index=i,
                name=tname,
                label=label,
                kind="split",
                mode=None,
                pays=(),
                splits=shares,
                cap=cap(t.cap) if t.cap is not None else None,
            )
        )
    return WaterfallPlan(
        name=wname,
        label=decl.labels.get(),
        distributes=cap(decl.distributes) if decl.distributes is not None else None,
        tiers=tuple(tiers),
        party_order=order,
    )
