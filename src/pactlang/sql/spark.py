"""``pact eval --engine spark``: a portfolio evaluated by Apache Spark (docs/engines.md).

The same plan as DuckDB (:mod:`pactlang.sql.plan`), rendered by sqlglot in
Spark SQL: Spark reads the CSV file (every cell as text), checks it is plain
(as :mod:`pactlang.sql.duck` does; otherwise the column loader and the
interpreter take it), builds each key's timeline and computes the columns it
can — sums, windows, lags, comparisons, conditions (Spark SQL has no exact
quotient or product check, so divisions and products, and what reads them,
are the kernel's).  Then a grouped map (``applyInPandas``, one group per key)
calls :func:`pactlang.sql.hybrid.finish` — the kernel — on each key's rows
and returns its JSON line (:func:`pactlang.report.stream.result_line`); the
lines come back to the driver in the data's key order.

``--spark-master URL`` (``local[2]``, ``spark://host:7077``, ``yarn``…) picks
the cluster; without it ``SPARK_REMOTE`` (Spark Connect, ``sc://host:15002``)
is used when set, else ``local[2]``.  The workers need pactlang installed
(the same version): they load the contract from its text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pactlang.kernel.timeline import EvaluationError

if TYPE_CHECKING:
    from pactlang.contract import Contract
    from pactlang.report.results import Window


class Notes(Protocol):
    """What the driver adds to :class:`pactlang.portfolio.Outcome`, which calls it: notes."""

    notes: list[str]


__all__ = ["session", "spark_lines"]

_SESSIONS: dict[str, Any] = {}
_PROGRAMS: dict[tuple[str, str], Any] = {}


def session(master: str | None = None) -> Any:
    """The Spark session (one per master, reused)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EvaluationError(["--engine spark needs pyspark: pip install 'pactlang[spark]'"]) from None
    import sys

    # local workers run this Python (where pactlang is installed) unless told otherwise
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    remote = os.environ.get("SPARK_REMOTE") if master is None else None
    name = master or remote or "local[2]"
    got = _SESSIONS.get(name)
    if got is None:
        builder = SparkSession.builder.appName("pact")
        if remote:
            builder = builder.remote(remote)
        else:
            builder = (
                builder.master(name)
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.ansi.enabled", "false")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            )
        got = _SESSIONS[name] = builder.getOrCreate()
    return got


def _program(path: str, source: str) -> Any:
    """The contract's program on a worker (loaded once per process from its text)."""
    key = (path, source)
    got = _PROGRAMS.get(key)
    if got is None:
        from pactlang.contract import loads

        got = _PROGRAMS[key] = loads(source, path).program
    return got


def spark_lines(
    contract: Contract,
    data_path: Any,
    by: str | None,
    strict: bool,
    window: Window,
    out: Notes,
    master: str | None,
    fail_on: str | None = None,
    hits: list[tuple[str | None, str, Any]] | None = None,
) -> Iterator[str] | None:
    """Each key's JSON line, in order; None when the data is not plain (the
    interpreter takes it).  With ``fail_on``, each key's checks of that status
    are added to ``hits`` as its line comes (``--fail-on``)."""
    from pactlang.sql.compile import MeasureCol
    from pactlang.sql.duck import KEY_CHARS
    from pactlang.sql.plan import plan, query

    program = contract.program
    ir = program.ir
    spark = session(master)
    path = str(Path(data_path).resolve())
    raw = spark.read.options(header=True, inferSchema=False, quote='"', escape='"', mode="FAILFAST").csv(path)
    header = raw.columns
    names = set(ir.measures)
    wanted = {"period"} | ({by} if by else set())
    if not wanted <= set(header) or not set(header) <= wanted | names or len(set(header)) != len(header):
        out.notes.append("--engine spark: a header that is not the key, `period` and measures: evaluated by the interpreter")
        return None
    raw.createOrReplaceTempView("pact_raw")
    kinds = {n: m.type.value for n, m in ir.measures.items()}
    present = [h for h in header if h in kinds]

    def q(n: str) -> str:
        return "`" + n.replace("`", "``") + "`"

    checks = ["count(*)", "sum(CASE WHEN period IS NULL OR NOT period RLIKE '^[0-9]{4}-(0[1-9]|1[0-2])$' OR period < '0001' THEN 1 ELSE 0 END)"]
    if by:
        checks.append(f"sum(CASE WHEN {q(by)} IS NULL OR NOT {q(by)} RLIKE '^{KEY_CHARS}$' THEN 1 ELSE 0 END)")
        checks.append(f"count(DISTINCT {q(by)}, period)")
    else:
        checks += ["0", "count(DISTINCT period)"]
    for n in present:
        c = q(n)
        if kinds[n] == "bool":
            checks += [f"sum(CASE WHEN {c} IS NOT NULL AND lower({c}) NOT IN ('true', 'false') THEN 1 ELSE 0 END)", "0", "0", "0"]
            continue
        pat = "^[0-9]+$" if kinds[n] == "count" else "^-?[0-9]+([.][0-9]+)?$"
        scale = f"CASE WHEN {c} IS NULL THEN NULL WHEN instr({c}, '.') > 0 THEN length({c}) - instr({c}, '.') ELSE 0 END"
        checks.append(f"sum(CASE WHEN {c} IS NOT NULL AND (NOT {c} RLIKE '{pat}' OR length({c}) > 31) THEN 1 ELSE 0 END)")
        checks += [f"min({scale})", f"max({scale})", f"max(instr(concat({c}, '.'), '.') - 1)"]
    from pactlang.base.values import Period

    term = []
    if ir.meta.effective is not None:
        term.append(f"period < '{Period.of(ir.meta.effective)}'")
    if ir.meta.until is not None:
        term.append(f"period > '{Period.of(ir.meta.until)}'")
    checks.append(f"sum(CASE WHEN {' OR '.join(term)} THEN 1 ELSE 0 END)" if term else "0")
    # what the loader warns of or refuses, with its file, row and column: a percent
    # column none of whose values is below 1 (it may all lie between 1 and 100: the
    # loader's warning); a value of a quarterly or yearly measure outside its report
    # months (the kernel's rule, over the calendar months each has values in: last)
    from pactlang.kernel.timeline import is_report_month

    loader_cases = []
    for n in present:
        if kinds[n] == "percent":
            below = f"({q(n)} RLIKE '^-' OR {q(n)} RLIKE '^0([.]|$)')"
            loader_cases.append(f"(count({q(n)}) > 0 AND sum(CASE WHEN {below} THEN 1 ELSE 0 END) = 0)")
    checks.append(f"CASE WHEN {' OR '.join(loader_cases)} THEN 1 ELSE 0 END" if loader_cases else "0")
    cadenced = [(n, c) for n in present if (c := ir.meta.cadences.get(n, "monthly")) != "monthly"]
    checks += [f"collect_set(CASE WHEN {q(n)} IS NOT NULL THEN substr(period, 6, 2) END)" for n, _c in cadenced]
    try:
        got = list(spark.sql(f"SELECT {', '.join(checks)} FROM pact_raw").collect()[0])
    except Exception as exc:  # malformed CSV: the column loader names the rows
        out.notes.append(f"--engine spark: Spark could not read the data plainly ({type(exc).__name__}): evaluated by the interpreter")
        return None
    month_sets = got[len(got) - len(cadenced) :]
    got = got[: len(got) - len(cadenced)]
    misplaced = any(
        not is_report_month(cadence, Period(2000, int(mm)))
        for (_n, cadence), found in zip(cadenced, month_sets, strict=True)
        for mm in found
        if mm.isdigit() and 1 <= int(mm) <= 12  # other months are not plain: the loader reports them
    )
    rows, bad_period, bad_key, distinct = got[:4]
    reason = None
    if not rows or bad_period or bad_key or distinct != rows or got[-2]:
        reason = "months, keys or rows that are not plain"
    elif got[-1] or misplaced:
        reason = "values the loader warns of (a percent column) or refuses (a quarterly or yearly value outside its report months)"
    measures: dict[str, MeasureCol] = {}
    at = 4
    for n in present:
        bad, lo, hi, digits = got[at : at + 4]
        at += 4
        if kinds[n] == "bool":
            measures[n] = MeasureCol("bool")
        elif bad or (lo or 0) != (hi or 0) or (digits or 0) + (hi or 0) > 38:
            reason = reason or f"`{n}` is not written with one scale"
        else:
            measures[n] = MeasureCol("dec", hi or 0)
    if reason is not None:
        out.notes.append(f"--engine spark: the data has {reason}: read by the column loader, evaluated by the interpreter")
        return None
    measures = {n: measures.get(n, MeasureCol("dec", 0)) for n in kinds}
    p = plan(ir, measures, "spark", dict(program.constants), program._power)
    out.notes.extend(f"--engine spark: `{n}` ({why}): computed by the kernel" for n, why in p.kernel.items())
    sel = []
    for i, n in enumerate(measures):
        mc = measures[n]
        if n not in header:
            sel.append(f"CAST(NULL AS {'BOOLEAN' if mc.kind == 'bool' else 'DECIMAL(38, 0)'}) AS c{i}")
        elif mc.kind == "bool":
            sel.append(f"CAST(lower({q(n)}) = 'true' AS BOOLEAN) AS c{i}")
        else:
            sel.append(f"CAST({q(n)} AS DECIMAL(38, {mc.scale})) AS c{i}")
    key = q(by) if by else "''"
    spark.sql(
        f"SELECT monotonically_increasing_id() AS rn, {key} AS k,"
        " CAST(substr(period, 1, 4) AS INT) * 12 + CAST(substr(period, 6, 2) AS INT) - 1 AS m,"
        f" {', '.join(sel)} FROM pact_raw"
    ).createOrReplaceTempView("pact_d")
    spark.sql("SELECT k, min(rn) AS first, min(m) AS lo, max(m) AS hi FROM pact_d GROUP BY k").createOrReplaceTempView("pact_keys")
    cs = "".join(f", d.c{i}" for i in range(len(measures)))
    spark.sql(
        "SELECT g.k, g.first, g.m, g.m - g.lo AS t, g.m DIV 12 AS y, g.m % 12 + 1 AS mo, '' AS ml"
        f"{cs} FROM (SELECT k, first, lo, explode(sequence(lo, hi)) AS m FROM pact_keys) g"
        " LEFT JOIN pact_d d ON d.k = g.k AND d.m = g.m"
    ).createOrReplaceTempView("base")
    body = query(p).sql("spark")
    r = spark.sql(body)
    fetch: list[tuple[str, str]] = [(f"c{i}", f"m:{n}") for i, n in enumerate(measures)]
    fetch += [(col.sql.name, f"v:{n}") for n, col in p.values.items()]
    for t, tc in p.thresholds.items():
        fetch += [(c.sql.name, f"c:{t}:{j}") for j, c in enumerate(tc.conditions)]
        fetch += [(c.sql.name, f"a:{t}:{j}") for j, c in enumerate(tc.amounts)]
    guards = list(p.compiled.guards)
    r = r.select(*dict.fromkeys(["k", "first", "m", *[c for c, _ in fetch], *guards]))
    source, cpath = contract.source, contract.path
    measure_names = list(measures)
    thresholds = {t: (len(tc.conditions), len(tc.amounts)) for t, tc in p.thresholds.items()}
    keyed = by is not None

    def one(pdf: Any) -> Any:
        import pandas as pd

        from pactlang.base.values import Period as P

        prog = _program(cpath, source)
        pdf = pdf.sort_values("m")
        months = [P.from_index(int(m)) for m in pdf["m"]]

        def col(name: str) -> list[Any]:
            return [None if v is None or (isinstance(v, float) and v != v) else v for v in pdf[name].tolist()]

        k = str(pdf["k"].iloc[0])
        first = int(pdf["first"].iloc[0])
        try:
            line, found = evaluate_key(pdf, prog, k, months, col)
        except EvaluationError as exc:  # raised on the driver, at this key's place
            return pd.DataFrame({"first": [first], "line": [None], "error": [json.dumps(exc.problems)], "hits": [None]})
        return pd.DataFrame({"first": [first], "line": [line], "error": [None], "hits": [found]})

    def evaluate_key(pdf: Any, prog: Any, k: str, months: Any, col: Any) -> tuple[str, str]:
        from pactlang.kernel.timeline import Dataset
        from pactlang.report.results import status_hits
        from pactlang.report.stream import result_line
        from pactlang.sql.hybrid import finish

        ok = all(all(v is None or bool(v) for v in col(g)) for g in guards)
        data = Dataset(months, {n: col(f"c{i}") for i, n in enumerate(measure_names)}, [])
        if ok:
            cols = {target: col(c) for c, target in fetch}
            values = {t[2:]: v for t, v in cols.items() if t.startswith("v:")}
            conds = {
                t: ([cols[f"c:{t}:{j}"] for j in range(nc)], [cols[f"a:{t}:{j}"] for j in range(na)])
                for t, (nc, na) in thresholds.items()
            }
            ev = finish(prog, data, k if keyed else None, values, conds, strict)
        else:
            ev = prog.run(data, key=k if keyed else None, strict=strict)
        found = [(key, name, p.index) for key, name, p in status_hits(ev, fail_on, window)] if fail_on else []
        return result_line(ev, window), json.dumps(found)

    lines = r.groupBy("first").applyInPandas(one, schema="first long, line string, error string, hits string").orderBy("first")

    def stream() -> Iterator[str]:
        for row in lines.toLocalIterator():
            if row["error"] is not None:
                raise EvaluationError(json.loads(row["error"]))
            if hits is not None and row["hits"]:
                hits.extend((key, name, Period.from_index(m)) for key, name, m in json.loads(row["hits"]))
            yield row["line"]

    return stream()
