"""LANGUAGE.md §9a — contributions and the new threshold actions (terminate, suspend, oblige),
and ``pact calendar`` listing the obligations they create."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from spec.spec_helpers import HEADER, contract, error_codes, evaluate, pact, series, write

D = Decimal
months = [f"2026-{m:02d}" for m in range(1, 13)]

MARKETING = contract(
    """
    measure proceeds "Proceeds": money
    measure budget "Budget": money
    contribution marketing "Budget marketing" en "Marketing budget" {
      amount 100_000 EUR from 2026-01, 120_000 EUR from 2026-03
      split acme 60%, orbis 40%
    }
    contribution ad_hoc "Ad hoc" {
      amount budget
      split acme 60%, orbis 40%
    }
    let called = contributed(marketing)
    let by_acme = contributed(marketing, acme)
    let acme_to_date = contributed(marketing, acme, to date)
    let all_to_date = contributed(marketing, to date)
    let adhoc_acme = contributed(ad_hoc, acme)
    waterfall fund {
      distributes proceeds
      tier repay {
        pay acme up to contributed(marketing, acme, to date)
        pay orbis up to contributed(marketing, orbis, to date)
      }
      tier rest {
        split acme 50%, orbis 50%
      }
    }
    """,
    # the label is French and translated into English, as in §9a's example
    header=HEADER + "  language fr\n",
)

def test_contribution_checks(tmp_path: Path) -> None:
    assert error_codes(tmp_path, MARKETING) == []


def test_amount_is_called_each_month_by_the_split(tmp_path: Path) -> None:
    """100 000 in Jan–Feb then 120 000 from March, 60/40: acme 60 000, 60 000, 72 000; to date 60 000,
    120 000, 192 000; both parties to date 100 000, 200 000, 320 000."""
    rows = {m: {"proceeds": "0", "budget": "100.01"} for m in months[:3]}
    doc = evaluate(tmp_path, MARKETING, rows)
    assert list(series(doc, "called").values()) == [100000, 100000, 120000]
    assert list(series(doc, "by_acme").values()) == [60000, 60000, 72000]
    assert list(series(doc, "acme_to_date").values()) == [60000, 120000, 192000]
    assert list(series(doc, "all_to_date").values()) == [100000, 200000, 320000]


def test_calls_in_minor_units_by_largest_remainder(tmp_path: Path) -> None:
    """100.01 × 60% = 60.006, × 40% = 40.004 → 60.00 / 40.00 + one cent to the largest remainder (acme): 60.01."""
    rows = {"2026-01": {"proceeds": "0", "budget": "100.01"}}
    doc = evaluate(tmp_path, MARKETING, rows)
    assert series(doc, "adhoc_acme")["2026-01"] == D("60.01")


def test_missing_amount_calls_nothing_and_contributed_is_missing(tmp_path: Path) -> None:
    rows = {
        "2026-01": {"proceeds": "0", "budget": "10"},
        "2026-02": {"proceeds": "0", "budget": ""},
    }
    doc = evaluate(tmp_path, MARKETING, rows)
    assert list(series(doc, "adhoc_acme").values()) == [6, None]


def test_waterfall_repays_what_each_party_put_in(tmp_path: Path) -> None:
    """Jan: contributions to date acme 60 000, orbis 40 000; proceeds 150 000 → repay 60 000 / 40 000,
    50 000 split 25 000 / 25 000."""
    rows = {"2026-01": {"proceeds": "150000", "budget": "0"}}
    doc = evaluate(tmp_path, MARKETING, rows)
    tiers = doc["waterfalls"]["fund"][0]["tiers"]
    assert {p: D(v) for p, v in tiers[0].items()} == {"acme": 60000, "orbis": 40000}
    assert {p: D(v) for p, v in tiers[1].items()} == {"acme": 25000, "orbis": 25000}


def test_contribution_shares_must_sum_to_100_percent(tmp_path: Path) -> None:
    assert error_codes(tmp_path, MARKETING) == []
    assert error_codes(
        tmp_path,
        # the first split (of `marketing`) only
        MARKETING.replace("split acme 60%, orbis 40%", "split acme 60%, orbis 30%", 1),
    )


# ---------------------------------------------------------------- new actions

ACTIONS = contract(
    """
    measure x "X": number
    threshold t {
      when x > 10: breach
        => terminate by acme notice 30 days
        => suspend orbis "Livraisons suspendues"
        => oblige orbis "Plan de remédiation" within 10 business days
      otherwise: ok
    }
    """
)


def test_new_actions_check(tmp_path: Path) -> None:
    assert error_codes(tmp_path, ACTIONS) == []


def test_terminate_ends_the_term_on_the_notice_deadline(tmp_path: Path) -> None:
    """Breach in March → notice starts 2026-03-31, 30 days → 2026-04-30: the term ends then, so May and
    June are outside the contract (ignored with a warning). Reading chosen: the evaluation's months stop
    at the month of the notice's deadline."""
    rows = {m: {"x": v} for m, v in zip(months, [1, 1, 20, 1, 1, 1], strict=False)}
    doc = evaluate(tmp_path, ACTIONS, rows)
    assert doc["months"][-1] == "2026-04"
    assert doc["warnings"]


