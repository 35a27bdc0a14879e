"""LANGUAGE.md §7 — committees, votes and vetoes; voting-power analysis. Through `pact vote --format json`,
`pact analyze --format json` and `expect vote` / `banzhaf` / `shapley` in test blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spec.spec_helpers import analyze, assert_tests_pass, contract, error_codes, pact, vote, write

PAIR = contract(
    """
    committee steering {
      member acme weight 60
      member orbis weight 40
      quorum 2 members
      decision budget requires >= 2/3 of weight
      decision scope requires majority
      decision brand requires majority veto acme
      decision small requires majority veto orbis
      decision exit requires unanimity
    }
    """
)

TRIO_HEADER = '  effective 2026-01-01\n  currency EUR\n  party acme "A"\n  party orbis "O"\n  party nova "N"\n'


def trio(body: str) -> str:
    return contract(body, header=TRIO_HEADER)


OPEN3 = trio(
    """
    committee c {
      member acme weight 50
      member orbis weight 30
      member nova weight 20
      decision maj requires majority
      decision of_present requires > 1/2 of present
      decision of_cast requires > 1/2 of cast
      decision half_weight requires >= 1/2 of weight
      decision unan requires unanimity
      decision ge_cast requires >= 2/3 of cast
    }
    """
)


def outcome(tmp_path: Path, src: str, decision: str, ballot: str, *extra: str) -> str:
    return str(vote(tmp_path, src, decision, ballot, *extra)["outcome"])


# ---------------------------------------------------------------- rules and bases

CASES_PAIR = [
    # 3 × 60 = 180 < 2 × 100 = 200 → rejected
    ("steering.budget", "acme=yes,orbis=no", "rejected"),
    ("steering.budget", "acme=yes,orbis=yes", "passed"),
    # majority = > 50% of cast: 60 of 100 → passed; 40 of 100 → rejected
    ("steering.scope", "acme=yes,orbis=no", "passed"),
    ("steering.scope", "acme=no,orbis=yes", "rejected"),
    # a veto holder voting no vetoes whatever the weights
    ("steering.brand", "acme=no,orbis=yes", "vetoed"),
    ("steering.small", "acme=yes,orbis=no", "vetoed"),
    # a veto holder abstaining does not veto; 60 yes of 60 cast passes
    ("steering.small", "acme=yes,orbis=abstain", "passed"),
    ("steering.exit", "acme=yes,orbis=yes", "passed"),
    ("steering.exit", "acme=yes,orbis=abstain", "rejected"),
    # quorum 2 members, one present
    ("steering.scope", "acme=yes", "no-quorum"),
    ("steering.scope", "acme=yes,orbis=absent", "no-quorum"),
]


@pytest.mark.parametrize(("decision", "ballot", "expected"), CASES_PAIR)
def test_pair_committee(tmp_path: Path, decision: str, ballot: str, expected: str) -> None:
    assert outcome(tmp_path, PAIR, decision, ballot) == expected


CASES_OPEN3 = [
    # acme yes 50, orbis abstain 30, nova no 20: present 100, cast 70, weight 100
    ("c.of_present", "acme=yes,orbis=abstain,nova=no", "rejected"),  # 50 > 50? no
    ("c.of_cast", "acme=yes,orbis=abstain,nova=no", "passed"),  # 50 > 35
    ("c.maj", "acme=yes,orbis=abstain,nova=no", "passed"),  # majority = > 50% of cast
    # nova absent: weight counts all members; present counts the present ones
    ("c.half_weight", "acme=yes,orbis=no", "passed"),  # 50 >= 50
    ("c.half_weight", "orbis=yes,nova=yes", "passed"),  # 50 >= 50
    ("c.half_weight", "orbis=yes,acme=no", "rejected"),  # 30 < 50
    ("c.of_present", "acme=yes,nova=no", "passed"),  # 50 > 35 (present 70)
    # unanimity: every member votes yes; an absent member fails it
    ("c.unan", "acme=yes,orbis=yes,nova=yes", "passed"),
    ("c.unan", "acme=yes,orbis=yes", "rejected"),
    ("c.unan", "acme=yes,orbis=yes,nova=abstain", "rejected"),
    # >= 2/3 of cast holds iff 3 × yes >= 2 × cast. orbis 30 + nova 20 = 50 yes, acme no: cast 100 → 150 < 200
    ("c.ge_cast", "acme=no,orbis=yes,nova=yes", "rejected"),
    # acme yes 50, orbis no 30 (nova abstain): 150 < 160 → rejected
    ("c.ge_cast", "acme=yes,orbis=no,nova=abstain", "rejected"),
    # acme yes 50, nova no 20 (orbis abstain): 150 >= 140 → passed
    ("c.ge_cast", "acme=yes,nova=no,orbis=abstain", "passed"),
]


@pytest.mark.parametrize(("decision", "ballot", "expected"), CASES_OPEN3)
def test_three_member_committee_bases(
    tmp_path: Path, decision: str, ballot: str, expected: str
) -> None:
    assert outcome(tmp_path, OPEN3, decision, ballot) == expected


def test_weights_reported_by_basis(tmp_path: Path) -> None:
    w = vote(tmp_path, OPEN3, "c.maj", "acme=yes,orbis=abstain")["weights"]
    assert (w["yes"], w["no"], w["abstain"], w["present"], w["cast"], w["total"]) == (
        "50",
        "0",
        "30",
        "80",
        "50",
        "100",
    )


@pytest.mark.parametrize(
    ("yes", "no", "rule", "expected"),
    [
        # exact comparison: 3 × 2 = 6 >= 2 × 3 = 6 → passed; `>` → rejected
        ("2", "1", ">= 2/3 of cast", "passed"),
        ("2", "1", "> 2/3 of cast", "rejected"),
        # decimal weights: 0.2 of 0.3 is exactly 2/3 (binary floats would say 0.6000000000000001 > 0.6)
        ("0.2", "0.1", ">= 2/3 of cast", "passed"),
        ("0.2", "0.1", "> 2/3 of cast", "rejected"),
        ("1", "2", ">= 1/3 of weight", "passed"),
        ("1", "2", "> 1/3 of weight", "rejected"),
        ("33.5", "66.5", ">= 33.5% of weight", "passed"),
        ("33.5", "66.5", "> 33.5% of weight", "rejected"),
    ],
)
def test_fractions_are_compared_exactly(
    tmp_path: Path, yes: str, no: str, rule: str, expected: str
) -> None:
    src = contract(
        f"committee c {{\n  member acme weight {yes}\n  member orbis weight {no}\n  decision d requires {rule}\n}}"
    )
    assert outcome(tmp_path, src, "c.d", "acme=yes,orbis=no") == expected


# ---------------------------------------------------------------- quorum


QUORUM_W = trio(
    """
    committee c {
      member acme weight 50
      member orbis weight 30
      member nova weight 20
      quorum 60% of weight
      decision d requires majority
    }
    """
)


@pytest.mark.parametrize(
    ("ballot", "expected"),
    [
        ("acme=yes", "no-quorum"),  # present 50 < 60
        ("orbis=yes,nova=yes", "no-quorum"),  # present 50 < 60
        ("acme=yes,nova=no", "passed"),  # present 70 >= 60; 50 > 35
        ("acme=abstain,nova=yes", "passed"),  # abstaining is present: 70; cast 20, yes 20
        ("acme=yes,orbis=no,nova=absent", "passed"),  # present 80; 50 > 40
    ],
)
def test_quorum_by_percent_of_weight(tmp_path: Path, ballot: str, expected: str) -> None:
    assert outcome(tmp_path, QUORUM_W, "c.d", ballot) == expected


def test_quorum_percent_is_at_least(tmp_path: Path) -> None:
    """Reading: a quorum is a minimum, so exactly 60% present meets `quorum 60% of weight`."""
    src = contract(
        "committee c {\n  member acme weight 60\n  member orbis weight 40\n  quorum 60% of weight\n  decision d requires majority\n}"
    )
    assert outcome(tmp_path, src, "c.d", "acme=yes") == "passed"
    assert outcome(tmp_path, src, "c.d", "orbis=yes") == "no-quorum"


@pytest.mark.parametrize(
    ("ballot", "expected"),
    [
        ("acme=yes", "no-quorum"),
        ("acme=yes,orbis=abstain", "passed"),
        ("acme=yes,orbis=no,nova=no", "rejected"),
    ],
)
def test_quorum_by_members(tmp_path: Path, ballot: str, expected: str) -> None:
    src = trio(
        """
        committee c {
          member acme weight 50
          member orbis weight 30
          member nova weight 20
          quorum 2 members
          decision d requires majority
        }
        """
    )
    assert outcome(tmp_path, src, "c.d", ballot) == expected


def test_no_quorum_wins_over_a_veto(tmp_path: Path) -> None:
    """Ambiguity: a veto holder votes no at a meeting without quorum. Reading chosen: no valid vote took
    place → `no-quorum` (not `vetoed`)."""
    src = contract(
        "committee c {\n  member acme weight 60\n  member orbis weight 40\n  quorum 2 members\n  decision d requires majority veto acme\n}"
    )
    assert outcome(tmp_path, src, "c.d", "acme=no") == "no-quorum"


# ---------------------------------------------------------------- consensus rounds

CONSENSUS = trio(
    """
    committee c {
      member acme weight 50
      member orbis weight 30
      member nova weight 20
      consensus 2 rounds
      decision d requires majority
    }
    """
)


@pytest.mark.parametrize(
    ("ballot", "rnd", "expected"),
    [
        (
            "acme=yes,orbis=yes,nova=no",
            None,
            "rejected",
        ),  # no round number = round 1: consensus needed
        ("acme=yes,orbis=yes,nova=no", "1", "rejected"),
        ("acme=yes,orbis=yes,nova=no", "2", "rejected"),
        ("acme=yes,orbis=yes,nova=no", "3", "passed"),  # from round N+1 the rule applies: 80 > 50
        ("acme=yes,orbis=yes,nova=yes", "1", "passed"),
        ("acme=yes,orbis=yes,nova=abstain", "1", "rejected"),  # abstaining is present and not yes
        ("acme=yes,orbis=yes", "1", "passed"),  # absent nova does not block; 80 of 80 cast
        ("acme=no,orbis=yes,nova=yes", "3", "rejected"),  # yes 50 of cast 100 is not more than half
    ],
)
def test_consensus_rounds(tmp_path: Path, ballot: str, rnd: str | None, expected: str) -> None:
    extra = ("--round", rnd) if rnd else ()
    assert outcome(tmp_path, CONSENSUS, "c.d", ballot, *extra) == expected


def test_consensus_round_adds_a_requirement_and_keeps_the_rule(tmp_path: Path) -> None:
    """Ambiguity: in rounds 1..N "a ballot passes only if every present member votes yes". Reading chosen
    (the one a legal-ops author expects): consensus adds a requirement, it never relaxes the decision's
    rule. `>= 2/3 of weight` with acme (50) and orbis (30) present, both yes, nova absent: consensus of the
    present holds but 80 of 100 ≥ 2/3 holds too → passed; with only acme present and yes: 50 < 66.7 →
    rejected (unanimity-like consensus among 1 member does not pass a 2/3-of-weight decision)."""
    src = trio(
        """
        committee c {
          member acme weight 50
          member orbis weight 30
          member nova weight 20
          consensus 1 round
          decision d requires >= 2/3 of weight
        }
        """
    )
    assert outcome(tmp_path, src, "c.d", "acme=yes,orbis=yes") == "passed"
    assert outcome(tmp_path, src, "c.d", "acme=yes") == "rejected"


def test_round_1_is_the_default_in_the_cli_output(tmp_path: Path) -> None:
    doc = vote(tmp_path, CONSENSUS, "c.d", "acme=yes,orbis=yes,nova=yes")
    assert doc["round"] == 1
    assert doc["phase"] == "consensus"


def test_outcomes_in_test_blocks(tmp_path: Path) -> None:
    src = (
        CONSENSUS.replace("consensus 2 rounds", "consensus 2 rounds\n    quorum 2 members")
        + """
