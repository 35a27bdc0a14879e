"""Pass 5: the dimension type of every expression (LANGUAGE.md §4, §5).

``infer`` gives each expression node a :class:`Type`, recorded in
``CheckedContract.types`` under ``id(node)``.  ``Type.ERROR`` marks an
expression that already produced a diagnostic (or the literal ``missing``,
which takes whatever type its context needs); it is accepted everywhere, so
one mistake gives one diagnostic.

Dimension rules:

- ``+ -``: money ± money → money; number-likes of one type keep it (count + count →
  count, percent ± percent → percent) except count − count → number; mixed
  number-likes → number; date ± duration → date; date − date → duration;
  duration ± duration → duration.
- ``*``: money × number-like → money (either side); count × count → count;
  other number-likes → number.
- ``/``: money ÷ number-like → money; money ÷ money → number; number-likes → number.
- Comparisons need one dimension: number-likes together, money with money,
  dates, months, durations, booleans and texts each with their own kind;
  ``status(t)`` with ``status(u)`` or a status word in quotes.  ``< <= > >=``
  do not order booleans, texts or statuses.
- ``and or not`` and conditions need bool; ``if`` and ``otherwise`` branches
  one dimension (number-likes mix to number).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pactlang.base.types import Type
from pactlang.diagnostics import Fix, Related, replace_with
from pactlang.sema.context import (
    BUILTINS,
    COMMITTEE,
    KIND_TEXT,
    PARTY,
    THRESHOLD,
    VALUE_KINDS,
    WATERFALL,
    Checker,
    closest,
    plural,
)
from pactlang.sema.declare import SERIES_TYPES
from pactlang.sema.resolve import MAX_DEPTH, is_window
from pactlang.syntax import ast

NUMBER, COUNT, PERCENT, MONEY = Type.NUMBER, Type.COUNT, Type.PERCENT, Type.MONEY
BOOL, DATE, PERIOD, DURATION = Type.BOOL, Type.DATE, Type.PERIOD, Type.DURATION
TEXT, STATUS, ERROR = Type.TEXT, Type.STATUS, Type.ERROR

STATUS_WORDS = ("ok", "watch", "breach", "bonus", "no-data")
ORDERED = frozenset({NUMBER, COUNT, PERCENT, MONEY, DATE, PERIOD})
WINDOW_UNITS = ("month", "quarter", "year")
_MANY = 1 << 30  # no upper bound on the number of arguments


def dim(t: Type) -> str:
    """The dimension of a type: number-likes share one."""
    return "number" if t.is_numeric else t.value


def same_dim(a: Type, b: Type) -> bool:
    return a is ERROR or b is ERROR or dim(a) == dim(b)


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches, or None when their dimensions differ."""
    if a is ERROR:
        return b
    if b is ERROR or a is b:
        return a
    if a.is_numeric and b.is_numeric:
        return NUMBER
    return None


def accepts(declared: Type, actual: Type) -> bool:
    """Whether a value declared ``declared`` may hold an expression of type ``actual``."""
    if declared is ERROR or actual is ERROR:
        return True
    if declared in (NUMBER, PERCENT):
        return actual.is_numeric
    return declared is actual


def binop(op: str, a: Type, b: Type) -> Type | None:
    """The type of ``a op b``, or None when the operation has no meaning."""
    if a is ERROR or b is ERROR:
        return ERROR
    na, nb = a.is_numeric, b.is_numeric
    if op in ("+", "-"):
        if na and nb:
            if a is b and not (op == "-" and a is COUNT):
                return a
            return NUMBER
        if a is b and a is MONEY:
            return a
        # durations only move dates: the engine has no duration arithmetic
        # (a month and 30 days do not compare), so nothing else is accepted
        if a is DATE and b is DURATION:
            return DATE
        if op == "+" and a is DURATION and b is DATE:
            return DATE
        if op == "-" and a is DATE and b is DATE:
            return DURATION
        return None
    if op == "*":
        if na and nb:
            return COUNT if a is COUNT and b is COUNT else NUMBER
        if (a is MONEY and nb) or (na and b is MONEY):
            return MONEY
        return None
    # "/"
    if na and nb:
        return NUMBER
    if a is MONEY and nb:
        return MONEY
    if a is MONEY and b is MONEY:
        return NUMBER
    return None


