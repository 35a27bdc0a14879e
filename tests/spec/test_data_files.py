"""LANGUAGE.md §12 — data files: CSV (`,` or `;` with decimal comma), JSON in both shapes, numbers as
strings or JSON numbers read exactly, portfolios, and every bad-data case reported with file, row and column
while nothing is evaluated or written."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from spec.spec_helpers import contract, pact, series, write

D = Decimal

SRC = contract(
    """
    measure revenue "Revenue": money
    measure visits "Visits": count
    measure rate "Rate": percent
    measure score "Score": number
    measure active "Active": bool
    let total = sum(revenue, to date)
    let pair = score + rate
    """
)


def run_eval(tmp_path: Path, data_name: str, data_text: str, *extra: str):  # type: ignore[no-untyped-def]
    c = write(tmp_path, "contract.pact", SRC)
    d = write(tmp_path, data_name, data_text)
    return pact("eval", c, "--data", d, "--format", "json", *extra)


def ok(tmp_path: Path, data_name: str, data_text: str) -> dict:
    run = run_eval(tmp_path, data_name, data_text)
    assert run.exit_code == 0, run.stderr
    return run.json  # type: ignore[no-any-return]


def test_csv_comma(tmp_path: Path) -> None:
    doc = ok(
        tmp_path,
        "d.csv",
        "period,revenue,visits,rate,score,active\n2026-01,1200.50,340,12.5%,7.5,true\n2026-02,,310,0.11,,false\n",
    )
    assert series(doc, "revenue") == {"2026-01": D("1200.50"), "2026-02": None}
    assert series(doc, "visits") == {"2026-01": 340, "2026-02": 310}
    assert series(doc, "rate") == {"2026-01": D("0.125"), "2026-02": D("0.11")}
    assert series(doc, "active") == {"2026-01": True, "2026-02": False}


def test_csv_columns_in_any_order_and_a_missing_column_is_missing_every_month(
    tmp_path: Path,
) -> None:
    doc = ok(tmp_path, "d.csv", "visits,period,revenue\n3,2026-01,10\n")
    assert series(doc, "visits") == {"2026-01": 3}
    assert series(doc, "score") == {"2026-01": None}


def test_csv_semicolon_with_decimal_comma(tmp_path: Path) -> None:
    """A French spreadsheet export: `;` delimiter, decimal comma."""
    doc = ok(
        tmp_path,
        "d.csv",
        "period;revenue;visits;rate;score;active\n2026-01;1200,50;340;12,5%;7,5;true\n2026-02;980;310;0,11;;false\n",
    )
    assert series(doc, "revenue") == {"2026-01": D("1200.50"), "2026-02": D("980")}
    assert series(doc, "rate") == {"2026-01": D("0.125"), "2026-02": D("0.11")}
    assert series(doc, "score") == {"2026-01": D("7.5"), "2026-02": None}


def test_csv_semicolon_with_decimal_point(tmp_path: Path) -> None:
    doc = ok(tmp_path, "d.csv", "period;revenue;score\n2026-01;1200.50;7.5\n")
    assert series(doc, "revenue") == {"2026-01": D("1200.50")}


def test_json_object_shape_with_strings_and_numbers(tmp_path: Path) -> None:
    doc = ok(
        tmp_path,
        "d.json",
        '{"2026-01": {"revenue": "1200.50", "visits": 340, "rate": 0.125, "score": "7.5", "active": true}, "2026-02": {"revenue": 980.25, "score": null}}',
    )
    assert series(doc, "revenue") == {"2026-01": D("1200.50"), "2026-02": D("980.25")}
    assert series(doc, "score") == {"2026-01": D("7.5"), "2026-02": None}
    assert series(doc, "visits") == {"2026-01": 340, "2026-02": None}


def test_json_list_shape(tmp_path: Path) -> None:
    doc = ok(
        tmp_path,
        "d.json",
        '[{"period": "2026-02", "revenue": "5"}, {"period": "2026-01", "revenue": 7}]',
    )
    assert series(doc, "revenue") == {"2026-01": 7, "2026-02": 5}


def test_json_numbers_are_read_exactly(tmp_path: Path) -> None:
    """0.1 + 0.2 from JSON numbers is exactly 0.3; a 20-digit amount keeps every digit; 0.1 is never
    0.1000000000000000055511151231257827."""
    doc = ok(
        tmp_path,
        "d.json",
        '{"2026-01": {"score": 0.1, "rate": 0.2, "revenue": 12345678901234567.89}}',
    )
    assert series(doc, "pair")["2026-01"] == D("0.3")
    assert doc["measures"]["score"]["2026-01"] == "0.1"
    assert series(doc, "revenue")["2026-01"] == D("12345678901234567.89")


def test_every_decimal_in_the_json_output_is_a_string(tmp_path: Path) -> None:
    import json

    c = write(tmp_path, "contract.pact", SRC)
    d = write(
        tmp_path, "d.json", '{"2026-01": {"score": 0.1, "rate": 0.2, "revenue": 1.5, "visits": 3}}'
    )
    run = pact("eval", c, "--data", d, "--format", "json")
    floats: list[object] = []
    json.loads(run.stdout, parse_float=lambda s: floats.append(s))
    assert floats == []


# ---------------------------------------------------------------- bad data


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def assert_reported(stderr: str, file: str, row: str, column: str | None) -> None:
    """One line names the file, the row and (when it is a cell) the column."""
    for line in problem_lines(stderr):
        if (
            file in line
            and re.search(rf"(?<![\d-]){re.escape(row)}(?![\d])", line)
            and (column is None or column in line)
        ):
            return
    raise AssertionError(f"no line names {file}, row {row}, column {column}:\n{stderr}")


BAD_CSV = [
    # (csv, row, column) — rows are the file's line numbers (header = 1)
    ("period,revenue,visits,revnue\n2026-01,1,1,1\n", "1", "revnue"),  # unknown column
    ("period,revenue,visits\n2026-01,abc,1\n", "2", "revenue"),  # non-number
    (
        "period,revenue,visits\n2026-01,1,1\n2026-02,1,1\n2026-01,2,2\n",
        "4",
        "period",
    ),  # duplicate month
    ("period,revenue,visits\n2026-13,1,1\n", "2", "period"),  # malformed period
    ("period,revenue,visits\n2026/01,1,1\n", "2", "period"),
    ("period,revenue,visits\n2026-01,1,-3\n", "2", "visits"),  # negative count
    ("period,revenue,visits\n2026-01,1,2.5\n", "2", "visits"),  # non-integer count
    ("period,revenue,active\n2026-01,1,yes\n", "2", "active"),
    ("period,revenue\n2026-01,100 USD\n", "2", "revenue"),  # another currency
]


@pytest.mark.parametrize(("text", "row", "column"), BAD_CSV)
def test_bad_csv_is_reported_with_file_row_column_and_nothing_is_evaluated(
    tmp_path: Path, text: str, row: str, column: str
) -> None:
    """Reading chosen for "row": the line number in the file (the header is row 1), as a spreadsheet shows it."""
    run = run_eval(tmp_path, "bad.csv", text)
    assert run.exit_code == 2
    assert run.stdout.strip() == ""
    assert run.exception is None
    assert_reported(run.stderr, "bad.csv", row, column)


BAD_JSON = [
    ('{"2026-01": {"revnue": 1}}', "2026-01", "revnue"),
    ('{"2026-01": {"revenue": "abc"}}', "2026-01", "revenue"),
    ('{"2026-1": {"revenue": 1}}', "2026-1", None),
    ('{"2026-01": {"visits": -1}}', "2026-01", "visits"),
    ('{"2026-01": {"visits": 1.5}}', "2026-01", "visits"),
    ('{"2026-01": {"revenue": 1}, "2026-01": {"revenue": 2}}', "2026-01", None),
    ('[{"period": "2026-01", "revenue": 1}, {"period": "2026-01", "revenue": 2}]', "1", None),
    ('[{"period": "2026-01", "revenue": 1}, {"period": "2026-02", "revenu": 2}]', "1", "revenu"),
]


@pytest.mark.parametrize(("text", "row", "column"), BAD_JSON)
def test_bad_json_is_reported_with_file_row_column(
    tmp_path: Path, text: str, row: str, column: str | None
) -> None:
    """Reading chosen for JSON rows: the month key (object shape) or the position in the list."""
    run = run_eval(tmp_path, "bad.json", text)
    assert run.exit_code == 2
    assert run.stdout.strip() == ""
    assert_reported(run.stderr, "bad.json", row, column)


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    text = "period,revenue,visits,revnue\n2026-01,abc,-3,1\n2026-13,1,1,\n2026-01,1,1,\n"
    run = run_eval(tmp_path, "bad.csv", text)
    assert run.exit_code == 2
    assert_reported(run.stderr, "bad.csv", "1", "revnue")
    assert_reported(run.stderr, "bad.csv", "2", "revenue")
    assert_reported(run.stderr, "bad.csv", "2", "visits")
    assert_reported(run.stderr, "bad.csv", "3", "period")
    assert_reported(run.stderr, "bad.csv", "4", "period")


def test_bad_data_writes_nothing(tmp_path: Path) -> None:
    c = write(tmp_path, "contract.pact", SRC)
    d = write(tmp_path, "bad.csv", "period,revenue\n2026-01,abc\n")
    out = tmp_path / "report.html"
    run = pact("report", c, "--data", d, "-o", out)
    assert run.exit_code == 2
    assert not out.exists()
    out.write_text("previous report", encoding="utf-8")
    assert pact("report", c, "--data", d, "-o", out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous report"


def test_portfolio_by_key(tmp_path: Path) -> None:
    c = write(tmp_path, "contract.pact", SRC)
    d = write(
        tmp_path,
        "p.csv",
        "partner,period,revenue\norbis,2026-01,10\nnordvik,2026-01,5\norbis,2026-02,20\n",
    )
    run = pact("eval", c, "--data", d, "--by", "partner", "--format", "json")
    assert run.exit_code == 0, run.stderr
    results = {r["key"]: r for r in run.json["results"]}
    assert list(results) == ["orbis", "nordvik"]
    assert results["orbis"]["lets"]["total"] == {"2026-01": "10", "2026-02": "30"}
    assert results["nordvik"]["lets"]["total"] == {"2026-01": "5"}


def test_missing_data_file_is_exit_2(tmp_path: Path) -> None:
    c = write(tmp_path, "contract.pact", SRC)
    run = pact("eval", c, "--data", tmp_path / "nope.csv")
    assert run.exit_code == 2
    assert "nope.csv" in run.stderr


def test_the_api_raises_errors_a_caller_can_import(tmp_path: Path) -> None:
    """§12 bad data names file, row and column; a program using the API catches
    it as ``pactlang.DataError`` (its ``problems``), and ``--strict`` misses as
    ``pactlang.EvaluationError`` — both importable from the package itself."""
    import pactlang

    c = pactlang.loads(SRC, "contract.pact")
    bad = write(tmp_path, "bad.csv", "period,revenue,visits\n2026-01,abc,3\n")
    with pytest.raises(pactlang.DataError) as info:
        c.evaluate(bad)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "revenue")]
    missing = write(tmp_path, "missing.csv", "period,revenue,visits,rate,score,active\n2026-01,1.00,,0.5,1,true\n")
    with pytest.raises(pactlang.EvaluationError, match="visits"):
        c.evaluate(missing, strict=True)


def test_a_period_field_in_the_object_shape_is_reported_without_a_self_suggestion(tmp_path: Path) -> None:
    """§12: in `{"2026-01": {...}}` the month is the key, so a `period` field is an unknown column, reported
    with file, row (the month key) and column. The hint used to be "did you mean 'period'?" — the very name
    written; it now says where the month goes."""
    run = run_eval(tmp_path, "bad.json", '{"2026-01": {"period": "2026-01", "revenue": 1}}')
    assert run.exit_code == 2 and run.stdout.strip() == ""
    assert run.stderr.strip() == (
        f"error: {tmp_path / 'bad.json'}:2026-01:period: unknown field 'period' (the contract's measures: revenue, visits, "
        'rate, score, active); in the form {"2026-01": {...}} the month is the key: remove the field'
    )
