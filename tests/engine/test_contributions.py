"""Contributions (LANGUAGE.md §9a): calls by keys in minor units, the ledger, ``contributed``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pactlang.api import loads
from pactlang.base.values import Period
from pactlang.kernel.contributions import ContributionError, ContributionPlan, call
from pactlang.kernel.timeline import EvaluationError
from pactlang.report.results import evaluation_dict

D = Decimal
JAN = Period(2026, 1)


def plan(*parties: str, order: tuple[str, ...] = ("a", "b", "c")) -> ContributionPlan:
    return ContributionPlan("budget", parties, order)


def test_a_call_shares_whole_cents_by_the_largest_remainder() -> None:
    c = call(plan("a", "b"), JAN, D("100.01"), [D("0.6"), D("0.4")], 2)
    assert c is not None
    assert c.calls == (("a", D("60.01")), ("b", D("40.00")))
    assert c.amount == D("100.01") and c.of(None) == D("100.01") and c.of("c") == 0


def test_ties_go_to_the_party_declared_first_in_the_contract() -> None:
    # the split lists b first, but a is declared first: a gets the cent
    c = call(plan("b", "a"), JAN, D("0.01"), [D("0.5"), D("0.5")], 2)
    assert c is not None and dict(c.calls) == {"a": D("0.01"), "b": D("0.00")}


def test_the_amount_is_rounded_half_even_to_the_minor_unit_first() -> None:
    c = call(plan("a", "b"), JAN, D("10.005"), [D("0.5"), D("0.5")], 2)
    assert c is not None and c.amount == D("10.00") and c.computed == D("10.005")
    assert c.note is not None and "rounded" in c.note
    yen = call(plan("a", "b", "c"), JAN, D("101"), [D("0.5"), D("0.25"), D("0.25")], 0)
    assert yen is not None and [x for _, x in yen.calls] == [D(51), D(25), D(25)]


def test_a_missing_amount_or_key_calls_nothing() -> None:
    assert call(plan("a", "b"), JAN, None, [D("0.5"), D("0.5")], 2) is None
    assert call(plan("a", "b"), JAN, D(10), [None, D("0.5")], 2) is None


@pytest.mark.parametrize(
    ("amount", "keys", "message"),
    [
        (D(-1), [D("0.5"), D("0.5")], "the amount -1 is negative"),
        (D(10), [D("0.6"), D("0.3")], "the shares total 90%, not 100% (a 60%, b 30%)"),
        (D(10), [D("1.2"), D("-0.2")], "the share of b is negative"),
    ],
)
def test_bad_months_are_errors_naming_the_contribution_and_month(
    amount: Decimal, keys: list[Decimal], message: str
) -> None:
    with pytest.raises(ContributionError, match="contribution `budget` at 2026-01") as info:
        call(plan("a", "b"), JAN, amount, keys, 2)
    assert message in str(info.value)


SRC = """contract "C" {
  effective 2026-01-01
  currency EUR
  party a "A"
  party b "B"
  measure cost "Cost": money
  measure key "Key of a": percent
  contribution budget {
    amount cost
    split a key, b 100% - key
  }
  contribution calls "Capital calls up to a commitment of 100 EUR" {
    amount min(40 EUR, 100 EUR - (previous(contributed(calls, to date)) otherwise 0 EUR))
    split a 60%, b 40%
  }
  let to_date = contributed(budget, a, to date)
  let called = contributed(calls, to date)
}
"""


def test_keys_that_change_and_a_ledger_read_to_date() -> None:
    c = loads(SRC, "c.pact")
    ev = c.evaluate(
        {
            Period(2026, 1): {"cost": D(100), "key": D("0.6")},
            Period(2026, 2): {"cost": D(100), "key": D("0.5")},
            Period(2026, 3): {"cost": None, "key": D("0.5")},
            Period(2026, 4): {"cost": D(10), "key": D("0.5")},
        }
    )
    assert [ev.value("to_date", Period(2026, m)) for m in (1, 2, 3, 4)] == [
        D(60), D(110), None, None
    ]
    doc = evaluation_dict(ev)
    ledger = doc["contributions"]["budget"]
    assert [row["calls"] for row in ledger] == [
        {"a": "60.00", "b": "40.00"},
        {"a": "50.00", "b": "50.00"},
        {},
        {"a": "5.00", "b": "5.00"},
    ]
    assert ledger[2]["amount"] is None


def test_a_contribution_may_read_its_own_earlier_calls() -> None:
    """40, 40, then the 20 left of the commitment, then nothing."""
    c = loads(SRC, "c.pact")
    rows = {Period(2026, m): {"cost": D(0), "key": D("0.5")} for m in range(1, 6)}
    ev = c.evaluate(rows)
    assert [ev.value("called", Period(2026, m)) for m in range(1, 6)] == [
        D(40), D(80), D(100), D(100), D(100)
    ]


def test_a_month_whose_keys_do_not_total_100_percent_stops_the_evaluation() -> None:
    c = loads(SRC.replace("split a key, b 100% - key", "split a key, b 50%"), "c.pact")
    with pytest.raises(EvaluationError) as info:
        c.evaluate({Period(2026, 2): {"cost": D(10), "key": D("0.6")}})
    assert info.value.problems == [
        "contribution `budget` at 2026-02: the shares total 110%, not 100% (a 60%, b 50%)"
    ]
