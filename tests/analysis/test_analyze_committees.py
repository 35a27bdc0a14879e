"""Committee part of ``pact analyze`` on the LANGUAGE.md §2 example and a
three-member committee.  Power values were computed by hand (comments)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from pactlang.analysis import analyze, render_analysis_text
from pactlang.analysis.committees import CommitteeReport, percent, rule_words
from pactlang.api import load, loads
from pactlang.kernel.committees import VotingRule

FIXTURES = Path(__file__).parent / "fixtures"


def spec_committee() -> CommitteeReport:
    report = analyze(load(FIXTURES / "spec_alliance.pact"))
    (c,) = report.committees
    return c


def decision_json(c: CommitteeReport, name: str) -> dict[str, object]:
    doc = c.to_json()
    decisions = doc["decisions"]
    assert isinstance(decisions, list)
    return next(d for d in decisions if d["decision"] == name)


def messages(c: CommitteeReport, subject: str) -> list[str]:
    return [f.message for f in c.findings if f.subject == subject]


def test_budget_gives_orbis_an_implied_veto() -> None:
    # 60/40 with >= 2/3 of weight: only {acme, orbis} (100) reaches 200/3; each member
    # swings it once -> Banzhaf 1/2 each; Shapley: the second to join is pivotal -> 1/2
    c = spec_committee()
    found = messages(c, "steering.budget")
    assert any(
        m.startswith("orbis can block `budget` alone although the contract gives it no veto")
        for m in found
    )
    assert any(m.startswith("acme can block `budget` alone") for m in found)
    d = decision_json(c, "budget")
    assert d["implied_vetoes"] == ["acme", "orbis"]
    assert d["rule_words"] == "at least 2/3 of the total weight of all members"
    assert d["quota"] == {"yes": ">=", "weight": "200/3", "of": "100"}
    members = d["members"]
    assert isinstance(members, list)
    assert [(m["name"], m["banzhaf"], m["shapley"]) for m in members] == [
        ("acme", "1/2", "1/2"),
        ("orbis", "1/2", "1/2"),
    ]
    assert members[1]["banzhaf_percent"] == "50.00%"
    assert all(f.severity == "warning" for f in c.findings)


def test_brand_veto_of_acme_adds_nothing_and_acme_decides_alone() -> None:
    # majority: acme's 60 > 50 passes alone and nothing passes without it (dictator);
    # its declared veto therefore adds nothing and orbis never changes the outcome
    c = spec_committee()
    found = messages(c, "steering.brand")
    assert any(m.startswith("acme decides `brand` alone") for m in found)
    assert any(m.startswith("acme's veto on `brand` adds nothing") for m in found)
    assert any(m.startswith("orbis has no power on `brand`") for m in found)
    d = decision_json(c, "brand")
    assert d["redundant_vetoes"] == ["acme"] and d["dictators"] == ["acme"]
    assert d["rule_words"] == (
        "more than half of the weight of the votes cast (yes + no); a no from acme vetoes it"
    )


def test_unanimity_has_no_finding_and_the_text_names_it() -> None:
    c = spec_committee()
    assert messages(c, "steering.exit") == []
    text = render_analysis_text(analyze(load(FIXTURES / "spec_alliance.pact")))
    exit_block = text.split("decision exit")[1].split("\n\n")[0]
    assert "requires a yes from every member (`unanimity`)" in exit_block
    assert "veto (unanimity)" in exit_block
    budget_block = text.split("decision budget")[1].split("\n\n")[0]
    orbis_row = next(line for line in budget_block.splitlines() if line.strip().startswith("orbis"))
    assert orbis_row.split()[:4] == ["orbis", "40", "1/2", "(50.00%)"]
    assert "veto (implied by weight)" in orbis_row
    assert "minimal winning coalitions (1): {acme, orbis}" in budget_block


THREE = """contract "three" {
  currency EUR
  party a "A"
  party b "B"
  party c "C"
  committee ic "IC" {
    member a weight 50
    member b weight 30
    member c weight 20
    quorum 2 members
    decision d1 requires >= 2/3 of weight
    decision d2 requires > 1/1 of weight
  }
}
"""


def test_three_members_exact_power_and_an_impassable_decision() -> None:
    (c,) = analyze(loads(THREE)).committees
    # d1 needs 200/3: winning {a,b} 80, {a,c} 70, {a,b,c}; swings a 3, b 1, c 1 ->
    # Banzhaf 3/5, 1/5, 1/5.  Shapley: a is pivotal unless it comes first (4 of 6
    # orders) -> 2/3, 1/6, 1/6
    d1 = decision_json(c, "d1")
    members = d1["members"]
    assert isinstance(members, list)
    assert [(m["banzhaf"], m["shapley"]) for m in members] == [
        ("3/5", "2/3"),
        ("1/5", "1/6"),
        ("1/5", "1/6"),
    ]
    assert [m["shapley_percent"] for m in members] == ["66.67%", "16.67%", "16.67%"]
    assert d1["minimal_winning_coalitions"] == [["a", "b"], ["a", "c"]]
    d2 = decision_json(c, "d2")
    assert d2["passable"] is False
    assert any(m.startswith("no coalition can pass `d2`") for m in messages(c, "ic.d2"))


def test_rule_words_and_rounded_percentages() -> None:
    assert rule_words(VotingRule.unanimity()) == "a yes from every member"
    rule = VotingRule.of_fraction(">", Fraction(1, 2), "present", "1/2")
    assert rule_words(rule, ("a", "b")) == (
        "more than 1/2 of the weight of the members present; a, b can each veto it"
    )
    assert percent(Fraction(1, 3)) == "33.33%"
    assert percent(Fraction(2, 3)) == "66.67%"
    assert percent(Fraction(1, 8)) == "12.50%"  # 12.5 exactly, shown with 2 decimals
    assert percent(Fraction(1, 800)) == "0.12%"  # 0.125 -> half-even -> 0.12
