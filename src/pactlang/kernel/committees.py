"""Committees, votes, vetoes and voting power (LANGUAGE.md §7).

This module holds *all* committee semantics.  The evaluator (``expect vote``),
``pact vote``, ``pact analyze``, the renderer and the code generator all call
it; nothing else interprets a committee.

Three layers:

* a plain model (built from the declaration by :mod:`pactlang.ir.models`): :class:`Committee`
  with :class:`Member`, :class:`Quorum`, :class:`VotingRule`, :class:`Decision`;
* one ballot: :func:`cast` returns a :class:`VoteResult` with the outcome, the
  exact weights and each check it made with its numbers (``checks``: quorum,
  vetoes, consensus round, rule), which :mod:`pactlang.present.ballot_text`
  words as the ballot's steps;
* recorded votes in order: :func:`record` applies a decision's ``deadlock``
  clause (each vote's run of votes not passed, the deadlocks);
* voting power lives in :mod:`pactlang.kernel.power` (:func:`power`,
  :func:`analyze`, :func:`banzhaf`, :func:`shapley`).

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
* **Casting vote.** With ``chair P``, a ballot whose yes weight equals its no
  weight (both above 0; quorum met, no veto used, past the consensus rounds)
  goes the way the chair voted — on a ``majority`` decision or a rule of
  exactly 1/2 only: a casting vote breaks a tie, it never lowers a qualified
  majority (``>= 2/3``) or unanimity.  A chair who abstains or is absent
  casts nothing, and the rule decides.
* **Deadlock.** ``deadlock after N escalate L``: N consecutive recorded votes
  that do not pass (rejected, vetoed or no-quorum) open a dispute on L on the
  date of the N-th; the count then starts again (:func:`record`).
* JSON: weights are decimal strings (``"60"``, ``"33.5"``); power indices and
  other ratios are fraction strings (``"2/3"``, ``"0"``, ``"1"``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

from pactlang.base.values import exact_str

__all__ = [
    "VOTES",
    "OUTCOMES",
    "Vote",
    "Outcome",
    "VoteBase",
    "CommitteeError",
    "BallotError",
    "Member",
    "Quorum",
    "VotingRule",
    "Decision",
    "Committee",
    "VoteResult",
    "Deadlock",
    "Record",
    "Recorded",
    "QuorumCheck",
    "VetoCheck",
    "RoundCheck",
    "RuleCheck",
    "Check",
    "cast",
    "casting",
    "record",
]

Vote: TypeAlias = Literal["yes", "no", "abstain", "absent"]
Outcome: TypeAlias = Literal["passed", "rejected", "vetoed", "no-quorum"]
VoteBase: TypeAlias = Literal["weight", "present", "cast"]

VOTES: tuple[Vote, ...] = ("yes", "no", "abstain", "absent")
OUTCOMES: tuple[Outcome, ...] = ("passed", "rejected", "vetoed", "no-quorum")


class CommitteeError(ValueError):
    """A committee that cannot be modelled or analysed (bad weights, unknown names…)."""


class BallotError(CommitteeError):
    """A ballot that cannot be counted: non-member, unknown vote word, unknown decision, bad round."""


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

    def holds(self, yes: Fraction, base: Fraction) -> bool:
        """Whether ``yes`` meets the fraction of ``base`` (exact; not for unanimity)."""
        lhs = yes * self.fraction.denominator
        rhs = base * self.fraction.numerator
        return lhs > rhs if self.strict else lhs >= rhs


@dataclass(frozen=True, slots=True)
class Deadlock:
    """``deadlock after N escalate LADDER``: N consecutive recorded votes that do not
    pass the decision open a dispute on LADDER on the date of the N-th."""

    votes: int
    ladder: str


@dataclass(frozen=True, slots=True)
class Decision:
    """``decision NAME ["Label"] requires RULE [veto P, …] [deadlock after N escalate L]``."""

    name: str
    rule: VotingRule
    vetoes: tuple[str, ...] = ()
    label: str | None = None
    deadlock: Deadlock | None = None


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
    chair: str | None = None  # casting vote on a tie (LANGUAGE.md §7)

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
        if self.chair is not None and self.chair not in seen:
            raise CommitteeError(f"{where}: the chair `{self.chair}` is not a member")
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
class QuorumCheck:
    """The quorum of a ballot: ``quorum`` (None: none required), who was
    present, and whether it was met (members counted, or the present weight
    against the fraction of the total, by cross-multiplication)."""

    quorum: Quorum | None
    present_names: tuple[str, ...]
    members: int
    present: Fraction
    total: Fraction
    met: bool


@dataclass(frozen=True, slots=True)
class VetoCheck:
    """The decision's veto holders with their votes; ``used``: those who voted no."""

    holders: tuple[tuple[str, Vote], ...]
    used: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoundCheck:
    """The ballot's round against the committee's ``rounds`` of consensus: in
    one (``consensus``), every present member must vote yes (``not_yes``: the
    present members who did not; ``present``: how many were present)."""

    round: int
    rounds: int
    consensus: bool
    not_yes: tuple[tuple[str, Vote], ...]
    present: int

    @property
    def reached(self) -> bool:
        """In a consensus round: every present member voted yes (and someone was present)."""
        return not self.not_yes and self.present > 0


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """The decision rule on the ballot.  Unanimity: ``not_yes`` (members who
    did not vote yes) of ``members``.  A fraction or majority: the yes weight
    against ``base`` (the weight of the rule's base), ``holds`` by
    cross-multiplication; on a tie that the chair's casting vote may break,
    the ``chair`` and its ``chair_vote``.  ``passed``: the rule's verdict."""

    rule: VotingRule
    yes: Fraction
    no: Fraction
    base: Fraction
    holds: bool
    passed: bool
    not_yes: tuple[tuple[str, Vote], ...] = ()
    members: int = 0
    chair: str | None = None
    chair_vote: Vote | None = None

    @property
    def casting_vote(self) -> bool:
        """The chair's casting vote decided the tie."""
        return self.chair_vote in ("yes", "no")