def test_suspend_is_listed_with_its_party_and_text(tmp_path: Path) -> None:
    rows = {"2026-01": {"x": 20}}
    doc = evaluate(tmp_path, ACTIONS, rows)
    text = json.dumps(doc["actions"], ensure_ascii=False)
    assert "Livraisons suspendues" in text and "orbis" in text


def test_oblige_is_listed_by_pact_calendar_with_its_due_date(tmp_path: Path) -> None:
    """Reading chosen: like `escalate`, an obligation starts on the last day of the month of the check.
    Breach in March → 2026-03-31 + 10 business days (no calendar) = 2026-04-14."""
    c = write(tmp_path, "c.pact", ACTIONS)
    d = write(tmp_path, "d.csv", "period,x\n2026-03,20\n")
    run = pact("calendar", c, "--data", d, "--format", "json")
    assert run.exit_code == 0
    assert "2026-04-14" in run.stdout and "Plan de remédiation" in run.stdout


# ---------------------------------------------------------------- audit: three parties, ties, missing months

TRIO = contract(
    """
    measure m: money
    contribution mk "Mk" {
      amount m
      split c 40%, b 30%, a 30%
    }
    let ca = contributed(mk, a)
    let cb = contributed(mk, b)
    let cc = contributed(mk, c)
    let cc_td = contributed(mk, c, to date)
    let total = contributed(mk)
    """,
    header='  effective 2026-01-01\n  currency EUR\n  party a "A"\n  party b "B"\n  party c "C"\n',
)


def test_three_way_calls_largest_remainder_and_ties_to_the_party_declared_first(
    tmp_path: Path,
) -> None:
    """Jan 0.01 → quotas c 0.4, b 0.3, a 0.3 cent → the cent to c. March 10.01 (1001 cents): c 400.4,
    b 300.3, a 300.3 → 400 + 300 + 300 = 1000, the last cent to c (largest remainder) → c 4.01.
    April 0.05 (5 cents): c 2, b 1.5, a 1.5 → floors 2 + 1 + 1 = 4, one left, b and a tie → a, declared
    first in the contract (the split lists b before a) → a 0.02, b 0.01, c 0.02."""
    rows = {"2026-01": {"m": "0.01"}, "2026-02": {"m": ""}, "2026-03": {"m": "10.01"}, "2026-04": {"m": "0.05"}}
    doc = evaluate(tmp_path, TRIO, rows)
    assert list(series(doc, "ca").values()) == [D("0.00"), None, D("3.00"), D("0.02")]
    assert list(series(doc, "cb").values()) == [D("0.00"), None, D("3.00"), D("0.01")]
    assert list(series(doc, "cc").values()) == [D("0.01"), None, D("4.01"), D("0.02")]
    assert list(series(doc, "total").values()) == [D("0.01"), None, D("10.01"), D("0.05")]
    # §9a "a missing amount calls nothing that month and contributed is missing"; §5: a missing value
    # inside a `to date` window makes it missing
    assert list(series(doc, "cc_td").values()) == [D("0.01"), None, None, None]
    calls = {r["period"]: r["calls"] for r in doc["contributions"]["mk"]}
    assert calls["2026-02"] == {}
    assert calls["2026-04"] == {"a": "0.02", "b": "0.01", "c": "0.02"}


