"""The SQL expression compiler: IR expressions → SQL window queries (docs/engines.md).

One builder for every dialect: expressions are sqlglot trees (built from
DuckDB-syntax templates with placeholders), rendered for ``duckdb``,
``spark`` or ``postgres`` by sqlglot.  The rows are one per key and month of
the key's timeline (gaps filled), ordered by month inside each key, so a
trailing window of N months is ``ROWS BETWEEN N-1 PRECEDING AND CURRENT ROW``
and a lag of N months is ``LAG(x, N)``, both ``OVER (PARTITION BY k ORDER BY m)``.

Exactness (see :mod:`pactlang.sql.exact`): a numeric value is a
``DECIMAL(38, s)`` whose scale is the interpreter's exponent; every result
that could need more than 28 significant digits carries a *guard* column,
and a key where a guard is false is handed to the kernel.  A quotient is a
``{c, e}`` struct (DuckDB only): looked up in the division's pair table,
which the engine fills with the kernel's quotients (``pairs`` mode,
:class:`Division`), or computed by the ``pact_div`` macros (``pact compile
--target sql``).

What is not compiled raises :class:`Unsupported` with the node: the engine
then computes that construct — and whatever reads it — with the kernel
(``--engine duckdb|spark``), or ``pact compile --target sql`` names it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import sqlglot
from sqlglot import exp

from pactlang.base.types import Type
from pactlang.ir import nodes as ir
from pactlang.kernel.builtins import BUILTINS

__all__ = ["Col", "Compiled", "Division", "MeasureCol", "SqlCompiler", "Unsupported", "dec_text", "month_text", "sql_string", "template"]

W = "PARTITION BY first ORDER BY m"
LIMIT_DIGITS = 28


class Unsupported(Exception):
    """A node the SQL compiler cannot take (its reason in words)."""

    def __init__(self, node: Any, reason: str) -> None:
        super().__init__(reason)
        self.node = node
        self.reason = reason


def sql_string(value: str) -> str:
    """A text as an SQL string literal (quotes doubled; nothing else is special)."""
    return "'" + value.replace("'", "''") + "'"


def month_text(m: str, quote: str = "") -> str:
    """SQL: the text of the month whose index (:attr:`Period.index`) is ``m``, as
    ``str(Period)`` writes it (``0998-11``, ``2024-01``), between ``quote``s."""
    q = f"{sql_string(quote)}, " if quote else ""
    return (
        f"concat({q}lpad(CAST({m} // 12 AS VARCHAR), 4, '0'), CASE WHEN {m} % 12 < 9 THEN '-0' ELSE '-' END,"
        f" CAST({m} % 12 + 1 AS VARCHAR){', ' + sql_string(quote) if quote else ''})"
    )


def dec_text(name: str, scale: int) -> str:
    """DuckDB SQL: the text of a ``DECIMAL(38, scale)`` value (``CAST … AS
    VARCHAR``: the interpreter's text of a plain decimal).  A value of at most
    18 digits is cast through ``DECIMAL(18, scale)`` first — exactly the same
    value and text, but DuckDB writes a 64-bit decimal ~4× faster than a
    128-bit one (a scale of 0 has its own fast path already)."""
    if scale <= 0 or scale > 17:
        return f"CAST({name} AS VARCHAR)"
    return (
        f"CASE WHEN abs({name}) < {10 ** (18 - scale)} THEN CAST(CAST({name} AS DECIMAL(18, {scale})) AS VARCHAR)"
        f" ELSE CAST({name} AS VARCHAR) END"
    )


def template(text: str, **parts: exp.Expression) -> exp.Expression:
    """A DuckDB-syntax template with ``:name`` placeholders, filled with expressions."""
    tree = sqlglot.parse_one(text, read="duckdb")
    out = exp.replace_placeholders(tree, **parts) if parts else tree
    assert isinstance(out, exp.Expression)
    return out


def _lit(n: int) -> exp.Expression:
    return exp.Literal.number(n)


def dec_type(scale: int) -> exp.DataType:
    return exp.DataType.build(f"DECIMAL(38, {scale})")


def dec_const(value: Decimal, scale: int) -> exp.Expression:
    return exp.cast(exp.Literal.string(format(value, "f")), dec_type(scale))


def limit(scale: int) -> exp.Expression:
    """10^(28 - scale) at that scale: a value below it has at most 28 significant digits."""
    return dec_const(Decimal(10) ** (LIMIT_DIGITS - scale), scale)


@dataclass(frozen=True, slots=True)
class MeasureCol:
    """A measure's column in SQL: its kind (``dec`` with a scale, or ``bool``)."""

    kind: str
    scale: int = 0


@dataclass(slots=True)
class Col:
    """A compiled expression: its SQL, kind (``dec``, ``quot``, ``bool``, ``text``),
    scale (``dec``), level (the stage whose columns it reads) and guards."""

    sql: exp.Expression
    kind: str
    scale: int = 0
    level: int = 0
    guards: list[exp.Expression] = field(default_factory=list)
    bare: bool = False  # a column reference
    text: str | None = None  # a quotient's column of JSON texts (from its pair table)
    const: Decimal | None = None  # a constant's value


@dataclass(slots=True)
class Compiled:
    """The program's columns: ``stages[L]`` holds ``(alias, expression)`` pairs
    computed at level L (reading only lower levels); ``columns`` maps each
    value name to its column; ``guards`` lists the guard columns."""

    stages: list[list[tuple[str, exp.Expression]]] = field(default_factory=lambda: [[]])
    columns: dict[str, Col] = field(default_factory=dict)
    guards: list[str] = field(default_factory=list)
    divisions: list[Division] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Division:
    """A quotient looked up in its pair table (``pairs`` mode, DuckDB).

    The table ``table(pa, pb, pq, pt, pok)`` holds every distinct pair of
    operands (columns ``a``, ``b`` of levels below ``level``, scales ``sa``,
    ``sb``) with the quotient ``pq`` (``{c, e}``), its JSON text ``pt`` and
    ``pok`` (false where no exact quotient was computed: the key goes to the
    kernel); stage ``level`` joins it."""

    table: str
    a: str
    b: str
    sa: int
    sb: int
    level: int
    #: comparisons of the quotient with a constant, one boolean column of the
    #: table each: (column, the program's operator, constant, constant on the left)
    compares: list[tuple[str, str, Decimal, bool]] = field(default_factory=list)


class SqlCompiler:
    """Compiles a program's expressions for one dialect, given its measures' columns."""

    def __init__(
        self,
        program: ir.Program,
        measures: dict[str, MeasureCol],
        dialect: str,
        constants: dict[str, Any],
        power: Callable[[str, str, str, str], Any],
        pairs: bool = False,
    ) -> None:
        self.program = program
        self.pairs = pairs
        self.dialect = dialect
        self.constants = constants
        self.power = power
        self.out = Compiled()
        self.lookups: dict[str, Division] = {}  # a quotient's column → its pair table
        self.n = 0
        for i, (name, mc) in enumerate(measures.items()):
            self.out.columns[name] = Col(exp.column(f"c{i}"), mc.kind, mc.scale, 0, [], True)

    # -------------------------------------------------------------- columns

    def alias(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def materialize(self, col: Col, prefix: str = "h") -> Col:
        """Compute ``col`` as a column of its own (its guards too), one level up."""
        if col.bare:
            return col
        level = col.level + 1
        while len(self.out.stages) <= level:
            self.out.stages.append([])
        name = self.alias(prefix)
        self.out.stages[level].append((name, col.sql))
        if col.guards:
            g = self.alias("g")
            guard = cast(exp.Expression, exp.and_(*col.guards)) if len(col.guards) > 1 else col.guards[0]
            self.out.stages[level].append((g, guard))
            self.out.guards.append(g)
        return Col(exp.column(name), col.kind, col.scale, level, [], True)

    def define(self, name: str, col: Col) -> Col:
        got = self.materialize(col, "v")
        self.out.columns[name] = got
        return got

    # ---------------------------------------------------------------- nodes

    def compile(self, e: ir.Expr) -> Col:
        if isinstance(e, ir.Const):
            return self.const(e.value, e)
        if isinstance(e, ir.Ref):
            if e.name in self.constants:
                return self.const(self.constants[e.name], e)
            cadence = self.program.cadences.get(e.name)
            if cadence is not None:
                raise Unsupported(
                    e, f"`{e.name}` is reported {cadence}: its last report is held by the kernel's timeline"
                )
            got = self.out.columns.get(e.name)
            if got is None:
                raise Unsupported(e, f"`{e.name}` is computed by the kernel")
            return got
        if isinstance(e, ir.Power):
            return self.const(self.power(e.kind, e.committee, e.decision, e.party), e)
        if isinstance(e, ir.Neg):
            a = self.num(e.operand)
            if a.kind == "dec":  # Python rounds -x to 28 digits, as any arithmetic (found by the differential suite)
                return self.checked(template("-:a", a=a.sql), a.scale, [a])
            return Col(template("-:a", a=a.sql), a.kind, a.scale, a.level, a.guards)
        if isinstance(e, ir.Not):
            a = self.bool_(e.operand)
            return Col(template("NOT (:a)", a=a.sql), "bool", 0, a.level, a.guards)
        if isinstance(e, ir.Arith):
            return self.arith(e)
        if isinstance(e, ir.Logic):
            cols = [self.bool_(o) for o in e.operands]
            sql: exp.Expression = cols[0].sql
            for c in cols[1:]:
                sql = cast(exp.Expression, (exp.and_ if e.op == "and" else exp.or_)(exp.paren(sql), exp.paren(c.sql)))
            return self.join(sql, "bool", 0, cols)
        if isinstance(e, ir.Compare):
            return self.compare(e)
        if isinstance(e, ir.Choose):
            c = self.bool_(e.cond)
            a, b = self.same(e.then, e.else_, e)
            sql = template("CASE WHEN :c THEN :a WHEN NOT (:c) THEN :b END", c=c.sql, a=a.sql, b=b.sql)
            return self.join(sql, a.kind, a.scale, [c, a, b])
        if isinstance(e, ir.Otherwise):
            a, b = self.same(e.value, e.fallback, e)
            return self.join(template("COALESCE(:a, :b)", a=a.sql, b=b.sql), a.kind, a.scale, [a, b])
        if isinstance(e, ir.Window):
            return self.window(e)
        if isinstance(e, ir.ToDate):
            return self.to_date(e)
        if isinstance(e, ir.Lag):
            a = self.materialize(self.compile(e.operand))
            sql = template(f"LAG(:a, {e.months}) OVER ({W})", a=a.sql)
            return Col(sql, a.kind, a.scale, a.level, [])
        if isinstance(e, ir.Call):
            return self.call(e)
        raise Unsupported(e, _READS.get(type(e), "not compiled to SQL"))

    def join(self, sql: exp.Expression, kind: str, scale: int, parts: Sequence[Col]) -> Col:
        guards = [g for p in parts for g in p.guards]
        return Col(sql, kind, scale, max((p.level for p in parts), default=0), guards)

    def const(self, value: Any, node: Any) -> Col:
        if value is None:
            return Col(exp.null(), "dec", 0)
        if isinstance(value, bool):
            return Col(exp.true() if value else exp.false(), "bool")
        if isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            assert isinstance(exponent, int)
            if exponent > 0 or -exponent > 30 or len(value.as_tuple().digits) > LIMIT_DIGITS:
                raise Unsupported(node, f"the constant {value} has no exact SQL DECIMAL")
            return Col(dec_const(value, -exponent), "dec", -exponent, const=value)
        if isinstance(value, str) and getattr(node, "type", None) in (Type.TEXT, Type.STATUS, Type.PARTY):
            return Col(exp.Literal.string(value), "text")
        raise Unsupported(node, f"a {type(value).__name__} value is not compiled to SQL")

    def num(self, e: ir.Expr) -> Col:
        c = self.compile(e)
        if c.kind != "dec":
            raise Unsupported(e, f"a {c.kind} value in arithmetic is computed by the kernel")
        return c

    def bool_(self, e: ir.Expr) -> Col:
        c = self.compile(e)
        if c.kind != "bool":
            raise Unsupported(e, "not a condition")
        return c

    def same(self, a_: ir.Expr, b_: ir.Expr, node: Any) -> tuple[Col, Col]:
        a, b = self.compile(a_), self.compile(b_)
        if isinstance(a_, ir.Const) and a_.value is None:
            a = Col(exp.null(), b.kind, b.scale)
        if isinstance(b_, ir.Const) and b_.value is None:
            b = Col(exp.null(), a.kind, a.scale)
        if a.kind != b.kind or a.kind == "quot" or (a.kind == "dec" and a.scale != b.scale):
            raise Unsupported(node, "branches of different scales (the interpreter keeps each value's own)")
        return a, b

    def checked(self, sql: exp.Expression, scale: int, parts: Sequence[Col]) -> Col:
        """An arithmetic result: NULL (and its guard false) past 28 significant digits."""
        raw = self.materialize(self.join(sql, "dec", scale, parts), "x")
        lim = limit(scale)
        col = Col(template("CASE WHEN abs(:r) < :l THEN :r END", r=raw.sql, l=lim), "dec", scale, raw.level)
        col.guards.append(template(":r IS NULL OR abs(:r) < :l", r=raw.sql, l=lim))
        return col

    def arith(self, e: ir.Arith) -> Col:
        if not e.numeric:
            raise Unsupported(e, "date and duration arithmetic is computed by the kernel")
        acc = self.num(e.operands[0])
        for op, operand in zip(e.ops, e.operands[1:], strict=True):
            if acc.kind != "dec":
                raise Unsupported(e, "arithmetic on a quotient (28 significant digits, each its own exponent) is computed by the kernel")
            b = self.num(operand)
            if op in "+-":
                scale = max(acc.scale, b.scale)
                sql = template(f"(:a {op} :b)", a=acc.sql, b=b.sql)
                acc = self.checked(sql, scale, [acc, b])
            elif op == "*":
                scale = acc.scale + b.scale
                if scale > 30:
                    raise Unsupported(e, "a product of more than 30 decimal places")
                if self.dialect != "duckdb":
                    raise Unsupported(e, f"a product's digits are not checked in {self.dialect} SQL")
                a1, b1 = self.materialize(acc), self.materialize(b)
                sql = template(
                    "CASE WHEN pact_dd(:a) + pact_dd(:b) <= 38 THEN :a * :b END", a=a1.sql, b=b1.sql
                )
                guard = template(
                    ":a IS NULL OR :b IS NULL OR pact_dd(:a) + pact_dd(:b) <= 38", a=a1.sql, b=b1.sql
                )
                acc = self.checked(sql, scale, [a1, b1])
                acc.guards.append(guard)
            else:
                acc = self.divide(e, acc, b)
        return acc

    def divide(self, e: ir.Expr, a: Col, b: Col) -> Col:
        if self.dialect != "duckdb":
            raise Unsupported(e, f"division (rounded to 28 digits as the interpreter does) has no {self.dialect} SQL")
        a1, b1 = self.materialize(a), self.materialize(b)
        if self.pairs:
            return self.lookup(a1, b1)
        ai = self.materialize(self.join(template(f"CAST(:a * {10 ** a1.scale} AS HUGEINT)", a=a1.sql), "int", 0, [a1]))
        bi = self.materialize(self.join(template(f"CAST(:b * {10 ** b1.scale} AS HUGEINT)", b=b1.sql), "int", 0, [b1]))
        ea, eb = -a1.scale, -b1.scale
        # one step per level, each macro reading plain columns (docs: sql/exact.py)
        sh = self.materialize(self.join(template("pact_qs(:a, :b)", a=ai.sql, b=bi.sql), "s", 0, [ai, bi]))
        x = self.materialize(Col(template(f"pact_qa(:a, :b, {ea}, {eb}, :s)", a=ai.sql, b=bi.sql, s=sh.sql), "s", 0, sh.level))
        y = self.materialize(Col(template("pact_qb(:x)", x=x.sql), "s", 0, x.level))
        z = self.materialize(Col(template("pact_qc(:y)", y=y.sql), "s", 0, y.level))
        n = self.materialize(Col(template("pact_qn(:z)", z=z.sql), "s", 0, z.level))
        w = self.materialize(Col(template("pact_qd(:n)", n=n.sql), "s", 0, n.level))
        q = Col(template(f"pact_qe(:w, :a, :b, {ea}, {eb})", w=w.sql, a=ai.sql, b=bi.sql), "quot", 0, w.level)
        q.guards.append(template("pact_div_ok(:b)", b=bi.sql))
        return self.materialize(q, "q")

    def lookup(self, a: Col, b: Col) -> Col:
        """``a / b`` from the pair table that the engine fills before the query
        (the kernel divides each distinct pair: :meth:`pactlang.sql.duck.DuckRun`)."""
        level = max(a.level, b.level) + 1
        while len(self.out.stages) <= level:
            self.out.stages.append([])
        table = self.alias("pact_q")
        d = Division(table, a.sql.name, b.sql.name, a.scale, b.scale, level)
        self.out.divisions.append(d)
        q, t, g = self.alias("q"), self.alias("t"), self.alias("g")
        self.out.stages[level] += [
            (q, exp.column("pq", table=table)),
            (t, exp.column("pt", table=table)),
            (g, template(f"{table}.pok IS NOT FALSE")),
        ]
        self.out.guards.append(g)
        self.lookups[q] = d
        return Col(exp.column(q), "quot", 0, level, [], True, t)

    def compare(self, e: ir.Compare) -> Col:
        a, b = self.compile(e.left), self.compile(e.right)
        op = {"==": "=", "!=": "<>"}.get(e.op, e.op)
        if a.kind == "dec" and b.kind == "dec" or a.kind == b.kind and a.kind in ("bool", "text"):
            if a.kind in ("bool", "text") and op not in ("=", "<>"):
                raise Unsupported(e, "an ordering of non-numbers")
            return self.join(template(f"(:a {op} :b)", a=a.sql, b=b.sql), "bool", 0, [a, b])
        if {a.kind, b.kind} == {"quot", "dec"}:
            flip = a.kind == "dec"
            q, d = (b, a) if flip else (a, b)
            div = self.lookups.get(q.sql.name) if q.bare else None
            if div is not None and d.const is not None:
                # compared by the kernel once per pair, a boolean column of the pair table
                name = self.alias("pc")
                div.compares.append((name, e.op, d.const, flip))
                alias = self.alias("b")
                self.out.stages[div.level].append((alias, exp.column(name, table=div.table)))
                return Col(exp.column(alias), "bool", 0, div.level, [], True)
            di = template(f"CAST(:d * {10 ** d.scale} AS HUGEINT)", d=d.sql)
            cmp = template(f"pact_qcmp(:q, :d, {-d.scale})", q=q.sql, d=di)
            sql = template(f"(:c {op} 0)" if not flip else f"(0 {op} :c)", c=cmp)
            col = self.join(sql, "bool", 0, [q, d])
            col.guards.append(template(f"pact_qcmp_ok(:q, :d, {-d.scale})", q=q.sql, d=di))
            return col
        raise Unsupported(e, f"a comparison of {a.kind} with {b.kind}")

    def window(self, e: ir.Window) -> Col:
        a = self.materialize(self.num(e.operand))
        frame = f"OVER ({W} ROWS BETWEEN {e.months - 1} PRECEDING AND CURRENT ROW)"
        full = f"t >= {e.months - 1} AND COUNT(:a) {frame} = {e.months}"
        if e.agg == "sum":
            sql = template(f"CASE WHEN {full} THEN SUM(:a) {frame} END", a=a.sql)
            return self.checked(sql, a.scale, [a])
        if e.agg in ("min", "max"):
            sql = template(f"CASE WHEN {full} THEN {e.agg.upper()}(:a) {frame} END", a=a.sql)
            return Col(sql, "dec", a.scale, a.level, [])
        raise Unsupported(e, "an average is a division: computed by the kernel")

    def to_date(self, e: ir.ToDate) -> Col:
        a = self.materialize(self.num(e.operand))
        part = "PARTITION BY first, y" if e.year else "PARTITION BY first"
        frame = f"OVER ({part} ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
        full = f"COUNT(:a) {frame} = COUNT(*) {frame}"
        if e.agg == "sum":
            sql = template(f"CASE WHEN {full} THEN SUM(:a) {frame} END", a=a.sql)
            return self.checked(sql, a.scale, [a])
        if e.agg in ("min", "max"):
            sql = template(f"CASE WHEN {full} THEN {e.agg.upper()}(:a) {frame} END", a=a.sql)
            return Col(sql, "dec", a.scale, a.level, [])
        raise Unsupported(e, "an average is a division: computed by the kernel")

    def call(self, e: ir.Call) -> Col:
        if e.fn not in BUILTINS:  # pragma: no cover - sema checks names
            raise Unsupported(e, f"unknown function {e.fn}")
        args = [self.num(a) for a in e.args]
        if e.fn == "abs":
            (a,) = args
            return self.checked(template("abs(:a)", a=a.sql), a.scale, [a])  # rounded to 28 digits, as -x
        if e.fn in ("min", "max"):
            if len({a.scale for a in args}) > 1:
                raise Unsupported(e, f"{e.fn} of values of different scales")
            nulls = exp.or_(*[template(":a IS NULL", a=a.sql) for a in args])
            fn = "LEAST" if e.fn == "min" else "GREATEST"
            sql = exp.Case().when(nulls, exp.null()).else_(exp.func(fn, *[a.sql for a in args]))
            return self.join(sql, "dec", args[0].scale, args)
        if e.fn == "round" and e.digits is not None and e.digits >= 0:
            (a,) = args
            fname = {"duckdb": "round_even", "spark": "bround"}.get(self.dialect)
            if fname is None:
                raise Unsupported(e, f"half-even rounding has no {self.dialect} SQL")
            rounded = exp.cast(exp.func(fname, a.sql, _lit(e.digits)), dec_type(e.digits))
            return self.checked(rounded, e.digits, [a])
        raise Unsupported(e, f"{e.fn}(…) is computed by the kernel")


_READS = {
    ir.Distributed: "a waterfall's results are computed by the kernel",
    ir.Retained: "a waterfall's results are computed by the kernel",
    ir.Paid: "payments are computed by the kernel (thresholds' actions, in month order)",
    ir.Status: "a threshold's status is computed by the kernel",
}
