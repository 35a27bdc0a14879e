"""Durations (LANGUAGE.md §5 "Calendars in expressions"): durations of the same kind
compare and add; days, business days and months do not mix (an error that says
so); negating a duration or taking its absolute value has no meaning."""

from __future__ import annotations

from datetime import date

import pytest

from pactlang.api import check_source, loads
from pactlang.base.values import Duration, Period

HEAD = 'contract "D" {\n  currency EUR\n  let d = 2026-01-01\n'


@pytest.mark.parametrize("expr", ["-(10 days)", "abs(10 days)"])
def test_duration_negation_and_abs_are_rejected(expr: str) -> None:
    res = check_source(HEAD + f"  let x = {expr}\n}}\n", "d.pact")
    assert any(d.code.startswith("E02") for d in res.diagnostics if d.is_error), res.diagnostics


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("10 days + 1 month", "cannot add days and months"),
        ("30 days < 1 month", "cannot compare days with months"),
        ("1 year - 3 days", "cannot subtract months and days"),
        ("10 business days < 15 days", "cannot compare business days with days"),
        ("d - d >= 2 months", "cannot compare days with months"),
    ],
)
def test_days_and_months_do_not_mix(expr: str, why: str) -> None:
    res = check_source(HEAD + f"  let x = {expr}\n}}\n", "d.pact")
    errors = [d for d in res.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["E022"], errors
    assert errors[0].message.startswith(why), errors[0].message


def test_a_let_keeps_the_kind_of_its_duration() -> None:
    res = check_source(HEAD + "  let delay = 10 business days\n  let x = delay < 15 days\n}\n", "d.pact")
    assert [d.code for d in res.diagnostics if d.is_error] == ["E022"]


def test_dates_still_move_by_durations() -> None:
    res = check_source(HEAD + "  let x = d + 10 days\n  let y = x - d\n}\n", "d.pact")
    assert not [d for d in res.diagnostics if d.is_error], res.diagnostics


def test_durations_of_one_kind_compare_add_and_order() -> None:
    c = loads(
        HEAD
        + "  measure m \"M\": number\n  let keep = m\n"
        + "  let a = 2026-06-01 - d >= 60 days\n"
        + "  let b = 10 days + 5 days\n"
        + "  let c = 1 quarter + 1 month == 4 months\n"
        + "  let q = 1 quarter\n  let two = 2 months\n  let e = max(q, two)\n"
        + "  let f = d + (10 business days + 5 business days)\n"
        + "  let twenty = 20 days\n  let g = min(2026-03-01 - d, twenty)\n"
        + "}\n",
        "d.pact",
    )
    ev = c.evaluate({Period(2026, 1): {"m": None}})
    at = Period(2026, 1)
    assert ev.value("a", at) is True
    assert ev.value("b", at) == Duration(15, "day")
    assert ev.value("c", at) is True
    assert ev.value("e", at) == Duration(1, "quarter")
    assert ev.value("f", at) == date(2026, 1, 22)  # 15 business days, no calendar
    assert ev.value("g", at) == Duration(20, "day")


def test_min_and_max_need_durations_of_one_kind() -> None:
    res = check_source(
        HEAD + "  let q = 1 quarter\n  let ten = 10 days\n  let h = max(q, ten)\n}\n", "d.pact"
    )
    errors = [d for d in res.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["E022"]
    assert errors[0].message.startswith("`max` needs durations of one kind"), errors[0].message
