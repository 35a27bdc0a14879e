"""The DuckDB engine's alternative paths give the interpreter's bytes too.

* a division's pair table filled by the SQL macros (past ``KERNEL_PAIRS``
  distinct pairs) instead of by the kernel;
* the JSON lines joined by Arrow in tiny batches (a key going on in the
  next batch), and built by DuckDB alone (``json_lines_sql``, the path
  without pyarrow).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from engines_helpers import SHARED, engine_lines, p1_contract, plain_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlang.api import load

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

EX = Path(__file__).resolve().parents[2] / "examples"


def _cases(tmp_path: Path) -> list[tuple[Any, Path, str]]:
    out = []
    for contract, data, by in [("alliance.pact", "alliance_portfolio.csv", "partner"), ("reseller_sla.pact", "reseller_sla.csv", None)]:
        c = load(EX / "contracts" / contract)
        loaded = c.read_data(EX / "data" / data, by=by)
        measures = {n: m.type.value for n, m in c.program.ir.measures.items()}
        portfolio = {str(k or "k"): rows for k, rows in loaded.datasets.items()}
        out.append((c, plain_csv(tmp_path / f"{contract}.csv", portfolio, measures), "key"))
    gen, p1 = SHARED / "bench" / "peers" / "gen_data.py", SHARED / "bench" / "p1.pact"
    if gen.exists() and p1.exists():
        data = tmp_path / "p1.csv"
        subprocess.run(["python3", str(gen), "-n", "25", "-o", str(data)], check=True, capture_output=True)
        out.append((load(p1), data, "contract"))
    return out


@pytest.mark.parametrize("bound", [0, 10])
def test_pairs_divided_by_the_macros(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bound: int) -> None:
    import pactlang.sql.duck as duck

    for contract, data, by in _cases(tmp_path):
        ref = engine_lines(contract, data, "interpreter", by)
        monkeypatch.setattr(duck, "KERNEL_PAIRS", bound)
        got = engine_lines(contract, data, "duckdb", by)
        monkeypatch.undo()
        assert got == ref


def test_lines_in_tiny_batches_and_in_sql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pactlang.sql.duck as duck
    import pactlang.sql.lines as lines

    for contract, data, by in _cases(tmp_path):
        ref = engine_lines(contract, data, "interpreter", by)
        monkeypatch.setattr(lines, "ARROW_BATCH", 7)
        assert engine_lines(contract, data, "duckdb", by) == ref
        monkeypatch.undo()
        run = duck.DuckRun(contract.program, data, by)
        if not run.plan.complete:
            continue
        arrow = list(run.json_lines())
        sql = list(lines._fetched(run.con.execute(f"SELECT k, line FROM ({lines.json_lines_sql(run)}) ORDER BY first")))
        assert arrow == sql
        assert len(arrow) > 1


@pytest.mark.parametrize("month", ["2022-02", "2021-06"])  # inside the term, before it
def test_a_month_given_twice_is_not_plain(tmp_path: Path, month: str) -> None:
    """Found when the timeline is built (inside the term) or by the check (outside):
    the column loader then reports it, as for the interpreter."""
    import pactlang.sql.duck as duck

    rows = ["contract,period,leads_total,leads_won,revenue,csat"]
    rows += [f"A,2022-0{m},10,1,5.00,1.0" for m in range(1, 5)]
    rows += [f"A,{month},12,1,5.00,1.0"] * 2 + ["B,2022-01,10,2,1.00,2.0"]
    data = tmp_path / "twice.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    c = p1_contract()
    with pytest.raises(duck.NotPlain, match="given twice"):
        duck.DuckRun(c.program, data, "contract")
    assert engine_lines(c, data, "duckdb", "contract") == engine_lines(c, data, "interpreter", "contract")


def test_p1_windows_in_one_stage_and_quotients_joined_after_them(tmp_path: Path) -> None:
    """`for 3 months`' lags beside `sum(revenue, 3 months)`: one SELECT sorts (the
    stages fused), and the quotient's struct and text are joined after the stages
    (not carried through the sort); the bytes are still the interpreter's."""
    from sqlglot import exp

    from pactlang.sql.duck import DuckRun
    from pactlang.sql.plan import query

    gen, p1 = SHARED / "bench" / "peers" / "gen_data.py", SHARED / "bench" / "p1.pact"
    if not (gen.exists() and p1.exists()):
        pytest.skip("the shared benchmark is not beside the repository")
    data = tmp_path / "p1.csv"
    subprocess.run(["python3", str(gen), "-n", "12", "-o", str(data)], check=True, capture_output=True)
    contract = load(p1)
    run = DuckRun(contract.program, data, "contract")
    sql = query(run.plan, keep=("k", "first", "m"))
    sorting = [s for s in sql.find_all(exp.Select) if any(e.find(exp.Window) for e in s.expressions)]
    assert len(sorting) == 1
    late = [e for e in sql.expressions if isinstance(e, exp.Alias) and isinstance(e.this, exp.Column) and e.this.name in ("pq", "pt")]
    assert len(late) == 2
    assert not any(c.name in ("pq", "pt") for c in sorting[0].find_all(exp.Column))
    # what DuckRun stores: each row's pair row number, the quotient's text looked up in Arrow
    stored = query(run.plan, keep=("k", "first", "m"), pair_ids=True)
    assert not any(c.name in ("pq", "pt") for c in stored.find_all(exp.Column))
    assert "pact_q1_id" in stored.named_selects
    assert engine_lines(contract, data, "duckdb", "contract") == engine_lines(contract, data, "interpreter", "contract")