test "votes" {
  expect vote c.d { acme yes, orbis yes, nova no } is rejected
  expect vote c.d { acme yes, orbis yes, nova no } round 3 is passed
  expect vote c.d { acme yes, orbis absent, nova no } round 3 is passed
  expect vote c.d { acme yes } round 3 is no-quorum
  expect vote c.d { acme no, orbis yes, nova yes } round 3 is rejected
}
"""
    )
    assert_tests_pass(tmp_path, src)


def test_no_yes_never_passes(tmp_path: Path) -> None:
    """Ambiguity: every member abstains on `>= 1/2 of cast` — 2 × 0 >= 0 holds literally. Reading chosen:
    a decision that nobody voted for is not passed → rejected."""
    src = contract(
        "committee c {\n  member acme weight 60\n  member orbis weight 40\n  decision d requires >= 1/2 of cast\n}"
    )
    assert outcome(tmp_path, src, "c.d", "acme=abstain,orbis=abstain") == "rejected"


# ---------------------------------------------------------------- static errors


@pytest.mark.parametrize(
    "body",
    [
        "committee c {\n  member acme weight 0\n  decision d requires majority\n}",  # weight must be positive
        "committee c {\n  member acme weight -5\n  decision d requires majority\n}",
        "committee c {\n  member nobody weight 5\n  decision d requires majority\n}",
        "committee c {\n  member acme weight 5\n  decision d requires majority veto orbis\n}",  # veto of a non-member
        "committee c {\n  member acme weight 5\n  decision d requires >= 2/3 of everyone\n}",
        "committee c {\n  member acme weight 5\n  decision d requires sometimes\n}",
    ],
)
def test_committee_errors(tmp_path: Path, body: str) -> None:
    assert error_codes(tmp_path, contract(body))


# ---------------------------------------------------------------- §7 chair and deadlock (new)

CHAIR = contract(
    """
    committee c {
      member acme weight 50
      member orbis weight 50
      chair acme
      decision d requires majority
      decision v requires majority veto orbis
    }
    """
)


@pytest.mark.parametrize(
    ("ballot", "expected"), [("acme=yes,orbis=no", "passed"), ("acme=no,orbis=yes", "rejected")]
)
def test_chair_casting_vote_breaks_a_tie(tmp_path: Path, ballot: str, expected: str) -> None:
    """yes weight 50 = no weight 50 → the way the chair (acme) voted."""
    assert outcome(tmp_path, CHAIR, "c.d", ballot) == expected


def test_chair_does_not_override_a_veto(tmp_path: Path) -> None:
    assert outcome(tmp_path, CHAIR, "c.v", "acme=yes,orbis=no") == "vetoed"


def test_deadlock_clause_checks(tmp_path: Path) -> None:
    """The declaration checks; what recorded votes do with it: test_deadlock_of_recorded_votes_opens_a_dispute."""
    src = contract(
        """
        committee c {
          member acme weight 50
          member orbis weight 50
          quorum 2 members
          decision d requires majority deadlock after 2 escalate disputes
        }
        escalation disputes {
          step managers within 10 days
          step arbitration final
        }
        """
    )
    assert error_codes(tmp_path, src) == []


DEADLOCK = contract(
    """
    committee c {
      member acme weight 50
      member orbis weight 50
      quorum 2 members
      decision d requires majority deadlock after 2 escalate disputes
      decision e requires majority
    }
    escalation disputes {
      step managers within 10 days
      step arbitration final
    }
    """
)

DEADLOCK_JOURNAL = """
[[vote]]
committee = "c"
decision = "d"
date = 2026-02-27
ballots = { acme = "yes", orbis = "no" }

