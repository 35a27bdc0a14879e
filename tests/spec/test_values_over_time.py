"""LANGUAGE.md §5 — measures, lets, KPIs: values over time; missing values and three-valued logic;
definitions over time, measure cadence, calendars in expressions (the last three are new)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spec.spec_helpers import (
    contract,
    diagnostics,
    error_codes,
    eval_run,
    evaluate,
    series,
    statuses,
)

months = [f"2026-{m:02d}" for m in range(1, 13)]


def rows_of(**cols: list[object]) -> dict[str, dict[str, object]]:
    n = max(len(v) for v in cols.values())
    return {months[i]: {k: v[i] for k, v in cols.items() if i < len(v)} for i in range(n)}


def values(doc: dict, name: str) -> list[object]:
    return list(series(doc, name).values())


D = Decimal

# ---------------------------------------------------------------- lets: constants, schedules, expressions


def test_constant_let_is_the_same_every_month(tmp_path: Path) -> None:
    doc = evaluate(
        tmp_path, contract('measure x "X": number\nlet k = 7\nlet v = x * k'), rows_of(x=[1, 2, 3])
    )
    assert values(doc, "k") == [7, 7, 7]
    assert values(doc, "v") == [7, 14, 21]


def test_schedule_takes_latest_entry_not_after_the_month_and_is_missing_before_the_first(
    tmp_path: Path,
) -> None:
    """`10% from 2026-02, 15% from 2026-04`: missing in January, 10% Feb–Mar, 15% from April."""
    src = contract(
        'measure x "X": number\nlet g = 10% from 2026-02, 15% from 2026-04\nlet v = x * g'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[100] * 6))
    assert values(doc, "g") == [None, D("0.10"), D("0.10"), D("0.15"), D("0.15"), D("0.15")]
    assert values(doc, "v") == [None, 10, 10, 15, 15, 15]


def test_schedule_of_money_entries_feeds_a_threshold(tmp_path: Path) -> None:
    """A schedule before its first entry is missing, so a rule comparing with it is missing → no-data."""
    src = contract(
        """
        measure rev "Revenue": money
        let floor = 100 EUR from 2026-02, 200 EUR from 2026-03
        threshold t {
          when rev < floor: breach
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(rev=[150, 150, 150]))
    assert list(statuses(doc, "t").values()) == ["no-data", "ok", "breach"]


def test_expression_let_is_computed_each_month(tmp_path: Path) -> None:
    src = contract(
        'measure won "W": count\nmeasure leads "L": count\nkpi conv "C": percent = won / leads { owner acme source "s" frequency monthly }'
    )
    doc = evaluate(tmp_path, src, rows_of(won=[4, 3, 2], leads=[100, 100, 100]))
    assert values(doc, "conv") == [D("0.04"), D("0.03"), D("0.02")]


# ---------------------------------------------------------------- expressions


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("x + 2 * 3", 10),  # precedence: 4 + 6
        ("(x + 2) * 3", 18),
        ("-x + 1", -3),
        ("x / 8", D("0.5")),
        ("x - 10", -6),
        ("if x > 3 then 1 else 2", 1),
        ("if x > 5 then 1 else 2", 2),
        ("abs(1 - x)", 3),
        ("round(x / 3, 2)", D("1.33")),
        ("min(x, 2, 9)", 2),
        ("max(x, 2, 9)", 9),
        ("x == 4 and not (x != 4)", True),
        ("x < 4 or x >= 4", True),
        ("x <= 3", False),
    ],
)
def test_expression_forms(tmp_path: Path, expr: str, expected: object) -> None:
    doc = evaluate(tmp_path, contract(f'measure x "X": number\nlet v = {expr}'), rows_of(x=[4]))
    assert values(doc, "v") == [expected]