def _mixed(tmp_path: Path, keys: str = "ABC") -> tuple[Any, Path]:
    """P1 over three keys, the middle one evaluated by the kernel (its 3-month
    revenue, past 26 digits, fails SQL's guard), each with breaches, watches
    and a month without leads (no-data)."""
    rows = ["contract,period,leads_total,leads_won,revenue,csat"]
    huge = {"A": "5.00", "B": "99999999999999999999999999.00", "C": "5.00"}
    for key, revenue in [(k, huge[k]) for k in keys]:
        for m in range(1, 13):
            won = 1 if m in (3, 4, 5, 6, 9) else 20
            total = 0 if m == 11 else 100
            rows.append(f"{key},2022-{m:02d},{total},{won},{revenue},1.0")
    data = tmp_path / "mixed.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p1_contract(), data


@pytest.mark.parametrize("keys", ["ABC", "BAC", "ACB"])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_framed_bytes_around_kernel_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, keys: str) -> None:
    """DuckDB's lines written as Arrow's bytes, framed, with a kernel key between
    two SQL keys and batches of any size: the interpreter's bytes."""
    from pactlang.api import evaluate_to
    from pactlang.sql.duck import DuckRun

    contract, data = _mixed(tmp_path, keys)
    assert [k for k, ok in DuckRun(contract.program, data, "contract").order() if not ok] == ["B"]
    ref = tmp_path / f"ref.{fmt}"
    evaluate_to(contract, data, by="contract", fmt=fmt, output=str(ref), engine="interpreter")
    import pactlang.sql.lines as lines

    for batch in (5, 12, 13, 100_000):
        monkeypatch.setattr(lines, "ARROW_BATCH", batch)
        got = tmp_path / f"got{batch}.{fmt}"
        evaluate_to(contract, data, by="contract", fmt=fmt, output=str(got), engine="duckdb")
        assert got.read_bytes() == ref.read_bytes(), batch


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "parquet"])
@pytest.mark.parametrize("status", ["breach", "watch", "no-data"])
def test_fail_on_finds_the_interpreters_checks(tmp_path: Path, fmt: str, status: str) -> None:
    """``--fail-on``: DuckDB's outputs written by SQL (lines, COPY) list the same
    checks, in the same order, as the interpreter (they were not looked at)."""
    from pactlang.api import evaluate_to

    contract, data = _mixed(tmp_path)
    found = {}
    for engine in ("interpreter", "duckdb"):
        out = evaluate_to(contract, data, by="contract", fmt=fmt, output=str(tmp_path / f"{engine}.{fmt}"), engine=engine, fail_on=status)
        found[engine] = out.hits
    assert found["duckdb"] == found["interpreter"]
    assert {k for k, _n, _p in found["interpreter"]} == {"A", "B", "C"}


