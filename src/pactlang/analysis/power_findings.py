"""The plain-language findings of voting power (``pact analyze``): decisions no
coalition can pass, members that decide or block alone, vetoes that add
nothing, members without power, quorums that can never be met.

The kernel (:mod:`pactlang.kernel.power`) computes the power; this module says
what it means, in the words :mod:`pactlang.analysis.committees` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pactlang.base.values import exact_str
from pactlang.kernel.committees import Committee, CommitteeError, Decision
from pactlang.kernel.power import MWC_LIMIT, DecisionPower, MemberPower, power
from pactlang.present.ballot_text import rule_words

__all__ = ["CommitteeAnalysis", "analyze", "with_findings"]


@dataclass(frozen=True, slots=True)
class CommitteeAnalysis:
    """``pact analyze`` for one committee: every decision's power, and all findings
    (committee-level first, then each decision's in declaration order)."""

    committee: str
    decisions: tuple[DecisionPower, ...]
    findings: tuple[str, ...]

    def decision(self, name: str) -> DecisionPower:
        for d in self.decisions:
            if d.decision == name:
                return d
        raise CommitteeError(f"committee `{self.committee}` has no decision `{name}`")

    def to_json(self) -> dict[str, object]:
        return {
            "committee": self.committee,
            "decisions": [d.to_json() for d in self.decisions],
            "findings": list(self.findings),
        }


def with_findings(committee: Committee, dec: Decision, p: DecisionPower) -> DecisionPower:
    """Attach plain-language findings to a decision's power."""
    out: list[str] = []
    name = f"`{dec.name}`"
    rule = dec.rule
    total = committee.total_weight
    base = "weight" if rule.kind == "unanimity" else rule.base
    if not p.passable:
        if not committee.quorum_reachable():
            out.append(f"no coalition can pass {name}: its quorum can never be met")
        else:
            out.append(
                f"no coalition can pass {name}: even with every member voting yes, "
                f"yes {exact_str(total)} of {base} {exact_str(total)} fails {rule_words(rule)}"
            )
        return _replace(p, out)

    def without(member: MemberPower) -> str:
        rest = total - member.weight
        return (
            f"without {member.name} the others hold {exact_str(rest)} of {base} "
            f"{exact_str(total)}, which fails {rule_words(rule)}"
        )

    for m in p.members:
        if m.dictator:
            out.append(
                f"{m.name} decides {name} alone: its yes passes it and nothing passes without it"
            )
        elif m.passes_alone:
            out.append(f"{m.name} can pass {name} alone")
    if rule.kind != "unanimity":
        for m in p.members:
            if m.effective_veto and not m.declared_veto and not m.dictator:
                out.append(
                    f"{m.name} can block {name} alone although the contract gives it no veto: "
                    + without(m)
                )
    for vname in p.redundant_vetoes:
        m = p.member(vname)
        if rule.kind == "unanimity":
            out.append(
                f"{vname}'s veto on {name} adds nothing: unanimity already lets every "
                "member block alone"
            )
        else:
            out.append(
                f"{vname}'s veto on {name} adds nothing: its weight already lets it block "
                f"alone ({without(m)})"
            )
    for m in p.members:
        if m.dummy:
            out.append(f"{m.name} has no power on {name}: its vote never changes the outcome")
    return _replace(p, out)


def _replace(p: DecisionPower, findings: list[str]) -> DecisionPower:
    return replace(p, findings=tuple(findings))


def analyze(committee: Committee, *, limit: int = MWC_LIMIT) -> CommitteeAnalysis:
    """Power on every decision of ``committee`` plus all findings, committee-level first."""
    findings: list[str] = []
    q = committee.quorum
    if q is not None and not committee.quorum_reachable():
        if q.kind == "members":
            findings.append(
                f"the quorum of `{committee.name}` ({q.text}) can never be met: "
                f"it has only {len(committee.members)} member"
                + ("" if len(committee.members) == 1 else "s")
            )
        else:
            findings.append(
                f"the quorum of `{committee.name}` ({q.text}) can never be met: "
                "it exceeds the total weight"
            )
    decisions = tuple(
        with_findings(committee, d, power(committee, d.name, limit=limit))
        for d in committee.decisions
    )
    for d in decisions:
        findings.extend(d.findings)
    return CommitteeAnalysis(committee.name, decisions, tuple(findings))