Check: TypeAlias = QuorumCheck | VetoCheck | RoundCheck | RuleCheck


@dataclass(frozen=True, slots=True)
class VoteResult:
    """The outcome of one ballot, with exact weights and the checks made, in
    order, each with its numbers (``checks``; worded by
    :func:`pactlang.present.ballot_text.vote_steps`).

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
    checks: tuple[Check, ...]
    # the round as given (None: no round number on the ballot)
    given_round: int | None = None

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict of the figures; weights as exact decimal strings
        (the document with the steps in words is
        :func:`pactlang.present.ballot_text.vote_json`'s)."""
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
        }


def _rule_check(rule: VotingRule, yes: Fraction, no: Fraction, base: Fraction) -> RuleCheck:
    """A fraction or majority rule on the ballot (a base of 0 never passes,
    nor does a ballot without a yes)."""
    holds = base != 0 and rule.holds(yes, base)
    return RuleCheck(rule, yes, no, base, holds, holds and yes != 0)


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
    present_names = tuple(n for n, v in votes if v != "absent")
    checks: list[Check] = []
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
            checks=tuple(checks),
            given_round=round,
        )

    # 1. quorum
    q = committee.quorum
    if q is None:
        met = True
    elif q.kind == "members":
        met = len(present_names) >= q.count
    else:
        met = present * q.fraction.denominator >= total * q.fraction.numerator
    checks.append(QuorumCheck(q, present_names, len(members), present, total, met))
    if not met:
        return result("no-quorum")

    # 2. vetoes
    if dec.vetoes:
        vote_of = dict(votes)
        used = tuple(v for v in dec.vetoes if vote_of[v] == "no")
        checks.append(VetoCheck(tuple((v, vote_of[v]) for v in dec.vetoes), used))
        if used:
            return result("vetoed")

    # 3. consensus rounds
    if phase == "consensus" or n_rounds or round is not None:
        not_yes = tuple((n, v) for n, v in votes if v in ("no", "abstain"))
        rc = RoundCheck(rnd, n_rounds, phase == "consensus", not_yes, len(present_names))
        checks.append(rc)
        if rc.consensus and not rc.reached:
            return result("rejected")

    # 4. the rule
    if rule.kind == "unanimity":
        others = tuple((n, v) for n, v in votes if v != "yes")
        ok = not others
        checks.append(RuleCheck(rule, yes, no, total, ok, ok, others, len(votes)))
        return result("passed" if ok else "rejected")
    base = {"weight": total, "present": present, "cast": cast_w}[rule.base]
    check = _rule_check(rule, yes, no, base)
    chair = committee.chair
    if chair is not None and casting(rule) and yes == no and yes > 0:
        chair_vote = dict(votes).get(chair, "absent")
        check = dataclasses.replace(check, chair=chair, chair_vote=chair_vote)
        if check.casting_vote:
            check = dataclasses.replace(check, passed=chair_vote == "yes")
    checks.append(check)
    return result("passed" if check.passed else "rejected")


def casting(rule: VotingRule) -> bool:
    """Whether a chair's casting vote can break a tie on ``rule``: a majority, or a
    rule of exactly 1/2 (a qualified majority or unanimity is never lowered)."""
    return rule.kind == "majority" or (rule.kind == "fraction" and rule.fraction == Fraction(1, 2))


# ---------------------------------------------------------------- recorded votes


@dataclass(frozen=True, slots=True)
class Recorded:
    """One vote of a sequence: its date and its counted result; ``streak``:
    the consecutive votes not passed it ends (0 when it passed), ``deadlock``:
    whether it completed the deadlock clause's count (a dispute opens)."""

    date: datetime.date
    result: VoteResult
    streak: int = 0
    deadlock: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    """Recorded votes on one decision, in date order, and the disputes its
    ``deadlock`` clause opened (``deadlocks``: the dates)."""

    committee: str
    decision: str
    votes: tuple[Recorded, ...]
    deadlocks: tuple[datetime.date, ...]
    ladder: str | None
    clause: Deadlock | None = None  # the decision's deadlock clause

    @property
    def outcome(self) -> Outcome | None:
        """The outcome of the last vote."""
        return self.votes[-1].result.outcome if self.votes else None


def record(
    committee: Committee,
    decision: str,
    ballots: Sequence[tuple[datetime.date, Mapping[str, str], int | None]],
) -> Record:
    """Count recorded votes in order and apply the decision's ``deadlock`` clause:
    each run of N consecutive votes that do not pass (rejected, vetoed, no-quorum)
    opens a dispute on the N-th vote's date, and the count starts again."""
    dec = committee.decision(decision)
    rule = dec.deadlock
    votes: list[Recorded] = []
    deadlocks: list[datetime.date] = []
    streak = 0
    for day, ballot, rnd in sorted(ballots, key=lambda b: b[0]):
        res = cast(committee, decision, ballot, rnd)
        streak = 0 if res.outcome == "passed" else streak + 1
        deadlock = rule is not None and streak >= rule.votes
        votes.append(Recorded(day, res, streak, deadlock))
        if deadlock:
            deadlocks.append(day)
            streak = 0
    return Record(
        committee.name,
        dec.name,
        tuple(votes),
        tuple(deadlocks),
        rule.ladder if rule is not None else None,
        rule,
    )


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


