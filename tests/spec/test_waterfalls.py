"""LANGUAGE.md §9 — waterfalls: pro rata to remaining caps, in order, split tiers with a cap, lifetime caps,
retained, largest remainder with ties to the party declared first, minor units, invariants, input errors,
catch-up through distributed(fund.tier, to date). Through `pact eval`, `pact distribute` and test blocks."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spec.spec_helpers import (
    assert_tests_pass,
    contract,
    diagnostics,
    distribute,
    error_codes,
    eval_run,
    evaluate,
    pact,
    series,
)

D = Decimal
months = [f"2026-{m:02d}" for m in range(1, 13)]


def fund_rows(doc: dict[str, Any], name: str = "fund") -> list[dict[str, Any]]:
    return list(doc["waterfalls"][name])


def tier(doc: dict[str, Any], month: int, index: int, name: str = "fund") -> dict[str, D]:
    return {p: D(v) for p, v in fund_rows(doc, name)[month]["tiers"][index].items()}


def amounts(*values: str) -> dict[str, dict[str, object]]:
    return {months[i]: {"proceeds": v} for i, v in enumerate(values)}


REPAY = contract(
    """
    measure proceeds "Proceeds": money
    waterfall fund {
      distributes proceeds
      tier repay {
        pay acme up to 300_000 EUR
        pay orbis up to 200_000 EUR
      }
      tier surplus {
        split acme 60%, orbis 40%
      }
    }
    let to_acme = distributed(fund, acme)
    let to_all = distributed(fund)
    let repay_orbis = distributed(fund.repay, orbis)
    let repay_all = distributed(fund.repay)
    let acme_to_date = distributed(fund, acme, to date)
    let surplus_to_date = distributed(fund.surplus, to date)
    let kept = retained(fund)
    """
)


def test_pro_rata_to_remaining_caps_then_split_with_lifetime_caps(tmp_path: Path) -> None:
    """Month 1: 250 000 shared 300:200 → 150 000 / 100 000. Month 2: remaining caps 150 000 / 100 000,
    flow 300 000 → tier pays 250 000 (150 000 / 100 000), 50 000 passes → split 30 000 / 20 000.
    Month 3: tier exhausted, 10 000 → split 6 000 / 4 000."""
    doc = evaluate(tmp_path, REPAY, amounts("250000", "300000", "10000"))
    assert tier(doc, 0, 0) == {"acme": 150000, "orbis": 100000}
    assert tier(doc, 1, 0) == {"acme": 150000, "orbis": 100000}
    assert tier(doc, 1, 1) == {"acme": 30000, "orbis": 20000}
    assert tier(doc, 2, 0) == {"acme": 0, "orbis": 0}
    assert tier(doc, 2, 1) == {"acme": 6000, "orbis": 4000}
    assert list(series(doc, "to_acme").values()) == [150000, 180000, 6000]
    assert list(series(doc, "to_all").values()) == [250000, 300000, 10000]
    assert list(series(doc, "repay_orbis").values()) == [100000, 100000, 0]
    assert list(series(doc, "repay_all").values()) == [250000, 250000, 0]
    assert list(series(doc, "acme_to_date").values()) == [150000, 330000, 336000]
    assert list(series(doc, "surplus_to_date").values()) == [0, 50000, 60000]
    assert list(series(doc, "kept").values()) == [0, 0, 0]


def test_in_order_fills_party_by_party(tmp_path: Path) -> None:
    """costs in order (orbis 1 000, then acme 500): 1 200 → orbis 1 000, acme 200; then 400 → acme 300,
    100 retained (no later tier)."""
    src = contract(
        """
        measure proceeds "Proceeds": money
        waterfall fund {
          distributes proceeds
          tier costs {
            pay orbis up to 1_000 EUR
            pay acme up to 500 EUR
            in order
          }
        }
        """
    )
    doc = evaluate(tmp_path, src, amounts("1200", "400"))
    assert tier(doc, 0, 0) == {"orbis": 1000, "acme": 200}
    assert tier(doc, 1, 0) == {"orbis": 0, "acme": 300}
    assert [D(r["retained"]) for r in fund_rows(doc)] == [0, 100]


def test_pro_rata_uses_remaining_not_original_caps(tmp_path: Path) -> None:
    """acme's cap grows from 100 to 300 in February; orbis 100. Jan 100 → 50 / 50 (remaining 100:100).
    Feb remaining: acme 300 − 50 = 250, orbis 50 → 60 shared 250:50 → 50 / 10."""
    src = contract(
        """
        measure proceeds "Proceeds": money
        let acme_cap = 100 EUR from 2026-01, 300 EUR from 2026-02
        waterfall fund {
          distributes proceeds
          tier t {
            pay acme up to acme_cap
            pay orbis up to 100 EUR
            pro rata
          }
        }
        """
    )
    doc = evaluate(tmp_path, src, amounts("100", "60"))
    assert tier(doc, 0, 0) == {"acme": 50, "orbis": 50}
    assert tier(doc, 1, 0) == {"acme": 50, "orbis": 10}


def test_split_tier_with_its_own_cap_and_retained(tmp_path: Path) -> None:
    """split 60/40 up to 1 000: 1 500 → 600 / 400, 500 retained; then 200 → tier has 0 left → 200 retained."""
    src = contract(
        """
        measure proceeds "Proceeds": money
        waterfall fund {
          distributes proceeds
          tier s {
            split acme 60%, orbis 40%
            up to 1_000 EUR
          }
        }
        let kept = retained(fund)
        let kept_all = retained(fund, to date)
        """
    )
    doc = evaluate(tmp_path, src, amounts("1500", "200"))
    assert tier(doc, 0, 0) == {"acme": 600, "orbis": 400}
    assert tier(doc, 1, 0) == {"acme": 0, "orbis": 0}
    assert list(series(doc, "kept").values()) == [500, 200]
    assert list(series(doc, "kept_all").values()) == [500, 700]


def test_largest_remainder_ties_go_to_the_party_declared_first(tmp_path: Path) -> None:
    """Three equal caps, 100 EUR: 33.333… each → 33.33 each, one cent left, tie → the party declared first
    in the contract (alpha), although the tier lists it last."""
    header = '  currency EUR\n  party alpha "A"\n  party beta "B"\n  party gamma "G"\n'
    src = contract(
        """
        measure proceeds "Proceeds": money
        waterfall fund {
          distributes proceeds
          tier {
            pay gamma up to 100 EUR
            pay beta up to 100 EUR
            pay alpha up to 100 EUR
          }
        }
        """,
        header=header,
    )
    doc = evaluate(tmp_path, src, amounts("100"))
    assert tier(doc, 0, 0) == {"alpha": D("33.34"), "beta": D("33.33"), "gamma": D("33.33")}


def test_largest_remainder_gives_the_cent_to_the_largest_fraction(tmp_path: Path) -> None:
    """split 33.33% / 33.33% / 33.34% of 0.10 EUR: exact 0.03333, 0.03333, 0.03334 → 3 cents each and the
    last cent to gamma (largest remainder 0.334 cent), though alpha is declared first."""
    header = '  currency EUR\n  party alpha "A"\n  party beta "B"\n  party gamma "G"\n'
    src = contract(
        """
        measure proceeds "Proceeds": money
        waterfall fund {
          distributes proceeds
          tier {
            split alpha 33.33%, beta 33.33%, gamma 33.34%
          }
        }
        """,
        header=header,
    )
    doc = evaluate(tmp_path, src, amounts("0.10"))
    assert tier(doc, 0, 0) == {"alpha": D("0.03"), "beta": D("0.03"), "gamma": D("0.04")}


def test_split_tie_in_jpy_goes_to_the_party_declared_first(tmp_path: Path) -> None:
    """JPY has no minor digits: 3 JPY split 50/50 → 1.5 each → 2 to orbis (declared first), 1 to acme."""
    header = '  currency JPY\n  party orbis "O"\n  party acme "A"\n'
    src = contract(
        'measure proceeds "P": money\nwaterfall fund {\n  distributes proceeds\n  tier {\n    split acme 50%, orbis 50%\n  }\n}',
        header=header,
    )
    doc = evaluate(tmp_path, src, amounts("3"))
    assert tier(doc, 0, 0) == {"acme": 1, "orbis": 2}


CATCH_UP = contract(
    """
    party lp "Investors"
    party gp "Manager"
    measure proceeds "Net proceeds": money
    waterfall fund {
      distributes proceeds
      tier capital {
        pay lp up to 1_000_000 EUR
      }
      tier pref {
        pay lp up to 80_000 EUR
      }
      tier catch_up {
        pay gp up to 25% * distributed(fund.pref, to date)
      }
      tier carry {
        split lp 80%, gp 20%
      }
    }
    """
)


def test_catch_up_reads_an_earlier_tier_to_date(tmp_path: Path) -> None:
    """1 100 000: capital 1 000 000, pref 80 000, catch-up cap 25% × 80 000 = 20 000 → gp 20 000, carry 0.
    Then 100 000: capital, pref, catch-up full → carry 80 000 / 20 000. gp to date 40 000 = 20% of the
    200 000 of profit (carry fully caught up)."""
    doc = evaluate(tmp_path, CATCH_UP, amounts("1100000", "100000"))
    assert tier(doc, 0, 2) == {"gp": 20000}
    assert tier(doc, 1, 3) == {"lp": 80000, "gp": 20000}
    paid = [{p: D(v) for p, v in r["paid"].items()} for r in fund_rows(doc)]
    assert paid[0]["lp"] == 1080000
    assert paid[0]["gp"] + paid[1]["gp"] == 40000


def test_catch_up_partial_month(tmp_path: Path) -> None:
    """1 050 000: capital 1 000 000, pref 50 000 (cap 80 000), catch-up cap 25% × 50 000 = 12 500 but
    nothing flows to it → 0. Next 40 000: pref 30 000 (to date 80 000), catch-up cap 20 000 → pays the
    10 000 left."""
    doc = evaluate(tmp_path, CATCH_UP, amounts("1050000", "40000"))
    assert tier(doc, 0, 1) == {"lp": 50000}
    assert tier(doc, 0, 2) == {"gp": 0}
    assert tier(doc, 1, 1) == {"lp": 30000}
    assert tier(doc, 1, 2) == {"gp": 10000}


def test_cap_referring_to_its_own_or_a_later_tier_is_a_cycle(tmp_path: Path) -> None:
    own = CATCH_UP.replace(
        "25% * distributed(fund.pref, to date)", "25% * distributed(fund.catch_up, to date)"
    )
    later = CATCH_UP.replace(
        "25% * distributed(fund.pref, to date)", "25% * distributed(fund.carry, to date)"
    )
    assert error_codes(tmp_path, own)
    assert error_codes(tmp_path, later)


@pytest.mark.parametrize("bad", ["-100", "10.005"])
def test_negative_or_over_precise_amount_is_an_input_error_naming_the_month(
    tmp_path: Path, bad: str
) -> None:
    run = eval_run(tmp_path, REPAY, amounts("100", bad))
    assert run.exit_code == 2
    assert "2026-02" in run.stderr
    assert run.stdout.strip() == ""
    assert run.exception is None


def test_missing_amount_distributes_nothing_and_is_missing(tmp_path: Path) -> None:
    doc = evaluate(tmp_path, REPAY, amounts("100", ""))
    assert list(series(doc, "to_all").values()) == [100, None]
    assert list(series(doc, "acme_to_date").values())[1] is None


@pytest.mark.parametrize(
    "body",
    [
        "tier {\n    split acme 60%, orbis 30%\n  }",  # shares must total 100%
        "tier {\n    split acme 60%, orbis 50%\n  }",
        "tier {\n    pay acme up to 5%\n  }",  # a cap is money
    ],
)
def test_waterfall_structure_errors(tmp_path: Path, body: str) -> None:
    src = contract(
        f'measure proceeds "P": money\nwaterfall fund {{\n  distributes proceeds\n  {body}\n}}'
    )
    assert error_codes(tmp_path, src)


def test_distributes_must_be_money(tmp_path: Path) -> None:
    src = contract(
        'measure n "N": number\nwaterfall fund {\n  distributes n\n  tier {\n    split acme 100%\n  }\n}'
    )
    assert error_codes(tmp_path, src)


# ---------------------------------------------------------------- invariants (hypothesis)

INVARIANT = contract(
    """
    party nova "Nova"
    measure proceeds "Proceeds": money
    waterfall fund {
      distributes proceeds
      tier a {
        pay nova up to 10 EUR
        pay acme up to 123.45 EUR
        pay orbis up to 77.77 EUR
      }
      tier b {
        pay orbis up to 50.01 EUR
        pay acme up to 33.33 EUR
        in order
      }
      tier c {
        split acme 33.33%, orbis 33.33%, nova 33.34%
        up to 99.99 EUR
      }
    }
    """
)
CAPS = {
    0: {"nova": D("10"), "acme": D("123.45"), "orbis": D("77.77")},
    1: {"orbis": D("50.01"), "acme": D("33.33")},
}

cents = st.integers(min_value=0, max_value=20_000).map(lambda c: D(c) / 100)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seq=st.lists(cents, min_size=1, max_size=12))
def test_conservation_caps_and_minor_units(tmp_path: Path, seq: list[D]) -> None:
    """For every month and input: payouts + retained = amount exactly; no tier pays a party beyond its
    lifetime cap; every payout is a whole number of cents."""
    doc = evaluate(tmp_path, INVARIANT, amounts(*[f"{v:.2f}" for v in seq]))
    totals: dict[tuple[int, str], D] = {}
    tier_c = D(0)
    for month, row in enumerate(fund_rows(doc)):
        payouts = [D(v) for t in row["tiers"] for v in t.values()]
        assert sum(payouts) + D(row["retained"]) == seq[month]
        for v in [*payouts, D(row["retained"])]:
            assert v >= 0 and v == v.quantize(D("0.01"))
        for i, t in enumerate(row["tiers"]):
            for party, v in t.items():
                totals[(i, party)] = totals.get((i, party), D(0)) + D(v)
        tier_c += sum(D(v) for v in row["tiers"][2].values())
    for (i, party), total in totals.items():
        if i in CAPS:
            assert total <= CAPS[i][party]
    assert tier_c <= D("99.99")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=cents, extra=st.integers(min_value=1, max_value=5000).map(lambda c: D(c) / 100))
def test_paying_a_larger_amount_never_pays_less(tmp_path: Path, a: D, extra: D) -> None:
    """Spec invariant "paying a larger amount never pays any party less". Ambiguity: the spec also demands
    the largest-remainder method, which cannot satisfy it to the cent (Alabama paradox). Reading chosen:
    each tier's total, the retained amount and every `in order` payout never decrease; a pro rata or split
    payout may drop by at most one minor unit."""
    docs = []
    for amount in (a, a + extra):
        run = distribute(tmp_path, INVARIANT, "fund", f"{amount:.2f}")
        assert run.exit_code == 0, run.stderr
        docs.append(run.json)
    small, large = docs
    for ts, tl in zip(small["tiers"], large["tiers"], strict=True):
        assert D(tl["paid"]) >= D(ts["paid"])
        for party, v in ts["payouts"].items():
            drop = D(v) - D(tl["payouts"][party])
            if ts["mode"] == "in_order":
                assert drop <= 0
            else:
                assert drop <= D("0.01")
    assert D(large["retained"]) >= D(small["retained"])


# ---------------------------------------------------------------- pact distribute


def test_distribute_one_amount_and_the_state_file_accumulates(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = distribute(tmp_path, REPAY, "fund", "250000", "--state", str(state))
    assert first.exit_code == 0, first.stderr
    assert {p: D(v) for p, v in first.json["by_party"].items()} == {"acme": 150000, "orbis": 100000}
    second = distribute(tmp_path, REPAY, "fund", "300000", "--state", str(state))
    assert second.exit_code == 0, second.stderr
    # remaining caps 150 000 / 100 000, then 50 000 split 60/40
    assert {p: D(v) for p, v in second.json["by_party"].items()} == {
        "acme": 180000,
        "orbis": 120000,
    }
    assert json.loads(state.read_text())  # a readable state


@pytest.mark.parametrize("amount", ["-5", "10.005", "abc"])
def test_distribute_refuses_bad_amounts(tmp_path: Path, amount: str) -> None:
    run = distribute(tmp_path, REPAY, "fund", amount)
    assert run.exit_code == 2
    assert run.exception is None


def test_distribute_exact_decimal_strings(tmp_path: Path) -> None:
    run = distribute(tmp_path, REPAY, "fund", "100000.01")
    assert run.exit_code == 0
    by = run.json["by_party"]
    assert all(isinstance(v, str) for v in by.values())
    # 100 000.01 × 3/5 = 60 000.006 → 60 000.01 (largest remainder 0.6 cent) and 40 000.00
    assert by == {"acme": "60000.01", "orbis": "40000.00"}


def test_waterfall_expectations_in_test_blocks(tmp_path: Path) -> None:
    src = (
        REPAY
        + """
