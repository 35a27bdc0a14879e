"""``pact compile --target sql --dialect duckdb|spark|postgres``: the SQL of a contract.

The script reads a table ``pact_data(key, period, <measures>)`` whose cells
are text as in a data file (``period`` ``YYYY-MM``; without a key column, use
one constant key), and gives the values table of ``pact eval --format csv``:
one row per key and month of its timeline (gaps filled), each measure, let,
KPI and threshold status as its exact text.  It is the query the DuckDB
engine runs (:mod:`pactlang.sql.plan`), rendered by sqlglot for the dialect.

A numeric measure is read at a fixed scale — ``count`` 0, ``money`` the
currency's minor unit, ``number`` and ``percent`` 4 — listed in the
script's header; a cell written with another number of decimals stops the
script (``error()`` in DuckDB, ``raise_error()`` in Spark; in PostgreSQL, run
the check query in the header first) rather than being rounded.  Constructs
the dialect cannot compute exactly (division outside DuckDB, payments,
waterfalls, recurrences…) are listed in the header, with their line, and
left out: their columns are absent.
"""

from __future__ import annotations

from typing import Any

import sqlglot

from pactlang.engine.evaluate import ContractProgram
from pactlang.sql.compile import MeasureCol
from pactlang.sql.exact import DUCKDB_MACROS
from pactlang.sql.plan import SqlPlan, plan, query

__all__ = ["DIALECTS", "default_scales", "sql_script"]

DIALECTS = ("duckdb", "spark", "postgres")


def default_scales(program: ContractProgram) -> dict[str, MeasureCol]:
    out: dict[str, MeasureCol] = {}
    for name, m in program.ir.measures.items():
        kind = m.type.value
        if kind == "bool":
            out[name] = MeasureCol("bool")
        else:
            out[name] = MeasureCol("dec", {"count": 0, "money": program.ir.digits}.get(kind, 4))
    return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(col: str, kind: str) -> str:
    if kind == "quot":
        return f"pact_qtext({col})"
    if kind == "bool":
        return f"CASE WHEN {col} THEN 'true' WHEN NOT {col} THEN 'false' END"
    return f"CAST({col} AS VARCHAR)"


def sql_script(program: ContractProgram, dialect: str) -> tuple[str, list[str]]:
    """The script, and the constructs it leaves out (with their lines and reasons)."""
    ir = program.ir
    measures = default_scales(program)
    p: SqlPlan = plan(ir, measures, dialect, dict(program.constants), program._power)
    left = [f"{name} ({why})" for name, why in p.kernel.items()]
    names = list(measures)
    sel = []
    checks = []
    for i, name in enumerate(names):
        mc = measures[name]
        c = _q(name)
        if mc.kind == "bool":
            sel.append(f"CAST(lower({c}) = 'true' AS BOOLEAN) AS c{i}")
            continue
        scale = f"CASE WHEN strpos({c}, '.') > 0 THEN length({c}) - strpos({c}, '.') ELSE 0 END"
        checks.append(f"{c} IS NOT NULL AND {scale} <> {mc.scale}")
        sel.append(f"CAST({c} AS DECIMAL(38, {mc.scale})) AS c{i}")
    bad = " OR ".join(checks) or "FALSE"
    stop = {
        "duckdb": "error('pact: a measure cell has another number of decimals than the script expects')",
        "spark": "raise_error('pact: a measure cell has another number of decimals than the script expects')",
    }.get(dialect)
    guard = f" WHERE CASE WHEN {bad} THEN {stop} ELSE TRUE END" if stop else ""
    first_sql = (
        "SELECT *, CAST(substr(period, 1, 4) AS INTEGER) * 12 + CAST(substr(period, 6, 2) AS INTEGER) - 1 AS m"
        f" FROM pact_data{guard}"
    )
    d = f"SELECT key AS k, m, row_number() OVER (ORDER BY key, m) AS rn, {', '.join(sel)} FROM ({first_sql}) AS x"
    keys = "SELECT k, min(rn) AS first, min(m) AS lo, max(m) AS hi FROM d GROUP BY k"
    months = {
        "duckdb": "SELECT k, first, lo, unnest(range(lo, hi + 1)) AS m FROM keys",
        "spark": "SELECT k, first, lo, explode(sequence(lo, hi)) AS m FROM keys",
        "postgres": "SELECT k, first, lo, generate_series(lo, hi) AS m FROM keys",
    }[dialect]
    cs = "".join(f", d.c{i}" for i in range(len(names)))
    base = (
        "SELECT g.k, g.first, g.m, g.m - g.lo AS t, g.m // 12 AS y, g.m % 12 + 1 AS mo, '' AS ml"
        f"{cs} FROM ({months}) AS g LEFT JOIN d ON d.k = g.k AND d.m = g.m"
    )
    body = query(p).sql("duckdb")
    cols = ["k AS key", "CAST(m // 12 AS VARCHAR) || '-' || lpad(CAST(m % 12 + 1 AS VARCHAR), 2, '0') AS period"]
    cols += [f"{_text(f'c{i}', measures[n].kind)} AS {_q(n)}" for i, n in enumerate(names)]
    for n, col in p.values.items():
        cols.append(f"{_text(col.sql.name, col.kind)} AS {_q(n)}")
    for n, tc in p.thresholds.items():
        if tc.status is not None:
            cols.append(f"{tc.status} AS {_q(n)}")
    final = (
        f"WITH d AS ({d}), keys AS ({keys}), base AS ({base}), r AS ({body}) "
        f"SELECT {', '.join(cols)} FROM r ORDER BY first, m"
    )
    text = sqlglot.transpile(final, read="duckdb", write=dialect, pretty=True)[0]
    head = [
        f"-- pact compile --target sql --dialect {dialect}: {ir.meta.title} ({ir.path})",
        "-- Input: a table pact_data(key, period, "
        + ", ".join(names)
        + ") of text cells as in a data file; output: the values table (docs/engines.md).",
        "-- Measure scales (a cell with another number of decimals stops the script, never rounded): "
        + ", ".join(f"{n} {m.scale}" if m.kind == "dec" else f"{n} bool" for n, m in measures.items()),
    ]
    if dialect == "postgres":
        head.append(f"-- Check first (must return no row): SELECT * FROM pact_data WHERE {bad};")
    if left:
        head.append("-- Not in this script (computed by pact's kernel only):")
        head.extend(f"--   {x}" for x in left)
    parts = ["\n".join(head)]
    if dialect == "duckdb" and "pact_" in text:
        parts.extend(m + ";" for m in DUCKDB_MACROS)
    parts.append(text + ";")
    return "\n\n".join(parts) + "\n", left


_ = Any