def test_otherwise_gives_the_default_only_where_missing(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nlet v = x otherwise 0')
    doc = evaluate(tmp_path, src, rows_of(x=[5, None, 7]))
    assert values(doc, "v") == [5, 0, 7]


def test_division_by_zero_is_missing_not_an_error(tmp_path: Path) -> None:
    src = contract(
        'measure a "A": number\nmeasure b "B": number\nlet q = a / b\nlet z = (a / b) otherwise 0'
    )
    doc = evaluate(tmp_path, src, rows_of(a=[6, 6, 0], b=[3, 0, 0]))
    assert values(doc, "q") == [2, None, None]
    assert values(doc, "z") == [2, 0, 0]


# ---------------------------------------------------------------- missing values


def test_blank_cell_and_absent_month_are_missing(tmp_path: Path) -> None:
    """A blank cell and a month absent from the data (inside the timeline) are missing; arithmetic with
    them is missing; nothing is silently zero."""
    csv = "period,x\n2026-01,1\n2026-02,\n2026-04,4\n"
    doc = evaluate(tmp_path, contract('measure x "X": number\nlet v = x + 1'), csv)
    assert doc["months"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert values(doc, "x") == [1, None, None, 4]
    assert values(doc, "v") == [2, None, None, 5]


def test_comparison_with_missing_is_missing(tmp_path: Path) -> None:
    doc = evaluate(tmp_path, contract('measure x "X": number\nlet v = x > 1'), rows_of(x=[None, 2]))
    assert values(doc, "v") == [None, True]


KLEENE = {
    # (a, b): (a and b, a or b)
    (True, True): (True, True),
    (True, False): (False, True),
    (True, None): (None, True),
    (False, True): (False, True),
    (False, False): (False, False),
    (False, None): (False, None),
    (None, True): (None, True),
    (None, False): (False, None),
    (None, None): (None, None),
}


def test_three_valued_and_or_not_truth_table(tmp_path: Path) -> None:
    """false and missing = false; true or missing = true; everything else with missing is missing."""
    pairs = list(KLEENE)
    src = contract(
        'measure a "A": bool\nmeasure b "B": bool\nlet conj = a and b\nlet disj = a or b\nlet neg = not a'
    )
    cell = {True: "true", False: "false", None: None}
    rows = {months[i]: {"a": cell[a], "b": cell[b]} for i, (a, b) in enumerate(pairs)}
    doc = evaluate(tmp_path, src, rows)
    conj, disj, neg = values(doc, "conj"), values(doc, "disj"), values(doc, "neg")
    for i, (a, b) in enumerate(pairs):
        assert (conj[i], disj[i]) == KLEENE[(a, b)], (a, b)
        assert neg[i] == (None if a is None else not a)


tri = st.sampled_from([True, False, None])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(tri, tri, tri), min_size=1, max_size=12))
def test_three_valued_logic_laws(
    tmp_path: Path, rows: list[tuple[bool | None, bool | None, bool | None]]
) -> None:
    """Kleene laws: De Morgan, commutativity, distributivity hold month by month with missing values."""
    src = contract(
        """
        measure a "A": bool
        measure b "B": bool
        measure c "C": bool
        let l1 = not (a and b)
        let r1 = not a or not b
        let l2 = a and (b or c)
        let r2 = (a and b) or (a and c)
        let l3 = a or b
        let r3 = b or a
        """
    )
    cell = {True: "true", False: "false", None: None}
    data = {
        months[i]: {"a": cell[a], "b": cell[b], "c": cell[c]} for i, (a, b, c) in enumerate(rows)
    }
    doc = evaluate(tmp_path, src, data)
    assert values(doc, "l1") == values(doc, "r1")
    assert values(doc, "l2") == values(doc, "r2")
    assert values(doc, "l3") == values(doc, "r3")


def test_if_with_missing_condition_is_missing(tmp_path: Path) -> None:
    doc = evaluate(
        tmp_path,
        contract('measure b "B": bool\nlet v = if b then 1 else 2'),
        rows_of(b=[None, "true", "false"]),
    )
    assert values(doc, "v") == [None, 1, 2]


def test_strict_turns_a_missing_measure_value_into_an_error(tmp_path: Path) -> None:
    """`--strict` turns any missing measure value into an error (exit 2, nothing evaluated)."""
    src = contract('measure x "X": number\nlet v = x')
    run = eval_run(tmp_path, src, rows_of(x=[1, None, 3]), "--strict", "--format", "json")
    assert run.exit_code == 2
    assert "2026-02" in run.stderr and "x" in run.stderr
    assert run.stdout.strip() == ""
    assert eval_run(tmp_path, src, rows_of(x=[1, 2, 3]), "--strict").exit_code == 0