test "fund" {
  data {
    2026-01: proceeds = 250_000 EUR
    2026-02: proceeds = 300_000 EUR
  }
  expect distributed(fund.repay, acme) at 2026-01 == 150_000 EUR
  expect distributed(fund.surplus, orbis) at 2026-02 == 20_000 EUR
  expect distributed(fund, acme, to date) at 2026-02 == 330_000 EUR
  expect retained(fund) at 2026-02 == 0 EUR
}
"""
    )
    assert_tests_pass(tmp_path, src)


def test_distribute_input_error_names_the_distribution_not_a_placeholder_month(
    tmp_path: Path,
) -> None:
    """§9: a bad amount "is an input error naming the month"; outside an evaluation `pact distribute`
    has no month, so the error names the distribution (`distribution #N`, as its text output does),
    never the internal placeholder month 0001-01 (it did)."""
    first = distribute(tmp_path, REPAY, "fund", "10.005")
    assert first.exit_code == 2
    assert "distribution #1: 10.005 EUR has more decimals" in first.stderr
    assert "0001-01" not in first.stderr
    state = tmp_path / "state.json"
    assert distribute(tmp_path, REPAY, "fund", "100", "--state", str(state)).exit_code == 0
    second = distribute(tmp_path, REPAY, "fund", "-1", "--state", str(state))
    assert second.exit_code == 2
    assert "distribution #2: the amount to distribute is negative (-1 EUR)" in second.stderr
    assert "0001-0" not in second.stderr


@pytest.mark.parametrize(
    ("currency", "amount", "expected"),
    [
        # ISO 4217: HUF has 2 decimals (CLDR, a display convention, says 0). 100.01 HUF split 50/50:
        # 10001 fillér → 5000.5 each → the extra one to acme (declared first) → 50.01 / 50.00
        ("HUF", "100.01", {"acme": D("50.01"), "orbis": D("50.00")}),
        # IQD has 3 decimals in ISO 4217 (CLDR: 0): 0.003 → 3 units → 1.5 each → 0.002 / 0.001
        ("IQD", "0.003", {"acme": D("0.002"), "orbis": D("0.001")}),
        # KWD: 3 in both
        ("KWD", "1.001", {"acme": D("0.501"), "orbis": D("0.500")}),
    ],
)
def test_minor_unit_is_iso_4217s(
    tmp_path: Path, currency: str, amount: str, expected: dict[str, D]
) -> None:
    """§3: `currency XXX` — "ISO 4217; decides money literals and the minor unit"; §9: payouts in the
    currency's minor unit, largest remainder, ties to the party declared first."""
    header = f'  effective 2026-01-01\n  currency {currency}\n  party acme "A"\n  party orbis "O"\n'
    src = contract(
        'measure proceeds "P": money\nwaterfall fund {\n  distributes proceeds\n'
        "  tier {\n    split orbis 50%, acme 50%\n  }\n}",
        header=header,
    )
    doc = evaluate(tmp_path, src, amounts(amount))
    assert tier(doc, 0, 0) == expected
    assert fund_rows(doc)[0]["tiers"][0] == {p: str(v) for p, v in expected.items()}