_VERB = {
    "+": "cannot add {a} and {b}",
    "-": "cannot subtract {b} from {a}",
    "*": "cannot multiply {a} by {b}",
    "/": "cannot divide {a} by {b}",
}


@dataclass(slots=True)
class Typer:
    ck: Checker

    # ------------------------------------------------------------ entry

    def infer(self, e: ast.Expr, depth: int = 0) -> Type:
        if depth > MAX_DEPTH:
            return ERROR  # the parser reported the nesting (E006)
        t = self._infer(e, depth + 1)
        self.ck.cc.types[id(e)] = t
        return t

    def expect(
        self, e: ast.Expr, want: Type, code: str, what: str, help_text: str | None = None
    ) -> Type:
        """Infer ``e`` and report ``code`` unless it has the dimension of ``want``."""
        t = self.infer(e)
        if t is ERROR or t is want:
            return t
        if want is MONEY:
            help_text = help_text or self._money_help(e, t)
        self.ck.bag.error(code, f"{what} must be {want}, got {t}", e.span, help=help_text)
        return t

    def _money_help(self, e: ast.Expr, t: Type) -> str | None:
        if isinstance(e, ast.NumberLit):
            return f"write the amount with its currency: `{e.text} {self.ck.cc.currency}`"
        if t.is_numeric:
            return f"multiply by an amount of money, e.g. `… * 1 {self.ck.cc.currency}`"
        return None

    # ---------------------------------------------------------- dispatch

    def _infer(self, e: ast.Expr, depth: int) -> Type:
        if isinstance(e, ast.NumberLit):
            return NUMBER
        if isinstance(e, ast.PercentLit):
            return PERCENT
        if isinstance(e, ast.MoneyLit):
            return self._money(e)
        if isinstance(e, ast.Name):
            return self._name(e)
        if isinstance(e, ast.Arith):
            return self._arith(e, depth)
        if isinstance(e, ast.Compare):
            return self._compare(e, depth)
        if isinstance(e, ast.Logic):
            for operand in e.operands:
                self._condition(operand, depth, f"`{e.op}` needs true/false values")
            return BOOL
        if isinstance(e, ast.Unary):
            return self._unary(e, depth)
        if isinstance(e, ast.Call):
            return self._call(e, depth)
        if isinstance(e, ast.IfThenElse):
            return self._if(e, depth)
        if isinstance(e, ast.Otherwise):
            return self._otherwise(e, depth)
        if isinstance(e, ast.StringLit):
            return TEXT
        if isinstance(e, ast.BoolLit):
            return BOOL
        if isinstance(e, ast.DateLit):
            return DATE
        if isinstance(e, ast.PeriodLit):
            return PERIOD
        if isinstance(e, ast.DurationLit):
            return DURATION
        if isinstance(e, ast.MissingLit):
            return ERROR  # `missing` fits any type
        if isinstance(e, ast.ToDate | ast.YearToDate):
            word = "to date" if isinstance(e, ast.ToDate) else "year to date"
            self.ck.bag.error(
                "E025",
                f"`{word}` is a window and cannot stand here",
                e.span,
                help="a window is the last argument of sum, avg, min or max "
                "(`to date` also of distributed, retained and paid)",
            )
            return ERROR
        raise AssertionError(f"unknown expression {type(e).__name__}")  # pragma: no cover

    # ------------------------------------------------------------ leaves

    def _money(self, e: ast.MoneyLit) -> Type:
        cur = self.ck.cc.currency
        if self.ck.currency_known and e.currency != cur:
            self.ck.bag.error(
                "E021",
                f"`{e.text} {e.currency}` is in {e.currency}, but the contract's currency is {cur}",
                e.span,
                help=f"a contract has one currency: write `{e.text} {cur}`",
                fixes=(Fix(f"write the amount in {cur}", e.span, f"{e.text} {cur}"),),
            )
        return MONEY

    def _name(self, e: ast.Name) -> Type:
        head = e.head
        kind = self.ck.lookup(head, VALUE_KINDS, "name", "a value")
        if kind is None:
            return ERROR
        if len(e.parts) > 1:
            self.ck.bag.error(
                "E012",
                f"`{head.name}` is {KIND_TEXT[kind]} and has no parts: `{e.dotted}` names nothing",
                e.span,
                help=f"write `{head.name}`",
            )
            return ERROR
        return self.ck.cc.value_types.get(head.name, ERROR)

    # -------------------------------------------------------- operators

    def _arith(self, e: ast.Arith, depth: int) -> Type:
        first = e.operands[0]
        acc = self.infer(first, depth)
        for op, rhs in zip(e.ops, e.operands[1:], strict=True):
            rt = self.infer(rhs, depth)
            res = binop(op, acc, rt)
            if res is None:
                self.ck.bag.error(
                    "E022",
                    _VERB[op].format(a=acc, b=rt),
                    first.span.cover(rhs.span),
                    help=self._arith_help(op, acc, rt, rhs),
                    fixes=self.currency_fixes(
                        acc, rt, first if rhs is e.operands[1] else None, rhs
                    )
                    if op in "+-"
                    else (),
                )
                res = ERROR
            acc = res
        return acc

    def _arith_help(self, op: str, a: Type, b: Type, rhs: ast.Expr) -> str | None:
        cur = self.ck.cc.currency
        if BOOL in (a, b):
            return (
                "true/false values are not numbers; choose between values with `if C then A else B`"
            )
        if a is MONEY and b.is_numeric and op in "+-":
            if isinstance(rhs, ast.NumberLit):
                return f"write the amount with its currency: `{rhs.text} {cur}`"
            return "money adds to money; multiply a number by an amount to get money"
        if a is MONEY and b is MONEY and op == "*":
            return "multiply money by a number or a percent"
        if a.is_numeric and b is MONEY and op == "/":
            return "money ÷ money gives a number; a number ÷ money has no meaning"
        if a.is_numeric and b is MONEY and op in "+-":
            return "money adds to money only"
        return None

    def _unary(self, e: ast.Unary, depth: int) -> Type:
        if e.op == "not":
            self._condition(e.operand, depth, "`not` needs a true/false value")
            return BOOL
        t = self.infer(e.operand, depth)
        if t is ERROR:
            return ERROR
        if t is COUNT:
            return NUMBER
        if t.is_numeric or t is MONEY:
            return t
        self.ck.bag.error("E022", f"cannot negate {t}", e.span)
        return ERROR

    def _condition(self, e: ast.Expr, depth: int, what: str) -> None:
        t = self.infer(e, depth)
        if t is not BOOL and t is not ERROR:
            hint = None
            if t.is_numeric or t is MONEY:
                hint = "compare it to get true/false, e.g. `x > 0`"
            self.ck.bag.error("E024", f"{what}, got {t}", e.span, help=hint)

    def _compare(self, e: ast.Compare, depth: int) -> Type:
        lt = self.infer(e.left, depth)
        rt = self.infer(e.right, depth)
        problem = self.comparable(e.op, lt, rt, e.left, e.right)
        if problem is not None:
            code, message, help_text = problem
            fixes = self.currency_fixes(lt, rt, e.left, e.right)
            self.ck.bag.error(code, message, e.span, help=help_text, fixes=fixes)
        return BOOL

    def currency_fixes(
        self, lt: Type, rt: Type, left: ast.Expr | None, right: ast.Expr | None
    ) -> tuple[Fix, ...]:
        """A plain number next to money: the fix that writes it with the contract's currency.

        ``left`` or ``right`` is None when that side is not one expression (an
        operand in the middle of a chain).
        """
        if not self.ck.currency_known:
            return ()
        if lt is MONEY and rt.is_numeric:
            number = right
        elif rt is MONEY and lt.is_numeric:
            number = left
        else:
            return ()
        if not isinstance(number, ast.NumberLit):
            return ()
        replacement = f"{number.text} {self.ck.cc.currency}"
        return (Fix("write the amount with its currency", number.span, replacement),)

    def comparable(
        self, op: str, lt: Type, rt: Type, left: ast.Expr, right: ast.Expr
    ) -> tuple[str, str, str | None] | None:
        """Why ``left op right`` is not a valid comparison (code, message, help), or None."""
        if lt is ERROR or rt is ERROR:
            return None
        if STATUS in (lt, rt):
            other, other_t = (right, rt) if lt is STATUS else (left, lt)
            if op not in ("==", "!="):
                return (
                    "E022",
                    f"`{op}` cannot order statuses",
                    "compare statuses with `==` or `!=`",
                )
            if other_t is STATUS:
                return None
            if isinstance(other, ast.StringLit):
                if other.value in STATUS_WORDS:
                    return None
                near = closest(other.value, STATUS_WORDS)
                return (
                    "E020",
                    f'"{other.value}" is not a status',
                    f'did you mean "{near}"?'
                    if near
                    else 'statuses are "ok", "watch", "breach", "bonus" and "no-data"',
                )
            return (
                "E020",
                f"cannot compare status with {other_t}",
                'compare with a status word in quotes, e.g. `status(t) == "breach"`',
            )
        if not same_dim(lt, rt):
            help_text = None
            if MONEY in (lt, rt):
                other = right if lt is MONEY else left
                if isinstance(other, ast.NumberLit):
                    help_text = (
                        f"write the amount with its currency: `{other.text} {self.ck.cc.currency}`"
                    )
                elif isinstance(other, ast.PercentLit):
                    help_text = f"a percent of an amount is money, e.g. `{other.text}% * revenue`"
            return ("E020", f"cannot compare {lt} with {rt}", help_text)
        if op not in ("==", "!=") and lt not in ORDERED:
            return ("E022", f"`{op}` cannot order {lt} values", "compare them with `==` or `!=`")
        return None

    def _if(self, e: ast.IfThenElse, depth: int) -> Type:
        self._condition(e.cond, depth, "the condition of `if` must be true/false")
        a = self.infer(e.then, depth)
        b = self.infer(e.else_, depth)
        u = unify(a, b)
        if u is None:
            self.ck.bag.error(
                "E020",
                f"the branches of `if` differ: `then` gives {a}, `else` gives {b}",
                e.span,
                help="both branches must give the same kind of value",
            )
            return ERROR
        return u

    def _otherwise(self, e: ast.Otherwise, depth: int) -> Type:
        a = self.infer(e.value, depth)
        b = self.infer(e.fallback, depth)
        u = unify(a, b)
        if u is None:
            help_text = None
            if a is MONEY and isinstance(e.fallback, ast.NumberLit):
                help_text = f"write `otherwise {e.fallback.text} {self.ck.cc.currency}`"
            self.ck.bag.error(
                "E020",
                f"`otherwise` needs values of one kind: {a} otherwise {b}",
                e.span,
                help=help_text,
            )
            return ERROR
        return u

    # ------------------------------------------------------------ calls

    def _call(self, e: ast.Call, depth: int) -> Type:
        fn = e.func.name
        handler = _CALLS.get(fn)
        if handler is None:
            near = closest(fn, sorted(BUILTINS))
            kind = self.ck.kind.get(fn)
            if kind is not None:
                help_text = f"`{fn}` is {KIND_TEXT[kind]}; only built-in functions are called"
            elif near:
                help_text = f"did you mean `{near}`?"
            else:
                help_text = "the functions are " + ", ".join(sorted(BUILTINS))
            self.ck.bag.error(
                "E013",
                f"unknown function `{fn}`",
                e.func.span,
                help=help_text,
                fixes=replace_with(e.func.span, near if kind is None else None),
            )
            for a in e.args:
                if not isinstance(a, ast.ToDate | ast.YearToDate):
                    self.infer(a, depth)
            return ERROR
        return handler(self, e, depth)

    def _arity(self, e: ast.Call, lo: int, hi: int, usage: str) -> bool:
        n = len(e.args)
        if lo <= n <= hi:
            return True
        if lo == hi:
            want = plural(lo, "argument")
        elif hi >= _MANY:
            want = f"at least {plural(lo, 'argument')}"
        else:
            want = f"{lo} to {hi} arguments"
        self.ck.bag.error(
            "E014",
            f"`{e.func.name}` takes {want}, got {n}",
            e.span,
            help=f"write {usage}",
        )
        return False

    def _infer_all(self, args: tuple[ast.Expr, ...], depth: int) -> None:
        for a in args:
            if not is_window(a):
                self.infer(a, depth)

    def _window_arg(self, fn: str, w: ast.Expr) -> None:
        if isinstance(w, ast.ToDate | ast.YearToDate):
            return
        if isinstance(w, ast.DurationLit):
            self.ck.cc.types[id(w)] = DURATION
            if w.unit not in WINDOW_UNITS:
                self.ck.bag.error(
                    "E025",
                    f"a window is counted in months, quarters or years, not {w.unit.replace('_', ' ')}s",
                    w.span,
                    help=f"write e.g. `{fn}(x, 3 months)`",
                )
            elif w.amount < 1:
                self.ck.bag.error("E025", "a window spans at least 1 month", w.span)
            return
        self.ck.bag.error(
            "E025",
            f"the last argument of `{fn}` must be a window: `N months`, `to date` or `year to date`",
            w.span,
            help=f"write e.g. `{fn}(x, 3 months)`",
        )

    def _series(self, fn: str, x: ast.Expr, depth: int) -> Type:
        t = self.infer(x, depth)
        if t is ERROR or t.is_numeric or t is MONEY:
            return t
        self.ck.bag.error("E022", f"`{fn}` needs numbers or money, got {t}", x.span)
        return ERROR

    def call_sum_avg(self, e: ast.Call, depth: int) -> Type:
        fn = e.func.name
        if not self._arity(
            e, 2, 2, f"`{fn}(x, 3 months)`, `{fn}(x, to date)` or `{fn}(x, year to date)`"
        ):
            self._infer_all(e.args, depth)
            return ERROR
        x, w = e.args
        if is_window(x):
            self._window_arg(fn, x)
            return ERROR
        self._window_arg(fn, w)
        if not is_window(w):
            self.infer(w, depth)
        t = self._series(fn, x, depth)
        return NUMBER if fn == "avg" and t is COUNT else t

    def call_min_max(self, e: ast.Call, depth: int) -> Type:
        fn = e.func.name
        args = e.args
        if len(args) == 2 and is_window(args[1]):
            if is_window(args[0]):
                self._window_arg(fn, args[0])
                return ERROR
            self._window_arg(fn, args[1])
            return self._series(fn, args[0], depth)
        misplaced = [a for a in args if is_window(a)]
        if misplaced:
            self.ck.bag.error(
                "E025",
                f"a window must be the second and last argument of `{fn}`",
                misplaced[0].span,
                help=f"write `{fn}(x, 6 months)` for a window, or `{fn}(a, b, …)` for values",
            )
            self._infer_all(args, depth)
            return ERROR
        if not self._arity(e, 2, _MANY, f"`{fn}(x, 6 months)` or `{fn}(a, b, …)`"):
            self._infer_all(args, depth)
            return ERROR
        acc = ERROR
        for a in args:
            t = self.infer(a, depth)
            if t is not ERROR and t not in ORDERED:
                self.ck.bag.error("E022", f"`{fn}` cannot compare {t} values", a.span)
                return ERROR
            u = unify(acc, t)
            if u is None:
                self.ck.bag.error(
                    "E020",
                    f"`{fn}` needs values of one kind, got {acc} and {t}",
                    a.span,
                )
                return ERROR
            acc = u
        return acc

    def call_previous(self, e: ast.Call, depth: int) -> Type:
        if not self._arity(e, 1, 2, "`previous(x)` or `previous(x, 12 months)`"):
            self._infer_all(e.args, depth)
            return ERROR
        x = e.args[0]
        if len(e.args) == 2:
            lag = e.args[1]
            ok = isinstance(lag, ast.DurationLit) and lag.unit in WINDOW_UNITS and lag.amount >= 1
            if isinstance(lag, ast.DurationLit):
                self.ck.cc.types[id(lag)] = DURATION
            if not ok:
                self.ck.bag.error(
                    "E025",
                    "the lag of `previous` is a number of months, quarters or years, at least 1",
                    lag.span,
                    help="write e.g. `previous(x, 12 months)`",
                )
                if not is_window(lag):
                    self.infer(lag, depth)
        if is_window(x):
            self._window_arg("previous", x)
            return ERROR
        return self.infer(x, depth)

    def call_abs(self, e: ast.Call, depth: int) -> Type:
        if not self._arity(e, 1, 1, "`abs(x)`"):
            self._infer_all(e.args, depth)
            return ERROR
        t = self.infer(e.args[0], depth)
        if t is ERROR or t.is_numeric or t is MONEY:
            return t
        self.ck.bag.error(
            "E022", f"`abs` needs a number or money, got {t}", e.args[0].span
        )
        return ERROR

    def call_round(self, e: ast.Call, depth: int) -> Type:
        if not self._arity(e, 2, 2, "`round(x, 2)` (the number of decimals)"):
            self._infer_all(e.args, depth)
            return ERROR
        x, digits = e.args
        if isinstance(digits, ast.NumberLit) and digits.value == digits.value.to_integral_value():
            self.ck.cc.types[id(digits)] = COUNT
            if digits.value > 28:
                self.ck.bag.error("E028", "`round` keeps at most 28 decimals", digits.span)
        else:
            self.ck.bag.error(
                "E028",
                "the number of decimals of `round` must be a whole number written out",
                digits.span,
                help="write e.g. `round(x, 2)`",
            )
            if not is_window(digits):
                self.infer(digits, depth)
        t = self.infer(x, depth)
        if t is ERROR or t.is_numeric or t is MONEY:
            return t
        self.ck.bag.error("E022", f"`round` needs a number or money, got {t}", x.span)
        return ERROR

    # -- construct results

    def _party_arg(self, fn: str, a: ast.Expr) -> str | None:
        if isinstance(a, ast.Name) and len(a.parts) == 1:
            if self.ck.lookup(a.head, (PARTY,), "party") is not None:
                self.ck.cc.types[id(a)] = Type.PARTY
                return a.head.name
            return None
        self.ck.bag.error("E028", f"`{fn}` expects a party name here", a.span)
        return None

    def _fund_arg(self, fn: str, a: ast.Expr, allow_tier: bool) -> None:
        usage = "`distributed(fund)` or `distributed(fund.tier)`" if allow_tier else f"`{fn}(fund)`"
        if not isinstance(a, ast.Name):
            self.ck.bag.error(
                "E028",
                f"the first argument of `{fn}` names a waterfall",
                a.span,
                help=f"write {usage}",
            )
            return
        if self.ck.lookup(a.head, (WATERFALL,), "waterfall") is None:
            return
        if len(a.parts) == 1:
            return
        if len(a.parts) > 2 or not allow_tier:
            self.ck.bag.error(
                "E028",
                f"`{a.dotted}` is not a waterfall{' or one of its tiers' if allow_tier else ''}",
                a.span,
                help=f"write {usage}",
            )
            return
        fund = self.ck.cc.waterfalls[a.head.name]
        tier = a.parts[1]
        names = [t.name.name for t in fund.tiers if t.name is not None]
        if tier.name not in names:
            near = closest(tier.name, names)
            self.ck.bag.error(
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
                related=[self.ck.rel(fund.name.span, f"`{fund.name.name}` is declared here")],
                fixes=replace_with(tier.span, near),
            )

    def _to_date_tail(self, fn: str, args: list[ast.Expr]) -> None:
        """Drop a final `to date` from ``args``; report `year to date` there."""
        if args and isinstance(args[-1], ast.ToDate):
            args.pop()
        elif args and isinstance(args[-1], ast.YearToDate):
            self.ck.bag.error(
                "E028",
                f"`{fn}` accepts `to date`, not `year to date`",
                args[-1].span,
            )
            args.pop()

    def call_distributed(self, e: ast.Call, depth: int) -> Type:
        usage = "`distributed(fund)`, `distributed(fund.tier, party)` or `distributed(fund, party, to date)`"
        if not self._arity(e, 1, 3, usage):
            return MONEY
        args = list(e.args)
        self._to_date_tail("distributed", args)
        self._fund_arg("distributed", args[0], allow_tier=True)
        rest = []
        for a in args[1:]:
            if isinstance(a, ast.ToDate | ast.YearToDate):
                self.ck.bag.error(
                    "E028", "a window goes last in `distributed`", a.span, help=f"write {usage}"
                )
            else:
                rest.append(a)
        if len(rest) > 1:
            self.ck.bag.error(
                "E014", "`distributed` takes at most one party", rest[1].span, help=f"write {usage}"
            )
        if rest:
            self._party_arg("distributed", rest[0])
        return MONEY

    def call_retained(self, e: ast.Call, depth: int) -> Type:
        if not self._arity(e, 1, 2, "`retained(fund)` or `retained(fund, to date)`"):
            return MONEY
        args = list(e.args)
        self._to_date_tail("retained", args)
        self._fund_arg("retained", args[0], allow_tier=False)
        if len(args) > 1:
            self.ck.bag.error(
                "E028",
                "the second argument of `retained` can only be `to date`",
                args[1].span,
            )
        return MONEY

    def call_paid(self, e: ast.Call, depth: int) -> Type:
        if not self._arity(e, 2, 3, "`paid(payer, payee)` or `paid(payer, payee, to date)`"):
            return MONEY
        args = list(e.args)
        self._to_date_tail("paid", args)
        if len(args) != 2:
            self.ck.bag.error(
                "E028",
                "`paid` takes a payer and a payee",
                e.span,
                help="write `paid(payer, payee)`",
            )
            return MONEY
        self._party_arg("paid", args[0])
        self._party_arg("paid", args[1])
        return MONEY

    def call_status(self, e: ast.Call, depth: int) -> Type:
        if not self._arity(e, 1, 1, "`status(threshold)`"):
            return ERROR
        a = e.args[0]
        if not (isinstance(a, ast.Name) and len(a.parts) == 1):
            self.ck.bag.error("E028", "`status` takes the name of a threshold", a.span)
            return ERROR
        if self.ck.lookup(a.head, (THRESHOLD,), "threshold") is None:
            return ERROR
        return STATUS

    def call_power(self, e: ast.Call, depth: int) -> Type:
        fn = e.func.name
        usage = f"`{fn}(committee.decision, party)`"
        if not self._arity(e, 2, 2, usage):
            return NUMBER
        target, party = e.args
        committee: ast.CommitteeDecl | None = None
        if not (isinstance(target, ast.Name) and len(target.parts) == 2):
            self.ck.bag.error(
                "E028",
                f"the first argument of `{fn}` names a decision of a committee",
                target.span,
                help=f"write {usage}",
            )
        elif self.ck.lookup(target.head, (COMMITTEE,), "committee") is not None:
            committee = self.ck.cc.committees[target.head.name]
            dname = target.parts[1]
            names = [d.name.name for d in committee.decisions]
            if dname.name not in names:
                near = closest(dname.name, names)
                self.ck.bag.error(
                    "E010",
                    f"committee `{committee.name.name}` has no decision `{dname.name}`",
                    dname.span,
                    help=f"did you mean `{near}`?"
                    if near
                    else "its decisions are " + ", ".join(f"`{n}`" for n in names)
                    if names
                    else None,
                    related=[
                        self.ck.rel(
                            committee.name.span, f"`{committee.name.name}` is declared here"
                        )
                    ],
                    fixes=replace_with(dname.span, near),
                )
        p = self._party_arg(fn, party)
        if p is not None and committee is not None:
            if p not in {m.party.name for m in committee.members}:
                self.ck.bag.error(
                    "E040",
                    f"`{p}` is not a member of committee `{committee.name.name}`",
                    party.span,
                    help="voting power is computed for members only",
                )
        return NUMBER


