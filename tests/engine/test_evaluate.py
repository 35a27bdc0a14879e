"""The evaluator, construct by construct (LANGUAGE.md §5, §6, §12).

Each fixture under ``fixtures/`` is a pair ``NAME.pact`` + ``NAME.csv`` (or
``NAME.json``) with ``NAME.expected.json``: the expected *subset* of the JSON
result (``pactlang.report.results.evaluation_dict``).  Every expected value is
derived by hand from LANGUAGE.md; the arithmetic is written in a comment at the
top of the ``.pact`` file.

Comparison rules: a dict in the expected file lists only the keys it checks; a
list must have the same length as the actual one (its items compared the same
way); decimal strings compare by value (``"10"`` == ``"10.00"``).

``PACT_UPDATE_FIXTURES=1 pytest tests/engine/test_evaluate.py`` rewrites each
expected file with the actual values *for the keys it already lists* (or a
default selection for a new fixture).  Only do that after checking every value
by hand: the point of the files is that they were not produced by the engine.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pactlang.api import Contract, PactError, load, loads
from pactlang.base.values import Period
from pactlang.engine.evaluate import Evaluation, EvaluationError
from pactlang.report.results import evaluation_dict

FIXTURES = Path(__file__).parent / "fixtures"
UPDATE = os.environ.get("PACT_UPDATE_FIXTURES") == "1"
DEFAULT_KEYS = ("months", "measures", "lets", "kpis", "thresholds", "payments", "actions")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def fixture_names() -> list[str]:
    return sorted(p.name[: -len(".pact")] for p in FIXTURES.glob("*.pact"))


def data_file(name: str) -> Path:
    for ext in (".csv", ".json"):
        path = FIXTURES / f"{name}{ext}"
        if path.exists():
            return path
    raise AssertionError(f"fixture {name} has no {name}.csv or {name}.json")


def same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        if _DECIMAL.match(expected) and _DECIMAL.match(actual):
            return Decimal(expected) == Decimal(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return bool(expected == actual)


def subset_diff(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Every place where ``actual`` does not match the expected subset."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        out: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{where}.{key}: missing from the result")
            else:
                out.extend(subset_diff(value, actual[key], f"{where}.{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {json.dumps(expected)}, got {json.dumps(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out.extend(subset_diff(e, a, f"{where}[{i}]"))
        return out
    if not same_scalar(expected, actual):
        return [f"{where}: expected {json.dumps(expected)}, got {json.dumps(actual)}"]
    return []


def project(expected: Any, actual: Any) -> Any:
    """``actual`` restricted to the shape of ``expected`` (for the update flag)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {k: project(v, actual[k]) for k, v in expected.items() if k in actual}
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [project(e, a) for e, a in zip(expected, actual, strict=True)]
    return actual


def evaluate_fixture(name: str) -> tuple[Contract, Evaluation]:
    contract = load(FIXTURES / f"{name}.pact")
    return contract, contract.evaluate(data_file(name))


def test_every_fixture_is_complete() -> None:
    names = fixture_names()
    assert len(names) >= 9
    for name in names:
        data_file(name)
        assert (FIXTURES / f"{name}.expected.json").exists(), name
        text = (FIXTURES / f"{name}.pact").read_text(encoding="utf-8")
        # the hand computation is written down in the fixture itself
        assert text.lstrip().startswith("#"), f"{name}.pact: put the arithmetic in a comment"


@pytest.mark.parametrize("name", fixture_names())
def test_fixture(name: str) -> None:
    _, ev = evaluate_fixture(name)
    actual = json.loads(json.dumps(evaluation_dict(ev)))
    path = FIXTURES / f"{name}.expected.json"
    if UPDATE:
        if path.exists():
            new = project(json.loads(path.read_text(encoding="utf-8")), actual)
        else:
            new = {k: actual[k] for k in DEFAULT_KEYS}
        path.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {path.name}: check every value by hand")
    expected = json.loads(path.read_text(encoding="utf-8"))
    problems = subset_diff(expected, actual)
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_subset_diff_catches_differences() -> None:
    """The comparator itself: a wrong value, a missing key, a length change."""
    assert subset_diff({"a": {"x": "1.0"}}, {"a": {"x": "1", "y": 2}}) == []
    assert subset_diff({"a": "1"}, {"a": "2"})
    assert subset_diff({"a": None}, {"a": "0"})
    assert subset_diff({"a": True}, {"a": "1"})
    assert subset_diff({"b": 1}, {"a": 1})
    assert subset_diff([{"a": 1}], [{"a": 1}, {"a": 2}])
    assert subset_diff({"a": "ok"}, {"a": "watch"})


