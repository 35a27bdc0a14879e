"""Committees, votes, vetoes and voting power (LANGUAGE.md §7).

This module holds *all* committee semantics.  The evaluator (``expect vote``),
``pact vote``, ``pact analyze``, the renderer and the code generator all call
it; nothing else interprets a committee.

Three layers:

* a plain model (built from the declaration by :mod:`pactlang.ir.models`): :class:`Committee`
  with :class:`Member`, :class:`Quorum`, :class:`VotingRule`, :class:`Decision`;
* one ballot: :func:`cast` returns a :class:`VoteResult` with the outcome, the
  exact weights and the arithmetic as human-readable ``steps``;
* voting power: :func:`power` (one decision, a :class:`DecisionPower`),
  :func:`analyze` (every decision plus plain-language findings, a
  :class:`CommitteeAnalysis`), and the shortcuts :func:`banzhaf` and
  :func:`shapley`.

All arithmetic is exact (``fractions.Fraction`` and ``int``); a fraction rule is
checked by integer cross-multiplication (``>= 2/3 of cast`` holds when
``3 × yes ≥ 2 × cast``), never by a rounded decimal.

Semantics chosen where §7 is silent (documented here and tested):

* **Quorum** is "at least": ``quorum 2 members`` is met when 2 or more members
  are present; ``quorum 50% of weight`` when ``present weight ≥ 50% × total
  weight``.  Present = voted yes, no or abstain.  No ``quorum`` line = any
  attendance counts.
* **Order of checks**: (1) quorum — without it the outcome is ``no-quorum``,
  even if a veto holder voted no (no valid vote took place); (2) vetoes — a
  declared veto holder voting ``no`` gives ``vetoed`` (abstaining or being
  absent does not veto); (3) consensus rounds, if the ballot is in one; (4) the
  decision rule.
* **Consensus rounds** add a requirement, they never relax the rule: in rounds
  1..N the ballot passes only if every present member votes yes *and* the
  decision rule holds (otherwise a consensus round could pass a ``unanimity``
  decision with a member absent).  From round N+1 the rule alone applies.  A
  ballot without a round number is round 1.
* **At least one yes**: a ballot with no yes vote never passes, whatever the
  rule (``>= 1/2 of cast`` with every member abstaining is ``rejected``, not
  ``passed``).
* **Power analysis** assumes full attendance and yes/no votes only, so the
  bases ``weight``, ``present`` and ``cast`` all equal the total weight and
  every rule is a weighted threshold game: a coalition wins when its weight
  reaches the quota and it contains every declared veto holder.  Consensus
  rounds are ignored (they end; the rule that applies afterwards decides who
  can pass and block).  A quorum that cannot be met even at full attendance
  means no coalition can pass.
* JSON: weights are decimal strings (``"60"``, ``"33.5"``); power indices and
  other ratios are fraction strings (``"2/3"``, ``"0"``, ``"1"``).
"""

from __future__ import annotations

import collections
import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

__all__ = [
    "VOTES",
    "OUTCOMES",
    "MWC_LIMIT",
    "DP_MEMORY_LIMIT",
    "DP_STEP_LIMIT",
    "ENUMERATION_MAX_MEMBERS",
    "Vote",
    "Outcome",
    "VoteBase",
    "PowerMethod",
    "CommitteeError",
    "BallotError",
    "Member",
    "Quorum",
    "VotingRule",
    "Decision",
    "Committee",
    "VoteResult",
    "MemberPower",
    "DecisionPower",
    "CommitteeAnalysis",
    "cast",
    "power",
    "banzhaf",
    "shapley",
    "analyze",
    "exact_str",
]

Vote: TypeAlias = Literal["yes", "no", "abstain", "absent"]
Outcome: TypeAlias = Literal["passed", "rejected", "vetoed", "no-quorum"]
VoteBase: TypeAlias = Literal["weight", "present", "cast"]
PowerMethod: TypeAlias = Literal["dp", "enumeration", "unanimity"]

VOTES: tuple[Vote, ...] = ("yes", "no", "abstain", "absent")
OUTCOMES: tuple[Outcome, ...] = ("passed", "rejected", "vetoed", "no-quorum")

#: Default cap on the number of minimal winning coalitions listed (all are counted).
MWC_LIMIT = 100
#: Most memory, in bytes, the DP's tables may take.
DP_MEMORY_LIMIT = 256 * 1024 * 1024
#: Most elementary steps the DP may take (about 3 to 5 s on a laptop).
DP_STEP_LIMIT = 60_000_000
#: Largest committee the enumeration fallback accepts (2**n coalitions).
ENUMERATION_MAX_MEMBERS = 22


class CommitteeError(ValueError):
    """A committee that cannot be modelled or analysed (bad weights, unknown names…)."""


class BallotError(CommitteeError):
    """A ballot that cannot be counted: non-member, unknown vote word, unknown decision, bad round."""


# ---------------------------------------------------------------- formatting