def test_an_iso_4217_amount_finer_than_cldr_digits_is_not_an_input_error(tmp_path: Path) -> None:
    """100.50 HUF is a whole number of fillér (ISO 4217: 2 decimals): distributed, not refused;
    100.505 HUF is finer than the minor unit: an input error (exit 2)."""
    header = '  currency HUF\n  party acme "A"\n  party orbis "O"\n'
    src = contract(
        'measure proceeds "P": money\nwaterfall fund {\n  distributes proceeds\n'
        "  tier {\n    pay acme up to 60.25 HUF\n    pay orbis up to 40 HUF\n  }\n}",
        header=header,
    )
    ok = distribute(tmp_path, src, "fund", "100.50")
    assert ok.exit_code == 0, ok.stderr
    # caps 60.25 and 40 (sum 100.25) < 100.50: each paid its cap, 0.25 retained
    assert ok.json["by_party"] == {"acme": "60.25", "orbis": "40.00"}
    assert ok.json["retained"] == "0.25"
    assert distribute(tmp_path, src, "fund", "100.505").exit_code == 2
    # the annex states the cap to the fillér too (Babel alone would print CLDR's 0 digits: "HUF60")
    annex = pact("render", tmp_path / "contract.pact", "--lang", "en", "--format", "md")
    assert annex.exit_code == 0, annex.stderr
    assert "HUF60.25" in annex.stdout


