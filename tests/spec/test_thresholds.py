"""LANGUAGE.md §6 — thresholds: rules in order, `for N`, checks and cadence, statuses, no-data, actions,
`once`, payments in minor units, escalation on the last day of the month."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spec.spec_helpers import contract, diagnostics, error_codes, evaluate, pact, series, statuses

months = [f"2026-{m:02d}" for m in range(1, 13)]


def rows_of(**cols: list[object]) -> dict[str, dict[str, object]]:
    n = max(len(v) for v in cols.values())
    return {months[i]: {k: v[i] for k, v in cols.items() if i < len(v)} for i in range(n)}


def st_list(doc: dict, name: str) -> list[str | None]:
    return list(statuses(doc, name).values())


def rules(doc: dict, name: str) -> list[int | None]:
    return [v["rule"] for v in doc["thresholds"][name].values()]


def checks(doc: dict, name: str) -> list[bool]:
    return [v["check"] for v in doc["thresholds"][name].values()]


LADDER = """
escalation disputes {
  step managers within 10 days
  step arbitration final
}
"""


# ---------------------------------------------------------------- rules in order


def test_first_rule_that_holds_decides(tmp_path: Path) -> None:
    """x = 1 holds both `x < 5` and `x < 10`: the first one written wins (breach, rule 1)."""
    src = contract(
        """
        measure x "X": number
        threshold t {
          when x < 5: breach
          when x < 10: watch
          when x > 100: bonus
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1, 7, 500, 50]))
    assert st_list(doc, "t") == ["breach", "watch", "bonus", "ok"]
    assert rules(doc, "t") == [1, 2, 3, 0]


def test_without_otherwise_no_rule_holding_is_ok(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nthreshold t {\n  when x < 5: breach\n}')
    doc = evaluate(tmp_path, src, rows_of(x=[1, 9]))
    assert st_list(doc, "t") == ["breach", "ok"]


def test_otherwise_status_can_be_any_status(tmp_path: Path) -> None:
    src = contract(
        'measure x "X": number\nthreshold t {\n  when x < 5: breach\n  otherwise: bonus\n}'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1, 9]))
    assert st_list(doc, "t") == ["breach", "bonus"]


def test_unknown_status_word_is_an_error(tmp_path: Path) -> None:
    assert error_codes(
        tmp_path, contract('measure x "X": number\nthreshold t {\n  when x < 5: alarm\n}')
    )


# ---------------------------------------------------------------- missing conditions, no-data


def test_missing_condition_does_not_hold_and_a_later_rule_may_decide(tmp_path: Path) -> None:
    """y missing: rule 1 (y < 5) is missing → does not hold; rule 2 (x > 0) holds → watch."""
    src = contract(
        """
        measure x "X": number
        measure y "Y": number
        threshold t {
          when y < 5: breach
          when x > 0: watch
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1], y=[None]))
    assert st_list(doc, "t") == ["watch"]


def test_no_rule_holds_and_a_condition_was_missing_gives_no_data_without_otherwise_actions(
    tmp_path: Path,
) -> None:
    src = contract(
        """
        measure x "X": number
        threshold t {
          when x < 5: breach
            => pay 100 EUR from orbis to acme
          otherwise: ok
            => pay 1 EUR from acme to orbis
            => action "all fine"
            => notify acme
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[None, 9]))
    assert st_list(doc, "t") == ["no-data", "ok"]
    assert rules(doc, "t")[0] is None
    # only February's otherwise actions fired
    assert [(p["period"], p["amount"]) for p in doc["payments"]] == [("2026-02", "1.00")]
    assert {a["period"] for a in doc["actions"]} == {"2026-02"}


