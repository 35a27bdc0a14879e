"""Differential tests: interpreter, compiled module, DuckDB and Spark give the same JSON.

The interpreter's and the compiled module's ``run_all`` (a portfolio as one
run, kernel/stack.py) are compared too.  Every example, the data of every ``test`` block of the examples, P1 on the
peer benchmark's data, and generated contracts (hypothesis) on generated
data written as plain CSV (so SQL computes what it can): the JSON lines of
``pact eval --format jsonl`` must be the same bytes on every engine, or every
engine must fail alike.  ``PACT_SQL_EXAMPLES`` sets the number of generated
contracts (default 40); Spark runs on a few, in one ``local[2]`` session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from engines_helpers import (
    ROOT,
    SHARED,
    compiled_lines,
    engine_lines,
    p1_contract,
    plain_csv,
    stacked_lines,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sql_gen import MEASURES, sql_contracts, sql_data

from pactlang.api import PactError, load, loads

pytest.importorskip("duckdb")

EXAMPLES = int(os.environ.get("PACT_SQL_EXAMPLES", "40"))
EX = ROOT / "examples"
CASES = [
    ("alliance.pact", "alliance.csv", None),
    ("alliance.pact", "alliance_portfolio.csv", "partner"),
    ("coinvest_fund.pact", "coinvest_fund.json", None),
    ("reseller_sla.pact", "reseller_sla.csv", None),
]


def _same(contract: Any, data: Path, by: str | None, engines: tuple[str, ...] = ("duckdb",)) -> list[str]:
    ref = engine_lines(contract, data, "interpreter", by)
    assert compiled_lines(contract, data, by) == ref
    for python in ("interpreter", "compiled module"):  # the portfolio as one run
        assert stacked_lines(contract, data, by, python) == ref, python
    for engine in engines:
        assert engine_lines(contract, data, engine, by) == ref, engine
    return ref[1]


@pytest.mark.parametrize(("contract", "data", "by"), CASES)
def test_examples(contract: str, data: str, by: str | None, tmp_path: Path) -> None:
    c = load(EX / "contracts" / contract)
    copy = tmp_path / data
    shutil.copy(EX / "data" / data, copy)
    _same(c, copy, by)


def test_examples_as_plain_data(tmp_path: Path) -> None:
    """The examples' data rewritten at one scale per column: DuckDB computes in SQL."""
    for contract, data, by in CASES:
        c = load(EX / "contracts" / contract)
        loaded = c.read_data(EX / "data" / data, by=by)
        measures = {n: m.type.value for n, m in c.program.ir.measures.items()}
        portfolio = {str(k or "k"): rows for k, rows in loaded.datasets.items()}
        path = plain_csv(tmp_path / f"{contract}.{data}.csv", portfolio, measures)
        _same(c, path, "key")


def test_test_block_data(tmp_path: Path) -> None:
    """The data of every `test` block of the examples' test files, on every engine."""
    from pactlang.api import check_file
    from pactlang.testing import _test_data

    found = 0
    for test_file in sorted((EX / "contracts").glob("*.test.pact")):
        res = check_file(test_file)
        assert res.contract is not None
        target = load(test_file.parent / res.module.tests_for.path.value)  # type: ignore[union-attr]
        measures = {n: m.type.value for n, m in target.program.ir.measures.items()}
        for block in res.module.tests:
            rows = _test_data(block, target, test_file.parent)
            if not rows:
                continue
            found += 1
            path = plain_csv(tmp_path / f"t{found}.csv", {"k": rows}, measures)
            _same(target, path, "key")
    assert found


def test_p1_on_the_peer_data(tmp_path: Path) -> None:
    gen = SHARED / "bench" / "peers" / "gen_data.py"
    p1 = SHARED / "bench" / "p1.pact"
    if not gen.exists() or not p1.exists():
        pytest.skip("no ../shared/bench")
    data = tmp_path / "p1.csv"
    subprocess.run(["python3", str(gen), "-n", "60", "-o", str(data)], check=True, capture_output=True)
    lines = _same(load(p1), data, "contract")
    assert len(lines) == 60


def _contracts() -> Any:
    from contract_gen import contracts

    return contracts()


def _datasets(measures: Any, currency: str) -> Any:
    from contract_gen import datasets

    return datasets(measures, currency)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_generated_contracts(tmp_path_factory: Any, data: st.DataObject) -> None:
    from pactlang.syntax.format import format_module

    module, measures = data.draw(_contracts(), label="contract")
    text = format_module(module, "")
    try:
        c = loads(text, "random.pact")
    except PactError as exc:  # pragma: no cover - a generator bug
        raise AssertionError(text) from exc
    portfolio = {f"k{i}": data.draw(_datasets(measures, c.checked.currency), label=f"rows{i}") for i in range(3)}
    portfolio = {k: v for k, v in portfolio.items() if v}
    if not portfolio:
        return
    path = plain_csv(tmp_path_factory.mktemp("gen") / "d.csv", portfolio, measures)
    strict = data.draw(st.booleans(), label="strict")
    ref = engine_lines(c, path, "interpreter", strict=strict)
    got = engine_lines(c, path, "duckdb", strict=strict)
    assert got == ref, text + "\n" + _first_difference(got, ref)
    if not strict:
        assert compiled_lines(c, path) == ref, text