# ---------------------------------------------------------------- windows


def test_trailing_window_reaching_before_the_first_data_month_is_missing(tmp_path: Path) -> None:
    """sum(x, 3 months) ends at the current month, inclusive: missing in months 1–2; then 1+2+3, 2+3+4."""
    src = contract(
        'measure x "X": number\nlet s = sum(x, 3 months)\nlet a = avg(x, 2 months)\nlet lo = min(x, 3 months)\nlet hi = max(x, 3 months)'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1, 2, 3, 4]))
    assert values(doc, "s") == [None, None, 6, 9]
    assert values(doc, "a") == [None, D("1.5"), D("2.5"), D("3.5")]
    assert values(doc, "lo") == [None, None, 1, 2]
    assert values(doc, "hi") == [None, None, 3, 4]


def test_window_with_a_missing_month_inside_is_missing(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nlet s = sum(x, 2 months)')
    doc = evaluate(tmp_path, src, rows_of(x=[1, 2, None, 4, 5, 6]))
    assert values(doc, "s") == [None, 3, None, None, 9, 11]


@pytest.mark.parametrize(
    "expr",
    [
        "min(2 months, 1 year)",
        "max(3 months, to date)",
        "sum(to date, 2 months)",
        "previous(year to date)",
        "previous(2 months)",
    ],
)
def test_a_window_in_the_place_of_the_value_is_an_error(tmp_path: Path, expr: str) -> None:
    """§5: a trailing window is `f(x, 3 months)`: x is the value the window runs over.
    With a window (a duration literal, `to date`) in x's place, `pact check` must say
    so; it used to give the let no type and no diagnostic, and `pact eval` then showed
    it as missing every month without a word (`previous(year to date)` even stopped
    `pact eval` with a traceback)."""
    src = contract(f'measure x "X": number\nlet keep = x\nlet v = {expr}')
    assert error_codes(tmp_path, src)


@pytest.mark.parametrize(
    "expr",
    [
        "retained(to date)",
        "retained(year to date)",
        "distributed(to date)",
        "contributed(to date)",
    ],
)
def test_to_date_alone_in_a_result_function_is_an_error(tmp_path: Path, expr: str) -> None:
    """§5: `distributed(fund …)`, `retained(fund)`, `contributed(c …)` take a construct
    first, "each also with `to date` as last argument". A window alone is in the place
    of the construct: `pact check` reports an error (exit 1); it used to crash with an
    IndexError traceback."""
    src = contract(
        """
        measure p "P": money
        waterfall fund {
          distributes p
          tier { pay acme up to 10 EUR }
        }
        contribution c {
          amount 10 EUR
          split acme 50%, orbis 50%
        }
        """
        + f"let v = {expr}\nlet keep = v"
    )
    assert error_codes(tmp_path, src)


def test_window_before_first_data_month_of_the_term_is_missing_even_inside_the_term(
    tmp_path: Path,
) -> None:
    """Term starts 2026-01, data starts 2026-03: a 2-month window in March reaches February → missing."""
    csv = "period,x\n2026-03,1\n2026-04,2\n"
    doc = evaluate(tmp_path, contract('measure x "X": number\nlet s = sum(x, 2 months)'), csv)
    assert values(doc, "s") == [None, 3]


def test_data_before_the_term_does_not_feed_windows(tmp_path: Path) -> None:
    """Months before `effective` are out of the contract: ignored with a warning."""
    csv = "period,x\n2025-11,100\n2025-12,100\n2026-01,1\n2026-02,2\n"
    doc = evaluate(
        tmp_path,
        contract('measure x "X": number\nlet s = sum(x, 2 months)\nlet p = previous(x)'),
        csv,
    )
    assert doc["months"] == ["2026-01", "2026-02"]
    assert values(doc, "s") == [None, 3]
    assert values(doc, "p") == [None, 1]
    assert doc["warnings"] and any("2025-11" in w or "2025-12" in w for w in doc["warnings"])


def test_data_after_until_is_ignored_with_a_warning(tmp_path: Path) -> None:
    header = '  effective 2026-01-01 until 2026-02-28\n  currency EUR\n  party acme "A"\n'
    csv = "period,x\n2026-01,1\n2026-02,2\n2026-03,3\n"
    doc = evaluate(
        tmp_path, contract('measure x "X": number\nlet s = sum(x, to date)', header=header), csv
    )
    assert doc["months"] == ["2026-01", "2026-02"]
    assert values(doc, "s") == [1, 3]
    assert doc["warnings"]


def test_to_date_and_year_to_date(tmp_path: Path) -> None:
    """to date: from the first data month of the term; year to date: from January (or the first data
    month if later). 2026-11..2027-02 = 1, 2, 3, 4: to date 1, 3, 6, 10; year to date 1, 3, 3, 7."""
    header = '  effective 2025-01-01\n  currency EUR\n  party acme "A"\n'
    csv = "period,x\n2026-11,1\n2026-12,2\n2027-01,3\n2027-02,4\n"
    doc = evaluate(
        tmp_path,
        contract(
            'measure x "X": number\nlet td = sum(x, to date)\nlet ytd = sum(x, year to date)',
            header=header,
        ),
        csv,
    )
    assert values(doc, "td") == [1, 3, 6, 10]
    assert values(doc, "ytd") == [1, 3, 3, 7]


def test_to_date_never_reaches_before_but_a_missing_value_inside_makes_it_missing(
    tmp_path: Path,
) -> None:
    src = contract(
        'measure x "X": number\nlet td = sum(x, to date)\nlet ytd = sum(x, year to date)\nlet av = avg(x, to date)'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[2, 4, None, 1]))
    assert values(doc, "td") == [2, 6, None, None]
    assert values(doc, "ytd") == [2, 6, None, None]
    assert values(doc, "av") == [2, 3, None, None]


