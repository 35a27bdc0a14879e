"""Definitions over time (LANGUAGE.md §5): the four cases of the requirements.

``over_time/over_time.pact`` states each expected month by hand in its test
blocks (a liability cap, a rollover balance, a cure period, a catch-up capped
through a let); here they run with ``pact test``, and the schedule is checked:
the constructs that read their own earlier months are recurrences, the rest
is computed over the whole timeline at once.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from pactlang.api import PactError, load, loads
from pactlang.base.values import Period
from pactlang.cli import main
from pactlang.ir import nodes
from pactlang.present.explain import Explainer

CONTRACT = Path(__file__).parent / "over_time" / "over_time.pact"


def test_the_hand_computed_months_hold() -> None:
    result = CliRunner().invoke(main, ["test", str(CONTRACT)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "4 passed, 0 failed"


def test_only_what_reads_its_own_past_is_computed_month_by_month() -> None:
    program = load(CONTRACT).program.ir
    recurrences = [s.names for s in program.steps if isinstance(s, nodes.Recurrence)]
    assert sorted(recurrences) == [("bank",), ("cure",), ("pref_paid", "fund"), ("sla",)]
    # within a month, the let is computed between the tier it reads and the tier that reads it
    fund = next(s for s in program.steps if isinstance(s, nodes.Recurrence) and "fund" in s.names)
    assert [(t.kind, t.name, t.tier) for t in fund.tasks] == [
        ("tier", "fund", 0),
        ("value", "pref_paid", -1),
        ("tier", "fund", 1),
        ("tier", "fund", 2),
    ]


def test_the_same_month_is_still_a_cycle() -> None:
    text = CONTRACT.read_text(encoding="utf-8").replace(
        "previous(paid(provider, client, to date))", "paid(provider, client, to date)"
    )
    try:
        loads(text, "cycle.pact")
    except PactError as exc:
        messages = [d.message for d in exc.diagnostics if d.is_error]
        assert messages == ["circular definition: `sla` refers to itself in the same month"]
    else:  # pragma: no cover - the test fails
        raise AssertionError("a threshold paying what it reads in the same month must be a cycle")


def test_the_explanation_shows_the_amount_the_cap_read() -> None:
    contract = load(CONTRACT)
    rows = {Period(2026, m): {"incidents": Decimal(5), "errors": Decimal(0)} for m in range(1, 5)}
    ev = contract.evaluate(rows)
    line = Explainer(ev).status("sla", 3)
    assert line.startswith("sla at 2026-04 = ok: rule 1 (")
    assert "30,000.00 EUR" in line, line
