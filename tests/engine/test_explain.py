"""Explanations (LANGUAGE.md §11): every value can be checked by hand from its line."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.api import Contract, load, loads
from pactlang.base.values import Period
from pactlang.cli import main
from pactlang.engine.evaluate import Evaluation
from pactlang.present.explain import Explainer

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"
ALLIANCE_CSV = ROOT / "examples" / "data" / "alliance.csv"
FIXTURES = Path(__file__).parent / "fixtures"
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@lru_cache(maxsize=1)
def alliance() -> tuple[Contract, Evaluation]:
    contract = load(ALLIANCE)
    return contract, contract.evaluate(ALLIANCE_CSV)


@lru_cache(maxsize=1)
def explain_output() -> list[str]:
    """The lines `pact eval --explain --exact` prints after its tables (every digit:
    without --exact long decimals are rounded for reading, tests/cli/test_cli_conventions.py)."""
    result = CliRunner().invoke(
        main, ["eval", str(ALLIANCE), "--data", str(ALLIANCE_CSV), "--explain", "--exact"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Explanations" in lines
    return lines[lines.index("Explanations") + 1 :]


def line_for(prefix: str) -> str:
    found = [ln for ln in explain_output() if ln.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def csv_rows() -> dict[str, dict[str, str]]:
    with ALLIANCE_CSV.open(encoding="utf-8") as f:
        return {r["period"]: r for r in csv.DictReader(f)}


def amount(text: str) -> Decimal:
    """``152,400.00 EUR`` → 152400.00."""
    return Decimal(text.replace(" EUR", "").replace(",", ""))


# ------------------------------------------------------ coverage of the lines


def test_explain_has_a_line_per_kpi_threshold_and_payment_each_month() -> None:
    contract, ev = alliance()
    for month in MONTHS:
        for name in [*contract.checked.kpis, *contract.checked.thresholds]:
            line_for(f"{name} at {month} = ")
    assert len(ev.payments) == 3
    for p in ev.payments:
        line = line_for(f"{p.period} {p.threshold} rule {p.rule}: pay ")
        assert f"from {p.payer} to {p.payee}" in line
        assert line.split(": pay ")[1].startswith(f"{p.amount:,} EUR")


def test_every_action_and_dispute_is_explained() -> None:
    _, ev = alliance()
    out = explain_output()
    for e in ev.events:
        # `… rule 1: pay …`, `… rule 1: escalate …`, `… rule 2: notify …`, `… rule 2: action …`
        head = f"{e.period} {e.threshold} rule {e.rule or 'otherwise'}: {e.kind} "
        assert sum(1 for ln in out if ln.startswith(head)) >= 1, e
    for month in ("2026-05", "2026-06"):  # the two breaches of conversion_floor
        assert any(ln.startswith(f"dispute opened by conversion_floor at {month}: ") for ln in out)


def test_explain_lines_match_the_explainer_api() -> None:
    """The CLI prints what :class:`Explainer` says (no second formatter)."""
    contract, ev = alliance()
    x = Explainer(ev)
    for t, month in enumerate(ev.months):
        assert line_for(f"conversion at {month} = ") == x.value("conversion", t)
        assert line_for(f"csat_quality at {month} = ") == x.status("csat_quality", t)


# ------------------------------------------------------ checkable by hand


def test_conversion_line_shows_its_inputs() -> None:
    # README: May 9 / 150 = 6 %
    assert (
        line_for("conversion at 2026-05 = ")
        == "conversion at 2026-05 = leads_won 9 / leads_total 150 = 6%"
    )
    # July: blank leads in the CRM export
    assert line_for("conversion at 2026-07 = ") == (
        "conversion at 2026-07 = leads_won missing / leads_total missing = missing"
    )


CONVERSION = re.compile(
    r"^conversion at (\d{4}-\d{2}) = leads_won (\d+) / leads_total (\d+) = (\d+(?:\.\d+)?)%$"
)


def test_recompute_conversion_from_its_explanation() -> None:
    rows = csv_rows()
    checked = 0
    for month in MONTHS:
        line = line_for(f"conversion at {month} = ")
        m = CONVERSION.match(line)
        if m is None:
            assert "missing" in line, line
            continue
        period, won, total, shown = m.groups()
        # the inputs printed are the data file's
        assert (won, total) == (rows[period]["leads_won"], rows[period]["leads_total"])
        exact = Fraction(int(won), int(total)) * 100
        # the printed percentage is the exact ratio to 28 significant digits
        assert abs(Fraction(Decimal(shown)) - exact) <= exact * Fraction(1, 10**26), line
        checked += 1
    assert checked == 11


WINDOW = re.compile(r"^(\w+) at (\d{4}-\d{2}) = (sum|avg)\((\w+), 3 months\) over (.*) = ([^=]+)$")


@pytest.mark.parametrize("name", ["revenue_3m", "csat_avg"])
def test_recompute_windows_from_their_explanation(name: str) -> None:
    rows = csv_rows()
    seen = 0
    for month in MONTHS:
        line = line_for(f"{name} at {month} = ")
        m = WINDOW.match(line)
        if m is None:
            # January, February: the window reaches before the first data month;
            # later: a blank cell inside the window
            assert "before the first data month" in line or line.endswith("= missing"), line
            continue
        _, period, func, measure, parts, result = m.groups()
        items = re.findall(r"(\d{4}-\d{2}) ([^,]+(?:,\d{3})*(?:\.\d+)?(?: EUR)?)", parts)
        months_used = [p for p, _ in items]
        end = Period.parse(period)
        assert months_used == [str(end.shift(-2)), str(end.shift(-1)), str(end)], line
        if result == "missing":
            # a blank cell inside the window: it is listed, and it is blank in the file
            blanks = [p for p, v in items if v == "missing"]
            assert blanks and all(rows[p][measure] == "" for p in blanks), line
            continue
        values = [amount(v) for _, v in items]
        assert values == [Decimal(rows[p][measure]) for p in months_used]
        total = sum(values, Decimal(0))
        expected = Fraction(total) if func == "sum" else Fraction(total) / 3
        assert abs(Fraction(amount(result)) - expected) <= Fraction(1, 10**20), line
        seen += 1
    assert seen >= 6


def test_persistence_rule_lists_each_month_with_its_value() -> None:
    line = line_for("conversion_floor at 2026-05 = ")
    assert line.startswith(
        "conversion_floor at 2026-05 = breach: rule 1 (conversion < 8% for 3 months) held in "
        "2026-03 (7%), 2026-04 (7.5%), 2026-05 (6%)"
    )
    # and the KPI line behind it
    assert line.endswith("conversion at 2026-05 = leads_won 9 / leads_total 150 = 6%")


def test_persistence_months_match_the_kpi_values() -> None:
    """For every month, the three months listed by rule 1 and their values are the KPI's."""
    contract, ev = alliance()
    x = Explainer(ev)
    assert [str(p) for p in ev.months] == MONTHS
    for month in MONTHS:
        line = line_for(f"conversion_floor at {month} = ")
        segment = line.split("rule 1 (conversion < 8% for 3 months) ")[1].split(";")[0]
        listed = re.findall(r"(\d{4}-\d{2}) \(([^)]*)\)", segment)
        end = Period.parse(month)
        assert [p for p, _ in listed] == [str(end.shift(-2)), str(end.shift(-1)), month]
        for p, shown in listed:
            # a run that did not hold also gives each month's verdict: `2026-01 (7%: true)`
            shown = shown.removesuffix(": true").removesuffix(": false")
            i = ev.index(Period.parse(p))
            if i is None:
                assert shown == "before the term"
            else:
                assert shown == x.show(
                    ev.env.series["conversion"][i], typ=contract.checked.value_types["conversion"]
                )