# ---------------------------------------------------------------- audit: one fund over five months

THREE = contract(
    """
    measure proceeds: money
    waterfall fund {
      distributes proceeds
      tier senior {
        pay acme up to 100 EUR
        pay orbis up to 200 EUR
      }
      tier mezz {
        pay nova up to 50 EUR
        pay acme up to 30 EUR
        in order
      }
      tier rest {
        split orbis 50%, acme 50%
        up to 100 EUR
      }
    }
    let kept = retained(fund)
    let kept_to_date = retained(fund, to date)
    let acme_to_date = distributed(fund, acme, to date)
    let senior_orbis = distributed(fund.senior, orbis)
    let rest_to_date = distributed(fund.rest, to date)
    """,
    header='  effective 2026-01-01\n  currency EUR\n  party acme "A"\n  party orbis "O"\n  party nova "N"\n',
)


def test_a_fund_over_five_months_by_hand(tmp_path: Path) -> None:
    """Jan 100.01: senior pro rata to remaining caps 100:200 → 10001 cents × 1/3 = 3333.67 and × 2/3 =
      6667.33 → 3333 + 6667, the last cent to acme (remainder .67) → acme 33.34, orbis 66.67.
    Feb 250: remaining 66.66 / 133.33 (sum 199.99 < 250) → both caps reached; 50.01 flows on: mezz in
      order: nova 50 (its cap), acme 0.01; nothing reaches `rest`.
    Mar 0: nothing paid, nothing retained.
    Apr 120.01: senior exhausted; mezz: nova exhausted, acme 29.99 (30 − 0.01); 90.02 → rest (cap 100)
      split 50/50 → 45.01 each.
    May 500: rest has 100 − 90.02 = 9.98 left → 4.99 each; 490.02 is retained."""
    rows = {months[i]: {"proceeds": v} for i, v in enumerate(["100.01", "250", "0", "120.01", "500"])}
    doc = evaluate(tmp_path, THREE, rows)
    got = [[{p: str(v) for p, v in t.items()} for t in r["tiers"]] for r in fund_rows(doc)]
    assert got == [
        [{"acme": "33.34", "orbis": "66.67"}, {"acme": "0.00", "nova": "0.00"}, {"acme": "0.00", "orbis": "0.00"}],
        [{"acme": "66.66", "orbis": "133.33"}, {"acme": "0.01", "nova": "50.00"}, {"acme": "0.00", "orbis": "0.00"}],
        [{"acme": "0.00", "orbis": "0.00"}, {"acme": "0.00", "nova": "0.00"}, {"acme": "0.00", "orbis": "0.00"}],
        [{"acme": "0.00", "orbis": "0.00"}, {"acme": "29.99", "nova": "0.00"}, {"acme": "45.01", "orbis": "45.01"}],
        [{"acme": "0.00", "orbis": "0.00"}, {"acme": "0.00", "nova": "0.00"}, {"acme": "4.99", "orbis": "4.99"}],
    ]
    assert [r["retained"] for r in fund_rows(doc)] == ["0.00", "0.00", "0.00", "0.00", "490.02"]
    assert list(series(doc, "kept_to_date").values())[-1] == D("490.02")
    assert list(series(doc, "acme_to_date").values()) == [
        D("33.34"), D("100.01"), D("100.01"), D("175.01"), D("180.00")
    ]
    assert list(series(doc, "senior_orbis").values()) == [D("66.67"), D("133.33"), 0, 0, 0]
    assert list(series(doc, "rest_to_date").values()) == [0, 0, 0, D("90.02"), D("100.00")]


