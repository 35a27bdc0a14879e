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

from dataclasses import dataclass

from pactlang.base.types import Type
from pactlang.base.values import format_decimal
from pactlang.diagnostics import Fix, Related, replace_with
from pactlang.sema.cadence import cadence_of
from pactlang.sema.calls import CALLS
from pactlang.sema.context import (
    BUILTINS,
    KIND_TEXT,
    VALUE_KINDS,
    Checker,
    closest,
)
from pactlang.sema.declare import SERIES_TYPES
from pactlang.sema.dims import (
    BOOL,
    COUNT,
    DATE,
    DURATION,
    DURATION_KINDS,
    ERROR,
    KIND_WORDS,
    MONEY,
    NUMBER,
    ORDERED,
    PERCENT,
    PERIOD,
    STATUS,
    STATUS_WORDS,
    TEXT,
    accepts,
    binop,
    dim,
    mixed_durations,
    same_dim,
    unify,
)
from pactlang.sema.resolve import MAX_DEPTH
from pactlang.syntax import ast

__all__ = [
    "STATUS_WORDS",
    "Typer",
    "accepts",
    "binop",
    "dim",
    "expressions",
    "same_dim",
    "unify",
]

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
        acc_kind = self.duration_kind(first)
        for op, rhs in zip(e.ops, e.operands[1:], strict=True):
            rt = self.infer(rhs, depth)
            res = binop(op, acc, rt)
            if res is DURATION and acc is DURATION and rt is DURATION:
                rhs_kind = self.duration_kind(rhs)
                why = mixed_durations(acc_kind, rhs_kind)
                if why is not None:
                    verb = "add" if op == "+" else "subtract"
                    assert acc_kind is not None and rhs_kind is not None
                    self.ck.bag.error(
                        "E022",
                        f"cannot {verb} {KIND_WORDS[acc_kind]} and {KIND_WORDS[rhs_kind]}: {why}",
                        first.span.cover(rhs.span),
                        help="use one unit on both sides, or move a date in two steps, "
                        "e.g. `start + 1 month + 10 days`",
                    )
                    res = ERROR
                acc_kind = acc_kind or rhs_kind
            elif res is DURATION:
                acc_kind = "day" if acc is DATE else None
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
        elif lt is PERCENT:
            self.percent_slip(e.right, "is compared with a percent")
        elif rt is PERCENT:
            self.percent_slip(e.left, "is compared with a percent")
        return BOOL

    def percent_slip(self, number: ast.Expr, context: str) -> None:
        """W009: a plain number above 1 where a percent is expected (``availability < 99``):
        percents are fractions, so 99 means 9 900%.  ``context`` says where the
        number is ("is compared with a percent")."""
        if not isinstance(number, ast.NumberLit) or number.value <= 1:
            return
        shown = format_decimal((number.value * 100).normalize())
        self.ck.bag.warning(
            "W009",
            f"`{number.text}` {context}: percents are fractions, so this means {shown}%",
            number.span,
            help=f"write `{number.text}%` for {number.text} percent",
            fixes=(Fix(f"write `{number.text}%`", number.span, f"{number.text}%"),),
        )

    def duration_kind(self, e: ast.Expr) -> str | None:
        """The kind of a duration expression: ``day``, ``business_day`` or ``month``
        (quarters and years are months); None when it is not a duration or not known."""
        if self.ck.cc.types.get(id(e)) is not DURATION:
            return None
        if isinstance(e, ast.DurationLit):
            return DURATION_KINDS[e.unit]
        if isinstance(e, ast.Name):
            return self.ck.cc.duration_kinds.get(e.head.name)
        if isinstance(e, ast.Unary):
            return self.duration_kind(e.operand)
        if isinstance(e, ast.Arith):
            first = e.operands[0]
            if self.ck.cc.types.get(id(first)) is DATE:
                return "day"  # date - date
            kinds = {self.duration_kind(o) for o in e.operands}
            return kinds.pop() if len(kinds) == 1 else None
        if isinstance(e, ast.IfThenElse | ast.Otherwise):
            pair = (e.then, e.else_) if isinstance(e, ast.IfThenElse) else (e.value, e.fallback)
            a, b = (self.duration_kind(x) for x in pair)
            return a if a == b else None
        if isinstance(e, ast.Call) and e.args:
            if e.func.name == "previous":
                return self.duration_kind(e.args[0])
            kinds = {self.duration_kind(a) for a in e.args}  # min, max of durations
            return kinds.pop() if len(kinds) == 1 else None
        return None

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
        if lt is DURATION and rt is DURATION:
            a, b = self.duration_kind(left), self.duration_kind(right)
            why = mixed_durations(a, b)
            if why is not None:
                assert a is not None and b is not None
                return (
                    "E022",
                    f"cannot compare {KIND_WORDS[a]} with {KIND_WORDS[b]}: {why}",
                    "compare dates instead (`signed_on + 1 month < delivered_on`), "
                    "or write both sides in one unit",
                )
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
        handler = CALLS.get(fn)
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
        if record and not isinstance(d.value, ast.Schedule):
            _cadence(typer.ck, d.name.name, d.value)
    elif isinstance(d, ast.KpiDecl):
        t = typer.infer(d.expr)
        if record:
            _cadence(typer.ck, d.name.name, d.expr)
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
        _distributes_cadence(typer.ck, d)
        for tier in d.tiers:
            for pay in tier.pays:
                typer.expect(pay.cap, MONEY, "E020", f"the cap of `{pay.party.name}`")
            if tier.cap is not None:
                typer.expect(tier.cap, MONEY, "E020", "the cap of a tier")
    elif isinstance(d, ast.ContributionDecl):
        _contribution(typer, d)