def test_status_of_threshold_in_an_expression(tmp_path: Path) -> None:
    src = contract(
        """
        measure x "X": number
        threshold t {
          when x < 5: breach
          otherwise: ok
        }
        let is_breach = status(t) == "breach"
        threshold u {
          when status(t) == "breach": watch
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1, 9, None]))
    assert list(series(doc, "is_breach").values()) == [True, False, False]
    assert st_list(doc, "u") == ["watch", "ok", "ok"]


# ---------------------------------------------------------------- for N


def test_for_n_months_needs_n_consecutive_checks(tmp_path: Path) -> None:
    """Spec §2 example: conversion 4%, 3%, 2% under 5% for 3 months → breach in the 3rd month; before, the
    checks before the term count as not holding, so rule 2 (< 10%) gives watch."""
    src = contract(
        """
        measure won "W": count
        measure leads "L": count
        kpi conversion "C": percent = won / leads { owner acme source "s" frequency monthly }
        threshold floor {
          when conversion < 5% for 3 months: breach
          when conversion < 10%: watch
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(won=[4, 3, 2, 6, 2], leads=[100] * 5))
    assert st_list(doc, "floor") == ["watch", "watch", "breach", "watch", "watch"]


def test_checks_before_the_term_count_as_not_holding(tmp_path: Path) -> None:
    """Even when the condition holds every month, `for 3 months` cannot hold in months 1–2 of the term."""
    src = contract(
        'measure b "B": bool\nthreshold t {\n  when b for 3 months: breach\n  otherwise: ok\n}'
    )
    doc = evaluate(tmp_path, src, rows_of(b=["true"] * 4))
    assert st_list(doc, "t") == ["ok", "ok", "breach", "breach"]


def test_for_n_is_the_three_valued_and_of_the_last_n_checks(tmp_path: Path) -> None:
    """`for 2 months` = and(previous check, this check), three-valued:
    b = false, missing → false and missing = false → ok (not no-data);
    b = true, missing → missing → no-data; missing, true → missing → no-data; true, true → breach."""
    src = contract(
        'measure b "B": bool\nthreshold t {\n  when b for 2 months: breach\n  otherwise: ok\n}'
    )
    doc = evaluate(tmp_path, src, rows_of(b=["false", None, "true", None, "true", "true"]))
    # Jan: before-term Dec = not holding → false → ok
    # Feb: false and missing = false → ok
    # Mar: missing and true = missing → no-data
    # Apr: true and missing = missing → no-data
    # May: missing and true = missing → no-data
    # Jun: true and true → breach
    assert st_list(doc, "t") == ["ok", "ok", "no-data", "no-data", "no-data", "breach"]


tri = st.sampled_from(["true", "false", None])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seq=st.lists(tri, min_size=1, max_size=12), n=st.integers(min_value=1, max_value=4))
def test_for_n_matches_a_reference_model(tmp_path: Path, seq: list[str | None], n: int) -> None:
    """Reference: value(m) = Kleene-and over checks m-n+1..m; checks before the term are false."""
    src = contract(
        f'measure b "B": bool\nthreshold t {{\n  when b for {n} months: breach\n  otherwise: ok\n}}'
    )
    doc = evaluate(tmp_path, src, {months[i]: {"b": v} for i, v in enumerate(seq)})
    conv = {"true": True, "false": False, None: None}
    expected = []
    for m in range(len(seq)):
        window = [conv[seq[k]] if k >= 0 else False for k in range(m - n + 1, m + 1)]
        if any(v is False for v in window):
            expected.append("ok")
        elif any(v is None for v in window):
            expected.append("no-data")
        else:
            expected.append("breach")
    assert st_list(doc, "t") == expected


def test_for_n_when_data_starts_after_the_term(tmp_path: Path) -> None:
    """Ambiguity (spec silent): checks inside the term but before the first data month. Reading chosen:
    they are not known → missing, so `for 2 months` at the first data month is missing (no-data), not false.
    Term from 2026-01, data from 2026-03 with the condition true: March no-data, April breach."""
    src = contract(
        'measure b "B": bool\nthreshold t {\n  when b for 2 months: breach\n  otherwise: ok\n}'
    )
    doc = evaluate(tmp_path, src, "period,b\n2026-03,true\n2026-04,true\n")
    assert st_list(doc, "t") == ["no-data", "breach"]


# ---------------------------------------------------------------- cadence


def test_checked_quarterly_checks_at_months_3_6_9_12_and_keeps_status_between(
    tmp_path: Path,
) -> None:
    src = contract(
        """
        measure x "X": number
        threshold q {
          checked quarterly
          when x < 5: breach
            => pay 10 EUR from orbis to acme
          otherwise: ok
        }
        """
    )
    # x < 5 in every month but 6
    doc = evaluate(tmp_path, src, rows_of(x=[1, 1, 1, 1, 1, 9, 1, 1, 1, 1, 1, 1]))
    assert checks(doc, "q") == [m % 3 == 0 for m in range(1, 13)]
    assert st_list(doc, "q") == [
        None,
        None,
        "breach",
        "breach",
        "breach",
        "ok",
        "ok",
        "ok",
        "breach",
        "breach",
        "breach",
        "breach",
    ]
    # actions fire only at checks
    assert [p["period"] for p in doc["payments"]] == ["2026-03", "2026-09", "2026-12"]


