"""Expressions, evaluated column-wise (LANGUAGE.md §5).

Each expression node is compiled once per contract into a closure
``fn(env, lo, hi) -> list[Value]`` that computes the node's values for months
``lo .. hi-1`` of the timeline in one pass over its operands' series.  A
portfolio evaluates the same closures for every key, so the tree is walked
once per contract, not once per cell.  ``(lo, hi) = (t, t + 1)`` evaluates one
month, which waterfall caps use while a month is being distributed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, cast

from pactlang.base.types import Type
from pactlang.base.values import CONTEXT, Period
from pactlang.kernel import ops as V
from pactlang.kernel.ops import Value
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

Series = list[Value]
Fn = Callable[["Env", int, int], Series]


class WaterfallView(Protocol):
    """What expressions may read of a waterfall's results."""

    def distributed(self, t: int, tier: str | None, party: str | None, to_date: bool) -> Value:
        """Paid in month ``t`` (or cumulatively through it, with ``to_date``)."""
        ...

    def retained(self, t: int, to_date: bool) -> Value: ...


@dataclass(slots=True)
class Env:
    """Everything computed so far for one dataset."""

    months: list[Period]
    series: dict[str, Series] = field(default_factory=dict)  # measures, lets, KPIs
    status: dict[str, list[str | None]] = field(default_factory=dict)
    paid: dict[tuple[str, str], list[Decimal]] = field(default_factory=dict)
    waterfalls: dict[str, WaterfallView] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.months)


class EvalError(Exception):
    pass


WINDOW_FUNCS = frozenset({"sum", "avg", "min", "max"})


def is_window_call(call: ast.Call) -> bool:
    return (
        call.func.name in WINDOW_FUNCS
        and len(call.args) == 2
        and isinstance(call.args[1], (ast.DurationLit, ast.ToDate, ast.YearToDate))
    )


def _const(value: Value) -> Fn:
    def fn(env: Env, lo: int, hi: int) -> Series:
        return [value] * (hi - lo)

    return fn


