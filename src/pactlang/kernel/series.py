"""Values over months: the column forms of expressions (LANGUAGE.md §5).

A *series* is a list of values, one per month of the timeline (index 0 is the
first data month of the term).  Every function here takes and returns whole
lists, so an engine walks an expression once per contract rather than once
per month; the interpreter (:mod:`pactlang.engine.expr`) and compiled modules
(:mod:`pactlang.codegen`) call exactly these functions.

An operand may be a list or a single value that is the same every month (a
literal, a constant let): ``lt(conversion, Decimal("0.05"))``.

Windows and lags are given the operand's values from month ``first`` on (the
months before a window's start are not computed at all), and return the
values of months ``lo .. hi-1``; ``first`` is where the operand's list
starts.  With ``first = lo = 0`` they work on whole columns.

Several contracts may be evaluated as one run, their months one after
another (:mod:`pactlang.kernel.stack`): the functions that look at earlier
months — windows, lags, ``to date`` — are then given the contracts'
:class:`Segments` and never reach back across a contract's first month.

Missing values (``None``) propagate as §5 says: arithmetic and comparisons
with a missing operand are missing; ``and``/``or`` are three-valued; a window
that reaches before the first month, or holds a missing month, is missing;
division by zero is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.values import CONTEXT, Value
from pactlang.kernel import ops

Series = list[Value]
Operand = Any  # a Series, or one value for every month

__all__ = [
    "Segments",
    "Series",
    "abs_",
    "and_",
    "arith",
    "choose",
    "compare",
    "cumulative",
    "lag",
    "least",
    "greatest",
    "neg",
    "not_",
    "numeric",
    "or_",
    "otherwise",
    "rounded",
    "running_sum",
    "scheduled",
    "stepped",
    "stepped_cumulative",
    "stepped_first",
    "trailing",
    "window_first",
    "lag_bounds",
    "months_of",
]


@dataclass(frozen=True, slots=True)
class Segments:
    """Where each contract's months lie when several contracts are evaluated
    as one run: ``spans[i]`` is contract i's ``(start, end)`` in the columns,
    ``firsts[i]`` the :attr:`Period.index` of its first month."""

    spans: tuple[tuple[int, int], ...]
    firsts: tuple[int, ...]

    def blank(self, col: Series, k: int) -> Series:
        """``col`` with the first ``k`` months of every contract missing (a
        window or lag there reaches before the contract's first month)."""
        if k <= 0:
            return col
        n = len(col)
        nones: Series = [None] * k
        for s, e in self.spans:
            if s + k <= e and s + k <= n:
                col[s : s + k] = nones
                continue
            if s >= n:
                break
            e = min(s + k, e, n)
            col[s:e] = nones[: e - s]
        return col


def months_of(col: Series, lo: int, hi: int) -> Series:
    """A column's values for months ``lo .. hi-1``: the whole column as it is
    (no copy: the functions here never change their operands), else a slice."""
    return col if lo == 0 and hi == len(col) else col[lo:hi]


def _col(x: Operand, n: int) -> Series:
    return x if isinstance(x, list) else [x] * n


# ---------------------------------------------------------------- arithmetic


def numeric(op: str, xs: Operand, ys: Operand) -> Series:
    """``xs op ys`` for numbers and money (Decimal values), element-wise."""
    if isinstance(ys, list):
        if not isinstance(xs, list):
            xs = [xs] * len(ys)
        if op == "+":
            return [None if a is None or b is None else a + b for a, b in zip(xs, ys, strict=True)]
        if op == "-":
            return [None if a is None or b is None else a - b for a, b in zip(xs, ys, strict=True)]
        if op == "*":
            return [None if a is None or b is None else a * b for a, b in zip(xs, ys, strict=True)]
        return [None if a is None or b is None or not b else a / b for a, b in zip(xs, ys, strict=True)]
    b = ys
    if b is None:
        return [None] * len(xs)
    if op == "+":
        return [None if a is None else a + b for a in xs]
    if op == "-":
        return [None if a is None else a - b for a in xs]
    if op == "*":
        return [None if a is None else a * b for a in xs]
    if not b:
        return [None] * len(xs)  # division by zero is missing
    return [None if a is None else a / b for a in xs]


def arith(op: str, xs: Operand, ys: Operand, cal: BusinessCalendar | None = None) -> Series:
    """``xs op ys`` for any operands (dates, durations): :mod:`ops` per element."""
    f = ops.ARITH[op]
    n = len(xs) if isinstance(xs, list) else len(ys)
    return [f(a, b, cal) for a, b in zip(_col(xs, n), _col(ys, n), strict=True)]


def neg(xs: Series) -> Series:
    return [ops.neg(v) for v in xs]


def abs_(xs: Series) -> Series:
    return [None if v is None else abs(cast(Decimal, v)) for v in xs]


def rounded(xs: Series, digits: int) -> Series:
    return [ops.round_half_even(v, digits) for v in xs]


def least(cols: Sequence[Operand]) -> Series:
    """``min(a, b, …)``: missing if any operand is missing."""
    n = next(len(c) for c in cols if isinstance(c, list)) if any(isinstance(c, list) for c in cols) else 1
    rows = zip(*(_col(c, n) for c in cols), strict=True)
    return [None if None in row else min(row, key=ops.order_key) for row in rows]


def greatest(cols: Sequence[Operand]) -> Series:
    """``max(a, b, …)``: missing if any operand is missing."""
    n = next(len(c) for c in cols if isinstance(c, list)) if any(isinstance(c, list) for c in cols) else 1
    rows = zip(*(_col(c, n) for c in cols), strict=True)
    return [None if None in row else max(row, key=ops.order_key) for row in rows]


# -------------------------------------------------------------- comparisons


def compare(op: str, xs: Operand, ys: Operand) -> Series:
    """``xs op ys`` element-wise; missing when either side is."""
    if not isinstance(ys, list):
        b = ys
        if b is None:
            return [None] * len(xs)
        if op == "<":
            return [None if a is None else a < b for a in xs]
        if op == "<=":
            return [None if a is None else a <= b for a in xs]
        if op == ">":
            return [None if a is None else a > b for a in xs]
        if op == ">=":
            return [None if a is None else a >= b for a in xs]
        if op == "==":
            return [None if a is None else a == b for a in xs]
        return [None if a is None else a != b for a in xs]
    xs = _col(xs, len(ys))
    if op == "<":
        return [None if a is None or b is None else a < b for a, b in zip(xs, ys, strict=True)]
    if op == "<=":
        return [None if a is None or b is None else a <= b for a, b in zip(xs, ys, strict=True)]
    if op == ">":
        return [None if a is None or b is None else a > b for a, b in zip(xs, ys, strict=True)]
    if op == ">=":
        return [None if a is None or b is None else a >= b for a, b in zip(xs, ys, strict=True)]
    if op == "==":
        return [None if a is None or b is None else a == b for a, b in zip(xs, ys, strict=True)]
    return [None if a is None or b is None else a != b for a, b in zip(xs, ys, strict=True)]


def compare_any(op: str, xs: Operand, ys: Operand) -> Series:
    """Like :func:`compare` for values of any kind (durations of different units)."""
    n = len(xs) if isinstance(xs, list) else len(ys)
    return [ops.compare(op, a, b) for a, b in zip(_col(xs, n), _col(ys, n), strict=True)]


# ---------------------------------------------------------------- logic


def and_(cols: Sequence[Series]) -> Series:
    return [ops.and3(list(row)) for row in zip(*cols, strict=True)]


def or_(cols: Sequence[Series]) -> Series:
    return [ops.or3(list(row)) for row in zip(*cols, strict=True)]


def not_(xs: Series) -> Series:
    return [None if v is None else not v for v in xs]


def choose(cs: Series, xs: Operand, ys: Operand) -> Series:
    """``if c then x else y``: missing when the condition is."""
    n = len(cs)
    return [
        None if c is None else (a if c else b)
        for c, a, b in zip(cs, _col(xs, n), _col(ys, n), strict=True)
    ]


def otherwise(xs: Series, ys: Operand) -> Series:
    """``x otherwise y``: x where it is defined, else y."""
    if not isinstance(ys, list):
        return [ys if a is None else a for a in xs]
    return [b if a is None else a for a, b in zip(xs, ys, strict=True)]


# ---------------------------------------------------------- windows and lags


def _window_sum(vals: Sequence[Any]) -> Decimal:
    """Left to right, exactly like the chain ``a + b + c`` written out."""
    acc = vals[0]
    for v in vals[1:]:
        acc = acc + v
    return cast(Decimal, acc)


def _full(agg: str) -> Callable[[Sequence[Any]], Value]:
    """The aggregate of a window known to hold no missing value."""
    if agg == "sum":
        return _window_sum
    if agg == "avg":
        return lambda vals: _window_sum(vals) / len(vals)
    return min if agg == "min" else max


def window_first(lo: int, months: int) -> int:
    """The first month a window of ``months`` needs its operand from, for months ``lo ..``."""
    return max(lo - months + 1, 0)


def lag_bounds(lo: int, hi: int, months: int) -> tuple[int, int]:
    """The months ``(first, upper)`` a lag of ``months`` needs its operand for,
    for months ``lo .. hi-1`` (an empty range when they all lie before the timeline)."""
    first = max(lo - months, 0)
    return first, max(hi - months, first)


def trailing(
    agg: str, vals: Series, months: int, first: int, lo: int, segs: Segments | None = None
) -> Series:
    """``agg(x, N months)`` for months ``lo ..``: each month's window is the
    ``months`` months ending with it.  ``vals`` holds x from month ``first``
    (``first <= max(lo - months + 1, 0)``) to the last month wanted.  With
    ``segs`` (several contracts, ``first = lo = 0``), a contract's first
    ``months - 1`` months are missing."""
    if segs is not None:
        return segs.blank(trailing(agg, vals, months, first, lo), months - 1)
    if agg == "sum" and months <= 3 and first == 0 and lo == 0:
        # the common short window over a whole column: no slicing
        xs = cast(list[Any], vals)
        head: Series = [None] * min(months - 1, len(xs))
        if months == 1:
            return list(xs)
        if months == 2:
            return head + [
                None if a is None or b is None else a + b for a, b in zip(xs, xs[1:], strict=False)
            ]
        return head + [
            None if a is None or b is None or c is None else a + b + c
            for a, b, c in zip(xs, xs[1:], xs[2:], strict=False)
        ]
    full = _full(agg)
    hi = first + len(vals)
    out: Series = []
    missing = [v is None for v in vals]
    for t in range(lo, hi):
        start = t - months + 1
        if start < 0:
            out.append(None)  # the window reaches before the first data month
            continue
        a, b = start - first, t - first + 1
        out.append(None if True in missing[a:b] else full(vals[a:b]))
    return out


def stepped(
    agg: str, vals: Series, count: int, step: int, first: int, lo: int, start: int
) -> Series:
    """``agg(x, N quarters)`` over a value reported every ``step`` months (3 or 12):
    for each month ``lo ..``, the last ``count`` reports — the latest report month on
    or before it and the ``count - 1`` report months before that.  Missing when
    one lies before the first month or holds a missing value.  ``vals`` holds x
    from month ``first``; ``start`` is the first month's :attr:`Period.index`, so
    month ``t`` is in calendar month ``(start + t) % 12 + 1``."""
    full = _full(agg)
    out: Series = []
    for t in range(lo, first + len(vals)):
        last = t - (start + t + 1) % step  # the latest report month on or before t
        picked = [last - k * step for k in range(count)]
        if picked[-1] < 0:
            out.append(None)
            continue
        window = [vals[i - first] for i in reversed(picked)]
        out.append(None if None in window else full(window))
    return out


def stepped_first(lo: int, count: int, step: int) -> int:
    """The first month a :func:`stepped` window needs its operand from, for months ``lo ..``."""
    return max(lo - count * step + 1, 0)


def stepped_cumulative(
    agg: str, vals: Series, step: int, lo: int, start: int, starts: Sequence[int] | None = None
) -> Series:
    """``agg(x, to date)`` (``starts`` None) or ``agg(x, year to date)`` over a value
    reported every ``step`` months: the reports of the report months from the first
    month (or the first month of the year) through each month ``lo ..``; missing
    when there is none yet, or one is missing.  ``vals`` holds x from month 0."""
    full = _full(agg)
    out: Series = []
    for t in range(lo, len(vals)):
        a = 0 if starts is None else starts[t]
        window = [vals[i] for i in range(a, t + 1) if (start + i + 1) % step == 0]
        out.append(None if not window or None in window else full(window))
    return out


def cumulative(
    agg: str, vals: Series, lo: int, starts: Sequence[int] | None = None, segs: Segments | None = None
) -> Series:
    """``agg(x, to date)`` (``starts`` None: from the first month) or
    ``agg(x, year to date)`` (``starts[t]``: the first month of t's calendar
    year inside the timeline), for months ``lo ..``.  ``vals`` holds x from
    month 0.  With ``segs`` (several contracts, ``lo = 0``), ``to date``
    starts again at each contract's first month (``starts`` already does)."""
    if segs is not None and starts is None:
        out: Series = []
        for s, e in segs.spans:
            if s >= len(vals):
                break
            out += cumulative(agg, vals[s:e], 0)
        return out
    if agg == "sum" and starts is None:
        return running_sum(vals, lo)
    full = _full(agg)
    out = []
    missing = [v is None for v in vals]
    for t in range(lo, len(vals)):
        a = 0 if starts is None else starts[t]
        out.append(None if True in missing[a : t + 1] else full(vals[a : t + 1]))
    return out


def running_sum(vals: Series, lo: int = 0) -> Series:
    """``sum(x, to date)``: the chain ``x[0] + x[1] + …`` month by month;
    missing from the first missing month on."""
    out: Series = []
    acc: Any = None
    add = CONTEXT.add
    started = False
    for t, v in enumerate(cast(list[Any], vals)):
        if not started:
            acc, started = v, True
        elif acc is not None:
            acc = None if v is None else add(acc, v)
        if t >= lo:
            out.append(acc)
    return out


def lag(vals: Series, months: int, first: int, lo: int, hi: int, segs: Segments | None = None) -> Series:
    """``previous(x, N months)`` for months ``lo .. hi-1``: x of N months
    earlier; missing before the first month.  ``vals`` holds x from month
    ``first`` (``first <= max(lo - months, 0)``) to month ``hi - 1 - months``.
    With ``segs`` (several contracts, ``first = lo = 0``), missing in a
    contract's first ``months`` months."""
    if segs is not None:
        return segs.blank(lag(vals, months, first, lo, hi), months)
    return [vals[t - months - first] if t - months >= 0 else None for t in range(lo, hi)]


def scheduled(starts: Sequence[Any], values: Sequence[Series], months: Sequence[Any]) -> Series:
    """A schedule (``10% from 2026-01, 15% from 2027-01``): each month takes the
    latest entry whose first month is on or before it; missing before the
    first entry.  ``values[k]`` is entry k's value over ``months``."""
    out: Series = []
    for t, p in enumerate(months):
        current: Value = None
        for start, col in zip(starts, values, strict=True):
            if start <= p:
                current = col[t]
        out.append(current)
    return out