def test_status_is_missing_before_the_first_check(tmp_path: Path) -> None:
    src = contract(
        """
        measure x "X": number
        threshold q {
          checked quarterly
          when x < 5: breach
        }
        let s = status(q)
        let known = (status(q) == "breach") otherwise false
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1, 1, 1, 9]))
    assert list(series(doc, "s").values()) == [None, None, "breach", "breach"]
    assert list(series(doc, "known").values()) == [False, False, True, True]


def test_for_n_quarters_counts_checks(tmp_path: Path) -> None:
    """`checked quarterly` + `for 2 quarters`: the last 2 quarter-ends. March looks at Dec 2025 (before the
    term: not holding); June looks at March and June. Values below 5 only at month-ends 3 and 6 (the months
    in between are high but are not checks)."""
    src = contract(
        """
        measure x "X": number
        threshold q {
          checked quarterly
          when x < 5 for 2 quarters: breach
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[9, 9, 1, 9, 9, 1, 9, 9, 9]))
    assert st_list(doc, "q")[2] == "ok"
    assert st_list(doc, "q")[5] == "breach"
    assert st_list(doc, "q")[8] == "ok"


def test_checked_yearly_checks_in_december(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nthreshold y {\n  checked yearly\n  when x > 0: bonus\n}')
    doc = evaluate(tmp_path, src, rows_of(x=[1] * 12))
    assert checks(doc, "y") == [False] * 11 + [True]
    assert st_list(doc, "y") == [None] * 11 + ["bonus"]


def test_checked_monthly_is_the_default(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nthreshold t {\n  when x > 0: bonus\n}')
    doc = evaluate(tmp_path, src, rows_of(x=[1, 1]))
    assert checks(doc, "t") == [True, True]


# ---------------------------------------------------------------- actions


def test_actions_fire_at_every_check_the_rule_decides(tmp_path: Path) -> None:
    src = contract(
        """
        measure x "X": number
        threshold t {
          when x < 5: breach
            => pay 5_000 EUR from orbis to acme "Penalty"
        }
        let paid_now = paid(orbis, acme)
        let paid_all = paid(orbis, acme, to date)
        let back = paid(acme, orbis)
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1, 1, 9, 1]))
    assert [
        (p["period"], p["amount"], p["from"], p["to"], p["label"]) for p in doc["payments"]
    ] == [
        ("2026-01", "5000.00", "orbis", "acme", "Penalty"),
        ("2026-02", "5000.00", "orbis", "acme", "Penalty"),
        ("2026-04", "5000.00", "orbis", "acme", "Penalty"),
    ]
    assert list(series(doc, "paid_now").values()) == [5000, 5000, 0, 5000]
    assert list(series(doc, "paid_all").values()) == [5000, 10000, 10000, 15000]
    assert list(series(doc, "back").values()) == [0, 0, 0, 0]


def test_pay_amount_is_any_money_expression_rounded_to_minor_units(tmp_path: Path) -> None:
    """pay revenue / 3: 100 / 3 = 33.333… → 33.33; 200.05 / 3 = 66.68333… → 66.68; 0.05 / 2 = 0.025 → 0.02 (half-even)."""
    src = contract(
        """
        measure rev "Revenue": money
        measure d "Divisor": number
        threshold t {
          when rev > 0 EUR: watch
            => pay rev / d from acme to orbis
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(rev=["100", "200.05", "0.05"], d=[3, 3, 2]))
    assert [p["amount"] for p in doc["payments"]] == ["33.33", "66.68", "0.02"]


def test_a_negative_amount_pays_nothing_even_when_it_rounds_to_zero(tmp_path: Path) -> None:
    """docs/language.md §8 "a negative amount pays nothing": -0.001 EUR is negative, so nothing
    is paid and the ledger says why; it used to be rounded first, to -0.00, and paid ("-0.00 EUR"
    in the text ledger). 0.005 is not negative: rounded half-even it pays 0.00."""
    src = contract(
        """
        measure m "M": money
        threshold t {
          when m < 100 EUR: watch
            => pay m from orbis to acme "x"
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(m=["-0.001", "-0.005", "0.005", "0.015"]))
    assert [p["amount"] for p in doc["payments"]] == [None, None, "0.00", "0.02"]
    assert [p["note"] for p in doc["payments"]][:2] == [
        "the amount -0.001 is negative: nothing is paid",
        "the amount -0.005 is negative: nothing is paid",
    ]
    c = tmp_path / "contract.pact"
    text = pact("eval", c, "--data", tmp_path / "data.csv")
    assert text.exit_code == 0 and "-0.00" not in text.stdout


def test_a_negative_zero_is_shown_without_its_sign(tmp_path: Path) -> None:
    """round(-0.001, 2) and -0.001 * 0 are zeros: the JSON says "0.00" and "0.000", the table 0 (not -0)."""
    src = contract(
        """
        measure a "A": number
        let r = round(a, 2)
        let z = a * 0
        """
    )
    doc = evaluate(tmp_path, src, rows_of(a=["-0.001"]))
    assert doc["lets"] == {"r": {"2026-01": "0.00"}, "z": {"2026-01": "0.000"}}
    text = pact("eval", tmp_path / "contract.pact", "--data", tmp_path / "data.csv", "--explain")
    assert text.exit_code == 0 and "-0 " not in text.stdout and "= -0\n" not in text.stdout
    assert "r at 2026-01 = round(a -0.001, 2) = 0\n" in text.stdout


def test_once_fires_only_the_first_time_its_rule_fires(tmp_path: Path) -> None:
    src = contract(
        """
        measure x "X": number
        threshold t {
          when x > 20: bonus
            => once pay 10_000 EUR from acme to orbis "Bonus"
            => notify acme, orbis
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(x=[30, 30, 1, 30]))
    assert [p["period"] for p in doc["payments"]] == ["2026-01"]
    notes = [a for a in doc["actions"] if a["kind"] == "notify"]
    assert [a["period"] for a in notes] == ["2026-01", "2026-02", "2026-04"]
    assert notes[0]["parties"] == ["acme", "orbis"]


def test_free_text_action(tmp_path: Path) -> None:
    src = contract(
        'measure x "X": number\nthreshold t {\n  when x < 5: watch\n    => action "Intensification des moyens"\n}'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1]))
    assert [(a["kind"], a["text"]) for a in doc["actions"]] == [
        ("action", "Intensification des moyens")
    ]


@pytest.mark.parametrize(
    ("month", "last_day"),
    [
        ("2026-02", "2026-02-28"),
        ("2028-02", "2028-02-29"),
        ("2026-04", "2026-04-30"),
        ("2026-12", "2026-12-31"),
    ],
)
def test_escalate_opens_a_dispute_on_the_last_day_of_the_month(
    tmp_path: Path, month: str, last_day: str
) -> None:
    src = contract(
        'measure x "X": number\nthreshold t {\n  when x < 5: breach\n    => escalate disputes\n}\n'
        + LADDER
    )
    doc = evaluate(tmp_path, src, f"period,x\n{month},1\n")
    assert [d["opened"] for d in doc["disputes"]] == [last_day]
    assert doc["disputes"][0]["ladder"] == "disputes"
    assert doc["disputes"][0]["steps"][0]["start"] == last_day


def test_escalated_dispute_timeline_follows_the_ladder(tmp_path: Path) -> None:
    """Opened 2026-03-31 (Tuesday): managers 10 calendar days → 2026-04-10 (Friday), arbitration starts then."""
    src = contract(
        'measure x "X": number\nthreshold t {\n  when x < 5: breach\n    => escalate disputes\n}\n'
        + LADDER
    )
    doc = evaluate(tmp_path, src, "period,x\n2026-03,1\n")
    steps = doc["disputes"][0]["steps"]
    assert [(s["step"], s["start"], s["deadline"]) for s in steps] == [
        ("managers", "2026-03-31", "2026-04-10"),
        ("arbitration", "2026-04-10", None),
    ]


def test_pay_between_undeclared_parties_is_an_error(tmp_path: Path) -> None:
    assert error_codes(
        tmp_path,
        contract(
            'measure x "X": number\nthreshold t {\n  when x < 5: breach\n    => pay 1 EUR from nobody to acme\n}'
        ),
    )


def test_pay_amount_must_be_money(tmp_path: Path) -> None:
    diags = [
        d
        for d in diagnostics(
            tmp_path,
            contract(
                'measure x "X": number\nthreshold t {\n  when x < 5: breach\n    => pay 5% from orbis to acme\n}'
            ),
        )
        if d["severity"] == "error"
    ]
    assert diags


def test_escalate_to_an_undeclared_ladder_is_an_error(tmp_path: Path) -> None:
    assert error_codes(
        tmp_path,
        contract(
            'measure x "X": number\nthreshold t {\n  when x < 5: breach\n    => escalate nowhere\n}'
        ),
    )


@pytest.mark.parametrize("status", ["ok", "watch", "breach", "bonus"])
def test_the_four_statuses(tmp_path: Path, status: str) -> None:
    src = contract(f'measure x "X": number\nthreshold t {{\n  when x > 0: {status}\n}}')
    assert st_list(evaluate(tmp_path, src, rows_of(x=[1])), "t") == [status]