def test_pro_rata_tie_goes_to_the_party_declared_first_in_the_contract(tmp_path: Path) -> None:
    """1 yen over remaining caps 1:1 in a tier that lists orbis first: a tie; §9 "ties to the party
    declared first" — acme is declared before orbis in the contract, so acme gets it. Then 3 yen split
    50/25/25 (orbis, nova, acme): 1.5, 0.75, 0.75 → floors 1, 0, 0; two left: nova and acme (0.75, a tie
    broken by declaration: acme before nova, both get one) → orbis 1, acme 1, nova 1."""
    src = contract(
        """
        measure proceeds: money
        waterfall g {
          distributes proceeds
          tier t1 {
            pay orbis up to 1 JPY
            pay acme up to 1 JPY
          }
        }
        waterfall f {
          distributes proceeds
          tier t1 {
            split orbis 50%, nova 25%, acme 25%
          }
        }
        """,
        header='  currency JPY\n  party acme "A"\n  party orbis "O"\n  party nova "N"\n',
    )
    one = distribute(tmp_path, src, "g", "1")
    assert one.exit_code == 0, one.stderr
    assert one.json["by_party"] == {"acme": "1", "orbis": "0"}
    three = distribute(tmp_path, src, "f", "3")
    assert three.json["by_party"] == {"acme": "1", "nova": "1", "orbis": "1"}
    two = distribute(tmp_path, src, "f", "2")
    # 1, 0.5, 0.5 → orbis 1; one left, nova and acme tie at 0.5 → acme (declared first)
    assert two.json["by_party"] == {"acme": "1", "nova": "0", "orbis": "1"}


