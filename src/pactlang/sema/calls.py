"""Pass 5, continued: the calls of built-in functions (LANGUAGE.md §5).

One function per built-in (or family of built-ins) checks the arguments of a
call and gives the call's type; :data:`CALLS` maps every name of the
registry (:mod:`pactlang.kernel.builtins`) to its checker, and
:meth:`pactlang.sema.typecheck.Typer.infer` dispatches on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pactlang.base.types import Type
from pactlang.diagnostics import replace_with
from pactlang.sema.cadence import window_step
from pactlang.sema.context import (
    BUILTINS,
    COMMITTEE,
    CONTRIBUTION,
    PARTY,
    THRESHOLD,
    WATERFALL,
    Checker,
    closest,
    plural,
)
from pactlang.sema.dims import (
    COUNT,
    DURATION,
    ERROR,
    MONEY,
    NUMBER,
    ORDERED,
    STATUS,
    WINDOW_UNITS,
    mixed_durations,
    unify,
)
from pactlang.sema.resolve import is_window
from pactlang.syntax import ast


class ArgTyper(Protocol):
    """What the checkers of calls use of the expression typer
    (:class:`pactlang.sema.typecheck.Typer`, which dispatches to them): the
    file's checker, the type of an argument, the kind of a duration."""

    ck: Checker

    def infer(self, e: ast.Expr, depth: int = 0) -> Type: ...

    def duration_kind(self, e: ast.Expr) -> str | None: ...

_MANY = 1 << 30  # no upper bound on the number of arguments


def _arity(ty: ArgTyper, e: ast.Call, lo: int, hi: int, usage: str) -> bool:
    n = len(e.args)
    if lo <= n <= hi:
        return True
    if lo == hi:
        want = plural(lo, "argument")
    elif hi >= _MANY:
        want = f"at least {plural(lo, 'argument')}"
    else:
        want = f"{lo} to {hi} arguments"
    ty.ck.bag.error(
        "E014",
        f"`{e.func.name}` takes {want}, got {n}",
        e.span,
        help=f"write {usage}",
    )
    return False


def _infer_all(ty: ArgTyper, args: tuple[ast.Expr, ...], depth: int) -> None:
    for a in args:
        if not is_window(a):
            ty.infer(a, depth)


def _window_arg(ty: ArgTyper, fn: str, w: ast.Expr) -> None:
    if isinstance(w, ast.ToDate | ast.YearToDate):
        return
    if isinstance(w, ast.DurationLit):
        ty.ck.cc.types[id(w)] = DURATION
        if w.unit not in WINDOW_UNITS:
            ty.ck.bag.error(
                "E025",
                f"a window is counted in months, quarters or years, not {w.unit.replace('_', ' ')}s",
                w.span,
                help=f"write e.g. `{fn}(x, 3 months)`",
            )
        elif w.amount < 1:
            ty.ck.bag.error("E025", "a window spans at least 1 month", w.span)
        return
    ty.ck.bag.error(
        "E025",
        f"the last argument of `{fn}` must be a window: `N months`, `to date` or `year to date`",
        w.span,
        help=f"write e.g. `{fn}(x, 3 months)`",
    )


def _window_first(ty: ArgTyper, fn: str, x: ast.Expr) -> None:
    """``sum(3 months, 2 months)``, ``min(2 months, 1 year)``, ``previous(to date)``:
    the first argument is the value the window (or lag) reads, never a window itself."""
    if isinstance(x, ast.DurationLit):
        ty.ck.cc.types[id(x)] = DURATION
    reads = "the lag reads" if fn == "previous" else "the window runs over"
    ty.ck.bag.error(
        "E025",
        f"the first argument of `{fn}` is the value {reads}, not a window",
        x.span,
        help=(f"write e.g. `{fn}(x, 12 months)`" if fn == "previous" else f"write e.g. `{fn}(x, 3 months)`")
        + (
            f"; to compare durations, declare them as lets and write `{fn}(a, b)`"
            if fn in ("min", "max")
            else ""
        ),
    )


def _series(ty: ArgTyper, fn: str, x: ast.Expr, depth: int) -> Type:
    t = ty.infer(x, depth)
    if t is ERROR or t.is_numeric or t is MONEY:
        return t
    ty.ck.bag.error("E022", f"`{fn}` needs numbers or money, got {t}", x.span)
    return ERROR


