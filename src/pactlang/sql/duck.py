"""``pact eval --engine duckdb``: a portfolio evaluated by embedded DuckDB (docs/engines.md).

1. **Data.** DuckDB reads the CSV file itself, every cell as text, and checks
   in one pass that it is *plain*: months ``YYYY-MM``, keys of plain
   characters, numbers ``-?digits[.digits]`` with one scale per column (the
   scale is the interpreter's exponent, so texts agree), counts as digits,
   booleans, no duplicate month, no month outside the term.  Anything else —
   a bad cell, a mixed scale, a JSON file — and the file is read by the
   column loader (:mod:`pactlang.io.columns`: every problem with file, row
   and column) and evaluated by the interpreter: never a different answer.
   Scales are checked before any cast (DuckDB would round ``0.125`` cast to
   two places); nothing is rounded.
2. **Timeline.** One row per key and month from the key's first to its last
   month (gaps are months with every measure missing).
3. **Columns.** :mod:`pactlang.sql.plan`'s query: lets, KPIs, threshold
   conditions and statuses as window functions; each division is a join with
   its pair table, which the kernel fills first (:meth:`DuckRun._pairs`).
4. **Results.** When SQL computes every construct (:attr:`SqlPlan.complete`),
   each key's JSON line (DuckDB's pieces per row joined by Arrow:
   :meth:`DuckRun.json_lines`), or the values table (CSV / Parquet via
   ``COPY``), is written from the results table; a key where a guard failed (a value past 28 digits, a
   divisor past 9 digits) is evaluated by the kernel instead.  Otherwise each
   key's columns are fetched in Arrow batches and the kernel finishes the key
   (:func:`pactlang.sql.hybrid.finish`).
"""

from __future__ import annotations

import csv
import decimal
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pactlang.base.values import Period, Value
from pactlang.engine.evaluate import ContractProgram
from pactlang.kernel.run import Run
from pactlang.kernel.timeline import Dataset, EvaluationError
from pactlang.sql.compile import Division, MeasureCol, dec_text, month_text, sql_string
from pactlang.sql.exact import DUCKDB_MACROS
from pactlang.sql.plan import SqlPlan, late_lookups, pair_id, plan, query

__all__ = ["DuckRun", "NotPlain", "connect", "engine_errors", "plain_number"]

#: Past this many distinct pairs of operands, a division is computed by the SQL macros
#: rather than by the kernel (the kernel: ~2 µs a pair, one thread; the macros:
#: ~10 µs a row of CPU, both threads); the bound keeps the Python side's time and
#: memory proportionate to the data.
KERNEL_PAIRS = 2_000_000

KEY_CHARS = r"[A-Za-z0-9_.:/+#@-]([A-Za-z0-9 _.:/+#@-]*[A-Za-z0-9_.:/+#@-])?"


class NotPlain(Exception):
    """The data is not plain (the reason in words): the column loader and the interpreter take it."""


def engine_errors() -> tuple[type[BaseException], ...]:
    """DuckDB's own errors (an engine failure: the interpreter takes over, with a note)."""
    try:
        import duckdb
    except ImportError:
        return ()
    return (duckdb.Error,)