# ------------------------------------------------------------ the API directly


def months(*texts: str) -> list[Period]:
    return [Period.parse(t) for t in texts]


def test_value_status_and_index_accessors() -> None:
    _, ev = evaluate_fixture("persistence")
    assert ev.index(Period(2026, 1)) == 0
    assert ev.index(Period(2025, 12)) is None
    assert ev.index(Period(2027, 1)) is None
    assert ev.value("x", Period(2026, 4)) == Decimal(9)
    assert ev.value("x", Period(2026, 6)) is None
    assert ev.value("x", Period(2030, 1)) is None  # outside the evaluated months
    assert ev.status("run3", Period(2026, 3)) == "breach"
    assert ev.status("run2q", Period(2026, 2)) is None  # before the first check
    assert ev.status("run2q", Period(2026, 8)) == "no-data"  # kept from June
    run = ev.thresholds["run2q"]
    assert [i for i, c in enumerate(run.is_check) if c] == [2, 5, 8, 11]
    assert run.decided_by[11] == 1


def test_mapping_data_outside_the_term_is_ignored_with_a_warning() -> None:
    contract = load(FIXTURES / "term_gaps.pact")
    ev = contract.evaluate(
        {
            Period(2026, 2): {"x": Decimal(100)},
            Period(2026, 3): {"x": Decimal(3)},
            Period(2026, 9): {"x": Decimal(100)},
        }
    )
    assert ev.months == months("2026-03")
    assert any("2026-02" in w and "outside the contract term" in w for w in ev.warnings)
    assert any("2026-09" in w and "outside the contract term" in w for w in ev.warnings)
    assert evaluation_dict(ev)["warnings"] == ev.warnings


def test_file_data_outside_the_term_is_ignored_with_a_warning() -> None:
    contract, ev = evaluate_fixture("measures_missing")  # rows for 2025-12 and 2027-01
    assert ev.months == months("2026-01", "2026-02", "2026-03", "2026-04")
    assert any("outside the contract term" in w for w in ev.warnings), ev.warnings


def test_evaluating_no_months() -> None:
    contract = load(FIXTURES / "persistence.pact")
    ev = contract.evaluate({})
    assert ev.months == [] and ev.events == []
    result = evaluation_dict(ev)
    assert result["months"] == [] and result["thresholds"] == {"run2q": {}, "run3": {}}
    # only months outside the term: nothing evaluated, a warning
    ev = contract.evaluate({Period(2025, 1): {"x": Decimal(1)}})
    assert ev.months == [] and ev.warnings


def test_strict_reports_every_missing_cell() -> None:
    contract = load(FIXTURES / "measures_missing.pact")
    data = contract.read_data(data_file("measures_missing")).datasets[None]
    with pytest.raises(EvaluationError) as info:
        contract.evaluate(data_file("measures_missing"), strict=True)
    problems = info.value.problems
    # 2026-02: units, revenue blank; 2026-03 absent: all three; 2026-04: price blank
    assert len(problems) == 6
    assert any("2026-03" in p and "`price`" in p for p in problems)
    assert all("--strict" in p for p in problems)
    # the same data without --strict evaluates
    assert contract.evaluate(data).months[0] == Period(2026, 1)


def test_portfolio_evaluates_one_result_per_key() -> None:
    contract = load(
        Path(__file__).resolve().parents[2] / "examples" / "contracts" / "alliance.pact"
    )
    evs = contract.evaluate_portfolio(
        Path(__file__).resolve().parents[2] / "examples" / "data" / "alliance_portfolio.csv",
        "partner",
    )
    assert [e.key for e in evs] == ["orbis", "nordvik", "sudhaus"]
    # README, nordvik: 52 / 200 = 26 % in March → bonus, paid once (10 000 acme → orbis)
    nordvik = evs[1]
    assert nordvik.value("conversion", Period(2026, 3)) == Decimal("0.26")
    assert nordvik.status("conversion_floor", Period(2026, 3)) == "bonus"
    assert [(str(p.period), p.amount) for p in nordvik.payments] == [
        ("2026-03", Decimal("10000.00"))
    ]
    # sudhaus: August revenue blank → revenue_3m missing Aug–Oct, no-data
    sudhaus = evs[2]
    for m in (8, 9, 10):
        assert sudhaus.value("revenue_3m", Period(2026, m)) is None
        assert sudhaus.status("revenue_review", Period(2026, m)) == "no-data"
    assert sudhaus.value("revenue_3m", Period(2026, 11)) == Decimal("199000.00")