def test_no_progress_bar_on_standard_output() -> None:
    """DuckDB draws a progress bar on standard output for long queries when it
    takes the process for an interactive one (``python -c``): never into pact's output."""
    from pactlang.sql.duck import connect

    assert connect().execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_timelines_of_keys_in_sequence_and_not(tmp_path: Path) -> None:
    """A key whose rows are consecutive lines a month apart is its own timeline; the
    others (a gap, lines interleaved with another key's, months in reverse, a month
    outside the term between two inside) get their months generated: both give the
    interpreter's bytes."""
    from pactlang.sql.duck import DuckRun


    def row(key: str, month: int, won: int = 3) -> str:
        return f"{key},2022-{month:02d},100,{won},{month}.50,1.0"

    rows = ["contract,period,leads_total,leads_won,revenue,csat"]
    rows += [row("A", m, 1 if m in (2, 3, 4) else 8) for m in range(1, 8)]
    rows += [row("B", m) for m in (1, 2, 4, 5)]  # a gap
    for m in range(1, 6):  # interleaved
        rows += [row("C", m), row("D", m, 1)]
    rows += [row("E", m, 1) for m in range(6, 0, -1)]  # months in reverse
    rows += [row("F", 1), "F,2021-12,100,1,1.00,1.0", row("F", 2), row("F", 3)]  # outside the term between
    data = tmp_path / "seq.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    contract = p1_contract()
    run = DuckRun(contract.program, data, "contract")
    seq = dict(run.con.execute("SELECT k, seq FROM keys").fetchall())
    assert seq == {"A": True, "B": False, "C": False, "D": False, "E": False, "F": False}
    assert engine_lines(contract, data, "duckdb", "contract") == engine_lines(contract, data, "interpreter", "contract")


def _canonical(cell: str, scale: int, count: bool) -> bool:
    """The plain number of a scale, read from the words of docs/engines.md: the
    exact text Python's Decimal gives the value, ``scale`` decimals, no negative
    zero, at most 31 integer digits (and what DECIMAL(38, scale) holds)."""
    from decimal import Decimal, InvalidOperation

    try:
        d = Decimal(cell)
    except InvalidOperation:
        return False
    if not d.is_finite() or d.as_tuple().exponent != -scale or format(d, "f") != cell:
        return False
    if d.is_zero() and d.is_signed() or count and cell.startswith("-"):
        return False
    return len(cell.lstrip("-").split(".")[0]) <= min(31, 38 - scale)


CELLS = [
    "0", "-0", "00", "1", "-1", "+1", " 1", "1 ", "01", "10", "1.", ".5", "0.5", "-0.5", "0.50", "-0.00", "0.00",
    "1e2", "1E+2", "NaN", "inf", "", "-", "1,5", "١", "9" * 31, "9" * 32, "-" + "9" * 31, "9" * 31 + ".00",
    "9" * 28 + ".0000000000", "9" * 29 + ".0000000000", "0.0000000000", "-0.0000000001",
]


def _plain(cells: list[str], scale: int, count: bool) -> list[bool]:
    import duckdb

    from pactlang.sql.duck import plain_number

    con = duckdb.connect()
    return [con.execute(f"SELECT {plain_number('c', scale, count)} FROM (SELECT ? AS c)", [c]).fetchone()[0] for c in cells]


@pytest.mark.parametrize(("scale", "count"), [(0, True), (0, False), (1, False), (2, False), (10, False), (30, False)])
def test_plain_number_is_the_canonical_text(scale: int, count: bool) -> None:
    """The SQL check of a numeric cell (a regular expression) accepts exactly the
    canonical texts: any other cell sends the file to the column loader."""
    cells = [*CELLS, *(c + "0" * scale for c in ("0.", "-0.", "1.", "-1."))]
    assert _plain(cells, scale, count) == [_canonical(c, scale, count) for c in cells]


