"""LANGUAGE.md §4 — types and dimension rules: every allowed and every rejected combination.

The type checker rejects everything else "with a message that names both types"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from spec.spec_helpers import contract, diagnostics, evaluate, series

MEASURES = """
measure m "Money": money
measure m2 "Money 2": money
measure n "Number": number
measure c "Count": count
measure c2 "Count 2": count
measure p "Percent": percent
measure b "Bool": bool
"""

ROW = {"2026-01": {"m": "120", "m2": "30", "n": "4", "c": "6", "c2": "3", "p": "50%", "b": "true"}}


def errors_of(tmp_path: Path, body: str) -> list[dict]:
    return [d for d in diagnostics(tmp_path, contract(MEASURES + body)) if d["severity"] == "error"]


def value(tmp_path: Path, expr: str) -> object:
    doc = evaluate(tmp_path, contract(MEASURES + f"let v = {expr}\n"), ROW)
    return series(doc, "v")["2026-01"]


# (expression, hand-computed value with m=120 EUR, m2=30 EUR, n=4, c=6, c2=3, p=50%)
ALLOWED = [
    ("m + m2", "150"),  # money + money → money
    ("m - m2", "90"),  # money - money → money
    ("m * n", "480"),  # money × number
    ("m * p", "60"),  # money × percent: 120 × 0.5
    ("m * c", "720"),  # money × count
    ("m / n", "30"),  # money ÷ number
    ("m / p", "240"),  # money ÷ percent: 120 / 0.5
    ("m / c", "20"),  # money ÷ count
    ("m / m2", "4"),  # money ÷ money → number
    ("n + c", "10"),  # number-likes mix freely
    ("n * p", "2"),
    ("c - p", "5.5"),
    ("c / c2", "2"),  # count ÷ count → number
    ("p + 10%", "0.6"),
]


@pytest.mark.parametrize(("expr", "expected"), ALLOWED)
def test_allowed_combinations_check_and_compute(tmp_path: Path, expr: str, expected: str) -> None:
    assert errors_of(tmp_path, f"let v = {expr}") == []
    assert value(tmp_path, expr) == Decimal(expected)


REJECTED = [
    ("m + n", "money", "number"),
    ("m - p", "money", "percent"),
    ("m + c", "money", "count"),
    ("n + m", "number", "money"),
    ("m * m2", "money", "money"),
    ("n / m", "number", "money"),
    ("c / m", "count", "money"),
    ("p / m", "percent", "money"),
    ("m + b", "money", "bool"),
    ("n + b", "number", "bool"),
    ('m + "x"', "money", "text"),
    ("2026-01-01 + 2026-02-01", "date", "date"),
    ("2026-01-01 + m", "date", "money"),
    ("2026-01-01 + n", "date", "number"),
]


@pytest.mark.parametrize(("expr", "left", "right"), REJECTED)
def test_rejected_arithmetic_names_both_types(
    tmp_path: Path, expr: str, left: str, right: str
) -> None:
    errs = errors_of(tmp_path, f"let v = {expr}")
    assert errs, f"{expr} was accepted"
    assert any(left in e["message"] and right in e["message"] for e in errs), errs


COMPARISONS_OK = [
    "m < m2",
    "m >= 100 EUR",
    "n < 5%",
    "c > n",
    "p <= 0.5",
    "c == 6",
    "b == true",
    "2026-01-01 < 2026-02-01",
]


@pytest.mark.parametrize("expr", COMPARISONS_OK)
def test_comparisons_of_one_dimension_are_allowed(tmp_path: Path, expr: str) -> None:
    assert errors_of(tmp_path, f"let v = {expr}") == []


COMPARISONS_BAD = [
    ("m < 5%", "money", "percent"),
    ("m == 5", "money", "number"),
    ("m > c", "money", "count"),
    ("n != m", "number", "money"),
    ("b == 1", "bool", "number"),
    ("2026-01-01 < m", "date", "money"),
]


@pytest.mark.parametrize(("expr", "left", "right"), COMPARISONS_BAD)
def test_comparisons_across_dimensions_are_rejected_naming_both(
    tmp_path: Path, expr: str, left: str, right: str
) -> None:
    errs = errors_of(tmp_path, f"let v = {expr}")
    assert errs, f"{expr} was accepted"
    assert any(left in e["message"] and right in e["message"] for e in errs), errs


def test_comparison_values(tmp_path: Path) -> None:
    # n = 4 is below 5% = 0.05? no: 4 < 0.05 is false; p = 0.5 <= 0.5 holds
    assert value(tmp_path, "n < 5%") is False
    assert value(tmp_path, "p <= 0.5") is True
    assert value(tmp_path, "m >= 120 EUR") is True


def test_date_plus_duration_and_date_minus_date(tmp_path: Path) -> None:
    """date + duration → date; date − date → duration in days (2026-03-01 − 2026-01-01 = 31 + 28 = 59 days)."""
    assert value(tmp_path, "2026-01-31 + 10 days") == "2026-02-10"
    assert value(tmp_path, "2026-03-01 - 2026-01-01") == "59 days"
    assert value(tmp_path, "2026-03-01 - 2026-01-01 == 59 days") is True


# ---------------------------------------------------------------- declared KPI types

KPI_OK = [
    ("percent", "c / c2"),  # percent accepts any number-like
    ("percent", "n"),
    ("percent", "c"),
    ("percent", "p"),
    ("number", "m / m2"),
    ("number", "c / c2"),
    ("money", "m * p"),
    ("money", "m / n"),
]

KPI_BAD = [
    ("money", "n"),  # money accepts only money
    ("money", "m / m2"),
    ("money", "p"),
    ("percent", "m"),
    ("number", "m"),
    ("percent", "b"),
]


def kpi(kind: str, expr: str) -> str:
    return f'kpi k "K": {kind} = {expr} {{\n  owner acme\n  source "S"\n  frequency monthly\n}}'


@pytest.mark.parametrize(("kind", "expr"), KPI_OK)
def test_declared_kpi_type_accepts(tmp_path: Path, kind: str, expr: str) -> None:
    assert errors_of(tmp_path, kpi(kind, expr)) == []


@pytest.mark.parametrize(("kind", "expr"), KPI_BAD)
def test_declared_kpi_type_rejects(tmp_path: Path, kind: str, expr: str) -> None:
    errs = errors_of(tmp_path, kpi(kind, expr))
    assert errs, f"KPI {kind} = {expr} accepted"


def test_percent_kpi_value_is_a_fraction(tmp_path: Path) -> None:
    # c2 / c = 3 / 6 = 50%, shown in JSON as the fraction "0.5"
    doc = evaluate(tmp_path, contract(MEASURES + kpi("percent", "c2 / c")), ROW)
    assert series(doc, "k")["2026-01"] == Decimal("0.5")


@pytest.mark.parametrize("cell", ["-1", "2.5"])
def test_count_measure_rejects_non_count_data(tmp_path: Path, cell: str) -> None:
    """`count` is an integer ≥ 0: a negative or fractional value in the data is bad data (§12)."""
    from spec.spec_helpers import eval_run

    src = contract('measure c "C": count\nlet v = c')
    run = eval_run(tmp_path, src, {"2026-01": {"c": cell}})
    assert run.exit_code == 2, run.stdout
