"""Differential testing: random contracts and data, interpreter vs compiled module.

Contracts are generated as ASTs (:mod:`contract_gen`), printed with the
formatter, parsed and checked like any file; the JSON of ``pact eval`` (the
interpreter) and of the generated module must be the same text, byte for
byte — or both must fail with the same error.  ``PACT_CODEGEN_EXAMPLES`` sets
the number of contracts (default 60; a soak run uses thousands).
"""

from __future__ import annotations

import os
from typing import Any

from codegen_helpers import both
from contract_gen import contracts, datasets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactlang.api import PactError, loads
from pactlang.engine.evaluate import ContractProgram
from pactlang.syntax.format import format_module

EXAMPLES = int(os.environ.get("PACT_CODEGEN_EXAMPLES", "60"))

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _load(module: Any) -> Any:
    text = format_module(module, "")
    try:
        return loads(text, "random.pact"), text
    except PactError as exc:  # pragma: no cover - a generator bug: show why
        problems = "\n".join(str(d.message) for d in exc.diagnostics if d.is_error)
        raise AssertionError(f"generated contract does not check:\n{problems}\n{text}") from exc


@SETTINGS
@given(st.data())
def test_random_contracts_evaluate_alike(data: st.DataObject) -> None:
    module, measures = data.draw(contracts(), label="contract")
    contract, text = _load(module)
    program = ContractProgram(contract.checked)
    for _ in range(2):
        rows = data.draw(datasets(measures, contract.checked.currency), label="rows")
        key = data.draw(st.sampled_from([None, "k1"]), label="key")
        strict = data.draw(st.booleans(), label="strict")
        interpreted, generated = both(contract.checked, rows, key=key, strict=strict, program=program)
        assert interpreted == generated, text


# ------------------------------------------------ every window, lag and cadence

FUNCS = ("sum", "avg", "min", "max")
SPANS = ("1 month", "2 months", "3 months", "9 months", "1 quarter", "1 year", "to date", "year to date")
LAGS = ("", ", 1 month", ", 2 months", ", 1 quarter", ", 9 months", ", 1 year")


def matrix_head(title: str) -> list[str]:
    """The opening lines of a matrix contract: two parties, measures x, y and f."""
    return [
        f'contract "{title}" {{',
        "  currency EUR",
        "  effective 2026-02-01 until 2028-12-31",
        '  party a "A"',
        '  party b "B"',
        '  measure x "X": number',
        '  measure y "Y": money',
        '  measure f "F": bool',
    ]


def _matrix_contract() -> str:
    lines = matrix_head("Matrix")
    k = 0
    for fn in FUNCS:
        for span in SPANS:
            lines.append(f'  kpi w{k} "W": number = {fn}(x, {span})')
            lines.append(f'  kpi v{k} "V": money = {fn}(y * 2 - 1 EUR, {span})')
            k += 1
    for j, lag in enumerate(LAGS):
        lines.append(f'  kpi p{j} "P": number = previous(x{lag})')
        lines.append(f"  let q{j} = previous(f or x > 2{lag})")
    for cadence, unit in (("monthly", "months"), ("quarterly", "quarters"), ("yearly", "years")):
        for n in (2, 3, 10):
            lines += [
                f"  threshold t_{cadence}_{n} {{",
                f"    checked {cadence}",
                f"    when x > 1 and f for {n} {unit}: breach",
                "      => pay sum(y, 2 months) from a to b",
                "      => once action \"Once\"",
                "    when x > 2: watch",
                "      => pay y from b to a",
                "    otherwise: ok",
                "  }",
            ]
    lines += [
        '  kpi owed "Owed": money = paid(a, b, to date) - paid(b, a)',
        "}",
    ]
    return "\n".join(lines) + "\n"


MATRIX = _matrix_contract()


@st.composite
def matrix_rows(draw: st.DrawFn) -> dict[Any, dict[str, Any]]:
    from decimal import Decimal

    from pactlang.base.values import Period

    n = draw(st.integers(0, 40))
    start = Period(2025, 11).index + draw(st.integers(0, 14))
    rows: dict[Any, dict[str, Any]] = {}
    for k in range(n):
        if 0 < k < n - 1 and draw(st.integers(0, 20)) == 0:
            continue
        rows[Period.from_index(start + k)] = {
            "x": None if draw(st.integers(0, 25)) == 0 else Decimal(draw(st.integers(-30, 60))) / 10,
            "y": None if draw(st.integers(0, 25)) == 0 else Decimal(draw(st.integers(0, 99_999))) / 100,
            "f": None if draw(st.integers(0, 25)) == 0 else draw(st.booleans()),
        }
    return rows


_MATRIX_CONTRACT: list[Any] = []


@settings(max_examples=max(20, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrix_rows())
def test_every_window_lag_and_cadence(rows: dict[Any, dict[str, Any]]) -> None:
    if not _MATRIX_CONTRACT:
        contract = loads(MATRIX, "matrix.pact")
        _MATRIX_CONTRACT.append((contract, ContractProgram(contract.checked)))
    contract, program = _MATRIX_CONTRACT[0]
    interpreted, generated = both(contract.checked, rows, program=program)
    assert interpreted == generated