@settings(max_examples=200, deadline=None)
@given(cell=st.text(alphabet="-+0123456789.eE ", max_size=12), scale=st.sampled_from([0, 1, 2, 10]), count=st.booleans())
def test_plain_number_on_any_text(cell: str, scale: int, count: bool) -> None:
    if count and scale:
        return  # counts are refused with decimals before any cell is checked
    assert _plain([cell], scale, count) == [_canonical(cell, scale, count)]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_months_before_the_year_1000_keep_four_digits(tmp_path: Path, fmt: str) -> None:
    """``str(Period)`` writes the year with four digits (``0998-11``): so do
    DuckDB's month labels (JSON) and its `period` column (CSV, Parquet); they
    wrote ``998-11``."""
    from pactlang.api import evaluate_to, loads

    contract = loads(
        'contract "Old" {\n  effective 0998-11-01\n  currency EUR\n  party a "A"\n'
        '  measure revenue "Revenue": money\n  kpi r2 "Revenue, 2 months": money = sum(revenue, 2 months)\n}\n',
        "old.pact",
    )
    data = tmp_path / "d.csv"
    data.write_text("key,period,revenue\nA,0998-11,1.00\nA,0998-12,2.00\nA,0999-01,3.00\n", encoding="utf-8")
    out = {}
    for engine in ("interpreter", "duckdb"):
        path = tmp_path / f"{engine}.{fmt}"
        evaluate_to(contract, data, by="key", fmt=fmt, output=str(path), engine=engine)
        out[engine] = path.read_text(encoding="utf-8")
    assert "0998-11" in out["interpreter"]
    assert out["duckdb"] == out["interpreter"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_decimal_texts_past_eighteen_digits(tmp_path: Path, fmt: str) -> None:
    """DuckDB writes a decimal of at most 18 digits through ``DECIMAL(18, s)``
    (faster) and a wider one as it is (``sql.compile.dec_text``): both give the
    interpreter's text, at the bound and past it, negative ones too."""
    from pactlang.api import evaluate_to, loads

    contract = loads(
        'contract "Wide" {\n  effective 2024-01-01\n  currency EUR\n  party a "A"\n'
        '  measure revenue "Revenue": money\n  measure score "Score": number\n'
        '  kpi r2 "Revenue, 2 months": money = sum(revenue, 2 months)\n}\n',
        "wide.pact",
    )
    data = tmp_path / "d.csv"
    data.write_text(
        "key,period,revenue,score\n"
        "A,2024-01,9999999999999999.99,0.5\n"  # 18 digits: the last value under the bound
        "A,2024-02,0.01,-12345678901234567.5\n"  # the sum, 10^16: at the bound (19 digits)
        "A,2024-03,-123456789012345678901.25,-0.5\n"
        "B,2024-01,-0.05,0.0\n",
        encoding="utf-8",
    )
    out = {}
    for engine in ("interpreter", "duckdb"):
        path = tmp_path / f"{engine}.{fmt}"
        evaluate_to(contract, data, by="key", fmt=fmt, output=str(path), engine=engine)
        out[engine] = path.read_text(encoding="utf-8")
    assert "10000000000000000.00" in out["interpreter"] and "-123456789012345678901.25" in out["interpreter"]
    assert out["duckdb"] == out["interpreter"]


def test_json_lines_do_not_import_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (when installed) the first time it converts a
    Python value: DuckDB's JSON lines build their Arrow constants from buffers
    (``sql.lines.arrow_texts``), so a run never pays that import."""
    import sys

    from codegen_helpers import P1_SOURCE

    _contract, data = _mixed(tmp_path)
    source = tmp_path / "p1.pact"
    source.write_text(P1_SOURCE, encoding="utf-8")
    out = tmp_path / "out.json"
    code = (
        "import sys\n"
        "from pactlang.api import evaluate_to, load\n"
        f"evaluate_to(load({str(source)!r}), {str(data)!r}, by='contract', fmt='json', output={str(out)!r}, engine='duckdb')\n"
        "print('pandas' in sys.modules)\n"
    )
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "False", got.stderr
    assert out.read_text(encoding="utf-8").startswith('{"results": [')


@pytest.mark.parametrize("last", ["1901-06", "2001-02"])
def test_month_labels_from_the_list_and_past_it(tmp_path: Path, last: str) -> None:
    """The JSON lines' month labels are items of a constant list of the months
    the keys span (``sql.lines._labels``), or formatted row by row past 1,200
    months: the interpreter's labels either way."""
    from pactlang.api import evaluate_to, loads

    contract = loads(
        'contract "Long" {\n  effective 1900-01-01\n  currency EUR\n  party a "A"\n'
        '  measure revenue "Revenue": money\n  kpi r2 "Revenue, 2 months": money = sum(revenue, 2 months)\n}\n',
        "long.pact",
    )
    data = tmp_path / "d.csv"
    data.write_text(f"key,period,revenue\nA,1900-01,1.00\nA,{last},2.00\nB,1950-03,3.00\n", encoding="utf-8")
    out = {}
    for engine in ("interpreter", "duckdb"):
        path = tmp_path / f"{engine}.jsonl"
        notes: list[str] = []
        evaluate_to(contract, data, by="key", fmt="jsonl", output=str(path), engine=engine, warn=notes.append)
        assert not [n for n in notes if "failed" in n or "interpreter" in n and engine == "duckdb"], notes
        out[engine] = path.read_text(encoding="utf-8")
    assert f'"{last}"' in out["interpreter"]
    assert out["duckdb"] == out["interpreter"]
