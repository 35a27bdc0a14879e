"""pact diff: changes in meaning, construct by construct (src/pactlang/compare/meaning.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pactlang
from pactlang.api import Contract
from pactlang.compare.meaning import delta, meaning_changes, same, word_changes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contracts"

BASE = textwrap.dedent(
    """\
    contract "Demo" {
      id "D-1"
      version "1"
      effective 2026-01-01 until 2026-12-31
      currency EUR
      party acme "ACME"
      party orbis "Orbis"
      measure leads "Leads": count
      measure won "Won": count
      measure proceeds "Proceeds": money
      let penalty = 1_000 EUR
      let floor = 10% from 2026-01, 12% from 2026-07
      kpi conversion "Conversion": percent = won / leads {
        owner orbis
        target 20%
      }
      threshold th "Floor" {
        when conversion < 8% for 3 months: breach
          => pay penalty from orbis to acme "Penalty"
          => escalate disputes
        when conversion < floor: watch
        otherwise: ok
      }
      committee board {
        member acme weight 60
        member orbis weight 40
        quorum 2 members
        decision budget requires >= 2/3 of weight
        decision scope requires majority
      }
      escalation disputes {
        step managers within 10 days
        step arbitration final
      }
      waterfall fund {
        distributes proceeds
        tier repay {
          pay acme up to 300 EUR
          pay orbis up to 200 EUR
        }
        tier rest {
          split acme 60%, orbis 40%
        }
      }
    }
    """
)


def loads(text: str) -> Contract:
    return pactlang.loads(text, "<test>")


def changes(old: str, new: str) -> list[str]:
    a, b = loads(old), loads(new)
    return [c.text for c in meaning_changes(a.checked, a.program.ir, b.checked, b.program.ir)]


def test_the_same_contract_has_no_change() -> None:
    assert changes(BASE, BASE) == []


def test_layout_and_comments_change_nothing() -> None:
    moved = BASE.replace("  let penalty = 1_000 EUR\n", "") .replace(
        "  kpi conversion", "  # the agreed penalty\n  let penalty =   1000 EUR\n  kpi conversion"
    )
    assert changes(BASE, moved) == []


def test_a_threshold_literal_is_shown_alone() -> None:
    assert changes(BASE, BASE.replace("conversion < 8%", "conversion < 5%")) == ["th rule 1: 8% → 5%"]


def test_persistence_status_and_cadence() -> None:
    new = BASE.replace("for 3 months: breach", "for 2 quarters: watch").replace(
        'threshold th "Floor" {', 'threshold th "Floor" {\n    checked quarterly'
    )
    assert changes(BASE, new) == [
        "th checked: monthly → quarterly",
        "th rule 1: for 3 months → for 2 quarters",
        "th rule 1 status: breach → watch",
    ]


def test_an_inserted_rule_is_one_new_rule() -> None:
    new = BASE.replace("    otherwise: ok", "    when conversion >= 30%: bonus\n    otherwise: ok")
    assert changes(BASE, new) == ["th rule 3: added: when conversion >= 30%: bonus"]
    first = BASE.replace("    when conversion < 8%", "    when conversion > 90%: bonus\n    when conversion < 8%")
    assert changes(BASE, first) == ["th rule 1: added: when conversion > 90%: bonus"]


def test_actions_and_amounts() -> None:
    new = BASE.replace("pay penalty from orbis", "pay 2 * penalty from orbis").replace(
        "      => escalate disputes\n", "      => notify acme\n"
    )
    assert changes(BASE, new) == [
        "th rule 1 pay orbis → acme: penalty → 2 * penalty",
        "th rule 1 action: removed (was escalate disputes)",
        "th rule 1 action: added: notify acme",
    ]


def test_lets_schedules_and_kpis() -> None:
    new = (
        BASE.replace("let penalty = 1_000 EUR", "let penalty = 1_500 EUR")
        .replace("12% from 2026-07", "15% from 2026-07, 18% from 2026-10")
        .replace("won / leads {", "won / (leads + 1) {")
        .replace("target 20%", "target 25%")
    )
    assert changes(BASE, new) == [
        "penalty: 1_000 EUR → 1_500 EUR",
        "floor from 2026-07: 12% → 15%",
        "floor from 2026-10: added: 18%",
        "conversion: leads → (leads + 1)",
        "conversion target: 20% → 25%",
    ]


def test_committee_weights_and_voting_power() -> None:
    new = BASE.replace("member orbis weight 40", "member orbis weight 30")
    assert changes(BASE, new) == [
        "board member orbis weight: 40 → 30",
        "board.budget acme: Banzhaf 1/2, Shapley 1/2 → Banzhaf 1, Shapley 1",
        "board.budget orbis: Banzhaf 1/2, Shapley 1/2 → Banzhaf 0, Shapley 0",
        "board.budget orbis effective veto: yes → no",
    ]


def test_committee_rules_vetoes_and_new_decisions() -> None:
    new = BASE.replace("decision scope requires majority", "decision scope requires majority veto orbis\n    decision exit requires unanimity")
    got = changes(BASE, new)
    assert got[0] == "board.scope requires: majority → majority veto orbis"
    assert "board.exit: added: requires unanimity" in got
    assert any(line.startswith("board.scope orbis effective veto: no → yes") for line in got)


def test_ladders() -> None:
    new = BASE.replace("step managers within 10 days", "step managers within 10 business days\n    step mediation within 30 days")
    assert changes(BASE, new) == [
        "disputes step managers: within 10 days → within 10 business days",
        "disputes step mediation: added: mediation within 30 days",
    ]


def test_waterfalls() -> None:
    new = BASE.replace("pay acme up to 300 EUR", "pay acme up to 350 EUR").replace(
        "split acme 60%, orbis 40%", "split acme 50%, orbis 50%"
    )
    assert changes(BASE, new) == [
        "fund tier repay pay acme up to: 300 EUR → 350 EUR",
        "fund tier rest split: acme 60%, orbis 40% → acme 50%, orbis 50%",
    ]


def test_added_and_removed_constructs() -> None:
    new = BASE.replace("  measure proceeds", "  measure visits \"Visits\": count\n  measure proceeds")
    assert changes(BASE, new) == ["measure visits: added: visits: count"]
    assert changes(new, BASE) == ["measure visits: removed (was visits: count)"]


def test_header() -> None:
    new = BASE.replace('version "1"', 'version "2"').replace("until 2026-12-31", "until 2027-12-31")
    assert changes(BASE, new) == [
        'version: "1" → "2"',
        "effective: 2026-01-01 until 2026-12-31 → 2026-01-01 until 2027-12-31",
    ]


def test_clause_words() -> None:
    clause = '  clause c "8.1" "Penalty" {\n    text "If conversion stays below {penalty} the payer pays."\n    governs th\n  }\n'
    old = BASE.replace("  committee board", clause + "  committee board")
    new = old.replace("stays below", "remains under")
    assert changes(old, new) == ['clause 8.1 text: "stays below" → "remains under"']


def test_word_changes_give_context_to_pure_insertions() -> None:
    assert word_changes("a b c", "a b x c") == [("b", "b x")]
    assert word_changes("a b c", "a c") == [("a b", "a")]


def test_the_example_amendment() -> None:
    a = pactlang.load(EXAMPLES / "alliance.pact")
    b = pactlang.load(EXAMPLES / "alliance_v2.pact")
    got = [c.text for c in meaning_changes(a.checked, a.program.ir, b.checked, b.program.ir)]
    assert "conversion_floor rule 1: 8% → 6%" in got
    assert "steering.budget orbis effective veto: yes → no" in got
    assert 'amends: none → "ASD-2026-01" from 2026-07' in got


@pytest.mark.parametrize("name", ["alliance", "coinvest_fund", "distribution", "reseller_sla"])
def test_every_example_is_the_same_as_itself(name: str) -> None:
    c = pactlang.load(EXAMPLES / f"{name}.pact")
    d = pactlang.load(EXAMPLES / f"{name}.pact")
    assert meaning_changes(c.checked, c.program.ir, d.checked, d.program.ir) == []


def test_same_ignores_spans_only() -> None:
    a = loads(BASE).program.ir
    b = loads("\n\n" + BASE).program.ir
    assert same(a.thresholds, b.thresholds)
    assert not same(a.thresholds, loads(BASE.replace("8%", "9%")).program.ir.thresholds)


PERCENTS = st.integers(min_value=1, max_value=99)


@settings(max_examples=25, deadline=None)
@given(old=PERCENTS, new=PERCENTS)
def test_a_changed_floor_is_reported_as_exactly_that(old: int, new: int) -> None:
    """Invariant: changing one literal gives one change, naming both values,
    and none when the value is the same."""
    a = BASE.replace("conversion < 8%", f"conversion < {old}%")
    b = BASE.replace("conversion < 8%", f"conversion < {new}%")
    got = changes(a, b)
    assert got == ([] if old == new else [f"th rule 1: {old}% → {new}%"])


def test_delta_keeps_the_root_when_the_shapes_differ() -> None:
    a = loads(BASE).program.ir.thresholds["th"].conditions[0]
    b = loads(BASE.replace("conversion < 8%", "not (conversion >= 8%)")).program.ir.thresholds["th"].conditions[0]
    assert delta(a, b) == [(a, b)]


COST_SHARING = textwrap.dedent(
    """\
    contract "Demo" {
      effective 2026-01-01 until 2026-12-31
      currency EUR
      party acme "ACME"
      party orbis "Orbis"
      measure survey "Survey": number quarterly
      measure costs "Costs": money
      threshold th {
        when survey < 6: breach
          => terminate by acme notice 90 days
          => oblige orbis "Plan" within 30 days
        otherwise: ok
      }
      committee board {
        member acme weight 60
        member orbis weight 40
        chair acme
        decision budget requires majority deadlock after 2 escalate disputes
      }
      escalation disputes {
        step managers within 10 days
        step arbitration final
      }
      contribution task "Task force" {
        amount costs
        split acme 50%, orbis 50%
      }
    }
    """
)


def test_the_constructs_of_cost_sharing_and_governance_are_compared() -> None:
    def edit(*pairs: tuple[str, str]) -> str:
        text = COST_SHARING
        for a, b in pairs:
            assert a in text
            text = text.replace(a, b)
        return text

    assert changes(COST_SHARING, COST_SHARING) == []
    found = changes(
        COST_SHARING,
        edit(
            ("number quarterly", "number"),
            ("notice 90 days", "notice 60 days"),
            ("chair acme", "chair orbis"),
            ("deadlock after 2 escalate", "deadlock after 3 escalate"),
            ("split acme 50%, orbis 50%", "split acme 60%, orbis 40%"),
            ("amount costs", "amount 2 * costs"),
        ),
    )
    assert found == [
        "measure survey reported: quarterly → monthly",
        "th rule 1 action: terminate by acme notice 90 days → terminate by acme notice 60 days",
        "board chair: acme → orbis",
        "board.budget deadlock: after 2 escalate disputes → after 3 escalate disputes",
        "task amount: costs → 2 * costs",
        "task split acme: 50% → 60%",
        "task split orbis: 50% → 40%",
    ], found
    removed = changes(COST_SHARING, edit(('contribution task "Task force" {', "contribution other {")))
    assert [c.split(":")[0] for c in removed] == ["contribution task", "contribution other"]