# ---------------------------------------------------------------- audit: power and waterfalls (by hand)

ABC = '  effective 2026-01-01\n  currency EUR\n  party a "A"\n  party b "B"\n  party c "C"\n'

MIXED = contract(
    """
    measure p: money
    measure q: money
    measure r: money
    waterfall inord {
      distributes p
      tier first {
        pay a up to 20 EUR
        pay b up to 20 EUR
        in order
      }
      tier rest {
        split a 50%, b 50%
        up to 0.01 EUR
      }
    }
    waterfall pr3 {
      distributes q
      tier t {
        pay a up to 1 EUR
        pay b up to 1 EUR
        pay c up to 1 EUR
      }
    }
    waterfall keys {
      distributes r
      tier {
        split a 33.33%, b 33.33%, c 33.34%
      }
    }
    waterfall grow {
      distributes p
      tier g {
        pay a up to 10% * sum(p, to date)
      }
    }
    waterfall odd {
      distributes p
      tier neg {
        pay a up to 10 EUR - 20 EUR
      }
      tier sub {
        pay b up to 0.019 EUR
        pay c up to 0.019 EUR
      }
    }
    let kept = retained(inord)
    let kept_td = retained(inord, to date)
    let first_b_td = distributed(inord.first, b, to date)
    let rest_a = distributed(inord.rest, a)
    let grow_td = distributed(grow, to date)
    """,
    header=ABC,
)


