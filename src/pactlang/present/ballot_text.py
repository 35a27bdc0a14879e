"""The words of a ballot and of recorded votes: the steps an auditor follows
to recount a vote (the ballot and its weights, the quorum, the vetoes, the
consensus round, the rule, the chair's casting vote), and the run of votes
that ends in a deadlock.

The kernel (:mod:`pactlang.kernel.committees`) counts and records each check
with its numbers (:class:`~pactlang.kernel.committees.VoteResult` ``checks``,
:class:`~pactlang.kernel.committees.Recorded`); this module words them.
``pact vote`` (text, and the ``steps`` of its JSON) and ``pact test`` (a
failed ``expect vote``) show these lines.
"""

from __future__ import annotations

from fractions import Fraction

from pactlang.base.values import exact_str
from pactlang.kernel.committees import (
    Check,
    QuorumCheck,
    Record,
    RoundCheck,
    RuleCheck,
    VetoCheck,
    VoteResult,
    VotingRule,
)

__all__ = [
    "explain_record",
    "explain_vote",
    "ratio_text",
    "record_lines",
    "rule_words",
    "vote_json",
    "vote_steps",
]


def ratio_text(x: Fraction) -> str:
    """A ratio as an exact percentage when it has one (``60%``), else a fraction (``2/3``)."""
    s = exact_str(x * 100)
    return f"{x.numerator}/{x.denominator}" if "/" in s else f"{s}%"


def rule_words(rule: VotingRule) -> str:
    """The rule with ``majority`` spelled out: ``majority (> 1/2 of cast)``."""
    if rule.kind == "majority":
        return "majority (> 1/2 of cast)"
    return rule.text


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names)


def _ballot(r: VoteResult) -> str:
    tally = ", ".join(f"{n} {v}" for n, v in r.votes)
    return (
        f"ballot: {tally}; weights yes {exact_str(r.yes)}, no {exact_str(r.no)}, "
        f"abstain {exact_str(r.abstain)}, absent {exact_str(r.absent)} "
        f"(present {exact_str(r.present)}, cast {exact_str(r.cast)}, total {exact_str(r.total)})"
    )


def _quorum(c: QuorumCheck) -> str:
    q = c.quorum
    verdict = " → met" if c.met else " → no-quorum"
    if q is None:
        return "quorum: none required"
    if q.kind == "members":
        n = len(c.present_names)
        return (
            f"quorum {q.text}: {n} of {c.members} members present"
            + (f" ({_names(c.present_names)})" if c.present_names else "")
            + f", {n} {'≥' if c.met else '<'} {q.count}"
            + verdict
        )
    num, den = q.fraction.numerator, q.fraction.denominator
    rel = "≥" if c.met else "<"
    return (
        f"quorum {q.text}: present weight {exact_str(c.present)} of {exact_str(c.total)} = "
        f"{ratio_text(c.present / c.total)} {rel} {q.fraction_text or exact_str(q.fraction)} "
        f"({den} × {exact_str(c.present)} = {exact_str(c.present * den)} {rel} "
        f"{num} × {exact_str(c.total)} = {exact_str(c.total * num)})"
        + verdict
    )


def _veto(c: VetoCheck) -> str:
    if c.used:
        verb = "holds" if len(c.used) == 1 else "hold"
        return f"veto: {_names(c.used)} {verb} a veto and voted no → vetoed"
    return "veto: not used (" + ", ".join(f"{v} voted {vote}" for v, vote in c.holders) + ")"


def _round(c: RoundCheck) -> str:
    plural = "s" if c.rounds != 1 else ""
    if c.consensus:
        head = (
            f"round {c.round} of {c.rounds} consensus round{plural}: "
            "every present member must vote yes"
        )
        if c.not_yes:
            return f"{head}: {_names([f'{n} {v}' for n, v in c.not_yes])} → rejected"
        if not c.present:
            return f"{head}: nobody is present → rejected"
        return f"{head}: all {c.present} present voted yes → consensus; the rule must hold too"
    if c.rounds:
        return f"round {c.round}: after {c.rounds} consensus round{plural} the decision rule applies"
    return f"round {c.round}: no consensus rounds declared, the decision rule applies"


def _rule(c: RuleCheck) -> str:
    rule = c.rule
    if rule.kind == "unanimity":
        if c.not_yes:
            others = _names([f"{n} {v}" for n, v in c.not_yes])
            return f"rule unanimity: every member must vote yes: {others} → rejected"
        return f"rule unanimity: all {c.members} members voted yes → passed"
    head = f"rule {rule_words(rule)}: "
    if c.casting_vote:
        return (
            head + f"yes {exact_str(c.yes)} = no {exact_str(c.no)}, a tie: "
            f"the chair {c.chair} voted {c.chair_vote}, and the chair's casting vote decides "
            f"→ {'passed' if c.passed else 'rejected'}"
        )
    if c.base == 0:
        line = head + f"yes 0 of {rule.base} 0: nobody voted yes → rejected"
    else:
        num, den = rule.fraction.numerator, rule.fraction.denominator
        if rule.strict:
            rel = ">" if c.holds else "≤"
        else:
            rel = "≥" if c.holds else "<"
        text = (
            f"yes {exact_str(c.yes)} of {rule.base} {exact_str(c.base)} = {ratio_text(c.yes / c.base)} "
            f"{rel} {rule.fraction_text} ({den} × {exact_str(c.yes)} = {exact_str(den * c.yes)} {rel} "
            f"{num} × {exact_str(c.base)} = {exact_str(num * c.base)})"
        )
        if c.holds and not c.passed:
            line = head + text + ", but nobody voted yes → rejected"
        else:
            line = head + text + (" → passed" if c.passed else " → rejected")
    if c.chair_vote is not None:
        how = "abstained" if c.chair_vote == "abstain" else f"is {c.chair_vote}"
        line += f" (a tie; the chair {c.chair} {how}, so no casting vote)"
    return line


def _check(c: Check) -> str:
    if isinstance(c, QuorumCheck):
        return _quorum(c)
    if isinstance(c, VetoCheck):
        return _veto(c)
    if isinstance(c, RoundCheck):
        return _round(c)
    return _rule(c)


def vote_steps(r: VoteResult) -> list[str]:
    """The ballot's steps, one line each: the ballot and its weights, then each check."""
    return [_ballot(r), *(_check(c) for c in r.checks)]


def explain_vote(r: VoteResult) -> str:
    """The steps as one text block (``pact vote``, a failed ``expect vote``)."""
    return "\n".join(vote_steps(r))


def vote_json(r: VoteResult) -> dict[str, object]:
    """``pact vote --format json``: the kernel's figures and the ``steps`` in words."""
    doc = r.to_json()
    doc["steps"] = vote_steps(r)
    return doc


def record_lines(rec: Record) -> list[str]:
    """Each recorded vote's outcome, the run of votes not passed and the deadlock
    it opens; or that the decision has no deadlock clause."""
    lines = []
    clause = rec.clause
    for v in rec.votes:
        day = v.date.isoformat()
        line = f"{day}: {v.result.outcome}"
        if clause is not None and v.result.outcome != "passed":
            line += f" ({v.streak} of {clause.votes} consecutive votes not passed)"
            if v.deadlock:
                line += f" → deadlock: a dispute opens on `{clause.ladder}` on {day}"
        lines.append(line)
    if clause is None:
        lines.append(f"`{rec.committee}.{rec.decision}` has no deadlock clause")
    return lines


def explain_record(rec: Record) -> str:
    return "\n".join(record_lines(rec))
