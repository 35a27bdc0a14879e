"""The interpreter's expressions: IR nodes compiled once into column closures.

Each node of :mod:`pactlang.ir.nodes` becomes a closure
``fn(env, lo, hi) -> list[Value]`` computing the node for months ``lo ..
hi-1`` of the timeline with the column functions of
:mod:`pactlang.kernel.series` (the one home of their semantics).  A portfolio
evaluates the same closures for every key, so the tree is walked once per
contract, not once per cell; ``(lo, hi) = (t, t + 1)`` evaluates one month,
which recurrences and waterfall caps use.

A construct's expression is compiled with :meth:`Compiler.located`, so
arithmetic that leaves the decimal context's range (an exponent overflow, a
date past the year 9999) raises an evaluation error naming the expression,
its line and the month, never a bare ``decimal`` exception.
"""

from __future__ import annotations

from collections.abc import Callable

from pactlang.base.values import Value
from pactlang.ir import nodes as ir
from pactlang.kernel import run as R
from pactlang.kernel import series as S
from pactlang.kernel.builtins import scalar
from pactlang.kernel.run import Run, located
from pactlang.kernel.series import Operand

Series = list[Value]
Fn = Callable[[Run, int, int], Series]
#: ``power(kind, committee, decision, party)``: a time-independent voting power
Power = Callable[[str, str, str, str], Value]

__all__ = ["Compiler", "Fn", "where"]