def _first_difference(got: Any, ref: Any) -> str:
    if got[0] != ref[0] or len(got[1]) != len(ref[1]):
        return f"{got[0]} {len(got[1])} line(s) vs {ref[0]} {len(ref[1])} line(s): {got[1][:1]} / {ref[1][:1]}"
    for a, b in zip(got[1], ref[1], strict=True):
        if a != b:
            i = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y) if a[: len(b)] != b else len(b)
            return f"engine: …{a[max(0, i - 120) : i + 120]}\ninterpreter: …{b[max(0, i - 120) : i + 120]}"
    return ""


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(sql_contracts(), sql_data())
def test_generated_sql_contracts(tmp_path_factory: Any, text: str, portfolio: Any) -> None:
    """Contracts made of what SQL computes: DuckDB's own JSON (or its columns) against the interpreter."""
    try:
        c = loads(text, "sql.pact")
    except PactError:
        return  # e.g. a comparison of a count with a number the checker refuses
    path = plain_csv(tmp_path_factory.mktemp("sqlgen") / "d.csv", portfolio, MEASURES)
    ref = engine_lines(c, path, "interpreter")
    got = engine_lines(c, path, "duckdb")
    assert got == ref, text + "\n" + _first_difference(got, ref)


# ------------------------------------------------------------------ Spark


def _java() -> bool:
    return shutil.which("java") is not None


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark")
    if not _java():
        pytest.skip("no Java: Spark cannot start")
    from pactlang.sql.spark import session

    return session("local[2]")


def test_spark_examples_and_p1(spark: Any, tmp_path: Path) -> None:
    c = load(EX / "contracts" / "alliance.pact")
    loaded = c.read_data(EX / "data" / "alliance_portfolio.csv", by="partner")
    measures = {n: m.type.value for n, m in c.program.ir.measures.items()}
    path = plain_csv(tmp_path / "alliance.csv", {str(k): r for k, r in loaded.datasets.items()}, measures)
    _same(c, path, "key", engines=("duckdb", "spark"))
    p1 = SHARED / "bench" / "p1.pact"
    gen = SHARED / "bench" / "peers" / "gen_data.py"
    if p1.exists() and gen.exists():
        data = tmp_path / "p1.csv"
        subprocess.run(["python3", str(gen), "-n", "25", "-o", str(data)], check=True, capture_output=True)
        _same(load(p1), data, "contract", engines=("duckdb", "spark"))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_spark_generated_contracts(spark: Any, tmp_path_factory: Any, data: st.DataObject) -> None:
    from pactlang.syntax.format import format_module

    module, measures = data.draw(_contracts(), label="contract")
    c = loads(format_module(module, ""), "random.pact")
    portfolio = {f"k{i}": data.draw(_datasets(measures, c.checked.currency), label=f"rows{i}") for i in range(2)}
    portfolio = {k: v for k, v in portfolio.items() if v}
    if not portfolio:
        return
    path = plain_csv(tmp_path_factory.mktemp("spark") / "d.csv", portfolio, measures)
    assert engine_lines(c, path, "spark") == engine_lines(c, path, "interpreter")


def test_spark_fail_on_finds_the_interpreters_checks(spark: Any, tmp_path: Path) -> None:
    """``--fail-on`` on Spark: each key's checks of that status come back with its
    line (they were not looked at: the exit code was 0), as the interpreter lists them."""
    from pactlang.api import evaluate_to

    rows = ["contract,period,leads_total,leads_won,revenue,csat"]
    for key in ("A", "B"):
        for m in range(1, 13):
            won = 1 if m in (3, 4, 5, 6, 9) else 20
            rows.append(f"{key},2022-{m:02d},{0 if m == 11 else 100},{won},5.00,1.0")
    data = tmp_path / "p1.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    contract = p1_contract()
    for status in ("breach", "watch", "no-data"):
        found = {
            engine: evaluate_to(contract, data, by="contract", fmt="jsonl", output=str(tmp_path / f"{engine}.jsonl"), engine=engine, fail_on=status).hits
            for engine in ("interpreter", "spark")
        }
        assert found["spark"] == found["interpreter"]
        assert {k for k, _n, _p in found["interpreter"]} == {"A", "B"}