[[vote]]
committee = "c"
decision = "e"
date = 2026-03-10
ballots = { acme = "yes", orbis = "no" }

[[vote]]
committee = "c"
decision = "d"
date = 2026-03-31
ballots = { acme = "yes" }

[[vote]]
committee = "c"
decision = "d"
date = 2026-04-30
ballots = { acme = "yes", orbis = "no" }

[[vote]]
committee = "c"
decision = "d"
date = 2026-05-29
ballots = { acme = "yes", orbis = "yes" }
"""


def test_deadlock_of_recorded_votes_opens_a_dispute(tmp_path: Path) -> None:
    """§7: "a decision that is not passed at N consecutive recorded votes opens a dispute on that ladder on
    the date of the N-th vote". The recorded votes are a journal's (docs/journal.md, docs/conformance.md).
    c.d, majority (> 1/2 of cast), 50/50, quorum 2 members:
      2026-02-27 acme yes, orbis no: 50 > 50? no → rejected (run 1)
      2026-03-31 acme yes, orbis absent: 1 member < 2 → no-quorum (run 2 = N) → dispute opened 2026-03-31
      2026-04-30 rejected (run 1 again: the count starts over), 2026-05-29 passed: no second dispute.
    c.e (no deadlock clause) rejected on 2026-03-10 opens nothing, and does not break d's run.
    Ladder: managers 10 calendar days from Tue 2026-03-31 → Fri 2026-04-10 (a business day)."""
    c = write(tmp_path, "c.pact", DEADLOCK)
    j = write(tmp_path, "j.toml", DEADLOCK_JOURNAL)
    cal = pact("calendar", c, "--journal", j, "--format", "json")
    assert cal.exit_code == 0, cal.stderr
    items = cal.json["events"]
    opened = [i for i in items if i["kind"] == "dispute-opened"]
    assert [i["date"] for i in opened] == ["2026-03-31"]
    steps = [i["date"] for i in items if i["kind"] == "dispute-step"]
    assert "2026-04-10" in steps
    data = write(tmp_path, "d.csv", "period\n2026-01\n")
    run = pact("eval", c, "--data", data, "--journal", j, "--format", "json")
    assert run.exit_code == 0, run.stderr
    disputes = run.json["journal"]["disputes"]
    assert [(d["ladder"], d["opened"], d["decisions"]) for d in disputes] == [("disputes", "2026-03-31", ["c.d"])]
    assert disputes[0]["steps"][0]["deadline"] == "2026-04-10"


# ---------------------------------------------------------------- analysis


def decision(doc: dict[str, Any], name: str) -> dict[str, Any]:
    for com in doc["committees"]:
        for d in com["decisions"]:
            if d["decision"] == name:
                return d  # type: ignore[no-any-return]
    raise KeyError(name)


def power(doc: dict[str, Any], name: str, kind: str) -> dict[str, str]:
    return {m["name"]: m[kind] for m in decision(doc, name)["members"]}


ANALYSIS = trio(
    """
    committee c {
      member acme weight 50
      member orbis weight 30
      member nova weight 20
      decision budget requires >= 2/3 of weight
      decision maj requires majority
      decision vetoed requires majority veto orbis
      decision imp requires > 1/1 of weight
    }
    committee close {
      member acme weight 49
      member orbis weight 49
      member nova weight 2
      decision d requires majority
    }
    committee pair {
      member acme weight 60
      member orbis weight 40
      decision two_thirds requires >= 2/3 of weight
      decision simple requires majority
      decision brand requires majority veto acme
      decision exit requires unanimity veto orbis
    }
    """
)


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return analyze(tmp_path_factory.mktemp("analysis"), ANALYSIS)


def test_banzhaf_and_shapley_50_30_20_two_thirds(analysis: dict[str, Any]) -> None:
    """Quota 2/3 of 100. Winning: {a,o}=80, {a,n}=70, {a,o,n}; {o,n}=50 loses.
    Swings: acme in all three (3), orbis in {a,o} (1), nova in {a,n} (1) → Banzhaf 3/5, 1/5, 1/5.
    Shapley (6 orders): acme pivotal second after o or n (2) and third (2) → 4/6 = 2/3; orbis only in
    a,o,n → 1/6; nova only in a,n,o → 1/6."""
    assert power(analysis, "budget", "banzhaf") == {"acme": "3/5", "orbis": "1/5", "nova": "1/5"}
    assert power(analysis, "budget", "shapley") == {"acme": "2/3", "orbis": "1/6", "nova": "1/6"}


def test_minimal_winning_coalitions(analysis: dict[str, Any]) -> None:
    mwc = {frozenset(c) for c in decision(analysis, "budget")["minimal_winning_coalitions"]}
    assert mwc == {frozenset({"acme", "orbis"}), frozenset({"acme", "nova"})}


def test_majority_of_50_30_20_gives_equal_power_to_unequal_weights(
    analysis: dict[str, Any],
) -> None:
    """> 50 of 100: winning {a,o}=80, {a,n}=70, {a,o,n}; {o,n}=50 loses — the same game as 2/3 of weight."""
    assert power(analysis, "maj", "banzhaf") == {"acme": "3/5", "orbis": "1/5", "nova": "1/5"}


def test_49_49_2_gives_the_small_member_equal_power(analysis: dict[str, Any]) -> None:
    """Any two members make a majority: every index is 1/3."""
    assert power(analysis, "d", "banzhaf") == {"acme": "1/3", "orbis": "1/3", "nova": "1/3"}
    assert power(analysis, "d", "shapley") == {"acme": "1/3", "orbis": "1/3", "nova": "1/3"}


def test_power_with_a_declared_veto(analysis: dict[str, Any]) -> None:
    """majority veto orbis: winning coalitions contain orbis and > 50: {a,o}=80, {o,n}=50? no (50 not > 50),
    {a,o,n}. Swings: acme in {a,o} and {a,o,n} (without acme: 50, not > 50) → 2; orbis in {a,o}, {a,o,n} → 2;
    nova none → Banzhaf 1/2, 1/2, 0. Shapley: pivotal when the coalition first holds both a and o → 1/2, 1/2, 0."""
    assert power(analysis, "vetoed", "banzhaf") == {"acme": "1/2", "orbis": "1/2", "nova": "0"}
    assert power(analysis, "vetoed", "shapley") == {"acme": "1/2", "orbis": "1/2", "nova": "0"}


def test_60_40_two_thirds_gives_orbis_an_effective_veto_that_the_text_never_states(
    analysis: dict[str, Any],
) -> None:
    d = decision(analysis, "two_thirds")
    assert "orbis" in d["effective_vetoes"]
    assert d["declared_vetoes"] == []
    msgs = [f["message"] for f in analysis["findings"] if f["subject"] == "pair.two_thirds"]
    assert any("orbis" in m for m in msgs), msgs


def test_dictator_and_member_without_power(analysis: dict[str, Any]) -> None:
    d = decision(analysis, "simple")
    assert d["dictators"] == ["acme"]
    assert power(analysis, "simple", "banzhaf") == {"acme": "1", "orbis": "0"}
    msgs = " ".join(f["message"] for f in analysis["findings"] if f["subject"] == "pair.simple")
    assert "acme" in msgs


def test_decision_no_coalition_can_pass(analysis: dict[str, Any]) -> None:
    assert decision(analysis, "imp")["passable"] is False
    assert any(f["subject"] == "c.imp" for f in analysis["findings"])


def test_declared_vetoes_that_add_nothing(analysis: dict[str, Any]) -> None:
    """acme's veto on a majority decision it dictates, and orbis's veto on a unanimity decision, add nothing."""
    assert decision(analysis, "brand")["redundant_vetoes"] == ["acme"]
    assert decision(analysis, "exit")["redundant_vetoes"] == ["orbis"]
    subjects = {f["subject"] for f in analysis["findings"]}
    assert {"pair.brand", "pair.exit"} <= subjects


def test_power_in_expressions_and_tests(tmp_path: Path) -> None:
    """banzhaf/shapley are time-independent values usable in test expectations."""
    src = (
        ANALYSIS
        + """