def call_sum_avg(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    fn = e.func.name
    if not _arity(
        ty, e, 2, 2, f"`{fn}(x, 3 months)`, `{fn}(x, to date)` or `{fn}(x, year to date)`"
    ):
        _infer_all(ty, e.args, depth)
        return ERROR
    x, w = e.args
    if is_window(x):
        _window_first(ty, fn, x)
        return ERROR
    _window_arg(ty, fn, w)
    if not is_window(w):
        ty.infer(w, depth)
    t = _series(ty, fn, x, depth)
    if is_window(w):
        window_step(ty.ck, fn, x, w)
    return NUMBER if fn == "avg" and t is COUNT else t


def call_min_max(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    fn = e.func.name
    args = e.args
    if len(args) == 2 and is_window(args[1]):
        if is_window(args[0]):
            _window_first(ty, fn, args[0])
            return ERROR
        _window_arg(ty, fn, args[1])
        t = _series(ty, fn, args[0], depth)
        window_step(ty.ck, fn, args[0], args[1])
        return t
    misplaced = [a for a in args if is_window(a)]
    if misplaced:
        ty.ck.bag.error(
            "E025",
            f"a window must be the second and last argument of `{fn}`",
            misplaced[0].span,
            help=f"write `{fn}(x, 6 months)` for a window, or `{fn}(a, b, …)` for values",
        )
        _infer_all(ty, args, depth)
        return ERROR
    if not _arity(ty, e, 2, _MANY, f"`{fn}(x, 6 months)` or `{fn}(a, b, …)`"):
        _infer_all(ty, args, depth)
        return ERROR
    acc = ERROR
    for a in args:
        t = ty.infer(a, depth)
        if t is not ERROR and t not in ORDERED:
            ty.ck.bag.error("E022", f"`{fn}` cannot compare {t} values", a.span)
            return ERROR
        u = unify(acc, t)
        if u is None:
            ty.ck.bag.error(
                "E020",
                f"`{fn}` needs values of one kind, got {acc} and {t}",
                a.span,
            )
            return ERROR
        acc = u
    if acc is DURATION:
        kinds = [ty.duration_kind(a) for a in args]
        for k in kinds[1:]:
            why = mixed_durations(kinds[0], k)
            if why is not None:
                ty.ck.bag.error(
                    "E022",
                    f"`{fn}` needs durations of one kind: {why}",
                    e.span,
                    help="write every duration in one unit",
                )
                return ERROR
    return acc


def call_previous(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    if not _arity(ty, e, 1, 2, "`previous(x)` or `previous(x, 12 months)`"):
        _infer_all(ty, e.args, depth)
        return ERROR
    x = e.args[0]
    if len(e.args) == 2:
        lag = e.args[1]
        ok = isinstance(lag, ast.DurationLit) and lag.unit in WINDOW_UNITS and lag.amount >= 1
        if isinstance(lag, ast.DurationLit):
            ty.ck.cc.types[id(lag)] = DURATION
        if not ok:
            ty.ck.bag.error(
                "E025",
                "the lag of `previous` is a number of months, quarters or years, at least 1",
                lag.span,
                help="write e.g. `previous(x, 12 months)`",
            )
            if not is_window(lag):
                ty.infer(lag, depth)
    if is_window(x):
        _window_first(ty, "previous", x)
        return ERROR
    return ty.infer(x, depth)


def call_abs(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    if not _arity(ty, e, 1, 1, "`abs(x)`"):
        _infer_all(ty, e.args, depth)
        return ERROR
    t = ty.infer(e.args[0], depth)
    if t is ERROR or t.is_numeric or t is MONEY:
        return t
    ty.ck.bag.error(
        "E022", f"`abs` needs a number or money, got {t}", e.args[0].span
    )
    return ERROR


def call_round(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    if not _arity(ty, e, 2, 2, "`round(x, 2)` (the number of decimals)"):
        _infer_all(ty, e.args, depth)
        return ERROR
    x, digits = e.args
    if isinstance(digits, ast.NumberLit) and digits.value == digits.value.to_integral_value():
        ty.ck.cc.types[id(digits)] = COUNT
        if digits.value > 28:
            ty.ck.bag.error("E028", "`round` keeps at most 28 decimals", digits.span)
    else:
        ty.ck.bag.error(
            "E028",
            "the number of decimals of `round` must be a whole number written out",
            digits.span,
            help="write e.g. `round(x, 2)`",
        )
        if not is_window(digits):
            ty.infer(digits, depth)
    t = ty.infer(x, depth)
    if t is ERROR or t.is_numeric or t is MONEY:
        return t
    ty.ck.bag.error("E022", f"`round` needs a number or money, got {t}", x.span)
    return ERROR

# -- construct results


def _party_arg(ty: ArgTyper, fn: str, a: ast.Expr) -> str | None:
    if isinstance(a, ast.Name) and len(a.parts) == 1:
        if ty.ck.lookup(a.head, (PARTY,), "party") is not None:
            ty.ck.cc.types[id(a)] = Type.PARTY
            return a.head.name
        return None
    ty.ck.bag.error("E028", f"`{fn}` expects a party name here", a.span)
    return None


def _fund_arg(ty: ArgTyper, fn: str, a: ast.Expr, allow_tier: bool) -> None:
    usage = "`distributed(fund)` or `distributed(fund.tier)`" if allow_tier else f"`{fn}(fund)`"
    if not isinstance(a, ast.Name):
        ty.ck.bag.error(
            "E028",
            f"the first argument of `{fn}` names a waterfall",
            a.span,
            help=f"write {usage}",
        )
        return
    if ty.ck.lookup(a.head, (WATERFALL,), "waterfall") is None:
        return
    if len(a.parts) == 1:
        return
    if len(a.parts) > 2 or not allow_tier:
        ty.ck.bag.error(
            "E028",
            f"`{a.dotted}` is not a waterfall{' or one of its tiers' if allow_tier else ''}",
            a.span,
            help=f"write {usage}",
        )
        return
    fund = ty.ck.cc.waterfalls[a.head.name]
    tier = a.parts[1]
    names = [t.name.name for t in fund.tiers if t.name is not None]
    if tier.name not in names:
        near = closest(tier.name, names)
        ty.ck.bag.error(
            "E010",
            f"waterfall `{fund.name.name}` has no tier named `{tier.name}`",
            tier.span,
            help=f"did you mean `{near}`?"
            if near
            else (
                "its named tiers are " + ", ".join(f"`{n}`" for n in names)
                if names
                else 'name the tier: `tier NAME "Label" { … }`'
            ),
            related=[ty.ck.rel(fund.name.span, f"`{fund.name.name}` is declared here")],
            fixes=replace_with(tier.span, near),
        )


def _to_date_tail(ty: ArgTyper, fn: str, args: list[ast.Expr]) -> None:
    """Drop a final `to date` from ``args``; report `year to date` there.  A
    window alone (``retained(to date)``) stays: it is in the place of the
    waterfall, party or contribution, and is reported there."""
    if len(args) < 2:
        return
    if isinstance(args[-1], ast.ToDate):
        args.pop()
    elif isinstance(args[-1], ast.YearToDate):
        ty.ck.bag.error(
            "E028",
            f"`{fn}` accepts `to date`, not `year to date`",
            args[-1].span,
        )
        args.pop()


def call_distributed(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    usage = "`distributed(fund)`, `distributed(fund.tier, party)` or `distributed(fund, party, to date)`"
    if not _arity(ty, e, 1, 3, usage):
        return MONEY
    args = list(e.args)
    _to_date_tail(ty, "distributed", args)
    _fund_arg(ty, "distributed", args[0], allow_tier=True)
    rest = []
    for a in args[1:]:
        if isinstance(a, ast.ToDate | ast.YearToDate):
            ty.ck.bag.error(
                "E028", "a window goes last in `distributed`", a.span, help=f"write {usage}"
            )
        else:
            rest.append(a)
    if len(rest) > 1:
        ty.ck.bag.error(
            "E014", "`distributed` takes at most one party", rest[1].span, help=f"write {usage}"
        )
    if rest:
        _party_arg(ty, "distributed", rest[0])
    return MONEY


def call_retained(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    if not _arity(ty, e, 1, 2, "`retained(fund)` or `retained(fund, to date)`"):
        return MONEY
    args = list(e.args)
    _to_date_tail(ty, "retained", args)
    _fund_arg(ty, "retained", args[0], allow_tier=False)
    if len(args) > 1:
        ty.ck.bag.error(
            "E028",
            "the second argument of `retained` can only be `to date`",
            args[1].span,
        )
    return MONEY


def call_paid(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    if not _arity(ty, e, 2, 3, "`paid(payer, payee)` or `paid(payer, payee, to date)`"):
        return MONEY
    args = list(e.args)
    _to_date_tail(ty, "paid", args)
    if len(args) != 2:
        ty.ck.bag.error(
            "E028",
            "`paid` takes a payer and a payee",
            e.span,
            help="write `paid(payer, payee)`",
        )
        return MONEY
    _party_arg(ty, "paid", args[0])
    _party_arg(ty, "paid", args[1])
    return MONEY


def call_contributed(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    usage = (
        "`contributed(budget)`, `contributed(budget, party)` or "
        "`contributed(budget, party, to date)`"
    )
    if not _arity(ty, e, 1, 3, usage):
        return MONEY
    args = list(e.args)
    _to_date_tail(ty, "contributed", args)
    first = args[0]
    if not (isinstance(first, ast.Name) and len(first.parts) == 1):
        ty.ck.bag.error(
            "E028",
            "the first argument of `contributed` names a contribution",
            first.span,
            help=f"write {usage}",
        )
    else:
        ty.ck.lookup(first.head, (CONTRIBUTION,), "contribution")
    rest = args[1:]
    for a in rest:
        if isinstance(a, ast.ToDate | ast.YearToDate):
            ty.ck.bag.error(
                "E028", "a window goes last in `contributed`", a.span, help=f"write {usage}"
            )
            return MONEY
    if len(rest) > 1:
        ty.ck.bag.error(
            "E014", "`contributed` takes at most one party", rest[1].span, help=f"write {usage}"
        )
    if rest:
        _party_arg(ty, "contributed", rest[0])
    return MONEY


def call_status(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    if not _arity(ty, e, 1, 1, "`status(threshold)`"):
        return ERROR
    a = e.args[0]
    if not (isinstance(a, ast.Name) and len(a.parts) == 1):
        ty.ck.bag.error("E028", "`status` takes the name of a threshold", a.span)
        return ERROR
    if ty.ck.lookup(a.head, (THRESHOLD,), "threshold") is None:
        return ERROR
    return STATUS


def call_power(ty: ArgTyper, e: ast.Call, depth: int) -> Type:
    fn = e.func.name
    usage = f"`{fn}(committee.decision, party)`"
    if not _arity(ty, e, 2, 2, usage):
        return NUMBER
    target, party = e.args
    committee: ast.CommitteeDecl | None = None
    if not (isinstance(target, ast.Name) and len(target.parts) == 2):
        ty.ck.bag.error(
            "E028",
            f"the first argument of `{fn}` names a decision of a committee",
            target.span,
            help=f"write {usage}",
        )
    elif ty.ck.lookup(target.head, (COMMITTEE,), "committee") is not None:
        committee = ty.ck.cc.committees[target.head.name]
        dname = target.parts[1]
        names = [d.name.name for d in committee.decisions]
        if dname.name not in names:
            near = closest(dname.name, names)
            ty.ck.bag.error(
                "E010",
                f"committee `{committee.name.name}` has no decision `{dname.name}`",
                dname.span,
                help=f"did you mean `{near}`?"
                if near
                else "its decisions are " + ", ".join(f"`{n}`" for n in names)
                if names
                else None,
                related=[
                    ty.ck.rel(
                        committee.name.span, f"`{committee.name.name}` is declared here"
                    )
                ],
                fixes=replace_with(dname.span, near),
            )
    p = _party_arg(ty, fn, party)
    if p is not None and committee is not None:
        if p not in {m.party.name for m in committee.members}:
            ty.ck.bag.error(
                "E040",
                f"`{p}` is not a member of committee `{committee.name.name}`",
                party.span,
                help="voting power is computed for members only",
            )
    return NUMBER


CALLS: dict[str, Callable[[ArgTyper, ast.Call, int], Type]] = {
    "sum": call_sum_avg,
    "avg": call_sum_avg,
    "min": call_min_max,
    "max": call_min_max,
    "previous": call_previous,
    "abs": call_abs,
    "round": call_round,
    "distributed": call_distributed,
    "retained": call_retained,
    "paid": call_paid,
    "status": call_status,
    "contributed": call_contributed,
    "banzhaf": call_power,
    "shapley": call_power,
}
assert set(CALLS) == BUILTINS

