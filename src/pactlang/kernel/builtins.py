"""The registry of built-in functions (LANGUAGE.md §5): one entry per function.

Each :class:`Builtin` says what the function is — its *shape* (a window, a
lag, a scalar function of values, or a read of another construct's results),
how it is called (``usage``, for messages and hovers), what it computes in
one sentence (``summary``, for documentation and explanations) and, for the
scalar functions, the column function of :mod:`pactlang.kernel.series` that
implements it.  ``sema`` takes the names (reserved, checked call by call),
:mod:`pactlang.ir.lower` dispatches on the shape, the engines call the
implementations, the explanations follow the shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pactlang.kernel import series

__all__ = ["BUILTINS", "WINDOW_FUNCS", "Builtin", "scalar"]


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str
    #: window (``sum``/``avg``/``min``/``max`` over months) | lag | scalar |
    #: waterfall | payments | status | contribution | power
    kind: str
    usage: str
    summary: str
    #: scalar functions: the column implementation (operands as series)
    column: Callable[..., series.Series] | None = None


def _abs(args: Sequence[Any], digits: int | None) -> series.Series:
    return series.abs_(args[0])


def _round(args: Sequence[Any], digits: int | None) -> series.Series:
    return series.rounded(args[0], digits or 0)


def _min(args: Sequence[Any], digits: int | None) -> series.Series:
    return series.least(args)


def _max(args: Sequence[Any], digits: int | None) -> series.Series:
    return series.greatest(args)


_ENTRIES = (
    Builtin(
        "sum", "window", "`sum(x, 3 months)`, `sum(x, to date)` or `sum(x, year to date)`",
        "the total of x over a trailing window of months",
    ),
    Builtin(
        "avg", "window", "`avg(x, 3 months)`, `avg(x, to date)` or `avg(x, year to date)`",
        "the average of x over a trailing window of months",
    ),
    Builtin(
        "min", "scalar", "`min(x, 6 months)` or `min(a, b, …)`",
        "the smallest of x over a window of months, or of several values", _min,
    ),
    Builtin(
        "max", "scalar", "`max(x, 6 months)` or `max(a, b, …)`",
        "the largest of x over a window of months, or of several values", _max,
    ),
    Builtin(
        "previous", "lag", "`previous(x)` or `previous(x, 12 months)`",
        "x one month (or N months) earlier",
    ),
    Builtin("abs", "scalar", "`abs(x)`", "the absolute value of x", _abs),
    Builtin(
        "round", "scalar", "`round(x, 2)` (the number of decimals)",
        "x rounded half-even to a number of decimals", _round,
    ),
    Builtin(
        "distributed", "waterfall",
        "`distributed(fund)`, `distributed(fund.tier, party)` or `distributed(fund, party, to date)`",
        "what a waterfall (or one of its tiers) paid, to everyone or one party, this month or to date",
    ),
    Builtin(
        "retained", "waterfall", "`retained(fund)` or `retained(fund, to date)`",
        "what passed a waterfall's last tier, this month or to date",
    ),
    Builtin(
        "paid", "payments", "`paid(payer, payee)` or `paid(payer, payee, to date)`",
        "what thresholds' actions paid from one party to another, this month or to date",
    ),
    Builtin("status", "status", "`status(threshold)`", "a threshold's status this month"),
    Builtin(
        "contributed", "contribution",
        "`contributed(budget)`, `contributed(budget, party)` or `contributed(budget, party, to date)`",
        "what a contribution called, from everyone or one party, this month or to date",
    ),
    Builtin(
        "banzhaf", "power", "`banzhaf(committee.decision, party)`",
        "a member's normalized Banzhaf voting power for a decision (exact)",
    ),
    Builtin(
        "shapley", "power", "`shapley(committee.decision, party)`",
        "a member's Shapley–Shubik voting power for a decision (exact)",
    ),
)

BUILTINS: dict[str, Builtin] = {b.name: b for b in _ENTRIES}

#: The functions that also take a window of months as their last argument.
WINDOW_FUNCS = frozenset({"sum", "avg", "min", "max"})


def scalar(name: str, args: Sequence[Any], digits: int | None = None) -> series.Series:
    """Apply the scalar built-in ``name`` to its operands (series or constants)."""
    impl = BUILTINS[name].column
    assert impl is not None, name
    return impl(args, digits)
