"""Hypothesis strategies: contracts made of what SQL computes, and plain data.

Numbers only (so every operator type-checks), over three measures written
with one scale each: arithmetic including division, trailing windows,
``to date`` and ``year to date``, lags, ``abs``, ``round``, ``min``/``max``,
``if``/``otherwise``, comparisons and logic; thresholds monthly, quarterly or
yearly with ``for N``, with and without ``otherwise``, and with an effective
date that puts some data before the term.  Some expressions still leave SQL
(a quotient in arithmetic, branches of different scales): the engine hands
those to the kernel, which the differential test checks too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from pactlang.base.values import Period

MEASURES = {"x": "number", "y": "number", "n": "count"}
SCALES = {"x": 2, "y": 0, "n": 0}


def _expr(draw: st.DrawFn, names: list[str], depth: int) -> str:
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.integers(0, 3)) == 0:
            return draw(st.sampled_from(["2", "0.5", "1.25", "10", "3%", "0"]))
        return draw(st.sampled_from(names))
    a = _expr(draw, names, depth - 1)
    kind = draw(st.integers(0, 11))
    if kind <= 3:
        b = _expr(draw, names, depth - 1)
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"({a} {op} {b})"
    if kind == 4:
        fn = draw(st.sampled_from(["sum", "min", "max"]))
        span = draw(st.sampled_from(["1 month", "2 months", "3 months", "1 quarter", "to date", "year to date"]))
        return f"{fn}({a}, {span})"
    if kind == 5:
        lag = draw(st.sampled_from(["", ", 1 month", ", 2 months", ", 1 quarter"]))
        return f"previous({a}{lag})"
    if kind == 6:
        return f"abs({a})"
    if kind == 7:
        return f"round({a}, {draw(st.integers(0, 3))})"
    if kind == 8:
        return f"{draw(st.sampled_from(['min', 'max']))}({a}, {_expr(draw, names, depth - 1)})"
    if kind == 9:
        return f"(if {_cond(draw, names, depth - 1)} then {a} else {_expr(draw, names, depth - 1)})"
    if kind == 10:
        return f"({a} otherwise {_expr(draw, names, depth - 1)})"
    return f"-{a}"


def _cond(draw: st.DrawFn, names: list[str], depth: int) -> str:
    a, b = _expr(draw, names, depth), _expr(draw, names, depth)
    c = f"{a} {draw(st.sampled_from(['<', '<=', '>', '>=', '==', '!=']))} {b}"
    if depth > 0 and draw(st.integers(0, 3)) == 0:
        other = _cond(draw, names, depth - 1)
        c = f"({c}) {draw(st.sampled_from(['and', 'or']))} ({other})"
    if draw(st.integers(0, 6)) == 0:
        c = f"not ({c})"
    return c


@st.composite
def sql_contracts(draw: st.DrawFn) -> str:
    names = list(MEASURES)
    lines = ['contract "SQL" {', "  currency EUR"]
    if draw(st.booleans()):
        lines.append(f"  effective {draw(st.sampled_from(['2025-11-01', '2026-01-01']))}")
    lines += ['  party a "A"', '  party b "B"']
    lines += [f'  measure {m} "{m}": {t}' for m, t in MEASURES.items()]
    for i in range(draw(st.integers(1, 4))):
        e = _expr(draw, names, draw(st.integers(0, 3)))
        kind = draw(st.sampled_from(["let", "kpi"]))
        name = f"v{i}"
        lines.append(f"  let {name} = {e}" if kind == "let" else f'  kpi {name} "{name}": number = {e}')
        names.append(name)
    for t in range(draw(st.integers(0, 2))):
        lines.append(f'  threshold t{t} "T{t}" {{')
        cadence = draw(st.sampled_from(["", "monthly", "quarterly", "yearly"]))
        if cadence:
            lines.append(f"    checked {cadence}")
        unit = {"quarterly": "quarters", "yearly": "years"}.get(cadence, "months")
        for r, status in enumerate(["breach", "watch"][: draw(st.integers(1, 2))]):
            n = draw(st.integers(1, 3))
            persist = f" for {n} {unit}" if n > 1 else ""
            lines.append(f"    when {_cond(draw, names, 1)}{persist}: {status}")
            del r
        if draw(st.booleans()):
            lines.append("    otherwise: ok")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


@st.composite
def sql_data(draw: st.DrawFn) -> dict[str, dict[Period, dict[str, Any]]]:
    """Two or three keys, 1 to 30 months each from 2025-10, some gaps and blanks."""
    out: dict[str, dict[Period, dict[str, Any]]] = {}
    for k in range(draw(st.integers(1, 3))):
        start = Period(2025, 10).index + draw(st.integers(0, 4))
        rows: dict[Period, dict[str, Any]] = {}
        for t in range(draw(st.integers(1, 30))):
            if t and draw(st.integers(0, 10)) == 0:
                continue
            row: dict[str, Any] = {}
            for m in MEASURES:
                if draw(st.integers(0, 12)) == 0:
                    row[m] = None
                elif m == "n":
                    row[m] = Decimal(draw(st.integers(0, 50)))
                else:
                    row[m] = Decimal(draw(st.integers(-3000, 30000))).scaleb(-SCALES[m])
            rows[Period.from_index(start + t)] = row
        out[f"k{k}"] = rows
    return out
