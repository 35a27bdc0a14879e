"""Formulas in words, and in contract notation.

:class:`Phraser` turns an expression into a phrase a lawyer can read
(``leads_won / leads_total`` → *the ratio of “Leads won” to “Leads total”*,
*le rapport entre « Leads convertis » et « Leads issus des campagnes
conjointes »*).  Every word comes from the catalogue; names are shown by their
label in the requested language (see :class:`Namer`).  Compound operands are
put in parentheses so that a nested phrase cannot be read two ways.

:func:`formula` prints the expression in canonical ``.pact`` notation (the
printer of ``pact fmt``), which is what the annex quotes as the formula.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pactlang.render.doc import Rich, code, concat, plain
from pactlang.render.i18n import Catalog
from pactlang.render.model import Annex, Label, Ref
from pactlang.syntax import ast
from pactlang.syntax.format import _Printer

__all__ = ["Namer", "Phraser", "formula", "literal_value"]

WINDOW_FUNCS = ("sum", "avg", "min", "max")
_COMPOUND = (ast.Arith, ast.Logic, ast.Compare, ast.IfThenElse, ast.Otherwise)


def formula(e: ast.Expr) -> str:
    """The expression in canonical contract notation (as ``pact fmt`` prints it)."""
    return _Printer("", []).expr(e)


def literal_value(e: ast.Expr | ast.Schedule | None) -> bool:
    """Whether ``e`` is a plain literal (possibly negated) that can be shown as a value."""
    if isinstance(e, ast.Unary) and e.op == "-":
        return literal_value(e.operand)
    return isinstance(e, ast.NumberLit | ast.PercentLit | ast.MoneyLit)


@dataclass(slots=True)
class Namer:
    """Labels in one language; records each missing translation once."""

    lang: str
    source_lang: str
    warn: Callable[[str], None]
    _warned: set[str] = field(default_factory=set)

    def __call__(self, label: Label, what: str) -> str:
        """The label of ``label`` in the annex language; ``what`` names it in a warning."""
        if label.primary is None:
            return label.name
        if self.lang == self.source_lang:
            return label.primary
        if what.startswith("party "):
            # a party's label is its legal name: the same in every language unless translated
            return label.translation(self.lang) or label.primary
        text = label.translation(self.lang)
        if text is not None:
            return text
        key = f"{label.name}\n{label.primary}"  # one warning per text, however it is named
        if key not in self._warned:
            self._warned.add(key)
            self.warn(
                f"{what} has no `{self.lang}` translation; the {self.source_lang} label "
                f'"{label.primary}" is used'
            )
        return label.primary


@dataclass(slots=True)
class Phraser:
    cat: Catalog
    annex: Annex
    name: Namer

    # ------------------------------------------------------------ helpers

    @property
    def currency(self) -> str:
        return self.annex.header.currency

    def label_of(self, key: str, kind: str | None = None) -> str:
        ref = self.annex.refs.get(key)
        if ref is None:
            return key
        return self.name(ref.label, f"{kind or ref.kind} `{key}`")

    def ref(self, key: str) -> Rich:
        """A reference by label, between quotation marks (identifier when unknown)."""
        ref = self.annex.refs.get(key)
        if ref is None:
            return code(key)
        return self.cat.quote(self.name(ref.label, f"{ref.kind} `{key}`"))

    def party(self, name: str) -> Rich:
        return self.ref(name)

    def parties(self, names: tuple[str, ...] | list[str]) -> Rich:
        return self.cat.join([self.party(n) for n in names])

    # ----------------------------------------------------------- literals

    def number(self, value: Decimal | int) -> str:
        return self.cat.number(value)

    def money(self, value: Decimal) -> str:
        return self.cat.money(value, self.currency)

    def literal(self, e: ast.Expr) -> Rich | None:
        c = self.cat
        if isinstance(e, ast.NumberLit):
            return plain(c.number(e.value))
        if isinstance(e, ast.PercentLit):
            return plain(c.percent(e.value))
        if isinstance(e, ast.MoneyLit):
            return plain(c.money(e.amount, e.currency))
        if isinstance(e, ast.StringLit):
            return c.quote(e.value)
        if isinstance(e, ast.BoolLit):
            return plain(c.t("bool.true" if e.value else "bool.false"))
        if isinstance(e, ast.DateLit):
            return plain(c.date(e.value))
        if isinstance(e, ast.PeriodLit):
            return plain(c.month(e.value))
        if isinstance(e, ast.DurationLit):
            return plain(self.duration(e.amount, e.unit))
        if isinstance(e, ast.MissingLit):
            return plain(c.t("expr.missing"))
        if isinstance(e, ast.Unary) and e.op == "-" and literal_value(e.operand):
            inner = self.literal(e.operand)
            assert inner is not None
            return concat("\u2212", inner)
        return None

    def duration(self, amount: int, unit: str) -> str:
        return self.cat.t(f"duration.{unit}", amount)

    def constant(self, name: str) -> Rich | None:
        """The value of a let (or KPI) that is the same every month, formatted; None
        when it is not such a value (or does not fold to a number)."""
        k = self.annex.constants.get(name)
        if k is None:
            return None
        if k.unit == "money":
            return plain(self.money(k.value))
        if k.unit == "percent":
            return plain(self.cat.percent(k.value))
        return plain(self.number(k.value))

    def amount(self, e: ast.Expr) -> Rich:
        """An amount to pay or a cap: an agreed constant is shown as its value
        (*5 000,00 €*), not by its label."""
        if isinstance(e, ast.Name) and len(e.parts) == 1:
            value = self.constant(e.head.name)
            if value is not None:
                return value
        return self.words(e)

    # -------------------------------------------------------------- words

    def words(self, e: ast.Expr) -> Rich:
        """The expression as a phrase (lower-case start; callers capitalise)."""
        lit = self.literal(e)
        if lit is not None:
            return lit
        c = self.cat
        if isinstance(e, ast.Name):
            return self._name(e)
        if isinstance(e, ast.Unary):
            if e.op == "-":
                return c.r("expr.neg", x=self._operand(e.operand))
            return c.r("expr.not", x=self._operand(e.operand, logic=True))
        if isinstance(e, ast.Arith):
            return self._arith(e)
        if isinstance(e, ast.Logic):
            parts = [self._operand(o, logic=True) for o in e.operands]
            return c.join(parts, "standard" if e.op == "and" else "or")
        if isinstance(e, ast.Compare):
            return self._compare(e)
        if isinstance(e, ast.IfThenElse):
            return c.r(
                "expr.if",
                cond=self._operand(e.cond, logic=True),
                then=self._operand(e.then, logic=True),
                else_=self._operand(e.else_, logic=True),
            )
        if isinstance(e, ast.Otherwise):
            return c.r(
                "expr.otherwise",
                x=self._operand(e.value, logic=True),
                y=self._operand(e.fallback, logic=True),
            )
        if isinstance(e, ast.Call):
            return self._call(e)
        if isinstance(e, ast.ToDate):
            return plain(c.t("window.to_date"))
        if isinstance(e, ast.YearToDate):
            return plain(c.t("window.year_to_date"))
        return code(formula(e))  # pragma: no cover - every expression form is handled above

    def _operand(self, e: ast.Expr, *, logic: bool = False) -> Rich:
        """A sub-phrase, in parentheses when it is compound (so it reads one way only).

        In a logical or conditional context (``logic``), arithmetic and comparisons
        read unambiguously and stay bare; only nested logic and conditionals are
        bracketed.
        """
        inner = self.words(e)
        if logic:
            bracket = isinstance(e, ast.Logic | ast.IfThenElse | ast.Otherwise)
        else:
            bracket = isinstance(e, _COMPOUND) or (isinstance(e, ast.Unary) and e.op == "not")
        return concat("(", inner, ")") if bracket else inner

    def _name(self, e: ast.Name) -> Rich:
        key = e.dotted
        ref: Ref | None = self.annex.refs.get(key)
        if ref is None:
            return code(key)
        if ref.kind == "let" and ref.label.primary is None:
            # an unlabelled agreed value: show the value itself when it is a literal
            if isinstance(ref.value, ast.Expr) and literal_value(ref.value):
                lit = self.literal(ref.value)
                assert lit is not None
                return lit
            return code(key)
        return self.ref(key)

    def _arith(self, e: ast.Arith) -> Rich:
        c = self.cat
        ops, xs = e.ops, e.operands
        if all(op == "+" for op in ops):
            # "the sum of A and B" for values and labels; a list form for phrases, whose
            # articles some languages must repeat ("la somme des termes suivants : …")
            simple = all(_leaf(x) for x in xs)
            key = "expr.sum" if simple else "expr.sum.compound"
            items = [self._operand(x) for x in xs]
            return c.r(key, items=c.join(items, "standard" if simple else "compound"))
        if all(op in "+-" for op in ops):
            acc = self._operand(xs[0])
            for op, x in zip(ops, xs[1:], strict=True):
                key = "expr.plus" if op == "+" else "expr.minus"
                acc = c.r(key, a=acc, b=self._operand(x))
            return acc
        if all(op == "*" for op in ops) and len(xs) > 2:
            return c.r("expr.product_n", items=c.join([self._operand(x) for x in xs]))
        # * and / : fold left, one binary phrase at a time
        acc = self._operand(xs[0])
        first = xs[0]
        for i, (op, x) in enumerate(zip(ops, xs[1:], strict=True)):
            rhs = self._operand(x)
            if op == "*":
                if i == 0 and self._percent(first) is not None:
                    acc = c.r("expr.percent_of", p=self._percent(first) or acc, x=rhs)
                elif self._percent(x) is not None:
                    acc = c.r("expr.percent_of", p=self._percent(x) or rhs, x=acc)
                else:
                    acc = c.r("expr.times", a=acc, b=rhs)
            else:
                if isinstance(x, ast.NumberLit):
                    acc = c.r("expr.divided", a=acc, b=rhs)
                else:
                    acc = c.r("expr.ratio", a=acc, b=rhs)
            if i < len(ops) - 1:
                acc = concat("(", acc, ")")
        return acc

    def _percent(self, e: ast.Expr) -> Rich | None:
        """A percentage operand of a product: a literal, or an agreed constant
        percentage (read as its value: *3 % de « Ventes »*)."""
        if isinstance(e, ast.PercentLit):
            return self.words(e)
        if isinstance(e, ast.Name) and len(e.parts) == 1:
            k = self.annex.constants.get(e.head.name)
            if k is not None and k.unit == "percent":
                return self.constant(e.head.name)
        return None

    def _compare(self, e: ast.Compare) -> Rich:
        c = self.cat
        left, right = e.left, e.right
        lw = self._cmp_side(left, right)
        rw = self._cmp_side(right, left)
        key = {
            "<": "cmp.lt",
            "<=": "cmp.le",
            ">": "cmp.gt",
            ">=": "cmp.ge",
            "==": "cmp.eq",
            "!=": "cmp.ne",
        }[e.op]
        return c.r(key, a=lw, b=rw)

    def _cmp_side(self, side: ast.Expr, other: ast.Expr) -> Rich:
        # a status word in quotes compared with status(threshold) reads as the status
        if (
            isinstance(side, ast.StringLit)
            and isinstance(other, ast.Call)
            and other.func.name == "status"
            and self.cat.has(f"status.{side.value}")
        ):
            return self.cat.quote(self.cat.t(f"status.{side.value}"))
        if isinstance(side, ast.Logic | ast.Compare | ast.IfThenElse | ast.Otherwise):
            return concat("(", self.words(side), ")")
        if isinstance(side, ast.Name) and len(side.parts) == 1:
            # a labelled agreed constant: its label, and the value it stands for
            value = self.constant(side.head.name)
            ref = self.annex.refs.get(side.head.name)
            if value is not None and ref is not None and ref.label.primary is not None:
                return concat(self.words(side), " (", value, ")")
        return self.words(side)

    # -------------------------------------------------------------- calls

    def _call(self, e: ast.Call) -> Rich:
        c = self.cat
        name = e.func.name
        args = e.args
        if name in WINDOW_FUNCS and len(args) == 2 and _is_window(args[1]):
            w = args[1]
            if isinstance(w, ast.DurationLit):
                span = c.r(f"window.last.{w.unit}", w.amount)
            elif isinstance(w, ast.ToDate):
                span = plain(c.t("window.to_date"))
            else:
                span = plain(c.t("window.year_to_date"))
            return c.r(f"fn.{name}.window", x=self._operand(args[0]), window=span)
        if name in ("min", "max"):
            return c.r(f"fn.{name}.of", items=c.join([self._operand(a) for a in args]))
        if name == "abs" and args:
            return c.r("fn.abs", x=self._operand(args[0]))
        if name == "round" and args:
            digits = _int_of(args[1]) if len(args) > 1 else 0
            if digits is None:
                return c.r("fn.round.expr", x=self._operand(args[0]), digits=self.words(args[1]))
            key = "fn.round.whole" if digits == 0 else "fn.round.places"
            return c.r(key, abs(digits), x=self._operand(args[0]))
        if name == "previous" and args:
            if len(args) > 1 and isinstance(args[1], ast.DurationLit):
                d = args[1]
                return c.r(f"fn.previous.{d.unit}", d.amount, x=self._operand(args[0]))
            return c.r("fn.previous", x=self._operand(args[0]))
        if name in ("distributed", "retained") and args and isinstance(args[0], ast.Name):
            return self._distributed(e)
        if name == "paid" and len(args) >= 2:
            cumulative = any(isinstance(a, ast.ToDate) for a in args[2:])
            key = "fn.paid.to_date" if cumulative else "fn.paid"
            return c.r(key, p=self._target(args[0]), q=self._target(args[1]))
        if name == "status" and args:
            return c.r("fn.status", t=self._target(args[0]))
        if name in ("banzhaf", "shapley") and len(args) == 2 and isinstance(args[0], ast.Name):
            target = args[0]
            committee = target.parts[0].name
            return c.r(
                f"fn.{name}",
                p=self._target(args[1]),
                d=self.ref(target.dotted),
                c=self.ref(committee),
            )
        if name == "contributed" and args and isinstance(args[0], ast.Name):
            party = next((a for a in args[1:] if isinstance(a, ast.Name)), None)
            key = "fn.contributed" + (".to_date" if isinstance(args[-1], ast.ToDate) else "")
            if party is None:
                return c.r(key, c=self.ref(args[0].dotted))
            return c.r(key + ".party", c=self.ref(args[0].dotted), p=self._target(party))
        # unknown function (sema reports it): keep the notation
        return code(formula(e))

    def _target(self, e: ast.Expr) -> Rich:
        if isinstance(e, ast.Name):
            return self.ref(e.dotted)
        return self.words(e)

    def _distributed(self, e: ast.Call) -> Rich:
        c = self.cat
        target = e.args[0]
        assert isinstance(target, ast.Name)
        fund = target.parts[0].name
        party: Rich | None = None
        cumulative = False
        for a in e.args[1:]:
            if isinstance(a, ast.ToDate):
                cumulative = True
            elif isinstance(a, ast.Name):
                party = self.ref(a.dotted)
        when = "to_date" if cumulative else "month"
        if e.func.name == "retained":
            return c.r(f"fn.retained.{when}", w=self.ref(fund))
        source = self.ref(fund)
        if len(target.parts) > 1:
            source = c.r("fn.distributed.tier", t=self.ref(target.dotted), w=self.ref(fund))
        if party is None:
            return c.r(f"fn.distributed.{when}", source=source)
        return c.r(f"fn.distributed.{when}.party", source=source, p=party)


def _leaf(e: ast.Expr) -> bool:
    """A name or a literal: its phrase has no article and no qualifier."""
    return (
        isinstance(e, ast.Name)
        or literal_value(e)
        or isinstance(e, ast.NumberLit | ast.StringLit | ast.BoolLit | ast.DateLit | ast.PeriodLit)
    )


def _is_window(e: ast.Expr) -> bool:
    return isinstance(e, ast.DurationLit | ast.ToDate | ast.YearToDate)


def _int_of(e: ast.Expr) -> int | None:
    if isinstance(e, ast.NumberLit) and e.value == e.value.to_integral_value():
        return int(e.value)
    if isinstance(e, ast.Unary) and e.op == "-":
        inner = _int_of(e.operand)
        return -inner if inner is not None else None
    return None