class Compiler:
    """Compiles expressions of one checked contract to closures."""

    def __init__(self, cc: CheckedContract, power: Callable[[str, str, str, str], Value] | None = None):
        self.cc = cc
        self.power = power
        self.cache: dict[int, Fn] = {}

    def compile(self, expr: ast.Expr) -> Fn:
        key = id(expr)
        fn = self.cache.get(key)
        if fn is None:
            fn = self._compile(expr)
            self.cache[key] = fn
        return fn

    # ------------------------------------------------------------------
    def _compile(self, e: ast.Expr) -> Fn:
        if isinstance(e, (ast.NumberLit, ast.PercentLit)):
            return _const(e.value)
        if isinstance(e, ast.MoneyLit):
            return _const(e.amount)
        if isinstance(e, ast.StringLit):
            return _const(e.value)
        if isinstance(e, ast.BoolLit):
            return _const(e.value)
        if isinstance(e, ast.DateLit):
            return _const(e.value)
        if isinstance(e, ast.PeriodLit):
            return _const(e.value)
        if isinstance(e, ast.DurationLit):
            return _const(V.Duration(e.amount, e.unit))
        if isinstance(e, ast.MissingLit):
            return _const(None)
        if isinstance(e, ast.Name):
            return self._name(e)
        if isinstance(e, ast.Unary):
            return self._unary(e)
        if isinstance(e, ast.Arith):
            return self._arith(e)
        if isinstance(e, ast.Logic):
            return self._logic(e)
        if isinstance(e, ast.Compare):
            return self._compare(e)
        if isinstance(e, ast.IfThenElse):
            return self._if(e)
        if isinstance(e, ast.Otherwise):
            return self._otherwise(e)
        if isinstance(e, ast.Call):
            return self._call(e)
        raise EvalError(f"cannot evaluate {type(e).__name__} here")

    def _name(self, e: ast.Name) -> Fn:
        name = e.head.name

        def fn(env: Env, lo: int, hi: int) -> Series:
            return env.series[name][lo:hi]

        return fn

    def _unary(self, e: ast.Unary) -> Fn:
        inner = self.compile(e.operand)
        op = V.neg if e.op == "-" else V.not3

        def fn(env: Env, lo: int, hi: int) -> Series:
            return [op(v) for v in inner(env, lo, hi)]

        return fn

    def _arith(self, e: ast.Arith) -> Fn:
        fns = [self.compile(o) for o in e.operands]
        numeric = all(
            self.cc.type_of(o) not in (Type.DATE, Type.DURATION, Type.PERIOD) for o in e.operands
        )
        first = fns[0]
        steps = [
            (_FAST[op] if numeric else _generic(V.ARITH[op]), f)
            for op, f in zip(e.ops, fns[1:], strict=True)
        ]

        def fn(env: Env, lo: int, hi: int) -> Series:
            acc = first(env, lo, hi)
            for step, f in steps:
                acc = step(acc, f(env, lo, hi))
            return acc

        return fn

    def _logic(self, e: ast.Logic) -> Fn:
        fns = [self.compile(o) for o in e.operands]
        combine = V.and3 if e.op == "and" else V.or3

        def fn(env: Env, lo: int, hi: int) -> Series:
            cols = [f(env, lo, hi) for f in fns]
            return [combine(list(row)) for row in zip(*cols, strict=True)]

        return fn

    def _compare(self, e: ast.Compare) -> Fn:
        left = self.compile(e.left)
        right = self.compile(e.right)
        rel = _RELATIONS[e.op]

        def fn(env: Env, lo: int, hi: int) -> Series:
            return [
                None if a is None or b is None else rel(a, b)
                for a, b in zip(left(env, lo, hi), right(env, lo, hi), strict=True)
            ]

        return fn

    def _if(self, e: ast.IfThenElse) -> Fn:
        c, a, b = self.compile(e.cond), self.compile(e.then), self.compile(e.else_)

        def fn(env: Env, lo: int, hi: int) -> Series:
            return [
                None if cv is None else (av if cv else bv)
                for cv, av, bv in zip(c(env, lo, hi), a(env, lo, hi), b(env, lo, hi), strict=True)
            ]

        return fn

    def _otherwise(self, e: ast.Otherwise) -> Fn:
        a, b = self.compile(e.value), self.compile(e.fallback)

        def fn(env: Env, lo: int, hi: int) -> Series:
            return [av if av is not None else bv for av, bv in zip(a(env, lo, hi), b(env, lo, hi), strict=True)]

        return fn

    # ------------------------------------------------------------ calls
    def _call(self, e: ast.Call) -> Fn:
        name = e.func.name
        if is_window_call(e):
            return self._window(e)
        if name == "previous":
            return self._previous(e)
        if name == "abs":
            inner = self.compile(e.args[0])

            def fn_abs(env: Env, lo: int, hi: int) -> Series:
                return [None if v is None else abs(v) for v in inner(env, lo, hi)]  # type: ignore[arg-type, misc]

            return fn_abs
        if name == "round":
            inner = self.compile(e.args[0])
            digits = _int_literal(e.args[1]) if len(e.args) > 1 else 0

            def fn_round(env: Env, lo: int, hi: int) -> Series:
                return [V.round_half_even(v, digits) for v in inner(env, lo, hi)]

            return fn_round
        if name in ("min", "max"):
            fns = [self.compile(a) for a in e.args]
            pick = min if name == "min" else max

            def fn_minmax(env: Env, lo: int, hi: int) -> Series:
                cols = [f(env, lo, hi) for f in fns]
                return [None if any(v is None for v in row) else pick(row) for row in zip(*cols, strict=True)]  # type: ignore[type-var]

            return fn_minmax
        if name in ("distributed", "retained"):
            return self._distributed(e)
        if name == "paid":
            return self._paid(e)
        if name == "status":
            tname = _name_of(e.args[0])

            def fn_status(env: Env, lo: int, hi: int) -> Series:
                return list(env.status[tname][lo:hi])

            return fn_status
        if name in ("banzhaf", "shapley"):
            target = e.args[0]
            assert isinstance(target, ast.Name) and len(target.parts) == 2
            committee, decision = target.parts[0].name, target.parts[1].name
            party = _name_of(e.args[1])
            if self.power is None:
                raise EvalError("voting power is not available")
            value = self.power(name, committee, decision, party)
            return _const(value)
        raise EvalError(f"unknown function {name}")

    def _window(self, e: ast.Call) -> Fn:
        inner = self.compile(e.args[0])
        spec = e.args[1]
        func = e.func.name
        agg = _AGG[func]
        if isinstance(spec, ast.DurationLit):
            n = V.window_months(V.Duration(spec.amount, spec.unit))

            full = _FULL[func]

            def fn(env: Env, lo: int, hi: int) -> Series:
                start = max(lo - n + 1, 0)
                vals = inner(env, start, hi)
                # flags, not values: `None in decimals` would compare each Decimal with None
                miss = [v is None for v in vals]
                out: Series = []
                for t in range(lo, hi):
                    first = t - n + 1
                    if first < 0:
                        out.append(None)  # the window reaches before the first data month
                        continue
                    a, b = first - start, t - start + 1
                    out.append(None if True in miss[a:b] else full(vals[a:b]))
                return out

            return fn
        ytd = isinstance(spec, ast.YearToDate)

        def fn_cumulative(env: Env, lo: int, hi: int) -> Series:
            vals = inner(env, 0, hi)
            out: Series = []
            months = env.months
            for t in range(lo, hi):
                first = 0
                if ytd:
                    jan = Period(months[t].year, 1).index
                    first = max(0, t - (months[t].index - jan))
                out.append(agg(vals[first : t + 1]))
            return out

        if func == "sum" and not ytd:
            return _running_sum(inner)
        return fn_cumulative

    def _previous(self, e: ast.Call) -> Fn:
        inner = self.compile(e.args[0])
        n = 1
        if len(e.args) > 1:
            d = e.args[1]
            assert isinstance(d, ast.DurationLit)
            n = V.window_months(V.Duration(d.amount, d.unit))

        def fn(env: Env, lo: int, hi: int) -> Series:
            start = lo - n
            if hi - n <= 0:
                return [None] * (hi - lo)
            vals = inner(env, max(start, 0), hi - n)
            pad = [None] * max(0, -start)
            return pad + vals

        return fn

    def _distributed(self, e: ast.Call) -> Fn:
        target = e.args[0]
        assert isinstance(target, ast.Name)
        fund = target.parts[0].name
        tier = target.parts[1].name if len(target.parts) > 1 else None
        party: str | None = None
        cumulative = False
        for a in e.args[1:]:
            if isinstance(a, ast.ToDate):
                cumulative = True
            elif isinstance(a, ast.Name):
                party = a.head.name
        retained = e.func.name == "retained"

        def fn(env: Env, lo: int, hi: int) -> Series:
            view = env.waterfalls[fund]
            if retained:
                return [view.retained(t, cumulative) for t in range(lo, hi)]
            return [view.distributed(t, tier, party, cumulative) for t in range(lo, hi)]

        return fn

    def _paid(self, e: ast.Call) -> Fn:
        payer, payee = _name_of(e.args[0]), _name_of(e.args[1])
        cumulative = len(e.args) > 2 and isinstance(e.args[2], ast.ToDate)

        def fn(env: Env, lo: int, hi: int) -> Series:
            col = env.paid.get((payer, payee))
            if col is None:
                return [V.ZERO] * (hi - lo)
            if not cumulative:
                return list(col[lo:hi])
            out: Series = []
            acc = V.ZERO
            for t in range(0, hi):
                acc = acc + col[t]
                if t >= lo:
                    out.append(acc)
            return out

        return fn