def test_year_to_date_resets_in_january(tmp_path: Path) -> None:
    header = '  effective 2026-01-01\n  currency EUR\n  party acme "A"\n'
    csv = "period,x\n2026-12,5\n2027-01,7\n"
    doc = evaluate(
        tmp_path,
        contract('measure x "X": number\nlet ytd = sum(x, year to date)', header=header),
        csv,
    )
    assert values(doc, "ytd") == [5, 7]


# ---------------------------------------------------------------- lags


def test_previous_and_previous_n_months(tmp_path: Path) -> None:
    src = contract(
        'measure x "X": number\nlet p1 = previous(x)\nlet p12 = previous(x, 12 months)\nlet p2 = previous(x, 2 months)'
    )
    doc = evaluate(tmp_path, src, {**rows_of(x=list(range(1, 13))), "2027-01": {"x": 13}})
    assert values(doc, "p1") == [None, *range(1, 13)]
    assert values(doc, "p2") == [None, None, *range(1, 12)]
    assert values(doc, "p12") == [None] * 12 + [1]


def test_previous_of_a_missing_month_is_missing(tmp_path: Path) -> None:
    doc = evaluate(
        tmp_path, contract('measure x "X": number\nlet p = previous(x)'), rows_of(x=[1, None, 3])
    )
    assert values(doc, "p") == [None, 1, None]


# ---------------------------------------------------------------- cycles