def test_in_order_caps_to_date_split_cap_keys_and_odd_caps_by_hand(tmp_path: Path) -> None:
    """p = 30, 30, 5, 0; q = 0.02, 3, 0, 0; r = 1, 0.01, 0.02, 0.
    inord: Jan in order a 20 (cap), b 10, nothing left for `rest`. Feb a's cap is spent, b 10 (to date 20),
      20 reaches `rest` (cap 0.01): 0.005 each, a tie → a (declared first); retained 19.99. Mar: every cap
      spent, 5 retained. Apr 0: nothing.
    pr3: Jan 2 cents over equal remaining caps: 0.67 each → floors 0, the two cents to a and b (ties, declared
      order). Feb 3: remaining 0.99 + 0.99 + 1.00 = 2.98 < 3 → every cap filled, 0.02 retained.
    keys: 100 cents × 33.33/33.33/33.34 → 33.33, 33.33, 33.34 cents → 33, 33, 33 and the cent to c (0.34).
      1 cent → 0.3333/0.3333/0.3334 → c. 2 cents → 0.6666/0.6666/0.6668 → c, then a (tie with b, declared first).
    grow: cap 10% of p to date = 3, 6, 6.5, 6.5 → pays 3, 3, 0.5, 0.
    odd: a negative cap counts as 0; a cap of 0.019 is rounded down to 0.01 (an upper bound)."""
    rows = {
        "2026-01": {"p": "30", "q": "0.02", "r": "1.00"},
        "2026-02": {"p": "30", "q": "3.00", "r": "0.01"},
        "2026-03": {"p": "5", "q": "0", "r": "0.02"},
        "2026-04": {"p": "0", "q": "0", "r": "0"},
    }
    doc = evaluate(tmp_path, MIXED, rows)

    def tiers(name: str) -> list[list[dict[str, str]]]:
        return [r["tiers"] for r in fund_rows(doc, name)]

    def kept(name: str) -> list[str]:
        return [r["retained"] for r in fund_rows(doc, name)]

    zero2 = {"a": "0.00", "b": "0.00"}
    assert tiers("inord") == [
        [{"a": "20.00", "b": "10.00"}, zero2],
        [{"a": "0.00", "b": "10.00"}, {"a": "0.01", "b": "0.00"}],
        [zero2, zero2],
        [zero2, zero2],
    ]
    assert kept("inord") == ["0.00", "19.99", "5.00", "0.00"]
    assert [t[0] for t in tiers("pr3")] == [
        {"a": "0.01", "b": "0.01", "c": "0.00"},
        {"a": "0.99", "b": "0.99", "c": "1.00"},
        {"a": "0.00", "b": "0.00", "c": "0.00"},
        {"a": "0.00", "b": "0.00", "c": "0.00"},
    ]
    assert kept("pr3") == ["0.00", "0.02", "0.00", "0.00"]
    assert [t[0] for t in tiers("keys")] == [
        {"a": "0.33", "b": "0.33", "c": "0.34"},
        {"a": "0.00", "b": "0.00", "c": "0.01"},
        {"a": "0.01", "b": "0.00", "c": "0.01"},
        {"a": "0.00", "b": "0.00", "c": "0.00"},
    ]
    assert [t[0]["a"] for t in tiers("grow")] == ["3.00", "3.00", "0.50", "0.00"]
    assert tiers("odd")[0] == [{"a": "0.00"}, {"b": "0.01", "c": "0.01"}]
    assert kept("odd") == ["29.98", "30.00", "5.00", "0.00"]
    assert list(series(doc, "kept").values()) == [0, D("19.99"), 5, 0]
    assert list(series(doc, "kept_td").values()) == [0, D("19.99"), D("24.99"), D("24.99")]
    assert list(series(doc, "first_b_td").values()) == [10, 20, 20, 20]
    assert list(series(doc, "rest_a").values()) == [0, D("0.01"), 0, 0]
    assert list(series(doc, "grow_td").values()) == [3, 6, D("6.5"), D("6.5")]


def test_pro_rata_at_26_digits_is_exact(tmp_path: Path) -> None:
    """Caps 3 333 333 333 333 333 333 333 333.33, 6 666 666 666 666 666 666 666 666.67 and 0.01 (total
    10^25 + 0.01); 10^24 + 0.01 EUR = A = 10^26 + 1 cents, shared as A × cap / total in cents: floors
    33…333 (26 digits), 66…667 (26 digits) and 0, fractional parts 0.6, 0.3 and ≈0.1 of a cent → the one
    cent left goes to a. Then 10^25 + 0.07 fills every cap (10^25 + 0.01) and 0.06 is split 0.01% / 99.99%:
    0.0006 and 5.9994 cents → 0 and 5, the last cent to b (0.9994)."""
    src = contract(
        """
        waterfall f {
          distributes 0 EUR
          tier t {
            pay a up to 3333333333333333333333333.33 EUR
            pay b up to 6666666666666666666666666.67 EUR
            pay c up to 0.01 EUR
          }
          tier s {
            split a 0.01%, b 99.99%
          }
        }
        """,
        header=ABC,
    )
    one = distribute(tmp_path, src, "f", "1000000000000000000000000.01")
    assert one.exit_code == 0, one.stderr
    assert one.json["by_party"] == {
        "a": "333333333333333333333333.34", "b": "666666666666666666666666.67", "c": "0.00"
    }
    full = distribute(tmp_path, src, "f", "10000000000000000000000000.07")
    assert [t["payouts"] for t in full.json["tiers"]] == [
        {"a": "3333333333333333333333333.33", "b": "6666666666666666666666666.67", "c": "0.01"},
        {"a": "0.00", "b": "0.06"},
    ]