class Compiler:
    """Compiles the expressions of one program to closures (memoised by node)."""

    def __init__(self, program: ir.Program, power: Power) -> None:
        self.program = program
        self.power = power
        self.cache: dict[int, Fn] = {}

    def located(self, expr: ir.Expr) -> Fn:
        """The closure of a construct's expression, reporting arithmetic failures
        with the expression, its line and the month (:func:`pactlang.kernel.run.located`)."""
        return located(self.compile(expr), where(self.program, expr))

    def compile(self, expr: ir.Expr) -> Fn:
        key = id(expr)
        fn = self.cache.get(key)
        if fn is None:
            fn = self._compile(expr)
            self.cache[key] = fn
        return fn

    # ---------------------------------------------------------------- nodes

    def _compile(self, e: ir.Expr) -> Fn:
        if isinstance(e, ir.Const):
            value = e.value

            def const(env: Run, lo: int, hi: int) -> Series:
                return [value] * (hi - lo)

            return const
        if isinstance(e, ir.Ref):
            name = e.name

            def ref(env: Run, lo: int, hi: int) -> Series:
                return S.months_of(env.series[name], lo, hi)

            return ref
        if isinstance(e, ir.Neg):
            inner = self.compile(e.operand)
            return lambda env, lo, hi: S.neg(inner(env, lo, hi))
        if isinstance(e, ir.Not):
            inner = self.compile(e.operand)
            return lambda env, lo, hi: S.not_(inner(env, lo, hi))
        if isinstance(e, ir.Arith):
            return self._arith(e)
        if isinstance(e, ir.Logic):
            fns = [self.compile(o) for o in e.operands]
            combine = S.and_ if e.op == "and" else S.or_
            return lambda env, lo, hi: combine([f(env, lo, hi) for f in fns])
        if isinstance(e, ir.Compare):
            left, op = self.compile(e.left), e.op
            if e.plain:
                right = self.operand(e.right)
                return lambda env, lo, hi: S.compare(op, left(env, lo, hi), right(env, lo, hi))
            other = self.compile(e.right)
            return lambda env, lo, hi: S.compare_any(op, left(env, lo, hi), other(env, lo, hi))
        if isinstance(e, ir.Choose):
            c, a, b = self.compile(e.cond), self.operand(e.then), self.operand(e.else_)
            return lambda env, lo, hi: S.choose(c(env, lo, hi), a(env, lo, hi), b(env, lo, hi))
        if isinstance(e, ir.Otherwise):
            a, b = self.compile(e.value), self.operand(e.fallback)
            return lambda env, lo, hi: S.otherwise(a(env, lo, hi), b(env, lo, hi))
        if isinstance(e, ir.Window):
            return self._window(e)
        if isinstance(e, ir.ToDate):
            return self._to_date(e)
        if isinstance(e, ir.Lag):
            return self._lag(e)
        if isinstance(e, ir.Call):
            fns = [self.compile(a) for a in e.args]
            fname, digits = e.fn, e.digits
            return lambda env, lo, hi: scalar(fname, [f(env, lo, hi) for f in fns], digits)
        if isinstance(e, ir.Distributed | ir.Retained):
            return self._waterfall(e)
        if isinstance(e, ir.Paid):
            return self._paid(e)
        if isinstance(e, ir.Status):
            threshold = e.threshold
            return lambda env, lo, hi: R.status(env, threshold, lo, hi)
        if isinstance(e, ir.Contributed):
            name, party, to_date = e.contribution, e.party, e.to_date
            return lambda env, lo, hi: R.contributed(env, name, party, to_date, lo, hi)
        if isinstance(e, ir.Power):
            value = self.power(e.kind, e.committee, e.decision, e.party)
            return lambda env, lo, hi: [value] * (hi - lo)
        raise TypeError(f"cannot evaluate {type(e).__name__}")  # pragma: no cover

    def operand(self, e: ir.Expr) -> Callable[[Run, int, int], Operand]:
        """Where a kernel function takes a series or one value for every month:
        a literal (or voting power) is passed as the value itself."""
        if isinstance(e, ir.Const | ir.Power):
            value = e.value if isinstance(e, ir.Const) else self.power(e.kind, e.committee, e.decision, e.party)
            return lambda env, lo, hi: value
        return self.compile(e)

    def _arith(self, e: ir.Arith) -> Fn:
        first = self.compile(e.operands[0])
        if e.numeric:
            steps = [(op, self.operand(o)) for op, o in zip(e.ops, e.operands[1:], strict=True)]

            def numeric(env: Run, lo: int, hi: int) -> Series:
                acc = first(env, lo, hi)
                for op, f in steps:
                    acc = S.numeric(op, acc, f(env, lo, hi))
                return acc

            return numeric
        rest = [(op, self.compile(o)) for op, o in zip(e.ops, e.operands[1:], strict=True)]

        def generic(env: Run, lo: int, hi: int) -> Series:
            acc = first(env, lo, hi)
            for op, f in rest:
                acc = S.arith(op, acc, f(env, lo, hi), env.calendar)
            return acc

        return generic

    def _window(self, e: ir.Window) -> Fn:
        inner = self.compile(e.operand)
        agg, months = e.agg, e.months
        if e.step > 1:
            step, count = e.step, e.months // e.step

            def stepped(env: Run, lo: int, hi: int) -> Series:
                first = S.stepped_first(lo, count, step)
                start = env.start
                return S.stepped(agg, inner(env, first, hi), count, step, first, lo, start)

            return stepped

        def window(env: Run, lo: int, hi: int) -> Series:
            first = S.window_first(lo, months)
            return S.trailing(agg, inner(env, first, hi), months, first, lo, env.segments)

        return window

    def _to_date(self, e: ir.ToDate) -> Fn:
        inner = self.compile(e.operand)
        agg, year = e.agg, e.year
        if e.step > 1:
            step = e.step

            def stepped(env: Run, lo: int, hi: int) -> Series:
                starts = env.year_starts if year else None
                start = env.start
                return S.stepped_cumulative(agg, inner(env, 0, hi), step, lo, start, starts)

            return stepped

        def to_date(env: Run, lo: int, hi: int) -> Series:
            return S.cumulative(agg, inner(env, 0, hi), lo, env.year_starts if year else None, env.segments)

        return to_date

    def _lag(self, e: ir.Lag) -> Fn:
        inner = self.compile(e.operand)
        months = e.months

        def lag(env: Run, lo: int, hi: int) -> Series:
            first, upper = S.lag_bounds(lo, hi, months)
            return S.lag(inner(env, first, upper), months, first, lo, hi, env.segments)

        return lag

    def _waterfall(self, e: ir.Distributed | ir.Retained) -> Fn:
        fund, to_date = e.fund, e.to_date
        if isinstance(e, ir.Retained):
            return lambda env, lo, hi: R.retained(env, fund, to_date, lo, hi)
        tier, party = e.tier, e.party
        return lambda env, lo, hi: R.distributed(env, fund, tier, party, to_date, lo, hi)

    def _paid(self, e: ir.Paid) -> Fn:
        payer, payee, to_date = e.payer, e.payee, e.to_date
        return lambda env, lo, hi: R.paid(env, payer, payee, to_date, lo, hi)


def where(program: ir.Program, node: ir.Expr) -> str:
    """``alliance.pact:12:20: `a * b```: a node's place and text, for error messages."""
    span = node.span
    text = " ".join(program.source[span.start : span.end].split()) or "?"
    if len(text) > 60:
        text = text[:57] + "…"
    return f"{program.path}:{span.line}:{span.col}: `{text}`"
