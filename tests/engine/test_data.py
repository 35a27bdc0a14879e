"""Monthly data files: the input border (LANGUAGE.md §12, §5 missing values)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactlang.base.values import Period, format_decimal
from pactlang.io import data as data_module
from pactlang.io.data import (
    DataError,
    DataProblem,
    LoadedData,
    MeasureSpec,
    load_data,
    monthly_data_json_schema,
    row_model,
)

FIXTURES = Path(__file__).parent / "data_fixtures"

MEASURES = [
    MeasureSpec("revenue", "money"),
    MeasureSpec("visits", "count"),
    MeasureSpec("rate", "percent"),
    MeasureSpec("active", "bool"),
    MeasureSpec("score", "number"),
]


def load(name: str, **kwargs: object) -> LoadedData:
    return load_data(FIXTURES / name, MEASURES, currency="EUR", **kwargs)  # type: ignore[arg-type]


def problems_of(name: str, **kwargs: object) -> list[tuple[int | str | None, str | None]]:
    """(row, column) of every problem reported for a fixture."""
    with pytest.raises(DataError) as info:
        load(name, **kwargs)
    return [(p.row, p.column) for p in info.value.problems]


def error_of(name: str, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        load(name, **kwargs)
    return info.value


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def p(text: str) -> Period:
    return Period.parse(text)


# --------------------------------------------------------------------------- good files

EXPECTED_GOOD = {
    p("2026-01"): {
        "revenue": Decimal("1234.50"),
        "visits": Decimal(3),
        "rate": Decimal("0.125"),
        "active": True,
        "score": Decimal("-1.5"),
    },
    p("2026-02"): {
        "revenue": Decimal("1200.50"),
        "visits": Decimal(0),
        "rate": Decimal("0.125"),
        "active": False,
        "score": None,
    },
    p("2026-03"): {
        "revenue": None,
        "visits": Decimal(4),
        "rate": None,
        "active": None,
        "score": Decimal(100),
    },
}


@pytest.mark.parametrize(
    "name", ["good_comma.csv", "good_semicolon.csv", "good_object.json", "good_list.json"]
)
def test_good_files_read_the_same_table(name: str) -> None:
    loaded = load(name)
    assert loaded.warnings == []
    assert list(loaded.datasets) == [None]
    dataset = loaded.datasets[None]
    assert dataset == EXPECTED_GOOD
    assert list(dataset) == sorted(dataset)  # months ascending, even when the file is not
    for row in dataset.values():
        assert list(row) == [m.name for m in MEASURES]
        for name_, value in row.items():
            assert value is None or isinstance(value, Decimal | bool), name_
            assert not isinstance(value, float)


def test_good_semicolon_file_has_bom_crlf_and_blank_rows() -> None:
    raw = (FIXTURES / "good_semicolon.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n\r\n" in raw and b";;;;;" in raw
    assert load("good_semicolon.csv").datasets[None] == EXPECTED_GOOD


def test_absent_measure_column_is_missing_every_month(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "period,visits\n2026-02,1\n2026-01,2\n")
    loaded = load_data(path, MEASURES, currency="EUR")
    assert loaded.datasets[None] == {
        p("2026-01"): {"revenue": None, "visits": 2, "rate": None, "active": None, "score": None},
        p("2026-02"): {"revenue": None, "visits": 1, "rate": None, "active": None, "score": None},
    }


def test_counts_are_integral_decimals(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "period,visits\n2026-01,3.0\n2026-02,1e2\n2026-03,-0\n")
    dataset = load_data(path, MEASURES, currency="EUR").datasets[None]
    visits = [row["visits"] for row in dataset.values()]
    assert visits == [3, 100, 0]
    for value in visits:
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == 0 and not value.is_signed()


def test_json_numbers_are_exact(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.json",
        '{"2026-01": {"score": 0.1, "revenue": 12345678901234567890123456.78,'
        ' "visits": 1e2, "rate": 1.10}}',
    )
    row = load_data(path, MEASURES, currency="EUR").datasets[None][p("2026-01")]
    assert row["score"] == Decimal("0.1") and str(row["score"]) == "0.1"
    assert str(row["revenue"]) == "12345678901234567890123456.78"
    assert row["visits"] == Decimal(100)
    assert str(row["rate"]) == "1.10"  # the scale is kept: nothing went through a float


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12.5%", "0.125"),
        ("12.5 %", "0.125"),
        ("0.125", "0.125"),
        ("100%", "1.00"),
        ("-3%", "-0.03"),
        ("1e1%", "0.1"),
    ],
)
def test_percent_cells(tmp_path: Path, cell: str, expected: str) -> None:
    path = write(tmp_path, "d.csv", f"period,rate\n2026-01,{cell}\n")
    value = load_data(path, MEASURES, currency="EUR").datasets[None][p("2026-01")]["rate"]
    assert value == Decimal(expected)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234 567,89", "1234567.89"),
        ("1\u00a0234,5", "1234.5"),
        ("1234,50", "1234.50"),
        ("-0,5", "-0.5"),
        (",5", "0.5"),
        ("7", "7"),
        ("1,5e3", "1500"),
        ("12,00 EUR", "12.00"),
    ],
)
def test_decimal_comma_cells(tmp_path: Path, cell: str, expected: str) -> None:
    path = write(tmp_path, "d.csv", f"period;revenue\n2026-01;{cell}\n")
    value = load_data(path, MEASURES, currency="EUR").datasets[None][p("2026-01")]["revenue"]
    assert value == Decimal(expected)


def test_semicolon_file_without_decimal_comma_reads_dots(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "period;revenue;score\n2026-01;1200.50;0.5\n")
    row = load_data(path, MEASURES, currency="EUR").datasets[None][p("2026-01")]
    assert row["revenue"] == Decimal("1200.50") and row["score"] == Decimal("0.5")


def test_magnitude_bounds(tmp_path: Path) -> None:
    ok = "1" + "0" * 30  # 10^30, 31 digits: the largest order of magnitude allowed
    tiny = "0." + "0" * 29 + "1"  # 30 decimal places
    path = write(tmp_path, "d.csv", f"period,score\n2026-01,{ok}\n2026-02,{tiny}\n2026-03,1e30\n")
    values = [r["score"] for r in load_data(path, MEASURES, currency="EUR").datasets[None].values()]
    assert values == [Decimal(ok), Decimal(tiny), Decimal("1e30")]
    bad = write(
        tmp_path,
        "bad.csv",
        f"period,score\n2026-01,1{ok}\n2026-02,{tiny}1\n2026-03,1e31\n2026-04,1e-31\n"
        "2026-05,0e99\n2026-06,1e99999999999999999999999999\n",
    )
    with pytest.raises(DataError) as info:
        load_data(bad, MEASURES, currency="EUR")
    assert [(e.row, e.column) for e in info.value.problems] == [
        (2, "score"),
        (3, "score"),
        (4, "score"),
        (5, "score"),
        (6, "score"),
        (7, "score"),
    ]


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_not_a_number.csv", [(3, "revenue")]),
        ("bad_nan_infinity.csv", [(2, "score"), (4, "revenue")]),
        ("bad_exponent.csv", [(3, "score")]),
        ("bad_duplicate_month.csv", [(4, "period")]),
        ("bad_malformed_month.csv", [(2, "period"), (3, "period"), (4, "period")]),
        ("bad_unknown_column.csv", [(1, "revnue")]),
        ("bad_count.csv", [(3, "visits"), (4, "visits")]),
        ("bad_bool.csv", [(3, "active")]),
        ("bad_missing_period.csv", [(1, None)]),
        ("empty.csv", [(None, None)]),
        ("empty_bom.csv", [(None, None)]),
        ("bad_currency.csv", [(2, "revenue")]),
        ("bad_wide_row.csv", [(3, "#7")]),
        ("bad_utf8.csv", [(3, None)]),
        ("bad_mixed_marks.csv", [(2, "revenue")]),
        ("bad_duplicate_month.json", [("2026-01", None)]),
        (
            "bad_list.json",
            [("[1]", "period"), ("[2]", "period"), ("[3]", "period"), ("[4]", None)],
        ),
    ],
)
def test_bad_file_reports_exact_locations(
    name: str, expected: list[tuple[int | str | None, str | None]]
) -> None:
    assert problems_of(name) == expected


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("bad_not_a_number.csv", "'abc' is not a number"),
        ("bad_nan_infinity.csv", "not a finite number"),
        ("bad_exponent.csv", "absurd magnitude"),
        ("bad_duplicate_month.csv", "duplicate month 2026-01 (first at row 2)"),
        ("bad_malformed_month.csv", "malformed month '2026-13'"),
        ("bad_unknown_column.csv", "did you mean 'revenue'?"),
        ("bad_count.csv", "cannot be negative"),
        ("bad_bool.csv", "expected true or false, got 'yes'"),
        ("bad_missing_period.csv", "missing 'period' column"),
        ("empty.csv", "empty file"),
        ("bad_currency.csv", "currency USD is not the contract currency EUR"),
        ("bad_wide_row.csv", "a decimal comma in a ','-separated file?"),
        ("bad_utf8.csv", "not valid UTF-8"),
        ("bad_mixed_marks.csv", "this file uses ',' as decimal mark"),
        ("bad_duplicate_month.json", "duplicate month '2026-01'"),
    ],
)
def test_bad_file_messages(name: str, fragment: str) -> None:
    error = error_of(name)
    assert fragment in error.problems[0].message
    assert isinstance(error, ValueError)


def test_error_str_is_one_problem_per_line() -> None:
    error = error_of("bad_malformed_month.csv")
    path = str(FIXTURES / "bad_malformed_month.csv")
    lines = str(error).splitlines()
    assert lines == [
        f"{path}:2:period: malformed month '2026-13' (expected YYYY-MM)",
        f"{path}:3:period: malformed month '26-01' (expected YYYY-MM)",
        f"{path}:4:period: malformed month '2026/01' (expected YYYY-MM)",
    ]
    assert str(DataProblem("f.csv", None, None, "empty file")) == "f.csv: empty file"
    assert str(DataProblem("f.json", "[3]", "x", "bad")) == "f.json:[3]:x: bad"


def test_json_bad_values_all_reported() -> None:
    error = error_of("bad_values.json")
    got = [(e.row, e.column) for e in error.problems]
    assert got == [
        ("2026-01", "revenue"),
        ("2026-01", "visits"),
        ("2026-01", "rate"),
        ("2026-01", "active"),
        ("2026-01", "score"),
        ("2026-02", "scor"),
        ("2026-02", "revenue"),
        ("2026-02", "visits"),
        ("2026-02", "rate"),
        ("2026-02", "active"),
        ("2026-1", None),
        ("2026-03", "revenue"),
        ("2026-04", None),
    ]
    messages = [e.message for e in error.problems]
    assert "NaN is not a finite number" in messages[2]
    assert "absurd magnitude" in messages[4]
    assert "Infinity is not a finite number" in messages[8]
    assert "duplicate field 'revenue'" in messages[11]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("period,revenue\n", [(None, None)]),  # header only
        ("period,revenue\n2026-01,1\n2026-02,2,3\n", [(3, "#3")]),
        ("period,revenue\n2026-01\n", [(2, None)]),  # narrower than the header
        ("period,revenue\n,5\n", [(2, "period")]),  # empty period
        ("period,revenue,period\n2026-01,1,2026-01\n", [(1, "period")]),
        ("period,revenue,\n2026-01,1,\n2026-02,2,x\n", [(3, "#3")]),  # unnamed column
        ('period,revenue\n2026-01,"1\n', [(2, None)]),  # unterminated quote
        ("period,score\n2026-01,\u0661\u0662\n", [(2, "score")]),  # non-ASCII digits
        ("period,score\n2026-01,1_000\n", [(2, "score")]),
        ("period,score\n2026-01,1.234.5\n", [(2, "score")]),
        ("period,score\n2026-01,12 34\n", [(2, "score")]),  # bad grouping
        ("period,revenue\n2026-01,12 eur\n", [(2, "revenue")]),
        ("period,rate\n2026-01,%\n", [(2, "rate")]),
        ("period,visits\n2026-01,1%\n", [(2, "visits")]),
        ("period,active\n2026-01,1\n", [(2, "active")]),
        (
            "period,revenue\n2026-01-15,1\n2026,2\n0000-01,3\n",
            [(2, "period"), (3, "period"), (4, "period")],
        ),
        ("{}", [(None, None)]),
        ("[]", [(None, None)]),
        ("[1, null]", [("[0]", None), ("[1]", None)]),
        ('{"2026-01": {"revenue": 1}', [(1, None)]),  # invalid JSON: line 1
        ('{"2026-01": {"period": "2026-01"}}', [("2026-01", "period")]),
        ('[{"period": 202601}]', [("[0]", "period")]),
        ('[{"period": "2026-01", "score": {"a": 1}}]', [("[0]", "score")]),
        (
            '[{"period": "2026-01", "active": "maybe", "score": true}]',
            [("[0]", "active"), ("[0]", "score")],
        ),
        ('[{"period": "2026-01", "period": "2026-02"}]', [("[0]", "period")]),
        ('[{"period": "2026-01", "score": -Infinity}]', [("[0]", "score")]),
    ],
)
def test_more_bad_inputs(
    tmp_path: Path, content: str, expected: list[tuple[int | str | None, str | None]]
) -> None:
    suffix = ".json" if content[:1] in "{[" else ".csv"
    path = write(tmp_path, "d" + suffix, content)
    with pytest.raises(DataError) as info:
        load_data(path, MEASURES, currency="EUR")
    assert [(e.row, e.column) for e in info.value.problems] == expected


def test_file_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_module, "MAX_FILE_BYTES", 16)
    assert problems_of("good_comma.csv") == [(None, None)]
    assert "file too large" in error_of("good_comma.csv").problems[0].message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_data(tmp_path / "nope.csv", MEASURES, currency="EUR")
    assert "cannot read" in info.value.problems[0].message


def test_out_of_term_rows_are_still_validated(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "period,score\n2025-01,abc\n2026-01,1\n")
    with pytest.raises(DataError) as info:
        load_data(path, MEASURES, currency="EUR", effective=date(2026, 1, 1))
    assert [(e.row, e.column) for e in info.value.problems] == [(2, "score")]
    assert len(info.value.warnings) == 1  # and the dropped month is still a warning


# --------------------------------------------------------------------------- term


def test_term_filtering_with_warnings() -> None:
    loaded = load("term.csv", effective=date(2026, 1, 15), until=date(2026, 6, 30))
    assert list(loaded.datasets[None]) == [p("2026-01"), p("2026-06")]
    assert [r["revenue"] for r in loaded.datasets[None].values()] == [3, 4]
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0]
    assert (warning.row, warning.column) == (2, "period")
    assert "3 month(s)" in warning.message and "2026-01 .. 2026-06" in warning.message
    assert "2025-11 .. 2026-07" in warning.message


def test_term_open_ended() -> None:
    loaded = load("term.csv", effective=date(2026, 1, 1))
    assert list(loaded.datasets[None]) == [p("2026-01"), p("2026-06"), p("2026-07")]
    assert "from 2026-01" in loaded.warnings[0].message
    loaded = load("term.csv", until=date(2025, 12, 1))
    assert list(loaded.datasets[None]) == [p("2025-11"), p("2025-12")]
    assert (loaded.warnings[0].row, "until 2025-12" in loaded.warnings[0].message) == (4, True)
    assert load("term.csv").warnings == []


# --------------------------------------------------------------------------- portfolios


def test_portfolio_split_in_first_appearance_order() -> None:
    loaded = load("portfolio.csv", by="partner", effective=date(2026, 1, 1))
    assert list(loaded.datasets) == ["acme", "globex", "initech"]
    assert loaded.datasets["acme"] == {
        p("2026-01"): {"revenue": 100, "visits": 1, "rate": None, "active": None, "score": None},
        p("2026-02"): {"revenue": 110, "visits": 1, "rate": None, "active": None, "score": None},
    }
    assert [r["revenue"] for r in loaded.datasets["globex"].values()] == [200, 210]
    assert loaded.datasets["initech"] == {}  # all its months fall before the term
    assert [(w.row, w.column) for w in loaded.warnings] == [(6, "period")]
    assert "for partner 'initech'" in loaded.warnings[0].message


def test_portfolio_duplicates_are_per_key() -> None:
    error = error_of("bad_portfolio.csv", by="partner")
    assert [(e.row, e.column) for e in error.problems] == [(4, "period"), (6, "partner")]
    assert "for partner 'globex' (first at row 3)" in error.problems[0].message


def test_portfolio_json_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.json",
        json.dumps(
            [
                {"partner": "b", "period": "2026-02", "score": "2"},
                {"partner": "a", "period": "2026-01", "score": 1},
                {"partner": "b", "period": "2026-01", "score": 3},
                {"partner": "a", "period": "2026-01", "score": 4},
                {"period": "2026-03"},
            ]
        ),
    )
    with pytest.raises(DataError) as info:
        load_data(path, MEASURES, currency="EUR", by="partner")
    assert [(e.row, e.column) for e in info.value.problems] == [
        ("[3]", "period"),
        ("[4]", "partner"),
    ]
    records = json.loads(path.read_text())[:4]
    records[3]["partner"] = "c"
    path.write_text(json.dumps(records))
    loaded = load_data(path, MEASURES, currency="EUR", by="partner")
    assert list(loaded.datasets) == ["b", "a", "c"]
    assert list(loaded.datasets["b"]) == [p("2026-01"), p("2026-02")]
    assert [r["score"] for r in loaded.datasets["b"].values()] == [3, 2]


def test_portfolio_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "period,revenue\n2026-01,1\n")
    with pytest.raises(DataError) as info:
        load_data(path, MEASURES, currency="EUR", by="partner")
    assert [(e.row, e.column) for e in info.value.problems] == [(1, None)]
    with pytest.raises(DataError) as info:
        load_data(path, MEASURES, currency="EUR", by="revenue")
    assert [(e.row, e.column) for e in info.value.problems] == [(None, "revenue")]
    obj = write(tmp_path, "d.json", '{"2026-01": {"revenue": 1}}')
    with pytest.raises(DataError) as info:
        load_data(obj, MEASURES, currency="EUR", by="partner")
    assert "needs the list form" in info.value.problems[0].message
    # without --by, the key column is just an unknown column
    error = error_of("portfolio.csv")
    assert [(e.row, e.column) for e in error.problems] == [
        (1, "partner"),
        (3, "period"),
        (5, "period"),
    ]
    assert "--by partner" in error.problems[0].message


# --------------------------------------------------------------------------- pydantic models


def test_row_model_validates_and_names_measures() -> None:
    model = row_model(MEASURES, "EUR")
    assert model is row_model(MEASURES, "EUR")  # built once
    row = model.model_validate({"revenue": "5 EUR", "rate": "50%"})
    assert row.model_dump() == {
        "revenue": Decimal(5),
        "visits": None,
        "rate": Decimal("0.50"),
        "active": None,
        "score": None,
    }
    comma = row_model(MEASURES, "EUR", decimal_comma=True)
    assert comma.model_validate({"score": "0,5"}).model_dump()["score"] == Decimal("0.5")


def test_measure_names_that_shadow_pydantic_attributes(tmp_path: Path) -> None:
    measures = [MeasureSpec("json", "number"), MeasureSpec("model_fields", "count")]
    path = write(tmp_path, "d.csv", "period,json,model_fields\n2026-01,1.5,2\n2026-02,x,-1\n")
    with pytest.raises(DataError) as info:
        load_data(path, measures, currency="EUR")
    assert [(e.row, e.column) for e in info.value.problems] == [(3, "json"), (3, "model_fields")]
    path = write(tmp_path, "d.csv", "period,json,model_fields\n2026-01,1.5,2\n")
    loaded = load_data(path, measures, currency="EUR")
    assert loaded.datasets[None][p("2026-01")] == {"json": Decimal("1.5"), "model_fields": 2}
    schema = monthly_data_json_schema(measures, "EUR")
    row_schema = schema["$defs"]["MonthValues"]
    assert set(row_schema["properties"]) == {"json", "model_fields"}


def test_measure_spec_rejects_non_data_types() -> None:
    with pytest.raises(ValueError):
        MeasureSpec("when", "date")


def test_json_schema_matches_the_loader(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = monthly_data_json_schema(MEASURES, "EUR")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads((FIXTURES / "good_object.json").read_text())
    assert list(validator.iter_errors(good)) == []
    row = schema["$defs"]["MonthValues"]
    assert row["additionalProperties"] is False
    assert set(row["properties"]) == {m.name for m in MEASURES}
    bad_documents: list[dict[str, dict[str, object]]] = [
        {"2026-13": {}},
        {"2026-01": {"revnue": 1}},
        {"2026-01": {"visits": -1}},
        {"2026-01": {"revenue": "12 USD"}},
        {"2026-01": {"active": "yes"}},
        {"2026-01": {"score": "abc"}},
    ]
    for bad in bad_documents:
        assert list(validator.iter_errors(bad)), bad
        path = write(tmp_path, "d.json", json.dumps(bad))
        with pytest.raises(DataError):
            load_data(path, MEASURES, currency="EUR")
    # strings the schema accepts, the loader accepts too
    sample = {
        "2026-01": {
            "revenue": "1 234.5 EUR",
            "visits": "12",
            "rate": "12.5 %",
            "active": "TRUE",
            "score": "-.5e3",
        }
    }
    assert list(validator.iter_errors(sample)) == []
    path = write(tmp_path, "d.json", json.dumps(sample))
    assert load_data(path, MEASURES, currency="EUR").datasets[None][p("2026-01")]["score"] == -500


# --------------------------------------------------------------------------- round trip

MONTHS = st.lists(
    st.builds(Period, st.integers(1990, 2060), st.integers(1, 12)),
    min_size=1,
    max_size=12,
    unique=True,
)
DECIMALS = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(-(10**18), 10**18),
    st.integers(0, 12),
)
COUNTS = st.integers(0, 10**15).map(Decimal)
VALUE_OF = {
    "number": DECIMALS,
    "money": DECIMALS,
    "percent": DECIMALS,
    "count": COUNTS,
    "bool": st.booleans(),
}


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[MeasureSpec], dict[Period, dict[str, object]]]:
    kinds = draw(st.lists(st.sampled_from(list(VALUE_OF)), min_size=1, max_size=5))
    measures = [MeasureSpec(f"m{i}_{kind}", kind) for i, kind in enumerate(kinds)]
    months = draw(MONTHS)
    table = {
        month: {m.name: draw(st.none() | VALUE_OF[m.type]) for m in measures} for month in months
    }
    return measures, table


def text_of(value: object, kind: str, comma: bool, style: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        true, false = [("true", "false"), ("TRUE", "FALSE"), ("True", "False")][style % 3]
        return true if value else false
    assert isinstance(value, Decimal)
    if kind == "percent" and style % 2:
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        text = format_decimal(Decimal((sign, digits, exponent + 2))) + "%"
    elif kind == "money" and style % 3 == 2:
        text = format_decimal(value) + " EUR"
    else:
        text = format_decimal(value)
    return text.replace(".", ",") if comma else text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=tables(), delimiter=st.sampled_from([",", ";"]), style=st.integers(0, 5))
def test_csv_round_trip(
    tmp_path: Path,
    table: tuple[list[MeasureSpec], dict[Period, dict[str, object]]],
    delimiter: str,
    style: int,
) -> None:
    measures, rows = table
    comma = delimiter == ";"
    lines = [delimiter.join(["period", *(m.name for m in measures)])]
    for month, row in rows.items():
        cells = [text_of(row[m.name], m.type, comma, style) for m in measures]
        lines.append(delimiter.join([str(month), *cells]))
    path = write(tmp_path, "t.csv", "\n".join(lines) + "\n")
    loaded = load_data(path, measures, currency="EUR")
    dataset = loaded.datasets[None]
    assert dataset == dict(sorted(rows.items()))
    assert list(dataset) == sorted(rows)
    for month, row in rows.items():
        for name, value in row.items():
            assert type(dataset[month][name]) is type(value)


def json_text_of(value: object, kind: str, as_string: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return json.dumps(value)
    assert isinstance(value, Decimal)
    text = format_decimal(value)
    return json.dumps(text) if as_string else text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=tables(), as_list=st.booleans(), as_string=st.booleans())
def test_json_round_trip(
    tmp_path: Path,
    table: tuple[list[MeasureSpec], dict[Period, dict[str, object]]],
    as_list: bool,
    as_string: bool,
) -> None:
    measures, rows = table
    records = []
    for month, row in rows.items():
        fields = ", ".join(
            f"{json.dumps(m.name)}: {json_text_of(row[m.name], m.type, as_string)}"
            for m in measures
        )
        if as_list:
            records.append(f'{{"period": "{month}", {fields}}}')
        else:
            records.append(f'"{month}": {{{fields}}}')
    text = f"[{', '.join(records)}]" if as_list else f"{{{', '.join(records)}}}"
    path = write(tmp_path, "t.json", text)
    dataset = load_data(path, measures, currency="EUR").datasets[None]
    assert dataset == dict(sorted(rows.items()))
    for month, row in rows.items():
        for name, value in row.items():
            got = dataset[month][name]
            assert type(got) is type(value)
            if isinstance(value, Decimal) and not as_string:
                # a JSON number keeps its exact digits and scale
                assert got.as_tuple() == Decimal(format_decimal(value)).as_tuple()  # type: ignore[union-attr]
