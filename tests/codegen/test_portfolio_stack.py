"""A portfolio evaluated as one run (kernel/stack.py) against contract by contract.

For random contracts and random portfolios (several datasets, with keys, of
0 to 26 months from different first months), both engines' ``run_all``
must give, for every contract, the JSON of evaluating that contract alone,
byte for byte — or fail with the same error; and the portfolio's table must
be the contracts' own columns one after another.  A contract that can be
stacked (``stack_blocker`` is None) must have been evaluated as one run
unless a contract fails or a ``terminate`` fires.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

import pytest
from codegen_helpers import compiled
from contract_gen import contracts, datasets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_differential import _load, matrix_head, matrix_rows

from pactlang.api import loads
from pactlang.base.values import Period
from pactlang.engine.evaluate import ContractProgram
from pactlang.ir.nodes import stack_blocker
from pactlang.kernel.series import Segments
from pactlang.kernel.stack import Portfolio, value_rows
from pactlang.kernel.timeline import EvaluationError
from pactlang.report.results import evaluation_json

EXAMPLES = int(os.environ.get("PACT_CODEGEN_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _outcome(fn: Any) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except EvaluationError as exc:
        return "error", str(exc)


def _table_of(runs: list[Any]) -> tuple[list[Period], dict[str, list[Any]], dict[str, list[Any]]]:
    months = [p for r in runs for p in r.months]
    series = {n: [v for r in runs for v in r.series[n]] for n in runs[0].series}
    statuses = {n: [v for r in runs for v in r.statuses[n]] for n in runs[0].statuses}
    return months, series, statuses


def _compare(program: ContractProgram, module: Any, pairs: list[tuple[str, Any]], strict: bool) -> None:
    alone = _outcome(lambda: [program.run(d, key=k, strict=strict) for k, d in pairs])
    stackable = stack_blocker(program.ir) is None
    for engine, run_all in (("interpreter", program.run_all), ("compiled module", module.run_all)):
        got = _outcome(lambda run_all=run_all: run_all(pairs, strict=strict))
        assert got[0] == alone[0], (engine, got, alone)
        if got[0] == "error":
            assert got[1] == alone[1], engine
            continue
        portfolio: Portfolio = got[1]
        runs = alone[1]
        assert portfolio.keys == [k for k, _d in pairs]
        assert [evaluation_json(r) for r in portfolio] == [evaluation_json(r) for r in runs], engine
        if runs and not any(r.termination for r in runs):
            months, series, statuses = _table_of(runs)
            assert portfolio.months == months
            assert dict(portfolio.series) == series
            assert dict(portfolio.statuses) == statuses
            assert portfolio.stacked == stackable, (engine, stack_blocker(program.ir))


@SETTINGS
@given(st.data())
def test_random_portfolios_evaluate_as_each_contract_alone(data: st.DataObject) -> None:
    module, measures = data.draw(contracts(stackable=data.draw(st.booleans(), label="stackable")), label="contract")
    contract, text = _load(module)
    program = ContractProgram(contract.checked)
    size = data.draw(st.integers(0, 4), label="contracts")
    pairs = [
        (f"k{i}", data.draw(datasets(measures, contract.checked.currency), label=f"rows {i}"))
        for i in range(size)
    ]
    strict = data.draw(st.booleans(), label="strict")
    _compare(program, compiled(contract.checked), pairs, strict)


# -------------------------- every window, lag, to date and threshold cadence

FUNCS = ("sum", "avg", "min", "max")
SPANS = ("1 month", "2 months", "3 months", "9 months", "to date", "year to date")
LAGS = ("", ", 1 month", ", 2 months", ", 9 months", ", 1 year")


def _matrix() -> str:
    lines = matrix_head("Stacked")
    for k, (fn, span) in enumerate((fn, span) for fn in FUNCS for span in SPANS):
        lines.append(f'  kpi w{k} "W": number = {fn}(x, {span})')
        lines.append(f'  kpi v{k} "V": money = {fn}(y * 2 - 1 EUR, {span}) otherwise 0 EUR')
    for j, lag in enumerate(LAGS):
        lines.append(f'  kpi p{j} "P": number = previous(x{lag})')
        lines.append(f"  let q{j} = previous(f or x > 2{lag}) otherwise false")
        lines.append(f'  kpi r{j} "R": number = sum(previous(x{lag}) otherwise 1, 2 months)')
    for cadence, unit in (("monthly", "months"), ("quarterly", "quarters"), ("yearly", "years")):
        for n in (2, 3):
            earlier = "x > 5" if (cadence, n) == ("monthly", 2) else 'status(t_monthly_2) == "breach"'
            lines += [
                f"  threshold t_{cadence}_{n} {{",
                f"    checked {cadence}",
                f"    when x > 1 and f for {n} {unit}: breach",
                "      => pay sum(y, 2 months) from a to b",
                '      => once action "Once"',
                f"    when q1 or {earlier}: watch",
                "      => once pay y from b to a",
                "    otherwise: ok",
                "  }",
            ]
    return "\n".join([*lines, "}"]) + "\n"


MATRIX = _matrix()
_PROGRAM: list[Any] = []


@settings(max_examples=max(20, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(matrix_rows(), max_size=5))
def test_every_window_lag_and_cadence_across_contracts(portfolio: list[dict[Period, dict[str, Any]]]) -> None:
    if not _PROGRAM:
        contract = loads(MATRIX, "stacked.pact")
        _PROGRAM.append((ContractProgram(contract.checked), compiled(contract.checked)))
    program, module = _PROGRAM[0]
    assert stack_blocker(program.ir) is None
    _compare(program, module, [(f"c{i}", rows) for i, rows in enumerate(portfolio)], strict=False)


# ------------------------------------------------------------ what falls back

P1 = """contract "P" {
  effective 2022-01-01
  currency EUR
  party a "A"
  party b "B"
  measure won "Won": count
  measure total "Total": count
  kpi rate "Rate": percent = won / total
  threshold low "Low" {
    when rate < 5% for 3 months: breach => pay 10 EUR from a to b
    otherwise: ok
  }
}
"""


def _p(source: str) -> ContractProgram:
    return ContractProgram(loads(source, "p.pact").checked)


def _months(values: list[tuple[int, int]], start: Period = Period(2022, 1)) -> dict[Period, dict[str, Any]]:
    return {start.shift(i): {"won": Decimal(w), "total": Decimal(t)} for i, (w, t) in enumerate(values)}


def test_persistence_looks_back_at_its_own_contract_only() -> None:
    # the first contract ends on 2 months below 5%; the second starts with one:
    # its first check must not count the first contract's months
    program = _p(P1)
    pairs = [("one", _months([(9, 10), (0, 10), (0, 10)])), ("two", _months([(0, 10), (9, 10)]))]
    p = program.run_all(pairs)
    assert p.stacked
    assert p.statuses["low"] == ["ok", "ok", "ok", "ok", "ok"]
    assert [len(r.payments) for r in p] == [0, 0]
    three = program.run_all([("one", _months([(0, 10)] * 3)), ("two", _months([(0, 10)] * 3))])
    assert three.statuses["low"] == ["ok", "ok", "breach"] * 2
    assert [[str(e.period) for e in r.payments] for r in three] == [["2022-03"], ["2022-03"]]


def test_an_error_names_its_contract_as_alone() -> None:
    program = _p(P1)
    pairs = [("fine", _months([(1, 2)])), ("bad", {Period(2022, 1): {"won": None, "total": Decimal(1)}})]
    with pytest.raises(EvaluationError) as stacked:
        program.run_all(pairs, strict=True)
    with pytest.raises(EvaluationError) as alone:
        for k, d in pairs:
            program.run(d, key=k, strict=True)
    assert str(stacked.value) == str(alone.value)
    assert "bad: 2022-01: measure `won` is missing" in str(stacked.value)


def test_a_program_that_cannot_be_stacked_runs_contract_by_contract() -> None:
    source = P1.replace(
        '  kpi rate "Rate": percent = won / total',
        '  kpi rate "Rate": percent = won / total\n  kpi owed "Owed": money = paid(a, b, to date)',
    )
    program = _p(source)
    assert stack_blocker(program.ir) == "an expression reads payments or distributions"
    p = program.run_all([("one", _months([(0, 10)] * 4))])
    assert not p.stacked
    assert p.series["owed"] == [Decimal(0), Decimal(0), Decimal(10), Decimal(20)]


def test_segments_blank_the_first_months_of_each_contract_only() -> None:
    segs = Segments(((0, 3), (3, 3), (3, 4), (4, 8)), (0, 0, 0, 0))
    assert segs.blank(list(range(8)), 2) == [None, None, 2, None, None, None, 6, 7]
    assert segs.blank(list(range(5)), 2) == [None, None, 2, None, None]  # a shorter column (a lag's operand)
    assert segs.blank(list(range(8)), 0) == list(range(8))


def test_value_rows_read_the_table_contract_by_contract() -> None:
    program = _p(P1)
    p = program.run_all([("one", _months([(1, 2), (0, 10)])), ("two", _months([(3, 4)], Period(2023, 5)))])
    assert list(value_rows(p, ["rate", "low"])) == [
        ("one", Period(2022, 1), (Decimal("0.5"), "ok")),
        ("one", Period(2022, 2), (Decimal(0), "ok")),
        ("two", Period(2023, 5), (Decimal("0.75"), "ok")),
    ]


# ------------------------------------------- errors: the loop's, in its order

OVERFLOW = """contract "O" {
  effective 2020-01-01
  currency EUR
  measure x "X": number
  let g = x > 1
  let c = sum(x, to date) * 10 otherwise 0
  let h = if g then c else 0
}
"""
HUGE = {Period(2022, 1): {"x": Decimal("9E+999999")}}


def _same_outcome(run_all: Any, run: Any, pairs: list[tuple[str, Any]]) -> str:
    """Both fail alike (type and message); the message."""

    def alone() -> None:
        for k, d in pairs:
            run(d, k)

    got, want = [], []
    for fn, out in ((lambda: run_all(pairs), got), (alone, want)):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            out.append(f"{type(exc).__name__}: {exc}")
    assert got == want and want
    return want[0]


def test_an_unreadable_month_after_a_failing_contract_fails_as_alone() -> None:
    # a compiled module reads month labels: the first contract's error comes first
    module = compiled(loads(OVERFLOW, "o.pact").checked)
    for later in ({"2022-13": {"x": Decimal(1)}}, {"2022-01": {"x": Decimal(1)}, Period(2022, 1): {"x": 2}}):
        got = _same_outcome(module.run_all, lambda d, k: module.run(d, k), [("bad", HUGE), ("later", later)])
        assert got.startswith("EvaluationError: o.pact:6:11:")


def test_a_value_of_the_wrong_kind_after_a_failing_contract_fails_as_alone() -> None:
    # the later contract fails in `g`, evaluated before `c` over the stacked columns
    # — but contract by contract the first contract's `c` fails first
    contract = loads(OVERFLOW, "o.pact")
    program, module = ContractProgram(contract.checked), compiled(contract.checked)
    for later in ({Period(2022, 1): {"x": "text"}}, {Period(2022, 1): 5}):
        pairs: list[tuple[str, Any]] = [("bad", HUGE), ("later", later)]
        for run_all, run in (
            (program.run_all, lambda d, k: program.run(d, key=k)),
            (module.run_all, lambda d, k: module.run(d, k)),
        ):
            assert _same_outcome(run_all, run, pairs).startswith("EvaluationError: o.pact:6:11:")


def test_a_failing_one_run_does_not_look_for_the_failing_month(monkeypatch: pytest.MonkeyPatch) -> None:
    # an arithmetic error is located month by month (one evaluation per month);
    # over the one run, months of every contract: quadratic in the portfolio.
    # The portfolio is evaluated contract by contract instead, which names it
    from pactlang.kernel import series as S

    program = ContractProgram(loads(OVERFLOW, "o.pact").checked)
    month = {"x": Decimal(1)}
    pairs: list[tuple[str, Any]] = [(f"k{i}", {Period(2022, 1).shift(j): month for j in range(24)}) for i in range(150)]
    pairs.append(("bad", HUGE))
    calls = [0]
    cumulative = S.cumulative

    def counted(*args: Any) -> Any:
        calls[0] += len(args) == 5 and args[4] is not None  # over the one run
        return cumulative(*args)

    monkeypatch.setattr(S, "cumulative", counted)
    got = _same_outcome(program.run_all, lambda d, k: program.run(d, key=k), pairs)
    assert got.startswith("EvaluationError: o.pact:6:11: `sum(x, to date) * 10 otherwise 0` at 2022-01")
    calls[0] = 0
    with pytest.raises(EvaluationError):
        program.run_all(pairs)
    assert calls[0] == 1  # not once more for every month of the portfolio


def test_a_portfolio_is_a_sequence_of_runs_negative_indices_and_slices_included() -> None:
    # Portfolio[i] cuts contract i's run out of the table: -1 is the last contract,
    # a slice is a list of runs (never of placeholders), as for a list of runs
    source = P1.replace("when rate < 5% for 3 months", "when rate < 50%")
    program = _p(source)
    module = compiled(loads(source, "p.pact").checked)
    pairs = [("one", _months([(1, 10), (9, 10), (0, 10)])), ("two", _months([(0, 10)], Period(2023, 5)))]
    alone = [evaluation_json(program.run(d, key=k)) for k, d in pairs]
    for run_all in (program.run_all, module.run_all):
        last = run_all(pairs[:1])
        assert last.stacked
        assert evaluation_json(last[-1]) == alone[0]
        p = run_all(pairs)
        assert [evaluation_json(p[i]) for i in (-1, -2)] == [alone[1], alone[0]]
        p = run_all(pairs)
        assert [evaluation_json(r) for r in p[0:2]] == alone
        assert [evaluation_json(r) for r in p[::-1]] == alone[::-1]
        assert [evaluation_json(r) for r in p] == alone
        with pytest.raises(IndexError):
            p[2]
        with pytest.raises(IndexError):
            p[-3]


# ------------------------------------------------ hand-written portfolios

EVERYTHING = """contract "Everything" {
  currency EUR
  HEADER
  calendar FR
  party a "A"
  party b "B"
  measure x "X": number
  measure y "Y": money
  measure f "F": bool
  escalation l {
    step negotiation within 10 business days
    step court final
  }
  let k = 5
  let due = 2026-05-12 + 3 business days
  let gap = due - 2026-01-01
  let r = 10% from 2026-01, 15% from 2027-01
  let s = sum(x, 3 months) * r otherwise r
  let t0 = sum(x, 2 months) from 2026-06, 0 from 2027-01
  let t = t0 otherwise 9
  let pv = previous(sum(x, 3 months), 2 months)
  let sp = sum(previous(x, 2 months), 3 months)
  let tp = sum(previous(x) otherwise 0, to date)
  let yp = max(previous(x, 1 year) otherwise x, year to date)
  let ww = avg(sum(x * k, 2 months), 2 months)
  let td = previous(sum(x, to date))
  let mm = min(x, 12 months) otherwise -1
  let ya = avg(y, year to date) otherwise 0 EUR
  threshold q {
    checked quarterly
    when x > 1 and f for 2 quarters: breach
      => once pay sum(y, 2 months) from a to b
      => escalate l
    when x > 5: watch
      => oblige a "fix" within 10 business days
      => suspend b "deliveries"
      => once notify a, b
    otherwise: ok
  }
  threshold yy {
    checked yearly
    when status(q) == "breach" for 2 years: breach => pay 1 EUR from b to a
    otherwise: ok
  }
  threshold m {
    when status(q) == "watch" or (previous(x) otherwise 0) > 3 for 3 months: watch => once action "hey"
    when f: bonus => pay y from a to b
    otherwise: ok
  }
}
"""
HEADERS = ("effective 2026-03-01 until 2027-10-31", "effective 2025-01-01", "")


def _rows(start: Period, **columns: list[Any]) -> dict[Period, dict[str, Any]]:
    n = max(len(c) for c in columns.values())
    return {
        start.shift(i): {
            name: v if v is None or isinstance(v, bool) else Decimal(str(v))
            for name, col in columns.items()
            if i < len(col)
            for v in [col[i]]
        }
        for i in range(n)
    }


PORTFOLIOS: list[list[tuple[str, dict[Period, dict[str, Any]]]]] = [
    [  # different first months (year to date, quarters), a contract with no month, one with one month
        ("a", _rows(Period(2026, 1), x=[1, 2, 3, 4, 5, 6, 7], y=list(range(7)), f=[True] * 7)),
        ("b", _rows(Period(2026, 2), x=[9] * 15, y=[3] * 15, f=[True, False, True] * 5)),
        ("c", {}),
        ("d", _rows(Period(2027, 3), x=[3], y=[1], f=[True])),
        ("e", _rows(Period(2026, 12), x=[None, 2, 6, 6, 6, 6, 6, 6], y=[1] * 8, f=[True] * 8)),
    ],
    [  # the same months twice: `for 2 years`, `once` per contract
        ("a", _rows(Period(2025, 11), x=[6] * 30, y=[2] * 30, f=[True] * 30)),
        ("b", _rows(Period(2025, 11), x=[6] * 30, y=[2] * 30, f=[True] * 30)),
    ],
    [("z", {}), ("y", {})],
    [("z", _rows(Period(2024, 1), x=[1])), ("w", _rows(Period(2028, 1), x=[2, 3]))],  # outside the term
    [],
]


@pytest.mark.parametrize("header", HEADERS)
def test_hand_written_portfolios_evaluate_as_each_contract_alone(header: str) -> None:
    contract = loads(EVERYTHING.replace("HEADER", header), "everything.pact")
    program, module = ContractProgram(contract.checked), compiled(contract.checked)
    assert stack_blocker(program.ir) is None
    for pairs in PORTFOLIOS:
        for strict in (False, True):
            _compare(program, module, pairs, strict)  # type: ignore[arg-type]
    stacked = program.run_all(PORTFOLIOS[0])
    assert stacked.stacked
    # the windows do not reach across: b's first four months are missing, as alone
    s, _e = stacked.spans[1]
    assert stacked.series["pv"][s : s + 5][:4] == [None] * 4 and stacked.series["pv"][s + 4] is not None
    # the same data twice: the same events twice (`once` and `for 2 years` per contract)
    twice = program.run_all(PORTFOLIOS[1])
    assert twice.stacked
    assert twice[0].events == twice[1].events
    assert [e.kind for e in twice[0].events if e.once].count("notify") == 1


def test_a_window_across_contracts_that_would_overflow_is_not_an_error() -> None:
    # the last month of one contract and the first of the next never share a
    # window: summing them would overflow, neither contract alone does
    source = """contract "W" {
  currency EUR
  measure x "X": number
  let s = sum(x, 2 months)
  let mm = min(x, 3 months) otherwise x
}
"""
    contract = loads(source, "w.pact")
    program, module = ContractProgram(contract.checked), compiled(contract.checked)
    huge = "9E+999999"
    pairs = [
        ("a", _rows(Period(2026, 1), x=[1, huge])),
        ("b", _rows(Period(2026, 3), x=[huge, 1])),
    ]
    alone = [evaluation_json(program.run(d, key=k)) for k, d in pairs]
    for run_all in (program.run_all, module.run_all):
        p = run_all(pairs)
        assert [evaluation_json(r) for r in p] == alone
        assert p.series["s"] == [None, Decimal(huge), None, Decimal(huge)]
        assert p.series["mm"] == [Decimal(1), Decimal(huge), Decimal(huge), Decimal(1)]