test "power" {
  expect banzhaf(c.budget, acme) == 3/5
  expect banzhaf(c.budget, nova) == 20%
  expect shapley(c.budget, acme) == 2/3
  expect shapley(c.budget, orbis) == 1/6
  expect banzhaf(pair.two_thirds, orbis) == 1/2
}
"""
    )
    assert_tests_pass(tmp_path, src)


def test_analyze_text_mentions_the_implied_veto(tmp_path: Path) -> None:
    from spec.spec_helpers import pact, write

    run = pact("analyze", write(tmp_path, "c.pact", PAIR))
    assert run.exit_code == 0
    assert "orbis" in run.stdout and "veto" in run.stdout.lower()


# ---------------------------------------------------------------- audit: bases at the boundary, quorum %, chair, vetoes

QUAD_HEADER = (
    '  effective 2026-01-01\n  currency EUR\n'
    '  party a "A"\n  party b "B"\n  party c "C"\n  party d "D"\n'
)

QUAD = contract(
    """
    committee k {
      member a weight 40
      member b weight 30
      member c weight 20
      member d weight 10
      quorum 60% of weight
      chair b
      decision maj requires majority
      decision gt_half_w requires > 1/2 of weight
      decision ge_half_w requires >= 1/2 of weight
      decision ge_half_p requires >= 1/2 of present
      decision gt_half_p requires > 1/2 of present
      decision ge23c requires >= 2/3 of cast
      decision gt23c requires > 2/3 of cast
      decision una requires unanimity
      decision vet requires majority veto c, d
      decision q3 requires >= 3/4 of weight
    }
    """,
    header=QUAD_HEADER,
)

CASES_QUAD = [
    # quorum 60% of weight (total 100): present a 40 + c 20 = 60 ≥ 60 → met; yes 40 > 1/2 × cast 60 → passed
    ("k.maj", "a=yes,c=no", "passed"),
    # present a 40 + d 10 = 50 < 60 → no-quorum (b absent)
    ("k.maj", "a=yes,d=no,b=absent", "no-quorum"),
    # abstaining counts as present: 40 + 30 + 20 = 90; yes 40 of cast 70 → 80 > 70 → passed
    ("k.maj", "a=yes,b=no,c=abstain", "passed"),
    # yes 40 (a) = no 40 (b 30 + d 10): a tie; the chair b voted no → rejected
    ("k.maj", "a=yes,b=no,d=no,c=abstain", "rejected"),
    # yes 40 (b 30 + d 10) = no 40 (a): the chair b voted yes → passed
    ("k.maj", "a=no,b=yes,d=yes,c=abstain", "passed"),
    # the chair abstaining, no tie (yes 40, no c 20 + d 10 = 30): 2 × 40 > 70 → passed
    ("k.maj", "a=yes,c=no,d=no,b=abstain", "passed"),
    # of weight, exactly half: yes a 40 + d 10 = 50; > 1/2 of 100: 100 > 100 no; >= : 100 >= 100 yes
    ("k.gt_half_w", "a=yes,d=yes,b=no,c=abstain", "rejected"),
    ("k.ge_half_w", "a=yes,d=yes,b=no,c=abstain", "passed"),
    # of present: a yes 40, b no 30, c abstain 20 → present 90: 2 × 40 = 80 < 90 → rejected
    ("k.ge_half_p", "a=yes,b=no,c=abstain", "rejected"),
    # a yes 40, b abstain 30, d no 10 → present 80: 80 >= 80 passed; 80 > 80 rejected
    ("k.ge_half_p", "a=yes,b=abstain,d=no", "passed"),
    ("k.gt_half_p", "a=yes,b=abstain,d=no", "rejected"),
    # of cast, exactly 2/3: yes a 40 + c 20 = 60, no b 30, cast 90: 3 × 60 = 180 vs 2 × 90 = 180
    ("k.ge23c", "a=yes,c=yes,b=no", "passed"),
    ("k.gt23c", "a=yes,c=yes,b=no", "rejected"),
    # unanimity: d absent fails it even though quorum (90%) is met and every present member votes yes
    ("k.una", "a=yes,b=yes,c=yes,d=absent", "rejected"),
    ("k.una", "a=yes,b=yes,c=yes,d=yes", "passed"),
    # two veto holders: one no vetoes whatever the weights (yes 70 of cast 80)
    ("k.vet", "a=yes,b=yes,c=abstain,d=no", "vetoed"),
    # both veto holders abstain: no veto; yes 70 of cast 70 → passed
    ("k.vet", "a=yes,b=yes,c=abstain,d=abstain", "passed"),
    # a veto holder voting yes vetoes nothing: yes 20 of cast 90 → rejected, not vetoed
    ("k.vet", "a=no,b=no,c=yes,d=absent", "rejected"),
]


@pytest.mark.parametrize(("decision", "ballot", "expected"), CASES_QUAD)
def test_bases_quorum_and_vetoes_at_the_boundary(
    tmp_path: Path, decision: str, ballot: str, expected: str
) -> None:
    """§7: `present` = yes, no or abstain; `cast` = yes + no; `weight` = every member; `>` and `>=`
    compared exactly at the fraction; quorum X% of weight is "at least" (docs/language.md)."""
    assert outcome(tmp_path, QUAD, decision, ballot) == expected


@pytest.mark.parametrize(
    ("decision", "ballot"),
    [("k.ge23c", "a=no,b=yes,d=yes,c=abstain"), ("k.q3", "a=no,b=yes,d=yes,c=abstain")],
)
def test_chair_casting_vote_does_not_lower_a_qualified_majority(
    tmp_path: Path, decision: str, ballot: str
) -> None:
    """A tie (yes b 30 + d 10 = 40, no a 40) with the chair b voting yes, on `>= 2/3 of cast` and
    `>= 3/4 of weight`: the reading of docs/conformance.md — the casting vote breaks ties of a
    majority (or a rule of exactly 1/2) only, so the rule decides: 3 × 40 < 2 × 80, 4 × 40 < 3 × 100."""
    assert outcome(tmp_path, QUAD, decision, ballot) == "rejected"


ROUNDS = contract(
    """
    committee k {
      member a weight 50
      member b weight 30
      member c weight 20
      quorum 2 members
      consensus 2 rounds
      decision maj requires majority
      decision w requires >= 1/2 of weight
    }
    """,
    header='  effective 2026-01-01\n  currency EUR\n  party a "A"\n  party b "B"\n  party c "C"\n',
)


@pytest.mark.parametrize(
    ("decision", "ballot", "rnd", "expected"),
    [
        # round 2 of 2 is still a consensus round: c votes no → rejected
        ("k.maj", "a=yes,b=yes,c=no", "2", "rejected"),
        # round 3: the rule alone, 80 > 50 → passed
        ("k.maj", "a=yes,b=yes,c=no", "3", "passed"),
        # an abstention breaks consensus ("every present member votes yes")
        ("k.maj", "a=yes,b=yes,c=abstain", "1", "rejected"),
        ("k.maj", "a=yes,b=yes,c=abstain", "3", "passed"),
        # an absent member does not: a, b present and yes, quorum 2 met → passed in round 1
        ("k.maj", "a=yes,b=yes", "1", "passed"),
        # b 30 + c 20 = 50 >= 1/2 of weight 100, every present member yes, a absent → passed
        ("k.w", "b=yes,c=yes", "1", "passed"),
        # quorum before anything: one member present in round 5 → no-quorum
        ("k.maj", "a=yes", "5", "no-quorum"),
    ],
)
def test_consensus_rounds_at_their_edges(
    tmp_path: Path, decision: str, ballot: str, rnd: str, expected: str
) -> None:
    assert outcome(tmp_path, ROUNDS, decision, ballot, "--round", rnd) == expected


def test_deadlock_after_1_and_after_3_counting_vetoes_and_no_quorum(tmp_path: Path) -> None:
    """§7 deadlock: "a decision that is not passed at N consecutive recorded votes opens a dispute
    ... on the date of the N-th vote". `three` (>= 1/2 of present, veto acme, quorum 2 members):
    01-10 vetoed (1), 02-10 no-quorum (2), 03-10 passed (count reset), 04-10 vetoed (1), 05-10 vetoed (2),
    06-10 acme abstains, orbis no: yes 0 → rejected (3) → deadlocked on 2026-06-10.
    The ladder from Thursday 2026-05-07, 10 business days, calendar FR: 05-08 (Victoire 1945), 05-14
    (Ascension) and 05-25 (Pentecost Monday) skipped → 11, 12, 13, 15, 18, 19, 20, 21, 22, 26."""
    src = contract(
        """
        committee tf {
          member acme weight 50
          member orbis weight 50
          quorum 2 members
          chair orbis
          decision one requires majority deadlock after 1 escalate disputes
          decision three requires >= 1/2 of present veto acme deadlock after 3 escalate disputes
        }
        escalation disputes {
          step managers within 10 business days
          step arbitration final
        }
        """,
        header='  effective 2026-01-01\n  currency EUR\n  calendar FR\n  party acme "A"\n  party orbis "O"\n',
    ) + """