def test_program_is_reusable_across_datasets() -> None:
    """A compiled program evaluates datasets independently (no state leaks, e.g. `once`)."""
    contract = load(FIXTURES / "actions.pact")
    data = contract.read_data(data_file("actions")).datasets[None]
    first = contract.program.run(data)
    second = contract.program.run(data)
    assert first.events == second.events
    assert [e.period for e in second.payments if e.once] == [Period(2026, 1)]


SCHEDULE_OF_NAMES = """\
contract "Schedule of names" {
  effective 2026-01-01
  currency EUR
  measure x "X": number
  let base = 100
  let fee = base * 2 from 2026-01, base * 3 from 2026-06
  kpi k "K": number = fee + x
}
"""


def test_schedule_entries_that_read_a_let() -> None:
    try:
        contract = loads(SCHEDULE_OF_NAMES, "schedule.pact")
    except PactError:
        return  # rejecting it with a diagnostic would be a fix too
    ev = contract.evaluate({Period(2026, 5): {"x": Decimal(1)}, Period(2026, 7): {"x": Decimal(4)}})
    # 2026-05: base × 2 = 200; 2026-06, 07: base × 3 = 300
    assert ev.env.series["fee"] == [Decimal(200), Decimal(300), Decimal(300)]
    assert ev.env.series["k"] == [Decimal(201), None, Decimal(304)]


LARGE = """\
contract "Large" {
  effective 2026-01-01
  currency EUR
  party a "A"
  party b "B"
  measure x "X": number
  measure m "M": money
  kpi third "Third": number = round(x / 3, 2)
  threshold t "T" {
    when x > 0: breach
      => pay m / 3 from a to b
  }
}
"""


def test_rounding_large_values_does_not_crash() -> None:
    contract = loads(LARGE, "large.pact")
    big = Decimal(10) ** 27
    try:
        ev = contract.evaluate({Period(2026, 1): {"x": big, "m": big}})
    except EvaluationError:
        return  # refusing the input with a message would be a fix too
    assert ev.env.series["third"][0] is not None


PAYMENT_CAP = """\
contract "Penalty cap" {
  effective 2026-01-01
  currency EUR
  party a "A"
  party b "B"
  measure x "X": number
  kpi penalties "Penalties to date": money = paid(a, b, to date)
  threshold cap "Penalty cap" {
    when paid(a, b, to date) >= 20 EUR: breach
      => notify a, b
    otherwise: ok
  }
  threshold one "One" {
    when x > 0: breach
      => pay 10 EUR from a to b
  }
  threshold two "Two" {
    when x > 1: breach
      => pay 5 EUR from a to b
  }
}
"""


def test_paid_reads_every_paying_threshold_whatever_the_declaration_order() -> None:
    contract = loads(
        PAYMENT_CAP.replace(
            '  threshold cap "Penalty cap" {\n    when paid(a, b, to date) >= 20 EUR: breach\n'
            "      => notify a, b\n    otherwise: ok\n  }\n",
            "",
        ),
        "cap.pact",
    )
    ev = contract.evaluate(
        {Period(2026, m): {"x": Decimal(v)} for m, v in ((1, 1), (2, 2), (3, 2))}
    )
    # one pays 10 every month, two pays 5 when x > 1: 10; 10 + 15 = 25; 25 + 15 = 40
    assert ev.env.series["penalties"] == [Decimal(10), Decimal(25), Decimal(40)]


def test_a_threshold_may_watch_payments_made_by_other_thresholds() -> None:
    contract = loads(PAYMENT_CAP, "cap.pact")
    ev = contract.evaluate(
        {Period(2026, m): {"x": Decimal(v)} for m, v in ((1, 1), (2, 2), (3, 2))}
    )
    # paid to date 10, 25, 40 → cap: ok (10 < 20), breach, breach
    assert ev.thresholds["cap"].status == ["ok", "breach", "breach"]
