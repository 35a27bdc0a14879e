"""Arithmetic out of range is an evaluation error naming the expression, its
line and the month — in ``pact eval``, ``pact test`` and compiled modules
alike — never a traceback (a ``decimal.Overflow``, an ``InvalidOperation`` from
rounding a huge number, a date past the year 9999)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.api import loads
from pactlang.cli import main
from pactlang.codegen import compile_module_source

POWERS = """\
contract "Overflow" {
  effective 2026-01-01
  currency EUR
  measure x "X": number
  let b1 = x * x * x * x * x * x * x * x * x * x
  let b2 = b1 * b1 * b1 * b1 * b1 * b1 * b1 * b1 * b1 * b1
  let b3 = b2 * b2 * b2 * b2 * b2 * b2 * b2 * b2 * b2 * b2
  let b4 = b3 * b3 * b3 * b3 * b3 * b3 * b3 * b3 * b3 * b3
  kpi huge "Huge": number = b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4
}
"""
DATA = "period,x\n2026-01,1\n2026-02,9999999999999999999999999999.9\n"
HUGE = (
    "big.pact:9:29: `b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4` at 2026-02: "
    "the result is out of the range of exact decimals"
)


def _files(tmp_path: Path, contract: str) -> tuple[Path, Path]:
    pact = tmp_path / "big.pact"
    pact.write_text(contract, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text(DATA, encoding="utf-8")
    return pact, data


def _eval(tmp_path: Path, pact: Path, data: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["eval", pact.name, "--data", data.name])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4", HUGE),
        (
            "round(x * x * x * x, 2)",
            "big.pact:9:29: `round(x * x * x * x, 2)` at 2026-02: the result is out of the range",
        ),
        (
            "x * 0 + (if 2026-01-01 + 99999 years > 2026-01-01 then 1 else 0)",
            # a long expression is cut after 57 characters
            "big.pact:9:29: `x * 0 + (if 2026-01-01 + 99999 years > 2026-01-01 then 1 …` "
            "at 2026-01: the date is out of range (years 1 to 9999)",
        ),
        (
            "x * 0 + (if 2026-01-01 + 99999999 days > 2026-01-01 then 1 else 0)",
            "at 2026-01: the date is out of range (years 1 to 9999)",
        ),
    ],
)
def test_eval_names_the_expression_and_the_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expression: str, message: str
) -> None:
    contract = POWERS.replace("b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4 * b4", expression)
    pact, data = _files(tmp_path, contract)
    monkeypatch.chdir(tmp_path)
    code, output = _eval(tmp_path, pact, data)
    assert code == 2
    assert "Traceback" not in output
    assert f"error: {message}" in output or message in output, output


def test_the_compiled_module_reports_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pact, data = _files(tmp_path, POWERS)
    monkeypatch.chdir(tmp_path)
    module = tmp_path / "m.py"
    module.write_text(compile_module_source(loads(POWERS, "big.pact")), encoding="utf-8")
    run = subprocess.run([sys.executable, str(module), data.name], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert run.stderr.startswith(f"error: {HUGE}"), run.stderr
    assert "Traceback" not in run.stderr


def test_a_failing_expectation_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contract = POWERS + 'test "huge" {\n  data "d.csv"\n  expect huge at 2026-02 == 1\n}\n'
    pact, _ = _files(tmp_path, contract)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["test", pact.name])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "out of the range of exact decimals" in result.output


def test_a_constant_out_of_range_names_no_month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contract = POWERS.replace("  kpi huge", "  let far = 2026-01-01 + 99999 years\n  kpi huge")
    pact, data = _files(tmp_path, contract)
    monkeypatch.chdir(tmp_path)
    code, output = _eval(tmp_path, pact, data)
    assert code == 2
    assert "big.pact:9:13: `2026-01-01 + 99999 years`: the date is out of range (years 1 to 9999)" in output
