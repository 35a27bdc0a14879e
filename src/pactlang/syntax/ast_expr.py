"""The typed AST, part 1: names, labels and expressions.

Re-exported by :mod:`pactlang.syntax.ast` (``ast.Name``, ``ast.Arith``, …),
which adds declarations, tests and the module.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeAlias

from pactlang.base.values import Period
from pactlang.diagnostics import Span

__all__ = [
    "Arith",
    "ArithOp",
    "BoolLit",
    "Call",
    "Compare",
    "CompareOp",
    "DateLit",
    "DurationLit",
    "DurationUnit",
    "Expr",
    "Ident",
    "IfThenElse",
    "Labels",
    "Logic",
    "MissingLit",
    "MoneyLit",
    "Name",
    "NumberLit",
    "Otherwise",
    "PercentLit",
    "PeriodLit",
    "StringLit",
    "Text",
    "ToDate",
    "Translation",
    "Unary",
    "YearToDate",
]

# ------------------------------------------------------------------ leaves


@dataclass(frozen=True, slots=True)
class Ident:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Text:
    """A string as written (value already unescaped)."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Translation:
    lang: Ident
    text: Text
    span: Span


@dataclass(frozen=True, slots=True)
class Labels:
    """``"Label" en "Translation" …``: the first label is in the contract language."""

    primary: Text | None
    translations: tuple[Translation, ...]
    span: Span

    def get(self, lang: str | None = None) -> str | None:
        if lang is not None:
            for t in self.translations:
                if t.lang.name == lang:
                    return t.text.value
        return self.primary.value if self.primary else None


# ------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class NumberLit:
    value: Decimal
    text: str  # as written, e.g. "1_000_000"
    span: Span


@dataclass(frozen=True, slots=True)
class PercentLit:
    value: Decimal  # 20% -> Decimal("0.20")
    text: str  # as written without the %, e.g. "20"
    span: Span


@dataclass(frozen=True, slots=True)
class MoneyLit:
    amount: Decimal
    currency: str
    text: str  # the number as written
    span: Span


@dataclass(frozen=True, slots=True)
class StringLit:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: Span


@dataclass(frozen=True, slots=True)
class DateLit:
    value: datetime.date
    span: Span


@dataclass(frozen=True, slots=True)
class PeriodLit:
    value: Period
    span: Span


DurationUnit = Literal["day", "business_day", "month", "quarter", "year"]


@dataclass(frozen=True, slots=True)
class DurationLit:
    amount: int
    unit: DurationUnit
    span: Span


@dataclass(frozen=True, slots=True)
class MissingLit:
    span: Span


@dataclass(frozen=True, slots=True)
class Name:
    """A reference: ``revenue`` or a dotted ``fund.pref`` / ``steering.budget``."""

    parts: tuple[Ident, ...]
    span: Span

    @property
    def head(self) -> Ident:
        return self.parts[0]

    @property
    def dotted(self) -> str:
        return ".".join(p.name for p in self.parts)


@dataclass(frozen=True, slots=True)
class Unary:
    op: Literal["-", "not"]
    operand: Expr
    span: Span


ArithOp = Literal["+", "-", "*", "/"]


@dataclass(frozen=True, slots=True)
class Arith:
    """``operands[0] ops[0] operands[1] ops[1] …``, left-associative, one precedence level."""

    ops: tuple[ArithOp, ...]
    operands: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Logic:
    op: Literal["and", "or"]
    operands: tuple[Expr, ...]
    span: Span


CompareOp = Literal["<", "<=", ">", ">=", "==", "!="]


@dataclass(frozen=True, slots=True)
class Compare:
    op: CompareOp
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class IfThenElse:
    cond: Expr
    then: Expr
    else_: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Otherwise:
    """``value otherwise fallback``: value where defined, else fallback."""

    value: Expr
    fallback: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class ToDate:
    """The window argument ``to date`` (cumulative from the first month of the term)."""

    span: Span


@dataclass(frozen=True, slots=True)
class YearToDate:
    """The window argument ``year to date`` (from January of the current year)."""

    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    func: Ident
    args: tuple[Expr, ...]
    span: Span


Expr: TypeAlias = (
    NumberLit
    | PercentLit
    | MoneyLit
    | StringLit
    | BoolLit
    | DateLit
    | PeriodLit
    | DurationLit
    | MissingLit
    | Name
    | Unary
    | Arith
    | Logic
    | Compare
    | IfThenElse
    | Otherwise
    | ToDate
    | YearToDate
    | Call
)
