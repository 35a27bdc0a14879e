"""The SQL engines give the data loader's warnings and errors as the
interpreter does: a percent column whose values all lie between 1 and 100 (in
every key's JSON, then on stderr), before the months outside the term; a value
of a quarterly measure outside its report months (the loader's error, with
file, row and column). Found by the differential suite when the column loader
gained them: DuckDB reproduces the warning, Spark hands such files to the
interpreter."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from engines_helpers import engine_lines

from pactlang.api import load
from pactlang.cli import main


@pytest.fixture(params=["duckdb", "spark"])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "duckdb":
        pytest.importorskip("duckdb")
    else:
        request.getfixturevalue("spark")
    return str(request.param)


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java: Spark cannot start")
    from pactlang.sql.spark import session

    return session("local[2]")

CONTRACT = """contract "P" {
  effective 2025-01-01
  currency EUR
  party a "A"
  measure m1 "M1": number
  measure m4 "M4": percent
  measure m5 "M5": percent
  measure m6 "M6": percent
  kpi k: number = m1 * 2
}
"""
# m4: every value in 1 .. 100 (warned at its first value, row 3); m5: fractions
# (no warning); m6: in 1 .. 100 from row 2 (warned first: the file's order)
DATA = "key,period,m1,m4,m5,m6\nx,2024-12,1,,0.5,7\nx,2025-01,2,5,0.5,\ny,2025-01,3,50,,8\ny,2025-02,4,,0.2,\n"


INSIDE = "key,period,m1,m4,m5,m6\nx,2025-01,2,5,0.5,\ny,2025-01,3,50,,8\ny,2025-02,4,,0.2,\n"


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("json", DATA, ["m6", "m4", "period"]),
        ("jsonl", DATA, ["m6", "m4", "period"]),
        ("json", INSIDE, ["m4", "m6"]),  # every month in the term: the file is plain
    ],
)
def test_percent_and_term_warnings_as_the_interpreter(
    tmp_path: Path, fmt: str, text: str, expected: list[str], engine: str
) -> None:
    pact, data = tmp_path / "c.pact", tmp_path / "d.csv"
    pact.write_text(CONTRACT, encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    ref = engine_lines(load(pact), data, "interpreter")
    assert ref == engine_lines(load(pact), data, engine)
    assert ref[0] == "ok" and all("'m6' is a percent" in ln and "'m4' is a percent" in ln for ln in ref[1])
    runs = [
        CliRunner().invoke(
            main, ["eval", str(pact), "--data", str(data), "--by", "key", "--format", fmt, "--engine", e],
            env={"NO_COLOR": "1"},
        )
        for e in ("interpreter", engine)
    ]
    assert runs[0].exit_code == runs[1].exit_code == 0
    assert runs[0].stdout == runs[1].stdout
    warnings = [[line for line in r.stderr.splitlines() if line.startswith("warning:")] for r in runs]
    assert warnings[0] == warnings[1]
    warned = [line.split(": ")[1].rsplit(":", 1)[1] for line in warnings[1]]
    assert warned == expected, runs[1].stderr


QUARTERLY = """contract "Q" {
  effective 2025-01-01
  currency EUR
  party a "A"
  measure m1 "M1": number
  measure q "Q": number quarterly
  kpi k: number = m1 * 2
}
"""


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ("x,2025-01,1,3\nx,2025-02,2,\nx,2025-03,3,4\n", 2),  # 2025-01 is not a report month
        ("x,2025-01,1,\nx,2025-02,2,\nx,2025-03,3,4\n", 0),
    ],
)
def test_quarterly_values_outside_report_months_as_the_interpreter(
    tmp_path: Path, rows: str, code: int, engine: str
) -> None:
    pact, data = tmp_path / "q.pact", tmp_path / "q.csv"
    pact.write_text(QUARTERLY, encoding="utf-8")
    data.write_text("key,period,m1,q\n" + rows, encoding="utf-8")
    runs = [
        CliRunner().invoke(
            main, ["eval", str(pact), "--data", str(data), "--by", "key", "--format", "json", "--engine", e],
            env={"NO_COLOR": "1"},
        )
        for e in ("interpreter", engine)
    ]
    assert runs[0].exit_code == runs[1].exit_code == code
    assert runs[0].stdout == runs[1].stdout
    errors = [[line for line in r.stderr.splitlines() if line.startswith("error:")] for r in runs]
    assert errors[0] == errors[1] and (errors[0] != []) == (code == 2)
