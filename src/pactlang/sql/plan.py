"""A program's SQL plan: which constructs SQL computes, which the kernel does, and the query.

:func:`plan` walks the program's schedule (``ir.Program.steps``):

* a let or KPI computed over the whole timeline compiles to a column
  (:class:`~pactlang.sql.compile.SqlCompiler`), or — when a node cannot be
  compiled — is left to the kernel, with its line and the reason;
* a threshold whose conditions compile and which fires no action gets its
  status, deciding rule and check columns in SQL (first match, ``for N`` as
  three-valued ``and`` of lags, checks before the timeline as the kernel
  counts them, the last check's status kept between checks); with actions
  (``once``, payments, escalations) its conditions and amounts are still
  columns, and the kernel walks it;
* recurrences (constructs reading their own earlier months) and waterfalls
  are the kernel's.

:func:`query` writes the ``SELECT`` over the base relation ``base(k, m, t,
y, mo, c0…)`` — key, month index, position in the key's timeline, year,
month of the year, measures — as stacked projections, one per level;
window functions are moved a level down where that saves a sort
(:func:`fused`), and a quotient no later level reads is looked up in its
pair table after the last level (the sorts carry its operands, not its
struct and text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlglot import exp

from pactlang.ir import nodes as ir
from pactlang.kernel.thresholds import NO_DATA
from pactlang.sql.compile import Col, Compiled, MeasureCol, SqlCompiler, Unsupported, template

__all__ = ["SqlPlan", "ThresholdCols", "late_lookups", "pair_id", "plan", "query"]


@dataclass(slots=True)
class ThresholdCols:
    """A threshold's columns: its conditions and amounts (always, when they
    compile); ``status``, ``rule`` and ``check`` when SQL decides it."""

    conditions: list[Col]
    amounts: list[Col]
    status: str | None = None
    rule: str | None = None
    check: str | None = None


@dataclass(slots=True)
class SqlPlan:
    compiled: Compiled
    values: dict[str, Col]  # lets and KPIs SQL computes
    thresholds: dict[str, ThresholdCols]
    kernel: dict[str, str]  # construct → why the kernel computes it ("line 12: …")
    measures: dict[str, MeasureCol]

    @property
    def complete(self) -> bool:
        """Whether SQL computes the whole result (no construct is the kernel's)."""
        return not self.kernel and all(t.status is not None for t in self.thresholds.values())


def _line(program: ir.Program, node: Any) -> str:
    span = getattr(node, "span", None)
    return f"line {span.line}" if span is not None else "?"


def plan(
    program: ir.Program,
    measures: dict[str, MeasureCol],
    dialect: str,
    constants: dict[str, Any],
    power: Any,
    pairs: bool = False,
) -> SqlPlan:
    """``pairs``: each quotient is looked up in a pair table the engine fills
    (:class:`~pactlang.sql.compile.Division`) instead of computed by the macros."""
    sc = SqlCompiler(program, measures, dialect, constants, power, pairs)
    values: dict[str, Col] = {}
    thresholds: dict[str, ThresholdCols] = {}
    kernel: dict[str, str] = {}

    def unsupported(name: str, exc: Unsupported) -> None:
        kernel[name] = f"{_line(program, exc.node)}: {exc.reason}"

    for name, cadence in program.cadences.items():
        # its column is the data's reports only: the months between them hold the
        # last report (LANGUAGE.md §5 "Measure cadence"), which the kernel's timeline does
        kernel[name] = f"{_line(program, program.measures[name])}: reported {cadence}: its last report is held by the kernel's timeline"

    for step in program.steps:
        if isinstance(step, ir.Recurrence):
            for name in step.names:
                kernel[name] = f"{_line(program, _decl(program, name))}: reads earlier months of itself (computed month by month)"
            continue
        if step.kind == "value":
            d = program.definitions[step.name]
            try:
                if d.schedule is not None:
                    col = _schedule(sc, d)
                else:
                    assert d.expr is not None
                    col = sc.compile(d.expr)
                values[step.name] = sc.define(step.name, col)
            except Unsupported as exc:
                unsupported(step.name, exc)
        elif step.kind == "threshold":
            th = program.thresholds[step.name]
            try:
                conds = [sc.materialize(sc.bool_(c), "b") for c in th.conditions]
                amounts = [sc.materialize(sc.num(a), "p") for a in th.amounts]
            except Unsupported as exc:
                unsupported(step.name, exc)
                continue
            tc = ThresholdCols(conds, amounts)
            plan_ = th.plan
            if plan_.otherwise_actions or any(r.actions for r in plan_.rules):
                kernel[step.name] = f"{_line(program, th)}: fires actions (payments, `once`, escalations) in month order"
            else:
                _status(sc, th, tc, program.meta.term_start)
            thresholds[step.name] = tc
        elif step.kind == "contribution":
            kernel[step.name] = f"{_line(program, program.contributions[step.name])}: a contribution's call is shared by keys in minor units"
        else:
            kernel[step.name] = f"{_line(program, program.waterfalls[step.name])}: a waterfall is settled tier by tier in minor units"
    return SqlPlan(sc.out, values, thresholds, kernel, measures)


def _decl(program: ir.Program, name: str) -> Any:
    return (
        program.definitions.get(name)
        or program.thresholds.get(name)
        or program.waterfalls.get(name)
        or program.contributions.get(name)
    )


def _schedule(sc: SqlCompiler, d: ir.Definition) -> Col:
    assert d.schedule is not None
    cols = [sc.compile(e.value) for e in d.schedule]
    kinds = {(c.kind, c.scale) for c in cols}
    if len(kinds) != 1 or cols[0].kind == "quot":
        raise Unsupported(d, "schedule entries of different scales")
    case = exp.Case()
    for entry, col in reversed(list(zip(d.schedule, cols, strict=True))):
        case = case.when(template(f"m >= {entry.start.index}"), col.sql)
    return sc.join(case, cols[0].kind, cols[0].scale, cols)


def _status(sc: SqlCompiler, th: ir.Threshold, tc: ThresholdCols, term_start: int | None) -> None:
    """The status, deciding rule and check columns of a threshold without actions."""
    plan_ = th.plan
    step = plan_.step
    combined: list[exp.Expression] = []
    level = max((c.level for c in tc.conditions), default=0)
    for cond, rule in zip(tc.conditions, plan_.rules, strict=True):
        parts = []
        for j in range(rule.persistence):
            back = j * step
            if back == 0:
                parts.append(cond.sql)
                continue
            before = "FALSE" if term_start is None else f"CASE WHEN m - {back} < {term_start} THEN FALSE END"
            parts.append(
                template(f"CASE WHEN t >= {back} THEN LAG(:c, {back}) OVER (PARTITION BY first ORDER BY m) ELSE {before} END", c=cond.sql)
            )
        both = cast(exp.Expression, exp.and_(*[exp.paren(p) for p in parts])) if len(parts) > 1 else parts[0]
        combined.append(both)
    combo = [sc.materialize(Col(c, "bool", 0, level), "r") for c in combined]
    decided = exp.Case()
    for r, c in enumerate(combo):
        decided = decided.when(c.sql, exp.Literal.number(r + 1))
    if combo:
        decided = decided.when(exp.or_(*[template(":c IS NULL", c=c.sql) for c in combo]), exp.Literal.number(-1))
    decided = decided.else_(exp.Literal.number(0))
    level = max((c.level for c in combo), default=level)
    is_check = exp.true() if step == 1 else template(f"mo % {step} = 0")
    code = sc.materialize(Col(exp.Case().when(is_check, decided), "int", 0, level), "d")
    if step != 1:
        carried = template(
            "LAST_VALUE(:d IGNORE NULLS) OVER (PARTITION BY first ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
            d=code.sql,
        )
        code = sc.materialize(Col(carried, "int", 0, code.level), "d")
    rule_sql = template("CASE WHEN :d >= 0 THEN :d END", d=code.sql)
    status = exp.Case().when(template(":d = -1", d=code.sql), exp.Literal.string(NO_DATA))
    status = status.when(template(":d = 0", d=code.sql), exp.Literal.string(plan_.otherwise_status))
    for r, rule in enumerate(plan_.rules):
        status = status.when(template(f":d = {r + 1}", d=code.sql), exp.Literal.string(rule.status))
    tc.rule = sc.materialize(Col(rule_sql, "int", 0, code.level), "rule").sql.name
    tc.status = sc.materialize(Col(status, "text", 0, code.level), "st").sql.name
    tc.check = sc.materialize(Col(is_check, "bool", 0, code.level), "ck").sql.name


def outputs(p: SqlPlan, conditions: bool = True) -> list[str]:
    """The columns a result needs: values, threshold columns, guards.  Without
    ``conditions``, a threshold whose statuses SQL computes leaves out its
    conditions and amounts (only the kernel's runs of the hybrid path read them)."""
    out = [c.sql.name for c in p.values.values()]
    out += [c.text for c in p.values.values() if c.text]
    for tc in p.thresholds.values():
        if conditions or not tc.status:
            out += [c.sql.name for c in (*tc.conditions, *tc.amounts)]
        out += [n for n in (tc.status, tc.rule, tc.check) if n]
    return out + list(p.compiled.guards)


def _specs(e: exp.Expression) -> set[str]:
    """The ``PARTITION BY … ORDER BY …`` of each window function in ``e``."""
    out = set()
    for w in e.find_all(exp.Window):
        part = ",".join(x.sql() for x in w.args.get("partition_by") or [])
        order = w.args.get("order")
        out.add(part + "|" + (order.sql() if order is not None else ""))
    return out


def fused(stages: list[list[tuple[str, exp.Expression]]]) -> list[list[tuple[str, exp.Expression]]]:
    """The stages with window functions moved one stage down where that saves a sort.

    Each stage with window functions is one sort of every row it carries (DuckDB
    computes the windows of one ``PARTITION BY … ORDER BY …`` in one sort).  When
    every window expression of stage ``i`` reads, in stage ``i - 1``, only columns
    computed there without a window (which are then written inline) and stage
    ``i - 1`` already sorts by the same windows, they are computed in stage
    ``i - 1``: one sort instead of two (``for 3 months``' lags beside ``sum(x, 3
    months)``).  Nothing changes in value: the same expressions over the same
    rows."""
    out = [list(cols) for cols in stages]
    for i in range(1, len(out)):
        below = dict(out[i - 1])
        have = set().union(*(_specs(e) for _a, e in out[i - 1]))
        moving = [(a, e) for a, e in out[i] if any(True for _ in e.find_all(exp.Window))]
        if not moving or not have:
            continue
        ok = True
        for _a, e in moving:
            if not _specs(e) <= have or any(c.table for c in e.find_all(exp.Column)):
                ok = False
                break
            for c in e.find_all(exp.Column):
                d = below.get(c.name)
                if d is not None and any(True for _ in d.find_all(exp.Window)):
                    ok = False
        if not ok:
            continue
        moved = []
        for a, e in moving:

            def inline(node: exp.Expression, below: dict[str, exp.Expression] = below) -> exp.Expression:
                if isinstance(node, exp.Column) and not node.table and node.name in below:
                    return exp.paren(below[node.name].copy())
                return node

            moved.append((a, e.copy().transform(inline)))
        names = {a for a, _ in moving}
        out[i] = [(a, e) for a, e in out[i] if a not in names]
        out[i - 1] += moved
    return out


def late_lookups(p: SqlPlan) -> list[tuple[Any, str, str]]:
    """The quotients (and texts) no later stage reads: ``(division, alias, pair
    table column)``.  They are looked up after the last stage, so that the
    window stages' sorts carry the operands (narrow) rather than the struct and
    the text."""
    stages = fused(p.compiled.stages)
    read = {c.name for cols in stages for _a, e in cols for c in e.find_all(exp.Column) if not c.table}
    late: list[tuple[Any, str, str]] = []
    for d in p.compiled.divisions:
        for a, e in stages[d.level]:
            if isinstance(e, exp.Column) and e.table == d.table and e.name in ("pq", "pt") and a not in read:
                late.append((d, a, e.name))
    return late


def pair_id(table: str) -> str:
    """The column of a row's pair (the pair table's ``rowid``) in :func:`query` with ``pair_ids``."""
    return f"{table}_id"


def query(
    p: SqlPlan,
    base: str = "base",
    keep: tuple[str, ...] = ("k", "first", "m", "ml"),
    upto: int | None = None,
    want: tuple[str, ...] = (),
    pair_ids: bool = False,
    conditions: bool = True,
) -> exp.Select:
    """Every level's columns, stacked over ``base``; each level carries only the
    columns read later (so window functions sort narrow rows).  A level with
    divisions joins their pair tables.  With ``upto``: only the levels below
    it, giving the columns ``want`` (and ``keep``).  The quotients of
    :func:`late_lookups` are joined after the last stage; with ``pair_ids``,
    each row carries its pair's row number instead (:func:`pair_id`), for the
    caller to look them up.  ``conditions``: see :func:`outputs`."""
    stages = fused(p.compiled.stages)
    late = late_lookups(p) if upto is None else []
    gone = {a for _d, a, _c in late}
    stages = [[(a, e) for a, e in cols if a not in gone] for cols in stages]
    ids = {d.table: d for d, _a, _c in late} if pair_ids else {}
    for d in ids.values():
        stages[d.level] = [*stages[d.level], (pair_id(d.table), exp.column("rowid", table=d.table))]
    levels = [(i, cols) for i, cols in enumerate(stages) if cols and (upto is None or i < upto)]
    joins: dict[int, list[Any]] = {}
    for d in p.compiled.divisions:
        joins.setdefault(d.level, []).append(d)
    base_cols = [*keep, "t", "y", "mo", *(f"c{i}" for i in range(len(p.measures)))]
    live = (set(outputs(p, conditions)) if upto is None else set(want)) | set(keep) | {f"c{i}" for i in range(len(p.measures))}
    live |= {n for d, _a, _c in late for n in (d.a, d.b)} if not pair_ids else {pair_id(t) for t in ids}
    needed: list[set[str]] = []
    for level, cols in reversed(levels):
        needed.append(set(live))
        for _alias, e in cols:
            live |= {c.name for c in e.find_all(exp.Column) if not c.table}
        live |= {n for d in joins.get(level, []) for n in (d.a, d.b)}
    needed.reverse()  # needed[i]: columns alive after stage i
    rel: exp.Expression = exp.to_table(base)
    sel: exp.Select | None = None
    have = list(base_cols)
    for i, (level, cols) in enumerate(levels):
        have_after = have + [a for a, _ in cols]
        carried = [c for c in have if c in needed[i]]
        alias = base if sel is None else f"s{i}"
        src = rel if sel is None else exp.Subquery(this=sel, alias=exp.TableAlias(this=exp.to_identifier(alias)))
        sel = exp.select(*[exp.column(c, table=alias) for c in carried], *[exp.alias_(e, a) for a, e in cols]).from_(src)
        for d in joins.get(level, []):
            sel = sel.join(
                exp.to_table(d.table),
                on=f"{d.table}.pa = {alias}.{d.a} AND {d.table}.pb = {alias}.{d.b}",
                join_type="left",
            )
        have = [c for c in have_after if c in needed[i]]
    if sel is None:
        sel = exp.select(*have).from_(rel)
    if late and not pair_ids:
        src = exp.Subquery(this=sel, alias=exp.TableAlias(this=exp.to_identifier("sq")))
        sel = exp.select(
            *[exp.column(c, table="sq") for c in have], *[exp.alias_(exp.column(c, table=d.table), a) for d, a, c in late]
        ).from_(src)
        for d in {d.table: d for d, _a, _c in late}.values():
            sel = sel.join(exp.to_table(d.table), on=f"{d.table}.pa = sq.{d.a} AND {d.table}.pb = sq.{d.b}", join_type="left")
    return sel


_ = field