def _distributes_cadence(ck: Checker, d: ast.WaterfallDecl) -> None:
    """W012: a waterfall runs every month, and a quarterly (or yearly) value holds
    its last report between reports (LANGUAGE.md §5), so the same report is
    distributed again each month until the next one."""
    cadence = cadence_of(ck, d.distributes)
    if cadence not in ("quarterly", "yearly"):
        return
    months = "the two months after each report" if cadence == "quarterly" else "the eleven months after each report"
    ck.bag.warning(
        "W012",
        f"waterfall `{d.name.name}` distributes a {cadence} value: between reports it holds the "
        f"last report, so {months} distribute that amount again",
        d.distributes.span,
        help="to distribute each report once, make the measure monthly with 0 in the months between "
        "reports; to spread a report over its period on purpose, keep it and ignore this warning",
    )


def _cadence(ck: Checker, name: str, expr: ast.Expr) -> None:
    """Record how often a let or KPI changes, when it is not monthly."""
    cadence = cadence_of(ck, expr)
    if cadence is not None and cadence != "monthly":
        ck.cc.cadences[name] = cadence


def _contribution(typer: Typer, d: ast.ContributionDecl) -> None:
    """A contribution's amount is money (each entry of a schedule too); its keys
    are percents (any number-like expression: a let, a schedule, an ``if``)."""
    what = f"the amount of contribution `{d.name.name}`"
    if isinstance(d.amount, ast.Schedule):
        t = _schedule(typer, d.amount)
        if t is not ERROR and t is not MONEY:
            typer.ck.bag.error(
                "E020",
                f"{what} must be money, got {t}",
                d.amount.span,
                help=f"write the amounts with their currency, e.g. `100_000 {typer.ck.cc.currency}`",
            )
    elif d.amount is not None:
        typer.expect(d.amount, MONEY, "E020", what)
    for key in d.keys:
        kt = typer.infer(key.share)
        if kt is not ERROR and not kt.is_numeric:
            typer.ck.bag.error(
                "E020",
                f"the share of `{key.party.name}` in `{d.name.name}` must be a percent, got {kt}",
                key.share.span,
                help="write a share such as `60%`, or a let that holds one",
            )
        elif isinstance(key.share, ast.NumberLit):
            typer.percent_slip(key.share, "is a share, a percent")


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
    if t is DURATION and not isinstance(d.value, ast.Schedule):
        kind = typer.duration_kind(d.value)
        if kind is not None:
            ck.cc.duration_kinds[name] = kind


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