def test_terminate_oblige_and_suspend_count_from_the_last_day_of_the_month(tmp_path: Path) -> None:
    """§9a: a breach in March 2026 (calendar FR): notice and obligation start Tuesday 03-31.
    `terminate ... notice 60 days`: 03-31 + 60 = Saturday 05-30 → the next business day (the §8
    convention) Monday 06-01: the term ends then, and the evaluation's months stop at 2026-06
    (docs/conformance.md). `oblige ... within 10 business days`: April 1, 2, 3, (6 Easter Monday),
    7, 8, 9, 10, 13, 14, 15 → due 04-15, listed by `pact calendar`."""
    src = contract(
        """
        measure x: number
        threshold t {
          when x > 10: breach
            => terminate by acme notice 60 days
            => oblige orbis "Remediation plan" within 10 business days
            => suspend orbis "Deliveries"
          otherwise: ok
        }
        """,
        header=HEADER + "  calendar FR\n",
    )
    rows = {m: {"x": "11" if m == "2026-03" else "1"} for m in months[:8]}
    doc = evaluate(tmp_path, src, rows)
    assert doc["months"] == months[:6]
    term = doc["termination"]
    assert (term["by"], term["starts"], term["ends"]) == ("acme", "2026-03-31", "2026-06-01")
    assert [(o["owner"], o["starts"], o["due"], o["text"]) for o in doc["obligations"]] == [
        ("orbis", "2026-03-31", "2026-04-15", "Remediation plan")
    ]
    suspended = [a for a in doc["actions"] if a["kind"] == "suspend"]
    assert [(a["party"], a["text"], a["period"]) for a in suspended] == [("orbis", "Deliveries", "2026-03")]
    cal = pact(
        "calendar", tmp_path / "contract.pact", "--data", tmp_path / "data.csv", "--format", "json"
    )
    assert cal.exit_code == 0, cal.stderr
    dated = {(e["kind"], e["date"]) for e in cal.json["events"]}
    assert ("obligation", "2026-04-15") in dated and ("termination", "2026-06-01") in dated


def test_a_termination_cancels_the_original_end_of_the_term_in_pact_calendar(tmp_path: Path) -> None:
    """§9a: "the term ends on the notice's deadline". Breach in April (calendar FR): notice starts Thursday
    2026-04-30; + 10 days = Sunday 05-10 → Monday 05-11, the end of the term. The `until 2026-12-31` date
    no longer ends anything: `pact calendar` lists it as cancelled (like a dispute step a resolution made
    moot), not as a second, confirmed end of the term. Without data nothing fired: it stays confirmed."""
    src = contract(
        """
        measure x: number
        threshold t {
          when x > 10: breach
            => terminate by acme notice 10 days
          otherwise: ok
        }
        """,
        header='  effective 2026-01-01 until 2026-12-31\n  currency EUR\n  calendar FR\n'
        '  party acme "ACME SAS"\n  party orbis "Orbis SA"\n',
    )
    c = write(tmp_path, "c.pact", src)
    d = write(tmp_path, "d.csv", "period,x\n2026-03,1\n2026-04,11\n")
    run = pact("calendar", c, "--data", d, "--format", "json")
    assert run.exit_code == 0, run.stderr
    got = [(e["date"], e["kind"], e["status"]) for e in run.json["events"]]
    assert got == [
        ("2026-01-01", "term-start", "confirmed"),
        ("2026-05-11", "termination", "confirmed"),
        ("2026-12-31", "term-end", "cancelled"),
    ]
    run = pact("calendar", c, "--format", "json")
    assert [(e["kind"], e["status"]) for e in run.json["events"]][-1] == ("term-end", "confirmed")