_CALLS: dict[str, Callable[[Typer, ast.Call, int], Type]] = {
    "sum": Typer.call_sum_avg,
    "avg": Typer.call_sum_avg,
    "min": Typer.call_min_max,
    "max": Typer.call_min_max,
    "previous": Typer.call_previous,
    "abs": Typer.call_abs,
    "round": Typer.call_round,
    "distributed": Typer.call_distributed,
    "retained": Typer.call_retained,
    "paid": Typer.call_paid,
    "status": Typer.call_status,
    "banzhaf": Typer.call_power,
    "shapley": Typer.call_power,
}
assert set(_CALLS) == BUILTINS


# ------------------------------------------------------------------- pass


def expressions(ck: Checker) -> None:
    """Type every expression of the contract's constructs, in dependency order."""
    typer = Typer(ck)
    for name in ck.cc.order:
        _construct(typer, ck.decl[name], record=True)
    for d in ck.duplicates:
        _construct(typer, d, record=False)


def _construct(typer: Typer, d: ast.NamedDecl, record: bool) -> None:
    if isinstance(d, ast.LetDecl):
        _let(typer, d, record)
    elif isinstance(d, ast.KpiDecl):
        t = typer.infer(d.expr)
        declared = Type(d.type.name)
        if declared in SERIES_TYPES and not accepts(declared, t):
            typer.ck.bag.error(
                "E023",
                f"KPI `{d.name.name}` is declared {declared}, but its expression gives {t}",
                d.expr.span,
                help=_accept_help(declared, t),
                related=[Related(d.type.span, f"declared {declared} here")],
            )
    elif isinstance(d, ast.ThresholdDecl):
        for rule in d.rules:
            typer._condition(rule.cond, 0, "the condition of a `when` rule must be true/false")
            _pay_amounts(typer, rule.actions)
        if d.otherwise is not None:
            _pay_amounts(typer, d.otherwise.actions)
    elif isinstance(d, ast.WaterfallDecl):
        typer.expect(d.distributes, MONEY, "E020", f"what waterfall `{d.name.name}` distributes")
        for tier in d.tiers:
            for pay in tier.pays:
                typer.expect(pay.cap, MONEY, "E020", f"the cap of `{pay.party.name}`")
            if tier.cap is not None:
                typer.expect(tier.cap, MONEY, "E020", "the cap of a tier")