def _add(xs: Series, ys: Series) -> Series:
    return [None if a is None or b is None else a + b for a, b in zip(xs, ys, strict=True)]  # type: ignore[operator, misc]


def _sub(xs: Series, ys: Series) -> Series:
    return [None if a is None or b is None else a - b for a, b in zip(xs, ys, strict=True)]  # type: ignore[operator, misc]


def _mul(xs: Series, ys: Series) -> Series:
    return [None if a is None or b is None else a * b for a, b in zip(xs, ys, strict=True)]  # type: ignore[operator, misc]


def _div(xs: Series, ys: Series) -> Series:
    # division by zero is missing (LANGUAGE.md §5)
    return [None if a is None or b is None or not b else a / b for a, b in zip(xs, ys, strict=True)]  # type: ignore[operator, misc]


_FAST: dict[str, Callable[[Series, Series], Series]] = {"+": _add, "-": _sub, "*": _mul, "/": _div}


def _generic(op: Callable[[Value, Value], Value]) -> Callable[[Series, Series], Series]:
    def step(xs: Series, ys: Series) -> Series:
        return [op(a, b) for a, b in zip(xs, ys, strict=True)]

    return step


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _name_of(e: Any) -> str:
    assert isinstance(e, ast.Name)
    return e.head.name


def _int_literal(e: Any) -> int:
    if isinstance(e, ast.NumberLit):
        return int(e.value)
    if isinstance(e, ast.Unary) and e.op == "-" and isinstance(e.operand, ast.NumberLit):
        return -int(e.operand.value)
    raise EvalError("round() needs a whole number of digits")


def _sum(vals: Series) -> Value:
    if any(v is None for v in vals):
        return None
    return _decimal_sum(vals)


def _avg(vals: Series) -> Value:
    s = _sum(vals)
    if s is None or not vals:
        return None
    return cast(Decimal, s) / len(vals)


def _min(vals: Series) -> Value:
    if not vals or any(v is None for v in vals):
        return None
    return min(vals)  # type: ignore[type-var]


def _max(vals: Series) -> Value:
    if not vals or any(v is None for v in vals):
        return None
    return max(vals)  # type: ignore[type-var]


_AGG: dict[str, Callable[[Series], Value]] = {"sum": _sum, "avg": _avg, "min": _min, "max": _max}

# the same aggregates over a window known to hold no missing value
def _decimal_sum(vals: Series) -> Value:
    """Left to right, exactly like chained `+`."""
    return sum(cast(list[Decimal], vals), V.ZERO)


def _decimal_avg(vals: Series) -> Value:
    return sum(cast(list[Decimal], vals), V.ZERO) / len(vals)


_FULL: dict[str, Callable[[Series], Value]] = {
    "sum": _decimal_sum,
    "avg": _decimal_avg,
    "min": min,  # type: ignore[dict-item]
    "max": max,  # type: ignore[dict-item]
}


def _running_sum(inner: Fn) -> Fn:
    def fn(env: Env, lo: int, hi: int) -> Series:
        vals = inner(env, 0, hi)
        out: Series = []
        acc: Value = V.ZERO
        for t, v in enumerate(vals):
            if acc is not None:
                acc = None if v is None else CONTEXT.add(acc, v)  # type: ignore[arg-type]
            if t >= lo:
                out.append(acc)
        return out

    return fn


def value_type(cc: CheckedContract, e: ast.Expr) -> Type:
    return cc.type_of(e)