def connect(memory_limit: str | None = None) -> Any:
    try:
        import duckdb
    except ImportError:
        raise EvaluationError(["--engine duckdb needs duckdb: pip install 'pactlang[duckdb]'"]) from None
    # no progress bar: DuckDB draws one on standard output when it takes the
    # process for an interactive one (``python -c``, a notebook), into the output
    con = duckdb.connect(config={"preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/pact_duckdb_{os.getpid()}'")
    # DuckDB spills to the temporary directory past this (PACT_DUCKDB_MEMORY, default 1.2GB:
    # 3.6M rows of P1 then peak at ~1.3 GiB for the whole process, ~10 % slower than 3GB)
    limit = memory_limit or os.environ.get("PACT_DUCKDB_MEMORY", "1.2GB")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*[KMGT]i?B", limit):
        raise EvaluationError([f"PACT_DUCKDB_MEMORY={limit!r}: expected a size such as 3GB"])
    con.execute(f"SET memory_limit = '{limit}'")
    for m in DUCKDB_MACROS:
        con.execute(m)
    return con


def plain_number(cell: str, scale: int, count: bool) -> str:
    """SQL: whether a cell's text is the canonical text of a number at ``scale``
    — the text DuckDB gives the cell cast to ``DECIMAL(38, scale)`` and Python's
    ``Decimal`` has: an optional ``-`` (none for a count), the integer digits
    without a leading zero (at most 31: the loader's bound, and what
    ``DECIMAL(38, scale)`` holds), ``scale`` decimals; never a negative zero.
    A regular expression (cheaper than casting each cell back to text)."""
    digits = min(31, 38 - scale)
    decimals = f"\\.[0-9]{{{scale}}}" if scale else ""
    sign = "" if count else "-?"
    zero = "-0" + ("." + "0" * scale if scale else "")
    return f"(regexp_full_match({cell}, '{sign}(0|[1-9][0-9]{{0,{digits - 1}}}){decimals}') AND {cell} <> '{zero}')"


@dataclass(slots=True)
class _Layout:
    delimiter: str
    header: list[str]
    key: str | None


def _layout(path: Path, program: ContractProgram, by: str | None) -> _Layout:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith(b"\xef\xbb\xbf"):
        raise NotPlain("a byte order mark")
    text = head.decode("utf-8", errors="replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip() or first.lstrip()[:1] in ("{", "["):
        raise NotPlain("not a CSV file with a header on its first line")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if delimiter == ";":
        raise NotPlain("a ';'-separated file")
    header = next(csv.reader([first], delimiter=delimiter))
    names = set(program.ir.measures)
    wanted = {"period"} | ({by} if by else set())
    if len(set(header)) != len(header) or any(h != h.strip() or not h for h in header):
        raise NotPlain("header cells that are blank, repeated or padded")
    if not wanted <= set(header) or not set(header) <= wanted | names:
        raise NotPlain("a header that is not the key, `period` and measures")
    if by is not None and (by == "period" or by in names):
        raise NotPlain("a key that is a measure")
    return _Layout(delimiter, header, by)


class DuckRun:
    """One evaluation of a data file by DuckDB (see the module's documentation)."""

    def __init__(
        self, program: ContractProgram, path: str | Path, by: str | None, *, memory_limit: str | None = None, lean: bool = False
    ) -> None:
        """``lean``: the caller reads only SQL's results (the JSON lines, the
        values table), never :meth:`hybrid_runs`, so the results table leaves
        out what only the kernel reads (when SQL computes every construct)."""
        self.program = program
        self.path = Path(path)
        self.by = by
        self.con = connect(memory_limit)
        self.notes: list[str] = []
        self.layout = _layout(self.path, program, by)
        self.measure_cols = self._check()
        ir = program.ir
        self.plan: SqlPlan = plan(ir, self.measure_cols, "duckdb", dict(program.constants), program._power, pairs=True)
        self.lean = lean and self.plan.complete
        for name, why in self.plan.kernel.items():
            self.notes.append(f"`{name}` ({why}): computed by the kernel")
        self._build()

    # -- data
    def _check(self) -> dict[str, MeasureCol]:
        """Read the file once into the typed table ``d`` and check it is plain.

        A column's scale is read from the first rows; every cell must then be
        that scale's canonical text (``CAST(TRY_CAST(cell AS DECIMAL(38, s)) AS
        VARCHAR) = cell``: no sign ``+``, no spaces, no leading zeros, exactly
        ``s`` decimals — the text Python's ``Decimal(cell)`` has).  Months and
        keys are checked once each (distinct values), in Python, by the data
        loader's own rules."""
        con, lay = self.con, self.layout
        cols = ", ".join(f"{sql_string(h)}: 'VARCHAR'" for h in lay.header)
        con.execute(
            f"CREATE TEMP VIEW raw AS SELECT * FROM read_csv({sql_string(str(self.path))}, header = true,"
            f" delim = {sql_string(lay.delimiter)}, quote = '\"', escape = '\"', auto_detect = false,"
            f" columns = {{{cols}}}, strict_mode = true, null_padding = false)"
        )
        ir = self.program.ir
        kinds = {n: m.type.value for n, m in ir.measures.items()}
        present = [h for h in lay.header if h in kinds]
        scale_of = {
            n: f"max(CASE WHEN contains({_q(n)}, '.') THEN length({_q(n)}) - strpos({_q(n)}, '.') ELSE 0 END)"
            for n in present
            if kinds[n] != "bool"
        }
        try:
            sample = con.execute(
                f"SELECT count(*){''.join(', ' + x for x in scale_of.values())} FROM (SELECT * FROM raw LIMIT 20000)"
            ).fetchone()
        except Exception as exc:  # malformed CSV: the column loader names the rows
            raise NotPlain(f"DuckDB could not read it plainly ({type(exc).__name__})") from None
        assert sample is not None
        if not sample[0]:
            raise NotPlain("no data rows")
        out: dict[str, MeasureCol] = {}
        for i, name in enumerate(scale_of):
            scale = sample[i + 1] or 0
            if scale > 30:
                raise NotPlain(f"`{name}` has more than 30 decimals")
            out[name] = MeasureCol("dec", scale)
        for name in present:
            if kinds[name] == "bool":
                out[name] = MeasureCol("bool")
        for name in kinds:
            if name not in out:
                out[name] = MeasureCol("dec", 0)  # a measure with no column: missing every month
        self.measure_cols = {n: out[n] for n in kinds}
        sel, oks = [], []
        for i, name in enumerate(kinds):
            mc, c = out[name], _q(name)
            if name not in lay.header:
                sel.append(f"CAST(NULL AS {'BOOLEAN' if mc.kind == 'bool' else 'DECIMAL(38, 0)'}) AS c{i}")
            elif mc.kind == "bool":
                sel.append(f"CASE lower({c}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS c{i}")
                oks.append(f"({c} IS NULL OR lower({c}) IN ('true', 'false'))")
            else:
                if kinds[name] == "count" and mc.scale:
                    raise NotPlain(f"counts written with decimals in `{name}`")
                sel.append(f"TRY_CAST({c} AS DECIMAL(38, {mc.scale})) AS c{i}")
                oks.append(f"({c} IS NULL OR {plain_number(c, mc.scale, kinds[name] == 'count')})")
        key = _q(lay.key) if lay.key is not None else "''"
        term = []
        if ir.meta.effective is not None:
            term.append(f"period < '{Period.of(ir.meta.effective)}'")
        if ir.meta.until is not None:
            term.append(f"period > '{Period.of(ir.meta.until)}'")
        self.outside = " OR ".join(term) or "FALSE"
        try:
            con.execute(
                f"CREATE TEMP TABLE d AS SELECT {key} AS k, period AS p,"
                " TRY_CAST(substr(period, 1, 4) AS INTEGER) * 12 + TRY_CAST(substr(period, 6, 2) AS INTEGER) - 1 AS m,"
                f" {', '.join(sel)}, NOT ({self.outside}) AS inside, coalesce({' AND '.join(oks) or 'TRUE'}, FALSE) AS plain FROM raw"
            )
            # rn: the row's number in the file (rows are stored in the file's order:
            # preserve_insertion_order; no row_number() window, which runs on one thread)
            con.execute("CREATE TEMP VIEW dn AS SELECT rowid + 1 AS rn, * FROM d")
            # a month given twice inside the term is found when the timeline is built (:meth:`_build`)
            got = con.execute("SELECT count(*), count(*) FILTER (WHERE NOT plain), count(*) FILTER (WHERE NOT inside) FROM d").fetchone()
            assert got is not None
            rows, bad, outside = got
            twice = 0
            if outside:  # a distinct count (one thread), only of the rows outside the term
                found = con.execute("SELECT count(*) - count(DISTINCT (k, p)) FROM d WHERE NOT inside").fetchone()
                twice = found[0] if found else 0
        except Exception as exc:
            raise NotPlain(f"DuckDB could not read it plainly ({type(exc).__name__})") from None
        if bad:
            raise NotPlain("cells that are not plain numbers of one scale per column")
        if twice:
            raise NotPlain("a month given twice")
        # a measure reported quarterly or yearly with a value outside its report
        # months (the kernel's rule, over the months it has values in): the column
        # loader reports it (file, row, column)
        from pactlang.kernel.timeline import is_report_month

        for i, name in enumerate(kinds):
            cadence = ir.meta.cadences.get(name, "monthly")
            if cadence == "monthly":
                continue
            months = con.execute(f"SELECT DISTINCT m FROM d WHERE c{i} IS NOT NULL AND m IS NOT NULL").fetchall()
            if not all(is_report_month(cadence, Period.from_index(m)) for (m,) in months):
                raise NotPlain("values of quarterly or yearly measures outside their report months")
        from pactlang.io.data import _MONTH

        for (p,) in con.execute("SELECT DISTINCT p FROM d").fetchall():
            match = _MONTH.match(p) if p is not None else None
            if match is None or int(match.group(1)) < 1:
                raise NotPlain("months that are not plain")
        if lay.key is not None:
            plain_key = re.compile(KEY_CHARS)
            for (k,) in con.execute("SELECT DISTINCT k FROM d").fetchall():
                if k is None or plain_key.fullmatch(k) is None:
                    raise NotPlain("keys that are not plain")
        self.dropped = outside
        if self.dropped and not _lines_are_rows(self.path):
            raise NotPlain("months outside the contract term and lines that are not one row each")
        return self.measure_cols

    def _build(self) -> None:
        con = self.con
        names = list(self.measure_cols)
        # seq: the key's rows inside the term are consecutive lines of the file, a
        # month after another (m - rn the same on each, as many as the months from
        # lo to hi): they are its timeline already, without a gap or a month twice
        con.execute(
            "CREATE TEMP TABLE keys AS SELECT k, min(rn) AS first, min(m) FILTER (WHERE inside) AS lo,"
            " max(m) FILTER (WHERE inside) AS hi, count(*) FILTER (WHERE inside) AS n,"
            " coalesce(min(m - rn) FILTER (WHERE inside) = max(m - rn) FILTER (WHERE inside)"
            " AND count(*) FILTER (WHERE inside) = max(m) FILTER (WHERE inside) - min(m) FILTER (WHERE inside) + 1, FALSE) AS seq"
            " FROM dn GROUP BY k"
        )
        self._warnings()

        def timeline(g: str, d: str) -> str:
            label = month_text(f"{g}.m", quote='"')
            return (
                f"{g}.k, {g}.first, {g}.m, {g}.m - {g}.lo AS t, {g}.m // 12 AS y, {g}.m % 12 + 1 AS mo,"
                f" {label} AS ml{''.join(f', {d}.c{i}' for i in range(len(names)))}"
            )

        # one row per key and month from its first month to its last: the rows of the
        # keys in sequence as they are (a join with the small table of keys), the
        # others' months generated and joined with their rows (gaps: every measure missing)
        con.execute(
            f"CREATE TEMP VIEW base AS SELECT {timeline('g', 'g')} FROM"
            " (SELECT d.*, keys.first, keys.lo FROM d JOIN keys ON keys.k = d.k AND keys.seq WHERE d.inside) AS g"
            f" UNION ALL SELECT {timeline('g', 'd')} FROM"
            " (SELECT k, first, lo, unnest(range(lo, hi + 1)) AS m FROM keys WHERE lo IS NOT NULL AND NOT seq) g"
            " LEFT JOIN d ON d.k = g.k AND d.m = g.m AND d.inside"
        )
        self._compute()

    def _compute(self) -> None:
        con = self.con
        for d in sorted(self.plan.compiled.divisions, key=lambda d: d.level):  # a pair's operands may read a quotient below
            self._pairs(d)
        # sorted once here (narrow rows), so that the results are read in order without
        # a sort: r0, where a quotient no stage reads is its pair's row number (the
        # JSON lines look its text up in Arrow, in order: a join would not keep it);
        # r, the same rows with those quotients, for the readers that sort themselves
        # (without the key's name: `first` names the key, and a text carried through
        # the window sort and the final one costs ~10 % of the table's time)
        q = query(self.plan, keep=("first", "m"), pair_ids=True, conditions=not self.lean).sql("duckdb")
        con.execute(f"CREATE TEMP TABLE r0 AS {q} ORDER BY first, m")
        self.late = late_lookups(self.plan)
        tables = dict.fromkeys(d.table for d, _a, _c in self.late)
        looked = "".join(f", {d.table}.{c} AS {a}" for d, a, c in self.late)
        joins = "".join(f" LEFT JOIN {t} ON {t}.rowid = r0.{pair_id(t)}" for t in tables)
        con.execute(f"CREATE TEMP VIEW r AS SELECT keys.k, r0.*{looked} FROM r0 JOIN keys ON keys.first = r0.first{joins}")
        guards = self.plan.compiled.guards
        ok = " AND ".join(f"coalesce({g}, TRUE)" for g in guards) or "TRUE"
        con.execute(
            "CREATE TEMP TABLE ok AS SELECT keys.k, o.first, o.ok, o.n FROM"
            f" (SELECT first, bool_and({ok}) AS ok, count(*) AS n FROM r0 GROUP BY first) o JOIN keys ON keys.first = o.first"
        )
        # a month given twice inside the term: two rows of d joined to one month of the timeline
        twice = con.execute(
            "SELECT count(*) FROM keys JOIN ok ON ok.first = keys.first WHERE ok.n <> keys.hi - keys.lo + 1 OR keys.n > ok.n"
        ).fetchone()
        if twice and twice[0]:
            raise NotPlain("a month given twice")

    def _pairs(self, d: Division) -> None:
        """Fill a division's pair table: the kernel divides each distinct pair of
        operands (:func:`pactlang.kernel.series.arith`, the interpreter's own
        division), in batches; past :data:`KERNEL_PAIRS` pairs, the exact macros
        of :mod:`pactlang.sql.exact` do, in SQL (a divisor past 9 digits: ``pok``
        false, the key goes to the kernel)."""
        con = self.con
        operands = query(self.plan, upto=d.level, want=(d.a, d.b)).sql("duckdb")
        if all(not cols for cols in self.plan.compiled.stages[: d.level]) and {d.a, d.b} <= {f"c{i}" for i in range(len(self.measure_cols))}:
            # two measures: their pairs are those of the rows inside the term (each is one
            # month of the timeline; the timeline's other months have no measure)
            operands = "SELECT * FROM d WHERE inside"
        con.execute(
            f"CREATE TABLE {d.table}_in AS SELECT DISTINCT {_q(d.a)} AS pa, {_q(d.b)} AS pb"
            f" FROM ({operands}) WHERE {_q(d.a)} IS NOT NULL AND {_q(d.b)} IS NOT NULL"
        )
        got = con.execute(f"SELECT count(*) FROM {d.table}_in").fetchone()
        n = got[0] if got else 0
        con.execute(
            f"CREATE TEMP TABLE {d.table} (pa DECIMAL(38, {d.sa}), pb DECIMAL(38, {d.sb}),"
            f" pq STRUCT(c HUGEINT, e INTEGER), pt VARCHAR, pok BOOLEAN{''.join(f', {c[0]} BOOLEAN' for c in d.compares)})"
        )
        if n > KERNEL_PAIRS:
            self.notes.append(f"{n} distinct pairs of operands (more than {KERNEL_PAIRS}): divided by the SQL macros")
            con.execute(f"INSERT INTO {d.table} {_macro_quotients(d)}")
            return
        from pactlang.base.values import CONTEXT
        from pactlang.kernel.series import arith, compare
        from pactlang.present.show import json_value

        cur = self.con.cursor()  # a second cursor (so the pairs table is not TEMP): inserts run while the pairs are read
        src = cur.execute(f"SELECT pa, pb FROM {d.table}_in")
        while chunk := src.fetchmany(50_000):
            a = [r[0] for r in chunk]
            b = [r[1] for r in chunk]
            with decimal.localcontext(CONTEXT):
                qs = arith("/", a, b)
                cmps = [compare(op, k, qs) if flip else compare(op, qs, k) for _c, op, k, flip in d.compares]
            cs: list[str | None] = []
            es: list[int | None] = []
            ts: list[str | None] = []
            for q in qs:
                if q is None:
                    cs.append(None)
                    es.append(None)
                    ts.append(None)
                    continue
                assert isinstance(q, Decimal)
                sign, digits, exponent = q.as_tuple()
                assert isinstance(exponent, int)
                text = str(q)  # the coefficient's digits are its text's, when it has no exponent
                c = "".join(map(str, digits)) if "E" in text else (text.replace(".", "").lstrip("-0") or "0")
                cs.append(("-" if sign else "") + c)
                es.append(exponent)
                ts.append(str(json_value(q)))
            extra = "".join(f", x{j}" for j in range(len(cmps)))
            lists = "".join(f", unnest(${6 + j}::BOOLEAN[]) AS x{j}" for j in range(len(cmps)))
            con.execute(
                f"INSERT INTO {d.table} SELECT CAST(a AS DECIMAL(38, {d.sa})), CAST(b AS DECIMAL(38, {d.sb})),"
                f" CASE WHEN c IS NOT NULL THEN {{'c': CAST(c AS HUGEINT), 'e': e}} END, t, TRUE{extra} FROM"
                " (SELECT unnest($1::VARCHAR[]) AS a, unnest($2::VARCHAR[]) AS b, unnest($3::VARCHAR[]) AS c,"
                f" unnest($4::INTEGER[]) AS e, unnest($5::VARCHAR[]) AS t{lists})",
                [[format(x, "f") for x in a], [format(x, "f") for x in b], cs, es, ts, *cmps],
            )
        cur.close()
        con.execute(f"DROP TABLE {d.table}_in")

    def _warnings(self) -> None:
        """The loader's warnings, as text and as each key's JSON ``warnings``: a
        percent column whose values all lie between 1 and 100 (every key's, the
        loader's wording: :meth:`~pactlang.io.data._Loader.percent_warnings`),
        then the months outside the term (one per key, at its first dropped row:
        the file's lines are its rows, checked)."""
        from pactlang.io.data import DataProblem, _Loader, in_percentage_points

        self.key_warnings: dict[str, list[str]] = {}
        self.warnings: list[str] = []
        self.con.execute("CREATE TEMP TABLE kw (k VARCHAR, w VARCHAR)")
        ir = self.program.ir
        loader = _Loader(str(self.path), [], "", ir.meta.effective, ir.meta.until, self.by)
        percents = [(i, n) for i, n in enumerate(self.measure_cols) if ir.measures[n].type.value == "percent"]
        if percents:
            got = self.con.execute(
                "SELECT "
                + ", ".join(
                    f"min(rn) FILTER (WHERE c{i} IS NOT NULL), count(c{i}), min(c{i}), max(c{i})"
                    for i, _n in percents
                )
                + " FROM dn"
            ).fetchone()
            assert got is not None
            # (first row, declaration order, name, values, smallest, largest)
            found = [(got[4 * j], j, n, *got[4 * j + 1 : 4 * j + 4]) for j, (_i, n) in enumerate(percents)]
            # the loader remembers a column at its first value, in the file's order; its
            # values all lie in percentage points when the smallest and the largest do
            for rn, _j, n, count, lo, hi in sorted(f for f in found if f[3]):
                loader.percents[n] = (rn + 1, count, in_percentage_points(lo) and in_percentage_points(hi))
        shared = [str(w) for w in loader.percent_warnings()]
        self.warnings.extend(shared)
        if shared:
            for (k,) in self.con.execute("SELECT DISTINCT k FROM d").fetchall():
                self.key_warnings[k] = list(shared)
        if self.dropped:
            rows = self.con.execute(
                "SELECT k, count(*), min(rn), min(m), max(m) FROM dn WHERE NOT inside GROUP BY k ORDER BY min(rn)"
            ).fetchall()
            for k, n, rn, lo, hi in rows:
                for_key = f" for {self.by} {k!r}" if self.by is not None else ""
                a, b = Period.from_index(lo), Period.from_index(hi)
                span = str(a) if n == 1 else f"{a} .. {b}"
                text = str(DataProblem(str(self.path), rn + 1, "period", f"{n} month(s){for_key} outside the contract term ({loader.term_text()}) ignored: {span}"))
                self.warnings.append(text)
                self.key_warnings.setdefault(k, []).append(text)
        if self.key_warnings:
            dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
            self.con.executemany("INSERT INTO kw VALUES (?, ?)", [(k, dumps(w)) for k, w in self.key_warnings.items()])

    # -- results
    def order(self) -> list[tuple[str, bool]]:
        """Every key in the data's order, and whether SQL gives its result (else the kernel)."""
        return [
            (r[0], bool(r[1]))
            for r in self.con.execute(
                "SELECT keys.k, coalesce(ok.ok, FALSE) FROM keys LEFT JOIN ok ON ok.k = keys.k ORDER BY keys.first"
            ).fetchall()
        ]

    def hits(self, status: str) -> dict[str, list[tuple[str, int]]]:
        """``--fail-on``: for each key SQL gives whole, its checks whose status is
        ``status`` — (threshold, month index) in the order the interpreter lists
        them: threshold by threshold in evaluation order, month by month."""
        names = list(self.plan.thresholds)
        parts = [
            f"SELECT first, {j} AS j, m FROM r0 WHERE {tc.check} AND {tc.status} = {sql_string(status)}"
            for j, tc in enumerate(self.plan.thresholds.values())
        ]
        out: dict[str, list[tuple[str, int]]] = {}
        if not parts:
            return out
        query = (
            f"SELECT ok.k, h.j, h.m FROM ({' UNION ALL '.join(parts)}) h JOIN ok ON ok.first = h.first AND ok.ok"
            " ORDER BY h.first, h.j, h.m"
        )
        for k, j, m in self.con.execute(query).fetchall():
            out.setdefault(k, []).append((names[j], m))
        return out

    def bad_keys(self) -> list[str]:
        return [k for k, ok in self.order() if not ok]

    def kernel_runs(self, keys: list[str], strict: bool) -> dict[str, Any]:
        """The listed keys, each evaluated wholly by the kernel (from the typed data):
        a run, or the evaluation error to raise at the key's place."""
        out: dict[str, Any] = {}
        for key in keys:
            try:
                ev = self.program.run(self._dataset(key), key=key if self.by else None, strict=strict)
            except EvaluationError as exc:  # raised when the key's turn comes, as the interpreter does
                out[key] = exc
                continue
            ev.warnings[:0] = self.key_warnings.get(key, [])
            out[key] = ev
        return out

    def _dataset(self, key: str) -> Dataset:
        names = list(self.measure_cols)
        cols = ", ".join(f"c{i}" for i in range(len(names)))
        rows = self.con.execute(f"SELECT m{', ' + cols if cols else ''} FROM base WHERE k = ? ORDER BY m", [key]).fetchall()
        months = [Period.from_index(r[0]) for r in rows]
        return Dataset(months, {n: [r[i + 1] for r in rows] for i, n in enumerate(names)}, [])

    def hybrid_runs(self, strict: bool, batch: int = 200_000) -> Iterator[Run]:
        """Every key, in order: SQL's columns fetched, the kernel finishing the rest."""
        from pactlang.sql.hybrid import finish

        assert not self.lean, "a lean run's results table has no threshold conditions"

        p = self.plan
        names = list(self.measure_cols)
        fetch: list[tuple[str, str, str]] = []  # (column, kind, target)
        for i, n in enumerate(names):
            fetch.append((f"c{i}", self.measure_cols[n].kind, f"m:{n}"))
        for n, col in p.values.items():
            fetch.append((col.sql.name, col.kind, f"v:{n}"))
        for t, tc in p.thresholds.items():
            for j, c in enumerate(tc.conditions):
                fetch.append((c.sql.name, c.kind, f"c:{t}:{j}"))
            for j, c in enumerate(tc.amounts):
                fetch.append((c.sql.name, c.kind, f"a:{t}:{j}"))
        sel = ", ".join(
            f"CAST({c}.c AS VARCHAR) AS \"{c}_c\", {c}.e AS \"{c}_e\"" if kind == "quot" else c for c, kind, _ in fetch
        )
        order = self.order()
        bad = {k for k, ok in order if not ok}
        kernel = self.kernel_runs(sorted(bad), strict)  # before the stream (one query at a time)
        cur = self.con.execute(
            f"SELECT r.k, r.m{', ' + sel if sel else ''} FROM r JOIN ok ON ok.k = r.k AND ok.ok ORDER BY r.first, r.m"
        )

        def grouped() -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
            key: Any = object()
            rows: list[tuple[Any, ...]] = []
            while True:
                chunk = cur.fetchmany(batch)
                for row in chunk:
                    if row[0] != key:
                        if rows:
                            yield key, rows
                        key, rows = row[0], []
                    rows.append(row)
                if not chunk:
                    break
            if rows:
                yield key, rows

        groups = grouped()
        for key, _ok in order:
            if key in bad:
                got_run = kernel[key]
                if isinstance(got_run, EvaluationError):
                    raise got_run
                yield got_run
                continue
            got, rows = next(groups)
            assert got == key
            yield self._finish(key, rows, fetch, bad, strict, finish)

    def _finish(self, key: str, rows: list[tuple[Any, ...]], fetch: list[tuple[str, str, str]], bad: set[str], strict: bool, finish: Any) -> Run:
        k = key if self.by else None
        months = [Period.from_index(r[1]) for r in rows]
        cols: dict[str, list[Value]] = {}
        at = 2
        for _c, kind, target in fetch:
            if kind == "quot":
                cols[target] = [None if c is None else Decimal(c).scaleb(e) for c, e in ((r[at], r[at + 1]) for r in rows)]
                at += 2
            else:
                cols[target] = [r[at] for r in rows]
                at += 1
        data = Dataset(months, {n: cols[f"m:{n}"] for n in self.measure_cols}, list(self.key_warnings.get(key, [])))
        values = {t[2:]: v for t, v in cols.items() if t.startswith("v:")}
        conditions: dict[str, tuple[list[Any], list[Any]]] = {}
        for t, tc in self.plan.thresholds.items():
            conditions[t] = (
                [cols[f"c:{t}:{j}"] for j in range(len(tc.conditions))],
                [cols[f"a:{t}:{j}"] for j in range(len(tc.amounts))],
            )
        return finish(self.program, data, k, values, conditions, strict)

    def table_sql(self) -> str:
        """The values table of the keys SQL gives whole (only when the plan is complete),
        each value its JSON text without quotes, with ``first`` and ``m`` to order by."""
        p, ir = self.plan, self.program.ir
        mi = {n: i for i, n in enumerate(self.measure_cols)}

        def text(col: str, kind: str, scale: int) -> str:
            if kind == "quot":
                return f"pact_qtext({col})"
            if kind == "bool":
                return f"CASE WHEN {col} IS NULL THEN NULL WHEN {col} THEN 'true' ELSE 'false' END"
            return dec_text(col, scale)

        cols = [f"r.k AS {_q(self.by)}"] if self.by else []
        cols.append(f"{month_text('r.m')} AS period")
        cols += [f"{text(f'r.c{mi[n]}', self.measure_cols[n].kind, self.measure_cols[n].scale)} AS {_q(n)}" for n in ir.measures]
        for n in (*ir.meta.lets, *ir.meta.kpis):
            col = p.values[n]
            got = f"r.{col.text}" if col.text else text("r." + col.sql.name, col.kind, col.scale)  # a quotient's text from its pair table
            cols.append(f"{got} AS {_q(n)}")
        cols += [f"r.{p.thresholds[t].status} AS {_q(t)}" for t in ir.thresholds]
        return f"SELECT r.first AS _first, r.m AS _m, {', '.join(cols)} FROM r JOIN ok ON ok.k = r.k AND ok.ok"

    def copy_table(self, path: Path, fmt: str, kernel_rows: list[tuple[Any, ...]]) -> None:
        """Write the values table with ``COPY`` (CSV or Parquet), the kernel's keys' rows
        (``(first, m, cells…)``) merged in key order."""
        con = self.con
        body = self.table_sql()
        names = [d[0] for d in con.execute(f"SELECT * FROM ({body}) LIMIT 0").description]
        con.execute(f"CREATE TEMP TABLE kt AS SELECT * FROM ({body}) LIMIT 0")
        if kernel_rows:
            marks = ", ".join("?" for _ in names)
            con.executemany(f"INSERT INTO kt VALUES ({marks})", kernel_rows)
        shown = ", ".join(_q(n) for n in names[2:])
        options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true, DELIMITER ','"
        con.execute(
            f"COPY (SELECT {shown} FROM (SELECT * FROM ({body}) UNION ALL SELECT * FROM kt) ORDER BY _first, _m)"
            f" TO {sql_string(str(path))} ({options})"
        )

    def json_lines(self, batch: int | None = None) -> Iterator[tuple[str, str]]:
        """Every key's JSON line SQL gives whole (:func:`pactlang.sql.lines.json_lines`)."""
        from pactlang.sql.lines import json_lines

        return json_lines(self, batch)

    def json_batches(self, before: str = "", after: str = "", batch: int | None = None) -> Iterator[tuple[list[str], Any]]:
        """The same lines a batch at a time, as Arrow (:func:`pactlang.sql.lines.json_batches`)."""
        from pactlang.sql.lines import json_batches

        return json_batches(self, before, after, batch)


def _macro_quotients(d: Division) -> str:
    """The pair table's rows computed by the exact macros, one macro per projection."""
    ea, eb = -d.sa, -d.sb
    steps = [
        f"CAST(pa * {10 ** d.sa} AS HUGEINT) AS ai, CAST(pb * {10 ** d.sb} AS HUGEINT) AS bi",
        "pact_qs(ai, bi) AS s",
        f"pact_qa(ai, bi, {ea}, {eb}, s) AS x",
        "pact_qb(x) AS y",
        "pact_qc(y) AS z",
        "pact_qn(z) AS w0",
        "pact_qd(w0) AS w",
        f"pact_qe(w, ai, bi, {ea}, {eb}) AS q",
    ]
    sql = f"SELECT * FROM {d.table}_in"
    for step in steps:
        sql = f"SELECT *, {step} FROM ({sql})"
    cmps, oks = [], []
    for _c, op, k, flip in d.compares:
        sign = f"pact_qcmp(q, {_coefficient(k)}, {k.as_tuple().exponent})"
        sql_op = {"==": "=", "!=": "<>"}.get(op, op)
        cmps.append(f", (0 {sql_op} {sign})" if flip else f", ({sign} {sql_op} 0)")
        oks.append(f" AND pact_qcmp_ok(q, {_coefficient(k)}, {k.as_tuple().exponent})")
    return f"SELECT pa, pb, q, pact_qtext(q), pact_div_ok(bi){''.join(oks)}{''.join(cmps)} FROM ({sql})"


def _coefficient(k: Decimal) -> str:
    """A constant's integer coefficient as a HUGEINT literal."""
    sign, digits, _ = k.as_tuple()
    return f"CAST('{'-' if sign else ''}{''.join(map(str, digits))}' AS HUGEINT)"


def _lines_are_rows(path: Path) -> bool:
    """Whether every line of the file after the header is one row (no quote, no
    blank line, no carriage return alone): then a row's line is its number + 1."""
    import re

    blank = re.compile(rb"\n[ \t]*\r?\n|\r(?!\n)")
    tail = b""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 24)
            if not chunk:
                return True
            block = tail + chunk
            if b'"' in chunk or blank.search(block):
                return False
            tail = block[-4:]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
