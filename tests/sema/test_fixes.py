"""Known fixes carried by diagnostics (used by editors as quick fixes).

Each case is a contract with one mistake that has a known fix; applying the
fix (replacing the span with the replacement) gives a file without errors.
"""

from __future__ import annotations

import pytest

from pactlang.api import check_source
from pactlang.diagnostics import Diagnostic

HEAD = """contract "Fixes" {
  currency EUR
  effective 2026-01-01 until 2026-12-31
  party acme "ACME"
  party orbis "Orbis"
  measure revenue "Revenue": money
  measure leads "Leads": count
"""

BODY = """  committee steering "Steering" {
    member acme weight 60
    member orbis weight 40
    quorum 2 members
    decision budget "Budget" requires majority
  }
  escalation disputes "Disputes" {
    step managers "Managers" within 10 days
    step arbitration "Arbitration" final
  }
  waterfall fund "Fund" {
    distributes revenue
    tier repay "Repay" {
      pay acme up to 100 EUR
    }
    tier rest "Rest" {
      split acme 50%, orbis 50%
    }
  }
}
"""

CASES = {
    "E010 name": ("  let x = revnue * 2\n", "", "E010", "revenue"),
    "E010 party": (
        '  threshold t "T" {\n    when leads < 5: breach => pay 5 EUR from acmee to orbis\n'
        "    otherwise: ok\n  }\n",
        "",
        "E010",
        "acme",
    ),
    "E013 function": ("  let x = summ(revenue, 3 months)\n", "", "E013", "sum"),
    "E015 attribute": (
        '  kpi k "K": money = revenue {\n    ownr acme\n    source "S"\n    frequency monthly\n'
        "    target 5 EUR\n  }\n",
        "",
        "E015",
        "owner",
    ),
    "E021 currency": ("  let x = revenue + 10 USD\n", "", "E021", "10 EUR"),
    "E022 right": ("  let x = revenue + 5_000\n", "", "E022", "5_000 EUR"),
    "E022 left": ("  let x = 5_000 - revenue\n", "", "E022", "5_000 EUR"),
    "E020 compare": (
        '  threshold t "T" {\n    when revenue < 5000: breach\n    otherwise: ok\n  }\n',
        "",
        "E020",
        "5000 EUR",
    ),
    "E010 decision": ("  let p = banzhaf(steering.budgt, acme)\n", "", "E010", "budget"),
    "E010 tier": ("  let d = distributed(fund.repy)\n", "", "E010", "repay"),
    "E070 expected amount": (
        "",
        'test "v" {\n  data {\n    2026-01: revenue = 1 EUR, leads = 1\n  }\n'
        "  expect revenue at 2026-01 == 1\n}\n",
        "E070",
        "1 EUR",
    ),
    "E070 outcome": (
        "",
        'test "v" {\n  expect vote steering.budget { acme yes, orbis yes } is passd\n}\n',
        "E070",
        "passed",
    ),
    "E010 ballot party": (
        "",
        'test "v" {\n  expect vote steering.budget { acmee yes, orbis yes } is passed\n}\n',
        "E010",
        "acme",
    ),
    "E010 step": (
        "",
        'test "e" {\n  expect escalation disputes opened 2026-01-05 deadline managrs == 2026-01-15\n}\n',
        "E010",
        "managers",
    ),
}


def _errors(text: str) -> list[Diagnostic]:
    return [d for d in check_source(text, "fixes.pact").diagnostics if d.is_error]


@pytest.mark.parametrize("case", sorted(CASES))
def test_applying_the_fix_removes_the_error(case: str) -> None:
    decls, tests, code, replacement = CASES[case]
    text = HEAD + decls + BODY + ("\n" + tests if tests else "")
    errors = _errors(text)
    assert [d.code for d in errors] == [code], errors
    (fix,) = errors[0].fixes
    assert fix.replacement == replacement
    fixed = text[: fix.span.start] + fix.replacement + text[fix.span.end :]
    assert _errors(fixed) == []


def test_the_fix_of_an_unknown_currency() -> None:
    text = 'contract "C" {\n  currency EUX\n}\n'
    (d,) = _errors(text)
    assert d.code == "E066"
    (fix,) = d.fixes
    fixed = text[: fix.span.start] + fix.replacement + text[fix.span.end :]
    assert _errors(fixed) == []


def test_no_fix_without_a_close_match() -> None:
    (d,) = _errors(HEAD + "  let x = zzzzzz\n" + BODY)
    assert d.code == "E010" and d.fixes == ()