def test_a_dependence_within_the_same_month_is_a_cycle_that_prints_its_path(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nlet a = b + x\nlet b = c + 1\nlet c = a * 2')
    errs = [d for d in diagnostics(tmp_path, src) if d["severity"] == "error"]
    assert errs
    msg = " ".join(d["message"] for d in errs)
    assert all(f"`{n}`" in msg or n in msg for n in ("a", "b", "c")), msg


def test_a_window_including_the_current_month_of_itself_is_a_cycle(tmp_path: Path) -> None:
    assert error_codes(tmp_path, contract('measure x "X": number\nlet a = sum(a, 3 months) + x'))


# ---------------------------------------------------------------- §5 Definitions over time (new)


def test_rollover_balance_reads_its_own_previous_month(tmp_path: Path) -> None:
    """bank = min(1 000 USD, (previous(bank) otherwise 0) + earned − used).
    Jan: min(1000, 0 + 600 − 100) = 500; Feb: min(1000, 500 + 800 − 0) = 1000 (capped);
    Mar: min(1000, 1000 + 0 − 300) = 700."""
    header = '  effective 2026-01-01\n  currency USD\n  party acme "A"\n'
    src = contract(
        'measure earned "E": money\nmeasure used "U": money\n'
        "let bank = min(1_000 USD, (previous(bank) otherwise 0 USD) + earned - used)",
        header=header,
    )
    doc = evaluate(tmp_path, src, rows_of(earned=[600, 800, 0], used=[100, 0, 300]))
    assert values(doc, "bank") == [500, 1000, 700]


def test_cure_period_reads_its_own_previous_status(tmp_path: Path) -> None:
    """Rule 2 reads the threshold's own status of the previous month. errors 60, 20, 20, 5, 20:
    Jan rule 1 (60 > 50) → breach; Feb 20 > 10 and previous status breach → breach; Mar likewise → breach;
    Apr 5 → ok; May 20 > 10 but previous status ok → rule 3 → watch.
    Reading chosen: before the first check previous(status(cure)) is missing, so rule 2 is missing
    there and does not hold (a later rule may still decide)."""
    src = contract(
        """
        measure errors "Errors": count
        threshold cure {
          when errors > 50: breach
          when errors > 10 and previous(status(cure)) == "breach": breach
          when errors > 10: watch
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(errors=[60, 20, 20, 5, 20]))
    assert list(statuses(doc, "cure").values()) == ["breach", "breach", "breach", "ok", "watch"]


def test_liability_cap_counts_the_thresholds_own_payments(tmp_path: Path) -> None:
    """when incidents > 2 and (previous(paid(provider, client, to date)) otherwise 0 EUR) < 30 000 EUR:
    pay 12 000. Months with incidents 5, 5, 5, 5: paid to date before each check 0, 12 000, 24 000,
    36 000 → the first three checks pay, the fourth does not (status ok)."""
    src = contract(
        """
        party provider "Provider"
        party client "Client"
        measure incidents "Incidents": count
        threshold sla {
          when incidents > 2 and (previous(paid(provider, client, to date)) otherwise 0 EUR) < 30_000 EUR: breach
            => pay 12_000 EUR from provider to client
          otherwise: ok
        }
        """
    )
    doc = evaluate(tmp_path, src, rows_of(incidents=[5, 5, 5, 5]))
    assert [p["period"] for p in doc["payments"] if p["amount"]] == months[:3]
    assert list(statuses(doc, "sla").values()) == ["breach", "breach", "breach", "ok"]


def test_window_read_through_previous_is_legal(tmp_path: Path) -> None:
    """let acc = x + (previous(sum(acc, to date)) otherwise 0): 1, 2 + 1 = 3, 3 + (1 + 3) = 7."""
    src = contract('measure x "X": number\nlet acc = x + (previous(sum(acc, to date)) otherwise 0)')
    doc = evaluate(tmp_path, src, rows_of(x=[1, 2, 3]))
    assert values(doc, "acc") == [1, 3, 7]


# ---------------------------------------------------------------- §5 Measure cadence (new)

CADENCE = 'measure csat "CSAT": number quarterly\nlet last = csat\nlet avg2 = avg(csat, 2 quarters)'


def test_quarterly_measure_holds_its_last_report_between_reports(tmp_path: Path) -> None:
    """Reported in March and June: April and May carry March's 8; avg over 2 quarters in June = (8 + 6) / 2 = 7;
    January and February have no report yet (missing)."""
    csv = "period,csat\n2026-01,\n2026-02,\n2026-03,8\n2026-04,\n2026-05,\n2026-06,6\n"
    doc = evaluate(tmp_path, contract(CADENCE), csv)
    assert values(doc, "last") == [None, None, 8, 8, 8, 6]
    assert values(doc, "avg2")[5] == 7


@pytest.mark.parametrize("engine", ["interpreter", "duckdb"])
def test_a_quarterly_measure_no_expression_reads_still_holds_its_report(tmp_path: Path, engine: str) -> None:
    """§5 "Between reports it is not missing: the month's value is the last report" — for the
    measure's own values too, on every engine (CLI.md: DuckDB's JSON is byte-identical to the
    interpreter's). DuckDB computed this contract in SQL alone and printed April and May as null."""
    pytest.importorskip("duckdb")
    src = contract('measure a "A": number\nmeasure c "C": number quarterly\nlet twice = a * 2')
    csv = "period,a,c\n2026-01,1,\n2026-02,1,\n2026-03,1,3\n2026-04,1,\n2026-05,1,\n2026-06,1,4\n"
    doc = evaluate(tmp_path, src, csv, "--engine", engine)
    assert values(doc, "c") == [None, None, 3, 3, 3, 4]


def test_quarterly_report_in_another_month_is_a_data_error_naming_the_row(tmp_path: Path) -> None:
    csv = "period,csat\n2026-02,7\n2026-03,8\n"
    run = eval_run(tmp_path, contract(CADENCE), csv)
    assert run.exit_code == 2
    assert "data.csv:2" in run.stderr


def test_yearly_measure_is_reported_in_december(tmp_path: Path) -> None:
    header = '  effective 2026-01-01\n  currency EUR\n  party acme "A"\n'
    src = contract('measure audit "Audit": number yearly\nlet v = audit', header=header)
    csv = "period,audit\n2026-12,3\n2027-01,\n2027-02,\n"
    doc = evaluate(tmp_path, src, csv)
    assert values(doc, "v") == [3, 3, 3]


# ---------------------------------------------------------------- §5 Calendars in expressions (new)


def test_business_days_in_expressions_skip_weekends(tmp_path: Path) -> None:
    """Friday 2026-07-10 + 1 business day = Monday 2026-07-13; Monday − 1 business day = Friday."""
    src = contract(
        'measure x "X": number\nlet keep = x\nlet a = 2026-07-10 + 1 business day\nlet b = 2026-07-13 - 1 business day'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1]))
    assert doc["lets"]["a"]["2026-01"] == "2026-07-13"
    assert doc["lets"]["b"]["2026-01"] == "2026-07-10"