test "deadlocks" {
  expect vote tf.one {
    2026-05-07: acme yes, orbis no
  } is deadlocked on 2026-05-07
  expect vote tf.one {
    2026-05-07: acme no, orbis yes
  } is passed
  expect vote tf.three {
    2026-01-10: acme no, orbis yes
    2026-02-10: acme yes
    2026-03-10: acme yes, orbis yes
    2026-04-10: acme no, orbis no
    2026-05-10: acme no, orbis yes
    2026-06-10: acme abstain, orbis no
  } is deadlocked on 2026-06-10
  expect escalation disputes opened 2026-05-07 deadline managers == 2026-05-26
}
"""
    assert_tests_pass(tmp_path, src)


# ---------------------------------------------------------------- audit: power of four members, chairs, passing alone

POWER4 = contract(
    """
    committee q {
      member a weight 40
      member b weight 30
      member c weight 20
      member d weight 10
      decision maj requires > 1/2 of weight
      decision tt requires >= 2/3 of weight
      decision ttv requires >= 2/3 of weight veto a
      decision vd requires majority veto d
    }
    committee h {
      member a weight 50
      member b weight 30
      member c weight 20
      decision half requires >= 1/2 of weight
    }
    committee k1 {
      member a weight 2
      member b weight 1
      member c weight 1
      chair b
      decision m requires majority
      decision t requires >= 2/3 of cast
    }
    committee vv {
      member a weight 1
      member b weight 1
      member c weight 1
      decision x requires > 1/1 of cast veto a
    }
    """,
    header=QUAD_HEADER,
)


@pytest.fixture(scope="module")
def power4(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return analyze(tmp_path_factory.mktemp("power4"), POWER4)


def test_four_members_majority_by_hand(power4: dict[str, Any]) -> None:
    """40/30/20/10, > 50. Winning: ab 70, ac 60, abc, abd, acd, bcd 60, abcd (ad = bc = 50 lose).
    Swings: a in ab, ac, abc, abd, acd (5); b in ab, abd, bcd (3); c in ac, acd, bcd (3); d in bcd (1) → /12.
    Shapley (24 orders): d pivots after {b, c} only (2 orders) → 1/12; b after {a}, {a,d}, {c,d} → 6/24;
    c after {a}, {a,d}, {b,d} → 6/24; a the other 10 → 5/12."""
    assert power(power4, "maj", "banzhaf") == {"a": "5/12", "b": "1/4", "c": "1/4", "d": "1/12"}
    assert power(power4, "maj", "shapley") == {"a": "5/12", "b": "1/4", "c": "1/4", "d": "1/12"}
    assert decision(power4, "maj")["minimal_winning_coalitions"] == [["a", "b"], ["a", "c"], ["b", "c", "d"]]
    assert decision(power4, "maj")["effective_vetoes"] == []


def test_four_members_two_thirds_gives_a_an_unstated_veto(power4: dict[str, Any]) -> None:
    """>= 2/3 of 100 (3 × yes ≥ 200): winning ab 70, abc, abd, acd 70, abcd; ac 60 and bcd 60 lose.
    Swings: a 5 (all), b 3 (ab, abc, abd), c 1 (acd), d 1 (acd) → 1/2, 3/10, 1/10, 1/10.
    Shapley: c pivots only after {a, d} (2 orders), d only after {a, c} (2), b after {a}, {a,c}, {a,d} (6),
    a the other 14 → 7/12, 1/4, 1/12, 1/12. Every winning coalition holds a: a blocks alone. Declaring
    that veto (ttv) adds nothing."""
    assert power(power4, "tt", "banzhaf") == {"a": "1/2", "b": "3/10", "c": "1/10", "d": "1/10"}
    assert power(power4, "tt", "shapley") == {"a": "7/12", "b": "1/4", "c": "1/12", "d": "1/12"}
    assert decision(power4, "tt")["minimal_winning_coalitions"] == [["a", "b"], ["a", "c", "d"]]
    assert decision(power4, "tt")["effective_vetoes"] == ["a"]
    assert decision(power4, "tt")["implied_vetoes"] == ["a"]
    assert decision(power4, "ttv")["redundant_vetoes"] == ["a"]
    assert power(power4, "ttv", "shapley") == power(power4, "tt", "shapley")


def test_the_smallest_member_with_a_veto_holds_the_most_power(power4: dict[str, Any]) -> None:
    """majority veto d: winning = holds d and > 50: abd, acd, bcd, abcd. Swings: d in all 4, a in abd, acd,
    b in abd, bcd, c in acd, bcd → 2/10 each and 4/10. Shapley: d pivots after any set above 40 without it —
    {a,b}, {a,c}, {b,c} (2 orders each) and {a,b,c} (6) → 12/24; a after {b,d}, {c,d} → 4/24; b, c alike."""
    assert power(power4, "vd", "banzhaf") == {"a": "1/5", "b": "1/5", "c": "1/5", "d": "2/5"}
    assert power(power4, "vd", "shapley") == {"a": "1/6", "b": "1/6", "c": "1/6", "d": "1/2"}
    assert decision(power4, "vd")["redundant_vetoes"] == []


def test_passing_alone_is_reported_even_without_a_veto(power4: dict[str, Any]) -> None:
    """>= 1/2 of 100 with 50/30/20: a alone (50) passes, and so does {b, c} (50). a is listed as passing
    alone (with a finding) but is no dictator: not every winning coalition holds it (docs/conformance.md).
    Winning: a, ab, ac, abc, bc → swings a 3, b 1, c 1 → 3/5, 1/5, 1/5; Shapley a pivots first (2 orders)
    or second after b or c (1 each) → 4/6."""
    d = decision(power4, "half")
    assert d["passes_alone"] == ["a"] and d["dictators"] == [] and d["effective_vetoes"] == []
    assert d["minimal_winning_coalitions"] == [["a"], ["b", "c"]]
    assert power(power4, "half", "banzhaf") == {"a": "3/5", "b": "1/5", "c": "1/5"}
    assert power(power4, "half", "shapley") == {"a": "2/3", "b": "1/6", "c": "1/6"}
    assert any(f["subject"] == "h.half" and "a can pass" in f["message"] for f in power4["findings"])


def test_a_chair_makes_2_1_1_symmetric(power4: dict[str, Any]) -> None:
    """Weights 2/1/1, majority, chair b: {b, c} against a is a 2–2 tie that b's casting vote wins, so any
    two members pass → 1/3 each. On >= 2/3 of cast the chair does not count (docs/conformance.md): winning
    ab, ac, abc → a 3/5 with an implied veto."""
    assert power(power4, "m", "banzhaf") == {"a": "1/3", "b": "1/3", "c": "1/3"}
    assert power(power4, "m", "shapley") == {"a": "1/3", "b": "1/3", "c": "1/3"}
    assert power(power4, "t", "banzhaf") == {"a": "3/5", "b": "1/5", "c": "1/5"}
    assert decision(power4, "t")["effective_vetoes"] == ["a"]


def test_an_impassable_decision_has_no_power_and_no_veto_lists(power4: dict[str, Any]) -> None:
    """> 1/1 of cast: even all yes (3 of 3) fails. Every index 0; the finding is that nothing passes."""
    d = decision(power4, "x")
    assert d["passable"] is False and d["minimal_winning_coalitions"] == []
    assert power(power4, "x", "banzhaf") == {"a": "0", "b": "0", "c": "0"}
    assert d["effective_vetoes"] == d["redundant_vetoes"] == d["dictators"] == []
    assert any(f["subject"] == "vv.x" for f in power4["findings"])