def _accept_help(declared: Type, t: Type) -> str:
    if declared is COUNT and t.is_numeric:
        return "a count is a whole number ≥ 0 such as a measure of type count or a sum of them; declare it `: number`"
    return f"declare it `: {t}`, or change the expression"


def _pay_amounts(typer: Typer, actions: tuple[ast.Action, ...]) -> None:
    for a in actions:
        if isinstance(a, ast.PayAction):
            typer.expect(a.amount, MONEY, "E020", "a payment")


def _let(typer: Typer, d: ast.LetDecl, record: bool) -> None:
    ck = typer.ck
    name = d.name.name
    if isinstance(d.value, ast.Schedule):
        t = _schedule(typer, d.value)
    else:
        t = typer.infer(d.value)
    if d.type is not None:
        declared = Type(d.type.name)
        if declared is not Type.PARTY and not accepts(declared, t):
            ck.bag.error(
                "E023",
                f"let `{name}` is declared {declared}, but its value is {t}",
                d.value.span,
                help=_accept_help(declared, t),
                related=[Related(d.type.span, f"declared {declared} here")],
            )
        return
    if record:
        ck.cc.value_types[name] = t


def _schedule(typer: Typer, s: ast.Schedule) -> Type:
    ck = typer.ck
    acc = ERROR
    first: ast.ScheduleEntry | None = None
    prev: ast.ScheduleEntry | None = None
    for entry in s.entries:
        t = typer.infer(entry.value)
        if prev is not None and entry.start.value <= prev.start.value:
            ck.bag.error(
                "E063",
                f"schedule months must increase: {entry.start.value} comes after {prev.start.value}",
                entry.start.span,
                help="list the entries from the earliest month to the latest",
                related=[Related(prev.start.span, f"{prev.start.value} is given here")],
            )
        prev = entry
        u = unify(acc, t)
        if u is None:
            assert first is not None
            ck.bag.error(
                "E063",
                f"schedule entries must be of one kind: {acc} from {first.start.value}, "
                f"{t} from {entry.start.value}",
                entry.value.span,
                related=[Related(first.value.span, f"{acc} here")],
            )
            continue
        if acc is ERROR and t is not ERROR:
            first = entry
        acc = u
    return acc