def test_business_days_in_expressions_skip_the_calendar_holidays(tmp_path: Path) -> None:
    """calendar FR: 14 July 2026 (Tuesday) is Bastille Day. Monday 13 July + 1 business day = Wednesday 15
    July; Wednesday 15 July − 1 business day = Monday 13 July; Thursday 30 April + 1 = Monday 4 May (1 May
    holiday, then the weekend)."""
    header = '  effective 2026-01-01\n  currency EUR\n  calendar FR\n  party acme "A"\n'
    src = contract(
        'measure x "X": number\nlet keep = x\nlet a = 2026-07-13 + 1 business day\n'
        "let b = 2026-07-15 - 1 business day\nlet c = 2026-04-30 + 1 business day",
        header=header,
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1]))
    assert [doc["lets"][n]["2026-01"] for n in "abc"] == ["2026-07-15", "2026-07-13", "2026-05-04"]


def test_durations_of_the_same_kind_compare(tmp_path: Path) -> None:
    """2026-06-01 − 2026-03-16 = 15 + 30 + 31 + 1 = 77 days ≥ 60 days: true; < 60 days: false."""
    src = contract(
        'measure x "X": number\nlet keep = x\nlet a = 2026-06-01 - 2026-03-16 >= 60 days\nlet b = 2026-06-01 - 2026-03-16 < 60 days'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1]))
    assert (doc["lets"]["a"]["2026-01"], doc["lets"]["b"]["2026-01"]) == (True, False)


def test_durations_of_the_same_kind_add(tmp_path: Path) -> None:
    src = contract(
        'measure x "X": number\nlet keep = x\nlet a = 10 days + 5 days == 15 days\nlet b = 2026-01-01 + (10 days + 5 days)'
    )
    doc = evaluate(tmp_path, src, rows_of(x=[1]))
    assert doc["lets"]["a"]["2026-01"] is True
    assert doc["lets"]["b"]["2026-01"] == "2026-01-16"


@pytest.mark.parametrize("expr", ["10 days + 1 month", "30 days < 1 month", "1 year - 3 days"])
def test_days_and_months_do_not_mix(tmp_path: Path, expr: str) -> None:
    assert error_codes(tmp_path, contract(f"let v = {expr}"))