def test_a_missing_month_keeps_caps_and_a_missing_cap_pays_nothing(tmp_path: Path) -> None:
    """p = 60, missing, 60, 10. f (caps 50/50 pro rata): Jan 30/30; Feb nothing, to date missing from then
    on (§5: a missing value inside a `to date` makes it missing); Mar remaining 20/20 → 20/20, 20 retained.
    mc: a's cap is the measure capm (5, 5, missing, 5): Jan a 5, b 10 (its cap); Mar a's cap is missing →
    nothing to a (docs/language.md, "A missing cap pays nothing"), b spent → 60 retained.
    self: a's cap 100 − previous(distributed(self, to date)) otherwise 0 (legal: an earlier month): Jan 60;
    Mar previous is Feb's missing → 0 → cap 100, 60 paid earlier → 40; Apr cap 100 again, 100 paid → 0."""
    src = contract(
        """
        measure p: money
        measure capm: money
        waterfall f {
          distributes p
          tier t {
            pay a up to 50 EUR
            pay b up to 50 EUR
          }
        }
        waterfall mc {
          distributes p
          tier t {
            pay a up to capm
            pay b up to 10 EUR
          }
        }
        waterfall self {
          distributes p
          tier t {
            pay a up to 100 EUR - (previous(distributed(self, to date)) otherwise 0 EUR)
          }
        }
        let a_td = distributed(f, a, to date)
        """,
        header=ABC,
    )
    rows = "period,p,capm\n2026-01,60,5\n2026-02,,5\n2026-03,60,\n2026-04,10,5\n"
    doc = evaluate(tmp_path, src, rows)
    assert [r["tiers"] for r in fund_rows(doc, "f")] == [
        [{"a": "30.00", "b": "30.00"}], [], [{"a": "20.00", "b": "20.00"}], [{"a": "0.00", "b": "0.00"}]
    ]
    assert [r["retained"] for r in fund_rows(doc, "f")] == ["0.00", None, "20.00", "10.00"]
    assert list(series(doc, "a_td").values()) == [30, None, None, None]
    assert [r["paid"] for r in fund_rows(doc, "mc")] == [
        {"a": "5.00", "b": "10.00"}, {}, {"a": "0.00", "b": "0.00"}, {"a": "0.00", "b": "0.00"}
    ]
    assert [r["paid"].get("a") for r in fund_rows(doc, "self")] == ["60.00", None, "40.00", "0.00"]


def test_catch_up_caps_below_a_cent_round_down(tmp_path: Path) -> None:
    """pref cap 0.03, catch-up 25% of pref to date, carry 80/20; 0.02 a month.
    Jan pref 0.02; catch-up cap 0.005 → 0.00. Feb pref 0.01 (to date 0.03), cap 0.0075 → 0.00; 0.01 to carry:
    0.8 / 0.2 of a cent → the cent to lp. Mar carry 0.02: 1.6 / 0.4 → lp 1, gp 0, the cent left to lp (0.6)."""
    src = contract(
        """
        measure p: money
        waterfall fund {
          distributes p
          tier pref {
            pay lp up to 0.03 EUR
          }
          tier catch_up {
            pay gp up to 25% * distributed(fund.pref, to date)
          }
          tier carry {
            split lp 80%, gp 20%
          }
        }
        """,
        header='  effective 2026-01-01\n  currency EUR\n  party gp "G"\n  party lp "L"\n',
    )
    doc = evaluate(tmp_path, src, "period,p\n2026-01,0.02\n2026-02,0.02\n2026-03,0.02\n")
    assert [r["tiers"] for r in fund_rows(doc)] == [
        [{"lp": "0.02"}, {"gp": "0.00"}, {"gp": "0.00", "lp": "0.00"}],
        [{"lp": "0.01"}, {"gp": "0.00"}, {"gp": "0.00", "lp": "0.01"}],
        [{"lp": "0.00"}, {"gp": "0.00"}, {"gp": "0.00", "lp": "0.02"}],
    ]


def test_a_quarterly_amount_is_distributed_again_each_month_and_warned(tmp_path: Path) -> None:
    """§5: between reports a quarterly measure's month value is the last report; §9: a waterfall distributes
    its amount every month. Read together, a March report of 100 is distributed in March, April and May
    (docs/conformance.md); `pact check` warns (W012) because an author expects it distributed once."""
    src = contract(
        """
        measure pq: money quarterly
        waterfall fq {
          distributes pq
          tier t {
            split a 100%
          }
        }
        """,
        header=ABC,
    )
    warned = [d for d in diagnostics(tmp_path, src) if d["code"] == "W012"]
    assert len(warned) == 1 and "quarterly" in warned[0]["message"]
    doc = evaluate(tmp_path, src, "period,pq\n2026-01,\n2026-02,\n2026-03,100\n2026-04,\n2026-05,\n")
    assert [r["amount"] for r in fund_rows(doc, "fq")] == [None, None, "100.00", "100.00", "100.00"]
    monthly = src.replace("money quarterly", "money")
    assert not [d for d in diagnostics(tmp_path, monthly) if d["code"] == "W012"]


def test_distribute_json_explanation_names_the_distribution_like_the_text(tmp_path: Path) -> None:
    """Outside an evaluation there is no month (docs/conformance.md): the text said `distribution #1` but the
    JSON's explanation said `0001-01`, the state's placeholder. Both now name the distribution; the JSON's
    `period` stays the state's key."""
    src = contract(
        "measure p: money\nwaterfall fund {\n  distributes p\n  tier {\n    split acme 100%\n  }\n}"
    )
    state = tmp_path / "s.json"
    first = distribute(tmp_path, src, "fund", "10", "--state", str(state))
    second = distribute(tmp_path, src, "fund", "10", "--state", str(state))
    assert first.json["explanation"][0] == "waterfall fund, distribution #1: 10.00 EUR to distribute"
    assert second.json["explanation"][0] == "waterfall fund, distribution #2: 10.00 EUR to distribute"
    assert second.json["period"] == "0001-02"
    text = pact("distribute", tmp_path / "contract.pact", "fund", "--amount", "10")
    assert text.stdout.splitlines()[0] == "waterfall fund, distribution #1: 10.00 EUR to distribute"