def test_no_data_explanation_says_why() -> None:
    # July: conversion missing → rule 1 and(7.5 %, 6 %… ) with a missing month; rules 2, 3 missing
    line = line_for("conversion_floor at 2026-07 = ")
    assert line.startswith("conversion_floor at 2026-07 = no-data: ")
    assert "was missing" in line
    assert "no rule held and a condition was missing: no-data" in line


def test_kept_status_names_the_last_check() -> None:
    assert line_for("csat_quality at 2026-05 = ") == (
        "csat_quality at 2026-05 = ok: kept from the check of 2026-03 (quarterly)"
    )
    assert line_for("csat_quality at 2026-01 = ").startswith("csat_quality at 2026-01 = missing")


def test_payment_line_shows_the_amount_expression() -> None:
    contract = load(FIXTURES / "actions.pact")
    ev = contract.evaluate(FIXTURES / "actions.csv")
    x = Explainer(ev)
    march = [e for e in ev.payments if e.period == Period(2026, 3) and e.threshold == "credit"]
    line = x.event(march[0])
    # 1000.04 × 12.5 % = 125.005 → 125.00 (half-even): both numbers are printed
    assert line.startswith(
        "2026-03 credit rule 1: pay 125.00 EUR from a to b (fees 1,000.04 EUR * 12.5% = 125.005 EUR)"
    )
    assert "half-even" in line


