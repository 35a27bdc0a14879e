"""``pact eval --engine …``, the streamed formats and ``-o``, ``pact compile --target sql``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pactlang.cli import main

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = str(ROOT / "examples" / "contracts" / "alliance.pact")
PORTFOLIO = str(ROOT / "examples" / "data" / "alliance_portfolio.csv")

P1 = """contract "P1" {
  effective 2022-01-01
  currency EUR
  party a "A"
  party b "B"
  measure leads_total "Leads": count
  measure leads_won "Won": count
  measure revenue "Revenue": money
  kpi conversion "Conversion": percent = leads_won / leads_total
  kpi revenue_3m "Revenue, 3 months": money = sum(revenue, 3 months)
  threshold health "Health" {
    when conversion < 5% for 3 months: breach
    when conversion < 10%: watch
    otherwise: ok
  }
}
"""
DATA = (
    "contract,period,leads_total,leads_won,revenue\n"
    "C1,2021-12,10,1,5.00\n"
    "C1,2022-01,100,4,1000.50\n"
    "C1,2022-02,100,3,2000.25\n"
    "C1,2022-04,0,0,10.00\n"
    "C1,2022-05,7,2,0.00\n"
    "C2,2022-01,3,1,1.10\n"
    "C2,2022-02,600,29,99999.99\n"
    "C2,2022-03,600,30,\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})


@pytest.fixture()
def p1(tmp_path: Path) -> tuple[str, str]:
    c = tmp_path / "p1.pact"
    c.write_text(P1, encoding="utf-8")
    d = tmp_path / "p1.csv"
    d.write_text(DATA, encoding="utf-8")
    return str(c), str(d)


def test_duckdb_json_is_the_interpreters(p1: tuple[str, str]) -> None:
    pytest.importorskip("duckdb")
    c, d = p1
    ref = run("eval", c, "--data", d, "--by", "contract", "--format", "json")
    got = run("eval", c, "--data", d, "--by", "contract", "--format", "json", "--engine", "duckdb")
    assert ref.exit_code == 0 and got.exit_code == 0, got.stderr
    assert got.stdout == ref.stdout
    # the month outside the term: the loader's warning, from both engines
    warning = f"{d}:2:period: 1 month(s) for contract 'C1' outside the contract term (from 2022-01) ignored: 2021-12"
    assert warning in ref.stderr and warning in got.stderr
    doc = json.loads(got.stdout)
    assert doc["results"][0]["kpis"]["conversion"]["2022-01"] == "0.04"
    assert doc["results"][0]["kpis"]["conversion"]["2022-04"] is None  # 0 / 0 is missing
    assert doc["results"][0]["kpis"]["conversion"]["2022-05"] == "0.2857142857142857142857142857"


def test_jsonl_and_o_write_a_file(p1: tuple[str, str], tmp_path: Path) -> None:
    c, d = p1
    out = tmp_path / "r.jsonl"
    res = run("eval", c, "--data", d, "--by", "contract", "--format", "jsonl", "-o", str(out))
    assert res.exit_code == 0 and res.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["key"] for x in lines] == ["C1", "C2"]


def test_a_failed_evaluation_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    res = run("eval", ALLIANCE, "--data", str(tmp_path / "missing.csv"), "--format", "jsonl", "-o", str(out))
    assert res.exit_code == 2 and not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_output_that_is_the_data_is_refused(p1: tuple[str, str]) -> None:
    c, d = p1
    before = Path(d).read_bytes()
    res = run("eval", c, "--data", d, "--format", "csv", "-o", d)
    assert res.exit_code == 2 and "overwrite an input" in res.stderr
    assert Path(d).read_bytes() == before


def test_csv_values_table(p1: tuple[str, str]) -> None:
    c, d = p1
    res = run("eval", c, "--data", d, "--by", "contract", "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["contract", "period", "leads_total", "leads_won", "revenue", "conversion", "revenue_3m", "health"]
    assert rows[1] == ["C1", "2022-01", "100", "4", "1000.50", "0.04", "", "watch"]
    assert rows[3] == ["C1", "2022-03", "", "", "", "", "", "no-data"]  # a gap month


def test_binary_formats_need_a_file(p1: tuple[str, str]) -> None:
    c, d = p1
    res = run("eval", c, "--data", d, "--format", "parquet")
    assert res.exit_code == 2 and "-o FILE" in res.stderr


@pytest.mark.parametrize("engine", ["duckdb", "interpreter"])
def test_engine_notes_name_what_the_kernel_computes(engine: str) -> None:
    pytest.importorskip("duckdb")
    res = run("eval", ALLIANCE, "--data", PORTFOLIO, "--by", "partner", "--format", "jsonl", "--engine", engine)
    assert res.exit_code == 0
    ref = run("eval", ALLIANCE, "--data", PORTFOLIO, "--by", "partner", "--format", "jsonl")
    assert res.stdout == ref.stdout
    if engine == "duckdb":  # what SQL leaves to the kernel is named, with its line
        lines = Path(ALLIANCE).read_text(encoding="utf-8").splitlines()

        def line_of(start: str) -> int:
            return next(i for i, t in enumerate(lines, 1) if t.strip().startswith(start))

        assert f"`csat_avg` (line {line_of('kpi csat_avg')}: an average is a division" in res.stderr
        assert f"`fund` (line {line_of('waterfall fund')}: a waterfall is settled tier by tier" in res.stderr
    else:
        assert res.stderr == ""


def test_duckdb_names_kernel_constructs_with_their_lines(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    c = tmp_path / "c.pact"
    c.write_text(P1.replace("otherwise: ok", "otherwise: ok\n    when conversion < 1%: breach\n      => once pay 10 EUR from a to b").replace(
        "    otherwise: ok\n    when", "    when"), encoding="utf-8")
    d = tmp_path / "d.csv"
    d.write_text(DATA.replace("C1,2021-12,10,1,5.00\n", ""), encoding="utf-8")
    res = run("eval", str(c), "--data", str(d), "--by", "contract", "--format", "jsonl", "--engine", "duckdb")
    assert res.exit_code == 0, res.stderr
    assert "`health` (line 11: fires actions" in res.stderr
    ref = run("eval", str(c), "--data", str(d), "--by", "contract", "--format", "jsonl")
    assert res.stdout == ref.stdout


def test_compile_sql_runs_in_duckdb_and_gives_the_values_table(p1: tuple[str, str], tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    c, d = p1
    script = tmp_path / "p1.sql"
    res = run("compile", c, "--target", "sql", "--dialect", "duckdb", "-o", str(script))
    assert res.exit_code == 0 and res.stderr.strip() == f"wrote {script}"
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE pact_data AS SELECT contract AS key, period, leads_total, leads_won, revenue"
        f" FROM read_csv('{d}', all_varchar = true) WHERE period >= '2022-01'"
    )
    result = None
    for statement in script.read_text(encoding="utf-8").split(";\n"):
        body = "\n".join(x for x in statement.splitlines() if not x.startswith("--")).strip()
        if body:
            result = con.execute(body)
    assert result is not None
    got = [["" if v is None else v for v in row] for row in result.fetchall()]
    table = run("eval", c, "--data", d, "--by", "contract", "--format", "csv")
    want = list(csv.reader(io.StringIO(table.stdout)))[1:]
    assert got == want


def test_compile_sql_refuses_other_scales(p1: tuple[str, str], tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    c, _ = p1
    script = run("compile", c, "--target", "sql").stdout
    con = duckdb.connect()
    con.execute("CREATE TABLE pact_data AS SELECT 'k' AS key, '2022-01' AS period, '1' AS leads_total, '1' AS leads_won, '0.125' AS revenue")
    with pytest.raises(duckdb.Error, match="another number of decimals"):
        for statement in script.split(";\n"):
            body = "\n".join(x for x in statement.splitlines() if not x.startswith("--")).strip()
            if body:
                con.execute(body).fetchall()


@pytest.mark.parametrize("dialect", ["spark", "postgres"])
def test_compile_sql_other_dialects_name_what_is_left_out(p1: tuple[str, str], dialect: str) -> None:
    pytest.importorskip("sqlglot")
    c, _ = p1
    res = run("compile", c, "--target", "sql", "--dialect", dialect)
    assert res.exit_code == 0
    assert "not in the SQL script: conversion (line 9: division" in res.stderr
    assert "SELECT" in res.stdout and "revenue_3m" in res.stdout
    if dialect == "spark":
        assert "`revenue`" in res.stdout  # Spark's quoting, from the one builder


def test_explain_needs_the_interpreter(p1: tuple[str, str]) -> None:
    c, d = p1
    res = run("eval", c, "--data", d, "--explain", "--engine", "duckdb")
    assert res.exit_code == 2 and "--explain and --journal need --engine interpreter" in res.stderr


def test_a_cell_too_wide_for_sql_decimals_is_not_read_as_missing(tmp_path: Path) -> None:
    # found by the differential suite: 30 integer digits and 9 decimals do not fit
    # DECIMAL(38, 9); the cast gave NULL, the check NULL, and the cell was missing
    pytest.importorskip("duckdb")
    c = tmp_path / "c.pact"
    c.write_text('contract "C" {\n  currency EUR\n  measure m "M": number\n}\n', encoding="utf-8")
    d = tmp_path / "d.csv"
    d.write_text("key,period,m\nk0,2026-01,1.5\nk0,2026-02,123456789012345678901234567890.120000000\n", encoding="utf-8")
    ref = run("eval", str(c), "--data", str(d), "--by", "key", "--format", "jsonl")
    got = run("eval", str(c), "--data", str(d), "--by", "key", "--format", "jsonl", "--engine", "duckdb")
    assert ref.exit_code == got.exit_code == 0
    assert '"123456789012345678901234567890.120000000"' in ref.stdout
    assert got.stdout == ref.stdout
