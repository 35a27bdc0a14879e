"""The committee part of ``pact analyze``: a presentation of
:func:`pactlang.kernel.committees.analyze` (which holds every committee
semantic) with the rules in words, rounded percentages for display and the
findings as :class:`~pactlang.analysis.findings.Finding` objects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pactlang.analysis.findings import Finding
from pactlang.analysis.power_findings import CommitteeAnalysis, analyze
from pactlang.base.values import CONTEXT, exact_str
from pactlang.ir.models import committee_model
from pactlang.kernel.committees import Committee, CommitteeError, VotingRule
from pactlang.kernel.power import DecisionPower, MemberPower
from pactlang.syntax import ast

__all__ = [
    "CommitteeReport",
    "analyze_committee",
    "member_flags",
    "percent",
    "quota",
    "quota_words",
    "rule_words",
]

_BASE_WORDS = {
    "weight": "the total weight of all members",
    "present": "the weight of the members present",
    "cast": "the weight of the votes cast (yes + no)",
}


def percent(x: Fraction) -> str:
    """A ratio as a percentage rounded half-even to 2 decimals, for display: ``50.00%``."""
    value = CONTEXT.divide(Decimal(x.numerator * 100), Decimal(x.denominator))
    return f"{value.quantize(Decimal('0.01'), context=CONTEXT)}%"


def rule_words(rule: VotingRule, vetoes: tuple[str, ...] = ()) -> str:
    """What a decision requires, in plain words: ``at least 2/3 of the total weight of
    all members; a no from acme vetoes it``."""
    if rule.kind == "majority":
        text = "more than half of the weight of the votes cast (yes + no)"
    elif rule.kind == "unanimity":
        text = "a yes from every member"
    else:
        text = f"{'more than' if rule.strict else 'at least'} {rule.fraction_text} of {_BASE_WORDS[rule.base]}"
    if vetoes:
        who = ", ".join(vetoes)
        text += f"; a no from {who} vetoes it" if len(vetoes) == 1 else f"; {who} can each veto it"
    return text


def quota(rule: VotingRule, total: Fraction) -> dict[str, str] | None:
    """What the rule needs when every member attends and votes yes or no, for JSON:
    ``{"yes": ">=", "weight": "200/3", "of": "100"}`` (``None`` for unanimity)."""
    if rule.kind == "unanimity":
        return None
    return {"yes": rule.op, "weight": str(rule.fraction * total), "of": exact_str(total)}


def quota_words(rule: VotingRule, total: Fraction) -> str | None:
    """:func:`quota` in words: ``with every member voting, yes needs at least 200/3
    (≈66.67) of 100``."""
    if rule.kind == "unanimity":
        return None
    need = rule.fraction * total
    shown = exact_str(need)
    if "/" in shown:
        shown += f" (≈{CONTEXT.divide(Decimal(need.numerator), Decimal(need.denominator)).quantize(Decimal('0.01'), context=CONTEXT)})"
    rel = "more than" if rule.strict else "at least"
    return f"with every member voting, yes needs {rel} {shown} of {exact_str(total)}"


def member_flags(m: MemberPower, rule: VotingRule) -> list[str]:
    """Short labels for the member table: dictator, vetoes, no power."""
    flags: list[str] = []
    if m.dictator:
        flags.append("dictator")
    elif m.passes_alone:
        flags.append("passes alone")
    if m.declared_veto and m.effective_veto:
        flags.append("veto (declared)")
    elif m.effective_veto and rule.kind == "unanimity":
        flags.append("veto (unanimity)")
    elif m.effective_veto and not m.dictator:
        flags.append("veto (implied by weight)")
    if m.dummy:
        flags.append("no power")
    return flags


@dataclass(frozen=True, slots=True)
class CommitteeReport:
    """One committee: the model, the power analysis (``None`` when it could not be
    done: ``error`` says why), source lines and findings."""

    name: str
    label: str | None
    line: int
    committee: Committee | None
    analysis: CommitteeAnalysis | None
    decision_lines: dict[str, int]
    decision_labels: dict[str, str | None]
    error: str | None
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "name": self.name,
            "label": self.label,
            "line": self.line,
            "error": self.error,
            "findings": [f.to_json() for f in self.findings],
        }
        c, a = self.committee, self.analysis
        if c is None or a is None:
            doc["decisions"] = []
            return doc
        doc["members"] = [{"name": m.name, "weight": exact_str(m.weight)} for m in c.members]
        doc["total_weight"] = exact_str(c.total_weight)
        doc["quorum"] = c.quorum.text if c.quorum else None
        doc["consensus_rounds"] = c.consensus_rounds
        decisions: list[dict[str, object]] = []
        for d, p in zip(c.decisions, a.decisions, strict=True):
            dj = p.to_json()
            dj["label"] = self.decision_labels.get(d.name)
            dj["line"] = self.decision_lines.get(d.name)
            dj["rule_words"] = rule_words(d.rule, d.vetoes)
            dj["quota"] = quota(d.rule, c.total_weight)
            members = dj["members"]
            assert isinstance(members, list)
            for mj, mp in zip(members, p.members, strict=True):
                mj["banzhaf_percent"] = percent(mp.banzhaf)
                mj["shapley_percent"] = percent(mp.shapley)
            decisions.append(dj)
        doc["decisions"] = decisions
        return doc


def analyze_committee(decl: ast.CommitteeDecl) -> CommitteeReport:
    name = decl.name.name
    lines = {d.name.name: d.span.line for d in decl.decisions}
    labels = {d.name.name: d.labels.get() for d in decl.decisions}
    try:
        committee = committee_model(decl)
        analysis = analyze(committee)
    except CommitteeError as exc:
        note = Finding(
            "committees",
            "not-analysed",
            "note",
            name,
            f"committee `{name}` could not be analysed: {exc}",
            decl.span.line,
        )
        return CommitteeReport(
            name, decl.labels.get(), decl.span.line, None, None, lines, labels, str(exc), (note,)
        )
    findings: list[Finding] = []
    # CommitteeAnalysis.findings = committee-level findings, then each decision's in order
    per_decision = sum(len(d.findings) for d in analysis.decisions)
    own = analysis.findings[: len(analysis.findings) - per_decision]
    findings.extend(
        Finding("committees", "quorum", "warning", name, msg, decl.span.line) for msg in own
    )
    for p in analysis.decisions:
        findings.extend(_decision_findings(name, p, lines.get(p.decision)))
    return CommitteeReport(
        name,
        decl.labels.get(),
        decl.span.line,
        committee,
        analysis,
        lines,
        labels,
        None,
        tuple(findings),
    )


def _decision_findings(committee: str, p: DecisionPower, line: int | None) -> list[Finding]:
    subject = f"{committee}.{p.decision}"
    return [
        Finding("committees", "voting-power", "warning", subject, msg, line) for msg in p.findings
    ]