def exact_str(x: Fraction | int) -> str:
    """An exact rendering: a decimal string when ``x`` has a finite decimal expansion
    (``60``, ``33.5``, ``0.125``), else the reduced fraction (``2/3``)."""
    x = Fraction(x)
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{x.numerator}/{x.denominator}"
    k = max(twos, fives)
    scaled = abs(x.numerator) * (10**k // x.denominator)
    sign = "-" if x < 0 else ""
    if k == 0:
        return f"{sign}{scaled}"
    digits = str(scaled).rjust(k + 1, "0")
    whole, frac = digits[:-k], digits[-k:].rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def _ratio_str(x: Fraction) -> str:
    """A ratio as an exact percentage when it has one (``60%``), else a fraction (``2/3``)."""
    pct = x * 100
    s = exact_str(pct)
    return f"{x.numerator}/{x.denominator}" if "/" in s else f"{s}%"


def _names(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names)


# -------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Member:
    """A committee member: a party name and its (positive) voting weight."""

    name: str
    weight: Fraction

    def __post_init__(self) -> None:
        # accept ``int`` and ``Decimal`` weights: both convert to Fraction exactly
        if not isinstance(self.weight, Fraction):
            if isinstance(self.weight, bool) or not isinstance(self.weight, int | Decimal):
                raise CommitteeError(
                    f"member `{self.name}`: weight must be exact (int, Decimal or Fraction), "
                    f"got {self.weight!r}"
                )
            object.__setattr__(self, "weight", Fraction(self.weight))


@dataclass(frozen=True, slots=True)
class Quorum:
    """``quorum N members`` (``kind="members"``, ``count``) or ``quorum X of weight``
    (``kind="weight"``, ``fraction``; ``fraction_text`` as written, e.g. ``"50%"``)."""

    kind: Literal["members", "weight"]
    count: int = 0
    fraction: Fraction = Fraction(0)
    fraction_text: str = ""

    @property
    def text(self) -> str:
        """The quorum as written in ``.pact``: ``2 members`` / ``50% of weight``."""
        if self.kind == "members":
            return f"{self.count} member" + ("" if self.count == 1 else "s")
        return f"{self.fraction_text or exact_str(self.fraction)} of weight"


@dataclass(frozen=True, slots=True)
class VotingRule:
    """A decision rule.  ``majority`` is stored as ``> 1/2 of cast`` (``kind`` keeps the
    word); ``unanimity`` needs every member to vote yes; a fraction rule compares the
    yes weight with ``fraction`` × ``base`` (``strict``: ``>``, else ``>=``)."""

    kind: Literal["majority", "unanimity", "fraction"]
    strict: bool = True
    fraction: Fraction = Fraction(1, 2)
    base: VoteBase = "cast"
    fraction_text: str = "1/2"

    @classmethod
    def majority(cls) -> VotingRule:
        return cls("majority", True, Fraction(1, 2), "cast", "1/2")

    @classmethod
    def unanimity(cls) -> VotingRule:
        return cls("unanimity", False, Fraction(1), "weight", "1")

    @classmethod
    def of_fraction(
        cls, op: Literal[">", ">="], fraction: Fraction, base: VoteBase, text: str | None = None
    ) -> VotingRule:
        """``>= 2/3 of weight`` is ``VotingRule.of_fraction(">=", Fraction(2, 3), "weight")``."""
        return cls("fraction", op == ">", Fraction(fraction), base, text or exact_str(fraction))

    @property
    def op(self) -> str:
        return ">" if self.strict else ">="

    @property
    def text(self) -> str:
        """The rule as written in ``.pact``: ``majority``, ``unanimity``, ``>= 2/3 of weight``."""
        if self.kind != "fraction":
            return self.kind
        return f"{self.op} {self.fraction_text} of {self.base}"

    @property
    def long_text(self) -> str:
        """The rule with ``majority`` spelled out: ``majority (> 1/2 of cast)``."""
        if self.kind == "majority":
            return "majority (> 1/2 of cast)"
        return self.text

    def holds(self, yes: Fraction, base: Fraction) -> bool:
        """Whether ``yes`` meets the fraction of ``base`` (exact; not for unanimity)."""
        lhs = yes * self.fraction.denominator
        rhs = base * self.fraction.numerator
        return lhs > rhs if self.strict else lhs >= rhs


@dataclass(frozen=True, slots=True)
class Decision:
    """``decision NAME ["Label"] requires RULE [veto P, …]``."""

    name: str
    rule: VotingRule
    vetoes: tuple[str, ...] = ()
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Committee:
    """A committee: members in declaration order, optional quorum, optional consensus
    rounds (0 = none), decisions in declaration order.  Validated on construction
    (:class:`CommitteeError`)."""

    name: str
    members: tuple[Member, ...]
    decisions: tuple[Decision, ...] = ()
    quorum: Quorum | None = None
    consensus_rounds: int = 0
    label: str | None = None
    meets: str | None = None  # rendered only

    def __post_init__(self) -> None:
        where = f"committee `{self.name}`"
        if not self.members:
            raise CommitteeError(f"{where} has no members")
        seen: set[str] = set()
        for m in self.members:
            if m.name in seen:
                raise CommitteeError(f"{where}: member `{m.name}` is listed twice")
            seen.add(m.name)
            if m.weight <= 0:
                raise CommitteeError(
                    f"{where}: member `{m.name}` needs a positive weight, got {m.weight}"
                )
        if self.consensus_rounds < 0:
            raise CommitteeError(f"{where}: consensus rounds must not be negative")
        if self.quorum is not None and self.quorum.kind == "members" and self.quorum.count < 0:
            raise CommitteeError(f"{where}: quorum must not be negative")
        if self.quorum is not None and self.quorum.kind == "weight" and self.quorum.fraction < 0:
            raise CommitteeError(f"{where}: quorum must not be negative")
        dnames: set[str] = set()
        for d in self.decisions:
            if d.name in dnames:
                raise CommitteeError(f"{where}: decision `{d.name}` is declared twice")
            dnames.add(d.name)
            if d.rule.fraction < 0:
                raise CommitteeError(f"{where}: decision `{d.name}` has a negative fraction")
            if len(set(d.vetoes)) != len(d.vetoes):
                raise CommitteeError(f"{where}: decision `{d.name}` lists a veto twice")
            for v in d.vetoes:
                if v not in seen:
                    raise CommitteeError(
                        f"{where}: decision `{d.name}` gives a veto to `{v}`, "
                        f"which is not a member (members: {_names(self.member_names)})"
                    )

    @property
    def member_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    @property
    def total_weight(self) -> Fraction:
        return sum((m.weight for m in self.members), Fraction(0))

    def weight_of(self, party: str) -> Fraction:
        for m in self.members:
            if m.name == party:
                return m.weight
        raise CommitteeError(
            f"`{party}` is not a member of committee `{self.name}` "
            f"(members: {_names(self.member_names)})"
        )

    def decision(self, name: str) -> Decision:
        """The decision called ``name``; :class:`CommitteeError` when there is none."""
        for d in self.decisions:
            if d.name == name:
                return d
        known = _names([d.name for d in self.decisions]) or "none"
        raise CommitteeError(
            f"committee `{self.name}` has no decision `{name}` (decisions: {known})"
        )

    def quorum_reachable(self) -> bool:
        """Whether the quorum can be met at all (with every member present)."""
        q = self.quorum
        if q is None:
            return True
        if q.kind == "members":
            return len(self.members) >= q.count
        return q.fraction <= 1


# -------------------------------------------------------------------- votes


@dataclass(frozen=True, slots=True)
class VoteResult:
    """The outcome of one ballot, with exact weights and the arithmetic in ``steps``.

    ``phase`` is ``"consensus"`` when the ballot was in a consensus round, else
    ``"rule"``.  ``votes`` lists every member in declaration order (absent included).
    """

    committee: str
    decision: str
    rule: str
    round: int
    phase: Literal["consensus", "rule"]
    votes: tuple[tuple[str, Vote], ...]
    outcome: Outcome
    yes: Fraction
    no: Fraction
    abstain: Fraction
    absent: Fraction
    present: Fraction
    cast: Fraction
    total: Fraction
    present_members: int
    steps: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    def explain(self) -> str:
        """The steps as one text block, one line per step."""
        return "\n".join(self.steps)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict; weights as exact decimal strings."""
        return {
            "committee": self.committee,
            "decision": self.decision,
            "rule": self.rule,
            "round": self.round,
            "phase": self.phase,
            "outcome": self.outcome,
            "votes": dict(self.votes),
            "weights": {
                "yes": exact_str(self.yes),
                "no": exact_str(self.no),
                "abstain": exact_str(self.abstain),
                "absent": exact_str(self.absent),
                "present": exact_str(self.present),
                "cast": exact_str(self.cast),
                "total": exact_str(self.total),
            },
            "present_members": self.present_members,
            "members": len(self.votes),
            "steps": list(self.steps),
        }


def _rule_step(rule: VotingRule, yes: Fraction, base_name: str, base: Fraction) -> tuple[bool, str]:
    """Check a fraction/majority rule and describe the arithmetic."""
    head = f"rule {rule.long_text}: "
    if base == 0:
        return False, head + f"yes 0 of {base_name} 0: nobody voted yes → rejected"
    num, den = rule.fraction.numerator, rule.fraction.denominator
    holds = rule.holds(yes, base)
    if rule.strict:
        rel = ">" if holds else "≤"
    else:
        rel = "≥" if holds else "<"
    lhs, rhs = den * yes, num * base
    text = (
        f"yes {exact_str(yes)} of {base_name} {exact_str(base)} = {_ratio_str(yes / base)} "
        f"{rel} {rule.fraction_text} ({den} × {exact_str(yes)} = {exact_str(lhs)} {rel} "
        f"{num} × {exact_str(base)} = {exact_str(rhs)})"
    )
    if holds and yes == 0:
        return False, head + text + ", but nobody voted yes → rejected"
    return holds, head + text + (" → passed" if holds else " → rejected")


def cast(
    committee: Committee,
    decision: str,
    ballot: Mapping[str, str],
    round: int | None = None,
) -> VoteResult:
    """Count one ballot for ``committee.decision``.

    ``ballot`` maps member names to ``yes``/``no``/``abstain``/``absent``; members not
    in it are absent.  ``round`` (1-based) defaults to 1.  Checks, in order: quorum
    (``no-quorum``), declared vetoes (``vetoed``), consensus rounds, the decision rule
    (``passed``/``rejected``).  Raises :class:`BallotError` for a non-member, an unknown
    vote word, an unknown decision or a round below 1.
    """
    try:
        dec = committee.decision(decision)
    except CommitteeError as e:
        raise BallotError(str(e)) from None
    members = committee.member_names
    for party, vote in ballot.items():
        if party not in members:
            raise BallotError(
                f"`{party}` is not a member of committee `{committee.name}` "
                f"(members: {_names(members)})"
            )
        if vote not in VOTES:
            raise BallotError(f"`{party}` votes {vote!r}: a vote is one of {', '.join(VOTES)}")
    if round is None:
        rnd = 1
    elif isinstance(round, bool) or not isinstance(round, int) or round < 1:
        raise BallotError(f"round must be a whole number from 1, got {round!r}")
    else:
        rnd = round

    votes: tuple[tuple[str, Vote], ...] = tuple(
        (m.name, _as_vote(ballot.get(m.name, "absent"))) for m in committee.members
    )
    by_vote: dict[str, Fraction] = {v: Fraction(0) for v in VOTES}
    for m, (_, v) in zip(committee.members, votes, strict=True):
        by_vote[v] += m.weight
    yes, no, abstain, absent = (by_vote[v] for v in VOTES)
    present = yes + no + abstain
    cast_w = yes + no
    total = committee.total_weight
    present_names = [n for n, v in votes if v != "absent"]
    steps: list[str] = []
    rule = dec.rule
    n_rounds = committee.consensus_rounds
    phase: Literal["consensus", "rule"] = "consensus" if rnd <= n_rounds else "rule"

    def result(outcome: Outcome) -> VoteResult:
        return VoteResult(
            committee=committee.name,
            decision=dec.name,
            rule=rule.text,
            round=rnd,
            phase=phase,
            votes=votes,
            outcome=outcome,
            yes=yes,
            no=no,
            abstain=abstain,
            absent=absent,
            present=present,
            cast=cast_w,
            total=total,
            present_members=len(present_names),
            steps=tuple(steps),
        )

    tally = ", ".join(f"{n} {v}" for n, v in votes)
    steps.append(
        f"ballot: {tally}; weights yes {exact_str(yes)}, no {exact_str(no)}, "
        f"abstain {exact_str(abstain)}, absent {exact_str(absent)} "
        f"(present {exact_str(present)}, cast {exact_str(cast_w)}, total {exact_str(total)})"
    )

    # 1. quorum
    q = committee.quorum
    if q is None:
        steps.append("quorum: none required")
    elif q.kind == "members":
        met = len(present_names) >= q.count
        steps.append(
            f"quorum {q.text}: {len(present_names)} of {len(members)} members present"
            + (f" ({_names(present_names)})" if present_names else "")
            + f", {len(present_names)} {'≥' if met else '<'} {q.count}"
            + (" → met" if met else " → no-quorum")
        )
        if not met:
            return result("no-quorum")
    else:
        num, den = q.fraction.numerator, q.fraction.denominator
        met = present * den >= total * num
        rel = "≥" if met else "<"
        steps.append(
            f"quorum {q.text}: present weight {exact_str(present)} of {exact_str(total)} = "
            f"{_ratio_str(present / total)} {rel} {q.fraction_text or exact_str(q.fraction)} "
            f"({den} × {exact_str(present)} = {exact_str(present * den)} {rel} "
            f"{num} × {exact_str(total)} = {exact_str(total * num)})"
            + (" → met" if met else " → no-quorum")
        )
        if not met:
            return result("no-quorum")

    # 2. vetoes
    if dec.vetoes:
        vote_of = dict(votes)
        used = [v for v in dec.vetoes if vote_of[v] == "no"]
        if used:
            who = _names(used)
            steps.append(
                f"veto: {who} {'holds' if len(used) == 1 else 'hold'} a veto and voted no → vetoed"
            )
            return result("vetoed")
        steps.append(
            "veto: not used (" + ", ".join(f"{v} voted {vote_of[v]}" for v in dec.vetoes) + ")"
        )

    # 3. consensus rounds
    if phase == "consensus":
        not_yes = [f"{n} {v}" for n, v in votes if v in ("no", "abstain")]
        head = (
            f"round {rnd} of {n_rounds} consensus round{'s' if n_rounds != 1 else ''}: "
            "every present member must vote yes"
        )
        if not_yes:
            steps.append(f"{head}: {_names(not_yes)} → rejected")
            return result("rejected")
        if not present_names:
            steps.append(f"{head}: nobody is present → rejected")
            return result("rejected")
        steps.append(
            f"{head}: all {len(present_names)} present voted yes → consensus; the rule must hold too"
        )
    elif n_rounds:
        steps.append(
            f"round {rnd}: after {n_rounds} consensus round{'s' if n_rounds != 1 else ''} the decision rule applies"
        )
    elif round is not None:
        steps.append(f"round {rnd}: no consensus rounds declared, the decision rule applies")

    # 4. the rule
    if rule.kind == "unanimity":
        others = [f"{n} {v}" for n, v in votes if v != "yes"]
        if others:
            steps.append(f"rule unanimity: every member must vote yes: {_names(others)} → rejected")
            return result("rejected")
        steps.append(f"rule unanimity: all {len(votes)} members voted yes → passed")
        return result("passed")
    base = {"weight": total, "present": present, "cast": cast_w}[rule.base]
    ok, line = _rule_step(rule, yes, rule.base, base)
    steps.append(line)
    return result("passed" if ok else "rejected")


def _as_vote(v: str) -> Vote:
    if v == "yes":
        return "yes"
    if v == "no":
        return "no"
    if v == "abstain":
        return "abstain"
    if v == "absent":
        return "absent"
    raise BallotError(f"unknown vote {v!r}: a vote is one of {', '.join(VOTES)}")


# ------------------------------------------------------------ voting power


@dataclass(frozen=True, slots=True)
class MemberPower:
    """One member's power on one decision.  ``swings`` is the raw Banzhaf count (coalitions
    of the others that lose without the member and win with it)."""

    name: str
    weight: Fraction
    banzhaf: Fraction
    shapley: Fraction
    swings: int
    declared_veto: bool
    effective_veto: bool
    passes_alone: bool
    dictator: bool
    dummy: bool

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weight": exact_str(self.weight),
            "banzhaf": str(self.banzhaf),
            "shapley": str(self.shapley),
            "swings": self.swings,
            "declared_veto": self.declared_veto,
            "effective_veto": self.effective_veto,
            "passes_alone": self.passes_alone,
            "dictator": self.dictator,
            "dummy": self.dummy,
        }


@dataclass(frozen=True, slots=True)
class DecisionPower:
    """Voting power on one decision (full attendance, yes/no votes only).

    * ``passable``: the grand coalition wins (else every index is 0 and the veto,
      dictator and dummy lists are empty);
    * ``winning_coalitions``: how many coalitions win;
    * ``minimal_winning``: minimal winning coalitions (member names in declaration
      order), sorted by size then declaration order; at most the requested limit
      (when truncated, which ones are listed is deterministic but they are not
      necessarily the smallest); ``minimal_winning_count`` is the full count;
    * ``effective_vetoes``: members in every winning coalition (declared or implied);
      ``implied_vetoes`` those the contract does not declare; ``redundant_vetoes``
      declared vetoes that add nothing (the member's weight already blocks alone);
    * ``passes_alone``: members whose yes alone passes; ``dictators``: those that also
      are in every winning coalition; ``dummies``: members with zero power;
    * ``method``: ``"dp"``, ``"enumeration"`` or ``"unanimity"`` (closed form);
      ``notes`` says why when it matters; ``findings``: plain-language remarks.
    """

    committee: str
    decision: str
    rule: str
    method: PowerMethod
    passable: bool
    members: tuple[MemberPower, ...]
    winning_coalitions: int
    minimal_winning: tuple[tuple[str, ...], ...]
    minimal_winning_count: int
    declared_vetoes: tuple[str, ...]
    effective_vetoes: tuple[str, ...]
    implied_vetoes: tuple[str, ...]
    redundant_vetoes: tuple[str, ...]
    passes_alone: tuple[str, ...]
    dictators: tuple[str, ...]
    dummies: tuple[str, ...]
    notes: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    @property
    def minimal_winning_truncated(self) -> bool:
        return self.minimal_winning_count > len(self.minimal_winning)

    @property
    def banzhaf(self) -> dict[str, Fraction]:
        """Normalized Banzhaf index by member, in declaration order."""
        return {m.name: m.banzhaf for m in self.members}

    @property
    def shapley(self) -> dict[str, Fraction]:
        """Shapley–Shubik index by member, in declaration order."""
        return {m.name: m.shapley for m in self.members}

    def member(self, name: str) -> MemberPower:
        for m in self.members:
            if m.name == name:
                return m
        raise CommitteeError(f"`{name}` is not a member of committee `{self.committee}`")

    def to_json(self) -> dict[str, object]:
        return {
            "committee": self.committee,
            "decision": self.decision,
            "rule": self.rule,
            "method": self.method,
            "passable": self.passable,
            "members": [m.to_json() for m in self.members],
            "winning_coalitions": self.winning_coalitions,
            "minimal_winning_coalitions": [list(c) for c in self.minimal_winning],
            "minimal_winning_count": self.minimal_winning_count,
            "minimal_winning_truncated": self.minimal_winning_truncated,
            "declared_vetoes": list(self.declared_vetoes),
            "effective_vetoes": list(self.effective_vetoes),
            "implied_vetoes": list(self.implied_vetoes),
            "redundant_vetoes": list(self.redundant_vetoes),
            "passes_alone": list(self.passes_alone),
            "dictators": list(self.dictators),
            "dummies": list(self.dummies),
            "notes": list(self.notes),
            "findings": list(self.findings),
        }


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


@dataclass(frozen=True, slots=True)
class _Game:
    """The decision as a weighted game on scaled integer weights: a coalition wins
    when it holds every veto member and its weight is at least ``quota``."""

    weights: tuple[int, ...]
    quota: int  # >= 1; > total means no coalition wins
    vetoes: frozenset[int]
    total: int

    @property
    def n(self) -> int:
        return len(self.weights)

    @property
    def passable(self) -> bool:
        return self.quota <= self.total


@dataclass(slots=True)
class _Raw:
    swings: list[int]
    shapley: list[Fraction]
    winning: int
    mwc_count: int
    mwc: list[tuple[int, ...]]
    effective_vetoes: list[int] = field(default_factory=list)
    passes_alone: list[int] = field(default_factory=list)
    redundant: list[int] = field(default_factory=list)


def _game(committee: Committee, dec: Decision) -> _Game:
    denoms = [m.weight.denominator for m in committee.members]
    scale = math.lcm(*denoms)
    ints = [int(m.weight * scale) for m in committee.members]
    g = math.gcd(*ints)
    ints = [w // g for w in ints]
    total = sum(ints)
    names = committee.member_names
    vetoes = frozenset(names.index(v) for v in dec.vetoes)
    rule = dec.rule
    if not committee.quorum_reachable():
        quota = total + 1
    elif rule.kind == "unanimity":
        quota = total
    else:
        num, den = rule.fraction.numerator, rule.fraction.denominator
        # base = total weight (full attendance, yes/no only)
        quota = num * total // den + 1 if rule.strict else -(-num * total // den)
        quota = max(quota, 1)  # a ballot needs at least one yes
    return _Game(tuple(ints), quota, vetoes, total)


def _facts(n: int) -> list[int]:
    return [math.factorial(k) for k in range(n + 1)]


class _Windows:
    """Counting tables over the free members, by coalition size ``k`` and weight.

    Row ``k`` only ever holds weights between the sum of the ``k`` lightest and
    the sum of the ``k`` heaviest free members (any sub-collection of the free
    members stays inside those bounds), so it is stored as a list over that
    window: members of equal weight make every row a single cell."""

    def __init__(self, weights: list[int]) -> None:
        asc = sorted(weights)
        self.lo = list(itertools.accumulate(asc, initial=0))
        self.hi = list(itertools.accumulate(reversed(asc), initial=0))
        self.cells = sum(h - lo_ + 1 for lo_, h in zip(self.lo, self.hi, strict=True))

    def empty(self) -> list[list[int]]:
        return [[0] * (h - lo_ + 1) for lo_, h in zip(self.lo, self.hi, strict=True)]

    def range_sum(self, row: list[int], k: int, lo: int, hi: int) -> int:
        """Sum of ``row`` (row ``k``) over the weights ``lo..hi``."""
        base = self.lo[k]
        a, b = max(lo - base, 0), min(hi - base, len(row) - 1)
        return sum(row[a : b + 1]) if a <= b else 0


def _add_shifted(
    dst: list[int], dst_base: int, src: list[int], src_base: int, shift: int, times: int
) -> None:
    """``dst[w] += times * src[w - shift]`` over the weights both windows cover."""
    start = src_base + shift  # the weight of src[0] once shifted
    a = max(start, dst_base)
    b = min(start + len(src), dst_base + len(dst))  # exclusive
    if a >= b:
        return
    da, sa = a - dst_base, a - start
    n = b - a
    if times == 1:
        dst[da : da + n] = [x + y for x, y in zip(dst[da : da + n], src[sa : sa + n], strict=True)]
    elif times == -1:
        dst[da : da + n] = [x - y for x, y in zip(dst[da : da + n], src[sa : sa + n], strict=True)]
    else:
        dst[da : da + n] = [
            x + times * y for x, y in zip(dst[da : da + n], src[sa : sa + n], strict=True)
        ]


def _binomials(m: int) -> list[int]:
    """``[binom(m, 0), …, binom(m, m)]``."""
    row = [1]
    for j in range(m):
        row.append(row[-1] * (m - j) // (j + 1))
    return row


def _classes(free_weights: list[int]) -> list[tuple[int, int]]:
    """(weight, members) of each class of equal weights, the biggest class first."""
    return sorted(collections.Counter(free_weights).items(), key=lambda c: (-c[1], c[0]))


def _extents(weights: list[int]) -> tuple[list[int], list[int]]:
    """For each size k: the least and the greatest total weight of k of ``weights``."""
    asc = sorted(weights)
    lo = list(itertools.accumulate(asc, initial=0))
    hi = list(itertools.accumulate(reversed(asc), initial=0))
    return lo, hi


def _dp_cost(game: _Game) -> tuple[int, int]:
    """(bytes, elementary steps) :func:`_power_dp` would take, estimated before any
    of it (in closed form: the estimate itself costs one pass over the classes)."""
    free = [w for i, w in enumerate(game.weights) if i not in game.vetoes]
    win = _Windows(free)
    classes = _classes(free)
    steps = 0
    done: list[int] = []
    for index, (wc, m) in enumerate(classes):
        if index:
            # each row r of the members so far is added to rows r+1 .. r+m
            lo, hi = _extents(done)
            steps += m * sum(h - lo_ + 1 + 20 for lo_, h in zip(lo, hi, strict=True))
        done.extend([wc] * m)
    # removing one member of each class: a pass over the table; the count of
    # minimal winning coalitions: a pass over the weights per member (list slices,
    # about 8 cells per step)
    steps += len(classes) * (win.cells + 20 * (len(free) + 1))
    steps += len(free) * (sum(free) + 1) // 8
    # counts grow to 2**n: about n/8 bytes each, plus the int and the list slot
    memory = win.cells * (40 + game.n // 8)
    return memory, steps


def _power_dp(game: _Game, limit: int) -> _Raw:
    """Dynamic programming over integer weights, one pass per *class* of members.

    Veto members are forced into every coalition (conditioning): the table
    ``C[k][w]`` counts coalitions of the *free* (non-veto) members by size ``k`` and
    weight ``w``.  Free members of equal weight form a class: the table is built a
    class at a time, ``C'[k][w] = Σ_j binom(m, j) · C[k-j][w - j·w_c]`` (one
    binomial row for the first class), and since members of a class are
    interchangeable, the table without one of them (``D[k][w] = C[k][w] -
    D[k-1][w - w_c]``) and its swing counts are computed once per class.  A member
    ``i`` swings a coalition ``V ∪ S`` when ``q - w_i ≤ w(V) + w(S) < q``; a veto
    member swings ``(V - i) ∪ S`` whenever ``w(V) + w(S) ≥ q``.  Rows are stored
    over their possible weights only (:class:`_Windows`): 1,000 members of equal
    weight take 1,001 cells, not a million.
    """
    n = game.n
    w = game.weights
    q = game.quota
    vset = game.vetoes
    free = [i for i in range(n) if i not in vset]
    v = len(vset)
    w_v = sum(w[i] for i in vset)
    w_f = sum(w[i] for i in free)
    nf = len(free)
    fact = _facts(n)
    swings = [0] * n
    shap_num = [0] * n

    fw = [w[i] for i in free]
    win = _Windows(fw)
    classes = _classes(fw)
    table = win.empty()
    table[0][0] = 1
    if classes:  # the first class: binomial coefficients
        wc, m = classes[0]
        for j, count in enumerate(_binomials(m)):
            table[j][j * wc - win.lo[j]] = count
    done: list[int] = [classes[0][0]] * classes[0][1] if classes else []
    for wc, m in classes[1:]:
        lo_d, hi_d = _extents(done)  # where the rows of the members so far are not 0
        binom = _binomials(m)
        n_done = len(done)
        # in place, the biggest k first: row k - j (j >= 1) is still the old one
        for k in range(n_done + m, 0, -1):
            for j in range(max(1, k - n_done), min(m, k) + 1):
                r = k - j
                src = table[r][lo_d[r] - win.lo[r] : hi_d[r] - win.lo[r] + 1]
                _add_shifted(table[k], win.lo[k], src, lo_d[r], j * wc, binom[j])
        done.extend([wc] * m)

    lo_v = max(q - w_v, 0)
    winning = sum(win.range_sum(table[k], k, lo_v, w_f) for k in range(nf + 1))

    # veto members: every coalition (V - i) ∪ S with w(V) + w(S) >= q
    if vset:
        counts = [win.range_sum(table[k], k, lo_v, w_f) for k in range(nf + 1)]
        for i in vset:
            for k, cnt in enumerate(counts):
                if cnt:
                    swings[i] += cnt
                    shap_num[i] += cnt * fact[v - 1 + k] * fact[n - v - k]

    # free members, one class at a time: remove one member of weight wc from the
    # table, then count the coalitions of the others it turns into winners
    hi = q - w_v - 1
    if hi >= 0:  # else the veto members alone already win: no free member matters
        by_weight: dict[int, list[int]] = {}
        for i in free:
            by_weight.setdefault(w[i], []).append(i)
        for wc, members in by_weight.items():
            lo = max(q - w_v - wc, 0)
            sw = 0
            sh = 0
            prev: list[int] = []
            for k in range(nf):
                row = list(table[k])
                if k:
                    _add_shifted(row, win.lo[k], prev, win.lo[k - 1], wc, -1)
                cnt = win.range_sum(row, k, lo, hi)
                if cnt:
                    sw += cnt
                    sh += cnt * fact[v + k] * fact[n - v - k - 1]
                prev = row
            for i in members:
                swings[i] = sw
                shap_num[i] = sh

    # minimal winning coalitions: count with the free members sorted by weight
    # (descending), charging each coalition to its last (lightest) free member
    if w_v >= q:
        mwc_count = 1
    else:
        order = sorted(free, key=lambda i: (-w[i], i))
        prefix = [0] * (w_f + 1)
        prefix[0] = 1
        reach = 0
        mwc_count = 0
        for j in order:
            lo = max(q - w_v - w[j], 0)
            hi = q - w_v - 1
            mwc_count += sum(prefix[lo : hi + 1])
            wj = w[j]
            prefix[wj : wj + reach + 1] = [
                a + b for a, b in zip(prefix[wj : wj + reach + 1], prefix[: reach + 1], strict=True)
            ]
            reach += wj
    mwc = list(itertools.islice(_mwc_iter(game), limit))

    raw = _Raw(
        swings=swings,
        shapley=[Fraction(s, fact[n]) for s in shap_num],
        winning=winning,
        mwc_count=mwc_count,
        mwc=mwc,
    )
    total = game.total
    raw.effective_vetoes = [i for i in range(n) if i in vset or total - w[i] < q]
    raw.passes_alone = [i for i in range(n) if vset <= {i} and w[i] >= q]
    raw.redundant = [i for i in sorted(vset) if total - w[i] < q]
    return raw


def _mwc_iter(game: _Game) -> Iterator[tuple[int, ...]]:
    """Minimal winning coalitions by backtracking over free members, heaviest first.

    A coalition is recorded as soon as it reaches the quota: the member just added is
    its lightest free member, and dropping it falls below the quota, so it is minimal;
    extending it would not be.  Branches that cannot reach the quota are cut.
    """
    if not game.passable:
        return
    w = game.weights
    q = game.quota
    vetoes = tuple(sorted(game.vetoes))
    w_v = sum(w[i] for i in vetoes)
    if w_v >= q:
        yield vetoes
        return
    order = sorted((i for i in range(game.n) if i not in game.vetoes), key=lambda i: (-w[i], i))
    suffix = [0] * (len(order) + 1)
    for pos in range(len(order) - 1, -1, -1):
        suffix[pos] = suffix[pos + 1] + w[order[pos]]

    # depth-first, without recursion (a minimal coalition can have hundreds of
    # members): one frame per level, the next position to try at that level,
    # the members chosen above it and their weight
    nexts: list[int] = [0]
    chosen: list[tuple[int, ...]] = [()]
    weights: list[int] = [w_v]
    while nexts:
        at = nexts[-1]
        weight = weights[-1]
        if at >= len(order) or weight + suffix[at] < q:
            nexts.pop()
            chosen.pop()
            weights.pop()
            continue
        nexts[-1] = at + 1
        j = order[at]
        nw = weight + w[j]
        if nw >= q:
            yield tuple(sorted(vetoes + chosen[-1] + (j,)))
        else:
            nexts.append(at + 1)
            chosen.append((*chosen[-1], j))
            weights.append(nw)


def _power_enum(game: _Game, limit: int) -> _Raw:
    """Reference method: every one of the 2**n coalitions, definitions applied literally."""
    n = game.n
    w = game.weights
    size = 1 << n
    full = size - 1
    wsum = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        wsum[mask] = wsum[mask ^ low] + w[low.bit_length() - 1]
    vmask = sum(1 << i for i in game.vetoes)
    q = game.quota

    def table(vm: int) -> bytearray:
        return bytearray(
            1 if (m & vm) == vm and wsum[m] >= q and game.passable else 0 for m in range(size)
        )

    win = table(vmask)
    fact = _facts(n)
    swings = [0] * n
    shap_num = [0] * n
    for i in range(n):
        bit = 1 << i
        for m in range(size):
            if not m & bit and win[m | bit] and not win[m]:
                swings[i] += 1
                s = m.bit_count()
                shap_num[i] += fact[s] * fact[n - s - 1]
    winners = [m for m in range(size) if win[m]]
    minimal = [m for m in winners if all(not win[m ^ (1 << i)] for i in range(n) if m & (1 << i))]
    minimal.sort(key=lambda m: (m.bit_count(), [i for i in range(n) if m >> i & 1]))
    in_all = full
    for m in winners:
        in_all &= m
    raw = _Raw(
        swings=swings,
        shapley=[Fraction(s, fact[n]) for s in shap_num],
        winning=len(winners),
        mwc_count=len(minimal),
        mwc=[tuple(i for i in range(n) if m >> i & 1) for m in minimal[:limit]],
    )
    if winners:
        raw.effective_vetoes = [i for i in range(n) if in_all >> i & 1]
        raw.passes_alone = [i for i in range(n) if win[1 << i]]
        for i in sorted(game.vetoes):
            # the same game without i's declared veto: is i still in every winning coalition?
            alt = table(vmask & ~(1 << i))
            if all(m >> i & 1 for m in range(size) if alt[m]):
                raw.redundant.append(i)
    return raw


def _power_unanimity(game: _Game) -> _Raw:
    """Closed form: only the grand coalition wins; each member swings it once."""
    n = game.n
    if not game.passable:
        return _Raw([0] * n, [Fraction(0)] * n, 0, 0, [])
    everyone = list(range(n))
    return _Raw(
        swings=[1] * n,
        shapley=[Fraction(1, n)] * n,
        winning=1,
        mwc_count=1,
        mwc=[tuple(everyone)],
        effective_vetoes=everyone,
        passes_alone=everyone if n == 1 else [],
        redundant=sorted(game.vetoes),
    )


def power(
    committee: Committee,
    decision: str,
    *,
    method: Literal["auto", "dp", "enumeration"] = "auto",
    limit: int = MWC_LIMIT,
) -> DecisionPower:
    """Voting power on one decision, assuming full attendance and yes/no votes.

    ``method="auto"`` uses the closed form for ``unanimity`` and dynamic programming
    over integer weights otherwise (:func:`_power_dp`, one pass per class of equal
    weights: 1,000 members of equal weight cost about what 1 member costs times
    1,000).  When the DP would take more than :data:`DP_STEP_LIMIT` steps or
    :data:`DP_MEMORY_LIMIT` bytes (estimated beforehand), a committee of at most
    :data:`ENUMERATION_MAX_MEMBERS` members is enumerated instead (and ``notes`` say
    so); a bigger one is a :class:`CommitteeError` that says why and what would
    make it cheaper.  ``"dp"`` and ``"enumeration"`` force a method (enumeration
    is the literal reference; it needs at most :data:`ENUMERATION_MAX_MEMBERS`
    members).  At most ``limit`` minimal winning coalitions are listed; all are
    counted.
    """
    dec = committee.decision(decision)
    game = _game(committee, dec)
    n = game.n
    notes: list[str] = ["assumes full attendance and yes/no votes only"]
    if committee.consensus_rounds:
        notes.append(
            f"consensus rounds ignored: power is that of the rule applying from round "
            f"{committee.consensus_rounds + 1}"
        )
    chosen: PowerMethod
    if method == "auto" and dec.rule.kind == "unanimity":
        chosen = "unanimity"
    elif method == "enumeration":
        chosen = "enumeration"
    elif method == "dp":
        chosen = "dp"
    else:
        memory, steps = _dp_cost(game)
        if memory <= DP_MEMORY_LIMIT and steps <= DP_STEP_LIMIT:
            chosen = "dp"
        elif n <= ENUMERATION_MAX_MEMBERS:
            chosen = "enumeration"
            notes.append(
                f"weights too fine-grained for the weight-sum table (about {steps:,} steps, "
                f"{memory // 1_000_000:,} MB): all {1 << n} coalitions were enumerated"
            )
        else:
            classes = len(set(game.weights))
            raise CommitteeError(
                f"committee `{committee.name}`, decision `{dec.name}`: the voting power of "
                f"{n} members with {classes} different weights (total weight "
                f"{game.total:,} once scaled to whole numbers) is too costly to compute "
                f"exactly (about {steps:,} steps and {memory // 1_000_000:,} MB; the limits "
                f"are {DP_STEP_LIMIT:,} steps and {DP_MEMORY_LIMIT // 1_000_000:,} MB); "
                "fewer distinct weights, or weights with a common factor, make it cheaper"
            )
    if chosen == "enumeration" and n > ENUMERATION_MAX_MEMBERS:
        raise CommitteeError(
            f"committee `{committee.name}`: {n} members are too many to enumerate "
            f"(enumeration is limited to {ENUMERATION_MAX_MEMBERS} members)"
        )
    if not game.passable:
        raw = _Raw([0] * n, [Fraction(0)] * n, 0, 0, [])
    elif chosen == "unanimity":
        raw = _power_unanimity(game)
    elif chosen == "dp":
        raw = _power_dp(game, limit)
    else:
        raw = _power_enum(game, limit)

    names = committee.member_names
    total_swings = sum(raw.swings)
    veto_set = set(raw.effective_vetoes)
    alone = set(raw.passes_alone)
    members: list[MemberPower] = []
    for i, m in enumerate(committee.members):
        members.append(
            MemberPower(
                name=m.name,
                weight=m.weight,
                banzhaf=Fraction(raw.swings[i], total_swings) if total_swings else Fraction(0),
                shapley=raw.shapley[i],
                swings=raw.swings[i],
                declared_veto=m.name in dec.vetoes,
                effective_veto=i in veto_set,
                passes_alone=i in alone,
                dictator=i in alone and i in veto_set,
                dummy=game.passable and raw.swings[i] == 0,
            )
        )
    mwc = sorted(raw.mwc, key=lambda c: (len(c), c))
    declared = tuple(v for v in names if v in dec.vetoes)
    power_ = DecisionPower(
        committee=committee.name,
        decision=dec.name,
        rule=dec.rule.text,
        method=chosen,
        passable=game.passable,
        members=tuple(members),
        winning_coalitions=raw.winning,
        minimal_winning=tuple(tuple(names[i] for i in c) for c in mwc),
        minimal_winning_count=raw.mwc_count,
        declared_vetoes=declared,
        effective_vetoes=tuple(m.name for m in members if m.effective_veto),
        implied_vetoes=tuple(m.name for m in members if m.effective_veto and not m.declared_veto),
        redundant_vetoes=tuple(names[i] for i in raw.redundant),
        passes_alone=tuple(m.name for m in members if m.passes_alone),
        dictators=tuple(m.name for m in members if m.dictator),
        dummies=tuple(m.name for m in members if m.dummy),
        notes=tuple(notes),
    )
    return _with_findings(committee, dec, power_)


def _with_findings(committee: Committee, dec: Decision, p: DecisionPower) -> DecisionPower:
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
                f"yes {exact_str(total)} of {base} {exact_str(total)} fails {rule.long_text}"
            )
        return _replace_findings(p, out)

    def without(member: MemberPower) -> str:
        rest = total - member.weight
        return (
            f"without {member.name} the others hold {exact_str(rest)} of {base} "
            f"{exact_str(total)}, which fails {rule.long_text}"
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
    return _replace_findings(p, out)


def _replace_findings(p: DecisionPower, findings: list[str]) -> DecisionPower:
    return replace(p, findings=tuple(findings))


def banzhaf(committee: Committee, decision: str, party: str) -> Fraction:
    """Normalized Banzhaf index of ``party`` on ``decision`` (0 when nothing can pass)."""
    committee.weight_of(party)
    return power(committee, decision, limit=0).member(party).banzhaf


def shapley(committee: Committee, decision: str, party: str) -> Fraction:
    """Shapley–Shubik index of ``party`` on ``decision`` (0 when nothing can pass)."""
    committee.weight_of(party)
    return power(committee, decision, limit=0).member(party).shapley


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
    decisions = tuple(power(committee, d.name, limit=limit) for d in committee.decisions)
    for d in decisions:
        findings.extend(d.findings)
    return CommitteeAnalysis(committee.name, decisions, tuple(findings))