# ------------------------------------------------------------- bugs (xfail)


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("third", "m 100.00 EUR"),  # third = round(m / 3, 2); m = 100.00 in 2026-01
        ("r2", "v 2.345"),  # r2 = round(v, 2)
        ("mn", "w -3"),  # mn = min(v, w, 1)
        ("abv", "v 2.345"),  # abv = abs(v - 3)
    ],
)
def test_function_call_explanations_show_their_inputs(name: str, needle: str) -> None:
    contract = load(FIXTURES / "scalars.pact")
    ev = contract.evaluate(FIXTURES / "scalars.csv")
    line = Explainer(ev).value(name, 0)
    assert needle in line, line


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("pick", "a 6"),  # pick = if a > 3 then a else b; a = 6 in 2026-01
        ("chain", "b 3"),  # chain = a / b otherwise b otherwise -1; b = 3 in 2026-01
    ],
)
def test_conditional_explanations_show_their_inputs(name: str, needle: str) -> None:
    contract = load(FIXTURES / "arithmetic_logic.pact")
    ev = contract.evaluate(FIXTURES / "arithmetic_logic.csv")
    line = Explainer(ev).value(name, 0)
    assert needle in line, line


FLOOR = """\
contract "Moving floor" {
  effective 2026-01-01
  currency EUR
  measure x "X": number
  let floor = 5 from 2026-01, 3 from 2026-02
  threshold low "Low" {
    when x < floor for 2 months: breach
    otherwise: ok
  }
}
"""


def test_persistence_explanation_shows_the_threshold_in_force_each_month() -> None:
    # January: 4 < 5 holds; February: 2 < 3 holds → breach in February
    ev = loads(FLOOR, "floor.pact").evaluate(
        {Period(2026, 1): {"x": Decimal(4)}, Period(2026, 2): {"x": Decimal(2)}}
    )
    assert ev.status("low", Period(2026, 2)) == "breach"
    line = Explainer(ev).status("low", 1)
    january = re.search(r"2026-01 \(([^)]*)\)", line)
    assert january is not None, line
    assert re.search(r"\b5\b", january.group(1)), line


# ----------------------------------- failing time-independent expectations (§11)

FAILING = """contract "Failing" {
  currency EUR
  party acme "ACME SAS"
  party orbis "Orbis SA"
  let rate = 5%
  let fee = 2 * rate * 10_000 EUR
  committee board {
    member acme weight 60
    member orbis weight 40
    quorum 2 members
    decision budget requires >= 2/3 of weight
  }
}

test "constants and voting power" {
  expect fee == 1_200 EUR
  expect banzhaf(board.budget, acme) == 60%
  expect fee * 2 == 1 EUR
}
"""


def test_a_failing_time_independent_expectation_says_because(tmp_path: Path) -> None:
    f = tmp_path / "failing.pact"
    f.write_text(FAILING, encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(f)])
    assert result.exit_code == 1
    because = [line.strip() for line in result.stdout.splitlines() if "because:" in line]
    assert because == [
        "because:  fee = 2 * rate 5% * 10_000 EUR = 1,000.00 EUR; rate = 5%",
        "because:  banzhaf(board.budget, acme) = 1/2: acme swings 1 of the 2 coalitions a "
        "member's vote turns from losing to winning (acme 1, orbis 1; rule >= 2/3 of weight, "
        "every member present voting yes or no)",
        "because:  fee 1,000.00 EUR * 2 = 2,000.00 EUR; fee = 2 * rate 5% * 10_000 EUR = "
        "1,000.00 EUR; rate = 5%",
    ]


def test_a_sequence_of_votes_explains_its_count(tmp_path: Path) -> None:
    src = """contract "V" {
  currency EUR
  party a "A"
  party b "B"
  committee c {
    member a weight 50
    member b weight 50
    quorum 2 members
    chair b
    decision d requires majority deadlock after 2 escalate disputes
  }
  escalation disputes {
    step s within 5 days
    step t final
  }
}

test "votes" {
  expect vote c.d {
    2026-01-05: a yes, b no
    2026-02-05: a no, b yes
  } is deadlocked
}
"""
    f = tmp_path / "v.pact"
    f.write_text(src, encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(f)])
    assert result.exit_code == 1
    assert "expected: deadlocked" in result.stdout and "actual:   not deadlocked (passed)" in result.stdout
    assert "because:  2026-01-05: rejected (1 of 2 consecutive votes not passed)" in result.stdout
    assert "because:  2026-02-05: passed" in result.stdout
