"""How often a value changes: the cadence of measures reported quarterly or yearly (LANGUAGE.md §5).

``measure csat "…": number quarterly`` is reported once per quarter, in its
last month; between reports its value is the last report.  A value computed
only from such measures (and constants) changes at the same months, so it
has the same cadence; anything that reads a monthly measure, or the result
of a threshold, waterfall or contribution, is monthly.

Windows count reports: over a quarterly value, ``avg(csat, 2 quarters)`` is
the average of the last two reports, so its window is counted in quarters
or years (:func:`window_step`); over a yearly value, in years.
"""

from __future__ import annotations

from pactlang.sema.context import Checker
from pactlang.syntax import ast

__all__ = ["MONTHS", "cadence_of", "finest", "window_step"]

#: months between two reports
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_WINDOWS = (ast.ToDate, ast.YearToDate, ast.DurationLit)
_MONTHLY_READS = frozenset({"status", "paid", "distributed", "retained", "contributed"})


def finest(a: str | None, b: str | None) -> str | None:
    """The cadence of a value computed from two others (None: a constant)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if MONTHS[a] <= MONTHS[b] else b


def cadence_of(ck: Checker, e: ast.Expr) -> str | None:
    """How often ``e`` changes: monthly, quarterly or yearly; None for a constant."""
    out: str | None = None
    stack: list[ast.Expr] = [e]
    while stack and out != "monthly":
        node = stack.pop()
        if isinstance(node, ast.Name):
            name = node.head.name
            if name in ck.cc.constants:
                continue
            if ck.kind.get(name) in ("measure", "let", "kpi"):
                out = finest(out, ck.cc.cadences.get(name, "monthly"))
            continue
        if isinstance(node, ast.Call):
            fn = node.func.name
            if fn in _MONTHLY_READS:
                return "monthly"
            if fn in ("banzhaf", "shapley"):
                continue
            args = node.args
            if fn == "previous" and args:
                inner = cadence_of(ck, args[0])
                lag = args[1] if len(args) > 1 else None
                months = 1
                if isinstance(lag, ast.DurationLit):
                    months = _UNIT_MONTHS.get(lag.unit, 1) * lag.amount
                if inner is not None and months % MONTHS[inner]:
                    return "monthly"  # shifted off the report months
                out = finest(out, inner)
                continue
            # windows (`3 months`, `to date`) and durations are not values that change
            stack.extend(a for a in args if not isinstance(a, _WINDOWS))
            continue
        stack.extend(_children(node))
    return out


def _children(e: ast.Expr) -> tuple[ast.Expr, ...]:
    if isinstance(e, ast.Arith | ast.Logic):
        return e.operands
    if isinstance(e, ast.Unary):
        return (e.operand,)
    if isinstance(e, ast.Compare):
        return (e.left, e.right)
    if isinstance(e, ast.IfThenElse):
        return (e.cond, e.then, e.else_)
    if isinstance(e, ast.Otherwise):
        return (e.value, e.fallback)
    return ()


def window_step(ck: Checker, fn: str, operand: ast.Expr, window: ast.Expr) -> int:
    """The months between two values a window over ``operand`` counts (1, 3 or 12),
    recorded for lowering; reports E025 when the window is counted in a unit
    finer than the operand's reports (``avg(csat, 3 months)`` over a quarterly
    measure)."""
    cadence = cadence_of(ck, operand)
    step = MONTHS.get(cadence or "monthly", 1)
    if step > 1 and isinstance(window, ast.DurationLit) and window.unit in _UNIT_MONTHS:
        if _UNIT_MONTHS[window.unit] < step:
            unit = "quarters or years" if step == 3 else "years"
            example = "2 quarters" if step == 3 else "2 years"
            what = f"`{operand.head.name}`" if isinstance(operand, ast.Name) else "this value"
            ck.bag.error(
                "E025",
                f"{what} is reported {cadence}: a window over it counts reports, in {unit}, "
                f"not {window.unit}s",
                window.span,
                help=f"write e.g. `{fn}(…, {example})`",
            )
    if step > 1:
        ck.cc.window_steps[id(window)] = step
    return step

