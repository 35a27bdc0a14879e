"""Durations only move dates: arithmetic and ordering on durations are type
errors (the engine has none), never a crash at evaluation."""

from __future__ import annotations

import pytest

from pactlang.api import check_source

HEAD = 'contract "D" {\n  currency EUR\n  let d = 2026-01-01\n'


@pytest.mark.parametrize(
    "expr",
    ["10 days + 5 days", "-(10 days)", "abs(10 days)", "10 days < 5 days", "max(10 days, 5 days)"],
)
def test_duration_arithmetic_is_rejected(expr: str) -> None:
    res = check_source(HEAD + f"  let x = {expr}\n}}\n", "d.pact")
    assert any(d.code.startswith("E02") for d in res.diagnostics if d.is_error), res.diagnostics


def test_dates_still_move_by_durations() -> None:
    res = check_source(HEAD + "  let x = d + 10 days\n  let y = x - d\n}\n", "d.pact")
    assert not [d for d in res.diagnostics if d.is_error], res.diagnostics
