"""``pact compile CONTRACT -o module.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import pactlang
from pactlang.cli import main
from pactlang.codegen import compile_module_source

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"
DATA = ROOT / "examples" / "data" / "alliance.csv"


def test_writes_the_module(tmp_path: Path) -> None:
    out = tmp_path / "alliance_module.py"
    result = CliRunner().invoke(main, ["compile", str(ALLIANCE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == compile_module_source(pactlang.load(ALLIANCE))
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
    # the written module runs on its own and prints pact eval's JSON
    run = subprocess.run([sys.executable, str(out), str(DATA)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    reference = CliRunner().invoke(main, ["eval", str(ALLIANCE), "--data", str(DATA), "--format", "json"])
    assert run.stdout == reference.output


def test_standard_output_without_o() -> None:
    result = CliRunner().invoke(main, ["compile", str(ALLIANCE)])
    assert result.exit_code == 0
    assert result.output == compile_module_source(pactlang.load(ALLIANCE))


def test_a_contract_with_errors_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pact"
    bad.write_text('contract "Bad" {\n  currency EUR\n  kpi k "K": number = nothing\n}\n', encoding="utf-8")
    out = tmp_path / "bad_module.py"
    result = CliRunner().invoke(main, ["compile", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert "nothing" in result.output
    assert not out.exists()


def test_missing_contract_and_unwritable_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compile", str(tmp_path / "none.pact"), "-o", str(tmp_path / "m.py")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    result = CliRunner().invoke(main, ["compile", str(ALLIANCE), "-o", str(tmp_path / "no" / "dir" / "m.py")])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert "Traceback" not in result.output


def test_module_main_reports_bad_data(tmp_path: Path) -> None:
    out = tmp_path / "alliance_module.py"
    out.write_text(compile_module_source(pactlang.load(ALLIANCE)), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("period,revenue,oops\n2026-01,12,3\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(out), str(bad)], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and "oops" in run.stderr
    assert run.stdout == ""


def test_module_main_on_a_portfolio_prints_pact_evals_bytes(tmp_path: Path) -> None:
    """A compiled module's ``main`` reads a portfolio with pact eval's column
    loader and writes pact eval's JSON (one result per line), warnings alike;
    ``--strict`` lists the same missing values."""
    out = tmp_path / "alliance_module.py"
    out.write_text(compile_module_source(pactlang.load(ALLIANCE)), encoding="utf-8")
    portfolio = ROOT / "examples" / "data" / "alliance_portfolio.csv"
    for extra in ([], ["--strict"]):
        run = subprocess.run(
            [sys.executable, str(out), str(portfolio), "--by", "partner", *extra],
            capture_output=True, text=True, check=False,
        )
        reference = CliRunner().invoke(
            main, ["eval", str(ALLIANCE), "--data", str(portfolio), "--by", "partner", "--format", "json", *extra],
        )
        assert run.returncode == reference.exit_code, run.stderr
        assert run.stdout == reference.stdout
        assert [ln for ln in run.stderr.splitlines() if ln.startswith(("warning:", "error:"))] == [
            ln for ln in reference.stderr.splitlines() if ln.startswith(("warning:", "error:"))
        ]
