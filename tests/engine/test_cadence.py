"""Measures reported quarterly or yearly (LANGUAGE.md §5 "Measure cadence"): the last report
holds between reports, windows count reports, data in another month is an error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pactlang.api import loads
from pactlang.base.values import Period
from pactlang.io.data import DataError
from pactlang.kernel import series as S
from pactlang.kernel.timeline import EvaluationError, held
from pactlang.report.results import explanation_lines

D = Decimal

SRC = """contract "C" {
  effective 2026-01-01
  currency EUR
  party a "A"
  measure csat "CSAT": number quarterly
  measure audit "Audit": money yearly
  measure x "X": number
  let last = csat
  let two = avg(csat, 2 quarters)
  let yearly_sum = sum(csat, 1 year)
  let all_reports = sum(csat, to date)
  let this_year = max(csat, year to date)
  let before = previous(csat, 1 quarter)
  let monthly_lag = previous(csat)
  let mixed = csat + x
  let audits = sum(audit, 2 years)
}
"""


def months(*values: object) -> list[Period]:
    return [Period.from_index(Period(2026, 1).index + i) for i in range(len(values))]


def test_held_keeps_the_last_report_and_is_missing_before_the_first() -> None:
    ms = months(*range(8))
    col = [None, None, D(8), None, None, None, None, None]
    assert held(col, ms, "quarterly") == [None, None, D(8), D(8), D(8), None, None, None]


def test_stepped_windows_count_reports() -> None:
    """Reports in March (8), June (6), September (7): windows of two reports."""
    vals = [None, None, D(8), D(8), D(8), D(6), D(6), D(6), D(7)]
    start = Period(2026, 1).index
    assert S.stepped("avg", vals, 2, 3, 0, 0, start) == [
        None, None, None, None, None, D(7), D(7), D(7), D("6.5")
    ]
    assert S.stepped_cumulative("sum", vals, 3, 0, start) == [
        None, None, D(8), D(8), D(8), D(14), D(14), D(14), D(21)
    ]


def test_values_over_quarterly_measures() -> None:
    c = loads(SRC, "c.pact")
    data = {Period(2026, m): {"x": D(1)} for m in range(1, 13)}
    for m, v in ((3, "8"), (6, "6"), (9, "7"), (12, "9")):
        data[Period(2026, m)]["csat"] = D(v)
    data[Period(2026, 12)]["audit"] = D(100)
    ev = c.evaluate(data)

    def col(name: str) -> list[object]:
        return [ev.value(name, Period(2026, m)) for m in range(1, 13)]

    assert col("last") == [None, None, 8, 8, 8, 6, 6, 6, 7, 7, 7, 9]
    assert col("two") == [None] * 5 + [7, 7, 7, D("6.5"), D("6.5"), D("6.5"), 8]
    assert col("yearly_sum") == [None] * 11 + [30]
    assert col("all_reports") == [None, None, 8, 8, 8, 14, 14, 14, 21, 21, 21, 30]
    assert col("this_year")[-1] == 9
    assert col("before") == [None] * 5 + [8, 8, 8, 6, 6, 6, 7]
    assert col("monthly_lag")[:7] == [None, None, None, 8, 8, 8, 6]
    assert col("mixed")[3] == 9
    assert col("audits")[-1] is None  # a single December: two years reach before the data
    lines = explanation_lines(ev)
    assert "two at 2026-09 = avg(csat, 2 quarters) over the reports of 2026-06 6, 2026-09 7 = 6.5" in lines


def test_strict_looks_only_at_report_months() -> None:
    c = loads(SRC, "c.pact")
    data = {Period(2026, m): {"x": D(1), "csat": D(8) if m == 3 else None, "audit": None} for m in (1, 2, 3)}
    ev = c.evaluate(data, strict=True)  # January and February have no report to miss
    assert ev.value("last", Period(2026, 3)) == 8
    data[Period(2026, 3)]["csat"] = None
    with pytest.raises(EvaluationError) as info:
        c.evaluate(data, strict=True)
    assert info.value.problems == ["2026-03: measure `csat` is missing (--strict)"]


def test_a_value_outside_the_report_months_is_an_error() -> None:
    c = loads(SRC, "c.pact")
    with pytest.raises(EvaluationError) as info:
        c.evaluate({Period(2026, 2): {"csat": D(7)}, Period(2026, 3): {"csat": D(8)}})
    assert info.value.problems == [
        "2026-02: measure `csat` is reported quarterly (in March, June, September and "
        "December): 2026-02 is not a report month"
    ]


def test_a_data_file_names_the_row(tmp_path: Path) -> None:
    c = loads(SRC, "c.pact")
    f = tmp_path / "d.csv"
    f.write_text("period,csat,audit\n2026-02,7,\n2026-03,8,\n2026-11,,5\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        c.read_data(f)
    assert [str(p).replace(str(tmp_path), "") for p in info.value.problems] == [
        "/d.csv:2:csat: 'csat' is reported quarterly (in March, June, September and December): "
        "2026-02 is not a report month; give the value in the period's last month",
        "/d.csv:4:audit: 'audit' is reported yearly (in December): 2026-11 is not a report "
        "month; give the value in the period's last month",
    ]


def test_a_percent_column_written_in_points_is_warned_about(tmp_path: Path) -> None:
    src = 'contract "P" {\n  currency EUR\n  measure uptime "Uptime": percent\n  let u = uptime\n}\n'
    c = loads(src, "p.pact")
    f = tmp_path / "d.csv"
    f.write_text("period,uptime\n2026-01,99.8\n2026-02,\n2026-03,98\n", encoding="utf-8")
    loaded = c.read_data(f)
    assert [str(w).replace(str(tmp_path), "") for w in loaded.warnings] == [
        "/d.csv:2:uptime: 'uptime' is a percent, but every value lies between 1 and 100: a plain "
        "number is read as a fraction (99.8 is 9 980%); write percentages with % (99.8%) or "
        "as fractions (0.998)"
    ]
    assert [str(w) for w in loaded.warnings_for(None)] == [str(w) for w in loaded.warnings]
    for fine in ("period,uptime\n2026-01,99.8%\n", "period,uptime\n2026-01,0.998\n2026-02,1.2\n", "period,uptime\n2026-01,0.5\n2026-02,99\n"):
        f.write_text(fine, encoding="utf-8")
        assert c.read_data(f).warnings == []
